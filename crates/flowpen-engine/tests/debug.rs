//! The debugger's inputs: breakpoints pause before a widget runs (in the flow or a subflow),
//! Continue and Step go on, Flow Data can be edited while paused (and the edit is in the log), a
//! paused execution can be stopped and still meets the limits; and starting mid-flow at any
//! widget with edited Flow Data.

mod common;

use std::rc::Rc;

use common::{call, effects, flow, message, T0};
use flowpen_engine::{
    Breakpoint, Config, Effect, EndReason, Engine, InboundMessage, Input, InputError, PauseReason,
    Setup, SortedSet, StartError, Status, StepDetail, Subflows, Trigger, TriggerKind,
};
use flowpen_flow::Flow;
use serde_json::{json, Value};

/// Trigger → `set` (Set Variables n=1) → `ask` (Send & Wait) → `say` (Send Message with n and the
/// reply) → end.
fn chain() -> Flow {
    flow(
        "incomingMessage",
        &[
            (
                "set",
                "set-variables",
                json!({"next": "ask"}),
                json!({"variables": [{"key": "n", "value": "1"}]}),
            ),
            (
                "ask",
                "send-and-wait-for-reply",
                json!({"incomingMessage": "say", "timeout": null, "deliveryFailure": null}),
                json!({"from": "{{flow.channel.address}}", "body": "n is {{flow.variables.n}}", "timeout": 60}),
            ),
            (
                "say",
                "send-message",
                json!({"sent": null, "failed": null}),
                json!({"to": "{{contact.channel.address}}", "from": "{{flow.channel.address}}", "body": "n={{flow.variables.n}} reply={{widgets.ask.inbound.Body}}"}),
            ),
        ],
    )
}

fn with_breakpoints(flow: Flow, trigger: Trigger, at: &[&str]) -> Engine {
    let setup =
        Setup::new(flow, trigger).breakpoints(at.iter().map(|w| Breakpoint::at(w)).collect());
    Engine::begin(setup, T0).expect("starts")
}

fn reply(body: &str) -> Input {
    Input::Message(InboundMessage {
        from: "+15551230000".into(),
        to: "+15559870000".into(),
        body: body.into(),
        media_urls: vec![],
    })
}

fn bodies(fx: &[Effect]) -> Vec<String> {
    fx.iter()
        .filter_map(|f| match f {
            Effect::Send(m) => Some(m.body.clone()),
            _ => None,
        })
        .collect()
}

fn paused(e: &Engine) -> Option<(String, PauseReason)> {
    match e.status() {
        Status::Paused { widget, reason } => Some((widget, reason)),
        _ => None,
    }
}

#[test]
fn a_breakpoint_pauses_before_the_widget_runs_and_continue_goes_on() {
    let mut e = with_breakpoints(chain(), message("hi"), &["ask"]);
    assert_eq!(paused(&e), Some(("ask".into(), PauseReason::Breakpoint)));
    assert_eq!(e.current_widget(), Some("ask"));
    assert!(e.status().is_at_rest());
    // Nothing of `ask` happened: no step, no message, no timer.
    assert_eq!(
        e.steps()
            .iter()
            .map(|s| s.widget.as_str())
            .collect::<Vec<_>>(),
        ["Trigger", "set"]
    );
    assert!(effects(&mut e).is_empty());
    assert_eq!(e.poll_timeout(), None);
    // Inputs for a wait are refused while paused.
    assert_eq!(e.handle(reply("x"), T0), Err(InputError::NotWaiting));
    assert_eq!(
        e.handle(Input::Timeout, T0 + 999_999),
        Err(InputError::NotWaiting)
    );

    e.handle(Input::Continue, T0 + 1000).unwrap();
    assert_eq!(bodies(&effects(&mut e)), ["n is 1"]);
    assert!(matches!(e.status(), Status::WaitingForReply { .. }));
    assert_eq!(e.handle(Input::Continue, T0), Err(InputError::NotWaiting));
    assert_eq!(e.handle(Input::Step, T0), Err(InputError::NotWaiting));
    e.handle(reply("ok"), T0 + 2000).unwrap();
    assert_eq!(bodies(&effects(&mut e)), ["n=1 reply=ok"]);
    // The step of the paused widget starts when it ran, not when it paused.
    assert_eq!(e.steps()[2].started_ms, T0 + 1000);
}

