//! The execution log: one [`Step`] per widget run, like Studio's Steps, with what was rendered,
//! what happened, and the Flow Data changes the step made.

use serde_json::{json, Map, Value};

use crate::io::{HttpRequest, HttpResponse, TransportError, TriggerKind};

/// One widget run.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// Position in the log, from 0.
    pub index: usize,
    pub widget: String,
    pub widget_type: String,
    /// The event that left the widget (`None` when the execution ended inside it).
    pub event: Option<String>,
    /// Where the execution went next (`None`: it ended).
    pub next: Option<String>,
    pub started_ms: u64,
    pub ended_ms: u64,
    /// Rendered inputs, in the widget's property order (`body`, `to`, `url`, parameters…).
    pub inputs: Vec<(String, String)>,
    /// A one-line summary of what happened.
    pub outcome: String,
    pub detail: StepDetail,
    /// Flow Data changes made at the end of the step ("variables get set at the end of a step").
    /// A subflow's step changes the subflow's Flow Data.
    pub changes: Vec<Change>,
    /// Set when the step belongs to a subflow that a Run Subflow widget runs.
    pub subflow: Option<SubflowRef>,
}

/// Which subflow run a step belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubflowRef {
    /// The parent's Run Subflow widget.
    pub widget: String,
    /// The subflow's `flow_sid` as the widget names it.
    pub flow_sid: String,
    /// Counts the subflow runs of the execution from 0 (a Run Subflow widget may run twice).
    pub run: usize,
}

/// Widget-specific detail of a step.
#[derive(Clone, Debug, PartialEq)]
pub enum StepDetail {
    None,
    /// A split: the subject and every comparison made, in order.
    Split {
        subject: String,
        comparisons: Vec<Comparison>,
    },
    /// A Run Function or Make HTTP Request: the request and what came back.
    Http {
        request: HttpRequest,
        response: Result<HttpResponse, TransportError>,
    },
    /// Not a widget run: the execution began mid-flow at the step's widget, with edited Flow Data
    /// and a start of this kind (always step 0; see `crate::StartAt`).
    StartedAt {
        kind: TriggerKind,
    },
    /// Not a widget run: the user edited Flow Data while the execution was paused before the
    /// step's widget; `changes` are the edit.
    FlowDataEdited,
}

/// One condition a split evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Index of the transition in the widget's `transitions`.
    pub transition: usize,
    /// Condition type (`equal_to`, …).
    pub kind: String,
    /// The rendered value compared against.
    pub value: String,
    pub matched: bool,
    /// Why the comparison could not be made, if so.
    pub note: Option<String>,
}

/// A value set in Flow Data: `path` (like `["widgets", "ask"]` or `["flow", "variables", "count"]`)
/// now holds `value`.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub path: Vec<String>,
    pub value: Value,
}

impl Change {
    /// Applies the change to a context.
    pub fn apply(&self, ctx: &mut Value) {
        let mut cur = ctx;
        for key in &self.path {
            if !cur.is_object() {
                *cur = Value::Object(Map::new());
            }
            let Value::Object(o) = cur else { return };
            cur = o.entry(key.clone()).or_insert(Value::Null);
        }
        *cur = self.value.clone();
    }
}

impl Step {
    /// Whether the step is a widget's run (not a mark the debugger left in the log: a mid-flow
    /// start, a Flow Data edit).
    pub fn is_widget_run(&self) -> bool {
        !matches!(
            self.detail,
            StepDetail::StartedAt { .. } | StepDetail::FlowDataEdited
        )
    }

    /// The step as JSON (for the browser's log view and `flowpen run --steps`).
    pub fn to_json(&self) -> Value {
        let detail = match &self.detail {
            StepDetail::None => Value::Null,
            StepDetail::Split {
                subject,
                comparisons,
            } => json!({
                "subject": subject,
                "comparisons": comparisons.iter().map(|c| json!({
                    "transition": c.transition,
                    "type": c.kind,
                    "value": c.value,
                    "matched": c.matched,
                    "note": c.note,
                })).collect::<Vec<_>>(),
            }),
            StepDetail::Http { request, response } => json!({
                "request": {
                    "method": request.method,
                    "url": request.url,
                    "headers": pairs(&request.headers),
                    "body": request.body,
                },
                "response": match response {
                    Ok(r) => json!({"status": r.status, "headers": pairs(&r.headers), "body": r.body}),
                    Err(e) => json!({"error": e.message}),
                },
            }),
            StepDetail::StartedAt { kind } => json!({"started_at": kind.event()}),
            StepDetail::FlowDataEdited => json!({"flow_data_edited": true}),
        };
        json!({
            "index": self.index,
            "widget": self.widget,
            "type": self.widget_type,
            "event": self.event,
            "next": self.next,
            "started_ms": self.started_ms,
            "ended_ms": self.ended_ms,
            "inputs": pairs(&self.inputs),
            "outcome": self.outcome,
            "detail": detail,
            "subflow": self.subflow.as_ref().map(|r| json!({
                "widget": r.widget,
                "flow_sid": r.flow_sid,
                "run": r.run,
            })),
        })
    }
}

fn pairs(p: &[(String, String)]) -> Value {
    Value::Array(p.iter().map(|(k, v)| json!([k, v])).collect())
}
