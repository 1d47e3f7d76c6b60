//! The Flowpen playground: a Yew (CSR) shell around the pure core crates.
//!
//! The shell owns every side effect (fetch, timers, storage, the DOM); the core crates
//! (`flowpen-flow`, `flowpen-liquid`, `flowpen-engine`) stay pure.

mod components;
pub mod editor;
pub mod functions;

use yew::prelude::*;

use components::canvas::Canvas;
use components::inspector::Inspector;
use components::palette::Palette;

/// The whole page: toolbar, palette, canvas and inspector.
#[function_component(App)]
pub fn app() -> Html {
    html! {
        <div class="app" data-testid="app">
            <header class="toolbar">
                <span class="brand">{ "Flowpen" }</span>
                <span class="tagline">{ "Twilio Studio flows, in your browser" }</span>
            </header>
            <main class="workspace">
                <Palette />
                <Canvas />
                <Inspector />
            </main>
        </div>
    }
}
