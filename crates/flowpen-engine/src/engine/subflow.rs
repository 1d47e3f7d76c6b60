//! Run Subflow: another flow of the project runs inside the same execution.
//!
//! Docs: <https://www.twilio.com/docs/studio/widget-library/run-subflow>,
//! <https://www.twilio.com/docs/studio/subflows>, error 81024
//! (<https://www.twilio.com/docs/api/errors/81024>: the Subflow definition does not exist, or a
//! Subflow tries to invoke another Subflow).
//!
//! The subflow starts at its Trigger's `incomingParent` with `trigger.parent.parameters` (the
//! widget's rendered `parameters`) and a copy of the parent's `trigger`; its `flow.variables`
//! start empty and come back as `widgets.NAME.<key>` when it ends normally (`completed`). Its
//! steps are the execution's steps (they count toward the 1,000) and are marked with the run they
//! belong to. Its widgets run as the parent's do: messages, calls and waits are the execution's.
//!
//! Decisions where Studio is silent: the subflow's `flow.data` starts empty and its `flow.flow_sid`
//! is the widget's `flow_sid`; its run counts are its own; an abnormal end inside it (a missing
//! widget, its own run limit, an error, an unsupported widget) is `failed` in the parent with the
//! reason in the step; the step limit, a stop and the end of the call end the whole execution.

use serde_json::{json, Map, Value};

use super::{Engine, Parked, Phase};
use crate::io::EndReason;
use crate::step::{Step, SubflowRef};

impl Engine {
    pub(crate) fn run_subflow(
        &mut self,
        i: usize,
        mut step: Step,
        now_ms: u64,
    ) -> Result<(), EndReason> {
        let state = &self.flow.states[i];
        let widget = state.name.clone();
        let flow_sid = state
            .prop_str("flow_sid")
            .unwrap_or_default()
            .trim()
            .to_owned();
        let revision = state
            .prop_str("flow_revision")
            .unwrap_or_default()
            .to_owned();
        step.inputs.push(("flow_sid".into(), flow_sid.clone()));
        step.inputs.push(("flow_revision".into(), revision));
        let params = self.render_pairs(i, "parameters", &mut step, now_ms)?;
        if self.parked.is_some() {
            step.outcome =
                "failed: a subflow cannot run another subflow (Studio error 81024)".into();
            self.leave(i, "failed", step, now_ms);
            return Ok(());
        }
        let Some(flow) = self.setup.subflows.resolve(&flow_sid, &widget) else {
            step.outcome = format!(
                "failed: no flow of the project is \"{flow_sid}\" (Studio error 81024: the Subflow definition does not exist); give it to the simulator by its SID or by this widget's name"
            );
            self.leave(i, "failed", step, now_ms);
            return Ok(());
        };
        let Some(start) = flow.initial_state().and_then(|n| flow.index_of(n)) else {
            step.outcome = "failed: the subflow's initial_state names no widget".into();
            self.leave(i, "failed", step, now_ms);
            return Ok(());
        };
        let parameters: Map<String, Value> =
            params.into_iter().map(|(k, v)| (k, json!(v))).collect();
        let mut trigger = match &self.ctx["trigger"] {
            Value::Object(o) => o.clone(),
            _ => Map::new(),
        };
        trigger.remove("parent");
        trigger.insert("parent".into(), json!({ "parameters": parameters }));
        let ctx = json!({
            "flow": {
                "flow_sid": flow_sid,
                "channel": self.ctx["flow"]["channel"].clone(),
                "data": {},
                "variables": {},
            },
            "contact": self.ctx["contact"].clone(),
            "trigger": trigger,
            "widgets": {},
        });
        let run = self.subflow_initials.len();
        self.subflow_initials.push(ctx.clone());
        let runs = vec![0; flow.states.len()];
        let keys = self.setup.subflows.keys_of(&flow);
        let parked = Parked {
            flow: std::mem::replace(&mut self.flow, flow),
            ctx: std::mem::replace(&mut self.ctx, ctx),
            runs: std::mem::replace(&mut self.runs, runs),
            subflow: self.subflow.replace(SubflowRef {
                widget,
                flow_sid,
                run,
            }),
            subflow_keys: std::mem::replace(&mut self.subflow_keys, keys),
            state: i,
            step,
        };
        self.parked = Some(Box::new(parked));
        self.phase = Phase::Enter(start);
        Ok(())
    }

    /// The subflow ended (`reason`): back in the parent, its Run Subflow widget follows
    /// `completed` (a normal end) or `failed`.
    pub(crate) fn return_to_parent(&mut self, reason: EndReason) {
        let Some(parked) = self.parked.take() else {
            return;
        };
        let Parked {
            flow,
            ctx,
            runs,
            subflow,
            subflow_keys,
            state,
            mut step,
        } = *parked;
        self.subflow_keys = subflow_keys;
        self.flow = flow;
        let sub_ctx = std::mem::replace(&mut self.ctx, ctx);
        self.runs = runs;
        self.subflow = subflow;
        let now_ms = self.now_ms;
        let event = if let EndReason::NoNext { widget, event } = &reason {
            step.outcome =
                format!("the subflow completed (\"{widget}\" has no next widget for \"{event}\")");
            let variables = match &sub_ctx["flow"]["variables"] {
                v @ Value::Object(_) => v.clone(),
                _ => json!({}),
            };
            self.set_widget(&mut step, state, variables);
            "completed"
        } else {
            step.outcome = format!("the subflow failed: {reason}");
            "failed"
        };
        self.leave(state, event, step, now_ms);
    }
}
