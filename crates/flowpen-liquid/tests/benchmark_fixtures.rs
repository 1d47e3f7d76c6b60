//! golden-liquid's benchmark fixtures (`benchmark_fixtures/00N`: `templates/index.liquid`, partials,
//! `data.json`, `expected_result.txt`) render exactly as expected in standard mode. `make bench`
//! times the same renders.

use std::path::Path;

use flowpen_liquid::{Config, Liquid};

/// 2025-06-01: fixture 001's footer prints `'now' | date: '%Y'`, recorded in 2025.
const NOW_MS: i64 = 1_748_736_000_000;

fn fixture(dir: &Path) -> (Liquid, String, serde_json::Value, String) {
    let f = flowpen_testkit::bench_fixture(dir);
    let data = serde_json::from_str(&f.data).expect("data.json is JSON");
    (
        Liquid::with_partials(Config::standard(), f.partials),
        f.index,
        data,
        f.expected,
    )
}

#[test]
fn benchmark_fixtures_render_their_expected_result() {
    let Some(shared) =
        flowpen_testkit::shared_dir("benchmark_fixtures_render_their_expected_result")
    else {
        return;
    };
    let root = shared.join("fixtures/golden-liquid/benchmark_fixtures");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .expect("benchmark_fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 3,
        "expected the benchmark fixtures in {}",
        root.display()
    );
    for name in names {
        let (liquid, index, data, expected) = fixture(&root.join(&name));
        let out = liquid
            .render(&index, &data, NOW_MS)
            .unwrap_or_else(|e| panic!("fixture {name}: {e}"));
        // The expected files of 001 and 002 end with a newline that their templates do not produce
        // (liquidjs renders them without it too).
        let same = out == expected || format!("{out}\n") == expected;
        assert!(
            same,
            "fixture {name} differs:\n{}",
            flowpen_testkit::line_diff(&expected, &out)
        );
    }
}
