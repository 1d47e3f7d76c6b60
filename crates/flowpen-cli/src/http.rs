//! The engine's HTTP effect, carried out natively under Studio's rules: the request's time limit,
//! at most `max_response_bytes` read (one more byte tells the engine it was too large), redirects
//! followed, every status handed back (the engine decides success).

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
        .max_redirects(10)
        .build()
        .into();
    let network = |e: ureq::Error| match e {
        ureq::Error::Timeout(_) => TransportError {
            kind: TransportErrorKind::Timeout,
            message: format!("no response within {} s", request.timeout_ms / 1000),
        },
        other => TransportError {
            kind: TransportErrorKind::Network,
            message: other.to_string(),
        },
    };
    let mut builder = http_request(request);
    for (k, v) in &request.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let result = match &request.body {
        Some(body) => {
            agent.run(
                builder
                    .body(body.clone().into_bytes())
                    .map_err(|e| TransportError {
                        kind: TransportErrorKind::Network,
                        message: e.to_string(),
                    })?,
            )
        }
        None => agent.run(builder.body(Vec::new()).map_err(|e| TransportError {
            kind: TransportErrorKind::Network,
            message: e.to_string(),
        })?),
    };
    let mut response = result.map_err(network)?;
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

fn http_request(request: &HttpRequest) -> ureq::http::request::Builder {
    ureq::http::Request::builder()
        .method(request.method.as_str())
        .uri(request.url.as_str())
}
