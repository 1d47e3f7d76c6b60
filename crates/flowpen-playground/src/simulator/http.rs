//! The pure half of the shell's HTTP effect: where a request goes, how a browser response maps to
//! the engine's input, and the explanations of browser failures.
//!
//! The browser half (`hooks::fetch`) performs the request with `fetch` and classifies what went
//! wrong into a [`Failure`]; everything a user reads is written here and tested natively.

use flowpen_engine::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};

use crate::project::functions::{is_function_url, url_path};
use crate::url::parse_url;

/// Who answers a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// A Function of this project (`https://flowpen.local/…`), run in the sandboxed worker.
    Function,
    /// The network, with the browser's `fetch`.
    Network,
}

/// Where the engine's request goes.
pub fn via(url: &str) -> Via {
    if is_function_url(url) {
        Via::Function
    } else {
        Via::Network
    }
}

/// How many bytes of a body the shell reads: one more than the engine accepts, so that the engine
/// sees that it is too large and fails the widget itself.
pub fn read_limit(request: &HttpRequest) -> usize {
    request.max_response_bytes.saturating_add(1)
}

/// A response as the browser gave it: status, every header, and the first bytes of the body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The engine's input for a browser response: status, headers as the browser lists them, and the
/// body as text (invalid UTF-8 replaced, as a browser's `text()` does).
pub fn map_response(raw: RawResponse) -> HttpResponse {
    let body = match String::from_utf8(raw.body) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    HttpResponse {
        status: raw.status,
        headers: raw.headers,
        body,
    }
}

/// Why `fetch` gave no response, as far as the browser lets a page know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The URL is not an absolute `http(s)` URL.
    BadUrl,
    /// No response within the request's time limit: the shell aborted it.
    Timeout,
    /// `fetch` failed, but the same URL is reachable without CORS (a `no-cors` probe got an
    /// opaque response): the browser blocked the response because of CORS.
    Cors,
    /// `fetch` failed and the probe failed too: nothing answered.
    Network,
    /// An `https` page cannot call an `http` URL (mixed content).
    MixedContent,
    /// The shell cancelled the request (the execution was stopped or moved on).
    Cancelled,
    /// Anything else the browser reported (its own words).
    Other(String),
}

/// The host of a URL, for messages (the URL itself when it has none).
fn host(url: &str) -> String {
    parse_url(url).map_or_else(|| url.to_owned(), |p| p.host.to_owned())
}

/// Whether the URL is a Twilio Functions domain (`*.twil.io`).
pub fn is_twilio_function(url: &str) -> bool {
    parse_url(url).is_some_and(|p| {
        let h = p.host.to_ascii_lowercase();
        h == "twil.io" || h.ends_with(".twil.io")
    })
}

/// Checks a URL before fetching: absolute `http`/`https` URLs (and the browser's own `data:` and
/// `blob:` URLs, which need no network) are requested; anything else is refused.
pub fn check_url(url: &str) -> Result<(), Failure> {
    let lower = url.trim_start().to_ascii_lowercase();
    if parse_url(url).is_some() || lower.starts_with("data:") || lower.starts_with("blob:") {
        Ok(())
    } else {
        Err(Failure::BadUrl)
    }
}

/// Whether the page (at `page_origin`) may not call `url` at all: an `https` page calling `http`.
pub fn is_mixed_content(page_origin: &str, url: &str) -> bool {
    let page_https = page_origin.to_ascii_lowercase().starts_with("https:");
    let url_http = url.trim().to_ascii_lowercase().starts_with("http:");
    let local = parse_url(url).is_some_and(|p| {
        matches!(
            p.host.to_ascii_lowercase().as_str(),
            "localhost" | "127.0.0.1" | "[::1]"
        )
    });
    page_https && url_http && !local
}

/// Why a request is not a CORS "simple request" (so the browser sends a preflight `OPTIONS`
/// first), if it is not one.
pub fn preflight_reason(request: &HttpRequest) -> Option<String> {
    let method = request.method.to_ascii_uppercase();
    if !matches!(method.as_str(), "GET" | "HEAD" | "POST") {
        return Some(format!("its method is {method}"));
    }
    for (name, value) in &request.headers {
        if name.eq_ignore_ascii_case("content-type") {
            let media = value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            if !matches!(
                media.as_str(),
                "application/x-www-form-urlencoded" | "multipart/form-data" | "text/plain"
            ) {
                return Some(format!("its Content-Type is {media}"));
            }
        } else if !matches!(
            name.to_ascii_lowercase().as_str(),
            "accept" | "accept-language" | "content-language"
        ) {
            return Some(format!("it sends the header {name}"));
        }
    }
    None
}

