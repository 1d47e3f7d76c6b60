//! The debugger's controls: a widget's menu (right-click, the context-menu key), "Run from here"
//! with its Flow Data editor, the bar of a paused execution (Continue, Step, Edit Flow Data) and
//! its Flow Data editor. What they do is the simulator's (`flowpen_playground::simulator`): these
//! only draw and forward.

use flowpen_engine::TriggerKind;
use flowpen_flow::spec::event_label;
use flowpen_flow::{Flow, WidgetType};
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

use super::dialogs::Modal;
use super::icons;
use super::inspector::fields::event_value;
use super::{use_dispatch, Dispatch, Ptr};
use crate::hooks::Sim;
use flowpen_playground::editor::{Action, Overlay, Panel};
use flowpen_playground::simulator::{parse_flow_data, FlowDataError};

#[derive(Properties, PartialEq)]
pub struct CardMenuProps {
    pub index: usize,
    /// Where it opens (canvas pixels).
    pub left: f64,
    pub top: f64,
    pub breakpoint: bool,
}

/// Moves the focus among the menu's items: `delta` steps (wrapping), or to the first/last.
fn focus_item(menu: &NodeRef, to: impl FnOnce(usize, usize) -> usize) {
    let Some(menu) = menu.cast::<HtmlElement>() else {
        return;
    };
    let Ok(items) = menu.query_selector_all("[role=menuitem]") else {
        return;
    };
    let n = items.length() as usize;
    if n == 0 {
        return;
    }
    let active = crate::hooks::browser::active_element();
    let current = (0..n)
        .find(|&i| {
            items
                .item(i as u32)
                .is_some_and(|item| item.is_same_node(active.as_ref().map(|a| a.as_ref())))
        })
        .unwrap_or(0);
    let next = to(current, n) % n;
    if let Some(el) = items
        .item(next as u32)
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(e).ok())
    {
        let _ = el.focus();
    }
}

/// A widget's menu: Run from here, add or remove its breakpoint, open it in the inspector.
/// Arrow keys move through it, Escape or Tab closes it and gives the focus back to the card.
#[function_component(CardMenu)]
pub fn card_menu(props: &CardMenuProps) -> Html {
    let dispatch = use_dispatch();
    let menu = use_node_ref();
    {
        let menu = menu.clone();
        use_effect_with((), move |_| focus_item(&menu, |_, _| 0));
    }
    let index = props.index;
    let close = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::CloseOverlay);
            dispatch.dispatch(Action::FocusCard(index));
        })
    };
    let act = |actions: Vec<Action>| {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            for a in &actions {
                dispatch.dispatch(a.clone());
            }
        })
    };
    let run = act(vec![Action::ShowOverlay(Overlay::RunFromHere(index))]);
    let toggle = act(vec![
        Action::ToggleBreakpoint(index),
        Action::FocusCard(index),
    ]);
    let inspect = act(vec![
        Action::CloseOverlay,
        Action::OpenInspector(Some(index)),
    ]);
    let onkeydown = {
        let (dispatch, menu) = (dispatch.clone(), menu.clone());
        Callback::from(move |e: KeyboardEvent| {
            let handled = match e.key().as_str() {
                "ArrowDown" => {
                    focus_item(&menu, |i, _| i + 1);
                    true
                }
                "ArrowUp" => {
                    focus_item(&menu, |i, n| i + n - 1);
                    true
                }
                "Home" => {
                    focus_item(&menu, |_, _| 0);
                    true
                }
                "End" => {
                    focus_item(&menu, |_, n| n - 1);
                    true
                }
                "Escape" | "Tab" => {
                    dispatch.dispatch(Action::CloseOverlay);
                    dispatch.dispatch(Action::FocusCard(index));
                    true
                }
                "r" | "R" => {
                    dispatch.dispatch(Action::ShowOverlay(Overlay::RunFromHere(index)));
                    true
                }
                "b" | "B" => {
                    dispatch.dispatch(Action::ToggleBreakpoint(index));
                    dispatch.dispatch(Action::FocusCard(index));
                    true
                }
                _ => false,
            };
            if handled {
                e.prevent_default();
            }
        })
    };
    let oncontextmenu = {
        let close = close.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            close.emit(e);
        })
    };
    html! {
        <>
            <div class="add-menu-backdrop canvas-ui" onclick={close} {oncontextmenu}></div>
            <div ref={menu} class="add-menu card-menu canvas-ui" data-testid="card-menu" role="menu"
                aria-label="Widget" style={format!("left:{}px;top:{}px", props.left, props.top)} {onkeydown}>
                <button type="button" role="menuitem" class="add-menu-item" data-testid="card-menu-run" onclick={run}>
                    { icons::glyph(icons::PLAY) }{ "Run from here…" }<kbd>{ "R" }</kbd>
                </button>
                <button type="button" role="menuitem" class="add-menu-item" data-testid="card-menu-breakpoint" onclick={toggle}>
                    { icons::glyph(icons::BREAKPOINT) }
                    { if props.breakpoint { "Remove breakpoint" } else { "Add breakpoint" } }<kbd>{ "B" }</kbd>
                </button>
                <button type="button" role="menuitem" class="add-menu-item" data-testid="card-menu-inspect" onclick={inspect}>
                    { icons::glyph(icons::CODE) }{ "Open in the inspector" }<kbd>{ "Enter" }</kbd>
                </button>
            </div>
        </>
    }
}

