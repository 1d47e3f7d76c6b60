//! Calls (speech, keys, recordings, hanging up, the outside world), subflows, and coverage.

use flowpen_playground::flowtest::{Coverage, FailureKind, Target};
use flowpen_playground::project::Subflow;

use crate::{
    assert_all_pass, example_functions, example_target, example_tests, flow, run, run_with,
};

/// A small IVR: a greeting, a menu that listens for keys and speech, a voicemail, and a hand-off
/// to an agent (Connect Call To).
fn ivr() -> flowpen_flow::Flow {
    flow(
        r##"{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingMessage"}, {"event": "incomingCall", "next": "hello"}], "properties": {"offset": {"x": 0, "y": 0}}},
        {"name": "hello", "type": "say-play", "transitions": [{"event": "audioComplete", "next": "menu"}], "properties": {"say": "Welcome to {{flow.channel.address}}", "voice": "Polly.Amy", "offset": {"x": 0, "y": 0}}},
        {"name": "menu", "type": "gather-input-on-call", "transitions": [{"event": "keypress", "next": "route"}, {"event": "speech", "next": "route"}, {"event": "timeout", "next": "beep"}], "properties": {"say": "Press 1 or say sales", "number_of_digits": 1, "timeout": 5, "offset": {"x": 0, "y": 0}}},
        {"name": "route", "type": "split-based-on", "transitions": [{"event": "noMatch", "next": "voicemail"}, {"event": "match", "next": "agent", "conditions": [{"friendly_name": "1", "arguments": ["{{widgets.menu.Digits}}"], "type": "equal_to", "value": "1"}]}, {"event": "match", "next": "agent", "conditions": [{"friendly_name": "sales", "arguments": ["{{widgets.menu.SpeechResult}}"], "type": "matches_any_of", "value": "sales"}]}], "properties": {"input": "{{widgets.menu.Digits}}{{widgets.menu.SpeechResult}}", "offset": {"x": 0, "y": 0}}},
        {"name": "beep", "type": "say-play", "transitions": [{"event": "audioComplete", "next": "voicemail"}], "properties": {"digits": "ww1", "offset": {"x": 0, "y": 0}}},
        {"name": "voicemail", "type": "record-voicemail", "transitions": [{"event": "recordingComplete"}, {"event": "noAudio"}, {"event": "hangup"}], "properties": {"timeout": 5, "finish_on_key": "#", "offset": {"x": 0, "y": 0}}},
        {"name": "agent", "type": "connect-call-to", "transitions": [{"event": "callCompleted"}, {"event": "hangup"}], "properties": {"noun": "number", "to": "+15550009999", "caller_id": "{{contact.channel.address}}", "offset": {"x": 0, "y": 0}}}"##,
    )
}

#[test]
fn calls_are_scripted_with_keys_speech_recordings_and_events() {
    let target = Target::new(ivr());
    let results = run(
        &target,
        r##"
tests:
  - name: a key reaches an agent
    start: call
    to: "+15557770000"
    conversation:
      - flow: {say: Welcome to +15557770000}
      - flow: {say: Press 1*}
      - press: "1"
      - event: callCompleted
        variables: {DialCallStatus: completed, DialCallDuration: "42"}
    expect:
      path: [Trigger, hello, menu, route, agent]
      flow_data:
        widgets.agent.DialCallStatus: completed
        widgets.agent.DialCallDuration: 42
        widgets.hello.voice: Polly.Amy
  - name: speech reaches an agent too
    start: call
    conversation:
      - flow: {say: Welcome*}
      - flow: {say: Press 1*}
      - speech: sales
        confidence: 0.42
      - hangup
    expect:
      path: [Trigger, hello, menu, route, agent]
      flow_data:
        widgets.menu.SpeechResult: sales
        widgets.menu.Confidence: "0.42"
  - name: silence, a beep and a voicemail
    start: call
    conversation:
      - flow: {say: Welcome*}
      - flow: {say: Press 1*}
      - timeout
      - flow: {digits: ww1}
      - record: Call me back
        end: "#"
    expect:
      path: [Trigger, hello, menu, beep, voicemail]
  - name: hanging up at the menu ends the call
    start: call
    conversation:
      - flow: {say: Welcome*}
      - flow: {say: Press 1*}
      - hangup
    expect:
      status: call-ended
      path: [Trigger, hello, menu]
  - name: an event the widget does not have
    start: call
    conversation:
      - flow: {say: Welcome*}
      - flow: {say: Press 1*}
      - press: "1"
      - event: answered
  - name: keys when the flow waits for the outside world
    start: call
    conversation:
      - flow: {say: Welcome*}
      - flow: {say: Press 1*}
      - press: "1"
      - press: "2"
  - name: a voice expectation for a message flow
    conversation:
      - contact: hi
      - flow: {say: "*"}
  - name: audio cannot fail to send
    start: call
    conversation:
      - flow: {say: Welcome*}
        fail: true
"##,
    );
    for r in &results[..4] {
        assert!(r.passed(), "{}: {:?}", r.name, r.failure);
    }
    let kinds: Vec<String> = results[4..]
        .iter()
        .map(|r| r.failure.as_ref().expect("fails").to_string())
        .collect();
    assert!(kinds[0].starts_with("step 4 (line 57): event: answered, which is refused: \"agent\" can end with callCompleted, hangup, not \"answered\""), "{}", kinds[0]);
    assert!(kinds[1].contains("press: 2, but the execution does not take it: agent waits for the outside world (callCompleted, hangup)"), "{}", kinds[1]);
    assert!(matches!(
        results[6].failure.as_ref().expect("fails").kind,
        FailureKind::MissingOutput { .. }
    ));
    assert!(
        kinds[3].contains("only a message can fail to send"),
        "{}",
        kinds[3]
    );
}

