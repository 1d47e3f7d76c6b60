//! Rewind: a new execution rebuilt from an old one's record, as it was after one of its steps.
//!
//! "Rewind to step `i`" is the engine's rule (`flowpen_engine::replay::rewind`): the state at the
//! first resting point (a reply, a Gather, a Record Voicemail, an outside-world wait, a pause, or
//! the end) reached once step `i` is logged, rebuilt by replaying the shortest prefix of the
//! recorded inputs that gets there. Messages are acknowledged and HTTP responses given from the
//! record, never sent or fetched again; only a request the record has no answer for (the old
//! execution was stopped while waiting for it) is performed again.
//!
//! The new execution:
//! - has its own id and `Origin::Rewind { from, step }`, runs the flow revision the old one ran
//!   (not the flow as edited since: the record belongs to it), and is selected and active;
//! - has the chat of the prefix only, rebuilt from the replayed inputs and effects with the same
//!   functions that build it live (what the flow did not take, with its note, was never an input
//!   and is not shown again), and the notes of the replayed requests;
//! - goes on from the replayed point on its own clock (`skew_ms`: the time of the last replayed
//!   input is "now"), so its log's times stay coherent; its new inputs are recorded after the
//!   replayed ones, and it gets the session's breakpoints (recorded too).
//!
//! The old execution stays in the list as it was (stopped first if it was active), even when the
//! list is full: the oldest other ended execution is dropped instead.

use std::fmt;
use std::rc::Rc;

use flowpen_engine::replay::{self, ReplayError};
use flowpen_engine::{HttpRequest, Input};

use super::chat::{self, Bubble, ChatState};
use super::execution::Execution;
use super::{opening, Command, Origin, Simulator};

/// Why an execution could not be rewound.
#[derive(Clone, Debug, PartialEq)]
pub enum RewindError {
    /// No kept execution has this id.
    NoExecution(u32),
    /// The record does not get there (no such step, or it cannot be replayed).
    Replay(ReplayError),
}

impl fmt::Display for RewindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RewindError::NoExecution(id) => write!(f, "there is no execution #{id}"),
            RewindError::Replay(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for RewindError {}

impl Simulator {
    /// Rewinds execution `execution` to its step `step` (see the module docs) as a new execution,
    /// and returns what the shell must do (cancel the old execution's request, perform a request
    /// the record has no answer for).
    pub fn rewind(
        &mut self,
        execution: u32,
        step: usize,
        now: u64,
    ) -> Result<Vec<Command>, RewindError> {
        let old = self
            .execution(execution)
            .ok_or(RewindError::NoExecution(execution))?;
        let setup = old.engine().setup().clone();
        let started = old.engine().started_ms();
        let record = old.inputs().to_vec();
        let (flow_rev, notes) = (old.flow_rev, old.requests.clone());
        let id = self.next_id;
        // The chat of the prefix, from the replayed inputs and effects.
        let mut chat: Vec<Bubble> = Vec::new();
        let mut state = ChatState::default();
        let mut requests: Vec<HttpRequest> = Vec::new();
        let rewound = replay::rewind(&setup, started, &record, step, |at, engine| {
            let now = at.map_or(started, |i| record[i].1);
            if let Some(i) = at {
                let (input, _) = &record[i];
                if let Input::SendFailure { message, .. } = input {
                    chat::mark_failed(&mut chat, &state, message.0);
                }
                chat.extend(chat::input_bubble(input, now, &state));
            }
            while let Some(effect) = engine.poll_effect() {
                requests.extend(chat::show(&mut chat, &mut state, id, effect, now));
            }
        })
        .map_err(RewindError::Replay)?;
        let mut commands = self.stop(now);
        self.next_id += 1;
        let inputs = record[..rewound.used].to_vec();
        let resumed_at = inputs.last().map_or(started, |(_, t)| *t);
        let origin = Origin::Rewind {
            from: execution,
            step,
        };
        let mut e = Execution::rebuilt(id, rewound.engine, origin, flow_rev, inputs, (chat, state));
        e.stubs = Rc::clone(&self.stubs);
        let mut head = opening(&e);
        head.append(&mut e.chat);
        e.chat = head;
        e.skew_ms = clock_skew(resumed_at, now);
        for r in &requests {
            if let Some(note) = notes.get(&r.id.0) {
                e.requests.insert(r.id.0, note.clone());
            }
        }
        // A request the record has no answer for is performed again.
        if let Some(pending) = e.pending_request() {
            if let Some(r) = requests.into_iter().rev().find(|r| r.id == pending) {
                e.request(r, &mut commands);
            }
        }
        if e.is_active() && e.engine().breakpoints() != &self.breakpoints {
            let _ = e.give(Input::Breakpoints(self.breakpoints.clone()), resumed_at);
        }
        let mut fail = self.fail_next_send;
        let clock = e.clock(now);
        e.drain(&mut fail, clock, &mut commands);
        self.fail_next_send = fail;
        self.add(e);
        Ok(commands)
    }
}

/// The skew that makes an execution's clock read `at` when the shell's reads `now`.
fn clock_skew(at: u64, now: u64) -> i64 {
    let diff = i128::from(at) - i128::from(now);
    i64::try_from(diff).unwrap_or(if diff < 0 { i64::MIN } else { i64::MAX })
}
