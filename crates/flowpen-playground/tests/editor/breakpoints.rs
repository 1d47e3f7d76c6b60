//! Breakpoints in the editor: toggled by action and key, kept per flow (a subflow's under its
//! key), following renames, and mapped for the simulator as the flow on the canvas runs them.

use flowpen_engine::Breakpoint;
use flowpen_playground::editor::keys::{key_action, Focused, KeyPress};
use flowpen_playground::editor::{Action, EditorState, Overlay};

use super::tabs::{child_text, parent};
use super::{example, index, run};

fn press(key: &str, shift: bool, focused: Focused) -> KeyPress {
    KeyPress {
        key: key.into(),
        command: false,
        shift,
        alt: false,
        repeat: false,
        focused,
    }
}

#[test]
fn a_breakpoint_toggles_on_a_widget_of_the_main_flow() {
    let mut s = example();
    let i = index(&s, "get_num");
    assert!(!s.has_breakpoint(i));
    run(&mut s, [Action::ToggleBreakpoint(i)]);
    assert!(s.has_breakpoint(i));
    assert_eq!(
        s.engine_breakpoints(None).into_iter().collect::<Vec<_>>(),
        vec![Breakpoint::at("get_num")]
    );
    assert_eq!(
        s.breakpoint_names().into_iter().collect::<Vec<_>>(),
        vec!["get_num".to_owned()]
    );
    // Breakpoints are not edits of the flow: no undo step.
    let undo = s.doc.history.undo_len();
    run(&mut s, [Action::ToggleBreakpoint(i)]);
    assert!(!s.has_breakpoint(i));
    assert_eq!(s.doc.history.undo_len(), undo);
    // Out of range: nothing.
    run(&mut s, [Action::ToggleBreakpoint(999)]);
    assert!(s.project.breakpoints.is_empty());
}

#[test]
fn keys_toggle_a_breakpoint_open_run_from_here_and_the_widget_menu() {
    let mut s = example();
    let i = index(&s, "get_num");
    assert_eq!(
        key_action(&s, &press("b", false, Focused::Card(i))),
        Some(Action::ToggleBreakpoint(i))
    );
    assert_eq!(
        key_action(&s, &press("r", false, Focused::Card(i))),
        Some(Action::ShowOverlay(Overlay::RunFromHere(i)))
    );
    let menu = Some(Action::ShowOverlay(Overlay::CardMenu {
        index: i,
        at: None,
    }));
    assert_eq!(
        key_action(&s, &press("ContextMenu", false, Focused::Card(i))),
        menu
    );
    assert_eq!(key_action(&s, &press("F10", true, Focused::Card(i))), menu);
    assert_eq!(key_action(&s, &press("F10", false, Focused::Card(i))), None);
    // Typing a "b" in a field is typing.
    assert_eq!(key_action(&s, &press("b", false, Focused::TextField)), None);
    // Nothing focused or selected: nothing to act on.
    run(&mut s, [Action::ClearSelection]);
    assert_eq!(key_action(&s, &press("b", false, Focused::Other)), None);
}

/// Undo of a rename takes the breakpoint and the stub back to the old name; redo brings them
/// to the new one again.
#[test]
fn undo_and_redo_of_a_rename_move_the_breakpoint_and_the_stub_too() {
    let mut s = example();
    let i = index(&s, "get_num");
    run(
        &mut s,
        [
            Action::ToggleBreakpoint(i),
            Action::SwitchStub { index: i, on: true },
            Action::Rename {
                index: i,
                name: "pick_number".into(),
            },
            Action::Undo,
        ],
    );
    assert_eq!(s.doc.flow.states[i].name, "get_num");
    assert_eq!(
        s.engine_breakpoints(None).into_iter().collect::<Vec<_>>(),
        vec![Breakpoint::at("get_num")]
    );
    assert_eq!(s.stub_at(i).map(|st| st.widget.as_str()), Some("get_num"));
    run(&mut s, [Action::Redo]);
    assert_eq!(
        s.engine_breakpoints(None).into_iter().collect::<Vec<_>>(),
        vec![Breakpoint::at("pick_number")]
    );
    assert_eq!(
        s.stub_at(i).map(|st| st.widget.as_str()),
        Some("pick_number")
    );
}

#[test]
fn a_renamed_widget_keeps_its_breakpoint() {
    let mut s = example();
    let i = index(&s, "get_num");
    run(
        &mut s,
        [
            Action::ToggleBreakpoint(i),
            Action::Rename {
                index: i,
                name: "pick_number".into(),
            },
        ],
    );
    assert!(s.has_breakpoint(i));
    assert_eq!(
        s.engine_breakpoints(None).into_iter().collect::<Vec<_>>(),
        vec![Breakpoint::at("pick_number")]
    );
}

#[test]
fn a_subflow_breakpoint_is_kept_under_its_key_and_runs_as_the_canvas_flow_runs() {
    let mut s: EditorState = parent();
    let main_widget = index(&s, "get_num");
    run(&mut s, [Action::ToggleBreakpoint(main_widget)]);
    run(
        &mut s,
        [Action::AddSubflow {
            text: child_text(),
            source: "\"child.json\"".into(),
        }],
    );
    assert_eq!(s.project.open, Some(0));
    let sid = s.project.subflows[0].sid.clone();
    run(&mut s, [Action::ToggleBreakpoint(0)]);
    assert!(s.has_breakpoint(0));
    assert!(s
        .project
        .breakpoints
        .contains(&Breakpoint::in_subflow(&sid, "Trigger")));
    // On the subflow's tab, the subflow is the flow that runs: its breakpoint is a plain one
    // and the main flow's is left out.
    assert_eq!(
        s.engine_breakpoints(s.open_subflow_key().as_deref())
            .into_iter()
            .collect::<Vec<_>>(),
        vec![Breakpoint::at("Trigger")]
    );
    // A new SID: the breakpoint follows.
    run(
        &mut s,
        [Action::SetSubflowSid {
            index: 0,
            sid: "FW22222222222222222222222222222222".into(),
        }],
    );
    assert!(s.has_breakpoint(0));
    // On the main flow's tab both are there, the subflow's under its key; the main flow's
    // Trigger has none (the same name in two flows is two breakpoints).
    run(&mut s, [Action::OpenFlow(None)]);
    assert_eq!(s.open_subflow_key(), None);
    assert!(!s.has_breakpoint(index(&s, "Trigger")));
    assert!(s.has_breakpoint(index(&s, "get_num")));
    assert_eq!(
        s.engine_breakpoints(None).into_iter().collect::<Vec<_>>(),
        vec![
            Breakpoint::at("get_num"),
            Breakpoint::in_subflow("FW22222222222222222222222222222222", "Trigger"),
        ]
    );
}
