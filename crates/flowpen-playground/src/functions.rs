//! The pure half of the Functions runtime: Twilio Functions written in the playground run with
//! twilio-run's contract (`exports.handler(context, event, callback)`, `Twilio.Response`, TwiML,
//! the 10 s limit). A Run Function widget whose URL is a project Function
//! (`https://flowpen.local/random`, see [`crate::project::functions`]) is answered by a host that
//! runs the code (the browser's sandboxed worker in `flowpen-web`); everything a host needs
//! besides running JavaScript is here, pure and tested natively:
//!
//! - [`request`]: routing (404, CORS preflight), `event` and `context` construction;
//! - [`message`]: the messages a worker sends back, parsed;
//! - [`response`]: the mapping from what the Function produced to the engine's `HttpResponse`;
//! - [`protocol`]: the invocation message and the conclusion of a call from its messages.
//!
//! Requests and responses are the engine's own `HttpRequest` and `HttpResponse`.
//!
//! The JavaScript that runs a Function is one file, [`WORKER_JS`] (`functions/worker.js`): the
//! browser starts it as a Web Worker inside its sandbox frame, and `flowpen test` (the native CLI's
//! and the npm package's) runs it under Node with a small adapter, [`NODE_ADAPTER_JS`]
//! (`functions/node.js`), that gives it what a worker has (`self`, `postMessage`, `onmessage`, the
//! `error` and `unhandledrejection` events), in a `node` process or a worker thread. Both shells
//! keep the same contract and limits, so the file must only use what both offer (`fetch`,
//! `Response`, `Request`, `Blob`, `FormData`, `URLSearchParams` are globals in browsers and in
//! Node 18+). Comments in it are shipped with the app (`dist/functions/worker.js`): keep them short.

pub mod message;
pub mod protocol;
pub mod request;
pub mod response;

/// The worker bootstrap: Twilio's globals (`Twilio`, `Runtime`, `Functions`, `Response`), TwiML
/// builders, `require('axios')`, console capture. It receives one invocation message
/// ([`protocol::invoke_message`]) and answers with `log` messages and one `outcome`.
pub const WORKER_JS: &str = include_str!("functions/worker.js");

/// The Node adapter that runs [`WORKER_JS`] for one call: as `node -e` (the native CLI: the
/// invocation on standard input, the messages as lines of JSON strings on standard output) or as
/// a `worker_threads` worker (the npm package: `workerData` in, `postMessage` out).
pub const NODE_ADAPTER_JS: &str = include_str!("functions/node.js");

/// Production's execution limit (Twilio ends a Function after 10 seconds; the caller gets a 504).
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;

/// One line of a Function's log: its `console` output and the host's own notes (timeouts,
/// uncaught errors).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogLine {
    /// `log`, `info`, `warn` or `error`.
    pub level: String,
    /// The formatted text.
    pub text: String,
}

impl LogLine {
    /// A line at the given level.
    pub fn new(level: &str, text: impl Into<String>) -> Self {
        Self {
            level: level.to_owned(),
            text: text.into(),
        }
    }
}

/// The result of one call: the response, the log, and how long it took.
#[derive(Clone, Debug, PartialEq)]
pub struct Invocation {
    /// The HTTP response the caller gets.
    pub response: flowpen_engine::HttpResponse,
    /// The Function's console output and the host's notes, in order.
    pub logs: Vec<LogLine>,
    /// Wall-clock time from handing the request to the sandbox to the answer, in milliseconds
    /// (0 when no Function ran: 404, preflight, unreadable body).
    pub duration_ms: f64,
}

/// How one call runs: the time limit and, for tests only, canned answers for `fetch`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvokeOptions {
    /// After this many milliseconds without `callback`, the worker is stopped and the call is a 504.
    pub timeout_ms: u32,
    /// Test-only: when set, the worker's `fetch` (and so `axios`) answers from this list instead
    /// of the network, and fails like a network error for any other URL.
    pub fake_fetch: Option<Vec<FakeFetchResponse>>,
}

impl InvokeOptions {
    /// The given time limit and the real `fetch`.
    pub fn with_timeout(timeout_ms: u32) -> Self {
        Self {
            timeout_ms,
            fake_fetch: None,
        }
    }
}

impl Default for InvokeOptions {
    fn default() -> Self {
        Self::with_timeout(DEFAULT_TIMEOUT_MS)
    }
}

/// A canned answer of the test-only fake `fetch`, for one exact URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FakeFetchResponse {
    /// The exact URL the Function fetches.
    pub url: String,
    /// The status code.
    pub status: u16,
    /// Response headers.
    pub headers: Vec<(String, String)>,
    /// The body text.
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::{InvokeOptions, DEFAULT_TIMEOUT_MS};

    #[test]
    fn the_default_limit_is_productions_ten_seconds() {
        assert_eq!(DEFAULT_TIMEOUT_MS, 10_000);
        assert_eq!(InvokeOptions::default().timeout_ms, 10_000);
        assert_eq!(InvokeOptions::default().fake_fetch, None);
    }
}
