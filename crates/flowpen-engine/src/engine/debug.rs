//! The debugger: breakpoints, pausing before a widget, Continue, Step and Flow Data edits.
//!
//! Decisions (Studio has no debugger):
//! - A pause happens before a widget runs: before its step exists, before its run counts and the
//!   limits are checked, so a paused execution has nothing pending and no timer (`Status::Paused`,
//!   `poll_timeout` is `None`). The widget runs on `Input::Continue` or `Input::Step` without
//!   pausing again; the limits (1,000 steps, 10 runs per widget) apply then, as always.
//! - `Input::Step` runs one widget and pauses before the next one that is entered, whatever its
//!   breakpoints; when that widget waits (a reply, a request, a Gather…), the pause comes after
//!   the wait, before the widget it leads to. Stepping into a Run Subflow pauses before the
//!   subflow's Trigger; its end pauses before the parent's next widget.
//! - Breakpoints are scoped by flow ([`Breakpoint`]): a subflow's breakpoints apply while that
//!   subflow runs, by the widget names of the subflow.
//! - `Input::SetFlowData` is taken only while paused. The new Flow Data (an object, completed as
//!   a mid-flow start's is) replaces the Flow Data of the flow that runs now, and the log gets a
//!   step that records the edit as changes ([`StepDetail::FlowDataEdited`], named after the
//!   paused widget): `context_after` stays a replay of the log, and the step counts toward the
//!   step limit like any other; at the limit, edits are refused (so they stay bounded).
//! - A paused execution can be stopped, and the caller can hang up: the call is then over for the
//!   widgets that follow, as when a caller hangs up during a reply wait.
//! - Breakpoints change with `Input::Breakpoints` at any time before the end; a pause already
//!   taken stays until Continue or Step.

use serde_json::Value;

use super::{Engine, InputError, Phase};
use crate::input::{Breakpoint, PauseReason};
use crate::setup::complete_flow_data;
use crate::step::{Change, StepDetail};
use crate::SortedSet;

impl Engine {
    /// Whether to pause before widget `i` of the flow that runs now, and why.
    pub(super) fn pause_before(&mut self, i: usize) -> Option<PauseReason> {
        if self.resuming {
            self.resuming = false;
            return None;
        }
        if self.stepping {
            self.stepping = false;
            return Some(PauseReason::Step);
        }
        let widget = &self.flow.states[i].name;
        let hit = self
            .breakpoints
            .iter()
            .any(|b| b.widget == *widget && self.runs_flow(b.subflow.as_deref()));
        hit.then_some(PauseReason::Breakpoint)
    }

    /// The paused widget (its index), if the execution is paused.
    fn paused_at(&self) -> Result<usize, InputError> {
        match self.phase {
            Phase::Paused { state, .. } => Ok(state),
            _ => Err(InputError::NotWaiting),
        }
    }

    /// Goes on from a pause until the execution waits, ends or reaches a breakpoint.
    pub(super) fn handle_continue(&mut self, now_ms: u64) -> Result<(), InputError> {
        let i = self.paused_at()?;
        self.resume(i, false, now_ms);
        Ok(())
    }

    /// Runs the paused widget, then pauses before the next one.
    pub(super) fn handle_step(&mut self, now_ms: u64) -> Result<(), InputError> {
        let i = self.paused_at()?;
        self.resume(i, true, now_ms);
        Ok(())
    }

    fn resume(&mut self, i: usize, step: bool, now_ms: u64) {
        self.resuming = true;
        self.stepping = step;
        self.phase = Phase::Enter(i);
        self.run(now_ms);
    }

