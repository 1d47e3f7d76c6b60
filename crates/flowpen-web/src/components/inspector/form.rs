//! The properties form of a typed widget, from the flow crate's spec table: Studio's labels,
//! defaults and requirements. The fields Studio shows first come first; the rest sit under
//! "More settings".

use flowpen_flow::spec::{widget_spec, PropKind, PropSpec};
use flowpen_flow::{Json, State, WidgetType};
use yew::prelude::*;

use super::fields::{choice_field, key_value_list, ChoiceFieldProps, KeyValueListProps, TextField};
use super::split::conditions;
use crate::components::icons;
use crate::components::{use_dispatch, Dispatch, FunctionsContext};
use flowpen_playground::editor::{Action, Panel};
use flowpen_playground::project::functions as project;
use flowpen_playground::simulator::http::is_twilio_function;

/// The properties Studio's panel shows first, per type.
fn primary(kind: &WidgetType) -> &'static [&'static str] {
    match kind {
        WidgetType::SendAndWaitForReply => &["body", "from", "timeout"],
        WidgetType::SendMessage => &["body", "from", "to", "media_url"],
        WidgetType::RunFunction => &["url", "parameters"],
        WidgetType::SetVariables => &["variables"],
        WidgetType::SplitBasedOn => &["input"],
        WidgetType::MakeHttpRequest => &["method", "url", "content_type", "parameters", "body"],
        _ => &[],
    }
}

/// A property's value as text for a field.
fn text_of(v: Option<&Json>) -> String {
    match v {
        None | Some(Json::Null) => String::new(),
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_compact(),
    }
}

pub struct WidgetFormProps {
    pub index: usize,
    pub state: State,
}

/// Every property of a typed widget. A plain function, not a component (a Yew component costs code
/// of its own in the wasm): the widget panel that shows it renders again only when the widget or
/// its surroundings change, and its text fields are components.
pub fn widget_form(dispatch: &Dispatch, props: &WidgetFormProps) -> Html {
    let s = &props.state;
    let index = props.index;
    let Some(spec) = widget_spec(&s.kind) else {
        return html! {
            <p class="muted">{ "Flowpen keeps this widget type as it is: edit it in the JSON below." }</p>
        };
    };
    if spec.props.is_empty() {
        return html! {
            <p class="muted">{ "The Trigger starts the flow: connect its events to the first widgets." }</p>
        };
    }
    let json_body = s.prop_str("content_type").is_some_and(|c| {
        c.trim()
            .to_ascii_lowercase()
            .starts_with("application/json")
    });
    let hidden = |p: &PropSpec| {
        s.kind == WidgetType::MakeHttpRequest
            && ((p.key == "body" && !json_body) || (p.key == "parameters" && json_body))
    };
    let field = |p: &PropSpec| -> Html {
        let value = s.properties.get(p.key);
        let testid = format!("field-{}", p.key);
        let set = {
            let dispatch = dispatch.clone();
            let key = p.key.to_owned();
            Callback::from(move |text: String| {
                dispatch.dispatch(Action::SetProperty {
                    index,
                    key: key.clone(),
                    value: Some(Json::String(text)),
                })
            })
        };
        if s.kind == WidgetType::SplitBasedOn && p.key == "input" {
            let dispatch = dispatch.clone();
            let oninput = Callback::from(move |text: String| {
                dispatch.dispatch(Action::SetSplitInput { index, text })
            });
            return html! {
                <TextField label={p.label} value={text_of(value)} testid={testid} {oninput}
                    liquid=true required={p.required}
                    placeholder="{{widgets.my_widget.inbound.Body}}"
                    hint="Conditions compare this value (Liquid)." />
            };
        }
        if s.kind == WidgetType::RunFunction && p.key == "url" {
            // The project's Functions are suggested as you type (a datalist: no extra tab stop);
            // the picker comes after the parameters.
            return html! {
                <TextField label={p.label} value={text_of(value)} testid={testid} oninput={set}
                    liquid={p.templated} required={p.required} list={FUNCTION_URLS}
                    placeholder="https://flowpen.local/random" hint={url_hint(&text_of(value))} />
            };
        }
        match p.kind {
            PropKind::Text | PropKind::Multiline => html! {
                <TextField label={p.label} value={text_of(value)} testid={testid} oninput={set}
                    multiline={p.kind == PropKind::Multiline} liquid={p.templated}
                    required={p.required} placeholder={p.default.unwrap_or_default()} />
            },
            PropKind::Number => html! {
                <TextField label={p.label} value={text_of(value)} testid={testid} oninput={set}
                    number=true required={p.required} placeholder={p.default.unwrap_or_default()} />
            },
            PropKind::Choice(choices) => choice_field(ChoiceFieldProps {
                label: p.label.into(),
                value: text_of(value).into(),
                testid: testid.into(),
                choices,
                onchange: set,
            }),
            PropKind::KeyValues => key_value_list(
                dispatch,
                &KeyValueListProps {
                    index,
                    key_name: p.key,
                    label: p.label,
                    items: s.key_values(p.key),
                    noun: if p.key == "variables" {
                        "variable"
                    } else {
                        "parameter"
                    },
                },
            ),
            PropKind::Bool => {
                let checked = matches!(value, Some(Json::Bool(true)));
                let dispatch = dispatch.clone();
                let key = p.key.to_owned();
                let onchange = Callback::from(move |_: Event| {
                    dispatch.dispatch(Action::SetProperty {
                        index,
                        key: key.clone(),
                        value: Some(Json::Bool(!checked)),
                    })
                });
                html! {
                    <div class="field check">
                        <label>
                            <input type="checkbox" data-testid={testid} {checked} {onchange} />
                            { p.label }
                        </label>
                    </div>
                }
            }
        }
    };
    let first = primary(&s.kind);
    let mut main: Vec<&PropSpec> = first
        .iter()
        .filter_map(|k| spec.props.iter().find(|p| p.key == *k))
        .collect();
    main.retain(|p| !hidden(p));
    let more: Vec<&PropSpec> = spec
        .props
        .iter()
        .filter(|p| !first.contains(&p.key) && !hidden(p))
        .collect();
    html! {
        <>
            { for main.into_iter().map(field) }
            if s.kind == WidgetType::RunFunction {
                <FunctionPicker index={index} url={text_of(s.properties.get("url"))} />
            }
            if s.kind == WidgetType::SplitBasedOn {
                { conditions(dispatch, index, s) }
            }
            if !more.is_empty() {
                <details class="more">
                    <summary>{ "More settings" }</summary>
                    { for more.into_iter().map(field) }
                </details>
            }
        </>
    }
}

