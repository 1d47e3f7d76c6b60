//! Flows: validation as `flowpen check` reports it, and Studio's formatting.

use flowpen_command::check::diagnostic_json;
use flowpen_flow::{validate as validate_flow, Flow};
use serde_json::json;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::{error, to_js};

/// The diagnostics of a flow's JSON text: `[{severity, code, widget, field, line, column,
/// message}]` (`flowpen check --json` without `file`). A text that is not a flow gives one
/// `parse-error` with the line and column in the text and the JSON path.
#[wasm_bindgen]
pub fn validate(flow_json: &str) -> JsValue {
    let list = match Flow::parse(flow_json) {
        Ok(flow) => validate_flow(&flow).iter().map(diagnostic_json).collect(),
        Err(e) => vec![json!({
            "severity": "error",
            "code": "parse-error",
            "widget": null,
            "field": null,
            "line": e.line,
            "column": e.column,
            "message": e.message,
            "path": e.path.to_string(),
        })],
    };
    to_js(&serde_json::Value::Array(list))
}

/// The flow as Studio exports it (2-space indent, no final newline). Throws when the text is not
/// a flow.
#[wasm_bindgen]
pub fn format(flow_json: &str) -> Result<String, JsValue> {
    let flow = Flow::parse(flow_json).map_err(|e| {
        error(&format!(
            "{}:{}: {} (at {})",
            e.line, e.column, e.message, e.path
        ))
    })?;
    let mut out = flow.to_pretty_string();
    if out.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}
