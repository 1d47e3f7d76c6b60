//! The simulator's session model: executions of the flow, driven by the sans-IO engine, with the
//! chat transcript, the step selected in the log and what the shell must do next.
//!
//! [`Simulator`] is pure and tested natively (`tests/simulator.rs`). Its inputs are the user's
//! (chat, REST trigger, stop, restart, skip wait, select) and the shell's (an HTTP answer, a timer
//! that fired), each with the current time; it returns [`Command`]s for the shell (perform a
//! request, cancel one) and exposes the one timer the shell must keep armed ([`Simulator::timer`]).
//! The `hooks::simulator` driver carries the commands out; it never decides anything itself.
//!
//! Rules:
//! - One [`flowpen_liquid::Liquid`] serves every execution (its template cache is shared).
//! - At most one execution is active: starting another stops it (as Studio allows one active
//!   execution per contact). The last [`KEEP`] executions are kept for their logs.
//! - After every engine input the effects are drained: `Send` adds a bubble and is acknowledged
//!   at once (`handle_sent`), or fails when the user asked the next message to fail; `Http`
//!   becomes a [`Command::Http`]; `Ended` adds a line saying why.
//! - An input for an execution that moved on (a response after Stop, a timer for an old deadline)
//!   is ignored: the engine answers `InputError`, and nothing changes.
//! - Every input an execution's engine takes is recorded with its time (`Execution::inputs`),
//!   the simulator's own acknowledgements and timeouts too, so an execution can be rewound
//!   (`rewind`); `debug` holds the debugger's inputs (breakpoints, Continue, Step, Flow Data
//!   edits) and "Run from here".

mod by_id;
mod chat;
mod debug;
mod execution;
pub mod http;
mod rewind;

use std::fmt;
use std::rc::Rc;

use flowpen_engine::{
    Breakpoint, Config, Engine, Entry, ExternalOutcome, HttpRequest, HttpResponse, InboundMessage,
    Input, Recording, RecordingEnd, RequestId, Setup, SortedSet, StartError, Status, Subflows,
    TransportError, Trigger,
};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use serde_json::Value;

use crate::project::WidgetStub;

pub use by_id::ById;
pub use chat::{Bubble, CallerInput, Tone};
pub use debug::{parse_flow_data, FlowDataError, Proposal};
pub use execution::{end_kind, Answer, Execution, Highlight, Pause, RequestNote, Wait};
pub use http::Via;
pub use rewind::RewindError;

/// How many executions are kept (the oldest ended ones are dropped first).
pub const KEEP: usize = 10;
/// The simulated contact's number (`From` of the chat's messages).
pub const CONTACT: &str = "+15551230000";
/// The flow's number (`To` of the chat's messages).
pub const FLOW_ADDRESS: &str = "+15559870000";
/// The error of a message the user made fail.
pub(crate) const SIMULATED_FAILURE: &str =
    "30003 Unreachable destination handset (simulated by \"Next message fails\")";

/// What the shell must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Perform `request` (through the Functions host or `fetch`) and report with
    /// [`Simulator::http_done`].
    Http {
        execution: u32,
        via: Via,
        request: HttpRequest,
    },
    /// Stop a request that nobody waits for any more (abort the fetch).
    Cancel { execution: u32, request: RequestId },
    /// A stubbed request: after `after_ms`, report `result` with [`Simulator::http_done`] (the
    /// real call is not made).
    Answer {
        execution: u32,
        request: RequestId,
        result: Result<HttpResponse, TransportError>,
        after_ms: u64,
    },
}

/// The timer the shell keeps armed (at most one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timer {
    pub execution: u32,
    /// The deadline on the execution's clock; pass it back to [`Simulator::fire_timer`].
    pub deadline_ms: u64,
    /// When to fire, on the shell's clock (Unix milliseconds): the deadline minus the time
    /// "skip wait" jumped over.
    pub fire_at_ms: u64,
}

