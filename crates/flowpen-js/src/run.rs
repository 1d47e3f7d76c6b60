//! `run(flow, options)`: an execution driven from JavaScript by a list of inputs, with the flow
//! test runner in its driven mode (`RunOptions::drive`): the inputs are test-file steps, stubs
//! answer requests, project Functions run in workers, and the result is the step log, the Flow
//! Data and what the flow sent, as plain objects.

use std::rc::Rc;

use flowpen_engine::AudioKind;
use flowpen_flow::Flow;
use flowpen_playground::flowtest::{
    self, Action, AnsweredBy, CaseResult, Line, Output, RunOptions, Runner, Target,
};
use flowpen_playground::project::{parse_document, Subflow};
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::{error, from_js};
use crate::flowtests::{functions_and_env, CaseHandle};

/// The keys of a test case that `run()`'s options may give.
const CASE_KEYS: &[&str] = &[
    "start",
    "from",
    "to",
    "time",
    "parameters",
    "conversation",
    "stubs",
];

/// Starts an execution of `flow_json` (a Studio flow or a project file). `options`: `start`,
/// `from`, `to`, `time`, `parameters`, `conversation` and `stubs` as in a test case,
/// `functions` (`{"/path": code}`), `env`, `subflows` (`{key: flow JSON text}`) and
/// `allowNetwork`. Throws what is wrong with them.
#[wasm_bindgen(js_name = startRun)]
pub fn start_run(flow_json: &str, options: JsValue) -> Result<CaseHandle, JsValue> {
    let o = match from_js(options).map_err(|e| error(&e))? {
        Value::Null => Map::new(),
        Value::Object(o) => o,
        _ => return Err(error("run(): the options are an object")),
    };
    let doc = parse_document(flow_json).map_err(|e| {
        error(&format!(
            "the flow is not a Studio flow: {}:{}: {} (at {})",
            e.line, e.column, e.message, e.path
        ))
    })?;
    let mut target = Target::from_document(doc);
    let (defs, vars) = functions_and_env(
        o.get("functions").unwrap_or(&Value::Null),
        o.get("env").unwrap_or(&Value::Null),
    )
    .map_err(|e| error(&format!("run(): {e}")))?;
    for f in defs {
        target.functions.functions.retain(|g| g.path != f.path);
        target.functions.functions.push(f);
    }
    for (k, v) in vars {
        target.functions.env.retain(|(name, _)| *name != k);
        target.functions.env.push((k, v));
    }
    if let Some(subflows) = o.get("subflows") {
        let Value::Object(subflows) = subflows else {
            return Err(error("run(): `subflows` is an object of key → flow"));
        };
        for (key, text) in subflows {
            let Value::String(text) = text else {
                return Err(error(&format!(
                    "run(): the subflow {key} is not flow JSON text"
                )));
            };
            let flow = Flow::parse(text).map_err(|e| {
                error(&format!(
                    "run(): the subflow {key} is not a Studio flow: {}:{}: {}",
                    e.line, e.column, e.message
                ))
            })?;
            let sid = if key.starts_with("FW") {
                key.clone()
            } else {
                String::new()
            };
            target.subflows.push(Subflow {
                name: key.clone(),
                sid,
                flow: Rc::new(flow),
            });
        }
    }
    // The case, as a test file reads it (the same checks and limits).
    let mut case = Map::new();
    case.insert("name".into(), json!("run"));
    for key in CASE_KEYS {
        if let Some(v) = o.get(*key).filter(|v| !v.is_null()) {
            case.insert((*key).into(), v.clone());
        }
    }
    let text = json!({ "tests": [case] }).to_string();
    let file = flowtest::parse(&text).map_err(|e| error(&format!("run(): {}", e.kind)))?;
    let Some(case) = file.cases.first() else {
        return Err(error("run(): no case"));
    };
    if case
        .conversation
        .iter()
        .any(|s| matches!(s.action, Action::Flow(_)))
    {
        return Err(error(
            "run(): the conversation holds inputs only (`flow:` steps are for runTests)",
        ));
    }
    let options = RunOptions {
        allow_network: o
            .get("allowNetwork")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        drive: true,
    };
    let runner = Runner::new(&target, &file, options);
    let run = runner.start(0, case);
    Ok(CaseHandle::new(run, target.functions.clone()))
}

/// Something the flow sent, as an object.
fn output_json(o: &Output) -> Value {
    match o {
        Output::Message {
            widget,
            text,
            media,
        } => json!({ "type": "message", "widget": widget, "text": text, "media": media }),
        Output::Audio { widget, audio } => {
            let mut v = match &audio.kind {
                AudioKind::Say {
                    text,
                    voice,
                    language,
                } => json!({ "type": "say", "text": text, "voice": voice, "language": language }),
                AudioKind::Play { url } => json!({ "type": "play", "url": url }),
                AudioKind::Digits { digits } => json!({ "type": "digits", "digits": digits }),
            };
            v["widget"] = json!(widget);
            v["loops"] = json!(audio.loops);
            v
        }
    }
}

/// `run()`'s result: `{status, end, waiting, path, steps, flowData, messages, requests, logs,
/// transcript, error}`.
pub fn result_json(r: &CaseResult) -> Value {
    let mut messages = Vec::new();
    let mut requests = Vec::new();
    let mut logs = Vec::new();
    for line in &r.transcript {
        match line {
            Line::Output(o) => messages.push(output_json(o)),
            Line::Http {
                widget,
                method,
                url,
                by,
                outcome,
            } => requests.push(json!({
                "widget": widget,
                "method": method,
                "url": url,
                "by": match by {
                    AnsweredBy::Stub => "stub",
                    AnsweredBy::Function => "function",
                    AnsweredBy::Network => "network",
                },
                "outcome": outcome,
            })),
            Line::Log(l) => logs.push(json!({ "level": l.level, "text": l.text })),
            Line::Input { .. } | Line::End(_) => {}
        }
    }
    let status = match (&r.end, &r.waiting) {
        (Some(_), _) => "ended",
        (None, Some(_)) => "waiting",
        (None, None) => "running",
    };
    json!({
        "status": status,
        "end": r.end.as_ref().map(flowpen_engine::EndReason::to_json),
        "waiting": r.waiting.as_ref().map(|w| json!({
            "widget": w.widget,
            "subflow": w.subflow.as_ref().map(|s| json!({ "widget": s.widget })),
        })),
        "path": r.path,
        "steps": r.steps.iter().map(flowpen_engine::Step::to_json).collect::<Vec<_>>(),
        "flowData": r.flow_data,
        "messages": messages,
        "requests": requests,
        "logs": logs,
        "transcript": r.transcript.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "error": r.failure.as_ref().map(ToString::to_string),
    })
}