/// The sentence about protected Twilio Functions.
const PROTECTED: &str = "Protected Functions only accept requests signed with X-Twilio-Signature, which Studio adds and a browser cannot (the signature needs your Auth Token). Set the Function's visibility to Public to call it from the playground, or copy its code into this project's Functions.";

/// The engine's transport error for a failure, with an explanation a user can act on.
pub fn explain(failure: &Failure, request: &HttpRequest, page_origin: &str) -> TransportError {
    let h = host(&request.url);
    let (kind, message) = match failure {
        Failure::BadUrl => (
            TransportErrorKind::Network,
            format!(
                "\"{}\" is not a URL the browser can call: it must start with https:// (or http://)",
                request.url
            ),
        ),
        Failure::Timeout => (
            TransportErrorKind::Timeout,
            format!(
                "no response within {} s: Studio gives Run Function and Make HTTP Request {} seconds, so the request was aborted",
                request.timeout_ms / 1000,
                request.timeout_ms / 1000
            ),
        ),
        Failure::Cors => {
            let mut m = format!(
                "the browser blocked the response (CORS): {h} answered, but without an Access-Control-Allow-Origin header that lets this page ({page_origin}) read it. Studio calls URLs from Twilio's servers, where CORS does not apply; a page in a browser may only read responses that allow it. A Twilio Function must add the header itself, on a Twilio.Response: response.appendHeader('Access-Control-Allow-Origin', '*')."
            );
            if let Some(reason) = preflight_reason(request) {
                m.push_str(&format!(
                    " This request also needs a preflight (the browser asks with OPTIONS first, because {reason}); the server must answer it with Access-Control-Allow-Origin and Access-Control-Allow-Headers."
                ));
            }
            if is_twilio_function(&request.url) {
                m.push_str(" If the Function is Protected, a browser cannot call it at all: ");
                m.push_str(PROTECTED);
            }
            (TransportErrorKind::Network, m)
        }
        Failure::Network => (
            TransportErrorKind::Network,
            format!(
                "network error: {h} could not be reached (nothing answered: a wrong host or port, a server that is down, a DNS or TLS certificate problem; the browser does not say which)"
            ),
        ),
        Failure::MixedContent => (
            TransportErrorKind::Network,
            format!(
                "the browser blocked the request: this page is served over https, and browsers do not let https pages call plain http URLs (mixed content). Use https://{h}/…"
            ),
        ),
        Failure::Cancelled => (
            TransportErrorKind::Network,
            "the request was cancelled: the execution stopped waiting for it".to_owned(),
        ),
        Failure::Other(text) => (
            TransportErrorKind::Network,
            format!("the browser could not complete the request: {text}"),
        ),
    };
    TransportError { kind, message }
}

/// A note for a response that a user should understand better: a 401 or 403 from a `*.twil.io`
/// URL is a protected Function.
pub fn response_note(request: &HttpRequest, status: u16) -> Option<String> {
    (matches!(status, 401 | 403) && is_twilio_function(&request.url)).then(|| {
        format!("HTTP {status} from a *.twil.io URL: this is most likely a Protected Function. {PROTECTED}")
    })
}

/// Why a call to this project's Functions (`flowpen.local`) is refused while what a link brought
/// waits for consent: the step explains and says what to do. `shared_code`: the link brought the
/// Functions (otherwise a flow that would call this browser's own Functions).
pub fn untrusted(request: &HttpRequest, shared_code: bool) -> TransportError {
    let path = url_path(&request.url).unwrap_or_default();
    let message = if shared_code {
        format!(
            "not run: {path} is a Function that came with a shared link, and shared code runs only after you look at it and choose Trust and run (in the Functions tab)"
        )
    } else {
        format!(
            "not run: this flow came from a shared link and would call your own Function {path} (with your environment values); choose Trust and run in the Functions tab to let it"
        )
    };
    TransportError {
        kind: TransportErrorKind::Network,
        message,
    }
}

/// Why a Function answered the way it did, when its status says more than the body: the host's
/// 404 for an unknown path and its 504 at the time limit.
pub fn function_note(request: &HttpRequest, response: &HttpResponse) -> Option<String> {
    let path = url_path(&request.url).unwrap_or_default();
    match response.status {
        404 => Some(format!(
            "This project has no Function at {path}: add it in the Functions tab, or pick one of the project's Functions for the widget's URL."
        )),
        504 => Some(format!(
            "The Function {path} did not call callback() within {} s, so it was stopped (Twilio's limit).",
            request.timeout_ms / 1000
        )),
        _ => None,
    }
}
