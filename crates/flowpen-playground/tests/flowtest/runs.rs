//! The runner's rules on messages, requests and time, and every failure kind with its step.

use flowpen_engine::{HttpResponse, TransportErrorKind};
use flowpen_playground::flowtest::{
    self, AnsweredBy, FailureKind, Line, Progress, RunOptions, Runner, ShellAnswer, ShellRequest,
    Target,
};

use crate::{
    assert_all_pass, example_functions, example_target, example_tests, flow, run, run_with,
};

#[test]
fn the_examples_pass_with_their_functions() {
    for file in ["random-number.json", "dog-breed.json", "retry-counter.json"] {
        let results = run_with(
            &example_target(file),
            example_tests(file),
            RunOptions::default(),
            &mut example_functions,
        );
        assert!(!results.is_empty());
        assert_all_pass(&results);
    }
}

#[test]
fn runs_are_deterministic() {
    let target = example_target("random-number.json");
    let text = example_tests("random-number.json");
    let a = run_with(&target, text, RunOptions::default(), &mut example_functions);
    let b = run_with(&target, text, RunOptions::default(), &mut example_functions);
    assert_eq!(a, b);
}

const FAILING: &str = include_str!("../../../../tests/flows/failing/random-number.test.yaml");

#[test]
fn cases_that_must_fail_fail_at_their_step() {
    let target = example_target("random-number.json");
    let results = run(&target, FAILING);
    let got: Vec<(String, Option<usize>, usize, String)> = results
        .iter()
        .map(|r| {
            let f = r
                .failure
                .as_ref()
                .unwrap_or_else(|| panic!("{} passed", r.name));
            let kind = format!("{:?}", f.kind);
            let kind = kind
                .split([' ', '{', '('])
                .next()
                .unwrap_or_default()
                .to_owned();
            (r.name.clone(), f.step, f.at.line, kind)
        })
        .collect();
    let want: Vec<(&str, Option<usize>, usize, &str)> = vec![
        ("wrong text", Some(1), 10, "WrongOutput"),
        ("wrong Flow Data", None, 22, "FlowData"),
        ("extra message", Some(1), 27, "ExtraOutput"),
        ("message left at the end", None, 31, "ExtraOutput"),
        (
            "a flow step the flow never sends",
            Some(2),
            37,
            "MissingOutput",
        ),
        ("wrong path", None, 45, "Path"),
        ("wrong status", None, 52, "Status"),
        (
            "an input the flow does not wait for",
            Some(2),
            58,
            "NotWaiting",
        ),
    ];
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((g.0.as_str(), g.1, g.2, g.3.as_str()), *w);
    }
    let wrong = results[0].failure.as_ref().expect("fails");
    assert_eq!(wrong.widget.as_deref(), Some("min_value"));
    assert_eq!(
        wrong.log_step,
        Some(1),
        "min_value's step is the second of the log"
    );
    let (want, got) = wrong.diff().expect("a diff");
    assert_eq!(want, "\"Hello there*\"");
    assert!(got.starts_with("\"Hi! I pick random numbers."), "{got}");
    assert_eq!(
        results[1].failure.as_ref().expect("fails").to_string(),
        "expect (line 22): Flow Data widgets.get_num.parsed.number is 4, expected 5"
    );
}

#[test]
fn a_request_without_a_stub_names_its_url() {
    let target = example_target("random-number.json");
    let text = include_str!("../../../../tests/flows/failing/no-stub.test.yaml");
    // The example's Function exists, so without a stub the shell is asked to run it.
    let results = run(&target, text);
    let f = results[0].failure.as_ref().expect("fails");
    assert!(matches!(&f.kind, FailureKind::Shell { url, message }
        if url == "https://flowpen.local/random" && message.contains("no shell")));
    // Without the Function, the case fails naming the URL.
    let bare = Target::new(target.flow.clone());
    let results = run(&bare, text);
    let f = results[0].failure.as_ref().expect("fails");
    assert_eq!(
        f.to_string(),
        "step 5 (line 10): POST https://flowpen.local/random has no stub, and no Function of the project serves that path; add it under `stubs:` (or add the Function)"
    );
    assert_eq!(f.widget.as_deref(), Some("get_num"));
}

