//! The browser half of the engine's HTTP effect: the request goes out with `fetch` (built with
//! gloo-net: the effect's method, headers and body; redirects followed), is aborted at the
//! effect's time limit, reads at most one byte more than the engine accepts, and passes every
//! response header on. When `fetch` fails, a `no-cors` probe of the same URL tells a CORS block
//! (the server answered) from a network error (nothing answered). The texts and the mapping are in
//! [`crate::simulator::http`] (pure, tested natively).

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use flowpen_engine::{HttpRequest, HttpResponse, TransportError};
use gloo_net::http::{Headers, Method, RequestBuilder};
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestMode};

use flowpen_playground::simulator::http::{self, Failure, RawResponse};

/// What came of a request: the engine's input, an explanation for the step, and the time taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    pub result: Result<HttpResponse, TransportError>,
    pub note: Option<String>,
    pub duration_ms: f64,
}

/// How long the reachability probe may take.
const PROBE_TIMEOUT_MS: u32 = 5_000;

/// The page's origin (`http://127.0.0.1:8080`).
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Performs `request`, aborting it at its time limit or when `controller` is aborted (the
/// simulator cancelled it).
pub async fn perform(request: &HttpRequest, controller: AbortController) -> Fetched {
    let limit = u32::try_from(request.timeout_ms).unwrap_or(u32::MAX);
    perform_until(
        request,
        controller,
        gloo_timers::future::TimeoutFuture::new(limit),
    )
    .await
}

/// [`perform`] with the time limit given as a future: when `deadline` completes first, the
/// request is aborted and reported as a timeout.
pub async fn perform_until(
    request: &HttpRequest,
    controller: AbortController,
    deadline: impl Future<Output = ()> + 'static,
) -> Fetched {
    let started = now_ms();
    let origin = page_origin();
    let fail = |failure: Failure| Fetched {
        result: Err(http::explain(&failure, request, &origin)),
        note: None,
        duration_ms: (now_ms() - started).max(0.0),
    };
    if let Err(f) = http::check_url(&request.url) {
        return fail(f);
    }
    if http::is_mixed_content(&origin, &request.url) {
        return fail(Failure::MixedContent);
    }
    let done = Rc::new(Cell::new(false));
    let timed_out = Rc::new(Cell::new(false));
    {
        let (done, timed_out, controller) = (done.clone(), timed_out.clone(), controller.clone());
        wasm_bindgen_futures::spawn_local(async move {
            deadline.await;
            if !done.get() {
                timed_out.set(true);
                controller.abort();
            }
        });
    }
    let outcome = fetch_raw(request, &controller, http::read_limit(request)).await;
    done.set(true);
    match outcome {
        Ok(raw) => {
            let note = http::response_note(request, raw.status);
            Fetched {
                result: Ok(http::map_response(raw)),
                note,
                duration_ms: (now_ms() - started).max(0.0),
            }
        }
        Err(error) => {
            let failure = if is_abort(&error) {
                if timed_out.get() {
                    Failure::Timeout
                } else {
                    Failure::Cancelled
                }
            } else if is_type_error(&error) {
                // fetch's TypeError does not say why: ask again without CORS.
                if reachable(&request.url).await {
                    Failure::Cors
                } else {
                    Failure::Network
                }
            } else {
                Failure::Other(describe(&error))
            };
            fail(failure)
        }
    }
}

fn error_name(error: &JsValue) -> String {
    Reflect::get(error, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .unwrap_or_default()
}

fn is_abort(error: &JsValue) -> bool {
    error_name(error) == "AbortError"
}

fn is_type_error(error: &JsValue) -> bool {
    error_name(error) == "TypeError"
}

fn describe(error: &JsValue) -> String {
    let message = Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string());
    match (error_name(error), message) {
        (name, Some(m)) if !name.is_empty() => format!("{name}: {m}"),
        (_, Some(m)) => m,
        _ => error.as_string().unwrap_or_else(|| format!("{error:?}")),
    }
}

/// Request headers, refusing (instead of throwing) what the browser refuses.
fn headers(request: &HttpRequest) -> Result<Headers, JsValue> {
    let raw = web_sys::Headers::new()?;
    for (name, value) in &request.headers {
        raw.append(name, value).map_err(|e| {
            let error = js_sys::Error::new(&format!(
                "the header {name}: {value} cannot be sent ({})",
                describe(&e)
            ));
            error.set_name("RequestError");
            JsValue::from(error)
        })?;
    }
    Ok(Headers::from_raw(raw))
}

/// The request as the browser sends it, then the response's status, headers and first bytes.
async fn fetch_raw(
    request: &HttpRequest,
    controller: &AbortController,
    limit: usize,
) -> Result<RawResponse, JsValue> {
    let method = Method::from_bytes(request.method.trim().to_ascii_uppercase().as_bytes())
        .map_err(|_| JsValue::from_str(&format!("\"{}\" is not an HTTP method", request.method)))?;
    let bodyless = method == Method::GET || method == Method::HEAD;
    let signal = controller.signal();
    let builder = RequestBuilder::new(&request.url)
        .method(method)
        .headers(headers(request)?)
        .abort_signal(Some(&signal));
    let built = match &request.body {
        Some(body) if !bodyless => builder.body(JsValue::from_str(body)),
        _ => builder.build(),
    }
    .map_err(|e| {
        let error = js_sys::Error::new(&e.to_string());
        error.set_name("RequestError");
        JsValue::from(error)
    })
    .map(web_sys::Request::from)?;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&built))
        .await?
        .dyn_into()?;
    let status = response.status();
    let headers: Vec<(String, String)> = Headers::from_raw(response.headers()).entries().collect();
    let body = match response.body() {
        Some(stream) => read_at_most(&stream, limit).await?,
        None => Vec::new(),
    };
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

/// Reads a body stream until it ends or `limit` bytes were read (then the rest is cancelled).
async fn read_at_most(stream: &web_sys::ReadableStream, limit: usize) -> Result<Vec<u8>, JsValue> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().dyn_into()?;
    let mut body = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if Reflect::get(&chunk, &JsValue::from_str("done"))?
            .as_bool()
            .unwrap_or(true)
        {
            break;
        }
        let bytes = Uint8Array::new(&Reflect::get(&chunk, &JsValue::from_str("value"))?);
        let take = (limit - body.len()).min(bytes.length() as usize);
        let start = body.len();
        body.resize(start + take, 0);
        bytes
            .subarray(0, u32::try_from(take).unwrap_or(u32::MAX))
            .copy_to(&mut body[start..]);
        if body.len() >= limit {
            let _ = reader.cancel();
            break;
        }
    }
    Ok(body)
}

/// Whether anything answers at `url` when CORS does not matter: a `no-cors` HEAD request resolves
/// (with an opaque response) for any HTTP answer and fails only when nothing answered.
pub async fn reachable(url: &str) -> bool {
    let Ok(controller) = AbortController::new() else {
        return false;
    };
    let abort = {
        let controller = controller.clone();
        gloo_timers::callback::Timeout::new(PROBE_TIMEOUT_MS, move || controller.abort())
    };
    let signal = controller.signal();
    let Ok(request) = RequestBuilder::new(url)
        .method(Method::HEAD)
        .mode(RequestMode::NoCors)
        .abort_signal(Some(&signal))
        .build()
    else {
        return false;
    };
    let Some(window) = web_sys::window() else {
        return false;
    };
    let ok = JsFuture::from(window.fetch_with_request(&web_sys::Request::from(request)))
        .await
        .is_ok();
    drop(abort);
    ok
}
