//! Studio-mode cases as data (`tests/studio_cases.json`): every Liquid construct of the Studio flow
//! corpus, lenient lookups, the loop and output caps, Pacific dates, printing, and error positions.
//! They run natively and, on wasm32, in headless Chromium.

use flowpen_liquid::{Config, ErrorKind, Liquid, Mode};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const CASES: &str = include_str!("studio_cases.json");

/// 2024-01-02T18:30:00Z (10:30 in Los Angeles).
const DEFAULT_NOW_MS: i64 = 1_704_220_200_000;

fn config(case: &Value) -> Config {
    let mut config = Config::studio();
    if let Some(over) = case.get("config") {
        if over["mode"] == "standard" {
            config = Config::standard();
        }
        if let Some(n) = over["loop_limit"].as_u64() {
            config.loop_limit = Some(n as usize);
        }
        if let Some(n) = over["output_limit"].as_u64() {
            config.output_limit = Some(n as usize);
        }
    }
    config
}

fn kind(name: &str) -> ErrorKind {
    match name {
        "Syntax" => ErrorKind::Syntax,
        "Render" => ErrorKind::Render,
        "OutputTooLarge" => ErrorKind::OutputTooLarge,
        other => panic!("unknown error kind {other}"),
    }
}

/// Runs one case; `Err` says how it failed.
fn check(case: &Value) -> Result<(), String> {
    let liquid = Liquid::new(config(case));
    let template = case["template"].as_str().ok_or("no template")?;
    let now = case["now_ms"].as_i64().unwrap_or(DEFAULT_NOW_MS);
    let got = liquid.render(template, &case["context"], now);
    match (&case["expected"], &case["error"], got) {
        (Value::String(want), _, Ok(out)) if *want == out => Ok(()),
        (Value::String(want), _, Ok(out)) => Err(format!("expected {want:?}\n       got {out:?}")),
        (Value::String(want), _, Err(e)) => Err(format!("expected {want:?}\n       got error {e}")),
        (_, Value::Object(want), Err(e)) => {
            let same = e.kind == kind(want["kind"].as_str().unwrap_or_default())
                && e.message
                    .contains(want["message"].as_str().unwrap_or_default())
                && want["line"].as_u64() == Some(e.line as u64)
                && want["column"].as_u64() == Some(e.column as u64);
            if same {
                Ok(())
            } else {
                Err(format!(
                    "expected error {}\n       got {e:?}",
                    case["error"]
                ))
            }
        }
        (_, Value::Object(_), Ok(out)) => Err(format!(
            "expected error {}\n       got {out:?}",
            case["error"]
        )),
        _ => Err("a case needs `expected` or `error`".to_owned()),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn studio_cases() {
    let data: Value = serde_json::from_str(CASES).expect("studio_cases.json is JSON");
    let cases = data["cases"].as_array().expect("a `cases` array");
    assert!(cases.len() > 50, "the case file lost its cases");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(case)
                .err()
                .map(|why| format!("{}:\n       {why}", case["name"].as_str().unwrap_or("?")))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} Studio cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn studio_is_the_default() {
    assert_eq!(Config::default(), Config::studio());
    assert_eq!(Liquid::default().config().mode, Mode::Studio);
    assert_eq!(Config::studio().loop_limit, Some(15));
    assert_eq!(Config::studio().output_limit, Some(16 * 1024));
    assert_eq!(Config::standard().loop_limit, None);
}

/// The 100,000,000-item range renders its 15 items without building the range: this checks the
/// iteration count, not the time (the time is shown by `make bench`).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn huge_range_stops_after_the_loop_limit() {
    let liquid = Liquid::studio();
    let out = liquid
        .render(
            "{% for i in (1..100000000) %}x{% endfor %}",
            &Value::Null,
            0,
        )
        .expect("renders");
    assert_eq!(out.len(), 15);
}
