//! `flowpen`: check, format and run Studio flows from a terminal, on the same core as the browser.
//!
//! ```text
//! flowpen check [--json] FLOW.json…   diagnostics; exit 1 when a flow has errors
//! flowpen fmt FLOW.json               the canonical export (Studio's formatting)
//! flowpen run [options] FLOW.json     a terminal simulator: messages, calls, subflows (see
//!                                     `flowpen help`)
//! flowpen test [options] [FILE|DIR]…  flow tests (`*.test.yaml`), in parallel; CI-friendly output
//! ```

mod fs;
mod http;
mod node;
mod run;
mod test;

use std::io::Write;
use std::process::ExitCode;

use flowpen_command::{check, usage, Output};
use flowpen_flow::Flow;

use fs::StdHost;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => emit(&check::check(&args[1..], &mut StdHost, &usage::native())),
        Some("fmt") => emit(&check::fmt(&args[1..], &mut StdHost, &usage::native())),
        Some("run") => run::run(&args[1..]),
        Some("test") => test::test(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{}", usage::native());
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{}", usage::native());
            ExitCode::from(2)
        }
    }
}

/// Reads and imports a flow file; the error is a line `file:line:column: error …`.
pub(crate) fn load(path: &str) -> Result<Flow, String> {
    check::read_flow(&mut StdHost, path).map(|(flow, _)| flow)
}

/// Prints a command's output and exits with its status.
fn emit(out: &Output) -> ExitCode {
    print!("{}", out.stdout);
    eprint!("{}", out.stderr);
    let _ = std::io::stdout().flush();
    ExitCode::from(out.code)
}
