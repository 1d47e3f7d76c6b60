//! The Flowpen playground: a Yew (CSR) shell around the pure core crates.
//!
//! The shell owns every side effect (fetch, timers, storage, the DOM); the core crates
//! (`flowpen-flow`, `flowpen-liquid`, `flowpen-engine`) stay pure.
//!
//! - [`editor`] is the editor's state and its one reducer (pure; tested natively).
//! - `hooks` carry out the effects: autosave, keyboard, clipboard, files, focus.
//! - `components` draw the page: toolbar, palette, canvas, inspector, problems, dialogs.

mod components;
pub mod editor;
pub mod functions;
pub mod hooks;
pub mod project;
pub mod simulator;

use yew::prelude::*;

use components::canvas::Canvas;
pub use components::canvas::HighlightContext;
use components::dialogs::OverlayView;
use components::inspector::Inspector;
use components::notice::NoticeView;
use components::palette::Palette;
use components::problems::Problems;
use components::toolbar::Toolbar;
use components::{Dispatch, Ptr};
use editor::{Overlay, Theme};

/// The whole page: toolbar, palette, canvas with its problems list, inspector, dialogs.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(hooks::load_state);
    let latest = hooks::use_latest(&state);
    hooks::use_autosave(&state);
    hooks::use_keyboard(latest.clone());
    hooks::use_clipboard(latest);
    hooks::use_focus(state.focus.clone());
    hooks::use_notice_timeout(state.notice.clone(), state.dispatcher());

    let s = &*state;
    let add_menu = match &s.overlay {
        Some(Overlay::AddMenu { at, link }) => Some((*at, *link)),
        _ => None,
    };
    let theme = match s.theme {
        Theme::Light => "theme-light",
        Theme::Dark => "theme-dark",
    };
    html! {
        <ContextProvider<Dispatch> context={state.dispatcher()}>
            <div class={classes!("app", theme)} data-testid="app" data-theme={s.theme.as_str()}>
                <Toolbar flow={Ptr::new(&s.flow)} can_undo={s.history.can_undo()}
                    can_redo={s.history.can_redo()} theme={s.theme} snap={s.snap} />
                <main class="workspace">
                    <Palette />
                    <div class="center">
                        <Canvas cards={Ptr::new(&s.cards)} edges={Ptr::new(&s.edges)}
                            selection={Ptr::new(&s.selection)} selected_edge={s.selected_edge}
                            viewport={s.viewport} size={s.canvas_size}
                            drag={s.drag.as_ref().map(Ptr::new)} marquee={s.marquee} link={s.link}
                            add_menu={add_menu} space={s.space} />
                        <Problems diagnostics={Ptr::new(&s.diagnostics)} />
                    </div>
                    <Inspector flow={Ptr::new(&s.flow)} cards={Ptr::new(&s.cards)}
                        selection={Ptr::new(&s.selection)} diagnostics={Ptr::new(&s.diagnostics)} />
                </main>
                <NoticeView notice={s.notice.clone()} />
                <OverlayView overlay={s.overlay.clone()} flow={Ptr::new(&s.flow)} cards={Ptr::new(&s.cards)} />
            </div>
        </ContextProvider<Dispatch>>
    }
}
