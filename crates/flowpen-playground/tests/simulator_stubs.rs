//! Stubs in the simulator: a stubbed Run Function or Make HTTP Request answers with its stub
//! (after its delay) instead of the real call, the log says so, a delay at or past the limit
//! times the request out (Skip wait fires it at once), a stub switched off lets the real call
//! through, and the editor keeps one stub per widget that follows renames and subflow keys.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use flowpen_engine::{Status, StepDetail, TransportErrorKind};
use flowpen_flow::{Flow, WidgetType};
use flowpen_liquid::Liquid;
use flowpen_playground::editor::debug::{default_stub_response, stubbable};
use flowpen_playground::editor::geometry::Point;
use flowpen_playground::editor::{Action, EditorState};
use flowpen_playground::flowtest::StubResponse;
use flowpen_playground::project::examples::example;
use flowpen_playground::project::WidgetStub;
use flowpen_playground::simulator::{Answer, Command, Simulator};

const T0: u64 = 1_767_225_600_000;

fn random_number() -> Flow {
    let ex = example("random-number.json").expect("the example");
    Flow::parse(ex.json).expect("the example parses")
}

fn stub(widget: &str, on: bool, response: StubResponse) -> WidgetStub {
    WidgetStub {
        subflow: None,
        widget: widget.into(),
        on,
        response,
    }
}

fn four(delay_ms: u64) -> StubResponse {
    StubResponse {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: r#"{"number":4}"#.into(),
        delay_ms,
        error: None,
    }
}

/// The example asked for 1 and 6: get_num makes its request now.
fn to_get_num(s: &mut Simulator, f: &Flow) -> Vec<Command> {
    s.chat(f, 1, "hi", T0);
    s.chat(f, 1, "1", T0 + 1_000);
    s.chat(f, 1, "6", T0 + 2_000)
}

