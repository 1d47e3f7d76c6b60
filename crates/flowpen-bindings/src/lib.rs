//! JavaScript (wasm-bindgen) bindings for the engine benchmark (`tests/bench/engine.mjs`): the
//! generated benchmark flow and a runner that executes it many times with one Liquid service, in
//! the JavaScript runtime of the browser's engine.
//!
//! This crate is a benchmark harness, not part of the pure core, and not the npm package (which
//! is `flowpen-js`: its Liquid API is what `tests/bench/liquid.mjs` measures).

pub mod engine;
