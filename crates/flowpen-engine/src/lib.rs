//! A sans-IO Studio execution engine: inputs go in through `handle_*`, effects come out through
//! `poll_*`, time is passed in.
//!
//! **Architecture Invariant:** pure: no clock, no randomness, no IO. Liquid rendering is pure too,
//! so the engine renders templates itself (`flowpen-liquid`); only what touches the outside world
//! (sending messages, waiting for replies, HTTP requests, audio on a call, the caller's input,
//! outside systems, timers) is an [`Effect`].

mod call;
mod conditions;
mod engine;
mod input;
mod io;
pub mod replay;
mod setup;
mod sorted_set;
mod step;
mod subflows;

pub use call::{
    Audio, AudioKind, CallInfo, ExternalEvent, ExternalKind, ExternalOutcome, ExternalRequest,
    GatherRequest, InboundCall, RecordRequest, Recording, RecordingEnd, SpeechSettings,
    SubflowStart, WaitId,
};
pub use conditions::{Conditions, Evaluation};
pub use engine::{form_encode, Config, Engine, InputError, Status};
pub use input::{Breakpoint, Input, PauseReason};
pub use io::{
    Effect, EndReason, HttpRequest, HttpResponse, InboundMessage, MessageId, OutboundMessage,
    RequestId, TransportError, TransportErrorKind, Trigger, TriggerKind,
};
pub use replay::{replay, ReplayError};
pub use setup::{Entry, Setup, StartAt, StartError};
pub use sorted_set::SortedSet;
pub use step::{Change, Comparison, Step, StepDetail, SubflowRef};
pub use subflows::Subflows;