/// How an execution started.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    Chat,
    Rest,
    Restart,
    Call,
    Conversation,
    Subflow,
    /// Rebuilt from execution `from`'s record, as it was after its step `step`.
    Rewind {
        from: u32,
        step: usize,
    },
    /// "Run from here": started mid-flow at `widget` with edited Flow Data.
    StartAt {
        widget: String,
    },
    /// A flow test's case run by the Tests panel, shown in the log (never active: it took its
    /// inputs from the test file, not from the user).
    Test {
        case: String,
    },
}

/// Why the REST trigger form's parameters cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParametersError {
    /// JSON, but not an object (what it is, in words).
    NotObject(&'static str),
    /// Not JSON: serde_json's explanation and where.
    NotJson {
        message: String,
        line: usize,
        column: usize,
    },
}

impl fmt::Display for ParametersError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParametersError::NotObject(what) => write!(
                f,
                "Parameters must be a JSON object like {{\"order\": \"A-17\"}}, not {what}."
            ),
            ParametersError::NotJson {
                message,
                line,
                column,
            } => write!(
                f,
                "Parameters are not JSON: {message} (line {line}, column {column})."
            ),
        }
    }
}

impl std::error::Error for ParametersError {}

/// Reads the REST trigger form's parameters: a JSON object (empty text: no parameters).
pub fn parse_parameters(text: &str) -> Result<Value, ParametersError> {
    if text.trim().is_empty() {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(other) => Err(ParametersError::NotObject(match other {
            Value::Array(_) => "a list",
            Value::String(_) => "a string",
            Value::Number(_) => "a number",
            Value::Bool(_) => "true or false",
            _ => "null",
        })),
        Err(e) => Err(ParametersError::NotJson {
            message: e.to_string(),
            line: e.line(),
            column: e.column(),
        }),
    }
}

/// The executions of the session.
pub struct Simulator {
    liquid: Rc<Liquid>,
    config: Config,
    executions: Vec<Execution>,
    selected: Option<u32>,
    next_id: u32,
    fail_next_send: bool,
    /// The project's subflows, for Run Subflow.
    subflows: Subflows,
    /// The breakpoints the user set (every execution started later gets them).
    breakpoints: SortedSet<Breakpoint>,
    /// The stubbed widgets (every execution's next requests see the latest).
    stubs: Rc<Vec<WidgetStub>>,
}

impl Simulator {
    /// A session with Studio's limits.
    pub fn new(liquid: Rc<Liquid>) -> Simulator {
        Simulator::with_config(liquid, Config::default())
    }

    pub fn with_config(liquid: Rc<Liquid>, config: Config) -> Simulator {
        Simulator {
            liquid,
            config,
            executions: Vec::new(),
            selected: None,
            next_id: 1,
            fail_next_send: false,
            subflows: Subflows::new(),
            breakpoints: SortedSet::new(),
            stubs: Rc::default(),
        }
    }

    /// The flows Run Subflow widgets of later executions run (the project's subflows).
    pub fn set_subflows(&mut self, subflows: Subflows) {
        self.subflows = subflows;
    }

    /// The stubbed responses (see [`crate::project::stubs`]): requests made from now on by a
    /// stubbed widget, of any execution, get its stub instead of the real call.
    pub fn set_stubs(&mut self, stubs: Rc<Vec<WidgetStub>>) {
        for e in &mut self.executions {
            e.stubs = Rc::clone(&stubs);
        }
        self.stubs = stubs;
    }

