//! The debugger in the session: breakpoints (every execution started later gets them, and the
//! active one at once), Continue, Step and Flow Data edits for a paused execution, and "Run from
//! here" (a start at any widget with Flow Data the user edited, prefilled by
//! [`Simulator::proposed_flow_data`]). Each goes to the active execution's engine as an input, so
//! it is recorded and a rewind replays it.

use std::fmt;

use flowpen_engine::{
    Breakpoint, Entry, Input, InputError, SortedSet, StartAt, StartError, TriggerKind,
};
use flowpen_flow::Flow;
use serde_json::{json, Value};

use super::{Command, Origin, Simulator, CONTACT, FLOW_ADDRESS};

/// Flow Data proposed for a start at a widget.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub flow_data: Value,
    /// How the execution the data comes from started (a message when none did).
    pub kind: TriggerKind,
    /// The execution and step the data comes from: Flow Data just before that step ran.
    pub from: Option<(u32, usize)>,
}

/// Why the Flow Data editor's text cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlowDataError {
    /// JSON, but not an object (what it is, in words).
    NotObject(&'static str),
    /// Not JSON: serde_json's explanation and where.
    NotJson {
        message: String,
        line: usize,
        column: usize,
    },
}

impl fmt::Display for FlowDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowDataError::NotObject(what) => write!(
                f,
                "Flow Data must be a JSON object like {{\"flow\": {{\"variables\": {{}}}}}}, not {what}."
            ),
            FlowDataError::NotJson {
                message,
                line,
                column,
            } => {
                // serde_json's message usually ends with the position already.
                let at = format!(" at line {line} column {column}");
                match message.strip_suffix(&at) {
                    Some(what) => write!(
                        f,
                        "Flow Data is not JSON: {what} (line {line}, column {column})."
                    ),
                    None => write!(f, "Flow Data is not JSON: {message}."),
                }
            }
        }
    }
}

impl std::error::Error for FlowDataError {}

/// Reads the Flow Data editor's text: a JSON object.
pub fn parse_flow_data(text: &str) -> Result<Value, FlowDataError> {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(other) => Err(FlowDataError::NotObject(match other {
            Value::Array(_) => "a list",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "true or false",
            _ => "null",
        })),
        Err(e) => Err(FlowDataError::NotJson {
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        }),
    }
}

impl Simulator {
    /// The breakpoints every new execution gets.
    pub fn breakpoints(&self) -> &SortedSet<Breakpoint> {
        &self.breakpoints
    }

    /// Sets the breakpoints: for the executions started later, and for the active one from now
    /// on (a pause it is in stays until Continue or Step).
    pub fn set_breakpoints(&mut self, breakpoints: SortedSet<Breakpoint>, now: u64) {
        self.breakpoints = breakpoints;
        let set = self.breakpoints.clone();
        if let Some(e) = self.active_mut() {
            let now = e.clock(now);
            let _ = e.give(Input::Breakpoints(set), now);
        }
    }

    /// Adds the breakpoint, or removes it when it is set; says whether it is set now.
    pub fn toggle_breakpoint(&mut self, breakpoint: Breakpoint, now: u64) -> bool {
        let mut set = self.breakpoints.clone();
        let on = set.insert(breakpoint.clone()) || !set.remove(&breakpoint);
        self.set_breakpoints(set, now);
        on
    }

    /// The paused active execution goes on until it waits, ends or reaches a breakpoint.
    pub fn continue_(&mut self, now: u64) -> Vec<Command> {
        self.debug_input(Input::Continue, now).unwrap_or_default()
    }

    /// The paused active execution runs one widget, then pauses before the next one.
    pub fn step(&mut self, now: u64) -> Vec<Command> {
        self.debug_input(Input::Step, now).unwrap_or_default()
    }

    /// Replaces the paused active execution's Flow Data (of the flow that runs now: a subflow's
    /// while one runs). The log gets a step that records the edit.
    pub fn set_flow_data(&mut self, flow_data: Value, now: u64) -> Result<(), InputError> {
        self.debug_input(Input::SetFlowData(flow_data), now)
            .map(|_| ())
    }

    /// Gives the active execution a debugger input (refused when none is active or it is not
    /// paused), then carries out what follows.
    fn debug_input(&mut self, input: Input, now: u64) -> Result<Vec<Command>, InputError> {
        let mut commands = Vec::new();
        let mut fail = self.fail_next_send;
        let Some(e) = self.active_mut() else {
            return Err(InputError::NotWaiting);
        };
        let id = e.id;
        let now = e.clock(now);
        e.give(input, now)?;
        e.drain(&mut fail, now, &mut commands);
        self.fail_next_send = fail;
        self.selected = Some(id);
        Ok(commands)
    }

    /// "Run from here": starts an execution of `flow` at `widget` with `flow_data` (a JSON
    /// object; what it lacks is filled in) and a start of `kind` (which decides whether there is
    /// a call), stopping the active one. Nothing changes when the widget does not exist or the
    /// Flow Data is not an object.
    pub fn start_at(
        &mut self,
        flow: &Flow,
        flow_rev: u64,
        widget: &str,
        flow_data: Value,
        kind: TriggerKind,
        now: u64,
    ) -> Result<Vec<Command>, StartError> {
        let entry = Entry::At(StartAt {
            widget: widget.to_owned(),
            flow_data,
            kind,
        });
        let setup = self.setup(flow, entry);
        let origin = Origin::StartAt {
            widget: widget.to_owned(),
        };
        self.launch(setup, origin, flow_rev, now)
    }

    /// The Flow Data to prefill "Run from here" at `widget` with: the Flow Data just before the
    /// widget's last run in the most recent execution that ran it (of the main flow: subflow
    /// steps are not looked at), else a minimal context with the simulator's addresses.
    pub fn proposed_flow_data(&self, widget: &str) -> Proposal {
        for e in self.executions.iter().rev() {
            let last = e
                .steps()
                .iter()
                .rev()
                .find(|s| s.widget == widget && s.subflow.is_none() && s.is_widget_run());
            if let Some(s) = last {
                return Proposal {
                    flow_data: e.engine().context_before(s.index),
                    kind: e.engine().trigger().kind(),
                    from: Some((e.id, s.index)),
                };
            }
        }
        let kind = self
            .executions
            .last()
            .map_or(TriggerKind::Message, |e| e.engine().trigger().kind());
        Proposal {
            flow_data: json!({
                "flow": {
                    "flow_sid": self.config.flow_sid,
                    "channel": {"address": FLOW_ADDRESS},
                    "data": {},
                    "variables": {},
                },
                "contact": {"channel": {"address": CONTACT}},
                "trigger": {},
                "widgets": {},
            }),
            kind,
            from: None,
        }
    }
}
