//! The editor's reducer, natively: actions, undo/redo, coalesced drags and typing, connections,
//! clipboard, import errors, autosave restore, keyboard shortcuts, and every corpus flow.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use flowpen_flow::json::{self, Json};
use flowpen_flow::WidgetType;
use flowpen_playground::editor::geometry::Point;
use flowpen_playground::editor::{
    Action, CondField, EditorState, FocusTarget, KvField, Level, Overlay, SelectMode,
};

/// An editor on an empty flow (just the Trigger) with a known canvas size.
fn empty() -> EditorState {
    let mut s = EditorState::new(flowpen_flow::edit::new_flow());
    s.update(Action::SetCanvasSize(Point::new(1000.0, 700.0)));
    s
}

fn example() -> EditorState {
    let mut s = EditorState::default();
    s.update(Action::SetCanvasSize(Point::new(1000.0, 700.0)));
    s
}

fn run(s: &mut EditorState, actions: impl IntoIterator<Item = Action>) {
    for a in actions {
        s.update(a);
    }
}

fn add(s: &mut EditorState, kind: WidgetType) -> usize {
    s.update(Action::AddWidget {
        kind,
        at: None,
        link: None,
    });
    s.doc.flow.states.len() - 1
}

fn index(s: &EditorState, name: &str) -> usize {
    s.doc
        .flow
        .index_of(name)
        .unwrap_or_else(|| panic!("no widget {name}"))
}

fn port(s: &EditorState, widget: &str, event: &str) -> usize {
    let i = index(s, widget);
    s.doc.cards[i]
        .ports
        .iter()
        .position(|p| p.event == event)
        .unwrap_or_else(|| panic!("{widget} has no {event} port"))
}

fn connect(s: &mut EditorState, from: &str, event: &str, to: &str) {
    let (f, p, t) = (index(s, from), port(s, from, event), index(s, to));
    s.update(Action::Connect {
        from: f,
        port: p,
        target: Some(t),
    });
}

fn next_of(s: &EditorState, widget: &str, event: &str) -> Option<String> {
    s.doc
        .flow
        .state(widget)
        .and_then(|w| w.transition(event))
        .and_then(|t| t.next.clone())
}

fn text(s: &str) -> Option<Json> {
    Some(Json::str(s))
}

/// The flow's JSON without offsets (positions depend on where things were dropped).
fn without_offsets(mut v: Json) -> Json {
    if let Some(states) = v
        .as_object_mut()
        .and_then(|o| o.get_mut("states"))
        .and_then(Json::as_array_mut)
    {
        for s in states {
            if let Some(p) = s
                .as_object_mut()
                .and_then(|o| o.get_mut("properties"))
                .and_then(Json::as_object_mut)
            {
                p.remove("offset");
            }
        }
    }
    v
}

#[test]
fn first_load_opens_the_example_with_cards_and_edges() {
    let s = example();
    assert_eq!(s.doc.flow.description(), Some("Random number generator"));
    assert_eq!(s.doc.cards.len(), s.doc.flow.states.len());
    assert_eq!(
        s.doc.edges.len(),
        5,
        "Trigger→min→max→get_num→(result, error)"
    );
    assert!(s.doc.history.undo_len() == 0 && !s.doc.history.can_redo());
    // The view was fitted once the canvas size was known: every card is visible.
    let seen = s.canvas.viewport.visible(s.canvas.canvas_size);
    for c in s.doc.cards.iter() {
        assert!(seen.contains(c.at()), "{} is visible", c.name);
    }
}

#[test]
fn adding_a_widget_names_it_uniquely_selects_it_and_is_one_undo_step() {
    let mut s = empty();
    let a = add(&mut s, WidgetType::SendAndWaitForReply);
    let b = add(&mut s, WidgetType::SendAndWaitForReply);
    assert_eq!(s.doc.flow.states[a].name, "send_and_reply_1");
    assert_eq!(s.doc.flow.states[b].name, "send_and_reply_2");
    assert_ne!(
        s.doc.flow.states[a].offset(),
        s.doc.flow.states[b].offset(),
        "no stacking"
    );
    assert_eq!(s.doc.selection.iter().copied().collect::<Vec<_>>(), vec![b]);
    assert_eq!(
        s.chrome.focus.as_ref().map(|f| &f.target),
        Some(&FocusTarget::Card(b))
    );
    assert_eq!(s.doc.history.undo_len(), 2);
    s.update(Action::Undo);
    assert_eq!(s.doc.flow.states.len(), 2);
    assert_eq!(
        s.doc.selection.iter().copied().collect::<Vec<_>>(),
        vec![a],
        "undo restores the selection from before"
    );
    s.update(Action::Redo);
    assert_eq!(s.doc.flow.states.len(), 3);
    assert_eq!(s.doc.flow.states[b].name, "send_and_reply_2");
    // A Trigger is never added.
    s.update(Action::AddWidget {
        kind: WidgetType::Trigger,
        at: None,
        link: None,
    });
    assert_eq!(s.doc.flow.states.len(), 3);
}

