//! The simulator's debugger, natively: every input an execution takes is recorded; rewinding the
//! random number example to each of its steps restores it as it was (log, Flow Data, the waiting
//! widget, the chat of the prefix) without the network, and answering differently takes the
//! other branch while the abandoned execution stays listed; breakpoints pause before a widget
//! (the canvas highlights it), Continue and Step go on, and Flow Data edited while paused changes
//! what the next widget renders; "Run from here" starts mid-flow with Flow Data proposed from the
//! last execution that reached the widget.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;

use flowpen_engine::{
    Breakpoint, EndReason, Input, InputError, PauseReason, SortedSet, Status, StepDetail,
    TriggerKind,
};
use flowpen_flow::Flow;
use flowpen_playground::simulator::{
    parse_flow_data, Answer, Bubble, Command, FlowDataError, Origin, RewindError, Simulator, Tone,
    Wait, CONTACT, FLOW_ADDRESS,
};
use serde_json::json;

/// The random number example run to its end: min 1, max 6, the Function answers 4.
fn finished_run(s: &mut Simulator, f: &Flow) {
    s.chat(f, 1, "hi", T0);
    s.chat(f, 1, "1", T0 + 4_000);
    let r = only_request(&s.chat(f, 1, "6", T0 + 9_000));
    let commands = s.http_done(
        1,
        r.id,
        json_response(200, r#"{"number":4}"#),
        Answer::default(),
        T0 + 9_150,
    );
    assert!(commands.is_empty());
    assert_eq!(
        flow_texts(s).last().map(String::as_str),
        Some("Your random number is 4.")
    );
}

#[test]
fn every_input_an_execution_takes_is_recorded_with_its_time() {
    let f = flow("random-number.json");
    let mut s = sim();
    finished_run(&mut s, &f);
    let e = s.execution(1).expect("kept");
    let inputs: Vec<(String, u64)> = e
        .inputs()
        .iter()
        .map(|(i, t)| (i.describe(), t - T0))
        .collect();
    assert_eq!(
        inputs,
        [
            ("reply \"1\"".to_owned(), 4_000),
            ("reply \"6\"".to_owned(), 9_000),
            ("response to request #1".to_owned(), 9_150),
            ("message #3 sent".to_owned(), 9_150),
        ]
    );
    // Skip wait records the timeout at the deadline; Stop records the stop.
    s.chat(&f, 1, "again", T0 + 20_000);
    s.skip_wait(T0 + 21_000);
    let e = s.selected().expect("selected");
    assert_eq!(e.inputs()[0], (Input::Timeout, T0 + 20_000 + 3_600_000));
    s.chat(&f, 1, "again", T0 + 30_000);
    s.stop(T0 + 31_000);
    assert_eq!(s.selected().expect("selected").inputs()[0].0, Input::Stop);
}

#[test]
fn rewinding_to_each_step_restores_the_execution_as_it_was_after_it() {
    let f = flow("random-number.json");
    let mut reference = sim();
    finished_run(&mut reference, &f);
    let old = reference.execution(1).expect("kept");
    let old_chat = old.chat.clone();
    let old_steps = old.steps().to_vec();
    // For each step: how many steps the rewound log has, where it waits, and how much of the
    // original chat (after its first line) it shows.
    let expected = [
        (1, Some("min_value"), 2),
        (2, Some("max_value"), 4),
        (5, None, 7),
        (5, None, 7),
        (5, None, 7),
    ];
    for (step, (steps, waits, bubbles)) in expected.into_iter().enumerate() {
        let mut s = sim();
        finished_run(&mut s, &f);
        let now = T0 + 100_000;
        let commands = s.rewind(1, step, now).expect("rewinds");
        assert!(
            commands.is_empty(),
            "nothing goes to the network: {commands:?}"
        );
        let e = s.selected().expect("the rewound execution is selected");
        assert_eq!(e.id, 2);
        assert_eq!(e.origin, Origin::Rewind { from: 1, step });
        assert_eq!(e.steps(), &old_steps[..steps], "step {step}");
        assert_eq!(e.status().widget(), waits, "step {step}");
        assert_eq!(e.is_active(), waits.is_some());
        let last = e.steps().len() - 1;
        assert_eq!(
            e.flow_data(None),
            reference.execution(1).expect("kept").flow_data(Some(last)),
            "Flow Data as it was after step {last}"
        );
        // The chat of the prefix: the same bubbles after a first line that says what happened.
        assert_eq!(
            e.chat[0],
            Bubble::Event {
                text: format!(
                    "Execution #2 rewound from execution #1 to step {step} ({})",
                    old_steps[step].widget
                ),
                tone: Tone::Info
            }
        );
        let shown: Vec<Bubble> = e.chat[1..].to_vec();
        let mut original: Vec<Bubble> = old_chat[1..=bubbles].to_vec();
        if let Some(Bubble::Event { text, .. }) = original.last_mut().filter(|_| waits.is_none()) {
            *text = text.replace("Execution #1", "Execution #2");
        }
        assert_eq!(shown, original, "step {step}");
        // The abandoned execution is still listed, unchanged.
        assert_eq!(s.executions().len(), 2);
        assert_eq!(s.execution(1).expect("kept").steps(), &old_steps[..]);
        assert_eq!(s.execution(1).expect("kept").chat, old_chat);
    }
}

#[test]
fn a_rewound_execution_takes_the_other_branch_on_its_own_clock() {
    let f = flow("random-number.json");
    let mut s = sim();
    finished_run(&mut s, &f);
    // Rewound a minute later to the step that answered min_value: max_value waits again.
    let now = T0 + 60_000;
    s.rewind(1, 1, now).expect("rewinds");
    let e = s.active().expect("active");
    assert_eq!(e.status().widget(), Some("max_value"));
    // Its clock goes on from the replayed point (the reply "1" at T0 + 4 s).
    assert_eq!(e.clock(now), T0 + 4_000);
    let timer = s.timer().expect("max_value's timeout is armed");
    assert_eq!(timer.deadline_ms, T0 + 4_000 + 3_600_000);
    assert_eq!(timer.fire_at_ms, now + 3_600_000);
    // Answering differently: the Function fails, and the flow takes its fail path.
    let r = only_request(&s.chat(&f, 1, "six", now + 1_000));
    assert_eq!(r.body.as_deref(), Some("min=1&max=six"));
    s.http_done(
        2,
        r.id,
        json_response(500, r#"{"message":"max is not a number"}"#),
        Answer::default(),
        now + 1_100,
    );
    let e = s.selected().expect("selected");
    assert_eq!(e.id, 2);
    assert_eq!(
        e.steps()
            .iter()
            .map(|s| s.widget.as_str())
            .collect::<Vec<_>>(),
        ["Trigger", "min_value", "max_value", "get_num", "send_error"]
    );
    assert_eq!(
        e.steps()[2].ended_ms,
        T0 + 5_000,
        "its log's times stay coherent"
    );
    assert_eq!(
        flow_texts(&s).last().map(String::as_str),
        Some(r#"Sorry, I could not pick a number (500): {"message":"max is not a number"}"#)
    );
    // The first run is still there, with its own branch.
    let first = s.execution(1).expect("kept");
    assert_eq!(first.steps()[4].widget, "send_result");
    // The rewound execution's record is the replayed prefix and what followed.
    let inputs: Vec<String> = e.inputs().iter().map(|(i, _)| i.describe()).collect();
    assert_eq!(
        inputs,
        [
            "reply \"1\"",
            "reply \"six\"",
            "response to request #1",
            "message #3 sent"
        ]
    );
    // Rewinding the rewound one works the same way.
    s.rewind(2, 2, now + 5_000).expect("rewinds");
    assert_eq!(
        s.selected().expect("selected").origin,
        Origin::Rewind { from: 2, step: 2 }
    );
    assert_eq!(s.executions().len(), 3);
}

#[test]
fn rewinding_an_active_execution_stops_it_and_a_missing_answer_is_fetched_again() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0 + 1_000);
    let r = only_request(&s.chat(&f, 1, "6", T0 + 2_000));
    // Rewound while it waits for the Function: the old one stops (its request is cancelled), and
    // the new one, rewound to its last step, asks for the same request again: the record has no
    // answer for it.
    let commands = s.rewind(1, 2, T0 + 3_000).expect("rewinds");
    assert!(commands.contains(&Command::Cancel {
        execution: 1,
        request: r.id
    }));
    let again = only_request(&commands);
    assert_eq!(again.body, r.body);
    assert!(commands.contains(&Command::Http {
        execution: 2,
        via: flowpen_playground::simulator::Via::Function,
        request: again.clone(),
    }));
    assert_eq!(
        s.execution(1).expect("kept").end_reason(),
        Some(&EndReason::Stopped)
    );
    let e = s.active().expect("the new one is active");
    assert_eq!(e.id, 2);
    assert!(matches!(e.status(), Status::WaitingForHttp { .. }));
    s.http_done(
        2,
        again.id,
        json_response(200, r#"{"number":3}"#),
        Answer::default(),
        T0 + 3_100,
    );
    assert_eq!(
        flow_texts(&s).last().map(String::as_str),
        Some("Your random number is 3.")
    );
    // Errors say what is wrong.
    assert_eq!(s.rewind(9, 0, T0).err(), Some(RewindError::NoExecution(9)));
    let err = s.rewind(2, 99, T0).expect_err("no such step");
    assert_eq!(
        err.to_string(),
        "the execution has no step 99 (it logged 5 steps)"
    );
}

#[test]
fn a_failed_message_is_failed_again_in_the_rewound_chat() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.set_fail_next_send(true);
    s.chat(&f, 1, "1", T0 + 1_000);
    let e = s.selected().expect("selected");
    assert!(e.end_reason().is_some(), "max_value's delivery failed");
    s.rewind(1, 2, T0 + 2_000).expect("rewinds");
    let failed: Vec<bool> = s
        .selected()
        .expect("selected")
        .chat
        .iter()
        .filter_map(|b| match b {
            Bubble::Flow { failed, .. } => Some(*failed),
            _ => None,
        })
        .collect();
    assert_eq!(failed, [false, true]);
}

#[test]
fn a_breakpoint_pauses_before_the_widget_and_continue_and_step_go_on() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.set_breakpoints(SortedSet::from([Breakpoint::at("max_value")]), T0);
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0 + 1_000);
    let e = s.active().expect("active");
    let pause = e.paused().expect("paused");
    assert_eq!(
        (pause.widget.as_str(), pause.reason),
        ("max_value", PauseReason::Breakpoint)
    );
    assert_eq!(e.waiting(), Wait::Paused(pause));
    let h = e.highlight();
    assert_eq!(h.current.as_deref(), Some("max_value"));
    assert!(h.paused);
    assert_eq!(e.status_text(), "paused at the breakpoint before max_value");
    assert!(s.timer().is_none(), "no timer while paused");
    assert_eq!(flow_texts(&s).len(), 1, "max_value has not run");
    // A message while paused is noted, not passed to the flow.
    s.chat(&f, 1, "too early", T0 + 1_500);
    let note = s
        .selected()
        .expect("selected")
        .chat
        .iter()
        .rev()
        .find_map(|b| match b {
            Bubble::Contact { note, .. } => note.clone(),
            _ => None,
        });
    assert!(note.is_some_and(|n| n.contains("paused before max_value")));

    // Step: max_value runs (and waits); after the reply, the pause comes before get_num.
    assert!(s.step(T0 + 2_000).is_empty());
    assert_eq!(
        flow_texts(&s).last().map(String::as_str),
        Some("And the largest?")
    );
    assert!(s.selected().expect("selected").paused().is_none());
    assert!(s.chat(&f, 1, "6", T0 + 3_000).is_empty(), "no request yet");
    let pause = s.active().expect("active").paused().expect("paused");
    assert_eq!(
        (pause.widget.as_str(), pause.reason),
        ("get_num", PauseReason::Step)
    );
    let r = only_request(&s.continue_(T0 + 4_000));
    assert_eq!(r.body.as_deref(), Some("min=1&max=6"));
    // Continue and Step do nothing when nothing is paused.
    assert!(s.continue_(T0 + 4_100).is_empty());
    assert!(s.step(T0 + 4_100).is_empty());
    assert!(matches!(
        s.active().expect("active").status(),
        Status::WaitingForHttp { .. }
    ));
}

