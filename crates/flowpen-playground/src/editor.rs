//! The editor's state and its one reducer.
//!
//! [`EditorState`] holds the flow (`Rc<Flow>`), the selection, the viewport, the diagnostics, the
//! derived card view models, transient gestures (a drag, a rubber band, a connection being drawn)
//! and the undo history. [`EditorState::update`] applies an [`Action`]; `impl Reducible` is a thin
//! adapter around it.
//!
//! **Invariant:** this module is pure. It never touches the browser (no `web-sys`, `js-sys` or
//! `gloo`): storage, the clipboard, files, timers and focus are carried out by hooks that read the
//! state. Every flow change goes through `flowpen_flow::edit::apply`, whose inverse is the undo step.
//!
//! **Invariant:** a drag never edits the flow until it ends: pointer moves only change
//! [`Drag`]'s offset, and the end commits one batch of moves (one undo step).

pub mod cards;
pub mod clipboard;
pub mod examples;
pub mod geometry;
pub mod history;
pub mod keys;
pub mod liquid;
pub mod persist;

use std::collections::BTreeSet;
use std::rc::Rc;

use flowpen_flow::edit::{self, Edit, EditError};
use flowpen_flow::json::{Json, Object};
use flowpen_flow::{Condition, Diagnostic, Flow, Offset, WidgetType};
use yew::Reducible;

use cards::{CardModel, Edge};
use geometry::{snap, Point, Rect, Viewport};
use history::{Change, Entry, History};
use persist::SavedView;

use crate::functions::FunctionsProject;
use crate::project::{self, Document, EnvField};
use crate::share;

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

/// Widgets being dragged, and how far (world units, already snapped).
#[derive(Clone, Debug, PartialEq)]
pub struct Drag {
    pub ids: Rc<BTreeSet<usize>>,
    /// The widget under the pointer; snapping aligns it to the grid.
    pub primary: usize,
    pub dx: f64,
    pub dy: f64,
}

/// A rubber-band selection in progress (world coordinates).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Marquee {
    pub from: Point,
    pub to: Point,
    /// Shift was held: add to the selection instead of replacing it.
    pub additive: bool,
}

impl Marquee {
    pub fn rect(&self) -> Rect {
        Rect::from_corners(self.from, self.to)
    }
}

/// A transition being drawn from a port (world coordinates of the pointer).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    pub from: usize,
    pub port: usize,
    pub to: Point,
    /// The card under the pointer (where a drop connects).
    pub over: Option<usize>,
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
}

impl Panel {
    pub fn as_str(self) -> &'static str {
        match self {
            Panel::Inspector => "inspector",
            Panel::Simulator => "simulator",
            Panel::Functions => "functions",
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

/// Where the keyboard focus should go (a hook moves it).
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

/// How a click changes the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectMode {
    /// Select only this widget.
    Only,
    /// Shift-click: add or remove this widget.
    Toggle,
    /// Keep the selection when the widget is already in it, else select only it.
    Keep,
}

/// A field of a `{key, value}` list item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KvField {
    Key,
    Value,
}

/// A field of a split condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CondField {
    Kind,
    Value,
    FriendlyName,
}

/// Everything the editor can do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Opens Flow JSON or a project file (a file or pasted text). A document that is neither
    /// shows the error and keeps the current flow. A plain flow keeps the project's Functions; a
    /// project file replaces them.
    Open {
        text: String,
        source: String,
    },
    /// Opens a share link's fragment (`#share=1.…`, see [`crate::share`]) as Open… opens a
    /// project file: one undo step. A broken link shows why and keeps the current flow.
    OpenShared(String),
    /// Opens a bundled example (by file name) with its Functions.
    OpenExample(String),
    /// Asks before discarding the flow.
    NewFlow,
    /// Replaces the flow with an empty one (undoable).
    ConfirmNewFlow,
    /// Adds a widget with its top centre at `at` (world; `None`: the view's centre), connecting
    /// port `link.1` of widget `link.0` to it.
    AddWidget {
        kind: WidgetType,
        at: Option<Point>,
        link: Option<(usize, usize)>,
    },
    Rename {
        index: usize,
        name: String,
    },
    SetProperty {
        index: usize,
        key: String,
        value: Option<Json>,
    },
    SetKeyValue {
        index: usize,
        key: String,
        item: usize,
        field: KvField,
        text: String,
    },
    AddKeyValue {
        index: usize,
        key: String,
    },
    RemoveKeyValue {
        index: usize,
        key: String,
        item: usize,
    },
    MoveKeyValue {
        index: usize,
        key: String,
        from: usize,
        to: usize,
    },
    /// Sets a split's variable to test (and every condition's argument, as Studio does).
    SetSplitInput {
        index: usize,
        text: String,
    },
    AddCondition {
        index: usize,
    },
    SetCondition {
        index: usize,
        nth: usize,
        field: CondField,
        text: String,
    },
    RemoveCondition {
        index: usize,
        nth: usize,
    },
    MoveCondition {
        index: usize,
        from: usize,
        to: usize,
    },
    /// Replaces a widget with edited raw JSON.
    ReplaceWidget {
        index: usize,
        text: String,
    },
    SetDescription(String),
    /// Connects port `port` of widget `from` to widget `target` (`None`: the flow ends there).
    Connect {
        from: usize,
        port: usize,
        target: Option<usize>,
    },
    /// Deletes the selected transition, or else the selected widgets.
    Delete,
    /// Pastes widgets from clipboard text.
    Paste {
        text: String,
    },
    /// Removes the selected widgets after they were copied.
    Cut,
    Duplicate,
    Undo,
    Redo,
    /// Ends a run of coalesced edits (the user left a field).
    SealHistory,
    Select {
        index: usize,
        mode: SelectMode,
    },
    SelectAll,
    ClearSelection,
    SelectEdge {
        from: usize,
        port: usize,
    },
    /// Selects a widget, brings it into view and focuses its card (search, problems list).
    Reveal(usize),
    BeginDrag {
        index: usize,
    },
    /// The pointer moved by this much (world units) since the drag began.
    DragTo {
        dx: f64,
        dy: f64,
    },
    EndDrag,
    /// Abandons any gesture (drag, rubber band, link).
    CancelGesture,
    /// Moves the selection (arrow keys); a focused card that is not selected becomes the selection.
    MoveSelection {
        focused: Option<usize>,
        dx: f64,
        dy: f64,
    },
    BeginMarquee {
        at: Point,
        additive: bool,
    },
    MarqueeTo(Point),
    EndMarquee,
    BeginLink {
        from: usize,
        port: usize,
        at: Point,
    },
    LinkTo(Point),
    EndLink(Point),
    Pan {
        dx: f64,
        dy: f64,
    },
    ZoomAt {
        factor: f64,
        at: Point,
    },
    /// Zooms around the canvas centre.
    ZoomBy(f64),
    SetZoom(f64),
    FitView,
    SetViewport(Viewport),
    SetCanvasSize(Point),
    ShowOverlay(Overlay),
    CloseOverlay,
    /// Opens the connect menu for a port (keyboard).
    StartConnect {
        from: usize,
        port: usize,
    },
    /// Moves the focus into the inspector (selecting the focused card, if any).
    OpenInspector(Option<usize>),
    /// Moves the focus to the canvas (out of a text field).
    FocusCanvas,
    /// Moves the focus to a widget's card.
    FocusCard(usize),
    /// Pans so that a widget is on screen (its card got the keyboard focus).
    EnsureVisible(usize),
    Notify {
        level: Level,
        text: String,
    },
    DismissNotice,
    ToggleSnap,
    SetTheme(Theme),
    /// The space bar is held (drag pans).
    SetSpace(bool),
    /// Shows a panel on the right.
    ShowPanel(Panel),
    /// Shows the simulator and puts the cursor in its message field.
    Run,
    /// Adds a Function (a free path, template code) and selects it.
    AddFunction,
    /// Shows Function `index` in the Functions panel.
    SelectFunction(usize),
    RenameFunction {
        index: usize,
        path: String,
    },
    SetFunctionCode {
        index: usize,
        code: String,
    },
    DeleteFunction(usize),
    AddEnv,
    SetEnv {
        item: usize,
        field: EnvField,
        text: String,
    },
    RemoveEnv(usize),
}

