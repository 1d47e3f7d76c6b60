//! The inspector panel for the selected widget.

use yew::prelude::*;

/// Shows the selected widget's properties; empty when nothing is selected.
#[function_component(Inspector)]
pub fn inspector() -> Html {
    html! {
        <aside class="inspector" data-testid="inspector" aria-label="Inspector">
            <h2>{ "Inspector" }</h2>
            <p class="empty">{ "Select a widget to edit its properties." }</p>
        </aside>
    }
}
