//! `make bench`: native render throughput of the Liquid crate on golden-liquid's benchmark fixtures
//! (001, 002, 004; standard mode) and on the Studio-style templates of
//! `tests/bench/studio_templates.json` (Studio mode), plus the 100,000,000-item range in Studio
//! mode. Prints a Markdown table; then a second one for templates built to exhaust the render
//! budget (the slowest renders there are): their time, their work in units, and how they ended.
//! Run with `--profile bench`.
//!
//! Usage: `cargo run --profile bench -p flowpen-liquid --example liquid_bench [-- <shared dir>]`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use flowpen_liquid::{Config, Liquid, Mode};
use serde_json::Value;

/// 2025-06-01, as in the fixture test (fixture 001 prints the year).
const NOW_MS: i64 = 1_748_736_000_000;

/// Timing is what a benchmark is for; the core crate itself never reads a clock.
#[allow(clippy::disallowed_methods)]
fn now() -> Instant {
    Instant::now()
}

/// Renders for about `budget`, returns (renders per second, microseconds per render).
fn measure(liquid: &Liquid, template: &str, ctx: &Value, budget: Duration) -> (f64, f64) {
    liquid.render(template, ctx, NOW_MS).expect("renders");
    // `BENCH_RENDERS=n` renders exactly n times instead (for counting instructions: run it under
    // valgrind with two values of n and divide the difference).
    if let Some(n) = std::env::var("BENCH_RENDERS")
        .ok()
        .and_then(|n| n.parse::<u64>().ok())
    {
        for _ in 0..n {
            std::hint::black_box(liquid.render(template, ctx, NOW_MS).ok());
        }
        return (0.0, 0.0);
    }
    let start = now();
    let mut n = 0u64;
    let mut batch = 1u64;
    while start.elapsed() < budget {
        for _ in 0..batch {
            std::hint::black_box(liquid.render(template, ctx, NOW_MS).ok());
        }
        n += batch;
        batch = (batch * 2).min(4096);
    }
    let secs = start.elapsed().as_secs_f64();
    (n as f64 / secs, secs * 1e6 / n as f64)
}

