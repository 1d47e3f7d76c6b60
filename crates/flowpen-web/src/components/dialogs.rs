//! Dialogs over the editor: open (file or pasted JSON), confirm "New flow", find a widget, choose
//! where a port leads (the keyboard's way to connect), the list of shortcuts, the share links, and
//! the question before a share link replaces a project no file holds.

use std::rc::Rc;

use flowpen_flow::{Flow, WidgetType};
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::icons;
use super::inspector::fields::event_value;
use super::{send, use_dispatch, Dispatch, Ptr};
use crate::hooks::share::use_page_url;
use crate::hooks::{browser, copy_text, storage};
use flowpen_playground::editor::cards::{type_class, type_label, CardModel};
use flowpen_playground::editor::geometry::Point;
use flowpen_playground::editor::{Action, Level, Overlay};
use flowpen_playground::flowtest;
use flowpen_playground::project::{Document, FunctionsProject, ProjectRef, Subflow, WidgetStub};
use flowpen_playground::share;

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    pub title: AttrValue,
    pub testid: AttrValue,
    #[prop_or_default]
    pub wide: bool,
    pub children: Html,
}

/// A dialog with a backdrop; clicking the backdrop or pressing Escape closes it. An element of
/// its content marked `data-autofocus` gets the focus when it opens.
#[function_component(Modal)]
pub fn modal(props: &ModalProps) -> Html {
    let dispatch = use_dispatch();
    use_effect_with((), |_| {
        if let Some(el) = browser::query(".modal [data-autofocus]")
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(e).ok())
        {
            let _ = el.focus();
            if let Ok(input) = wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(el) {
                input.select();
            }
        }
    });
    let onbackdrop = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            let on_backdrop = e
                .target_dyn_into::<web_sys::Element>()
                .is_some_and(|t| t.class_list().contains("modal-backdrop"));
            if on_backdrop {
                dispatch.dispatch(Action::CloseOverlay);
            }
        })
    };
    html! {
        <div class="modal-backdrop" onclick={onbackdrop}>
            <div class={classes!("modal", props.wide.then_some("wide"))} role="dialog" aria-modal="true"
                aria-label={props.title.clone()} data-testid={props.testid.clone()}>
                <div class="modal-head">
                    <h2>{ &props.title }</h2>
                    <button type="button" class="icon-btn" aria-label="Close" title="Close (Esc)"
                        onclick={send(&dispatch, Action::CloseOverlay)}>
                        { icons::glyph(icons::CLOSE) }
                    </button>
                </div>
                { props.children.clone() }
            </div>
        </div>
    }
}

/// Focuses an element once it is mounted.
#[hook]
fn use_autofocus() -> NodeRef {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            if let Some(el) = node.cast::<HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    node
}

/// Open a Studio JSON file, or paste its text.
#[function_component(ImportDialog)]
pub fn import_dialog() -> Html {
    let dispatch = use_dispatch();
    let text = use_state(String::new);
    let node = use_autofocus();
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(event_value(&e)))
    };
    let open = {
        let (dispatch, text) = (dispatch.clone(), text.clone());
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Open {
                text: (*text).clone(),
                source: "the pasted JSON".into(),
            })
        })
    };
    let choose = Callback::from(|_: MouseEvent| {
        if let Some(input) = browser::query("#import-file")
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(e).ok())
        {
            input.click();
        }
    });
    html! {
        <Modal title="Open a Studio flow" testid="import-dialog" wide=true>
            <p class="muted">{ "Choose an exported Flow JSON file, drop one anywhere on the page, or paste its text below. The current flow stays if the file cannot be read (and Undo brings it back after an import)." }</p>
            <div class="button-row">
                <button type="button" class="btn" data-testid="import-choose" onclick={choose}>
                    { icons::glyph(icons::FILE) }{ "Choose file…" }
                </button>
            </div>
            <textarea ref={node} class="input mono" rows="12" data-testid="import-text"
                placeholder="{ \"description\": …, \"states\": [ … ], \"initial_state\": \"Trigger\", … }"
                value={(*text).clone()} {oninput} spellcheck="false" aria-label="Flow JSON" />
            <div class="button-row end">
                <button type="button" class="btn" onclick={send(&dispatch, Action::CloseOverlay)}>{ "Cancel" }</button>
                <button type="button" class="btn primary" data-testid="import-open"
                    disabled={text.trim().is_empty()} onclick={open}>{ "Open" }</button>
            </div>
        </Modal>
    }
}