/// Trigger → Make HTTP Request (GET with a parameter) → Send Message of what it parsed.
fn http_flow() -> flowpen_flow::Flow {
    flow(
        r##"{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingMessage", "next": "http"}, {"event": "incomingRequest", "next": "http"}], "properties": {"offset": {"x": 0, "y": 0}}},
        {"name": "http", "type": "make-http-request", "transitions": [{"event": "success", "next": "ok"}, {"event": "failed", "next": "bad"}], "properties": {"method": "GET", "content_type": "application/x-www-form-urlencoded;charset=utf-8", "url": "https://api.example.com/score", "parameters": [{"key": "who", "value": "{{contact.channel.address}}"}], "offset": {"x": 0, "y": 0}}},
        {"name": "ok", "type": "send-message", "transitions": [{"event": "sent"}, {"event": "failed"}], "properties": {"body": "score {{widgets.http.parsed.score}} at {{ 'now' | date: '%H:%M:%S' }}", "to": "{{contact.channel.address}}", "from": "{{flow.channel.address}}", "offset": {"x": 0, "y": 0}}},
        {"name": "bad", "type": "send-message", "transitions": [{"event": "sent"}, {"event": "failed"}], "properties": {"body": "failed: {{widgets.http.status_code}}", "media_url": "https://example.com/sad.png", "to": "{{contact.channel.address}}", "from": "{{flow.channel.address}}", "offset": {"x": 0, "y": 0}}}"##,
    )
}

#[test]
fn stubs_match_the_url_without_its_query_and_delays_move_the_clock() {
    let target = Target::new(http_flow());
    let results = run(
        &target,
        r##"
tests:
  - name: the bare URL's stub answers a query, after its delay
    time: 2026-01-05T17:00:00Z
    stubs:
      "https://api.example.com/score": {json: {score: 7}, delay_ms: 2500}
    conversation:
      - contact: hi
      - flow: "score 7 at 09:00:02"
  - name: an exact URL wins over the bare one
    stubs:
      "https://api.example.com/score": {json: {score: 1}}
      "https://api.example.com/score?who=%2B15551230000": {json: {score: 2}}
    conversation:
      - contact: hi
      - flow: "score 2 at *"
  - name: a network error follows failed
    stubs:
      "https://api.example.com/score": {error: connection refused}
    conversation:
      - contact: hi
      - flow: "failed: "
        media: "https://example.com/*.png"
        widget: bad
  - name: a late answer times out at Studio's 10 s
    stubs:
      "https://api.example.com/score": {delay_ms: 10000}
    conversation:
      - contact: hi
      - flow: "failed: "
  - name: a message can fail to send
    stubs:
      "https://api.example.com/score": {status: 404}
    conversation:
      - contact: hi
      - flow: "failed: 404"
        fail: true
    expect:
      reason: '*"bad" has no next widget for "failed"'
"##,
    );
    assert_all_pass(&results);
    let step = &results[0].steps[1];
    assert_eq!(step.ended_ms - step.started_ms, 2500);
    let timed_out = &results[3].steps[1];
    assert_eq!(timed_out.ended_ms - timed_out.started_ms, 10_000);
    assert!(
        matches!(&timed_out.detail, flowpen_engine::StepDetail::Http { response: Err(e), .. } if e.kind == TransportErrorKind::Timeout)
    );
    assert!(results[0].transcript.iter().any(|l| matches!(l,
        Line::Http { url, by: AnsweredBy::Stub, outcome, .. }
            if url == "https://api.example.com/score?who=%2B15551230000" && outcome == "200")));
}

#[test]
fn what_a_flow_step_checks() {
    let target = Target::new(http_flow());
    let base = "    stubs:\n      \"https://api.example.com/score\": {status: 500}\n    conversation:\n      - contact: hi\n";
    for (step, passes) in [
        ("      - flow: \"failed: 500\"\n", true),
        ("      - flow: {regex: \"failed: [0-9]{3}\"}\n", true),
        ("      - flow: \"failed: 5??\"\n", true),
        ("      - flow: \"failed\"\n", false),
        ("      - flow: \"failed: 500\"\n        widget: ok\n", false),
        (
            "      - flow: \"failed: 500\"\n        media: \"*.gif\"\n",
            false,
        ),
        ("      - flow: {say: \"failed: 500\"}\n", false),
    ] {
        let text = format!("tests:\n  - name: x\n{base}{step}");
        let results = run(&target, &text);
        assert_eq!(
            results[0].passed(),
            passes,
            "{step}: {:?}",
            results[0].failure
        );
    }
}

#[test]
fn a_flow_with_liquid_time_renders_at_the_case_time() {
    let target = Target::new(http_flow());
    let text = "tests:\n  - name: x\n    time: 2026-07-04T19:30:00Z\n    stubs:\n      \"https://api.example.com/score\": {json: {score: 1}}\n    conversation:\n      - contact: hi\n      - flow: score 1 at 12:30:00\n";
    assert_all_pass(&run(&target, text));
}

