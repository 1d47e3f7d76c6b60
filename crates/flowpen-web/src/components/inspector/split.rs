//! A split's ordered conditions: type, value and friendly name, reordered, added and removed.
//! Each condition is a `match` transition; its port appears on the card.

use flowpen_flow::spec::CONDITION_TYPES;
use flowpen_flow::{edit, State};
use yew::prelude::*;

use super::fields::{event_value, liquid_error};
use crate::components::icons;
use crate::components::Dispatch;
use flowpen_playground::editor::{Action, CondField};

/// A Split Based On's conditions. A plain function (a Yew component costs code of its own in the
/// wasm): the widget form shows it, when the widget changes.
pub fn conditions(dispatch: &Dispatch, index: usize, state: &State) -> Html {
    let conds = edit::conditions(state);
    let n = conds.len();
    let onblur = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: FocusEvent| dispatch.dispatch(Action::SealHistory))
    };
    let act = |action: Action| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()))
    };
    html! {
        <div class="field conditions" data-testid="conditions">
            <div class="field-label">{ "Transitions (conditions, in order; the first match wins)" }</div>
            if n == 0 {
                <p class="muted small">{ "No conditions yet: every execution takes “No Condition Matches”." }</p>
            }
            { for conds.iter().enumerate().map(|(nth, c)| {
                let set = |field: CondField| {
                    let dispatch = dispatch.clone();
                    move |e: &Event| dispatch.dispatch(Action::SetCondition {
                        index, nth, field, text: event_value(e),
                    })
                };
                let on_kind = { let f = set(CondField::Kind); Callback::from(move |e: Event| f(&e)) };
                let on_value = { let f = set(CondField::Value); Callback::from(move |e: InputEvent| f(&e)) };
                let on_name = { let f = set(CondField::FriendlyName); Callback::from(move |e: InputEvent| f(&e)) };
                let blank = matches!(c.kind.as_str(), "is_blank" | "is_not_blank");
                html! {
                    <div class="condition" data-testid={format!("cond-{nth}")}>
                        <div class="condition-head">
                            <span class="condition-no">{ format!("Condition {}", nth + 1) }</span>
                            <div class="row-actions">
                                <button type="button" class="icon-btn" title="Move up" aria-label="Move up"
                                    disabled={nth == 0} data-testid={format!("cond-{nth}-up")}
                                    onclick={act(Action::MoveCondition { index, from: nth, to: nth.saturating_sub(1) })}>
                                    { icons::glyph(icons::UP) }
                                </button>
                                <button type="button" class="icon-btn" title="Move down" aria-label="Move down"
                                    disabled={nth + 1 >= n}
                                    onclick={act(Action::MoveCondition { index, from: nth, to: (nth + 1).min(n.saturating_sub(1)) })}>
                                    { icons::glyph(icons::DOWN) }
                                </button>
                                <button type="button" class="icon-btn danger" title="Remove condition" aria-label="Remove condition"
                                    data-testid={format!("cond-{nth}-remove")}
                                    onclick={act(Action::RemoveCondition { index, nth })}>
                                    { icons::glyph(icons::CLOSE) }
                                </button>
                            </div>
                        </div>
                        <div class="condition-grid">
                            <select class="input" aria-label="Condition type" data-testid={format!("cond-{nth}-type")}
                                onchange={on_kind}>
                                { for CONDITION_TYPES.iter().map(|(k, label)| html! {
                                    <option value={*k} selected={*k == c.kind}>{ *label }</option>
                                }) }
                            </select>
                            if !blank {
                                <input class="input mono" aria-label="Value" placeholder="value"
                                    data-testid={format!("cond-{nth}-value")} value={c.value.clone()}
                                    oninput={on_value} onblur={onblur.clone()} spellcheck="false" autocomplete="off" />
                            }
                        </div>
                        if !blank { { liquid_error(&c.value) } }
                        <input class="input" aria-label="Friendly name" placeholder="Friendly name"
                            data-testid={format!("cond-{nth}-name")} value={c.friendly_name.clone()}
                            oninput={on_name} onblur={onblur.clone()} autocomplete="off" />
                    </div>
                }
            }) }
            <button type="button" class="btn small" data-testid="cond-add" onclick={act(Action::AddCondition { index })}>
                { icons::glyph(icons::PLUS) }{ "Add condition" }
            </button>
        </div>
    }
}
