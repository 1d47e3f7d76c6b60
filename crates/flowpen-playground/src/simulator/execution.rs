//! One execution as the simulator shows it: the engine that runs it, the inputs it took (its
//! record, for rewinding), its part of the conversation (messages, a call's speech and keys, the
//! outside world's waits), the notes of its requests, and what it waits for now.
//! [`Execution::drain`] turns the engine's effects into bubbles and commands, acknowledging what
//! the simulator answers itself (sent messages, played audio).

use super::by_id::ById;
use std::rc::Rc;

use flowpen_engine::{
    Effect, EndReason, Engine, ExternalRequest, GatherRequest, HttpRequest, Input, InputError,
    MessageId, PauseReason, RecordRequest, RequestId, Status, Step, StepDetail, SubflowRef,
    Trigger,
};
use serde_json::Value;

use super::chat::{self, Bubble, ChatState};
use super::Via;
use super::{http, Command, Origin, SIMULATED_FAILURE};
use crate::flowtest::StubResponse;
use crate::functions::LogLine;
use crate::project::WidgetStub;

/// What an execution waits for now, as the simulator's controls need it.
#[derive(Clone, Debug, PartialEq)]
pub enum Wait {
    /// Nothing: it ended, or it waits for the shell (an HTTP response).
    Nothing,
    /// The contact's reply to a Send & Wait For Reply.
    Reply { widget: String },
    /// Keys or speech for a Gather Input On Call (`digits`: the keys so far).
    Gather {
        request: GatherRequest,
        digits: String,
    },
    /// A recording for a Record Voicemail.
    Record(RecordRequest),
    /// One of the outside world's events.
    External(ExternalRequest),
    /// The user: the execution is paused before a widget (Continue, Step, edit Flow Data).
    Paused(Pause),
}

/// Where an execution is paused, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pause {
    /// The widget that runs next, in the flow that runs now.
    pub widget: String,
    pub reason: PauseReason,
    /// Set when the widget belongs to a subflow (the main flow's canvas shows its Run Subflow
    /// widget).
    pub subflow: Option<SubflowRef>,
}

/// What the shell learnt about one request besides its response.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestNote {
    /// Who performs it (`None` when the shell does not: a stub answers).
    pub via: Option<Via>,
    /// The widget's stub answered it in the simulator: the real call was not made.
    pub stubbed: bool,
    /// An in-browser Function's console output and the host's notes.
    pub logs: Vec<LogLine>,
    /// How long the request took (ms), once answered.
    pub duration_ms: Option<f64>,
    /// An explanation worth showing with the step (a protected Function, an unknown path…).
    pub note: Option<String>,
    pub answered: bool,
}

/// What the shell reports with an HTTP answer besides the response itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answer {
    pub logs: Vec<LogLine>,
    pub duration_ms: f64,
    pub note: Option<String>,
}

/// One execution and what the simulator shows about it.
pub struct Execution {
    pub id: u32,
    engine: Engine,
    pub origin: Origin,
    /// The editor's flow revision it runs (the flow may have been edited since).
    pub flow_rev: u64,
    /// On the execution's clock (which is the shell's clock plus `skew_ms`).
    pub started_ms: u64,
    /// How far the execution's clock is from the shell's: ahead after "skip wait", behind for a
    /// rewound execution (whose clock goes on from the point it was rewound to).
    pub skew_ms: i64,
    /// Its part of the conversation.
    pub chat: Vec<Bubble>,
    /// Notes per request id.
    pub requests: ById<RequestNote>,
    /// The step the user selected in the log (Flow Data shows the context after it).
    pub selected_step: Option<usize>,
    /// Every input the engine took, with its time on the execution's clock (the simulator's
    /// automatic ones too: sent messages, played audio, timeouts).
    inputs: Vec<(Input, u64)>,
    chat_state: ChatState,
    /// The stubbed widgets, as the simulator has them now.
    pub(super) stubs: Rc<Vec<WidgetStub>>,
}

