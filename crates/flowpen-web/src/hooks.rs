//! The shell's side effects, as hooks: autosave to localStorage, document-level keyboard,
//! clipboard and file-drop listeners, focus requests, the canvas size, notices that expire, share
//! links in the address bar, and the simulator's driver (timers, `fetch`, the Functions host).
//!
//! **Invariant:** every browser effect of the editor lives here or in a component's event
//! handler, never in the reducer. Hooks read the state and dispatch actions.

pub mod browser;
pub mod clipboard;
pub mod fetch;
pub mod keyboard;
pub mod listener;
pub mod share;
pub mod simulator;
pub mod storage;
pub mod tests;

use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use flowpen_playground::editor::{Action, FocusRequest, FocusTarget, Level, Notice};

use crate::state::Editor;

pub use clipboard::{copy_flow, copy_text, use_clipboard};
pub use keyboard::{use_debug_keys, use_keyboard};
pub use share::use_share_links;
pub use simulator::{use_simulator, Sim};
pub use storage::{load_state, use_autosave};

/// The reducer's handle, readable from listeners registered once (always the latest state).
pub type Latest = Rc<std::cell::RefCell<UseReducerHandle<Editor>>>;

/// Keeps a shared cell pointing at the latest state handle.
#[hook]
pub fn use_latest(state: &UseReducerHandle<Editor>) -> Latest {
    let cell = use_mut_ref(|| state.clone());
    *cell.borrow_mut() = state.clone();
    cell
}

/// Moves the keyboard focus when the reducer asks for it.
#[hook]
pub fn use_focus(request: Option<FocusRequest>) {
    use_effect_with(request, |request| {
        if let Some(r) = request {
            let selector = match &r.target {
                FocusTarget::Inspector => {
                    "[data-testid=inspector] input, [data-testid=inspector] textarea".to_owned()
                }
                FocusTarget::Canvas => "[data-testid=canvas]".to_owned(),
                FocusTarget::Chat => "[data-testid=chat-input]".to_owned(),
                FocusTarget::Field(testid) => {
                    format!("[data-testid=inspector] [data-testid=\"{testid}\"]")
                }
                FocusTarget::Card(i) => format!(".card[data-index=\"{i}\"]"),
                FocusTarget::Port(i, p) => {
                    format!(".card[data-index=\"{i}\"] [data-port=\"{p}\"]")
                }
            };
            // The element may appear in this very render: look it up after it is in the DOM.
            if let Some(el) = browser::query(&selector) {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                    if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
                        input.select();
                    }
                }
            }
        }
    });
}

/// Dismisses information notices after a few seconds (errors stay until dismissed).
#[hook]
pub fn use_notice_timeout(notice: Option<Notice>, dispatch: UseReducerDispatcher<Editor>) {
    use_effect_with(notice, move |notice| {
        let timer = notice
            .as_ref()
            .filter(|n| n.level == Level::Info)
            .map(|_| Timeout::new(4_000, move || dispatch.dispatch(Action::DismissNotice)));
        move || drop(timer)
    });
}
