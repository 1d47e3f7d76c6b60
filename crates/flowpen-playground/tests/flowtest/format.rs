//! The test file format: what reads, what it reads as, and every error with its line and column.

use flowpen_playground::flowtest::{
    self, Action, ExpectStatus, Expected, ReadErrorKind, Start, ValueMatch, YamlErrorKind,
    DEFAULT_TIME_MS, MAX_CASES, MAX_TEXT_BYTES,
};

use crate::example_tests;

#[test]
fn the_examples_test_files_read() {
    for (file, cases) in [
        ("random-number.json", 8),
        ("dog-breed.json", 3),
        ("retry-counter.json", 4),
    ] {
        let t = flowtest::parse(example_tests(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(t.flow.as_deref(), Some(file));
        assert_eq!(t.cases.len(), cases, "{file}");
        assert_eq!(t.functions.len(), 1, "{file}");
    }
}

#[test]
fn a_case_reads_as_written() {
    let t = flowtest::parse(
        r##"
flow: random-number.json
tests:
  - name: picks a number
    start: rest
    from: "+15550001111"
    to: +15559990000
    parameters: {order: A-17, n: 3}
    time: 2026-03-01T12:00:00Z
    stubs:
      "https://flowpen.local/random": {status: 201, json: {number: 4}}
      "https://example.com/score":
        - {status: 500, body: boom}
        - {headers: {content-type: application/json, set-cookie: [a=1, b=2]}, body: '{"ok":true}'}
        - {delay_ms: 11000}
        - {error: connection refused}
    conversation:
      - flow: "Hi!*"
        media: {regex: "https://.*"}
        widget: min_value
        fail: true
      - contact: "3"
        media: [https://example.com/a.png]
      - timeout
      - wait: 1m30s
      - press: "1#"
      - speech: sales
        confidence: 0.5
      - record: Knock knock
        duration: 4
        end: "#"
      - hangup
      - event: callCompleted
        variables: {DialCallStatus: completed, DialCallDuration: 12}
      - flow: {say: "Welcome*"}
      - flow: {play: "https://*.mp3"}
      - flow: {digits: {regex: "[0-9w]+"}}
    expect:
      status: run-limit
      reason: "*ran 10 times*"
      path: [Trigger, a]
      flow_data:
        flow.variables.count: "3"
        widgets.x.parsed: {number: 4}
        widgets.x.list: [1, two]
        widgets.x.gone: ~
        widgets.x.sid: {glob: "SM*"}
"##,
    )
    .expect("reads");
    let c = &t.cases[0];
    assert_eq!(c.start, Start::Rest);
    assert_eq!(c.from.as_deref(), Some("+15550001111"));
    assert_eq!(
        c.to.as_deref(),
        Some("+15559990000"),
        "a plain number keeps its text"
    );
    assert_eq!(
        c.parameters,
        Some(serde_json::json!({"order": "A-17", "n": 3}))
    );
    assert_eq!(c.time_ms, Some(1_772_366_400_000));
    assert_eq!(c.stubs.entries.len(), 2);
    let first = &c.stubs.entries[0].responses[0];
    assert_eq!(first.status, 201);
    assert_eq!(first.body, r##"{"number":4}"##);
    assert_eq!(
        first.headers,
        vec![("content-type".to_owned(), "application/json".to_owned())]
    );
    let list = &c.stubs.entries[1].responses;
    assert_eq!(list.len(), 4);
    assert_eq!(
        list[1].headers.len(),
        3,
        "a list of values repeats the header"
    );
    assert_eq!(list[2].delay_ms, 11_000);
    assert_eq!(list[3].error.as_deref(), Some("connection refused"));
    let kinds: Vec<&str> = c.conversation.iter().map(|s| s.action.keyword()).collect();
    assert_eq!(
        kinds,
        [
            "flow", "contact", "timeout", "wait", "press", "speech", "record", "hangup", "event",
            "flow", "flow", "flow"
        ]
    );
    let Action::Flow(f) = &c.conversation[0].action else {
        panic!("flow")
    };
    assert!(f.fail && f.widget.as_deref() == Some("min_value") && f.media.is_some());
    assert_eq!(
        (c.conversation[0].at.line, c.conversation[0].at.column),
        (18, 9)
    );
    assert!(matches!(
        c.conversation[3].action,
        Action::Wait { ms: 90_000 }
    ));
    assert!(
        matches!(&c.conversation[9].action, Action::Flow(f) if matches!(f.what, Expected::Say(_)))
    );
    let Action::Event { variables, .. } = &c.conversation[8].action else {
        panic!("event")
    };
    assert_eq!(variables[1].1, serde_json::json!(12));
    assert_eq!(
        c.expect.status,
        ExpectStatus::Kind(flowtest::EndKind::RunLimit)
    );
    assert_eq!(c.expect.flow_data.len(), 5);
    assert_eq!(c.expect.flow_data[0].value, ValueMatch::Scalar("3".into()));
    assert_eq!(c.expect.flow_data[3].value, ValueMatch::Null);
}

#[test]
fn defaults_are_a_message_start_that_must_end() {
    let t = flowtest::parse("tests:\n  - name: x\n    conversation:\n      - contact: hi\n")
        .expect("reads");
    let c = &t.cases[0];
    assert_eq!(c.start, Start::Message);
    assert_eq!(c.expect.status, ExpectStatus::Ended);
    assert_eq!(c.time_ms, None);
    assert!(t.flow.is_none());
    assert_eq!(DEFAULT_TIME_MS % 1000, 0);
}

#[test]
fn json_text_reads_as_yaml_does() {
    let yaml = flowtest::parse(
        "flow: f.json\ntests:\n  - name: a\n    conversation:\n      - contact: hi\n      - flow: \"Hi*\"\n      - timeout\n    expect: {status: ended, path: [Trigger]}\n",
    )
    .expect("yaml");
    let json = flowtest::parse(
        r##"{"flow": "f.json", "tests": [{"name": "a", "conversation": [{"contact": "hi"}, {"flow": "Hi*"}, "timeout"], "expect": {"status": "ended", "path": ["Trigger"]}}]}"##,
    )
    .expect("json");
    assert_eq!(
        flowtest::write_file(&yaml),
        flowtest::write_file(&json),
        "the same file either way"
    );
}

/// (text, line, column, a part of the message)
const ERRORS: &[(&str, usize, usize, &str)] = &[
    ("", 1, 1, "the test file needs `tests`"),
    ("flow: x.json\n", 1, 1, "the test file needs `tests`"),
    ("- a\n- b\n", 1, 1, "the test file must be a mapping, found a list"),
    ("tests: 3\n", 1, 8, "`tests` must be a list, found a number"),
    ("tets: []\n", 1, 1, "unknown key `tets` in the test file"),
    ("tests:\n  - conversation: []\n", 2, 5, "a case needs `name`"),
    ("tests:\n  - name: a\n    nmae: b\n", 3, 5, "unknown key `nmae` in a case"),
    ("tests:\n  - name: a\n    start: sms\n", 3, 12, "`start` is one of message, call, rest"),
    ("tests:\n  - name: a\n", 2, 5, "`conversation` must begin with the contact's message for a message start"),
    ("tests:\n  - name: a\n    conversation:\n      - flow: hi\n", 4, 9, "must begin with the contact's message"),
    ("tests:\n  - name: a\n    start: call\n    conversation:\n      - press: 12a\n", 5, 16, "`press` is keys of a phone"),
    ("tests:\n  - name: a\n    start: call\n    conversation:\n      - shout: hi\n", 5, 9, "unknown key `shout` in a step"),
    ("tests:\n  - name: a\n    start: call\n    conversation:\n      - press: \"1\"\n        speech: hi\n", 5, 9, "a step has exactly one of contact, flow"),
    ("tests:\n  - name: a\n    start: call\n    conversation:\n      - press: \"1\"\n        media: x\n", 6, 9, "`media` does not go with `press`"),
    ("tests:\n  - name: a\n    start: call\n    conversation:\n      - timeout: 5\n", 5, 18, "`timeout` takes no value"),
    ("tests:\n  - name: a\n    start: call\n    conversation:\n      - boom\n", 5, 9, "\"boom\" is not a step"),
    ("tests:\n  - name: a\n    start: call\n    conversation:\n      - wait: soon\n", 5, 15, "`wait` is a duration"),
    ("tests:\n  - name: a\n    start: call\n    conversation:\n      - speech: hi\n        confidence: 2\n", 6, 21, "`confidence` is a number from 0 to 1"),
    ("tests:\n  - name: a\n    start: call\n    conversation:\n      - flow: {regex: \"(\"}\n", 5, 23, "`regex`"),
    ("tests:\n  - name: a\n    start: call\n    conversation:\n      - flow: {shout: x}\n", 5, 16, "unknown key `shout` in a flow step"),
    ("tests:\n  - name: a\n    start: call\n    expect:\n      status: done\n", 5, 15, "`status` is ended, waiting or one of"),
    ("tests:\n  - name: a\n    start: call\n    expect:\n      path: Trigger\n", 5, 13, "`path` must be a list"),
    ("tests:\n  - name: a\n    start: call\n    stubs:\n      u: {status: 700}\n", 5, 19, "`status` must be a whole number from 100 to 599"),
    ("tests:\n  - name: a\n    start: call\n    stubs:\n      u: {body: a, json: {}}\n", 5, 17, "`body` and `json` cannot both"),
    ("tests:\n  - name: a\n    start: call\n    stubs:\n      u: {error: x, status: 200}\n", 5, 21, "`status` does not go with `error`"),
    ("tests:\n  - name: a\n    start: call\n    stubs:\n      u: []\n", 5, 10, "`u` lists at least one response"),
    ("tests:\n  - name: a\n    start: call\n    time: yesterday\n", 4, 11, "`time` is a UTC time"),
    ("tests:\n  - name: a\n    parameters: {a: 1}\n    conversation:\n      - contact: hi\n", 3, 17, "`parameters` apply to `start: rest`"),
    ("tests:\n  - name: a\n    start: call\n    parameters: {a: [1]}\n", 4, 21, "`a` must be text (a call's webhook parameter)"),
    ("tests:\n  - name: a\n    start: call\n  - name: a\n    start: call\n    name: b\n", 6, 5, "the key \"name\" appears twice"),
    ("tests: [\n", 2, 1, "not YAML"),
    ("a: 1\n---\nb: 2\n", 2, 1, "one YAML document"),
    ("tests:\n  - name: !!binary a\n", 2, 11, "the tag !!binary is not supported"),
];

#[test]
fn errors_point_at_a_line_and_column() {
    for (text, line, column, message) in ERRORS {
        let err = flowtest::parse(text).expect_err(text);
        let shown = err.to_string();
        assert!(
            shown.contains(message),
            "{text:?}: {shown:?} lacks {message:?}"
        );
        assert_eq!(
            (err.line, err.column),
            (*line, *column),
            "{text:?}: {shown}"
        );
        assert!(shown.starts_with(&format!("line {line}, column {column}: ")));
    }
}

#[test]
fn limits_are_errors_not_work() {
    let mut many = String::from("tests:\n");
    for i in 0..=MAX_CASES {
        many.push_str(&format!("  - {{name: c{i}, start: call}}\n"));
    }
    let err = flowtest::parse(&many).expect_err("too many cases");
    assert_eq!(err.line, MAX_CASES + 2);
    assert!(matches!(
        err.kind,
        ReadErrorKind::TooMany { what: "cases", .. }
    ));

    let huge = format!("tests: []\n#{}\n", "x".repeat(MAX_TEXT_BYTES));
    let err = flowtest::parse(&huge).expect_err("too large");
    assert!(matches!(
        err.kind,
        ReadErrorKind::Yaml(YamlErrorKind::TooLarge { .. })
    ));

    let mut laughs = String::from("x0: &x0 [a, a, a, a, a, a, a, a]\n");
    for i in 1..12 {
        let p = format!("*x{}", i - 1);
        laughs.push_str(&format!("x{i}: &x{i} [{}]\n", vec![p; 8].join(", ")));
    }
    laughs.push_str("tests: []\n");
    let err = flowtest::parse(&laughs).expect_err("billion laughs");
    assert!(matches!(
        err.kind,
        ReadErrorKind::Yaml(YamlErrorKind::TooManyNodes)
    ));
}