/// "New flow" replaces the current one: confirm first. The three confirmations are plain functions
/// (a Yew component costs code of its own in the wasm): the modal focuses their `data-autofocus`
/// button, and its key makes a different question a new modal (focused again).
pub fn confirm_new(dispatch: &Dispatch) -> Html {
    html! {
        <Modal key="confirm-new" title="Start a new flow?" testid="confirm-new">
            <p>{ "The current flow will be replaced by an empty one with just a Trigger. Your project stays in Recent, and Undo brings it back." }</p>
            <div class="button-row end">
                <button type="button" class="btn" data-autofocus="true" data-testid="confirm-new-cancel"
                    onclick={send(dispatch, Action::CloseOverlay)}>{ "Keep editing" }</button>
                <button type="button" class="btn danger" data-testid="confirm-new-ok"
                    onclick={send(dispatch, Action::ConfirmNewFlow)}>{ "Discard and start new" }</button>
            </div>
        </Modal>
    }
}

/// Another tab saved the project: load that version (this one stays one Undo away) or keep this
/// one (it overwrites theirs). Autosave waits for the answer.
pub fn changed_elsewhere(dispatch: &Dispatch) -> Html {
    let load = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| match storage::saved_project() {
            Some(text) => dispatch.dispatch(Action::Open {
                text,
                source: "the version another tab saved".into(),
            }),
            None => dispatch.dispatch(Action::CloseOverlay),
        })
    };
    html! {
        <Modal key="changed-elsewhere" title="The project was changed in another tab" testid="changed-elsewhere">
            <p>{ "Another Flowpen tab saved its project in this browser while this one was open. Autosave is paused here until you choose." }</p>
            <p class="muted">{ "Keep mine saves this tab's project over theirs (that tab then asks the same question), so nothing is lost either way." }</p>
            <div class="button-row end">
                <button type="button" class="btn" data-testid="changed-elsewhere-load" onclick={load}>
                    { "Load theirs (yours stays in Recent)" }</button>
                <button type="button" class="btn primary" data-autofocus="true" data-testid="changed-elsewhere-keep"
                    onclick={send(dispatch, Action::CloseOverlay)}>{ "Keep mine" }</button>
            </div>
        </Modal>
    }
}

/// Removing a subflow cannot be undone: ask first.
pub fn confirm_remove_subflow(dispatch: &Dispatch, index: usize, name: &str) -> Html {
    html! {
        <Modal key="confirm-remove-subflow" title="Remove this subflow?" testid="confirm-remove-subflow">
            <p>{ format!("The subflow \"{name}\" leaves the project; this cannot be undone. Export it first (open it and use Export) to keep a copy.") }</p>
            <div class="button-row end">
                <button type="button" class="btn" data-autofocus="true" data-testid="confirm-remove-subflow-cancel"
                    onclick={send(dispatch, Action::CloseOverlay)}>{ "Keep it" }</button>
                <button type="button" class="btn danger" data-testid="confirm-remove-subflow-ok"
                    onclick={send(dispatch, Action::ConfirmRemoveSubflow(index))}>{ "Remove" }</button>
            </div>
        </Modal>
    }
}

/// One choice in a [`Picker`].
#[derive(Clone, PartialEq)]
pub struct PickItem {
    pub label: String,
    pub detail: String,
    pub kind: Option<WidgetType>,
    pub testid: &'static str,
    /// Matched by the filter (items without it show only while the filter is empty).
    pub searchable: bool,
}

#[derive(Properties, PartialEq)]
pub struct PickerProps {
    pub items: Rc<Vec<PickItem>>,
    pub placeholder: AttrValue,
    pub testid: AttrValue,
    pub onpick: Callback<usize>,
}

