//! The project's flows as tabs: a subflow added from Studio JSON opens on the canvas with its own
//! history, the Run Subflow widget's SID is mapped to it, switching keeps each flow's history and
//! view, the project (and autosave) always has every flow's latest version, and whole-project
//! changes bring the main flow back first.

use flowpen_flow::WidgetType;
use flowpen_playground::editor::{Action, EditorState, Overlay};
use flowpen_playground::project::{self, Document};
use serde_json::json;

use super::{add, example, index, run};

pub(super) fn child_text() -> String {
    json!({
        "description": "Daily sit-down child",
        "states": [
            {"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingParent"}],
             "properties": {"offset": {"x": 0, "y": 0}}}
        ],
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": true}
    })
    .to_string()
}

/// The random number example with a Run Subflow widget naming a SID no subflow has.
pub(super) fn parent() -> EditorState {
    let mut s = example();
    let i = add(&mut s, WidgetType::RunSubflow);
    run(
        &mut s,
        [Action::SetProperty {
            index: i,
            key: "flow_sid".into(),
            value: Some(flowpen_flow::Json::str(
                "FW11111111111111111111111111111111",
            )),
        }],
    );
    s
}

#[test]
fn a_subflow_opens_with_its_own_history_and_the_main_flow_keeps_its_own() {
    let mut s = parent();
    let main_undo = s.doc.history.undo_len();
    assert!(main_undo > 0);
    run(
        &mut s,
        [Action::AddSubflow {
            text: child_text(),
            source: "\"child.json\"".into(),
        }],
    );
    assert_eq!(s.project.open, Some(0));
    assert_eq!(s.project.subflows[0].name, "Daily sit-down child");
    assert_eq!(
        s.project.subflows[0].sid, "FW11111111111111111111111111111111",
        "mapped"
    );
    assert_eq!(s.doc.flow.states.len(), 1);
    assert_eq!(s.doc.history.undo_len(), 0, "a fresh history");
    // An edit of the subflow is in the project at once (autosave and export see it).
    let w = add(&mut s, WidgetType::SendMessage);
    assert_eq!(s.project.subflows[0].flow.states.len(), 2);
    let saved = s.saved_project_text();
    match project::parse_document(&saved) {
        Ok(Document::Project(p)) => {
            assert_eq!(p.subflows[0].flow.states.len(), 2);
            assert!(
                p.flow
                    .states
                    .iter()
                    .any(|w| w.kind == WidgetType::RunSubflow),
                "the main flow"
            );
        }
        other => panic!("{other:?}"),
    }
    // Back to the main flow: its history is as it was; the subflow's edit stays.
    run(&mut s, [Action::OpenFlow(None)]);
    assert_eq!(s.project.open, None);
    assert_eq!(s.doc.history.undo_len(), main_undo);
    assert!(index(&s, "get_num") < s.doc.flow.states.len());
    run(&mut s, [Action::OpenFlow(Some(0))]);
    assert_eq!(s.doc.flow.states.len(), 2);
    assert_eq!(
        s.doc.history.undo_len(),
        1,
        "the subflow's own history came back"
    );
    run(&mut s, [Action::Undo]);
    assert_eq!(s.doc.flow.states.len(), 1);
    assert_eq!(
        s.project.subflows[0].flow.states.len(),
        1,
        "undo reaches the project too"
    );
    let _ = w;
}

#[test]
fn names_sids_and_removal() {
    let mut s = parent();
    run(&mut s, [Action::NewSubflow]);
    assert_eq!(
        s.project.subflows[0].sid,
        "FW11111111111111111111111111111111"
    );
    run(
        &mut s,
        [
            Action::RenameSubflow {
                index: 0,
                name: "Greeter".into(),
            },
            Action::SetSubflowSid {
                index: 0,
                sid: "  FW2  ".into(),
            },
        ],
    );
    assert_eq!(s.project.subflows[0].name, "Greeter");
    assert_eq!(s.project.subflows[0].sid, "FW2");
    // A broken file adds nothing and says where.
    run(
        &mut s,
        [Action::AddSubflow {
            text: "{\"states\": [oops".into(),
            source: "\"bad.json\"".into(),
        }],
    );
    assert_eq!(s.project.subflows.len(), 1);
    assert!(s
        .chrome
        .notice
        .as_ref()
        .is_some_and(|n| n.text.contains("line 1, column")));
    // Removing asks first, then opens the main flow.
    run(&mut s, [Action::RemoveSubflow(0)]);
    assert_eq!(s.chrome.overlay, Some(Overlay::ConfirmRemoveSubflow(0)));
    assert_eq!(s.project.subflows.len(), 1);
    run(&mut s, [Action::ConfirmRemoveSubflow(0)]);
    assert!(s.project.subflows.is_empty());
    assert_eq!(s.project.open, None);
    assert!(s
        .doc
        .flow
        .states
        .iter()
        .any(|w| w.kind == WidgetType::RunSubflow));
}

#[test]
fn opening_a_project_or_an_example_brings_the_main_flow_back_first() {
    let mut s = parent();
    run(&mut s, [Action::NewSubflow]);
    let before = s.saved_project_text();
    run(&mut s, [Action::OpenExample("dog-breed.json".into())]);
    assert_eq!(s.project.open, None);
    assert!(s.project.subflows.is_empty());
    assert_eq!(
        s.doc.flow.description(),
        flowpen_flow::Flow::parse(project::examples::EXAMPLES[1].json)
            .expect("example")
            .description()
    );
    // One Undo brings back the whole project, subflow included.
    run(&mut s, [Action::Undo]);
    assert_eq!(s.saved_project_text(), before);
    assert_eq!(s.project.subflows.len(), 1);
}

#[test]
fn switching_to_the_open_flow_or_a_missing_one_changes_nothing() {
    let mut s = parent();
    assert!(!s.update(Action::OpenFlow(None)));
    assert!(!s.update(Action::OpenFlow(Some(3))));
}
