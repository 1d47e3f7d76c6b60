//! The execution state machine.
//!
//! ```text
//!            start(flow, trigger, now)
//!                      │
//!                      ▼
//!   ┌──────────► Running ──(Set Variables, Split, Trigger, Fork Stream: no waiting)──┐
//!   │              │                                                                │
//!   │   a widget that waits:                                                        │
//!   │     Send & Wait        → WaitingForReply   (reply, timeout, delivery failure)   │
//!   │     Send Message       → WaitingForSend    (sent, send failure)                 │
//!   │     Run Function, HTTP → WaitingForHttp    (response, transport error, timeout) │
//!   │     Say/Play           → Playing           (audio complete)                     │
//!   │     Gather             → Gathering         (digits, speech, timeout)            │
//!   │     Record Voicemail   → Recording         (recording, timeout)                 │
//!   │     outside world      → WaitingForExternal (one of its events, timeout)        │
//!   │              │          … and on a call, the caller hanging up at any of them   │
//!   └──────────────┘                                                                ▼
//!                                                                  Ended(reason) ◄──┘
//! ```
//!
//! The debugger adds one more resting place: before a widget runs, the execution pauses when the
//! widget has a breakpoint, or after `Input::Step` ran one widget (`Paused`, left with
//! `Input::Continue` or `Input::Step`; see `debug`). An execution can also start in the middle of
//! the flow (`crate::StartAt`, see `start`).
//!
//! Run Subflow runs another flow inside the same execution: the parent's flow, Flow Data and run
//! counts are parked (`Parked`) while the subflow's take their place, so every widget works the
//! same in both; the subflow's end (`end`) returns to the parent (`subflow::return_to_parent`).
//!
//! The engine's methods come in the four groups of the sans-IO style:
//! - A. getters (`status`, `steps`, `flow_data`, `context_after`, …);
//! - B. inputs, named `handle_*`, each taking the current time (the messaging and HTTP ones in
//!   `inputs`, the call's in `caller`, the debugger's in `debug`), and `handle`, which takes any
//!   of them as data (`crate::Input`);
//! - C. commands (`stop`);
//! - D. polling: `poll_effect` for what to do, `poll_timeout` for when to call `handle_timeout`.
//!
//! After starting and after every B/C call, drain `poll_effect` and carry the effects out.
//!
//! This module is the state machine's core: phases, inputs, polling, and leaving widgets (steps,
//! transitions, limits). What each widget does lives in a child module per widget family:
//! `trigger`, `messaging` (Send Message, Send & Wait For Reply), `http` (Run Function, Make HTTP
//! Request), `logic` (Set Variables, Split Based On…), `voice` (Say/Play, Gather Input On Call,
//! Record Voicemail), `world` (the widgets whose outcome belongs to the outside world, and Fork
//! Stream) and `subflow` (Run Subflow); `call` holds the call leg's helpers and `caller` the call's
//! inputs. `start` holds the constructors (at the Trigger, or mid-flow), `inputs` the dispatch of
//! `Input`s, `debug` breakpoints, pausing and Flow Data edits.

mod call;
mod caller;
mod debug;
mod http;
mod inputs;
mod logic;
mod messaging;
mod start;
mod subflow;
mod trigger;
mod voice;
mod world;

pub use http::form_encode;

use std::collections::VecDeque;
use std::rc::Rc;

use flowpen_flow::{Flow, WidgetType};
use serde_json::Value;

use crate::call::{Audio, CallInfo, ExternalRequest, WaitId};
use crate::conditions::Conditions;
use crate::input::{Breakpoint, PauseReason};
use crate::io::{Effect, EndReason, HttpRequest, MessageId, RequestId, Trigger};
use crate::setup::Setup;
use crate::step::{Change, Step, StepDetail, SubflowRef};
use crate::SortedSet;

/// Limits and identities of an execution. The defaults are Studio's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// A widget may run this many times per execution; entering it once more ends the execution.
    pub max_runs_per_widget: u32,
    /// Steps per execution.
    pub max_steps: u32,
    /// Run Function / Make HTTP Request time limit.
    pub http_timeout_ms: u64,
    /// Largest response body Run Function / Make HTTP Request accept.
    pub max_response_bytes: usize,
    /// Send & Wait For Reply's timeout when the widget has none (seconds).
    pub default_reply_timeout_s: u64,
    pub flow_sid: String,
    pub account_sid: String,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_runs_per_widget: 10,
            max_steps: 1000,
            http_timeout_ms: 10_000,
            max_response_bytes: 64 * 1024,
            default_reply_timeout_s: 3600,
            flow_sid: format!("FW{:032x}", 0),
            account_sid: format!("AC{:032x}", 0),
        }
    }
}