/// A filterable list: type to filter, arrows to move, Enter to choose.
#[function_component(Picker)]
pub fn picker(props: &PickerProps) -> Html {
    let filter = use_state(String::new);
    let active = use_state(|| 0usize);
    let node = use_autofocus();
    let needle = filter.trim().to_lowercase();
    let shown: Vec<usize> = props
        .items
        .iter()
        .enumerate()
        .filter(|(_, it)| {
            needle.is_empty() || (it.searchable && it.label.to_lowercase().contains(&needle))
        })
        .map(|(i, _)| i)
        .take(200)
        .collect();
    let current = (*active).min(shown.len().saturating_sub(1));
    let oninput = {
        let (filter, active) = (filter.clone(), active.clone());
        Callback::from(move |e: InputEvent| {
            filter.set(event_value(&e));
            active.set(0);
        })
    };
    let onkeydown = {
        let (active, shown, onpick) = (active.clone(), shown.clone(), props.onpick.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowDown" => {
                e.prevent_default();
                active.set((current + 1).min(shown.len().saturating_sub(1)));
            }
            "ArrowUp" => {
                e.prevent_default();
                active.set(current.saturating_sub(1));
            }
            "Enter" => {
                e.prevent_default();
                if let Some(&i) = shown.get(current) {
                    onpick.emit(i);
                }
            }
            _ => {}
        })
    };
    html! {
        <div class="picker">
            <input ref={node} class="input" type="text" data-testid={props.testid.clone()}
                placeholder={props.placeholder.clone()} value={(*filter).clone()} {oninput} {onkeydown}
                autocomplete="off" spellcheck="false" role="combobox" aria-expanded="true"
                aria-controls="picker-list" />
            <ul class="picker-list" id="picker-list" role="listbox">
                if shown.is_empty() {
                    <li class="muted">{ "Nothing matches." }</li>
                }
                { for shown.iter().enumerate().map(|(pos, &i)| {
                    let it = &props.items[i];
                    let onclick = {
                        let onpick = props.onpick.clone();
                        Callback::from(move |_: MouseEvent| onpick.emit(i))
                    };
                    html! {
                        <li role="option" aria-selected={(pos == current).to_string()}>
                            <button type="button" tabindex="-1"
                                class={classes!("pick", (pos == current).then_some("active"),
                                    it.kind.as_ref().map(type_class))}
                                data-testid={it.testid} data-name={it.label.clone()} {onclick}>
                                if let Some(k) = &it.kind { { icons::type_icon(k) } }
                                <span class="pick-label">{ &it.label }</span>
                                <span class="pick-detail">{ &it.detail }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct SearchDialogProps {
    pub flow: Ptr<Flow>,
}

/// Find a widget by name (Ctrl/Cmd+K).
#[function_component(SearchDialog)]
pub fn search_dialog(props: &SearchDialogProps) -> Html {
    let dispatch = use_dispatch();
    let items = use_memo(props.flow.clone(), |flow| {
        flow.states
            .iter()
            .map(|s| PickItem {
                label: s.name.clone(),
                detail: type_label(&s.kind),
                kind: Some(s.kind.clone()),
                testid: "search-result",
                searchable: true,
            })
            .collect::<Vec<_>>()
    });
    let onpick = Callback::from(move |i: usize| dispatch.dispatch(Action::Reveal(i)));
    html! {
        <Modal title="Find a widget" testid="search-dialog">
            <Picker items={items} placeholder="Widget name…" testid="search-input" {onpick} />
        </Modal>
    }
}

#[derive(Properties, PartialEq)]
pub struct ConnectMenuProps {
    pub flow: Ptr<Flow>,
    pub cards: Ptr<Vec<Rc<CardModel>>>,
    pub from: usize,
    pub port: usize,
}

/// Where does this port lead? A widget, a new widget, or nowhere (the flow ends).
#[function_component(ConnectMenu)]
pub fn connect_menu(props: &ConnectMenuProps) -> Html {
    let dispatch = use_dispatch();
    let (from, port) = (props.from, props.port);
    let card = props.cards.get(from).cloned();
    let items = use_memo((props.flow.clone(), from), |(flow, _)| {
        let mut items = vec![PickItem {
            label: "(nothing: the flow ends here)".into(),
            detail: String::new(),
            kind: None,
            testid: "connect-none",
            searchable: false,
        }];
        items.extend(flow.states.iter().map(|s| PickItem {
            label: s.name.clone(),
            detail: type_label(&s.kind),
            kind: Some(s.kind.clone()),
            testid: "connect-target",
            searchable: true,
        }));
        items.extend(WidgetType::addable().map(|k| PickItem {
            label: format!("New {}", k.label()),
            detail: "adds and connects".into(),
            kind: Some(k.clone()),
            testid: "connect-new",
            searchable: true,
        }));
        items
    });
    let Some(card) = card else {
        return Html::default();
    };
    let Some(p) = card.ports.get(port) else {
        return Html::default();
    };
    let n = props.flow.states.len();
    let below = Point::new(card.rect.x + p.anchor().x, card.rect.y + card.rect.h + 80.0);
    let onpick = Callback::from(move |i: usize| {
        let action = if i == 0 {
            Action::Connect {
                from,
                port,
                target: None,
            }
        } else if i <= n {
            Action::Connect {
                from,
                port,
                target: Some(i - 1),
            }
        } else {
            Action::AddWidget {
                kind: WidgetType::addable()
                    .nth(i - n - 1)
                    .unwrap_or(WidgetType::SendMessage),
                at: Some(below),
                link: Some((from, port)),
            }
        };
        dispatch.dispatch(action);
    });
    let title = format!("Connect “{}” of {} to…", p.label, card.name);
    html! {
        <Modal title={title} testid="connect-menu">
            <Picker items={items} placeholder="Widget name…" testid="connect-filter" {onpick} />
        </Modal>
    }
}

/// The keyboard shortcuts. A plain function, not a component (no hooks; a Yew component costs
/// code of its own in the wasm).
pub fn help_dialog() -> Html {
    let rows: &[(&str, &str)] = &[
        ("Tab / Shift+Tab", "Move through widgets and their ports"),
        ("Enter (on a widget)", "Open it in the inspector"),
        ("Esc (in the inspector)", "Back to the widget on the canvas"),
        ("Enter or C (on a port)", "Choose where the port leads"),
        ("Arrows (Shift: ×5)", "Move the selected widgets"),
        (
            "Delete / Backspace",
            "Delete the selected widgets or transition",
        ),
        ("Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z", "Undo, redo"),
        ("Ctrl/Cmd+C, X, V", "Copy, cut, paste widgets (Studio JSON)"),
        ("Ctrl/Cmd+D", "Duplicate the selection"),
        ("Ctrl/Cmd+A", "Select every widget"),
        ("Ctrl/Cmd+K", "Find a widget by name"),
        ("Ctrl/Cmd+O", "Open a flow"),
        ("+ / − / 0", "Zoom in, zoom out, fit to view"),
        ("Space + drag, drag the background", "Pan"),
        ("Shift + drag the background", "Select with a rubber band"),
        ("Shift + click", "Add or remove a widget from the selection"),
        ("B (on a widget)", "Add or remove a breakpoint"),
        (
            "R (on a widget)",
            "Run from here: start an execution at the widget",
        ),
        (
            "Context-menu key, Shift+F10, right-click",
            "The widget's menu (Run from here, breakpoint, inspector)",
        ),
        ("F8, F10 (while paused)", "Continue, Step"),
    ];
    html! {
        <Modal title="Keyboard shortcuts" testid="help-dialog">
            <table class="shortcuts">
                { for rows.iter().map(|(k, what)| html! {
                    <tr><td><kbd>{ *k }</kbd></td><td>{ *what }</td></tr>
                }) }
            </table>
        </Modal>
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    pub flow: Ptr<Flow>,
    pub functions: Ptr<FunctionsProject>,
    pub subflows: Ptr<Vec<Subflow>>,
    pub tests: Ptr<String>,
    pub stubs: Ptr<Vec<WidgetStub>>,
}

/// `12345` as `12,345`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `no Functions`, `1 Function` or `2 Functions`.
fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// What a link to the project holds besides the flow: `It holds this flow, 1 Function, no
/// environment variables and 8 flow tests.` (subflows, flow tests and stubs only when there are
/// some).
fn holds(
    functions: &FunctionsProject,
    subflows: &[Subflow],
    tests: &str,
    stubs: &[WidgetStub],
) -> String {
    let mut parts = vec![
        count(functions.functions.len(), "Function", "Functions"),
        count(
            functions.env.len(),
            "environment variable",
            "environment variables",
        ),
    ];
    if !subflows.is_empty() {
        parts.push(count(subflows.len(), "subflow", "subflows"));
    }
    if !tests.trim().is_empty() {
        parts.push(match flowtest::parse(tests) {
            Ok(file) => count(file.cases.len(), "flow test", "flow tests"),
            Err(_) => "its flow tests (their text has an error)".to_owned(),
        });
    }
    if !stubs.is_empty() {
        parts.push(count(stubs.len(), "stubbed response", "stubbed responses"));
    }
    let last = parts.pop().unwrap_or_default();
    format!("It holds this flow, {} and {last}.", parts.join(", "))
}

/// A read-only link field with its Copy button.
fn link_row(
    dispatch: &Dispatch,
    label: &str,
    link: &Rc<String>,
    (testid, copy_testid): (&'static str, &'static str),
    autofocus: bool,
) -> Html {
    let copy = {
        let (dispatch, link) = (dispatch.clone(), Rc::clone(link));
        Callback::from(move |_: MouseEvent| {
            let input = browser::query(&format!("[data-testid={testid}]"))
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlInputElement>(e).ok());
            if let Some(input) = &input {
                input.select();
            }
            if !copy_text(&link, "Copied the share link.") {
                if let Some(input) = &input {
                    let _ = input.focus();
                }
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: "The browser refused to copy: the link is selected, press Ctrl+C (Cmd+C) to copy it.".into(),
                });
            }
        })
    };
    let select = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            input.select();
        }
    });
    html! {
        <>
            <label class="share-label" for={testid}>{ label }</label>
            <div class="share-row">
                <input id={testid} class="input mono" type="text" readonly=true data-testid={testid}
                    data-autofocus={autofocus.then_some("true")}
                    value={(**link).clone()} spellcheck="false" onfocus={select} />
                <button type="button" class="btn primary" data-testid={copy_testid} onclick={copy}>
                    { icons::glyph(icons::COPY) }{ "Copy" }
                </button>
            </div>
        </>
    }
}