#[test]
fn flow_data_edited_while_paused_changes_what_the_next_widget_renders() {
    let f = flow("random-number.json");
    let mut s = sim();
    assert!(s.toggle_breakpoint(Breakpoint::at("get_num"), T0));
    s.chat(&f, 1, "hi", T0);
    assert_eq!(
        s.set_flow_data(json!({}), T0),
        Err(InputError::NotWaiting),
        "not paused"
    );
    s.chat(&f, 1, "1", T0 + 1_000);
    s.chat(&f, 1, "6", T0 + 2_000);
    let e = s.active().expect("active");
    assert_eq!(e.paused().map(|p| p.widget), Some("get_num".to_owned()));
    let mut data = e.flow_data(None);
    data["widgets"]["max_value"]["inbound"]["Body"] = json!("100");
    s.set_flow_data(data.clone(), T0 + 3_000).expect("paused");
    assert_eq!(
        s.set_flow_data(json!(7), T0),
        Err(InputError::Invalid(
            "Flow Data must be a JSON object, not a number".into()
        ))
    );
    let e = s.active().expect("active");
    assert_eq!(e.flow_data(None), data);
    let edit = e.steps().last().expect("the edit's step");
    assert_eq!(edit.detail, StepDetail::FlowDataEdited);
    assert_eq!(e.flow_data(Some(edit.index)), data);
    // Breakpoints toggled off while paused: the pause stays until Continue.
    assert!(!s.toggle_breakpoint(Breakpoint::at("get_num"), T0 + 3_500));
    assert!(s.breakpoints().is_empty());
    assert!(s.active().expect("active").paused().is_some());
    let r = only_request(&s.continue_(T0 + 4_000));
    assert_eq!(r.body.as_deref(), Some("min=1&max=100"));
    // The edit and the debugger's inputs are in the record, so a rewind to the edit gives the
    // paused execution with the edited Flow Data back.
    let inputs: Vec<String> = s
        .selected()
        .expect("selected")
        .inputs()
        .iter()
        .map(|(i, _)| i.describe())
        .collect();
    assert_eq!(
        inputs,
        [
            "reply \"1\"",
            "reply \"6\"",
            "Flow Data edit",
            "0 breakpoints",
            "continue"
        ]
    );
    s.rewind(1, 3, T0 + 5_000).expect("rewinds");
    let e = s.active().expect("active");
    assert_eq!(e.id, 2);
    assert_eq!(e.paused().map(|p| p.widget), Some("get_num".to_owned()));
    assert_eq!(e.flow_data(None), data);
    assert!(e.engine().breakpoints().is_empty());
}

