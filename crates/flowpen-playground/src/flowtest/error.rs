//! What can go wrong, as typed values, and the one place that turns each into a sentence: a test
//! file that cannot be read ([`ReadError`]) and a case that fails ([`Failure`]).

use std::fmt;

use super::model::{ExpectStatus, Place};
use super::result::Output;
use super::yaml::YamlErrorKind;

/// Why a test file cannot be read, with the line and column (from 1) of the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    pub line: usize,
    pub column: usize,
    pub kind: ReadErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadErrorKind {
    /// Not YAML, or beyond the reader's limits.
    Yaml(YamlErrorKind),
    /// A field holds the wrong kind of value.
    Shape {
        field: String,
        expected: &'static str,
        found: &'static str,
    },
    /// A key that has no meaning here.
    UnknownKey {
        key: String,
        within: &'static str,
        allowed: &'static [&'static str],
    },
    /// A required key is missing.
    Missing { key: &'static str, within: String },
    /// A value that cannot be used, and why.
    Invalid { field: String, why: String },
    /// More items than the limit.
    TooMany { what: &'static str, limit: usize },
}

/// A field as a sentence names it: a key in backticks (`` `status` ``), a description as it is
/// (`a step`, `the test file`).
fn name(field: &str) -> String {
    if field.contains(' ') {
        field.to_owned()
    } else {
        format!("`{field}`")
    }
}

impl fmt::Display for ReadErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadErrorKind::Yaml(k) => write!(f, "{k}"),
            ReadErrorKind::Shape {
                field,
                expected,
                found,
            } => write!(f, "{} must be {expected}, found {found}", name(field)),
            ReadErrorKind::UnknownKey {
                key,
                within,
                allowed,
            } => write!(
                f,
                "unknown key `{key}` in {within} (expected one of: {})",
                allowed.join(", ")
            ),
            ReadErrorKind::Missing { key, within } => write!(f, "{within} needs `{key}`"),
            ReadErrorKind::Invalid { field, why } => write!(f, "{} {why}", name(field)),
            ReadErrorKind::TooMany { what, limit } => {
                write!(f, "too many {what}: a test file has at most {limit}")
            }
        }
    }
}

impl fmt::Display for ReadError {
    /// `line 3, column 5: …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.kind
        )
    }
}

impl std::error::Error for ReadError {}

/// The first thing that went differently than a case says.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    /// The conversation step it concerns (from 0), when it is about a step.
    pub step: Option<usize>,
    /// It happened while the execution started, before any step of the conversation (a request
    /// a REST or call start makes at once, say).
    pub start: bool,
    /// Where in the test file: the step, or the expectation.
    pub at: Place,
    /// The execution log's step it concerns (the one that sent an unexpected message, say), if any.
    pub log_step: Option<usize>,
    /// The widget it concerns, if any (for the canvas).
    pub widget: Option<String>,
    pub kind: FailureKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FailureKind {
    /// The flow sent something else than the `flow:` step expects.
    WrongOutput {
        expected: String,
        actual: Output,
    },
    /// A `flow:` step expects something the flow does not send; `state` says where it is instead.
    MissingOutput {
        expected: String,
        state: String,
    },
    /// The flow sent something that no `flow:` step expects (`before` names the step it came
    /// before, or none at the end).
    ExtraOutput {
        actual: Output,
        before: Option<String>,
    },
    /// An input the execution does not take now.
    NotWaiting {
        input: String,
        state: String,
    },
    /// The engine refused an input as it is.
    Refused {
        input: String,
        why: String,
    },
    /// `timeout` while nothing waits for time.
    NothingToTimeOut {
        state: String,
    },
    /// A request that no stub answers.
    NoStub {
        method: String,
        url: String,
        /// `https://flowpen.local/…` whose path no project Function serves.
        function: bool,
    },
    /// The shell could not answer a request (no `node`, say).
    Shell {
        url: String,
        message: String,
    },
    Status {
        expected: ExpectStatus,
        actual: String,
    },
    Reason {
        expected: String,
        actual: String,
    },
    Path {
        expected: Vec<String>,
        actual: Vec<String>,
        /// The first position where they differ.
        index: usize,
    },
    FlowData {
        path: String,
        expected: String,
        /// The value there as JSON, or `None` when the path leads nowhere.
        actual: Option<String>,
    },
}

