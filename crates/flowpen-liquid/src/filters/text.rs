//! String filters, including base64 (hand-written: no extra dependency).

use liquid_core::model::Value;
use liquid_core::Result;

use super::{string, to_integer, Call};
use crate::error::render_error;
use crate::value::{kind, to_text, Kind};

/// The input as text (nil is empty).
fn input(call: &Call<'_>) -> String {
    to_text(call.input)
}

fn arg_text(call: &Call<'_>, i: usize) -> String {
    call.arg(i).map(to_text).unwrap_or_default()
}

fn nil_passes(call: &Call<'_>) -> bool {
    matches!(kind(call.input), Kind::Nil)
}

/// Ruby's whitespace for `strip`.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\0')
}

pub(super) fn append(call: &Call<'_>) -> Result<Value> {
    Ok(string(input(call) + &arg_text(call, 0)))
}

pub(super) fn prepend(call: &Call<'_>) -> Result<Value> {
    Ok(string(arg_text(call, 0) + &input(call)))
}

pub(super) fn capitalize(call: &Call<'_>) -> Result<Value> {
    let s = input(call);
    let mut chars = s.chars();
    Ok(string(match chars.next() {
        Some(c) => c
            .to_uppercase()
            .chain(chars.as_str().to_lowercase().chars())
            .collect(),
        None => String::new(),
    }))
}

pub(super) fn downcase(call: &Call<'_>) -> Result<Value> {
    Ok(string(input(call).to_lowercase()))
}

pub(super) fn upcase(call: &Call<'_>) -> Result<Value> {
    Ok(string(input(call).to_uppercase()))
}

pub(super) fn strip(call: &Call<'_>) -> Result<Value> {
    Ok(string(input(call).trim_matches(is_space)))
}

pub(super) fn lstrip(call: &Call<'_>) -> Result<Value> {
    Ok(string(input(call).trim_start_matches(is_space)))
}

pub(super) fn rstrip(call: &Call<'_>) -> Result<Value> {
    Ok(string(input(call).trim_end_matches(is_space)))
}

pub(super) fn strip_newlines(call: &Call<'_>) -> Result<Value> {
    Ok(string(input(call).replace("\r\n", "").replace('\n', "")))
}

pub(super) fn newline_to_br(call: &Call<'_>) -> Result<Value> {
    Ok(string(
        input(call).replace("\r\n", "\n").replace('\n', "<br />\n"),
    ))
}

fn escape_char(out: &mut String, c: char) -> bool {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        _ => return false,
    }
    true
}

pub(super) fn escape(call: &Call<'_>) -> Result<Value> {
    if nil_passes(call) {
        return Ok(Value::Nil);
    }
    let s = input(call);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !escape_char(&mut out, c) {
            out.push(c);
        }
    }
    Ok(string(out))
}

pub(super) fn escape_once(call: &Call<'_>) -> Result<Value> {
    let s = input(call);
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if c == '&' && is_entity(&s[i + 1..]) {
            out.push('&');
        } else if !escape_char(&mut out, c) {
            out.push(c);
        }
    }
    Ok(string(out))
}

/// Whether text after `&` is an entity (`amp;`, `#39;`).
fn is_entity(rest: &str) -> bool {
    let Some(end) = rest.find(';') else {
        return false;
    };
    let name = &rest[..end];
    !name.is_empty()
        && (name.bytes().all(|b| b.is_ascii_alphabetic())
            || name
                .strip_prefix('#')
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())))
}

pub(super) fn url_encode(call: &Call<'_>) -> Result<Value> {
    if nil_passes(call) {
        return Ok(Value::Nil);
    }
    let s = input(call);
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Ok(string(out))
}