/// A parent that runs a subflow by its SID, and the subflow.
fn parent_and_child() -> Target {
    let parent = flow(
        r##"{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingMessage", "next": "ask"}], "properties": {"offset": {"x": 0, "y": 0}}},
        {"name": "ask", "type": "run-subflow", "transitions": [{"event": "completed", "next": "thanks"}, {"event": "failed"}], "properties": {"flow_sid": "FW1", "flow_revision": "LatestPublished", "parameters": [{"key": "who", "value": "{{trigger.message.Body}}"}], "offset": {"x": 0, "y": 0}}},
        {"name": "thanks", "type": "send-message", "transitions": [{"event": "sent"}, {"event": "failed"}], "properties": {"body": "Thanks, {{widgets.ask.answer}}", "to": "{{contact.channel.address}}", "from": "{{flow.channel.address}}", "offset": {"x": 0, "y": 0}}}"##,
    );
    let child = flow(
        r##"{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingParent", "next": "q"}], "properties": {"offset": {"x": 0, "y": 0}}},
        {"name": "q", "type": "send-and-wait-for-reply", "transitions": [{"event": "incomingMessage", "next": "keep"}, {"event": "timeout"}, {"event": "deliveryFailure"}], "properties": {"body": "Hi {{trigger.parent.parameters.who}}, why?", "timeout": "60", "offset": {"x": 0, "y": 0}}},
        {"name": "keep", "type": "set-variables", "transitions": [{"event": "next"}], "properties": {"variables": [{"key": "answer", "value": "{{widgets.q.inbound.Body}}"}], "offset": {"x": 0, "y": 0}}}"##,
    );
    Target {
        flow: parent,
        functions: Default::default(),
        subflows: vec![Subflow {
            name: "questions".into(),
            sid: "FW1".into(),
            flow: child.into(),
        }],
    }
}

#[test]
fn subflows_run_inside_the_case_and_count_for_coverage() {
    let target = parent_and_child();
    let results = run(
        &target,
        r##"
tests:
  - name: answers the subflow
    conversation:
      - contact: Ada
      - flow: Hi Ada, why?
      - contact: because
      - flow: Thanks, because
    expect:
      path: [Trigger, ask, thanks]
      flow_data:
        widgets.ask.answer: because
        trigger.message.Body: Ada
  - name: waits inside the subflow
    conversation:
      - contact: Ada
      - flow: Hi Ada, why?
    expect:
      status: waiting
      path: [Trigger, ask]
      flow_data:
        trigger.message.Body: Ada
        widgets.q: ~
"##,
    );
    assert_all_pass(&results);
    let mut coverage = Coverage::new(&target);
    coverage.add(&target, &results[1]);
    assert_eq!(coverage.flows[0].widget_counts(), (2, 3), "Trigger and ask");
    assert_eq!(coverage.flows[1].subflow.as_deref(), Some("questions"));
    assert_eq!(coverage.flows[1].widget_counts(), (2, 3), "Trigger and q");
    coverage.add(&target, &results[0]);
    assert_eq!(coverage.flows[0].widget_counts(), (3, 3));
    assert_eq!(coverage.flows[1].widget_counts(), (3, 3));
    let untaken: Vec<String> = coverage.flows[1]
        .untaken()
        .map(|t| format!("{}.{}", t.widget, t.event))
        .collect();
    assert_eq!(untaken, ["q.timeout", "q.deliveryFailure"]);
    assert_eq!(coverage.cases, 2);
}

#[test]
fn coverage_tells_split_conditions_apart() {
    let target = example_target("retry-counter.json");
    let results = run_with(
        &target,
        example_tests("retry-counter.json"),
        Default::default(),
        &mut example_functions,
    );
    assert_all_pass(&results);
    let mut coverage = Coverage::new(&target);
    for r in &results[..1] {
        coverage.add(&target, r);
    }
    let check: Vec<(String, usize)> = coverage
        .main()
        .transitions
        .iter()
        .filter(|t| t.widget == "check_count")
        .map(|t| (t.event.clone(), t.hits))
        .collect();
    assert_eq!(check, [("noMatch".to_owned(), 2), ("match".to_owned(), 0)]);
    for r in &results[1..] {
        coverage.add(&target, r);
    }
    let unreached: Vec<&str> = coverage
        .main()
        .unreached()
        .map(|w| w.name.as_str())
        .collect();
    assert!(unreached.is_empty(), "{unreached:?}");
    let untaken: Vec<String> = coverage
        .main()
        .untaken()
        .map(|t| format!("{}.{}", t.widget, t.event))
        .collect();
    assert_eq!(
        untaken,
        [
            "Trigger.incomingCall",
            "Trigger.incomingConversationMessage",
            "Trigger.incomingParent",
            "send_success.failed",
            "send_failure.failed"
        ]
    );
    assert_eq!(coverage.main().transition_counts(), (9, 14));
}
