//! The browser half of the HTTP shell in headless Chromium: fetch against `blob:` and `data:` URLs
//! (the response maps to the engine's input exactly), the 64 kB cap, the abort at the time limit,
//! cancelling, refused headers and unreachable servers; and the simulator driving the in-browser
//! Functions host the way the app does.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use flowpen_engine::{HttpRequest, RequestId, TransportErrorKind};
use flowpen_flow::Flow;
use flowpen_liquid::Liquid;
use flowpen_playground::project::examples;
use flowpen_playground::simulator::http::function_note;
use flowpen_playground::simulator::{Answer, Bubble, Command, Simulator, Via};
use flowpen_web::functions::{FunctionsHost, Runtime};
use flowpen_web::hooks::fetch::{perform, perform_until};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::AbortController;

wasm_bindgen_test_configure!(run_in_browser);

fn request(method: &str, url: &str) -> HttpRequest {
    HttpRequest {
        id: RequestId(1),
        widget: "w".into(),
        method: method.into(),
        url: url.into(),
        headers: vec![],
        body: None,
        timeout_ms: 10_000,
        max_response_bytes: 64 * 1024,
    }
}

/// A `blob:` URL serving `body` with `content_type`.
fn blob_url(body: &str, content_type: &str) -> String {
    let parts = js_sys::Array::of1(&JsValue::from_str(body));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).expect("a blob");
    web_sys::Url::create_object_url_with_blob(&blob).expect("a blob URL")
}

fn controller() -> AbortController {
    AbortController::new().expect("an AbortController")
}

#[wasm_bindgen_test]
async fn a_response_maps_to_the_engines_input_exactly() {
    let body = r#"{"number":4,"text":"ünïcödé 🐶"}"#;
    let url = blob_url(body, "application/json");
    let fetched = perform(&request("GET", &url), controller()).await;
    let response = fetched.result.expect("a response");
    assert_eq!(response.status, 200);
    assert_eq!(response.content_type(), Some("application/json"));
    assert!(
        response
            .headers
            .iter()
            .any(|(k, v)| k == "content-length" && *v == body.len().to_string()),
        "every header is passed on: {:?}",
        response.headers
    );
    assert_eq!(response.body, body);
    assert_eq!(fetched.note, None);
    assert!(fetched.duration_ms >= 0.0);

    let data = perform(
        &request("GET", "data:text/plain;charset=utf-8,hello%20world"),
        controller(),
    )
    .await;
    let response = data.result.expect("a response");
    assert_eq!(
        (response.status, response.body.as_str()),
        (200, "hello world")
    );
    assert_eq!(response.content_type(), Some("text/plain;charset=utf-8"));
}

#[wasm_bindgen_test]
async fn the_body_is_read_up_to_one_byte_past_the_limit() {
    let big = "x".repeat(100 * 1024);
    let fetched = perform(&request("GET", &blob_url(&big, "text/plain")), controller()).await;
    let response = fetched.result.expect("a response");
    assert_eq!(
        response.body.len(),
        64 * 1024 + 1,
        "the engine sees it is too large"
    );

    let exact = "y".repeat(64 * 1024);
    let fetched = perform(
        &request("GET", &blob_url(&exact, "text/plain")),
        controller(),
    )
    .await;
    assert_eq!(fetched.result.expect("a response").body, exact);
}

#[wasm_bindgen_test]
async fn the_time_limit_aborts_the_request() {
    let url = blob_url("late", "text/plain");
    // The deadline is already due: the request is aborted before its response can arrive.
    let fetched = perform_until(&request("GET", &url), controller(), async {}).await;
    let error = fetched.result.expect_err("aborted");
    assert_eq!(error.kind, TransportErrorKind::Timeout);
    assert!(
        error.message.starts_with("no response within 10 s"),
        "{}",
        error.message
    );
}

#[wasm_bindgen_test]
async fn a_cancelled_request_is_not_a_timeout() {
    let c = controller();
    c.abort();
    let fetched = perform(&request("GET", &blob_url("x", "text/plain")), c).await;
    let error = fetched.result.expect_err("cancelled");
    assert_eq!(error.kind, TransportErrorKind::Network);
    assert!(error.message.contains("cancelled"), "{}", error.message);
}

#[wasm_bindgen_test]
async fn what_the_browser_refuses_is_explained_without_a_panic() {
    let mut bad_header = request("POST", "http://127.0.0.1:1/x");
    bad_header.headers = vec![("Content-Type".into(), "text/plain\nX: y".into())];
    bad_header.body = Some("a=1".into());
    let error = perform(&bad_header, controller())
        .await
        .result
        .expect_err("refused");
    assert!(
        error.message.contains("cannot be sent"),
        "{}",
        error.message
    );

    let error = perform(&request("GET", "ftp://example.com/x"), controller())
        .await
        .result
        .expect_err("refused");
    assert!(
        error.message.contains("must start with https://"),
        "{}",
        error.message
    );

    let error = perform(
        &request("BREW COFFEE", "http://127.0.0.1:1/x"),
        controller(),
    )
    .await
    .result
    .expect_err("refused");
    assert!(
        error.message.contains("not an HTTP method"),
        "{}",
        error.message
    );
}

#[wasm_bindgen_test]
async fn nothing_answering_is_a_network_error() {
    // Port 1 is one the browser never connects to: fetch fails, and so does the no-cors probe.
    let error = perform(&request("POST", "http://127.0.0.1:1/random"), controller())
        .await
        .result
        .expect_err("no answer");
    assert_eq!(error.kind, TransportErrorKind::Network);
    assert!(
        error
            .message
            .starts_with("network error: 127.0.0.1 could not be reached"),
        "{}",
        error.message
    );
}

/// The app's loop: the simulator asks for a request, the Functions host answers it, the answer
/// goes back to the simulator. The random number example ends with a number in range.
#[wasm_bindgen_test]
async fn the_simulator_runs_the_random_number_example_with_the_functions_host() {
    let ex = examples::example("random-number.json").expect("the example");
    let flow = Flow::parse(ex.json).expect("a flow");
    let project = ex.project();
    let host = FunctionsHost::with_runtime(Runtime::bundled());
    let mut sim = Simulator::new(Rc::new(Liquid::studio()));
    let now = || js_sys::Date::now() as u64;
    sim.chat(&flow, 1, "hi", now());
    sim.chat(&flow, 1, "1", now());
    let mut commands = sim.chat(&flow, 1, "6", now());
    let Some(Command::Http {
        execution,
        via: Via::Function,
        request,
    }) = commands.pop()
    else {
        panic!("a request for the Functions host");
    };
    let call = host.invoke(&project, &request, 10_000).await;
    let response = call.response.clone();
    assert_eq!(response.status, 200);
    assert_eq!(function_note(&request, &response), None);
    let answer = Answer {
        logs: call.logs.clone(),
        duration_ms: call.duration_ms,
        note: None,
    };
    let after = sim.http_done(execution, request.id, Ok(response), answer, now());
    assert!(after.is_empty());
    let e = sim.selected().expect("the execution");
    let last = e
        .chat
        .iter()
        .rev()
        .find_map(|b| match b {
            Bubble::Flow { text, .. } => Some(text.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let n: i64 = last
        .trim_start_matches("Your random number is ")
        .trim_end_matches('.')
        .parse()
        .unwrap_or_else(|_| panic!("a number in {last:?}"));
    assert!((1..=6).contains(&n), "{n}");
    assert_eq!(
        e.flow_data(None)["widgets"]["get_num"]["parsed"]["number"],
        serde_json::json!(n)
    );
}
