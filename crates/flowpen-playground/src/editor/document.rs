//! The document: the flow, the selection, what derives from them, and the undo history, with
//! the actions that change them. Every flow change goes through `flowpen_flow::edit::apply` (one
//! undo step, whose inverse the history keeps); Studio's editing rules come from
//! `flowpen_flow::edit` as ready-made edits.

use std::collections::BTreeSet;
use std::rc::Rc;

use flowpen_flow::edit::{self, Edit, EditError};
use flowpen_flow::json::Json;
use flowpen_flow::{Diagnostic, Flow, Offset, Severity, WidgetType};

use super::cards::{self, CardModel, Edge};
use super::geometry::{self, snap, Point, Rect};
use super::history::{Change, Entry, History};
use super::project::ProjectParts;
use super::{capitalize, clipboard, liquid, persist, Action, EditorState, FocusTarget, Level};
use super::{Overlay, Panel, PendingLink};
use crate::project::{self, examples, functions::missing_paths, Document, ProjectRef};
use crate::recent::Outgoing;
use crate::share::{self, LinkKind, Shared};
use crate::trust;

/// The flow and what derives from it.
#[derive(Clone, Debug, PartialEq)]
pub struct DocState {
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
    pub history: Rc<History>,
}

/// A selection of these widget positions. Built by inserting (`collect` into a `BTreeSet` sorts
/// first, and the standard library's sort is compiled once more per element type: about 3.5 kB
/// of wasm; BENCHMARKS.md, Bundle size).
pub(crate) fn selection_of(indices: impl IntoIterator<Item = usize>) -> BTreeSet<usize> {
    let mut sel = BTreeSet::new();
    sel.extend(indices);
    sel
}

impl DocState {
    /// `flow`, nothing selected, nothing derived yet, no history.
    pub fn new(flow: Flow) -> DocState {
        DocState {
            flow: Rc::new(flow),
            flow_rev: 0,
            cards: Rc::default(),
            edges: Rc::default(),
            diagnostics: Rc::default(),
            selection: Rc::default(),
            selected_edge: None,
            history: Rc::default(),
        }
    }

