//! The flow canvas.

use yew::prelude::*;

/// The drawing area where widgets are placed and connected.
#[function_component(Canvas)]
pub fn canvas() -> Html {
    html! {
        <section class="canvas" data-testid="canvas" aria-label="Flow canvas">
            <svg class="canvas-svg" width="100%" height="100%">
                <defs>
                    <pattern id="grid" width="20" height="20" patternUnits="userSpaceOnUse">
                        <path d="M 20 0 L 0 0 0 20" fill="none" class="grid-line" />
                    </pattern>
                </defs>
                <rect width="100%" height="100%" fill="url(#grid)" />
            </svg>
        </section>
    }
}
