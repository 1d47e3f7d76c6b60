//! The project's flows on the canvas, one at a time: the main flow and its subflows (the flows its
//! Run Subflow widgets run). Each keeps its own undo history, selection and viewport while another
//! one is open; the open flow is the document, and `project.subflows` always holds the open
//! subflow's current flow (they share it), so saving and exporting never need the canvas.
//!
//! Whole-project changes (opening a project file, an example, a shared link) first bring the
//! main flow back to the canvas, so their undo step lives in the main flow's history.

use std::rc::Rc;

use flowpen_flow::edit::new_flow;
use flowpen_flow::{Flow, WidgetType};

use super::project::Parked;
use super::{Action, EditorState, Level, Overlay};
use crate::project::Subflow;

/// The longest subflow name and SID kept.
const MAX_NAME: usize = 200;

/// Applies a tab action (part of the project's concern).
pub(super) fn update(s: &mut EditorState, action: Action) {
    match action {
        Action::OpenFlow(target) => s.open_flow(target),
        Action::AddSubflow { text, source } => s.add_subflow(&text, &source),
        Action::NewSubflow => {
            let sid = s.unresolved_subflow_sid();
            s.insert_subflow(new_flow(), sid, "New subflow".into());
        }
        Action::RenameSubflow { index, name } => s.edit_subflow(index, |sub| {
            sub.name = clip(&name);
        }),
        Action::SetSubflowSid { index, sid } => s.edit_subflow(index, |sub| {
            sub.sid = clip(sid.trim());
        }),
        Action::RemoveSubflow(index) if index < s.project.subflows.len() => {
            s.chrome.overlay = Some(Overlay::ConfirmRemoveSubflow(index));
        }
        Action::ConfirmRemoveSubflow(index) => s.remove_subflow(index),
        other => super::debug::update(s, other),
    }
}

/// At most [`MAX_NAME`] characters.
fn clip(text: &str) -> String {
    text.chars().take(MAX_NAME).collect()
}

impl EditorState {
    /// The project's main flow (on the canvas or parked while a subflow is open).
    pub fn main_flow(&self) -> &Rc<Flow> {
        match (&self.project.open, &self.project.parked_main) {
            (Some(_), Some(parked)) => &parked.flow,
            _ => &self.doc.flow,
        }
    }

    /// Puts `target` (`None`: the main flow) on the canvas, parking the open flow.
    pub(super) fn open_flow(&mut self, target: Option<usize>) {
        if target == self.project.open || target.is_some_and(|i| i >= self.project.subflows.len()) {
            return;
        }
        let current = Parked {
            flow: Rc::clone(&self.doc.flow),
            history: Rc::clone(&self.doc.history),
            selection: Rc::clone(&self.doc.selection),
            viewport: self.canvas.viewport,
        };
        match self.project.open {
            None => self.project.parked_main = Some(current),
            Some(i) => {
                if self.project.parked.len() <= i {
                    self.project.parked.resize(i + 1, None);
                }
                self.project.parked[i] = Some(current);
            }
        }
        let parked = match target {
            None => self.project.parked_main.take(),
            Some(j) => self.project.parked.get_mut(j).and_then(Option::take),
        };
        let flow = match (target, &parked) {
            (_, Some(p)) => Rc::clone(&p.flow),
            (Some(j), None) => Rc::clone(&self.project.subflows[j].flow),
            // The main flow is always parked while a subflow is open.
            (None, None) => Rc::clone(&self.doc.flow),
        };
        self.project.open = target;
        self.doc.flow = flow;
        self.doc.history = parked
            .as_ref()
            .map_or_else(Rc::default, |p| Rc::clone(&p.history));
        self.doc.selection = parked
            .as_ref()
            .map_or_else(Rc::default, |p| Rc::clone(&p.selection));
        self.doc.selected_edge = None;
        self.doc.cards = Rc::default();
        self.canvas.cancel_gestures();
        self.chrome.overlay = None;
        self.refresh(true);
        match parked {
            Some(p) => self.canvas.viewport = p.viewport,
            None => {
                self.canvas.fit_pending = true;
                if self.canvas.canvas_size.x > 0.0 {
                    self.fit();
                }
            }
        }
    }

