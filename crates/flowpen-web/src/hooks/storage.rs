//! Autosave: the project (flow, Functions, environment) goes to localStorage under one key on
//! every change, the view under another, and both come back on load.
//!
//! - One write saves the whole project or nothing ([`PROJECT_KEY`]); an older autosave's separate
//!   keys are read when there is no project key yet and removed after the first save.
//! - A saved project that cannot be read is copied aside (and the copy read back); when the copy
//!   fails, autosave stays off for this page so the unreadable text is never overwritten.
//! - Every run of failed writes is reported once; a success re-arms the report ([`SaveReport`]).
//! - When another tab writes the project (a `storage` event), autosave pauses and a dialog asks
//!   whether to load the other tab's version or keep this one; nothing races silently.
//! - After an internal error (a panic), nothing more is written: the last good save stays.
//! - Recent projects: a project the reducer put aside (something replaced it) is kept in the
//!   Recent list ([`recent::KEY`]) **before** the new project is written over it. When that
//!   fails, the project is not written either (the old one stays saved), the user hears why
//!   once, and the next change tries again.
//! - A read-only view (`#view=` link) writes nothing; *Fork* starts autosave (and Recent).
//! - The keys of link contents the user trusted are kept under [`trust::KEY`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use flowpen_playground::editor::persist::{
    self, SaveReport, FLOW_KEY, FUNCTIONS_KEY, PROJECT_KEY, UNREADABLE_FUNCTIONS_KEY,
    UNREADABLE_KEY, UNREADABLE_PROJECT_KEY, VIEW_KEY,
};
use flowpen_playground::editor::{Action, EditorState, Level, Overlay, Theme};
use flowpen_playground::recent::{self, Entry, Recent};
use flowpen_playground::trust;
use wasm_bindgen::JsCast;
use web_sys::StorageEvent;
use yew::prelude::*;

use super::browser;
use super::listener::Listener;
use crate::state::Editor;

thread_local! {
    /// Set when an unreadable saved text could not be copied aside: autosave must not overwrite it.
    static BLOCKED: Cell<bool> = const { Cell::new(false) };
    /// The project text this page wrote last (a `storage` event with the same text is no change).
    static WRITTEN: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The serial of the last project put aside that is kept in Recent.
    static KEPT: Cell<u64> = const { Cell::new(0) };
    /// Keeping a project in Recent failed (reported once until it works again).
    static KEEP_FAILING: Cell<bool> = const { Cell::new(false) };
}

/// Copies `text` to `key` and reads it back: whether it is really there.
fn copy_aside(key: &str, text: &str) -> bool {
    let Some(storage) = browser::local_storage() else {
        return false;
    };
    storage.set_item(key, text).is_ok()
        && storage.get_item(key).ok().flatten().as_deref() == Some(text)
}

/// The editor as autosave left it (the example on first load).
pub fn load_state() -> Editor {
    let storage = browser::local_storage();
    let get = |k: &str| storage.as_ref().and_then(|s| s.get_item(k).ok().flatten());
    let project = get(PROJECT_KEY);
    let view = get(VIEW_KEY);
    let (flow, functions) = match project {
        Some(_) => (None, None),
        None => (get(FLOW_KEY), get(FUNCTIONS_KEY)),
    };
    let restored = EditorState::restore_saved(
        project.as_deref(),
        view.as_deref(),
        flow.as_deref(),
        functions.as_deref(),
    );
    let mut state = restored.state;
    if let Some(keys) = get(trust::KEY) {
        state.project.trusted = Rc::new(trust::parse_keys(&keys));
    }
    for (key, text) in [
        (UNREADABLE_PROJECT_KEY, &restored.unreadable_project),
        (UNREADABLE_KEY, &restored.unreadable),
        (UNREADABLE_FUNCTIONS_KEY, &restored.unreadable_functions),
    ] {
        if let Some(text) = text {
            if !copy_aside(key, text) {
                BLOCKED.with(|b| b.set(true));
                state.update(Action::Notify {
                    level: Level::Error,
                    text: format!(
                        "The saved project could not be read, and the browser refused to keep a copy under \"{key}\" (storage full or disabled). Autosave is off for this page so that the saved text is not overwritten: export your work, free some space, and reload."
                    ),
                });
            }
        }
    }
    let theme_saved = view
        .as_deref()
        .map(persist::parse_view)
        .is_some_and(|v| v.theme.is_some());
    if !theme_saved && browser::prefers_dark() {
        state.update(Action::SetTheme(Theme::Dark));
    }
    Editor(state)
}

