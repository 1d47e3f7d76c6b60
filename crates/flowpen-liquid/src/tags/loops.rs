//! `for` and `tablerow`, iterating lazily: a range is never turned into a list, an array is read
//! by index, and with a loop limit (Studio: 15) a loop stops after that many iterations, so
//! `(1..100000000)` costs 15. Every iteration is charged to the render's budget.

use std::io::Write;
use std::rc::Rc;

use liquid_core::error::Result;
use liquid_core::model::{ArrayView, KString, ScalarCow, ValueCow, ValueView};
use liquid_core::parser::{FilterChain, TagBlock, TagTokenIter, TryMatchToken};
use liquid_core::runtime::{Expression, Interrupt, InterruptRegister};
use liquid_core::{Language, Renderable, Runtime};

use super::simple::emit;
use super::{body, chain, name, shown, Body, Head};
use crate::budget::{units, Meter, Site, ITEM};
use crate::error::{locate, syntax_error};
use crate::filters::to_integer;
use crate::runtime::{shared, state, Frame, LoopInfo, Slot, DETACHED};
use crate::value::{kind, to_number, Kind, Num, Val};

debug_by_name!(For, TableRow);

#[derive(Debug)]
enum Source {
    Range(Expression, Expression),
    Value(FilterChain),
}

#[derive(Debug)]
enum Offset {
    Value(FilterChain),
    Continue,
}

/// What follows `for x in`: the collection and its attributes.
#[derive(Debug)]
struct LoopHead {
    var: KString,
    source: Source,
    /// Key of `offset: continue` positions (`var-collection`).
    key: String,
    reversed: bool,
    limit: Option<FilterChain>,
    offset: Option<Offset>,
    cols: Option<FilterChain>,
}

fn parse_head(
    at: usize,
    mut tokens: TagTokenIter<'_>,
    options: &Language,
    tag: &str,
) -> Result<LoopHead> {
    let var_token = tokens
        .next()
        .ok_or_else(|| syntax_error(format!("expected a variable name after '{tag}'"), at))?;
    let var = name(&var_token, true).ok_or_else(|| {
        syntax_error(
            format!(
                "'{}' is not a valid variable name",
                shown(var_token.as_str())
            ),
            at,
        )
    })?;
    match tokens.next() {
        Some(t) if t.as_str() == "in" => {}
        _ => {
            return Err(syntax_error(
                format!("expected 'in' after '{tag} {var}'"),
                at,
            ))
        }
    }
    let coll = tokens
        .next()
        .ok_or_else(|| syntax_error("expected a collection after 'in'", at))?;
    let text = coll.as_str().to_owned();
    let source = match coll.expect_range() {
        TryMatchToken::Matches((a, b)) => Source::Range(a, b),
        TryMatchToken::Fails(t) => Source::Value(chain(t, options, at)?),
    };
    let mut head = LoopHead {
        key: format!("{var}-{text}"),
        var: KString::from_string(var),
        source,
        reversed: false,
        limit: None,
        offset: None,
        cols: None,
    };
    while let Some(t) = tokens.next() {
        let word = t.as_str().to_owned();
        match word.as_str() {
            "reversed" if tag == "for" => head.reversed = true,
            "," => {}
            "limit" | "offset" | "cols" => {
                if !matches!(tokens.next(), Some(c) if c.as_str() == ":") {
                    return Err(syntax_error(format!("expected ':' after '{word}'"), at));
                }
                let value = tokens
                    .next()
                    .ok_or_else(|| syntax_error(format!("expected a value after '{word}:'"), at))?;
                match word.as_str() {
                    "limit" => head.limit = Some(chain(value, options, at)?),
                    "cols" if tag == "tablerow" => head.cols = Some(chain(value, options, at)?),
                    "offset" if value.as_str() == "continue" && tag == "for" => {
                        head.offset = Some(Offset::Continue)
                    }
                    "offset" => head.offset = Some(Offset::Value(chain(value, options, at)?)),
                    _ => return Err(unexpected(&word, tag, at)),
                }
            }
            _ => return Err(unexpected(&word, tag, at)),
        }
    }
    Ok(head)
}

fn unexpected(word: &str, tag: &str, at: usize) -> liquid_core::Error {
    syntax_error(format!("unexpected '{}' in '{tag}'", shown(word)), at)
}

