//! A lossless JSON value: object members keep their input order (duplicates included), numbers keep
//! their exact text (`3600` and `3600.0` stay distinct), and the printer writes what Studio's
//! "Export JSON" writes (`JSON.stringify(value, null, 2)`).
//!
//! The parser never panics: nesting is bounded and every error carries a line, a column and the
//! JSONPath-like location (`$.states[3].name`) of the offending value.

use std::fmt;

/// Deepest nesting accepted by [`parse`]; deeper documents are rejected instead of overflowing the stack.
pub const MAX_DEPTH: usize = 200;

/// A JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number exactly as written in the source (always valid JSON number syntax).
    Number(Number),
    String(String),
    Array(Vec<Json>),
    Object(Object),
}

/// A JSON number kept as its source text, so that a round trip never changes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number(String);

/// A JSON object whose members keep their order; duplicate keys are kept (lookups see the last one,
/// as `JSON.parse` does).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object(Vec<(String, Json)>);

/// Why a document could not be parsed, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line of the offending character.
    pub line: usize,
    /// 1-based column (in characters) of the offending character.
    pub column: usize,
    /// Location of the value being read, like `$.states[3].properties`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {} (at {}): {}",
            self.line, self.column, self.path, self.message
        )
    }
}

impl std::error::Error for ParseError {}

impl Number {
    /// Makes a number from an integer.
    pub fn from_i64(n: i64) -> Number {
        Number(n.to_string())
    }

    /// Makes a number from a float; `None` for NaN and infinities, which JSON cannot hold.
    pub fn from_f64(n: f64) -> Option<Number> {
        n.is_finite().then(|| {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                // Whole numbers print without a fraction, as JSON.stringify does.
                Number(format!("{}", n as i64))
            } else {
                Number(format!("{n}"))
            }
        })
    }

    /// Checks `text` against the JSON number grammar.
    pub fn parse(text: &str) -> Option<Number> {
        let b = text.as_bytes();
        let mut i = 0;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => return None,
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        (i == b.len()).then(|| Number(text.to_owned()))
    }

    /// The source text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as a float (may lose precision for huge integers).
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// The value as an integer, when it is written as one and fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Object {
    pub fn new() -> Object {
        Object(Vec::new())
    }

    /// The value of the last member named `key`.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of the last member named `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        self.0
            .iter_mut()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Position of the last member named `key`.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.0.iter().rposition(|(k, _)| k == key)
    }

    /// The string value of `key`, if it is a string.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Json::as_str)
    }

    /// Sets `key`: replaces the value in place when the key exists (its position is kept),
    /// otherwise appends it. Returns the previous value.
    pub fn set(&mut self, key: &str, value: Json) -> Option<Json> {
        match self.get_mut(key) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => {
                self.0.push((key.to_owned(), value));
                None
            }
        }
    }

    /// Inserts a member at `index` (clamped to the length).
    pub fn insert(&mut self, index: usize, key: &str, value: Json) {
        let index = index.min(self.0.len());
        self.0.insert(index, (key.to_owned(), value));
    }

    /// Removes the last member named `key`; returns its position and value.
    pub fn remove(&mut self, key: &str) -> Option<(usize, Json)> {
        let idx = self.position(key)?;
        Some((idx, self.0.remove(idx).1))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Members in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Members in order, values mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&str, &mut Json)> {
        self.0.iter_mut().map(|(k, v)| (k.as_str(), v))
    }

    /// Member keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl FromIterator<(String, Json)> for Object {
    fn from_iter<I: IntoIterator<Item = (String, Json)>>(iter: I) -> Object {
        Object(iter.into_iter().collect())
    }
}

impl Json {
    pub fn str(s: impl Into<String>) -> Json {
        Json::String(s.into())
    }

    pub fn int(n: i64) -> Json {
        Json::Number(Number::from_i64(n))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Object> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Json>> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Json>> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    /// A short name of the value's kind, for messages ("a string", "an object", …).
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// A number, or a string holding one (Studio writes `"timeout": "3600"` and `3600` alike).
    pub fn as_number_lenient(&self) -> Option<f64> {
        match self {
            Json::Number(n) => Some(n.as_f64()),
            Json::String(s) => s.trim().parse().ok().filter(|n: &f64| n.is_finite()),
            _ => None,
        }
    }

    /// Pretty JSON as Studio exports it: 2-space indent, `"key": value`, `[]`/`{}` when empty.
    /// No trailing newline.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        write_pretty(&mut out, self, 0);
        out
    }

    /// Compact JSON (no whitespace).
    pub fn to_compact(&self) -> String {
        let mut out = String::new();
        write_compact(&mut out, self);
        out
    }

