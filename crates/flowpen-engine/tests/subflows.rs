//! Run Subflow and the triggers that start flows differently: a subflow runs inside the
//! execution with its parent's trigger data and parameters, its steps are the execution's, and its
//! variables come back; Conversations messages and parents start executions too.

mod common;

use std::rc::Rc;

use common::{call, effects, flow, last, message, T0};
use flowpen_engine::{
    Config, Effect, EndReason, Engine, InboundMessage, Status, SubflowStart, Subflows, Trigger,
};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use serde_json::{json, Value};

/// A parent: Run Subflow `ask` (flow_sid FW1, parameter who) → a Send Message with the result.
fn parent() -> Flow {
    flow(
        "incomingMessage",
        &[
            (
                "ask",
                "run-subflow",
                json!({"completed": "tell", "failed": "oops"}),
                json!({"flow_sid": "FW1", "flow_revision": "LatestPublished", "parameters": [{"key": "who", "value": "{{trigger.message.Body}}"}]}),
            ),
            (
                "tell",
                "send-message",
                json!({"sent": null, "failed": null}),
                json!({"to": "{{contact.channel.address}}", "from": "{{flow.channel.address}}", "body": "got {{widgets.ask.answer}} from {{widgets.ask.who}}"}),
            ),
            (
                "oops",
                "send-message",
                json!({"sent": null, "failed": null}),
                json!({"to": "{{contact.channel.address}}", "from": "{{flow.channel.address}}", "body": "failed"}),
            ),
        ],
    )
}

/// A subflow: asks its parameter a question, keeps the answer in flow.variables.
fn child() -> Flow {
    flow(
        "incomingParent",
        &[
            (
                "q",
                "send-and-wait-for-reply",
                json!({"incomingMessage": "keep", "timeout": null, "deliveryFailure": null}),
                json!({"from": "{{flow.channel.address}}", "body": "{{trigger.parent.parameters.who}}, your answer? ({{trigger.message.Body}})", "timeout": 60}),
            ),
            (
                "keep",
                "set-variables",
                json!({"next": null}),
                json!({"variables": [{"key": "answer", "value": "{{widgets.q.inbound.Body}}"}, {"key": "who", "value": "{{trigger.parent.parameters.who}}"}]}),
            ),
        ],
    )
}

fn run(parent: Flow, subflows: Subflows, trigger: Trigger) -> Engine {
    Engine::start_with_subflows(
        parent,
        trigger,
        Config::default(),
        Rc::new(Liquid::studio()),
        subflows,
        T0,
    )
}

fn reply(body: &str) -> InboundMessage {
    InboundMessage {
        from: "+15551230000".into(),
        to: "+15559870000".into(),
        body: body.into(),
        media_urls: vec![],
    }
}

/// The messages sent so far, each acknowledged as sent.
fn bodies(e: &mut Engine) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        out.extend(effects(e).into_iter().filter_map(|fx| match fx {
            Effect::Send(m) => Some(m.body),
            _ => None,
        }));
        match e.status() {
            Status::WaitingForSend { message, .. } => e.handle_sent(message, T0).unwrap(),
            _ => return out,
        }
    }
}

