//! The widgets whose outcome belongs to the outside world: each lists the events it can end with
//! and the variables each sets; the shell answers with one (changing variables if it likes).

mod common;

use common::{call, effects, ended, flow, last, message, start, var, T0};
use flowpen_engine::{
    Effect, EndReason, ExternalKind, ExternalOutcome, ExternalRequest, InputError, Status, WaitId,
};
use serde_json::{json, Value};

/// A flow with one widget of `kind` whose events all lead nowhere.
fn one(event: &str, kind: &str, events: &[&str], props: Value) -> flowpen_flow::Flow {
    let transitions: serde_json::Map<String, Value> = events
        .iter()
        .map(|e| ((*e).to_owned(), Value::Null))
        .collect();
    flow(event, &[("w", kind, Value::Object(transitions), props)])
}

fn request(e: &mut flowpen_engine::Engine) -> ExternalRequest {
    effects(e)
        .into_iter()
        .find_map(|fx| match fx {
            Effect::External(x) => Some(x),
            _ => None,
        })
        .expect("an External effect")
}

fn events(x: &ExternalRequest) -> Vec<&str> {
    x.events.iter().map(|e| e.event.as_str()).collect()
}

fn default(x: &ExternalRequest, event: &str, key: &str) -> Value {
    x.event(event)
        .expect("the event")
        .variables
        .iter()
        .find(|(k, _)| k == key)
        .map_or(Value::Null, |(_, v)| v.clone())
}

#[test]
fn connect_call_to_waits_for_the_dialled_party() {
    let f = one(
        "incomingCall",
        "connect-call-to",
        &["callCompleted", "hangup"],
        json!({"noun": "number", "to": "+1777", "caller_id": "{{contact.channel.address}}", "record": true, "timeout": 20}),
    );
    let mut e = start(f, call());
    let x = request(&mut e);
    assert_eq!(x.kind, ExternalKind::ConnectCall);
    assert_eq!(x.target, "+1777");
    assert_eq!(
        x.summary,
        "connect the call to +1777 (single number), caller ID +15551230000, 20 s to answer, recorded"
    );
    assert_eq!(events(&x), vec!["callCompleted", "hangup"]);
    assert_eq!(
        x.event("callCompleted").unwrap().label,
        "Connected Call Ended"
    );
    assert_eq!(
        default(&x, "callCompleted", "DialCallStatus"),
        json!("completed")
    );
    assert!(default(&x, "callCompleted", "RecordingUrl").is_string());
    assert_eq!(default(&x, "hangup", "CallStatus"), json!("completed"));
    assert_eq!(
        x.deadline_ms, None,
        "the dialled party's answer belongs to the world"
    );
    assert_eq!(
        e.status(),
        Status::WaitingForExternal {
            widget: "w".into(),
            id: x.id,
            deadline_ms: None
        }
    );
    assert_eq!(e.pending_external(), Some(&x));
    // Wrong id, wrong event.
    assert_eq!(
        e.handle_external(WaitId(77), ExternalOutcome::event("hangup"), T0),
        Err(InputError::UnknownId)
    );
    assert!(matches!(
        e.handle_external(x.id, ExternalOutcome::event("busy"), T0),
        Err(InputError::Invalid(m)) if m.contains("can end with callCompleted, hangup")
    ));
    let outcome = ExternalOutcome::event("callCompleted")
        .with("DialCallStatus", "busy")
        .with("Extra", 5);
    e.handle_external(x.id, outcome, T0 + 9000).unwrap();
    assert_eq!(var(&e, "w", "DialCallStatus"), json!("busy"));
    assert_eq!(var(&e, "w", "Extra"), json!(5));
    assert_eq!(var(&e, "w", "DialCallDuration"), json!("60"));
    assert_eq!(
        last(&e),
        (
            Some("callCompleted".into()),
            "callCompleted (Connected Call Ended): DialCallStatus busy".into()
        )
    );
    assert!(e.call().unwrap().live, "the caller is still on the line");
}

