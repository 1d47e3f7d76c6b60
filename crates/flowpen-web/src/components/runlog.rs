//! The execution drawer under the canvas, like Studio's execution logs: the steps of the selected
//! execution (widget, event, from → to, time), what the selected step did (rendered inputs, the
//! split's comparisons, the HTTP request and response with the Function's console output, the
//! Flow Data it set) and Flow Data after it. Clicking a step selects its widget on the canvas.

use flowpen_engine::{Status, Step, StepDetail};
use flowpen_flow::{Flow, WidgetType};
use serde_json::Value;
use yew::prelude::*;

use super::debug::{paused_bar, PausedBarProps};
use super::icons;
use super::inspector::fields::event_value;
use super::{use_dispatch, Ptr};
use crate::hooks::Sim;
use flowpen_playground::editor::cards::type_class;
use flowpen_playground::editor::{Action, SelectMode};
use flowpen_playground::simulator::{end_kind, Execution, RequestNote, Via};

#[derive(Properties, PartialEq)]
pub struct RunLogProps {
    pub sim: Sim,
    pub flow: Ptr<Flow>,
}

/// Milliseconds as the log shows them: `+4.0 s`, `+1 h 0 min`.
fn offset(ms: u64) -> String {
    if ms >= 3_600_000 {
        format!("+{} h {} min", ms / 3_600_000, (ms % 3_600_000) / 60_000)
    } else if ms >= 60_000 {
        format!("+{} min {} s", ms / 60_000, (ms % 60_000) / 1000)
    } else {
        format!("+{:.1} s", ms as f64 / 1000.0)
    }
}

