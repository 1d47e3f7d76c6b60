//! Edit operations: each one applied and then undone gives back the flow exactly (op + inverse =
//! identity), and redo gives the edited flow again. Checked on every corpus flow.

use flowpen_flow::edit::{self, Edit};
use flowpen_flow::templates::{template_fields, widget_refs};
use flowpen_flow::{json, Condition, Flow, Json, Offset, WidgetType};
use flowpen_testkit::corpus;

/// Applies `op`, checks undo and redo, and returns the edited flow.
#[track_caller]
fn check(flow: &Flow, op: Edit) -> Flow {
    let mut edited = flow.clone();
    let inverse = edit::apply(&mut edited, op).expect("the edit applies");
    let mut undone = edited.clone();
    let redo = edit::apply(&mut undone, inverse).expect("the inverse applies");
    assert_eq!(
        undone.to_json(),
        flow.to_json(),
        "undo gives back the original"
    );
    assert_eq!(undone, *flow);
    let mut redone = undone;
    edit::apply(&mut redone, redo).expect("redo applies");
    assert_eq!(
        redone.to_json(),
        edited.to_json(),
        "redo gives the edited flow"
    );
    edited
}

fn corpus_flows(test: &str) -> Vec<(String, Flow)> {
    let Some(files) = corpus(test) else {
        return Vec::new();
    };
    files
        .into_iter()
        .map(|(n, t)| (n, Flow::parse(&t).unwrap()))
        .collect()
}

#[test]
fn rename_updates_transitions_and_liquid_references_everywhere() {
    let flows = corpus_flows("rename_updates_transitions_and_liquid_references_everywhere");
    let mut renamed_with_refs = 0;
    for (file, flow) in &flows {
        for i in 0..flow.states.len() {
            let old = flow.states[i].name.clone();
            if flow.states.iter().filter(|s| s.name == old).count() > 1 {
                continue; // Ambiguous names cannot be renamed meaningfully; validation reports them.
            }
            let new = format!("renamed-{i}");
            let had_refs = flow.states.iter().any(|s| {
                template_fields(s)
                    .iter()
                    .any(|f| widget_refs(f.text).iter().any(|r| r.name == old))
            });
            let op =
                edit::rename(flow, i, &new).unwrap_or_else(|e| panic!("{file}: rename {old}: {e}"));
            let out = check(flow, op);
            assert_eq!(out.states[i].name, new);
            for s in &out.states {
                for t in &s.transitions {
                    assert_ne!(
                        t.next.as_deref(),
                        Some(old.as_str()),
                        "{file}: a transition still leads to {old}"
                    );
                }
                for f in template_fields(s) {
                    assert!(
                        widget_refs(f.text).iter().all(|r| r.name != old),
                        "{file}: {}.{} still refers to widgets.{old}",
                        s.name,
                        f.path
                    );
                }
            }
            if had_refs {
                renamed_with_refs += 1;
                assert!(
                    out.states
                        .iter()
                        .any(|s| template_fields(s)
                            .iter()
                            .any(|f| widget_refs(f.text).iter().any(|r| r.name == new))),
                    "{file}: references to {old} were not renamed to {new}"
                );
            }
        }
    }
    if !flows.is_empty() {
        assert!(
            renamed_with_refs > 50,
            "only {renamed_with_refs} renamed widgets had Liquid references"
        );
    }
}

#[test]
fn rename_rejects_bad_and_taken_names() {
    let mut flow = Flow::new();
    let add = edit::add_widget(&flow, WidgetType::SendMessage, Offset::default());
    edit::apply(&mut flow, add).unwrap();
    for bad in ["", "1abc", "has space", "dot.ted", "Trigger"] {
        assert!(edit::rename(&flow, 1, bad).is_err(), "{bad:?} is rejected");
    }
    assert!(edit::rename(&flow, 1, "ok-name_2").is_ok());
}