#[test]
fn hanging_up_during_connect_call_to_follows_hangup() {
    let f = one(
        "incomingCall",
        "connect-call-to",
        &["callCompleted", "hangup"],
        json!({"noun": "client", "to": "agent", "caller_id": "+1"}),
    );
    let mut e = start(f, call());
    e.handle_hangup(T0 + 1000).unwrap();
    assert_eq!(last(&e).0.as_deref(), Some("hangup"));
    assert_eq!(var(&e, "w", "CallStatus"), json!("completed"));
    assert!(!e.call().unwrap().live);
}

#[test]
fn make_outgoing_call_puts_the_execution_on_the_new_call() {
    let f = flow(
        "incomingRequest",
        &[
            (
                "dial",
                "make-outgoing-call-v2",
                json!({"answered": "hello", "busy": null, "noAnswer": null, "failed": null}),
                json!({"to": "{{contact.channel.address}}", "from": "{{flow.channel.address}}", "timeout": 15, "detect_answering_machine": true}),
            ),
            (
                "hello",
                "say-play",
                json!({"audioComplete": null}),
                json!({"say": "Hello {{widgets.dial.AnsweredBy}}"}),
            ),
        ],
    );
    let rest = flowpen_engine::Trigger::Rest {
        from: "+1flow".into(),
        to: "+1contact".into(),
        parameters: json!({}),
    };
    let mut e = start(f.clone(), rest.clone());
    assert!(e.call().is_none());
    let x = request(&mut e);
    assert_eq!(x.kind, ExternalKind::OutgoingCall);
    assert_eq!(events(&x), vec!["answered", "busy", "noAnswer", "failed"]);
    assert_eq!(x.deadline_ms, Some(T0 + 15_000));
    assert_eq!(x.timeout_event.as_deref(), Some("noAnswer"));
    assert_eq!(default(&x, "answered", "AnsweredBy"), json!("human"));
    assert_eq!(default(&x, "busy", "AnsweredBy"), Value::Null);
    e.handle_external(x.id, ExternalOutcome::event("answered"), T0 + 4000)
        .unwrap();
    let leg = e.call().expect("on the new call");
    assert!(leg.live);
    assert_eq!(leg.direction, "outbound-api");
    assert_eq!(
        (leg.from.as_str(), leg.to.as_str()),
        ("+1flow", "+1contact")
    );
    let fx = effects(&mut e);
    assert!(
        matches!(&fx[..], [Effect::SayPlay { audio, .. }] if audio.to_string() == "say: Hello human"),
        "{fx:?}"
    );
    // Nobody answers: the ring timeout is the engine's.
    let mut e = start(f, rest);
    e.handle_timeout(T0 + 15_000);
    assert_eq!(
        last(&e),
        (
            Some("noAnswer".into()),
            "noAnswer (No Answer): CallStatus no-answer (the widget's timeout)".into()
        )
    );
    assert!(e.call().is_none());
}

#[test]
fn enqueue_call_reports_the_queue_result() {
    let f = one(
        "incomingCall",
        "enqueue-call",
        &["callComplete", "failedToEnqueue", "callFailure"],
        json!({"queue_name": "support {{trigger.call.From}}"}),
    );
    let mut e = start(f.clone(), call());
    let x = request(&mut e);
    assert_eq!(x.target, "support +15551230000");
    assert_eq!(default(&x, "callComplete", "QueueResult"), json!("bridged"));
    assert_eq!(
        default(&x, "failedToEnqueue", "QueueResult"),
        json!("queue-full")
    );
    assert_eq!(
        default(&x, "callFailure", "QueueResult"),
        json!("system-error")
    );
    assert!(default(&x, "callComplete", "QueueSid").is_string());
    e.handle_external(x.id, ExternalOutcome::event("callFailure"), T0)
        .unwrap();
    assert_eq!(var(&e, "w", "QueueResult"), json!("system-error"));
    // The caller hangs up in the queue: Twilio requests the enqueue action (Call Complete).
    let mut e = start(f, call());
    e.handle_hangup(T0 + 30_000).unwrap();
    assert_eq!(last(&e).0.as_deref(), Some("callComplete"));
    assert_eq!(var(&e, "w", "QueueResult"), json!("hangup"));
    assert_eq!(var(&e, "w", "CallStatus"), json!("completed"));
}