/// The editor.
#[derive(Clone, Debug, PartialEq)]
pub struct EditorState {
    pub flow: Rc<Flow>,
    /// Increments whenever the flow changes (autosave watches it).
    pub flow_rev: u64,
    /// One view model per widget, index-aligned with `flow.states`.
    pub cards: Rc<Vec<Rc<CardModel>>>,
    pub edges: Rc<Vec<Edge>>,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub selection: Rc<BTreeSet<usize>>,
    /// A selected transition: widget index and port index.
    pub selected_edge: Option<(usize, usize)>,
    pub viewport: Viewport,
    pub canvas_size: Point,
    /// Fit the view once the canvas size is known.
    fit_pending: bool,
    pub drag: Option<Rc<Drag>>,
    pub marquee: Option<Marquee>,
    pub link: Option<Link>,
    pub overlay: Option<Overlay>,
    pub notice: Option<Notice>,
    pub focus: Option<FocusRequest>,
    pub history: Rc<History>,
    pub snap: bool,
    pub theme: Theme,
    pub space: bool,
    /// The project's Functions and environment variables (saved and exported with the flow).
    pub functions: Rc<FunctionsProject>,
    /// Increments whenever the Functions change (autosave watches it).
    pub functions_rev: u64,
    /// The Function the Functions panel shows.
    pub selected_function: Option<usize>,
    pub panel: Panel,
    serial: u64,
}

/// What [`EditorState::restore`] found in storage.
#[derive(Debug)]
pub struct Restored {
    pub state: EditorState,
    /// Saved text that could not be read; the shell keeps it under another key.
    pub unreadable: Option<String>,
    /// Saved Functions that could not be read; the shell keeps them under another key.
    pub unreadable_functions: Option<String>,
}

impl Default for EditorState {
    fn default() -> EditorState {
        let flow = Flow::parse(examples::FIRST.json).unwrap_or_default();
        let mut s = EditorState::new(flow);
        s.functions = Rc::new(examples::FIRST.project());
        s.selected_function = (!s.functions.functions.is_empty()).then_some(0);
        s
    }
}

impl EditorState {
    /// An editor showing `flow`, nothing selected, the view fitted once the canvas size is known.
    pub fn new(flow: Flow) -> EditorState {
        let mut s = EditorState {
            flow: Rc::new(flow),
            flow_rev: 0,
            cards: Rc::default(),
            edges: Rc::default(),
            diagnostics: Rc::default(),
            selection: Rc::default(),
            selected_edge: None,
            viewport: Viewport::default(),
            canvas_size: Point::default(),
            fit_pending: true,
            drag: None,
            marquee: None,
            link: None,
            overlay: None,
            notice: None,
            focus: None,
            history: Rc::default(),
            snap: true,
            theme: Theme::Light,
            space: false,
            functions: Rc::default(),
            functions_rev: 0,
            selected_function: None,
            panel: Panel::Inspector,
            serial: 0,
        };
        s.refresh(true);
        s
    }

    /// The editor as autosave left it, from an autosave made before the project had Functions:
    /// see [`EditorState::restore_project`] with no saved Functions.
    pub fn restore(flow_text: Option<&str>, view_text: Option<&str>) -> Restored {
        EditorState::restore_project(flow_text, view_text, None)
    }

    /// The editor as autosave left it: `flow_text` (Studio JSON), `view_text` (see [`persist`])
    /// and `functions_text` (see [`project::saved_text`]). Without a saved flow it opens the first
    /// example (with its Functions); with an unreadable one it opens the example too, says so, and
    /// hands the text back so the shell can keep it. Without saved Functions (an autosave from
    /// before Functions existed) the project gets the bundled examples' Functions that the flow
    /// calls; unreadable saved Functions are handed back the same way.
    pub fn restore_project(
        flow_text: Option<&str>,
        view_text: Option<&str>,
        functions_text: Option<&str>,
    ) -> Restored {
        let view = view_text.map(persist::parse_view).unwrap_or_default();
        let (mut state, unreadable) = match flow_text.map(Flow::parse) {
            Some(Ok(flow)) => (EditorState::new(flow), None),
            Some(Err(e)) => {
                let mut s = EditorState::default();
                s.notify(
                    Level::Error,
                    format!(
                        "The saved flow could not be read ({e}); the example was opened instead and the saved text was kept under \"{}\".",
                        persist::UNREADABLE_KEY
                    ),
                );
                (s, flow_text.map(str::to_owned))
            }
            None => (EditorState::default(), None),
        };
        if unreadable.is_none() {
            let names = state.flow.name_index();
            let selection: BTreeSet<usize> = view
                .selection
                .iter()
                .filter_map(|n| names.get(n.as_str()).copied())
                .collect();
            state.selection = Rc::new(selection);
            if let Some(vp) = view.viewport {
                state.viewport = vp;
                state.fit_pending = false;
            }
        }
        if let Some(snap) = view.snap {
            state.snap = snap;
        }
        if let Some(theme) = view.theme {
            state.theme = theme;
        }
        let mut unreadable_functions = None;
        if flow_text.is_some() && unreadable.is_none() {
            match functions_text.map(project::parse_saved) {
                Some(Ok(p)) => state.functions = Rc::new(p),
                Some(Err(e)) => {
                    state.functions = Rc::default();
                    unreadable_functions = functions_text.map(str::to_owned);
                    state.notify(
                        Level::Error,
                        format!(
                            "The saved Functions could not be read ({e}); the text was kept under \"{}\".",
                            persist::UNREADABLE_FUNCTIONS_KEY
                        ),
                    );
                }
                None => state.functions = Rc::new(examples::functions_called_by(&state.flow)),
            }
            state.selected_function = (!state.functions.functions.is_empty()).then_some(0);
        }
        Restored {
            state,
            unreadable,
            unreadable_functions,
        }
    }

