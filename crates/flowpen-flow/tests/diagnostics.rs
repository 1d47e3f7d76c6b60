//! Golden diagnostics for the 39 corpus flows (`tests/golden/diagnostics/`, `UPDATE_GOLDEN=1`
//! rewrites them), and the problems Studio would reject, one by one.

use flowpen_flow::{validate, Flow};
use flowpen_testkit::{assert_golden, corpus};

#[test]
fn corpus_diagnostics_match_the_golden_files() {
    let Some(files) = corpus("corpus_diagnostics_match_the_golden_files") else {
        return;
    };
    for (name, text) in &files {
        let flow = Flow::parse(text).unwrap();
        let mut out = String::new();
        for d in validate(&flow) {
            out.push_str(&d.to_string());
            out.push('\n');
        }
        let golden = format!(
            "tests/golden/diagnostics/{}.txt",
            name.trim_end_matches(".json")
        );
        assert_golden(env!("CARGO_MANIFEST_DIR"), &golden, &out);
    }
}

#[test]
fn dangling_save_to_airtable_is_reported() {
    let Some(files) = corpus("dangling_save_to_airtable_is_reported") else {
        return;
    };
    let (_, text) = files
        .iter()
        .find(|(n, _)| n.starts_with("31_"))
        .expect("corpus #31");
    let flow = Flow::parse(text).unwrap();
    let diags = validate(&flow);
    assert!(
        diags
            .iter()
            .any(|d| d.code == "dangling-next" && d.message.contains("\"SaveToAirtable\"")),
        "{diags:#?}"
    );
}

/// A small valid flow: Trigger → ask (Send & Wait) → check (Split) → reply (Send Message).
const BASE: &str = r#"{
  "description": "d",
  "states": [
    {"name": "Trigger", "type": "trigger", "transitions": [{"next": "ask", "event": "incomingMessage"}], "properties": {"offset": {"x": 0, "y": 0}}},
    {"name": "ask", "type": "send-and-wait-for-reply", "transitions": [{"next": "check", "event": "incomingMessage"}, {"event": "timeout"}, {"event": "deliveryFailure"}],
     "properties": {"offset": {"x": 0, "y": 100}, "from": "{{flow.channel.address}}", "body": "Pick 1 or 2", "timeout": "3600"}},
    {"name": "check", "type": "split-based-on", "transitions": [{"event": "noMatch"}, {"next": "reply", "event": "match", "conditions": [
      {"friendly_name": "1", "arguments": ["{{widgets.ask.inbound.Body}}"], "type": "equal_to", "value": "1"}]}],
     "properties": {"offset": {"x": 0, "y": 200}, "input": "{{widgets.ask.inbound.Body}}"}},
    {"name": "reply", "type": "send-message", "transitions": [{"event": "sent"}, {"event": "failed"}],
     "properties": {"offset": {"x": 0, "y": 300}, "from": "{{flow.channel.address}}", "to": "{{contact.channel.address}}", "body": "You said {{widgets.ask.inbound.Body}}"}}
  ],
  "initial_state": "Trigger",
  "flags": {"allow_concurrent_calls": true}
}"#;

/// `(code, widget, field)` of every diagnostic after applying `edit` to BASE's JSON text.
fn diagnose(edit: impl Fn(&str) -> String) -> Vec<(String, String, String)> {
    let flow = Flow::parse(&edit(BASE)).expect("the edited flow imports");
    validate(&flow)
        .into_iter()
        .map(|d| {
            (
                d.code.to_owned(),
                d.widget.unwrap_or_default(),
                d.field.unwrap_or_default(),
            )
        })
        .collect()
}

fn codes(edit: impl Fn(&str) -> String) -> Vec<String> {
    diagnose(edit).into_iter().map(|(c, ..)| c).collect()
}

#[test]
fn the_base_flow_is_clean() {
    assert_eq!(diagnose(str::to_owned), vec![]);
}