    /// Brings the main flow back to the canvas (before a whole-project change).
    pub(super) fn open_main(&mut self) {
        self.open_flow(None);
    }

    /// Keeps the open subflow's entry pointing at the document's flow (called after every change
    /// of the document).
    pub(super) fn sync_open_subflow(&mut self) {
        let Some(i) = self.project.open else {
            return;
        };
        let stale = self
            .project
            .subflows
            .get(i)
            .is_some_and(|s| !Rc::ptr_eq(&s.flow, &self.doc.flow));
        if stale {
            Rc::make_mut(&mut self.project.subflows)[i].flow = Rc::clone(&self.doc.flow);
        }
    }

    /// Adds a Studio flow (a file or pasted text) as a subflow and opens it.
    fn add_subflow(&mut self, text: &str, source: &str) {
        match Flow::parse(text) {
            Ok(flow) => {
                let name = flow
                    .description()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .unwrap_or("Subflow")
                    .to_owned();
                let sid = self.unresolved_subflow_sid();
                self.insert_subflow(flow, sid, clip(&name));
                let n = self.project.subflows.len();
                let mapped = self.project.subflows[n - 1].sid.clone();
                let how = if mapped.is_empty() {
                    " Give it the SID its Run Subflow widget names (or the widget's name) so that the widget runs it.".to_owned()
                } else {
                    format!(" Run Subflow widgets naming {mapped} run it.")
                };
                self.notify(
                    Level::Info,
                    format!("Added {source} as the subflow \"{name}\".{how}"),
                );
            }
            Err(e) => self.notify(
                Level::Error,
                format!(
                    "Could not add {source} as a subflow: line {}, column {}: {} (at {}). Nothing was changed.",
                    e.line, e.column, e.message, e.path
                ),
            ),
        }
    }

    /// The first SID a Run Subflow widget of the main flow names that no subflow has yet.
    fn unresolved_subflow_sid(&self) -> Option<String> {
        let known: Vec<&str> = self
            .project
            .subflows
            .iter()
            .flat_map(|s| [s.sid.as_str(), s.name.as_str()])
            .collect();
        self.main_flow()
            .states
            .iter()
            .filter(|s| s.kind == WidgetType::RunSubflow)
            .find(|s| {
                let sid = s.prop_str("flow_sid").unwrap_or_default().trim();
                !sid.is_empty() && !known.contains(&sid) && !known.contains(&s.name.as_str())
            })
            .and_then(|s| s.prop_str("flow_sid"))
            .map(|sid| sid.trim().to_owned())
    }

    /// Adds a subflow and opens it.
    fn insert_subflow(&mut self, flow: Flow, sid: Option<String>, name: String) {
        let subflows = Rc::make_mut(&mut self.project.subflows);
        subflows.push(Subflow {
            name,
            sid: sid.unwrap_or_default(),
            flow: Rc::new(flow),
        });
        let index = subflows.len() - 1;
        self.project.functions_rev += 1;
        self.open_flow(Some(index));
    }

    /// Changes a subflow's name or SID.
    fn edit_subflow(&mut self, index: usize, f: impl FnOnce(&mut Subflow)) {
        let Some(old) = self.project.subflows.get(index) else {
            return;
        };
        let mut new = old.clone();
        f(&mut new);
        if new != *old {
            // The subflow's breakpoints and stubs follow it to its new key.
            let (was, now) = (old.key().to_owned(), new.key().to_owned());
            if was != now {
                self.rekey_subflow(&was, &now);
            }
            Rc::make_mut(&mut self.project.subflows)[index] = new;
            self.project.functions_rev += 1;
        }
    }

    /// Removes a subflow (after the user confirmed), opening the main flow if it was open.
    fn remove_subflow(&mut self, index: usize) {
        self.chrome.overlay = None;
        if index >= self.project.subflows.len() {
            return;
        }
        match self.project.open {
            Some(i) if i == index => self.open_main(),
            Some(i) if i > index => self.project.open = Some(i - 1),
            _ => {}
        }
        let gone = Rc::make_mut(&mut self.project.subflows).remove(index);
        if index < self.project.parked.len() {
            self.project.parked.remove(index);
        }
        self.project.functions_rev += 1;
        self.notify(
            Level::Info,
            format!("Removed the subflow \"{}\".", gone.name),
        );
    }
}
