//! The typed flow model and its lossless import/export.
//!
//! A [`Flow`] holds typed [`State`]s and [`Transition`]s, but also the exact member layout of every
//! object it read: keys Flowpen does not know stay where they were, known keys keep their order, and
//! property values stay [`Json`] (numbers as written, strings as strings). Export of an unedited
//! flow therefore gives back the same JSON value with the same key order.

use std::collections::HashMap;
use std::fmt;

use crate::json::{self, Json, Object, ParseError, Seg};
use crate::WidgetType;

/// A Studio Flow Definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    /// Top-level members in input order; the `states` member is a placeholder (its value lives in
    /// [`Flow::states`]).
    // Invariant: holds exactly one `states` member.
    top: Object,
    pub states: Vec<State>,
}

/// One widget (a "state" in Flow JSON).
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub name: String,
    pub kind: WidgetType,
    pub transitions: Vec<Transition>,
    /// The widget's `properties` object, verbatim (including `offset`).
    pub properties: Object,
    /// Member layout: `name`, `type`, `transitions` and `properties` appear as placeholders
    /// (their values live in the fields above); any other member is kept with its value.
    layout: Object,
}

/// A transition: an event and, optionally, the widget it leads to (none = the execution ends).
#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    pub event: String,
    pub next: Option<String>,
    /// Split conditions (`match` transitions), verbatim.
    pub conditions: Option<Json>,
    /// Member layout with placeholders for `event`, `next` and `conditions`.
    layout: Object,
}

/// A split condition, read from a `match` transition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub friendly_name: String,
    pub arguments: Vec<String>,
    /// The condition type (`equal_to`, `matches_any_of`, …).
    pub kind: String,
    pub value: String,
}

/// A widget's position on Studio's canvas.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Offset {
    pub x: f64,
    pub y: f64,
}

/// Why a document could not be imported: malformed JSON, or JSON that is not a Flow Definition.
pub type ImportError = ParseError;

const PLACEHOLDER: Json = Json::Null;

impl Flow {
    /// An empty flow with only a Trigger, as Studio creates it.
    pub fn new() -> Flow {
        let mut top = Object::new();
        top.set("description", Json::str("A New Flow"));
        top.set("states", PLACEHOLDER);
        top.set("initial_state", Json::str("Trigger"));
        let mut flags = Object::new();
        flags.set("allow_concurrent_calls", Json::Bool(true));
        top.set("flags", Json::Object(flags));
        let mut trigger = State::new("Trigger", WidgetType::Trigger);
        trigger.set_offset(Offset { x: 0.0, y: 0.0 });
        Flow {
            top,
            states: vec![trigger],
        }
    }

    /// Imports Flow JSON text.
    pub fn parse(src: &str) -> Result<Flow, ImportError> {
        let doc = json::parse(src)?;
        Flow::from_json(doc).map_err(|e| {
            let (line, column) = json::locate(src, &e.path).unwrap_or((1, 1));
            ParseError {
                line,
                column,
                path: json::path_string(&e.path),
                message: e.message,
            }
        })
    }