    /// The project file: the flow with its Functions and environment variables.
    pub fn project_text(&self) -> String {
        project::project_text(&self.flow, &self.functions)
    }

    /// A file name for the project file.
    pub fn project_file_name(&self) -> String {
        project::project_file_name(&self.flow)
    }

    /// What autosave keeps besides the flow.
    pub fn saved_view(&self) -> SavedView {
        SavedView {
            selection: self
                .selection
                .iter()
                .filter_map(|&i| self.flow.states.get(i))
                .map(|s| s.name.clone())
                .collect(),
            viewport: Some(self.viewport),
            snap: Some(self.snap),
            theme: Some(self.theme),
        }
    }

    /// The flow as Studio exports it.
    pub fn export_text(&self) -> String {
        self.flow.to_pretty_string()
    }

    /// A file name for the export, from the flow's description.
    pub fn export_file_name(&self) -> String {
        export_file_name(&self.flow)
    }

    /// The clipboard text for the selection (`None` when nothing copyable is selected).
    pub fn copy_text(&self) -> Option<String> {
        clipboard::copy_text(&self.flow, self.selection.iter().copied())
    }

    /// The only selected widget.
    pub fn single_selection(&self) -> Option<usize> {
        (self.selection.len() == 1)
            .then(|| self.selection.iter().next().copied())
            .flatten()
    }

