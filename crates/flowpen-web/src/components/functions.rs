//! The Functions panel: the project's Functions by path (add, rename, delete), a code editor with
//! line numbers, and the environment variables every Function gets as `context.NAME`. They are
//! saved and exported with the flow; Run Function widgets call them at `https://flowpen.local/PATH`.
//! What a link brought shows a banner with *Trust and run* until the user consents; a read-only
//! view shows everything but edits nothing.

use std::rc::Rc;

use flowpen_flow::{Flow, WidgetType};
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

use super::icons;
use super::inspector::fields::event_value;
use super::{send, use_dispatch, Dispatch, Ptr};
use flowpen_playground::editor::Action;
use flowpen_playground::project::functions::{self as project, EnvField, FunctionsProject};
use flowpen_playground::trust::Pending;

#[derive(Properties, PartialEq)]
pub struct FunctionsPanelProps {
    pub functions: Ptr<FunctionsProject>,
    pub selected: Option<usize>,
    pub flow: Ptr<Flow>,
    pub hidden: bool,
    /// A read-only view: nothing can be edited.
    #[prop_or_default]
    pub readonly: bool,
    /// What a link brought that waits for consent.
    #[prop_or_default]
    pub untrusted: Option<Pending>,
    /// What a link brought that the user trusted (*Stop trusting* takes it back).
    #[prop_or_default]
    pub trusted_link: Option<Pending>,
}

/// The widgets whose URL calls `path`.
fn callers(flow: &Flow, path: &str) -> Vec<(usize, String)> {
    flow.states
        .iter()
        .enumerate()
        .filter(|(_, s)| s.kind == WidgetType::RunFunction)
        .filter(|(_, s)| s.prop_str("url").and_then(project::url_path).as_deref() == Some(path))
        .map(|(i, s)| (i, s.name.clone()))
        .collect()
}

