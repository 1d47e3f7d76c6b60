//! The Flowpen playground in the browser: a Yew (CSR) shell around the pure crates.
//!
//! Everything the app decides is in `flowpen-playground` (the editor's reducer, the project, share
//! links, the simulator's session, the pure half of the Functions runtime) and the core crates
//! (`flowpen-flow`, `flowpen-liquid`, `flowpen-engine`). This crate only carries out effects and
//! draws:
//!
//! - [`state`] is the `Reducible` wrapper Yew holds around the pure editor state.
//! - [`functions`] runs playground Functions in a sandboxed worker (the Functions host).
//! - [`panic`] shows an overlay instead of a dead page when the app panics.
//! - `hooks` carry out the effects: autosave, keyboard, clipboard, files, focus, share links in
//!   the address bar, the simulator's timers and requests.
//! - `components` draw the page: toolbar, palette, canvas, inspector, simulator, execution log,
//!   Functions, problems, dialogs.

mod components;
pub mod functions;
pub mod hooks;
pub mod panic;
pub mod state;

use std::rc::Rc;

use yew::prelude::*;

use components::canvas::Canvas;
pub use components::canvas::HighlightContext;
use components::canvas::Uncovered;
use components::chat::ChatPanel;
use components::dialogs::{overlay_view, OverlayViewProps};
use components::flow_tabs::FlowTabs;
use components::functions::FunctionsPanel;
use components::icons;
use components::inspector::Inspector;
use components::notice::notice_view;
use components::palette::Palette;
use components::problems::Problems;
use components::runlog::RunLog;
use components::tests::TestsPanel;
use components::toolbar::Toolbar;
use components::{send, Dispatch, FunctionsContext, Ptr};
use flowpen_playground::editor::{Action, Overlay, Panel, Theme};
use flowpen_playground::flowtest::Target;

/// Where the selected execution is paused, as the canvas shows it (with the execution and step
/// count, so every new pause is one change).
fn highlight_paused_at(sim: &hooks::Sim) -> Option<(String, u32, usize)> {
    sim.view(|s| -> Option<(String, u32, usize)> {
        let e = s.selected()?;
        let h = e.highlight();
        if !h.paused {
            return None;
        }
        Some((h.current?, e.id, e.steps().len()))
    })
    .flatten()
}

