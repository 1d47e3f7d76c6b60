//! The Flowpen playground: a Yew (CSR) shell around the pure core crates.
//!
//! The shell owns every side effect (fetch, timers, storage, the DOM); the core crates
//! (`flowpen-flow`, `flowpen-liquid`, `flowpen-engine`) stay pure.
//!
//! - [`editor`] is the editor's state and its one reducer (pure; tested natively).
//! - [`project`] is the project around the flow: Functions, environment variables, the project
//!   file (pure).
//! - [`share`] is the share link: the project in the URL's fragment, `#share=1.…` (pure).
//! - [`simulator`] is the simulator's session model: executions driven by the engine (pure).
//! - [`functions`] runs playground Functions in a sandboxed worker.
//! - `hooks` carry out the effects: autosave, keyboard, clipboard, files, focus, share links in
//!   the address bar, the simulator's timers and requests.
//! - `components` draw the page: toolbar, palette, canvas, inspector, simulator, execution log,
//!   Functions, problems, dialogs.

mod components;
pub mod editor;
pub mod functions;
pub mod hooks;
pub mod project;
pub mod share;
pub mod simulator;

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
use editor::{Action, Overlay, Panel, Theme};

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
    hooks::use_focus(state.focus.clone());
    hooks::use_notice_timeout(state.notice.clone(), state.dispatcher());
    let sim = hooks::use_simulator(latest);

    let s = &*state;
    let add_menu = match &s.overlay {
        Some(Overlay::AddMenu { at, link }) => Some((*at, *link)),
        _ => None,
    };
    let theme = match s.theme {
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
        let selected = s.panel == panel;
        html! {
            <button type="button" role="tab" class={classes!("side-tab", selected.then_some("selected"))}
                aria-selected={selected.to_string()} data-testid={format!("tab-{}", panel.as_str())}
                onclick={send(&dispatch, Action::ShowPanel(panel))}>
                { label }
                if let Some(b) = badge { <span class="tab-badge">{ b }</span> }
            </button>
        }
    };
    let functions_count = s.functions.functions.len();
    html! {
        <ContextProvider<Dispatch> context={state.dispatcher()}>
        <ContextProvider<HighlightContext> context={highlight}>
        <ContextProvider<FunctionsContext> context={Ptr::new(&s.functions)}>
            <div class={classes!("app", theme)} data-testid="app" data-theme={s.theme.as_str()}>
                <Toolbar flow={Ptr::new(&s.flow)} functions={Ptr::new(&s.functions)} running={running}
                    can_undo={s.history.can_undo()} can_redo={s.history.can_redo()} theme={s.theme} snap={s.snap} />
                <main class={classes!("workspace", format!("panel-{}", s.panel.as_str()))}>
                    <Palette />
                    <div class="center">
                        <Canvas cards={Ptr::new(&s.cards)} edges={Ptr::new(&s.edges)}
                            selection={Ptr::new(&s.selection)} selected_edge={s.selected_edge}
                            viewport={s.viewport} size={s.canvas_size}
                            drag={s.drag.as_ref().map(Ptr::new)} marquee={s.marquee} link={s.link}
                            add_menu={add_menu} space={s.space} />
                        <RunLog sim={sim.clone()} flow={Ptr::new(&s.flow)} />
                        <Problems diagnostics={Ptr::new(&s.diagnostics)} />
                    </div>
                    <div class="side">
                        <nav class="side-tabs" role="tablist" aria-label="Panels">
                            { tab(Panel::Inspector, "Inspector", None) }
                            { tab(Panel::Simulator, "Simulator", running.then(|| "●".to_owned())) }
                            { tab(Panel::Functions, "Functions", Some(functions_count.to_string())) }
                        </nav>
                        <div class="side-body">
                            <div class="side-slot" hidden={s.panel != Panel::Inspector}>
                                <Inspector flow={Ptr::new(&s.flow)} cards={Ptr::new(&s.cards)}
                                    selection={Ptr::new(&s.selection)} diagnostics={Ptr::new(&s.diagnostics)} />
                            </div>
                            <ChatPanel sim={sim.clone()} flow_rev={s.flow_rev} hidden={s.panel != Panel::Simulator} />
                            <FunctionsPanel functions={Ptr::new(&s.functions)} selected={s.selected_function}
                                flow={Ptr::new(&s.flow)} hidden={s.panel != Panel::Functions} />
                        </div>
                        if s.panel == Panel::Inspector && running {
                            <button type="button" class="side-running" data-testid="back-to-simulator"
                                onclick={send(&dispatch, Action::ShowPanel(Panel::Simulator))}>
                                <Glyph d={icons::CHAT} />{ "An execution is running: back to the Simulator" }
                            </button>
                        }
                    </div>
                </main>
                <NoticeView notice={s.notice.clone()} />
                <OverlayView overlay={s.overlay.clone()} flow={Ptr::new(&s.flow)}
                    functions={Ptr::new(&s.functions)} cards={Ptr::new(&s.cards)} />
            </div>
        </ContextProvider<FunctionsContext>>
        </ContextProvider<HighlightContext>>
        </ContextProvider<Dispatch>>
    }
}
