//! Flow tests: conversations kept as files (`NAME.test.yaml`) and run against a flow, the same
//! way in the browser and in CI (`flowpen test`). The README's "Flow tests" section is the
//! user's reference for the format; this module is its one implementation.
//!
//! - [`parse`] reads a test file (YAML, or JSON) into a [`TestFile`], or a [`ReadError`] at a
//!   line and column (`yaml` is the bounded YAML reader under it; `read` checks every field).
//! - [`Runner`] runs cases against a [`Target`] (the flow, its Functions and subflows). It is
//!   sans-IO: a case runs with its stubs and a virtual clock; a request only a shell can answer
//!   (a project Function, the network) comes out as a [`ShellRequest`] ([`CaseRun::poll`]) and goes
//!   back in with [`CaseRun::answer`]. [`Runner::run`] does both for a synchronous shell.
//! - A [`CaseResult`] holds pass or the first [`Failure`] (the conversation step, the line, the
//!   log step and widget it concerns, an expected/actual diff), the transcript, the log, the path
//!   and the final Flow Data; [`Coverage`] adds results up per flow.
//! - [`record`] turns a simulator execution into a case (*Save as test*), [`record_checked`]
//!   also replays it; [`write_case`], [`write_file`], [`add_case`] and [`set_flow`] write YAML.
//!
//! In the browser (the Tests panel): `parse(&project.tests)` gives the cases or a `ReadError`
//! with its line and column (live errors as the user types); `Target::from_project` is what they
//! run against (the test file's `flow`, `functions`, `env` and `subflows` are for the terminal).
//! A `ShellRequest::Function { request, options }` is answered by the Functions host
//! (`FunctionsHost::invoke_with(&functions, &request, &options)`, then
//! `ShellAnswer::Response { result: Ok(invocation.response), logs: invocation.logs }`), a
//! `ShellRequest::Network` (only with `RunOptions::allow_network`) by the simulator's fetch. The
//! coverage view reads `Coverage::flows` (hits per widget and per transition index). *Save as
//! test* is `record_checked(execution, name, &target)` then `add_case(&project.tests, &case,
//! file_name)`; exporting the tests for CI is `set_flow(&project.tests, project_file_name)`.
//!
//! Every input does bounded work: the YAML reader caps size, nesting and alias expansion, `read`
//! caps cases, steps and stubs, regexes are `regex-lite` with a size limit, globs match in
//! pattern × text steps, and the engine bounds each execution (1,000 steps).
//!
//! Sketch of a shell:
//!
//! ```
//! use flowpen_playground::flowtest::{self, Progress, RunOptions, Runner, ShellAnswer, Target};
//!
//! let flow = flowpen_flow::Flow::parse(flowpen_playground::project::examples::FIRST.json).unwrap();
//! let file = flowtest::parse(
//!     "tests:\n  - name: asks\n    conversation:\n      - contact: hi\n      - flow: Hi!*\n    expect: {status: waiting}\n",
//! ).unwrap();
//! let target = Target::new(flow);
//! let runner = Runner::new(&target, &file, RunOptions::default());
//! let mut run = runner.start(0, &file.cases[0]);
//! while let Progress::Request(request) = run.poll() {
//!     // Run the Function or fetch the URL, then:
//!     run.answer(ShellAnswer::Fail(format!("no shell for {}", request.request().url)));
//! }
//! let result = run.into_result();
//! assert!(result.passed(), "{:?}", result.failure);
//! let mut coverage = flowtest::Coverage::new(&target);
//! coverage.add(&target, &result);
//! assert_eq!(coverage.main().widget_counts(), (2, 6));
//! ```

mod check;
mod coverage;
mod error;
mod matcher;
mod model;
mod read;
mod record;
mod result;
mod run;
mod target;
mod time;
mod write;
mod yaml;

pub use coverage::{Coverage, FlowCoverage, TransitionCoverage, WidgetCoverage};
pub use error::{Failure, FailureKind, ReadError, ReadErrorKind};
pub use matcher::{Glob, TextMatch};
pub use model::{
    Action, Case, DataExpect, EndKind, Expect, ExpectStatus, Expected, FlowExpect, Place,
    RecordEnd, Start, Step, Stub, StubResponse, Stubs, TestFile, ValueMatch,
};
pub use read::{parse, MAX_CASES, MAX_RESPONSES, MAX_STEPS, MAX_STUBS};
pub use record::{record, record_checked, record_engine};
pub use result::{AnsweredBy, CaseResult, Line, Output, WaitingAt};
pub use run::{CaseRun, Progress, RunOptions, Runner, ShellAnswer, ShellRequest};
pub use target::Target;
pub use write::{add_case, set_flow, write_case, write_file};
pub use yaml::{YamlErrorKind, MAX_DEPTH, MAX_NODES, MAX_TEXT_BYTES};

/// When a case's execution starts unless it says `time:`: Monday 2026-01-05 17:00 UTC, which is
/// 09:00 in Studio's Pacific time (business hours, for flows that check them).
pub const DEFAULT_TIME_MS: u64 = 1_767_632_400_000;

/// The conventional test file name for a flow file (`random-number.json` →
/// `random-number.test.yaml`).
pub fn test_file_name(flow_file: &str) -> String {
    let stem = flow_file
        .strip_suffix(".flowpen.json")
        .or_else(|| flow_file.strip_suffix(".json"))
        .unwrap_or(flow_file);
    format!("{stem}.test.yaml")
}