/// JSON as the editors show it (Flow Data, an outside event's variables): 2-space indented.
/// `Value`'s alternate `Display` writes what `to_string_pretty` does, and the app already has that
/// code for `Display` (which serializes compact or pretty at run time): no third serializer.
pub(super) fn pretty(v: &serde_json::Value) -> String {
    format!("{v:#}")
}

#[derive(Properties, PartialEq)]
struct FlowDataFieldProps {
    text: AttrValue,
    oninput: Callback<String>,
    /// Ctrl/Cmd+Enter.
    onsubmit: Callback<()>,
    problem: Option<FlowDataError>,
}

/// The Flow Data editor: JSON text, what is wrong with it (at a line and column), Ctrl+Enter to
/// go.
#[function_component(FlowDataField)]
fn flow_data_field(props: &FlowDataFieldProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            if let Some(el) = node.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let oninput = {
        let cb = props.oninput.clone();
        Callback::from(move |e: InputEvent| cb.emit(event_value(&e)))
    };
    let onkeydown = {
        let cb = props.onsubmit.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                cb.emit(());
            }
        })
    };
    html! {
        <>
            <label class="field-label" for="flow-data-text">{ "Flow Data (JSON)" }</label>
            <textarea ref={node} id="flow-data-text" class="input mono flow-data-text" rows="14"
                data-testid="flow-data-text" value={props.text.clone()} {oninput} {onkeydown}
                spellcheck="false" aria-invalid={props.problem.is_some().to_string()} />
            if let Some(p) = &props.problem {
                <div class="field-error" data-testid="flow-data-error" role="alert">{ p.to_string() }</div>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct RunFromHereProps {
    pub sim: Sim,
    pub flow: Ptr<Flow>,
    pub index: usize,
}

/// "Run from here": start an execution at a widget with Flow Data the user edits, prefilled from
/// the last execution that reached it.
#[function_component(RunFromHereDialog)]
pub fn run_from_here(props: &RunFromHereProps) -> Html {
    let dispatch = use_dispatch();
    let widget = props
        .flow
        .states
        .get(props.index)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    // Proposed once, when the dialog opens: later executions do not replace what the user typed.
    let proposal = {
        let (sim, widget) = (props.sim.clone(), widget.clone());
        use_memo((), move |_| sim.view(|s| s.proposed_flow_data(&widget)))
    };
    let text = {
        let proposal = proposal.clone();
        use_state(move || {
            (*proposal)
                .as_ref()
                .map(|p| pretty(&p.flow_data))
                .unwrap_or_default()
        })
    };
    let kind = {
        let proposal = proposal.clone();
        use_state(move || {
            (*proposal)
                .as_ref()
                .map_or(TriggerKind::Message, |p| p.kind)
        })
    };
    let problem = parse_flow_data(&text).err();
    let Some(proposal) = (*proposal).clone() else {
        return Html::default();
    };
    let run = {
        let (sim, dispatch, text, kind, widget) = (
            props.sim.clone(),
            dispatch.clone(),
            text.clone(),
            kind.clone(),
            widget.clone(),
        );
        Callback::from(move |()| {
            if let Ok(data) = parse_flow_data(&text) {
                dispatch.dispatch(Action::CloseOverlay);
                dispatch.dispatch(Action::ShowPanel(Panel::Simulator));
                sim.start_at(widget.clone(), data, *kind);
            }
        })
    };
    let onclick = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run.emit(()))
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |t: String| text.set(t))
    };
    let onkind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            let v = event_value(&e);
            if let Some(k) = TriggerKind::from_event(&v) {
                kind.set(k);
            }
        })
    };
    let source = match proposal.from {
        Some((execution, step)) => format!(
            "Prefilled with Flow Data as it was before step {step} of execution #{execution}, the last time this widget ran."
        ),
        None => "No execution reached this widget yet: prefilled with an empty context and the simulator's addresses. Add what the widget reads (flow.variables, widgets.…).".to_owned(),
    };
    html! {
        <Modal title={format!("Run from here: {widget}")} testid="run-from-here" wide=true>
            <p class="muted small" data-testid="run-from-here-source">{ source }</p>
            <div class="rest-grid">
                <label for="run-from-here-kind">{ "Started by" }</label>
                <select id="run-from-here-kind" class="input" data-testid="run-from-here-kind" onchange={onkind}>
                    { for TriggerKind::ALL.iter().map(|k| html! {
                        <option value={k.event()} selected={*k == *kind}>
                            { event_label(&WidgetType::Trigger, k.event()) }
                        </option>
                    }) }
                </select>
            </div>
            <FlowDataField text={(*text).clone()} {oninput} onsubmit={run} problem={problem.clone()} />
            <p class="muted small">{ "The execution's log begins with a mark that it started mid-flow. An Incoming Call start puts it on a call." }</p>
            <div class="button-row end">
                <button type="button" class="btn" onclick={super::send(&dispatch, Action::CloseOverlay)}>{ "Cancel" }</button>
                <button type="button" class="btn primary" data-testid="run-from-here-start"
                    disabled={problem.is_some()} title="Run (Ctrl+Enter)" {onclick}>
                    { icons::glyph(icons::PLAY) }{ "Run" }
                </button>
            </div>
        </Modal>
    }
}

