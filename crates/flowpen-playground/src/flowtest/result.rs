//! What a run of one case gives: pass or the first failure, the transcript, the execution log,
//! the path and the final Flow Data.

use std::fmt;

use flowpen_engine::{Audio, EndReason, Step, SubflowRef};
use serde_json::{json, Value};

use super::error::Failure;
use super::model::Place;
use crate::functions::LogLine;

/// Something the flow sent: a message, or audio on the call.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Message {
        widget: String,
        text: String,
        media: Option<String>,
    },
    /// Say/Play, or a Gather's prompt.
    Audio { widget: String, audio: Audio },
}

impl Output {
    pub fn widget(&self) -> &str {
        match self {
            Output::Message { widget, .. } | Output::Audio { widget, .. } => widget,
        }
    }
}

impl fmt::Display for Output {
    /// `"text" (from widget)`, with ` + media URL`; `say: text (from widget)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Message {
                widget,
                text,
                media,
            } => {
                write!(f, "\"{text}\"")?;
                if let Some(m) = media {
                    write!(f, " + media {m}")?;
                }
                write!(f, " (from {widget})")
            }
            Output::Audio { widget, audio } => write!(f, "{audio} (from {widget})"),
        }
    }
}

/// How a request was answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnsweredBy {
    /// A stub of the test file.
    Stub,
    /// The project's Function, run by the shell.
    Function,
    /// The network (`--allow-network`).
    Network,
}

/// One line of a case's transcript.
#[derive(Clone, Debug, PartialEq)]
pub enum Line {
    /// A conversation step's input (`contact: hi`, `press: 1#`, `timeout`, `wait: 30s`).
    Input { step: usize, text: String },
    /// The flow sent this.
    Output(Output),
    /// A request and how it was answered (`200`, `no response within 10 s`…).
    Http {
        widget: String,
        method: String,
        url: String,
        by: AnsweredBy,
        outcome: String,
    },
    /// A Function's console output.
    Log(LogLine),
    /// The execution ended (why).
    End(String),
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Line::Input { text, .. } => write!(f, "< {text}"),
            Line::Output(o) => write!(f, "> {o}"),
            Line::Http {
                method,
                url,
                by,
                outcome,
                ..
            } => {
                let by = match by {
                    AnsweredBy::Stub => "stub",
                    AnsweredBy::Function => "Function",
                    AnsweredBy::Network => "network",
                };
                write!(f, "  {method} {url} → {outcome} ({by})")
            }
            Line::Log(l) => write!(f, "  [{}] {}", l.level, l.text),
            Line::End(why) => write!(f, "  {why}"),
        }
    }
}

/// Where the execution waits at the end, if it waits.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitingAt {
    pub widget: String,
    /// Set when it waits inside a subflow.
    pub subflow: Option<SubflowRef>,
}

/// The result of one case.
#[derive(Clone, Debug, PartialEq)]
pub struct CaseResult {
    /// The case's name and position among the file's cases.
    pub name: String,
    pub index: usize,
    pub at: Place,
    /// `None`: the case passed.
    pub failure: Option<Failure>,
    pub transcript: Vec<Line>,
    /// The execution log.
    pub steps: Vec<Step>,
    /// The main flow's widgets in order (what `expect.path` compares).
    pub path: Vec<String>,
    /// How it ended (`None`: it waits, see `waiting`).
    pub end: Option<EndReason>,
    pub waiting: Option<WaitingAt>,
    /// The main flow's Flow Data at the end.
    pub flow_data: Value,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }

    /// How the execution stands, in words (`ended: …`, `waiting in max_value`).
    pub fn status_text(&self) -> String {
        match (&self.end, &self.waiting) {
            (Some(r), _) => r.to_string(),
            (None, Some(w)) => format!("waiting in {}", w.widget),
            (None, None) => "running".into(),
        }
    }

    /// The result as JSON (for `flowpen test --json` and the browser).
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "index": self.index,
            "line": self.at.line,
            "passed": self.passed(),
            "failure": self.failure.as_ref().map(|f| {
                let diff = f.diff();
                json!({
                    "message": f.to_string(),
                    "step": f.step,
                    "line": f.at.line,
                    "column": f.at.column,
                    "log_step": f.log_step,
                    "widget": f.widget,
                    "expected": diff.as_ref().map(|d| d.0.clone()),
                    "actual": diff.as_ref().map(|d| d.1.clone()),
                })
            }),
            "status": self.status_text(),
            "end": self.end.as_ref().map(EndReason::to_json),
            "path": self.path,
            "transcript": self.transcript.iter().map(ToString::to_string).collect::<Vec<_>>(),
        })
    }
}