    /// Imports a parsed document. Errors carry the location of the offending value.
    pub fn from_json(doc: Json) -> Result<Flow, ShapeError> {
        let Json::Object(mut top) = doc else {
            return Err(ShapeError::new(
                vec![],
                format!("a Flow Definition is a JSON object, found {}", doc.kind()),
            ));
        };
        let states = match top.get_mut("states") {
            Some(slot) => std::mem::replace(slot, PLACEHOLDER),
            None => {
                return Err(ShapeError::new(
                    vec![],
                    "not a Studio Flow Definition: it has no \"states\" list",
                ))
            }
        };
        let Json::Array(items) = states else {
            return Err(ShapeError::new(
                vec![Seg::Key("states".into())],
                format!(
                    "\"states\" must be a list of widgets, found {}",
                    states.kind()
                ),
            ));
        };
        let states = items
            .into_iter()
            .enumerate()
            .map(|(i, item)| State::from_json(item, i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Flow { top, states })
    }

    /// Exports the flow as a JSON value.
    pub fn to_json(&self) -> Json {
        let mut top = self.top.clone();
        if let Some(slot) = top.get_mut("states") {
            *slot = Json::Array(self.states.iter().map(State::to_json).collect());
        }
        Json::Object(top)
    }

    /// Exports the flow as Studio does: pretty-printed with 2 spaces, ending with a newline.
    pub fn to_pretty_string(&self) -> String {
        let mut s = self.to_json().to_pretty();
        s.push('\n');
        s
    }

    /// The `initial_state` member, when it is a string.
    pub fn initial_state(&self) -> Option<&str> {
        self.top.str("initial_state")
    }

    /// The raw `initial_state` member.
    pub fn initial_state_json(&self) -> Option<&Json> {
        self.top.get("initial_state")
    }

    pub fn description(&self) -> Option<&str> {
        self.top.str("description")
    }

    /// Top-level members other than `states`, in order.
    pub fn top_members(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.top.iter().filter(|(k, _)| *k != "states")
    }

    /// Sets (or with `None` removes) a top-level member other than `states`; returns the previous
    /// value. `states` itself is ignored: widgets are edited through [`Flow::states`].
    pub fn set_top(&mut self, key: &str, value: Option<Json>) -> Option<Json> {
        if key == "states" {
            return None;
        }
        match value {
            Some(v) => self.top.set(key, v),
            None => self.top.remove(key).map(|(_, v)| v),
        }
    }

    /// Index of the first widget named `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.states.iter().position(|s| s.name == name)
    }

    /// The first widget named `name`.
    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.iter().find(|s| s.name == name)
    }

    /// A name → index map (the first widget wins when names repeat).
    pub fn name_index(&self) -> HashMap<&str, usize> {
        let mut map = HashMap::with_capacity(self.states.len());
        for (i, s) in self.states.iter().enumerate() {
            map.entry(s.name.as_str()).or_insert(i);
        }
        map
    }
}

impl Default for Flow {
    fn default() -> Flow {
        Flow::new()
    }
}

/// A document that is JSON but not a Flow Definition: what is wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    pub path: Vec<Seg>,
    pub message: String,
}

impl ShapeError {
    fn new(path: Vec<Seg>, message: impl Into<String>) -> ShapeError {
        ShapeError {
            path,
            message: message.into(),
        }
    }
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", json::path_string(&self.path), self.message)
    }
}

fn state_path(i: usize, rest: &[Seg]) -> Vec<Seg> {
    let mut p = vec![Seg::Key("states".into()), Seg::Index(i)];
    p.extend_from_slice(rest);
    p
}

impl State {
    /// A new widget with Studio's member order (`name`, `type`, `transitions`, `properties`) and no
    /// properties.
    pub fn new(name: &str, kind: WidgetType) -> State {
        let mut layout = Object::new();
        for key in ["name", "type", "transitions", "properties"] {
            layout.set(key, PLACEHOLDER);
        }
        State {
            name: name.to_owned(),
            kind,
            transitions: Vec::new(),
            properties: Object::new(),
            layout,
        }
    }