#[test]
fn the_network_and_functions_go_to_the_shell() {
    let target = Target::new(http_flow());
    let text = "stubs:\n  \"https://other.example.com\": {json: {a: 1}}\ntests:\n  - name: x\n    conversation:\n      - contact: hi\n      - flow: score 9*\n";
    let file = flowtest::parse(text).expect("reads");
    // Without the network, the case fails at the request.
    let results = run(&target, text);
    assert!(matches!(&results[0].failure.as_ref().expect("fails").kind,
        FailureKind::NoStub { url, function: false, .. } if url.starts_with("https://api.example.com/score?who=")));
    // With it, the shell performs the request; polling again asks the same thing.
    let runner = Runner::new(
        &target,
        &file,
        RunOptions {
            allow_network: true,
            ..RunOptions::default()
        },
    );
    let mut case = runner.start(0, &file.cases[0]);
    let Progress::Request(first) = case.poll() else {
        panic!("a request")
    };
    assert_eq!(case.poll(), Progress::Request(first.clone()), "idempotent");
    assert!(matches!(&first, ShellRequest::Network { request } if request.method == "GET"));
    case.answer(ShellAnswer::Response {
        result: Ok(HttpResponse {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: r##"{"score": 9}"##.into(),
        }),
        logs: Vec::new(),
    });
    assert_eq!(case.poll(), Progress::Done);
    let result = case.into_result();
    assert!(result.passed(), "{:?}", result.failure);

    // A project Function gets the case's stubs as its fetch answers, unless the network is allowed.
    let target = example_target("random-number.json");
    let text = "stubs:\n  \"https://api.example.com/x\": {json: {a: 1}}\n  \"https://down.example.com\": {error: down}\ntests:\n  - name: x\n    conversation:\n      - contact: hi\n      - flow: Hi*\n      - contact: \"1\"\n      - flow: And*\n      - contact: \"2\"\n      - flow: Your random number is 1.\n";
    let mut seen = Vec::new();
    let results = run_with(&target, text, RunOptions::default(), &mut |r| {
        seen.push(r.clone());
        example_functions(r)
    });
    assert_all_pass(&results);
    let ShellRequest::Function { request, options } = &seen[0] else {
        panic!("a Function")
    };
    assert_eq!(request.url, "https://flowpen.local/random");
    assert_eq!(options.timeout_ms, 10_000);
    let fake = options.fake_fetch.as_ref().expect("stubs as fetch answers");
    assert_eq!(fake.len(), 1, "an error stub cannot be a fetch answer");
    assert_eq!(fake[0].url, "https://api.example.com/x");
    let mut seen = Vec::new();
    run_with(
        &target,
        text,
        RunOptions {
            allow_network: true,
            ..RunOptions::default()
        },
        &mut |r| {
            seen.push(r.clone());
            example_functions(r)
        },
    );
    assert!(
        matches!(&seen[0], ShellRequest::Function { options, .. } if options.fake_fetch.is_none())
    );
}

#[test]
fn timeouts_and_waits_take_no_real_time() {
    let target = example_target("random-number.json");
    let results = run(
        &target,
        r##"
tests:
  - name: wait less than the timeout, then reply
    conversation:
      - contact: hi
      - flow: Hi*
      - wait: 59m
      - contact: "1"
      - flow: And*
    expect: {status: waiting}
  - name: a wait past the deadline fires it
    conversation:
      - contact: hi
      - flow: Hi*
      - wait: 2h
    expect:
      reason: '*"min_value" has no next widget for "timeout"'
  - name: nothing to time out
    start: rest
    conversation:
      - timeout
"##,
    );
    assert!(results[0].passed(), "{:?}", results[0].failure);
    assert!(results[1].passed(), "{:?}", results[1].failure);
    let reply = &results[0].steps[1];
    assert_eq!(reply.ended_ms - reply.started_ms, 59 * 60_000);
    let timed_out = &results[1].steps[1];
    assert_eq!(timed_out.ended_ms - timed_out.started_ms, 3_600_000);
    let f = results[2].failure.as_ref().expect("fails");
    assert!(matches!(f.kind, FailureKind::NothingToTimeOut { .. }));
    assert_eq!(
        f.to_string(),
        "step 1 (line 21): `timeout`, but nothing waits for time: the execution ended normally (ended: \"Trigger\" has no next widget for \"incomingRequest\")"
    );
}