    /// Converts to a `serde_json` value (numbers become i64/u64/f64; order is kept).
    pub fn to_serde(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => {
                let t = n.as_str();
                t.parse::<i64>()
                    .map(Value::from)
                    .or_else(|_| t.parse::<u64>().map(Value::from))
                    .unwrap_or_else(|_| {
                        serde_json::Number::from_f64(n.as_f64()).map_or(Value::Null, Value::Number)
                    })
            }
            Json::String(s) => Value::String(s.clone()),
            Json::Array(a) => Value::Array(a.iter().map(Json::to_serde).collect()),
            Json::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (k.to_owned(), v.to_serde()))
                    .collect(),
            ),
        }
    }

    /// Converts from a `serde_json` value.
    pub fn from_serde(v: &serde_json::Value) -> Json {
        use serde_json::Value;
        match v {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(Number(n.to_string())),
            Value::String(s) => Json::String(s.clone()),
            Value::Array(a) => Json::Array(a.iter().map(Json::from_serde).collect()),
            Value::Object(o) => Json::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), Json::from_serde(v)))
                    .collect(),
            ),
        }
    }
}

fn write_indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_pretty(out: &mut String, v: &Json, depth: usize) {
    match v {
        Json::Array(a) if !a.is_empty() => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_indent(out, depth + 1);
                write_pretty(out, item, depth + 1);
            }
            write_indent(out, depth);
            out.push(']');
        }
        Json::Object(o) if !o.is_empty() => {
            out.push('{');
            for (i, (k, item)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_indent(out, depth + 1);
                write_string(out, k);
                out.push_str(": ");
                write_pretty(out, item, depth + 1);
            }
            write_indent(out, depth);
            out.push('}');
        }
        other => write_compact(out, other),
    }
}

fn write_compact(out: &mut String, v: &Json) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(n.as_str()),
        Json::String(s) => write_string(out, s),
        Json::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(out, item);
            }
            out.push(']');
        }
        Json::Object(o) => {
            out.push('{');
            for (i, (k, item)) in o.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_compact(out, item);
            }
            out.push('}');
        }
    }
}

/// Writes a JSON string literal with the escapes JSON.stringify uses.
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// One step of a location inside a document.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Formats a location as `$.states[3].properties` (keys that are not plain words are quoted).
pub fn path_string(path: &[Seg]) -> String {
    let mut out = String::from("$");
    for seg in path {
        match seg {
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            Seg::Key(k)
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') =>
            {
                out.push('.');
                out.push_str(k);
            }
            Seg::Key(k) => {
                out.push('[');
                write_string(&mut out, k);
                out.push(']');
            }
        }
    }
    out
}

/// Parses a JSON document (RFC 8259; a leading byte-order mark is accepted).
pub fn parse(src: &str) -> Result<Json, ParseError> {
    let mut p = Parser {
        src: src.as_bytes(),
        pos: 0,
        path: Vec::new(),
        target: None,
        found: None,
    };
    if src.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.skip_ws();
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos < p.src.len() {
        return Err(p.error("unexpected text after the end of the document"));
    }
    Ok(v)
}

/// The 1-based line and column where the value at `path` starts in `src`, if the document is
/// readable up to there. Used to point import errors at the right place without keeping positions
/// for every value.
pub fn locate(src: &str, path: &[Seg]) -> Option<(usize, usize)> {
    let mut p = Parser {
        src: src.as_bytes(),
        pos: 0,
        path: Vec::new(),
        target: Some(path),
        found: None,
    };
    if src.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.skip_ws();
    let _ = p.value(0);
    p.found.map(|pos| line_col(src.as_bytes(), pos))
}

fn line_col(src: &[u8], pos: usize) -> (usize, usize) {
    let pos = pos.min(src.len());
    let before = &src[..pos];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Columns count characters, not bytes: skip UTF-8 continuation bytes.
    let column = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count()
        + 1;
    (line, column)
}

struct Parser<'a, 't> {
    src: &'a [u8],
    pos: usize,
    path: Vec<Seg>,
    target: Option<&'t [Seg]>,
    found: Option<usize>,
}