#[test]
fn delete_clears_transitions_into_the_deleted_widget() {
    for (file, flow) in &corpus_flows("delete_clears_transitions_into_the_deleted_widget") {
        for i in 0..flow.states.len() {
            let name = flow.states[i].name.clone();
            match edit::delete(flow, &[i]) {
                Ok(op) => {
                    let out = check(flow, op);
                    assert_eq!(out.states.len(), flow.states.len() - 1);
                    if out.index_of(&name).is_none() {
                        let dangling = out
                            .states
                            .iter()
                            .flat_map(|s| &s.transitions)
                            .any(|t| t.next.as_deref() == Some(&name));
                        assert!(
                            !dangling,
                            "{file}: a transition still leads to deleted {name}"
                        );
                    }
                }
                Err(e) => assert_eq!(flow.states[i].kind, WidgetType::Trigger, "{file}: {e}"),
            }
        }
        // Several at once, in any order.
        let all_but_trigger: Vec<usize> = (0..flow.states.len())
            .filter(|&i| flow.states[i].kind != WidgetType::Trigger)
            .rev()
            .collect();
        let out = check(flow, edit::delete(flow, &all_but_trigger).unwrap());
        assert!(
            out.states.iter().all(|s| s.kind == WidgetType::Trigger),
            "{file}"
        );
        assert!(
            out.states[0].transitions.iter().all(|t| t.next.is_none()),
            "{file}"
        );
    }
}

#[test]
fn delete_takes_positions_in_any_order_with_repeats_and_checks_them_in_order() {
    let flow = Flow::parse(&flowpen_testkit::generated_flow(6, true)).unwrap();
    let last = flow.states.len() - 1;
    let trigger = flow.index_of("Trigger").unwrap();
    assert_eq!(
        edit::delete(&flow, &[last, 1, last, 1]).unwrap(),
        edit::delete(&flow, &[1, last]).unwrap()
    );
    let past = flow.states.len();
    // The first position past the end is the one named, after the widgets before it.
    assert_eq!(
        edit::delete(&flow, &[past + 5, 1, past]),
        Err(edit::EditError::NoSuchWidget(past))
    );
    assert!(matches!(
        edit::delete(&flow, &[past, trigger]),
        Err(edit::EditError::NotAllowed(_))
    ));
}

#[test]
fn move_add_connect_and_properties_are_invertible() {
    for (file, flow) in &corpus_flows("move_add_connect_and_properties_are_invertible") {
        for i in 0..flow.states.len() {
            let out = check(
                flow,
                edit::move_widget(flow, i, Offset { x: 12.0, y: -34.0 }).unwrap(),
            );
            assert_eq!(
                out.states[i].offset(),
                Offset { x: 12.0, y: -34.0 },
                "{file}"
            );
            for t in 0..flow.states[i].transitions.len() {
                let out = check(flow, edit::set_next(flow, i, t, Some("Trigger")).unwrap());
                assert_eq!(
                    out.states[i].transitions[t].next.as_deref(),
                    Some("Trigger")
                );
                check(flow, edit::set_next(flow, i, t, None).unwrap());
            }
            check(
                flow,
                edit::set_property(flow, i, "body", Some(Json::str("changed {{flow.data.x}}")))
                    .unwrap(),
            );
            check(flow, edit::set_property(flow, i, "offset", None).unwrap());
        }
        for kind in WidgetType::PALETTE {
            let out = check(
                flow,
                edit::add_widget(flow, kind.clone(), Offset { x: 5.0, y: 5.0 }),
            );
            let added = out.states.last().unwrap();
            assert_eq!(added.kind, kind);
            assert_eq!(
                out.states.iter().filter(|s| s.name == added.name).count(),
                1,
                "{file}: unique name"
            );
        }
        check(flow, edit::set_description("edited"));
    }
}

