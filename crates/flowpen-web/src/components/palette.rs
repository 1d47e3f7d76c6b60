//! The widget palette.

use flowpen_flow::WidgetType;
use yew::prelude::*;

/// Lists the widgets a flow is built from.
#[function_component(Palette)]
pub fn palette() -> Html {
    let items = std::iter::once(WidgetType::Trigger).chain(WidgetType::PALETTE);
    html! {
        <aside class="palette" data-testid="palette" aria-label="Widget palette">
            <h2>{ "Widgets" }</h2>
            <ul>
                { for items.map(|t| html! {
                    <li class={classes!("palette-item", format!("w-{}", t.as_str()))}
                        data-widget-type={t.as_str().to_owned()}>
                        { t.label() }
                    </li>
                }) }
            </ul>
        </aside>
    }
}