impl Parser<'_, '_> {
    fn error(&self, message: impl Into<String>) -> ParseError {
        let (line, column) = line_col(self.src, self.pos);
        ParseError {
            line,
            column,
            path: path_string(&self.path),
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn describe_here(&self) -> String {
        match std::str::from_utf8(&self.src[self.pos..])
            .ok()
            .and_then(|s| s.chars().next())
        {
            None if self.pos >= self.src.len() => "the end of the document".to_owned(),
            None => "an invalid byte".to_owned(),
            Some(c) if c.is_control() => format!("character U+{:04X}", c as u32),
            Some(c) => format!("'{c}'"),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        if self.found.is_none() && self.target.is_some_and(|t| t == self.path.as_slice()) {
            self.found = Some(self.pos);
        }
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error(format!("expected a value, found {}", self.describe_here()))),
        }
    }

    fn literal(&mut self, word: &str, v: Json) -> Result<Json, ParseError> {
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.error(format!("expected a value, found {}", self.describe_here())))
        }
    }

    fn number(&mut self) -> Result<Json, ParseError> {
        let start = self.pos;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.pos += 1;
        }
        // Only ASCII bytes were consumed, so this slice is valid UTF-8.
        let text = std::str::from_utf8(&self.src[start..self.pos]).unwrap_or_default();
        Number::parse(text).map(Json::Number).ok_or_else(|| {
            self.pos = start;
            self.error(format!("invalid number '{text}'"))
        })
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.pos;
        self.pos += 1; // the opening quote
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            match std::str::from_utf8(&self.src[run_start..self.pos]) {
                Ok(s) => out.push_str(s),
                Err(e) => {
                    self.pos = run_start + e.valid_up_to();
                    return Err(self.error("invalid UTF-8 in a string"));
                }
            }
            match self.peek() {
                None => {
                    self.pos = open;
                    return Err(self.error("unterminated string"));
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.peek();
                    self.pos += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        _ => {
                            self.pos -= 1;
                            return Err(self.error(format!(
                                "invalid escape in a string: \\{}",
                                self.describe_here()
                            )));
                        }
                    }
                }
                Some(_) => {
                    return Err(self.error(format!(
                        "unescaped control character ({}) in a string",
                        self.describe_here()
                    )))
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self.src.get(self.pos..self.pos + 4).unwrap_or_default();
        let text = std::str::from_utf8(digits).unwrap_or_default();
        if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error("invalid \\u escape: expected 4 hex digits"));
        }
        self.pos += 4;
        Ok(u32::from_str_radix(text, 16).unwrap_or(0))
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let hi = self.hex4()?;
        if (0xD800..0xDC00).contains(&hi) {
            if self.src[self.pos..].starts_with(b"\\u") {
                self.pos += 2;
                let lo = self.hex4()?;
                if (0xDC00..0xE000).contains(&lo) {
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return char::from_u32(c).ok_or_else(|| self.error("invalid \\u escape"));
                }
            }
            return Err(self.error("unpaired surrogate in a \\u escape"));
        }
        char::from_u32(hi).ok_or_else(|| self.error("unpaired surrogate in a \\u escape"))
    }

    fn array(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_ws();
            self.path.push(Seg::Index(items.len()));
            let item = self.value(depth + 1)?;
            self.path.pop();
            items.push(item);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => {
                    return Err(self.error(format!(
                        "expected ',' or ']' in an array, found {}",
                        self.describe_here()
                    )))
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, ParseError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(Object(members)));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error(format!(
                    "expected a member name in double quotes, found {}",
                    self.describe_here()
                )));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error(format!(
                    "expected ':' after the member name \"{key}\", found {}",
                    self.describe_here()
                )));
            }
            self.pos += 1;
            self.skip_ws();
            self.path.push(Seg::Key(key.clone()));
            let item = self.value(depth + 1)?;
            self.path.pop();
            members.push((key, item));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(Object(members)));
                }
                _ => {
                    return Err(self.error(format!(
                        "expected ',' or '}}' in an object, found {}",
                        self.describe_here()
                    )))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{locate, parse, Json, Number, Seg};

    #[test]
    fn round_trips_order_numbers_and_escapes() {
        let src = r#"{
  "b": 1,
  "a": "3600",
  "n": [
    1.50,
    -0,
    2e10,
    1E+2
  ],
  "s": "tab\tquote\"back\\slash\u0001é",
  "e": [],
  "o": {},
  "b": true
}"#;
        let v = parse(src).unwrap();
        assert_eq!(v.to_pretty(), src);
        assert_eq!(v.as_object().unwrap().get("b"), Some(&Json::Bool(true)));
    }

    #[test]
    fn errors_have_line_column_and_path() {
        let e = parse("{\n  \"states\": [\n    {\"name\": \"a\",}\n  ]\n}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 18));
        assert_eq!(e.path, "$.states[0]");
        assert!(e.message.contains("member name"), "{e}");
        let e = parse("[1, 2").unwrap_err();
        assert!(e.message.contains("end of the document"), "{e}");
        assert!(parse("01").is_err());
        assert!(parse("\"\\ud800\"").is_err());
        assert_eq!(parse("\"\\ud83d\\ude00\"").unwrap(), Json::str("😀"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn locate_finds_values() {
        let src = "{\"states\": [\n  {\"name\": 5}\n]}";
        let path = [
            Seg::Key("states".into()),
            Seg::Index(0),
            Seg::Key("name".into()),
        ];
        assert_eq!(locate(src, &path), Some((2, 12)));
    }

    #[test]
    fn numbers_follow_the_grammar() {
        for ok in ["0", "-0", "1.5", "1e5", "-12.5E-3"] {
            assert!(Number::parse(ok).is_some(), "{ok}");
        }
        for bad in ["", "-", "01", "1.", ".5", "1e", "+1", "1.5.5"] {
            assert!(Number::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(Number::from_f64(3.0).unwrap().as_str(), "3");
        assert_eq!(Number::from_f64(2.5).unwrap().as_str(), "2.5");
    }
}
