//! Conformance: every case of golden-liquid (`../shared/fixtures/golden-liquid`) in standard mode.
//!
//! Prints `golden-liquid: P passed, F failed, S skipped`. Every failure must be listed with a reason
//! in `tests/golden_expected_failures.txt`; a listed case that passes, or a listed name that is not
//! in the suite, fails the test, and so does a pass rate under 97%. `GOLDEN_VERBOSE=1` prints each
//! failure.

use std::collections::BTreeMap;

use flowpen_liquid::{Config, Liquid};
use serde_json::Value;

/// A fixed clock: golden-liquid has no case that depends on the time of day.
const NOW_MS: i64 = 1_700_000_000_000;

const EXPECTED_FAILURES: &str = include_str!("golden_expected_failures.txt");

/// `name :: reason` lines; `#` starts a comment.
fn expected_failures() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (i, line) in EXPECTED_FAILURES.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, reason) = line.split_once(" :: ").unwrap_or_else(|| {
            panic!(
                "golden_expected_failures.txt:{}: expected `name :: reason`",
                i + 1
            )
        });
        assert!(
            !reason.trim().is_empty(),
            "golden_expected_failures.txt:{}: a reason is required",
            i + 1
        );
        let dup = out.insert(name.trim().to_owned(), reason.trim().to_owned());
        assert!(
            dup.is_none(),
            "golden_expected_failures.txt:{}: `{name}` is listed twice",
            i + 1
        );
    }
    out
}

/// Runs one case; `Err` describes the failure.
fn run(case: &Value) -> Result<(), String> {
    let template = case["template"].as_str().unwrap_or_default();
    let data = match &case["data"] {
        Value::Null => Value::Object(serde_json::Map::new()),
        d => d.clone(),
    };
    let liquid = match case["templates"].as_object() {
        Some(partials) => Liquid::with_partials(
            Config::standard(),
            partials
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())),
        ),
        None => Liquid::new(Config::standard()),
    };
    let got = liquid.render(template, &data, NOW_MS);
    if case["invalid"].as_bool() == Some(true) {
        return match got {
            Err(_) => Ok(()),
            Ok(out) => Err(format!("expected an error, got {out:?}")),
        };
    }
    let mut expected: Vec<&str> = case["result"].as_str().into_iter().collect();
    if let Some(results) = case["results"].as_array() {
        expected.extend(results.iter().filter_map(Value::as_str));
    }
    match got {
        Ok(out) if expected.contains(&out.as_str()) => Ok(()),
        Ok(out) => Err(format!(
            "expected {:?}, got {out:?}",
            expected.first().unwrap_or(&"")
        )),
        Err(e) => Err(format!(
            "expected {:?}, got error: {e}",
            expected.first().unwrap_or(&"")
        )),
    }
}

#[test]
fn golden_liquid_in_standard_mode() {
    let Some(shared) = flowpen_testkit::shared_dir("golden_liquid_in_standard_mode") else {
        return;
    };
    let path = shared.join("fixtures/golden-liquid/golden_liquid.json");
    let text = flowpen_testkit::read_text(&path);
    let suite: Value = serde_json::from_str(&text).expect("golden_liquid.json is JSON");
    let cases = suite["tests"].as_array().expect("a `tests` array");
    let mut expected = expected_failures();
    let verbose = std::env::var("GOLDEN_VERBOSE").is_ok_and(|v| v == "1");
    let (mut passed, mut failed, skipped) = (0usize, 0usize, 0usize);
    let mut problems = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or_default().to_owned();
        let listed = expected.remove(&name);
        match (run(case), listed) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(_)) => {
                passed += 1;
                problems.push(format!(
                    "`{name}` passes now: remove it from golden_expected_failures.txt"
                ));
            }
            (Err(why), listed) => {
                failed += 1;
                if verbose {
                    eprintln!(
                        "FAIL {name}\n  template: {:?}\n  {why}",
                        case["template"].as_str().unwrap_or_default()
                    );
                }
                if listed.is_none() {
                    problems.push(format!("`{name}` fails: {why}"));
                }
            }
        }
    }
    for name in expected.keys() {
        problems.push(format!(
            "`{name}` is listed as an expected failure but is not in the suite"
        ));
    }
    println!("golden-liquid: {passed} passed, {failed} failed, {skipped} skipped");
    let total = cases.len();
    let rate = passed as f64 * 100.0 / total as f64;
    println!("golden-liquid: {rate:.1}% of {total} pass");
    assert!(
        problems.is_empty(),
        "golden-liquid problems:\n{}",
        problems.join("\n")
    );
    assert!(
        rate >= 97.0,
        "golden-liquid pass rate {rate:.1}% is under 97%"
    );
}