    /// Diagnostics of widget `index`.
    pub fn diagnostics_of(&self, index: usize) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(move |d| d.state == Some(index))
    }

    /// The world point at the centre of the canvas.
    pub fn view_centre(&self) -> Point {
        let size = if self.canvas_size.x > 0.0 {
            self.canvas_size
        } else {
            Point::new(800.0, 600.0)
        };
        self.viewport
            .to_world(Point::new(size.x / 2.0, size.y / 2.0))
    }

    /// Applies an action.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Open { text, source } => self.open(&text, &source),
            Action::OpenShared(fragment) => self.open_shared(&fragment),
            Action::OpenExample(file) => self.open_example(&file),
            Action::NewFlow => self.overlay = Some(Overlay::ConfirmNew),
            Action::ConfirmNewFlow => {
                self.overlay = None;
                self.replace_flow(new_flow());
                self.notify(
                    Level::Info,
                    "New flow: drag widgets from the palette to begin.".into(),
                );
            }
            Action::AddWidget { kind, at, link } => self.add_widget(kind, at, link),
            Action::Rename { index, name } => {
                let name = name.trim().to_owned();
                let r = edit::rename(&self.flow, index, &name);
                self.commit_result(r, None, true);
            }
            Action::SetProperty { index, key, value } => {
                let r = edit::set_property(&self.flow, index, &key, value);
                self.commit_result(r, Some(format!("{index}/{key}")), true);
            }
            Action::SetKeyValue {
                index,
                key,
                item,
                field,
                text,
            } => self.set_key_value(index, &key, item, field, text),
            Action::AddKeyValue { index, key } => {
                let n = self.list_len(index, &key);
                let r = edit::list_insert(&self.flow, index, &key, n, edit::key_value("", ""));
                if self.commit_result(r, None, true) {
                    self.request_focus(FocusTarget::Field(format!("kv-{key}-{n}-key")));
                }
            }
            Action::RemoveKeyValue { index, key, item } => {
                let r = edit::list_remove(&self.flow, index, &key, item);
                self.commit_result(r, None, true);
            }
            Action::MoveKeyValue {
                index,
                key,
                from,
                to,
            } => {
                let r = edit::list_move(&self.flow, index, &key, from, to);
                self.commit_result(r, None, true);
            }
            Action::SetSplitInput { index, text } => self.set_split_input(index, text),
            Action::AddCondition { index } => {
                let input = self
                    .flow
                    .states
                    .get(index)
                    .and_then(|s| s.prop_str("input"))
                    .unwrap_or_default()
                    .to_owned();
                let cond = Condition {
                    friendly_name: auto_friendly_name("equal_to", ""),
                    arguments: vec![input],
                    kind: "equal_to".into(),
                    value: String::new(),
                };
                let r = edit::add_condition(&self.flow, index, &cond, None);
                self.commit_result(r, None, true);
            }
            Action::SetCondition {
                index,
                nth,
                field,
                text,
            } => self.set_condition(index, nth, field, text),
            Action::RemoveCondition { index, nth } => {
                let r = edit::remove_condition(&self.flow, index, nth);
                self.commit_result(r, None, true);
            }
            Action::MoveCondition { index, from, to } => {
                let r = edit::move_condition(&self.flow, index, from, to);
                self.commit_result(r, None, true);
            }
            Action::ReplaceWidget { index, text } => self.replace_widget(index, &text),
            Action::SetDescription(text) => {
                self.commit(
                    edit::set_description(&text),
                    Some("description".into()),
                    false,
                );
            }
            Action::Connect { from, port, target } => self.connect(from, port, target),
            Action::Delete => self.delete(),
            Action::Cut => self.delete_widgets(),
            Action::Paste { text } => self.paste(&text),
            Action::Duplicate => {
                let indices: Vec<usize> = self.selection.iter().copied().collect();
                let states: Vec<_> = indices
                    .iter()
                    .filter_map(|&i| self.flow.states.get(i))
                    .filter(|s| s.kind != WidgetType::Trigger)
                    .cloned()
                    .collect();
                if states.is_empty() {
                    self.notify(
                        Level::Info,
                        "Select widgets to duplicate (the Trigger cannot be duplicated).".into(),
                    );
                } else {
                    self.insert_copies(&states, Offset { x: 40.0, y: 40.0 });
                }
            }
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::SealHistory => Rc::make_mut(&mut self.history).seal(),
            Action::Select { index, mode } => self.select(index, mode),
            Action::SelectAll => {
                self.set_selection((0..self.flow.states.len()).collect());
            }
            Action::ClearSelection => self.set_selection(BTreeSet::new()),
            Action::SelectEdge { from, port } => {
                self.set_selection(BTreeSet::new());
                self.selected_edge = Some((from, port));
            }
            Action::Reveal(index) => {
                if index < self.flow.states.len() {
                    self.set_selection(BTreeSet::from([index]));
                    self.ensure_visible(index, true);
                    self.request_focus(FocusTarget::Card(index));
                    self.overlay = None;
                }
            }
            Action::BeginDrag { index } => {
                if index < self.cards.len() {
                    let ids = if self.selection.contains(&index) {
                        Rc::clone(&self.selection)
                    } else {
                        Rc::new(BTreeSet::from([index]))
                    };
                    self.drag = Some(Rc::new(Drag {
                        ids,
                        primary: index,
                        dx: 0.0,
                        dy: 0.0,
                    }));
                }
            }
            Action::DragTo { dx, dy } => self.drag_to(dx, dy),
            Action::EndDrag => self.end_drag(),
            Action::CancelGesture => {
                self.drag = None;
                self.marquee = None;
                self.link = None;
            }
            Action::MoveSelection { focused, dx, dy } => {
                if let Some(i) = focused.filter(|i| !self.selection.contains(i)) {
                    if i < self.flow.states.len() {
                        self.set_selection(BTreeSet::from([i]));
                    }
                }
                let ids: Vec<usize> = self.selection.iter().copied().collect();
                self.move_widgets(&ids, dx, dy);
                if let Some(&i) = ids.first() {
                    self.ensure_visible(i, false);
                }
            }
            Action::BeginMarquee { at, additive } => {
                self.marquee = Some(Marquee {
                    from: at,
                    to: at,
                    additive,
                });
            }
            Action::MarqueeTo(p) => {
                if let Some(m) = &mut self.marquee {
                    m.to = p;
                }
            }
            Action::EndMarquee => {
                if let Some(m) = self.marquee.take() {
                    let hit = cards::cards_in(&self.cards, &m.rect());
                    let mut sel = if m.additive {
                        (*self.selection).clone()
                    } else {
                        BTreeSet::new()
                    };
                    sel.extend(hit);
                    self.set_selection(sel);
                }
            }
            Action::BeginLink { from, port, at } => {
                if self.cards.get(from).is_some_and(|c| port < c.ports.len()) {
                    self.link = Some(Link {
                        from,
                        port,
                        to: at,
                        over: None,
                    });
                }
            }
            Action::LinkTo(p) => {
                let over = cards::card_at(&self.cards, p);
                if let Some(l) = &mut self.link {
                    l.to = p;
                    l.over = over;
                }
            }
            Action::EndLink(p) => {
                if let Some(l) = self.link.take() {
                    match cards::card_at(&self.cards, p) {
                        Some(target) => self.connect(l.from, l.port, Some(target)),
                        None => {
                            self.overlay = Some(Overlay::AddMenu {
                                at: p,
                                link: Some((l.from, l.port)),
                            });
                        }
                    }
                }
            }
            Action::Pan { dx, dy } => self.viewport = self.viewport.panned(dx, dy),
            Action::ZoomAt { factor, at } => self.viewport = self.viewport.zoomed_at(factor, at),
            Action::ZoomBy(factor) => {
                let c = self.screen_centre();
                self.viewport = self.viewport.zoomed_at(factor, c);
            }
            Action::SetZoom(zoom) => {
                let c = self.screen_centre();
                let factor = zoom / self.viewport.zoom;
                self.viewport = self.viewport.zoomed_at(factor, c);
            }
            Action::FitView => self.fit(),
            Action::SetViewport(v) => {
                if v.is_sane() {
                    self.viewport = v;
                }
            }
            Action::SetCanvasSize(size) => {
                self.canvas_size = size;
                if self.fit_pending && size.x > 0.0 && size.y > 0.0 {
                    self.fit();
                }
            }
            Action::ShowOverlay(o) => self.overlay = Some(o),
            Action::CloseOverlay => self.overlay = None,
            Action::StartConnect { from, port } => {
                if self.cards.get(from).is_some_and(|c| port < c.ports.len()) {
                    self.set_selection(BTreeSet::from([from]));
                    self.overlay = Some(Overlay::ConnectMenu { from, port });
                }
            }
            Action::OpenInspector(card) => {
                if let Some(i) = card.filter(|&i| i < self.flow.states.len()) {
                    self.set_selection(BTreeSet::from([i]));
                }
                self.request_focus(FocusTarget::Inspector);
            }
            Action::FocusCanvas => self.request_focus(FocusTarget::Canvas),
            Action::FocusCard(i) => {
                if i < self.flow.states.len() {
                    self.ensure_visible(i, false);
                    self.request_focus(FocusTarget::Card(i));
                }
            }
            Action::EnsureVisible(i) => self.ensure_visible(i, false),
            Action::Notify { level, text } => self.notify(level, text),
            Action::DismissNotice => self.notice = None,
            Action::ToggleSnap => self.snap = !self.snap,
            Action::SetTheme(t) => self.theme = t,
            Action::SetSpace(on) => self.space = on,
            Action::ShowPanel(p) => self.panel = p,
            Action::Run => {
                self.panel = Panel::Simulator;
                self.request_focus(FocusTarget::Chat);
            }
            Action::AddFunction => {
                let i = project::add_function(Rc::make_mut(&mut self.functions));
                self.selected_function = Some(i);
                self.panel = Panel::Functions;
                self.functions_changed();
            }
            Action::SelectFunction(i) => {
                if i < self.functions.functions.len() {
                    self.selected_function = Some(i);
                }
            }
            Action::RenameFunction { index, path } => {
                match project::rename(Rc::make_mut(&mut self.functions), index, &path) {
                    Ok(()) => self.functions_changed(),
                    Err(e) => self.notify(Level::Error, e),
                }
            }
            Action::SetFunctionCode { index, code } => {
                if project::set_code(Rc::make_mut(&mut self.functions), index, &code) {
                    self.functions_changed();
                }
            }
            Action::DeleteFunction(i) => {
                if let Some(f) = project::remove(Rc::make_mut(&mut self.functions), i) {
                    let n = self.functions.functions.len();
                    self.selected_function = (n > 0).then(|| i.min(n - 1));
                    self.functions_changed();
                    self.notify(Level::Info, format!("Deleted the Function {}.", f.path));
                }
            }
            Action::AddEnv => {
                Rc::make_mut(&mut self.functions)
                    .env
                    .push((String::new(), String::new()));
                self.functions_changed();
            }
            Action::SetEnv { item, field, text } => {
                if project::set_env(Rc::make_mut(&mut self.functions), item, field, &text) {
                    self.functions_changed();
                }
            }
            Action::RemoveEnv(item) => {
                if item < self.functions.env.len() {
                    Rc::make_mut(&mut self.functions).env.remove(item);
                    self.functions_changed();
                }
            }
        }
    }

    fn functions_changed(&mut self) {
        self.functions_rev += 1;
    }

    fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    fn notify(&mut self, level: Level, text: String) {
        let serial = self.next_serial();
        self.notice = Some(Notice {
            serial,
            level,
            text,
        });
    }

    fn request_focus(&mut self, target: FocusTarget) {
        if matches!(target, FocusTarget::Inspector | FocusTarget::Field(_)) {
            self.panel = Panel::Inspector;
        }
        let serial = self.next_serial();
        self.focus = Some(FocusRequest { serial, target });
    }

    fn screen_centre(&self) -> Point {
        Point::new(self.canvas_size.x / 2.0, self.canvas_size.y / 2.0)
    }

    /// Recomputes what derives from the flow. Validation runs only when `revalidate` (moves
    /// cannot change diagnostics).
    fn refresh(&mut self, revalidate: bool) {
        if revalidate {
            self.diagnostics = Rc::new(liquid::validate(&self.flow));
        }
        self.cards = Rc::new(cards::derive_cards(
            &self.flow,
            &self.diagnostics,
            &self.cards,
        ));
        self.edges = Rc::new(cards::edges(&self.cards));
        self.flow_rev += 1;
        let n = self.flow.states.len();
        if self.selection.iter().any(|&i| i >= n) {
            self.selection = Rc::new(self.selection.iter().copied().filter(|&i| i < n).collect());
        }
        if self
            .selected_edge
            .is_some_and(|(i, p)| self.cards.get(i).is_none_or(|c| p >= c.ports.len()))
        {
            self.selected_edge = None;
        }
    }

    fn set_selection(&mut self, sel: BTreeSet<usize>) {
        self.selected_edge = None;
        if *self.selection != sel {
            self.selection = Rc::new(sel);
            Rc::make_mut(&mut self.history).seal();
        }
    }

    /// Applies `edit` as one undo step. Returns whether it applied.
    fn commit(&mut self, edit: Edit, coalesce: Option<String>, revalidate: bool) -> bool {
        let before = Rc::clone(&self.selection);
        match edit::apply(Rc::make_mut(&mut self.flow), edit) {
            Ok(inverse) => {
                Rc::make_mut(&mut self.history).push(Entry {
                    change: Change::Edit(inverse),
                    selection: before,
                    coalesce,
                    revalidate,
                });
                self.refresh(revalidate);
                true
            }
            Err(e) => {
                self.notify(Level::Error, capitalize(&e.to_string()));
                false
            }
        }
    }

    fn commit_result(
        &mut self,
        edit: Result<Edit, EditError>,
        coalesce: Option<String>,
        revalidate: bool,
    ) -> bool {
        match edit {
            Ok(e) => self.commit(e, coalesce, revalidate),
            Err(e) => {
                self.notify(Level::Error, capitalize(&e.to_string()));
                false
            }
        }
    }

    /// Replaces the whole flow (import, example, new) as one undo step.
    fn replace_flow(&mut self, flow: Flow) {
        self.replace(flow, None);
    }

    /// Replaces the whole flow, and the Functions when given, as one undo step.
    fn replace(&mut self, flow: Flow, functions: Option<FunctionsProject>) {
        let old = std::mem::replace(&mut self.flow, Rc::new(flow));
        let change = match functions {
            Some(f) => {
                let old_functions = std::mem::replace(&mut self.functions, Rc::new(f));
                self.selected_function = (!self.functions.functions.is_empty()).then_some(0);
                self.functions_changed();
                Change::Project(old, old_functions)
            }
            None => Change::Flow(old),
        };
        Rc::make_mut(&mut self.history).push(Entry {
            change,
            selection: Rc::clone(&self.selection),
            coalesce: None,
            revalidate: true,
        });
        self.selection = Rc::default();
        self.selected_edge = None;
        self.drag = None;
        self.link = None;
        self.marquee = None;
        self.cards = Rc::default();
        self.refresh(true);
        self.fit_pending = true;
        if self.canvas_size.x > 0.0 {
            self.fit();
        }
    }

    fn open_example(&mut self, file: &str) {
        let Some(ex) = examples::example(file) else {
            return;
        };
        match Flow::parse(ex.json) {
            Ok(flow) => {
                self.overlay = None;
                self.replace(flow, Some(ex.project()));
                let paths: Vec<&str> = ex.functions.iter().map(|(p, _)| *p).collect();
                self.notify(
                    Level::Info,
                    format!(
                        "Opened the example \"{}\" with its Function{} {}. Run it in the Simulator.",
                        ex.title,
                        if paths.len() == 1 { "" } else { "s" },
                        paths.join(", ")
                    ),
                );
            }
            Err(e) => self.notify(Level::Error, format!("The example is broken: {e}")),
        }
    }

    fn open(&mut self, text: &str, source: &str) {
        match project::parse_document(text) {
            Ok(doc) => {
                let n = match &doc {
                    Document::Flow(flow) | Document::Project(flow, _) => flow.states.len(),
                };
                let with_functions = self.open_document(doc);
                let mut msg = format!(
                    "Opened {source}: {n} widget{}",
                    if n == 1 { "" } else { "s" }
                );
                if let Some(k) = with_functions {
                    msg.push_str(&format!(
                        " and {k} Function{}",
                        if k == 1 { "" } else { "s" }
                    ));
                }
                msg.push_str(&self.problems_note());
                msg.push('.');
                msg.push_str(&self.missing_note());
                self.notify(Level::Info, msg);
            }
            Err(e) => self.notify(
                Level::Error,
                format!(
                    "Could not open {source}: line {}, column {}: {} (at {}). The current flow was kept.",
                    e.line, e.column, e.message, e.path
                ),
            ),
        }
    }

    fn open_shared(&mut self, fragment: &str) {
        match share::decode(fragment) {
            Ok(doc) => {
                self.open_document(doc);
                let mut msg = "Opened a shared flow — Undo brings yours back".to_owned();
                msg.push_str(&self.problems_note());
                msg.push('.');
                msg.push_str(&self.missing_note());
                self.notify(Level::Info, msg);
            }
            Err(e) => self.notify(
                Level::Error,
                format!("Could not open the shared link: {e}. Your flow was kept."),
            ),
        }
    }

    /// Replaces the flow with an opened document's, and the Functions with a project file's (one
    /// undo step). Returns how many Functions a project file brought.
    fn open_document(&mut self, doc: Document) -> Option<usize> {
        let (flow, functions) = match doc {
            Document::Flow(flow) => (flow, None),
            Document::Project(flow, functions) => (flow, Some(functions)),
        };
        let with_functions = functions.as_ref().map(|f| f.functions.len());
        self.overlay = None;
        self.replace(flow, functions);
        with_functions
    }

    /// `, 2 errors (see Problems)` when the flow has errors.
    fn problems_note(&self) -> String {
        let problems = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == flowpen_flow::Severity::Error)
            .count();
        if problems == 0 {
            return String::new();
        }
        format!(
            ", {problems} error{} (see Problems)",
            if problems == 1 { "" } else { "s" }
        )
    }

    /// A sentence naming the playground Functions the flow calls but the project lacks.
    fn missing_note(&self) -> String {
        let missing = project::missing_paths(&self.flow, &self.functions);
        if missing.is_empty() {
            return String::new();
        }
        format!(
            " It calls {} on flowpen.local, which this project does not have (see Functions).",
            missing.join(", ")
        )
    }

    fn fit(&mut self) {
        self.fit_pending = self.canvas_size.x <= 0.0;
        if let Some(b) = cards::bounds(&self.cards) {
            self.viewport = Viewport::fit(b, self.canvas_size);
        }
    }

    /// Pans so that widget `index` is visible (centred when `centre` or when it is off-screen).
    fn ensure_visible(&mut self, index: usize, centre: bool) {
        let Some(card) = self.cards.get(index) else {
            return;
        };
        if self.canvas_size.x <= 0.0 {
            return;
        }
        let seen = self.viewport.visible(self.canvas_size);
        let inside = seen.contains(card.at())
            && seen.contains(Point::new(
                card.rect.x + card.rect.w,
                card.rect.y + card.rect.h,
            ));
        if centre || !inside {
            self.viewport = self
                .viewport
                .centered_on(card.rect.center(), self.canvas_size);
        }
    }

    fn select(&mut self, index: usize, mode: SelectMode) {
        if index >= self.flow.states.len() {
            return;
        }
        let mut sel = (*self.selection).clone();
        match mode {
            SelectMode::Only => sel = BTreeSet::from([index]),
            SelectMode::Toggle => {
                if !sel.remove(&index) {
                    sel.insert(index);
                }
            }
            SelectMode::Keep => {
                if !sel.contains(&index) {
                    sel = BTreeSet::from([index]);
                }
            }
        }
        self.set_selection(sel);
    }

    fn add_widget(&mut self, kind: WidgetType, at: Option<Point>, link: Option<(usize, usize)>) {
        if kind == WidgetType::Trigger {
            self.notify(Level::Info, "A flow has exactly one Trigger.".into());
            return;
        }
        let labels: Vec<&str> = flowpen_flow::spec::widget_spec(&kind)
            .map(|s| {
                s.events
                    .iter()
                    .filter(|e| !e.repeatable)
                    .map(|e| e.label)
                    .collect()
            })
            .unwrap_or_default();
        let (w, h) = cards::card_size(&labels);
        let top_centre = at.unwrap_or_else(|| {
            let c = self.view_centre();
            Point::new(c.x, c.y - 60.0)
        });
        let mut pos = Point::new(top_centre.x - w / 2.0, top_centre.y);
        if self.snap {
            pos = Point::new(snap(pos.x), snap(pos.y));
        }
        if at.is_none() {
            pos = self.free_spot(pos, w, h);
        }
        let index = self.flow.states.len();
        let add = edit::add_widget(&self.flow, kind, Offset { x: pos.x, y: pos.y });
        let new_name = match &add {
            Edit::InsertState { state, .. } => state.name.clone(),
            _ => String::new(),
        };
        let mut batch = vec![add];
        if let Some((from, port)) = link {
            match self.port_edit(from, port, Some(&new_name)) {
                Ok(e) => batch.push(e),
                Err(e) => {
                    self.notify(Level::Error, capitalize(&e.to_string()));
                    return;
                }
            }
        }
        if self.commit(Edit::Batch(batch), None, true) {
            self.overlay = None;
            self.set_selection(BTreeSet::from([index]));
            self.request_focus(FocusTarget::Card(index));
        }
    }

    /// The nearest place to `pos` where a `w`×`h` card overlaps no other card (rings of grid
    /// steps around it); `pos` itself when the neighbourhood is full.
    fn free_spot(&self, pos: Point, w: f64, h: f64) -> Point {
        let margin = 20.0;
        let free = |p: Point| {
            let r = Rect {
                x: p.x - margin,
                y: p.y - margin,
                w: w + 2.0 * margin,
                h: h + 2.0 * margin,
            };
            !self.cards.iter().any(|c| c.rect.intersects(&r))
        };
        if free(pos) {
            return pos;
        }
        for ring in 1..=12 {
            let d = f64::from(ring) * 2.0 * geometry::GRID;
            let steps = ring * 8;
            for k in 0..steps {
                let a = f64::from(k) / f64::from(steps) * std::f64::consts::TAU;
                let p = Point::new(snap(pos.x + d * a.cos()), snap(pos.y + d * a.sin()));
                if free(p) {
                    return p;
                }
            }
        }
        pos
    }

    /// The edit connecting port `port` of widget `from` to `target`.
    fn port_edit(&self, from: usize, port: usize, target: Option<&str>) -> Result<Edit, EditError> {
        let p = self
            .cards
            .get(from)
            .and_then(|c| c.ports.get(port))
            .ok_or(EditError::NoSuchWidget(from))?;
        match p.transition {
            Some(t) => edit::set_next(&self.flow, from, t, target),
            None => edit::connect(&self.flow, from, &p.event, target),
        }
    }

    fn connect(&mut self, from: usize, port: usize, target: Option<usize>) {
        let name = target
            .and_then(|t| self.flow.states.get(t))
            .map(|s| s.name.clone());
        if target.is_some() && name.is_none() {
            return;
        }
        let r = self.port_edit(from, port, name.as_deref());
        if self.commit_result(r, None, true) {
            self.overlay = None;
            self.selected_edge = None;
        }
    }

    fn delete(&mut self) {
        if let Some((from, port)) = self.selected_edge {
            let r = self.port_edit(from, port, None);
            if self.commit_result(r, None, true) {
                self.selected_edge = None;
            }
            return;
        }
        self.delete_widgets();
    }

    fn delete_widgets(&mut self) {
        let doomed: Vec<usize> = self
            .selection
            .iter()
            .copied()
            .filter(|&i| {
                self.flow
                    .states
                    .get(i)
                    .is_some_and(|s| s.kind != WidgetType::Trigger)
            })
            .collect();
        let had_trigger = doomed.len() < self.selection.len();
        if doomed.is_empty() {
            if had_trigger {
                self.notify(Level::Info, "The Trigger cannot be deleted.".into());
            }
            return;
        }
        let r = edit::delete(&self.flow, &doomed);
        if self.commit_result(r, None, true) {
            self.set_selection(BTreeSet::new());
            if had_trigger {
                self.notify(
                    Level::Info,
                    "The Trigger cannot be deleted; the other widgets were.".into(),
                );
            }
        }
    }

    fn paste(&mut self, text: &str) {
        match clipboard::parse_widgets(text) {
            Ok(states) => {
                let from_here = states.iter().all(|s| {
                    self.flow
                        .state(&s.name)
                        .is_some_and(|o| o.offset() == s.offset())
                });
                let bbox = states
                    .iter()
                    .map(|s| {
                        let o = s.offset();
                        Rect {
                            x: o.x,
                            y: o.y,
                            w: 1.0,
                            h: 1.0,
                        }
                    })
                    .reduce(|a, b| a.union(&b))
                    .unwrap_or_default();
                let seen = self.viewport.visible(if self.canvas_size.x > 0.0 {
                    self.canvas_size
                } else {
                    Point::new(800.0, 600.0)
                });
                let delta = if from_here && seen.intersects(&bbox) {
                    Offset { x: 40.0, y: 40.0 }
                } else {
                    let c = self.view_centre();
                    let (dx, dy) = (c.x - bbox.center().x, c.y - bbox.center().y);
                    if self.snap {
                        Offset {
                            x: snap(dx),
                            y: snap(dy),
                        }
                    } else {
                        Offset { x: dx, y: dy }
                    }
                };
                self.insert_copies(&states, delta);
            }
            Err(e) => self.notify(Level::Error, capitalize(&e)),
        }
    }

    fn insert_copies(&mut self, states: &[flowpen_flow::State], delta: Offset) {
        let (op, indices) = edit::paste(&self.flow, states, delta);
        if self.commit(op, None, true) {
            self.set_selection(indices.into_iter().collect());
        }
    }

    fn drag_to(&mut self, dx: f64, dy: f64) {
        let Some(d) = &self.drag else { return };
        let (mut dx, mut dy) = (dx, dy);
        if self.snap {
            if let Some(c) = self.cards.get(d.primary) {
                dx = snap(c.rect.x + dx) - c.rect.x;
                dy = snap(c.rect.y + dy) - c.rect.y;
            }
        }
        if d.dx != dx || d.dy != dy {
            let mut d = (**d).clone();
            d.dx = dx;
            d.dy = dy;
            self.drag = Some(Rc::new(d));
        }
    }

    fn end_drag(&mut self) {
        let Some(d) = self.drag.take() else { return };
        if d.dx == 0.0 && d.dy == 0.0 {
            return;
        }
        let ids: Vec<usize> = d.ids.iter().copied().collect();
        self.move_widgets(&ids, d.dx, d.dy);
    }

    /// Moves widgets by a distance: one undo step, no revalidation.
    fn move_widgets(&mut self, ids: &[usize], dx: f64, dy: f64) {
        let mut batch = Vec::with_capacity(ids.len());
        for &i in ids {
            let Some(s) = self.flow.states.get(i) else {
                continue;
            };
            let at = s.offset();
            match edit::move_widget(
                &self.flow,
                i,
                Offset {
                    x: at.x + dx,
                    y: at.y + dy,
                },
            ) {
                Ok(e) => batch.push(e),
                Err(e) => {
                    self.notify(Level::Error, capitalize(&e.to_string()));
                    return;
                }
            }
        }
        if !batch.is_empty() {
            self.commit(Edit::Batch(batch), None, false);
        }
    }

    fn list_len(&self, index: usize, key: &str) -> usize {
        self.flow
            .states
            .get(index)
            .and_then(|s| s.properties.get(key))
            .and_then(Json::as_array)
            .map_or(0, Vec::len)
    }

    fn set_key_value(
        &mut self,
        index: usize,
        key: &str,
        item: usize,
        field: KvField,
        text: String,
    ) {
        let Some(state) = self.flow.states.get(index) else {
            return;
        };
        let mut items = state
            .properties
            .get(key)
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default();
        let Some(slot) = items.get_mut(item) else {
            return;
        };
        let member = match field {
            KvField::Key => "key",
            KvField::Value => "value",
        };
        match slot {
            Json::Object(o) => {
                o.set(member, Json::String(text));
            }
            other => {
                let mut o = Object::new();
                o.set(member, Json::String(text));
                *other = Json::Object(o);
            }
        }
        let r = edit::set_property(&self.flow, index, key, Some(Json::Array(items)));
        self.commit_result(r, Some(format!("{index}/{key}/{item}/{member}")), true);
    }

    fn set_split_input(&mut self, index: usize, text: String) {
        let Some(state) = self.flow.states.get(index) else {
            return;
        };
        let mut props = state.properties.clone();
        props.set("input", Json::String(text.clone()));
        let mut edits = vec![Edit::SetProperties {
            state: index,
            properties: props,
        }];
        if state.kind == WidgetType::SplitBasedOn {
            let mut ts = state.transitions.clone();
            let mut changed = false;
            for t in ts.iter_mut().filter(|t| t.event == "match") {
                if let Some(Json::Array(conds)) = &mut t.conditions {
                    for c in conds.iter_mut().filter_map(Json::as_object_mut) {
                        c.set("arguments", Json::Array(vec![Json::String(text.clone())]));
                        changed = true;
                    }
                }
            }
            if changed {
                edits.push(Edit::SetTransitions {
                    state: index,
                    transitions: ts,
                });
            }
        }
        self.commit(Edit::Batch(edits), Some(format!("{index}/input")), true);
    }

    fn set_condition(&mut self, index: usize, nth: usize, field: CondField, text: String) {
        let Some(state) = self.flow.states.get(index) else {
            return;
        };
        let Some(old) = state
            .transitions
            .iter()
            .filter(|t| t.event == "match")
            .nth(nth)
            .map(|t| {
                t.condition_list()
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Condition {
                        friendly_name: String::new(),
                        arguments: vec![state.prop_str("input").unwrap_or_default().to_owned()],
                        kind: "equal_to".into(),
                        value: String::new(),
                    })
            })
        else {
            return;
        };
        let mut new = old.clone();
        let auto = old.friendly_name == auto_friendly_name(&old.kind, &old.value)
            || old.friendly_name.is_empty();
        match field {
            CondField::Kind => {
                // Studio stores its placeholder text as the value of the blank tests.
                if let Some((_, label)) = flowpen_flow::spec::CONDITION_TYPES
                    .iter()
                    .find(|(k, _)| *k == text && matches!(*k, "is_blank" | "is_not_blank"))
                {
                    new.value = (*label).to_owned();
                } else if matches!(old.kind.as_str(), "is_blank" | "is_not_blank") {
                    new.value = String::new();
                }
                new.kind = text;
            }
            CondField::Value => new.value = text,
            CondField::FriendlyName => new.friendly_name = text,
        }
        if field != CondField::FriendlyName && auto {
            new.friendly_name = auto_friendly_name(&new.kind, &new.value);
        }
        let key = match field {
            CondField::Kind => "type",
            CondField::Value => "value",
            CondField::FriendlyName => "friendly_name",
        };
        let r = edit::set_condition(&self.flow, index, nth, &new);
        self.commit_result(r, Some(format!("{index}/cond{nth}/{key}")), true);
    }

    fn replace_widget(&mut self, index: usize, text: &str) {
        let Some(old) = self.flow.states.get(index) else {
            return;
        };
        match clipboard::parse_widget(text) {
            Ok(state) => {
                if state.name != old.name {
                    if let Err(e) = edit::check_name(&self.flow, index, &state.name) {
                        self.notify(Level::Error, capitalize(&e.to_string()));
                        return;
                    }
                }
                if state.kind == WidgetType::Trigger && old.kind != WidgetType::Trigger {
                    self.notify(Level::Error, "A flow has exactly one Trigger.".into());
                    return;
                }
                self.commit(
                    Edit::ReplaceState {
                        index,
                        state: Box::new(state),
                    },
                    None,
                    true,
                );
            }
            Err(e) => self.notify(Level::Error, format!("The widget's JSON is not valid: {e}")),
        }
    }

    fn undo(&mut self) {
        self.travel(true);
    }

    fn redo(&mut self) {
        self.travel(false);
    }

    /// Undo (`back`) or redo: applies the newest entry of one stack and files its reverse on the
    /// other (a redo keeps the rest of the redo stack).
    fn travel(&mut self, back: bool) {
        self.drag = None;
        let history = Rc::make_mut(&mut self.history);
        let popped = if back {
            history.pop_undo()
        } else {
            history.pop_redo()
        };
        let Some(entry) = popped else {
            return;
        };
        let Some(change) = self.apply_change(&entry.change) else {
            return;
        };
        let reverse = Entry {
            change,
            selection: Rc::clone(&self.selection),
            coalesce: None,
            revalidate: entry.revalidate,
        };
        let history = Rc::make_mut(&mut self.history);
        if back {
            history.push_redo(reverse);
        } else {
            history.push_undo_keep_redo(reverse);
        }
        self.selection = Rc::clone(&entry.selection);
        self.selected_edge = None;
        self.refresh(entry.revalidate);
    }

    /// Applies an undo/redo change; returns the change that reverts it.
    fn apply_change(&mut self, change: &Change) -> Option<Change> {
        match change {
            Change::Edit(e) => match edit::apply(Rc::make_mut(&mut self.flow), e.clone()) {
                Ok(inv) => Some(Change::Edit(inv)),
                Err(err) => {
                    self.notify(Level::Error, format!("Undo failed: {err}"));
                    None
                }
            },
            Change::Flow(f) => {
                let old = std::mem::replace(&mut self.flow, Rc::clone(f));
                self.cards = Rc::default();
                Some(Change::Flow(old))
            }
            Change::Project(f, functions) => {
                let old = std::mem::replace(&mut self.flow, Rc::clone(f));
                let old_functions = std::mem::replace(&mut self.functions, Rc::clone(functions));
                self.cards = Rc::default();
                let n = self.functions.functions.len();
                self.selected_function =
                    (n > 0).then(|| self.selected_function.unwrap_or(0).min(n - 1));
                self.functions_changed();
                Some(Change::Project(old, old_functions))
            }
        }
    }
}

/// A file name for exporting `flow`, from its description (`random-number-generator.json`).
pub fn export_file_name(flow: &Flow) -> String {
    let slug: String = flow
        .description()
        .unwrap_or("flow")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{}.json", if slug.is_empty() { "flow" } else { &slug })
}

/// An empty flow as Studio creates it: a Trigger listing all its events, connected to nothing.
pub fn new_flow() -> Flow {
    let mut flow = Flow::new();
    if let (Some(trigger), Some(spec)) = (
        flow.states.first_mut(),
        flowpen_flow::spec::widget_spec(&WidgetType::Trigger),
    ) {
        trigger.transitions = spec
            .events
            .iter()
            .map(|e| flowpen_flow::Transition::new(e.name, None))
            .collect();
    }
    flow
}

/// The friendly name Studio generates for a condition.
pub fn auto_friendly_name(kind: &str, value: &str) -> String {
    format!("If value {kind} {value}")
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

impl Reducible for EditorState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = Rc::unwrap_or_clone(self);
        next.update(action);
        Rc::new(next)
    }
}
