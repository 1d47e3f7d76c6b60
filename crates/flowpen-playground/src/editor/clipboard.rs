//! Widgets on the clipboard, as Studio JSON: `{"states": […]}` (what Flowpen copies) or a whole
//! flow (what Studio exports). Pure text in, text out; the shell moves it to and from the
//! system clipboard.

use std::fmt;

use flowpen_flow::json::{self, Json, Object, ParseError};
use flowpen_flow::{Flow, ShapeError, State, WidgetType};

/// The text for copying widgets `indices` of `flow` (the Trigger is left out: a flow has one).
pub fn copy_text(flow: &Flow, indices: impl IntoIterator<Item = usize>) -> Option<String> {
    let states: Vec<Json> = indices
        .into_iter()
        .filter_map(|i| flow.states.get(i))
        .filter(|s| s.kind != WidgetType::Trigger)
        .map(state_json)
        .collect();
    if states.is_empty() {
        return None;
    }
    let mut top = Object::new();
    top.set("states", Json::Array(states));
    let mut text = Json::Object(top).to_pretty();
    text.push('\n');
    Some(text)
}

/// A widget exactly as it would be exported.
pub fn state_json(state: &State) -> Json {
    let mut flow = Flow::new();
    flow.states = vec![state.clone()];
    match flow.to_json() {
        Json::Object(top) => top
            .get("states")
            .and_then(Json::as_array)
            .and_then(|a| a.first())
            .cloned()
            .unwrap_or(Json::Null),
        _ => Json::Null,
    }
}

/// Why clipboard text (or the inspector's raw JSON) is not a widget.
#[derive(Clone, Debug, PartialEq)]
pub enum ClipboardError {
    /// The text is not JSON.
    NotJson(ParseError),
    /// JSON without a `states` list.
    NoStates,
    /// The widgets are not valid Studio widgets.
    Invalid(ShapeError),
    /// Only a Trigger (which cannot be pasted), or nothing.
    Empty,
    /// The raw JSON of one widget is not JSON.
    WidgetJson(ParseError),
    /// The raw JSON of one widget is not a valid widget: where (`$.properties…`) and why.
    Widget { path: String, message: String },
}

impl fmt::Display for ClipboardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClipboardError::NotJson(e) => {
                write!(f, "the clipboard does not hold Studio JSON: {e}")
            }
            ClipboardError::NoStates => {
                f.write_str("the clipboard does not hold Studio widgets (no \"states\" list)")
            }
            ClipboardError::Invalid(e) => write!(f, "the clipboard's widgets are not valid: {e}"),
            ClipboardError::Empty => {
                f.write_str("the clipboard holds no widgets to paste (a Trigger cannot be pasted)")
            }
            ClipboardError::WidgetJson(e) => write!(f, "{e}"),
            ClipboardError::Widget { path, message } => write!(f, "{path}: {message}"),
        }
    }
}

impl std::error::Error for ClipboardError {}

/// Reads widgets from clipboard text. Triggers are dropped (the flow already has one).
pub(crate) fn parse_widgets(text: &str) -> Result<Vec<State>, ClipboardError> {
    let doc = json::parse(text).map_err(ClipboardError::NotJson)?;
    if doc.as_object().and_then(|o| o.get("states")).is_none() {
        return Err(ClipboardError::NoStates);
    }
    let flow = Flow::from_json(doc).map_err(ClipboardError::Invalid)?;
    let states: Vec<State> = flow
        .states
        .into_iter()
        .filter(|s| s.kind != WidgetType::Trigger)
        .collect();
    if states.is_empty() {
        return Err(ClipboardError::Empty);
    }
    Ok(states)
}

/// Reads one widget (the raw JSON view of the inspector).
pub fn parse_widget(text: &str) -> Result<State, ClipboardError> {
    let doc = json::parse(text).map_err(ClipboardError::WidgetJson)?;
    let mut top = Object::new();
    top.set("states", Json::Array(vec![doc]));
    let flow = Flow::from_json(Json::Object(top)).map_err(|e| {
        let path = json::path_string(&e.path);
        let path = match path.strip_prefix("$.states[0]") {
            Some(rest) => format!("${rest}"),
            None => path,
        };
        ClipboardError::Widget {
            path,
            message: e.message,
        }
    })?;
    flow.states.into_iter().next().ok_or(ClipboardError::Empty)
}
