//! Filters, registered through liquid-core's `ParseFilter` extension point.
//!
//! Every filter is a plain function over a [`Call`] (input, evaluated arguments, the runtime) with
//! Ruby Liquid's semantics; [`Def`] adapts it to liquid-core. Arity is declared once and checked
//! by source preparation, which reports the error at the filter's position.
//!
//! Every call is charged [`STEP`], and every filter charges the render's budget for the work it
//! is about to do on its input and arguments ([`Call::charge`], [`Call::limit`] for the size of
//! what it builds, [`Call::copy`], [`Call::text`]) before doing it.

mod array;
mod math;
mod misc;
mod text;

use std::borrow::Cow;
use std::fmt;

use liquid_core::model::{Value, ValueCow, ValueView};
use liquid_core::parser::{FilterArguments, ParameterReflection};
use liquid_core::runtime::Expression;
use liquid_core::{Filter, FilterReflection, Language, ParseFilter, Result, Runtime};

use crate::budget::{Meter, Site, STEP};
use crate::error::{raise, render_error, ErrorKind};
use crate::runtime::{shared, Shared};
use crate::source::Arity;
use crate::value::{kind, to_text, Kind};

/// A filter's arguments, evaluated.
pub(crate) struct Call<'a> {
    pub name: &'static str,
    pub input: &'a dyn ValueView,
    pub args: &'a [ValueCow<'a>],
    pub keywords: &'a [(&'static str, ValueCow<'a>)],
    pub shared: &'a Shared,
}

impl<'a> Call<'a> {
    /// Positional argument `i`, if given.
    pub fn arg(&self, i: usize) -> Option<&dyn ValueView> {
        self.args.get(i).map(|v| v.as_view())
    }

    pub fn keyword(&self, name: &str) -> Option<&dyn ValueView> {
        self.keywords
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_view())
    }

    /// A meter charging the render's budget for this filter.
    pub fn meter(&self) -> Meter<'a> {
        self.shared.budget.meter(Site::Filter(self.name))
    }

    /// Charges `units` of work about to be done.
    pub fn charge(&self, units: u64) -> Result<()> {
        self.shared.budget.charge(units, Site::Filter(self.name))
    }

    /// Checks the size of a value about to be built (bytes of a string, items of an array)
    /// against the render's value limit (Studio: 64 times the output limit).
    pub fn limit(&self, size: u64) -> Result<()> {
        match self.shared.value_limit() {
            Some(limit) if size > limit as u64 => Err(too_large(self.name, limit)),
            _ => Ok(()),
        }
    }

    /// A copy of `v` (the filter's result), charged first.
    pub fn copy(&self, v: &dyn ValueView) -> Result<Value> {
        self.meter().value(v)?;
        Ok(v.to_value())
    }

    /// `v` as text: a string as it is, anything else printed (nil is empty), after charging the
    /// work of printing it. Reading the text is the filter's to charge.
    pub fn text<'v>(&self, v: &'v dyn ValueView) -> Result<Cow<'v, str>> {
        Ok(match kind(v) {
            Kind::Str(s) => s,
            Kind::Nil | Kind::Empty | Kind::Blank => Cow::Borrowed(""),
            Kind::Array(_) | Kind::Object(_) => {
                self.meter().value(v)?;
                Cow::Owned(to_text(v))
            }
            _ => Cow::Owned(to_text(v)),
        })
    }

    /// Positional argument `i` as text (missing is empty), see [`Call::text`].
    pub fn arg_text(&self, i: usize) -> Result<Cow<'_, str>> {
        match self.arg(i) {
            Some(v) => self.text(v),
            None => Ok(Cow::Borrowed("")),
        }
    }
}

fn too_large(name: &str, limit: usize) -> liquid_core::Error {
    raise(
        ErrorKind::OutputTooLarge,
        format!("'{name}' made a value larger than {limit}"),
        None,
    )
}