#[test]
fn step_runs_one_widget_and_pauses_before_the_next_even_after_a_wait() {
    let mut e = with_breakpoints(chain(), message("hi"), &["set"]);
    assert_eq!(paused(&e), Some(("set".into(), PauseReason::Breakpoint)));
    e.handle(Input::Step, T0).unwrap();
    assert_eq!(paused(&e), Some(("ask".into(), PauseReason::Step)));
    assert_eq!(e.steps().len(), 2);
    // `ask` waits for the reply; the pause comes after it, before `say`.
    e.handle(Input::Step, T0).unwrap();
    assert!(matches!(e.status(), Status::WaitingForReply { .. }));
    e.handle(reply("yo"), T0 + 10).unwrap();
    assert_eq!(paused(&e), Some(("say".into(), PauseReason::Step)));
    assert_eq!(bodies(&effects(&mut e)), ["n is 1"]);
    e.handle(Input::Continue, T0 + 20).unwrap();
    assert_eq!(bodies(&effects(&mut e)), ["n=1 reply=yo"]);
    let message = match e.status() {
        Status::WaitingForSend { message, .. } => message,
        other => panic!("{other:?}"),
    };
    e.handle(Input::Sent(message), T0 + 20).unwrap();
    assert!(e.end_reason().is_some_and(EndReason::is_normal));
}

#[test]
fn flow_data_edited_while_paused_changes_what_the_next_widget_renders() {
    let mut e = with_breakpoints(chain(), message("hi"), &["ask"]);
    assert_eq!(
        e.handle(Input::SetFlowData(json!([1])), T0),
        Err(InputError::Invalid(
            "Flow Data must be a JSON object, not a list".into()
        ))
    );
    let mut data = e.flow_data().clone();
    data["flow"]["variables"]["n"] = json!(41);
    data["widgets"]["extra"] = json!({"x": true});
    e.handle(Input::SetFlowData(data.clone()), T0 + 500)
        .unwrap();
    assert_eq!(e.flow_data(), &data);
    // The edit is a step of its own, named after the paused widget, with the edit as changes.
    let edit = e.steps().last().expect("a step").clone();
    assert_eq!(edit.detail, StepDetail::FlowDataEdited);
    assert!(!edit.is_widget_run());
    assert_eq!(
        (edit.widget.as_str(), edit.next.as_deref()),
        ("ask", Some("ask"))
    );
    assert_eq!(
        edit.changes
            .iter()
            .map(|c| c.path.join("."))
            .collect::<Vec<_>>(),
        ["flow.variables.n", "widgets.extra"]
    );
    assert_eq!(e.context_after(edit.index), data);
    assert_eq!(
        e.context_before(edit.index)["flow"]["variables"]["n"],
        json!(1)
    );
    assert_eq!(paused(&e).map(|p| p.0), Some("ask".into()), "still paused");
    e.handle(Input::Continue, T0 + 600).unwrap();
    assert_eq!(bodies(&effects(&mut e)), ["n is 41"]);
    // Edits are refused when not paused.
    assert_eq!(
        e.handle(Input::SetFlowData(json!({})), T0),
        Err(InputError::NotWaiting)
    );
}

#[test]
fn a_paused_execution_can_be_stopped_and_the_caller_can_hang_up() {
    let mut e = with_breakpoints(chain(), message("hi"), &["say"]);
    e.handle(reply("a"), T0).unwrap();
    assert!(paused(&e).is_some());
    e.handle(Input::Stop, T0).unwrap();
    assert_eq!(e.end_reason(), Some(&EndReason::Stopped));
    assert_eq!(e.handle(Input::Stop, T0), Err(InputError::NotWaiting));
    assert_eq!(e.handle(Input::Continue, T0), Err(InputError::NotWaiting));

    let on_call = flow(
        "incomingCall",
        &[(
            "hello",
            "say-play",
            json!({"audioComplete": null}),
            json!({"say": "Hi"}),
        )],
    );
    let mut e = with_breakpoints(on_call, call(), &["hello"]);
    e.handle(Input::HangUp, T0 + 5).unwrap();
    assert!(
        paused(&e).is_some(),
        "the hang-up is noted, the pause stays"
    );
    e.handle(Input::Continue, T0 + 6).unwrap();
    assert_eq!(
        e.end_reason(),
        Some(&EndReason::CallEnded {
            widget: "hello".into()
        })
    );
}