impl Failure {
    /// The expected and the actual side, for a diff (`None` when the sentence says it all).
    pub fn diff(&self) -> Option<(String, String)> {
        match &self.kind {
            FailureKind::WrongOutput { expected, actual } => {
                Some((expected.clone(), actual.to_string()))
            }
            FailureKind::MissingOutput { expected, state } => {
                Some((expected.clone(), format!("(nothing: {state})")))
            }
            FailureKind::ExtraOutput { actual, .. } => {
                Some(("(no more output)".into(), actual.to_string()))
            }
            FailureKind::Status { expected, actual } => {
                Some((expected.name().to_owned(), actual.clone()))
            }
            FailureKind::Reason { expected, actual } => Some((expected.clone(), actual.clone())),
            FailureKind::Path {
                expected, actual, ..
            } => Some((list(expected), list(actual))),
            FailureKind::FlowData {
                expected, actual, ..
            } => Some((
                expected.clone(),
                actual.clone().unwrap_or_else(|| "(nothing there)".into()),
            )),
            _ => None,
        }
    }

    /// Where, in words: `step 3 (line 12)`, `expect (line 20)`, `after the last step (line 9)`,
    /// `the start (line 4)`.
    pub fn place(&self) -> String {
        let line = self.at.line;
        match (self.step, &self.kind) {
            (Some(i), _) => format!("step {} (line {line})", i + 1),
            (None, _) if self.start => format!("the start (line {line})"),
            (
                None,
                FailureKind::Status { .. }
                | FailureKind::Reason { .. }
                | FailureKind::Path { .. }
                | FailureKind::FlowData { .. },
            ) => format!("expect (line {line})"),
            (None, _) => format!("after the last step (line {line})"),
        }
    }
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

impl fmt::Display for FailureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailureKind::WrongOutput { expected, actual } => write!(
                f,
                "expected the flow to send {expected}, but it sent {actual}"
            ),
            FailureKind::MissingOutput { expected, state } => write!(
                f,
                "expected the flow to send {expected}, but it sent nothing more: {state}"
            ),
            FailureKind::ExtraOutput { actual, before } => match before {
                Some(step) => write!(
                    f,
                    "the flow sent {actual}, which no `flow:` step expects (before `{step}`)"
                ),
                None => write!(f, "the flow sent {actual}, which no `flow:` step expects"),
            },
            FailureKind::NotWaiting { input, state } => {
                write!(f, "{input}, but the execution does not take it: {state}")
            }
            FailureKind::Refused { input, why } => write!(f, "{input}, which is refused: {why}"),
            FailureKind::NothingToTimeOut { state } => {
                write!(f, "`timeout`, but nothing waits for time: {state}")
            }
            FailureKind::NoStub {
                method,
                url,
                function,
            } => {
                if *function {
                    write!(
                        f,
                        "{method} {url} has no stub, and no Function of the project serves that path; add it under `stubs:` (or add the Function)"
                    )
                } else {
                    write!(
                        f,
                        "{method} {url} has no stub; add it under `stubs:`, or allow the network (flowpen test --allow-network)"
                    )
                }
            }
            FailureKind::Shell { url, message } => {
                write!(f, "{url} could not be answered: {message}")
            }
            FailureKind::Status { expected, actual } => write!(
                f,
                "expected the execution to be {}, but it is {actual}",
                match expected {
                    ExpectStatus::Ended => "ended (normally)".to_owned(),
                    ExpectStatus::Waiting => "waiting".to_owned(),
                    ExpectStatus::Kind(k) => format!("ended with {}", k.name()),
                }
            ),
            FailureKind::Reason { expected, actual } => {
                write!(
                    f,
                    "expected the end to read {expected}, but it reads \"{actual}\""
                )
            }
            FailureKind::Path {
                expected,
                actual,
                index,
            } => {
                let n = index + 1;
                match (expected.get(*index), actual.get(*index)) {
                    (Some(want), Some(got)) => write!(
                        f,
                        "the path differs at widget {n}: expected {want}, the execution went to {got}"
                    ),
                    (Some(want), None) => write!(
                        f,
                        "the path is shorter: expected widget {n} to be {want}, but the execution went no further"
                    ),
                    (None, got) => write!(
                        f,
                        "the path is longer: expected it to end after widget {index}, but the execution went on to {}",
                        got.map_or("", String::as_str)
                    ),
                }
            }
            FailureKind::FlowData {
                path,
                expected,
                actual,
            } => match actual {
                Some(a) => write!(f, "Flow Data {path} is {a}, expected {expected}"),
                None => write!(f, "Flow Data has nothing at {path}, expected {expected}"),
            },
        }
    }
}

impl fmt::Display for Failure {
    /// `step 4 (line 12): expected the flow to send "And the largest?", but it sent …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), self.kind)
    }
}

impl std::error::Error for Failure {}
