//! Rewind determinism over random runs: every corpus flow, driven by the robustness driver's
//! random inputs (with random breakpoints in some runs, so pauses, Continue, Step and Flow Data
//! edits are recorded too), is rebuilt from its setup and recorded inputs with the same steps,
//! effects and Flow Data after every input; replaying any prefix gives the state the original
//! had at that point; and rewinding to a step stops at the first resting point after it.

mod common;

use std::rc::Rc;

use common::random::{breakpoints, connected, give, project, step, trigger_for, Rng};
use flowpen_engine::replay::{replay_with, rewind};
use flowpen_engine::{replay, Effect, Engine, Input, InputError, Setup, Status, Step};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use flowpen_testkit::corpus;
use serde_json::Value;

/// What can be seen of an engine after an input.
#[derive(Debug, PartialEq)]
struct Point {
    steps: usize,
    last: Option<Step>,
    status: Status,
    flow_data: Value,
    timeout: Option<u64>,
    current: Option<String>,
    effects: Vec<Effect>,
}

fn point(engine: &mut Engine) -> Point {
    let effects = std::iter::from_fn(|| engine.poll_effect()).collect();
    Point {
        steps: engine.steps().len(),
        last: engine.steps().last().cloned(),
        status: engine.status(),
        flow_data: engine.flow_data().clone(),
        timeout: engine.poll_timeout(),
        current: engine.current_widget().map(str::to_owned),
        effects,
    }
}

/// One random execution: its setup, start time, inputs, the point after the start and after
/// every input, and the final engine.
struct Record {
    setup: Setup,
    started: u64,
    inputs: Vec<(Input, u64)>,
    points: Vec<Point>,
    engine: Engine,
}

fn random_run(setup: Setup, rng: &mut Rng, max_inputs: usize) -> Record {
    let started = 1_000_000u64;
    let mut now = started;
    let mut engine = Engine::begin(setup.clone(), started).expect("starts");
    let mut inputs = Vec::new();
    let mut points = vec![point(&mut engine)];
    for _ in 0..max_inputs {
        let before = inputs.len();
        // The driver drains what is left (nothing: `point` drained it) and gives one input.
        if step(&mut engine, rng, &mut now, &mut inputs).is_none() {
            break;
        }
        assert!(inputs.len() <= before + 1);
        if inputs.len() > before {
            points.push(point(&mut engine));
        }
    }
    Record {
        setup,
        started,
        inputs,
        points,
        engine,
    }
}

fn check(name: &str, r: &mut Record, rng: &mut Rng) {
    // The whole record, compared after every input.
    let mut at = 0;
    let replayed = replay_with(&r.setup, r.started, &r.inputs, |i, e| {
        let expected = &r.points[i.map_or(0, |i| i + 1)];
        assert_eq!(&point(e), expected, "{name}: after input {i:?}");
        at += 1;
    })
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(at, r.inputs.len() + 1);
    assert_eq!(replayed.steps(), r.engine.steps(), "{name}");
    assert_eq!(replayed.flow_data(), r.engine.flow_data(), "{name}");
    assert_eq!(replayed.status(), r.engine.status(), "{name}");
    assert_eq!(replayed.call(), r.engine.call(), "{name}");
    assert_eq!(replayed.breakpoints(), r.engine.breakpoints(), "{name}");
    // Prefixes replayed on their own.
    for _ in 0..3 {
        let k = rng.below(r.inputs.len() as u64 + 1) as usize;
        let mut e = replay(&r.setup, r.started, &r.inputs[..k]).expect("a prefix replays");
        let mut expected = point(&mut e);
        expected.effects = r.points[k].effects.clone();
        assert_eq!(expected, r.points[k], "{name}: prefix of {k}");
        assert_eq!(e.steps(), &r.engine.steps()[..e.steps().len()], "{name}");
    }
    // Rewinding to a step stops at the first resting point after it.
    if !r.engine.steps().is_empty() {
        let target = rng.below(r.engine.steps().len() as u64) as usize;
        let rewound = rewind(&r.setup, r.started, &r.inputs, target, |_, _| {})
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let first = (0..=r.inputs.len())
            .find(|&k| r.points[k].steps > target && r.points[k].status.is_at_rest());
        match first {
            Some(k) => {
                assert_eq!(rewound.used, k, "{name}: rewind to {target}");
                assert!(rewound.engine.status().is_at_rest());
            }
            None => assert_eq!(rewound.used, r.inputs.len(), "{name}: the whole record"),
        }
        assert_eq!(rewound.engine.status(), r.points[rewound.used].status);
        assert_eq!(
            rewound.engine.flow_data(),
            &r.points[rewound.used].flow_data
        );
    }
}