#[test]
fn a_subflow_runs_inside_the_execution_and_its_variables_come_back() {
    let subflows = Subflows::new().with("FW1", Rc::new(child()));
    let mut e = run(parent(), subflows, message("Ada"));
    assert_eq!(bodies(&mut e), vec!["Ada, your answer? (Ada)"]);
    assert_eq!(e.current_widget(), Some("q"));
    assert_eq!(e.current_subflow().map(|r| r.widget.as_str()), Some("ask"));
    assert_eq!(e.flow().states[1].name, "ask", "flow() is the parent");
    assert_eq!(e.current_flow().states[1].name, "q");
    // While the subflow runs, Flow Data is the subflow's: its own flow, the parent's trigger.
    let data = e.flow_data().clone();
    assert_eq!(data["flow"]["flow_sid"], json!("FW1"));
    assert_eq!(
        data["trigger"]["parent"]["parameters"],
        json!({"who": "Ada"})
    );
    assert_eq!(data["trigger"]["message"]["Body"], json!("Ada"));
    assert_eq!(data["flow"]["variables"], json!({}));
    e.handle_message(reply("42"), T0 + 5000).unwrap();
    assert_eq!(bodies(&mut e), vec!["got 42 from Ada"]);
    let steps = e.steps();
    let names: Vec<(&str, Option<usize>)> = steps
        .iter()
        .map(|s| (s.widget.as_str(), s.subflow.as_ref().map(|r| r.run)))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Trigger", None),
            ("Trigger", Some(0)),
            ("q", Some(0)),
            ("keep", Some(0)),
            ("ask", None),
            ("tell", None),
        ]
    );
    assert_eq!(steps[1].event.as_deref(), Some("incomingParent"));
    assert_eq!(steps[4].event.as_deref(), Some("completed"));
    assert_eq!((steps[4].started_ms, steps[4].ended_ms), (T0, T0 + 5000));
    assert_eq!(
        e.flow_data()["widgets"]["ask"],
        json!({"answer": 42, "who": "Ada"})
    );
    // Replays: a subflow step gives the subflow's Flow Data, a parent step the parent's.
    assert_eq!(e.context_after(3)["flow"]["variables"]["answer"], json!(42));
    assert_eq!(e.context_after(3)["flow"]["flow_sid"], json!("FW1"));
    assert!(e.context_after(3)["widgets"].get("ask").is_none());
    assert_eq!(e.context_after(5), *e.flow_data());
    assert_eq!(e.context_after(0)["widgets"], json!({}));
    assert!(e.end_reason().is_some_and(|r| r.is_normal()));
    let json = e.steps()[2].to_json();
    assert_eq!(
        json["subflow"],
        json!({"widget": "ask", "flow_sid": "FW1", "run": 0})
    );
}

#[test]
fn a_subflow_is_found_by_the_widgets_name_too() {
    let subflows = Subflows::new().with("ask", Rc::new(child()));
    let mut e = run(parent(), subflows, message("Bo"));
    assert_eq!(bodies(&mut e), vec!["Bo, your answer? (Bo)"]);
}

#[test]
fn missing_and_nested_subflows_fail() {
    let mut e = run(parent(), Subflows::new(), message("Ada"));
    assert_eq!(bodies(&mut e), vec!["failed"]);
    assert!(e.steps()[1]
        .outcome
        .contains("Studio error 81024: the Subflow definition does not exist"));
    // A subflow that runs a Run Subflow itself: that one fails, and the subflow goes on.
    let nested = flow(
        "incomingParent",
        &[(
            "again",
            "run-subflow",
            json!({"completed": null, "failed": null}),
            json!({"flow_sid": "FW1", "flow_revision": "LatestPublished"}),
        )],
    );
    let subflows = Subflows::new().with("FW1", Rc::new(nested));
    let mut e = run(parent(), subflows, message("Ada"));
    let again = e.steps().iter().find(|s| s.widget == "again").unwrap();
    assert_eq!(again.event.as_deref(), Some("failed"));
    assert_eq!(
        again.outcome,
        "failed: a subflow cannot run another subflow (Studio error 81024)"
    );
    // The nested one ended normally ("failed" leads nowhere), so the parent's widget completed.
    assert_eq!(bodies(&mut e), vec!["got  from "]);
    assert_eq!(last(&e).0.as_deref(), Some("sent"));
}