#[test]
fn the_flow_data_editor_reads_a_json_object() {
    assert_eq!(parse_flow_data(r#"{"a": 1}"#), Ok(json!({"a": 1})));
    assert_eq!(
        parse_flow_data("[1]"),
        Err(FlowDataError::NotObject("a list"))
    );
    let err = parse_flow_data("{\n  \"a\": }").expect_err("not JSON");
    assert!(
        matches!(err, FlowDataError::NotJson { line: 2, .. }),
        "{err:?}"
    );
    // The position once, at the end.
    assert_eq!(
        err.to_string(),
        "Flow Data is not JSON: expected value (line 2, column 8)."
    );
    // Bounded like any user text: serde_json refuses deep nesting rather than overflowing.
    let deep = "[".repeat(100_000);
    assert!(matches!(
        parse_flow_data(&deep),
        Err(FlowDataError::NotJson { .. })
    ));
}

#[test]
fn run_from_here_starts_mid_flow_with_the_flow_data_of_the_last_run_there() {
    let f = flow("random-number.json");
    let mut s = sim();
    // Nothing ran yet: a minimal context with the simulator's addresses.
    let p = s.proposed_flow_data("get_num");
    assert_eq!(p.from, None);
    assert_eq!(p.kind, TriggerKind::Message);
    assert_eq!(p.flow_data["contact"]["channel"]["address"], json!(CONTACT));
    assert_eq!(
        p.flow_data["flow"]["channel"]["address"],
        json!(FLOW_ADDRESS)
    );
    assert_eq!(p.flow_data["widgets"], json!({}));

    finished_run(&mut s, &f);
    let p = s.proposed_flow_data("get_num");
    assert_eq!(p.from, Some((1, 3)));
    assert_eq!(p.kind, TriggerKind::Message);
    let e = s.execution(1).expect("kept");
    assert_eq!(p.flow_data, e.flow_data(Some(2)), "just before get_num ran");
    assert_eq!(p.flow_data["widgets"].get("get_num"), None);
    assert_eq!(
        p.flow_data["widgets"]["max_value"]["inbound"]["Body"],
        json!("6")
    );

    // The user edits the proposal and runs from get_num.
    let mut data = p.flow_data.clone();
    data["widgets"]["max_value"]["inbound"]["Body"] = json!("10");
    let r = only_request(
        &s.start_at(&f, 1, "get_num", data, p.kind, T0 + 50_000)
            .expect("starts"),
    );
    assert_eq!(r.body.as_deref(), Some("min=1&max=10"));
    let e = s.selected().expect("selected");
    assert_eq!(e.id, 2);
    assert_eq!(
        e.origin,
        Origin::StartAt {
            widget: "get_num".into()
        }
    );
    assert!(e.began_mid_flow());
    assert_eq!(
        e.steps()[0].detail,
        StepDetail::StartedAt {
            kind: TriggerKind::Message
        }
    );
    assert_eq!(
        e.chat[0],
        Bubble::Event {
            text: "Execution #2 started mid-flow at get_num with edited Flow Data".into(),
            tone: Tone::Info
        }
    );
    assert_eq!(e.highlight().current.as_deref(), Some("get_num"));
    s.http_done(
        2,
        r.id,
        json_response(200, r#"{"number":8}"#),
        Answer::default(),
        T0 + 50_100,
    );
    assert_eq!(
        flow_texts(&s),
        ["Your random number is 8."],
        "the tail ran without the head"
    );
    // The proposal now comes from the newest execution that ran get_num.
    assert_eq!(s.proposed_flow_data("get_num").from, Some((2, 1)));
    // Restart runs from the same widget with the same Flow Data; a rewind replays it too.
    let r = only_request(&s.restart(&f, 1, T0 + 60_000));
    assert_eq!(r.body.as_deref(), Some("min=1&max=10"));
    assert!(s.selected().expect("selected").began_mid_flow());
    s.rewind(2, 2, T0 + 70_000).expect("rewinds");
    assert!(s.selected().expect("selected").began_mid_flow());
    assert_eq!(flow_texts(&s), ["Your random number is 8."]);
}

#[test]
fn a_start_at_that_cannot_start_changes_nothing() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    let err = s
        .start_at(&f, 1, "nope", json!({}), TriggerKind::Message, T0)
        .expect_err("refused");
    assert_eq!(err.to_string(), "the flow has no widget named \"nope\"");
    assert!(s
        .start_at(&f, 1, "get_num", json!("x"), TriggerKind::Message, T0)
        .is_err());
    assert_eq!(s.executions().len(), 1);
    assert_eq!(s.active().map(|e| e.id), Some(1), "still active");
}

#[test]
fn an_execution_stopped_while_it_waited_for_a_response_is_rewound_to_that_wait() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0 + 1_000);
    let r = only_request(&s.chat(&f, 1, "6", T0 + 2_000));
    s.stop(T0 + 2_500);
    // The user's stop is not replayed: the rewound execution waits for the Function again.
    let commands = s.rewind(1, 2, T0 + 3_000).expect("rewinds");
    assert_eq!(only_request(&commands).body, r.body);
    assert!(
        !commands.iter().any(|c| matches!(c, Command::Cancel { .. })),
        "nothing else to cancel"
    );
    assert!(matches!(
        s.active().expect("active").status(),
        Status::WaitingForHttp { .. }
    ));
}