#[test]
fn list_items_and_split_conditions_are_invertible() {
    for (file, flow) in &corpus_flows("list_items_and_split_conditions_are_invertible") {
        for (i, s) in flow.states.iter().enumerate() {
            for key in ["parameters", "variables"] {
                let n = s
                    .properties
                    .get(key)
                    .and_then(Json::as_array)
                    .map_or(0, Vec::len);
                let out = check(
                    flow,
                    edit::list_insert(flow, i, key, 0, edit::key_value("k", "{{v}}")).unwrap(),
                );
                assert_eq!(
                    out.states[i].key_values(key)[0],
                    ("k".to_owned(), "{{v}}".to_owned()),
                    "{file}"
                );
                if n >= 2 {
                    let out = check(flow, edit::list_move(flow, i, key, 0, n - 1).unwrap());
                    assert_eq!(out.states[i].key_values(key)[n - 1], s.key_values(key)[0]);
                    check(flow, edit::list_remove(flow, i, key, 1).unwrap());
                }
            }
            if s.kind != WidgetType::SplitBasedOn {
                assert!(edit::move_condition(flow, i, 0, 0).is_err());
                continue;
            }
            let cond = Condition {
                friendly_name: "If value equal_to 7".into(),
                arguments: vec![s.prop_str("input").unwrap_or_default().to_owned()],
                kind: "equal_to".into(),
                value: "7".into(),
            };
            let n = s.transitions.iter().filter(|t| t.event == "match").count();
            let out = check(
                flow,
                edit::add_condition(flow, i, &cond, Some("Trigger")).unwrap(),
            );
            let matches: Vec<_> = out.states[i]
                .transitions
                .iter()
                .filter(|t| t.event == "match")
                .collect();
            assert_eq!(matches.len(), n + 1);
            assert_eq!(matches[n].condition_list(), vec![cond.clone()], "{file}");
            if n >= 2 {
                let first = s
                    .transitions
                    .iter()
                    .find(|t| t.event == "match")
                    .unwrap()
                    .clone();
                let out = check(flow, edit::move_condition(flow, i, 0, n - 1).unwrap());
                let last = out.states[i]
                    .transitions
                    .iter()
                    .rfind(|t| t.event == "match")
                    .unwrap();
                assert_eq!(
                    *last, first,
                    "{file}: the condition moved with its transition"
                );
                check(flow, edit::remove_condition(flow, i, 1).unwrap());
                check(flow, edit::set_condition(flow, i, 0, &cond).unwrap());
            }
        }
    }
}

/// The inspector's operations (Studio's editing rules) are edits like the others: every one, on
/// every widget of every corpus flow, is undone exactly.
#[test]
fn studio_editing_rules_are_invertible() {
    use edit::{CondField, KvField};
    let mut split_edits = 0;
    for (file, flow) in &corpus_flows("studio_editing_rules_are_invertible") {
        for (i, s) in flow.states.iter().enumerate() {
            for key in ["parameters", "variables"] {
                let n = s.key_values(key).len();
                for item in 0..n {
                    for field in [KvField::Key, KvField::Value] {
                        let out = check(
                            flow,
                            edit::set_key_value(flow, i, key, item, field, "x{{y}}").unwrap(),
                        );
                        let (k, v) = out.states[i].key_values(key)[item].clone();
                        let got = if field == KvField::Key { k } else { v };
                        assert_eq!(got, "x{{y}}", "{file}: {}.{key}[{item}]", s.name);
                    }
                }
                assert!(edit::set_key_value(flow, i, key, n, KvField::Key, "k").is_err());
            }
            let out = check(
                flow,
                edit::set_split_input(flow, i, "{{flow.data.x}}").unwrap(),
            );
            assert_eq!(out.states[i].prop_str("input"), Some("{{flow.data.x}}"));
            if s.kind != WidgetType::SplitBasedOn {
                assert!(edit::add_default_condition(flow, i).is_err(), "{file}");
                continue;
            }
            for c in edit::conditions(&out.states[i]) {
                assert_eq!(c.arguments, vec!["{{flow.data.x}}".to_owned()], "{file}");
            }
            let n = edit::conditions(s).len();
            let out = check(flow, edit::add_default_condition(flow, i).unwrap());
            let added = edit::conditions(&out.states[i]).pop().unwrap();
            let input = s.prop_str("input").unwrap_or_default();
            assert_eq!(added, edit::default_condition(input), "{file}");
            for nth in 0..n {
                for (field, text) in [
                    (CondField::Kind, "is_blank"),
                    (CondField::Kind, "contains"),
                    (CondField::Value, "yes"),
                    (CondField::FriendlyName, "Said yes"),
                ] {
                    let out = check(
                        flow,
                        edit::edit_condition(flow, i, nth, field, text).unwrap(),
                    );
                    let c = &edit::conditions(&out.states[i])[nth];
                    match (field, text) {
                        (CondField::Kind, "is_blank") => assert_eq!(c.value, "Is Blank"),
                        (CondField::Value, _) => assert_eq!(c.value, "yes"),
                        (CondField::FriendlyName, _) => assert_eq!(c.friendly_name, "Said yes"),
                        _ => assert_eq!(c.kind, text),
                    }
                    split_edits += 1;
                }
            }
            assert!(edit::edit_condition(flow, i, n, CondField::Value, "x").is_err());
        }
    }
    if corpus("studio_editing_rules_are_invertible").is_some() {
        assert!(
            split_edits > 100,
            "the corpus has many conditions ({split_edits})"
        );
    }
}