#[test]
fn a_widget_added_at_the_view_centre_lands_where_it_overlaps_no_card() {
    let mut s = example();
    for _ in 0..6 {
        let i = add(&mut s, WidgetType::MakeHttpRequest);
        let mine = s.doc.cards[i].rect;
        for c in s.doc.cards.iter().filter(|c| c.index != i) {
            assert!(
                !c.rect.intersects(&mine),
                "{} overlaps {}",
                s.doc.cards[i].name,
                c.name
            );
        }
    }
}

#[test]
fn a_drag_is_transient_until_it_ends_and_then_one_undo_step() {
    let mut s = example();
    let min = index(&s, "min_value");
    let max = index(&s, "max_value");
    run(
        &mut s,
        [
            Action::Select {
                index: min,
                mode: SelectMode::Only,
            },
            Action::Select {
                index: max,
                mode: SelectMode::Toggle,
            },
        ],
    );
    let flow_before = Rc::clone(&s.doc.flow);
    let diagnostics_before = Rc::clone(&s.doc.diagnostics);
    let undo_before = s.doc.history.undo_len();
    let (min_at, max_at) = (
        s.doc.flow.states[min].offset(),
        s.doc.flow.states[max].offset(),
    );
    s.update(Action::BeginDrag { index: min });
    for step in 1..=60 {
        s.update(Action::DragTo {
            dx: f64::from(step) * 2.1,
            dy: f64::from(step) * -1.3,
        });
        assert!(
            Rc::ptr_eq(&s.doc.flow, &flow_before),
            "no flow edit while dragging"
        );
    }
    let drag = s.canvas.drag.clone().expect("dragging");
    assert_eq!(drag.ids.len(), 2, "the whole selection moves");
    assert_eq!(
        (drag.dx % 20.0, drag.dy % 20.0),
        (0.0, 0.0),
        "snapped to the grid"
    );
    s.update(Action::EndDrag);
    assert!(s.canvas.drag.is_none());
    assert_eq!(s.doc.history.undo_len(), undo_before + 1, "one undo step");
    let moved = s.doc.flow.states[min].offset();
    assert_eq!(moved.x - min_at.x, drag.dx);
    assert_eq!(moved.y - min_at.y, drag.dy);
    assert_eq!(s.doc.flow.states[max].offset().x - max_at.x, drag.dx);
    assert!(
        Rc::ptr_eq(&s.doc.diagnostics, &diagnostics_before),
        "a move does not revalidate"
    );
    s.update(Action::Undo);
    assert_eq!(s.doc.flow.states[min].offset(), min_at);
    assert_eq!(s.doc.flow.states[max].offset(), max_at);
    s.update(Action::Redo);
    assert_eq!(s.doc.flow.states[min].offset(), moved);
    // A click (a drag that does not move) changes nothing.
    let n = s.doc.history.undo_len();
    run(&mut s, [Action::BeginDrag { index: min }, Action::EndDrag]);
    assert_eq!(s.doc.history.undo_len(), n);
}

#[test]
fn an_unchanged_card_keeps_its_view_model() {
    let mut s = example();
    let before = Rc::clone(&s.doc.cards);
    let min = index(&s, "min_value");
    s.update(Action::SetProperty {
        index: min,
        key: "body".into(),
        value: text("Smallest?"),
    });
    for (i, (a, b)) in before.iter().zip(s.doc.cards.iter()).enumerate() {
        assert_eq!(Rc::ptr_eq(a, b), i != min, "card {i}");
    }
}

