//! The debugger's part of the editor: breakpoints (kept for the session) and the simulator's
//! stubs (saved with the project), both addressed like the engine addresses a widget: its name,
//! and the key of the subflow it belongs to ([`crate::project::Subflow::key`]) when it is not the
//! main flow's. They follow a renamed widget and a subflow whose key changes.

use std::collections::BTreeSet;
use std::rc::Rc;

use flowpen_engine::{Breakpoint, SortedSet};
use flowpen_flow::WidgetType;

use super::{Action, EditorState};
use crate::flowtest::StubResponse;
use crate::project::WidgetStub;

/// A widget of the project: the key of its subflow (`None` for the main flow) and its name.
pub type WidgetAddress = (Option<String>, String);

/// Applies a debugger action (part of the project's concern).
pub(super) fn update(s: &mut EditorState, action: Action) {
    match action {
        Action::ToggleBreakpoint(index) => s.toggle_breakpoint(index),
        Action::SetStub { index, response } => {
            s.change_stub(index, |stub| stub.response = response)
        }
        Action::SwitchStub { index, on } => s.change_stub(index, |stub| stub.on = on),
        Action::RemoveStub(index) => {
            if let Some(addr) = s.widget_address(index) {
                if s.project.stubs.iter().any(|x| is_at(x, &addr)) {
                    Rc::make_mut(&mut s.project.stubs).retain(|x| !is_at(x, &addr));
                    s.project.functions_rev += 1;
                }
            }
        }
        _ => {}
    }
}

fn is_at(stub: &WidgetStub, (subflow, widget): &WidgetAddress) -> bool {
    stub.widget == *widget && stub.subflow == *subflow
}

/// Whether the simulator can stub a widget of this type: the ones that make a request.
pub fn stubbable(kind: &WidgetType) -> bool {
    matches!(kind, WidgetType::RunFunction | WidgetType::MakeHttpRequest)
}

/// A new stub's response: an empty JSON object, as a Function or an API most often answers.
pub fn default_stub_response() -> StubResponse {
    StubResponse {
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: "{}".into(),
        ..StubResponse::default()
    }
}

impl EditorState {
    /// Widget `index` of the flow on the canvas, as the project addresses it.
    pub fn widget_address(&self, index: usize) -> Option<WidgetAddress> {
        let widget = self.doc.flow.states.get(index)?.name.clone();
        Some((self.open_subflow_key(), widget))
    }

    /// The key of the subflow on the canvas (`None` on the main flow's tab): what the simulator
    /// runs as its top flow when an execution starts from this tab.
    pub fn open_subflow_key(&self) -> Option<String> {
        self.project
            .open
            .and_then(|i| self.project.subflows.get(i))
            .map(|sub| sub.key().to_owned())
    }

    /// The breakpoint on widget `index` of the flow on the canvas.
    pub fn breakpoint_at(&self, index: usize) -> Option<Breakpoint> {
        self.widget_address(index)
            .map(|(subflow, widget)| Breakpoint { subflow, widget })
    }

    /// Whether widget `index` of the flow on the canvas has a breakpoint.
    pub fn has_breakpoint(&self, index: usize) -> bool {
        self.breakpoint_at(index)
            .is_some_and(|b| self.project.breakpoints.contains(&b))
    }

    /// The names of the widgets of the flow on the canvas that have breakpoints.
    pub fn breakpoint_names(&self) -> BTreeSet<String> {
        let open = self.open_subflow_key();
        let mut names = BTreeSet::new();
        names.extend(
            self.project
                .breakpoints
                .iter()
                .filter(|b| b.subflow == open && self.doc.flow.index_of(&b.widget).is_some())
                .map(|b| b.widget.clone()),
        );
        names
    }

    /// The breakpoints as an execution sees them when its top flow is the subflow under key
    /// `runs` (`None`: the main flow). The simulator runs the flow on the canvas, so from a
    /// subflow's tab that subflow is the execution's own flow: its breakpoints become plain ones
    /// and the main flow's are left out (the main flow does not run). Decision: a breakpoint in
    /// a subflow pauses it whether it runs from its own tab or under a Run Subflow widget.
    pub fn engine_breakpoints(&self, runs: Option<&str>) -> SortedSet<Breakpoint> {
        let Some(key) = runs else {
            return (*self.project.breakpoints).clone();
        };
        // A `SortedSet` collects by insertion (no sort).
        self.project
            .breakpoints
            .iter()
            .filter_map(|b| match &b.subflow {
                None => None,
                Some(k) if k == key => Some(Breakpoint::at(&b.widget)),
                Some(_) => Some(b.clone()),
            })
            .collect()
    }

    /// The stub of widget `index` of the flow on the canvas, if it has one (on or off).
    pub fn stub_at(&self, index: usize) -> Option<&WidgetStub> {
        let addr = self.widget_address(index)?;
        self.project.stubs.iter().find(|s| is_at(s, &addr))
    }

    /// The names of the widgets of the flow on the canvas whose stub is switched on.
    pub fn stubbed_names(&self) -> BTreeSet<String> {
        let open = self.open_subflow_key();
        let mut names = BTreeSet::new();
        names.extend(
            self.project
                .stubs
                .iter()
                .filter(|s| s.on && s.subflow == open)
                .map(|s| s.widget.clone()),
        );
        names
    }

