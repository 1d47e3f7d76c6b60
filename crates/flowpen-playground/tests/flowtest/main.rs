//! Flow tests (`flowpen_playground::flowtest`), natively: the format and its errors (`format`),
//! the runner's rules and every failure kind (`runs`), voice, subflows and coverage (`calls`),
//! *Save as test* and the writer (`recorder`), and mutated and random files (`robustness`).
#![cfg(not(target_arch = "wasm32"))]

mod calls;
mod format;
mod recorder;
mod robustness;
mod runs;

use flowpen_engine::HttpResponse;
use flowpen_flow::Flow;
use flowpen_playground::flowtest::{
    self, CaseResult, RunOptions, Runner, ShellAnswer, ShellRequest, Target, TestFile,
};
use flowpen_playground::project::examples::example;

/// The example's flow and Functions.
pub fn example_target(file: &str) -> Target {
    let ex = example(file).unwrap_or_else(|| panic!("no example {file}"));
    Target {
        flow: Flow::parse(ex.json).expect("the example parses"),
        functions: ex.project(),
        subflows: Vec::new(),
    }
}

/// The example's test file, as shipped next to it.
pub fn example_tests(file: &str) -> &'static str {
    match file {
        "random-number.json" => include_str!("../../../../www/examples/random-number.test.yaml"),
        "dog-breed.json" => include_str!("../../../../www/examples/dog-breed.test.yaml"),
        "retry-counter.json" => include_str!("../../../../www/examples/retry-counter.test.yaml"),
        other => panic!("no test file for {other}"),
    }
}

/// A flow from its `states` (JSON), starting at `Trigger`.
pub fn flow(states: &str) -> Flow {
    let text = format!(
        r##"{{"description": "test", "states": [{states}], "initial_state": "Trigger", "flags": {{"allow_concurrent_calls": true}}}}"##
    );
    Flow::parse(&text).unwrap_or_else(|e| panic!("flow: {e:?}\n{text}"))
}

pub fn json_response(status: u16, body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.into(),
    }
}

/// A form field of a request body (`min=3&max=5`).
pub fn form_field(body: &str, key: &str) -> Option<String> {
    body.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| v.replace('+', " ").replace("%2F", "/"))
    })
}

/// The three examples' Functions, in Rust: what the real ones answer (random picks the lowest
/// number, so a range of one number is deterministic).
pub fn example_functions(request: &ShellRequest) -> ShellAnswer {
    let ShellRequest::Function { request, .. } = request else {
        return ShellAnswer::Fail("no network in these tests".into());
    };
    let body = request.body.clone().unwrap_or_default();
    let field = |k: &str| form_field(&body, k).unwrap_or_default();
    let response = match request.url.as_str() {
        "https://flowpen.local/random" => {
            json_response(200, &format!(r##"{{"number":{}}}"##, field("min")))
        }
        "https://flowpen.local/get-doge" => {
            let breed = field("breed");
            if ["Golden Retriever", "pug", "labrador"].contains(&breed.as_str()) {
                json_response(
                    200,
                    &format!(
                        r##"{{"text":"Here's an image of a {breed}! 🐶","url":"data:image/svg+xml,x"}}"##
                    ),
                )
            } else {
                json_response(
                    200,
                    &format!(r##"{{"text":"Sorry, we couldn't find any {breed}s 🥲"}}"##),
                )
            }
        }
        "https://flowpen.local/flaky" => {
            let attempt: u32 = field("attempt").parse().unwrap_or(0);
            if attempt >= 3 {
                HttpResponse {
                    status: 200,
                    headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
                    body: format!("order placed on attempt {attempt}"),
                }
            } else {
                json_response(500, r##"{"message":"Service unavailable"}"##)
            }
        }
        other => return ShellAnswer::Fail(format!("no Function at {other}")),
    };
    ShellAnswer::Response {
        result: Ok(response),
        logs: Vec::new(),
    }
}

/// Runs every case of `text` against `target`, answering the shell with `shell`.
pub fn run_with(
    target: &Target,
    text: &str,
    options: RunOptions,
    shell: &mut dyn FnMut(&ShellRequest) -> ShellAnswer,
) -> Vec<CaseResult> {
    let file: TestFile = flowtest::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let runner = Runner::new(target, &file, options);
    file.cases
        .iter()
        .enumerate()
        .map(|(i, c)| runner.run(i, c, shell))
        .collect()
}

/// Runs every case of `text` with no shell at all (a request for one fails the case).
pub fn run(target: &Target, text: &str) -> Vec<CaseResult> {
    run_with(target, text, RunOptions::default(), &mut |r| {
        ShellAnswer::Fail(format!("no shell in this test ({})", r.request().url))
    })
}

/// Panics with the failures of the results that failed.
#[track_caller]
pub fn assert_all_pass(results: &[CaseResult]) {
    let failed: Vec<String> = results
        .iter()
        .filter_map(|r| {
            r.failure.as_ref().map(|f| {
                let lines: Vec<String> = r.transcript.iter().map(ToString::to_string).collect();
                format!("{}: {f}\n  {}", r.name, lines.join("\n  "))
            })
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