#[test]
fn send_to_flex_hands_over_calls_and_messages() {
    let props = json!({"workflow": "WW1", "channel": "TC1", "attributes": "{\"name\": \"{{contact.channel.address}}\"}"});
    let evs = ["callComplete", "failedToEnqueue", "callFailure"];
    let mut e = start(
        one("incomingMessage", "send-to-flex", &evs, props.clone()),
        message("hi"),
    );
    let x = request(&mut e);
    assert_eq!(x.kind, ExternalKind::Flex);
    assert_eq!(
        events(&x),
        vec!["callComplete", "failedToEnqueue"],
        "Call Failed only on calls"
    );
    assert_eq!(x.event("callComplete").unwrap().label, "Task Created");
    assert_eq!(
        default(&x, "callComplete", "Attributes"),
        json!("{\"name\": \"+15551230000\"}")
    );
    e.handle_external(x.id, ExternalOutcome::event("callComplete"), T0)
        .unwrap();
    assert!(var(&e, "w", "TaskSid").as_str().unwrap().starts_with("WT"));
    assert_eq!(var(&e, "w", "Age"), json!("0"));
    let mut e = start(one("incomingCall", "send-to-flex", &evs, props), call());
    let x = request(&mut e);
    assert_eq!(events(&x), evs.to_vec());
    assert_eq!(default(&x, "callComplete", "QueueResult"), json!("bridged"));
    e.handle_hangup(T0).unwrap();
    assert_eq!(var(&e, "w", "QueueResult"), json!("hangup"));
}

#[test]
fn capture_payments_reports_pay_results() {
    let f = one(
        "incomingCall",
        "capture-payments",
        &[
            "success",
            "maxFailedAttempts",
            "providerError",
            "payInterrupted",
            "hangup",
            "validationError",
        ],
        json!({"payment_connector": "Stripe", "payment_amount": "{{flow.data.x | default: 12.5}}", "currency": "eur", "security_code": false, "postal_code": "false"}),
    );
    let mut e = start(f, call());
    let x = request(&mut e);
    assert_eq!(x.summary, "take a payment of 12.5 eur through Stripe");
    assert_eq!(default(&x, "success", "Result"), json!("success"));
    assert!(default(&x, "success", "PaymentConfirmationCode").is_string());
    assert_eq!(default(&x, "success", "SecurityCode"), Value::Null);
    assert_eq!(default(&x, "success", "PaymentCardPostalCode"), Value::Null);
    for (event, result) in [
        ("maxFailedAttempts", "too-many-failed-attempts"),
        ("providerError", "payment-connector-error"),
        ("payInterrupted", "caller-interrupted-with-star"),
        ("hangup", "caller-hung-up"),
        ("validationError", "validation-error"),
    ] {
        assert_eq!(default(&x, event, "Result"), json!(result), "{event}");
    }
    e.handle_hangup(T0).unwrap();
    assert_eq!(var(&e, "w", "Result"), json!("caller-hung-up"));
    // Payments need a call.
    let f = one(
        "incomingMessage",
        "capture-payments",
        &["success"],
        json!({}),
    );
    let mut e = start(f, message("pay"));
    assert!(matches!(e.end_reason(), Some(EndReason::NoCall { .. })));
    assert!(effects(&mut e)
        .iter()
        .all(|fx| !matches!(fx, Effect::External(_))));
}

#[test]
fn twiml_redirect_fails_at_once_on_a_bad_url_and_returns_with_the_twimls_parameters() {
    let evs = ["return", "timeout", "fail"];
    let mut e = start(
        one(
            "incomingCall",
            "add-twiml-redirect",
            &evs,
            json!({"url": "not a url"}),
        ),
        call(),
    );
    assert_eq!(last(&e).0.as_deref(), Some("fail"));
    assert!(effects(&mut e)
        .iter()
        .all(|fx| !matches!(fx, Effect::External(_))));
    let f = one(
        "incomingMessage",
        "add-twiml-redirect",
        &evs,
        json!({"url": "https://x.test/twiml?d={{trigger.message.Body}}", "timeout": "60"}),
    );
    let mut e = start(f.clone(), message("hi"));
    let x = request(&mut e);
    assert_eq!(x.target, "https://x.test/twiml?d=hi");
    assert_eq!(events(&x), vec!["return", "timeout"]);
    assert_eq!(x.deadline_ms, Some(T0 + 60_000));
    e.handle_external(
        x.id,
        ExternalOutcome::event("return").with("foo", "bar"),
        T0,
    )
    .unwrap();
    assert_eq!(var(&e, "w", "foo"), json!("bar"));
    let mut e = start(f, message("hi"));
    e.handle_timeout(T0 + 60_000);
    assert_eq!(last(&e).0.as_deref(), Some("timeout"));
}

