//! `default`, `date`, `size`, `slice`, `to_json` and the internal `___range`.

use std::io::{self, Write as _};

use liquid_core::model::{Value, ValueView};
use liquid_core::Result;

use super::{int_arg, string, Call};
use crate::budget::{ITEM, MATCH};
use crate::date;
use crate::error::render_error;
use crate::runtime::MAX_RANGE_ITEMS;
use crate::value::{is_empty, kind, to_number, truthy, Kind, Num};

pub(super) fn default(call: &Call<'_>) -> Result<Value> {
    let allow_false = call.keyword("allow_false").is_some_and(truthy);
    let input = call.input;
    let use_default = match kind(input) {
        Kind::Nil => true,
        Kind::Bool(false) => !allow_false,
        _ => is_empty(input),
    };
    Ok(if use_default {
        match call.arg(0) {
            Some(v) => call.copy(v)?,
            None => string(""),
        }
    } else {
        call.copy(input)?
    })
}

/// Finding the date and its calendar fields (about 200 ns).
const DATE: u64 = 1024;

/// One conversion or literal of a format (a composite such as `%c` is one; about 60 ns).
const DATE_PIECE: u64 = 256;

pub(super) fn date(call: &Call<'_>) -> Result<Value> {
    let format = call.arg_text(0)?;
    if format.is_empty() || matches!(kind(call.input), Kind::Nil) {
        return call.copy(call.input);
    }
    let studio = call.shared.studio();
    let now = date::now(call.shared.now_ms, studio);
    let zoned = match kind(call.input) {
        Kind::Int(i) => date::from_unix(i, 0, studio),
        Kind::Str(s) => {
            // Parsing lowercases and splits the text.
            call.charge((s.len() as u64).saturating_mul(4))?;
            date::parse(&s, now, studio)
        }
        _ => None,
    };
    let Some(z) = zoned else {
        return call.copy(call.input);
    };
    // Reading the format; then every piece of the result is charged, and checked against the
    // value limit, before it is written (a width such as `%3000000000d` is refused before any
    // padding is). Studio does not say what a huge width does; here it ends the render.
    call.charge((format.len() as u64).saturating_add(DATE))?;
    let mut built = 0u64;
    let mut refused = None;
    let text = date::strftime(z, &format, &mut |bytes| {
        built = built.saturating_add(bytes as u64);
        let work = (bytes as u64).saturating_add(DATE_PIECE);
        match call.limit(built).and_then(|()| call.charge(work)) {
            Ok(()) => true,
            Err(e) => {
                refused.get_or_insert(e);
                false
            }
        }
    });
    match (text, refused) {
        (Some(text), _) => Ok(string(text)),
        (None, Some(e)) => Err(e),
        (None, None) => Err(render_error("date format refused")),
    }
}

pub(super) fn size(call: &Call<'_>) -> Result<Value> {
    Ok(Value::scalar(match kind(call.input) {
        Kind::Str(s) => {
            call.charge(s.len() as u64)?;
            s.chars().count() as i64
        }
        Kind::Array(a) => a.size(),
        Kind::Object(o) => o.size(),
        _ => 0,
    }))
}

pub(super) fn slice(call: &Call<'_>) -> Result<Value> {
    let start = int_arg(call, call.arg(0).unwrap_or(&Value::Nil))?;
    let length = match call.arg(1).filter(|v| !v.is_nil()) {
        Some(v) => int_arg(call, v)?,
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
        Kind::Array(a) => match range(a.size().max(0) as usize) {
            Some((s, e)) => {
                call.limit((e - s) as u64)?;
                let mut out = Vec::with_capacity(e - s);
                for i in s..e {
                    if let Some(v) = a.get(i as i64) {
                        out.push(call.copy(v)?);
                    }
                }
                Value::Array(out)
            }
            None => Value::Array(Vec::new()),
        },
        _ => {
            let text = call.text(call.input)?;
            // Counting characters and finding the slice read the text; the slice is a part of it.
            call.charge((text.len() as u64).saturating_mul(2))?;
            match range(text.chars().count()) {
                Some((s, e)) => string(text.chars().skip(s).take(e - s).collect::<String>()),
                None => string(""),
            }
        }
    })
}

/// Writes compact JSON of any value (objects keep insertion order when they have one). `grant` is
/// asked before every piece is written, with its length in bytes (at most, for a number); it stops
/// the writing by returning an error.
pub(crate) fn write_json(
    out: &mut Vec<u8>,
    v: &dyn ValueView,
    grant: &mut dyn FnMut(usize) -> Result<()>,
) -> Result<()> {
    // A number, a literal or a punctuation mark is at most this long.
    const SHORT: usize = 32;
    match kind(v) {
        Kind::Nil | Kind::Empty | Kind::Blank => {
            grant(SHORT)?;
            out.extend_from_slice(b"null");
        }
        Kind::Bool(b) => {
            grant(SHORT)?;
            out.extend_from_slice(if b { b"true" } else { b"false" });
        }
        Kind::Int(i) => {
            grant(SHORT)?;
            let _ = write!(out, "{i}");
        }
        Kind::Float(f) if f.is_finite() => {
            grant(SHORT)?;
            if let Some(n) = serde_json::Number::from_f64(f) {
                let _ = write!(out, "{n}");
            }
        }
        Kind::Float(_) => {
            grant(SHORT)?;
            out.extend_from_slice(b"null");
        }
        Kind::Str(s) => json_string(out, &s, grant)?,
        Kind::Array(a) => {
            grant(SHORT)?;
            out.push(b'[');
            for (i, item) in a.values().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json(out, item, grant)?;
            }
            out.push(b']');
        }
        Kind::Object(o) => {
            grant(SHORT.saturating_mul(o.size().max(0) as usize + 1))?;
            out.push(b'{');
            let mut first = true;
            o.try_for_each(|k, item| {
                if !first {
                    out.push(b',');
                }
                first = false;
                json_string(out, k, grant)?;
                out.push(b':');
                write_json(out, item, grant)
            })?;
            out.push(b'}');
        }
    }
    Ok(())
}

