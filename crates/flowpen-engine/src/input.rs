//! Inputs as data: every `Engine::handle_*` (and the debugger's inputs) as one [`Input`] value, so
//! whoever drives the engine can record what it gave it and replay it (`crate::replay`).
//!
//! The engine records nothing itself: recording belongs to the driver, which keeps the inputs
//! [`crate::Engine::handle`] accepted, each with the time it was given.

use std::fmt;

use serde_json::Value;

use crate::call::{ExternalOutcome, Recording, WaitId};
use crate::io::{HttpResponse, InboundMessage, MessageId, RequestId, TransportError};
use crate::SortedSet;

/// One input to an execution. `Engine::handle(input, now_ms)` takes any of them.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// The contact replied (`handle_message`).
    Message(InboundMessage),
    /// A Send Message widget's message was sent (`handle_sent`).
    Sent(MessageId),
    /// A message could not be sent or delivered (`handle_send_failure`).
    SendFailure { message: MessageId, error: String },
    /// The response, or transport error, of a request (`handle_http_response`).
    Http {
        request: RequestId,
        response: Result<HttpResponse, TransportError>,
    },
    /// Time passed (`handle_timeout`). Accepted only when a deadline is due.
    Timeout,
    /// A Say/Play's audio finished (`handle_audio_complete`).
    AudioComplete(WaitId),
    /// The caller pressed keys (`handle_digits`).
    Digits(String),
    /// The caller said something (`handle_speech`).
    Speech { text: String, confidence: f64 },
    /// The caller left a recording (`handle_recording`).
    Recording(Recording),
    /// The caller hung up (`handle_hangup`).
    HangUp,
    /// The outside world answered a waiting widget (`handle_external`).
    External {
        wait: WaitId,
        outcome: ExternalOutcome,
    },
    /// The user stopped the execution (`stop`). Accepted unless it has ended.
    Stop,
    /// A paused execution goes on until it waits, ends or reaches a breakpoint.
    Continue,
    /// A paused execution runs exactly one widget, then pauses before the next one (even
    /// without a breakpoint there).
    Step,
    /// The user replaced Flow Data while the execution is paused (a JSON object). The log gets a
    /// step that records the edit ([`crate::StepDetail::FlowDataEdited`]).
    SetFlowData(Value),
    /// The breakpoints from now on. Accepted unless the execution has ended.
    Breakpoints(SortedSet<Breakpoint>),
}

impl Input {
    /// The input's name in a few words (`reply`, `http response #2`, …), for logs and errors.
    pub fn describe(&self) -> String {
        match self {
            Input::Message(m) => format!("reply \"{}\"", m.body),
            Input::Sent(id) => format!("message {id} sent"),
            Input::SendFailure { message, .. } => format!("message {message} failed"),
            Input::Http { request, .. } => format!("response to request {request}"),
            Input::Timeout => "timeout".to_owned(),
            Input::AudioComplete(id) => format!("audio {id} complete"),
            Input::Digits(keys) => format!("keys {keys}"),
            Input::Speech { text, .. } => format!("speech \"{text}\""),
            Input::Recording(_) => "recording".to_owned(),
            Input::HangUp => "hang-up".to_owned(),
            Input::External { wait, outcome } => format!("{} for wait {wait}", outcome.event),
            Input::Stop => "stop".to_owned(),
            Input::Continue => "continue".to_owned(),
            Input::Step => "step".to_owned(),
            Input::SetFlowData(_) => "Flow Data edit".to_owned(),
            Input::Breakpoints(b) => format!("{} breakpoints", b.len()),
        }
    }
}

/// A widget the execution pauses before.
///
/// Breakpoints are scoped by flow: `subflow: None` is a widget of the execution's own flow;
/// `subflow: Some(key)` a widget of the subflow that the execution's `Subflows` registers under
/// `key` (a SID or a name: the breakpoint applies whichever key a Run Subflow widget resolves the
/// same flow by). The same widget name in two flows is two breakpoints.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Breakpoint {
    pub subflow: Option<String>,
    pub widget: String,
}

impl Breakpoint {
    /// A breakpoint on a widget of the execution's own flow.
    pub fn at(widget: &str) -> Breakpoint {
        Breakpoint {
            subflow: None,
            widget: widget.to_owned(),
        }
    }

    /// A breakpoint on a widget of the subflow registered under `key`.
    pub fn in_subflow(key: &str, widget: &str) -> Breakpoint {
        Breakpoint {
            subflow: Some(key.to_owned()),
            widget: widget.to_owned(),
        }
    }
}

/// Why an execution paused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseReason {
    /// The widget has a breakpoint.
    Breakpoint,
    /// The user stepped: one widget ran.
    Step,
}

impl fmt::Display for PauseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PauseReason::Breakpoint => "breakpoint",
            PauseReason::Step => "step",
        })
    }
}
