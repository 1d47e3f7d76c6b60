//! Share links in the address bar: a page opened with `#share=…` or `#view=…` (or a tab whose
//! fragment becomes one: `hashchange`) hands the fragment to the reducer (`Action::OpenShared`),
//! then removes it with `history.replaceState`, so that a reload does not open the link again over
//! later edits. The reducer decodes it (`flowpen_playground::share`), asks first when the project
//! has changes no file holds, and puts the project it replaces aside for Recent; other fragments
//! are left alone.

use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::browser;
use super::listener::Listener;
use flowpen_playground::editor::Action;

use crate::state::Editor;
use flowpen_playground::share;

/// The page's URL (`location.href`), which a share link starts with.
pub fn page_url() -> Option<String> {
    browser::window()?.location().href().ok()
}

/// Opens the share link in the page's fragment, if there is one, and removes the fragment.
fn open_from_location(dispatch: &UseReducerDispatcher<Editor>) {
    let Some(window) = browser::window() else {
        return;
    };
    let location = window.location();
    let Ok(hash) = location.hash() else {
        return;
    };
    if !share::is_share_fragment(&hash) {
        return;
    }
    dispatch.dispatch(Action::OpenShared(hash));
    // The same page without the fragment; replacing the entry adds no step to Back.
    let rest = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&rest));
    }
}

/// Opens a share link once the app is up, and again whenever the fragment changes (a link pasted
/// into the address bar of an open tab).
#[hook]
pub fn use_share_links(dispatch: UseReducerDispatcher<Editor>) {
    use_effect_with((), move |_| {
        open_from_location(&dispatch);
        let listener = browser::window().map(|w| {
            Listener::new(&w, "hashchange", true, move |_| {
                open_from_location(&dispatch)
            })
        });
        move || drop(listener)
    });
}

/// The page's URL as it was when the component mounted.
#[hook]
pub fn use_page_url() -> String {
    (*use_state(|| page_url().unwrap_or_default())).clone()
}
