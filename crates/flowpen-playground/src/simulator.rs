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

pub mod http;

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use flowpen_engine::{
    Config, Effect, EndReason, Engine, HttpRequest, HttpResponse, InboundMessage, MessageId,
    RequestId, Status, Step, TransportError, Trigger,
};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use serde_json::Value;

use crate::functions::LogLine;
pub use http::Via;

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

/// One line of the chat.
#[derive(Clone, Debug, PartialEq)]
pub enum Bubble {
    /// The contact wrote this. `note` says why the flow did not get it, if it did not.
    Contact {
        text: String,
        at_ms: u64,
        note: Option<String>,
    },
    /// The flow sent this (Send Message, Send & Wait For Reply).
    Flow {
        widget: String,
        text: String,
        /// The media URL, when the widget has one (empty ones are left out).
        media: Option<String>,
        at_ms: u64,
        /// The message failed (the user asked it to).
        failed: bool,
    },
    /// A line about the execution (started, ended and why).
    Event { text: String, tone: Tone },
}

/// How an event line looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Ended,
    Problem,
}

/// What the shell learnt about one request besides its response.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestNote {
    pub via: Option<Via>,
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

/// How an execution started.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    Chat,
    Rest,
    Restart,
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
    /// How far "skip wait" moved this execution's clock ahead of the shell's.
    pub skew_ms: u64,
    /// Its part of the conversation.
    pub chat: Vec<Bubble>,
    /// Notes per request id.
    pub requests: BTreeMap<u32, RequestNote>,
    /// The step the user selected in the log (Flow Data shows the context after it).
    pub selected_step: Option<usize>,
}

impl Execution {
    /// The execution's time for the shell's `now`.
    pub fn clock(&self, now: u64) -> u64 {
        now.saturating_add(self.skew_ms)
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

    pub fn is_active(&self) -> bool {
        self.engine.end_reason().is_none()
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
            flowpen_engine::StepDetail::Http { request, .. } => self.requests.get(&request.id.0),
            _ => None,
        }
    }

    /// The request it waits for now, if any.
    fn pending_request(&self) -> Option<RequestId> {
        match self.engine.status() {
            Status::WaitingForHttp { request, .. } => Some(request),
            _ => None,
        }
    }

