//! In-browser Twilio Functions: run Functions written in the playground with Twilio's contract.
//!
//! A Run Function widget whose URL is on the reserved host [`FUNCTIONS_HOST`]
//! (`https://flowpen.local/random`) calls the playground's Function at that path instead of the
//! network. [`FunctionsHost::invoke`] answers such a request the way twilio-run (Twilio's local
//! emulator) and production do: `exports.handler(context, event, callback)` runs in a Web Worker
//! started from a hidden, sandboxed, opaque-origin iframe, so Function code never runs in the app's
//! origin and cannot read its storage, cookies or DOM.
//!
//! The work is split so that everything that can be pure is pure and tested natively:
//! - [`request`]: routing (404, CORS preflight), `event` and `context` construction (pure);
//! - [`protocol`]: the messages exchanged with the sandbox and the worker (pure);
//! - [`response`]: the mapping from what the Function produced to an [`HttpResponse`] (pure);
//! - `host`: the only part that touches the browser (iframe, `MessageChannel`, timers).
//!
//! The JavaScript side is two small files included with `include_str!`: `functions/frame.js`
//! (the sandbox frame that starts one worker per call) and `functions/worker.js` (the worker
//! bootstrap: Twilio's globals, TwiML builders, `require('axios')`, console capture).

mod host;
pub mod protocol;
pub mod request;
pub mod response;

pub use host::FunctionsHost;

/// The reserved host of in-browser Functions; `context.DOMAIN_NAME` is this name.
pub const FUNCTIONS_HOST: &str = "flowpen.local";

/// Production's execution limit (Twilio ends a Function after 10 seconds; the caller gets a 504).
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;

/// One Function of the playground: its URL path (like `/random`) and its JavaScript source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionDef {
    /// The URL path; a missing leading `/` is added (`random` serves `/random`).
    pub path: String,
    /// The CommonJS source that sets `exports.handler`.
    pub code: String,
}

/// The Functions of a playground project and its environment variables (`context.NAME`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionsProject {
    /// The Functions; when two have the same path, the first one serves it.
    pub functions: Vec<FunctionDef>,
    /// Environment variables in order; they are spread over `context` after `PATH` and
    /// `DOMAIN_NAME`, so they may override them (as twilio-run's `.env` does).
    pub env: Vec<(String, String)>,
}

/// An HTTP request to a Function URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST`, `OPTIONS`… (case-insensitive).
    pub method: String,
    /// The absolute URL, like `https://flowpen.local/random?min=1`.
    pub url: String,
    /// Request headers in order; names are case-insensitive and may repeat.
    pub headers: Vec<(String, String)>,
    /// The body (form-encoded or JSON, following `Content-Type`).
    pub body: String,
}

impl HttpRequest {
    /// A `GET` request without headers.
    pub fn get(url: &str) -> Self {
        Self {
            method: "GET".to_owned(),
            url: url.to_owned(),
            ..Self::default()
        }
    }

    /// What Studio's Run Function widget sends: a form-encoded `POST` of the widget's parameters.
    pub fn form_post(url: &str, params: &[(String, String)]) -> Self {
        Self {
            method: "POST".to_owned(),
            url: url.to_owned(),
            headers: vec![(
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned(),
            )],
            body: request::form_urlencode(params),
        }
    }
}

/// The HTTP response of a Function, as twilio-run would send it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Response headers in order; a header may repeat (`Set-Cookie`).
    pub headers: Vec<(String, String)>,
    /// The body text.
    pub body: String,
}

