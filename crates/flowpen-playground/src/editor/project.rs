//! The project's part of the editor: its Functions and environment variables (saved and
//! exported with the flow) and the Function the Functions panel shows, with the actions of that
//! panel. The rules (paths, names) are [`crate::project::functions`]'s.

use std::rc::Rc;

use super::{Action, EditorState, Level, Panel};
use crate::project::functions::{self as rules, FunctionsProject};
use crate::project::{Project, Subflow, WidgetStub};
use crate::recent::Outgoing;
use crate::trust::{self, Pending};

/// What a project holds besides its main flow, as the editor shares it (an opened project
/// replaces all of it in one undo step).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectParts {
    pub functions: Rc<FunctionsProject>,
    pub subflows: Rc<Vec<Subflow>>,
    pub tests: Rc<String>,
    pub stubs: Rc<Vec<WidgetStub>>,
    /// The project came from a link, and its code (or its flow calling this browser's
    /// Functions) waits for consent (see [`crate::trust`]). Undo and redo carry it.
    pub untrusted: Option<Pending>,
}

impl ProjectParts {
    /// The parts of a project (its main flow aside).
    pub fn of(project: Project) -> ProjectParts {
        ProjectParts {
            functions: Rc::new(project.functions),
            subflows: Rc::new(project.subflows),
            tests: Rc::new(project.tests),
            stubs: Rc::new(project.stubs),
            untrusted: None,
        }
    }

    /// Just Functions (no subflows, no tests).
    pub fn functions(functions: FunctionsProject) -> ProjectParts {
        ProjectParts {
            functions: Rc::new(functions),
            ..ProjectParts::default()
        }
    }
}

/// The project's Functions, subflows and tests, which of its flows the canvas shows, and what the
/// Functions panel shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectState {
    pub functions: Rc<FunctionsProject>,
    /// The subflows Run Subflow widgets run. The open one (`open`) shares its flow with the
    /// document, so this list is always current.
    pub subflows: Rc<Vec<Subflow>>,
    /// The project's flow tests (the text of a `.test.yaml` file).
    pub tests: Rc<String>,
    /// The simulator's stubbed responses, per widget.
    pub stubs: Rc<Vec<WidgetStub>>,
    /// Increments whenever the Functions, the subflows' names or SIDs, the tests or the stubs
    /// change (autosave watches it with the document's revision).
    pub functions_rev: u64,
    /// The Function the Functions panel shows.
    pub selected_function: Option<usize>,
    /// The flow on the canvas: `None` the main flow, `Some(i)` subflow `i` (see `tabs`).
    pub open: Option<usize>,
    /// The main flow, with its history and view, while a subflow is open.
    pub(super) parked_main: Option<Parked>,
    /// Each subflow's history and view while it is not open (by index; `None`: never opened).
    pub(super) parked: Vec<Option<Parked>>,
    /// Where executions pause (before these widgets run): a widget of the main flow, or of a
    /// subflow by its SID (or name). Kept for the session, not saved.
    pub breakpoints: Rc<flowpen_engine::SortedSet<flowpen_engine::Breakpoint>>,
    /// What waits for consent (the project came from a link).
    pub untrusted: Option<Pending>,
    /// The keys of link contents the user consented to run (the shell keeps them in
    /// localStorage under [`trust::KEY`]).
    pub trusted: Rc<Vec<String>>,
    /// Projects put aside when something replaced them, for the shell to keep in Recent (the
    /// last few; the shell remembers which serial it handled).
    pub outgoing: Rc<Vec<Outgoing>>,
    /// The revisions (flow, Functions) at which the project was last opened from or written to
    /// a file (or a link, an example, New); `None`: it has changes no file holds.
    pub saved_at: Option<(u64, u64)>,
}

/// A flow that is not on the canvas, as the editor left it: the flow, its undo history, the
/// selection and the viewport.
#[derive(Clone, Debug, PartialEq)]
pub struct Parked {
    pub flow: Rc<flowpen_flow::Flow>,
    pub history: Rc<super::history::History>,
    pub selection: Rc<std::collections::BTreeSet<usize>>,
    pub viewport: super::geometry::Viewport,
}

