//! Whole flows: building one as a user would, and every corpus flow.

use flowpen_flow::{json, Flow, WidgetType};
use flowpen_playground::editor::{cards, Action, EditorState, KvField, Level};

use super::{add, connect, empty, example, index, run, text, without_offsets};

/// The seed's random-number flow (two Send & Wait, a Run Function with `min`/`max`, a Send
/// Message), built with the actions the UI dispatches; the e2e test builds the same by mouse.
#[test]
fn building_the_random_number_flow_exports_the_expected_studio_json() {
    let mut s = empty();
    for kind in [
        WidgetType::SendAndWaitForReply,
        WidgetType::SendAndWaitForReply,
        WidgetType::RunFunction,
        WidgetType::SendMessage,
    ] {
        add(&mut s, kind);
    }
    let names = [
        ("send_and_reply_1", "min_value"),
        ("send_and_reply_2", "max_value"),
        ("function_1", "get_num"),
        ("send_message_1", "send_result"),
    ];
    for (old, new) in names {
        let i = index(&s, old);
        s.update(Action::Rename {
            index: i,
            name: new.into(),
        });
    }
    let (min, max, f, m) = (
        index(&s, "min_value"),
        index(&s, "max_value"),
        index(&s, "get_num"),
        index(&s, "send_result"),
    );
    let set = |s: &mut EditorState, index: usize, key: &str, v: &str| {
        s.update(Action::SetProperty {
            index,
            key: key.into(),
            value: text(v),
        });
    };
    set(
        &mut s,
        min,
        "body",
        "Hi! I pick random numbers. What is the smallest number I may pick?",
    );
    set(&mut s, max, "body", "And the largest?");
    set(&mut s, f, "url", "https://flowpen.local/random");
    set(
        &mut s,
        m,
        "body",
        "Your random number is {{widgets.get_num.parsed.number}}.",
    );
    for (k, v) in [
        ("min", "{{widgets.min_value.inbound.Body}}"),
        ("max", "{{widgets.max_value.inbound.Body}}"),
    ] {
        let item = s.doc.flow.states[f].key_values("parameters").len();
        run(
            &mut s,
            [
                Action::AddKeyValue {
                    index: f,
                    key: "parameters".into(),
                },
                Action::SetKeyValue {
                    index: f,
                    key: "parameters".into(),
                    item,
                    field: KvField::Key,
                    text: k.into(),
                },
                Action::SetKeyValue {
                    index: f,
                    key: "parameters".into(),
                    item,
                    field: KvField::Value,
                    text: v.into(),
                },
            ],
        );
    }
    connect(&mut s, "Trigger", "incomingMessage", "min_value");
    connect(&mut s, "min_value", "incomingMessage", "max_value");
    connect(&mut s, "max_value", "incomingMessage", "get_num");
    connect(&mut s, "get_num", "success", "send_result");
    s.update(Action::SetDescription("Random number generator".into()));

    let expected_text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/e2e/fixtures/random-number.expected.json"),
    )
    .expect("the expected export");
    let expected = json::parse(&expected_text).unwrap();
    let exported = json::parse(&s.export_text()).unwrap();
    assert_eq!(
        without_offsets(exported).to_pretty(),
        without_offsets(expected).to_pretty()
    );
    let errors: Vec<_> = s
        .doc
        .diagnostics
        .iter()
        .filter(|d| d.severity == flowpen_flow::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn every_corpus_flow_opens_with_a_card_per_widget_and_a_port_per_transition() {
    let Some(files) = flowpen_testkit::corpus(
        "every_corpus_flow_opens_with_a_card_per_widget_and_a_port_per_transition",
    ) else {
        return;
    };
    let mut s = example();
    for (file, text) in &files {
        s.update(Action::Open {
            text: text.clone(),
            source: file.clone(),
        });
        assert_eq!(
            s.chrome.notice.as_ref().map(|n| n.level),
            Some(Level::Info),
            "{file}"
        );
        let flow = Flow::parse(text).unwrap();
        assert_eq!(
            s.doc.flow.to_json(),
            flow.to_json(),
            "{file}: opened unchanged"
        );
        assert_eq!(s.doc.cards.len(), flow.states.len(), "{file}");
        for (i, state) in flow.states.iter().enumerate() {
            let card = &s.doc.cards[i];
            assert_eq!(card.name, state.name);
            for t in 0..state.transitions.len() {
                assert!(
                    card.ports.iter().any(|p| p.transition == Some(t)),
                    "{file}: {} transition #{t} has a port",
                    state.name
                );
            }
            let labels: Vec<&str> = card.ports.iter().map(|p| p.label.as_str()).collect();
            assert_eq!((card.rect.w, card.rect.h), cards::card_size(&labels));
            for p in &card.ports {
                let r = p.rect;
                assert!(
                    r.x >= 0.0 && r.x + r.w <= card.rect.w && r.y + r.h <= card.rect.h,
                    "{file}: {}'s port {} lies inside the card",
                    state.name,
                    p.label
                );
            }
        }
        for e in s.doc.edges.iter() {
            let port = &s.doc.cards[e.from].ports[e.port];
            assert_eq!(
                port.target.as_deref(),
                Some(s.doc.cards[e.to].name.as_str()),
                "{file}"
            );
        }
        // The view shows the whole flow.
        let seen = s.canvas.viewport.visible(s.canvas.canvas_size);
        if let Some(b) = cards::bounds(&s.doc.cards) {
            assert!(
                seen.x <= b.x + 1.0 && seen.y <= b.y + 1.0 || s.canvas.viewport.zoom <= 0.1 + 1e-9,
                "{file}: fitted"
            );
        }
    }
    assert_eq!(files.len(), 39);
}
