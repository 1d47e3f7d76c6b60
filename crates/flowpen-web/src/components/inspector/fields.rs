//! Form fields of the inspector. Liquid fields show syntax errors as you type; leaving a field
//! ends its undo step (typing into one field is one step).

use flowpen_flow::{edit, Flow};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::icons;
use crate::components::{use_dispatch, Dispatch, Ptr};
use flowpen_playground::editor::{liquid, Action};

/// The value of the input, textarea or select an event came from.
pub fn event_value(e: &Event) -> String {
    if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
        return i.value();
    }
    if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
        return t.value();
    }
    if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
        return s.value();
    }
    String::new()
}

/// The Liquid syntax error of a template, if any. A plain function, not a component (no hooks,
/// and a Yew component costs code of its own in the wasm): the fields that show it are components
/// and render again only when their text changes.
pub fn liquid_error(text: &str) -> Html {
    match liquid::check(text) {
        Ok(()) => Html::default(),
        Err(e) => html! {
            <div class="field-error" data-testid="liquid-error" role="alert">
                { format!("Liquid syntax error at line {}, column {}: {}", e.line, e.column, e.message) }
            </div>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    pub label: AttrValue,
    pub value: AttrValue,
    /// The field's `data-testid` (also its id).
    pub testid: AttrValue,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub multiline: bool,
    /// Checked as a Liquid template.
    #[prop_or_default]
    pub liquid: bool,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub number: bool,
    #[prop_or_default]
    pub placeholder: AttrValue,
    #[prop_or_default]
    pub hint: AttrValue,
    /// The id of a `<datalist>` of suggestions.
    #[prop_or_default]
    pub list: Option<AttrValue>,
}

/// A labelled text input or textarea.
#[function_component(TextField)]
pub fn text_field(props: &TextFieldProps) -> Html {
    let dispatch = use_dispatch();
    let id = format!("f-{}", props.testid);
    let oninput = {
        let cb = props.oninput.clone();
        Callback::from(move |e: InputEvent| cb.emit(event_value(&e)))
    };
    let onblur = Callback::from(move |_: FocusEvent| dispatch.dispatch(Action::SealHistory));
    let missing = props.required && props.value.trim().is_empty();
    let class = classes!(
        "input",
        props.liquid.then_some("mono"),
        missing.then_some("missing")
    );
    html! {
        <div class="field">
            <label for={id.clone()}>
                { &props.label }
                if props.required { <span class="req" title="Required">{ "*" }</span> }
            </label>
            if props.multiline {
                <textarea id={id} class={class} data-testid={props.testid.clone()} rows="3"
                    value={props.value.clone()} placeholder={props.placeholder.clone()}
                    {oninput} {onblur} spellcheck="false" />
            } else {
                <input id={id} class={class} data-testid={props.testid.clone()} list={props.list.clone()}
                    type={if props.number { "number" } else { "text" }}
                    value={props.value.clone()} placeholder={props.placeholder.clone()}
                    {oninput} {onblur} spellcheck="false" autocomplete="off" />
            }
            if props.liquid { { liquid_error(&props.value) } }
            if !props.hint.is_empty() {
                <div class="field-hint" data-testid={format!("{}-hint", props.testid)}>{ &props.hint }</div>
            }
        </div>
    }
}

/// A choice field's properties.
pub struct ChoiceFieldProps {
    pub label: AttrValue,
    pub value: AttrValue,
    pub testid: AttrValue,
    pub choices: &'static [(&'static str, &'static str)],
    pub onchange: Callback<String>,
}

/// A labelled select; a value that is not one of the choices is kept and shown as is. A plain
/// function, not a component (no hooks; a Yew component costs code of its own in the wasm).
pub fn choice_field(props: ChoiceFieldProps) -> Html {
    let id = format!("f-{}", props.testid);
    let onchange = {
        let cb = props.onchange;
        Callback::from(move |e: Event| cb.emit(event_value(&e)))
    };
    let known = props
        .choices
        .iter()
        .any(|(v, _)| v.eq_ignore_ascii_case(&props.value));
    html! {
        <div class="field">
            <label for={id.clone()}>{ &props.label }</label>
            <select id={id} class="input" data-testid={props.testid.clone()} {onchange}>
                if !known {
                    <option value={props.value.clone()} selected=true>{ &props.value }</option>
                }
                { for props.choices.iter().map(|(v, label)| html! {
                    <option value={*v} selected={v.eq_ignore_ascii_case(&props.value)}>{ *label }</option>
                }) }
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct NameFieldProps {
    pub flow: Ptr<Flow>,
    pub index: usize,
    pub name: AttrValue,
}

/// The widget's name: checked as you type (Studio's rules, unique), renamed on Enter or when
/// leaving the field; renaming updates transitions and Liquid references.
#[function_component(NameField)]
pub fn name_field(props: &NameFieldProps) -> Html {
    let dispatch = use_dispatch();
    let draft = use_state(|| props.name.to_string());
    {
        let draft = draft.clone();
        use_effect_with(props.name.clone(), move |name| draft.set(name.to_string()));
    }
    let problem = edit::check_name(&props.flow, props.index, draft.trim())
        .err()
        .map(|e| e.to_string());
    let commit = {
        let (dispatch, draft, name) = (dispatch.clone(), draft.clone(), props.name.clone());
        let index = props.index;
        let ok = problem.is_none();
        move || {
            let new = draft.trim().to_owned();
            if ok && new != name.as_str() {
                dispatch.dispatch(Action::Rename { index, name: new });
            }
        }
    };
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| draft.set(event_value(&e)))
    };
    let onblur = {
        let commit = commit.clone();
        Callback::from(move |_: FocusEvent| commit())
    };
    let onkeydown = {
        let (dispatch, draft, name) = (dispatch.clone(), draft.clone(), props.name.clone());
        let index = props.index;
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                commit();
            }
            "Escape" => {
                draft.set(name.to_string());
                dispatch.dispatch(Action::FocusCard(index));
            }
            _ => {}
        })
    };
    html! {
        <div class="field">
            <label for="f-inspector-name">{ "Widget name" }</label>
            <input id="f-inspector-name" class={classes!("input", "name-input", problem.is_some().then_some("invalid"))}
                data-testid="inspector-name" value={(*draft).clone()} {oninput} {onblur} {onkeydown}
                spellcheck="false" autocomplete="off" aria-invalid={problem.is_some().to_string()} />
            if let Some(p) = problem {
                <div class="field-error" data-testid="name-error" role="alert">{ p }</div>
            } else {
                <div class="field-hint">{ "Enter renames; transitions and widgets.NAME references follow." }</div>
            }
        </div>
    }
}

