//! What the cases of a test file run against: the main flow, the project's Functions and
//! environment, and its subflows. In the browser that is the open project; the CLI builds it
//! from the files the test file names.

use flowpen_flow::Flow;

use crate::project::{Document, FunctionsProject, ProjectRef, Subflow};

/// The flow under test and what travels with it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Target {
    pub flow: Flow,
    pub functions: FunctionsProject,
    pub subflows: Vec<Subflow>,
}

impl Target {
    /// A plain Studio flow (no Functions, no subflows).
    pub fn new(flow: Flow) -> Target {
        Target {
            flow,
            ..Target::default()
        }
    }

    /// The open project (its tests text is not needed here).
    pub fn from_project(p: ProjectRef<'_>) -> Target {
        Target {
            flow: p.flow.clone(),
            functions: p.functions.clone(),
            subflows: p.subflows.to_vec(),
        }
    }

    /// An opened file: a Studio flow or a project file.
    pub fn from_document(doc: Document) -> Target {
        match doc {
            Document::Flow(flow) => Target::new(flow),
            Document::Project(p) => Target {
                flow: p.flow,
                functions: p.functions,
                subflows: p.subflows,
            },
        }
    }

    /// The subflow a Run Subflow step ran, as the engine resolved it (see [`Subflows::resolve`]:
    /// the key `flow_sid`, else the widget's name; a later subflow registered under the same key
    /// replaced an earlier one).
    pub(crate) fn subflow_index(&self, flow_sid: &str, widget: &str) -> Option<usize> {
        let find = |key: &str| {
            (!key.is_empty())
                .then(|| {
                    self.subflows
                        .iter()
                        .rposition(|s| s.sid.trim() == key || s.name == key)
                })
                .flatten()
        };
        find(flow_sid.trim()).or_else(|| find(widget))
    }
}