pub(super) fn url_decode(call: &Call<'_>) -> Result<Value> {
    if nil_passes(call) {
        return Ok(Value::Nil);
    }
    let s = input(call);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    Ok(string(String::from_utf8_lossy(&out).into_owned()))
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

pub(super) fn remove(call: &Call<'_>) -> Result<Value> {
    let pat = arg_text(call, 0);
    let s = input(call);
    Ok(string(if pat.is_empty() {
        s
    } else {
        s.replace(&pat, "")
    }))
}

pub(super) fn remove_first(call: &Call<'_>) -> Result<Value> {
    Ok(string(input(call).replacen(&arg_text(call, 0), "", 1)))
}

pub(super) fn remove_last(call: &Call<'_>) -> Result<Value> {
    Ok(string(replace_last_of(
        &input(call),
        &arg_text(call, 0),
        "",
    )))
}

pub(super) fn replace(call: &Call<'_>) -> Result<Value> {
    let (s, pat, with) = (input(call), arg_text(call, 0), arg_text(call, 1));
    Ok(string(if pat.is_empty() {
        // Ruby's gsub with an empty pattern inserts between every character.
        let mut out = with.clone();
        for c in s.chars() {
            out.push(c);
            out.push_str(&with);
        }
        out
    } else {
        s.replace(&pat, &with)
    }))
}

pub(super) fn replace_first(call: &Call<'_>) -> Result<Value> {
    let (s, pat, with) = (input(call), arg_text(call, 0), arg_text(call, 1));
    Ok(string(s.replacen(&pat, &with, 1)))
}

pub(super) fn replace_last(call: &Call<'_>) -> Result<Value> {
    let (s, pat, with) = (input(call), arg_text(call, 0), arg_text(call, 1));
    Ok(string(replace_last_of(&s, &pat, &with)))
}

fn replace_last_of(s: &str, pat: &str, with: &str) -> String {
    match s.rfind(pat) {
        Some(i) => format!("{}{with}{}", &s[..i], &s[i + pat.len()..]),
        None => s.to_owned(),
    }
}

/// Ruby's `String#split` (a single space splits on runs of whitespace; an empty pattern splits into
/// characters; trailing empty strings are dropped).
pub(crate) fn ruby_split(s: &str, pat: &str) -> Vec<String> {
    let mut parts: Vec<String> = if pat == " " {
        s.split(|c: char| c.is_ascii_whitespace())
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect()
    } else if pat.is_empty() {
        s.chars().map(String::from).collect()
    } else {
        s.split(pat).map(str::to_owned).collect()
    };
    while parts.last().is_some_and(String::is_empty) {
        parts.pop();
    }
    parts
}

pub(super) fn split(call: &Call<'_>) -> Result<Value> {
    let pat = arg_text(call, 0);
    Ok(Value::Array(
        ruby_split(&input(call), &pat)
            .into_iter()
            .map(string)
            .collect(),
    ))
}

pub(super) fn truncate(call: &Call<'_>) -> Result<Value> {
    if nil_passes(call) {
        return Ok(Value::Nil);
    }
    let s = input(call);
    let length = match call.arg(0) {
        Some(v) => to_integer(v)?,
        None => 50,
    };
    let ellipsis = match call.arg(1) {
        Some(v) => to_text(v),
        None => "...".to_owned(),
    };
    let n = s.chars().count() as i64;
    if n <= length {
        return Ok(string(s));
    }
    let keep = length
        .saturating_sub(ellipsis.chars().count() as i64)
        .max(0) as usize;
    Ok(string(s.chars().take(keep).collect::<String>() + &ellipsis))
}

pub(super) fn truncatewords(call: &Call<'_>) -> Result<Value> {
    if nil_passes(call) {
        return Ok(Value::Nil);
    }
    let s = input(call);
    let words = match call.arg(0) {
        Some(v) => to_integer(v)?,
        None => 15,
    }
    .max(1) as usize;
    let ellipsis = match call.arg(1) {
        Some(v) => to_text(v),
        None => "...".to_owned(),
    };
    let list: Vec<&str> = s
        .split(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    if list.len() <= words {
        return Ok(string(s));
    }
    Ok(string(list[..words].join(" ") + &ellipsis))
}

pub(super) fn strip_html(call: &Call<'_>) -> Result<Value> {
    let mut s = input(call);
    for (open, close) in [
        ("<script", "</script>"),
        ("<!--", "-->"),
        ("<style", "</style>"),
    ] {
        s = remove_between(&s, open, close);
    }
    Ok(string(remove_between(&s, "<", ">")))
}

/// Removes every `open…close` span (shortest match), like a non-greedy regex.
fn remove_between(s: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        match rest[i + open.len()..].find(close) {
            Some(j) => {
                out.push_str(&rest[..i]);
                rest = &rest[i + open.len() + j + close.len()..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub(crate) fn base64_encode_with(bytes: &[u8], alphabet: &[u8; 64]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(alphabet[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes base64 (padding optional); `None` when the text is not base64 of `alphabet`.
pub(crate) fn base64_decode_with(text: &str, alphabet: &[u8; 64]) -> Option<Vec<u8>> {
    let t = text.trim_end_matches('=');
    if text.len() - t.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(t.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in t.bytes() {
        let v = alphabet.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A lone 6-bit group cannot encode a byte.
    if t.len() % 4 == 1 {
        return None;
    }
    Some(out)
}

fn decoded(call: &Call<'_>, alphabet: &[u8; 64]) -> Result<Value> {
    let bytes = base64_decode_with(&input(call), alphabet)
        .ok_or_else(|| render_error("invalid base64 provided to base64_decode"))?;
    Ok(string(String::from_utf8_lossy(&bytes).into_owned()))
}

pub(super) fn base64_encode(call: &Call<'_>) -> Result<Value> {
    Ok(string(base64_encode_with(input(call).as_bytes(), STANDARD)))
}

pub(super) fn base64_decode(call: &Call<'_>) -> Result<Value> {
    decoded(call, STANDARD)
}

pub(super) fn base64_url_safe_encode(call: &Call<'_>) -> Result<Value> {
    Ok(string(base64_encode_with(input(call).as_bytes(), URL_SAFE)))
}

pub(super) fn base64_url_safe_decode(call: &Call<'_>) -> Result<Value> {
    decoded(call, URL_SAFE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar", "héllo?>"] {
            let enc = base64_encode_with(text.as_bytes(), STANDARD);
            assert_eq!(
                base64_decode_with(&enc, STANDARD).as_deref(),
                Some(text.as_bytes())
            );
        }
        assert_eq!(base64_encode_with(b"foobar", STANDARD), "Zm9vYmFy");
        assert_eq!(base64_encode_with(b"fo", STANDARD), "Zm8=");
        assert_eq!(
            base64_decode_with("Zm8", STANDARD).as_deref(),
            Some(&b"fo"[..])
        );
        assert_eq!(base64_decode_with("!!", STANDARD), None);
    }

    #[test]
    fn split_follows_ruby() {
        assert_eq!(ruby_split("  a  b ", " "), ["a", "b"]);
        assert_eq!(ruby_split("a,b,,", ","), ["a", "b"]);
        assert_eq!(ruby_split("ab", ""), ["a", "b"]);
    }
}
