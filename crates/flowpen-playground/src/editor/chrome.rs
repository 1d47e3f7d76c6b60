//! The page around the flow: dialogs and menus, notices, focus requests, the panel on the right
//! and the theme, with the actions that change them. Nothing here edits the flow.

use std::rc::Rc;

use super::document::selection_of;
use super::geometry::Point;
use super::{Action, EditorState};
use crate::share::Shared;

/// Light or dark.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(s: &str) -> Option<Theme> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// A dialog or menu over the editor.
#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    /// Choose a widget type to add at `at` (world), connecting `link` to it when set.
    AddMenu {
        at: Point,
        link: Option<(usize, usize)>,
    },
    /// Choose where port `port` of widget `from` leads (the keyboard's way to connect).
    ConnectMenu { from: usize, port: usize },
    /// Find a widget by name.
    Search,
    /// Open a Studio JSON file or pasted text.
    Import,
    /// "New flow" discards the current one: confirm first.
    ConfirmNew,
    /// The keyboard shortcuts.
    Help,
    /// A link to the project (the flow with its Functions), to copy.
    Share,
    /// Another tab saved this browser's project: load that version, or keep this one (autosave
    /// waits for the answer).
    ChangedElsewhere,
    /// Removing subflow `usize` cannot be undone: confirm first.
    ConfirmRemoveSubflow(usize),
    /// A widget's menu (right-click, the context-menu key): run from here, breakpoint, inspect.
    /// `at`: where the pointer was (canvas pixels), or `None` beside the card.
    CardMenu { index: usize, at: Option<Point> },
    /// Start an execution at widget `usize` with chosen Flow Data.
    RunFromHere(usize),
    /// Edit the Flow Data of the execution paused at a breakpoint.
    EditFlowData,
    /// Name the selected execution's conversation and add it to the flow tests.
    SaveAsTest,
    /// A share link arrived while the project has changes no file holds: open it (the current
    /// project stays in Recent) or keep the current one.
    ConfirmShared(PendingLink),
}

/// A decoded link waiting for an answer. Compared by pointer: the reducer compares overlays after
/// every action, and a deep comparison of a whole project there would cost time and code size.
#[derive(Clone)]
pub struct PendingLink(pub Rc<Shared>);

impl PartialEq for PendingLink {
    fn eq(&self, other: &PendingLink) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for PendingLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PendingLink")
    }
}

/// What the panel on the right shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Panel {
    /// The selected widget (or the flow).
    #[default]
    Inspector,
    /// The chat, the REST trigger and the executions.
    Simulator,
    /// The project's Functions and environment variables.
    Functions,
    /// The project's flow tests.
    Tests,
}

impl Panel {
    pub fn as_str(self) -> &'static str {
        match self {
            Panel::Inspector => "inspector",
            Panel::Simulator => "simulator",
            Panel::Functions => "functions",
            Panel::Tests => "tests",
        }
    }
}

/// How bad a notice is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

/// A message for the user (an import error, "copied"…).
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub serial: u64,
    pub level: Level,
    pub text: String,
}

/// Where the keyboard focus should go (a shell moves it).
#[derive(Clone, Debug, PartialEq)]
pub enum FocusTarget {
    /// The inspector's name field.
    Inspector,
    /// A widget's card.
    Card(usize),
    /// A port of a card.
    Port(usize, usize),
    /// The canvas itself (out of any field).
    Canvas,
    /// The inspector field with this `data-testid`.
    Field(String),
    /// The simulator's message field.
    Chat,
}

/// A request to move the focus; the serial makes repeated requests distinct.
#[derive(Clone, Debug, PartialEq)]
pub struct FocusRequest {
    pub serial: u64,
    pub target: FocusTarget,
}

/// Dialogs, notices, focus, the right panel and the theme.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChromeState {
    pub overlay: Option<Overlay>,
    pub notice: Option<Notice>,
    pub focus: Option<FocusRequest>,
    pub theme: Theme,
    pub panel: Panel,
    /// A read-only view of a shared project (`#view=`): nothing edits it, autosave does not
    /// write it, *Fork* makes it an editable project.
    pub view_only: bool,
    /// Numbers notices and focus requests.
    pub(super) serial: u64,
}

impl ChromeState {
    fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }
}

/// Applies an action of the page around the flow.
pub(super) fn update(s: &mut EditorState, action: Action) {
    match action {
        Action::NewFlow => s.chrome.overlay = Some(Overlay::ConfirmNew),
        Action::Reveal(index) if index < s.doc.flow.states.len() => {
            s.set_selection(selection_of([index]));
            s.ensure_visible(index, true);
            s.request_focus(FocusTarget::Card(index));
            s.chrome.overlay = None;
        }
        Action::ShowOverlay(o) => s.chrome.overlay = Some(o),
        Action::CloseOverlay => s.chrome.overlay = None,
        Action::StartConnect { from, port }
            if s.doc.cards.get(from).is_some_and(|c| port < c.ports.len()) =>
        {
            s.set_selection(selection_of([from]));
            s.chrome.overlay = Some(Overlay::ConnectMenu { from, port });
        }
        Action::OpenInspector(card) => {
            if let Some(i) = card.filter(|&i| i < s.doc.flow.states.len()) {
                s.set_selection(selection_of([i]));
            }
            s.request_focus(FocusTarget::Inspector);
        }
        Action::FocusCanvas => s.request_focus(FocusTarget::Canvas),
        Action::FocusCard(i) if i < s.doc.flow.states.len() => {
            s.ensure_visible(i, false);
            s.request_focus(FocusTarget::Card(i));
        }
        Action::Notify { level, text } => s.notify(level, text),
        Action::DismissNotice => s.chrome.notice = None,
        Action::SetTheme(t) => s.chrome.theme = t,
        Action::ShowPanel(p) => s.chrome.panel = p,
        Action::Run => {
            s.chrome.panel = Panel::Simulator;
            s.request_focus(FocusTarget::Chat);
        }
        Action::Fork if s.chrome.view_only => {
            s.chrome.view_only = false;
            s.project.saved_at = None;
            s.chrome.panel = Panel::Inspector;
            s.notify(
                Level::Info,
                "Forked: this copy is yours to edit and autosaves; the project you had is in Recent."
                    .into(),
            );
        }
        _ => {}
    }
}

impl EditorState {
    /// Shows a notice (replacing the one shown).
    pub(super) fn notify(&mut self, level: Level, text: String) {
        let serial = self.chrome.next_serial();
        self.chrome.notice = Some(Notice {
            serial,
            level,
            text,
        });
    }

    /// Asks the shell to move the focus (showing the inspector for its fields).
    pub(super) fn request_focus(&mut self, target: FocusTarget) {
        if matches!(target, FocusTarget::Inspector | FocusTarget::Field(_)) {
            self.chrome.panel = Panel::Inspector;
        }
        let serial = self.chrome.next_serial();
        self.chrome.focus = Some(FocusRequest { serial, target });
    }
}