/// The whole page: toolbar, palette, canvas with the execution log and the problems list, the
/// panel on the right (inspector, simulator, Functions), dialogs.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(hooks::load_state);
    let latest = hooks::use_latest(&state);
    hooks::use_autosave(&state);
    hooks::use_keyboard(latest.clone());
    hooks::use_clipboard(latest.clone());
    hooks::use_share_links(state.dispatcher());
    hooks::use_focus(state.chrome.focus.clone());
    hooks::use_notice_timeout(state.chrome.notice.clone(), state.dispatcher());
    let sim = hooks::use_simulator(latest.clone());
    hooks::use_debug_keys(sim.clone());
    let tests = hooks::tests::use_tests(latest.clone(), sim.clone());

    let s = &*state;
    let add_menu = match &s.chrome.overlay {
        Some(Overlay::AddMenu { at, link }) => Some((*at, *link)),
        _ => None,
    };
    let theme = match s.chrome.theme {
        Theme::Light => "theme-light",
        Theme::Dark => "theme-dark",
    };
    let card_menu = match &s.chrome.overlay {
        Some(Overlay::CardMenu { index, at }) => Some((*index, *at)),
        _ => None,
    };
    // The breakpoints of the flow on the canvas, by widget name; the simulator gets every change
    // (and every change of the stubs).
    let breakpoints_ptr = Rc::as_ptr(&s.project.breakpoints) as usize;
    let stubs_ptr = Rc::as_ptr(&s.project.stubs) as usize;
    let marks = {
        let latest = latest.clone();
        use_memo(
            (breakpoints_ptr, stubs_ptr, s.project.open, s.doc.flow_rev),
            move |_| {
                let s = latest.borrow();
                (Rc::new(s.breakpoint_names()), Rc::new(s.stubbed_names()))
            },
        )
    };
    {
        let sim = sim.clone();
        use_effect_with((breakpoints_ptr, stubs_ptr), move |_| sim.sync_debugger());
    }
    // A pause brings its widget into view (the Run Subflow widget for a pause in a subflow).
    let paused_at = highlight_paused_at(&sim);
    {
        let (latest, paused_at) = (latest.clone(), paused_at.clone());
        use_effect_with(paused_at, move |at| {
            if let Some((name, _, _)) = at {
                let handle = latest.borrow().clone();
                if let Some(i) = handle.doc.flow.index_of(name) {
                    handle.dispatch(Action::EnsureVisible(i));
                }
            }
        });
    }
    // The coverage view: what the Tests panel's results did not reach in the flow on the canvas.
    let project_key = hooks::tests::project_key(s);
    let show_coverage = tests.view(|t| t.show_coverage).unwrap_or(false);
    let uncovered = {
        let (latest, tests) = (latest.clone(), tests.clone());
        use_memo(
            (tests.rev, show_coverage, project_key, s.project.open),
            move |_| -> Option<Rc<Uncovered>> {
                if !show_coverage {
                    return None;
                }
                let editor = latest.borrow();
                let target = Target::from_project(editor.project_ref());
                let coverage = tests.view(|t| t.coverage(&target)).flatten()?;
                let flow = match editor
                    .project
                    .open
                    .and_then(|i| editor.project.subflows.get(i))
                {
                    None => Some(coverage.main()),
                    Some(sub) => coverage
                        .flows
                        .iter()
                        .find(|f| f.subflow.as_deref() == Some(sub.name.as_str())),
                }?;
                let mut uncovered = Uncovered::default();
                let u = &mut uncovered;
                u.widgets.extend(flow.unreached().map(|w| w.name.clone()));
                u.transitions
                    .extend(flow.untaken().map(|t| (t.widget.clone(), t.index)));
                Some(Rc::new(uncovered))
            },
        )
    };
    let (highlight, running) = sim
        .view(|sm| {
            let h = sm.selected().map(|e| e.highlight()).unwrap_or_default();
            (
                HighlightContext {
                    current: h.current,
                    paused: h.paused,
                    visited: Rc::new(h.visited),
                    taken: Rc::new(h.taken),
                    breakpoints: Rc::clone(&marks.0),
                    stubbed: Rc::clone(&marks.1),
                    uncovered: (*uncovered).clone(),
                },
                sm.active().is_some(),
            )
        })
        .unwrap_or_default();
    let dispatch = state.dispatcher();
    let tab = |panel: Panel, label: &'static str, badge: Option<String>| {
        let selected = s.chrome.panel == panel;
        html! {
            <button type="button" role="tab" class={classes!("side-tab", selected.then_some("selected"))}
                aria-selected={selected.to_string()} data-testid={format!("tab-{}", panel.as_str())}
                onclick={send(&dispatch, Action::ShowPanel(panel))}>
                { label }
                if let Some(b) = badge { <span class="tab-badge">{ b }</span> }
            </button>
        }
    };
    let functions_count = s.project.functions.functions.len();
    // The Tests tab says how the last run went.
    let tests_badge = tests
        .view(|t| {
            let ran: Vec<bool> = t.results.iter().flatten().map(|r| r.passed()).collect();
            match ran.iter().filter(|p| !**p).count() {
                _ if ran.is_empty() => None,
                0 => Some("✓".to_owned()),
                n => Some(format!("{n} ✗")),
            }
        })
        .flatten();
    html! {
        <ContextProvider<Dispatch> context={state.dispatcher()}>
        <ContextProvider<HighlightContext> context={highlight}>
        <ContextProvider<FunctionsContext> context={Ptr::new(&s.project.functions)}>
            <div class={classes!("app", theme)} data-testid="app" data-theme={s.chrome.theme.as_str()}>
                <Toolbar flow={Ptr::new(&s.doc.flow)} main={Ptr::new(s.main_flow())} functions={Ptr::new(&s.project.functions)}
                    subflows={Ptr::new(&s.project.subflows)} tests={Ptr::new(&s.project.tests)} stubs={Ptr::new(&s.project.stubs)} running={running}
                    can_undo={s.doc.history.can_undo()} can_redo={s.doc.history.can_redo()} theme={s.chrome.theme} snap={s.canvas.snap}
                    view_only={s.chrome.view_only} just_a_flow={s.is_just_a_flow()} />
                <main class={classes!("workspace", format!("panel-{}", s.chrome.panel.as_str()), s.chrome.view_only.then_some("view-only"))}>
                    if !s.chrome.view_only { <Palette /> }
                    <div class="center">
                        <FlowTabs main={Ptr::new(s.main_flow())} subflows={Ptr::new(&s.project.subflows)}
                            open={s.project.open} />
                        <Canvas cards={Ptr::new(&s.doc.cards)} edges={Ptr::new(&s.doc.edges)}
                            selection={Ptr::new(&s.doc.selection)} selected_edge={s.doc.selected_edge}
                            viewport={s.canvas.viewport} size={s.canvas.canvas_size}
                            drag={s.canvas.drag.as_ref().map(Ptr::new)} marquee={s.canvas.marquee} link={s.canvas.link}
                            add_menu={add_menu} card_menu={card_menu} space={s.canvas.space} />
                        <RunLog sim={sim.clone()} flow={Ptr::new(&s.doc.flow)} />
                        <Problems diagnostics={Ptr::new(&s.doc.diagnostics)} />
                    </div>
                    <div class="side">
                        <nav class="side-tabs" role="tablist" aria-label="Panels">
                            if !s.chrome.view_only { { tab(Panel::Inspector, "Inspector", None) } }
                            { tab(Panel::Simulator, "Simulator", running.then(|| "●".to_owned())) }
                            { tab(Panel::Functions, "Functions", Some(functions_count.to_string())) }
                            { tab(Panel::Tests, "Tests", tests_badge) }
                        </nav>
                        <div class="side-body">
                            <div class="side-slot" hidden={s.chrome.panel != Panel::Inspector}>
                                <Inspector flow={Ptr::new(&s.doc.flow)} cards={Ptr::new(&s.doc.cards)}
                                    selection={Ptr::new(&s.doc.selection)} diagnostics={Ptr::new(&s.doc.diagnostics)}
                                    stub={s.selected_stub().cloned()} />
                            </div>
                            <ChatPanel sim={sim.clone()} flow_rev={s.doc.flow_rev} hidden={s.chrome.panel != Panel::Simulator} />
                            <TestsPanel tests={tests.clone()} text={Ptr::new(&s.project.tests)} main={Ptr::new(s.main_flow())}
                                project={project_key} hidden={s.chrome.panel != Panel::Tests} />
                            <FunctionsPanel functions={Ptr::new(&s.project.functions)} selected={s.project.selected_function}
                                flow={Ptr::new(&s.doc.flow)} hidden={s.chrome.panel != Panel::Functions}
                                readonly={s.chrome.view_only} untrusted={s.untrusted().cloned()}
                                trusted_link={s.trusted_link().cloned()} />
                        </div>
                        if s.chrome.panel == Panel::Inspector && running {
                            <button type="button" class="side-running" data-testid="back-to-simulator"
                                onclick={send(&dispatch, Action::ShowPanel(Panel::Simulator))}>
                                { icons::glyph(icons::CHAT) }{ "An execution is running: back to the Simulator" }
                            </button>
                        }
                    </div>
                </main>
                { notice_view(&dispatch, &components::notice::NoticeViewProps { notice: s.chrome.notice.clone() }) }
                { overlay_view(&dispatch, &OverlayViewProps {
                    overlay: s.chrome.overlay.clone(), flow: Ptr::new(&s.doc.flow), main: Ptr::new(s.main_flow()),
                    functions: Ptr::new(&s.project.functions), subflows: Ptr::new(&s.project.subflows),
                    tests: Ptr::new(&s.project.tests), stubs: Ptr::new(&s.project.stubs), cards: Ptr::new(&s.doc.cards), sim: sim.clone() }) }
            </div>
        </ContextProvider<FunctionsContext>>
        </ContextProvider<HighlightContext>>
        </ContextProvider<Dispatch>>
    }
}
