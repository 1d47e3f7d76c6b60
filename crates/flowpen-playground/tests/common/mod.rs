//! Helpers the simulator's test files share (each file is its own test crate and uses some of
//! them).
#![allow(dead_code)]

use std::rc::Rc;

use flowpen_engine::{HttpResponse, TransportError};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use flowpen_playground::project::examples::example;
use flowpen_playground::simulator::Simulator;

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
