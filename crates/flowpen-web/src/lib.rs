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
use components::chat::ChatPanel;
use components::dialogs::OverlayView;
use components::functions::FunctionsPanel;
use components::icons::{self, Glyph};
use components::inspector::Inspector;
use components::notice::NoticeView;
use components::palette::Palette;
use components::problems::Problems;
use components::runlog::RunLog;
use components::toolbar::Toolbar;
use components::{send, Dispatch, FunctionsContext, Ptr};
use flowpen_playground::editor::{Action, Overlay, Panel, Theme};

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
    let sim = hooks::use_simulator(latest);

    let s = &*state;
    let add_menu = match &s.chrome.overlay {
        Some(Overlay::AddMenu { at, link }) => Some((*at, *link)),
        _ => None,
    };
    let theme = match s.chrome.theme {
        Theme::Light => "theme-light",
        Theme::Dark => "theme-dark",
    };
    let (highlight, running) = sim
        .view(|sm| {
            let h = sm.selected().map(|e| e.highlight()).unwrap_or_default();
            (
                HighlightContext {
                    current: h.current,
                    visited: Rc::new(h.visited),
                    taken: Rc::new(h.taken),
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
    html! {
        <ContextProvider<Dispatch> context={state.dispatcher()}>
        <ContextProvider<HighlightContext> context={highlight}>
        <ContextProvider<FunctionsContext> context={Ptr::new(&s.project.functions)}>
            <div class={classes!("app", theme)} data-testid="app" data-theme={s.chrome.theme.as_str()}>
                <Toolbar flow={Ptr::new(&s.doc.flow)} functions={Ptr::new(&s.project.functions)}
                    subflows={Ptr::new(&s.project.subflows)} tests={Ptr::new(&s.project.tests)} running={running}
                    can_undo={s.doc.history.can_undo()} can_redo={s.doc.history.can_redo()} theme={s.chrome.theme} snap={s.canvas.snap}
                    view_only={s.chrome.view_only} just_a_flow={s.is_just_a_flow()} />
                <main class={classes!("workspace", format!("panel-{}", s.chrome.panel.as_str()), s.chrome.view_only.then_some("view-only"))}>
                    if !s.chrome.view_only { <Palette /> }
                    <div class="center">
                        <Canvas cards={Ptr::new(&s.doc.cards)} edges={Ptr::new(&s.doc.edges)}
                            selection={Ptr::new(&s.doc.selection)} selected_edge={s.doc.selected_edge}
                            viewport={s.canvas.viewport} size={s.canvas.canvas_size}
                            drag={s.canvas.drag.as_ref().map(Ptr::new)} marquee={s.canvas.marquee} link={s.canvas.link}
                            add_menu={add_menu} space={s.canvas.space} />
                        <RunLog sim={sim.clone()} flow={Ptr::new(&s.doc.flow)} />
                        <Problems diagnostics={Ptr::new(&s.doc.diagnostics)} />
                    </div>
                    <div class="side">
                        <nav class="side-tabs" role="tablist" aria-label="Panels">
                            if !s.chrome.view_only { { tab(Panel::Inspector, "Inspector", None) } }
                            { tab(Panel::Simulator, "Simulator", running.then(|| "●".to_owned())) }
                            { tab(Panel::Functions, "Functions", Some(functions_count.to_string())) }
                        </nav>
                        <div class="side-body">
                            <div class="side-slot" hidden={s.chrome.panel != Panel::Inspector}>
                                <Inspector flow={Ptr::new(&s.doc.flow)} cards={Ptr::new(&s.doc.cards)}
                                    selection={Ptr::new(&s.doc.selection)} diagnostics={Ptr::new(&s.doc.diagnostics)} />
                            </div>
                            <ChatPanel sim={sim.clone()} flow_rev={s.doc.flow_rev} hidden={s.chrome.panel != Panel::Simulator} />
                            <FunctionsPanel functions={Ptr::new(&s.project.functions)} selected={s.project.selected_function}
                                flow={Ptr::new(&s.doc.flow)} hidden={s.chrome.panel != Panel::Functions}
                                readonly={s.chrome.view_only} untrusted={s.untrusted().cloned()} />
                        </div>
                        if s.chrome.panel == Panel::Inspector && running {
                            <button type="button" class="side-running" data-testid="back-to-simulator"
                                onclick={send(&dispatch, Action::ShowPanel(Panel::Simulator))}>
                                <Glyph d={icons::CHAT} />{ "An execution is running: back to the Simulator" }
                            </button>
                        }
                    </div>
                </main>
                <NoticeView notice={s.chrome.notice.clone()} />
                <OverlayView overlay={s.chrome.overlay.clone()} flow={Ptr::new(&s.doc.flow)}
                    functions={Ptr::new(&s.project.functions)} subflows={Ptr::new(&s.project.subflows)}
                    tests={Ptr::new(&s.project.tests)} cards={Ptr::new(&s.doc.cards)} />
            </div>
        </ContextProvider<FunctionsContext>>
        </ContextProvider<HighlightContext>>
        </ContextProvider<Dispatch>>
    }
}
