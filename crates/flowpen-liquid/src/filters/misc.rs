//! `default`, `date`, `size`, `slice`, `to_json` and the internal `___range`.

use liquid_core::model::{Value, ValueView};
use liquid_core::Result;

use super::{string, to_integer, Call};
use crate::date;
use crate::error::render_error;
use crate::runtime::MAX_RANGE_ITEMS;
use crate::value::{is_empty, kind, to_number, to_text, truthy, Kind, Num};

pub(super) fn default(call: &Call<'_>) -> Result<Value> {
    let allow_false = call.keyword("allow_false").is_some_and(truthy);
    let input = call.input;
    let use_default = match kind(input) {
        Kind::Nil => true,
        Kind::Bool(false) => !allow_false,
        _ => is_empty(input),
    };
    Ok(if use_default {
        call.arg(0).map_or_else(|| string(""), |v| v.to_value())
    } else {
        input.to_value()
    })
}

pub(super) fn date(call: &Call<'_>) -> Result<Value> {
    let format = call.arg(0).map(to_text).unwrap_or_default();
    if format.is_empty() || matches!(kind(call.input), Kind::Nil) {
        return Ok(call.input.to_value());
    }
    let shared = call.shared();
    let studio = shared.studio();
    let now = date::now(shared.now_ms, studio);
    let zoned = match kind(call.input) {
        Kind::Int(i) => date::from_unix(i, 0, studio),
        Kind::Str(s) => date::parse(&s, now, studio),
        _ => None,
    };
    Ok(match zoned {
        Some(z) => string(date::strftime(z, &format)),
        None => call.input.to_value(),
    })
}

pub(super) fn size(call: &Call<'_>) -> Result<Value> {
    Ok(Value::scalar(match kind(call.input) {
        Kind::Str(s) => s.chars().count() as i64,
        Kind::Array(a) => a.size(),
        Kind::Object(o) => o.size(),
        _ => 0,
    }))
}

pub(super) fn slice(call: &Call<'_>) -> Result<Value> {
    let start = to_integer(call.arg(0).unwrap_or(&Value::Nil))?;
    let length = match call.arg(1).filter(|v| !v.is_nil()) {
        Some(v) => to_integer(v)?,
        None => 1,
    };
    let range = |len: usize| -> Option<(usize, usize)> {
        let len = len as i64;
        let start = if start < 0 { len + start } else { start };
        if start < 0 || start > len || length < 0 {
            return None;
        }
        let end = start.saturating_add(length).min(len);
        Some((start as usize, end as usize))
    };
    Ok(match kind(call.input) {
        Kind::Array(a) => {
            let items: Vec<&dyn ValueView> = a.values().collect();
            match range(items.len()) {
                Some((s, e)) => Value::Array(items[s..e].iter().map(|v| v.to_value()).collect()),
                None => Value::Array(Vec::new()),
            }
        }
        _ => {
            let text = to_text(call.input);
            let chars: Vec<char> = text.chars().collect();
            match range(chars.len()) {
                Some((s, e)) => string(chars[s..e].iter().collect::<String>()),
                None => string(""),
            }
        }
    })
}

/// JSON of any value (objects keep insertion order when they have one).
pub(crate) fn json(v: &dyn ValueView) -> serde_json::Value {
    match kind(v) {
        Kind::Nil | Kind::Empty | Kind::Blank => serde_json::Value::Null,
        Kind::Bool(b) => serde_json::Value::Bool(b),
        Kind::Int(i) => serde_json::Value::from(i),
        Kind::Float(f) => serde_json::Number::from_f64(f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Kind::Str(s) => serde_json::Value::String(s.into_owned()),
        Kind::Array(a) => serde_json::Value::Array(a.values().map(json).collect()),
        Kind::Object(o) => serde_json::Value::Object(
            o.entries()
                .into_iter()
                .map(|(k, v)| (k.as_str().to_owned(), json(v)))
                .collect(),
        ),
    }
}

pub(super) fn to_json(call: &Call<'_>) -> Result<Value> {
    Ok(string(json(call.input).to_string()))
}

/// `(a..b)` outside a `for` loop: the array of integers from `a` to `b`.
pub(super) fn range(call: &Call<'_>) -> Result<Value> {
    let bound = |i: usize| -> i64 {
        match call.arg(i).map(to_number) {
            Some(Num::Int(n)) => n,
            Some(Num::Float(f)) => f as i64,
            None => 0,
        }
    };
    let (a, b) = (bound(0), bound(1));
    if b.saturating_sub(a) >= MAX_RANGE_ITEMS {
        return Err(render_error(format!("range ({a}..{b}) is too large")));
    }
    Ok(Value::Array((a..=b).map(Value::scalar).collect()))
}

/// Ends an internal range chain so that a following `,` is not read as one of its arguments.
pub(super) fn identity(call: &Call<'_>) -> Result<Value> {
    Ok(call.input.to_value())
}
