//! Starting an execution: at the flow's Trigger (Studio's only start), or at any widget with Flow
//! Data the user edited (`StartAt`; its decisions are documented there).

use std::collections::VecDeque;
use std::rc::Rc;

use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use serde_json::Value;

use super::call::CallLeg;
use super::{Config, Engine, Phase};
use crate::call::InboundCall;
use crate::conditions::Conditions;
use crate::io::{EndReason, Trigger, TriggerKind};
use crate::setup::{complete_flow_data, Entry, Setup, StartAt, StartError};
use crate::step::StepDetail;
use crate::subflows::Subflows;

impl Engine {
    /// Starts an execution at `now_ms` (Unix milliseconds) and runs it until it waits or ends.
    pub fn start(flow: Flow, trigger: Trigger, config: Config, now_ms: u64) -> Engine {
        Engine::start_with(flow, trigger, config, Rc::new(Liquid::studio()), now_ms)
    }

    /// Like [`Engine::start`], sharing a Liquid service (and its template cache) between executions.
    pub fn start_with(
        flow: Flow,
        trigger: Trigger,
        config: Config,
        liquid: Rc<Liquid>,
        now_ms: u64,
    ) -> Engine {
        Engine::start_with_subflows(flow, trigger, config, liquid, Subflows::new(), now_ms)
    }

    /// Like [`Engine::start_with`], with the project's other flows for Run Subflow widgets.
    pub fn start_with_subflows(
        flow: Flow,
        trigger: Trigger,
        config: Config,
        liquid: Rc<Liquid>,
        subflows: Subflows,
        now_ms: u64,
    ) -> Engine {
        let setup = Setup::new(flow, trigger)
            .config(config)
            .liquid(liquid)
            .subflows(subflows);
        Engine::begin_at_trigger(setup, now_ms)
    }

    /// Starts an execution from a [`Setup`] at `now_ms` and runs it until it waits, pauses or
    /// ends. Only a mid-flow start can fail (an unknown widget, Flow Data that is not an object).
    pub fn begin(setup: Setup, now_ms: u64) -> Result<Engine, StartError> {
        match setup.entry.clone() {
            Entry::Trigger(_) => Ok(Engine::begin_at_trigger(setup, now_ms)),
            Entry::At(at) => Engine::begin_at(setup, &at, now_ms),
        }
    }

    /// Starts an execution at `widget` with the Flow Data the user edited ("Run from here"; see
    /// [`StartAt`]), with the rest of `setup` (its entry is replaced).
    pub fn start_at(
        setup: Setup,
        widget: &str,
        flow_data: Value,
        kind: TriggerKind,
        now_ms: u64,
    ) -> Result<Engine, StartError> {
        let at = StartAt {
            widget: widget.to_owned(),
            flow_data,
            kind,
        };
        let setup = Setup {
            entry: Entry::At(at),
            ..setup
        };
        Engine::begin(setup, now_ms)
    }

    /// An engine that has not run anything yet.
    fn blank(setup: Setup, trigger: Trigger, now_ms: u64) -> Engine {
        Engine {
            runs: vec![0; setup.flow.states.len()],
            flow: Rc::clone(&setup.flow),
            ctx: Value::Null,
            subflow: None,
            subflow_keys: Vec::new(),
            parked: None,
            subflow_initials: Vec::new(),
            breakpoints: setup.breakpoints.clone(),
            setup,
            conditions: Conditions::new(),
            trigger,
            initial: Value::Null,
            started_ms: now_ms,
            resuming: false,
            stepping: false,
            phase: Phase::Ended(EndReason::Stopped),
            steps: Vec::new(),
            effects: VecDeque::new(),
            call: None,
            next_message: 1,
            next_request: 1,
            next_sid: 1,
            next_wait: 1,
            now_ms,
        }
    }

    fn begin_at_trigger(setup: Setup, now_ms: u64) -> Engine {
        let trigger = match &setup.entry {
            Entry::Trigger(t) => t.clone(),
            Entry::At(at) => at.kind.trigger_from(&at.flow_data),
        };
        let mut engine = Engine::blank(setup, trigger.clone(), now_ms);
        engine.ctx = engine.initial_context(&trigger, now_ms);
        engine.initial = engine.ctx.clone();
        let start = engine
            .flow
            .initial_state()
            .and_then(|n| engine.flow.index_of(n));
        match start {
            Some(i) => {
                engine.phase = Phase::Enter(i);
                engine.run(now_ms);
            }
            None => {
                let message = match engine.flow.initial_state() {
                    Some(n) => format!("initial_state \"{n}\" names no widget"),
                    None => "the flow has no initial_state".to_owned(),
                };
                engine.end(EndReason::Error {
                    widget: "Trigger".into(),
                    message,
                });
            }
        }
        engine
    }

    fn begin_at(setup: Setup, at: &StartAt, now_ms: u64) -> Result<Engine, StartError> {
        let i = setup
            .flow
            .index_of(&at.widget)
            .ok_or_else(|| StartError::NoWidget(at.widget.clone()))?;
        let ctx = complete_flow_data(at.flow_data.clone(), &setup.config.flow_sid)
            .map_err(StartError::NotObject)?;
        let trigger = at.kind.trigger_from(&ctx);
        let mut engine = Engine::blank(setup, trigger, now_ms);
        let call = ctx["trigger"]["call"].as_object();
        engine.call = match (at.kind, call) {
            (TriggerKind::Call | TriggerKind::Subflow, Some(params)) => {
                Some(CallLeg::from_params(params))
            }
            (TriggerKind::Call, None) => {
                let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
                let inbound = InboundCall {
                    from: text(&ctx["contact"]["channel"]["address"]),
                    to: text(&ctx["flow"]["channel"]["address"]),
                    parameters: Vec::new(),
                };
                Some(CallLeg::inbound(format!("CA{:032x}", 1), &inbound))
            }
            _ => None,
        };
        engine.ctx = ctx.clone();
        engine.initial = ctx;
        let on_call = if engine.call.is_some() {
            " (on a call)"
        } else {
            ""
        };
        // A blank engine: the first step, of the top flow.
        let mut step = engine.new_step(i, now_ms);
        step.next = Some(step.widget.clone());
        step.outcome = format!(
            "started mid-flow at \"{}\" with edited Flow Data{on_call}",
            step.widget
        );
        step.detail = StepDetail::StartedAt { kind: at.kind };
        engine.finish_step(step, now_ms);
        engine.phase = Phase::Enter(i);
        engine.run(now_ms);
        Ok(engine)
    }
}