/// Where an execution stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Between inputs this is never seen: the engine runs until it waits or ends.
    Running,
    /// A Send & Wait For Reply widget waits for the contact.
    WaitingForReply {
        widget: String,
        deadline_ms: u64,
    },
    /// A Send Message widget waits to hear that its message was sent.
    WaitingForSend {
        widget: String,
        message: MessageId,
    },
    /// A Run Function or Make HTTP Request widget waits for its response.
    WaitingForHttp {
        widget: String,
        request: RequestId,
        deadline_ms: u64,
    },
    /// A Say/Play widget waits for its audio to finish (`handle_audio_complete`).
    Playing {
        widget: String,
        audio: WaitId,
    },
    /// A Gather Input On Call widget waits for keys or speech; `digits` are the keys so far.
    Gathering {
        widget: String,
        deadline_ms: u64,
        digits: String,
    },
    /// A Record Voicemail widget waits for the recording.
    Recording {
        widget: String,
        deadline_ms: u64,
    },
    /// A widget waits for the outside world to answer with one of its events.
    WaitingForExternal {
        widget: String,
        id: WaitId,
        deadline_ms: Option<u64>,
    },
    /// The execution paused before `widget` runs (of the flow that runs now: a subflow's while
    /// one runs). Nothing is pending and no timer runs; `Input::Continue` or `Input::Step` go on,
    /// `Input::SetFlowData` edits Flow Data.
    Paused {
        widget: String,
        reason: PauseReason,
    },
    Ended(EndReason),
}

impl Status {
    /// The widget the execution waits in, if it waits.
    pub fn widget(&self) -> Option<&str> {
        match self {
            Status::WaitingForReply { widget, .. }
            | Status::WaitingForSend { widget, .. }
            | Status::WaitingForHttp { widget, .. }
            | Status::Playing { widget, .. }
            | Status::Gathering { widget, .. }
            | Status::Recording { widget, .. }
            | Status::WaitingForExternal { widget, .. }
            | Status::Paused { widget, .. } => Some(widget),
            Status::Running | Status::Ended(_) => None,
        }
    }

    /// Whether only the outside of the engine can move the execution on: it waits for the
    /// contact, the caller, the outside world or the user (paused), or it has ended. The other
    /// waits (a message being sent, an HTTP response, audio playing) are answered by the shell
    /// itself. Rewinding stops at such a point (`crate::replay::rewind`).
    pub fn is_at_rest(&self) -> bool {
        matches!(
            self,
            Status::WaitingForReply { .. }
                | Status::Gathering { .. }
                | Status::Recording { .. }
                | Status::WaitingForExternal { .. }
                | Status::Paused { .. }
                | Status::Ended(_)
        )
    }
}

