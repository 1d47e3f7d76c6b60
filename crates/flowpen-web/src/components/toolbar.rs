//! The toolbar: files (new, open, examples, recent projects, export the flow or the project, copy
//! JSON, share a link), undo/redo, search, Run (the simulator), view options. A read-only view of
//! a shared project shows *View only* and *Fork* instead of the file and edit buttons.

use flowpen_flow::Flow;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::icons;
use super::recent::{recent_menu, RecentState};
use super::{send, use_dispatch, Ptr};
use crate::hooks::{browser, copy_flow};
use flowpen_playground::editor::{Action, Level, Overlay, Theme};
use flowpen_playground::project::examples::EXAMPLES;
use flowpen_playground::project::{
    self, export_file_name, FunctionsProject, ProjectRef, Subflow, WidgetStub,
};

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// The flow on the canvas (Export writes it).
    pub flow: Ptr<Flow>,
    /// The project's main flow (Export project writes it with the rest).
    pub main: Ptr<Flow>,
    pub functions: Ptr<FunctionsProject>,
    pub subflows: Ptr<Vec<Subflow>>,
    pub tests: Ptr<String>,
    pub stubs: Ptr<Vec<WidgetStub>>,
    /// An execution is running.
    pub running: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    pub theme: Theme,
    pub snap: bool,
    /// A read-only view of a shared project.
    #[prop_or_default]
    pub view_only: bool,
    /// The project is just its flow (Export writes all of it).
    #[prop_or_default]
    pub just_a_flow: bool,
}

/// Opens the chosen file (the hidden file input; the Open dialog and the e2e tests use it).
fn on_file_chosen(dispatch: super::Dispatch) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        let dispatch = dispatch.clone();
        browser::read_file(file, move |r| match r {
            Ok(text) => dispatch.dispatch(Action::Open {
                text,
                source: format!("\"{name}\""),
            }),
            Err(err) => dispatch.dispatch(Action::Notify {
                level: Level::Error,
                text: format!("Could not read \"{name}\": {err}"),
            }),
        });
    })
}

