//! Helpers for the widget tests: small flows written inline, started at a fixed time.

#![allow(dead_code)]

pub mod random;

use flowpen_engine::{Config, Effect, Engine, InboundCall, InboundMessage, Trigger};
use flowpen_flow::Flow;
use serde_json::{json, Value};

/// Scenario time 0: 2026-01-01T00:00:00Z.
pub const T0: u64 = 1_767_225_600_000;

/// A flow whose Trigger leads `event` to the first of `states` (each `[name, type, transitions,
/// properties]` in compact JSON; `transitions` is `{event: next-or-null}`).
pub fn flow(event: &str, states: &[(&str, &str, Value, Value)]) -> Flow {
    let mut list = vec![json!({
        "name": "Trigger",
        "type": "trigger",
        "transitions": [{"event": event, "next": states.first().map(|s| s.0)}],
        "properties": {"offset": {"x": 0, "y": 0}},
    })];
    for (name, kind, transitions, properties) in states {
        let transitions: Vec<Value> = transitions
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(e, n)| match n {
                        Value::String(n) => json!({"event": e, "next": n}),
                        _ => json!({"event": e}),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut properties = properties.clone();
        properties["offset"] = json!({"x": 0, "y": 0});
        list.push(json!({
            "name": name,
            "type": kind,
            "transitions": transitions,
            "properties": properties,
        }));
    }
    let text = json!({
        "description": "test",
        "states": list,
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": true},
    })
    .to_string();
    Flow::parse(&text).expect("test flow")
}

pub fn call() -> Trigger {
    Trigger::Call(InboundCall {
        from: "+15551230000".into(),
        to: "+15559870000".into(),
        parameters: vec![],
    })
}

pub fn message(body: &str) -> Trigger {
    Trigger::Message(InboundMessage {
        from: "+15551230000".into(),
        to: "+15559870000".into(),
        body: body.into(),
        media_urls: vec![],
    })
}

pub fn start(flow: Flow, trigger: Trigger) -> Engine {
    Engine::start(flow, trigger, Config::default(), T0)
}

/// Drains the effects.
pub fn effects(e: &mut Engine) -> Vec<Effect> {
    std::iter::from_fn(|| e.poll_effect()).collect()
}

/// `widgets.NAME.KEY` as text.
pub fn var(e: &Engine, widget: &str, key: &str) -> Value {
    e.flow_data()["widgets"][widget][key].clone()
}

/// The end reason as text (panics when the execution has not ended).
pub fn ended(e: &Engine) -> String {
    e.end_reason().expect("the execution ended").to_string()
}

/// The event and outcome of the last step.
pub fn last(e: &Engine) -> (Option<String>, String) {
    let s = e.steps().last().expect("a step");
    (s.event.clone(), s.outcome.clone())
}