fn last_text(s: &Simulator) -> String {
    s.selected()
        .expect("selected")
        .chat
        .iter()
        .rev()
        .find_map(|b| match b {
            flowpen_playground::simulator::Bubble::Flow { text, .. } => Some(text.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

#[test]
fn a_stubbed_widget_is_answered_by_its_stub_after_its_delay() {
    let f = random_number();
    let mut s = Simulator::new(Rc::new(Liquid::studio()));
    s.set_stubs(Rc::new(vec![stub("get_num", true, four(1_500))]));
    let commands = to_get_num(&mut s, &f);
    let [Command::Answer {
        execution,
        request,
        result,
        after_ms,
    }] = commands.as_slice()
    else {
        panic!("one answer, no real request: {commands:?}");
    };
    assert_eq!(*after_ms, 1_500);
    // The shell reports it after the delay, like any answer.
    s.http_done(
        *execution,
        *request,
        result.clone(),
        Answer::default(),
        T0 + 3_500,
    );
    assert_eq!(last_text(&s), "Your random number is 4.");
    let e = s.selected().expect("selected");
    let http = e
        .steps()
        .iter()
        .find(|st| matches!(st.detail, StepDetail::Http { .. }))
        .expect("the request's step");
    let StepDetail::Http { request, .. } = &http.detail else {
        unreachable!()
    };
    let note = e.requests.get(&request.id.0).expect("noted");
    assert!(note.stubbed && note.via.is_none(), "{note:?}");
}

#[test]
fn a_stub_past_the_limit_times_out_and_skip_wait_fires_it() {
    let f = random_number();
    let mut s = Simulator::new(Rc::new(Liquid::studio()));
    s.set_stubs(Rc::new(vec![stub("get_num", true, four(10_000))]));
    let commands = to_get_num(&mut s, &f);
    assert!(commands.is_empty(), "no answer comes: {commands:?}");
    let e = s.selected().expect("selected");
    assert!(matches!(e.status(), Status::WaitingForHttp { .. }));
    assert!(e.waits_for_stub());
    // The request's limit is the simulator's timer, and Skip wait may fire it (no real request).
    assert!(s.timer().is_some());
    s.skip_wait(T0 + 2_100);
    let e = s.selected().expect("selected");
    let last = e.steps().last().expect("a step");
    assert_eq!(last.widget, "send_error", "{:?}", e.steps());
    let get_num = e
        .steps()
        .iter()
        .find(|st| st.widget == "get_num")
        .expect("get_num ran");
    let StepDetail::Http { response, .. } = &get_num.detail else {
        panic!("{:?}", get_num.detail)
    };
    assert_eq!(
        response.as_ref().expect_err("timed out").kind,
        TransportErrorKind::Timeout
    );
}

#[test]
fn a_real_request_cannot_be_skipped_and_a_stub_switched_off_lets_it_through() {
    let f = random_number();
    let mut s = Simulator::new(Rc::new(Liquid::studio()));
    s.set_stubs(Rc::new(vec![stub("get_num", false, four(0))]));
    let commands = to_get_num(&mut s, &f);
    assert!(
        matches!(commands.as_slice(), [Command::Http { .. }]),
        "{commands:?}"
    );
    assert!(!s.selected().expect("selected").waits_for_stub());
    assert!(s.skip_wait(T0 + 2_100).is_empty());
    assert!(matches!(
        s.selected().expect("selected").status(),
        Status::WaitingForHttp { .. }
    ));
    // Switched on while the execution runs: the next request is stubbed (this one stays real).
    s.set_stubs(Rc::new(vec![stub("get_num", true, four(0))]));
    assert!(!s.selected().expect("selected").waits_for_stub());
}

#[test]
fn a_network_error_stub_fails_the_widget() {
    let f = random_number();
    let mut s = Simulator::new(Rc::new(Liquid::studio()));
    let refused = StubResponse {
        error: Some("connection refused".into()),
        ..StubResponse::default()
    };
    s.set_stubs(Rc::new(vec![stub("get_num", true, refused)]));
    let commands = to_get_num(&mut s, &f);
    let [Command::Answer {
        execution,
        request,
        result,
        ..
    }] = commands.as_slice()
    else {
        panic!("{commands:?}");
    };
    assert_eq!(
        result.as_ref().expect_err("an error").message,
        "connection refused"
    );
    s.http_done(
        *execution,
        *request,
        result.clone(),
        Answer::default(),
        T0 + 2_100,
    );
    assert_eq!(
        s.selected()
            .expect("selected")
            .steps()
            .last()
            .map(|st| st.widget.as_str()),
        Some("send_error")
    );
}

fn editor() -> EditorState {
    let mut s = EditorState::default();
    s.update(Action::SetCanvasSize(Point::new(1000.0, 700.0)));
    s
}

#[test]
fn the_editor_keeps_one_stub_per_request_widget_and_it_follows_a_rename() {
    let mut s = editor();
    let get_num = s.doc.flow.index_of("get_num").expect("get_num");
    let min = s.doc.flow.index_of("min_value").expect("min_value");
    assert!(stubbable(&WidgetType::RunFunction) && stubbable(&WidgetType::MakeHttpRequest));
    assert!(!stubbable(&s.doc.flow.states[min].kind));
    // Only widgets that make a request can be stubbed.
    s.update(Action::SwitchStub {
        index: min,
        on: true,
    });
    assert!(s.project.stubs.is_empty());
    // Switching on makes one with the default response; autosave sees it.
    let rev = s.project.functions_rev;
    s.update(Action::SwitchStub {
        index: get_num,
        on: true,
    });
    assert!(s.project.functions_rev > rev);
    let made = s.stub_at(get_num).expect("made").clone();
    assert!(made.on);
    assert_eq!(made.response, default_stub_response());
    s.update(Action::SetStub {
        index: get_num,
        response: four(0),
    });
    s.update(Action::SwitchStub {
        index: get_num,
        on: false,
    });
    assert_eq!(s.project.stubs.len(), 1, "one per widget");
    let kept = s.stub_at(get_num).expect("kept");
    assert!(!kept.on);
    assert_eq!(kept.response, four(0), "the response stays while it is off");
    // Nothing changed: no save.
    let rev = s.project.functions_rev;
    s.update(Action::SwitchStub {
        index: get_num,
        on: false,
    });
    assert_eq!(s.project.functions_rev, rev);
    // A rename takes the stub along; the project file keeps it.
    s.update(Action::Rename {
        index: get_num,
        name: "pick".into(),
    });
    assert_eq!(s.stub_at(get_num).map(|x| x.widget.as_str()), Some("pick"));
    assert!(s.project_text().contains("\"stubs\""));
    assert_eq!(s.engine_stubs(None).len(), 1);
    assert!(
        s.engine_stubs(Some("FW1")).is_empty(),
        "the main flow's stubs do not run"
    );
    s.update(Action::RemoveStub(get_num));
    assert!(s.project.stubs.is_empty());
    assert!(!s.project_text().contains("\"stubs\""));
}

#[test]
fn the_stub_editor_reads_headers_and_numbers() {
    use flowpen_playground::editor::debug::{header_lines, parse_header_lines, parse_whole};
    let headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("X-Trace".to_owned(), "a: b".to_owned()),
    ];
    let text = header_lines(&headers);
    assert_eq!(text, "Content-Type: application/json\nX-Trace: a: b");
    assert_eq!(parse_header_lines(&text), Ok(headers));
    assert_eq!(parse_header_lines("\n  \n"), Ok(Vec::new()));
    assert_eq!(
        parse_header_lines("A: 1\nno colon here"),
        Err("line 2: a header is written Name: value (like Content-Type: application/json)".into())
    );
    assert!(parse_header_lines(": empty name").is_err());
    assert_eq!(parse_whole(" 404 ", 100, 999), Ok(404));
    assert!(parse_whole("99", 100, 999).is_err());
    assert!(parse_whole("2.5", 0, 10).is_err());
    assert!(parse_whole("", 0, 10).is_err());
}