    fn from_json(item: Json, i: usize) -> Result<State, ShapeError> {
        let Json::Object(mut layout) = item else {
            return Err(ShapeError::new(
                state_path(i, &[]),
                format!("a widget must be an object, found {}", item.kind()),
            ));
        };
        let take_string = |layout: &mut Object, key: &str| -> Result<String, ShapeError> {
            match layout
                .get_mut(key)
                .map(|v| std::mem::replace(v, PLACEHOLDER))
            {
                Some(Json::String(s)) => Ok(s),
                Some(other) => Err(ShapeError::new(
                    state_path(i, &[Seg::Key(key.into())]),
                    format!(
                        "a widget's \"{key}\" must be a string, found {}",
                        other.kind()
                    ),
                )),
                None => Err(ShapeError::new(
                    state_path(i, &[]),
                    format!("widget #{} has no \"{key}\"", i + 1),
                )),
            }
        };
        let name = take_string(&mut layout, "name")?;
        let kind = WidgetType::from_type(&take_string(&mut layout, "type")?);
        let transitions = match layout
            .get_mut("transitions")
            .map(|v| std::mem::replace(v, PLACEHOLDER))
        {
            None => Vec::new(),
            Some(Json::Array(items)) => items
                .into_iter()
                .enumerate()
                .map(|(t, item)| Transition::from_json(item, i, t))
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(ShapeError::new(
                    state_path(i, &[Seg::Key("transitions".into())]),
                    format!("\"transitions\" must be a list, found {}", other.kind()),
                ))
            }
        };
        let properties = match layout
            .get_mut("properties")
            .map(|v| std::mem::replace(v, PLACEHOLDER))
        {
            None => Object::new(),
            Some(Json::Object(o)) => o,
            Some(other) => {
                return Err(ShapeError::new(
                    state_path(i, &[Seg::Key("properties".into())]),
                    format!("\"properties\" must be an object, found {}", other.kind()),
                ))
            }
        };
        Ok(State {
            name,
            kind,
            transitions,
            properties,
            layout,
        })
    }

    fn to_json(&self) -> Json {
        let mut out = self.layout.clone();
        for (key, slot) in out.iter_mut() {
            match key {
                "name" => *slot = Json::str(self.name.clone()),
                "type" => *slot = Json::str(self.kind.as_str()),
                "transitions" => {
                    *slot = Json::Array(self.transitions.iter().map(Transition::to_json).collect())
                }
                "properties" => *slot = Json::Object(self.properties.clone()),
                _ => {}
            }
        }
        Json::Object(out)
    }

    /// Whether the input had a `transitions` member (exports keep it absent otherwise).
    pub fn has_transitions_member(&self) -> bool {
        self.layout.get("transitions").is_some()
    }

    /// Whether the input had a `properties` member.
    pub fn has_properties_member(&self) -> bool {
        self.layout.get("properties").is_some()
    }

    /// Makes sure `transitions` and `properties` are exported (after an edit adds to them).
    pub fn ensure_members(&mut self) {
        for key in ["transitions", "properties"] {
            if self.layout.get(key).is_none() {
                self.layout.set(key, PLACEHOLDER);
            }
        }
    }

    /// Members other than `name`, `type`, `transitions` and `properties`.
    pub fn extra_members(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.layout
            .iter()
            .filter(|(k, _)| !matches!(*k, "name" | "type" | "transitions" | "properties"))
    }

    /// The canvas position (`properties.offset`), `(0, 0)` when absent.
    pub fn offset(&self) -> Offset {
        let o = self.properties.get("offset").and_then(Json::as_object);
        let coord = |k| {
            o.and_then(|o| o.get(k))
                .and_then(Json::as_number_lenient)
                .unwrap_or(0.0)
        };
        Offset {
            x: coord("x"),
            y: coord("y"),
        }
    }

    /// Sets `properties.offset` (whole numbers, as Studio writes them).
    pub fn set_offset(&mut self, at: Offset) {
        let num = |v: f64| Json::int(v.round() as i64);
        match self
            .properties
            .get_mut("offset")
            .and_then(Json::as_object_mut)
        {
            Some(o) => {
                o.set("x", num(at.x));
                o.set("y", num(at.y));
            }
            None => {
                let mut o = Object::new();
                o.set("x", num(at.x));
                o.set("y", num(at.y));
                self.properties.set("offset", Json::Object(o));
            }
        }
    }

    /// A string property (`None` when absent or not a string).
    pub fn prop_str(&self, key: &str) -> Option<&str> {
        self.properties.str(key)
    }

    /// The transition for `event` (the first one, when repeated).
    pub fn transition(&self, event: &str) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.event == event)
    }

    /// The `{key, value}` list property `key` (`parameters`, `variables`, …) as pairs of strings;
    /// non-string values are given as their JSON text.
    pub fn key_values(&self, key: &str) -> Vec<(String, String)> {
        let Some(items) = self.properties.get(key).and_then(Json::as_array) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(Json::as_object)
            .map(|o| {
                let text = |k| match o.get(k) {
                    Some(Json::String(s)) => s.clone(),
                    Some(Json::Null) | None => String::new(),
                    Some(other) => other.to_compact(),
                };
                (text("key"), text("value"))
            })
            .collect()
    }
}

