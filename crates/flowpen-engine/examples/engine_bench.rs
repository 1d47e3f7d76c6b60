//! `make bench`: engine throughput in steps per second on a generated flow that runs 1,000 steps
//! (a chain of Set Variables and Split widgets, every one rendering Liquid) without any input,
//! and what a rewind costs: replaying the record of the same execution paused before every
//! widget (1,000 recorded inputs) to its last step. Prints Markdown table rows. Run with
//! `--profile bench`.
//!
//! Usage: `cargo run --profile bench -p flowpen-engine --example engine_bench`.

use std::rc::Rc;
use std::time::Instant;

use flowpen_engine::replay::rewind;
use flowpen_engine::{Breakpoint, Config, Engine, InboundMessage, Input, Setup, Trigger};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;

/// Timing is what a benchmark is for; the core crate itself never reads a clock.
#[allow(clippy::disallowed_methods)]
fn now() -> Instant {
    Instant::now()
}

fn main() {
    let flow = Flow::parse(&flowpen_testkit::generated_flow(999, false)).expect("imports");
    let liquid = Rc::new(Liquid::studio());
    let trigger = Trigger::Message(InboundMessage {
        from: "+1".into(),
        to: "+2".into(),
        body: "go".into(),
        media_urls: vec![],
    });
    let run = || {
        let e = Engine::start_with(
            flow.clone(),
            trigger.clone(),
            Config::default(),
            liquid.clone(),
            0,
        );
        assert!(
            e.end_reason().is_some_and(|r| r.is_normal()),
            "{:?}",
            e.end_reason()
        );
        e.steps().len()
    };
    // Warm the template cache: a simulator keeps one Liquid service for all its executions.
    let steps = run();
    assert_eq!(steps, 1000);
    let median = median_of(15, || {
        std::hint::black_box(run());
    });
    println!(
        "| native | {steps} | {:.2} ms | {:.0} steps/s |",
        median * 1e3,
        steps as f64 / median
    );

    // A rewind: the same execution with a breakpoint on every widget, continued 999 times.
    let setup = Setup::new(flow.clone(), trigger.clone())
        .liquid(liquid.clone())
        .breakpoints(
            flow.states
                .iter()
                .map(|s| Breakpoint::at(&s.name))
                .collect(),
        );
    let mut engine = Engine::begin(setup.clone(), 0).expect("starts");
    let mut inputs = Vec::new();
    while engine.end_reason().is_none() {
        engine.handle(Input::Continue, 0).expect("paused");
        inputs.push((Input::Continue, 0));
    }
    let last = engine.steps().len() - 1;
    let median = median_of(15, || {
        let r = rewind(
            &setup,
            0,
            &inputs,
            last,
            |_, e| while e.poll_effect().is_some() {},
        )
        .expect("rewinds");
        std::hint::black_box(r.used);
    });
    println!(
        "| native, rewind to step {last} ({} recorded inputs) | {} | {:.2} ms | {:.0} steps/s |",
        inputs.len(),
        last + 1,
        median * 1e3,
        (last + 1) as f64 / median
    );
}

/// The median time of `n` runs of `f`, in seconds.
fn median_of(n: usize, mut f: impl FnMut()) -> f64 {
    let mut samples = Vec::new();
    for _ in 0..n {
        let t = now();
        f();
        samples.push(t.elapsed().as_secs_f64());
    }
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
