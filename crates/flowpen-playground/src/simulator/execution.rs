//! One execution as the simulator shows it: the engine that runs it, its part of the
//! conversation (messages, a call's speech and keys, the outside world's waits), the notes of its
//! requests, and what it waits for now. [`Execution::drain`] turns the engine's effects into
//! bubbles and commands, acknowledging what the simulator answers itself (sent messages, played
//! audio).

use std::collections::BTreeMap;

use flowpen_engine::{
    Audio, AudioKind, Effect, EndReason, Engine, ExternalRequest, GatherRequest, MessageId,
    PauseReason, RecordRequest, RequestId, Status, Step, Trigger,
};
use serde_json::Value;

use super::Via;
use super::{http, Command, Origin, SIMULATED_FAILURE};
use crate::functions::LogLine;

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
    /// The flow speaks on the call (Say/Play's `say`, or a Gather's spoken prompt).
    Say {
        widget: String,
        text: String,
        voice: Option<String>,
        language: Option<String>,
        loops: u32,
        at_ms: u64,
    },
    /// The flow plays an audio file on the call (the page never starts it by itself).
    Play {
        widget: String,
        url: String,
        loops: u32,
        at_ms: u64,
    },
    /// The flow sends DTMF tones on the call.
    Tones {
        widget: String,
        digits: String,
        at_ms: u64,
    },
    /// The caller did this on the call (keys, speech, a recording, hanging up). `note` says why
    /// the flow did not take it, if it did not.
    Caller {
        input: CallerInput,
        at_ms: u64,
        note: Option<String>,
    },
    /// A line about the execution (started, ended and why; what a widget hands to the outside
    /// world).
    Event { text: String, tone: Tone },
}

/// What the caller did on the call.
#[derive(Clone, Debug, PartialEq)]
pub enum CallerInput {
    /// Pressed these keys.
    Keys(String),
    /// Said this (speech recognition's text and confidence).
    Speech { text: String, confidence: f64 },
    /// Left a recording (the text stands in for the audio).
    Recording(String),
    /// Hung up.
    HangUp,
    /// The outside world answered a waiting widget with this event.
    Outcome { widget: String, event: String },
}

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
    /// The last Gather and Record requests (their settings, for the controls).
    gather: Option<GatherRequest>,
    record: Option<RecordRequest>,
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
            requests: BTreeMap::new(),
            selected_step: None,
            gather: None,
            record: None,
        }
    }

    pub(super) fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }

    /// Whether the execution is on a call that is still up.
    pub fn on_call(&self) -> bool {
        self.engine.call().is_some_and(|c| c.live)
    }

    /// What it waits for now.
    pub fn waiting(&self) -> Wait {
        match self.engine.status() {
            Status::WaitingForReply { widget, .. } => Wait::Reply { widget },
            Status::Gathering { digits, widget, .. } => match &self.gather {
                Some(g) if g.widget == widget => Wait::Gather {
                    request: g.clone(),
                    digits,
                },
                _ => Wait::Nothing,
            },
            Status::Recording { widget, .. } => match &self.record {
                Some(r) if r.widget == widget => Wait::Record(r.clone()),
                _ => Wait::Nothing,
            },
            Status::WaitingForExternal { .. } => self
                .engine
                .pending_external()
                .cloned()
                .map_or(Wait::Nothing, Wait::External),
            _ => Wait::Nothing,
        }
    }

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
            flowpen_engine::StepDetail::Http { request, .. } => self.requests.get(&request.id.0),
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

    /// The flow's audio as a bubble.
    fn voice(&mut self, widget: String, audio: &Audio, now: u64) {
        let loops = audio.loops;
        self.chat.push(match &audio.kind {
            AudioKind::Say {
                text,
                voice,
                language,
            } => Bubble::Say {
                widget,
                text: text.clone(),
                voice: voice.clone(),
                language: language.clone(),
                loops,
                at_ms: now,
            },
            AudioKind::Play { url } => Bubble::Play {
                widget,
                url: url.clone(),
                loops,
                at_ms: now,
            },
            AudioKind::Digits { digits } => Bubble::Tones {
                widget,
                digits: digits.clone(),
                at_ms: now,
            },
        });
    }

    /// Drains the engine's effects into the chat and `commands`, acknowledging sent messages and
    /// played audio (the simulator plays a Say/Play at once: its text is on screen).
    pub(super) fn drain(&mut self, fail_next: &mut bool, now: u64, commands: &mut Vec<Command>) {
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
                    Effect::SayPlay { widget, audio, .. } => self.voice(widget, &audio, now),
                    Effect::Gather(g) => {
                        if let Some(prompt) = &g.prompt {
                            self.voice(g.widget.clone(), prompt, now);
                        }
                        self.gather = Some(g);
                    }
                    Effect::Record(r) => {
                        let beep = if r.play_beep { " after the beep" } else { "" };
                        self.chat.push(Bubble::Event {
                            text: format!(
                                "{} records a voicemail{beep} (up to {} s)",
                                r.widget, r.max_length_s
                            ),
                            tone: Tone::Info,
                        });
                        self.record = Some(r);
                    }
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