/// Links to the project (the flow with its Functions, environment variable names, subflows,
/// tests and stubs), to copy: one that opens it for editing, one read-only. Environment values travel only
/// when the sharer ticks *Include values*.
#[function_component(ShareDialog)]
pub fn share_dialog(props: &ShareDialogProps) -> Html {
    let dispatch = use_dispatch();
    let page = use_page_url();
    let include = use_state(|| false);
    let fragments = use_memo(
        (
            props.flow.clone(),
            props.functions.clone(),
            props.subflows.clone(),
            props.tests.clone(),
            props.stubs.clone(),
            *include,
        ),
        |(flow, functions, subflows, tests, stubs, include)| {
            let project = ProjectRef {
                flow,
                functions,
                subflows,
                tests,
                stubs,
            };
            let options = share::Options {
                include_env_values: *include,
            };
            let edit = share::fragment(project, share::LinkKind::Edit, options)?;
            let view = share::fragment(project, share::LinkKind::View, options)?;
            Ok::<_, share::TooLarge>((edit, view))
        },
    );
    let toggle = {
        let include = include.clone();
        Callback::from(move |_: Event| include.set(!*include))
    };
    let functions = props.functions.functions.len();
    let env = props.functions.env.len();
    let holds = holds(
        &props.functions,
        &props.subflows,
        &props.tests,
        &props.stubs,
    );
    let body = match &*fragments {
        Err(e) => html! {
            <p class="share-note" role="alert" data-testid="share-too-large">
                { icons::glyph(icons::WARN) }{ capitalized(&e.to_string()) }{ "." }
            </p>
        },
        Ok((edit, view)) => {
            let link = Rc::new(share::link(&page, edit));
            let view_link = Rc::new(share::link(&page, view));
            let long = share::is_long(&link);
            html! {
                <>
                    { link_row(&dispatch, "Link: opens a copy to edit and run", &link, ("share-link", "share-copy"), true) }
                    <p class="share-length muted" data-testid="share-length">
                        { format!("{} characters", grouped(link.len())) }
                    </p>
                    { link_row(&dispatch, "View-only link: canvas and simulator, for docs and slides (Fork makes an editable copy)",
                        &view_link, ("share-view-link", "share-view-copy"), false) }
                    if long {
                        <p class="share-note" role="alert" data-testid="share-warning">
                            { icons::glyph(icons::WARN) }
                            { format!(
                                "This link is long (over {} characters): some chat apps, sites and proxies cut or refuse long links. Export project writes the same project as a file.",
                                grouped(share::LONG)
                            ) }
                        </p>
                    }
                </>
            }
        }
    };
    html! {
        <Modal title="Share this project" testid="share-dialog" wide=true>
            <p class="muted">
                { "Whoever opens the link gets the project in their own browser, ready to run (theirs stays in their Recent). " }
                { holds }
                { " The project travels in the part after #, which browsers never send to a server." }
                if functions > 0 {
                    { " They see its Functions and choose whether to run them." }
                }
            </p>
            if env > 0 {
                <label class="share-check">
                    <input type="checkbox" data-testid="share-include-values" checked={*include} onchange={toggle} />
                    { "Include environment variable values" }
                </label>
                if *include {
                    <p class="share-note" role="alert" data-testid="share-env-warning">
                        { icons::glyph(icons::WARN) }
                        { "The values travel in the link: anyone who has it can read them. Leave API keys and other secrets out." }
                    </p>
                } else {
                    <p class="muted small" data-testid="share-env-note">
                        { "Environment variables travel by name only, with empty values: whoever opens the link fills in their own." }
                    </p>
                }
            }
            { body }
            <div class="button-row end">
                <button type="button" class="btn" data-testid="share-close"
                    onclick={send(&dispatch, Action::CloseOverlay)}>{ "Close" }</button>
            </div>
        </Modal>
    }
}

