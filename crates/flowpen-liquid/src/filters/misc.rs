//! `default`, `date`, `size`, `slice`, `to_json` and the internal `___range`.

use std::fmt::Write as _;

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
        let start = if start < 0 {
            len.saturating_add(start)
        } else {
            start
        };
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

/// Writes compact JSON of any value (objects keep insertion order when they have one).
pub(crate) fn write_json(out: &mut String, v: &dyn ValueView) {
    match kind(v) {
        Kind::Nil | Kind::Empty | Kind::Blank => out.push_str("null"),
        Kind::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Kind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Kind::Float(f) if f.is_finite() => {
            let _ = write!(
                out,
                "{}",
                serde_json::Number::from_f64(f).map_or_else(String::new, |n| n.to_string())
            );
        }
        Kind::Float(_) => out.push_str("null"),
        Kind::Str(s) => json_string(out, &s),
        Kind::Array(a) => {
            out.push('[');
            for (i, item) in a.values().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item);
            }
            out.push(']');
        }
        Kind::Object(o) => {
            out.push('{');
            for (i, (k, item)) in o.entries().into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, k.as_str());
                out.push(':');
                write_json(out, item);
            }
            out.push('}');
        }
    }
}

/// A JSON string literal, escaped by `serde_json` itself.
fn json_string(out: &mut String, s: &str) {
    out.push_str(&serde_json::Value::from(s).to_string());
}

pub(super) fn to_json(call: &Call<'_>) -> Result<Value> {
    let mut out = String::new();
    write_json(&mut out, call.input);
    Ok(string(out))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Val;

    #[test]
    fn json_matches_serde_json() {
        let v = serde_json::json!({"b": "q\"\\\n\u{1}é", "a": [1, 2.5, null, true, {"x": -0.0}], "n": 1e300});
        let mut out = String::new();
        write_json(&mut out, &Val::from_json(&v));
        assert_eq!(out, v.to_string());
    }
}
