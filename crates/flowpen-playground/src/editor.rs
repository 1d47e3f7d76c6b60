//! The editor's state and its one reducer.
//!
//! [`EditorState`] has four parts, one per concern, each with the actions that change it:
//! - [`document`]: the flow, the selection, what derives from them (cards, edges, diagnostics)
//!   and the undo history — every flow change goes through `flowpen_flow::edit::apply`, whose
//!   inverse is the undo step;
//! - [`canvas`]: the view (viewport, canvas size, snapping) and transient gestures (a drag, a
//!   rubber band, a connection being drawn);
//! - [`chrome`]: the page around them: dialogs and menus, notices, focus requests, the panel on
//!   the right, the theme;
//! - [`project`]: the project's Functions and environment variables, and the Function shown.
//!
//! [`EditorState::update`] applies an [`Action`], delegating by [`Action::concern`], and says
//! whether anything changed (a shell keeps its old state for a no-op).
//!
//! **Invariant:** this module is pure. Storage, the clipboard, files, timers and focus are
//! carried out by a shell that reads the state.
//!
//! **Invariant:** a drag never edits the flow until it ends: pointer moves only change
//! [`canvas::Drag`]'s offset, and the end commits one batch of moves (one undo step).

pub mod canvas;
pub mod cards;
pub mod chrome;
pub mod clipboard;
pub mod debug;
pub mod document;
pub mod geometry;
pub mod history;
pub mod keys;
pub mod liquid;
pub mod persist;
pub mod project;
mod tabs;

use std::rc::Rc;

use flowpen_flow::json::Json;
use flowpen_flow::{Diagnostic, Flow, WidgetType};

pub use canvas::{CanvasState, Drag, Link, Marquee};
pub use chrome::{
    ChromeState, FocusRequest, FocusTarget, Level, Notice, Overlay, Panel, PendingLink, Theme,
};
pub use document::{DocState, SelectMode};
pub use flowpen_flow::edit::{CondField, KvField};
pub use project::{ProjectParts, ProjectState};

use geometry::{Point, Viewport};
use persist::SavedView;

use crate::project::examples;
use crate::project::functions::EnvField;
use crate::project::{self as files, ProjectRef};

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
    /// Opens a share link's fragment (`#share=2.…` or `#view=2.…`, see [`crate::share`]) as
    /// Open… opens a project file: one undo step, the current project put aside for Recent. When
    /// the current project has changes no file holds, asks first ([`Overlay::ConfirmShared`]).
    /// A view link opens read-only. A broken link shows why and keeps everything.
    OpenShared(String),
    /// Opens the shared project the open question is about.
    ConfirmShared,
    /// Reopens a project from Recent (its text as autosave wrote it; `title` for the notice).
    OpenRecent {
        text: String,
        title: String,
    },
    /// Makes the read-only project of a view link an editable one (the project autosave had goes
    /// to Recent).
    Fork,
    /// The user looked at what a link brought and lets it run.
    TrustFunctions,
    /// The user takes that consent back: the link's content waits for consent again.
    ForgetTrust,
    /// The project was written to a file (Export project, or Export of a project that is just a
    /// flow).
    SavedToFile,
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
    /// Puts a flow of the project on the canvas: `None` the main flow, `Some(i)` subflow `i`.
    OpenFlow(Option<usize>),
    /// Adds a Studio flow (a file or pasted text) as a subflow, and opens it.
    AddSubflow {
        text: String,
        source: String,
    },
    /// Adds an empty subflow (a Trigger), and opens it.
    NewSubflow,
    RenameSubflow {
        index: usize,
        name: String,
    },
    /// Sets the SID that Run Subflow widgets name to run this subflow.
    SetSubflowSid {
        index: usize,
        sid: String,
    },
    /// Asks before removing a subflow.
    RemoveSubflow(usize),
    ConfirmRemoveSubflow(usize),
    /// Sets or clears a breakpoint on widget `usize` of the flow on the canvas.
    ToggleBreakpoint(usize),
    /// The simulator's stubbed response for widget `index` (made, switched on, when it has none).
    SetStub {
        index: usize,
        response: crate::flowtest::StubResponse,
    },
    /// Switches widget `index` between its stub (`on`) and the real call.
    SwitchStub {
        index: usize,
        on: bool,
    },
    /// Forgets widget `usize`'s stub.
    RemoveStub(usize),
    /// Replaces the project's flow tests (the text of a `.test.yaml` file; refused, with a
    /// notice, past [`crate::flowtest::MAX_TEXT_BYTES`]).
    SetTests(String),
}