impl Transition {
    /// A transition with Studio's member order (`next` first when present, then `event`).
    pub fn new(event: &str, next: Option<&str>) -> Transition {
        let mut layout = Object::new();
        if next.is_some() {
            layout.set("next", PLACEHOLDER);
        }
        layout.set("event", PLACEHOLDER);
        Transition {
            event: event.to_owned(),
            next: next.map(str::to_owned),
            conditions: None,
            layout,
        }
    }

    /// A `match` transition of a split with one condition.
    pub fn with_conditions(event: &str, next: Option<&str>, conditions: Json) -> Transition {
        let mut t = Transition::new(event, next);
        t.layout.set("conditions", PLACEHOLDER);
        t.conditions = Some(conditions);
        t
    }

    fn from_json(item: Json, i: usize, t: usize) -> Result<Transition, ShapeError> {
        let path = |rest: &[Seg]| {
            let mut p = state_path(i, &[Seg::Key("transitions".into()), Seg::Index(t)]);
            p.extend_from_slice(rest);
            p
        };
        let Json::Object(mut layout) = item else {
            return Err(ShapeError::new(
                path(&[]),
                format!("a transition must be an object, found {}", item.kind()),
            ));
        };
        let event = match layout
            .get_mut("event")
            .map(|v| std::mem::replace(v, PLACEHOLDER))
        {
            Some(Json::String(s)) => s,
            Some(other) => {
                return Err(ShapeError::new(
                    path(&[Seg::Key("event".into())]),
                    format!(
                        "a transition's \"event\" must be a string, found {}",
                        other.kind()
                    ),
                ))
            }
            None => return Err(ShapeError::new(path(&[]), "a transition has no \"event\"")),
        };
        let next = match layout
            .get_mut("next")
            .map(|v| std::mem::replace(v, PLACEHOLDER))
        {
            None => None,
            Some(Json::String(s)) => Some(s),
            Some(other) => {
                return Err(ShapeError::new(
                    path(&[Seg::Key("next".into())]),
                    format!(
                        "a transition's \"next\" must be a widget name, found {}",
                        other.kind()
                    ),
                ))
            }
        };
        let conditions = layout
            .get_mut("conditions")
            .map(|v| std::mem::replace(v, PLACEHOLDER));
        Ok(Transition {
            event,
            next,
            conditions,
            layout,
        })
    }

    fn to_json(&self) -> Json {
        let mut out = self.layout.clone();
        for (key, slot) in out.iter_mut() {
            match key {
                "event" => *slot = Json::str(self.event.clone()),
                "next" => {
                    if let Some(n) = &self.next {
                        *slot = Json::str(n.clone());
                    }
                }
                "conditions" => {
                    if let Some(c) = &self.conditions {
                        *slot = c.clone();
                    }
                }
                _ => {}
            }
        }
        Json::Object(out)
    }

    /// Sets `next` (keeping the member's place; a new `next` goes first, as Studio writes it).
    /// Returns the previous target.
    pub fn set_next(&mut self, next: Option<String>) -> Option<String> {
        match (&next, self.layout.get("next").is_some()) {
            (Some(_), false) => self.layout.insert(0, "next", PLACEHOLDER),
            (None, true) => {
                self.layout.remove("next");
            }
            _ => {}
        }
        std::mem::replace(&mut self.next, next)
    }

    /// Sets `conditions` (keeping its place, or appending it). Returns the previous value.
    pub fn set_conditions(&mut self, conditions: Option<Json>) -> Option<Json> {
        match (&conditions, self.layout.get("conditions").is_some()) {
            (Some(_), false) => {
                self.layout.set("conditions", PLACEHOLDER);
            }
            (None, true) => {
                self.layout.remove("conditions");
            }
            _ => {}
        }
        std::mem::replace(&mut self.conditions, conditions)
    }

    /// The split conditions, typed. Items that are not objects are skipped; missing fields read as
    /// empty.
    pub fn condition_list(&self) -> Vec<Condition> {
        let Some(items) = self.conditions.as_ref().and_then(Json::as_array) else {
            return Vec::new();
        };
        items
            .iter()
            .filter_map(Json::as_object)
            .map(Condition::from_object)
            .collect()
    }

