//! The simulator's session model, natively: the three examples end to end with scripted HTTP
//! answers, the same steps and Flow Data as the engine driven directly, the chat, failing sends,
//! timers and "skip wait", stale inputs after Stop, the execution list, and the pure half of the
//! HTTP shell (response mapping, failure explanations).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::*;

use flowpen_engine::{
    Config, EndReason, Engine, HttpRequest, HttpResponse, InboundMessage, RequestId, Status,
    TransportErrorKind, Trigger,
};
use flowpen_playground::functions::LogLine;
use flowpen_playground::simulator::http::{self, Failure, RawResponse};
use flowpen_playground::simulator::{
    parse_parameters, Answer, Bubble, Command, Origin, Simulator, Tone, Via, CONTACT, FLOW_ADDRESS,
    KEEP,
};
use serde_json::json;

fn last_event(s: &Simulator) -> String {
    s.selected()
        .and_then(|e| {
            e.chat.iter().rev().find_map(|b| match b {
                Bubble::Event { text, .. } => Some(text.clone()),
                _ => None,
            })
        })
        .unwrap_or_default()
}

#[test]
fn the_random_number_example_runs_through_the_chat() {
    let f = flow("random-number.json");
    let mut s = sim();
    assert!(s.chat(&f, 1, "hi", T0).is_empty());
    let e = s.selected().expect("an execution started");
    assert_eq!(e.id, 1);
    assert_eq!(e.origin, Origin::Chat);
    assert_eq!(e.addresses(), (CONTACT.to_owned(), FLOW_ADDRESS.to_owned()));
    assert_eq!(
        flow_texts(&s),
        ["Hi! I pick random numbers. What is the smallest number I may pick?"]
    );
    let timer = s.timer().expect("the reply timeout is armed");
    assert_eq!(timer.deadline_ms, T0 + 3_600_000);
    assert_eq!(timer.fire_at_ms, T0 + 3_600_000);

    assert!(s.chat(&f, 1, "1", T0 + 4_000).is_empty());
    let commands = s.chat(&f, 1, "6", T0 + 9_000);
    let (id, via, request) = http_command(&commands);
    assert_eq!((id, via), (1, Via::Function));
    assert_eq!(request.url, "https://flowpen.local/random");
    assert_eq!(request.method, "POST");
    assert_eq!(request.body.as_deref(), Some("min=1&max=6"));
    assert_eq!(
        s.timer().map(|t| t.deadline_ms),
        Some(T0 + 9_000 + 10_000),
        "the request's time limit"
    );

    let commands = s.http_done(
        1,
        request.id,
        json_response(200, r#"{"number":4}"#),
        Answer {
            logs: vec![LogLine::new("log", "picked 4")],
            duration_ms: 12.0,
            note: None,
        },
        T0 + 9_150,
    );
    assert!(commands.is_empty());
    assert_eq!(
        flow_texts(&s).last().map(String::as_str),
        Some("Your random number is 4.")
    );
    let e = s.selected().expect("selected");
    assert!(!e.is_active());
    assert!(s.timer().is_none());
    assert_eq!(e.status_text(), "ended");
    assert_eq!(
        last_event(&s),
        "Execution #1 ended: send_result has no next widget for \"sent\"."
    );
    let e = s.selected().expect("selected");
    let steps = e.steps();
    assert_eq!(
        steps.iter().map(|s| s.widget.as_str()).collect::<Vec<_>>(),
        [
            "Trigger",
            "min_value",
            "max_value",
            "get_num",
            "send_result"
        ]
    );
    let note = e.request_note(&steps[3]).expect("the step's request note");
    assert_eq!(note.via, Some(Via::Function));
    assert_eq!(note.logs, vec![LogLine::new("log", "picked 4")]);
    assert_eq!(note.duration_ms, Some(12.0));
    assert_eq!(
        e.flow_data(Some(3))["widgets"]["get_num"]["parsed"]["number"],
        json!(4)
    );
    assert_eq!(e.flow_data(Some(2))["widgets"].get("get_num"), None);
    assert_eq!(e.flow_data(None), *e.engine().flow_data());

    let h = e.highlight();
    assert_eq!(h.current, None);
    assert_eq!(
        h.visited,
        [
            "Trigger",
            "min_value",
            "max_value",
            "get_num",
            "send_result"
        ]
    );
    assert_eq!(
        h.taken,
        [
            ("Trigger", "incomingMessage", "min_value"),
            ("min_value", "incomingMessage", "max_value"),
            ("max_value", "incomingMessage", "get_num"),
            ("get_num", "success", "send_result"),
        ]
        .map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    );
}

/// The simulator's log and Flow Data are exactly what the engine produces for the same inputs.
#[test]
fn steps_and_flow_data_match_the_engine_driven_directly() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0 + 1_000);
    let (_, _, request) = http_command(&s.chat(&f, 1, " 6 ", T0 + 2_000));
    s.http_done(
        1,
        request.id,
        json_response(200, r#"{"number":5}"#),
        Answer::default(),
        T0 + 2_500,
    );

    let mut engine = Engine::start(
        f.clone(),
        Trigger::Message(InboundMessage {
            from: CONTACT.into(),
            to: FLOW_ADDRESS.into(),
            body: "hi".into(),
            media_urls: vec![],
        }),
        Config::default(),
        T0,
    );
    let reply = |body: &str| InboundMessage {
        from: CONTACT.into(),
        to: FLOW_ADDRESS.into(),
        body: body.into(),
        media_urls: vec![],
    };
    // The reference loop of the engine's scenarios: drain, acknowledge a sent message, repeat.
    let drain = |engine: &mut Engine, now: u64| loop {
        while engine.poll_effect().is_some() {}
        match engine.status() {
            Status::WaitingForSend { message, .. } => {
                engine.handle_sent(message, now).expect("sent");
            }
            _ => break,
        }
    };
    drain(&mut engine, T0);
    engine
        .handle_message(reply("1"), T0 + 1_000)
        .expect("waits");
    drain(&mut engine, T0 + 1_000);
    engine
        .handle_message(reply(" 6 "), T0 + 2_000)
        .expect("waits");
    drain(&mut engine, T0 + 2_000);
    engine
        .handle_http_response(
            RequestId(1),
            json_response(200, r#"{"number":5}"#),
            T0 + 2_500,
        )
        .expect("waits for the request");
    drain(&mut engine, T0 + 2_500);
    let e = s.selected().expect("selected");
    assert_eq!(e.steps(), engine.steps());
    assert_eq!(e.flow_data(None), *engine.flow_data());
    for i in 0..engine.steps().len() {
        assert_eq!(
            e.flow_data(Some(i)),
            engine.context_after(i),
            "after step {i}"
        );
    }
}

#[test]
fn a_failing_function_takes_the_fail_path() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0);
    let (_, _, request) = http_command(&s.chat(&f, 1, "6", T0));
    s.http_done(
        1,
        request.id,
        json_response(500, r#"{"message":"boom","name":"Error"}"#),
        Answer::default(),
        T0,
    );
    assert_eq!(
        flow_texts(&s).last().map(String::as_str),
        Some(r#"Sorry, I could not pick a number (500): {"message":"boom","name":"Error"}"#)
    );
    let e = s.selected().expect("selected");
    assert_eq!(e.steps()[3].event.as_deref(), Some("fail"));
}

#[test]
fn the_dog_breed_example_sends_the_picture_as_media() {
    let f = flow("dog-breed.json");
    let mut s = sim();
    s.chat(&f, 1, "dogs please", T0);
    let (_, via, request) = http_command(&s.chat(&f, 1, "golden retriever", T0));
    assert_eq!(via, Via::Function);
    assert_eq!(request.body.as_deref(), Some("breed=golden+retriever"));
    s.http_done(
        1,
        request.id,
        json_response(
            200,
            r#"{"text":"Here's an image of a golden retriever! 🐶","url":"data:image/svg+xml,%3Csvg%3E"}"#,
        ),
        Answer::default(),
        T0,
    );
    let e = s.selected().expect("selected");
    let media: Vec<_> = e
        .chat
        .iter()
        .filter_map(|b| match b {
            Bubble::Flow { media, .. } => Some(media.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        media,
        [None, Some("data:image/svg+xml,%3Csvg%3E".to_owned())]
    );
}

#[test]
fn the_retry_counter_loops_until_the_function_succeeds() {
    let f = flow("retry-counter.json");
    let mut s = sim();
    let trigger = Trigger::Rest {
        from: FLOW_ADDRESS.into(),
        to: CONTACT.into(),
        parameters: parse_parameters(r#"{"order": "A-17"}"#).expect("an object"),
    };
    let mut commands = s.start(&f, 1, trigger, Origin::Rest, T0);
    for attempt in 1..=3 {
        let (id, _, request) = http_command(&commands);
        assert_eq!(request.body, Some(format!("attempt={attempt}")));
        let result = if attempt < 3 {
            json_response(500, r#"{"message":"Service unavailable"}"#)
        } else {
            Ok(HttpResponse {
                status: 200,
                headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
                body: "order placed on attempt 3".into(),
            })
        };
        commands = s.http_done(id, request.id, result, Answer::default(), T0);
    }
    assert!(commands.is_empty());
    assert_eq!(
        flow_texts(&s),
        ["Done after 3 attempt(s): order placed on attempt 3"]
    );
    let e = s.selected().expect("selected");
    assert_eq!(e.addresses(), (CONTACT.to_owned(), FLOW_ADDRESS.to_owned()));
    assert_eq!(e.flow_data(None)["flow"]["data"]["order"], json!("A-17"));
    assert_eq!(e.flow_data(None)["flow"]["variables"]["count"], json!(2));
    let h = e.highlight();
    assert!(h
        .taken
        .contains(&("check_count".into(), "noMatch".into(), "call_api".into())));
    assert!(h
        .taken
        .contains(&("call_api".into(), "success".into(), "send_success".into())));
    assert!(!h.taken.iter().any(|(from, _, _)| from == "send_failure"));
    assert_eq!(h.visited.iter().filter(|w| *w == "call_api").count(), 1);
}

#[test]
fn the_next_message_can_fail_for_send_message_and_send_and_wait() {
    // Send & Wait For Reply: deliveryFailure (which leads nowhere in the example).
    let f = flow("dog-breed.json");
    let mut s = sim();
    s.set_fail_next_send(true);
    s.chat(&f, 1, "dogs", T0);
    assert!(!s.fail_next_send(), "it applies to one message");
    let e = s.selected().expect("selected");
    assert_eq!(e.steps()[1].event.as_deref(), Some("deliveryFailure"));
    assert!(e
        .chat
        .iter()
        .any(|b| matches!(b, Bubble::Flow { failed: true, .. })));
    assert_eq!(
        e.flow_data(None)["widgets"]["request-breed"]["outbound"]["Status"],
        json!("failed")
    );
    assert!(!e.is_active());

    // Send Message: failed.
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0);
    let (_, _, request) = http_command(&s.chat(&f, 1, "6", T0));
    s.set_fail_next_send(true);
    s.http_done(
        1,
        request.id,
        json_response(200, r#"{"number":3}"#),
        Answer::default(),
        T0,
    );
    let e = s.selected().expect("selected");
    let last = e.steps().last().expect("steps");
    assert_eq!(
        (last.widget.as_str(), last.event.as_deref()),
        ("send_result", Some("failed"))
    );
    assert!(last.outcome.contains("30003"), "{}", last.outcome);
    assert_eq!(
        last_event(&s),
        "Execution #1 ended: send_result has no next widget for \"failed\"."
    );
}

#[test]
fn skip_wait_fires_the_reply_timeout_and_moves_the_clock() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    assert!(s.skip_wait(T0 + 2_000).is_empty());
    let e = s.selected().expect("selected");
    let step = &e.steps()[1];
    assert_eq!(step.event.as_deref(), Some("timeout"));
    assert_eq!(
        step.ended_ms - e.started_ms,
        3_600_000,
        "the step says an hour passed"
    );
    assert_eq!(e.skew_ms, 3_600_000 - 2_000);
    assert_eq!(
        last_event(&s),
        "Execution #1 ended: min_value has no next widget for \"timeout\"."
    );
    // Nothing waits any more: skipping again does nothing.
    assert!(s.skip_wait(T0 + 3_000).is_empty());
}

#[test]
fn the_shells_timer_fires_only_for_the_deadline_it_was_armed_for() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    let t = s.timer().expect("armed");
    // A timer armed for an older deadline (the contact answered meanwhile) is ignored.
    s.chat(&f, 1, "1", T0 + 10_000);
    assert!(s
        .fire_timer(t.execution, t.deadline_ms, t.deadline_ms)
        .is_empty());
    assert!(s
        .selected()
        .is_some_and(|e| e.is_active() && e.steps().len() == 2));
    // The current one fires, even a millisecond early.
    let t = s.timer().expect("armed again");
    assert_eq!(t.deadline_ms, T0 + 10_000 + 3_600_000);
    s.fire_timer(t.execution, t.deadline_ms, t.deadline_ms - 1);
    let e = s.selected().expect("selected");
    assert_eq!(e.steps()[2].event.as_deref(), Some("timeout"));
    assert_eq!(e.steps()[2].ended_ms, t.deadline_ms);
}

#[test]
fn a_request_timer_fails_the_widget_and_cancels_the_fetch() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0);
    let (_, _, request) = http_command(&s.chat(&f, 1, "6", T0));
    let t = s.timer().expect("the request's limit");
    assert_eq!(t.deadline_ms, T0 + 10_000);
    let commands = s.fire_timer(t.execution, t.deadline_ms, T0 + 10_000);
    assert_eq!(
        commands,
        [Command::Cancel {
            execution: 1,
            request: request.id
        }]
    );
    assert_eq!(
        flow_texts(&s).last().map(String::as_str),
        Some("Sorry, I could not pick a number (): ")
    );
    let e = s.selected().expect("selected");
    assert_eq!(e.steps()[3].outcome, "failed: no response within 10 s");
    // The answer that comes later is ignored (but its logs stay with the request).
    let late = s.http_done(
        1,
        request.id,
        json_response(200, r#"{"number":1}"#),
        Answer {
            logs: vec![LogLine::new("log", "late")],
            duration_ms: 10_500.0,
            note: None,
        },
        T0 + 10_500,
    );
    assert!(late.is_empty());
    let e = s.selected().expect("selected");
    assert_eq!(e.steps().len(), 5);
    assert_eq!(
        e.requests.get(&request.id.0).expect("noted").logs,
        vec![LogLine::new("log", "late")]
    );
}

#[test]
fn stop_cancels_the_request_and_a_late_answer_changes_nothing() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0);
    let (_, _, request) = http_command(&s.chat(&f, 1, "6", T0));
    let commands = s.stop(T0 + 100);
    assert_eq!(
        commands,
        [Command::Cancel {
            execution: 1,
            request: request.id
        }]
    );
    assert_eq!(last_event(&s), "Execution #1 was stopped.");
    let e = s.selected().expect("selected");
    assert_eq!(e.end_reason(), Some(&EndReason::Stopped));
    assert_eq!(e.status_text(), "stopped");
    let steps = e.steps().len();
    let chat = e.chat.len();
    let late = s.http_done(
        1,
        request.id,
        json_response(200, r#"{"number":1}"#),
        Answer::default(),
        T0 + 200,
    );
    assert!(late.is_empty());
    let e = s.selected().expect("selected");
    assert_eq!((e.steps().len(), e.chat.len()), (steps, chat));
    assert!(s.timer().is_none());
    // Stopping again, or answering an unknown execution, does nothing.
    assert!(s.stop(T0 + 300).is_empty());
    assert!(s
        .http_done(
            99,
            RequestId(1),
            json_response(200, "{}"),
            Answer::default(),
            T0
        )
        .is_empty());
}

#[test]
fn a_message_while_the_flow_is_busy_is_not_passed_to_it() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0);
    http_command(&s.chat(&f, 1, "6", T0));
    assert!(s.chat(&f, 1, "hello?", T0).is_empty());
    let e = s.selected().expect("selected");
    match e.chat.last() {
        Some(Bubble::Contact {
            text,
            note: Some(note),
            ..
        }) => {
            assert_eq!(text, "hello?");
            assert!(
                note.contains("get_num is waiting for its HTTP response"),
                "{note}"
            );
        }
        other => panic!("expected a contact bubble with a note, got {other:?}"),
    }
    assert_eq!(s.executions().len(), 1);
}