#[test]
fn the_limits_still_hold_with_breakpoints() {
    // A loop: count → count, ten runs allowed.
    let looping = flow(
        "incomingMessage",
        &[(
            "count",
            "set-variables",
            json!({"next": "count"}),
            json!({"variables": [{"key": "n", "value": "{{flow.variables.n | plus: 1}}"}]}),
        )],
    );
    let mut e = with_breakpoints(looping, message("hi"), &["count"]);
    let mut pauses = 0;
    while paused(&e).is_some() {
        pauses += 1;
        e.handle(Input::Continue, T0).unwrap();
    }
    assert_eq!(pauses, 11, "ten runs, and the eleventh entry ends it");
    assert_eq!(
        e.end_reason(),
        Some(&EndReason::RunLimit {
            widget: "count".into(),
            limit: 10
        })
    );
    // Edits are steps too: the step limit bounds them.
    let config = Config {
        max_steps: 5,
        ..Config::default()
    };
    let setup = Setup::new(chain(), message("hi"))
        .config(config)
        .breakpoints(SortedSet::from([Breakpoint::at("ask")]));
    let mut e = Engine::begin(setup, T0).unwrap();
    for n in 0..3 {
        e.handle(Input::SetFlowData(json!({"n": n})), T0).unwrap();
    }
    assert_eq!(e.steps().len(), 5);
    assert!(matches!(
        e.handle(Input::SetFlowData(json!({})), T0),
        Err(InputError::Invalid(why)) if why.contains("5 steps")
    ));
    e.handle(Input::Continue, T0).unwrap();
    assert_eq!(e.end_reason(), Some(&EndReason::StepLimit { limit: 5 }));
}

#[test]
fn breakpoints_change_with_an_input_and_apply_inside_subflows_by_their_key() {
    let child = flow(
        "incomingParent",
        &[(
            "inner",
            "set-variables",
            json!({"next": null}),
            json!({"variables": [{"key": "k", "value": "v"}]}),
        )],
    );
    let parent = flow(
        "incomingMessage",
        &[
            (
                "run",
                "run-subflow",
                json!({"completed": "inner", "failed": null}),
                json!({"flow_sid": "FW1", "parameters": []}),
            ),
            // A widget of the parent with the same name as the subflow's.
            (
                "inner",
                "set-variables",
                json!({"next": null}),
                json!({"variables": []}),
            ),
        ],
    );
    let child = Rc::new(child);
    let subflows = Subflows::new()
        .with("FW1", Rc::clone(&child))
        .with("run", child);
    let start = |bps: &[Breakpoint]| {
        let setup = Setup::new(parent.clone(), message("hi"))
            .subflows(subflows.clone())
            .breakpoints(bps.iter().cloned().collect());
        Engine::begin(setup, T0).unwrap()
    };
    // The parent's breakpoint does not stop inside the subflow.
    let e = start(&[Breakpoint::at("inner")]);
    assert_eq!(paused(&e).map(|p| p.0), Some("inner".into()));
    assert!(e.current_subflow().is_none());
    // A subflow breakpoint applies under any key of that flow (here its widget name).
    for key in ["FW1", "run"] {
        let e = start(&[Breakpoint::in_subflow(key, "inner")]);
        assert_eq!(paused(&e).map(|p| p.0), Some("inner".into()));
        assert_eq!(e.current_subflow().map(|r| r.widget.as_str()), Some("run"));
    }
    let e = start(&[Breakpoint::in_subflow("other", "inner")]);
    assert!(e.end_reason().is_some());
    // Stepping into a Run Subflow pauses before the subflow's Trigger.
    let mut e = start(&[Breakpoint::at("run")]);
    e.handle(Input::Step, T0).unwrap();
    assert_eq!(paused(&e).map(|p| p.0), Some("Trigger".into()));
    assert!(e.current_subflow().is_some());
    // Clearing the breakpoints: Continue runs to the end.
    e.handle(Input::Breakpoints(SortedSet::new()), T0).unwrap();
    assert!(e.breakpoints().is_empty());
    e.handle(Input::Continue, T0).unwrap();
    assert!(e.end_reason().is_some_and(EndReason::is_normal));
    assert_eq!(
        e.handle(Input::Breakpoints(SortedSet::new()), T0),
        Err(InputError::NotWaiting)
    );
}

/// Trigger → `menu` (Say/Play) → `ask` (Send & Wait) → `done` (Send Message).
fn tail() -> Flow {
    flow(
        "incomingMessage",
        &[
            (
                "menu",
                "say-play",
                json!({"audioComplete": "ask"}),
                json!({"say": "Hello {{flow.variables.name}}"}),
            ),
            (
                "ask",
                "send-and-wait-for-reply",
                json!({"incomingMessage": "done", "timeout": null, "deliveryFailure": null}),
                json!({"from": "{{flow.channel.address}}", "body": "{{flow.variables.name}}, order {{flow.data.order}}?", "timeout": 60}),
            ),
            (
                "done",
                "send-message",
                json!({"sent": null, "failed": null}),
                json!({"to": "{{contact.channel.address}}", "from": "{{flow.channel.address}}", "body": "{{widgets.ask.inbound.Body}} from {{contact.channel.address}}"}),
            ),
        ],
    )
}