impl Execution {
    /// A new execution around a started engine (its effects not drained yet).
    pub(super) fn new(id: u32, engine: Engine, origin: Origin, flow_rev: u64, now: u64) -> Self {
        Execution {
            id,
            engine,
            origin,
            flow_rev,
            started_ms: now,
            skew_ms: 0,
            chat: Vec::new(),
            requests: ById::default(),
            selected_step: None,
            inputs: Vec::new(),
            chat_state: ChatState::default(),
            stubs: Rc::default(),
        }
    }

    /// The record of an engine that ran elsewhere (a flow test's run).
    pub(super) fn set_inputs(&mut self, inputs: Vec<(Input, u64)>) {
        self.inputs = inputs;
    }

    /// An execution rebuilt from a record (a rewind): its engine, inputs, chat and notes.
    pub(super) fn rebuilt(
        id: u32,
        engine: Engine,
        origin: Origin,
        flow_rev: u64,
        inputs: Vec<(Input, u64)>,
        chat: (Vec<Bubble>, ChatState),
    ) -> Self {
        let started_ms = engine.started_ms();
        let mut e = Execution::new(id, engine, origin, flow_rev, started_ms);
        e.inputs = inputs;
        e.chat = chat.0;
        e.chat_state = chat.1;
        e
    }

    /// Gives the engine an input at `now` (the execution's clock) and records it when taken:
    /// every engine input of the simulator goes through here.
    pub(super) fn give(&mut self, input: Input, now: u64) -> Result<(), InputError> {
        flowpen_engine::replay::give(&mut self.engine, &mut self.inputs, input, now)
    }

    /// The inputs the engine took, with their times on the execution's clock.
    pub fn inputs(&self) -> &[(Input, u64)] {
        &self.inputs
    }

    /// Where it is paused, if it is.
    pub fn paused(&self) -> Option<Pause> {
        match self.engine.status() {
            Status::Paused { widget, reason } => Some(Pause {
                widget,
                reason,
                subflow: self.engine.current_subflow().cloned(),
            }),
            _ => None,
        }
    }

    /// Whether its log begins mid-flow (a "Run from here" start, or a rewind of one).
    pub fn began_mid_flow(&self) -> bool {
        self.engine
            .steps()
            .first()
            .is_some_and(|s| matches!(s.detail, StepDetail::StartedAt { .. }))
    }

    /// Whether the execution is on a call that is still up.
    pub fn on_call(&self) -> bool {
        self.engine.call().is_some_and(|c| c.live)
    }

    /// What it waits for now.
    pub fn waiting(&self) -> Wait {
        match self.engine.status() {
            Status::WaitingForReply { widget, .. } => Wait::Reply { widget },
            Status::Gathering { digits, widget, .. } => match &self.chat_state.gather {
                Some(g) if g.widget == widget => Wait::Gather {
                    request: g.clone(),
                    digits,
                },
                _ => Wait::Nothing,
            },
            Status::Recording { widget, .. } => match &self.chat_state.record {
                Some(r) if r.widget == widget => Wait::Record(r.clone()),
                _ => Wait::Nothing,
            },
            Status::WaitingForExternal { .. } => self
                .engine
                .pending_external()
                .cloned()
                .map_or(Wait::Nothing, Wait::External),
            Status::Paused { .. } => self.paused().map_or(Wait::Nothing, Wait::Paused),
            _ => Wait::Nothing,
        }
    }