#[test]
fn a_new_execution_stops_the_active_one_and_restart_repeats_the_trigger() {
    let f = flow("random-number.json");
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0);
    let (_, _, request) = http_command(&s.chat(&f, 1, "6", T0));
    let commands = s.restart(&f, 2, T0 + 50);
    assert_eq!(
        commands,
        [Command::Cancel {
            execution: 1,
            request: request.id
        }]
    );
    assert_eq!(s.executions().len(), 2);
    let first = s.execution(1).expect("kept");
    assert_eq!(first.end_reason(), Some(&EndReason::Stopped));
    let second = s.selected().expect("selected");
    assert_eq!(
        (second.id, second.origin.clone(), second.flow_rev),
        (2, Origin::Restart, 2)
    );
    assert_eq!(second.title(), "Incoming message \"hi\"");
    assert!(second.is_active());
    assert_eq!(s.active().map(|e| e.id), Some(2));
    // The first execution's log can still be shown; its steps stay selectable.
    s.select(1);
    s.select_step(Some(2));
    assert_eq!(s.selected().and_then(|e| e.selected_step), Some(2));
    s.select_step(Some(99));
    assert_eq!(s.selected().and_then(|e| e.selected_step), None);
    s.select(42);
    assert_eq!(s.selected().map(|e| e.id), Some(1));
}