/// Which part of the editor an action belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Concern {
    /// The flow, the selection and the history ([`document`]).
    Document,
    /// The view and gestures ([`canvas`]).
    Canvas,
    /// Dialogs, notices, focus, panels, theme ([`chrome`]).
    Chrome,
    /// The project's Functions and environment ([`project`]).
    Project,
}

impl Action {
    /// The part of the editor that handles this action.
    pub(crate) fn concern(&self) -> Concern {
        use Action as A;
        match self {
            A::Open { .. }
            | A::OpenShared(_)
            | A::ConfirmShared
            | A::OpenRecent { .. }
            | A::OpenExample(_)
            | A::ConfirmNewFlow
            | A::AddWidget { .. }
            | A::Rename { .. }
            | A::SetProperty { .. }
            | A::SetKeyValue { .. }
            | A::AddKeyValue { .. }
            | A::RemoveKeyValue { .. }
            | A::MoveKeyValue { .. }
            | A::SetSplitInput { .. }
            | A::AddCondition { .. }
            | A::SetCondition { .. }
            | A::RemoveCondition { .. }
            | A::MoveCondition { .. }
            | A::ReplaceWidget { .. }
            | A::SetDescription(_)
            | A::Connect { .. }
            | A::Delete
            | A::Paste { .. }
            | A::Cut
            | A::Duplicate
            | A::Undo
            | A::Redo
            | A::SealHistory
            | A::Select { .. }
            | A::SelectAll
            | A::ClearSelection
            | A::SelectEdge { .. } => Concern::Document,
            A::BeginDrag { .. }
            | A::DragTo { .. }
            | A::EndDrag
            | A::CancelGesture
            | A::MoveSelection { .. }
            | A::BeginMarquee { .. }
            | A::MarqueeTo(_)
            | A::EndMarquee
            | A::BeginLink { .. }
            | A::LinkTo(_)
            | A::EndLink(_)
            | A::Pan { .. }
            | A::ZoomAt { .. }
            | A::ZoomBy(_)
            | A::SetZoom(_)
            | A::FitView
            | A::SetViewport(_)
            | A::SetCanvasSize(_)
            | A::EnsureVisible(_)
            | A::ToggleSnap
            | A::SetSpace(_) => Concern::Canvas,
            A::NewFlow
            | A::Reveal(_)
            | A::ShowOverlay(_)
            | A::CloseOverlay
            | A::StartConnect { .. }
            | A::OpenInspector(_)
            | A::FocusCanvas
            | A::FocusCard(_)
            | A::Notify { .. }
            | A::DismissNotice
            | A::SetTheme(_)
            | A::ShowPanel(_)
            | A::Fork
            | A::Run => Concern::Chrome,
            A::TrustFunctions
            | A::ForgetTrust
            | A::SavedToFile
            | A::AddFunction
            | A::SelectFunction(_)
            | A::RenameFunction { .. }
            | A::SetFunctionCode { .. }
            | A::DeleteFunction(_)
            | A::AddEnv
            | A::SetEnv { .. }
            | A::RemoveEnv(_)
            | A::OpenFlow(_)
            | A::AddSubflow { .. }
            | A::NewSubflow
            | A::RenameSubflow { .. }
            | A::SetSubflowSid { .. }
            | A::RemoveSubflow(_)
            | A::ConfirmRemoveSubflow(_)
            | A::ToggleBreakpoint(_)
            | A::SetStub { .. }
            | A::SwitchStub { .. }
            | A::RemoveStub(_)
            | A::SetTests(_) => Concern::Project,
        }
    }
}

