//! The `flowpen` bin's commands (`npx flowpen check|fmt|test`), with `flowpen-command`'s output:
//! the same text and exit codes as the native CLI.

use flowpen_command::test::{self, Found};
use flowpen_command::{check, usage, Output};
use serde_json::json;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::to_js;
use crate::host::JsHost;

fn output(o: &Output) -> JsValue {
    to_js(&json!({ "stdout": o.stdout, "stderr": o.stderr, "code": o.code }))
}

/// The bin's usage text.
#[wasm_bindgen]
pub fn usage() -> String {
    usage::node()
}

/// `flowpen check [--json] FLOW.json…` → `{stdout, stderr, code}`.
#[wasm_bindgen(js_name = commandCheck)]
pub fn command_check(args: Vec<String>, host: JsValue) -> JsValue {
    output(&check::check(&args, &mut JsHost(host), &usage::node()))
}

/// `flowpen fmt FLOW.json` → `{stdout, stderr, code}`.
#[wasm_bindgen(js_name = commandFmt)]
pub fn command_fmt(args: Vec<String>, host: JsValue) -> JsValue {
    output(&check::fmt(&args, &mut JsHost(host), &usage::node()))
}

/// `flowpen test`'s arguments: `{paths, json, junit, coverage, allowNetwork, filter, jobs}`, or
/// `{error: <what standard error prints>}` (exit 2).
#[wasm_bindgen(js_name = testOptions)]
pub fn test_options(args: Vec<String>) -> JsValue {
    match test::parse_options(&args) {
        Ok(o) => to_js(&json!({
            "paths": o.paths,
            "json": o.json,
            "junit": o.junit,
            "coverage": o.coverage,
            "allowNetwork": o.allow_network,
            "filter": o.filter,
            "jobs": o.jobs,
        })),
        Err(e) => to_js(&json!({ "error": test::usage_error(&e, &usage::node()) })),
    }
}

/// The test files the paths name: `[{file}]` to load, `[{path, error}]` for the ones that are
/// not there (errors first, as the report lists them).
#[wasm_bindgen(js_name = collectTestFiles)]
pub fn collect_test_files(paths: Vec<String>, host: JsValue) -> JsValue {
    let found = test::collect(&paths, &mut JsHost(host));
    let list: Vec<serde_json::Value> = found
        .into_iter()
        .map(|f| match f {
            Found::File(file) => json!({ "file": file }),
            Found::Error(path, error) => json!({ "path": path, "error": error }),
        })
        .collect();
    to_js(&serde_json::Value::Array(list))
}

/// The shared fixtures folder for the test file at `path` (`FLOWPEN_SHARED`, else a `shared`
/// folder beside its folder or an ancestor), or `undefined`.
#[wasm_bindgen(js_name = sharedDirFor)]
pub fn shared_dir_for(path: &str, host: JsValue) -> Option<String> {
    test::shared_dir_for(path, &mut JsHost(host))
}