pub struct KeyValueListProps {
    pub index: usize,
    /// The property (`parameters`, `variables`, …).
    pub key_name: &'static str,
    pub label: &'static str,
    pub items: Vec<(String, String)>,
    /// What one item is called (`parameter`, `variable`).
    pub noun: &'static str,
}

/// An ordered `{key, value}` list: values are Liquid. A plain function (a Yew component costs
/// code of its own in the wasm): the widget form shows it, when the widget changes.
pub fn key_value_list(dispatch: &Dispatch, props: &KeyValueListProps) -> Html {
    let index = props.index;
    let key = props.key_name.to_string();
    let n = props.items.len();
    let onblur = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: FocusEvent| dispatch.dispatch(Action::SealHistory))
    };
    let add = {
        let (dispatch, key) = (dispatch.clone(), key.clone());
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::AddKeyValue {
                index,
                key: key.clone(),
            })
        })
    };
    html! {
        <div class="field kv" data-testid={format!("kv-{key}")}>
            <div class="field-label">{ &props.label }</div>
            if n > 0 {
                <div class="kv-head"><span>{ "Key" }</span><span>{ "Value" }</span></div>
            }
            { for props.items.iter().enumerate().map(|(item, (k, v))| {
                let set = |field: flowpen_playground::editor::KvField| {
                    let (dispatch, key) = (dispatch.clone(), key.clone());
                    Callback::from(move |e: InputEvent| dispatch.dispatch(Action::SetKeyValue {
                        index, key: key.clone(), item, field, text: event_value(&e),
                    }))
                };
                let act = |action: Action| {
                    let dispatch = dispatch.clone();
                    Callback::from(move |_: MouseEvent| dispatch.dispatch(action.clone()))
                };
                html! {
                    <div class="kv-row">
                        <input class="input" data-testid={format!("kv-{key}-{item}-key")} value={k.clone()}
                            aria-label={format!("{} {} key", props.noun, item + 1)} placeholder="key"
                            oninput={set(flowpen_playground::editor::KvField::Key)} onblur={onblur.clone()}
                            spellcheck="false" autocomplete="off" />
                        <input class="input mono" data-testid={format!("kv-{key}-{item}-value")} value={v.clone()}
                            aria-label={format!("{} {} value", props.noun, item + 1)} placeholder="value (Liquid)"
                            oninput={set(flowpen_playground::editor::KvField::Value)} onblur={onblur.clone()}
                            spellcheck="false" autocomplete="off" />
                        <div class="row-actions">
                            <button type="button" class="icon-btn" title="Move up" aria-label="Move up" disabled={item == 0}
                                onclick={act(Action::MoveKeyValue { index, key: key.clone(), from: item, to: item.saturating_sub(1) })}>
                                { icons::glyph(icons::UP) }
                            </button>
                            <button type="button" class="icon-btn" title="Move down" aria-label="Move down" disabled={item + 1 >= n}
                                onclick={act(Action::MoveKeyValue { index, key: key.clone(), from: item, to: (item + 1).min(n.saturating_sub(1)) })}>
                                { icons::glyph(icons::DOWN) }
                            </button>
                            <button type="button" class="icon-btn danger" title="Remove" aria-label="Remove"
                                data-testid={format!("kv-{key}-{item}-remove")}
                                onclick={act(Action::RemoveKeyValue { index, key: key.clone(), item })}>
                                { icons::glyph(icons::CLOSE) }
                            </button>
                        </div>
                        <div class="kv-error">{ liquid_error(v) }</div>
                    </div>
                }
            }) }
            <button type="button" class="btn small" data-testid={format!("kv-{key}-add")} onclick={add}>
                { icons::glyph(icons::PLUS) }{ format!("Add {}", props.noun) }
            </button>
        </div>
    }
}