/// The collection of one render.
enum Items<'v> {
    Range(i64, i64),
    Array(&'v dyn ArrayView),
    /// A string: one item.
    One(&'v dyn ValueView),
    Pairs(Vec<(KString, &'v dyn ValueView)>),
    Empty,
}

impl Items<'_> {
    fn len(&self) -> i64 {
        match self {
            Items::Range(a, b) => b.saturating_sub(*a).saturating_add(1).max(0),
            Items::Array(a) => a.size(),
            Items::One(_) => 1,
            Items::Pairs(p) => p.len() as i64,
            Items::Empty => 0,
        }
    }

    /// Charges what [`Items::item`] costs: a `[key, value]` pair of an object is a copy.
    fn charge_item(&self, i: i64, m: &Meter<'_>) -> Result<()> {
        match self {
            Items::Pairs(p) => match p.get(i as usize) {
                Some((k, v)) => {
                    m.take(ITEM.saturating_add(k.len() as u64))?;
                    m.value(*v)
                }
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// Item `i` (in range), once charged by [`Items::charge_item`].
    fn item(&self, i: i64) -> Slot<'_> {
        let missing = || Slot::Val(Val::Nil);
        match self {
            Items::Range(a, _) => Slot::Val(Val::Int(a.saturating_add(i))),
            Items::Array(a) => a.get(i).map_or_else(missing, Slot::View),
            Items::One(v) => Slot::View(*v),
            Items::Pairs(p) => match p.get(i as usize) {
                Some((k, v)) => {
                    Slot::Val(Val::Array(Rc::new(vec![Val::str(k), Val::from_view(*v)])))
                }
                None => missing(),
            },
            Items::Empty => missing(),
        }
    }
}

/// Charges the work of reading a number from a string.
fn read_cost(v: &dyn ValueView, m: &Meter<'_>) -> Result<()> {
    match kind(v) {
        Kind::Str(s) => m.take(s.len() as u64),
        _ => Ok(()),
    }
}

fn bound(e: &Expression, runtime: &dyn Runtime, m: &Meter<'_>) -> Result<i64> {
    let v = e.evaluate(runtime)?;
    read_cost(v.as_view(), m)?;
    Ok(match to_number(v.as_view()) {
        Num::Int(i) => i,
        Num::Float(f) => f as i64,
    })
}

/// Evaluates the collection. The value it borrows from is kept in `holder`. An object's entries
/// are listed (and charged to `m`); anything else is read in place.
fn items<'v>(
    source: &Source,
    runtime: &dyn Runtime,
    holder: &'v Option<ValueCow<'v>>,
    m: &Meter<'_>,
) -> Result<Items<'v>> {
    if let Source::Range(a, b) = source {
        return Ok(Items::Range(bound(a, runtime, m)?, bound(b, runtime, m)?));
    }
    let Some(value) = holder else {
        return Ok(Items::Empty);
    };
    let value = value.as_view();
    Ok(match kind(value) {
        Kind::Array(a) => Items::Array(a),
        Kind::Object(o) => {
            m.take(units(o.size().max(0) as usize, ITEM))?;
            Items::Pairs(
                o.entries()
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v))
                    .collect(),
            )
        }
        Kind::Str(s) if !s.is_empty() => Items::One(value),
        _ => Items::Empty,
    })
}

/// `[from, to)` of the collection after `offset` and `limit`.
fn segment(head: &LoopHead, len: i64, runtime: &dyn Runtime, m: &Meter<'_>) -> Result<(i64, i64)> {
    let from = match &head.offset {
        None => 0,
        Some(Offset::Continue) => state(runtime)
            .offsets
            .get(head.key.as_str())
            .copied()
            .unwrap_or(0) as i64,
        Some(Offset::Value(e)) => {
            let v = e.evaluate(runtime)?;
            if v.is_nil() {
                0
            } else {
                read_cost(v.as_view(), m)?;
                to_integer(v.as_view())?
            }
        }
    }
    .max(0);
    let to = match &head.limit {
        None => len,
        Some(e) => {
            let v = e.evaluate(runtime)?;
            if v.is_nil() {
                len
            } else {
                read_cost(v.as_view(), m)?;
                from.saturating_add(to_integer(v.as_view())?).min(len)
            }
        }
    };
    let from = from.min(len);
    Ok((from, to.max(from)))
}

struct For {
    at: usize,
    head: LoopHead,
    body: Body,
    otherwise: Option<Body>,
}

pub(super) fn for_(
    head: Head,
    tokens: TagTokenIter<'_>,
    mut block: TagBlock<'_, '_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    let loop_head = parse_head(head.at, tokens, options, "for")?;
    let (items, stop) = body(&mut block, options, &["else"], head.blank)?;
    let otherwise = match stop {
        Some(_) => Some(Body::new(
            body(&mut block, options, &[], head.blank)?.0,
            "for",
        )),
        None => None,
    };
    block.assert_empty();
    Ok(Box::new(For {
        at: head.at,
        head: loop_head,
        body: Body::new(items, "for"),
        otherwise,
    }))
}

