//! `include` (shares the caller's variables) and `render` (isolated), for partial templates given
//! to `Liquid::with_partials`. Studio has no partials, so there they fail with "no partial".

use std::io::Write;
use std::rc::Rc;

use liquid_core::error::Result;
use liquid_core::model::{KString, ValueCow, ValueView};
use liquid_core::parser::{FilterChain, TagTokenIter};
use liquid_core::{Language, Renderable, Runtime};

use super::{chain, name, next_chain, shown, Head};
use crate::budget::{units, Site, ITEM};
use crate::error::{locate, payload, raise, render_error, syntax_error, ErrorKind};
use crate::runtime::{shared, Frame, LoopInfo, Scope, Slot, MAX_PARTIAL_DEPTH};
use crate::value::{kind, to_text, Kind, Val};
use crate::Compiled;

debug_by_name!(Partial);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bind {
    None,
    With,
    For,
}

struct Partial {
    at: usize,
    isolated: bool,
    name: FilterChain,
    /// The partial's name as written, when it is a string literal (for the default variable name).
    literal: Option<String>,
    bind: Bind,
    value: Option<FilterChain>,
    alias: Option<KString>,
    args: Vec<(KString, FilterChain)>,
}

fn parse(
    head: Head,
    mut tokens: TagTokenIter<'_>,
    options: &Language,
    isolated: bool,
) -> Result<Box<dyn Renderable>> {
    let at = head.at;
    let tag = if isolated { "render" } else { "include" };
    let first = tokens
        .next()
        .ok_or_else(|| syntax_error(format!("expected a template name after '{tag}'"), at))?;
    let text = first.as_str().to_owned();
    let literal = (text.starts_with('\'') || text.starts_with('"'))
        .then(|| text[1..text.len() - 1].to_owned());
    if isolated && literal.is_none() {
        return Err(syntax_error("'render' expects a quoted template name", at));
    }
    let name_expr = chain(first, options, at)?;
    let mut partial = Partial {
        at,
        isolated,
        name: name_expr,
        literal,
        bind: Bind::None,
        value: None,
        alias: None,
        args: Vec::new(),
    };
    let mut pending: Option<String> = None;
    while let Some(t) = tokens.next() {
        let word = t.as_str().to_owned();
        if let Some(key) = pending.take() {
            if word != ":" {
                return Err(syntax_error(format!("expected ':' after '{key}'"), at));
            }
            let value = next_chain(&mut tokens, options, at, "a value")?;
            partial.args.push((KString::from_string(key), value));
            continue;
        }
        match word.as_str() {
            "," => {}
            "with" | "for" if partial.bind == Bind::None && partial.args.is_empty() => {
                partial.bind = if word == "with" {
                    Bind::With
                } else {
                    Bind::For
                };
                partial.value = Some(next_chain(&mut tokens, options, at, "a value")?);
            }
            "as" if partial.bind != Bind::None && partial.alias.is_none() => {
                let alias = tokens
                    .next()
                    .ok_or_else(|| syntax_error("expected a name after 'as'", at))?;
                let alias = name(&alias, false)
                    .ok_or_else(|| syntax_error("expected a name after 'as'", at))?;
                partial.alias = Some(KString::from_string(alias));
            }
            _ => match name(&t, false) {
                Some(key) => pending = Some(key),
                None => {
                    return Err(syntax_error(
                        format!("unexpected '{}' in '{tag}'", shown(&word)),
                        at,
                    ))
                }
            },
        }
    }
    if let Some(key) = pending {
        return Err(syntax_error(format!("expected ':' after '{key}'"), at));
    }
    Ok(Box::new(partial))
}

pub(super) fn include(
    head: Head,
    tokens: TagTokenIter<'_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    parse(head, tokens, options, false)
}

pub(super) fn render(
    head: Head,
    tokens: TagTokenIter<'_>,
    options: &Language,
) -> Result<Box<dyn Renderable>> {
    parse(head, tokens, options, true)
}

/// Gives errors from inside a partial the position of the tag that rendered it.
fn relocate(err: liquid_core::Error, at: usize, partial: &str) -> liquid_core::Error {
    match payload(&err) {
        Some(p) => raise(p.kind, format!("in '{partial}': {}", p.message), Some(at)),
        None => locate(err, at),
    }
}