#[test]
fn the_last_executions_are_kept() {
    let f = flow("random-number.json");
    let mut s = sim();
    for i in 0..(KEEP + 3) {
        s.chat(&f, 1, &format!("hi {i}"), T0 + i as u64);
        s.stop(T0 + i as u64);
    }
    let ids: Vec<u32> = s.executions().iter().map(|e| e.id).collect();
    assert_eq!(ids, (4..=13).collect::<Vec<u32>>());
    assert_eq!(s.selected().map(|e| e.id), Some(13));
    s.chat(&f, 1, "again", T0 + 100);
    s.clear();
    assert_eq!(s.executions().len(), 1, "clear keeps the active execution");
    assert_eq!(s.selected().map(|e| e.id), Some(14));
}

#[test]
fn ended_executions_say_why() {
    let mut f = flow("random-number.json");
    // A transition to a widget that does not exist.
    let i = f.index_of("min_value").expect("widget");
    f.states[i].transitions[0].next = Some("nowhere".into());
    let mut s = sim();
    s.chat(&f, 1, "hi", T0);
    s.chat(&f, 1, "1", T0);
    let e = s.selected().expect("selected");
    assert_eq!(e.status_text(), "error");
    assert!(matches!(
        e.chat.last(),
        Some(Bubble::Event { tone: Tone::Problem, text }) if text.contains("no widget has that name")
    ));
    assert_eq!(
        flowpen_playground::simulator::end_kind(&EndReason::RunLimit {
            widget: "x".into(),
            limit: 10
        }),
        "limit reached"
    );
    assert_eq!(
        flowpen_playground::simulator::end_kind(&EndReason::Unsupported {
            widget: "x".into(),
            widget_type: "say-play".into()
        }),
        "unsupported widget"
    );
}