    /// Replaces the Flow Data of the flow that runs now, while paused (see the module docs).
    pub(super) fn handle_set_flow_data(
        &mut self,
        data: Value,
        now_ms: u64,
    ) -> Result<(), InputError> {
        let i = self.paused_at()?;
        let limit = self.setup.config.max_steps;
        if self.steps.len() >= limit as usize {
            return Err(InputError::Invalid(format!(
                "the execution took {limit} steps (Studio's maximum): its Flow Data cannot be edited any more"
            )));
        }
        let flow_sid = self.ctx["flow"]["flow_sid"]
            .as_str()
            .unwrap_or(&self.setup.config.flow_sid)
            .to_owned();
        let data = complete_flow_data(data, &flow_sid).map_err(|what| {
            InputError::Invalid(format!("Flow Data must be a JSON object, not {what}"))
        })?;
        self.now_ms = now_ms;
        let mut changes = Vec::new();
        diff(&mut Vec::new(), &self.ctx, &data, &mut changes);
        for c in &changes {
            c.apply(&mut self.ctx);
        }
        let n = changes.len();
        let mut step = self.new_step(i, now_ms);
        step.next = Some(step.widget.clone());
        step.outcome = format!(
            "Flow Data edited while paused before \"{}\" ({n} change{})",
            step.widget,
            if n == 1 { "" } else { "s" }
        );
        step.detail = StepDetail::FlowDataEdited;
        step.changes = changes;
        self.finish_step(step, now_ms);
        Ok(())
    }

    /// The breakpoints from now on.
    pub(super) fn handle_breakpoints(
        &mut self,
        breakpoints: SortedSet<Breakpoint>,
    ) -> Result<(), InputError> {
        if self.end_reason().is_some() {
            return Err(InputError::NotWaiting);
        }
        self.breakpoints = breakpoints;
        Ok(())
    }
}

/// The changes that turn `old` into `new`: inside objects that keep every member, one change
/// per member that differs (recursively); anything else is replaced whole at `path` (an empty
/// path replaces everything).
fn diff(path: &mut Vec<String>, old: &Value, new: &Value, out: &mut Vec<Change>) {
    if old == new {
        return;
    }
    match (old, new) {
        (Value::Object(o), Value::Object(n)) if o.keys().all(|k| n.contains_key(k)) => {
            for (k, v) in n {
                path.push(k.clone());
                match o.get(k) {
                    Some(before) => diff(path, before, v, out),
                    None => out.push(Change {
                        path: path.clone(),
                        value: v.clone(),
                    }),
                }
                path.pop();
            }
        }
        _ => out.push(Change {
            path: path.clone(),
            value: new.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::diff;

    fn changes(old: Value, new: Value) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        diff(&mut Vec::new(), &old, &new, &mut out);
        let mut replayed = old.clone();
        for c in &out {
            c.apply(&mut replayed);
        }
        assert_eq!(replayed, new, "the changes give the new value");
        out.into_iter()
            .map(|c| (c.path.join("."), c.value))
            .collect()
    }

    #[test]
    fn an_edit_is_recorded_as_the_smallest_changes_that_replay_it() {
        assert_eq!(changes(json!({"a": 1}), json!({"a": 1})), vec![]);
        assert_eq!(
            changes(
                json!({"flow": {"variables": {"n": 1, "m": 2}}, "widgets": {}}),
                json!({"flow": {"variables": {"n": 5, "m": 2}}, "widgets": {"x": {"y": 1}}})
            ),
            vec![
                ("flow.variables.n".to_owned(), json!(5)),
                ("widgets.x".to_owned(), json!({"y": 1})),
            ]
        );
        // A member removed: its parent is replaced whole.
        assert_eq!(
            changes(
                json!({"widgets": {"x": 1, "y": 2}, "flow": {}}),
                json!({"widgets": {"y": 2}, "flow": {}})
            ),
            vec![("widgets".to_owned(), json!({"y": 2}))]
        );
        // A top-level member removed: everything is replaced.
        assert_eq!(
            changes(json!({"a": 1, "b": 2}), json!({"b": 2})),
            vec![(String::new(), json!({"b": 2}))]
        );
        assert_eq!(
            changes(json!({"l": [1, 2]}), json!({"l": [1]})),
            vec![("l".to_owned(), json!([1]))]
        );
    }
}