    /// Members other than `event`, `next` and `conditions`.
    pub fn extra_members(&self) -> impl Iterator<Item = (&str, &Json)> {
        self.layout
            .iter()
            .filter(|(k, _)| !matches!(*k, "event" | "next" | "conditions"))
    }
}

impl Condition {
    fn from_object(o: &Object) -> Condition {
        let text = |k| match o.get(k) {
            Some(Json::String(s)) => s.clone(),
            Some(Json::Null) | None => String::new(),
            Some(other) => other.to_compact(),
        };
        let arguments = match o.get("arguments") {
            Some(Json::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_compact(), str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        Condition {
            friendly_name: text("friendly_name"),
            arguments,
            kind: text("type"),
            value: text("value"),
        }
    }

    /// The condition as Studio writes it (`friendly_name`, `arguments`, `type`, `value`).
    pub fn to_json(&self) -> Json {
        let mut o = Object::new();
        o.set("friendly_name", Json::str(self.friendly_name.clone()));
        o.set(
            "arguments",
            Json::Array(self.arguments.iter().cloned().map(Json::String).collect()),
        );
        o.set("type", Json::str(self.kind.clone()));
        o.set("value", Json::str(self.value.clone()));
        Json::Object(o)
    }
}

#[cfg(test)]
mod tests {
    use super::{Flow, Offset};
    use crate::json::Json;

    const SMALL: &str = r#"{
  "states": [
    {
      "transitions": [
        {
          "event": "incomingMessage",
          "next": "hello"
        }
      ],
      "type": "trigger",
      "name": "Trigger",
      "properties": {
        "offset": {
          "y": 0,
          "x": 0
        }
      },
      "extra": [1, 2]
    },
    {
      "name": "hello",
      "type": "send-and-wait-for-reply",
      "transitions": [],
      "properties": {
        "timeout": "3600",
        "body": "Hi {{trigger.message.From}}"
      }
    }
  ],
  "initial_state": "Trigger",
  "unknown": {"k": 1.50},
  "flags": {
    "allow_concurrent_calls": true
  },
  "description": "x"
}"#;

    #[test]
    fn round_trip_keeps_order_unknown_keys_and_string_numbers() {
        let flow = Flow::parse(SMALL).unwrap();
        assert_eq!(flow.to_json(), crate::json::parse(SMALL).unwrap());
        assert_eq!(
            flow.states[1].properties.get("timeout"),
            Some(&Json::str("3600"))
        );
        assert_eq!(flow.initial_state(), Some("Trigger"));
    }

    #[test]
    fn new_next_goes_first_and_removal_drops_the_member() {
        let mut flow = Flow::parse(SMALL).unwrap();
        let t = &mut flow.states[0].transitions[0];
        t.set_next(None);
        assert_eq!(t.to_json().to_compact(), r#"{"event":"incomingMessage"}"#);
        t.set_next(Some("hello".into()));
        assert_eq!(
            t.to_json().to_compact(),
            r#"{"next":"hello","event":"incomingMessage"}"#
        );
    }

    #[test]
    fn non_flow_documents_are_clear_errors() {
        let e = Flow::parse("[1]").unwrap_err();
        assert!(e.message.contains("JSON object"), "{e}");
        let e = Flow::parse("{\"description\": \"x\"}").unwrap_err();
        assert!(e.message.contains("no \"states\""), "{e}");
        let e = Flow::parse("{\"states\": [\n {\"name\": 3, \"type\": \"x\"}]}").unwrap_err();
        assert_eq!(
            (e.line, e.column, e.path.as_str()),
            (2, 11, "$.states[0].name")
        );
    }

    #[test]
    fn offsets_read_numbers_and_strings() {
        let mut flow = Flow::new();
        flow.states[0].set_offset(Offset { x: 10.4, y: -20.6 });
        assert_eq!(flow.states[0].offset(), Offset { x: 10.0, y: -21.0 });
    }
}