    /// The only selected widget.
    pub(crate) fn single_selection(&self) -> Option<usize> {
        (self.selection.len() == 1)
            .then(|| self.selection.iter().next().copied())
            .flatten()
    }
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

/// Applies an action of the document.
pub(super) fn update(s: &mut EditorState, action: Action) {
    match action {
        Action::Open { text, source } => s.open(&text, &source),
        Action::OpenShared(fragment) => s.open_shared(&fragment),
        Action::ConfirmShared => {
            if let Some(Overlay::ConfirmShared(pending)) = s.chrome.overlay.take() {
                s.open_shared_now(Shared::clone(&pending.0));
            }
        }
        Action::OpenRecent { text, title } => s.open_recent(&text, &title),
        Action::OpenExample(file) => s.open_example(&file),
        Action::ConfirmNewFlow => {
            s.chrome.overlay = None;
            s.replace_flow(edit::new_flow(), "before New");
            s.notify(
                Level::Info,
                "New flow: drag widgets from the palette to begin.".into(),
            );
        }
        Action::AddWidget { kind, at, link } => s.add_widget(kind, at, link),
        Action::Rename { index, name } => {
            let before = s.widget_address(index);
            let r = edit::rename(&s.doc.flow, index, name.trim());
            s.commit_result(r, None, true);
            // Its breakpoint and stub stay with the widget under its new name.
            s.follow_rename(before, index);
        }
        Action::SetProperty { index, key, value } => {
            let r = edit::set_property(&s.doc.flow, index, &key, value);
            s.commit_result(r, Some(format!("{index}/{key}")), true);
        }
        Action::SetKeyValue {
            index,
            key,
            item,
            field,
            text,
        } => {
            let r = edit::set_key_value(&s.doc.flow, index, &key, item, field, &text);
            let coalesce = format!("{index}/{key}/{item}/{}", field.member());
            s.commit_result(r, Some(coalesce), true);
        }
        Action::AddKeyValue { index, key } => {
            let n = s
                .doc
                .flow
                .states
                .get(index)
                .and_then(|w| w.properties.get(&key))
                .and_then(Json::as_array)
                .map_or(0, Vec::len);
            let r = edit::list_insert(&s.doc.flow, index, &key, n, edit::key_value("", ""));
            if s.commit_result(r, None, true) {
                s.request_focus(FocusTarget::Field(format!("kv-{key}-{n}-key")));
            }
        }
        Action::RemoveKeyValue { index, key, item } => {
            let r = edit::list_remove(&s.doc.flow, index, &key, item);
            s.commit_result(r, None, true);
        }
        Action::MoveKeyValue {
            index,
            key,
            from,
            to,
        } => {
            let r = edit::list_move(&s.doc.flow, index, &key, from, to);
            s.commit_result(r, None, true);
        }
        Action::SetSplitInput { index, text } => {
            let r = edit::set_split_input(&s.doc.flow, index, &text);
            s.commit_result(r, Some(format!("{index}/input")), true);
        }
        Action::AddCondition { index } => {
            let r = edit::add_default_condition(&s.doc.flow, index);
            s.commit_result(r, None, true);
        }
        Action::SetCondition {
            index,
            nth,
            field,
            text,
        } => {
            let r = edit::edit_condition(&s.doc.flow, index, nth, field, &text);
            let coalesce = format!("{index}/cond{nth}/{}", field.member());
            s.commit_result(r, Some(coalesce), true);
        }
        Action::RemoveCondition { index, nth } => {
            let r = edit::remove_condition(&s.doc.flow, index, nth);
            s.commit_result(r, None, true);
        }
        Action::MoveCondition { index, from, to } => {
            let r = edit::move_condition(&s.doc.flow, index, from, to);
            s.commit_result(r, None, true);
        }
        Action::ReplaceWidget { index, text } => s.replace_widget(index, &text),
        Action::SetDescription(text) => {
            s.commit(
                edit::set_description(&text),
                Some("description".into()),
                false,
            );
        }
        Action::Connect { from, port, target } => s.connect(from, port, target),
        Action::Delete => s.delete(),
        Action::Cut => s.delete_widgets(),
        Action::Paste { text } => s.paste(&text),
        Action::Duplicate => {
            let states: Vec<_> = s
                .doc
                .selection
                .iter()
                .filter_map(|&i| s.doc.flow.states.get(i))
                .filter(|w| w.kind != WidgetType::Trigger)
                .cloned()
                .collect();
            if states.is_empty() {
                s.notify(
                    Level::Info,
                    "Select widgets to duplicate (the Trigger cannot be duplicated).".into(),
                );
            } else {
                s.insert_copies(&states, Offset { x: 40.0, y: 40.0 });
            }
        }
        Action::Undo => s.travel(true),
        Action::Redo => s.travel(false),
        Action::SealHistory => Rc::make_mut(&mut s.doc.history).seal(),
        Action::Select { index, mode } => s.select(index, mode),
        Action::SelectAll => s.set_selection(selection_of(0..s.doc.flow.states.len())),
        Action::ClearSelection => s.set_selection(BTreeSet::new()),
        Action::SelectEdge { from, port } => {
            s.set_selection(BTreeSet::new());
            s.doc.selected_edge = Some((from, port));
        }
        _ => {}
    }
}

impl EditorState {
    /// Recomputes what derives from the flow. Validation runs only when `revalidate` (moves
    /// cannot change diagnostics).
    pub(super) fn refresh(&mut self, revalidate: bool) {
        self.sync_open_subflow();
        let d = &mut self.doc;
        if revalidate {
            d.diagnostics = Rc::new(liquid::validate(&d.flow));
        }
        d.cards = Rc::new(cards::derive_cards(&d.flow, &d.diagnostics, &d.cards));
        d.edges = Rc::new(cards::edges(&d.cards));
        d.flow_rev += 1;
        let n = d.flow.states.len();
        if d.selection.iter().any(|&i| i >= n) {
            d.selection = Rc::new(selection_of(d.selection.iter().copied().filter(|&i| i < n)));
        }
        if d.selected_edge
            .is_some_and(|(i, p)| d.cards.get(i).is_none_or(|c| p >= c.ports.len()))
        {
            d.selected_edge = None;
        }
    }

    pub(super) fn set_selection(&mut self, sel: BTreeSet<usize>) {
        self.doc.selected_edge = None;
        if *self.doc.selection != sel {
            self.doc.selection = Rc::new(sel);
            Rc::make_mut(&mut self.doc.history).seal();
        }
    }

