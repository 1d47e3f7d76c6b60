//! Widget type icons (inline SVG, no text, so labels stay exact) and a few UI glyphs.

use flowpen_flow::WidgetType;
use yew::prelude::*;

/// The path of a widget type's icon (16×16, stroked).
fn type_path(kind: &WidgetType) -> &'static str {
    match kind {
        WidgetType::Trigger => "M9.5 1.5 3.5 9h4l-1 5.5 6-7.5h-4z",
        WidgetType::SendAndWaitForReply => "M2 3h12v8H7l-3 3v-3H2zM5 7h.01M8 7h.01M11 7h.01",
        WidgetType::SendMessage => "M1.5 7.5 14.5 2l-5 12-2.5-4.5zM7 9.5l7.5-7.5",
        WidgetType::RunFunction => "M5 4 1.5 8 5 12M11 4l3.5 4-3.5 4M9.5 2.5l-3 11",
        WidgetType::SetVariables => {
            "M5.5 2C4 2 4 3 4 4.5S3.5 7 2 8c1.5 1 2 2 2 3.5S4 14 5.5 14M10.5 2C12 2 12 3 12 4.5s.5 2.5 2 3.5c-1.5 1-2 2-2 3.5s0 2.5-1.5 2.5"
        }
        WidgetType::SplitBasedOn => "M8 15V9M8 9 3 3M8 9l5-6M3 3v3.5M3 3h3.5M13 3v3.5M13 3H9.5",
        WidgetType::MakeHttpRequest => {
            "M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 1 0 0-13zM1.5 8h13M8 1.5c2.7 2.5 2.7 10.5 0 13M8 1.5c-2.7 2.5-2.7 10.5 0 13"
        }
        WidgetType::SayPlay => "M2 6h3l4-3v10l-4-3H2zM11.5 5.5a3.5 3.5 0 0 1 0 5M13 3.5a6.5 6.5 0 0 1 0 9",
        WidgetType::GatherInputOnCall => {
            "M3 2.5h2v2H3zM7 2.5h2v2H7zM11 2.5h2v2h-2zM3 6.5h2v2H3zM7 6.5h2v2H7zM11 6.5h2v2h-2zM7 10.5h2v2H7z"
        }
        WidgetType::ConnectCallTo | WidgetType::MakeOutgoingCall => {
            "M3 2h3l1.5 3.5L5.5 7a8 8 0 0 0 3.5 3.5l1.5-2L14 10v3a1.5 1.5 0 0 1-1.5 1.5A11.5 11.5 0 0 1 1.5 3.5 1.5 1.5 0 0 1 3 2z"
        }
        WidgetType::RecordVoicemail | WidgetType::RecordCall => {
            "M4.5 6a2.5 2.5 0 1 0 0 5 2.5 2.5 0 1 0 0-5zM11.5 6a2.5 2.5 0 1 0 0 5 2.5 2.5 0 1 0 0-5zM4.5 11h7"
        }
        WidgetType::EnqueueCall | WidgetType::SendToFlex => "M2 3.5h12M2 8h12M2 12.5h8",
        WidgetType::CapturePayments => "M1.5 3.5h13v9h-13zM1.5 6.5h13M4 10h3",
        WidgetType::RunSubflow => "M2 2.5h5v4H2zM9 9.5h5v4H9zM4.5 6.5v5.5H9",
        WidgetType::SendToAutopilot | WidgetType::ConnectVirtualAgent => {
            "M4 5h8v7H4zM8 2v3M6 8h.01M10 8h.01M6.5 10.5h3"
        }
        WidgetType::AddTwimlRedirect | WidgetType::ForkStream => "M2 8h8M7 4l4 4-4 4M13 3v10",
        WidgetType::Other(_) => "M3 3h10v10H3zM6 8h4",
    }
}

/// A widget type's icon. A plain function, not a component: an icon has no state, and a Yew
/// component costs code of its own in the wasm.
pub fn type_icon(kind: &WidgetType) -> Html {
    glyph(type_path(kind))
}

/// A small UI glyph: `d` is an SVG path (16×16, stroked).
pub fn glyph(d: &'static str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d={d} />
        </svg>
    }
}

