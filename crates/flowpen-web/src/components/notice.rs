//! The notice at the bottom of the page: errors (which stay until dismissed) and brief
//! confirmations.

use yew::prelude::*;

use super::icons;
use super::{send, Dispatch};
use flowpen_playground::editor::{Action, Level, Notice};

pub struct NoticeViewProps {
    pub notice: Option<Notice>,
}

pub fn notice_view(dispatch: &Dispatch, props: &NoticeViewProps) -> Html {
    let Some(n) = &props.notice else {
        return html! { <div class="notice-slot" aria-live="polite"></div> };
    };
    let error = n.level == Level::Error;
    html! {
        <div class="notice-slot" aria-live="polite">
            <div class={classes!("notice", if error { "error" } else { "info" })} data-testid="notice"
                data-level={if error { "error" } else { "info" }} role={if error { "alert" } else { "status" }}>
                if error { { icons::glyph(icons::ERROR) } }
                <span class="notice-text">{ &n.text }</span>
                <button type="button" class="icon-btn" aria-label="Dismiss" title="Dismiss" data-testid="notice-dismiss"
                    onclick={send(dispatch, Action::DismissNotice)}>
                    { icons::glyph(icons::CLOSE) }
                </button>
            </div>
        </div>
    }
}
