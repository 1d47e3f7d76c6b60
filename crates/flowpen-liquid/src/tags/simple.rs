//! `echo` (every `{{ }}`), `assign`, `capture`, `increment`, `decrement`, `cycle`, `break`,
//! `continue`, `ifchanged`, and the internal `__raw` and `__comment`.

use std::io::Write;

use liquid_core::error::Result;
use liquid_core::model::{KString, Value, ValueCow, ValueView};
use liquid_core::parser::{FilterChain, TagBlock, TagTokenIter, TryMatchToken};
use liquid_core::runtime::{Interrupt, InterruptRegister};
use liquid_core::{Language, Renderable, Runtime};

use super::{body, chain, name, next_chain, nothing_more, shown, Body, Head};
use crate::budget::{Budget, Site, ITEM, STEP};
use crate::error::{locate, raise, syntax_error, ErrorKind};
use crate::runtime::{render_capped, shared, state};
use crate::value::{kind, print, to_text, Kind};

debug_by_name!(Echo, Assign, Capture, Counter, Cycle, Stop, IfChanged, Raw, Nothing);

/// A value as printed by an output (or `cycle`), charging the work of printing it first.
fn printed(v: &dyn ValueView, studio: bool, budget: &Budget) -> Result<String> {
    budget.meter(Site::Output).value(v)?;
    let mut text = String::new();
    print(&mut text, v, studio);
    Ok(text)
}

/// Writes rendered text, turning a refused write into an output-limit error.
pub(crate) fn emit(writer: &mut dyn Write, text: &str, at: usize) -> Result<()> {
    emit_at(writer, text, Some(at))
}

fn emit_at(writer: &mut dyn Write, text: &str, at: Option<usize>) -> Result<()> {
    writer
        .write_all(text.as_bytes())
        .map_err(|_| raise(ErrorKind::OutputTooLarge, "output too large", at))
}

struct Echo {
    at: usize,
    expr: Option<FilterChain>,
}

pub(super) fn echo(
    head: Head,
    mut tokens: TagTokenIter<'_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    let expr = match tokens.next() {
        Some(t) => Some(chain(t, options, head.at)?),
        None => None,
    };
    nothing_more(&mut tokens, head.at)?;
    Ok(Box::new(Echo { at: head.at, expr }))
}

impl Renderable for Echo {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let Some(expr) = &self.expr else {
            return Ok(());
        };
        let value = expr.evaluate(runtime).map_err(|e| locate(e, self.at))?;
        match kind(value.as_view()) {
            Kind::Str(s) => emit(writer, &s, self.at),
            Kind::Nil => Ok(()),
            // A number or a boolean prints in a few bytes (charged as output).
            Kind::Int(i) => emit(writer, &i.to_string(), self.at),
            Kind::Bool(b) => emit(writer, if b { "true" } else { "false" }, self.at),
            _ => {
                let sh = shared(runtime);
                let text = printed(value.as_view(), sh.studio(), &sh.budget)
                    .map_err(|e| locate(e, self.at))?;
                emit(writer, &text, self.at)
            }
        }
    }
}

struct Assign {
    at: usize,
    name: KString,
    expr: FilterChain,
}

/// The variable a tag names first (`assign x`, `capture x`, `increment x`); `missing` is the error
/// when there is none.
fn target_name(
    tokens: &mut TagTokenIter<'_>,
    at: usize,
    missing: &str,
    awkward: bool,
) -> Result<String> {
    let target = tokens.next().ok_or_else(|| syntax_error(missing, at))?;
    name(&target, awkward).ok_or_else(|| {
        syntax_error(
            format!("'{}' is not a valid variable name", shown(target.as_str())),
            at,
        )
    })
}

pub(super) fn assign(
    head: Head,
    mut tokens: TagTokenIter<'_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    let at = head.at;
    let name = target_name(
        &mut tokens,
        at,
        "expected a variable name after 'assign'",
        false,
    )?;
    match tokens.next() {
        Some(t) if t.as_str() == "=" => {}
        _ => return Err(syntax_error("expected '=' in 'assign'", at)),
    }
    let expr = next_chain(&mut tokens, options, at, "a value after '='")?;
    nothing_more(&mut tokens, at)?;
    Ok(Box::new(Assign {
        at,
        name: KString::from_string(name),
        expr,
    }))
}