    /// Applies `edit` as one undo step. Returns whether it applied.
    pub(super) fn commit(
        &mut self,
        edit: Edit,
        coalesce: Option<String>,
        revalidate: bool,
    ) -> bool {
        let before = Rc::clone(&self.doc.selection);
        match edit::apply(Rc::make_mut(&mut self.doc.flow), edit) {
            Ok(inverse) => {
                Rc::make_mut(&mut self.doc.history).push(Entry {
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
    fn replace_flow(&mut self, flow: Flow, reason: &str) {
        self.replace(flow, None, reason);
    }

    /// Whether the project is worth keeping in Recent: anything but an untouched example or an
    /// empty new flow, and not a read-only view.
    fn worth_keeping(&self) -> bool {
        if self.chrome.view_only {
            return false;
        }
        // The examples are small: a larger flow is none of them (and is not printed for nothing).
        let largest = examples::EXAMPLES
            .iter()
            .map(|ex| ex.json.matches("\"name\":").count())
            .max()
            .unwrap_or(0);
        if self.doc.flow.states.len() > largest {
            return true;
        }
        let now = project::project_json(self.project_ref()).to_compact();
        let new_flow = edit::new_flow();
        let empty = project::FunctionsProject::default();
        let pristine = examples::EXAMPLES
            .iter()
            .filter_map(|ex| {
                let flow = Flow::parse(ex.json).ok()?;
                let functions = ex.project();
                // As the example opens: with its tests.
                let project = ProjectRef {
                    tests: ex.tests,
                    ..ProjectRef::of(&flow, &functions)
                };
                Some(project::project_json(project).to_compact())
            })
            .chain([project::project_json(ProjectRef::of(&new_flow, &empty)).to_compact()]);
        !pristine.into_iter().any(|p| p == now)
    }

    /// Replaces the whole flow, and the rest of the project when given, as one undo step. The
    /// project it replaces is put aside for Recent (`reason` says why); the new one counts as
    /// held by a file (it came from one, or from a link, an example, New).
    fn replace(&mut self, flow: Flow, parts: Option<ProjectParts>, reason: &str) {
        if self.worth_keeping() {
            let title = self
                .doc
                .flow
                .description()
                .filter(|d| !d.trim().is_empty())
                .unwrap_or("Untitled flow")
                .to_owned();
            let outgoing = Outgoing {
                serial: 0,
                title,
                reason: reason.to_owned(),
                text: self.saved_project_text(),
            };
            self.project.put_aside(outgoing);
        }
        self.chrome.view_only = false;
        let old = std::mem::replace(&mut self.doc.flow, Rc::new(flow));
        let change = match parts {
            Some(p) => Change::Project(old, self.project.replace(p)),
            None => Change::Flow(old),
        };
        Rc::make_mut(&mut self.doc.history).push(Entry {
            change,
            selection: Rc::clone(&self.doc.selection),
            coalesce: None,
            revalidate: true,
        });
        self.doc.selection = Rc::default();
        self.doc.selected_edge = None;
        self.canvas.cancel_gestures();
        self.doc.cards = Rc::default();
        self.refresh(true);
        self.canvas.fit_pending = true;
        if self.canvas.canvas_size.x > 0.0 {
            self.fit();
        }
        self.mark_saved();
    }

    fn open_example(&mut self, file: &str) {
        let Some(ex) = examples::example(file) else {
            return;
        };
        self.open_main();
        match Flow::parse(ex.json) {
            Ok(flow) => {
                self.chrome.overlay = None;
                let reason = format!("before opening the example \"{}\"", ex.title);
                self.replace(flow, Some(ex.parts()), &reason);
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
        match persist::read_saved(text) {
            Ok((doc, meta)) => {
                let n = doc.flow().states.len();
                let untrusted = meta.untrusted;
                let with_functions =
                    self.open_document(doc, untrusted, &format!("before opening {source}"));
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

    /// Opens a link: at once, or after asking when the current project has changes no file
    /// holds (a view link never replaces anything the user keeps, so it never asks).
    fn open_shared(&mut self, fragment: &str) {
        match share::decode(fragment) {
            Ok(shared) => {
                let ask = shared.kind == LinkKind::Edit
                    && !self.chrome.view_only
                    && self.unsaved_to_file()
                    && self.worth_keeping();
                if ask {
                    self.chrome.overlay =
                        Some(Overlay::ConfirmShared(PendingLink(Rc::new(shared))));
                } else {
                    self.open_shared_now(shared);
                }
            }
            Err(e) => self.notify(
                Level::Error,
                format!("Could not open the shared link: {e}. Your project was kept."),
            ),
        }
    }

    fn open_shared_now(&mut self, shared: Shared) {
        let untrusted = trust::pending_for(&shared.document, &self.project.functions);
        let view = shared.kind == LinkKind::View;
        let functions = match &shared.document {
            Document::Project(p) => p.functions.functions.len(),
            Document::Flow(_) => 0,
        };
        let kept_before = self.project.outgoing.last().map(|o| o.serial);
        self.open_document(shared.document, untrusted, "before opening a shared link");
        let kept = self.project.outgoing.last().map(|o| o.serial) != kept_before;
        self.chrome.view_only = view;
        if view {
            self.chrome.panel = Panel::Simulator;
        }
        let mut msg = if view {
            "Viewing a shared project, read-only: Fork makes a copy you can edit".to_owned()
        } else if kept {
            "Opened a shared project — yours is in Recent, and Undo brings it back".to_owned()
        } else {
            "Opened a shared project — Undo brings yours back".to_owned()
        };
        msg.push_str(&self.problems_note());
        msg.push('.');
        match self.untrusted() {
            Some(p) if p.shared_code => msg.push_str(&format!(
                " Its {} not run until you look at {} in the Functions tab and choose Trust and run.",
                if functions == 1 { "Function does" } else { "Functions do" },
                if functions == 1 { "it" } else { "them" },
            )),
            Some(_) => msg.push_str(
                " It does not call your own Functions until you choose Trust and run in the Functions tab.",
            ),
            None => {}
        }
        msg.push_str(&self.missing_note());
        self.notify(Level::Info, msg);
    }

    /// Reopens a project from Recent (the current one goes to Recent in its place).
    fn open_recent(&mut self, text: &str, title: &str) {
        match persist::read_saved(text) {
            Ok((doc, meta)) => {
                let kept_before = self.project.outgoing.last().map(|o| o.serial);
                self.open_document(
                    doc,
                    meta.untrusted,
                    &format!("before opening \"{title}\" from Recent"),
                );
                if !meta.saved_to_file {
                    self.project.saved_at = None;
                }
                let mut msg = format!("Opened \"{title}\" from Recent");
                if self.project.outgoing.last().map(|o| o.serial) != kept_before {
                    msg.push_str("; the project you had is in Recent too");
                }
                msg.push_str(&self.problems_note());
                msg.push('.');
                if self.untrusted().is_some() {
                    msg.push_str(" It came from a link: its Functions wait for Trust and run.");
                }
                self.notify(Level::Info, msg);
            }
            Err(e) => self.notify(
                Level::Error,
                format!("Could not open \"{title}\" from Recent ({e}). Your project was kept."),
            ),
        }
    }

    /// Replaces the flow with an opened document's, and the rest of the project with a project
    /// file's (one undo step; a plain flow keeps the Functions). `untrusted` is what waits for
    /// consent. Returns how many Functions a project file brought.
    ///
    /// A project file, or a link (whatever it holds), replaces the whole project: the main flow
    /// comes back on the canvas first. A plain flow from a file replaces the flow on the canvas
    /// (the open subflow's, on a subflow's tab).
    fn open_document(
        &mut self,
        doc: Document,
        untrusted: Option<trust::Pending>,
        reason: &str,
    ) -> Option<usize> {
        if matches!(doc, Document::Project(_)) || untrusted.is_some() {
            self.open_main();
        }
        let (flow, mut parts, with_functions) = match doc {
            // A plain flow keeps the Functions, and whatever of theirs waits for consent.
            Document::Flow(flow) if untrusted.is_none() => (flow, None, None),
            Document::Flow(flow) => {
                let mut parts = self.project.parts();
                parts.untrusted = trust::combine(parts.untrusted.clone(), untrusted.clone());
                (flow, Some(parts), None)
            }
            Document::Project(p) => {
                let mut p = *p;
                let flow = std::mem::take(&mut p.flow);
                let n = p.functions.functions.len();
                (flow, Some(ProjectParts::of(p)), Some(n))
            }
        };
        if let (Some(parts), Some(_)) = (&mut parts, with_functions) {
            parts.untrusted = untrusted;
        }
        self.chrome.overlay = None;
        self.replace(flow, parts, reason);
        with_functions
    }

    /// `, 2 errors (see Problems)` when the flow has errors.
    fn problems_note(&self) -> String {
        let problems = self
            .doc
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
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
        let missing = missing_paths(&self.doc.flow, &self.project.functions);
        if missing.is_empty() {
            return String::new();
        }
        format!(
            " It calls {} on flowpen.local, which this project does not have (see Functions).",
            missing.join(", ")
        )
    }

    fn select(&mut self, index: usize, mode: SelectMode) {
        if index >= self.doc.flow.states.len() {
            return;
        }
        let mut sel = (*self.doc.selection).clone();
        match mode {
            SelectMode::Only => sel = selection_of([index]),
            SelectMode::Toggle => {
                if !sel.remove(&index) {
                    sel.insert(index);
                }
            }
            SelectMode::Keep => {
                if !sel.contains(&index) {
                    sel = selection_of([index]);
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
        if self.canvas.snap {
            pos = Point::new(snap(pos.x), snap(pos.y));
        }
        if at.is_none() {
            pos = self.free_spot(pos, w, h);
        }
        let index = self.doc.flow.states.len();
        let add = edit::add_widget(&self.doc.flow, kind, Offset { x: pos.x, y: pos.y });
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
            self.chrome.overlay = None;
            self.set_selection(selection_of([index]));
            self.request_focus(FocusTarget::Card(index));
        }
    }

    /// The nearest place to `pos` where a `w`×`h` card overlaps no other card: square rings of
    /// two grid steps around it, nearest ring first, and within a ring the points nearest `pos`
    /// first (the middle of each side, then towards the corners); `pos` itself when the
    /// neighbourhood is full. Squares rather than circles: grid points without trigonometry (its
    /// code and tables cost the app ≈ 3 kB gzip, SIZE-NOTES.md).
    fn free_spot(&self, pos: Point, w: f64, h: f64) -> Point {
        let margin = 20.0;
        let free = |p: Point| {
            let r = Rect {
                x: p.x - margin,
                y: p.y - margin,
                w: w + 2.0 * margin,
                h: h + 2.0 * margin,
            };
            !self.doc.cards.iter().any(|c| c.rect.intersects(&r))
        };
        if free(pos) {
            return pos;
        }
        let step = 2.0 * geometry::GRID;
        for ring in 1..=12 {
            let r = f64::from(ring);
            for along in 0..=ring {
                let o = f64::from(along);
                for (dx, dy) in [
                    (r, o),
                    (r, -o),
                    (-r, o),
                    (-r, -o),
                    (o, r),
                    (-o, r),
                    (o, -r),
                    (-o, -r),
                ] {
                    let p = Point::new(snap(pos.x + dx * step), snap(pos.y + dy * step));
                    if free(p) {
                        return p;
                    }
                }
            }
        }
        pos
    }

    /// The edit connecting port `port` of widget `from` to `target`.
    fn port_edit(&self, from: usize, port: usize, target: Option<&str>) -> Result<Edit, EditError> {
        let p = self
            .doc
            .cards
            .get(from)
            .and_then(|c| c.ports.get(port))
            .ok_or(EditError::NoSuchWidget(from))?;
        match p.transition {
            Some(t) => edit::set_next(&self.doc.flow, from, t, target),
            None => edit::connect(&self.doc.flow, from, &p.event, target),
        }
    }

    pub(super) fn connect(&mut self, from: usize, port: usize, target: Option<usize>) {
        let name = target
            .and_then(|t| self.doc.flow.states.get(t))
            .map(|s| s.name.clone());
        if target.is_some() && name.is_none() {
            return;
        }
        let r = self.port_edit(from, port, name.as_deref());
        if self.commit_result(r, None, true) {
            self.chrome.overlay = None;
            self.doc.selected_edge = None;
        }
    }

    fn delete(&mut self) {
        if let Some((from, port)) = self.doc.selected_edge {
            let r = self.port_edit(from, port, None);
            if self.commit_result(r, None, true) {
                self.doc.selected_edge = None;
            }
            return;
        }
        self.delete_widgets();
    }

    fn delete_widgets(&mut self) {
        let doomed: Vec<usize> = self
            .doc
            .selection
            .iter()
            .copied()
            .filter(|&i| {
                self.doc
                    .flow
                    .states
                    .get(i)
                    .is_some_and(|s| s.kind != WidgetType::Trigger)
            })
            .collect();
        let had_trigger = doomed.len() < self.doc.selection.len();
        if doomed.is_empty() {
            if had_trigger {
                self.notify(Level::Info, "The Trigger cannot be deleted.".into());
            }
            return;
        }
        let r = edit::delete(&self.doc.flow, &doomed);
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
                    self.doc
                        .flow
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
                let seen = self.canvas.viewport.visible(self.canvas.size_or_default());
                let delta = if from_here && seen.intersects(&bbox) {
                    Offset { x: 40.0, y: 40.0 }
                } else {
                    let c = self.view_centre();
                    let (dx, dy) = (c.x - bbox.center().x, c.y - bbox.center().y);
                    if self.canvas.snap {
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
            Err(e) => self.notify(Level::Error, capitalize(&e.to_string())),
        }
    }

    fn insert_copies(&mut self, states: &[flowpen_flow::State], delta: Offset) {
        let (op, indices) = edit::paste(&self.doc.flow, states, delta);
        if self.commit(op, None, true) {
            self.set_selection(selection_of(indices));
        }
    }

    /// Moves widgets by a distance: one undo step, no revalidation.
    pub(super) fn move_widgets(&mut self, ids: &[usize], dx: f64, dy: f64) {
        let mut batch = Vec::with_capacity(ids.len());
        for &i in ids {
            let Some(s) = self.doc.flow.states.get(i) else {
                continue;
            };
            let at = s.offset();
            match edit::move_widget(
                &self.doc.flow,
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

    fn replace_widget(&mut self, index: usize, text: &str) {
        let Some(old) = self.doc.flow.states.get(index) else {
            return;
        };
        match clipboard::parse_widget(text) {
            Ok(state) => {
                if state.name != old.name {
                    if let Err(e) = edit::check_name(&self.doc.flow, index, &state.name) {
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

    /// Undo (`back`) or redo: applies the newest entry of one stack and files its reverse on the
    /// other (a redo keeps the rest of the redo stack).
    fn travel(&mut self, back: bool) {
        self.canvas.drag = None;
        let history = Rc::make_mut(&mut self.doc.history);
        let popped = if back {
            history.pop_undo()
        } else {
            history.pop_redo()
        };
        let Some(entry) = popped else {
            return;
        };
        // Breakpoints and stubs follow a widget whose name an undo or redo changes, as they
        // followed the rename itself (only a rename changes a name in place).
        let names_before: Option<Vec<String>> =
            (!self.project.breakpoints.is_empty() || !self.project.stubs.is_empty()).then(|| {
                self.doc
                    .flow
                    .states
                    .iter()
                    .map(|w| w.name.clone())
                    .collect()
            });
        let Some(change) = self.apply_change(&entry.change) else {
            return;
        };
        if let Some(before) = names_before {
            if before.len() == self.doc.flow.states.len() {
                let key = self.open_subflow_key();
                for (index, old) in before.into_iter().enumerate() {
                    if self.doc.flow.states[index].name != old {
                        self.follow_rename(Some((key.clone(), old)), index);
                    }
                }
            }
        }
        let reverse = Entry {
            change,
            selection: Rc::clone(&self.doc.selection),
            coalesce: None,
            revalidate: entry.revalidate,
        };
        let history = Rc::make_mut(&mut self.doc.history);
        if back {
            history.push_redo(reverse);
        } else {
            history.push_undo_keep_redo(reverse);
        }
        self.doc.selection = Rc::clone(&entry.selection);
        self.doc.selected_edge = None;
        self.refresh(entry.revalidate);
    }

    /// Applies an undo/redo change; returns the change that reverts it.
    fn apply_change(&mut self, change: &Change) -> Option<Change> {
        match change {
            Change::Edit(e) => match edit::apply(Rc::make_mut(&mut self.doc.flow), e.clone()) {
                Ok(inv) => Some(Change::Edit(inv)),
                Err(err) => {
                    self.notify(Level::Error, format!("Undo failed: {err}"));
                    None
                }
            },
            Change::Flow(f) => {
                let old = std::mem::replace(&mut self.doc.flow, Rc::clone(f));
                self.doc.cards = Rc::default();
                Some(Change::Flow(old))
            }
            Change::Project(f, parts) => {
                let old = std::mem::replace(&mut self.doc.flow, Rc::clone(f));
                let old_parts = self.project.restore(parts.clone());
                self.doc.cards = Rc::default();
                Some(Change::Project(old, old_parts))
            }
        }
    }
}