impl Action {
    /// Whether the action may run in a read-only view (a `#view=` link): looking, selecting,
    /// running the simulator, sharing, trusting and forking; nothing that edits.
    pub fn allowed_in_view(&self) -> bool {
        use Action as A;
        match self {
            // The debugger is part of the simulator: a widget's menu, Run from here, editing a
            // paused execution's Flow Data and breakpoints (the session's, not the project's).
            A::ShowOverlay(o) => matches!(
                o,
                Overlay::Search
                    | Overlay::Help
                    | Overlay::Share
                    | Overlay::CardMenu { .. }
                    | Overlay::RunFromHere(_)
                    | Overlay::EditFlowData
            ),
            A::ToggleBreakpoint(_) => true,
            A::ShowPanel(p) => *p != Panel::Inspector,
            A::OpenShared(_)
            | A::ConfirmShared
            | A::Fork
            | A::TrustFunctions
            | A::ForgetTrust
            | A::SealHistory
            | A::Select { .. }
            | A::SelectAll
            | A::ClearSelection
            | A::SelectEdge { .. }
            | A::Reveal(_)
            | A::CancelGesture
            | A::BeginMarquee { .. }
            | A::MarqueeTo(_)
            | A::EndMarquee
            | A::Pan { .. }
            | A::ZoomAt { .. }
            | A::ZoomBy(_)
            | A::SetZoom(_)
            | A::FitView
            | A::SetViewport(_)
            | A::SetCanvasSize(_)
            | A::EnsureVisible(_)
            | A::ToggleSnap
            | A::SetSpace(_)
            | A::CloseOverlay
            | A::FocusCanvas
            | A::FocusCard(_)
            | A::Notify { .. }
            | A::DismissNotice
            | A::SetTheme(_)
            | A::Run
            | A::SelectFunction(_) => true,
            _ => false,
        }
    }
}

/// The editor.
#[derive(Clone, Debug, PartialEq)]
pub struct EditorState {
    pub doc: DocState,
    pub canvas: CanvasState,
    pub chrome: ChromeState,
    pub project: ProjectState,
}

/// What [`EditorState::restore_project`] found in storage.
#[derive(Debug)]
pub struct Restored {
    pub state: EditorState,
    /// Saved text that could not be read; the shell keeps it under another key.
    pub unreadable: Option<String>,
    /// Saved Functions that could not be read; the shell keeps them under another key.
    pub unreadable_functions: Option<String>,
    /// A saved project that could not be read; the shell copies it to
    /// [`persist::UNREADABLE_PROJECT_KEY`] (and must not overwrite it unless that worked).
    pub unreadable_project: Option<String>,
}

impl Default for EditorState {
    fn default() -> EditorState {
        let flow = Flow::parse(examples::FIRST.json).unwrap_or_default();
        let mut s = EditorState::new(flow);
        s.project.set(examples::FIRST.parts());
        s.mark_saved();
        s
    }
}

impl EditorState {
    /// An editor showing `flow`, nothing selected, the view fitted once the canvas size is known.
    pub fn new(flow: Flow) -> EditorState {
        let mut s = EditorState {
            doc: DocState::new(flow),
            canvas: CanvasState::default(),
            chrome: ChromeState::default(),
            project: ProjectState::default(),
        };
        s.refresh(true);
        s
    }

    /// The editor as autosave left it, from an autosave made before the project had Functions:
    /// see [`EditorState::restore_project`] with no saved Functions.
    pub fn restore(flow_text: Option<&str>, view_text: Option<&str>) -> Restored {
        EditorState::restore_project(flow_text, view_text, None)
    }

