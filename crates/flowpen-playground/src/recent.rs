//! Recent projects: the last few projects the user had, so that opening something never costs
//! the current one. Whenever a project replaces the current one (Open…, New, an example, a share
//! link, a recent project, another tab's version), the reducer hands the outgoing project to the
//! shell as an [`Outgoing`]; the shell stamps the time and keeps it in localStorage **before**
//! autosave writes the new project over the old one (and holds autosave when that fails). The
//! *Recent* menu reopens one, itself through this list.
//!
//! Storage: the list ([`KEY`]) is a small index (title, why, when, size); each project's text has
//! a key of its own ([`text_key`]: `flowpen.recent.` and the text's [`id_of`]), so that keeping
//! one more project writes that project and the index only, and the menu reads the index only.
//!
//! Pure decisions live here: what is worth keeping, deduplication (one entry per text), order
//! (newest first), the limits, the stored index and how old an entry is in words. The shell only
//! reads and writes.

use flowpen_flow::json::{self, Json, Object, ParseError};
use sha2::{Digest, Sha256};

/// localStorage key of the index.
pub const KEY: &str = "flowpen.recent";
/// Where an unreadable index is copied before a new one is written.
pub const UNREADABLE_KEY: &str = "flowpen.recent.unreadable";
/// How many projects are kept.
pub const LIMIT: usize = 10;
/// How many characters of project text the list keeps at most (localStorage holds about five
/// million for the whole page). The newest entry is always kept, whatever its size.
pub const MAX_CHARS: usize = 2_000_000;

/// A project the reducer put aside, for the shell to keep.
#[derive(Clone, Debug, PartialEq)]
pub struct Outgoing {
    /// Increases with every project put aside (the shell remembers which it handled).
    pub serial: u64,
    /// The flow's description, or "Untitled flow".
    pub title: String,
    /// Why it was put aside ("before opening a shared link").
    pub reason: String,
    /// The project as autosave writes it.
    pub text: String,
}

/// One remembered project (its text is stored under [`text_key`] of its `id`).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// [`id_of`] its text.
    pub id: String,
    pub title: String,
    pub reason: String,
    /// When it was put aside, in milliseconds since the epoch (the shell's clock).
    pub at_ms: u64,
    /// The length of its text.
    pub chars: usize,
}

impl Entry {
    /// The entry for an outgoing project, put aside at `now_ms`.
    pub fn of(outgoing: &Outgoing, now_ms: u64) -> Entry {
        Entry {
            id: id_of(&outgoing.text),
            title: outgoing.title.clone(),
            reason: outgoing.reason.clone(),
            at_ms: now_ms,
            chars: outgoing.text.len(),
        }
    }
}

/// The id of a project text: 16 hex digits of its SHA-256 (equal texts, one entry).
pub fn id_of(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The localStorage key of an entry's text.
pub fn text_key(id: &str) -> String {
    format!("{KEY}.{id}")
}

/// The list, newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recent {
    pub entries: Vec<Entry>,
}

/// The stored index's format version.
const VERSION: i64 = 1;

impl Recent {
    /// Reads the stored index. Entries that are not readable are left out; a text that is not an
    /// index at all is an error (the shell copies it aside before writing a new one).
    pub fn parse(text: &str) -> Result<Recent, ParseError> {
        let doc = json::parse(text)?;
        let entries = doc
            .as_object()
            .filter(|o| o.get("recent").and_then(Json::as_number_lenient) == Some(VERSION as f64))
            .and_then(|o| o.get("entries"))
            .and_then(Json::as_array)
            .ok_or_else(|| ParseError {
                line: 1,
                column: 1,
                path: "$".into(),
                message: "not a list of recent projects".into(),
            })?;
        let number = |o: &Object, k: &str| {
            o.get(k)
                .and_then(Json::as_number_lenient)
                .filter(|n| *n >= 0.0)
                .map_or(0, |n| n as u64)
        };
        let entries = entries
            .iter()
            .filter_map(|e| {
                let o = e.as_object()?;
                let id = o.str("id")?;
                let hex = id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit());
                Some(Entry {
                    id: hex.then(|| id.to_owned())?,
                    title: o.str("title")?.to_owned(),
                    reason: o.str("reason").unwrap_or_default().to_owned(),
                    at_ms: number(o, "at"),
                    chars: usize::try_from(number(o, "chars")).unwrap_or(usize::MAX),
                })
            })
            .take(LIMIT)
            .collect();
        Ok(Recent { entries })
    }

    /// The stored index.
    pub fn to_text(&self) -> String {
        let entries = self
            .entries
            .iter()
            .map(|e| {
                let mut o = Object::new();
                o.set("id", Json::str(e.id.clone()));
                o.set("title", Json::str(e.title.clone()));
                o.set("reason", Json::str(e.reason.clone()));
                o.set("at", Json::int(i64::try_from(e.at_ms).unwrap_or(i64::MAX)));
                o.set(
                    "chars",
                    Json::int(i64::try_from(e.chars).unwrap_or(i64::MAX)),
                );
                Json::Object(o)
            })
            .collect();
        let mut o = Object::new();
        o.set("recent", Json::int(VERSION));
        o.set("entries", Json::Array(entries));
        Json::Object(o).to_compact()
    }

    /// Puts `entry` first. An older entry of the same text is dropped (the new one says when and
    /// why it was last put aside); past [`LIMIT`] entries or [`MAX_CHARS`] of text the oldest go,
    /// never the new one. Returns the ids no longer listed (their texts can be removed).
    pub fn remember(&mut self, entry: Entry) -> Vec<String> {
        self.entries.retain(|e| e.id != entry.id);
        self.entries.insert(0, entry);
        let mut total = 0usize;
        let mut keep = 0;
        for (i, e) in self.entries.iter().enumerate() {
            total = total.saturating_add(e.chars);
            if i > 0 && (i >= LIMIT || total > MAX_CHARS) {
                break;
            }
            keep = i + 1;
        }
        self.entries
            .split_off(keep)
            .into_iter()
            .map(|e| e.id)
            .collect()
    }

    /// Removes entry `index` (the menu's ×).
    pub fn remove(&mut self, index: usize) -> Option<Entry> {
        (index < self.entries.len()).then(|| self.entries.remove(index))
    }
}

/// How long ago `at_ms` was, in words: `just now`, `5 min ago`, `3 h ago`, `2 days ago`.
pub fn age(now_ms: u64, at_ms: u64) -> String {
    let s = now_ms.saturating_sub(at_ms) / 1000;
    match s {
        0..=59 => "just now".into(),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=86_399 => format!("{} h ago", s / 3600),
        86_400..=172_799 => "yesterday".into(),
        _ => format!("{} days ago", s / 86_400),
    }
}
