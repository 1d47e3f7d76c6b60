//! Consent before code: keys per link content, the stored keys, and the simulator's step when a
//! call is refused.

use std::rc::Rc;

use flowpen_engine::{HttpRequest, RequestId};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use flowpen_playground::project::examples::{self};
use flowpen_playground::project::{Document, FunctionDef, FunctionsProject, Project};
use flowpen_playground::simulator::http;
use flowpen_playground::simulator::{Answer, Bubble, Command, Simulator};
use flowpen_playground::trust::{self, LIMIT};

fn project(code: &str, env: &[&str]) -> FunctionsProject {
    FunctionsProject {
        functions: vec![FunctionDef {
            path: "/hi".into(),
            code: code.into(),
        }],
        env: env
            .iter()
            .map(|n| ((*n).to_owned(), "secret".to_owned()))
            .collect(),
    }
}

#[test]
fn keys_follow_the_code_and_the_environment_names_not_the_values() {
    let a = trust::functions_key(&project("x", &["A"]));
    assert_eq!(a.len(), "code-".len() + 32);
    assert_eq!(a, trust::functions_key(&project("x", &["A"])));
    let mut other_values = project("x", &["A"]);
    other_values.env[0].1 = "other".into();
    assert_eq!(
        a,
        trust::functions_key(&other_values),
        "values do not matter"
    );
    assert_ne!(a, trust::functions_key(&project("x ", &["A"])), "code does");
    assert_ne!(a, trust::functions_key(&project("x", &["B"])), "names do");
    assert_ne!(a, trust::functions_key(&project("x", &[])));
    // Parts are length-prefixed: moving text between path and code is another key.
    let mut moved = project("x", &["A"]);
    moved.functions[0].path = "/hix".into();
    moved.functions[0].code = String::new();
    assert_ne!(a, trust::functions_key(&moved));
}

#[test]
fn what_needs_consent() {
    let own = examples::FIRST.project();
    let flow = Flow::parse(examples::FIRST.json).expect("flow");
    let with_code = Document::Project(Box::new(Project {
        flow: flow.clone(),
        functions: project("x", &[]),
        ..Project::default()
    }));
    let p = trust::pending_for(&with_code, &own).expect("code");
    assert!(p.shared_code);
    let without_code = Document::Project(Box::new(Project {
        flow: flow.clone(),
        ..Project::default()
    }));
    assert_eq!(
        trust::pending_for(&without_code, &own),
        None,
        "nothing could run"
    );
    let plain = Document::Flow(flow.clone());
    let p = trust::pending_for(&plain, &own).expect("a flow calling the opener's Functions");
    assert!(!p.shared_code);
    assert_eq!(p.key, trust::flow_key(&flow));
    assert_eq!(
        trust::pending_for(&plain, &FunctionsProject::default()),
        None
    );
    // Both at once: one consent for both.
    let both = trust::combine(
        trust::pending_for(&with_code, &own),
        trust::pending_for(&plain, &own),
    )
    .expect("both");
    assert!(both.key.starts_with("both-") && both.shared_code);
}

#[test]
fn stored_keys_are_bounded_and_unreadable_ones_are_no_consent() {
    let mut keys = Vec::new();
    for i in 0..(LIMIT + 20) {
        keys = trust::with_key(&keys, &format!("k{i}"));
    }
    assert_eq!(keys.len(), LIMIT);
    assert_eq!(keys[0], "k20");
    keys = trust::with_key(&keys, "k50");
    assert_eq!(keys.last().map(String::as_str), Some("k50"));
    assert_eq!(keys.len(), LIMIT);
    assert_eq!(trust::parse_keys(&trust::keys_text(&keys)), keys);
    assert!(trust::parse_keys("{").is_empty());
    assert!(trust::parse_keys("{\"a\":1}").is_empty());
    assert_eq!(trust::parse_keys("[\"a\", 7, \"b\"]"), ["a", "b"]);
}

/// The random number example run to its Function call, which the shell refuses with
/// `http::untrusted`: the widget fails, its step says why, and the flow goes on its Fail path.
#[test]
fn a_refused_call_is_a_failed_step_that_explains() {
    let flow = Flow::parse(examples::FIRST.json).expect("flow");
    let mut s = Simulator::new(Rc::new(Liquid::studio()));
    let t0 = 1_767_225_600_000;
    s.chat(&flow, 1, "hi", t0);
    s.chat(&flow, 1, "1", t0 + 1);
    let commands = s.chat(&flow, 1, "6", t0 + 2);
    let (execution, request): (u32, HttpRequest) = commands
        .into_iter()
        .find_map(|c| match c {
            Command::Http {
                execution, request, ..
            } => Some((execution, request)),
            Command::Cancel { .. } | Command::Answer { .. } => None,
        })
        .expect("the Function call");
    assert_eq!(http::via(&request.url), http::Via::Function);
    let refusal = http::untrusted(&request, true);
    assert!(
        refusal
            .message
            .starts_with("not run: /random is a Function that came with a shared link"),
        "{}",
        refusal.message
    );
    assert!(refusal.message.contains("Trust and run"));
    let flow_refusal = http::untrusted(&request, false);
    assert!(flow_refusal
        .message
        .contains("would call your own Function /random (with your environment values)"));
    s.http_done(
        execution,
        RequestId(request.id.0),
        Err(refusal.clone()),
        Answer::default(),
        t0 + 3,
    );
    let e = s.selected().expect("execution");
    let step = e
        .steps()
        .iter()
        .find(|st| st.widget == "get_num")
        .expect("the Run Function step");
    assert_eq!(step.event.as_deref(), Some("fail"));
    let text = format!("{step:?}");
    assert!(text.contains("came with a shared link"), "{text}");
    let sent: Vec<String> = e
        .chat
        .iter()
        .filter_map(|b| match b {
            Bubble::Flow { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    assert!(
        sent.last()
            .is_some_and(|t| t.starts_with("Sorry, I could not pick a number")),
        "{sent:?}"
    );
}