    /// The stubbed responses.
    pub fn stubs(&self) -> &Rc<Vec<WidgetStub>> {
        &self.stubs
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The kept executions, oldest first.
    pub fn executions(&self) -> &[Execution] {
        &self.executions
    }

    pub fn execution(&self, id: u32) -> Option<&Execution> {
        self.executions.iter().find(|e| e.id == id)
    }

    fn execution_mut(&mut self, id: u32) -> Option<&mut Execution> {
        self.executions.iter_mut().find(|e| e.id == id)
    }

    /// Runs `act` on execution `id` if it is still kept, with the "next message fails" switch
    /// (an execution's drain may use it up), and gives back the commands it made.
    fn on_execution(
        &mut self,
        id: u32,
        act: impl FnOnce(&mut Execution, &mut bool, &mut Vec<Command>),
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut fail = self.fail_next_send;
        if let Some(e) = self.execution_mut(id) {
            act(e, &mut fail, &mut commands);
        }
        self.fail_next_send = fail;
        commands
    }

    /// The execution the log shows.
    pub fn selected(&self) -> Option<&Execution> {
        self.selected.and_then(|id| self.execution(id))
    }

    /// The execution that has not ended, if any.
    pub fn active(&self) -> Option<&Execution> {
        self.executions.iter().rev().find(|e| e.is_active())
    }

    fn active_mut(&mut self) -> Option<&mut Execution> {
        self.executions.iter_mut().rev().find(|e| e.is_active())
    }

    fn active_id(&self) -> Option<u32> {
        self.active().map(|e| e.id)
    }

    /// Whether the next message the flow sends fails.
    pub fn fail_next_send(&self) -> bool {
        self.fail_next_send
    }

    pub fn set_fail_next_send(&mut self, on: bool) {
        self.fail_next_send = on;
    }

    /// Shows execution `id` in the log.
    pub fn select(&mut self, id: u32) {
        if self.execution(id).is_some() {
            self.selected = Some(id);
        }
    }

    /// Selects a step of the selected execution (`None`: the current Flow Data).
    pub fn select_step(&mut self, step: Option<usize>) {
        if let Some(id) = self.selected {
            if let Some(e) = self.execution_mut(id) {
                e.selected_step = step.filter(|&i| i < e.steps().len());
            }
        }
    }

    /// The timer the shell must keep armed: the active execution's next deadline (a reply
    /// timeout, or a request's time limit).
    pub fn timer(&self) -> Option<Timer> {
        let e = self.active()?;
        e.engine().poll_timeout().map(|deadline_ms| Timer {
            execution: e.id,
            deadline_ms,
            fire_at_ms: deadline_ms.saturating_add_signed(e.skew_ms.saturating_neg()),
        })
    }

    /// Starts an execution of `flow` (stopping the active one).
    pub fn start(
        &mut self,
        flow: &Flow,
        flow_rev: u64,
        trigger: Trigger,
        origin: Origin,
        now: u64,
    ) -> Vec<Command> {
        let setup = self.setup(flow, Entry::Trigger(trigger));
        self.launch(setup, origin, flow_rev, now)
            .unwrap_or_default()
    }

    /// How the executions of this session start: the app's Liquid, limits, subflows and
    /// breakpoints.
    fn setup(&self, flow: &Flow, entry: Entry) -> Setup {
        Setup::with_entry(Rc::new(flow.clone()), entry)
            .config(self.config.clone())
            .liquid(Rc::clone(&self.liquid))
            .subflows(self.subflows.clone())
            .breakpoints(self.breakpoints.clone())
    }

    /// The next execution id.
    fn new_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Starts an execution from `setup`: it begins first (a mid-flow start can fail, and then
    /// nothing changes), then the active execution stops and the new one is selected.
    fn launch(
        &mut self,
        setup: Setup,
        origin: Origin,
        flow_rev: u64,
        now: u64,
    ) -> Result<Vec<Command>, StartError> {
        let engine = Engine::begin(setup, now)?;
        let mut commands = self.stop(now);
        let id = self.new_id();
        let mut execution = Execution::new(id, engine, origin, flow_rev, now);
        execution.stubs = Rc::clone(&self.stubs);
        execution.chat = opening(&execution);
        execution.drain(&mut self.fail_next_send, now, &mut commands);
        self.add(execution);
        Ok(commands)
    }

    /// Shows a flow test's run in the log: `engine` as the case left it (its steps and Flow
    /// Data) with the inputs it took (so it can be rewound like any execution), selected at
    /// `step` when given. It is never active.
    pub fn add_test_run(
        &mut self,
        engine: Engine,
        inputs: Vec<(Input, u64)>,
        case: &str,
        flow_rev: u64,
        step: Option<usize>,
    ) -> u32 {
        let id = self.new_id();
        let started = engine.started_ms();
        let origin = Origin::Test {
            case: case.to_owned(),
        };
        let mut execution = Execution::new(id, engine, origin, flow_rev, started);
        execution.set_inputs(inputs);
        execution.chat = opening(&execution);
        execution.selected_step = step;
        self.add(execution);
        id
    }

    /// Adds an execution to the list, selected.
    fn add(&mut self, execution: Execution) {
        self.selected = Some(execution.id);
        self.executions.push(execution);
        self.trim();
    }

    /// Drops the oldest ended executions beyond [`KEEP`].
    /// An execution just rewound from keeps its place: the abandoned branch stays viewable.
    fn trim(&mut self) {
        let keep = match self.executions.last().map(|e| &e.origin) {
            Some(Origin::Rewind { from, .. }) => Some(*from),
            _ => None,
        };
        while self.executions.len() > KEEP {
            let Some(i) = self
                .executions
                .iter()
                .position(|e| !e.is_active() && Some(e.id) != keep)
            else {
                return;
            };
            let gone = self.executions.remove(i).id;
            if self.selected == Some(gone) {
                self.selected = self.executions.last().map(|e| e.id);
            }
        }
    }

    /// The contact writes `body`: it answers the waiting Send & Wait For Reply, or starts an
    /// execution when none is active, or is not passed to a busy execution (as in Studio).
    pub fn chat(&mut self, flow: &Flow, flow_rev: u64, body: &str, now: u64) -> Vec<Command> {
        let Some(id) = self.active_id() else {
            let trigger = Trigger::Message(InboundMessage {
                from: CONTACT.to_owned(),
                to: FLOW_ADDRESS.to_owned(),
                body: body.to_owned(),
                media_urls: Vec::new(),
            });
            return self.start(flow, flow_rev, trigger, Origin::Chat, now);
        };
        self.selected = Some(id);
        self.on_execution(id, |e, fail, commands| {
            let (contact, flow_address) = e.addresses();
            let now = e.clock(now);
            match e.status() {
                Status::WaitingForReply { .. } => {
                    e.chat.push(Bubble::Contact {
                        text: body.to_owned(),
                        at_ms: now,
                        note: None,
                    });
                    let message = InboundMessage {
                        from: contact,
                        to: flow_address,
                        body: body.to_owned(),
                        media_urls: Vec::new(),
                    };
                    if e.give(Input::Message(message), now).is_ok() {
                        e.drain(fail, now, commands);
                    }
                }
                status => {
                    let why = match status {
                        Status::WaitingForHttp { widget, .. } => {
                            format!("{widget} is waiting for its HTTP response")
                        }
                        Status::Paused { widget, .. } => {
                            format!("the execution is paused before {widget}")
                        }
                        _ => "no widget is waiting for a reply".to_owned(),
                    };
                    e.chat.push(Bubble::Contact {
                        text: body.to_owned(),
                        at_ms: now,
                        note: Some(format!(
                            "Not passed to the flow: {why}, and Studio gives an active execution only the replies a Send & Wait For Reply widget waits for."
                        )),
                    });
                }
            }
        })
    }

    /// Starts a new execution with the trigger of the selected one (or of the last one), or at
    /// the same widget with the same Flow Data when it started mid-flow (at its trigger when the
    /// edited flow no longer has that widget).
    pub fn restart(&mut self, flow: &Flow, flow_rev: u64, now: u64) -> Vec<Command> {
        let Some(e) = self.selected().or_else(|| self.executions.last()) else {
            return Vec::new();
        };
        let entry = match &e.engine().setup().entry {
            Entry::At(at) if flow.index_of(&at.widget).is_some() => Entry::At(at.clone()),
            _ => Entry::Trigger(e.engine().trigger().clone()),
        };
        let setup = self.setup(flow, entry);
        self.launch(setup, Origin::Restart, flow_rev, now)
            .unwrap_or_default()
    }

    /// Stops the active execution.
    pub fn stop(&mut self, now: u64) -> Vec<Command> {
        let Some(id) = self.active_id() else {
            return Vec::new();
        };
        self.on_execution(id, |e, fail, commands| {
            if let Some(request) = e.pending_request() {
                commands.push(Command::Cancel {
                    execution: id,
                    request,
                });
            }
            let now = e.clock(now);
            let _ = e.give(Input::Stop, now);
            e.drain(fail, now, commands);
        })
    }

    /// Fires the active execution's reply timeout now ("skip wait"): the execution's clock jumps
    /// to the deadline, so its steps say how long the contact did not answer.
    pub fn skip_wait(&mut self, now: u64) -> Vec<Command> {
        let Some(t) = self.timer() else {
            return Vec::new();
        };
        let Some(e) = self.execution_mut(t.execution) else {
            return Vec::new();
        };
        // Waits for the contact, the caller or the outside world can be skipped, and so can a
        // stubbed request's time limit; a real request's cannot (the shell performs it).
        if matches!(e.status(), Status::WaitingForHttp { .. }) && !e.waits_for_stub() {
            return Vec::new();
        }
        let clock = e.clock(now);
        if clock < t.deadline_ms {
            e.skew_ms = e
                .skew_ms
                .saturating_add(i64::try_from(t.deadline_ms - clock).unwrap_or(i64::MAX));
        }
        self.fire(t.execution, t.deadline_ms, now)
    }

    /// The shell's timer for `deadline_ms` fired at `now`. Ignored unless the execution still
    /// waits for that deadline.
    pub fn fire_timer(&mut self, execution: u32, deadline_ms: u64, now: u64) -> Vec<Command> {
        let current = self.timer();
        if current.map(|t| (t.execution, t.deadline_ms)) != Some((execution, deadline_ms)) {
            return Vec::new();
        }
        self.fire(execution, deadline_ms, now)
    }

    fn fire(&mut self, execution: u32, deadline_ms: u64, now: u64) -> Vec<Command> {
        self.on_execution(execution, |e, fail, commands| {
            // A browser timer may run a millisecond before the clock says the deadline passed.
            let now = e.clock(now).max(deadline_ms);
            if e.engine().poll_timeout() == Some(deadline_ms) {
                let pending = e.pending_request();
                let _ = e.give(Input::Timeout, now);
                if let Some(request) = pending.filter(|r| e.pending_request() != Some(*r)) {
                    commands.push(Command::Cancel { execution, request });
                }
                e.drain(fail, now, commands);
            }
        })
    }

    /// The answer to a request: the response (or why there is none), and what the shell learnt
    /// (a Function's logs, the duration, an explanation). Stale answers are recorded with the
    /// request and otherwise ignored.
    pub fn http_done(
        &mut self,
        execution: u32,
        request: RequestId,
        result: Result<HttpResponse, TransportError>,
        answer: Answer,
        now: u64,
    ) -> Vec<Command> {
        self.on_execution(execution, |e, fail, commands| {
            let note = e.requests.get_or_default(request.0);
            note.logs = answer.logs;
            note.duration_ms = Some(answer.duration_ms);
            note.note = answer.note;
            note.answered = true;
            let now = e.clock(now);
            let input = Input::Http {
                request,
                response: result,
            };
            if e.give(input, now).is_ok() {
                e.drain(fail, now, commands);
            }
        })
    }

    /// The caller does something on the active execution's call: keys, speech, a recording or
    /// hanging up. What the flow does not take (nothing waits for it, there is no call) stays in
    /// the conversation with a note saying why.
    pub fn caller(&mut self, input: CallerInput, now: u64) -> Vec<Command> {
        let Some(id) = self.active_id() else {
            return Vec::new();
        };
        self.selected = Some(id);
        self.on_execution(id, |e, fail, commands| {
            let now = e.clock(now);
            let result = match &input {
                _ if !e.on_call() => Err("this execution is not on a call".to_owned()),
                CallerInput::HangUp => e.give(Input::HangUp, now).map_err(|x| x.to_string()),
                CallerInput::Keys(keys) => e
                    .give(Input::Digits(keys.clone()), now)
                    .map_err(|x| x.to_string()),
                CallerInput::Speech { text, confidence } => {
                    let speech = Input::Speech {
                        text: text.clone(),
                        confidence: *confidence,
                    };
                    e.give(speech, now).map_err(|x| x.to_string())
                }
                CallerInput::Recording(text) => {
                    let recording = Recording {
                        transcript: text.clone(),
                        duration_s: None,
                        ended_by: RecordingEnd::Silence,
                    };
                    e.give(Input::Recording(recording), now)
                        .map_err(|x| x.to_string())
                }
                CallerInput::Outcome { .. } => Err("use answer_external".to_owned()),
            };
            let note = result
                .err()
                .map(|why| format!("Not taken by the flow: {why}."));
            let taken = note.is_none();
            e.chat.push(Bubble::Caller {
                input,
                at_ms: now,
                note,
            });
            if taken {
                e.drain(fail, now, commands);
            }
        })
    }

    /// The outside world answers the active execution's waiting widget with `event`, setting
    /// `variables` (the rest keep the event's defaults).
    pub fn answer_external(
        &mut self,
        event: &str,
        variables: Vec<(String, Value)>,
        now: u64,
    ) -> Vec<Command> {
        let Some(id) = self.active_id() else {
            return Vec::new();
        };
        self.selected = Some(id);
        self.on_execution(id, |e, fail, commands| {
            let now = e.clock(now);
            let Some(wait) = e
                .engine()
                .pending_external()
                .map(|x| (x.id, x.widget.clone()))
            else {
                return;
            };
            let outcome = ExternalOutcome {
                event: event.to_owned(),
                variables,
            };
            let result = e.give(
                Input::External {
                    wait: wait.0,
                    outcome,
                },
                now,
            );
            e.chat.push(Bubble::Caller {
                input: CallerInput::Outcome {
                    widget: wait.1,
                    event: event.to_owned(),
                },
                at_ms: now,
                note: result
                    .as_ref()
                    .err()
                    .map(|why| format!("Not taken by the flow: {why}.")),
            });
            if result.is_ok() {
                e.drain(fail, now, commands);
            }
        })
    }

    /// Forgets every ended execution.
    pub fn clear(&mut self) {
        self.executions.retain(Execution::is_active);
        if self.selected().is_none() {
            self.selected = self.executions.last().map(|e| e.id);
        }
    }
}

/// The first lines of an execution's chat: how it started (and the contact's first message).
fn opening(e: &Execution) -> Vec<Bubble> {
    let engine = e.engine();
    let how = match (&engine.setup().entry, &e.origin) {
        (_, Origin::Rewind { from, step }) => {
            let widget = engine
                .steps()
                .get(*step)
                .map(|s| format!(" ({})", s.widget))
                .unwrap_or_default();
            format!("rewound from execution #{from} to step {step}{widget}")
        }
        (Entry::At(at), _) => format!(
            "started mid-flow at {} with edited Flow Data{}",
            at.widget,
            if engine.call().is_some() {
                " (on a call)"
            } else {
                ""
            }
        ),
        (_, Origin::Restart) => "restarted with the same trigger".to_owned(),
        (_, Origin::Test { case }) => format!("is the flow test \"{case}\""),
        (Entry::Trigger(t), _) => match t {
            Trigger::Message(_) => "started by an incoming message".to_owned(),
            Trigger::Rest { from, to, .. } => {
                format!("started by a REST API request (From {from}, To {to})")
            }
            Trigger::Call(_) => "started by an incoming call".to_owned(),
            Trigger::Conversation(_) => "started by a conversation message".to_owned(),
            Trigger::Subflow(_) => "started as a subflow".to_owned(),
        },
    };
    let mut chat = vec![Bubble::Event {
        text: format!("Execution #{} {how}", e.id),
        tone: Tone::Info,
    }];
    if let Entry::Trigger(Trigger::Message(m)) = &engine.setup().entry {
        chat.push(Bubble::Contact {
            text: m.body.clone(),
            at_ms: engine.started_ms(),
            note: None,
        });
    }
    chat
}
