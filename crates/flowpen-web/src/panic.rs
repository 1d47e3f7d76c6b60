//! A panic never kills the page silently: the hook shows an overlay ("Flowpen hit an internal
//! error") with the message, a Reload button and a button that copies the details, and stops
//! autosave so the last good save stays as it was. The release build aborts on panic (the wasm
//! instance traps right after the hook), so the overlay is plain JavaScript in `www/index.html`
//! that needs nothing from the dead instance; the same page script shows it for traps that are
//! not panics (a `WebAssembly.RuntimeError`).
//!
//! For the end-to-end tests, a page opened with `?flowpen-test-hooks` gets
//! `window.flowpenTestPanic()`, which panics inside the app.

use std::cell::Cell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static HAPPENED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the app has panicked (autosave stops writing).
pub fn happened() -> bool {
    HAPPENED.with(Cell::get)
}

/// Installs the panic hook (and, on test pages, the test hook). Through Yew, so that its
/// `Renderer` keeps this hook instead of installing its own console-only one.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        HAPPENED.with(|h| h.set(true));
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&message));
        show(&message);
    }));
    let test_page = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|q| q.contains("flowpen-test-hooks"));
    if test_page {
        if let Some(window) = web_sys::window() {
            let panic_now = Closure::<dyn Fn()>::new(|| {
                panic!("a test panic, asked for with flowpenTestPanic()");
            });
            let _ = js_sys::Reflect::set(
                &window,
                &JsValue::from_str("flowpenTestPanic"),
                panic_now.as_ref(),
            );
            panic_now.forget();
        }
    }
}

/// Shows the overlay with `details`: `window.flowpenCrash`, defined by `www/index.html` (the one
/// implementation, also used for traps that are not panics). Without it (a test harness page),
/// the console has the message.
fn show(details: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let crash = js_sys::Reflect::get(&window, &JsValue::from_str("flowpenCrash"));
    if let Ok(crash) = crash {
        if let Some(crash) = crash.dyn_ref::<js_sys::Function>() {
            let _ = crash.call1(&JsValue::NULL, &JsValue::from_str(details));
        }
    }
}
