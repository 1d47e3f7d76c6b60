//! Helpers the simulator's test files share (each file is its own test crate and uses some of
//! them).
#![allow(dead_code)]

use std::rc::Rc;

use flowpen_engine::{HttpRequest, HttpResponse, TransportError};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use flowpen_playground::project::examples::example;
use flowpen_playground::simulator::{Bubble, Command, Simulator, Via};

/// The simulated clock's start: 2026-01-01 00:00 UTC.
pub const T0: u64 = 1_767_225_600_000;

/// A bundled example's flow.
pub fn flow(file: &str) -> Flow {
    let ex = example(file).unwrap_or_else(|| panic!("no example {file}"));
    Flow::parse(ex.json).expect("the example parses")
}

/// A simulator with Studio's Liquid.
pub fn sim() -> Simulator {
    Simulator::new(Rc::new(Liquid::studio()))
}

/// A JSON response with `status`.
pub fn json_response(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.into(),
    })
}

/// The only HTTP command in `commands`: its execution, where it goes and the request.
pub fn http_command(commands: &[Command]) -> (u32, Via, HttpRequest) {
    let found: Vec<_> = commands
        .iter()
        .filter_map(|c| match c {
            Command::Http {
                execution,
                via,
                request,
            } => Some((*execution, *via, request.clone())),
            Command::Cancel { .. } | Command::Answer { .. } => None,
        })
        .collect();
    assert_eq!(found.len(), 1, "one request in {commands:?}");
    found[0].clone()
}

/// The only request in `commands`.
pub fn only_request(commands: &[Command]) -> HttpRequest {
    http_command(commands).2
}

/// The texts the flow sent in the selected execution.
pub fn flow_texts(s: &Simulator) -> Vec<String> {
    s.selected()
        .expect("an execution is selected")
        .chat
        .iter()
        .filter_map(|b| match b {
            Bubble::Flow { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}
