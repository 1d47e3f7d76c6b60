//! The widget palette: drag a widget onto the canvas, or click (Enter) to add it at the view's
//! centre. The Trigger is listed but cannot be added: a flow has exactly one.

use flowpen_flow::WidgetType;
use yew::prelude::*;

use super::icons;
use super::use_dispatch;
use flowpen_playground::editor::cards::type_class;
use flowpen_playground::editor::Action;

/// The `DataTransfer` type carrying a widget type from the palette to the canvas.
pub const DRAG_TYPE: &str = "application/x-flowpen-widget";

/// Lists the widgets a flow is built from.
#[function_component(Palette)]
pub fn palette() -> Html {
    let dispatch = use_dispatch();
    let items = std::iter::once(WidgetType::Trigger).chain(WidgetType::PALETTE);
    let item = |t: WidgetType| {
        let trigger = t == WidgetType::Trigger;
        let onclick = {
            let dispatch = dispatch.clone();
            let kind = t.clone();
            Callback::from(move |_: MouseEvent| {
                dispatch.dispatch(Action::AddWidget {
                    kind: kind.clone(),
                    at: None,
                    link: None,
                })
            })
        };
        let ondragstart = {
            let kind = t.as_str().to_owned();
            Callback::from(move |e: DragEvent| {
                if let Some(dt) = e.data_transfer() {
                    let _ = dt.set_data(DRAG_TYPE, &kind);
                    let _ = dt.set_data("text/plain", &kind);
                    dt.set_effect_allowed("copy");
                }
            })
        };
        let title = if trigger {
            "Every flow starts with its one Trigger"
        } else {
            "Drag onto the canvas, or click to add at the centre"
        };
        html! {
            <li>
                <button type="button" class={classes!("palette-item", type_class(&t))}
                    data-widget-type={t.as_str().to_owned()} data-testid="palette-item"
                    draggable={(!trigger).to_string()} disabled={trigger}
                    title={format!("{}: {title}", t.label())} {onclick} {ondragstart}>
                    <span class="palette-icon">{ icons::type_icon(&t) }</span>
                    { t.label() }
                </button>
            </li>
        }
    };
    html! {
        <aside class="palette" data-testid="palette" aria-label="Widget palette">
            <h2>{ "Widgets" }</h2>
            <ul>
                { for items.map(item) }
            </ul>
            <details class="palette-more" data-testid="palette-more">
                <summary>{ "Voice, contact center, subflows" }</summary>
                <ul>
                    { for WidgetType::CALL_AND_MORE.into_iter().map(item) }
                </ul>
            </details>
            <p class="hint">{ "Drag from a port to a widget to connect. Press ? for shortcuts." }</p>
        </aside>
    }
}