#[test]
fn typing_into_one_field_is_one_undo_step_until_the_field_is_left() {
    let mut s = example();
    let min = index(&s, "min_value");
    let original = s.doc.flow.states[min].prop_str("body").unwrap().to_owned();
    let n = s.doc.history.undo_len();
    for typed in ["H", "He", "Hel", "Hell", "Hello"] {
        s.update(Action::SetProperty {
            index: min,
            key: "body".into(),
            value: text(typed),
        });
    }
    assert_eq!(s.doc.history.undo_len(), n + 1);
    run(
        &mut s,
        [
            Action::SealHistory,
            Action::SetProperty {
                index: min,
                key: "body".into(),
                value: text("Hello!"),
            },
        ],
    );
    assert_eq!(s.doc.history.undo_len(), n + 2);
    s.update(Action::Undo);
    assert_eq!(s.doc.flow.states[min].prop_str("body"), Some("Hello"));
    s.update(Action::Undo);
    assert_eq!(
        s.doc.flow.states[min].prop_str("body"),
        Some(original.as_str())
    );
    s.update(Action::Redo);
    assert_eq!(s.doc.flow.states[min].prop_str("body"), Some("Hello"));
}

#[test]
fn rename_updates_transitions_and_references_and_rejects_bad_names() {
    let mut s = example();
    let min = index(&s, "min_value");
    s.update(Action::Rename {
        index: min,
        name: "lowest".into(),
    });
    assert_eq!(
        next_of(&s, "Trigger", "incomingMessage").as_deref(),
        Some("lowest")
    );
    let get_num = s.doc.flow.state("get_num").unwrap();
    assert_eq!(
        get_num.key_values("parameters")[0].1,
        "{{widgets.lowest.inbound.Body}}"
    );
    let flow_before = Rc::clone(&s.doc.flow);
    for bad in ["", "two words", "max_value", "9lives"] {
        s.update(Action::Rename {
            index: min,
            name: bad.into(),
        });
        assert!(Rc::ptr_eq(&s.doc.flow, &flow_before), "{bad:?} is rejected");
        assert_eq!(
            s.chrome.notice.as_ref().map(|n| n.level),
            Some(Level::Error)
        );
    }
    s.update(Action::Undo);
    assert_eq!(s.doc.flow.states[min].name, "min_value");
    assert_eq!(
        next_of(&s, "Trigger", "incomingMessage").as_deref(),
        Some("min_value")
    );
}

#[test]
fn connecting_by_dragging_a_port_and_dropping_on_a_card_or_on_empty_canvas() {
    let mut s = empty();
    let f = add(&mut s, WidgetType::RunFunction);
    let m = add(&mut s, WidgetType::SendMessage);
    let success = port(&s, "function_1", "success");
    let target = s.doc.cards[m].rect.center();
    run(
        &mut s,
        [
            Action::BeginLink {
                from: f,
                port: success,
                at: Point::default(),
            },
            Action::LinkTo(Point::new(-9000.0, -9000.0)),
        ],
    );
    assert_eq!(
        s.canvas.link.map(|l| l.over),
        Some(None),
        "nothing under the pointer"
    );
    s.update(Action::LinkTo(target));
    assert_eq!(
        s.canvas.link.map(|l| l.over),
        Some(Some(m)),
        "the card under the pointer is the drop target"
    );
    s.update(Action::EndLink(target));
    assert_eq!(
        next_of(&s, "function_1", "success").as_deref(),
        Some("send_message_1")
    );
    assert_eq!(s.doc.edges.len(), 1);
    // Dropped where there is no card: the palette opens there, and the new widget is connected
    // in the same undo step.
    let fail = port(&s, "function_1", "fail");
    let empty_spot = Point::new(-5000.0, -5000.0);
    run(
        &mut s,
        [
            Action::BeginLink {
                from: f,
                port: fail,
                at: Point::default(),
            },
            Action::EndLink(empty_spot),
        ],
    );
    assert_eq!(
        s.chrome.overlay,
        Some(Overlay::AddMenu {
            at: empty_spot,
            link: Some((f, fail))
        })
    );
    let n = s.doc.history.undo_len();
    s.update(Action::AddWidget {
        kind: WidgetType::SendMessage,
        at: Some(empty_spot),
        link: Some((f, fail)),
    });
    assert_eq!(s.chrome.overlay, None);
    assert_eq!(
        next_of(&s, "function_1", "fail").as_deref(),
        Some("send_message_2")
    );
    let added = s.doc.flow.state("send_message_2").unwrap().offset();
    assert!(
        (added.y - empty_spot.y).abs() <= 20.0,
        "placed where dropped"
    );
    assert_eq!(s.doc.history.undo_len(), n + 1);
    s.update(Action::Undo);
    assert!(s.doc.flow.state("send_message_2").is_none());
    assert_eq!(next_of(&s, "function_1", "fail"), None);
}