impl Partial {
    fn load(&self, runtime: &dyn Runtime) -> Result<(String, Rc<Compiled>)> {
        let name = self.name.evaluate(runtime)?;
        let sh = shared(runtime);
        sh.budget
            .meter(Site::Tag(if self.isolated { "render" } else { "include" }))
            .value(name.as_view())?;
        let name = to_text(name.as_view());
        let loaded = sh.partials.as_ref().and_then(|p| p.load(&name));
        match loaded {
            Some(Ok(compiled)) => Ok((name, compiled)),
            Some(Err(e)) => Err(raise(
                ErrorKind::Render,
                format!("in '{name}': {}", e.message),
                None,
            )),
            None => Err(render_error(format!("no partial named '{name}'"))),
        }
    }

    /// The variable that `with`/`for` binds.
    fn var_name(&self, name: &str) -> KString {
        match &self.alias {
            Some(a) => a.clone(),
            None => {
                let base = self.literal.as_deref().unwrap_or(name);
                let base = base.rsplit('/').next().unwrap_or(base);
                KString::from_ref(base.split('.').next().unwrap_or(base))
            }
        }
    }

    fn run(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let (name, compiled) = self.load(runtime)?;
        let args = self
            .args
            .iter()
            .map(|(k, e)| Ok((k.clone(), e.evaluate(runtime)?)))
            .collect::<Result<Vec<(KString, ValueCow<'_>)>>>()?;
        let bound = match &self.value {
            Some(e) => Some(e.evaluate(runtime)?),
            None => None,
        };
        let var = self.var_name(&name);
        let sh = shared(runtime);
        let tag = if self.isolated { "render" } else { "include" };
        let m = sh.budget.meter(Site::Tag(tag));
        // `for` over an array renders once per item; anything else renders once.
        let items: Vec<Option<&dyn ValueView>> = match (&bound, self.bind) {
            (Some(v), Bind::For) => match kind(v.as_view()) {
                Kind::Array(a) => {
                    m.take(units(a.size().max(0) as usize, ITEM))?;
                    a.values().map(Some).collect()
                }
                _ => vec![Some(v.as_view())],
            },
            (Some(v), _) => vec![Some(v.as_view())],
            (None, _) => vec![None],
        };
        let n = items.len();
        let loop_name: Rc<str> = Rc::from(name.as_str());
        for (i, item) in items.into_iter().enumerate() {
            sh.tick(tag)?;
            let res = if self.isolated {
                // The partial gets copies of its variables.
                for (_, v) in &args {
                    m.value(v.as_view())?;
                }
                if let Some(item) = item {
                    m.value(item)?;
                }
                let mut vars: Vec<(KString, Val)> = args
                    .iter()
                    .map(|(k, v)| (k.clone(), Val::from_view(v.as_view())))
                    .collect();
                if let Some(item) = item {
                    vars.push((var.clone(), Val::from_view(item)));
                }
                let scope = Scope::isolated(vars, Rc::clone(&sh));
                if self.bind == Bind::For {
                    let info = LoopInfo::forloop(&loop_name, i, n, None).detached();
                    let frame = Frame::new(
                        &scope,
                        vec![(KString::from_static("forloop"), Slot::Loop(info))],
                        &sh.budget,
                    );
                    compiled.render_to(writer, &frame, &sh.budget)
                } else {
                    compiled.render_to(writer, &scope, &sh.budget)
                }
            } else {
                let mut vars: Vec<(KString, Slot<'_>)> = args
                    .iter()
                    .map(|(k, v)| (k.clone(), Slot::View(v.as_view())))
                    .collect();
                if let Some(item) = item {
                    vars.push((var.clone(), Slot::View(item)));
                }
                compiled.render_to(writer, &Frame::new(runtime, vars, &sh.budget), &sh.budget)
            };
            res.map_err(|e| relocate(e, self.at, &name))?;
        }
        Ok(())
    }
}

impl Renderable for Partial {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let sh = shared(runtime);
        sh.cursor.set(self.at);
        let depth = sh.partial_depth.get();
        if depth >= MAX_PARTIAL_DEPTH {
            return Err(raise(
                ErrorKind::Render,
                "partials are nested too deeply",
                Some(self.at),
            ));
        }
        sh.partial_depth.set(depth + 1);
        let res = self.run(writer, runtime);
        sh.partial_depth.set(depth);
        res.map_err(|e| locate(e, self.at))
    }
}
