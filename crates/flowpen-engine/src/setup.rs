//! What an execution starts from, besides the time: the flow, how it starts (its trigger, or a
//! widget in the middle of the flow with Flow Data the user wrote), the limits, the Liquid
//! service, the project's subflows and the breakpoints. An [`crate::Engine`] keeps its `Setup`
//! (`Engine::setup`), so its recorded inputs can rebuild it (`crate::replay`).

use std::fmt;
use std::rc::Rc;

use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use serde_json::{json, Map, Value};

use crate::engine::Config;
use crate::input::Breakpoint;
use crate::io::{Trigger, TriggerKind};
use crate::subflows::Subflows;
use crate::SortedSet;

/// Everything an execution starts from, except the time.
#[derive(Clone)]
pub struct Setup {
    pub flow: Rc<Flow>,
    pub entry: Entry,
    pub config: Config,
    pub liquid: Rc<Liquid>,
    pub subflows: Subflows,
    /// The breakpoints at the start (`Input::Breakpoints` changes them later).
    pub breakpoints: SortedSet<Breakpoint>,
}

impl fmt::Debug for Setup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Setup")
            .field("entry", &self.entry)
            .field("config", &self.config)
            .field("subflows", &self.subflows.keys().collect::<Vec<_>>())
            .field("breakpoints", &self.breakpoints)
            .finish_non_exhaustive()
    }
}

/// How an execution starts.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    /// At the flow's Trigger, as Studio starts executions.
    Trigger(Trigger),
    /// In the middle of the flow ("Run from here").
    At(StartAt),
}

/// A start at a widget in the middle of the flow, with the Flow Data the user edited.
///
/// Decisions (Studio has no such start):
/// - `flow_data` must be a JSON object; what it lacks of `flow` (`flow_sid`, `channel.address`,
///   `data`, `variables`), `contact.channel.address`, `trigger` and `widgets` is filled in with
///   empty values (the config's `flow_sid`), and the rest is kept as written.
/// - `kind` decides whether there is a call: `Call` puts the execution on a live call (its
///   parameters from `trigger.call` when Flow Data has them, else the addresses); `Subflow` is on
///   a call when `trigger.call` is there, as a subflow started by a parent on a call is; the
///   others have none. The execution's trigger ([`crate::Engine::trigger`]) is read from Flow Data
///   ([`TriggerKind::trigger_from`]).
/// - The log's first step says the execution began there ([`crate::StepDetail::StartedAt`]): it
///   names the widget, changes nothing and counts toward the step limit, as a Trigger step does.
///   The widget then runs as if a transition had led to it.
#[derive(Clone, Debug, PartialEq)]
pub struct StartAt {
    pub widget: String,
    pub flow_data: Value,
    pub kind: TriggerKind,
}

impl Setup {
    /// A start at the flow's Trigger with Studio's limits, a fresh Liquid service, no subflows and
    /// no breakpoints.
    pub fn new(flow: Flow, trigger: Trigger) -> Setup {
        Setup::with_entry(Rc::new(flow), Entry::Trigger(trigger))
    }

    /// A start at `widget` with `flow_data` (see [`StartAt`]).
    pub fn at(flow: Flow, widget: &str, flow_data: Value, kind: TriggerKind) -> Setup {
        Setup::with_entry(
            Rc::new(flow),
            Entry::At(StartAt {
                widget: widget.to_owned(),
                flow_data,
                kind,
            }),
        )
    }

    pub fn with_entry(flow: Rc<Flow>, entry: Entry) -> Setup {
        Setup {
            flow,
            entry,
            config: Config::default(),
            liquid: Rc::new(Liquid::studio()),
            subflows: Subflows::new(),
            breakpoints: SortedSet::new(),
        }
    }

    pub fn config(mut self, config: Config) -> Setup {
        self.config = config;
        self
    }

    pub fn liquid(mut self, liquid: Rc<Liquid>) -> Setup {
        self.liquid = liquid;
        self
    }

    pub fn subflows(mut self, subflows: Subflows) -> Setup {
        self.subflows = subflows;
        self
    }

    pub fn breakpoints(mut self, breakpoints: SortedSet<Breakpoint>) -> Setup {
        self.breakpoints = breakpoints;
        self
    }
}

/// Why an execution could not start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StartError {
    /// A mid-flow start names a widget the flow does not have.
    NoWidget(String),
    /// A mid-flow start's Flow Data is not a JSON object (what it is, in a word).
    NotObject(&'static str),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::NoWidget(w) => write!(f, "the flow has no widget named \"{w}\""),
            StartError::NotObject(what) => {
                write!(f, "Flow Data must be a JSON object, not {what}")
            }
        }
    }
}

impl std::error::Error for StartError {}

/// What a JSON value is, in a word or two (for errors).
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Flow Data as the user wrote it, with what it lacks filled in (see [`StartAt`]); the error
/// says what it is when it is not an object.
pub(crate) fn complete_flow_data(data: Value, flow_sid: &str) -> Result<Value, &'static str> {
    let Value::Object(mut top) = data else {
        return Err(kind_of(&data));
    };
    let flow = top.entry("flow").or_insert_with(|| json!({}));
    if let Value::Object(f) = flow {
        f.entry("flow_sid").or_insert_with(|| json!(flow_sid));
        let channel = f.entry("channel").or_insert_with(|| json!({}));
        if let Value::Object(c) = channel {
            c.entry("address").or_insert_with(|| json!(""));
        }
        f.entry("data").or_insert_with(|| json!({}));
        f.entry("variables").or_insert_with(|| json!({}));
    }
    let contact = top.entry("contact").or_insert_with(|| json!({}));
    if let Value::Object(c) = contact {
        let channel = c.entry("channel").or_insert_with(|| json!({}));
        if let Value::Object(ch) = channel {
            ch.entry("address").or_insert_with(|| json!(""));
        }
    }
    top.entry("trigger")
        .or_insert_with(|| Value::Object(Map::new()));
    top.entry("widgets")
        .or_insert_with(|| Value::Object(Map::new()));
    Ok(Value::Object(top))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::complete_flow_data;

    #[test]
    fn missing_parts_of_flow_data_are_filled_in_and_the_rest_is_kept() {
        let done = complete_flow_data(json!({"flow": {"variables": {"n": 2}}, "extra": 1}), "FW1")
            .expect("an object");
        assert_eq!(
            done,
            json!({
                "flow": {"variables": {"n": 2}, "flow_sid": "FW1", "channel": {"address": ""}, "data": {}},
                "extra": 1,
                "contact": {"channel": {"address": ""}},
                "trigger": {},
                "widgets": {},
            })
        );
        assert_eq!(complete_flow_data(json!([1]), "FW1"), Err("a list"));
        assert_eq!(complete_flow_data(json!(null), "FW1"), Err("null"));
        // What the user wrote stays as written, even where it is not an object.
        let kept = complete_flow_data(json!({"widgets": 5}), "FW1").expect("an object");
        assert_eq!(kept["widgets"], json!(5));
    }
}
