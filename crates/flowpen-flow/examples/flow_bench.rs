//! `make bench`: import + validate + export of a generated 1,000-widget flow and of the largest
//! corpus flow (#26, 108 kB, 130 widgets). Prints a Markdown table. Run with `--profile bench`.
//!
//! Usage: `cargo run --profile bench -p flowpen-flow --example flow_bench [-- <shared dir>]`.

use std::path::PathBuf;
use std::time::Instant;

use flowpen_flow::{validate, Flow};

/// Timing is what a benchmark is for; the core crate itself never reads a clock.
#[allow(clippy::disallowed_methods)]
fn now() -> Instant {
    Instant::now()
}

/// Median milliseconds of `runs` runs of each phase: (import, validate, export, total).
fn measure(text: &str, runs: usize) -> [f64; 4] {
    let mut samples: Vec<[f64; 4]> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t0 = now();
        let flow = Flow::parse(text).expect("imports");
        let t1 = now();
        let diagnostics = validate(&flow);
        let t2 = now();
        let out = flow.to_pretty_string();
        let t3 = now();
        std::hint::black_box((diagnostics, out));
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
        samples.push([ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t0, t3)]);
    }
    let mut median = [0.0; 4];
    for (k, m) in median.iter_mut().enumerate() {
        let mut v: Vec<f64> = samples.iter().map(|s| s[k]).collect();
        v.sort_by(f64::total_cmp);
        *m = v[v.len() / 2];
    }
    median
}

fn main() {
    let shared = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| flowpen_testkit::workspace_root().join("../shared"));
    let mut cases = vec![(
        "generated, 1,000 widgets".to_owned(),
        flowpen_testkit::generated_flow(1000, true),
    )];
    let largest =
        shared.join("fixtures/studio-flows/26_mgmuscari__accfb-foodnow__studio_bot_flow.json");
    match std::fs::read_to_string(&largest) {
        Ok(text) => cases.push(("corpus #26 (largest, 130 widgets)".to_owned(), text)),
        Err(e) => eprintln!("skipping corpus #26: {e} ({})", largest.display()),
    }
    println!("| flow | size | import | validate | export | total |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, text) in &cases {
        // The first run warms Liquid's parse cache, as an editor session does.
        let [import, validate, export, total] = measure(text, 21);
        println!(
            "| {name} | {} kB | {import:.2} ms | {validate:.2} ms | {export:.2} ms | {total:.2} ms |",
            text.len() / 1024
        );
    }
    println!("\n(median of 21 runs; validation reuses the Liquid parse cache after the first run)");
}