#[test]
fn random_runs_of_every_corpus_flow_replay_exactly() {
    let Some(files) = corpus("random_runs_of_every_corpus_flow_replay_exactly") else {
        return;
    };
    let subflows = project(&files);
    let liquid = Rc::new(Liquid::studio());
    let mut rng = Rng(0x0BAD_5EED);
    let (mut runs, mut inputs, mut pauses, mut edits) = (0, 0, 0, 0);
    for (name, text) in &files {
        let flow = Flow::parse(text).unwrap();
        for (round, event) in connected(&flow).iter().cycle().take(30).enumerate() {
            let debug = round % 2 == 1;
            let setup = Setup::new(flow.clone(), trigger_for(event))
                .liquid(Rc::clone(&liquid))
                .subflows(subflows.clone())
                .breakpoints(if debug {
                    breakpoints(&flow, &mut rng, 3)
                } else {
                    Default::default()
                });
            let mut r = random_run(setup, &mut rng, 150);
            runs += 1;
            inputs += r.inputs.len();
            pauses += r
                .points
                .iter()
                .filter(|p| matches!(p.status, Status::Paused { .. }))
                .count();
            edits += r
                .inputs
                .iter()
                .filter(|(i, _)| matches!(i, Input::SetFlowData(_)))
                .count();
            check(name, &mut r, &mut rng);
        }
    }
    assert!(runs >= 39 * 30, "{runs} runs");
    // What the run covers (about 4,900 inputs, 1,500 pauses and 230 edits with this seed).
    assert!(inputs > 4_000, "{inputs} inputs");
    assert!(pauses > 1_000, "{pauses} pauses");
    assert!(edits > 100, "{edits} edits");
}

#[test]
fn a_record_that_does_not_belong_to_the_setup_is_refused_with_the_input() {
    let flow = common::flow(
        "incomingMessage",
        &[(
            "ask",
            "send-and-wait-for-reply",
            serde_json::json!({"incomingMessage": null, "timeout": null, "deliveryFailure": null}),
            serde_json::json!({"from": "x", "body": "?", "timeout": 60}),
        )],
    );
    let setup = Setup::new(flow, common::message("hi"));
    let mut engine = Engine::begin(setup.clone(), common::T0).unwrap();
    let mut log = Vec::new();
    give(&mut engine, &mut log, Input::Timeout, common::T0 + 60_000).unwrap();
    assert!(engine.end_reason().is_some());
    // Recorded: the timeout. Replayed with an input the engine refuses after it:
    log.push((Input::Continue, common::T0 + 60_001));
    let err = replay(&setup, common::T0, &log).err().expect("refused");
    assert_eq!(
        err,
        flowpen_engine::ReplayError::Rejected {
            at: 1,
            input: Box::new(Input::Continue),
            error: InputError::NotWaiting,
        }
    );
    assert_eq!(
        err.to_string(),
        "input 2 (continue) was refused on replay: the execution is not waiting for that"
    );
    let err = rewind(&setup, common::T0, &log[..1], 5, |_, _| {})
        .err()
        .expect("no such step");
    assert_eq!(
        err,
        flowpen_engine::ReplayError::NoSuchStep { step: 5, steps: 2 }
    );
}

#[test]
fn a_rewind_never_replays_the_users_stop() {
    // Trigger → a Run Function, stopped while it waits for its response.
    let flow = common::flow(
        "incomingMessage",
        &[(
            "fn",
            "run-function",
            serde_json::json!({"success": null, "fail": null}),
            serde_json::json!({"url": "https://example.com/f"}),
        )],
    );
    let setup = Setup::new(flow, common::message("hi"));
    let mut engine = Engine::begin(setup.clone(), common::T0).unwrap();
    let mut log = Vec::new();
    give(&mut engine, &mut log, Input::Stop, common::T0 + 5).unwrap();
    assert!(engine.end_reason().is_some());
    // Step 0 (the Trigger) is logged before the stop: the rewind ends at the request's wait.
    let rewound = rewind(&setup, common::T0, &log, 0, |_, _| {}).unwrap();
    assert_eq!(rewound.used, 0);
    assert!(matches!(
        rewound.engine.status(),
        Status::WaitingForHttp { .. }
    ));
    // A whole replay does replay it.
    assert!(replay(&setup, common::T0, &log)
        .unwrap()
        .end_reason()
        .is_some());
}