type Run = fn(&Call<'_>) -> Result<Value>;

/// A filter definition.
#[derive(Clone)]
pub(crate) struct Def {
    pub name: &'static str,
    pub arity: Arity,
    pub run: Run,
}

const fn def(name: &'static str, min: usize, max: usize, run: Run) -> Def {
    Def {
        name,
        arity: Arity {
            min,
            max,
            keywords: &[],
        },
        run,
    }
}

/// Every filter. Names starting with `___` are internal (emitted by source preparation only).
pub(crate) fn all() -> Vec<Def> {
    let mut defs = vec![
        def("abs", 0, 0, math::abs),
        def("at_least", 1, 1, math::at_least),
        def("at_most", 1, 1, math::at_most),
        def("ceil", 0, 0, math::ceil),
        def("divided_by", 1, 1, math::divided_by),
        def("floor", 0, 0, math::floor),
        def("minus", 1, 1, math::minus),
        def("modulo", 1, 1, math::modulo),
        def("plus", 1, 1, math::plus),
        def("round", 0, 1, math::round),
        def("times", 1, 1, math::times),
        def("append", 1, 1, text::append),
        def("base64_decode", 0, 0, text::base64_decode),
        def("base64_encode", 0, 0, text::base64_encode),
        def("base64_url_safe_decode", 0, 0, text::base64_url_safe_decode),
        def("base64_url_safe_encode", 0, 0, text::base64_url_safe_encode),
        def("capitalize", 0, 0, text::capitalize),
        def("downcase", 0, 0, text::downcase),
        def("escape", 0, 0, text::escape),
        def("escape_once", 0, 0, text::escape_once),
        def("lstrip", 0, 0, text::lstrip),
        def("newline_to_br", 0, 0, text::newline_to_br),
        def("prepend", 1, 1, text::prepend),
        def("remove", 1, 1, text::remove),
        def("remove_first", 1, 1, text::remove_first),
        def("remove_last", 1, 1, text::remove_last),
        def("replace", 1, 2, text::replace),
        def("replace_first", 1, 2, text::replace_first),
        def("replace_last", 2, 2, text::replace_last),
        def("rstrip", 0, 0, text::rstrip),
        def("split", 1, 1, text::split),
        def("strip", 0, 0, text::strip),
        def("strip_html", 0, 0, text::strip_html),
        def("strip_newlines", 0, 0, text::strip_newlines),
        def("truncate", 0, 2, text::truncate),
        def("truncatewords", 0, 2, text::truncatewords),
        def("upcase", 0, 0, text::upcase),
        def("url_decode", 0, 0, text::url_decode),
        def("url_encode", 0, 0, text::url_encode),
        def("compact", 0, 1, array::compact),
        def("concat", 1, 1, array::concat),
        def("find", 1, 2, array::find),
        def("find_index", 1, 2, array::find_index),
        def("first", 0, 0, array::first),
        def("has", 1, 2, array::has),
        def("join", 0, 1, array::join),
        def("last", 0, 0, array::last),
        def("map", 1, 1, array::map),
        def("reject", 1, 2, array::reject),
        def("reverse", 0, 0, array::reverse),
        def("sort", 0, 1, array::sort),
        def("sort_natural", 0, 1, array::sort_natural),
        def("sum", 0, 1, array::sum),
        def("uniq", 0, 1, array::uniq),
        def("where", 1, 2, array::where_),
        def("date", 1, 1, misc::date),
        def("size", 0, 0, misc::size),
        def("slice", 1, 2, misc::slice),
        def("to_json", 0, 0, misc::to_json),
        def("___range", 2, 2, misc::range),
        def("___end", 0, 0, misc::identity),
    ];
    defs.push(Def {
        arity: Arity {
            min: 0,
            max: 1,
            keywords: &["allow_false"],
        },
        ..def("default", 0, 1, misc::default)
    });
    defs
}

/// Registers every filter.
pub(crate) fn register(language: &mut Language) {
    for d in all() {
        language.filters.register(d.name.to_owned(), Box::new(d));
    }
}

/// The arity of a public filter.
pub(crate) fn arity(defs: &[Def], name: &str) -> Option<Arity> {
    if name.starts_with("___") {
        return None;
    }
    defs.iter().find(|d| d.name == name).map(|d| d.arity)
}

impl FilterReflection for Def {
    fn name(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        ""
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for Def {
    fn parse(&self, arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        let positional: Vec<Expression> = arguments.positional.collect();
        let mut keywords = Vec::new();
        for (key, expr) in arguments.keyword {
            let Some(known) = self.arity.keywords.iter().find(|k| **k == key) else {
                return Err(render_error(format!(
                    "'{}' has no argument named '{key}'",
                    self.name
                )));
            };
            keywords.push((*known, expr));
        }
        if positional.len() < self.arity.min || positional.len() > self.arity.max {
            return Err(render_error(format!(
                "wrong number of arguments for '{}'",
                self.name
            )));
        }
        Ok(Box::new(Bound {
            name: self.name,
            run: self.run,
            positional,
            keywords,
        }))
    }

    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

/// A filter with its argument expressions.
struct Bound {
    name: &'static str,
    run: Run,
    positional: Vec<Expression>,
    keywords: Vec<(&'static str, Expression)>,
}

impl fmt::Debug for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// Values larger than this are checked against the render's value limit.
const CHECK_SIZE_FROM: usize = 16 * 1024;

impl Filter for Bound {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let sh = shared(runtime);
        sh.budget.charge(STEP, Site::Filter(self.name))?;
        let args = self
            .positional
            .iter()
            .map(|e| e.evaluate(runtime))
            .collect::<Result<Vec<_>>>()?;
        let keywords = self
            .keywords
            .iter()
            .map(|(k, e)| Ok((*k, e.evaluate(runtime)?)))
            .collect::<Result<Vec<_>>>()?;
        let call = Call {
            name: self.name,
            input,
            args: &args,
            keywords: &keywords,
            shared: &sh,
        };
        let out = (self.run)(&call)?;
        // Filters check the size of what they build before building it; this catches what grew
        // past its estimate (case mapping).
        let size = match kind(&out) {
            Kind::Str(s) => s.len(),
            Kind::Array(a) => a.size() as usize,
            _ => 0,
        };
        if size > CHECK_SIZE_FROM {
            call.limit(size as u64)?;
        }
        Ok(out)
    }
}

/// Ruby Liquid's `Utils.to_integer`: an integer, or a string that is one, else an error.
pub(crate) fn to_integer(v: &dyn ValueView) -> Result<i64> {
    match kind(v) {
        Kind::Int(i) => Ok(i),
        Kind::Str(s) => {
            let t = s.trim().replace('_', "");
            t.parse::<i64>()
                .map_err(|_| render_error("invalid integer"))
        }
        _ => Err(render_error("invalid integer")),
    }
}

/// [`to_integer`] of a filter's argument, charging the work of reading a string first.
pub(crate) fn int_arg(call: &Call<'_>, v: &dyn ValueView) -> Result<i64> {
    if let Kind::Str(s) = kind(v) {
        call.charge(s.len() as u64)?;
    }
    to_integer(v)
}

/// A string value.
pub(crate) fn string(s: impl Into<String>) -> Value {
    Value::scalar(s.into())
}
