//! Typed template errors with a 1-based line and column in the template the user wrote.
//!
//! Errors travel through liquid-core as `liquid_core::Error`. Ours carry a [`Payload`] as their
//! cause (kind, message and, once known, the byte offset in the original template), so the message
//! and position survive liquid-core's wrapping. Errors raised by liquid-core itself (pest syntax
//! errors, a few runtime checks) are recognised by their text and cleaned up.

use std::error::Error as StdError;
use std::fmt;

/// What went wrong, broadly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The template cannot be parsed.
    Syntax,
    /// The template parsed but failed while rendering.
    Render,
    /// Rendering produced more output than the configured limit (or a value larger than the
    /// value limit).
    OutputTooLarge,
    /// The render would go past its work budget (see `Config::work_limit`).
    TooMuchWork,
}

/// A template error: what, a lowercase message without a trailing period, and where (1-based line
/// and column, in characters, of the template as written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub kind: ErrorKind,
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Render => "render error",
            ErrorKind::OutputTooLarge => "output too large",
            ErrorKind::TooMuchWork => "too much work",
        };
        write!(
            f,
            "{what} at {}:{}: {}",
            self.line, self.column, self.message
        )
    }
}

impl StdError for TemplateError {}

impl TemplateError {
    /// An error at byte `offset` of `source`.
    pub(crate) fn at(
        kind: ErrorKind,
        message: impl Into<String>,
        source: &str,
        offset: usize,
    ) -> Self {
        let (line, column) = line_col(source, offset);
        TemplateError {
            kind,
            message: message.into(),
            line,
            column,
        }
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `source`.
pub(crate) fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Our error data, attached to a `liquid_core::Error` as its cause.
#[derive(Clone, Debug)]
pub(crate) struct Payload {
    pub kind: ErrorKind,
    pub message: String,
    /// Byte offset in the original template, once a tag has claimed the error.
    pub offset: Option<usize>,
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for Payload {}

/// Wraps a [`Payload`] so that `liquid_core::Error::source` (which returns its cause's source)
/// hands the payload back.
#[derive(Clone, Debug)]
struct Carrier(Payload);

impl fmt::Display for Carrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl StdError for Carrier {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

/// A liquid-core error carrying our payload.
pub(crate) fn raise(
    kind: ErrorKind,
    message: impl Into<String>,
    offset: Option<usize>,
) -> liquid_core::Error {
    let payload = Payload {
        kind,
        message: message.into(),
        offset,
    };
    liquid_core::Error::with_msg(payload.message.clone()).cause(Carrier(payload))
}

/// A render error without a position yet (the enclosing tag adds it).
pub(crate) fn render_error(message: impl Into<String>) -> liquid_core::Error {
    raise(ErrorKind::Render, message, None)
}

/// A syntax error at a known offset of the original template.
pub(crate) fn syntax_error(message: impl Into<String>, offset: usize) -> liquid_core::Error {
    raise(ErrorKind::Syntax, message, Some(offset))
}

/// The payload of an error, if it is ours.
pub(crate) fn payload(err: &liquid_core::Error) -> Option<&Payload> {
    err.source().and_then(|s| s.downcast_ref::<Payload>())
}

/// Gives an error without a position the offset of the tag it passed through.
pub(crate) fn locate(err: liquid_core::Error, offset: usize) -> liquid_core::Error {
    match payload(&err) {
        Some(p) if p.offset.is_some() => err,
        Some(p) => raise(p.kind, p.message.clone(), Some(offset)),
        None => raise(ErrorKind::Render, clean_message(&err), Some(offset)),
    }
}

/// A readable, lowercase, single-line message from a liquid-core error we did not raise.
pub(crate) fn clean_message(err: &liquid_core::Error) -> String {
    let text = err.to_string();
    // Pest errors put the useful part on a line starting with "= ".
    let message = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let first = text.lines().next().unwrap_or("");
            first.strip_prefix("liquid: ").unwrap_or(first).to_owned()
        });
    tidy(&message)
}

/// Lowercases the first letter and drops a trailing period.
pub(crate) fn tidy(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    let mut chars = message.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "error".to_owned(),
    }
}

/// The `line:col` position pest prints in an error (`--> 3:14`), in the text pest parsed.
pub(crate) fn pest_position(err: &liquid_core::Error) -> Option<(usize, usize)> {
    let text = err.to_string();
    let arrow = text.find("--> ")?;
    let rest = &text[arrow + 4..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let (line, col) = rest[..end].split_once(':')?;
    Some((line.parse().ok()?, col.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_survives_liquid_wrapping() {
        let err = render_error("divided by zero")
            .trace("Filter error")
            .context("filter", "x");
        let p = payload(&err).expect("payload");
        assert_eq!(p.message, "divided by zero");
        let located = locate(err, 7);
        assert_eq!(payload(&located).and_then(|p| p.offset), Some(7));
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_col("ab\ncdé{{", 7), (2, 4));
        assert_eq!(line_col("", 0), (1, 1));
    }
}