    /// The editor as autosave left it: the project under [`persist::PROJECT_KEY`] (the project
    /// file), or, when there is none, an older autosave's flow and Functions (see
    /// [`EditorState::restore_project`]), with the view (see [`persist`]). An unreadable project
    /// opens the first example, says so, and is handed back so the shell can keep it.
    pub fn restore_saved(
        project_text: Option<&str>,
        view_text: Option<&str>,
        legacy_flow: Option<&str>,
        legacy_functions: Option<&str>,
    ) -> Restored {
        let Some(text) = project_text else {
            return EditorState::restore_project(legacy_flow, view_text, legacy_functions);
        };
        let mut restored = Restored {
            state: EditorState::default(),
            unreadable: None,
            unreadable_functions: None,
            unreadable_project: None,
        };
        match persist::read_saved(text) {
            Ok((doc, meta)) => {
                let (flow, mut parts) = match doc {
                    files::Document::Project(p) => {
                        let mut p = *p;
                        (std::mem::take(&mut p.flow), ProjectParts::of(p))
                    }
                    files::Document::Flow(flow) => (flow, ProjectParts::default()),
                };
                parts.untrusted = meta.untrusted;
                restored.state = EditorState::new(flow);
                restored.state.project.set(parts);
                restored.state.apply_view(view_text, true);
                if meta.saved_to_file {
                    restored.state.mark_saved();
                }
            }
            Err(e) => {
                restored.state.notify(
                    Level::Error,
                    format!(
                        "The saved project could not be read ({e}); the example was opened instead and the saved text was kept under \"{}\".",
                        persist::UNREADABLE_PROJECT_KEY
                    ),
                );
                restored.state.apply_view(view_text, false);
                restored.unreadable_project = Some(text.to_owned());
            }
        }
        restored
    }

    /// The editor as an autosave from before [`persist::PROJECT_KEY`] left it: `flow_text`
    /// (Studio JSON), `view_text` (see [`persist`])
    /// and `functions_text` (see [`files::saved_text`]). Without a saved flow it opens the first
    /// example (with its Functions); with an unreadable one it opens the example too, says so, and
    /// hands the text back so the shell can keep it. Without saved Functions (an autosave from
    /// before Functions existed) the project gets the bundled examples' Functions that the flow
    /// calls; unreadable saved Functions are handed back the same way.
    pub fn restore_project(
        flow_text: Option<&str>,
        view_text: Option<&str>,
        functions_text: Option<&str>,
    ) -> Restored {
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
        state.apply_view(view_text, unreadable.is_none());
        let mut unreadable_functions = None;
        if flow_text.is_some() && unreadable.is_none() {
            match functions_text.map(files::parse_saved) {
                Some(Ok(p)) => state.project.set(ProjectParts::functions(p)),
                Some(Err(e)) => {
                    state.project.set(ProjectParts::default());
                    unreadable_functions = functions_text.map(str::to_owned);
                    state.notify(
                        Level::Error,
                        format!(
                            "The saved Functions could not be read ({e}); the text was kept under \"{}\".",
                            persist::UNREADABLE_FUNCTIONS_KEY
                        ),
                    );
                }
                None => state
                    .project
                    .set(ProjectParts::functions(examples::functions_called_by(
                        &state.doc.flow,
                    ))),
            }
        }
        Restored {
            state,
            unreadable,
            unreadable_functions,
            unreadable_project: None,
        }
    }

    /// Applies a saved view: the selection and viewport only when `of_this_flow` (they belong to
    /// the saved flow), snapping and the theme always.
    fn apply_view(&mut self, view_text: Option<&str>, of_this_flow: bool) {
        let view = view_text.map(persist::parse_view).unwrap_or_default();
        if of_this_flow {
            let names = self.doc.flow.name_index();
            let selection = document::selection_of(
                view.selection
                    .iter()
                    .filter_map(|n| names.get(n.as_str()).copied()),
            );
            self.doc.selection = Rc::new(selection);
            if let Some(vp) = view.viewport {
                self.canvas.viewport = vp;
                self.canvas.fit_pending = false;
            }
        }
        if let Some(snap) = view.snap {
            self.canvas.snap = snap;
        }
        if let Some(theme) = view.theme {
            self.chrome.theme = theme;
        }
    }

