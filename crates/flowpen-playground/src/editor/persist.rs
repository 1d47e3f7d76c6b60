//! What autosave keeps, and under which keys.
//!
//! - The project (the flow with its Functions and environment variables, as the project file
//!   writes it) under one key, [`PROJECT_KEY`]: one write saves all of it or none of it, so a
//!   failed write can never pair a new flow with old Functions.
//! - The view (the selection by widget name, the viewport, snapping and the theme) as a small JSON
//!   text under [`VIEW_KEY`]. Reading it never fails: anything unreadable falls back to the
//!   defaults.
//!
//! Autosaves from before the project had one key kept the flow and the Functions under
//! [`FLOW_KEY`] and [`FUNCTIONS_KEY`]; they are read when [`PROJECT_KEY`] is absent and removed
//! after the first save. [`SaveReport`] decides which failed writes the user hears about.

use flowpen_flow::json::{self, Json, Number, Object};

use super::geometry::Viewport;
use super::Theme;
use crate::trust::Pending;

/// localStorage key of the project: the project file, compact (see `crate::project`).
pub const PROJECT_KEY: &str = "flowpen.project";
/// Where an unreadable saved project is copied, so that nothing is lost.
pub const UNREADABLE_PROJECT_KEY: &str = "flowpen.project.unreadable";
/// localStorage key of the flow in autosaves from before [`PROJECT_KEY`] (compact Studio JSON).
pub const FLOW_KEY: &str = "flowpen.flow";
/// localStorage key of the view (this module's JSON).
pub const VIEW_KEY: &str = "flowpen.view";
/// Where an unreadable saved flow is moved, so that nothing is lost.
pub const UNREADABLE_KEY: &str = "flowpen.flow.unreadable";
/// localStorage key of the project's Functions and environment variables in autosaves from before
/// [`PROJECT_KEY`] (`crate::project::saved_text`). Older autosaves have no such key either.
pub const FUNCTIONS_KEY: &str = "flowpen.functions";
/// Where unreadable saved Functions are moved.
pub const UNREADABLE_FUNCTIONS_KEY: &str = "flowpen.functions.unreadable";

/// The member of the autosaved project (and of Recent's entries) that holds [`Meta`]; Export
/// project never writes it.
pub const META_KEY: &str = "playground";

/// What the playground notes about a saved project besides the project file itself. It is saved
/// with the project in one write, so a reload can never run a link's code without consent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// The project came from a link and waits for consent.
    pub untrusted: Option<Pending>,
    /// A file (or a link, an example, New) holds the project as it is.
    pub saved_to_file: bool,
}

/// The project file's JSON value with `meta` added (when there is anything to note).
pub fn with_meta(mut project: Json, meta: &Meta) -> Json {
    let mut o = Object::new();
    if let Some(p) = &meta.untrusted {
        o.set("untrusted", Json::str(p.key.clone()));
        o.set("shared_code", Json::Bool(p.shared_code));
    }
    if meta.saved_to_file {
        o.set("saved_to_file", Json::Bool(true));
    }
    if let (false, Some(top)) = (o.is_empty(), project.as_object_mut()) {
        top.set(META_KEY, Json::Object(o));
    }
    project
}

/// The [`Meta`] of a saved project text (nothing noted when it has none or it is unreadable).
pub fn read_meta(text: &str) -> Meta {
    json::parse(text).map_or_else(|_| Meta::default(), |doc| meta_of(&doc))
}

/// A saved project's text, parsed once: its document (see `crate::project::parse_document`)
/// and its [`Meta`].
pub fn read_saved(text: &str) -> Result<(crate::project::Document, Meta), json::ParseError> {
    let doc = json::parse(text)?;
    let meta = meta_of(&doc);
    Ok((crate::project::document_from_json(doc, text)?, meta))
}

/// The [`Meta`] of a parsed saved project.
pub fn meta_of(doc: &Json) -> Meta {
    let Some(Json::Object(m)) = doc.as_object().and_then(|top| top.get(META_KEY)) else {
        return Meta::default();
    };
    Meta {
        untrusted: m.str("untrusted").map(|key| Pending {
            key: key.to_owned(),
            shared_code: !matches!(m.get("shared_code"), Some(Json::Bool(false))),
        }),
        saved_to_file: matches!(m.get("saved_to_file"), Some(Json::Bool(true))),
    }
}

/// Which failed autosave writes the user hears about: the first of every run of failures (a
/// success re-arms the report), so a full storage is reported once, not at every keystroke, and
/// again if it fills up again later.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SaveReport {
    failing: bool,
}

impl SaveReport {
    /// Records the result of a write; returns the sentence to show when the user must hear of it.
    pub fn record(&mut self, ok: bool) -> Option<&'static str> {
        let first_failure = !ok && !self.failing;
        self.failing = !ok;
        first_failure.then_some(
            "Autosave failed: the browser refused to store the project (storage full or disabled). Export the project to keep your work; autosave keeps trying.",
        )
    }

    /// Whether the last write failed.
    pub fn failing(&self) -> bool {
        self.failing
    }
}

/// The saved view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SavedView {
    pub selection: Vec<String>,
    pub viewport: Option<Viewport>,
    pub snap: Option<bool>,
    pub theme: Option<Theme>,
}

/// A number exactly (Rust prints the shortest text that reads back as the same `f64`).
fn num(v: f64) -> Json {
    Number::from_f64(v).map_or(Json::int(0), Json::Number)
}

/// The view as JSON text.
pub fn view_text(view: &SavedView) -> String {
    let mut o = Object::new();
    o.set(
        "selection",
        Json::Array(view.selection.iter().cloned().map(Json::String).collect()),
    );
    if let Some(v) = view.viewport {
        let mut vp = Object::new();
        vp.set("x", num(v.x));
        vp.set("y", num(v.y));
        vp.set("zoom", num(v.zoom));
        o.set("viewport", Json::Object(vp));
    }
    if let Some(snap) = view.snap {
        o.set("snap", Json::Bool(snap));
    }
    if let Some(theme) = view.theme {
        o.set("theme", Json::str(theme.as_str()));
    }
    Json::Object(o).to_compact()
}

/// Reads a saved view; unreadable parts are left at their defaults.
pub fn parse_view(text: &str) -> SavedView {
    let Ok(Json::Object(o)) = json::parse(text) else {
        return SavedView::default();
    };
    let selection = o
        .get("selection")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let viewport = o.get("viewport").and_then(Json::as_object).and_then(|v| {
        let n = |k| v.get(k).and_then(Json::as_number_lenient);
        let vp = Viewport {
            x: n("x")?,
            y: n("y")?,
            zoom: n("zoom")?,
        };
        vp.is_sane().then_some(vp)
    });
    let snap = match o.get("snap") {
        Some(Json::Bool(b)) => Some(*b),
        _ => None,
    };
    let theme = o.str("theme").and_then(Theme::parse);
    SavedView {
        selection,
        viewport,
        snap,
        theme,
    }
}
