//! The engine's HTTP effect, carried out natively under Studio's rules: the request's time limit,
//! at most `max_response_bytes` read (one more byte tells the engine it was too large), redirects
//! followed as a browser follows them, every status handed back (the engine decides success: 2xx
//! and 3xx, so a redirect without a `Location` is a success with its own status and body).

use std::io::Read;
use std::time::Duration;

use flowpen_engine::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};

/// The host of Functions written in the playground: they run in the browser's sandbox only.
const PLAYGROUND_HOST: &str = "flowpen.local";

/// Performs `request` (blocking).
pub(crate) fn perform(request: &HttpRequest) -> Result<HttpResponse, TransportError> {
    let host = request
        .url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', ':']).next());
    if host.is_some_and(|h| h.eq_ignore_ascii_case(PLAYGROUND_HOST)) {
        return Err(TransportError {
            kind: TransportErrorKind::Network,
            message: format!(
                "{} is a Function written in the playground; it runs in the browser only. Point the widget at a deployed Function to call it from the terminal",
                request.url
            ),
        });
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_millis(request.timeout_ms)))
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .build()
        .into();
    // Redirects are followed here, as a browser's fetch follows them, so that a 3xx that cannot
    // be followed (no Location) reaches the engine as what it is: a response, which Studio counts
    // as a success. The time limit covers all the hops together.
    let mut hop = Hop {
        method: request.method.clone(),
        url: request.url.clone(),
        body: request.body.clone(),
    };
    for _ in 0..=MAX_REDIRECTS {
        let response = exchange(&agent, request, &hop)?;
        match next_hop(&hop, &response) {
            Some(next) => hop = next,
            None => return Ok(response),
        }
    }
    Err(TransportError {
        kind: TransportErrorKind::Network,
        message: format!("more than {MAX_REDIRECTS} redirects"),
    })
}

/// The most redirects followed (browsers follow 20; Studio does not say).
const MAX_REDIRECTS: usize = 10;

/// One request of a chain of redirects.
struct Hop {
    method: String,
    url: String,
    body: Option<String>,
}

/// Where a redirect leads, with fetch's rules: 301 and 302 turn a POST into a body-less GET, 303
/// turns anything but HEAD into a GET, 307 and 308 repeat the request as it was. `None`: the
/// response is the answer (not a redirect, or no usable `Location`).
fn next_hop(hop: &Hop, response: &HttpResponse) -> Option<Hop> {
    if !matches!(response.status, 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.header("location")?;
    let url = url::Url::parse(&hop.url).ok()?.join(location.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let method = hop.method.to_ascii_uppercase();
    let (method, body) = match response.status {
        301 | 302 if method == "POST" => ("GET".to_owned(), None),
        303 if method != "HEAD" => ("GET".to_owned(), None),
        _ => (hop.method.clone(), hop.body.clone()),
    };
    Some(Hop {
        method,
        url: url.into(),
        body,
    })
}

/// Performs one hop: the request's headers, at most `max_response_bytes + 1` of the body.
fn exchange(
    agent: &ureq::Agent,
    request: &HttpRequest,
    hop: &Hop,
) -> Result<HttpResponse, TransportError> {
    let network = |e: ureq::Error| match e {
        ureq::Error::Timeout(_) => flowpen_command::test::network_timeout(request),
        other => TransportError {
            kind: TransportErrorKind::Network,
            message: other.to_string(),
        },
    };
    let mut builder = ureq::http::Request::builder()
        .method(hop.method.as_str())
        .uri(hop.url.as_str());
    for (k, v) in &request.headers {
        // A body-less hop does not describe a body it does not send.
        if hop.body.is_none() && k.eq_ignore_ascii_case("content-type") {
            continue;
        }
        builder = builder.header(k.as_str(), v.as_str());
    }
    let body = hop.body.clone().unwrap_or_default().into_bytes();
    let built = builder.body(body).map_err(|e| TransportError {
        kind: TransportErrorKind::Network,
        message: e.to_string(),
    })?;
    let mut response = agent.run(built).map_err(network)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut bytes = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(request.max_response_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| TransportError {
            kind: TransportErrorKind::Network,
            message: e.to_string(),
        })?;
    Ok(HttpResponse {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}
