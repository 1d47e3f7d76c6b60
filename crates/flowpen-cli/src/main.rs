//! `flowpen`: check, format and run Studio flows from a terminal, on the same core as the browser.
//!
//! ```text
//! flowpen check [--json] FLOW.json…   diagnostics; exit 1 when a flow has errors
//! flowpen fmt FLOW.json               the canonical export (Studio's formatting)
//! flowpen run [options] FLOW.json     a terminal simulator: messages, calls, subflows (see
//!                                     `flowpen help`)
//! flowpen test [options] [FILE|DIR]…  flow tests (`*.test.yaml`), in parallel; CI-friendly output
//! ```

mod http;
mod node;
mod run;
mod terminal;
mod test;

use std::process::ExitCode;

use flowpen_flow::{validate, Flow, Severity};
use serde_json::json;

const USAGE: &str = "\
usage:
  flowpen check [--json] FLOW.json...
      Prints the diagnostics of each flow as `file:widget:field: severity code message`
      (or a JSON list with --json). Exits 1 when a flow has errors or cannot be read.
  flowpen fmt FLOW.json
      Prints the flow as Studio exports it (2-space indent). An unedited Studio export comes back
      unchanged.
  flowpen run [--call | --rest JSON | --conversation | --subflow JSON] [--subflow-file KEY=FILE]...
              [--from ADDR] [--to ADDR] [--steps] [--flow-data] FLOW.json
      Runs the flow in the terminal; standard input plays the contact, the caller and the outside
      world, standard output is the conversation.
      How it starts: --call (an incoming call), --rest '{\"From\":…,\"To\":…,\"Parameters\":{…}}'
      (a REST API execution, Parameters become flow.data), --conversation (a Conversations message:
      the first line), --subflow '{\"name\":…}' (started as a subflow with those
      trigger.parent.parameters). Without one, the start the flow's Trigger connects when it
      connects only one, else an incoming message: the first line. Standard error says which.
      --subflow-file KEY=FILE gives Run Subflow widgets a flow, found by KEY: the widget's flow_sid
      (FW…) or the widget's name. Repeatable.
      The flow's messages print as `> text`, its speech as `> say: text (voice, language)`, audio as
      `> play: URL`, DTMF as `> digits: …`; a Gather and a Record Voicemail say what they take, and
      a widget that waits for the outside world (Connect Call To, Enqueue Call, Send to Flex, Make
      Outgoing Call, Capture Payments, …) prints what it does and the events it can end with, with
      the variables each sets. Each input line is, while the flow waits:
        1234#            keys on a call (a line is all the caller types; then the Gather submits)
        speech: TEXT     what the caller says (confidence 0.9)
        record: TEXT     a voicemail recording (the text stands in for the audio)
        hangup           the caller hangs up (on a call)
        event: NAME k=v  the outside world answers with event NAME, setting variable k to v
                         (k=\"v w\" for a value with spaces)
        anything else    the contact's reply to Send & Wait For Reply
      Run Function and Make HTTP Request call their URLs for real (10 s, 64 kB, 2xx/3xx). When
      input ends, the caller hangs up (on a call), a waiting widget times out, or the execution is
      stopped (an outside wait without a timeout).
      --from/--to: the contact's and the flow's addresses (defaults +15550001111, +15550002222).
      --steps prints the step log, --flow-data the final Flow Data as JSON (both on stdout, after
      the conversation). Exits 0 when the execution ended normally (a transition without a next
      widget, or the caller hanging up), 1 otherwise.
  flowpen test [--json] [--junit FILE] [--coverage] [--allow-network] [--filter TEXT] [--jobs N]
               [FILE|DIR]...
      Runs flow tests: each FILE.test.yaml (a DIR: every *.test.yaml under it; none: the current
      folder), its cases in parallel. Prints one line per case, for a failure the step that
      differed (expected vs what the flow did) and the transcript, then `N passed, N failed`;
      exits 1 when a case fails or a file cannot be read.
      --json prints the results as JSON; --junit FILE also writes JUnit XML for CI systems;
      --coverage lists per flow the widgets and transitions the cases went through and the ones
      none did; --filter TEXT runs the cases whose name contains TEXT (any case); --jobs N runs N
      cases at once (default: one per core).
      Requests are answered by the case's stubs; https://flowpen.local/PATH without a stub runs
      the project's Function with Node (`node` on PATH, or FLOWPEN_NODE); --allow-network makes
      other unstubbed URLs real requests (10 s, 64 kB, 2xx/3xx), and without it they fail the case.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("fmt") => fmt(&args[1..]),
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Reads and imports a flow file; the error is printed as `file:line:column: error …`.
pub(crate) fn load(path: &str) -> Result<Flow, String> {
    load_text(path).map(|(flow, _)| flow)
}

/// Like [`load`], also giving the file's text.
fn load_text(path: &str) -> Result<(Flow, String), String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("{path}: error read-error {e}"))?;
    let flow = Flow::parse(&text).map_err(|e| {
        format!(
            "{path}:{}:{}: error parse-error {} (at {})",
            e.line, e.column, e.message, e.path
        )
    })?;
    Ok((flow, text))
}

fn check(args: &[String]) -> ExitCode {
    let as_json = args.iter().any(|a| a == "--json");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut failed = false;
    let mut report = Vec::new();
    for path in files {
        match load(path) {
            Err(e) => {
                failed = true;
                if as_json {
                    report.push(json!({ "file": path, "severity": "error", "code": "parse-error", "message": e }));
                } else {
                    eprintln!("{}", terminal::visible(&e));
                }
            }
            Ok(flow) => {
                for d in validate(&flow) {
                    failed |= d.severity == Severity::Error;
                    if as_json {
                        report.push(json!({
                            "file": path,
                            "severity": d.severity.to_string(),
                            "code": d.code,
                            "widget": d.widget,
                            "field": d.field,
                            "line": d.position.map(|p| p.0),
                            "column": d.position.map(|p| p.1),
                            "message": d.message,
                        }));
                    } else {
                        println!("{}", terminal::visible(&format!("{path}:{d}")));
                    }
                }
            }
        }
    }
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn fmt(args: &[String]) -> ExitCode {
    let [path] = args else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match load_text(path) {
        Ok((flow, text)) => {
            let mut out = flow.to_pretty_string();
            // Studio's export box has no final newline; files saved by editors do. Keep the input's.
            if !text.ends_with('\n') {
                out.pop();
            }
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", terminal::visible(&e));
            ExitCode::from(1)
        }
    }
}
