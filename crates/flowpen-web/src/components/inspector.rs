//! The inspector: the selected widget's name, properties (Studio's labels and defaults),
//! transitions, diagnostics and raw JSON; the flow's settings when nothing is selected.

pub mod fields;
pub mod form;
pub mod split;
pub mod stub;

use std::collections::BTreeSet;
use std::rc::Rc;

use flowpen_flow::{Diagnostic, Flow, Severity, WidgetType};
use yew::prelude::*;

use super::canvas::HighlightContext;
use super::icons;
use super::{send, use_dispatch, Dispatch, Ptr};
use fields::{event_value, NameField, TextField};
use flowpen_playground::editor::cards::{type_class, type_label, CardModel};
use flowpen_playground::editor::clipboard::{parse_widget, state_json};
use flowpen_playground::editor::debug::stubbable;
use flowpen_playground::editor::{Action, Overlay};
use flowpen_playground::project::WidgetStub;
use form::{widget_form, WidgetFormProps};
use stub::StubSection;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub flow: Ptr<Flow>,
    pub cards: Ptr<Vec<Rc<CardModel>>>,
    pub selection: Ptr<BTreeSet<usize>>,
    pub diagnostics: Ptr<Vec<Diagnostic>>,
    /// The selected widget's stub in the simulator, if it has one.
    pub stub: Option<WidgetStub>,
}

/// The panel on the right. The flow's panel and the many-selected panel are plain functions (a
/// Yew component costs code of its own in the wasm); this component renders again only when its
/// props change.
#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let dispatch = use_dispatch();
    let body = match props.selection.len() {
        0 => flow_panel(&dispatch, &props.flow, &props.diagnostics),
        1 => {
            let index = props.selection.iter().next().copied().unwrap_or_default();
            html! {
                <WidgetPanel key={index} flow={props.flow.clone()} cards={props.cards.clone()}
                    diagnostics={props.diagnostics.clone()} index={index} stub={props.stub.clone()} />
            }
        }
        n => multi_panel(&dispatch, n),
    };
    html! {
        <aside class="inspector" data-testid="inspector" aria-label="Inspector">{ body }</aside>
    }
}

/// Nothing selected: the flow's description and a summary.
fn flow_panel(dispatch: &Dispatch, flow: &Flow, diagnostics: &[Diagnostic]) -> Html {
    let oninput = {
        let dispatch = dispatch.clone();
        Callback::from(move |text: String| dispatch.dispatch(Action::SetDescription(text)))
    };
    let widgets = flow.states.len();
    let transitions: usize = flow
        .states
        .iter()
        .map(|s| s.transitions.iter().filter(|t| t.next.is_some()).count())
        .sum();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    html! {
        <div class="panel" data-testid="flow-panel">
            <h2>{ "Flow" }</h2>
            <TextField label="Description" value={flow.description().unwrap_or_default().to_owned()}
                testid="flow-description" {oninput} />
            <dl class="stats">
                <div><dt>{ "Widgets" }</dt><dd>{ widgets }</dd></div>
                <div><dt>{ "Connections" }</dt><dd>{ transitions }</dd></div>
                <div><dt>{ "Errors" }</dt><dd class={classes!((errors > 0).then_some("bad"))}>{ errors }</dd></div>
                <div><dt>{ "Warnings" }</dt><dd>{ warnings }</dd></div>
            </dl>
            <p class="muted">{ "Select a widget to edit it. Drag from a port to a widget to connect them; drop on empty canvas to add and connect a new widget." }</p>
            <ul class="tips">
                <li><kbd>{ "Tab" }</kbd>{ " moves through widgets and ports; " }<kbd>{ "Enter" }</kbd>{ " opens the inspector" }</li>
                <li><kbd>{ "C" }</kbd>{ " connects the focused port; arrows move the selection" }</li>
                <li><kbd>{ "Ctrl K" }</kbd>{ " finds a widget; " }<kbd>{ "?" }</kbd>{ " lists every shortcut" }</li>
            </ul>
        </div>
    }
}