/// The drawer.
#[function_component(RunLog)]
pub fn run_log(props: &RunLogProps) -> Html {
    // None: open when there is an execution to show; Some: the user's choice.
    let open = use_state(|| None::<bool>);
    let sim = &props.sim;
    let any = sim.view(|s| !s.executions().is_empty()).unwrap_or(false);
    let is_open = open.unwrap_or(any);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(Some(!is_open)))
    };
    let select_execution = {
        let sim = sim.clone();
        Callback::from(move |e: Event| {
            if let Ok(id) = event_value(&e).parse() {
                sim.select(id);
            }
        })
    };
    let summary = sim
        .view(|s| {
            s.selected().map(|e| {
                format!(
                    "#{} · {}{} · {} step{} · {}",
                    e.id,
                    e.title(),
                    e.origin_note()
                        .map(|n| format!(" ({n})"))
                        .unwrap_or_default(),
                    e.steps().len(),
                    if e.steps().len() == 1 { "" } else { "s" },
                    e.status_text()
                )
            })
        })
        .flatten();
    let options = sim
        .view(|s| {
            let selected = s.selected().map(|e| e.id);
            s.executions()
                .iter()
                .rev()
                .map(|e| {
                    let label = format!(
                        "#{} · {}{} · {}",
                        e.id,
                        e.title(),
                        e.origin_note().map(|n| format!(" ({n})")).unwrap_or_default(),
                        e.status_text()
                    );
                    html! { <option value={e.id.to_string()} selected={selected == Some(e.id)}>{ label }</option> }
                })
                .collect::<Html>()
        })
        .unwrap_or_default();
    let body = if is_open {
        sim.view(|s| match s.selected() {
            Some(e) => html! { <ExecutionView sim={sim.clone()} flow={props.flow.clone()} execution={e.id} /> },
            None => html! {
                <div class="run-empty muted">{ "No execution yet. Chat with the flow in the Simulator (or start it with a REST API request) and its steps appear here." }</div>
            },
        })
        .unwrap_or_default()
    } else {
        Html::default()
    };
    html! {
        <section class={classes!("run-log", is_open.then_some("open"))} data-testid="run-log" data-own-keys="true" aria-label="Execution log">
            <div class="run-head">
                <button type="button" class="run-toggle" data-testid="run-log-toggle" aria-expanded={is_open.to_string()} onclick={toggle}>
                    { icons::glyph(icons::LOG) }
                    <span class="problems-title">{ "Execution" }</span>
                    <span class="run-summary" data-testid="run-summary">{ summary.unwrap_or_else(|| "nothing ran yet".into()) }</span>
                    <span class="problems-chevron">{ icons::glyph(icons::CHEVRON) }</span>
                </button>
                if any && is_open {
                    <select class="input run-select" data-testid="execution-select" aria-label="Execution" onchange={select_execution}>
                        { options }
                    </select>
                }
            </div>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ExecutionViewProps {
    sim: Sim,
    flow: Ptr<Flow>,
    execution: u32,
}

/// Steps, the selected step and Flow Data of one execution.
#[function_component(ExecutionView)]
fn execution_view(props: &ExecutionViewProps) -> Html {
    let dispatch = use_dispatch();
    let sim = &props.sim;
    let data_col = use_node_ref();
    let selected_step = sim
        .view(|s| s.execution(props.execution).and_then(|e| e.selected_step))
        .flatten();
    // Bring what the selected step set into view in Flow Data.
    {
        let data_col = data_col.clone();
        use_effect_with((props.execution, selected_step), move |_| {
            if let Some(col) = data_col.cast::<web_sys::Element>() {
                if let Ok(Some(target)) = col.query_selector("li.changed") {
                    let delta = target.get_bounding_client_rect().top()
                        - col.get_bounding_client_rect().top();
                    col.set_scroll_top(col.scroll_top() + delta as i32 - 28);
                } else {
                    col.set_scroll_top(0);
                }
            }
        });
    }
    let pick = |step: Option<usize>, widget: Option<String>| {
        let (sim, dispatch, flow) = (sim.clone(), dispatch.clone(), props.flow.clone());
        Callback::from(move |_: MouseEvent| {
            sim.select_step(step);
            if let Some(i) = widget.as_deref().and_then(|w| flow.index_of(w)) {
                dispatch.dispatch(Action::Select {
                    index: i,
                    mode: SelectMode::Only,
                });
                dispatch.dispatch(Action::EnsureVisible(i));
            }
        })
    };
    let skip = {
        let sim = sim.clone();
        Callback::from(move |_: MouseEvent| sim.skip_wait())
    };
    let rewind = {
        let (sim, execution) = (sim.clone(), props.execution);
        Callback::from(move |step: usize| sim.rewind(execution, step))
    };
    sim.view(|s| {
        let Some(e) = s.execution(props.execution) else {
            return Html::default();
        };
        let selected = e.selected_step;
        let rows = e.steps().iter().map(|st| {
            let kind = WidgetType::from_type(&st.widget_type);
            let is_sel = selected == Some(st.index);
            html! {
                <li>
                    <button type="button" class={classes!("step-row", is_sel.then_some("selected"),
                            (!st.is_widget_run()).then_some("step-mark"))}
                        data-testid="step" data-index={st.index.to_string()} data-widget={st.widget.clone()}
                        data-event={st.event.clone().unwrap_or_default()} data-selected={is_sel.to_string()}
                        onclick={pick(Some(st.index), Some(st.widget.clone()))} title={st.outcome.clone()}>
                        <span class="step-no">{ st.index }</span>
                        <span class={classes!("step-icon", type_class(&kind))}>{ icons::type_icon(&kind) }</span>
                        <span class="step-main">
                            <span class="step-line">
                                <span class="step-widget">{ &st.widget }</span>
                                <span class="step-time">{ offset(st.ended_ms.saturating_sub(e.started_ms)) }</span>
                            </span>
                            <span class="step-line">
                                <span class="step-event">{ st.event.clone().unwrap_or_default() }</span>
                                <span class="step-next">{ format!("→ {}", st.next.clone().unwrap_or_else(|| "end".into())) }</span>
                            </span>
                        </span>
                    </button>
                </li>
            }
        });
        let waiting = match e.status() {
            Status::WaitingForReply { widget, .. } => Some((widget, "waiting for a reply", true)),
            Status::WaitingForHttp { widget, .. } => Some((widget, "waiting for the response", false)),
            Status::WaitingForSend { widget, .. } => Some((widget, "sending", false)),
            _ => None,
        };
        let paused = e.paused().is_some() && e.is_active();
        let ended = e.end_reason().map(|r| {
            html! {
                <li class={classes!("step-end", if r.is_normal() { "end-normal" } else { "end-problem" })} data-testid="step-end"
                    data-kind={end_kind(r)}>
                    <span class="end-kind">{ end_kind(r) }</span>{ r.to_string() }
                </li>
            }
        });
        let data_title = match selected.and_then(|i| e.steps().get(i)) {
            Some(st) => format!("Flow Data after step {} ({})", st.index, st.widget),
            None => "Flow Data now".to_owned(),
        };
        let changed: Vec<Vec<String>> = selected
            .and_then(|i| e.steps().get(i))
            .map(|st| st.changes.iter().map(|c| c.path.clone()).collect())
            .unwrap_or_default();
        let data = e.flow_data(selected);
        html! {
            <div class="run-body">
                <div class="run-col steps-col">
                    <ol class="steps" data-testid="steps">
                        { for rows }
                        if let Some((w, what, reply)) = waiting {
                            <li class="step-waiting" data-testid="step-waiting" data-widget={w.clone()}>
                                <span class="step-no"></span>
                                <span class="step-icon waiting"><span class="pulse-dot" aria-hidden="true"></span></span>
                                <span class="step-main">
                                    <span class="step-line"><span class="step-widget">{ w }</span></span>
                                    <span class="step-line">
                                        <span class="step-next">{ what }</span>
                                        if reply {
                                            <button type="button" class="btn tiny" data-testid="log-skip-wait" onclick={skip.clone()}>{ "Skip wait" }</button>
                                        }
                                    </span>
                                </span>
                            </li>
                        }
                        if paused {
                            <li class="step-waiting step-paused" data-testid="step-paused">
                                { paused_bar(&dispatch, &PausedBarProps { sim: sim.clone() }) }
                            </li>
                        }
                        { for ended }
                    </ol>
                    <button type="button" class={classes!("step-now", selected.is_none().then_some("selected"))}
                        data-testid="step-now" onclick={pick(None, None)}>
                        { "Show Flow Data now" }
                    </button>
                </div>
                <div class="run-col detail-col" data-testid="step-detail">
                    { match selected.and_then(|i| e.steps().get(i)) {
                        Some(st) => step_detail(e, st, &rewind),
                        None => execution_summary(e),
                    } }
                </div>
                <div class="run-col data-col" ref={data_col.clone()}>
                    <div class="col-title" data-testid="flow-data-title">{ data_title }</div>
                    <div class="flow-data" data-testid="flow-data">
                        { json_tree(&data, &mut Vec::new(), &changed) }
                    </div>
                </div>
            </div>
        }
    })
    .unwrap_or_default()
}

fn execution_summary(e: &Execution) -> Html {
    html! {
        <div class="exec-summary" data-testid="execution-summary">
            <div class="col-title">{ format!("Execution #{}", e.id) }</div>
            <dl class="kv-list">
                <dt>{ "Trigger" }</dt><dd>{ e.title() }</dd>
                if let Some(n) = e.origin_note() {
                    <dt>{ "Began" }</dt><dd data-testid="execution-origin">{ n }</dd>
                }
                <dt>{ "Status" }</dt><dd>{ e.status_text() }</dd>
                <dt>{ "Steps" }</dt><dd>{ e.steps().len() }</dd>
                if let Some(r) = e.end_reason() {
                    <dt>{ "Why it ended" }</dt><dd data-testid="end-reason">{ r.to_string() }</dd>
                }
            </dl>
            <p class="muted small">{ "Click a step to see what it rendered, what it sent and received, and the Flow Data after it." }</p>
        </div>
    }
}

fn pairs_table(pairs: &[(String, String)], testid: &'static str) -> Html {
    if pairs.is_empty() {
        return html! { <p class="muted small">{ "none" }</p> };
    }
    html! {
        <table class="pairs" data-testid={testid}>
            { for pairs.iter().map(|(k, v)| html! {
                <tr><th>{ k }</th><td><code>{ v }</code></td></tr>
            }) }
        </table>
    }
}

/// A step's outcome in a few words: an explained failure ("failed: the browser blocked the
/// response (CORS): …") is cut before its explanation, which the detail shows in full.
fn headline(outcome: &str) -> String {
    match outcome.strip_prefix("failed: ") {
        Some(rest) => match rest.split_once(": ") {
            Some((first, _)) => format!("failed: {first}"),
            None => outcome.to_owned(),
        },
        None => outcome.to_owned(),
    }
}

fn step_detail(e: &Execution, st: &Step, rewind: &Callback<usize>) -> Html {
    let kind = WidgetType::from_type(&st.widget_type);
    // What went wrong with a request, and what to know about it, come first.
    let explanation = match &st.detail {
        StepDetail::Http { request, response } => {
            let note = e.requests.get(&request.id.0).and_then(|n| n.note.clone());
            html! {
                <>
                    if let Err(err) = response {
                        <div class="http-error" data-testid="step-error" role="alert">{ &err.message }</div>
                    }
                    if let Some(n) = note {
                        <div class="http-note" data-testid="step-note">{ n }</div>
                    }
                </>
            }
        }
        _ => Html::default(),
    };
    let took = st.ended_ms.saturating_sub(st.started_ms);
    let detail = match &st.detail {
        // The debugger's marks (a mid-flow start, a Flow Data edit) say it all in their outcome.
        StepDetail::None | StepDetail::StartedAt { .. } | StepDetail::FlowDataEdited => {
            Html::default()
        }
        StepDetail::Split {
            subject,
            comparisons,
        } => html! {
            <div class="detail-block" data-testid="split-comparisons">
                <h4>{ "Compared" }</h4>
                <p class="small">{ "Value tested: " }<code>{ format!("\"{subject}\"") }</code></p>
                <table class="pairs compare">
                    <tr><th>{ "Condition" }</th><th>{ "Value" }</th><th>{ "Result" }</th></tr>
                    { for comparisons.iter().map(|c| html! {
                        <tr class={if c.matched { "yes" } else { "no" }}>
                            <td>{ format!("#{} {}", c.transition, c.kind) }</td>
                            <td><code>{ format!("\"{}\"", c.value) }</code></td>
                            <td>
                                { if c.matched { "matched" } else { "no match" } }
                                if let Some(n) = &c.note { <div class="muted small">{ n }</div> }
                            </td>
                        </tr>
                    }) }
                </table>
            </div>
        },
        StepDetail::Http { request, response } => {
            let note: Option<&RequestNote> = e.requests.get(&request.id.0);
            let via = match note {
                Some(n) if n.stubbed => {
                    "answered by the widget's stub in the simulator (the real call was not made)"
                }
                Some(RequestNote {
                    via: Some(Via::Function),
                    ..
                }) => "answered by this project's Function (in a sandboxed worker)",
                Some(RequestNote {
                    via: Some(Via::Network),
                    ..
                }) => "sent by the browser (fetch)",
                _ => "",
            };
            html! {
                <div class="detail-block" data-testid="step-http">
                    <h4>{ "Request" }<span class="muted small via">{ via }</span></h4>
                    <div class="http-line" data-testid="step-request"><code>{ format!("{} {}", request.method, request.url) }</code></div>
                    { pairs_table(&request.headers, "request-headers") }
                    if let Some(b) = &request.body {
                        <pre class="http-body">{ b }</pre>
                    }
                    <h4>{ "Response" }
                        if let Some(d) = note.and_then(|n| n.duration_ms) {
                            <span class="muted small via">{ format!("{d:.0} ms") }</span>
                        }
                    </h4>
                    { match response {
                        Ok(r) => html! {
                            <div data-testid="step-response">
                                <div class={classes!("http-status", if (200..400).contains(&r.status) { "ok" } else { "bad" })}>
                                    { format!("HTTP {}", r.status) }
                                </div>
                                { pairs_table(&r.headers, "response-headers") }
                                <pre class="http-body" data-testid="response-body">{ &r.body }</pre>
                            </div>
                        },
                        Err(_) => html! {
                            <p class="muted small">{ "No response (the reason is above)." }</p>
                        },
                    } }
                    if let Some(n) = note.filter(|n| n.via == Some(Via::Function)) {
                        <h4>{ "Function console" }</h4>
                        <div class="console" data-testid="function-logs">
                            if n.logs.is_empty() {
                                <div class="muted small">{ if n.answered { "(no output)" } else { "(running…)" } }</div>
                            }
                            { for n.logs.iter().map(|l| html! {
                                <div class={classes!("console-line", l.level.clone())}>
                                    <span class="console-level">{ &l.level }</span>{ &l.text }
                                </div>
                            }) }
                        </div>
                    }
                </div>
            }
        }
    };
    html! {
        <div class="step-detail">
            <div class={classes!("detail-head", type_class(&kind))}>
                { icons::type_icon(&kind) }
                <strong>{ &st.widget }</strong>
                <span class="muted">{ format!("step {}", st.index) }</span>
                <button type="button" class="btn tiny rewind" data-testid="rewind"
                    title="A new execution, as this one was after this step: answer differently and take another branch (this one stays in the list)"
                    onclick={let (rewind, i) = (rewind.clone(), st.index); Callback::from(move |_: MouseEvent| rewind.emit(i))}>
                    { icons::glyph(icons::REWIND) }{ "Rewind to here" }
                </button>
            </div>
            <p class="detail-outcome" data-testid="step-outcome" title={st.outcome.clone()}>
                { headline(&st.outcome) }
            </p>
            { explanation }
            <p class="small muted">
                { format!("{} → {} · {}", st.event.clone().unwrap_or_else(|| "(ended inside)".into()),
                    st.next.clone().unwrap_or_else(|| "end".into()),
                    if took > 0 { format!("took {took} ms") } else { "no wait".into() }) }
            </p>
            <h4>{ "Rendered" }</h4>
            { pairs_table(&st.inputs, "step-inputs") }
            { detail }
            if !st.changes.is_empty() {
                <h4>{ "Set in Flow Data" }</h4>
                <ul class="changes" data-testid="step-changes">
                    { for st.changes.iter().map(|c| html! {
                        <li><code>{ c.path.join(".") }</code></li>
                    }) }
                </ul>
            }
        </div>
    }
}

/// A JSON value as a tree: objects and arrays fold (open to a small depth); keys a step set are
/// marked.
fn json_tree(v: &Value, path: &mut Vec<String>, changed: &[Vec<String>]) -> Html {
    match v {
        Value::Object(o) if !o.is_empty() => html! {
            <ul class="tree">
                { for o.iter().map(|(k, child)| {
                    path.push(k.clone());
                    let mark = changed.iter().any(|c| c == path);
                    let inner = json_tree(child, path, changed);
                    let folds = matches!(child, Value::Object(m) if !m.is_empty())
                        || matches!(child, Value::Array(a) if !a.is_empty());
                    let depth = path.len();
                    let key = path.join(".");
                    path.pop();
                    if folds {
                        html! {
                            <li class={classes!(mark.then_some("changed"))} data-path={key}>
                                <details open={depth <= 3 || mark}>
                                    <summary><span class="tree-key">{ k }</span><span class="tree-count">{ count(child) }</span></summary>
                                    { inner }
                                </details>
                            </li>
                        }
                    } else {
                        html! {
                            <li class={classes!("leaf", mark.then_some("changed"))} data-path={key}>
                                <span class="tree-key">{ k }</span>{ inner }
                            </li>
                        }
                    }
                }) }
            </ul>
        },
        Value::Array(a) if !a.is_empty() => html! {
            <ul class="tree">
                { for a.iter().enumerate().map(|(i, child)| {
                    path.push(i.to_string());
                    let inner = json_tree(child, path, changed);
                    path.pop();
                    html! { <li class="leaf"><span class="tree-key">{ i }</span>{ inner }</li> }
                }) }
            </ul>
        },
        Value::Object(_) => html! { <span class="tree-val muted">{ "{}" }</span> },
        Value::Array(_) => html! { <span class="tree-val muted">{ "[]" }</span> },
        Value::String(s) => html! { <span class="tree-val str">{ format!("\"{s}\"") }</span> },
        Value::Number(n) => html! { <span class="tree-val num">{ n.to_string() }</span> },
        Value::Bool(b) => html! { <span class="tree-val num">{ b.to_string() }</span> },
        Value::Null => html! { <span class="tree-val muted">{ "null" }</span> },
    }
}

fn count(v: &Value) -> String {
    match v {
        Value::Object(o) => format!("{{{}}}", o.len()),
        Value::Array(a) => format!("[{}]", a.len()),
        _ => String::new(),
    }
}