#[test]
fn a_selected_transition_is_removed_by_delete() {
    let mut s = example();
    let from = index(&s, "get_num");
    let p = port(&s, "get_num", "fail");
    run(
        &mut s,
        [Action::SelectEdge { from, port: p }, Action::Delete],
    );
    assert_eq!(next_of(&s, "get_num", "fail"), None);
    assert!(
        s.doc.flow.state("send_error").is_some(),
        "only the transition goes"
    );
    assert_eq!(s.doc.selected_edge, None);
    s.update(Action::Undo);
    assert_eq!(
        next_of(&s, "get_num", "fail").as_deref(),
        Some("send_error")
    );
}

#[test]
fn deleting_widgets_clears_transitions_into_them_but_never_deletes_the_trigger() {
    let mut s = example();
    s.update(Action::SelectAll);
    s.update(Action::Delete);
    assert_eq!(s.doc.flow.states.len(), 1);
    assert_eq!(s.doc.flow.states[0].kind, WidgetType::Trigger);
    assert_eq!(next_of(&s, "Trigger", "incomingMessage"), None);
    assert_eq!(s.chrome.notice.as_ref().map(|n| n.level), Some(Level::Info));
    s.update(Action::Undo);
    assert_eq!(s.doc.flow.states.len(), 6);
    assert_eq!(
        s.doc.selection.len(),
        6,
        "the selection comes back with the undo"
    );
}

#[test]
fn copy_paste_cut_and_duplicate_use_studio_json() {
    let mut s = example();
    let (min, max) = (index(&s, "min_value"), index(&s, "max_value"));
    run(
        &mut s,
        [
            Action::Select {
                index: min,
                mode: SelectMode::Only,
            },
            Action::Select {
                index: max,
                mode: SelectMode::Toggle,
            },
        ],
    );
    let copied = s.copy_text().expect("something to copy");
    let doc = json::parse(&copied).unwrap();
    let states = doc
        .as_object()
        .unwrap()
        .get("states")
        .unwrap()
        .as_array()
        .unwrap();
    assert_eq!(states.len(), 2);
    s.update(Action::Paste {
        text: copied.clone(),
    });
    assert_eq!(
        next_of(&s, "Copy_of_min_value", "incomingMessage").as_deref(),
        Some("Copy_of_max_value")
    );
    let original = s.doc.flow.state("min_value").unwrap().offset();
    let pasted = s.doc.flow.state("Copy_of_min_value").unwrap().offset();
    assert_eq!((pasted.x - original.x, pasted.y - original.y), (40.0, 40.0));
    assert_eq!(s.doc.selection.len(), 2, "the pasted widgets are selected");
    // A whole exported flow pastes its widgets (not its Trigger).
    let n = s.doc.flow.states.len();
    s.update(Action::Paste {
        text: flowpen_playground::project::examples::EXAMPLES[2]
            .json
            .into(),
    });
    assert_eq!(s.doc.flow.states.len(), n + 5);
    assert_eq!(
        s.doc
            .flow
            .states
            .iter()
            .filter(|w| w.kind == WidgetType::Trigger)
            .count(),
        1
    );
    // Text that is not widgets changes nothing.
    let before = Rc::clone(&s.doc.flow);
    s.update(Action::Paste {
        text: "hello".into(),
    });
    assert!(Rc::ptr_eq(&s.doc.flow, &before));
    assert_eq!(
        s.chrome.notice.as_ref().map(|n| n.level),
        Some(Level::Error)
    );
    // Cut = copy (by the shell) + delete; duplicate = paste in place.
    let get_num = index(&s, "get_num");
    run(
        &mut s,
        [
            Action::Select {
                index: get_num,
                mode: SelectMode::Only,
            },
            Action::Duplicate,
        ],
    );
    assert!(s.doc.flow.state("Copy_of_get_num").is_some());
    let dup = index(&s, "Copy_of_get_num");
    run(
        &mut s,
        [
            Action::Select {
                index: dup,
                mode: SelectMode::Only,
            },
            Action::Cut,
        ],
    );
    assert!(s.doc.flow.state("Copy_of_get_num").is_none());
}

