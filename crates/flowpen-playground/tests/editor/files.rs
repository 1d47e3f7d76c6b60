//! Opening files and text, new flows, and autosave.

use std::rc::Rc;

use flowpen_playground::editor::geometry::{Point, Viewport};
use flowpen_playground::editor::{persist, Action, EditorState, Level, Overlay, SelectMode};
use flowpen_playground::project::functions::EnvField;

use super::{example, index, run};

#[test]
fn a_broken_import_shows_line_and_column_and_keeps_the_flow() {
    let mut s = example();
    let before = Rc::clone(&s.doc.flow);
    let undo = s.doc.history.undo_len();
    s.update(Action::Open {
        text: "{\n  \"states\": [\n    {\"name\": \"x\",, }\n  ]\n}".into(),
        source: "broken.json".into(),
    });
    assert!(Rc::ptr_eq(&s.doc.flow, &before));
    assert_eq!(s.doc.history.undo_len(), undo);
    let notice = s.chrome.notice.clone().expect("an error is shown");
    assert_eq!(notice.level, Level::Error);
    assert!(notice.text.contains("broken.json"), "{}", notice.text);
    assert!(notice.text.contains("line 3, column"), "{}", notice.text);
    // JSON that is not a flow is refused the same way.
    s.update(Action::Open {
        text: "[1, 2]".into(),
        source: "list.json".into(),
    });
    assert!(Rc::ptr_eq(&s.doc.flow, &before));
}

#[test]
fn opening_a_flow_is_undoable_and_new_flow_asks_first() {
    let mut s = example();
    s.update(Action::Open {
        text: flowpen_playground::project::examples::EXAMPLES[1]
            .json
            .into(),
        source: "dog-breed.json".into(),
    });
    assert_eq!(s.doc.flow.description(), Some("Dog breed pictures"));
    assert!(s.doc.selection.is_empty());
    s.update(Action::NewFlow);
    assert_eq!(s.chrome.overlay, Some(Overlay::ConfirmNew));
    assert_eq!(
        s.doc.flow.states.len(),
        5,
        "nothing is discarded before confirming"
    );
    s.update(Action::ConfirmNewFlow);
    assert_eq!(s.doc.flow.states.len(), 1);
    s.update(Action::Undo);
    assert_eq!(s.doc.flow.description(), Some("Dog breed pictures"));
    s.update(Action::Undo);
    assert_eq!(s.doc.flow.description(), Some("Random number generator"));
    s.update(Action::Redo);
    assert_eq!(s.doc.flow.description(), Some("Dog breed pictures"));
}

#[test]
fn autosave_restores_flow_selection_and_viewport() {
    let mut s = example();
    let get_num = index(&s, "get_num");
    run(
        &mut s,
        [
            Action::Select {
                index: get_num,
                mode: SelectMode::Only,
            },
            Action::Pan {
                dx: 33.0,
                dy: -12.0,
            },
            Action::ZoomBy(1.25),
            Action::ToggleSnap,
            Action::SetTheme(flowpen_playground::editor::Theme::Dark),
        ],
    );
    let flow_text = s.doc.flow.to_json().to_compact();
    let view_text = persist::view_text(&s.saved_view());
    let r = EditorState::restore(Some(&flow_text), Some(&view_text));
    assert!(r.unreadable.is_none());
    assert_eq!(r.state.doc.flow.to_json(), s.doc.flow.to_json());
    assert_eq!(*r.state.doc.selection, *s.doc.selection);
    let (a, b) = (r.state.canvas.viewport, s.canvas.viewport);
    assert_eq!(a, b, "the viewport comes back exactly");
    assert!(!r.state.canvas.snap);
    assert_eq!(
        r.state.chrome.theme,
        flowpen_playground::editor::Theme::Dark
    );
    // A restored viewport is not replaced by "fit" when the canvas size arrives.
    let mut restored = r.state;
    restored.update(Action::SetCanvasSize(Point::new(1000.0, 700.0)));
    assert_eq!(restored.canvas.viewport, b);
}

