//! The simulator on a call, natively: the caller's keys and speech reach a Gather, Say lines and
//! tones become bubbles, the outside world answers a Connect Call To with edited variables, the
//! caller can hang up mid-call, a wait can be skipped, input that nothing waits for is noted, and
//! a subflow's steps highlight the Run Subflow widget.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;
use std::rc::Rc;

use flowpen_engine::{EndReason, InboundCall, Subflows, Trigger};
use flowpen_flow::Flow;
use flowpen_playground::simulator::{Bubble, CallerInput, Origin, Wait};
use serde_json::json;

/// An IVR: a menu (keys or speech), a Say, then a transfer to another number.
fn ivr() -> Flow {
    let text = json!({
        "description": "IVR",
        "states": [
            {"name": "Trigger", "type": "trigger", "transitions": [
                {"event": "incomingMessage"}, {"next": "menu", "event": "incomingCall"},
                {"event": "incomingRequest"}], "properties": {"offset": {"x": 0, "y": 0}}},
            {"name": "menu", "type": "gather-input-on-call", "transitions": [
                {"next": "route", "event": "keypress"}, {"next": "route", "event": "speech"},
                {"next": "bye", "event": "timeout"}],
             "properties": {"say": "Press 1 or say sales.", "voice": "Polly.Joanna", "language": "en-US",
                "timeout": 5, "finish_on_key": "#", "stop_gather": true, "offset": {"x": 0, "y": 200}}},
            {"name": "route", "type": "split-based-on", "transitions": [
                {"next": "bye", "event": "noMatch"},
                {"next": "connecting", "event": "match", "conditions": [{"friendly_name": "sales",
                  "arguments": ["{{widgets.menu.Digits}}{{widgets.menu.SpeechResult}}"],
                  "type": "matches_any_of", "value": "1, sales"}]}],
             "properties": {"input": "{{widgets.menu.Digits}}{{widgets.menu.SpeechResult}}", "offset": {"x": 0, "y": 400}}},
            {"name": "connecting", "type": "say-play", "transitions": [{"next": "transfer", "event": "audioComplete"}],
             "properties": {"say": "Connecting you to sales.", "offset": {"x": 0, "y": 600}}},
            {"name": "transfer", "type": "connect-call-to", "transitions": [
                {"event": "callCompleted"}, {"event": "hangup"}],
             "properties": {"noun": "number", "to": "+15550009999", "caller_id": "{{contact.channel.address}}",
                "timeout": 30, "offset": {"x": 0, "y": 800}}},
            {"name": "bye", "type": "say-play", "transitions": [{"event": "audioComplete"}],
             "properties": {"say": "Goodbye.", "offset": {"x": 300, "y": 600}}}
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": true}
    });
    Flow::parse(&text.to_string()).expect("the IVR parses")
}

fn call() -> Trigger {
    Trigger::Call(InboundCall {
        from: "+15551230000".into(),
        to: "+15559870000".into(),
        parameters: vec![],
    })
}

#[test]
fn keys_reach_the_gather_and_the_outside_world_answers_the_transfer() {
    let flow = ivr();
    let mut s = sim();
    assert!(s.start(&flow, 1, call(), Origin::Call, T0).is_empty());
    let e = s.active().expect("active");
    assert!(e.on_call());
    let Wait::Gather { request, digits } = e.waiting() else {
        panic!("{:?}", e.waiting())
    };
    assert_eq!(request.widget, "menu");
    assert_eq!(request.finish_on_key, Some('#'));
    assert!(request.speech.is_some(), "the speech port is connected");
    assert!(digits.is_empty());
    match &e.chat[1] {
        Bubble::Say {
            widget,
            text,
            voice,
            language,
            ..
        } => {
            assert_eq!(widget, "menu");
            assert_eq!(text, "Press 1 or say sales.");
            assert_eq!(voice.as_deref(), Some("Polly.Joanna"));
            assert_eq!(language.as_deref(), Some("en-US"));
        }
        other => panic!("{other:?}"),
    }
    s.caller(CallerInput::Keys("1".into()), T0 + 2000);
    s.caller(CallerInput::Keys("#".into()), T0 + 3000);
    let e = s.active().expect("still active");
    assert!(
        e.chat
            .iter()
            .any(|b| matches!(b, Bubble::Say { text, .. } if text == "Connecting you to sales.")),
        "the Say after the menu"
    );
    let Wait::External(x) = e.waiting() else {
        panic!("{:?}", e.waiting())
    };
    assert_eq!(x.widget, "transfer");
    let events: Vec<&str> = x.events.iter().map(|v| v.event.as_str()).collect();
    assert_eq!(events, ["callCompleted", "hangup"]);
    s.answer_external(
        "callCompleted",
        vec![("DialCallStatus".into(), json!("busy"))],
        T0 + 60_000,
    );
    let e = s.selected().expect("selected");
    assert!(
        e.end_reason().is_some_and(EndReason::is_normal),
        "{:?}",
        e.end_reason()
    );
    let data = e.flow_data(None);
    assert_eq!(data["widgets"]["menu"]["Digits"], json!("1"));
    assert_eq!(data["widgets"]["transfer"]["DialCallStatus"], json!("busy"));
    assert!(e.chat.iter().any(|b| matches!(
        b,
        Bubble::Caller { input: CallerInput::Outcome { event, .. }, note: None, .. } if event == "callCompleted"
    )));
    let h = e.highlight();
    assert_eq!(
        h.visited,
        ["Trigger", "menu", "route", "connecting", "transfer"]
    );
}

#[test]
fn speech_reaches_the_gather_with_its_confidence() {
    let flow = ivr();
    let mut s = sim();
    s.start(&flow, 1, call(), Origin::Call, T0);
    s.caller(
        CallerInput::Speech {
            text: "Sales".into(),
            confidence: 0.81,
        },
        T0 + 1000,
    );
    let data = s.active().expect("transfer waits").flow_data(None);
    assert_eq!(data["widgets"]["menu"]["SpeechResult"], json!("Sales"));
    assert_eq!(data["widgets"]["menu"]["Confidence"], json!("0.81"));
}

#[test]
fn the_caller_can_hang_up_mid_call_and_later_input_is_noted() {
    let flow = ivr();
    let mut s = sim();
    s.start(&flow, 1, call(), Origin::Call, T0);
    s.caller(CallerInput::Keys("4".into()), T0 + 500);
    s.caller(CallerInput::HangUp, T0 + 1000);
    let e = s.selected().expect("selected");
    assert!(matches!(e.end_reason(), Some(EndReason::CallEnded { widget }) if widget == "menu"));
    assert!(!e.on_call());
    assert!(s.active().is_none());
    // Nothing is active: keys go nowhere, and the simulator does not invent an execution.
    assert!(s
        .caller(CallerInput::Keys("1".into()), T0 + 2000)
        .is_empty());
    assert_eq!(s.executions().len(), 1);
}

#[test]
fn skip_wait_times_a_gather_out_and_keys_without_a_call_are_noted() {
    let flow = ivr();
    let mut s = sim();
    s.start(&flow, 1, call(), Origin::Call, T0);
    s.skip_wait(T0 + 100);
    let e = s.selected().expect("selected");
    let timed_out = e
        .steps()
        .iter()
        .any(|st| st.widget == "menu" && st.event.as_deref() == Some("timeout"));
    assert!(timed_out, "{:?}", e.steps());
    assert!(e
        .chat
        .iter()
        .any(|b| matches!(b, Bubble::Say { text, .. } if text == "Goodbye.")));
    // A message execution is not on a call: keys are shown, with why the flow did not take them.
    let msg = Flow::parse(include_str!("../../../www/examples/random-number.json")).expect("flow");
    s.chat(&msg, 2, "hi", T0 + 5000);
    s.caller(CallerInput::Keys("1".into()), T0 + 6000);
    let e = s.active().expect("the message execution waits");
    match e.chat.last() {
        Some(Bubble::Caller { note: Some(n), .. }) => assert!(n.contains("not on a call"), "{n}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_subflow_runs_from_the_project_and_highlights_its_run_subflow_widget() {
    let child = Flow::parse(
        &json!({
            "description": "child",
            "states": [
                {"name": "Trigger", "type": "trigger", "transitions": [{"next": "ask", "event": "incomingParent"}],
                 "properties": {"offset": {"x": 0, "y": 0}}},
                {"name": "ask", "type": "send-and-wait-for-reply", "transitions": [
                    {"next": "save", "event": "incomingMessage"}, {"event": "timeout"}, {"event": "deliveryFailure"}],
                 "properties": {"body": "Hi {{trigger.parent.parameters.name}}, your mood?", "from": "{{flow.channel.address}}", "timeout": "3600"}},
                {"name": "save", "type": "set-variables", "transitions": [{"event": "next"}],
                 "properties": {"variables": [{"key": "mood", "value": "{{widgets.ask.inbound.Body}}"}]}}
            ],
            "initial_state": "Trigger",
            "flags": {"allow_concurrent_calls": true}
        })
        .to_string(),
    )
    .expect("child");
    let parent = Flow::parse(
        &json!({
            "description": "parent",
            "states": [
                {"name": "Trigger", "type": "trigger", "transitions": [{"next": "run_child", "event": "incomingMessage"}],
                 "properties": {"offset": {"x": 0, "y": 0}}},
                {"name": "run_child", "type": "run-subflow", "transitions": [
                    {"next": "done", "event": "completed"}, {"event": "failed"}],
                 "properties": {"flow_sid": "FW00000000000000000000000000000001", "flow_revision": "LatestPublished",
                    "parameters": [{"key": "name", "value": "Ada"}]}},
                {"name": "done", "type": "send-message", "transitions": [{"event": "sent"}, {"event": "failed"}],
                 "properties": {"body": "Mood: {{widgets.run_child.mood}}", "from": "{{flow.channel.address}}", "to": "{{contact.channel.address}}"}}
            ],
            "initial_state": "Trigger",
            "flags": {"allow_concurrent_calls": true}
        })
        .to_string(),
    )
    .expect("parent");
    let mut s = sim();
    s.set_subflows(Subflows::new().with("FW00000000000000000000000000000001", Rc::new(child)));
    s.chat(&parent, 1, "hi", T0);
    let e = s.active().expect("the subflow waits for a reply");
    assert_eq!(e.highlight().current.as_deref(), Some("run_child"));
    assert!(matches!(e.waiting(), Wait::Reply { widget } if widget == "ask"));
    s.chat(&parent, 1, "great", T0 + 1000);
    let e = s.selected().expect("selected");
    assert!(e
        .chat
        .iter()
        .any(|b| matches!(b, Bubble::Flow { text, .. } if text == "Mood: great")));
}