/// `s` with its first letter in upper case.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A share link arrived while the project has changes no file holds: open it (the current project
/// stays in Recent, and Undo brings it back) or keep the current one.
fn confirm_shared(dispatch: &Dispatch, shared: &share::Shared) -> Html {
    let doc = &shared.document;
    let flow = doc.flow();
    let title = flow
        .description()
        .filter(|d| !d.trim().is_empty())
        .unwrap_or("Untitled flow");
    let functions = match doc {
        Document::Project(p) => p.functions.functions.len(),
        Document::Flow(_) => 0,
    };
    let holds = format!(
        "The link holds “{title}”: {} and {}.",
        count(flow.states.len(), "widget", "widgets"),
        count(functions, "Function", "Functions")
    );
    html! {
        <Modal title="Open the shared project? Yours stays in Recent" testid="confirm-shared">
            <p>{ holds }</p>
            <p class="muted">{ "Your project has changes that no file holds. Opening the link keeps it in the Recent menu (and Undo brings it back); keeping yours leaves everything as it is." }</p>
            <div class="button-row end">
                <button type="button" class="btn" data-testid="confirm-shared-keep"
                    onclick={send(dispatch, Action::CloseOverlay)}>{ "Keep mine" }</button>
                <button type="button" class="btn primary" data-autofocus="true" data-testid="confirm-shared-open"
                    onclick={send(dispatch, Action::ConfirmShared)}>{ "Open the shared project" }</button>
            </div>
        </Modal>
    }
}

