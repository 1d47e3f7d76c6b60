//! *Save as test* (a simulator execution → a case that passes) and the YAML writer (what it writes
//! reads back to the same case; adding a case keeps the rest of the file).

use std::rc::Rc;

use flowpen_engine::{HttpResponse, TransportError, TransportErrorKind, Trigger};
use flowpen_liquid::Liquid;
use flowpen_playground::flowtest::{
    self, record, record_checked, ExpectStatus, RunOptions, Runner, ShellAnswer, Target,
};
use flowpen_playground::simulator::{Answer, Command, Origin, Simulator};
use serde_json::json;

use crate::{example_target, json_response};

const T0: u64 = 1_767_225_600_000;

/// Answers every HTTP command with `respond`, until none is left.
fn answer_all(
    sim: &mut Simulator,
    mut commands: Vec<Command>,
    now: u64,
    respond: &mut dyn FnMut(&flowpen_engine::HttpRequest) -> Result<HttpResponse, TransportError>,
) {
    while let Some(c) = commands.pop() {
        if let Command::Http {
            execution, request, ..
        } = c
        {
            let result = respond(&request);
            commands.extend(sim.http_done(execution, request.id, result, Answer::default(), now));
        }
    }
}

/// The written case reads back, writes the same text again, and passes.
fn round_trip(case: &flowtest::Case, target: &Target) -> String {
    let text = flowtest::write_file(&flowtest::TestFile {
        flow: Some("flow.json".into()),
        cases: vec![case.clone()],
        ..Default::default()
    });
    let file = flowtest::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(flowtest::write_file(&file), text, "writing is stable");
    let runner = Runner::new(target, &file, RunOptions::default());
    let result = runner.run(0, &file.cases[0], &mut |r| {
        ShellAnswer::Fail(format!("not recorded: {}", r.request().url))
    });
    assert!(result.passed(), "{:?}\n{text}", result.failure);
    text
}

