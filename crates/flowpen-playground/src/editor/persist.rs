//! What autosave keeps besides the flow: the selection (by widget name), the viewport, snapping
//! and the theme, as a small JSON text. Reading never fails: anything unreadable falls back to the
//! defaults. The project's Functions are saved under their own key ([`FUNCTIONS_KEY`]).

use flowpen_flow::json::{self, Json, Number, Object};

use super::geometry::Viewport;
use super::Theme;

/// localStorage key of the flow (compact Studio JSON).
pub const FLOW_KEY: &str = "flowpen.flow";
/// localStorage key of the view (this module's JSON).
pub const VIEW_KEY: &str = "flowpen.view";
/// Where an unreadable saved flow is moved, so that nothing is lost.
pub const UNREADABLE_KEY: &str = "flowpen.flow.unreadable";
/// localStorage key of the project's Functions and environment variables
/// (`crate::project::saved_text`). Autosaves from before it existed have no such key.
pub const FUNCTIONS_KEY: &str = "flowpen.functions";
/// Where unreadable saved Functions are moved.
pub const UNREADABLE_FUNCTIONS_KEY: &str = "flowpen.functions.unreadable";

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
