//! `make bench`: native render throughput of the Liquid crate on golden-liquid's benchmark fixtures
//! (001, 002, 004; standard mode) and on the Studio-style templates of
//! `tests/bench/studio_templates.json` (Studio mode), plus the 100,000,000-item range in Studio
//! mode. Prints a Markdown table. Run with `--profile bench`.
//!
//! Usage: `cargo run --profile bench -p flowpen-liquid --example bench [-- <shared dir>]`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use flowpen_liquid::{Config, Liquid};
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

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn fixture(dir: &Path) -> (Liquid, String, Value) {
    let mut partials = Vec::new();
    let mut index = String::new();
    for entry in std::fs::read_dir(dir.join("templates")).expect("templates dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name == "index.liquid" {
            index = read(&path);
        } else {
            partials.push((name, read(&path)));
        }
    }
    let data = serde_json::from_str(&read(&dir.join("data.json"))).expect("data.json");
    (
        Liquid::with_partials(Config::standard(), partials),
        index,
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
    // `BENCH_ONLY=002` times only the rows whose name contains it (for profiling).
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
    let studio: Value =
        serde_json::from_str(&read(&root.join("tests/bench/studio_templates.json"))).expect("json");
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
    if !wanted("range") {
        return;
    }
    let range = "{% for i in (1..100000000) %}{{ i }}{% endfor %}";
    let (rate, us) = measure(&liquid, range, &Value::Null, budget);
    println!("| `{{% for i in (1..100000000) %}}` | studio | {rate:.0} | {us:.2} |");
}
