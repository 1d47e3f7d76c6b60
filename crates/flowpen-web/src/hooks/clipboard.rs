//! The clipboard through the document's `copy`, `cut` and `paste` events (no permission
//! prompts): widgets travel as Studio JSON in `text/plain`. Also file drops onto the page.

use std::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, DragEvent, Event};
use yew::prelude::*;

use super::browser;
use super::listener::Listener;
use super::Latest;
use flowpen_playground::editor::{Action, Level};

thread_local! {
    /// Set while "Copy JSON" runs `execCommand("copy")`: the copy handler then copies the flow.
    static COPY_FLOW: Cell<bool> = const { Cell::new(false) };
    /// Set while [`copy_text`] runs `execCommand("copy")`: the text, and the notice to show.
    static COPY_TEXT: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Copies the whole flow (the toolbar's "Copy JSON"); must run in a user gesture.
pub fn copy_flow() -> bool {
    let Some(doc) = browser::document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    else {
        return false;
    };
    COPY_FLOW.with(|c| c.set(true));
    let ok = doc.exec_command("copy").unwrap_or(false);
    COPY_FLOW.with(|c| c.set(false));
    ok
}

/// Copies `text` (a share link), then shows `done` as a notice; must run in a user gesture.
pub fn copy_text(text: &str, done: &str) -> bool {
    let Some(doc) = browser::document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    else {
        return false;
    };
    COPY_TEXT.with(|c| *c.borrow_mut() = Some((text.to_owned(), done.to_owned())));
    let ok = doc.exec_command("copy").unwrap_or(false);
    // The copy handler took it; if the event never came, nothing is left behind.
    let missed = COPY_TEXT.with(|c| c.borrow_mut().take()).is_some();
    ok && !missed
}

fn in_text_field() -> bool {
    browser::active_element().is_some_and(|el| browser::is_text_field(&el))
}

fn on_copy(latest: &Latest, e: &Event, cut: bool) {
    let Some(e) = e.dyn_ref::<ClipboardEvent>() else {
        return;
    };
    if let Some((text, done)) = COPY_TEXT.with(|c| c.borrow_mut().take()) {
        if let Some(data) = e.clipboard_data() {
            if data.set_data("text/plain", &text).is_ok() {
                e.prevent_default();
                latest.borrow().dispatch(Action::Notify {
                    level: Level::Info,
                    text: done,
                });
            }
        }
        return;
    }
    let whole = COPY_FLOW.with(Cell::get);
    if !whole && in_text_field() {
        return;
    }
    let handle = latest.borrow().clone();
    let text = if whole {
        Some(handle.export_text())
    } else {
        handle.copy_text()
    };
    let (Some(text), Some(data)) = (text, e.clipboard_data()) else {
        return;
    };
    if data.set_data("text/plain", &text).is_err() {
        return;
    }
    e.prevent_default();
    let what = if whole {
        "Copied the flow's JSON.".to_owned()
    } else {
        let n = handle.doc.selection.len();
        format!(
            "{} {n} widget{} as Studio JSON.",
            if cut { "Cut" } else { "Copied" },
            if n == 1 { "" } else { "s" }
        )
    };
    if cut {
        handle.dispatch(Action::Cut);
    }
    handle.dispatch(Action::Notify {
        level: Level::Info,
        text: what,
    });
}

fn on_paste(latest: &Latest, e: &Event) {
    let Some(e) = e.dyn_ref::<ClipboardEvent>() else {
        return;
    };
    if in_text_field() {
        return;
    }
    let text = e
        .clipboard_data()
        .and_then(|d| d.get_data("text/plain").ok())
        .unwrap_or_default();
    if text.trim().is_empty() {
        return;
    }
    e.prevent_default();
    latest.borrow().dispatch(Action::Paste { text });
}

fn has_files(e: &DragEvent) -> bool {
    e.data_transfer().map(|d| d.types()).is_some_and(|types| {
        types
            .iter()
            .any(|t| t.as_string().as_deref() == Some("Files"))
    })
}

fn on_drop(latest: &Latest, e: &Event) {
    let Some(e) = e.dyn_ref::<DragEvent>() else {
        return;
    };
    let file = e
        .data_transfer()
        .and_then(|d| d.files())
        .and_then(|f| f.get(0));
    let Some(file) = file else { return };
    e.prevent_default();
    let name = file.name();
    let dispatch = latest.borrow().dispatcher();
    browser::read_file(file, move |r| match r {
        Ok(text) => dispatch.dispatch(Action::Open {
            text,
            source: format!("\"{name}\""),
        }),
        Err(err) => dispatch.dispatch(Action::Notify {
            level: Level::Error,
            text: format!("Could not read \"{name}\": {err}"),
        }),
    });
}

/// Listens for copy, cut, paste and file drops on the document for the app's lifetime.
#[hook]
pub fn use_clipboard(latest: Latest) {
    use_effect_with((), move |_| {
        let listeners = browser::document().map(|doc| {
            let l = |kind, f: fn(&Latest, &Event)| {
                let latest = latest.clone();
                Listener::new(&doc, kind, false, move |e| f(&latest, &e))
            };
            vec![
                l("copy", |l, e| on_copy(l, e, false)),
                l("cut", |l, e| on_copy(l, e, true)),
                l("paste", on_paste),
                l("drop", on_drop),
                Listener::new(&doc, "dragover", false, |e| {
                    if e.dyn_ref::<DragEvent>().is_some_and(has_files) {
                        e.prevent_default();
                    }
                }),
            ]
        });
        move || drop(listeners)
    });
}