/// An output that asks `grant` before every write.
struct Granted<'a> {
    out: &'a mut Vec<u8>,
    grant: &'a mut dyn FnMut(usize) -> Result<()>,
    refused: Option<liquid_core::Error>,
}

impl io::Write for Granted<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match (self.grant)(buf.len()) {
            Ok(()) => {
                self.out.extend_from_slice(buf);
                Ok(buf.len())
            }
            Err(e) => {
                self.refused = Some(e);
                Err(io::Error::other("refused"))
            }
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A JSON string literal, escaped by `serde_json` itself, which writes it in pieces (runs of text,
/// escapes, quotes): each piece is granted before it is written.
fn json_string(
    out: &mut Vec<u8>,
    s: &str,
    grant: &mut dyn FnMut(usize) -> Result<()>,
) -> Result<()> {
    // Most strings need no escape (no `"`, `\\` or control character): written as they are, with
    // the grants serde_json's writer would ask for (the quotes, the text), at a fraction of its
    // cost (the npm package's `to_json` row in BENCHMARKS.md).
    if !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        grant(1)?;
        out.push(b'"');
        if !s.is_empty() {
            grant(s.len())?;
            out.extend_from_slice(s.as_bytes());
        }
        grant(1)?;
        out.push(b'"');
        return Ok(());
    }
    let mut w = Granted {
        out,
        grant,
        refused: None,
    };
    match serde_json::to_writer(&mut w, s) {
        Ok(()) => Ok(()),
        Err(_) => Err(w
            .refused
            .take()
            .unwrap_or_else(|| render_error("a string could not be written as JSON"))),
    }
}

pub(super) fn to_json(call: &Call<'_>) -> Result<Value> {
    // Most values written are a message or a few fields: one allocation instead of a doubling
    // series (a larger value still grows as it needs).
    let mut out = Vec::with_capacity(256);
    let mut built = 0u64;
    write_json(&mut out, call.input, &mut |bytes| {
        built = built.saturating_add(bytes as u64);
        call.limit(built)?;
        // Escaping reads the text and copies it; each piece is formatted and written on its own.
        call.charge((bytes as u64).saturating_mul(2).saturating_add(2 * MATCH))
    })?;
    // Every piece written is UTF-8 (a string's runs end at ASCII characters).
    Ok(string(String::from_utf8(out).unwrap_or_else(|e| {
        String::from_utf8_lossy(e.as_bytes()).into_owned()
    })))
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
    // An empty range when `b < a`; otherwise at most MAX_RANGE_ITEMS.
    let count = b.saturating_sub(a).saturating_add(1).max(0) as u64;
    call.limit(count)?;
    call.charge(count.saturating_mul(ITEM))?;
    Ok(Value::Array((a..=b).map(Value::scalar).collect()))
}

/// Ends an internal range chain so that a following `,` is not read as one of its arguments.
pub(super) fn identity(call: &Call<'_>) -> Result<Value> {
    call.copy(call.input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Val;

    #[test]
    fn json_matches_serde_json() {
        let v = serde_json::json!({"b": "q\"\\\n\u{1}é", "a": [1, 2.5, null, true, {"x": -0.0}], "n": 1e300});
        let mut out = Vec::new();
        write_json(&mut out, &Val::from_json(&v), &mut |_| Ok(())).expect("written");
        assert_eq!(String::from_utf8(out).expect("UTF-8"), v.to_string());
    }

    /// The fast path for strings without escapes writes and grants what serde_json's writer does.
    #[test]
    fn strings_are_written_and_granted_as_serde_json_does() {
        for s in [
            "",
            "a",
            "plain text é 🐶 </script>",
            "q\"",
            "back\\slash",
            "\u{1f}",
            "tab\t",
            "\u{7f}",
        ] {
            let mut fast = Vec::new();
            let mut fast_grants = Vec::new();
            json_string(&mut fast, s, &mut |n| {
                fast_grants.push(n);
                Ok(())
            })
            .expect("written");
            let mut slow = Vec::new();
            let mut slow_grants = Vec::new();
            let mut w = Granted {
                out: &mut slow,
                grant: &mut |n| {
                    slow_grants.push(n);
                    Ok(())
                },
                refused: None,
            };
            serde_json::to_writer(&mut w, s).expect("written");
            assert_eq!(fast, slow, "{s:?}");
            assert_eq!(fast_grants, slow_grants, "{s:?}");
        }
    }
}