    /// The execution's time for the shell's `now`.
    pub fn clock(&self, now: u64) -> u64 {
        now.saturating_add_signed(self.skew_ms)
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn steps(&self) -> &[Step] {
        self.engine.steps()
    }

    pub fn status(&self) -> Status {
        self.engine.status()
    }

    /// Whether it goes on (not ended; a flow test's run never does here, even when it waits).
    pub fn is_active(&self) -> bool {
        self.engine.end_reason().is_none() && !matches!(self.origin, Origin::Test { .. })
    }

    pub fn end_reason(&self) -> Option<&EndReason> {
        self.engine.end_reason()
    }

    /// The contact's and the flow's addresses.
    pub fn addresses(&self) -> (String, String) {
        self.engine.trigger().addresses()
    }

    /// How it started, in a few words.
    pub fn title(&self) -> String {
        match self.engine.trigger() {
            Trigger::Message(m) => format!("Incoming message \"{}\"", m.body),
            Trigger::Rest { .. } => "REST API request".to_owned(),
            Trigger::Call(c) => format!("Incoming call from {}", c.from),
            Trigger::Conversation(m) => format!("Incoming conversation message \"{}\"", m.body),
            Trigger::Subflow(_) => "Started as a subflow".to_owned(),
        }
    }

    /// Where it came from when it did not start with its trigger: a rewind or "Run from here".
    pub fn origin_note(&self) -> Option<String> {
        match &self.origin {
            Origin::Rewind { from, step } => Some(format!("rewound from #{from} at step {step}")),
            Origin::StartAt { widget } => Some(format!("run from {widget}")),
            Origin::Test { case } => Some(format!("flow test \"{case}\"")),
            _ => None,
        }
    }

    /// A short status: where it waits, or how it ended.
    pub fn status_text(&self) -> String {
        match self.engine.status() {
            Status::Running => "running".to_owned(),
            Status::WaitingForReply { widget, .. } => format!("waiting for a reply to {widget}"),
            Status::WaitingForSend { widget, .. } => format!("sending {widget}"),
            Status::WaitingForHttp { widget, .. } => format!("waiting for {widget}'s response"),
            Status::Playing { widget, .. } => format!("{widget} is playing"),
            Status::Gathering { widget, .. } => format!("{widget} waits for keys or speech"),
            Status::Recording { widget, .. } => format!("{widget} waits for a recording"),
            Status::WaitingForExternal { widget, .. } => {
                format!("{widget} waits for the outside world")
            }
            Status::Paused { widget, reason } => match reason {
                PauseReason::Breakpoint => format!("paused at the breakpoint before {widget}"),
                PauseReason::Step => format!("paused before {widget}"),
            },
            Status::Ended(r) => end_kind(&r).to_owned(),
        }
    }

    /// Flow Data after step `index`, or now (`None`).
    pub fn flow_data(&self, index: Option<usize>) -> Value {
        match index {
            Some(i) if i < self.engine.steps().len() => self.engine.context_after(i),
            _ => self.engine.flow_data().clone(),
        }
    }

    /// The note of a step's request, if the step made one.
    pub fn request_note(&self, step: &Step) -> Option<&RequestNote> {
        match &step.detail {
            StepDetail::Http { request, .. } => self.requests.get(&request.id.0),
            _ => None,
        }
    }

    /// The request it waits for now, if any.
    pub(super) fn pending_request(&self) -> Option<RequestId> {
        match self.engine.status() {
            Status::WaitingForHttp { request, .. } => Some(request),
            _ => None,
        }
    }

    /// What the canvas highlights: the current widget, the widgets visited, the transitions taken.
    /// Steps of a subflow belong to another flow: the main flow's canvas shows the Run Subflow
    /// widget that runs them.
    pub fn highlight(&self) -> Highlight {
        let current = match self.engine.current_subflow() {
            Some(sub) => Some(sub.widget.clone()),
            None => self.engine.current_widget().map(str::to_owned),
        };
        let mut h = Highlight {
            current,
            paused: self.paused().is_some(),
            ..Highlight::default()
        };
        for s in self.engine.steps().iter().filter(|s| s.subflow.is_none()) {
            if !h.visited.contains(&s.widget) {
                h.visited.push(s.widget.clone());
            }
            if let (Some(event), Some(next)) = (&s.event, &s.next) {
                let t = (s.widget.clone(), event.clone(), next.clone());
                if !h.taken.contains(&t) {
                    h.taken.push(t);
                }
            }
        }
        if let Some(c) = &h.current {
            if !h.visited.contains(c) {
                h.visited.push(c.clone());
            }
        }
        h
    }

    /// Drains the engine's effects into the chat and `commands`, acknowledging sent messages and
    /// played audio (the simulator plays a Say/Play at once: its text is on screen).
    pub(super) fn drain(&mut self, fail_next: &mut bool, now: u64, commands: &mut Vec<Command>) {
        // Bounded: every acknowledgement makes the engine run at least one more widget, and the
        // engine ends an execution after its step limit.
        for _ in 0..10_000 {
            let mut reply_message: Option<MessageId> = None;
            let mut last_send: Option<(MessageId, String)> = None;
            while let Some(effect) = self.engine.poll_effect() {
                match &effect {
                    Effect::Send(m) => {
                        last_send = Some((m.id, m.widget.clone()));
                    }
                    Effect::WaitForReply { widget, .. } => {
                        if let Some((id, w)) = &last_send {
                            if w == widget {
                                reply_message = Some(*id);
                            }
                        }
                    }
                    _ => {}
                }
                if let Some(request) =
                    chat::show(&mut self.chat, &mut self.chat_state, self.id, effect, now)
                {
                    self.request(request, commands);
                }
            }
            if let Status::Playing { audio, .. } = self.engine.status() {
                if self.give(Input::AudioComplete(audio), now).is_err() {
                    return;
                }
                continue;
            }
            let message = match self.engine.status() {
                Status::WaitingForSend { message, .. } => Some(message),
                Status::WaitingForReply { .. } if *fail_next => reply_message,
                _ => None,
            };
            let Some(message) = message else { return };
            let input = if *fail_next {
                *fail_next = false;
                chat::mark_failed(&mut self.chat, &self.chat_state, message.0);
                Input::SendFailure {
                    message,
                    error: SIMULATED_FAILURE.to_owned(),
                }
            } else {
                Input::Sent(message)
            };
            if self.give(input, now).is_err() {
                return;
            }
        }
    }

    /// The stub that answers `request` instead of the real call: its widget's, when switched on
    /// and of the flow that runs now.
    fn stub_for(&self, request: &HttpRequest) -> Option<&StubResponse> {
        self.stubs
            .iter()
            .find(|s| {
                s.on && s.widget == request.widget && self.engine.runs_flow(s.subflow.as_deref())
            })
            .map(|s| &s.response)
    }

    /// Whether the request the execution waits for is a stubbed one.
    pub fn waits_for_stub(&self) -> bool {
        self.pending_request()
            .and_then(|id| self.requests.get(&id.0))
            .is_some_and(|n| n.stubbed)
    }

    /// A request for the shell to perform (or to answer with its stub), with its note.
    pub(super) fn request(&mut self, request: HttpRequest, commands: &mut Vec<Command>) {
        if let Some(stub) = self.stub_for(&request) {
            let (times_out, result, after_ms) =
                (stub.times_out(&request), stub.result(), stub.delay_ms);
            self.requests.insert(
                request.id.0,
                RequestNote {
                    stubbed: true,
                    ..RequestNote::default()
                },
            );
            // A delay at or past the request's limit: no answer, the request times out at its
            // deadline (the simulator's timer; Skip wait fires it at once).
            if !times_out {
                commands.push(Command::Answer {
                    execution: self.id,
                    request: request.id,
                    result,
                    after_ms,
                });
            }
            return;
        }
        let via = http::via(&request.url);
        self.requests.insert(
            request.id.0,
            RequestNote {
                via: Some(via),
                ..RequestNote::default()
            },
        );
        commands.push(Command::Http {
            execution: self.id,
            via,
            request,
        });
    }
}

/// What the canvas highlights for an execution.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    pub current: Option<String>,
    /// The current widget is where the execution paused (it has not run yet).
    pub paused: bool,
    /// Widgets in the order they were first reached.
    pub visited: Vec<String>,
    /// Transitions followed: (widget, event, next widget).
    pub taken: Vec<(String, String, String)>,
}

/// The kind of an end, in a word or two.
pub fn end_kind(reason: &EndReason) -> &'static str {
    match reason {
        EndReason::NoNext { .. } => "ended",
        EndReason::MissingWidget { .. } => "error",
        EndReason::RunLimit { .. } | EndReason::StepLimit { .. } => "limit reached",
        EndReason::Unsupported { .. } => "unsupported widget",
        EndReason::Error { .. } | EndReason::NoCall { .. } => "error",
        EndReason::CallEnded { .. } => "call ended",
        EndReason::Stopped => "stopped",
    }
}