#[test]
fn autopilot_record_call_and_virtual_agent_list_their_events() {
    let mut e = start(
        one(
            "incomingMessage",
            "send-to-auto-pilot",
            &["sessionEnded", "failure", "timeout"],
            json!({"autopilot_assistant_sid": "UA1", "body": "{{trigger.message.Body}}", "from": "x", "timeout": 30, "target_task": "send_to_agent"}),
        ),
        message("help"),
    );
    let x = request(&mut e);
    assert_eq!(x.summary, "hand \"help\" to the Autopilot assistant UA1");
    assert_eq!(
        default(&x, "sessionEnded", "CurrentTask"),
        json!("send_to_agent")
    );
    assert_eq!(x.deadline_ms, Some(T0 + 30_000));
    e.handle_timeout(T0 + 30_000);
    assert_eq!(last(&e).0.as_deref(), Some("timeout"));

    let mut e = start(
        one(
            "incomingCall",
            "record-call",
            &["success", "failed"],
            json!({"record_call": true}),
        ),
        call(),
    );
    let x = request(&mut e);
    assert_eq!(x.summary, "start recording the call (dual)");
    assert_eq!(default(&x, "success", "Status"), json!("in-progress"));
    assert_eq!(default(&x, "success", "Channels"), json!("2"));
    assert_eq!(default(&x, "failed", "Status"), Value::Null);

    let va = [
        "completed",
        "live-agent-handoff",
        "paused",
        "hangup",
        "timeout",
        "failed",
    ];
    let mut e = start(
        one(
            "incomingCall",
            "connect-virtual-agent",
            &va,
            json!({"connector": "df"}),
        ),
        call(),
    );
    let x = request(&mut e);
    assert_eq!(
        events(&x),
        vec![
            "completed",
            "live-agent-handoff",
            "paused",
            "hangup",
            "failed"
        ]
    );
    assert_eq!(
        default(&x, "live-agent-handoff", "VirtualAgentStatus"),
        json!("live-agent-handoff")
    );
    e.handle_hangup(T0).unwrap();
    assert_eq!(last(&e).0.as_deref(), Some("hangup"));
    let mut e = start(
        one(
            "incomingConversationMessage",
            "connect-virtual-agent",
            &va,
            json!({"connector": "df"}),
        ),
        flowpen_engine::Trigger::Conversation(flowpen_engine::InboundMessage {
            from: "u".into(),
            to: "f".into(),
            body: "hi".into(),
            media_urls: vec![],
        }),
    );
    let x = request(&mut e);
    assert_eq!(
        events(&x),
        vec!["completed", "live-agent-handoff", "timeout", "failed"]
    );
    assert_eq!(e.handle_hangup(T0), Err(InputError::NoCall));
}

#[test]
fn fork_stream_goes_on_at_once_on_a_call() {
    let f = one(
        "incomingCall",
        "fork-stream",
        &["next"],
        json!({"stream_action": "start", "stream_name": "s", "stream_url": "wss://x.test/{{trigger.call.From}}"}),
    );
    let e = start(f, call());
    assert_eq!(
        last(&e),
        (
            Some("next".into()),
            "started streaming the call to wss://x.test/+15551230000 (simulated: no audio is sent)"
                .into()
        )
    );
    assert!(ended(&e).contains("has no next widget for \"next\""));
    let f = one("incomingMessage", "fork-stream", &["next"], json!({}));
    let e = start(f, message("hi"));
    assert!(matches!(e.end_reason(), Some(EndReason::NoCall { .. })));
}
