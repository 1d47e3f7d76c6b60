//! The Flowpen playground's pure model: everything the browser app decides, as plain Rust that
//! runs and is tested natively, and that the `flowpen` command can use too.
//!
//! - [`editor`] is the editor's state and its one reducer (`EditorState::update(Action)`).
//! - [`project`] is what travels with the flow: its Functions and environment variables, the
//!   bundled examples, the saved texts and the project file.
//! - [`share`] is the share link: the project in the URL's fragment.
//! - [`recent`] is the list of recent projects (what the user had before something replaced it).
//! - [`trust`] is consent before code: what a link brought that may not run until the user agrees.
//! - [`simulator`] is the simulator's session model: executions driven by the engine, with the
//!   commands a shell carries out (HTTP requests, timers).
//! - [`functions`] is the pure half of the Functions runtime (routing, `event`/`context`, the
//!   worker's messages, the response mapping); a shell runs the JavaScript.
//! - [`flowtest`] is flow tests: the `.test.yaml` format, the sans-IO runner, results, coverage,
//!   *Save as test* and the YAML writer.
//!
//! **Invariant:** no browser, no IO, no clock. This crate never depends on `yew`, `web-sys`,
//! `js-sys`, `gloo` or `wasm-bindgen` (`scripts/check-pure-core.sh`); time comes in as an argument
//! and effects go out as data.

pub mod editor;
pub mod flowtest;
pub mod functions;
pub mod project;
pub mod recent;
pub mod share;
pub mod simulator;
pub mod trust;
mod url;

#[cfg(test)]
mod testing {
    //! Requests as the engine makes them, for the unit tests.

    use flowpen_engine::{form_encode, HttpRequest, RequestId};

    /// A `GET` request without headers.
    pub fn get(url: &str) -> HttpRequest {
        HttpRequest {
            id: RequestId(1),
            widget: "test".to_owned(),
            method: "GET".to_owned(),
            url: url.to_owned(),
            headers: Vec::new(),
            body: None,
            timeout_ms: 10_000,
            max_response_bytes: 64 * 1024,
        }
    }

    /// What Studio's Run Function widget sends: a form-encoded `POST` of the widget's parameters.
    pub fn form_post(url: &str, params: &[(String, String)]) -> HttpRequest {
        HttpRequest {
            method: "POST".to_owned(),
            headers: vec![(
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            )],
            body: Some(form_encode(params)),
            ..get(url)
        }
    }
}