/// Set Variables and a Split that loop until Studio's 10 runs per widget.
fn loop_flow() -> flowpen_flow::Flow {
    flow(
        r##"{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingRequest", "next": "count"}], "properties": {"offset": {"x": 0, "y": 0}}},
        {"name": "count", "type": "set-variables", "transitions": [{"event": "next", "next": "check"}], "properties": {"variables": [{"key": "n", "value": "{{flow.variables.n | default: 0 | plus: 1}}"}], "offset": {"x": 0, "y": 0}}},
        {"name": "check", "type": "split-based-on", "transitions": [{"event": "noMatch", "next": "count"}, {"event": "match", "next": "gone", "conditions": [{"friendly_name": "n is 99", "arguments": ["{{flow.variables.n}}"], "type": "equal_to", "value": "99"}]}], "properties": {"input": "{{flow.variables.n}}", "offset": {"x": 0, "y": 0}}}"##,
    )
}

#[test]
fn statuses_and_reasons() {
    let target = Target::new(loop_flow());
    let results = run(
        &target,
        r##"
tests:
  - {name: limit, start: rest, expect: {status: limit}}
  - {name: run-limit, start: rest, expect: {status: run-limit, reason: {regex: '.*"count" already ran 10 times.*'}}}
  - {name: not ended, start: rest, expect: {status: ended}}
  - {name: not step-limit, start: rest, expect: {status: step-limit}}
  - {name: wrong reason, start: rest, expect: {status: limit, reason: "*step*"}}
  - {name: data, start: rest, expect: {status: limit, flow_data: {flow.variables.n: 10, flow.data: {}}}}
  - {name: missing data, start: rest, expect: {status: limit, flow_data: {flow.variables.m: 1}}}
"##,
    );
    let passed: Vec<bool> = results.iter().map(|r| r.passed()).collect();
    assert_eq!(passed, [true, true, false, false, false, true, false]);
    assert_eq!(
        results[2].failure.as_ref().expect("fails").to_string(),
        "expect (line 5): expected the execution to be ended (normally), but it is ended with run-limit (limit reached: \"count\" already ran 10 times in this execution (Studio stops a flow there))"
    );
    assert!(matches!(
        &results[6].failure.as_ref().expect("fails").kind,
        FailureKind::FlowData { actual: None, .. }
    ));
    let path = &results[0].path;
    assert_eq!(
        path.len(),
        21,
        "Trigger, then count and check ten times: {path:?}"
    );
}

#[test]
fn paths_that_differ_say_where() {
    let target = example_target("random-number.json");
    let results = run(
        &target,
        r##"
tests:
  - name: longer
    conversation: [{contact: hi}, {flow: "Hi*"}, timeout]
    expect: {path: [Trigger]}
  - name: different
    conversation: [{contact: hi}, {flow: "Hi*"}, timeout]
    expect: {path: [Trigger, max_value]}
"##,
    );
    let messages: Vec<String> = results
        .iter()
        .map(|r| r.failure.as_ref().expect("fails").kind.to_string())
        .collect();
    assert_eq!(
        messages,
        [
            "the path is longer: expected it to end after widget 1, but the execution went on to min_value",
            "the path differs at widget 2: expected max_value, the execution went to min_value",
        ]
    );
    assert_eq!(
        results[1]
            .failure
            .as_ref()
            .expect("fails")
            .widget
            .as_deref(),
        Some("min_value")
    );
}

#[test]
fn a_driven_run_delivers_every_output_and_checks_nothing() {
    let target = example_target("random-number.json");
    let drive = RunOptions {
        drive: true,
        ..RunOptions::default()
    };
    // Inputs only: the messages in between need no `flow:` step, and a waiting end is no failure.
    let text = "tests:\n  - name: driven\n    stubs: {\"https://flowpen.local/random\": {json: {number: 4}}}\n    conversation: [{contact: hi}, {contact: \"1\"}]\n";
    let results = run_with(&target, text, drive, &mut |r| {
        ShellAnswer::Fail(format!("no shell ({})", r.request().url))
    });
    let r = &results[0];
    assert!(r.passed(), "{:?}", r.failure);
    let sent: Vec<String> = r
        .transcript
        .iter()
        .filter_map(|l| match l {
            Line::Output(o) => Some(o.widget().to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(sent, ["min_value", "max_value"]);
    assert_eq!(
        r.waiting.as_ref().map(|w| w.widget.as_str()),
        Some("max_value")
    );
    assert_eq!(r.flow_data["widgets"]["min_value"]["inbound"]["Body"], "1");
    // The same script as a test fails: the first message is not expected.
    let results = run(&target, text);
    assert!(!results[0].passed());
    // An input the execution does not take still fails a driven run.
    let text = "tests:\n  - name: driven\n    conversation: [{contact: hi}, {press: \"1\"}]\n";
    let results = run_with(&target, text, drive, &mut |_| {
        ShellAnswer::Fail("none".into())
    });
    assert!(!results[0].passed());
}