#[test]
fn condition_edits_follow_studios_editor() {
    use edit::CondField;
    let mut flow = edit::new_flow();
    assert_eq!(flow.states.len(), 1);
    let events: Vec<&str> = flow.states[0]
        .transitions
        .iter()
        .map(|t| t.event.as_str())
        .collect();
    assert_eq!(
        events,
        [
            "incomingMessage",
            "incomingCall",
            "incomingConversationMessage",
            "incomingRequest",
            "incomingParent"
        ]
    );
    let add = edit::add_widget(&flow, WidgetType::SplitBasedOn, Offset { x: 0.0, y: 0.0 });
    edit::apply(&mut flow, add).unwrap();
    let step = |flow: &mut Flow, e: Edit| {
        edit::apply(flow, e).unwrap();
    };
    let e = edit::set_split_input(&flow, 1, "{{trigger.message.Body}}").unwrap();
    step(&mut flow, e);
    let e = edit::add_default_condition(&flow, 1).unwrap();
    step(&mut flow, e);
    let c = &edit::conditions(&flow.states[1])[0];
    assert_eq!(c.friendly_name, "If value equal_to ");
    assert_eq!(c.arguments, ["{{trigger.message.Body}}"]);
    // A generated friendly name follows the type and the value.
    let e = edit::edit_condition(&flow, 1, 0, CondField::Value, "1").unwrap();
    step(&mut flow, e);
    assert_eq!(
        edit::conditions(&flow.states[1])[0].friendly_name,
        "If value equal_to 1"
    );
    // Blank tests store Studio's placeholder; leaving them clears it.
    let e = edit::edit_condition(&flow, 1, 0, CondField::Kind, "is_not_blank").unwrap();
    step(&mut flow, e);
    let c = &edit::conditions(&flow.states[1])[0];
    assert_eq!(
        (c.value.as_str(), c.friendly_name.as_str()),
        ("Is Not Blank", "If value is_not_blank Is Not Blank")
    );
    let e = edit::edit_condition(&flow, 1, 0, CondField::Kind, "contains").unwrap();
    step(&mut flow, e);
    assert_eq!(edit::conditions(&flow.states[1])[0].value, "");
    // A friendly name the user wrote is kept.
    let e = edit::edit_condition(&flow, 1, 0, CondField::FriendlyName, "Mine").unwrap();
    step(&mut flow, e);
    let e = edit::edit_condition(&flow, 1, 0, CondField::Value, "x").unwrap();
    step(&mut flow, e);
    assert_eq!(edit::conditions(&flow.states[1])[0].friendly_name, "Mine");
    // The split's input follows into every condition.
    let e = edit::set_split_input(&flow, 1, "{{flow.variables.n}}").unwrap();
    step(&mut flow, e);
    assert_eq!(
        edit::conditions(&flow.states[1])[0].arguments,
        ["{{flow.variables.n}}"]
    );
}

#[test]
fn paste_makes_names_unique_and_keeps_internal_links() {
    let src = r#"{"description":"d","states":[
      {"name":"Trigger","type":"trigger","transitions":[{"event":"incomingMessage","next":"ask"}],"properties":{"offset":{"x":0,"y":0}}},
      {"name":"ask","type":"send-and-wait-for-reply","transitions":[{"next":"reply","event":"incomingMessage"}],"properties":{"offset":{"x":0,"y":100},"body":"?","from":"x"}},
      {"name":"reply","type":"send-message","transitions":[{"event":"sent"}],"properties":{"offset":{"x":0,"y":200},"body":"{{widgets.ask.inbound.Body}}","from":"x","to":"y"}}
    ],"initial_state":"Trigger","flags":{"allow_concurrent_calls":true}}"#;
    let flow = Flow::parse(src).unwrap();
    let copied = vec![flow.states[1].clone(), flow.states[2].clone()];
    let (op, indices) = edit::paste(&flow, &copied, Offset { x: 40.0, y: 40.0 });
    let out = check(&flow, op);
    assert_eq!(indices, vec![3, 4]);
    assert_eq!(out.states[3].name, "Copy_of_ask");
    assert_eq!(
        out.states[3].transitions[0].next.as_deref(),
        Some("Copy_of_reply")
    );
    assert_eq!(
        out.states[4].prop_str("body"),
        Some("{{widgets.Copy_of_ask.inbound.Body}}")
    );
    assert_eq!(out.states[4].offset(), Offset { x: 40.0, y: 240.0 });
    assert_eq!(json::parse(&out.to_pretty_string()).unwrap(), out.to_json());
}