impl HttpResponse {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Every value of a header, by case-insensitive name, in order.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The `Content-Type` header, if any.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }
}

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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Invocation {
    /// The HTTP response the caller gets.
    pub response: HttpResponse,
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

/// Whether `url` addresses an in-browser Function (`http(s)://flowpen.local/…`).
pub fn is_function_url(url: &str) -> bool {
    request::parse_url(url).is_some_and(|parts| parts.host.eq_ignore_ascii_case(FUNCTIONS_HOST))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use flowpen_testkit::shared_dir;

    use super::{is_function_url, HttpRequest, HttpResponse, InvokeOptions, DEFAULT_TIMEOUT_MS};

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("read {}: {error}", path.display()))
    }

    /// The browser tests run handlers that make the same calls as the seeds' Functions (a wasm test
    /// cannot read ../shared): every key line of the seeds must appear in tests/functions_web.rs.
    #[test]
    fn seed_handlers_match_the_browser_tests() {
        let Some(shared) = shared_dir("seed_handlers_match_the_browser_tests") else {
            return;
        };
        let tests = read(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests")
                .join("functions_web.rs"),
        );
        let dog = read(&shared.join("seeds").join("002_function-samples.js"));
        let first_sample = dog
            .split("// --- Sample 2")
            .next()
            .unwrap_or_default()
            .to_owned();
        let random_page = read(&shared.join("seeds").join("000_413be32dd542646e.txt"));
        let random = random_page
            .split("```javascript")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap_or_default()
            .to_owned();
        for (seed, code, markers) in [
            ("002 (dog breed)", first_sample, ["axios", "response."]),
            ("000 (random number)", random, ["event.", "callback("]),
        ] {
            let key_lines: Vec<&str> = code
                .lines()
                .map(str::trim)
                .filter(|line| !line.starts_with("//"))
                .filter(|line| markers.iter().any(|marker| line.contains(marker)))
                .collect();
            assert!(
                key_lines.len() >= 3,
                "seed {seed}: too few key lines {key_lines:?}"
            );
            for line in key_lines {
                assert!(
                    tests.contains(line),
                    "seed {seed}: {line:?} is missing from the browser tests' handler"
                );
            }
        }
    }

    #[test]
    fn the_default_limit_is_productions_ten_seconds() {
        assert_eq!(DEFAULT_TIMEOUT_MS, 10_000);
        assert_eq!(InvokeOptions::default().timeout_ms, 10_000);
        assert_eq!(InvokeOptions::default().fake_fetch, None);
    }

    #[test]
    fn function_urls_are_on_the_reserved_host() {
        assert!(is_function_url("https://flowpen.local/random"));
        assert!(is_function_url("http://flowpen.local/random?min=1"));
        assert!(is_function_url("HTTPS://Flowpen.Local/random"));
        assert!(is_function_url("https://flowpen.local:8443/random"));
        assert!(is_function_url("https://flowpen.local"));
        assert!(!is_function_url("https://example.twil.io/random"));
        assert!(!is_function_url("https://flowpen.local.example.com/random"));
        assert!(!is_function_url("ftp://flowpen.local/random"));
        assert!(!is_function_url("/random"));
        assert!(!is_function_url(""));
    }

    #[test]
    fn form_post_is_what_run_function_sends() {
        let request = HttpRequest::form_post(
            "https://flowpen.local/random",
            &[
                ("min".to_owned(), "1".to_owned()),
                ("say".to_owned(), "a&b c".to_owned()),
            ],
        );
        assert_eq!(request.method, "POST");
        assert_eq!(request.body, "min=1&say=a%26b+c");
        assert_eq!(
            request.headers,
            vec![(
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned()
            )]
        );
    }

    #[test]
    fn headers_are_found_by_case_insensitive_name() {
        let response = HttpResponse {
            status: 200,
            headers: vec![
                ("Content-Type".to_owned(), "text/plain".to_owned()),
                ("Set-Cookie".to_owned(), "a=1".to_owned()),
                ("set-cookie".to_owned(), "b=2".to_owned()),
            ],
            body: String::new(),
        };
        assert_eq!(response.content_type(), Some("text/plain"));
        assert_eq!(response.header_values("SET-COOKIE"), vec!["a=1", "b=2"]);
        assert_eq!(response.header("x-missing"), None);
    }
}