#[test]
fn an_abnormal_end_inside_a_subflow_is_failed_but_limits_and_hang_ups_end_everything() {
    let broken = flow(
        "incomingParent",
        &[(
            "nowhere",
            "set-variables",
            json!({"next": "missing"}),
            json!({"variables": []}),
        )],
    );
    let mut e = run(
        parent(),
        Subflows::new().with("FW1", Rc::new(broken)),
        message("Ada"),
    );
    assert_eq!(bodies(&mut e), vec!["failed"]);
    let ask = e.steps().iter().find(|s| s.widget == "ask").unwrap();
    assert!(ask
        .outcome
        .starts_with("the subflow failed: error: \"nowhere\" leads to \"missing\""));
    // A loop in the subflow: its own run limit makes it fail…
    let looping = flow(
        "incomingParent",
        &[(
            "spin",
            "set-variables",
            json!({"next": "spin"}),
            json!({"variables": []}),
        )],
    );
    let subflows = Subflows::new().with("FW1", Rc::new(looping));
    let mut e = run(parent(), subflows.clone(), message("Ada"));
    assert_eq!(bodies(&mut e), vec!["failed"]);
    // …while the execution's step limit, which counts the subflow's steps, ends everything.
    let config = Config {
        max_steps: 5,
        ..Config::default()
    };
    let e = Engine::start_with_subflows(
        parent(),
        message("Ada"),
        config,
        Rc::new(Liquid::studio()),
        subflows,
        T0,
    );
    assert_eq!(e.end_reason(), Some(&EndReason::StepLimit { limit: 5 }));
    assert_eq!(e.steps().len(), 5);
    assert_eq!(
        e.context_after(4),
        *e.flow_data(),
        "ended inside the subflow"
    );
    // A call ends inside a subflow: the execution ends.
    let voice = flow(
        "incomingParent",
        &[(
            "hello",
            "say-play",
            json!({"audioComplete": null}),
            json!({"say": "hi"}),
        )],
    );
    let mut parent_on_call = parent();
    parent_on_call.states[0].transitions[0].event = "incomingCall".into();
    let mut e = run(
        parent_on_call,
        Subflows::new().with("FW1", Rc::new(voice)),
        call(),
    );
    assert!(matches!(e.status(), Status::Playing { .. }));
    e.handle_hangup(T0 + 100).unwrap();
    assert_eq!(
        e.end_reason(),
        Some(&EndReason::CallEnded {
            widget: "hello".into()
        })
    );
}

#[test]
fn a_subflow_starts_on_its_own_with_parent_parameters_and_trigger_data() {
    let start = SubflowStart {
        contact: "+1c".into(),
        flow_address: "+1f".into(),
        parameters: json!({"who": "Cy"}),
        parent_trigger: json!({"call": {"CallSid": "CA9", "From": "+1c", "To": "+1f"}}),
    };
    let trigger = Trigger::Subflow(start);
    assert_eq!(trigger.event(), "incomingParent");
    assert_eq!(trigger.addresses(), ("+1c".to_owned(), "+1f".to_owned()));
    let mut e = run(child(), Subflows::new(), trigger);
    assert_eq!(bodies(&mut e), vec!["Cy, your answer? ()"]);
    assert_eq!(e.flow_data()["trigger"]["call"]["CallSid"], json!("CA9"));
    let call = e.call().expect("on the parent's call");
    assert_eq!((call.sid.as_str(), call.live), ("CA9", true));
    assert_eq!(
        e.steps()[0].outcome,
        "started as a subflow with parameters {\"who\":\"Cy\"}"
    );
    // Parameters that are not an object count as none.
    let trigger = Trigger::Subflow(SubflowStart {
        parameters: json!([1]),
        ..SubflowStart::default()
    });
    let e = run(child(), Subflows::new(), trigger);
    assert_eq!(
        e.flow_data()["trigger"]["parent"],
        json!({"parameters": {}})
    );
}

#[test]
fn a_conversations_message_starts_an_execution() {
    let f = flow(
        "incomingConversationMessage",
        &[(
            "echo",
            "send-message",
            json!({"sent": null, "failed": null}),
            json!({"to": "{{contact.channel.address}}", "from": "{{flow.channel.address}}", "body": "you said {{trigger.conversation.Body}} in {{trigger.conversation.ConversationSid}}"}),
        )],
    );
    let trigger = Trigger::Conversation(InboundMessage {
        from: "user-7".into(),
        to: "+1f".into(),
        body: "hey".into(),
        media_urls: vec![],
    });
    assert_eq!(trigger.event(), "incomingConversationMessage");
    let mut e = run(f, Subflows::new(), trigger);
    let conversation = e.flow_data()["trigger"]["conversation"].clone();
    let keys: Vec<&str> = conversation
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        vec![
            "AccountSid",
            "Body",
            "ChannelSid",
            "ConversationSid",
            "DateCreated",
            "From",
            "MessageSid",
            "MessagingServiceSid"
        ]
    );
    assert_eq!(conversation["DateCreated"], json!("2026-01-01T00:00:00Z"));
    assert_eq!(
        bodies(&mut e),
        vec![format!("you said hey in CH{:032x}", 1)]
    );
    assert_eq!(
        e.flow_data()["contact"]["channel"]["address"],
        json!("user-7")
    );
    assert_eq!(
        e.flow_data()["flow"]["data"],
        Value::Object(Default::default())
    );
}
