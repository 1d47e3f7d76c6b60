//! `make bench`: engine throughput in steps per second on a generated flow that runs 1,000 steps
//! (a chain of Set Variables and Split widgets, every one rendering Liquid) without any input.
//! Prints a Markdown table row. Run with `--profile bench`.
//!
//! Usage: `cargo run --profile bench -p flowpen-engine --example bench`.

use std::rc::Rc;
use std::time::Instant;

use flowpen_engine::{Config, Engine, InboundMessage, Trigger};
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
    let mut samples = Vec::new();
    for _ in 0..15 {
        let t = now();
        std::hint::black_box(run());
        samples.push(t.elapsed().as_secs_f64());
    }
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    println!(
        "| native | {steps} | {:.2} ms | {:.0} steps/s |",
        median * 1e3,
        steps as f64 / median
    );
}