/// The bar above the editor.
#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let dispatch = use_dispatch();
    let examples_open = use_state(|| false);
    let recent: RecentState = (use_state(|| false), use_state(|| Ok(Default::default())));
    let toggle_examples = {
        let open = examples_open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let export = {
        let flow = props.flow.clone();
        let dispatch = dispatch.clone();
        let whole = props.just_a_flow;
        Callback::from(move |_: MouseEvent| {
            let name = export_file_name(&flow);
            if !browser::download(&name, &flow.to_pretty_string(), "application/json") {
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: "The browser refused the download.".into(),
                });
            } else if whole {
                dispatch.dispatch(Action::SavedToFile);
            }
        })
    };
    let export_project = {
        let (flow, functions) = (props.main.clone(), props.functions.clone());
        let (subflows, tests) = (props.subflows.clone(), props.tests.clone());
        let stubs = props.stubs.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let name = project::project_file_name(&flow);
            let text = project::project_text(ProjectRef {
                flow: &flow,
                functions: &functions,
                subflows: &subflows,
                tests: &tests,
                stubs: &stubs,
            });
            if browser::download(&name, &text, "application/json") {
                dispatch.dispatch(Action::SavedToFile);
            } else {
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: "The browser refused the download.".into(),
                });
            }
        })
    };
    let copy = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            if !copy_flow() {
                dispatch.dispatch(Action::Notify {
                    level: Level::Error,
                    text: "The browser refused to copy; use Export instead.".into(),
                });
            }
        })
    };
    let theme_next = match props.theme {
        Theme::Light => Theme::Dark,
        Theme::Dark => Theme::Light,
    };
    html! {
        <header class="toolbar" data-testid="toolbar">
            <span class="brand"><span class="brand-mark" aria-hidden="true"></span>{ "Flowpen" }</span>
            if props.view_only {
                <div class="toolbar-group" role="group" aria-label="Shared project">
                    <span class="view-badge" data-testid="view-only" title="A read-only view of a shared project: nothing here changes your own project">{ "View only" }</span>
                    <button type="button" class="tb primary-tb" data-testid="fork"
                        title="Make an editable copy of this project (your own project goes to Recent)"
                        onclick={send(&dispatch, Action::Fork)}>
                        { icons::glyph(icons::NEW) }<span>{ "Fork" }</span>
                    </button>
                    <button type="button" class="tb" data-testid="share" title="Links to this project"
                        onclick={send(&dispatch, Action::ShowOverlay(Overlay::Share))}>
                        { icons::glyph(icons::SHARE) }<span>{ "Share" }</span>
                    </button>
                </div>
            } else {
            <div class="toolbar-group" role="group" aria-label="File">
                <button type="button" class="tb" data-testid="new-flow" title="New flow"
                    onclick={send(&dispatch, Action::NewFlow)}>
                    { icons::glyph(icons::NEW) }<span>{ "New" }</span>
                </button>
                <button type="button" class="tb" data-testid="open" title="Open Studio JSON (Ctrl+O)"
                    onclick={send(&dispatch, Action::ShowOverlay(Overlay::Import))}>
                    { icons::glyph(icons::FILE) }<span>{ "Open…" }</span>
                </button>
                <input type="file" accept=".json,application/json" class="hidden-file" tabindex="-1"
                    data-testid="import-file" id="import-file" aria-label="Open a Studio JSON file"
                    onchange={on_file_chosen(dispatch.clone())} />
                <div class="menu-anchor">
                    <button type="button" class="tb" data-testid="examples" aria-haspopup="menu"
                        aria-expanded={examples_open.to_string()} onclick={toggle_examples.clone()}>
                        <span>{ "Examples" }</span>{ icons::glyph(icons::CHEVRON) }
                    </button>
                    if *examples_open {
                        <div class="menu-backdrop" onclick={toggle_examples.clone()}></div>
                        <ul class="menu" role="menu" data-testid="examples-menu">
                            { for EXAMPLES.iter().map(|ex| {
                                let dispatch = dispatch.clone();
                                let open = examples_open.clone();
                                let onclick = Callback::from(move |_: MouseEvent| {
                                    open.set(false);
                                    dispatch.dispatch(Action::OpenExample(ex.file.to_owned()));
                                });
                                html! {
                                    <li role="none">
                                        <button type="button" role="menuitem" {onclick}
                                            data-testid={format!("example-{}", ex.file)}>
                                            { ex.title }
                                        </button>
                                    </li>
                                }
                            }) }
                        </ul>
                    }
                </div>
                { recent_menu(&dispatch, &recent) }
                <button type="button" class="tb" data-testid="export" title="Download the flow as Studio JSON (Studio imports it)"
                    onclick={export}>
                    { icons::glyph(icons::DOWNLOAD) }<span>{ "Export" }</span>
                </button>
                <button type="button" class="tb" data-testid="export-project"
                    title="Download the project: the flow with its Functions and environment variables (Open… reads it back)"
                    onclick={export_project}>
                    { icons::glyph(icons::DOWNLOAD) }<span>{ "Export project" }</span>
                </button>
                <button type="button" class="tb icon-only" data-testid="copy-json" title="Copy the flow's Studio JSON"
                    aria-label="Copy JSON" onclick={copy}>
                    { icons::glyph(icons::COPY) }
                </button>
                <button type="button" class="tb" data-testid="share"
                    title="Make a link to this flow with its Functions (the project travels in the link)"
                    onclick={send(&dispatch, Action::ShowOverlay(Overlay::Share))}>
                    { icons::glyph(icons::SHARE) }<span>{ "Share" }</span>
                </button>
            </div>
            <div class="toolbar-group" role="group" aria-label="Edit">
                <button type="button" class="tb icon-only" data-testid="undo" title="Undo (Ctrl+Z)"
                    aria-label="Undo" disabled={!props.can_undo} onclick={send(&dispatch, Action::Undo)}>
                    { icons::glyph(icons::UNDO) }
                </button>
                <button type="button" class="tb icon-only" data-testid="redo" title="Redo (Ctrl+Shift+Z)"
                    aria-label="Redo" disabled={!props.can_redo} onclick={send(&dispatch, Action::Redo)}>
                    { icons::glyph(icons::REDO) }
                </button>
                <button type="button" class="tb" data-testid="search" title="Find a widget (Ctrl+K)"
                    onclick={send(&dispatch, Action::ShowOverlay(Overlay::Search))}>
                    { icons::glyph(icons::SEARCH) }<span>{ "Find" }</span><kbd>{ "Ctrl K" }</kbd>
                </button>
            </div>
            }
            <div class="toolbar-spacer"></div>
            <button type="button" class={classes!("tb", "run-button", props.running.then_some("running"))}
                data-testid="run" title="Run the flow in the simulator: chat as the contact" onclick={send(&dispatch, Action::Run)}>
                { icons::glyph(icons::PLAY) }<span>{ if props.running { "Running…" } else { "Run" } }</span>
            </button>
            <div class="toolbar-group" role="group" aria-label="View">
                <button type="button" class={classes!("tb", "icon-only", props.snap.then_some("on"))}
                    data-testid="snap" aria-pressed={props.snap.to_string()}
                    title="Snap to grid" aria-label="Snap to grid" onclick={send(&dispatch, Action::ToggleSnap)}>
                    { icons::glyph(icons::GRID) }
                </button>
                <button type="button" class="tb icon-only" data-testid="theme"
                    title={format!("Switch to the {} theme", theme_next.as_str())}
                    aria-label="Switch theme" onclick={send(&dispatch, Action::SetTheme(theme_next))}>
                    { icons::glyph(if props.theme == Theme::Light { icons::MOON } else { icons::SUN }) }
                </button>
                <button type="button" class="tb icon-only" data-testid="help" title="Keyboard shortcuts (?)"
                    aria-label="Keyboard shortcuts" onclick={send(&dispatch, Action::ShowOverlay(Overlay::Help))}>
                    { icons::glyph(icons::KEYBOARD) }
                </button>
            </div>
        </header>
    }
}