impl ProjectState {
    /// Starts with `parts` (the first Function shown, the main flow on the canvas), as a fresh or
    /// restored editor does.
    pub(super) fn set(&mut self, parts: ProjectParts) {
        self.selected_function = (!parts.functions.functions.is_empty()).then_some(0);
        self.functions = parts.functions;
        self.subflows = parts.subflows;
        self.tests = parts.tests;
        self.stubs = parts.stubs;
        self.untrusted = parts.untrusted;
        self.open = None;
        self.parked_main = None;
        self.parked = Vec::new();
    }

    /// The parts as they are (cheap: shared pointers).
    pub fn parts(&self) -> ProjectParts {
        ProjectParts {
            functions: Rc::clone(&self.functions),
            subflows: Rc::clone(&self.subflows),
            tests: Rc::clone(&self.tests),
            stubs: Rc::clone(&self.stubs),
            untrusted: self.untrusted.clone(),
        }
    }

    /// What still waits for consent: the link's content, unless the user consented to it.
    pub fn blocked(&self) -> Option<&Pending> {
        self.untrusted
            .as_ref()
            .filter(|p| !self.trusted.contains(&p.key))
    }

    /// What a link brought that the user consented to (it runs; *Stop trusting* takes it back).
    pub fn consented(&self) -> Option<&Pending> {
        self.untrusted
            .as_ref()
            .filter(|p| self.trusted.contains(&p.key))
    }

    /// How many projects put aside are kept for the shell (it handles them at the next render).
    const OUTGOING_KEPT: usize = 8;

    /// Hands a project put aside to the shell.
    pub(super) fn put_aside(&mut self, mut outgoing: Outgoing) {
        let list = Rc::make_mut(&mut self.outgoing);
        outgoing.serial = list.last().map_or(1, |o| o.serial + 1);
        list.push(outgoing);
        if list.len() > Self::OUTGOING_KEPT {
            list.remove(0);
        }
    }

    /// Replaces the parts (an opened project); returns the old ones for the undo history.
    pub(super) fn replace(&mut self, parts: ProjectParts) -> ProjectParts {
        let old = self.parts();
        self.set(parts);
        self.functions_rev += 1;
        old
    }

    /// Puts back parts from the undo history (keeping the shown Function where it can); returns
    /// the replaced ones. Only the main flow's history holds such changes, so the main flow is
    /// open.
    pub(super) fn restore(&mut self, parts: ProjectParts) -> ProjectParts {
        let old = self.parts();
        let selected = self.selected_function;
        self.functions = parts.functions;
        self.subflows = parts.subflows;
        self.tests = parts.tests;
        self.stubs = parts.stubs;
        self.untrusted = parts.untrusted;
        self.parked = Vec::new();
        let n = self.functions.functions.len();
        self.selected_function = (n > 0).then(|| selected.unwrap_or(0).min(n - 1));
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
        Action::TrustFunctions => {
            let Some(pending) = p.blocked().cloned() else {
                return;
            };
            p.trusted = Rc::new(trust::with_key(&p.trusted, &pending.key));
            let text = if pending.shared_code {
                "Trusted: the shared Functions run from now on (and the next time this link opens)."
            } else {
                "Trusted: the shared flow may call your Functions from now on."
            };
            s.notify(Level::Info, text.into());
        }
        Action::ForgetTrust => {
            let Some(pending) = p.consented().cloned() else {
                return;
            };
            p.trusted = Rc::new(trust::without_key(&p.trusted, &pending.key));
            s.notify(
                Level::Info,
                "No longer trusted: the shared Functions do not run until you choose Trust and run again."
                    .into(),
            );
        }
        Action::SavedToFile => {
            p.saved_at = Some((s.doc.flow_rev, p.functions_rev));
        }
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
        Action::SetTests(text) => {
            if text.len() > crate::flowtest::MAX_TEXT_BYTES {
                s.notify(
                    Level::Error,
                    format!(
                        "The flow tests were not changed: a test file holds at most {} KiB.",
                        crate::flowtest::MAX_TEXT_BYTES / 1024
                    ),
                );
            } else if *p.tests != text {
                p.tests = Rc::new(text);
                p.functions_rev += 1;
            }
        }
        other => super::tabs::update(s, other),
    }
}
