//! Text for the terminal: what a flow, a response or a file says never reaches it raw. Control
//! characters (escape sequences, carriage returns, bells…) and the Unicode controls that reorder
//! text (bidirectional overrides and isolates) are printed as visible escapes like `\u{1b}`; line
//! breaks stay, so multi-line messages read as they were written.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character escaped visibly (`\u{1b}`), line breaks kept.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A message of the flow for a `> ` line: escaped, with its later lines indented so that they
/// cannot be mistaken for lines of their own.
pub fn message(text: &str) -> String {
    visible(text).replace('\n', "\n  ")
}

#[cfg(test)]
mod tests {
    use super::{message, visible};

    #[test]
    fn control_characters_are_escaped_and_line_breaks_kept() {
        assert_eq!(visible("plain text, é ✓"), "plain text, é ✓");
        assert_eq!(visible("\u{1b}[2Jcleared\u{7}"), "\\u{1b}[2Jcleared\\u{7}");
        assert_eq!(visible("a\r\nb\tc"), "a\\u{d}\nb\\u{9}c");
        assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(message("line one\nline two"), "line one\n  line two");
    }
}