#[test]
fn rest_parameters_must_be_a_json_object() {
    assert_eq!(parse_parameters(""), Ok(json!({})));
    assert_eq!(parse_parameters(r#"{"a": 1}"#), Ok(json!({"a": 1})));
    assert!(parse_parameters("[1]").is_err_and(|e| e.to_string().contains("not a list")));
    assert!(parse_parameters("{oops").is_err_and(|e| e.to_string().contains("line 1, column 2")));
}

// --- the pure half of the HTTP shell -----------------------------------------------------------

fn request(method: &str, url: &str, content_type: &str) -> HttpRequest {
    HttpRequest {
        id: RequestId(1),
        widget: "w".into(),
        method: method.into(),
        url: url.into(),
        headers: vec![("Content-Type".into(), content_type.into())],
        body: Some("a=1".into()),
        timeout_ms: 10_000,
        max_response_bytes: 64 * 1024,
    }
}

#[test]
fn requests_go_to_the_functions_host_or_the_network() {
    assert_eq!(http::via("https://flowpen.local/random"), Via::Function);
    assert_eq!(http::via("https://example.twil.io/random"), Via::Network);
    assert_eq!(http::via("http://127.0.0.1:8080/x"), Via::Network);
    assert_eq!(
        http::read_limit(&request("POST", "https://x", "text/plain")),
        65_537
    );
    assert_eq!(http::check_url("https://x.y/z"), Ok(()));
    assert_eq!(http::check_url("x.y/z"), Err(Failure::BadUrl));
    assert_eq!(http::check_url("ftp://x.y/z"), Err(Failure::BadUrl));
    assert_eq!(http::check_url("data:text/plain,hi"), Ok(()));
    assert_eq!(http::check_url("blob:http://127.0.0.1/0f3c"), Ok(()));
    assert_eq!(http::check_url(""), Err(Failure::BadUrl));
}

#[test]
fn a_browser_response_maps_to_the_engines_input_exactly() {
    let raw = RawResponse {
        status: 201,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("x-twilio-function-concurrency".into(), "1".into()),
        ],
        body: br#"{"ok":true}"#.to_vec(),
    };
    assert_eq!(
        http::map_response(raw),
        HttpResponse {
            status: 201,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-twilio-function-concurrency".into(), "1".into()),
            ],
            body: r#"{"ok":true}"#.into(),
        }
    );
    // Invalid UTF-8 is replaced, as a browser's text() does; a cut body stays longer than the cap.
    let cut = http::map_response(RawResponse {
        status: 200,
        headers: vec![],
        body: vec![b'a', 0xE2, 0x82],
    });
    assert_eq!(cut.body, "a\u{FFFD}");
    let big = http::map_response(RawResponse {
        status: 200,
        headers: vec![],
        body: vec![b'x'; 65_537],
    });
    assert_eq!(big.body.len(), 65_537);
}