    /// What the canvas highlights: the current widget, the widgets visited, the transitions taken.
    pub fn highlight(&self) -> Highlight {
        let mut h = Highlight {
            current: self.engine.current_widget().map(str::to_owned),
            ..Highlight::default()
        };
        for s in self.engine.steps() {
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

    /// Drains the engine's effects into the chat and `commands`, acknowledging sent messages.
    fn drain(&mut self, fail_next: &mut bool, now: u64, commands: &mut Vec<Command>) {
        // Bounded: every acknowledgement makes the engine run at least one more widget, and the
        // engine ends an execution after its step limit.
        for _ in 0..10_000 {
            let mut reply_message: Option<MessageId> = None;
            let mut last_send: Option<(MessageId, String, usize)> = None;
            while let Some(effect) = self.engine.poll_effect() {
                match effect {
                    Effect::Send(m) => {
                        let media = m.media_url.filter(|u| !u.trim().is_empty());
                        self.chat.push(Bubble::Flow {
                            widget: m.widget.clone(),
                            text: m.body,
                            media,
                            at_ms: now,
                            failed: false,
                        });
                        last_send = Some((m.id, m.widget, self.chat.len() - 1));
                    }
                    Effect::WaitForReply { widget, .. } => {
                        if let Some((id, w, _)) = &last_send {
                            if *w == widget {
                                reply_message = Some(*id);
                            }
                        }
                    }
                    Effect::Http(request) => {
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
                    // Calls are not simulated in the browser yet: the flow's audio and what a
                    // widget waits for show as lines of the conversation.
                    Effect::SayPlay { widget, audio, .. } => self.chat.push(Bubble::Event {
                        text: format!("{widget}: {audio}"),
                        tone: Tone::Info,
                    }),
                    Effect::Gather(g) => self.chat.push(Bubble::Event {
                        text: format!("{} waits for keys or speech", g.widget),
                        tone: Tone::Info,
                    }),
                    Effect::Record(r) => self.chat.push(Bubble::Event {
                        text: format!("{} waits for a recording", r.widget),
                        tone: Tone::Info,
                    }),
                    Effect::External(x) => self.chat.push(Bubble::Event {
                        text: format!("{}: {}", x.widget, x.summary),
                        tone: Tone::Info,
                    }),
                    Effect::Ended(reason) => {
                        let tone = if reason.is_normal() {
                            Tone::Ended
                        } else {
                            Tone::Problem
                        };
                        self.chat.push(Bubble::Event {
                            text: format!("Execution #{} {}", self.id, end_sentence(&reason)),
                            tone,
                        });
                    }
                }
            }
            if let Status::Playing { audio, .. } = self.engine.status() {
                if self.engine.handle_audio_complete(audio, now).is_err() {
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
            let result = if *fail_next {
                *fail_next = false;
                if let Some((_, _, i)) = last_send {
                    if let Some(Bubble::Flow { failed, .. }) = self.chat.get_mut(i) {
                        *failed = true;
                    }
                }
                self.engine
                    .handle_send_failure(message, SIMULATED_FAILURE, now)
            } else {
                self.engine.handle_sent(message, now)
            };
            if result.is_err() {
                return;
            }
        }
    }
}

/// What the canvas highlights for an execution.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    pub current: Option<String>,
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

/// "ended: …" as a sentence about the execution.
fn end_sentence(reason: &EndReason) -> String {
    match reason {
        EndReason::NoNext { widget, event } => {
            format!("ended: {widget} has no next widget for \"{event}\".")
        }
        EndReason::Stopped => "was stopped.".to_owned(),
        other => format!("ended. {}", capitalize(&other.to_string())),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
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
        }
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

    /// The execution the log shows.
    pub fn selected(&self) -> Option<&Execution> {
        self.selected.and_then(|id| self.execution(id))
    }

    /// The execution that has not ended, if any.
    pub fn active(&self) -> Option<&Execution> {
        self.executions.iter().rev().find(|e| e.is_active())
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
                e.selected_step = step.filter(|&i| i < e.engine.steps().len());
            }
        }
    }

    /// The timer the shell must keep armed: the active execution's next deadline (a reply
    /// timeout, or a request's time limit).
    pub fn timer(&self) -> Option<Timer> {
        let e = self.active()?;
        e.engine.poll_timeout().map(|deadline_ms| Timer {
            execution: e.id,
            deadline_ms,
            fire_at_ms: deadline_ms.saturating_sub(e.skew_ms),
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
        let mut commands = self.stop(now);
        let id = self.next_id;
        self.next_id += 1;
        let mut chat = Vec::new();
        let how = match (&trigger, &origin) {
            (_, Origin::Restart) => "restarted with the same trigger".to_owned(),
            (Trigger::Message(_), _) => "started by an incoming message".to_owned(),
            (Trigger::Rest { from, to, .. }, _) => {
                format!("started by a REST API request (From {from}, To {to})")
            }
            (Trigger::Call(_), _) => "started by an incoming call".to_owned(),
            (Trigger::Conversation(_), _) => "started by a conversation message".to_owned(),
            (Trigger::Subflow(_), _) => "started as a subflow".to_owned(),
        };
        chat.push(Bubble::Event {
            text: format!("Execution #{id} {how}"),
            tone: Tone::Info,
        });
        if let Trigger::Message(m) = &trigger {
            chat.push(Bubble::Contact {
                text: m.body.clone(),
                at_ms: now,
                note: None,
            });
        }
        let engine = Engine::start_with(
            flow.clone(),
            trigger,
            self.config.clone(),
            Rc::clone(&self.liquid),
            now,
        );
        let mut execution = Execution {
            id,
            engine,
            origin,
            flow_rev,
            started_ms: now,
            skew_ms: 0,
            chat,
            requests: BTreeMap::new(),
            selected_step: None,
        };
        execution.drain(&mut self.fail_next_send, now, &mut commands);
        self.executions.push(execution);
        self.selected = Some(id);
        self.trim();
        commands
    }

    /// Drops the oldest ended executions beyond [`KEEP`].
    fn trim(&mut self) {
        while self.executions.len() > KEEP {
            let Some(i) = self.executions.iter().position(|e| !e.is_active()) else {
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
        let mut commands = Vec::new();
        let mut fail = self.fail_next_send;
        if let Some(e) = self.execution_mut(id) {
            let (contact, flow_address) = e.addresses();
            let now = e.clock(now);
            match e.engine.status() {
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
                    if e.engine.handle_message(message, now).is_ok() {
                        e.drain(&mut fail, now, &mut commands);
                    }
                }
                status => {
                    let why = match status {
                        Status::WaitingForHttp { widget, .. } => {
                            format!("{widget} is waiting for its HTTP response")
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
        }
        self.fail_next_send = fail;
        commands
    }

    /// Starts a new execution with the trigger of the selected one (or of the last one).
    pub fn restart(&mut self, flow: &Flow, flow_rev: u64, now: u64) -> Vec<Command> {
        let trigger = self
            .selected()
            .or_else(|| self.executions.last())
            .map(|e| e.engine.trigger().clone());
        match trigger {
            Some(t) => self.start(flow, flow_rev, t, Origin::Restart, now),
            None => Vec::new(),
        }
    }

    /// Stops the active execution.
    pub fn stop(&mut self, now: u64) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some(id) = self.active_id() else {
            return commands;
        };
        let mut fail = self.fail_next_send;
        if let Some(e) = self.execution_mut(id) {
            if let Some(request) = e.pending_request() {
                commands.push(Command::Cancel {
                    execution: id,
                    request,
                });
            }
            e.engine.stop();
            let now = e.clock(now);
            e.drain(&mut fail, now, &mut commands);
        }
        self.fail_next_send = fail;
        commands
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
        if !matches!(e.engine.status(), Status::WaitingForReply { .. }) {
            return Vec::new();
        }
        let clock = e.clock(now);
        if clock < t.deadline_ms {
            e.skew_ms += t.deadline_ms - clock;
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
        let mut commands = Vec::new();
        let mut fail = self.fail_next_send;
        if let Some(e) = self.execution_mut(execution) {
            // A browser timer may run a millisecond before the clock says the deadline passed.
            let now = e.clock(now).max(deadline_ms);
            if e.engine.poll_timeout() == Some(deadline_ms) {
                let pending = e.pending_request();
                e.engine.handle_timeout(now);
                if let Some(request) = pending.filter(|r| e.pending_request() != Some(*r)) {
                    commands.push(Command::Cancel { execution, request });
                }
                e.drain(&mut fail, now, &mut commands);
            }
        }
        self.fail_next_send = fail;
        commands
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
        let mut commands = Vec::new();
        let mut fail = self.fail_next_send;
        if let Some(e) = self.execution_mut(execution) {
            let note = e.requests.entry(request.0).or_default();
            note.logs = answer.logs;
            note.duration_ms = Some(answer.duration_ms);
            note.note = answer.note;
            note.answered = true;
            let now = e.clock(now);
            if e.engine.handle_http_response(request, result, now).is_ok() {
                e.drain(&mut fail, now, &mut commands);
            }
        }
        self.fail_next_send = fail;
        commands
    }

    /// Forgets every ended execution.
    pub fn clear(&mut self) {
        self.executions.retain(Execution::is_active);
        if self.selected().is_none() {
            self.selected = self.executions.last().map(|e| e.id);
        }
    }
}
