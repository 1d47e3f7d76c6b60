//! JavaScript bindings to Flowpen's pure core, built with wasm-bindgen for Node (benchmarks) and
//! usable from any JavaScript host. One module per area of the core: `liquid` for templates,
//! `engine` for executions.
//!
//! This crate is a shell, not part of the pure core: nothing in the core depends on it.

pub mod engine;
pub mod liquid;