#[test]
fn browser_failures_are_explained() {
    let page = "http://127.0.0.1:8080";
    let form = request(
        "POST",
        "http://127.0.0.1:9/random",
        "application/x-www-form-urlencoded",
    );

    let timeout = http::explain(&Failure::Timeout, &form, page);
    assert_eq!(timeout.kind, TransportErrorKind::Timeout);
    assert!(
        timeout.message.starts_with("no response within 10 s"),
        "{}",
        timeout.message
    );

    let cors = http::explain(&Failure::Cors, &form, page);
    assert_eq!(cors.kind, TransportErrorKind::Network);
    for needle in [
        "CORS",
        "127.0.0.1 answered",
        "Access-Control-Allow-Origin",
        "Twilio.Response",
        "response.appendHeader('Access-Control-Allow-Origin', '*')",
        page,
    ] {
        assert!(cors.message.contains(needle), "{needle}: {}", cors.message);
    }
    assert!(
        !cors.message.contains("preflight"),
        "a form POST is a simple request"
    );
    assert!(!cors.message.contains("Protected"));

    let json_post = request(
        "POST",
        "https://example.com/api",
        "application/json;charset=utf-8",
    );
    assert!(http::explain(&Failure::Cors, &json_post, page)
        .message
        .contains("preflight (the browser asks with OPTIONS first, because its Content-Type is application/json)"));

    let twilio = request(
        "POST",
        "https://demo-1234-dev.twil.io/random",
        "application/x-www-form-urlencoded",
    );
    let cors = http::explain(&Failure::Cors, &twilio, page);
    assert!(
        cors.message.contains("If the Function is Protected"),
        "{}",
        cors.message
    );
    assert!(cors.message.contains("X-Twilio-Signature"));

    let network = http::explain(&Failure::Network, &form, page);
    assert!(
        network
            .message
            .starts_with("network error: 127.0.0.1 could not be reached"),
        "{}",
        network.message
    );
    assert!(
        http::explain(&Failure::BadUrl, &request("GET", "foo", ""), page)
            .message
            .contains("must start with https://")
    );
    assert!(
        http::explain(&Failure::MixedContent, &form, "https://flowpen.example")
            .message
            .contains("mixed content")
    );
    assert!(http::explain(&Failure::Other("weird".into()), &form, page)
        .message
        .ends_with("weird"));
}