impl Renderable for Assign {
    fn render_to(&self, _writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let value = self
            .expr
            .evaluate(runtime)
            .map_err(|e| locate(e, self.at))?;
        // A borrowed value is copied to be owned (the scope then charges the variable's copy).
        if let ValueCow::Borrowed(v) = &value {
            shared(runtime)
                .budget
                .meter(Site::Tag("assign"))
                .value(*v)
                .map_err(|e| locate(e, self.at))?;
        }
        store(runtime, self.name.clone(), value.into_owned(), self.at)
    }
}

/// Sets a variable; the scope charges its copy, and a refusal ends the render here.
fn store(runtime: &dyn Runtime, name: KString, value: Value, at: usize) -> Result<()> {
    match runtime.set_global(name, value) {
        None => Ok(()),
        Some(_) => Err(raise(
            ErrorKind::TooMuchWork,
            "storing a variable went past the work budget",
            Some(at),
        )),
    }
}

struct Capture {
    at: usize,
    name: KString,
    body: Body,
}

pub(super) fn capture(
    head: Head,
    mut tokens: TagTokenIter<'_>,
    mut block: TagBlock<'_, '_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    let at = head.at;
    let name = target_name(
        &mut tokens,
        at,
        "expected a variable name after 'capture'",
        true,
    )?;
    nothing_more(&mut tokens, at)?;
    let (items, _) = body(&mut block, options, &[], false)?;
    block.assert_empty();
    Ok(Box::new(Capture {
        at,
        name: KString::from_string(name),
        body: Body::new(items, "capture"),
    }))
}

impl Renderable for Capture {
    fn render_to(&self, _writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let sh = shared(runtime);
        self.body.charge(&sh.budget, self.at)?;
        let text = render_capped(self.body.template(), runtime, sh.value_limit())
            .map_err(|e| locate(e, self.at))?;
        // The buffer grew by copying itself (the scope charges the variable's copy).
        sh.budget
            .charge(text.len() as u64, Site::Tag("capture"))
            .map_err(|e| locate(e, self.at))?;
        store(runtime, self.name.clone(), Value::scalar(text), self.at)
    }
}

struct Counter {
    at: usize,
    name: KString,
    step: i64,
}

fn counter(head: Head, mut tokens: TagTokenIter<'_>, step: i64) -> Result<Box<dyn Renderable>> {
    let at = head.at;
    let name = target_name(&mut tokens, at, "expected a variable name", true)?;
    nothing_more(&mut tokens, at)?;
    Ok(Box::new(Counter {
        at,
        name: KString::from_string(name),
        step,
    }))
}

pub(super) fn increment(
    head: Head,
    tokens: TagTokenIter<'_>,
    _options: &Language,
) -> Result<Box<dyn Renderable>> {
    counter(head, tokens, 1)
}

pub(super) fn decrement(
    head: Head,
    tokens: TagTokenIter<'_>,
    _options: &Language,
) -> Result<Box<dyn Renderable>> {
    counter(head, tokens, -1)
}

impl Renderable for Counter {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        // A counter is kept in a map by name.
        shared(runtime)
            .budget
            .charge(
                ITEM,
                Site::Tag(if self.step > 0 {
                    "increment"
                } else {
                    "decrement"
                }),
            )
            .map_err(|e| locate(e, self.at))?;
        let before = match runtime
            .get_index(&self.name)
            .as_ref()
            .map(|v| kind(v.as_view()))
        {
            Some(Kind::Int(n)) => n,
            _ => 0,
        };
        let after = before.saturating_add(self.step);
        runtime.set_index(self.name.clone(), Value::scalar(after));
        let shown = if self.step > 0 { before } else { after };
        emit(writer, &shown.to_string(), self.at)
    }
}

struct Cycle {
    at: usize,
    group: Option<FilterChain>,
    key: String,
    values: Vec<FilterChain>,
}

pub(super) fn cycle(
    head: Head,
    tokens: TagTokenIter<'_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    let at = head.at;
    let mut group = None;
    let mut values = Vec::new();
    let mut texts = Vec::new();
    let mut expect_value = true;
    for t in tokens {
        let text = t.as_str().to_owned();
        match text.as_str() {
            "," if !expect_value => expect_value = true,
            ":" if !expect_value && group.is_none() && values.len() == 1 => {
                group = values.pop();
                texts.clear();
                expect_value = true;
            }
            _ if expect_value => {
                values.push(chain(t, options, at)?);
                texts.push(text);
                expect_value = false;
            }
            _ => {
                return Err(syntax_error(
                    format!("unexpected '{}' in 'cycle'", shown(&text)),
                    at,
                ))
            }
        }
    }
    if values.is_empty() || expect_value {
        return Err(syntax_error("expected a value in 'cycle'", at));
    }
    Ok(Box::new(Cycle {
        at,
        group,
        key: texts.join(","),
        values,
    }))
}

