//! Autosave: the flow, the view and the project's Functions go to localStorage on every change,
//! and come back on load. A saved flow (or saved Functions) that cannot be read is moved aside
//! (never lost) and the example opens instead.

use std::rc::Rc;

use yew::prelude::*;

use super::browser;
use flowpen_playground::editor::persist::{
    self, FLOW_KEY, FUNCTIONS_KEY, UNREADABLE_FUNCTIONS_KEY, UNREADABLE_KEY, VIEW_KEY,
};
use flowpen_playground::editor::{Action, EditorState, Level, Theme};

use crate::state::Editor;

/// The editor as autosave left it (the example on first load).
pub fn load_state() -> Editor {
    let storage = browser::local_storage();
    let get = |k: &str| storage.as_ref().and_then(|s| s.get_item(k).ok().flatten());
    let flow = get(FLOW_KEY);
    let view = get(VIEW_KEY);
    let functions = get(FUNCTIONS_KEY);
    let restored =
        EditorState::restore_project(flow.as_deref(), view.as_deref(), functions.as_deref());
    if let (Some(bad), Some(s)) = (&restored.unreadable, &storage) {
        let _ = s.set_item(UNREADABLE_KEY, bad);
    }
    if let (Some(bad), Some(s)) = (&restored.unreadable_functions, &storage) {
        let _ = s.set_item(UNREADABLE_FUNCTIONS_KEY, bad);
    }
    let mut state = restored.state;
    let theme_saved = view
        .as_deref()
        .map(persist::parse_view)
        .is_some_and(|v| v.theme.is_some());
    if !theme_saved && browser::prefers_dark() {
        state.chrome.theme = Theme::Dark;
    }
    Editor(state)
}

fn save(key: &str, value: &str) -> bool {
    browser::local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Saves the flow whenever it changes, and the view (selection, viewport, snapping, theme)
/// whenever that changes.
#[hook]
pub fn use_autosave(state: &UseReducerHandle<Editor>) {
    let failed = use_mut_ref(|| false);
    {
        let flow = Rc::clone(&state.doc.flow);
        let dispatch = state.dispatcher();
        let failed = failed.clone();
        use_effect_with(state.doc.flow_rev, move |_| {
            if !save(FLOW_KEY, &flow.to_json().to_compact()) && !*failed.borrow() {
                *failed.borrow_mut() = true;
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: "Autosave failed: the browser refused to store the flow (storage full or disabled). Export it to keep your work.".into(),
                });
            }
        });
    }
    {
        let functions = Rc::clone(&state.project.functions);
        let dispatch = state.dispatcher();
        let failed = failed.clone();
        use_effect_with(state.project.functions_rev, move |_| {
            if !save(
                FUNCTIONS_KEY,
                &flowpen_playground::project::saved_text(&functions),
            ) && !*failed.borrow()
            {
                *failed.borrow_mut() = true;
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: "Autosave failed: the browser refused to store the Functions (storage full or disabled). Export the project to keep your work.".into(),
                });
            }
        });
    }
    let snapshot = state.clone();
    let key = (
        Rc::as_ptr(&state.doc.selection) as usize,
        state.doc.flow_rev,
        state.canvas.viewport,
        state.canvas.snap,
        state.chrome.theme,
    );
    use_effect_with(key, move |_| {
        save(VIEW_KEY, &persist::view_text(&snapshot.saved_view()));
    });
}