#[test]
fn unreadable_autosave_falls_back_to_the_example_and_hands_the_text_back() {
    let r = EditorState::restore(Some("{\"states\": [oops"), Some("not json either"));
    assert_eq!(r.unreadable.as_deref(), Some("{\"states\": [oops"));
    assert_eq!(
        r.state.doc.flow.description(),
        Some("Random number generator")
    );
    assert_eq!(
        r.state.chrome.notice.as_ref().map(|n| n.level),
        Some(Level::Error)
    );
    let r = EditorState::restore(None, None);
    assert!(r.unreadable.is_none() && r.state.chrome.notice.is_none());
    // A view with impossible numbers is ignored.
    let r = EditorState::restore(None, Some(r#"{"viewport":{"x":1,"y":2,"zoom":0}}"#));
    assert_eq!(r.state.canvas.viewport, Viewport::default());
}

/// The project (flow, Functions, environment) is saved as one text and comes back whole.
#[test]
fn the_project_is_saved_under_one_key_and_restored_whole() {
    let mut s = example();
    run(
        &mut s,
        [
            Action::AddFunction,
            Action::AddEnv,
            Action::SetEnv {
                item: 0,
                field: EnvField::Name,
                text: "API_KEY".into(),
            },
            Action::Select {
                index: 1,
                mode: SelectMode::Only,
            },
        ],
    );
    let project = s.saved_project_text();
    assert!(project.starts_with(r#"{"flowpen":1,"flow":{"#), "{project}");
    let view = persist::view_text(&s.saved_view());
    // The legacy keys are ignored when the project key is there.
    let r = EditorState::restore_saved(Some(&project), Some(&view), Some("{oops"), Some("{oops"));
    assert!(r.unreadable.is_none() && r.unreadable_project.is_none());
    assert_eq!(r.state.doc.flow.to_json(), s.doc.flow.to_json());
    assert_eq!(r.state.project.functions, s.project.functions);
    assert_eq!(*r.state.doc.selection, *s.doc.selection);
    assert_eq!(r.state.saved_project_text(), project);
    assert_eq!(
        r.state.project.tests, s.project.tests,
        "the example's tests too"
    );
    // Without it, an older autosave's flow and Functions are read (it had no tests).
    s.update(Action::SetTests(String::new()));
    let project = s.saved_project_text();
    let flow_text = s.doc.flow.to_json().to_compact();
    let functions = flowpen_playground::project::saved_text(&s.project.functions);
    let r = EditorState::restore_saved(None, None, Some(&flow_text), Some(&functions));
    assert_eq!(r.state.saved_project_text(), project);
}

#[test]
fn an_unreadable_saved_project_is_handed_back_and_the_example_opens() {
    let r = EditorState::restore_saved(Some("{\"flowpen\": 1, \"flow\": [oops"), None, None, None);
    assert_eq!(
        r.unreadable_project.as_deref(),
        Some("{\"flowpen\": 1, \"flow\": [oops")
    );
    assert_eq!(
        r.state.doc.flow.description(),
        Some("Random number generator")
    );
    let notice = r.state.chrome.notice.expect("a notice");
    assert_eq!(notice.level, Level::Error);
    assert!(
        notice.text.contains(persist::UNREADABLE_PROJECT_KEY),
        "{}",
        notice.text
    );
    assert!(notice.text.contains("line 1, column"), "{}", notice.text);
}

#[test]
fn every_run_of_failed_saves_is_reported_once() {
    let mut report = persist::SaveReport::default();
    assert_eq!(report.record(true), None);
    assert!(report
        .record(false)
        .is_some_and(|t| t.contains("Autosave failed")));
    assert_eq!(
        report.record(false),
        None,
        "not again while it keeps failing"
    );
    assert!(report.failing());
    assert_eq!(report.record(true), None);
    assert!(!report.failing());
    assert!(
        report.record(false).is_some(),
        "a success re-arms the report"
    );
}
