//! Undo and redo stacks. An entry holds what undoes one user action: the inverse [`Edit`] returned
//! by `flowpen_flow::edit::apply` (or the whole previous flow, for imports, with the project's
//! Functions when the import replaced them too), plus the selection from before the action.
//!
//! Entries are `Rc`s so that cloning the editor state (once per action) copies pointers only.

use std::collections::BTreeSet;
use std::rc::Rc;

use flowpen_flow::edit::Edit;
use flowpen_flow::Flow;

use super::project::ProjectParts;

/// How many undo steps are kept.
pub(crate) const LIMIT: usize = 500;

/// What an entry changes back.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// An edit (the inverse of what was done, or of what was undone).
    Edit(Edit),
    /// A whole flow (an import or "New flow" replaced the previous one).
    Flow(Rc<Flow>),
    /// A whole flow and the project's Functions (an example or a project file replaced both).
    Project(Rc<Flow>, ProjectParts),
}

/// One undo (or redo) step.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub change: Change,
    /// The selection to restore with the change.
    pub selection: Rc<BTreeSet<usize>>,
    /// Consecutive entries with the same key merge into one step (typing into one field).
    pub coalesce: Option<String>,
    /// Whether the change can alter diagnostics (moves cannot).
    pub revalidate: bool,
}

/// The undo and redo stacks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    undo: Vec<Rc<Entry>>,
    redo: Vec<Rc<Entry>>,
    /// Set when the user leaves a field: the next entry starts a new step even with the same key.
    sealed: bool,
}

impl History {
    /// Records a new user action; clears the redo stack.
    pub fn push(&mut self, entry: Entry) {
        self.redo.clear();
        let merge = !self.sealed
            && entry.coalesce.is_some()
            && self
                .undo
                .last()
                .is_some_and(|top| top.coalesce == entry.coalesce);
        self.sealed = false;
        if merge {
            if let Some(top) = self.undo.pop() {
                let change = merge_changes(entry.change, &top.change);
                self.undo.push(Rc::new(Entry {
                    change,
                    selection: Rc::clone(&top.selection),
                    coalesce: top.coalesce.clone(),
                    revalidate: top.revalidate || entry.revalidate,
                }));
                return;
            }
        }
        self.undo.push(Rc::new(entry));
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
    }

    /// Ends the current coalescing run.
    pub(crate) fn seal(&mut self) {
        self.sealed = true;
    }

    pub(crate) fn pop_undo(&mut self) -> Option<Rc<Entry>> {
        self.sealed = true;
        self.undo.pop()
    }

    pub(crate) fn pop_redo(&mut self) -> Option<Rc<Entry>> {
        self.sealed = true;
        self.redo.pop()
    }

    /// Pushes the entry that redoes an undone step.
    pub(crate) fn push_redo(&mut self, entry: Entry) {
        self.redo.push(Rc::new(entry));
    }

    /// Pushes the entry that undoes a redone step (keeps the redo stack).
    pub(crate) fn push_undo_keep_redo(&mut self, entry: Entry) {
        self.undo.push(Rc::new(entry));
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}

/// The inverse of "older, then newer" is "undo newer, then undo older". When both only replace
/// the same widget's properties, the older inverse alone restores everything.
fn merge_changes(newer: Change, older: &Change) -> Change {
    match (newer, older) {
        (
            Change::Edit(Edit::SetProperties { state: a, .. }),
            Change::Edit(Edit::SetProperties {
                state: b,
                properties,
            }),
        ) if a == *b => Change::Edit(Edit::SetProperties {
            state: *b,
            properties: properties.clone(),
        }),
        (
            Change::Edit(Edit::SetTransitions { state: a, .. }),
            Change::Edit(Edit::SetTransitions {
                state: b,
                transitions,
            }),
        ) if a == *b => Change::Edit(Edit::SetTransitions {
            state: *b,
            transitions: transitions.clone(),
        }),
        (Change::Edit(new), Change::Edit(old)) => Change::Edit(Edit::Batch(vec![new, old.clone()])),
        // A flow replacement never coalesces; keep the older state to be safe.
        (_, old) => old.clone(),
    }
}
