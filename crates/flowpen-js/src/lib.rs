//! The npm package's WebAssembly module: the pure crates for JavaScript. `wasm-pack` builds it
//! (`make npm`, `scripts/npm.sh`); the package's hand-written ES module wrapper (`npm/lib/`) is
//! its only caller and holds the public API (`validate`, `Liquid`, `run`, `runTests`, the
//! `flowpen` bin). Values cross as plain JavaScript values with serde-wasm-bindgen.
//!
//! This crate decides nothing: every rule is in the pure crates (`flowpen-flow`,
//! `flowpen-liquid`, `flowpen-engine`, `flowpen-playground`'s flow tests and Functions protocol,
//! `flowpen-command`'s output). It converts values, keeps the sans-IO state machines JavaScript
//! drives (a test file's [`flowtests::Loader`], a case's [`flowtests::CaseHandle`]) and hands out what the
//! JavaScript side runs (the Functions runtime and its Node adapter).
//!
//! - [`liquid`]: `LiquidService` (render with a context object, check, what a template reads);
//! - [`flow`]: `validate`, `format`;
//! - [`command`]: `flowpen check`/`fmt`, usage, `flowpen test`'s arguments and files;
//! - [`flowtests`]: loading test files, sessions of cases, one case's run with its shell requests;
//! - [`run`]: an execution driven by inputs (`run(flow, options)`);
//! - [`convert`]: values to and from JavaScript; [`host`]: the file system as JavaScript gives it.

pub mod command;
pub mod convert;
pub mod flow;
pub mod flowtests;
pub mod host;
pub mod liquid;
pub mod run;

use wasm_bindgen::prelude::wasm_bindgen;

/// The Functions runtime a worker runs (`functions/worker.js`, shared with the browser app).
#[wasm_bindgen(js_name = workerJs)]
pub fn worker_js() -> String {
    flowpen_playground::functions::WORKER_JS.to_owned()
}

/// The Node adapter that runs [`worker_js`] in a worker thread (shared with the native CLI).
#[wasm_bindgen(js_name = nodeAdapterJs)]
pub fn node_adapter_js() -> String {
    flowpen_playground::functions::NODE_ADAPTER_JS.to_owned()
}

/// The longest message a Function's worker may send, in characters: a larger one is not copied
/// into the module (the call ends as a crash that says so).
#[wasm_bindgen(js_name = maxMessageChars)]
pub fn max_message_chars() -> usize {
    flowpen_playground::functions::protocol::MAX_OUTCOME_CHARS
}

/// The package's version (the workspace's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
