//! Document-level keyboard shortcuts: describes each key press (and where the focus is) for the
//! pure mapping in `editor::keys`, and dispatches the action it returns.

use wasm_bindgen::JsCast;
use web_sys::{Event, KeyboardEvent};
use yew::prelude::*;

use super::browser;
use super::listener::Listener;
use super::Latest;
use flowpen_playground::editor::keys::{debug_key, key_action, DebugKey, Focused, KeyPress};

use super::Sim;
use flowpen_playground::editor::Action;

/// What has the keyboard focus.
fn focused() -> Focused {
    let Some(el) = browser::active_element() else {
        return Focused::Other;
    };
    // Text fields, and the panels that handle their own keys (the simulator, the execution log,
    // the Functions): editing shortcuts such as Delete stay out of them.
    if browser::is_text_field(&el) || el.closest("[data-own-keys]").ok().flatten().is_some() {
        return Focused::TextField;
    }
    let index = |e: &web_sys::Element, attr: &str| -> Option<usize> {
        e.get_attribute(attr).and_then(|v| v.parse().ok())
    };
    if let Some(port) = el.closest("[data-port]").ok().flatten() {
        let card = port.closest(".card").ok().flatten();
        if let (Some(i), Some(p)) = (
            card.and_then(|c| index(&c, "data-index")),
            index(&port, "data-port"),
        ) {
            return Focused::Port(i, p);
        }
    }
    if let Some(i) = el
        .closest(".card[data-index]")
        .ok()
        .flatten()
        .and_then(|c| index(&c, "data-index"))
    {
        return Focused::Card(i);
    }
    let tag = el.tag_name().to_ascii_lowercase();
    if matches!(tag.as_str(), "button" | "a" | "summary" | "input") {
        return Focused::Control;
    }
    Focused::Other
}

fn press(k: &KeyboardEvent, focused: Focused) -> KeyPress {
    KeyPress {
        key: k.key(),
        command: k.ctrl_key() || k.meta_key(),
        shift: k.shift_key(),
        alt: k.alt_key(),
        repeat: k.repeat(),
        focused,
    }
}

fn on_key_down(latest: &Latest, e: &Event) {
    let Some(k) = e.dyn_ref::<KeyboardEvent>() else {
        return;
    };
    // A component already handled it (a list's Enter, a field's Escape): its effects may have
    // moved the focus since, so reading the focus now would misroute the key.
    if k.is_composing() || e.default_prevented() {
        return;
    }
    let press = press(k, focused());
    let handle = latest.borrow().clone();
    if let Some(action) = key_action(&handle, &press) {
        e.prevent_default();
        handle.dispatch(action);
    }
}

/// Listens for shortcuts on the document for the app's lifetime.
#[hook]
pub fn use_keyboard(latest: Latest) {
    use_effect_with((), move |_| {
        let listeners = browser::document().map(|doc| {
            let down = {
                let latest = latest.clone();
                Listener::new(&doc, "keydown", false, move |e| on_key_down(&latest, &e))
            };
            let up = {
                let latest = latest.clone();
                Listener::new(&doc, "keyup", true, move |e| {
                    let space = e.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == " ");
                    let handle = latest.borrow().clone();
                    if space && handle.canvas.space {
                        handle.dispatch(Action::SetSpace(false));
                    }
                })
            };
            let blur = browser::window().map(|w| {
                let latest = latest.clone();
                Listener::new(&w, "blur", true, move |_| {
                    let handle = latest.borrow().clone();
                    if handle.canvas.space {
                        handle.dispatch(Action::SetSpace(false));
                    }
                })
            });
            (down, up, blur)
        });
        move || drop(listeners)
    });
}

/// The debugger's keys (F8 Continue, F10 Step) while an execution is paused.
#[hook]
pub fn use_debug_keys(sim: Sim) {
    use_effect_with((), move |_| {
        let listener = browser::document().map(|doc| {
            Listener::new(&doc, "keydown", false, move |e| {
                let Some(k) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if k.is_composing() || e.default_prevented() {
                    return;
                }
                let Some(key) = debug_key(&press(k, Focused::Other)) else {
                    return;
                };
                let paused = sim
                    .view(|s| s.active().is_some_and(|x| x.paused().is_some()))
                    .unwrap_or(false);
                if paused {
                    e.prevent_default();
                    match key {
                        DebugKey::Continue => sim.continue_(),
                        DebugKey::Step => sim.step(),
                    }
                }
            })
        });
        move || drop(listener)
    });
}