#[test]
fn each_problem_studio_rejects_is_reported() {
    // (what, edit of the JSON text, expected code, widget)
    type Edit = Box<dyn Fn(&str) -> String>;
    let cases: Vec<(&str, Edit, &str, &str)> = vec![
        (
            "duplicate names",
            Box::new(|s| s.replace("\"name\": \"reply\"", "\"name\": \"ask\"")),
            "duplicate-name",
            "ask",
        ),
        (
            "space in a name",
            Box::new(|s| s.replace("\"reply\"", "\"my reply\"")),
            "invalid-name",
            "my reply",
        ),
        (
            "period in a name",
            Box::new(|s| s.replace("\"reply\"", "\"re.ply\"")),
            "invalid-name",
            "re.ply",
        ),
        (
            "name starting with a digit",
            Box::new(|s| s.replace("\"reply\"", "\"1reply\"")),
            "invalid-name",
            "1reply",
        ),
        (
            "dangling next",
            Box::new(|s| s.replace("\"next\": \"reply\"", "\"next\": \"nowhere\"")),
            "dangling-next",
            "check",
        ),
        (
            "missing initial_state",
            Box::new(|s| s.replace("\"initial_state\": \"Trigger\",", "")),
            "missing-initial-state",
            "",
        ),
        (
            "wrong initial_state",
            Box::new(|s| {
                s.replace(
                    "\"initial_state\": \"Trigger\"",
                    "\"initial_state\": \"Start\"",
                )
            }),
            "unknown-initial-state",
            "",
        ),
        (
            "unreachable widget",
            Box::new(|s| s.replace("\"next\": \"ask\", ", "")),
            "unreachable",
            "ask",
        ),
        (
            "missing send body",
            Box::new(|s| {
                s.replace(
                    "\"body\": \"You said {{widgets.ask.inbound.Body}}\"",
                    "\"body\": \"  \"",
                )
            }),
            "missing-property",
            "reply",
        ),
        (
            "missing send to",
            Box::new(|s| s.replace("\"to\": \"{{contact.channel.address}}\", ", "")),
            "missing-property",
            "reply",
        ),
        (
            "missing split input",
            Box::new(|s| {
                s.replace(
                    "\"input\": \"{{widgets.ask.inbound.Body}}\"",
                    "\"input\": \"\"",
                )
            }),
            "missing-property",
            "check",
        ),
        (
            "unknown condition type",
            Box::new(|s| s.replace("\"type\": \"equal_to\"", "\"type\": \"equals\"")),
            "unknown-condition-type",
            "check",
        ),
        (
            "duplicate event",
            Box::new(|s| {
                s.replace(
                    "{\"event\": \"timeout\"}",
                    "{\"event\": \"timeout\"}, {\"event\": \"timeout\"}",
                )
            }),
            "duplicate-event",
            "ask",
        ),
        (
            "unknown event",
            Box::new(|s| s.replace("{\"event\": \"failed\"}", "{\"event\": \"delivered\"}")),
            "unknown-event",
            "reply",
        ),
        (
            "Liquid syntax",
            Box::new(|s| {
                s.replace(
                    "You said {{widgets.ask.inbound.Body}}",
                    "You said {{widgets.ask.inbound.Body",
                )
            }),
            "liquid-syntax",
            "reply",
        ),
        (
            "unknown widget in Liquid",
            Box::new(|s| s.replace("You said {{widgets.ask.", "You said {{widgets.asked.")),
            "unknown-widget-reference",
            "reply",
        ),
        (
            "timeout not a number",
            Box::new(|s| s.replace("\"timeout\": \"3600\"", "\"timeout\": \"soon\"")),
            "bad-property",
            "ask",
        ),
        (
            "flags missing",
            Box::new(|s| s.replace(",\n  \"flags\": {\"allow_concurrent_calls\": true}", "")),
            "missing-flags",
            "",
        ),
        (
            "two triggers",
            Box::new(|s| s.replace("\"type\": \"send-message\"", "\"type\": \"trigger\"")),
            "multiple-triggers",
            "",
        ),
    ];
    for (what, edit, code, widget) in cases {
        let found = diagnose(edit);
        assert!(
            found.iter().any(|(c, w, _)| c == code && w == widget),
            "{what}: expected {code} on {widget:?}, got {found:?}"
        );
    }
}

#[test]
fn liquid_errors_point_into_the_template() {
    let flow = Flow::parse(&BASE.replace(
        "You said {{widgets.ask.inbound.Body}}",
        "line one\\nline {% if %}",
    ))
    .unwrap();
    let d = validate(&flow)
        .into_iter()
        .find(|d| d.code == "liquid-syntax")
        .expect("a liquid-syntax diagnostic");
    assert_eq!(d.field.as_deref(), Some("properties.body"));
    let (line, column) = d.position.expect("a position");
    assert_eq!(line, 2, "{d:?}");
    assert!(column >= 6, "{d:?}");
}

#[test]
fn more_than_a_thousand_widgets_is_an_error() {
    let many: String = (0..1000)
        .map(|i| format!(",{{\"name\":\"w{i}\",\"type\":\"set-variables\",\"transitions\":[{{\"event\":\"next\"}}],\"properties\":{{\"variables\":[]}}}}"))
        .collect();
    let text = BASE.replacen(
        "\n  ],\n  \"initial_state\"",
        &format!("{many}\n  ],\n  \"initial_state\""),
        1,
    );
    assert!(codes(|_| text.clone()).contains(&"too-many-states".to_owned()));
    // The diagnostics never stop at the first problem.
    assert!(
        codes(|s| s
            .replace("\"reply\"", "\"re ply\"")
            .replace("\"type\": \"equal_to\"", "\"type\": \"x\""))
        .len()
            >= 2
    );
}

#[test]
fn generated_benchmark_flows_are_valid() {
    for mixed in [true, false] {
        let flow = Flow::parse(&flowpen_testkit::generated_flow(200, mixed)).expect("imports");
        assert_eq!(flow.states.len(), 201);
        let problems: Vec<_> = validate(&flow).into_iter().map(|d| d.to_string()).collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