impl Renderable for For {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let at = self.at;
        let sh = shared(runtime);
        let m = sh.budget.meter(Site::Tag("for"));
        sh.cursor.set(at);
        let holder = match &self.head.source {
            Source::Value(e) => Some(e.evaluate(runtime).map_err(|e| locate(e, at))?),
            Source::Range(..) => None,
        };
        let items = items(&self.head.source, runtime, &holder, &m).map_err(|e| locate(e, at))?;
        let (from, to) =
            segment(&self.head, items.len(), runtime, &m).map_err(|e| locate(e, at))?;
        // The loop's key (its variable and collection as written) is copied twice.
        m.take(2 * self.head.key.len() as u64)
            .map_err(|e| locate(e, at))?;
        state(runtime)
            .offsets
            .insert(KString::from_ref(&self.head.key), to as usize);
        let total = to - from;
        if total == 0 {
            if let Some(otherwise) = &self.otherwise {
                otherwise.render(writer, runtime, &sh.budget, at)?;
            }
            return Ok(());
        }
        let n = match sh.loop_limit {
            Some(limit) => total.min(limit as i64),
            None => total,
        };
        let parent = runtime.get(&[ScalarCow::new("forloop")])?;
        let parent = parent.as_view();
        let parent = (!parent.is_nil()
            && parent.as_object().is_none_or(|o| o.get(DETACHED).is_none()))
        .then_some(parent);
        let name: Rc<str> = Rc::from(self.head.key.as_str());
        for k in 0..n {
            sh.tick("for").map_err(|e| locate(e, at))?;
            self.body.charge(&sh.budget, at)?;
            let i = if self.head.reversed {
                to - 1 - k
            } else {
                from + k
            };
            items.charge_item(i, &m).map_err(|e| locate(e, at))?;
            let frame = Frame::new(
                runtime,
                vec![
                    (self.head.var.clone(), items.item(i)),
                    (
                        KString::from_static("forloop"),
                        Slot::Loop(LoopInfo::forloop(&name, k as usize, n as usize, parent)),
                    ),
                ],
                &sh.budget,
            );
            self.body.template().render_to(writer, &frame)?;
            match runtime.registers().get_mut::<InterruptRegister>().reset() {
                Some(Interrupt::Break) => break,
                Some(Interrupt::Continue) | None => {}
            }
        }
        Ok(())
    }
}

struct TableRow {
    at: usize,
    head: LoopHead,
    body: Body,
}

pub(super) fn tablerow(
    head: Head,
    tokens: TagTokenIter<'_>,
    mut block: TagBlock<'_, '_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    let loop_head = parse_head(head.at, tokens, options, "tablerow")?;
    let (items, _) = body(&mut block, options, &[], false)?;
    block.assert_empty();
    Ok(Box::new(TableRow {
        at: head.at,
        head: loop_head,
        body: Body::new(items, "tablerow"),
    }))
}

impl Renderable for TableRow {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let at = self.at;
        let sh = shared(runtime);
        let m = sh.budget.meter(Site::Tag("tablerow"));
        sh.cursor.set(at);
        let holder = match &self.head.source {
            Source::Value(e) => Some(e.evaluate(runtime).map_err(|e| locate(e, at))?),
            Source::Range(..) => None,
        };
        if holder.as_ref().is_some_and(|v| v.is_nil()) {
            return Ok(());
        }
        let items = items(&self.head.source, runtime, &holder, &m).map_err(|e| locate(e, at))?;
        let (from, to) =
            segment(&self.head, items.len(), runtime, &m).map_err(|e| locate(e, at))?;
        let total = to - from;
        let n = match sh.loop_limit {
            Some(limit) => total.min(limit as i64),
            None => total,
        };
        let cols = match &self.head.cols {
            Some(e) => {
                let v = e.evaluate(runtime).map_err(|e| locate(e, at))?;
                read_cost(v.as_view(), &m).map_err(|e| locate(e, at))?;
                match to_number(v.as_view()) {
                    _ if v.is_nil() => n,
                    Num::Int(i) => i,
                    Num::Float(f) => f as i64,
                }
            }
            None => n,
        };
        let cols = if cols <= 0 { n.max(1) } else { cols } as usize;
        emit(writer, "<tr class=\"row1\">\n", at)?;
        for k in 0..n {
            sh.tick("tablerow").map_err(|e| locate(e, at))?;
            self.body.charge(&sh.budget, at)?;
            let info = LoopInfo::tablerowloop(k as usize, n as usize, cols);
            let col = k as usize % cols + 1;
            emit(writer, &format!("<td class=\"col{col}\">"), at)?;
            items.charge_item(from + k, &m).map_err(|e| locate(e, at))?;
            let frame = Frame::new(
                runtime,
                vec![
                    (self.head.var.clone(), items.item(from + k)),
                    (KString::from_static("tablerowloop"), Slot::Loop(info)),
                ],
                &sh.budget,
            );
            self.body.template().render_to(writer, &frame)?;
            emit(writer, "</td>", at)?;
            if let Some(Interrupt::Break) =
                runtime.registers().get_mut::<InterruptRegister>().reset()
            {
                break;
            }
            if col == cols && k + 1 < n {
                emit(
                    writer,
                    &format!("</tr>\n<tr class=\"row{}\">", k as usize / cols + 2),
                    at,
                )?;
            }
        }
        emit(writer, "</tr>\n", at)
    }
}