    /// The whole project by reference.
    pub fn project_ref(&self) -> ProjectRef<'_> {
        ProjectRef {
            flow: self.main_flow(),
            functions: &self.project.functions,
            subflows: &self.project.subflows,
            tests: &self.project.tests,
            stubs: &self.project.stubs,
        }
    }

    /// What autosave writes under [`persist::PROJECT_KEY`] (and Recent keeps): the project
    /// file, compact, with the playground's notes about it (see [`persist::Meta`]).
    pub fn saved_project_text(&self) -> String {
        let meta = persist::Meta {
            untrusted: self.project.untrusted.clone(),
            saved_to_file: !self.unsaved_to_file(),
        };
        persist::with_meta(files::project_json(self.project_ref()), &meta).to_compact()
    }

    /// Whether the project has changes that no file holds (it was edited since it was opened
    /// from a file, a link, an example or New, or since Export project wrote it).
    pub fn unsaved_to_file(&self) -> bool {
        self.project.saved_at != Some((self.doc.flow_rev, self.project.functions_rev))
    }

    /// Notes that the project as it is now is held by a file (or a link, an example, New).
    pub(crate) fn mark_saved(&mut self) {
        self.project.saved_at = Some((self.doc.flow_rev, self.project.functions_rev));
    }

    /// What a link brought that waits for consent before it runs, if anything.
    pub fn untrusted(&self) -> Option<&crate::trust::Pending> {
        self.project.blocked()
    }

    /// What a link brought that the user trusted (it runs until *Stop trusting*).
    pub fn trusted_link(&self) -> Option<&crate::trust::Pending> {
        self.project.consented()
    }

    /// Why a call to a project Function must not run now (the project's content waits for
    /// consent: [`crate::simulator::http::untrusted`]), for every shell that runs Functions: the
    /// simulator and the Tests panel.
    pub fn refuses_function_call(
        &self,
        request: &flowpen_engine::HttpRequest,
    ) -> Option<flowpen_engine::TransportError> {
        self.untrusted()
            .map(|p| crate::simulator::http::untrusted(request, p.shared_code))
    }

    /// Whether Export of the flow alone writes the whole project (no Functions, environment,
    /// subflows or tests besides it).
    pub fn is_just_a_flow(&self) -> bool {
        let p = &self.project;
        p.functions.functions.is_empty()
            && p.functions.env.is_empty()
            && p.subflows.is_empty()
            && p.tests.is_empty()
    }

    /// The project file: the flow with its Functions and environment variables.
    pub fn project_text(&self) -> String {
        files::project_text(self.project_ref())
    }

    /// A file name for the project file (from the main flow's description).
    pub fn project_file_name(&self) -> String {
        files::project_file_name(self.main_flow())
    }

    /// What autosave keeps besides the flow.
    pub fn saved_view(&self) -> SavedView {
        SavedView {
            selection: self
                .doc
                .selection
                .iter()
                .filter_map(|&i| self.doc.flow.states.get(i))
                .map(|s| s.name.clone())
                .collect(),
            viewport: Some(self.canvas.viewport),
            snap: Some(self.canvas.snap),
            theme: Some(self.chrome.theme),
        }
    }

    /// The flow as Studio exports it.
    pub fn export_text(&self) -> String {
        self.doc.flow.to_pretty_string()
    }

    /// A file name for the export, from the flow's description.
    pub fn export_file_name(&self) -> String {
        files::export_file_name(&self.doc.flow)
    }

    /// The clipboard text for the selection (`None` when nothing copyable is selected).
    pub fn copy_text(&self) -> Option<String> {
        clipboard::copy_text(&self.doc.flow, self.doc.selection.iter().copied())
    }

    /// The only selected widget.
    pub(crate) fn single_selection(&self) -> Option<usize> {
        self.doc.single_selection()
    }

    /// Diagnostics of widget `index`.
    pub fn diagnostics_of(&self, index: usize) -> impl Iterator<Item = &Diagnostic> {
        self.doc
            .diagnostics
            .iter()
            .filter(move |d| d.state == Some(index))
    }

    /// The world point at the centre of the canvas.
    pub(crate) fn view_centre(&self) -> Point {
        self.canvas.view_centre()
    }

    /// Applies an action; returns whether the state changed (a no-op leaves every part as it
    /// was, so a shell can keep its old state).
    pub fn update(&mut self, action: Action) -> bool {
        let before = Stamp::of(self);
        if self.chrome.view_only && !action.allowed_in_view() {
            // Gestures and navigation that would lead to an edit are refused quietly.
            if matches!(
                action,
                Action::OpenInspector(_)
                    | Action::StartConnect { .. }
                    | Action::BeginDrag { .. }
                    | Action::DragTo { .. }
                    | Action::EndDrag
                    | Action::BeginLink { .. }
                    | Action::LinkTo(_)
                    | Action::EndLink(_)
                    | Action::ShowOverlay(_)
                    | Action::ShowPanel(_)
                    | Action::SealHistory
            ) {
                return false;
            }
            self.notify(
                Level::Info,
                "This is a read-only view of a shared project: Fork makes a copy you can edit."
                    .into(),
            );
            return Stamp::of(self) != before;
        }
        match action.concern() {
            Concern::Document => document::update(self, action),
            Concern::Canvas => canvas::update(self, action),
            Concern::Chrome => chrome::update(self, action),
            Concern::Project => project::update(self, action),
        }
        Stamp::of(self) != before
    }
}