pub struct OverlayViewProps {
    pub overlay: Option<Overlay>,
    /// The flow on the canvas.
    pub flow: Ptr<Flow>,
    /// The project's main flow (shared with the rest of the project).
    pub main: Ptr<Flow>,
    pub functions: Ptr<FunctionsProject>,
    pub subflows: Ptr<Vec<Subflow>>,
    pub tests: Ptr<String>,
    pub stubs: Ptr<Vec<WidgetStub>>,
    pub cards: Ptr<Vec<Rc<CardModel>>>,
    pub sim: crate::hooks::Sim,
}

/// The open dialog, if any (the canvas draws its own menus: "add a widget here", a widget's).
pub fn overlay_view(dispatch: &Dispatch, props: &OverlayViewProps) -> Html {
    match &props.overlay {
        Some(Overlay::Import) => html! { <ImportDialog /> },
        Some(Overlay::ConfirmNew) => confirm_new(dispatch),
        Some(Overlay::ChangedElsewhere) => changed_elsewhere(dispatch),
        Some(Overlay::ConfirmRemoveSubflow(index)) => confirm_remove_subflow(
            dispatch,
            *index,
            props.subflows.get(*index).map_or("", |s| s.name.as_str()),
        ),
        Some(Overlay::ConfirmShared(pending)) => confirm_shared(dispatch, &pending.0),
        Some(Overlay::Search) => html! { <SearchDialog flow={props.flow.clone()} /> },
        Some(Overlay::Help) => help_dialog(),
        Some(Overlay::Share) => html! {
            <ShareDialog flow={props.main.clone()} functions={props.functions.clone()}
                subflows={props.subflows.clone()} tests={props.tests.clone()} stubs={props.stubs.clone()} />
        },
        Some(Overlay::ConnectMenu { from, port }) => html! {
            <ConnectMenu flow={props.flow.clone()} cards={props.cards.clone()} from={*from} port={*port} />
        },
        Some(Overlay::RunFromHere(index)) => html! {
            <super::debug::RunFromHereDialog sim={props.sim.clone()} flow={props.flow.clone()} index={*index} />
        },
        Some(Overlay::EditFlowData) => {
            html! { <super::debug::EditFlowDataDialog sim={props.sim.clone()} /> }
        }
        Some(Overlay::SaveAsTest) => html! {
            <super::tests::SaveAsTestDialog sim={props.sim.clone()} main={props.main.clone()} functions={props.functions.clone()}
                subflows={props.subflows.clone()} tests={props.tests.clone()} stubs={props.stubs.clone()} />
        },
        Some(Overlay::AddMenu { .. } | Overlay::CardMenu { .. }) | None => Html::default(),
    }
}