fn save(key: &str, value: &str) -> bool {
    browser::local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// Whether autosave may write now.
fn may_write(state: &EditorState) -> bool {
    !BLOCKED.with(Cell::get)
        && !crate::panic::happened()
        && !state.chrome.view_only
        && state.chrome.overlay != Some(Overlay::ChangedElsewhere)
}

/// What the user hears when a project put aside could not be kept in Recent.
const KEEP_FAILED: &str = "Your previous project could not be kept in Recent: the browser refused to store it (storage full or disabled). It is still saved as it was, and this one is not autosaved until there is room: remove projects from Recent, Export project, or Undo to go back.";

/// Keeps the projects the reducer put aside (and not kept yet) in Recent, before `current` (the
/// project about to be written) replaces them in storage: each text under its own key, then the
/// index. `Err` when the browser refused (what was written of it is taken back).
fn keep_in_recent(state: &EditorState, current: &str) -> Result<(), ()> {
    let kept = KEPT.with(Cell::get);
    let pending: Vec<_> = state
        .project
        .outgoing
        .iter()
        .filter(|o| o.serial > kept)
        .collect();
    let Some(last) = pending.last().map(|o| o.serial) else {
        return Ok(());
    };
    // A project put aside that is the current one again (Undo went back to it) is not lost.
    let pending: Vec<_> = pending.into_iter().filter(|o| o.text != current).collect();
    if pending.is_empty() {
        KEPT.with(|k| k.set(last));
        return Ok(());
    }
    let storage = browser::local_storage().ok_or(())?;
    let stored = storage.get_item(recent::KEY).map_err(|_| ())?;
    let mut list = match stored.as_deref().map(Recent::parse) {
        None => Recent::default(),
        Some(Ok(list)) => list,
        // Unreadable: keep its text aside before writing a new index over it.
        Some(Err(_)) => {
            if !copy_aside(
                recent::UNREADABLE_KEY,
                stored.as_deref().unwrap_or_default(),
            ) {
                return Err(());
            }
            Recent::default()
        }
    };
    let now = js_sys::Date::now().max(0.0) as u64;
    let mut written: Vec<String> = Vec::new();
    let mut dropped = Vec::new();
    for o in pending {
        let entry = Entry::of(o, now);
        let key = recent::text_key(&entry.id);
        let listed = list.entries.iter().any(|e| e.id == entry.id);
        if storage.set_item(&key, &o.text).is_err() {
            for key in &written {
                let _ = storage.remove_item(key);
            }
            return Err(());
        }
        // Only a text this call added is taken back on failure.
        if !listed {
            written.push(key);
        }
        dropped.extend(list.remember(entry));
    }
    if storage.set_item(recent::KEY, &list.to_text()).is_err() {
        for key in &written {
            let _ = storage.remove_item(key);
        }
        return Err(());
    }
    for id in dropped {
        let _ = storage.remove_item(&recent::text_key(&id));
    }
    KEPT.with(|k| k.set(last));
    Ok(())
}

/// The Recent list as stored (empty when there is none; `Err` when it cannot be read).
pub fn recent_list() -> Result<Recent, String> {
    let Some(storage) = browser::local_storage() else {
        return Err("the browser gives this page no storage".into());
    };
    match storage.get_item(recent::KEY).ok().flatten() {
        None => Ok(Recent::default()),
        Some(text) => Recent::parse(&text).map_err(|e| e.message),
    }
}

/// The text of a Recent project.
pub fn recent_text(id: &str) -> Option<String> {
    browser::local_storage()?
        .get_item(&recent::text_key(id))
        .ok()
        .flatten()
}

/// Removes entry `index` from the Recent list (and its text); whether the browser stored the
/// shorter list.
pub fn remove_recent(index: usize) -> bool {
    let Ok(mut list) = recent_list() else {
        return false;
    };
    let removed = list.remove(index);
    let ok = save(recent::KEY, &list.to_text());
    if let (true, Some(e), Some(storage)) = (ok, removed, browser::local_storage()) {
        let _ = storage.remove_item(&recent::text_key(&e.id));
    }
    ok
}

/// Saves the project whenever it changes and the view whenever that changes; watches other tabs.
#[hook]
pub fn use_autosave(state: &UseReducerHandle<Editor>) {
    let report = use_mut_ref(SaveReport::default);
    let writing = may_write(state);
    let record = {
        let report = report.clone();
        let dispatch = state.dispatcher();
        move |ok: bool| {
            let notice = report.borrow_mut().record(ok);
            if let Some(text) = notice {
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: text.to_owned(),
                });
            }
        }
    };
    {
        let snapshot = (**state).clone();
        let record = record.clone();
        let dispatch = state.dispatcher();
        let deps = (
            state.doc.flow_rev,
            state.project.functions_rev,
            writing,
            state.project.outgoing.last().map(|o| o.serial),
            state.unsaved_to_file(),
            state.project.untrusted.clone(),
        );
        use_effect_with(deps, move |_| {
            if writing {
                let text = snapshot.saved_project_text();
                // The project put aside goes to Recent first; if that fails, the new one must not
                // be written over it.
                let kept = keep_in_recent(&snapshot, &text);
                let first_failure = kept.is_err() && !KEEP_FAILING.with(Cell::get);
                KEEP_FAILING.with(|f| f.set(kept.is_err()));
                if first_failure {
                    dispatch.dispatch(Action::Notify {
                        level: Level::Error,
                        text: KEEP_FAILED.to_owned(),
                    });
                }
                if kept.is_err() {
                    return;
                }
                let ok = save(PROJECT_KEY, &text);
                if ok {
                    WRITTEN.with(|w| *w.borrow_mut() = Some(text));
                    if let Some(storage) = browser::local_storage() {
                        let _ = storage.remove_item(FLOW_KEY);
                        let _ = storage.remove_item(FUNCTIONS_KEY);
                    }
                }
                record(ok);
            }
        });
    }
    {
        let snapshot = state.clone();
        let key = (
            Rc::as_ptr(&state.doc.selection) as usize,
            state.doc.flow_rev,
            state.canvas.viewport,
            state.canvas.snap,
            state.chrome.theme,
            writing,
        );
        use_effect_with(key, move |_| {
            if writing {
                record(save(VIEW_KEY, &persist::view_text(&snapshot.saved_view())));
            }
        });
    }
    {
        let trusted = Rc::clone(&state.project.trusted);
        let dispatch = state.dispatcher();
        use_effect_with(Rc::as_ptr(&trusted) as usize, move |_| {
            let stored = browser::local_storage()
                .and_then(|s| s.get_item(trust::KEY).ok().flatten())
                .map(|t| trust::parse_keys(&t))
                .unwrap_or_default();
            if *trusted != stored && !save(trust::KEY, &trust::keys_text(&trusted)) {
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: "The browser refused to remember that you trusted this link (storage full or disabled): it runs in this page, and asks again after a reload.".into(),
                });
            }
        });
    }
    let dispatch = state.dispatcher();
    use_effect_with((), move |_| {
        let listener = browser::window().map(|w| {
            Listener::new(&w, "storage", true, move |event| {
                let Some(event) = event.dyn_ref::<StorageEvent>() else {
                    return;
                };
                if event.key().as_deref() != Some(PROJECT_KEY) {
                    return;
                }
                let Some(theirs) = event.new_value() else {
                    return;
                };
                let ours = WRITTEN.with(|w| w.borrow().as_deref() == Some(theirs.as_str()));
                if !ours {
                    dispatch.dispatch(Action::ShowOverlay(Overlay::ChangedElsewhere));
                }
            })
        });
        move || drop(listener)
    });
}

/// The project another tab saved, if any (for "Load theirs").
pub fn saved_project() -> Option<String> {
    browser::local_storage()?
        .get_item(PROJECT_KEY)
        .ok()
        .flatten()
}