    /// The stub of the one selected widget, if exactly one is selected and it has one.
    pub fn selected_stub(&self) -> Option<&WidgetStub> {
        self.single_selection().and_then(|i| self.stub_at(i))
    }

    /// The stubs as an execution sees them when its top flow is the subflow under key `runs`
    /// (the same mapping as [`EditorState::engine_breakpoints`]).
    pub fn engine_stubs(&self, runs: Option<&str>) -> Vec<WidgetStub> {
        self.project
            .stubs
            .iter()
            .filter_map(|s| match (runs, &s.subflow) {
                (None, _) => Some(s.clone()),
                (Some(_), None) => None,
                (Some(key), Some(k)) if k == key => Some(WidgetStub {
                    subflow: None,
                    ..s.clone()
                }),
                (Some(_), Some(_)) => Some(s.clone()),
            })
            .collect()
    }

    /// Changes the stub of widget `index` (a Run Function or Make HTTP Request), making it when
    /// it has none (switched on, with [`default_stub_response`]).
    fn change_stub(&mut self, index: usize, f: impl FnOnce(&mut WidgetStub)) {
        let stubbable = self
            .doc
            .flow
            .states
            .get(index)
            .is_some_and(|w| stubbable(&w.kind));
        let Some(addr) = self.widget_address(index).filter(|_| stubbable) else {
            return;
        };
        let mut stub = self.stub_at(index).cloned().unwrap_or_else(|| WidgetStub {
            subflow: addr.0.clone(),
            widget: addr.1.clone(),
            on: true,
            response: default_stub_response(),
        });
        f(&mut stub);
        if self.stub_at(index) == Some(&stub) {
            return;
        }
        let stubs = Rc::make_mut(&mut self.project.stubs);
        match stubs.iter_mut().find(|s| is_at(s, &addr)) {
            Some(s) => *s = stub,
            None => stubs.push(stub),
        }
        self.project.functions_rev += 1;
    }

    /// After widget `index` was renamed: its breakpoint and stub (found at `before`) go with it.
    pub(super) fn follow_rename(&mut self, before: Option<WidgetAddress>, index: usize) {
        let (Some(old), Some(new)) = (before, self.widget_address(index)) else {
            return;
        };
        if old == new {
            return;
        }
        let (old_bp, new_bp) = (
            Breakpoint {
                subflow: old.0.clone(),
                widget: old.1.clone(),
            },
            Breakpoint {
                subflow: new.0.clone(),
                widget: new.1.clone(),
            },
        );
        if self.project.breakpoints.contains(&old_bp) {
            let set = Rc::make_mut(&mut self.project.breakpoints);
            set.remove(&old_bp);
            set.insert(new_bp);
        }
        if self.project.stubs.iter().any(|s| is_at(s, &old)) {
            for s in Rc::make_mut(&mut self.project.stubs).iter_mut() {
                if is_at(s, &old) {
                    s.widget = new.1.clone();
                }
            }
            self.project.functions_rev += 1;
        }
    }

    /// A subflow's key changed (a new SID or name): its breakpoints and stubs follow.
    pub(super) fn rekey_subflow(&mut self, was: &str, now: &str) {
        let moved = |k: &Option<String>| k.as_deref() == Some(was);
        if self.project.breakpoints.iter().any(|b| moved(&b.subflow)) {
            let set: SortedSet<Breakpoint> = self
                .project
                .breakpoints
                .iter()
                .map(|b| match moved(&b.subflow) {
                    true => Breakpoint::in_subflow(now, &b.widget),
                    false => b.clone(),
                })
                .collect();
            self.project.breakpoints = Rc::new(set);
        }
        if self.project.stubs.iter().any(|s| moved(&s.subflow)) {
            for s in Rc::make_mut(&mut self.project.stubs).iter_mut() {
                if moved(&s.subflow) {
                    s.subflow = Some(now.to_owned());
                }
            }
        }
    }

    fn toggle_breakpoint(&mut self, index: usize) {
        let Some(b) = self.breakpoint_at(index) else {
            return;
        };
        let set = Rc::make_mut(&mut self.project.breakpoints);
        if !set.remove(&b) {
            set.insert(b);
        }
        self.chrome.overlay = None;
    }
}

/// Headers as the stub editor shows them: one `Name: value` per line.
pub fn header_lines(headers: &[(String, String)]) -> String {
    headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the stub editor's headers: `Name: value` per line, blank lines skipped. The error names
/// the first line that is not a header.
pub fn parse_header_lines(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match line.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() && !name.trim().contains(' ') => {
                out.push((name.trim().to_owned(), value.trim().to_owned()));
            }
            _ => {
                return Err(format!(
                "line {}: a header is written Name: value (like Content-Type: application/json)",
                i + 1
            ))
            }
        }
    }
    Ok(out)
}

/// Reads a whole number field of the stub editor (status 100–999, a delay in ms).
pub fn parse_whole(text: &str, min: u64, max: u64) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(format!("a whole number from {min} to {max}")),
    }
}