/// Why an input was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// The execution is not waiting for this kind of input now.
    NotWaiting,
    /// No pending message or request has this id.
    UnknownId,
    /// The execution is on no live call (it never had one, or the caller hung up).
    NoCall,
    /// The input cannot be used as it is (the reason says why).
    Invalid(String),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::NotWaiting => f.write_str("the execution is not waiting for that"),
            InputError::UnknownId => f.write_str("no pending message or request has that id"),
            InputError::NoCall => f.write_str("the execution is on no live call"),
            InputError::Invalid(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for InputError {}

/// What the engine is suspended on, with the step being built. `state` indexes the flow that runs
/// now (a subflow's while one runs).
#[derive(Clone, Debug)]
enum Waiting {
    Reply {
        state: usize,
        message: MessageId,
        deadline_ms: u64,
        step: Step,
        outbound: Value,
    },
    Sent {
        state: usize,
        message: MessageId,
        step: Step,
        outbound: Value,
    },
    Http {
        state: usize,
        request: HttpRequest,
        deadline_ms: u64,
        step: Step,
    },
    Audio {
        state: usize,
        id: WaitId,
        audio: Audio,
        step: Step,
    },
    Gather {
        state: usize,
        gather: voice::GatherState,
        step: Step,
    },
    Record {
        state: usize,
        record: voice::RecordState,
        step: Step,
    },
    External {
        state: usize,
        request: ExternalRequest,
        step: Step,
    },
}

impl Waiting {
    fn state(&self) -> usize {
        match self {
            Waiting::Reply { state, .. }
            | Waiting::Sent { state, .. }
            | Waiting::Http { state, .. }
            | Waiting::Audio { state, .. }
            | Waiting::Gather { state, .. }
            | Waiting::Record { state, .. }
            | Waiting::External { state, .. } => *state,
        }
    }

    fn deadline(&self) -> Option<u64> {
        match self {
            Waiting::Reply { deadline_ms, .. } | Waiting::Http { deadline_ms, .. } => {
                Some(*deadline_ms)
            }
            Waiting::Gather { gather, .. } => Some(gather.deadline_ms),
            Waiting::Record { record, .. } => Some(record.deadline_ms),
            Waiting::External { request, .. } => request.deadline_ms,
            Waiting::Sent { .. } | Waiting::Audio { .. } => None,
        }
    }
}

#[derive(Clone, Debug)]
enum Phase {
    /// About to run the widget at this index.
    Enter(usize),
    Waiting(Box<Waiting>),
    /// Paused before the widget at this index.
    Paused {
        state: usize,
        reason: PauseReason,
    },
    Ended(EndReason),
}

/// The parent flow's side of a running subflow: what the subflow took the place of.
#[derive(Clone, Debug)]
struct Parked {
    flow: Rc<Flow>,
    ctx: Value,
    runs: Vec<u32>,
    subflow: Option<SubflowRef>,
    subflow_keys: Vec<String>,
    /// The parent's Run Subflow widget and its step.
    state: usize,
    step: Step,
}

/// One execution of a flow.
pub struct Engine {
    /// The flow that runs now (a subflow's while one runs; see `Parked`), its Flow Data and how
    /// often each of its widgets ran.
    flow: Rc<Flow>,
    ctx: Value,
    runs: Vec<u32>,
    /// Set while a subflow runs: the run its steps belong to.
    subflow: Option<SubflowRef>,
    /// Set while a subflow runs: every key its flow is registered under (for breakpoints).
    subflow_keys: Vec<String>,
    parked: Option<Box<Parked>>,
    /// The Flow Data each subflow run started with (for `context_after`).
    subflow_initials: Vec<Value>,
    /// What the execution started from: the flow, the entry, limits, Liquid, subflows.
    setup: Setup,
    conditions: Conditions,
    /// The trigger (for a mid-flow start, the one its Flow Data stands for).
    trigger: Trigger,
    initial: Value,
    started_ms: u64,
    /// The breakpoints now, and the debugger's state: `resuming` lets the paused widget run
    /// without pausing again, `stepping` pauses before the next widget whatever its breakpoints.
    breakpoints: SortedSet<Breakpoint>,
    resuming: bool,
    stepping: bool,
    phase: Phase,
    steps: Vec<Step>,
    effects: VecDeque<Effect>,
    /// The call the execution is on, if any (and whether it is still up).
    call: Option<call::CallLeg>,
    next_message: u32,
    next_request: u32,
    next_sid: u32,
    next_wait: u32,
    /// The time of the input being handled (for ends that come back to a parent flow).
    now_ms: u64,
}

impl Engine {
    // A. Getters.

    pub fn status(&self) -> Status {
        match &self.phase {
            Phase::Enter(_) => Status::Running,
            Phase::Ended(r) => Status::Ended(r.clone()),
            Phase::Paused { state, reason } => Status::Paused {
                widget: self.flow.states[*state].name.clone(),
                reason: *reason,
            },
            Phase::Waiting(w) => {
                let widget = self.flow.states[w.state()].name.clone();
                match &**w {
                    Waiting::Reply { deadline_ms, .. } => Status::WaitingForReply {
                        widget,
                        deadline_ms: *deadline_ms,
                    },
                    Waiting::Sent { message, .. } => Status::WaitingForSend {
                        widget,
                        message: *message,
                    },
                    Waiting::Http {
                        request,
                        deadline_ms,
                        ..
                    } => Status::WaitingForHttp {
                        widget,
                        request: request.id,
                        deadline_ms: *deadline_ms,
                    },
                    Waiting::Audio { id, .. } => Status::Playing { widget, audio: *id },
                    Waiting::Gather { gather, .. } => Status::Gathering {
                        widget,
                        deadline_ms: gather.deadline_ms,
                        digits: gather.digits.clone(),
                    },
                    Waiting::Record { record, .. } => Status::Recording {
                        widget,
                        deadline_ms: record.deadline_ms,
                    },
                    Waiting::External { request, .. } => Status::WaitingForExternal {
                        widget,
                        id: request.id,
                        deadline_ms: request.deadline_ms,
                    },
                }
            }
        }
    }

    /// Why the execution ended, once it has.
    pub fn end_reason(&self) -> Option<&EndReason> {
        match &self.phase {
            Phase::Ended(r) => Some(r),
            _ => None,
        }
    }

    /// The widget the execution is at (waiting in), if any; it belongs to [`Engine::current_flow`].
    pub fn current_widget(&self) -> Option<&str> {
        let i = match &self.phase {
            Phase::Enter(i) | Phase::Paused { state: i, .. } => *i,
            Phase::Waiting(w) => w.state(),
            Phase::Ended(_) => return None,
        };
        Some(&self.flow.states[i].name)
    }

    /// The steps so far, in order (a subflow's steps are marked with [`Step::subflow`]).
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The current Flow Data (`flow`, `contact`, `trigger`, `widgets`) of the flow that runs now:
    /// a subflow's while one runs (or when the execution ended inside one).
    pub fn flow_data(&self) -> &Value {
        &self.ctx
    }

    /// Flow Data as it was right after step `index` (before any step: the initial context), in the
    /// flow the step belongs to: a subflow's step gives the subflow's Flow Data.
    pub fn context_after(&self, index: usize) -> Value {
        let scope = self
            .steps
            .get(index.min(self.steps.len().saturating_sub(1)))
            .and_then(|s| s.subflow.as_ref())
            .map(|r| r.run);
        self.context_in(scope, index.saturating_add(1))
    }

    /// Flow Data as it was just before step `index` ran, in the flow the step belongs to (what the
    /// step's widget saw). Past the end: the Flow Data after the last step.
    pub fn context_before(&self, index: usize) -> Value {
        let scope = self
            .steps
            .get(index.min(self.steps.len().saturating_sub(1)))
            .and_then(|s| s.subflow.as_ref())
            .map(|r| r.run);
        self.context_in(scope, index)
    }

    /// The Flow Data of the flow run `scope` (`None`: the execution's own flow) after the first
    /// `count` steps.
    fn context_in(&self, scope: Option<usize>, count: usize) -> Value {
        let mut ctx = match scope {
            Some(run) => self.subflow_initials[run].clone(),
            None => self.initial.clone(),
        };
        for step in self.steps.iter().take(count) {
            if step.subflow.as_ref().map(|r| r.run) == scope {
                for c in &step.changes {
                    c.apply(&mut ctx);
                }
            }
        }
        ctx
    }

    /// The Flow Data the execution started with (a mid-flow start's, as edited and completed).
    pub fn initial_flow_data(&self) -> &Value {
        &self.initial
    }

    pub fn trigger(&self) -> &Trigger {
        &self.trigger
    }

    /// What the execution started from (with the breakpoints it started with).
    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// When the execution started (the time given to the constructor).
    pub fn started_ms(&self) -> u64 {
        self.started_ms
    }

    /// The breakpoints now.
    pub fn breakpoints(&self) -> &SortedSet<Breakpoint> {
        &self.breakpoints
    }

    /// The flow the execution started with.
    pub fn flow(&self) -> &Flow {
        match &self.parked {
            Some(p) => &p.flow,
            None => &self.flow,
        }
    }

    /// The flow that runs now: a subflow's while one runs.
    pub fn current_flow(&self) -> &Flow {
        &self.flow
    }

    /// The subflow run the execution is in, if it is in one.
    pub fn current_subflow(&self) -> Option<&SubflowRef> {
        self.subflow.as_ref()
    }

    /// Whether the flow that runs now is the one `subflow` names: `None` the execution's own
    /// flow, `Some(key)` a subflow registered under `key` (any of its keys, as for breakpoints).
    pub fn runs_flow(&self, subflow: Option<&str>) -> bool {
        match subflow {
            None => self.subflow.is_none(),
            Some(key) => self.subflow.is_some() && self.subflow_keys.iter().any(|k| k == key),
        }
    }

    /// What the outside world is asked while a widget waits for it (the same request as the
    /// `External` effect), so a shell can show it again.
    pub fn pending_external(&self) -> Option<&ExternalRequest> {
        match &self.phase {
            Phase::Waiting(w) => match &**w {
                Waiting::External { request, .. } => Some(request),
                _ => None,
            },
            _ => None,
        }
    }

    /// The call the execution is on, if any.
    pub fn call(&self) -> Option<CallInfo> {
        self.call.as_ref().map(|c| c.info())
    }

    // C. Commands.

    /// Stops the execution.
    pub fn stop(&mut self) {
        if !matches!(self.phase, Phase::Ended(_)) {
            self.end(EndReason::Stopped);
        }
    }

    // D. Polling.

    /// The next thing the shell must do.
    #[must_use]
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    /// When `handle_timeout` must be called next (Unix milliseconds), if anything waits for time.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<u64> {
        match &self.phase {
            Phase::Waiting(w) => w.deadline(),
            _ => None,
        }
    }

    // Internals.

    /// Takes what the execution waits for, if `accept` takes it; the phase is then set by the caller
    /// (through `leave`).
    fn take_waiting(
        &mut self,
        accept: impl Fn(&Waiting) -> Result<(), InputError>,
    ) -> Result<Waiting, InputError> {
        let Phase::Waiting(w) = &self.phase else {
            return Err(InputError::NotWaiting);
        };
        accept(w)?;
        match std::mem::replace(&mut self.phase, Phase::Ended(EndReason::Stopped)) {
            Phase::Waiting(w) => Ok(*w),
            other => {
                self.phase = other;
                Err(InputError::NotWaiting)
            }
        }
    }

    /// A fresh number for a SID (`SM…`, `CA…`).
    fn new_sid(&mut self) -> u32 {
        let n = self.next_sid;
        self.next_sid += 1;
        n
    }

    /// A fresh wait id (Say/Play, outside waits).
    fn new_wait(&mut self) -> WaitId {
        let id = WaitId(self.next_wait);
        self.next_wait += 1;
        id
    }

    /// Ends the flow that runs now. A subflow's end goes back to its parent's Run Subflow widget,
    /// unless it ends the whole execution (the step limit, a stop, the call's end).
    fn end(&mut self, reason: EndReason) {
        let whole = matches!(
            reason,
            EndReason::StepLimit { .. } | EndReason::Stopped | EndReason::CallEnded { .. }
        );
        if self.parked.is_some() && !whole {
            self.return_to_parent(reason);
            return;
        }
        self.effects.push_back(Effect::Ended(reason.clone()));
        self.phase = Phase::Ended(reason);
    }

    /// Runs widgets until the execution waits, pauses or ends.
    fn run(&mut self, now_ms: u64) {
        self.now_ms = now_ms;
        while let Phase::Enter(i) = self.phase {
            if let Some(reason) = self.pause_before(i) {
                self.phase = Phase::Paused { state: i, reason };
                return;
            }
            self.execute(i, now_ms);
        }
    }

    fn new_step(&self, i: usize, now_ms: u64) -> Step {
        let s = &self.flow.states[i];
        Step {
            index: self.steps.len(),
            widget: s.name.clone(),
            widget_type: s.kind.as_str().to_owned(),
            event: None,
            next: None,
            started_ms: now_ms,
            ended_ms: now_ms,
            inputs: Vec::new(),
            outcome: String::new(),
            detail: StepDetail::None,
            changes: Vec::new(),
            subflow: self.subflow.clone(),
        }
    }

    /// Renders a template against the current Flow Data.
    fn render(
        &self,
        i: usize,
        field: &str,
        template: &str,
        now_ms: u64,
    ) -> Result<String, EndReason> {
        self.setup
            .liquid
            .render(template, &self.ctx, now_ms as i64)
            .map_err(|e| EndReason::Error {
                widget: self.flow.states[i].name.clone(),
                message: format!("{field}: {e}"),
            })
    }

    /// Renders a string property (empty when absent or not a string).
    fn render_prop(
        &self,
        i: usize,
        key: &str,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<String, EndReason> {
        let template = self.flow.states[i].prop_str(key).unwrap_or_default();
        let out = self.render(i, key, template, now_ms)?;
        step.inputs.push((key.to_owned(), out.clone()));
        Ok(out)
    }

    /// Renders the values of a `{key, value}` list property.
    fn render_pairs(
        &self,
        i: usize,
        key: &str,
        step: &mut Step,
        now_ms: u64,
    ) -> Result<Vec<(String, String)>, EndReason> {
        let mut out = Vec::new();
        for (k, v) in self.flow.states[i].key_values(key) {
            let value = self.render(i, &format!("{key}.{k}"), &v, now_ms)?;
            step.inputs.push((format!("{key}.{k}"), value.clone()));
            out.push((k, value));
        }
        Ok(out)
    }

    fn execute(&mut self, i: usize, now_ms: u64) {
        if self.steps.len() >= self.setup.config.max_steps as usize {
            return self.end(EndReason::StepLimit {
                limit: self.setup.config.max_steps,
            });
        }
        self.runs[i] += 1;
        if self.runs[i] > self.setup.config.max_runs_per_widget {
            let widget = self.flow.states[i].name.clone();
            return self.end(EndReason::RunLimit {
                widget,
                limit: self.setup.config.max_runs_per_widget,
            });
        }
        let step = self.new_step(i, now_ms);
        let result = match self.flow.states[i].kind.clone() {
            WidgetType::Trigger => self.run_trigger(i, step, now_ms),
            WidgetType::SendMessage => self.run_send(i, step, false, now_ms),
            WidgetType::SendAndWaitForReply => self.run_send(i, step, true, now_ms),
            WidgetType::RunFunction => self.run_function(i, step, now_ms),
            WidgetType::MakeHttpRequest => self.run_http(i, step, now_ms),
            WidgetType::SetVariables => self.run_set_variables(i, step, now_ms),
            WidgetType::SplitBasedOn => self.run_split(i, step, now_ms),
            WidgetType::SayPlay => self.run_say_play(i, step, now_ms),
            WidgetType::GatherInputOnCall => self.run_gather(i, step, now_ms),
            WidgetType::RecordVoicemail => self.run_record(i, step, now_ms),
            WidgetType::ForkStream => self.run_fork_stream(i, step, now_ms),
            WidgetType::RunSubflow => self.run_subflow(i, step, now_ms),
            WidgetType::ConnectCallTo
            | WidgetType::EnqueueCall
            | WidgetType::SendToFlex
            | WidgetType::MakeOutgoingCall
            | WidgetType::CapturePayments
            | WidgetType::SendToAutopilot
            | WidgetType::AddTwimlRedirect
            | WidgetType::RecordCall
            | WidgetType::ConnectVirtualAgent => self.run_external(i, step, now_ms),
            WidgetType::Other(t) => Err(EndReason::Unsupported {
                widget: self.flow.states[i].name.clone(),
                widget_type: t,
            }),
        };
        if let Err(reason) = result {
            self.end(reason);
        }
    }

    /// Records `widgets.NAME = value` as the step's change and applies it.
    fn set_widget(&mut self, step: &mut Step, i: usize, value: Value) {
        let change = Change {
            path: vec!["widgets".into(), self.flow.states[i].name.clone()],
            value,
        };
        change.apply(&mut self.ctx);
        step.changes.push(change);
    }

    /// Leaves widget `i` through the first transition for `event` (none: the execution ends).
    fn leave(&mut self, i: usize, event: &str, step: Step, now_ms: u64) {
        match self.flow.states[i]
            .transitions
            .iter()
            .position(|t| t.event == event)
        {
            Some(t) => self.leave_via(i, t, step, now_ms),
            None => {
                let mut step = step;
                step.event = Some(event.to_owned());
                self.finish_step(step, now_ms);
                let widget = self.flow.states[i].name.clone();
                self.end(EndReason::NoNext {
                    widget,
                    event: event.to_owned(),
                });
            }
        }
    }

    fn leave_via(&mut self, i: usize, t: usize, mut step: Step, now_ms: u64) {
        let tr = &self.flow.states[i].transitions[t];
        let event = tr.event.clone();
        let next = tr.next.clone();
        step.event = Some(event.clone());
        step.next = next.clone();
        self.finish_step(step, now_ms);
        let widget = self.flow.states[i].name.clone();
        match next {
            None => self.end(EndReason::NoNext { widget, event }),
            Some(target) => match self.flow.index_of(&target) {
                Some(j) => self.phase = Phase::Enter(j),
                None => self.end(EndReason::MissingWidget {
                    widget,
                    event,
                    target,
                }),
            },
        }
    }

    fn finish_step(&mut self, mut step: Step, now_ms: u64) {
        step.index = self.steps.len();
        step.ended_ms = now_ms;
        self.steps.push(step);
    }
}
