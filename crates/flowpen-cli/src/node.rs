//! Playground Functions under Node: `flowpen test` answers a request for a project Function
//! (`https://flowpen.local/PATH`) the way the browser's Functions host does, with the same
//! JavaScript (`flowpen_playground::functions::WORKER_JS`), the same invocation message, the same
//! output limits (`protocol::Intake`) and the same conclusion (`protocol::conclude`).
//!
//! One call is one `node` process running the Node adapter (`functions::NODE_ADAPTER_JS`, which
//! the npm package runs as a worker thread), which gives the runtime what a Web Worker gives it. The process is stopped after the outcome or at the time limit (then the
//! answer is twilio-run's 504), as the sandbox frame terminates its worker. `FLOWPEN_NODE` names
//! the Node binary (default: `node` on PATH). Unlike the browser's sandbox, Node does not isolate
//! the code: it is the project's own, run on the machine that runs the tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use flowpen_engine::HttpRequest;
use flowpen_playground::functions::protocol::{
    conclude, invoke_message, Intake, MAX_OUTCOME_CHARS,
};
use flowpen_playground::functions::request::{route, Routed};
use flowpen_playground::functions::{Invocation, InvokeOptions, NODE_ADAPTER_JS, WORKER_JS};
use flowpen_playground::project::FunctionsProject;

/// The longest line read from the process: an outcome at the limit, JSON-escaped twice over.
const MAX_LINE_BYTES: usize = MAX_OUTCOME_CHARS * 12 + 64;

/// The Node binary to run.
fn node_binary() -> String {
    std::env::var("FLOWPEN_NODE")
        .ok()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "node".to_owned())
}

/// The shell's clock, for the time limit. The core never reads one.
#[allow(clippy::disallowed_methods)] // the shell owns time: the Function's 10 s limit is real time
fn now() -> std::time::Instant {
    std::time::Instant::now()
}

/// What the reader of the process's output passes on.
enum Read_ {
    Line(String),
    TooLong(usize),
}

/// Answers `request` by running the project's Function with Node. `Err` says why no answer can
/// be had at all (no Node).
pub(crate) fn invoke(
    project: &FunctionsProject,
    request: &HttpRequest,
    options: &InvokeOptions,
) -> Result<Invocation, String> {
    let call = match route(project, request) {
        Routed::Respond(response) => {
            return Ok(Invocation {
                response,
                logs: Vec::new(),
                duration_ms: 0.0,
            })
        }
        Routed::Run(call) => call,
    };
    let message = invoke_message(project, &call, options);
    let input = serde_json::json!({ "runtime": WORKER_JS, "invocation": message }).to_string();
    let node = node_binary();
    let started = now();
    let mut child = Command::new(&node)
        .arg("-e")
        .arg(NODE_ADAPTER_JS)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "`{node}` was not found: flowpen test runs the project's Functions with Node.js (18 or later); install it (or set FLOWPEN_NODE), or stub {} in the test",
                    request.url
                )
            } else {
                format!("could not start `{node}` to run the Function: {e}")
            }
        })?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(format!("could not talk to `{node}`"));
    };
    let limit = Duration::from_millis(u64::from(options.timeout_ms));
    let messages = std::thread::scope(|scope| {
        scope.spawn(move || {
            // A Function that never reads its input cannot block the shell: this thread owns it.
            let _ = stdin.write_all(input.as_bytes());
        });
        let (lines, received) = mpsc::channel::<Read_>();
        scope.spawn(move || read_lines(stdout, &lines));
        let mut intake = Intake::new();
        loop {
            // The time limit is the sandbox frame's: then the worker is stopped (a 504).
            let wait = limit.saturating_sub(started.elapsed());
            match received.recv_timeout(wait) {
                Ok(Read_::Line(line)) => {
                    let text = serde_json::from_str::<String>(&line).unwrap_or(line);
                    if intake.push(text) {
                        break;
                    }
                }
                Ok(Read_::TooLong(bytes)) => {
                    intake.too_large(bytes);
                    break;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let timeout = serde_json::json!({
                        "type": "timeout",
                        "timeout_ms": options.timeout_ms,
                    });
                    intake.push(timeout.to_string());
                    break;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = child
                        .try_wait()
                        .ok()
                        .flatten()
                        .map_or_else(|| "ended".to_owned(), |s| s.to_string());
                    let crash = serde_json::json!({
                        "type": "crash",
                        "message": format!("the Function's Node process ended without an answer ({status})"),
                    });
                    intake.push(crash.to_string());
                    break;
                }
            }
        }
        // Stopping the process closes its output, which ends the reader.
        let _ = child.kill();
        let _ = child.wait();
        intake.finish()
    });
    let (response, logs) = conclude(&messages, &call.method, options.timeout_ms);
    Ok(Invocation {
        response,
        logs,
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
    })
}

/// Reads newline-separated messages, each at most [`MAX_LINE_BYTES`].
fn read_lines(stdout: impl Read, lines: &mpsc::Sender<Read_>) {
    let mut reader = BufReader::new(stdout);
    let mut line: Vec<u8> = Vec::new();
    loop {
        let Ok(buf) = reader.fill_buf() else { return };
        if buf.is_empty() {
            return;
        }
        let (take, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if line.len() > MAX_LINE_BYTES {
            let _ = lines.send(Read_::TooLong(line.len()));
            return;
        }
        if done {
            let text = String::from_utf8_lossy(&line).trim_end().to_owned();
            line.clear();
            if lines.send(Read_::Line(text)).is_err() {
                return;
            }
        }
    }
}
