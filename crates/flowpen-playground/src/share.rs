//! Share links: the whole project (the flow, its Functions and environment variables, subflows
//! and tests) in the fragment of the page's URL. A browser never sends a URL's fragment to a
//! server.
//!
//! - `#share=2.<data>` opens the project for editing, `#view=2.<data>` read-only (canvas and
//!   simulator; *Fork* makes an editable copy).
//! - Format 2 (written): the project file ([`project::project_json`]) in its packed form
//!   (`pack`: columns of names, types, transitions, offsets and properties, with what Flowpen can
//!   recompute left out), compact, deflated with a preset dictionary of Studio's vocabulary
//!   (`codec::DICTIONARY`), followed by a 3-byte check, in base64url. Lossless: the link opens the
//!   exact project.
//! - Format 1 (read): `#share=1.<base64url of the compact project file>`, what earlier versions
//!   wrote.
//!
//! Environment variables travel by name only unless the sharer includes their values
//! ([`Options::include_env_values`]).
//!
//! Reading is bounded: the data is at most [`MAX_DATA`] characters and inflates to at most
//! [`MAX_TEXT`] bytes (decompression stops there). Every broken link gives a [`ShareError`] that
//! says what is wrong; nothing here panics.
//!
//! Pure: no browser APIs. The shell reads `location.hash`, dispatches it, and clears it
//! (`hooks::share`).

mod codec;
mod pack;

use std::fmt;

use flowpen_flow::json::{self, ParseError};

use crate::project::{self, Document, FunctionsProject, ProjectRef};

pub use codec::{encode, DICTIONARY};

/// What an editable share fragment starts with (after the `#`).
pub(crate) const PREFIX: &str = "share=";
/// What a read-only share fragment starts with.
pub(crate) const VIEW_PREFIX: &str = "view=";

/// The link format this Flowpen writes.
pub const FORMAT: u32 = 2;

/// Links longer than this many characters get a warning: chat apps, some sites and proxies cut or
/// refuse links past a few thousand characters.
pub const LONG: usize = 8_000;

/// The most characters of data a link may hold (Chromium's limit for a whole URL is 2 MB).
pub const MAX_DATA: usize = 2_000_000;

/// The most bytes a format 2 link's text may inflate to.
pub const MAX_TEXT: usize = 4 * 1024 * 1024;

/// How a link opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `#share=…`: the project replaces the current one, editable.
    Edit,
    /// `#view=…`: read-only, the current project untouched; *Fork* makes an editable copy.
    View,
}

impl LinkKind {
    fn prefix(self) -> &'static str {
        match self {
            LinkKind::Edit => PREFIX,
            LinkKind::View => VIEW_PREFIX,
        }
    }
}

/// What goes into a link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Environment variables keep their values (otherwise only their names travel).
    pub include_env_values: bool,
}

/// A project too large for a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLarge {
    /// The size of its text in bytes.
    pub bytes: usize,
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the project is too large for a link ({} MB; a link holds at most {} MB): Export project writes it as a file",
            self.bytes.div_ceil(1024 * 1024),
            MAX_TEXT / (1024 * 1024)
        )
    }
}

/// The project as a link carries it: environment values emptied unless included.
fn shared_functions(functions: &FunctionsProject, options: Options) -> FunctionsProject {
    let mut f = functions.clone();
    if !options.include_env_values {
        for (_, value) in &mut f.env {
            value.clear();
        }
    }
    f
}

/// The text format 2 compresses: the packed project file, compact.
pub fn packed_text(project: ProjectRef<'_>, options: Options) -> String {
    let functions = shared_functions(project.functions, options);
    let project = ProjectRef {
        functions: &functions,
        ..project
    };
    pack::pack(&project::project_json(project)).to_compact()
}

/// The fragment (without the `#`) that holds the project, in format 2.
pub fn fragment(
    project: ProjectRef<'_>,
    kind: LinkKind,
    options: Options,
) -> Result<String, TooLarge> {
    let text = packed_text(project, options);
    if text.len() > MAX_TEXT {
        return Err(TooLarge { bytes: text.len() });
    }
    let data = codec::deflate(text.as_bytes());
    Ok(format!("{}{FORMAT}.{}", kind.prefix(), encode(&data)))
}