/// A call: a menu Gather, a Say, then a transfer whose outcome belongs to the outside world.
fn ivr() -> Flow {
    let text = json!({
        "description": "IVR",
        "states": [
            {"name": "Trigger", "type": "trigger", "transitions": [
                {"event": "incomingMessage"}, {"next": "menu", "event": "incomingCall"},
                {"event": "incomingRequest"}], "properties": {"offset": {"x": 0, "y": 0}}},
            {"name": "menu", "type": "gather-input-on-call", "transitions": [
                {"next": "connecting", "event": "keypress"}, {"event": "timeout"}],
             "properties": {"say": "Press 1.", "timeout": 5, "number_of_digits": 1,
                "offset": {"x": 0, "y": 200}}},
            {"name": "connecting", "type": "say-play", "transitions": [{"next": "transfer", "event": "audioComplete"}],
             "properties": {"say": "Connecting you.", "offset": {"x": 0, "y": 400}}},
            {"name": "transfer", "type": "connect-call-to", "transitions": [
                {"event": "callCompleted"}, {"next": "sorry", "event": "hangup"}],
             "properties": {"noun": "number", "to": "+15550009999", "offset": {"x": 0, "y": 600}}},
            {"name": "sorry", "type": "send-message", "transitions": [{"event": "sent"}, {"event": "failed"}],
             "properties": {"to": "{{contact.channel.address}}", "from": "{{flow.channel.address}}",
                "body": "Sorry we missed you.", "offset": {"x": 0, "y": 800}}}
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": true}
    });
    Flow::parse(&text.to_string()).expect("the IVR parses")
}

#[test]
fn a_call_is_rewound_with_its_voice_and_keys_and_answered_differently() {
    let f = ivr();
    let mut s = sim();
    let call = flowpen_engine::Trigger::Call(flowpen_engine::InboundCall {
        from: CONTACT.into(),
        to: FLOW_ADDRESS.into(),
        parameters: vec![],
    });
    s.start(&f, 1, call, Origin::Call, T0);
    s.caller(
        flowpen_playground::simulator::CallerInput::Keys("1".into()),
        T0 + 2_000,
    );
    assert!(matches!(
        s.active().expect("active").waiting(),
        Wait::External(_)
    ));
    s.answer_external("callCompleted", vec![], T0 + 60_000);
    let old = s.execution(1).expect("kept");
    assert!(old.end_reason().is_some());
    let old_chat = old.chat.clone();
    let old_inputs: Vec<String> = old.inputs().iter().map(|(i, _)| i.describe()).collect();
    assert_eq!(
        old_inputs,
        ["keys 1", "audio #1 complete", "callCompleted for wait #2"]
    );
    // Rewound to the menu's step: the transfer waits for the outside world again, on the call.
    s.rewind(1, 1, T0 + 70_000).expect("rewinds");
    let e = s.active().expect("active");
    assert!(e.on_call());
    let Wait::External(x) = e.waiting() else {
        panic!("{:?}", e.waiting())
    };
    assert_eq!(x.widget, "transfer");
    // The chat of the prefix: the prompt, the keys, the Say, the transfer's line.
    assert_eq!(e.chat[1..], old_chat[1..old_chat.len() - 2]);
    assert!(matches!(
        e.chat.last(),
        Some(Bubble::Event { text, .. }) if text.starts_with("transfer: connect the call")
    ));
    // This time the caller hangs up during the transfer: the other branch.
    s.answer_external("hangup", vec![], T0 + 71_000);
    assert_eq!(flow_texts(&s), ["Sorry we missed you."]);
    assert_eq!(s.executions().len(), 2);
}

#[test]
fn the_execution_rewound_from_stays_listed_when_the_oldest_are_dropped() {
    let f = flow("random-number.json");
    let mut s = sim();
    for i in 0..flowpen_playground::simulator::KEEP as u64 {
        s.chat(&f, 1, "hi", T0 + i);
        s.stop(T0 + i);
    }
    assert_eq!(s.executions().first().map(|e| e.id), Some(1));
    s.rewind(1, 0, T0 + 100).expect("rewinds");
    let ids: Vec<u32> = s.executions().iter().map(|e| e.id).collect();
    assert_eq!(ids, [1, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
}