/// Templates that spend their whole budget (or fail early): issue 11's three, and for each kind of
/// work one that does nothing else.
const WORST: &[(&str, &str)] = &[
    ("issue 11: strftime width", r#"{{ "now" | date: "%3000000000d" }}"#),
    (
        "issue 11: replace in a doubled string",
        r#"{% assign s = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" %}{% for i in (1..15) %}{% assign s = s | append: s %}{% endfor %}{{ s | replace: "x", s }}"#,
    ),
    ("issue 11: uniq of a range", "{{ (1..999999) | uniq | size }}"),
    (
        "elements in nested loops",
        "{% for i in (1..15) %}{% for j in (1..15) %}{% for k in (1..15) %}{{ a }}{{ a }}{{ a }}{{ a }}{{ a }}{{ a }}{{ a }}{{ a }}{% endfor %}{% endfor %}{% endfor %}",
    ),
    (
        "uniq of 10,000 numbers in loops",
        "{% assign a = (1..10000) %}{% for i in (1..15) %}{% for j in (1..15) %}{% assign b = a | uniq %}{% endfor %}{% endfor %}",
    ),
    (
        "sort of 1,024 strings in loops",
        "{% assign s = 'abcdefghij' %}{% for i in (1..10) %}{% assign s = s | append: s %}{% endfor %}{% assign a = s | split: '' %}{% for i in (1..15) %}{% for j in (1..15) %}{% assign b = a | sort %}{% endfor %}{% endfor %}",
    ),
    (
        "escape of 128 KiB in loops",
        "{% assign s = '<<<<<<<<' %}{% for i in (1..14) %}{% assign s = s | append: s %}{% endfor %}{% for i in (1..15) %}{% for j in (1..15) %}{% assign t = s | escape %}{% endfor %}{% endfor %}",
    ),
    (
        "url_encode of 128 KiB in loops",
        "{% assign s = '<<<<<<<<' %}{% for i in (1..14) %}{% assign s = s | append: s %}{% endfor %}{% for i in (1..15) %}{% for j in (1..15) %}{% assign t = s | url_encode %}{% endfor %}{% endfor %}",
    ),
    (
        "join of 10,000 numbers in loops",
        "{% assign a = (1..10000) %}{% for i in (1..15) %}{% for j in (1..15) %}{% assign b = a | join: ',' %}{% endfor %}{% endfor %}",
    ),
    (
        "strftime padding in loops",
        "{% for i in (1..15) %}{% for j in (1..15) %}{% assign t = 'now' | date: '%0100000Y' %}{% endfor %}{% endfor %}",
    ),
    (
        "capture doubling",
        "{% capture s %}x{% endcapture %}{% for i in (1..15) %}{% for j in (1..15) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{% endfor %}",
    ),
    (
        "nested huge ranges",
        "{% for a in (1..1000000000) %}{% for b in (1..1000000000) %}{% for c in (1..1000000000) %}x{% endfor %}{% endfor %}{% endfor %}",
    ),
];

/// The best of a few renders of a template that may fail: (µs, work, how it ended).
fn worst_case(liquid: &Liquid, template: &str) -> (f64, u64, String) {
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..8 {
        let start = now();
        let (result, stats) = liquid.render_with_stats(template, &Value::Null, NOW_MS);
        best = best.min(start.elapsed().as_secs_f64() * 1e6);
        last = Some((result, stats));
    }
    let Some((result, stats)) = last else {
        return (0.0, 0, String::new());
    };
    let ended = match result {
        Ok(out) => format!("{} bytes of output", out.len()),
        Err(e) => format!("{:?} at {}:{}", e.kind, e.line, e.column),
    };
    (best, stats.work, ended)
}

fn fixture(dir: &Path) -> (Liquid, String, Value) {
    let f = flowpen_testkit::bench_fixture(dir);
    let data = serde_json::from_str(&f.data).expect("data.json");
    (
        Liquid::with_partials(Config::standard(), f.partials),
        f.index,
        data,
    )
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("FLOWPEN_SHARED").map(PathBuf::from))
        .unwrap_or_else(|| root.join("../shared"));
    let budget = Duration::from_millis(700);
    // `BENCH_ONLY=002` times only the rows whose name contains it (for profiling; `worst` selects the
    // second table).
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let wanted = |name: &str| name.contains(only.as_str());
    println!("| template | mode | renders/s | µs/render |");
    println!("|---|---|---:|---:|");
    let fixtures = shared.join("fixtures/golden-liquid/benchmark_fixtures");
    for name in ["001", "002", "004"].into_iter().filter(|n| wanted(n)) {
        let (liquid, template, data) = fixture(&fixtures.join(name));
        let (rate, us) = measure(&liquid, &template, &data, budget);
        println!("| golden-liquid benchmark {name} | standard | {rate:.0} | {us:.2} |");
    }
    let studio: Value = serde_json::from_str(&flowpen_testkit::read_text(
        &root.join("tests/bench/studio_templates.json"),
    ))
    .expect("json");
    let liquid = Liquid::studio();
    for case in studio["cases"].as_array().expect("cases") {
        if !wanted(case["name"].as_str().unwrap_or_default()) {
            continue;
        }
        let template = case["template"].as_str().expect("template");
        let (rate, us) = measure(&liquid, template, &studio["context"], budget);
        println!(
            "| {} | studio | {rate:.0} | {us:.2} |",
            case["name"].as_str().unwrap_or("?")
        );
    }
    if wanted("range") {
        let range = "{% for i in (1..100000000) %}{{ i }}{% endfor %}";
        let (rate, us) = measure(&liquid, range, &Value::Null, budget);
        println!("| `{{% for i in (1..100000000) %}}` | studio | {rate:.0} | {us:.2} |");
    }
    if !wanted("worst") {
        return;
    }
    println!();
    println!("| worst case | mode | µs/render | work units | ns/unit | ended |");
    println!("|---|---|---:|---:|---:|---|");
    for config in [Config::studio(), Config::standard()] {
        let liquid = Liquid::new(config);
        let mode = match config.mode {
            Mode::Studio => "studio",
            Mode::Standard => "standard",
        };
        for (name, template) in WORST {
            let (us, work, ended) = worst_case(&liquid, template);
            let per_unit = us * 1e3 / work.max(1) as f64;
            println!("| {name} | {mode} | {us:.0} | {work} | {per_unit:.2} | {ended} |");
        }
    }
}
