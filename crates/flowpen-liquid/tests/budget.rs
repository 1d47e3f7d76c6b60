//! The render budget's regression cases (`tests/budget_cases.json`, issue 11): the templates that
//! used to panic ("capacity overflow" on wasm32), exhaust memory or hang, and their cousins, with
//! their real budgets. Each must end as the case says (output, or an error naming the filter or tag
//! at its position) with no more work than the budget, and a successful render must have counted
//! every byte of its output. They run natively and, on wasm32, in headless Chromium.

use flowpen_liquid::{Config, ErrorKind, Liquid, RenderStats};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const CASES: &str = include_str!("budget_cases.json");

/// 2024-01-02T18:30:00Z (10:30 in Los Angeles).
const NOW_MS: i64 = 1_704_220_200_000;

fn service(case: &Value) -> Result<Liquid, String> {
    let config = match case["mode"].as_str() {
        Some("studio") => Config::studio(),
        Some("standard") => Config::standard(),
        other => return Err(format!("unknown mode {other:?}")),
    };
    Ok(match case["partials"].as_object() {
        Some(partials) => Liquid::with_partials(
            config,
            partials
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())),
        ),
        None => Liquid::new(config),
    })
}

fn kind(name: &str) -> Result<ErrorKind, String> {
    Ok(match name {
        "Syntax" => ErrorKind::Syntax,
        "Render" => ErrorKind::Render,
        "OutputTooLarge" => ErrorKind::OutputTooLarge,
        "TooMuchWork" => ErrorKind::TooMuchWork,
        other => return Err(format!("unknown error kind {other}")),
    })
}

/// Runs one case; `Err` says how it failed.
fn check(case: &Value) -> Result<(), String> {
    let liquid = service(case)?;
    let template = case["template"].as_str().ok_or("no template")?;
    let context = match &case["context"] {
        Value::Null => Value::Object(serde_json::Map::new()),
        c => c.clone(),
    };
    let (got, stats) = liquid.render_with_stats(template, &context, NOW_MS);
    let RenderStats {
        work, work_limit, ..
    } = stats;
    if work_limit != liquid.config().work_limit() || work > work_limit {
        return Err(format!("work {work} of a budget of {work_limit}"));
    }
    match (&case["expected"], &case["error"], got) {
        (Value::String(want), _, Ok(out)) => {
            if *want != out {
                let shown: String = out.chars().take(200).collect();
                return Err(format!("expected {want:?}\n       got {shown:?}"));
            }
            // Every byte of the output was charged.
            if work < out.len() as u64 {
                return Err(format!(
                    "{} bytes of output, {work} units of work",
                    out.len()
                ));
            }
            match case["work_below"].as_u64() {
                Some(bound) if work >= bound => Err(format!("work {work}, expected below {bound}")),
                _ => Ok(()),
            }
        }
        (Value::String(want), _, Err(e)) => Err(format!("expected {want:?}\n       got error {e}")),
        (_, Value::Object(want), Err(e)) => {
            let same = e.kind == kind(want["kind"].as_str().unwrap_or_default())?
                && e.message
                    .contains(want["message"].as_str().unwrap_or_default())
                && want["line"].as_u64() == Some(e.line as u64)
                && want["column"].as_u64() == Some(e.column as u64);
            if same {
                Ok(())
            } else {
                Err(format!(
                    "expected error {}\n       got {e:?} (work {work})",
                    case["error"]
                ))
            }
        }
        (_, Value::Object(_), Ok(out)) => Err(format!(
            "expected error {}\n       got {} bytes of output (work {work})",
            case["error"],
            out.len()
        )),
        _ => Err("a case needs `expected` or `error`".to_owned()),
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn budget_cases() {
    let data: Value = serde_json::from_str(CASES).expect("budget_cases.json is JSON");
    let cases = data["cases"].as_array().expect("a `cases` array");
    assert!(cases.len() >= 40, "the case file lost its cases");
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
        "{} of {} budget cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn budgets_are_per_mode_and_can_be_chosen() {
    assert_eq!(Config::studio().work_limit(), 16 << 20);
    assert_eq!(Config::standard().work_limit(), 64 << 20);
    let template = "{% for i in (1..15) %}{{ i }}{% endfor %}";
    let liquid = Liquid::studio();
    let (out, full) = liquid.render_with_stats(template, &Value::Null, NOW_MS);
    assert_eq!(out.as_deref(), Ok("123456789101112131415"));
    assert_eq!(full.iterations, 15);
    assert!(full.work > 0);
    // The same render with a budget one unit short of what it needs.
    let short = Liquid::studio().with_work_limit(full.work - 1);
    let (out, stats) = short.render_with_stats(template, &Value::Null, NOW_MS);
    let e = out.expect_err("one unit short");
    assert_eq!(e.kind, ErrorKind::TooMuchWork);
    assert!(e.to_string().starts_with("too much work at 1:"), "{e}");
    assert!(stats.work < full.work);
    let (out, stats) = Liquid::studio()
        .with_work_limit(full.work)
        .render_with_stats(template, &Value::Null, NOW_MS);
    assert_eq!((out.is_ok(), stats.work), (true, full.work));
}