/// Several widgets selected.
fn multi_panel(dispatch: &Dispatch, count: usize) -> Html {
    html! {
        <div class="panel" data-testid="multi-panel">
            <h2>{ format!("{count} widgets selected") }</h2>
            <p class="muted">{ "Drag any of them to move them together; arrows move them by a grid step." }</p>
            <div class="button-row">
                <button type="button" class="btn" onclick={send(dispatch, Action::Duplicate)}>
                    { icons::glyph(icons::COPY) }{ "Duplicate" }
                </button>
                <button type="button" class="btn danger" data-testid="delete-selection" onclick={send(dispatch, Action::Delete)}>
                    { icons::glyph(icons::TRASH) }{ "Delete" }
                </button>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct WidgetPanelProps {
    flow: Ptr<Flow>,
    cards: Ptr<Vec<Rc<CardModel>>>,
    diagnostics: Ptr<Vec<Diagnostic>>,
    index: usize,
    stub: Option<WidgetStub>,
}

/// One widget.
#[function_component(WidgetPanel)]
fn widget_panel(props: &WidgetPanelProps) -> Html {
    let dispatch = use_dispatch();
    let highlight = use_context::<HighlightContext>();
    let Some(state) = props.flow.states.get(props.index) else {
        return Html::default();
    };
    let index = props.index;
    let trigger = state.kind == WidgetType::Trigger;
    let breakpoint = highlight.is_some_and(|h| h.breakpoints.contains(&state.name));
    let problems: Vec<&Diagnostic> = props
        .diagnostics
        .iter()
        .filter(|d| d.state == Some(index))
        .collect();
    html! {
        <div class="panel" data-testid="widget-panel">
            <div class={classes!("panel-type", type_class(&state.kind))}>
                { icons::type_icon(&state.kind) }
                <span data-testid="inspector-type">{ type_label(&state.kind) }</span>
                <div class="row-actions">
                    <button type="button" class="icon-btn" data-testid="inspector-run-from-here"
                        title="Run from here… (R): start an execution at this widget with Flow Data you choose"
                        aria-label="Run from here"
                        onclick={send(&dispatch, Action::ShowOverlay(Overlay::RunFromHere(index)))}>{ icons::glyph(icons::PLAY) }</button>
                    <button type="button" class={classes!("icon-btn", "breakpoint-toggle", breakpoint.then_some("on"))}
                        data-testid="inspector-breakpoint" aria-pressed={breakpoint.to_string()}
                        title={if breakpoint { "Remove the breakpoint (B)" } else { "Add a breakpoint (B): executions pause before this widget" }}
                        aria-label="Breakpoint"
                        onclick={send(&dispatch, Action::ToggleBreakpoint(index))}>{ icons::glyph(icons::BREAKPOINT) }</button>
                    if !trigger {
                        <button type="button" class="icon-btn" title="Duplicate (Ctrl+D)" aria-label="Duplicate"
                            onclick={send(&dispatch, Action::Duplicate)}>{ icons::glyph(icons::COPY) }</button>
                        <button type="button" class="icon-btn danger" title="Delete (Delete)" aria-label="Delete"
                            data-testid="delete-widget" onclick={send(&dispatch, Action::Delete)}>{ icons::glyph(icons::TRASH) }</button>
                    }
                </div>
            </div>
            <NameField flow={props.flow.clone()} index={index} name={state.name.clone()} />
            { widget_form(&dispatch, &WidgetFormProps { index, state: state.clone() }) }
            if let Some(card) = props.cards.get(index) {
                { transitions(&dispatch, index, card) }
            }
            if stubbable(&state.kind) {
                <StubSection key={format!("{index}/{}", state.name)} index={index} stub={props.stub.clone()} />
            }
            <section class="section" data-testid="widget-problems">
                <h3>{ format!("Problems ({})", problems.len()) }</h3>
                if problems.is_empty() {
                    <p class="muted small">{ "No problems." }</p>
                } else {
                    <ul class="problem-list">
                        { for problems.iter().map(|d| html! {
                            <li class={classes!("problem-item", if d.severity == Severity::Error { "error" } else { "warning" })}>
                                { icons::glyph(if d.severity == Severity::Error { icons::ERROR } else { icons::WARN }) }
                                <span>
                                    { &d.message }
                                    if let Some(f) = &d.field { <span class="muted">{ format!(" ({f})") }</span> }
                                </span>
                            </li>
                        }) }
                    </ul>
                }
            </section>
            <RawJson index={index} json={state_json(state).to_pretty()} />
        </div>
    }
}

/// Where each port leads; "Connect…" opens the list of widgets.
fn transitions(dispatch: &Dispatch, index: usize, card: &CardModel) -> Html {
    html! {
        <section class="section" data-testid="transitions">
            <h3>{ "Transitions" }</h3>
            <ul class="transition-list">
                { for card.ports.iter().enumerate().map(|(p, port)| {
                    let target = match (&port.target, port.target_index) {
                        (Some(t), Some(ti)) => html! {
                            <button type="button" class="link" title="Go to this widget"
                                onclick={send(dispatch, Action::Reveal(ti))}>{ t }</button>
                        },
                        (Some(t), None) => html! { <span class="bad">{ format!("{t} (missing)") }</span> },
                        (None, _) => html! { <span class="muted">{ "ends the flow" }</span> },
                    };
                    html! {
                        <li data-testid={format!("transition-{p}")} data-event={port.event.clone()}>
                            <span class="t-label" title={port.event.clone()}>{ &port.label }</span>
                            <span class="t-arrow" aria-hidden="true">{ "→" }</span>
                            <span class="t-target">{ target }</span>
                            <button type="button" class="btn tiny" data-testid={format!("transition-{p}-connect")}
                                onclick={send(dispatch, Action::StartConnect { from: index, port: p })}>
                                { "Connect…" }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RawJsonProps {
    index: usize,
    json: AttrValue,
}

/// The widget's JSON, editable: Apply replaces the widget (one undo step).
#[function_component(RawJson)]
fn raw_json(props: &RawJsonProps) -> Html {
    let dispatch = use_dispatch();
    let draft = use_state(|| props.json.to_string());
    {
        let draft = draft.clone();
        use_effect_with(props.json.clone(), move |j| draft.set(j.to_string()));
    }
    let changed = *draft != props.json.as_str();
    let problem = changed.then(|| parse_widget(&draft).err()).flatten();
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| draft.set(event_value(&e)))
    };
    let apply = {
        let (dispatch, draft) = (dispatch.clone(), draft.clone());
        let index = props.index;
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::ReplaceWidget {
                index,
                text: (*draft).clone(),
            })
        })
    };
    let reset = {
        let (draft, json) = (draft.clone(), props.json.clone());
        Callback::from(move |_: MouseEvent| draft.set(json.to_string()))
    };
    html! {
        <details class="section raw" data-testid="raw-json-section">
            <summary>{ "JSON" }</summary>
            <textarea class="input mono raw-json" data-testid="raw-json" rows="14" value={(*draft).clone()}
                {oninput} spellcheck="false" aria-label="The widget's Studio JSON" />
            if let Some(p) = problem.clone() {
                <div class="field-error" role="alert">{ p.to_string() }</div>
            }
            <div class="button-row">
                <button type="button" class="btn small primary" data-testid="raw-json-apply"
                    disabled={!changed || problem.is_some()} onclick={apply}>{ "Apply" }</button>
                <button type="button" class="btn small" disabled={!changed} onclick={reset}>{ "Reset" }</button>
            </div>
        </details>
    }
}