#[derive(Properties, PartialEq)]
pub struct EditFlowDataProps {
    pub sim: Sim,
}

/// Edits the Flow Data of the execution paused at a breakpoint (or after a step).
#[function_component(EditFlowDataDialog)]
pub fn edit_flow_data(props: &EditFlowDataProps) -> Html {
    let dispatch = use_dispatch();
    let paused = props
        .sim
        .view(|s| {
            s.active()
                .and_then(|e| e.paused().map(|p| (p, e.engine().flow_data().clone())))
        })
        .flatten();
    let text = {
        let initial = paused.as_ref().map(|(_, d)| pretty(d)).unwrap_or_default();
        use_state(move || initial)
    };
    let problem = parse_flow_data(&text).err();
    let Some((pause, _)) = paused else {
        return html! {
            <Modal title="Edit Flow Data" testid="edit-flow-data">
                <p class="muted">{ "No execution is paused any more." }</p>
            </Modal>
        };
    };
    let save = {
        let (sim, dispatch, text) = (props.sim.clone(), dispatch.clone(), text.clone());
        Callback::from(move |()| {
            if let Ok(data) = parse_flow_data(&text) {
                dispatch.dispatch(Action::CloseOverlay);
                sim.set_flow_data(data);
            }
        })
    };
    let onclick = {
        let save = save.clone();
        Callback::from(move |_: MouseEvent| save.emit(()))
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |t: String| text.set(t))
    };
    let whose = match &pause.subflow {
        Some(s) => format!(
            "The subflow's Flow Data (run by {}), before {} runs.",
            s.widget, pause.widget
        ),
        None => format!("Flow Data before {} runs.", pause.widget),
    };
    html! {
        <Modal title="Edit Flow Data" testid="edit-flow-data" wide=true>
            <p class="muted small">{ whose }{ " The log records the edit as a step, and a rewind replays it." }</p>
            <FlowDataField text={(*text).clone()} {oninput} onsubmit={save} problem={problem.clone()} />
            <div class="button-row end">
                <button type="button" class="btn" onclick={super::send(&dispatch, Action::CloseOverlay)}>{ "Cancel" }</button>
                <button type="button" class="btn primary" data-testid="edit-flow-data-save"
                    disabled={problem.is_some()} title="Save (Ctrl+Enter)" {onclick}>{ "Save" }</button>
            </div>
        </Modal>
    }
}

pub struct PausedBarProps {
    pub sim: Sim,
}

/// Where the active execution is paused, with Continue (F8), Step (F10) and Edit Flow Data.
/// Nothing when it is not paused.
pub fn paused_bar(dispatch: &Dispatch, props: &PausedBarProps) -> Html {
    let Some(pause) = props
        .sim
        .view(|s| s.active().and_then(|e| e.paused()))
        .flatten()
    else {
        return Html::default();
    };
    let cont = {
        let sim = props.sim.clone();
        Callback::from(move |_: MouseEvent| sim.continue_())
    };
    let step = {
        let sim = props.sim.clone();
        Callback::from(move |_: MouseEvent| sim.step())
    };
    let where_ = match &pause.subflow {
        Some(s) => format!("{} (in the subflow run by {})", pause.widget, s.widget),
        None => pause.widget.clone(),
    };
    html! {
        <div class="paused-bar" data-testid="paused-bar" data-widget={pause.widget.clone()}
            data-reason={pause.reason.to_string()} role="status">
            <span class="paused-text">
                { icons::glyph(icons::BREAKPOINT) }
                { match pause.reason {
                    flowpen_engine::PauseReason::Breakpoint => format!("Paused at the breakpoint before {where_}"),
                    flowpen_engine::PauseReason::Step => format!("Paused before {where_}"),
                } }
            </span>
            <span class="paused-actions">
                <button type="button" class="btn small primary" data-testid="debug-continue"
                    title="Continue to the next breakpoint or wait (F8)" onclick={cont}>
                    { icons::glyph(icons::PLAY) }{ "Continue" }
                </button>
                <button type="button" class="btn small" data-testid="debug-step"
                    title="Run this widget and pause before the next (F10)" onclick={step}>
                    { icons::glyph(icons::STEP) }{ "Step" }
                </button>
                <button type="button" class="btn small" data-testid="debug-edit-flow-data"
                    title="Change Flow Data before the widget runs"
                    onclick={super::send(dispatch, Action::ShowOverlay(Overlay::EditFlowData))}>
                    { "Edit Flow Data…" }
                </button>
            </span>
        </div>
    }
}
