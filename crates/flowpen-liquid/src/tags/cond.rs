//! `if`, `unless` and `case`, with Ruby Liquid's conditions: `and`/`or` group from the right, no
//! `not`, no parentheses; a missing variable is nil (falsy).

use std::cmp::Ordering;
use std::io::Write;

use liquid_core::error::Result;
use liquid_core::model::ValueView;
use liquid_core::parser::{FilterChain, TagBlock, TagTokenIter};
use liquid_core::{Language, Renderable, Runtime};

use super::{body, next_chain, nothing_more, offset, shown, Body, Head};
use crate::budget::{key_cost, units, Meter, Site, ITEM, SCAN, STEP};
use crate::error::{locate, render_error, syntax_error};
use crate::runtime::{shared, Shared};
use crate::value::{compare, equals, kind, to_text, truthy, Kind};

debug_by_name!(If, Case);

#[derive(Debug, Clone, Copy)]
enum Op {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    Contains,
}

#[derive(Debug)]
enum Cond {
    Value(FilterChain),
    Compare(FilterChain, Op, FilterChain),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

fn op(text: &str) -> Option<Op> {
    Some(match text {
        "==" => Op::Eq,
        "!=" | "<>" => Op::Ne,
        "<" => Op::Lt,
        ">" => Op::Gt,
        "<=" => Op::Le,
        ">=" => Op::Ge,
        "contains" => Op::Contains,
        _ => return None,
    })
}

fn parse_cond(tokens: &mut TagTokenIter<'_>, options: &Language, at: usize) -> Result<Cond> {
    let mut parts = Vec::new();
    let mut joins = Vec::new();
    loop {
        let left = next_chain(tokens, options, at, "a condition")?;
        let mut next = tokens.next();
        let part = match next.as_ref().and_then(|t| op(t.as_str())) {
            Some(o) => {
                let right = next_chain(tokens, options, at, "a value after the operator")?;
                next = tokens.next();
                Cond::Compare(left, o, right)
            }
            None => Cond::Value(left),
        };
        parts.push(part);
        match next {
            None => break,
            Some(t) if t.as_str() == "and" => joins.push(true),
            Some(t) if t.as_str() == "or" => joins.push(false),
            Some(t) => {
                return Err(syntax_error(
                    format!("unexpected '{}' in condition", shown(t.as_str())),
                    at,
                ));
            }
        }
    }
    let mut acc = parts
        .pop()
        .ok_or_else(|| syntax_error("expected a condition", at))?;
    while let (Some(part), Some(and)) = (parts.pop(), joins.pop()) {
        acc = if and {
            Cond::And(Box::new(part), Box::new(acc))
        } else {
            Cond::Or(Box::new(part), Box::new(acc))
        };
    }
    Ok(acc)
}

/// The bytes of a string (what scanning or parsing it costs).
fn text_len(v: &dyn ValueView) -> u64 {
    match kind(v) {
        Kind::Str(s) => s.len() as u64,
        _ => 0,
    }
}

/// Ruby's `contains`: substring, array member, or object key.
fn contains(a: &dyn ValueView, b: &dyn ValueView, m: &Meter<'_>) -> Result<bool> {
    if !truthy(b) {
        return Ok(false);
    }
    Ok(match kind(a) {
        Kind::Str(s) => {
            m.value(b)?;
            m.take((s.len() as u64).saturating_mul(SCAN))?;
            s.contains(to_text(b).as_str())
        }
        Kind::Array(items) => {
            for v in items.values() {
                if equals(v, b, m)? {
                    return Ok(true);
                }
            }
            false
        }
        Kind::Object(o) => {
            m.value(b)?;
            m.take(units(o.size().max(0) as usize, ITEM).saturating_add(key_cost(o)))?;
            let key = to_text(b);
            o.entries().iter().any(|(k, _)| k.as_str() == key)
        }
        _ => false,
    })
}

/// Evaluates a condition, charging [`STEP`] per comparison and the work on its values.
fn eval(cond: &Cond, runtime: &dyn Runtime, sh: &Shared, tag: &'static str) -> Result<bool> {
    let m = sh.budget.meter(Site::Tag(tag));
    m.take(STEP)?;
    Ok(match cond {
        Cond::Value(e) => truthy(e.evaluate(runtime)?.as_view()),
        Cond::Compare(l, o, r) => {
            let (a, b) = (l.evaluate(runtime)?, r.evaluate(runtime)?);
            let (a, b) = (a.as_view(), b.as_view());
            let ordered = |want: fn(Ordering) -> bool| -> Result<bool> {
                // Strings compare byte by byte (Studio also reads them as numbers).
                m.take(text_len(a).saturating_add(text_len(b)))?;
                Ok(compare(a, b, sh.studio())
                    .map_err(render_error)?
                    .is_some_and(want))
            };
            match o {
                Op::Eq => equals(a, b, &m)?,
                Op::Ne => !equals(a, b, &m)?,
                Op::Lt => ordered(Ordering::is_lt)?,
                Op::Gt => ordered(Ordering::is_gt)?,
                Op::Le => ordered(Ordering::is_le)?,
                Op::Ge => ordered(Ordering::is_ge)?,
                Op::Contains => contains(a, b, &m)?,
            }
        }
        Cond::And(a, b) => eval(a, runtime, sh, tag)? && eval(b, runtime, sh, tag)?,
        Cond::Or(a, b) => eval(a, runtime, sh, tag)? || eval(b, runtime, sh, tag)?,
    })
}

struct If {
    /// `(condition, where it is, body)`; no condition for `else`.
    branches: Vec<(Option<Cond>, usize, Body)>,
    /// `unless`: the first condition is negated.
    negate_first: bool,
}

fn parse_if(
    head: Head,
    mut tokens: TagTokenIter<'_>,
    mut block: TagBlock<'_, '_>,
    options: &Language,
    negate_first: bool,
) -> Result<Box<dyn Renderable>> {
    let first = parse_cond(&mut tokens, options, head.at)?;
    let mut branches = Vec::new();
    let mut current = Some((Some(first), head.at));
    let mut seen_else = false;
    loop {
        let (items, stop) = body(&mut block, options, &["elsif", "else"], head.blank)?;
        if let Some((cond, at)) = current.take() {
            let tag = if negate_first { "unless" } else { "if" };
            branches.push((cond, at, Body::new(items, tag)));
        }
        let Some((name, mut tokens)) = stop else {
            break;
        };
        let at = offset(&mut tokens)?;
        if seen_else {
            // Ruby ignores branches after `else`.
            continue;
        }
        if name == "else" {
            seen_else = true;
            current = Some((None, at));
        } else {
            let cond = parse_cond(&mut tokens, options, at)?;
            current = Some((Some(cond), at));
        }
    }
    block.assert_empty();
    Ok(Box::new(If {
        branches,
        negate_first,
    }))
}

pub(super) fn if_(
    head: Head,
    tokens: TagTokenIter<'_>,
    block: TagBlock<'_, '_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    parse_if(head, tokens, block, options, false)
}

pub(super) fn unless(
    head: Head,
    tokens: TagTokenIter<'_>,
    block: TagBlock<'_, '_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    parse_if(head, tokens, block, options, true)
}

impl Renderable for If {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let sh = shared(runtime);
        let tag = if self.negate_first { "unless" } else { "if" };
        for (i, (cond, at, body)) in self.branches.iter().enumerate() {
            let hit = match cond {
                None => true,
                Some(c) => {
                    eval(c, runtime, &sh, tag).map_err(|e| locate(e, *at))?
                        != (i == 0 && self.negate_first)
                }
            };
            if hit {
                return body.render(writer, runtime, &sh.budget, *at);
            }
        }
        Ok(())
    }
}