#[test]
fn split_conditions_and_key_value_lists_are_edited_in_place() {
    let mut s = empty();
    let split = add(&mut s, WidgetType::SplitBasedOn);
    run(
        &mut s,
        [
            Action::SetSplitInput {
                index: split,
                text: "{{trigger.message.Body}}".into(),
            },
            Action::AddCondition { index: split },
            Action::AddCondition { index: split },
            Action::SetCondition {
                index: split,
                nth: 0,
                field: CondField::Value,
                text: "yes".into(),
            },
            Action::SetCondition {
                index: split,
                nth: 1,
                field: CondField::Kind,
                text: "contains".into(),
            },
        ],
    );
    let conds: Vec<_> = s.doc.flow.states[split]
        .transitions
        .iter()
        .filter(|t| t.event == "match")
        .flat_map(|t| t.condition_list())
        .collect();
    assert_eq!(conds.len(), 2);
    assert_eq!(conds[0].friendly_name, "If value equal_to yes");
    assert_eq!(
        conds[0].arguments,
        vec!["{{trigger.message.Body}}".to_owned()]
    );
    assert_eq!(conds[1].kind, "contains");
    assert_eq!(
        s.doc.cards[split].ports.len(),
        3,
        "No Condition Matches + one per condition"
    );
    s.update(Action::MoveCondition {
        index: split,
        from: 1,
        to: 0,
    });
    s.update(Action::SetSplitInput {
        index: split,
        text: "{{flow.variables.x}}".into(),
    });
    let first = s.doc.flow.states[split]
        .transitions
        .iter()
        .find(|t| t.event == "match")
        .unwrap()
        .condition_list();
    assert_eq!(first[0].kind, "contains");
    assert_eq!(first[0].arguments, vec!["{{flow.variables.x}}".to_owned()]);
    s.update(Action::RemoveCondition {
        index: split,
        nth: 0,
    });
    assert_eq!(s.doc.cards[split].ports.len(), 2);

    let f = add(&mut s, WidgetType::RunFunction);
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
                item: 0,
                field: KvField::Key,
                text: "min".into(),
            },
            Action::SetKeyValue {
                index: f,
                key: "parameters".into(),
                item: 0,
                field: KvField::Value,
                text: "{{x}}".into(),
            },
            Action::AddKeyValue {
                index: f,
                key: "parameters".into(),
            },
            Action::RemoveKeyValue {
                index: f,
                key: "parameters".into(),
                item: 1,
            },
        ],
    );
    assert_eq!(
        s.doc.flow.states[f].key_values("parameters"),
        vec![("min".to_owned(), "{{x}}".to_owned())]
    );
}

#[test]
fn liquid_errors_become_diagnostics_on_the_card() {
    let mut s = example();
    let min = index(&s, "min_value");
    assert_eq!(s.doc.cards[min].severity, None);
    s.update(Action::SetProperty {
        index: min,
        key: "body".into(),
        value: text("Hi {{ widgets.x.y"),
    });
    assert!(
        s.diagnostics_of(min).any(|d| d.code == "liquid-syntax"),
        "{:?}",
        s.doc.diagnostics
    );
    assert_eq!(
        s.doc.cards[min].severity,
        Some(flowpen_flow::Severity::Error)
    );
}

#[test]
fn rubber_band_selects_the_cards_it_touches() {
    let mut s = example();
    let min = s.doc.cards[index(&s, "min_value")].rect;
    let max = s.doc.cards[index(&s, "max_value")].rect;
    run(
        &mut s,
        [
            Action::BeginMarquee {
                at: Point::new(min.x - 5.0, min.y - 5.0),
                additive: false,
            },
            Action::MarqueeTo(Point::new(max.x + 5.0, max.y + 5.0)),
            Action::EndMarquee,
        ],
    );
    let names: Vec<&str> = s
        .doc
        .selection
        .iter()
        .map(|&i| s.doc.flow.states[i].name.as_str())
        .collect();
    assert_eq!(names, vec!["min_value", "max_value"]);
}

mod breakpoints;
mod files;
mod flows;
mod keyboard;
mod tabs;