#[test]
fn an_execution_can_start_at_any_widget_with_edited_flow_data() {
    let data = json!({
        "flow": {"variables": {"name": "Ada"}, "data": {"order": "A-17"}, "channel": {"address": "+15559870000"}},
        "contact": {"channel": {"address": "+15551230000"}},
    });
    let mut e = Engine::start_at(
        Setup::new(tail(), message("unused")),
        "ask",
        data.clone(),
        TriggerKind::Message,
        T0,
    )
    .expect("starts");
    let first = e.steps()[0].clone();
    assert_eq!(
        first.detail,
        StepDetail::StartedAt {
            kind: TriggerKind::Message
        }
    );
    assert!(!first.is_widget_run());
    assert_eq!(first.widget, "ask");
    assert_eq!(
        first.outcome,
        "started mid-flow at \"ask\" with edited Flow Data"
    );
    assert_eq!(bodies(&effects(&mut e)), ["Ada, order A-17?"]);
    assert_eq!(e.current_widget(), Some("ask"));
    // What was missing is filled in; what was written is kept.
    let initial = e.initial_flow_data().clone();
    assert_eq!(initial["widgets"], json!({}));
    assert_eq!(initial["trigger"], json!({}));
    assert_eq!(
        initial["flow"]["flow_sid"],
        json!(Config::default().flow_sid)
    );
    assert_eq!(initial["flow"]["variables"], json!({"name": "Ada"}));
    assert_eq!(e.context_after(0), initial);
    // The trigger stands for the Flow Data's addresses.
    assert_eq!(
        e.trigger().addresses(),
        ("+15551230000".to_owned(), "+15559870000".to_owned())
    );
    assert!(e.call().is_none());
    e.handle(reply("yes"), T0 + 10).unwrap();
    assert_eq!(bodies(&effects(&mut e)), ["yes from +15551230000"]);
    let Status::WaitingForSend { message, .. } = e.status() else {
        panic!("{:?}", e.status())
    };
    e.handle(Input::Sent(message), T0 + 10).unwrap();
    assert_eq!(
        e.steps()
            .iter()
            .map(|s| s.widget.as_str())
            .collect::<Vec<_>>(),
        ["ask", "ask", "done"]
    );
}

#[test]
fn the_start_kind_decides_whether_there_is_a_call() {
    let data = json!({"flow": {"variables": {"name": "Bo"}}});
    let start = |kind| Engine::start_at(Setup::new(tail(), call()), "menu", data.clone(), kind, T0);
    let mut e = start(TriggerKind::Call).unwrap();
    assert!(e.call().is_some_and(|c| c.live));
    assert!(matches!(e.status(), Status::Playing { .. }));
    let fx = effects(&mut e);
    assert!(matches!(&fx[0], Effect::SayPlay { .. }), "{fx:?}");
    let e = start(TriggerKind::Message).unwrap();
    assert!(matches!(
        e.end_reason(),
        Some(EndReason::NoCall { widget, .. }) if widget == "menu"
    ));
    // A call's parameters come from trigger.call when Flow Data has them.
    let on_call = json!({"trigger": {"call": {"CallSid": "CA42", "From": "+1", "To": "+2"}}});
    let e = Engine::start_at(
        Setup::new(tail(), call()),
        "menu",
        on_call,
        TriggerKind::Call,
        T0,
    )
    .unwrap();
    assert_eq!(e.call().map(|c| c.sid), Some("CA42".to_owned()));
}

#[test]
fn a_mid_flow_start_says_what_is_wrong() {
    let setup = Setup::new(tail(), message("hi"));
    let err = |r: Result<Engine, StartError>| r.err().expect("refused");
    assert_eq!(
        err(Engine::start_at(
            setup.clone(),
            "nope",
            json!({}),
            TriggerKind::Message,
            T0
        )),
        StartError::NoWidget("nope".into())
    );
    assert_eq!(
        err(Engine::start_at(
            setup,
            "ask",
            json!("x"),
            TriggerKind::Message,
            T0
        ))
        .to_string(),
        "Flow Data must be a JSON object, not a string"
    );
}

#[test]
fn a_mid_flow_start_with_a_breakpoint_on_its_widget_pauses_at_once() {
    let setup =
        Setup::new(tail(), message("hi")).breakpoints(SortedSet::from([Breakpoint::at("ask")]));
    let e = Engine::start_at(
        setup,
        "ask",
        Value::Object(Default::default()),
        TriggerKind::Rest,
        T0,
    )
    .unwrap();
    assert_eq!(paused(&e).map(|p| p.0), Some("ask".into()));
    assert_eq!(e.steps().len(), 1);
    assert!(matches!(e.trigger(), Trigger::Rest { .. }));
}