struct Case {
    at: usize,
    target: FilterChain,
    /// `when` values (none for `else`) and bodies, in order.
    blocks: Vec<(Option<Vec<FilterChain>>, Body)>,
}

pub(super) fn case(
    head: Head,
    mut tokens: TagTokenIter<'_>,
    mut block: TagBlock<'_, '_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    let at = head.at;
    let target = next_chain(&mut tokens, options, at, "a value after 'case'")?;
    nothing_more(&mut tokens, at)?;
    let mut blocks = Vec::new();
    // Anything before the first `when` is never rendered.
    let (_, mut stop) = body(&mut block, options, &["when", "else"], head.blank)?;
    while let Some((name, mut tokens)) = stop {
        let at = offset(&mut tokens)?;
        let values = if name == "when" {
            let mut values = Vec::new();
            loop {
                values.push(next_chain(
                    &mut tokens,
                    options,
                    at,
                    "a value after 'when'",
                )?);
                match tokens.next() {
                    None => break,
                    Some(t) if t.as_str() == "," || t.as_str() == "or" => {}
                    Some(t) => {
                        return Err(syntax_error(
                            format!("unexpected '{}' in 'when'", shown(t.as_str())),
                            at,
                        ));
                    }
                }
            }
            Some(values)
        } else {
            None
        };
        let (items, next) = body(&mut block, options, &["when", "else"], head.blank)?;
        blocks.push((values, Body::new(items, "case")));
        stop = next;
    }
    block.assert_empty();
    Ok(Box::new(Case { at, target, blocks }))
}

impl Renderable for Case {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let at = self.at;
        let sh = shared(runtime);
        let m = sh.budget.meter(Site::Tag("case"));
        let target = self.target.evaluate(runtime).map_err(|e| locate(e, at))?;
        let mut matched = false;
        for (values, body) in &self.blocks {
            match values {
                None => {
                    if !matched {
                        body.render(writer, runtime, &sh.budget, at)?;
                    }
                }
                Some(values) => {
                    for v in values {
                        m.take(STEP).map_err(|e| locate(e, at))?;
                        let v = v.evaluate(runtime).map_err(|e| locate(e, at))?;
                        if equals(target.as_view(), v.as_view(), &m).map_err(|e| locate(e, at))? {
                            matched = true;
                            body.render(writer, runtime, &sh.budget, at)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
