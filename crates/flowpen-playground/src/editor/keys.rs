//! Keyboard shortcuts: a pure mapping from a key press (and where the focus is) to an [`Action`].
//! The shell's keyboard hook describes the key press as a [`KeyPress`] and dispatches the result.

use super::{Action, EditorState, Overlay};

/// Where the keyboard focus is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Focused {
    /// Nothing in particular (the page, the canvas, a toolbar button).
    #[default]
    Other,
    /// A text field: shortcuts that edit text stay with the field.
    TextField,
    /// A button or link: Space and Enter activate it.
    Control,
    /// A widget's card.
    Card(usize),
    /// A port of a card.
    Port(usize, usize),
}

/// A key press, as the keyboard hook reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyPress {
    /// `KeyboardEvent.key` (`"z"`, `"Delete"`, `"ArrowLeft"`, …).
    pub key: String,
    /// Ctrl, or Cmd on a Mac.
    pub command: bool,
    pub shift: bool,
    pub alt: bool,
    pub repeat: bool,
    pub focused: Focused,
}

/// What a debugger key asks of a paused execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DebugKey {
    Continue,
    Step,
}

/// The debugger's keys, as in browsers' developer tools: F8 continues, F10 steps (Shift+F10 is
/// the context menu). They apply wherever the focus is (a function key types nothing); the shell
/// acts on them only while an execution is paused.
pub fn debug_key(k: &KeyPress) -> Option<DebugKey> {
    if k.command || k.alt || k.shift {
        return None;
    }
    match k.key.as_str() {
        "F8" => Some(DebugKey::Continue),
        "F10" => Some(DebugKey::Step),
        _ => None,
    }
}

/// Grid steps moved by an arrow key (Shift: five).
const ARROW_STEP: f64 = 20.0;

/// The action for a key press, if it is a shortcut. The hook prevents the browser's default when
/// an action is returned.
pub fn key_action(state: &EditorState, k: &KeyPress) -> Option<Action> {
    let in_field = k.focused == Focused::TextField;
    let key = k.key.as_str();
    if state.chrome.overlay.is_some() {
        return (key == "Escape").then_some(Action::CloseOverlay);
    }
    if key == "Escape" {
        if state.canvas.drag.is_some()
            || state.canvas.link.is_some()
            || state.canvas.marquee.is_some()
        {
            return Some(Action::CancelGesture);
        }
        if in_field {
            return Some(
                state
                    .single_selection()
                    .map_or(Action::FocusCanvas, Action::FocusCard),
            );
        }
        return Some(Action::ClearSelection);
    }
    if in_field {
        return None;
    }
    if k.command && !k.alt {
        return match key.to_ascii_lowercase().as_str() {
            "z" if k.shift => Some(Action::Redo),
            "z" => Some(Action::Undo),
            "y" => Some(Action::Redo),
            "a" => Some(Action::SelectAll),
            "d" => Some(Action::Duplicate),
            "k" => Some(Action::ShowOverlay(Overlay::Search)),
            "o" => Some(Action::ShowOverlay(Overlay::Import)),
            _ => None,
        };
    }
    if k.command || k.alt {
        return None;
    }
    let step = if k.shift {
        ARROW_STEP * 5.0
    } else {
        ARROW_STEP
    };
    let focused_card = match k.focused {
        Focused::Card(i) | Focused::Port(i, _) => Some(i),
        _ => None,
    };
    let arrow = |dx: f64, dy: f64| {
        (focused_card.is_some() || !state.doc.selection.is_empty()).then_some(
            Action::MoveSelection {
                focused: focused_card,
                dx,
                dy,
            },
        )
    };
    match key {
        // A focused button or checkbox is not a widget: Backspace there must not delete the
        // selection behind it.
        "Delete" | "Backspace" if !matches!(k.focused, Focused::Control) => Some(Action::Delete),
        "ArrowLeft" => arrow(-step, 0.0),
        "ArrowRight" => arrow(step, 0.0),
        "ArrowUp" => arrow(0.0, -step),
        "ArrowDown" => arrow(0.0, step),
        "Enter" => match k.focused {
            Focused::Card(i) => Some(Action::OpenInspector(Some(i))),
            Focused::Other => Some(Action::OpenInspector(None)),
            Focused::Port(i, p) => Some(Action::StartConnect { from: i, port: p }),
            _ => None,
        },
        "c" | "C" => match k.focused {
            Focused::Card(i) => Some(Action::StartConnect {
                from: i,
                port: first_open_port(state, i),
            }),
            Focused::Port(i, p) => Some(Action::StartConnect { from: i, port: p }),
            _ => state.single_selection().map(|i| Action::StartConnect {
                from: i,
                port: first_open_port(state, i),
            }),
        },
        "b" | "B" => focused_card
            .or_else(|| state.single_selection())
            .map(Action::ToggleBreakpoint),
        "r" | "R" => focused_card
            .or_else(|| state.single_selection())
            .map(|i| Action::ShowOverlay(Overlay::RunFromHere(i))),
        "ContextMenu" => focused_card
            .or_else(|| state.single_selection())
            .map(|i| Action::ShowOverlay(Overlay::CardMenu { index: i, at: None })),
        "F10" if k.shift => focused_card
            .or_else(|| state.single_selection())
            .map(|i| Action::ShowOverlay(Overlay::CardMenu { index: i, at: None })),
        "+" | "=" => Some(Action::ZoomBy(1.25)),
        "-" | "_" => Some(Action::ZoomBy(0.8)),
        "0" => Some(Action::FitView),
        "?" => Some(Action::ShowOverlay(Overlay::Help)),
        " " if !k.repeat && matches!(k.focused, Focused::Other | Focused::Card(_)) => {
            Some(Action::SetSpace(true))
        }
        _ => None,
    }
}

/// The first port of widget `i` that leads nowhere (the first port when all are connected).
fn first_open_port(state: &EditorState, i: usize) -> usize {
    state
        .doc
        .cards
        .get(i)
        .and_then(|c| c.ports.iter().position(|p| p.target.is_none()))
        .unwrap_or(0)
}