/// The project's part of a [`Stamp`]: Functions revision, the Function shown, the flow on the
/// canvas, what waits for consent, when a file last held it.
type ProjectStamp = (
    u64,
    Option<usize>,
    Option<usize>,
    Option<String>,
    Option<(u64, u64)>,
);

/// What tells two states apart cheaply: the shared parts by pointer (every change replaces them),
/// the small ones by value.
#[derive(PartialEq)]
struct Stamp {
    shared: [*const (); 12],
    doc: (u64, Option<(usize, usize)>),
    canvas: (
        Viewport,
        Point,
        bool,
        Option<Marquee>,
        Option<Link>,
        bool,
        bool,
    ),
    chrome: (
        Option<Overlay>,
        Option<u64>,
        Option<u64>,
        Theme,
        Panel,
        u64,
        bool,
    ),
    project: ProjectStamp,
}

impl Stamp {
    fn of(s: &EditorState) -> Stamp {
        fn ptr<T>(rc: &Rc<T>) -> *const () {
            Rc::as_ptr(rc).cast()
        }
        Stamp {
            shared: [
                ptr(&s.doc.flow),
                ptr(&s.doc.cards),
                ptr(&s.doc.edges),
                ptr(&s.doc.diagnostics),
                ptr(&s.doc.selection),
                ptr(&s.doc.history),
                s.canvas.drag.as_ref().map_or(std::ptr::null(), ptr),
                ptr(&s.project.functions),
                ptr(&s.project.subflows),
                ptr(&s.project.breakpoints),
                ptr(&s.project.trusted),
                ptr(&s.project.outgoing),
            ],
            doc: (s.doc.flow_rev, s.doc.selected_edge),
            canvas: (
                s.canvas.viewport,
                s.canvas.canvas_size,
                s.canvas.fit_pending,
                s.canvas.marquee,
                s.canvas.link,
                s.canvas.snap,
                s.canvas.space,
            ),
            chrome: (
                s.chrome.overlay.clone(),
                s.chrome.notice.as_ref().map(|n| n.serial),
                s.chrome.focus.as_ref().map(|f| f.serial),
                s.chrome.theme,
                s.chrome.panel,
                s.chrome.serial,
                s.chrome.view_only,
            ),
            project: (
                s.project.functions_rev,
                s.project.selected_function,
                s.project.open,
                s.project.untrusted.as_ref().map(|p| p.key.clone()),
                s.project.saved_at,
            ),
        }
    }
}

/// `s` with its first letter in upper case (error messages of the core start in lower case).
fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