#[test]
fn a_chat_with_a_function_becomes_a_case_that_passes() {
    let target = example_target("random-number.json");
    let mut sim = Simulator::new(Rc::new(Liquid::studio()));
    for (i, text) in ["hi", "3", "5"].into_iter().enumerate() {
        let now = T0 + 1000 * i as u64;
        let commands = sim.chat(&target.flow, 1, text, now);
        answer_all(&mut sim, commands, now, &mut |_| {
            Ok(json_response(200, r##"{"number": 4}"##))
        });
    }
    let execution = sim.selected().expect("an execution");
    let (case, failure) = record_checked(execution, "picks 4", &target);
    assert_eq!(failure, None);
    assert_eq!(case.time_ms, Some(T0));
    assert_eq!(case.expect.status, ExpectStatus::Ended);
    let text = round_trip(&case, &target);
    assert!(
        text.contains(
            "    stubs:\n      \"https://flowpen.local/random\": {headers: {Content-Type: application/json}, body: '{\"number\": 4}'}\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("      - flow: Your random number is 4.\n"),
        "{text}"
    );
    assert!(text.contains("      - contact: '3'\n"), "{text}");
    assert!(
        text.contains("      path: [Trigger, min_value, max_value, get_num, send_result]\n"),
        "{text}"
    );
}

#[test]
fn timeouts_failed_sends_and_a_waiting_reply_are_recorded() {
    let target = example_target("random-number.json");
    let mut sim = Simulator::new(Rc::new(Liquid::studio()));
    sim.chat(&target.flow, 1, "hi", T0);
    sim.skip_wait(T0 + 10);
    let (case, failure) = record_checked(sim.selected().expect("one"), "quiet", &target);
    assert_eq!(failure, None);
    assert!(matches!(
        case.conversation.last().map(|s| &s.action),
        Some(flowtest::Action::Timeout)
    ));
    round_trip(&case, &target);

    let mut sim = Simulator::new(Rc::new(Liquid::studio()));
    sim.set_fail_next_send(true);
    sim.chat(&target.flow, 1, "hi", T0);
    let (case, failure) = record_checked(sim.selected().expect("one"), "fails", &target);
    assert_eq!(failure, None);
    assert!(round_trip(&case, &target).contains("        fail: true\n"));

    let mut sim = Simulator::new(Rc::new(Liquid::studio()));
    sim.chat(&target.flow, 1, "hi", T0);
    sim.chat(&target.flow, 1, "1", T0 + 5000);
    let (case, failure) = record_checked(sim.selected().expect("one"), "waits", &target);
    assert_eq!(failure, None);
    assert_eq!(case.expect.status, ExpectStatus::Waiting);
    let text = round_trip(&case, &target);
    assert!(text.ends_with("      - flow: And the largest\\?\n    expect:\n      status: waiting\n      path: [Trigger, min_value, max_value]\n"), "{text}");
}

#[test]
fn a_rest_start_with_retries_and_a_slow_request_is_recorded() {
    let target = example_target("retry-counter.json");
    let mut sim = Simulator::new(Rc::new(Liquid::studio()));
    let trigger = Trigger::Rest {
        from: "+15559870000".into(),
        to: "+15550004444".into(),
        parameters: json!({"order": "A-17"}),
    };
    let mut calls = 0;
    let commands = sim.start(&target.flow, 1, trigger, Origin::Rest, T0);
    answer_all(&mut sim, commands, T0, &mut |_| {
        calls += 1;
        match calls {
            1 => Err(TransportError {
                kind: TransportErrorKind::Network,
                message: "network error: could not be reached".into(),
            }),
            2 => Ok(json_response(500, "{}")),
            _ => Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: "done".into(),
            }),
        }
    });
    let (case, failure) = record_checked(sim.selected().expect("one"), "retries", &target);
    assert_eq!(failure, None);
    assert_eq!(case.start, flowtest::Start::Rest);
    assert_eq!(case.to.as_deref(), Some("+15550004444"));
    assert_eq!(case.parameters, Some(json!({"order": "A-17"})));
    assert_eq!(case.stubs.entries[0].responses.len(), 3);
    let text = round_trip(&case, &target);
    assert!(
        text.contains("        - {error: 'network error: could not be reached'}\n"),
        "{text}"
    );

    // A request that timed out in the simulator is a stub that answers too late.
    let target = example_target("random-number.json");
    let mut sim = Simulator::new(Rc::new(Liquid::studio()));
    sim.chat(&target.flow, 1, "hi", T0);
    sim.chat(&target.flow, 1, "1", T0);
    sim.chat(&target.flow, 1, "2", T0);
    let timer = sim.timer().expect("the request's time limit");
    sim.fire_timer(timer.execution, timer.deadline_ms, timer.fire_at_ms);
    let (case, failure) = record_checked(sim.selected().expect("one"), "slow", &target);
    assert_eq!(failure, None);
    assert!(round_trip(&case, &target).contains("{delay_ms: 11000}"));
}

#[test]
fn a_stopped_execution_does_not_replay() {
    let target = example_target("random-number.json");
    let mut sim = Simulator::new(Rc::new(Liquid::studio()));
    sim.chat(&target.flow, 1, "hi", T0);
    sim.stop(T0 + 1);
    let case = record(sim.selected().expect("one"), "stopped");
    assert_eq!(
        case.expect.status,
        ExpectStatus::Kind(flowtest::EndKind::Error)
    );
    let (_, failure) = record_checked(sim.selected().expect("one"), "stopped", &target);
    assert!(failure.is_some(), "nothing in a test stops an execution");
}

const COMMENTED: &str = "# Tests for the random number flow.
flow: random-number.json   # the flow
tests:
  # the happy path
  - name: one
    conversation:
      - contact: hi   # starts it
      - flow: Hi*
    expect: {status: waiting}
# trailing comment
";

#[test]
fn adding_a_case_keeps_the_rest_of_the_file() {
    let target = example_target("random-number.json");
    let mut sim = Simulator::new(Rc::new(Liquid::studio()));
    sim.chat(&target.flow, 1, "hi", T0);
    let case = record(sim.selected().expect("one"), "two");
    let added = flowtest::add_case(COMMENTED, &case, "ignored.json").expect("adds");
    assert!(added.starts_with(&COMMENTED[..COMMENTED.len() - "# trailing comment\n".len()]));
    assert!(added.ends_with("# trailing comment\n"), "{added}");
    let file = flowtest::parse(&added).expect("reads");
    assert_eq!(file.cases.len(), 2);
    assert_eq!(file.cases[1].name, "two");
    assert_eq!(file.flow.as_deref(), Some("random-number.json"));

    // Items at the key's own column, and no items yet.
    let flush = "flow: a.json\ntests:\n- name: one\n  start: rest\n";
    let added = flowtest::add_case(flush, &case, "a.json").expect("adds");
    assert!(added.starts_with(flush), "{added}");
    assert!(added.contains("\n- name: two\n  time: "), "{added}");
    assert_eq!(flowtest::parse(&added).expect("reads").cases.len(), 2);
    for empty in ["", "flow: a.json\ntests: []\n", "flow: a.json\ntests:\n"] {
        let added = flowtest::add_case(empty, &case, "a.json").expect("adds");
        let file = flowtest::parse(&added).unwrap_or_else(|e| panic!("{e}\n{added}"));
        assert_eq!(file.cases.len(), 1, "{added}");
        assert_eq!(file.flow.as_deref(), Some("a.json"));
    }
    assert!(flowtest::add_case("tests: 3\n", &case, "a.json").is_err());
}

#[test]
fn set_flow_points_a_file_at_its_flow() {
    assert_eq!(
        flowtest::set_flow(COMMENTED, "export.flowpen.json"),
        COMMENTED.replace("random-number.json  ", "export.flowpen.json  ")
    );
    assert_eq!(
        flowtest::set_flow("tests: []\n", "a b.json"),
        "flow: a b.json\ntests: []\n"
    );
    assert_eq!(flowtest::set_flow("", "x.json"), "flow: x.json\ntests:\n");
    assert_eq!(
        flowtest::test_file_name("random-number.json"),
        "random-number.test.yaml"
    );
    assert_eq!(flowtest::test_file_name("p.flowpen.json"), "p.test.yaml");
}

#[test]
fn every_shipped_test_file_writes_back_to_the_same_cases() {
    let mut texts: Vec<String> = ["random-number.json", "dog-breed.json", "retry-counter.json"]
        .iter()
        .map(|f| crate::example_tests(f).to_owned())
        .collect();
    let root = flowpen_testkit::workspace_root().join("tests/flows");
    for dir in ["corpus", "failing"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("tests/flows") {
            texts.push(std::fs::read_to_string(entry.expect("entry").path()).expect("read"));
        }
    }
    assert!(texts.len() >= 12);
    for text in texts {
        let file = flowtest::parse(&text).expect("reads");
        let written = flowtest::write_file(&file);
        let again = flowtest::parse(&written).unwrap_or_else(|e| panic!("{e}\n{written}"));
        assert_eq!(flowtest::write_file(&again), written);
        assert_eq!(again.cases.len(), file.cases.len());
        let stubs = |s: &flowtest::Stubs| -> Vec<(String, Vec<flowtest::StubResponse>)> {
            s.entries
                .iter()
                .map(|e| (e.url.clone(), e.responses.clone()))
                .collect()
        };
        for (a, b) in again.cases.iter().zip(&file.cases) {
            assert_eq!(
                (
                    &a.name,
                    a.conversation.len(),
                    stubs(&a.stubs),
                    &a.expect.status
                ),
                (
                    &b.name,
                    b.conversation.len(),
                    stubs(&b.stubs),
                    &b.expect.status
                )
            );
            let actions = |c: &flowtest::Case| -> Vec<flowtest::Action> {
                c.conversation.iter().map(|s| s.action.clone()).collect()
            };
            assert_eq!(actions(a), actions(b), "{}", a.name);
        }
    }
}

/// The Tests panel's path: a case run step by step (as the browser does, answering the shell),
/// its engine shown in the simulator's log at the failing step, never as the active execution;
/// the project keeps its tests text (bounded) and names the exported file.
#[test]
fn a_case_run_goes_to_the_log_at_its_failing_step_and_never_becomes_active() {
    use flowpen_playground::editor::{Action, EditorState};
    use flowpen_playground::flowtest::Progress;
    let target = example_target("random-number.json");
    let shipped = crate::example_tests("random-number.json");
    assert!(shipped.contains("Your random number is 4."));
    let text = shipped.replace("Your random number is 4.", "Your random number is 44.");
    let file = flowtest::parse(&text).expect("reads");
    let runner = Runner::new(&target, &file, RunOptions::default());
    let failing = (0..file.cases.len()).find_map(|i| {
        let mut run = runner.start(i, &file.cases[i]);
        while let Progress::Request(r) = run.poll() {
            run.answer(crate::example_functions(&r));
        }
        let (result, engine, inputs) = run.into_parts();
        result.failure.clone().map(|f| (result, f, engine, inputs))
    });
    let Some((result, failure, engine, inputs)) = failing else {
        panic!("the edited text has a failing case");
    };
    assert_eq!(result.steps, engine.steps().to_vec(), "the same log");
    let mut sim = Simulator::new(Rc::new(Liquid::studio()));
    let id = sim.add_test_run(engine, inputs, &result.name, 1, failure.log_step);
    let e = sim.selected().expect("selected");
    assert_eq!(e.id, id);
    assert_eq!(
        e.origin,
        Origin::Test {
            case: result.name.clone()
        }
    );
    assert_eq!(e.selected_step, failure.log_step);
    assert!(e.origin_note().is_some_and(|n| n.contains(&result.name)));
    assert!(
        sim.active().is_none(),
        "a test run takes no input from the user"
    );
    // Like any execution, it rewinds: the replay of its inputs gives the same steps up to there.
    let steps = e.engine().steps().to_vec();
    // (The failing step is the Send Message not yet logged; rewind to the last logged one.)
    let at = steps.len() - 1;
    assert!(at > 0);
    sim.rewind(id, at, 1_900_000_000_000)
        .expect("a test run rewinds");
    let r = sim.selected().expect("the rewound execution");
    assert_eq!(r.origin, Origin::Rewind { from: id, step: at });
    assert!(r.engine().steps().len() > at);
    assert_eq!(r.engine().steps()[..=at], steps[..=at]);
    // The project's tests: kept as written, bounded, named for export.
    let mut s = EditorState::default();
    s.update(Action::SetTests(text.clone()));
    assert_eq!(*s.project.tests, text);
    s.update(Action::SetTests("x".repeat(flowtest::MAX_TEXT_BYTES + 1)));
    assert_eq!(*s.project.tests, text, "too large: refused");
    assert!(s
        .chrome
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("at most")));
    assert_eq!(
        flowpen_playground::project::test_file_name(s.main_flow()),
        "random-number-generator.test.yaml"
    );
}