#[function_component(FunctionsPanel)]
pub fn functions_panel(props: &FunctionsPanelProps) -> Html {
    let dispatch = use_dispatch();
    let list = &props.functions.functions;
    let selected = props.selected.filter(|&i| i < list.len());
    html! {
        <section class="side-panel functions-panel" data-testid="functions-panel" data-own-keys="true" aria-label="Functions" hidden={props.hidden}>
            <div class="panel">
                <div class="panel-head">
                    <h2>{ "Functions" }</h2>
                    if !props.readonly {
                        <button type="button" class="btn small" data-testid="functions-add"
                            onclick={send(&dispatch, Action::AddFunction)}>
                            { icons::glyph(icons::PLUS) }{ "New Function" }
                        </button>
                    }
                </div>
                if let Some(p) = &props.untrusted {
                    <div class="trust-banner" role="alert" data-testid="trust-banner">
                        { icons::glyph(icons::WARN) }
                        <div>
                            if p.shared_code {
                                <strong>{ "These Functions came with a shared link." }</strong>
                                <p>{ "They do not run until you have looked at their code below and trust it: until then, Run Function calls to flowpen.local fail and the step says why." }</p>
                            } else {
                                <strong>{ "This flow came from a shared link." }</strong>
                                <p>{ "It does not call your own Functions (which read your environment values) until you trust it: until then, its Run Function calls to flowpen.local fail and the step says why." }</p>
                            }
                            <button type="button" class="btn small primary" data-testid="trust-run"
                                onclick={send(&dispatch, Action::TrustFunctions)}>
                                { icons::glyph(icons::PLAY) }{ "Trust and run" }
                            </button>
                        </div>
                    </div>
                }
                if let (None, Some(p)) = (&props.untrusted, &props.trusted_link) {
                    <p class="muted small trust-note" data-testid="trusted-note">
                        { if p.shared_code {
                            "These Functions came with a shared link, and you chose to trust them. "
                        } else {
                            "This flow came from a shared link, and you let it call your Functions. "
                        } }
                        <button type="button" class="btn tiny" data-testid="trust-forget"
                            onclick={send(&dispatch, Action::ForgetTrust)}>{ "Stop trusting" }</button>
                    </p>
                }
                <p class="muted small">{ "Twilio Functions that run here, in a sandboxed worker, with Twilio's contract: exports.handler(context, event, callback). A Run Function widget calls one at https://flowpen.local/PATH." }</p>
                if list.is_empty() {
                    <p class="muted" data-testid="functions-empty">{ "No Functions yet." }</p>
                }
                <ul class="function-list" role="listbox" aria-label="Functions">
                    { for list.iter().enumerate().map(|(i, f)| {
                        let n = callers(&props.flow, &f.path).len();
                        html! {
                            <li>
                                <button type="button" role="option" aria-selected={(selected == Some(i)).to_string()}
                                    class={classes!("function-item", (selected == Some(i)).then_some("selected"))}
                                    data-testid="function-item" data-path={f.path.clone()}
                                    onclick={send(&dispatch, Action::SelectFunction(i))}>
                                    { icons::glyph(icons::CODE) }
                                    <span class="function-path">{ &f.path }</span>
                                    <span class="muted small">{ match n { 0 => "not used".to_owned(), 1 => "1 widget".to_owned(), n => format!("{n} widgets") } }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                if let Some(i) = selected {
                    <FunctionEditor key={i} index={i} functions={props.functions.clone()} flow={props.flow.clone()} readonly={props.readonly} />
                }
                { env_editor(&dispatch, &EnvEditorProps { functions: props.functions.clone(), readonly: props.readonly }) }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FunctionEditorProps {
    index: usize,
    functions: Ptr<FunctionsProject>,
    flow: Ptr<Flow>,
    readonly: bool,
}

#[function_component(FunctionEditor)]
fn function_editor(props: &FunctionEditorProps) -> Html {
    let dispatch = use_dispatch();
    let Some(f) = props.functions.functions.get(props.index).cloned() else {
        return Html::default();
    };
    let index = props.index;
    let draft = use_state(|| f.path.clone());
    {
        let draft = draft.clone();
        use_effect_with(f.path.clone(), move |p| draft.set(p.clone()));
    }
    let confirm = use_state(|| false);
    let problem = (*draft != f.path)
        .then(|| project::check_path(&props.functions, Some(index), &draft).err())
        .flatten();
    let commit = {
        let (dispatch, draft, path) = (dispatch.clone(), draft.clone(), f.path.clone());
        let ok = problem.is_none();
        move || {
            if ok && project::normalize_path(&draft) != path {
                dispatch.dispatch(Action::RenameFunction {
                    index,
                    path: (*draft).clone(),
                });
            }
        }
    };
    let onkeydown = {
        let commit = commit.clone();
        let (draft, path) = (draft.clone(), f.path.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                commit();
            }
            "Escape" => draft.set(path.clone()),
            _ => {}
        })
    };
    let onblur = Callback::from(move |_: FocusEvent| commit());
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| draft.set(event_value(&e)))
    };
    let delete = {
        let (dispatch, confirm) = (dispatch.clone(), confirm.clone());
        Callback::from(move |_: MouseEvent| {
            if *confirm {
                confirm.set(false);
                dispatch.dispatch(Action::DeleteFunction(index));
            } else {
                confirm.set(true);
            }
        })
    };
    let cancel_delete = {
        let confirm = confirm.clone();
        Callback::from(move |_: MouseEvent| confirm.set(false))
    };
    let used_by = callers(&props.flow, &f.path);
    let url = project::function_url(&f.path);
    html! {
        <div class="function-editor" data-testid="function-editor">
            <div class="field">
                <label for="function-path">{ "Path" }</label>
                <input id="function-path" class={classes!("input", "mono", problem.is_some().then_some("invalid"))}
                    data-testid="function-path" value={(*draft).clone()} {oninput} {onblur} {onkeydown} readonly={props.readonly}
                    spellcheck="false" autocomplete="off" aria-invalid={problem.is_some().to_string()} />
                if let Some(p) = problem {
                    <div class="field-error" data-testid="function-path-error" role="alert">{ p.to_string() }</div>
                } else {
                    <div class="field-hint">
                        { "URL: " }<code data-testid="function-url">{ url }</code>
                    </div>
                }
            </div>
            <div class="function-used muted small">
                if used_by.is_empty() {
                    { "No Run Function widget calls it yet: pick it in a Run Function's URL." }
                } else {
                    { "Called by " }
                    { for used_by.iter().enumerate().map(|(n, (wi, name))| html! {
                        <>
                            if n > 0 { { ", " } }
                            <button type="button" class="link" onclick={send(&dispatch, Action::Reveal(*wi))}>{ name }</button>
                        </>
                    }) }
                }
            </div>
            <CodeEditor index={index} code={f.code.clone()} readonly={props.readonly} />
            if !props.readonly {
            <div class="button-row">
                if *confirm {
                    <button type="button" class="btn small danger" data-testid="function-delete-confirm" onclick={delete}>
                        { icons::glyph(icons::TRASH) }{ format!("Delete {}", f.path) }
                    </button>
                    <button type="button" class="btn small" onclick={cancel_delete}>{ "Keep it" }</button>
                } else {
                    <button type="button" class="btn small danger" data-testid="function-delete" onclick={delete}>
                        { icons::glyph(icons::TRASH) }{ "Delete" }
                    </button>
                }
            </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CodeEditorProps {
    index: usize,
    code: AttrValue,
    readonly: bool,
}

/// A monospace editor with line numbers: Tab indents, the gutter scrolls with the text.
#[function_component(CodeEditor)]
fn code_editor(props: &CodeEditorProps) -> Html {
    let dispatch = use_dispatch();
    let gutter = use_node_ref();
    let index = props.index;
    let oninput = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            dispatch.dispatch(Action::SetFunctionCode {
                index,
                code: event_value(&e),
            })
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            if let (Some(t), Some(g)) = (
                e.target_dyn_into::<HtmlTextAreaElement>(),
                gutter.cast::<Element>(),
            ) {
                g.set_scroll_top(t.scroll_top());
            }
        })
    };
    let onkeydown = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Tab" || e.shift_key() || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            e.prevent_default();
            if t.set_range_text_with_start_and_end_and_mode(
                "  ",
                t.selection_start().ok().flatten().unwrap_or(0),
                t.selection_end().ok().flatten().unwrap_or(0),
                "end",
            )
            .is_ok()
            {
                dispatch.dispatch(Action::SetFunctionCode {
                    index,
                    code: t.value(),
                });
            }
        })
    };
    let lines = props.code.split('\n').count().max(1);
    let numbers: String = (1..=lines).map(|n| format!("{n}\n")).collect();
    html! {
        <div class="code-editor">
            <pre class="code-gutter" ref={gutter} aria-hidden="true">{ numbers }</pre>
            <textarea class="code-text" data-testid="function-code" value={props.code.clone()}
                {oninput} {onscroll} {onkeydown} spellcheck="false" autocomplete="off" readonly={props.readonly}
                wrap="off" aria-label="Function code (JavaScript)" />
        </div>
    }
}

