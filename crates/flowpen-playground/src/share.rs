//! Share links: the whole project (the flow, its Functions and environment variables) in the
//! fragment of the page's URL, `#share=1.<base64url of the compact project file>`.
//!
//! The project is the project file that Export project writes ([`project::project_json`]),
//! printed compactly and encoded as base64url (RFC 4648 §5, without padding), so the link is plain
//! ASCII that needs no percent-encoding. A browser never sends a URL's fragment to a server.
//! Opening a link reads it back with [`project::parse_document`], so a link can also hold a plain
//! Studio flow.
//!
//! Pure: no browser APIs. The shell reads `location.hash`, dispatches it, and clears it
//! (`hooks::share`). Every broken link gives a [`ShareError`] that says what is wrong; nothing
//! here panics.

use std::fmt;

use flowpen_flow::json::{self, ParseError};

use crate::project::{self, Document, ProjectRef};

/// What a share fragment starts with (after the `#`).
pub(crate) const PREFIX: &str = "share=";

/// The link format this Flowpen writes and reads (`share=1.`).
pub(crate) const FORMAT: &str = "1";

/// Links longer than this many characters get a warning: some chat apps and browsers cut long
/// links short.
pub const LONG: usize = 100_000;

/// The fragment (without the `#`) that holds the project.
pub fn fragment(project: ProjectRef<'_>) -> String {
    let text = project::project_json(project).to_compact();
    format!("{PREFIX}{FORMAT}.{}", encode(text.as_bytes()))
}

/// The share link: the page's URL without its own fragment, then `#` and `fragment`.
pub fn link(page_url: &str, fragment: &str) -> String {
    let base = page_url.split('#').next().unwrap_or_default();
    format!("{base}#{fragment}")
}

/// Whether a link is long enough to warn about (see [`LONG`]).
pub fn is_long(link: &str) -> bool {
    link.len() > LONG
}

/// Whether a URL fragment (`location.hash`, with or without its `#`) is meant as a share link.
/// Other fragments are not Flowpen's business and are left alone.
pub fn is_share_fragment(hash: &str) -> bool {
    hash.strip_prefix('#').unwrap_or(hash).starts_with(PREFIX)
}

/// Why a share link could not be opened.
#[derive(Clone, Debug, PartialEq)]
pub enum ShareError {
    /// The fragment does not start with `share=`.
    NotShare,
    /// `share=` is not followed by a format number and a dot.
    NoFormat,
    /// A link format this Flowpen does not read (the number, shortened).
    Format(String),
    /// Nothing after `share=1.`.
    Empty,
    /// A character that is not base64url, at this position (0-based, in characters) of the data.
    Base64Char { index: usize, found: char },
    /// The data has a length that no base64url text has.
    Base64Length(usize),
    /// The data is not UTF-8 text (the first bad byte is at `at`).
    Utf8 { at: usize },
    /// The text is not JSON.
    Json(ParseError),
    /// JSON, but neither a project file nor a Studio flow.
    NotProject(ParseError),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotShare => write!(f, "it does not start with #{PREFIX}"),
            ShareError::NoFormat => write!(
                f,
                "it does not say its format (a share link continues with #{PREFIX}{FORMAT}.)"
            ),
            ShareError::Format(v) => write!(
                f,
                "it is a format {v} link, and this Flowpen reads format {FORMAT} links only"
            ),
            ShareError::Empty => write!(f, "it holds nothing after #{PREFIX}{FORMAT}."),
            ShareError::Base64Char { index, found } => write!(
                f,
                "character {} of its data, \"{}\", is not base64url (A-Z a-z 0-9 - _): the link was altered",
                index + 1,
                found.escape_debug()
            ),
            ShareError::Base64Length(n) => write!(
                f,
                "its data has {n} characters, a length base64url never has: the link was cut short"
            ),
            ShareError::Utf8 { at } => write!(
                f,
                "its data is not UTF-8 text (byte {}): the link was cut short or altered",
                at + 1
            ),
            ShareError::Json(e) => write!(
                f,
                "its data is not JSON (line {}, column {}: {}): the link was cut short or altered",
                e.line, e.column, e.message
            ),
            ShareError::NotProject(e) => write!(
                f,
                "it holds no Flowpen project or Studio flow ({} at {})",
                e.message, e.path
            ),
        }
    }
}

impl std::error::Error for ShareError {}

/// Reads a share fragment (`location.hash`, with or without its `#`): the project (or a plain
/// Studio flow) it holds.
pub fn decode(hash: &str) -> Result<Document, ShareError> {
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    let rest = fragment.strip_prefix(PREFIX).ok_or(ShareError::NotShare)?;
    let (format, data) = rest.split_once('.').ok_or(ShareError::NoFormat)?;
    if format.is_empty() || !format.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShareError::NoFormat);
    }
    if format != FORMAT {
        return Err(ShareError::Format(shorten(format, 12)));
    }
    if data.is_empty() {
        return Err(ShareError::Empty);
    }
    let bytes = decode_base64url(data)?;
    let text = String::from_utf8(bytes).map_err(|e| ShareError::Utf8 {
        at: e.utf8_error().valid_up_to(),
    })?;
    json::parse(&text).map_err(ShareError::Json)?;
    project::parse_document(&text).map_err(ShareError::NotProject)
}

/// At most `max` characters of `s`, with `…` when cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// The base64url alphabet (RFC 4648 §5): `-` and `_` instead of `+` and `/`.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes bytes as base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        // One byte gives two characters, two give three, three give four.
        for i in 0..=chunk.len() {
            let six = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[six as usize]));
        }
    }
    out
}

/// The value of a base64url character.
fn sextet(c: char) -> Option<u32> {
    let v = match c {
        'A'..='Z' => u32::from(c) - u32::from('A'),
        'a'..='z' => u32::from(c) - u32::from('a') + 26,
        '0'..='9' => u32::from(c) - u32::from('0') + 52,
        '-' => 62,
        '_' => 63,
        _ => return None,
    };
    Some(v)
}

/// Decodes base64url; padding (`=` at the end) is optional. Bits left over after the last whole
/// byte are ignored.
pub fn decode_base64url(text: &str) -> Result<Vec<u8>, ShareError> {
    let unpadded = text
        .strip_suffix("==")
        .or_else(|| text.strip_suffix('='))
        .unwrap_or(text);
    let mut out = Vec::with_capacity(unpadded.len() / 4 * 3 + 2);
    let (mut acc, mut bits, mut count) = (0u32, 0u32, 0usize);
    for (index, found) in unpadded.chars().enumerate() {
        let v = sextet(found).ok_or(ShareError::Base64Char { index, found })?;
        acc = ((acc << 6) | v) & 0xFFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xFF) as u8);
        }
        count += 1;
    }
    if count % 4 == 1 {
        return Err(ShareError::Base64Length(count));
    }
    Ok(out)
}