pub const UNDO: &str = "M5 3 2 6l3 3M2 6h8a4 4 0 0 1 0 8H7";
pub const REDO: &str = "M11 3l3 3-3 3M14 6H6a4 4 0 0 0 0 8h3";
pub const SEARCH: &str = "M7 2.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 1 0 0-9zM10.5 10.5 14 14";
pub const PLUS: &str = "M8 3v10M3 8h10";
pub const MINUS: &str = "M3 8h10";
pub const FIT: &str = "M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4";
pub const GRID: &str = "M2 2h12v12H2zM6 2v12M10 2v12M2 6h12M2 10h12";
pub const SUN: &str = "M8 5a3 3 0 1 0 0 6 3 3 0 1 0 0-6zM8 1v2M8 13v2M1 8h2M13 8h2M3 3l1.5 1.5M11.5 11.5 13 13M3 13l1.5-1.5M11.5 4.5 13 3";
pub const MOON: &str = "M13 9.5A5.5 5.5 0 0 1 6.5 3 5.5 5.5 0 1 0 13 9.5z";
pub const CLOSE: &str = "M4 4l8 8M12 4l-8 8";
pub const UP: &str = "M4 10l4-4 4 4";
pub const DOWN: &str = "M4 6l4 4 4-4";
pub const TRASH: &str = "M3 4h10M6 4V2.5h4V4M4.5 4l.5 9.5h6l.5-9.5";
pub const SHARE: &str = "M12 1.5a2 2 0 1 0 0 4 2 2 0 1 0 0-4zM4 6a2 2 0 1 0 0 4 2 2 0 1 0 0-4zM12 10.5a2 2 0 1 0 0 4 2 2 0 1 0 0-4zM5.8 7.1l4.4-2.3M5.8 8.9l4.4 2.3";
pub const COPY: &str = "M5 5h8v9H5zM3 11V2h8";
pub const FILE: &str = "M4 1.5h5l3 3v10H4zM9 1.5v3h3";
pub const DOWNLOAD: &str = "M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 13.5h11";
pub const NEW: &str = "M4 1.5h5l3 3v10H4zM8 7v5M5.5 9.5h5";
pub const KEYBOARD: &str = "M1.5 4h13v8h-13zM4 6.5h.01M6.5 6.5h.01M9 6.5h.01M11.5 6.5h.01M5 9.5h6";
pub const WARN: &str = "M8 2 1.5 14h13zM8 6.5v3.5M8 12h.01";
pub const ERROR: &str = "M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 1 0 0-13zM5.5 5.5l5 5M10.5 5.5l-5 5";
pub const CHEVRON: &str = "M4 6l4 4 4-4";
pub const PLAY: &str = "M4.5 2.5v11L13 8z";
pub const STOP: &str = "M3.5 3.5h9v9h-9z";
pub const RESTART: &str = "M2.5 8a5.5 5.5 0 1 0 1.6-3.9M2.5 2.5v3h3";
pub const SKIP: &str = "M2.5 3v10l6-5zM8.5 3v10l6-5z";
pub const SEND: &str = "M1.5 8 14.5 2 11 14 8 9.5zM8 9.5 14.5 2";
pub const CODE: &str = "M5 4 1.5 8 5 12M11 4l3.5 4-3.5 4";
pub const CHAT: &str = "M2 3h12v8H7l-3 3v-3H2z";
pub const LOG: &str = "M3 3.5h10M3 6.5h10M3 9.5h7M3 12.5h5";
pub const PHONE: &str = "M3 2h3l1.5 3.5L5.5 7a8 8 0 0 0 3.5 3.5l1.5-2L14 10v3a1.5 1.5 0 0 1-1.5 1.5A11.5 11.5 0 0 1 1.5 3.5 1.5 1.5 0 0 1 3 2z";
pub const HANG_UP: &str = "M1.5 9.5c3.5-3.5 9.5-3.5 13 0l-1.5 2-2.5-1v-2a8 8 0 0 0-5 0v2l-2.5 1z";
pub const SPEAK: &str = "M2 6h3l4-3v10l-4-3H2zM11.5 5.5a3.5 3.5 0 0 1 0 5M13 3.5a6.5 6.5 0 0 1 0 9";
pub const BREAKPOINT: &str = "M8 3.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 1 0 0-9z";
pub const STEP: &str = "M2 8h9M8 4.5 11.5 8 8 11.5M13.5 3v10";
pub const REWIND: &str = "M7.5 3v10l-6-5zM14.5 3v10l-6-5z";
