//! Consent before code: a project opened from a link does not run its Functions until the user has
//! looked at them and chosen *Trust and run*, and a plain flow from a link does not call this
//! browser's own Functions (with their environment values) without that consent either.
//!
//! Consent is per link content: the [`key`] of what would run, a SHA-256 of the shared Functions
//! (paths and code) and environment variable names, or of the shared flow when it would call the
//! opener's Functions. Keys consented to are kept in localStorage under [`KEY`] (at most
//! [`LIMIT`], oldest dropped), so the same content opened again runs at once; anything changed in
//! it asks again.

use flowpen_flow::json::{self, Json};
use flowpen_flow::Flow;
use sha2::{Digest, Sha256};

use crate::project::{Document, FunctionsProject};

/// localStorage key of the consented keys.
pub const KEY: &str = "flowpen.trusted";
/// How many consented keys are kept.
pub const LIMIT: usize = 100;

/// What waits for consent, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The content's key.
    pub key: String,
    /// The link brought Functions (otherwise it brought a flow that would call this browser's
    /// own Functions).
    pub shared_code: bool,
}

/// The hex of the first 16 bytes of a SHA-256 over length-prefixed parts.
fn digest(kind: &str, parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p.as_bytes());
    }
    let sum = h.finalize();
    sum.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The key of shared Functions: their paths and code, and the environment variable names.
pub fn functions_key(functions: &FunctionsProject) -> String {
    let mut parts = Vec::new();
    for f in &functions.functions {
        parts.push(f.path.as_str());
        parts.push(f.code.as_str());
    }
    parts.push("env");
    for (name, _) in &functions.env {
        parts.push(name.as_str());
    }
    format!("code-{}", digest("flowpen-functions-1", &parts))
}

/// The key of a shared flow that would call the opener's Functions.
pub fn flow_key(flow: &Flow) -> String {
    let text = flow.to_json().to_compact();
    format!("flow-{}", digest("flowpen-flow-1", &[&text]))
}

/// What a document opened from a link needs consent for, given the Functions the opener has
/// (which a plain flow keeps): nothing when nothing of it could run.
pub fn pending_for(doc: &Document, own: &FunctionsProject) -> Option<Pending> {
    match doc {
        Document::Project(p) if !p.functions.functions.is_empty() => Some(Pending {
            key: functions_key(&p.functions),
            shared_code: true,
        }),
        Document::Project(_) => None,
        Document::Flow(flow) if !own.functions.is_empty() => Some(Pending {
            key: flow_key(flow),
            shared_code: false,
        }),
        Document::Flow(_) => None,
    }
}

/// What waits for consent when a plain flow from a link joins a project whose own Functions
/// already wait: one consent for both (a key of both keys).
pub fn combine(current: Option<Pending>, new: Option<Pending>) -> Option<Pending> {
    match (current, new) {
        (Some(a), Some(b)) => Some(Pending {
            key: format!("both-{}", digest("flowpen-both-1", &[&a.key, &b.key])),
            shared_code: a.shared_code || b.shared_code,
        }),
        (a, b) => a.or(b),
    }
}

/// Reads the stored keys (anything unreadable is no consent).
pub fn parse_keys(text: &str) -> Vec<String> {
    match json::parse(text) {
        Ok(Json::Array(items)) => items
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_owned)
            .rev()
            .take(LIMIT)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect(),
        _ => Vec::new(),
    }
}

/// The stored text of the keys.
pub fn keys_text(keys: &[String]) -> String {
    Json::Array(keys.iter().cloned().map(Json::String).collect()).to_compact()
}

/// `keys` with `key` added last (kept at most [`LIMIT`], oldest dropped).
/// `keys` without `key` (consent taken back).
pub fn without_key(keys: &[String], key: &str) -> Vec<String> {
    keys.iter().filter(|k| *k != key).cloned().collect()
}

pub fn with_key(keys: &[String], key: &str) -> Vec<String> {
    let mut out = without_key(keys, key);
    out.push(key.to_owned());
    if out.len() > LIMIT {
        out.drain(..out.len() - LIMIT);
    }
    out
}