/// The fragment of format 1 (what earlier versions wrote), for tests and comparisons.
pub fn fragment_v1(project: ProjectRef<'_>) -> String {
    let text = project::project_json(project).to_compact();
    format!("{PREFIX}1.{}", encode(text.as_bytes()))
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

/// Whether a URL fragment (`location.hash`, with or without its `#`) is meant as a share link
/// (`share=…` or `view=…`). Other fragments are not Flowpen's business and are left alone.
pub fn is_share_fragment(hash: &str) -> bool {
    let f = hash.strip_prefix('#').unwrap_or(hash);
    f.starts_with(PREFIX) || f.starts_with(VIEW_PREFIX)
}

/// Decodes base64url; padding (`=` at the end) is optional. Bits left over after the last whole
/// byte are ignored.
pub fn decode_base64url(text: &str) -> Result<Vec<u8>, ShareError> {
    codec::decode(text).map_err(|e| match e {
        codec::Base64Error::Char { index, found } => ShareError::Base64Char { index, found },
        codec::Base64Error::Length(n) => ShareError::Base64Length(n),
    })
}

/// Why a share link could not be opened.
#[derive(Clone, Debug, PartialEq)]
pub enum ShareError {
    /// The fragment does not start with `share=` or `view=`.
    NotShare,
    /// `share=` is not followed by a format number and a dot.
    NoFormat,
    /// A link format this Flowpen does not read (the number, shortened).
    Format(String),
    /// Nothing after `share=2.`.
    Empty,
    /// More data than a link may hold.
    TooLong { chars: usize },
    /// A character that is not base64url, at this position (0-based, in characters) of the data.
    Base64Char { index: usize, found: char },
    /// The data has a length that no base64url text has.
    Base64Length(usize),
    /// The compressed data ends too soon.
    Truncated,
    /// The compressed data is not valid.
    Corrupt,
    /// The data would inflate past [`MAX_TEXT`].
    TooLarge,
    /// The data inflates, but its check does not match.
    Check,
    /// The data is not UTF-8 text (the first bad byte is at `at`).
    Utf8 { at: usize },
    /// The text is not JSON.
    Json(ParseError),
    /// JSON, but its packed states do not fit together (only a link made by hand can do that:
    /// the check covers the text).
    Packed,
    /// JSON, but neither a project file nor a Studio flow.
    NotProject(ParseError),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotShare => write!(f, "it does not start with #{PREFIX} or #{VIEW_PREFIX}"),
            ShareError::NoFormat => write!(
                f,
                "it does not say its format (a share link continues with #{PREFIX}{FORMAT}.)"
            ),
            ShareError::Format(v) => write!(
                f,
                "it is a format {v} link, and this Flowpen reads format 1 and {FORMAT} links only"
            ),
            ShareError::Empty => write!(f, "it holds nothing after the format"),
            ShareError::TooLong { chars } => write!(
                f,
                "its data has {chars} characters, more than a link may hold ({MAX_DATA})"
            ),
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
            ShareError::Truncated => write!(f, "its data ends too soon: the link was cut short"),
            ShareError::Corrupt => write!(
                f,
                "its data is not a compressed Flowpen project: the link was altered"
            ),
            ShareError::TooLarge => write!(
                f,
                "its data expands to more than {} MB, more than any shared project",
                MAX_TEXT / (1024 * 1024)
            ),
            ShareError::Check => write!(
                f,
                "its data does not match its check: the link was altered"
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
            ShareError::Packed => write!(
                f,
                "its data is not a Flowpen project (the packed widgets do not fit together): the link was altered"
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

/// What a link holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub kind: LinkKind,
    /// The link's format (1 or 2).
    pub format: u32,
    /// The project (or a plain Studio flow).
    pub document: Document,
}

/// Reads a share fragment (`location.hash`, with or without its `#`).
pub fn decode(hash: &str) -> Result<Shared, ShareError> {
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    let (kind, rest) = if let Some(rest) = fragment.strip_prefix(PREFIX) {
        (LinkKind::Edit, rest)
    } else if let Some(rest) = fragment.strip_prefix(VIEW_PREFIX) {
        (LinkKind::View, rest)
    } else {
        return Err(ShareError::NotShare);
    };
    let (format, data) = rest.split_once('.').ok_or(ShareError::NoFormat)?;
    if format.is_empty() || !format.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShareError::NoFormat);
    }
    let format = match format {
        "1" => 1,
        "2" => 2,
        other => return Err(ShareError::Format(shorten(other, 12))),
    };
    if data.is_empty() {
        return Err(ShareError::Empty);
    }
    if data.len() > MAX_DATA {
        return Err(ShareError::TooLong {
            chars: data.chars().count(),
        });
    }
    let bytes = decode_base64url(data)?;
    let (doc, text) = match format {
        1 => {
            let text = utf8(bytes)?;
            (json::parse(&text).map_err(ShareError::Json)?, text)
        }
        _ => {
            let text = codec::inflate(&bytes, MAX_TEXT).map_err(|e| match e {
                codec::InflateError::Truncated => ShareError::Truncated,
                codec::InflateError::Corrupt => ShareError::Corrupt,
                codec::InflateError::TooLarge { .. } => ShareError::TooLarge,
                codec::InflateError::Check => ShareError::Check,
            })?;
            let packed = json::parse(&utf8(text)?).map_err(ShareError::Json)?;
            let doc = pack::unpack(packed).ok_or(ShareError::Packed)?;
            let text = doc.to_compact();
            (doc, text)
        }
    };
    let document = project::document_from_json(doc, &text).map_err(ShareError::NotProject)?;
    Ok(Shared {
        kind,
        format,
        document,
    })
}

fn utf8(bytes: Vec<u8>) -> Result<String, ShareError> {
    String::from_utf8(bytes).map_err(|e| ShareError::Utf8 {
        at: e.utf8_error().valid_up_to(),
    })
}

/// At most `max` characters of `s`, with `…` when cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}