/// The id of the datalist of the project's Function URLs.
const FUNCTION_URLS: &str = "fp-function-urls";

/// What a Run Function URL will reach, in a sentence.
fn url_hint(url: &str) -> String {
    if let Some(p) = project::url_path(url) {
        format!("An in-browser Function of this project ({p}), run in a sandboxed worker.")
    } else if is_twilio_function(url) {
        "A deployed Function: the browser can call it only if it is Public and answers with Access-Control-Allow-Origin.".into()
    } else if !url.trim().is_empty() {
        "Called from the browser: the server must allow it with Access-Control-Allow-Origin (CORS)."
            .into()
    } else {
        "Pick one of this project's Functions below, or paste a deployed Function's URL.".into()
    }
}

#[derive(Properties, PartialEq)]
struct FunctionPickerProps {
    index: usize,
    url: AttrValue,
}

/// Under a Run Function's URL: pick one of the project's Functions, and a word on what the URL
/// will reach.
#[function_component(FunctionPicker)]
fn function_picker(props: &FunctionPickerProps) -> Html {
    let dispatch = use_dispatch();
    let functions = use_context::<FunctionsContext>();
    let list: Vec<String> = functions
        .as_ref()
        .map(|f| f.functions.iter().map(|d| d.path.clone()).collect())
        .unwrap_or_default();
    let index = props.index;
    let current = project::url_path(&props.url);
    let onchange = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let path = super::fields::event_value(&e);
            if !path.is_empty() {
                dispatch.dispatch(Action::SetProperty {
                    index,
                    key: "url".into(),
                    value: Some(Json::String(project::function_url(&path))),
                });
            }
        })
    };
    let open_functions = {
        let dispatch = dispatch.clone();
        let at = current
            .as_ref()
            .and_then(|p| list.iter().position(|x| x == p));
        Callback::from(move |_: MouseEvent| {
            if let Some(i) = at {
                dispatch.dispatch(Action::SelectFunction(i));
            }
            dispatch.dispatch(Action::ShowPanel(Panel::Functions));
        })
    };
    let known = current.as_ref().is_some_and(|p| list.contains(p));
    let status = match &current {
        Some(p) if known => html! {
            <button type="button" class="link" data-testid="function-open" onclick={open_functions}>
                { format!("Edit {p} in Functions") }
            </button>
        },
        Some(p) => html! {
            <span class="bad" data-testid="function-missing">
                { format!("This project has no Function {p}: the call gets a 404. ") }
                <button type="button" class="link" onclick={open_functions}>{ "Open Functions" }</button>
            </span>
        },
        None => Html::default(),
    };
    html! {
        <div class="field function-picker">
            <label for="function-picker">{ "Function of this project" }</label>
            <div class="picker-row">
                { icons::glyph(icons::CODE) }
                <select id="function-picker" class="input" data-testid="function-picker" {onchange}>
                    <option value="" selected={!known}>{ if list.is_empty() { "No Functions in this project yet" } else { "Choose one to call it…" } }</option>
                    { for list.iter().map(|p| html! {
                        <option value={p.clone()} selected={current.as_deref() == Some(p.as_str())}>{ p.clone() }</option>
                    }) }
                </select>
            </div>
            <div class="field-hint">{ status }</div>
            <datalist id={FUNCTION_URLS}>
                { for list.iter().map(|p| html! { <option value={project::function_url(p)} /> }) }
            </datalist>
        </div>
    }
}