impl Renderable for Cycle {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let sh = shared(runtime);
        // Its position is kept in a map by name (its values as written, for a cycle without one).
        sh.budget
            .charge(STEP + self.key.len() as u64, Site::Tag("cycle"))
            .map_err(|e| locate(e, self.at))?;
        let key = match &self.group {
            Some(g) => {
                let v = g.evaluate(runtime).map_err(|e| locate(e, self.at))?;
                let name =
                    printed(v.as_view(), false, &sh.budget).map_err(|e| locate(e, self.at))?;
                format!("named:{name}")
            }
            None => format!("list:{}", self.key),
        };
        let i = state(runtime)
            .cycles
            .get(key.as_str())
            .copied()
            .unwrap_or(0);
        if let Some(expr) = self.values.get(i) {
            let v = expr.evaluate(runtime).map_err(|e| locate(e, self.at))?;
            let text =
                printed(v.as_view(), sh.studio(), &sh.budget).map_err(|e| locate(e, self.at))?;
            emit(writer, &text, self.at)?;
        }
        let next = if i + 1 >= self.values.len() { 0 } else { i + 1 };
        state(runtime).cycles.insert(KString::from(key), next);
        Ok(())
    }
}

struct Stop(Interrupt);

pub(super) fn break_(
    head: Head,
    mut tokens: TagTokenIter<'_>,
    _options: &Language,
) -> Result<Box<dyn Renderable>> {
    nothing_more(&mut tokens, head.at)?;
    Ok(Box::new(Stop(Interrupt::Break)))
}

pub(super) fn continue_(
    head: Head,
    mut tokens: TagTokenIter<'_>,
    _options: &Language,
) -> Result<Box<dyn Renderable>> {
    nothing_more(&mut tokens, head.at)?;
    Ok(Box::new(Stop(Interrupt::Continue)))
}

impl Renderable for Stop {
    fn render_to(&self, _writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        runtime
            .registers()
            .get_mut::<InterruptRegister>()
            .set(self.0);
        Ok(())
    }
}

struct IfChanged {
    at: usize,
    body: Body,
}

pub(super) fn ifchanged(
    head: Head,
    mut tokens: TagTokenIter<'_>,
    mut block: TagBlock<'_, '_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    nothing_more(&mut tokens, head.at)?;
    let (items, _) = body(&mut block, options, &[], false)?;
    block.assert_empty();
    Ok(Box::new(IfChanged {
        at: head.at,
        body: Body::new(items, "ifchanged"),
    }))
}

impl Renderable for IfChanged {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let sh = shared(runtime);
        self.body.charge(&sh.budget, self.at)?;
        let text = render_capped(self.body.template(), runtime, sh.value_limit())
            .map_err(|e| locate(e, self.at))?;
        // Comparing with the last text, and keeping this one.
        sh.budget
            .charge(2 * text.len() as u64, Site::Tag("ifchanged"))
            .map_err(|e| locate(e, self.at))?;
        let changed = state(runtime).ifchanged.as_deref() != Some(text.as_str());
        if changed {
            emit(writer, &text, self.at)?;
            state(runtime).ifchanged = Some(text);
        }
        Ok(())
    }
}

/// Literal text that source preparation could not leave as plain text.
struct Raw(String);

pub(super) fn raw(
    _head: Head,
    tokens: TagTokenIter<'_>,
    _options: &Language,
) -> Result<Box<dyn Renderable>> {
    let mut text = String::new();
    for t in tokens {
        match t.expect_literal() {
            TryMatchToken::Matches(v) => text.push_str(&to_text(&v)),
            TryMatchToken::Fails(_) => return Err(syntax_error("malformed raw text", 0)),
        }
    }
    Ok(Box::new(Raw(text)))
}

impl Renderable for Raw {
    fn render_to(&self, writer: &mut dyn Write, _runtime: &dyn Runtime) -> Result<()> {
        emit_at(writer, &self.0, None)
    }
}

struct Nothing;

pub(super) fn comment(
    _head: Head,
    _tokens: TagTokenIter<'_>,
    _options: &Language,
) -> Result<Box<dyn Renderable>> {
    Ok(Box::new(Nothing))
}

impl Renderable for Nothing {
    fn render_to(&self, _writer: &mut dyn Write, _runtime: &dyn Runtime) -> Result<()> {
        Ok(())
    }
}
