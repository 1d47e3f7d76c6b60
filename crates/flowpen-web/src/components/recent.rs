//! The *Recent* menu: the projects the user had before something replaced them (kept by
//! autosave, see `hooks::storage`), newest first, each reopened with a click (the current project
//! goes to Recent in its place) or removed with its ×.

use yew::prelude::*;

use super::icons;
use super::Dispatch;
use crate::hooks::storage;
use flowpen_playground::editor::{Action, Level};
use flowpen_playground::recent::{self, Recent};

/// The menu's state: open or not, and the list as read when it opened (another tab may have
/// added to it since).
pub type RecentState = (UseStateHandle<bool>, UseStateHandle<Result<Recent, String>>);

/// The toolbar's Recent button and its menu (a function of the toolbar's hooks rather than a
/// component of its own: each component costs the app kilobytes of code).
pub fn recent_menu(dispatch: &Dispatch, (open, list): &RecentState) -> Html {
    let dispatch = dispatch.clone();
    let toggle = {
        let (open, list) = (open.clone(), list.clone());
        Callback::from(move |_: MouseEvent| {
            if !*open {
                list.set(storage::recent_list());
            }
            open.set(!*open);
        })
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.stop_propagation();
                open.set(false);
            }
        })
    };
    let now = js_sys::Date::now().max(0.0) as u64;
    let items = match &**list {
        Err(e) => html! {
            <li role="none" class="menu-note" data-testid="recent-error">
                { format!("The list of recent projects cannot be read ({e}); the next project put aside starts a new one, and the old text is kept under \"{}\".", recent::UNREADABLE_KEY) }
            </li>
        },
        Ok(r) if r.entries.is_empty() => html! {
            <li role="none" class="menu-note" data-testid="recent-empty">
                { "No recent projects yet: whenever Open…, New, an example or a link replaces your project, it goes here." }
            </li>
        },
        Ok(r) => html! {
            { for r.entries.iter().enumerate().map(|(i, e)| {
                let reopen = {
                    let (dispatch, open) = (dispatch.clone(), open.clone());
                    let (id, title) = (e.id.clone(), e.title.clone());
                    Callback::from(move |_: MouseEvent| {
                        open.set(false);
                        let action = match storage::recent_text(&id) {
                            Some(text) => Action::OpenRecent { text, title: title.clone() },
                            None => Action::Notify {
                                level: Level::Error,
                                text: format!("The text of \"{title}\" is no longer in this browser's storage (removed in another tab?)."),
                            },
                        };
                        dispatch.dispatch(action);
                    })
                };
                let remove = {
                    let (dispatch, list) = (dispatch.clone(), list.clone());
                    Callback::from(move |_: MouseEvent| {
                        if !storage::remove_recent(i) {
                            dispatch.dispatch(Action::Notify {
                                level: Level::Error,
                                text: "The browser refused to change the list of recent projects.".into(),
                            });
                        }
                        list.set(storage::recent_list());
                    })
                };
                html! {
                    <li role="none" class="recent-item">
                        <button type="button" role="menuitem" data-testid="recent-open" data-title={e.title.clone()} onclick={reopen}>
                            <span class="recent-title">{ &e.title }</span>
                            <span class="recent-detail muted small">{ format!("{}, {}", recent::age(now, e.at_ms), e.reason) }</span>
                        </button>
                        <button type="button" class="icon-btn recent-remove" data-testid="recent-remove"
                            title="Remove from Recent" aria-label={format!("Remove {} from Recent", e.title)} onclick={remove}>
                            { icons::glyph(icons::CLOSE) }
                        </button>
                    </li>
                }
            }) }
        },
    };
    html! {
        <div class="menu-anchor" onkeydown={onkeydown}>
            <button type="button" class="tb" data-testid="recent" aria-haspopup="menu"
                aria-expanded={open.to_string()} title="Projects you had before something replaced them"
                onclick={toggle}>
                <span>{ "Recent" }</span>{ icons::glyph(icons::CHEVRON) }
            </button>
            if **open {
                <div class="menu-backdrop" onclick={close}></div>
                <ul class="menu recent-menu" role="menu" data-testid="recent-menu">{ items }</ul>
            }
        </div>
    }
}
