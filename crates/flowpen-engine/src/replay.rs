//! Deterministic replay: an execution is its [`Setup`], its start time and the inputs it took
//! (each with its time). The engine reads no clock and draws no random number, so giving the
//! same inputs at the same times to a new engine rebuilds it exactly: the same steps, effects,
//! Flow Data, waits and ids. Nothing is snapshotted.
//!
//! **Rewind** ([`rewind`]): "rewind to step `i`" is the state at the first resting point (a reply,
//! Gather or Record Voicemail wait, an outside-world wait, a pause, or the end: see
//! [`crate::Status::is_at_rest`]) reached once step `i` is in the log, rebuilt by replaying the
//! shortest prefix of the inputs that gets there. The transient waits in between (a message being
//! sent, an HTTP response, audio playing) are answered from the record — the same
//! acknowledgements, the same responses — never performed again. When the record ends before
//! the execution came to rest again (it still waits for a response), the whole record is
//! replayed and the execution waits there, as the original does. A user's stop is not part of
//! the flow's story: once step `i` is logged, the replay ends before an `Input::Stop` (an
//! execution stopped while it waited for a response is rewound to that wait).

use std::fmt;

use crate::engine::{Engine, InputError};
use crate::input::Input;
use crate::setup::{Setup, StartError};

/// Why a record could not be replayed.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplayError {
    /// The setup does not start (a mid-flow start at a widget that is gone, …).
    Start(StartError),
    /// The engine refused input `at` (the record does not belong to this setup).
    Rejected {
        at: usize,
        input: Box<Input>,
        error: InputError,
    },
    /// Step `step` is never logged: the record has `steps` steps.
    NoSuchStep { step: usize, steps: usize },
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Start(e) => write!(f, "the execution cannot start again: {e}"),
            ReplayError::Rejected { at, input, error } => write!(
                f,
                "input {} ({}) was refused on replay: {error}",
                at + 1,
                input.describe()
            ),
            ReplayError::NoSuchStep { step, steps } => write!(
                f,
                "the execution has no step {step} (it logged {steps} step{})",
                if *steps == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for ReplayError {}

/// Gives `engine` an input at `now_ms` and adds it to `record` when taken: what a driver that
/// keeps a record for [`replay`] and [`rewind`] calls for every input (the simulator's executions,
/// the flow-test runner).
pub fn give(
    engine: &mut Engine,
    record: &mut Vec<(Input, u64)>,
    input: Input,
    now_ms: u64,
) -> Result<(), InputError> {
    engine.handle(input.clone(), now_ms)?;
    record.push((input, now_ms));
    Ok(())
}

/// Rebuilds an execution from its setup, start time and inputs; the effects are drained and
/// dropped after each input, as a driver that carried them out would have.
pub fn replay(
    setup: &Setup,
    started_ms: u64,
    inputs: &[(Input, u64)],
) -> Result<Engine, ReplayError> {
    replay_with(setup, started_ms, inputs, |_, engine| {
        while engine.poll_effect().is_some() {}
    })
}

/// Like [`replay`], calling `after` after the start (`None`) and after each input (its index)
/// with the engine, whose effects it drains (they are the effects of that input: a shell
/// rebuilds what it showed from them).
pub fn replay_with(
    setup: &Setup,
    started_ms: u64,
    inputs: &[(Input, u64)],
    mut after: impl FnMut(Option<usize>, &mut Engine),
) -> Result<Engine, ReplayError> {
    let mut engine = Engine::begin(setup.clone(), started_ms).map_err(ReplayError::Start)?;
    after(None, &mut engine);
    for (at, (input, now)) in inputs.iter().enumerate() {
        apply(&mut engine, at, input, *now)?;
        after(Some(at), &mut engine);
    }
    Ok(engine)
}

fn apply(engine: &mut Engine, at: usize, input: &Input, now: u64) -> Result<(), ReplayError> {
    engine
        .handle(input.clone(), now)
        .map_err(|error| ReplayError::Rejected {
            at,
            input: Box::new(input.clone()),
            error,
        })
}

/// An execution rewound to a step: the engine, and how many of the record's inputs it took.
pub struct Rewound {
    pub engine: Engine,
    pub used: usize,
}

/// Rewinds a record to step `step` (see the module docs): replays the shortest prefix of `inputs`
/// after which step `step` is logged and the execution is at rest, calling `after` as
/// [`replay_with`] does.
pub fn rewind(
    setup: &Setup,
    started_ms: u64,
    inputs: &[(Input, u64)],
    step: usize,
    mut after: impl FnMut(Option<usize>, &mut Engine),
) -> Result<Rewound, ReplayError> {
    let there = |e: &Engine| e.steps().len() > step && e.status().is_at_rest();
    let mut engine = Engine::begin(setup.clone(), started_ms).map_err(ReplayError::Start)?;
    after(None, &mut engine);
    let mut used = 0;
    while !there(&engine) {
        let logged = engine.steps().len() > step;
        let next = inputs
            .get(used)
            .filter(|(i, _)| !(logged && *i == Input::Stop));
        let Some((input, now)) = next else {
            if logged {
                break;
            }
            return Err(ReplayError::NoSuchStep {
                step,
                steps: engine.steps().len(),
            });
        };
        apply(&mut engine, used, input, *now)?;
        after(Some(used), &mut engine);
        used += 1;
    }
    Ok(Rewound { engine, used })
}
