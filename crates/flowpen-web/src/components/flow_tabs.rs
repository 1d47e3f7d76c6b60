//! The project's flows above the canvas: the main flow and its subflows as tabs (one on the canvas
//! at a time), a menu to add a subflow (a Studio JSON file, or an empty one), and, for the open
//! subflow, its name, the SID its Run Subflow widgets name, and Remove.

use std::rc::Rc;

use flowpen_flow::Flow;
use flowpen_playground::editor::Action;
use flowpen_playground::project::Subflow;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::icons;
use super::inspector::fields::event_value;
use super::{send, use_dispatch, Dispatch, Ptr};
use crate::hooks::browser;

#[derive(Properties, PartialEq)]
pub struct FlowTabsProps {
    pub main: Ptr<Flow>,
    pub subflows: Ptr<Vec<Subflow>>,
    /// `None`: the main flow is open.
    pub open: Option<usize>,
}

/// The tabs of the project's flows.
#[function_component(FlowTabs)]
pub fn flow_tabs(props: &FlowTabsProps) -> Html {
    let dispatch = use_dispatch();
    let menu = use_state(|| false);
    let file = use_node_ref();
    let toggle = {
        let menu = menu.clone();
        Callback::from(move |_: MouseEvent| menu.set(!*menu))
    };
    let pick_file = {
        let (file, menu) = (file.clone(), menu.clone());
        Callback::from(move |_: MouseEvent| {
            menu.set(false);
            if let Some(input) = file.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let new_subflow = {
        let (dispatch, menu) = (dispatch.clone(), menu.clone());
        Callback::from(move |_: MouseEvent| {
            menu.set(false);
            dispatch.dispatch(Action::NewSubflow);
        })
    };
    let chosen = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let Some(f) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let name = f.name();
            let dispatch = dispatch.clone();
            browser::read_file(f, move |r| match r {
                Ok(text) => dispatch.dispatch(Action::AddSubflow {
                    text,
                    source: format!("\"{name}\""),
                }),
                Err(err) => dispatch.dispatch(Action::Notify {
                    level: flowpen_playground::editor::Level::Error,
                    text: format!("Could not read \"{name}\": {err}"),
                }),
            });
        })
    };
    let main_label = props
        .main
        .description()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or("Main flow")
        .to_owned();
    let tab = |target: Option<usize>, label: String, testid: String| {
        let selected = props.open == target;
        html! {
            <button type="button" role="tab" class={classes!("flow-tab", selected.then_some("selected"))}
                aria-selected={selected.to_string()} data-testid={testid} title={label.clone()}
                onclick={send(&dispatch, Action::OpenFlow(target))}>
                { label }
            </button>
        }
    };
    html! {
        <div class="flow-tabs" data-testid="flow-tabs">
            <nav class="flow-tab-list" role="tablist" aria-label="The project's flows">
                { tab(None, main_label, "flow-tab-main".to_owned()) }
                { for props.subflows.iter().enumerate().map(|(i, s)| {
                    let label = if s.name.trim().is_empty() { format!("Subflow {}", i + 1) } else { s.name.clone() };
                    tab(Some(i), label, format!("flow-tab-{i}"))
                }) }
            </nav>
            <div class="menu-anchor">
                <button type="button" class="tb small" data-testid="add-subflow" aria-haspopup="menu"
                    aria-expanded={menu.to_string()} onclick={toggle.clone()} title="Add a subflow to the project">
                    { icons::glyph(icons::PLUS) }<span>{ "Subflow" }</span>
                </button>
                if *menu {
                    <div class="menu-backdrop" onclick={toggle}></div>
                    <ul class="menu" role="menu" data-testid="add-subflow-menu">
                        <li><button type="button" role="menuitem" data-testid="add-subflow-file" onclick={pick_file}>
                            { "Open a Studio JSON file as a subflow…" }</button></li>
                        <li><button type="button" role="menuitem" data-testid="add-subflow-new" onclick={new_subflow}>
                            { "New empty subflow" }</button></li>
                    </ul>
                }
                <input type="file" accept=".json,application/json" hidden=true ref={file}
                    data-testid="add-subflow-input" onchange={chosen} />
            </div>
            if let Some(i) = props.open {
                if let Some(s) = props.subflows.get(i) {
                    { subflow_settings(&dispatch, &SubflowSettingsProps { index: i, subflow: Rc::new(s.clone()) }) }
                }
            }
        </div>
    }
}

struct SubflowSettingsProps {
    index: usize,
    subflow: Rc<Subflow>,
}

/// The open subflow's name and SID, and Remove.
fn subflow_settings(dispatch: &Dispatch, props: &SubflowSettingsProps) -> Html {
    let index = props.index;
    let rename = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            dispatch.dispatch(Action::RenameSubflow {
                index,
                name: event_value(&e),
            })
        })
    };
    let set_sid = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            dispatch.dispatch(Action::SetSubflowSid {
                index,
                sid: event_value(&e),
            })
        })
    };
    html! {
        <div class="subflow-settings" data-testid="subflow-settings">
            <label>{ "Name" }
                <input class="input small" data-testid="subflow-name" value={props.subflow.name.clone()}
                    oninput={rename} autocomplete="off" />
            </label>
            <label title="The SID a Run Subflow widget names (flow_sid) to run this subflow; a widget with this subflow's name runs it too">
                { "SID" }
                <input class="input small mono" data-testid="subflow-sid" value={props.subflow.sid.clone()}
                    oninput={set_sid} placeholder="FW…" autocomplete="off" spellcheck="false" />
            </label>
            <button type="button" class="btn small" data-testid="subflow-remove"
                onclick={send(dispatch, Action::RemoveSubflow(index))}>
                { icons::glyph(icons::TRASH) }{ "Remove" }
            </button>
        </div>
    }
}
