//! `flowpen`: check, format and run Studio flows from a terminal.

use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!("usage: flowpen <check|fmt|run> FLOW.json");
    ExitCode::from(2)
}