#[test]
fn protected_functions_mixed_content_and_preflights_are_recognised() {
    let twilio = request(
        "POST",
        "https://demo-1234-dev.twil.io/random",
        "application/x-www-form-urlencoded",
    );
    let note = http::response_note(&twilio, 401).expect("a note");
    assert!(
        note.contains("Protected Function") && note.contains("X-Twilio-Signature"),
        "{note}"
    );
    assert!(http::response_note(&twilio, 403).is_some());
    assert!(http::response_note(&twilio, 404).is_none());
    let other = request(
        "POST",
        "https://example.com/random",
        "application/x-www-form-urlencoded",
    );
    assert!(http::response_note(&other, 401).is_none());
    assert!(http::is_twilio_function("https://TWIL.io/x"));
    assert!(!http::is_twilio_function("https://twil.io.example.com/x"));

    assert!(http::is_mixed_content(
        "https://a.example",
        "http://b.example/x"
    ));
    assert!(!http::is_mixed_content(
        "https://a.example",
        "http://localhost:3000/x"
    ));
    assert!(!http::is_mixed_content(
        "http://a.example",
        "http://b.example/x"
    ));
    assert!(!http::is_mixed_content(
        "https://a.example",
        "https://b.example/x"
    ));

    assert_eq!(http::preflight_reason(&other), None);
    assert_eq!(
        http::preflight_reason(&request("PUT", "https://x", "text/plain")),
        Some("its method is PUT".into())
    );
    let mut custom = other.clone();
    custom.headers.push(("X-Key".into(), "k".into()));
    assert_eq!(
        http::preflight_reason(&custom),
        Some("it sends the header X-Key".into())
    );

    let function = request(
        "POST",
        "https://flowpen.local/nope",
        "application/x-www-form-urlencoded",
    );
    let missing = HttpResponse {
        status: 404,
        headers: vec![],
        body: "Could not find requested resource".into(),
    };
    assert!(http::function_note(&function, &missing)
        .is_some_and(|n| n.contains("no Function at /nope")));
    let slow = HttpResponse {
        status: 504,
        ..missing.clone()
    };
    assert!(http::function_note(&function, &slow).is_some_and(|n| n.contains("within 10 s")));
    let fine = HttpResponse {
        status: 200,
        ..missing
    };
    assert!(http::function_note(&function, &fine).is_none());
}
