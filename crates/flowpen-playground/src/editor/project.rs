//! The project's part of the editor: its Functions and environment variables (saved and
//! exported with the flow) and the Function the Functions panel shows, with the actions of that
//! panel. The rules (paths, names) are [`crate::project::functions`]'s.

use std::rc::Rc;

use super::{Action, EditorState, Level, Panel};
use crate::project::functions::{self as rules, FunctionsProject};

/// The project's Functions and what the Functions panel shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectState {
    pub functions: Rc<FunctionsProject>,
    /// Increments whenever the Functions change (autosave watches it).
    pub functions_rev: u64,
    /// The Function the Functions panel shows.
    pub selected_function: Option<usize>,
}

impl ProjectState {
    /// Starts with `functions` (the first one shown), as a fresh or restored editor does.
    pub(super) fn set(&mut self, functions: FunctionsProject) {
        self.selected_function = (!functions.functions.is_empty()).then_some(0);
        self.functions = Rc::new(functions);
    }

    /// Replaces the Functions (an opened project); returns the old ones for the undo history.
    pub(super) fn replace(&mut self, functions: Rc<FunctionsProject>) -> Rc<FunctionsProject> {
        let old = std::mem::replace(&mut self.functions, functions);
        self.selected_function = (!self.functions.functions.is_empty()).then_some(0);
        self.functions_rev += 1;
        old
    }

    /// Puts back Functions from the undo history (keeping the shown one where it can); returns
    /// the replaced ones.
    pub(super) fn restore(&mut self, functions: Rc<FunctionsProject>) -> Rc<FunctionsProject> {
        let old = std::mem::replace(&mut self.functions, functions);
        let n = self.functions.functions.len();
        self.selected_function = (n > 0).then(|| self.selected_function.unwrap_or(0).min(n - 1));
        self.functions_rev += 1;
        old
    }

    /// Applies `f` to a copy of the Functions and keeps it when `f` says it changed them, so
    /// that an edit that changes nothing leaves the state as it was.
    fn change<E>(
        &mut self,
        f: impl FnOnce(&mut FunctionsProject) -> Result<bool, E>,
    ) -> Result<bool, E> {
        let mut next = (*self.functions).clone();
        let changed = f(&mut next)?;
        if changed {
            self.functions = Rc::new(next);
            self.functions_rev += 1;
        }
        Ok(changed)
    }
}

/// An edit of the Functions that cannot fail.
type Never = std::convert::Infallible;

/// Applies an action of the Functions panel.
pub(super) fn update(s: &mut EditorState, action: Action) {
    let p = &mut s.project;
    match action {
        Action::AddFunction => {
            let mut added = 0;
            let _ = p.change(|f| {
                added = rules::add_function(f);
                Ok::<_, Never>(true)
            });
            p.selected_function = Some(added);
            s.chrome.panel = Panel::Functions;
        }
        Action::SelectFunction(i) if i < p.functions.functions.len() => {
            p.selected_function = Some(i);
        }
        Action::RenameFunction { index, path } => {
            let renamed = p.change(|f| -> Result<bool, rules::PathError> {
                let before = f.functions.get(index).map(|d| d.path.clone());
                rules::rename(f, index, &path)?;
                Ok(f.functions.get(index).map(|d| d.path.clone()) != before)
            });
            if let Err(e) = renamed {
                s.notify(Level::Error, e.to_string());
            }
        }
        Action::SetFunctionCode { index, code } => {
            let _ = p.change(|f| Ok::<_, Never>(rules::set_code(f, index, &code)));
        }
        Action::DeleteFunction(i) => {
            let mut removed = None;
            let _ = p.change(|f| {
                removed = rules::remove(f, i);
                Ok::<_, Never>(removed.is_some())
            });
            if let Some(f) = removed {
                let n = p.functions.functions.len();
                p.selected_function = (n > 0).then(|| i.min(n - 1));
                s.notify(Level::Info, format!("Deleted the Function {}.", f.path));
            }
        }
        Action::AddEnv => {
            let _ = p.change(|f| {
                f.env.push((String::new(), String::new()));
                Ok::<_, Never>(true)
            });
        }
        Action::SetEnv { item, field, text } => {
            let _ = p.change(|f| Ok::<_, Never>(rules::set_env(f, item, field, &text)));
        }
        Action::RemoveEnv(item) => {
            let _ = p.change(|f| {
                let found = item < f.env.len();
                if found {
                    f.env.remove(item);
                }
                Ok::<_, Never>(found)
            });
        }
        _ => {}
    }
}