struct EnvEditorProps {
    functions: Ptr<FunctionsProject>,
    readonly: bool,
}

/// The environment variables (`context.NAME` in every Function).
fn env_editor(dispatch: &Dispatch, props: &EnvEditorProps) -> Html {
    let env = &props.functions.env;
    let set = |item: usize, field: EnvField| {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            dispatch.dispatch(Action::SetEnv {
                item,
                field,
                text: event_value(&e),
            })
        })
    };
    let project: Rc<FunctionsProject> = Rc::clone(&props.functions.0);
    html! {
        <section class="section env" data-testid="env">
            <h3>{ "Environment variables" }</h3>
            <p class="muted small">{ "Every Function reads them as context.NAME (like a Twilio Service's environment variables)." }</p>
            { for env.iter().enumerate().map(|(i, (k, v))| html! {
                <div class="kv-row env-row">
                    <input class="input mono" data-testid={format!("env-{i}-name")} value={k.clone()} readonly={props.readonly}
                        placeholder="NAME" aria-label={format!("Variable {} name", i + 1)}
                        oninput={set(i, EnvField::Name)} spellcheck="false" autocomplete="off" />
                    <input class="input mono" data-testid={format!("env-{i}-value")} value={v.clone()} readonly={props.readonly}
                        placeholder="value" aria-label={format!("Variable {} value", i + 1)}
                        oninput={set(i, EnvField::Value)} spellcheck="false" autocomplete="off" />
                    if !props.readonly {
                    <div class="row-actions">
                        <button type="button" class="icon-btn danger" title="Remove" aria-label="Remove"
                            data-testid={format!("env-{i}-remove")} onclick={send(dispatch, Action::RemoveEnv(i))}>
                            { icons::glyph(icons::CLOSE) }
                        </button>
                    </div>
                    }
                    if let Some(p) = project::env_name_problem(&project, i) {
                        <div class="kv-error"><div class="field-error">{ p.to_string() }</div></div>
                    }
                </div>
            }) }
            if !props.readonly {
            <button type="button" class="btn small" data-testid="env-add" onclick={send(dispatch, Action::AddEnv)}>
                { icons::glyph(icons::PLUS) }{ "Add variable" }
            </button>
            }
        </section>
    }
}
