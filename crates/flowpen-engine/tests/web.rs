//! The engine in a real browser (wasm32, headless Chromium): the random number example runs to the
//! end with the same outputs as natively.
#![cfg(target_arch = "wasm32")]

use flowpen_engine::{Config, Effect, Engine, HttpResponse, InboundMessage, Status, Trigger};
use flowpen_flow::Flow;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn message(body: &str) -> InboundMessage {
    InboundMessage {
        from: "+15551230000".into(),
        to: "+15559870000".into(),
        body: body.into(),
        media_urls: vec![],
    }
}

#[wasm_bindgen_test]
fn random_number_example_runs_in_the_browser() {
    let flow = Flow::parse(include_str!("../../../www/examples/random-number.json")).unwrap();
    let mut e = Engine::start(
        flow,
        Trigger::Message(message("hi")),
        Config::default(),
        1_000,
    );
    e.handle_message(message("1"), 2_000).unwrap();
    e.handle_message(message("6"), 3_000).unwrap();
    let request = loop {
        match e.poll_effect() {
            Some(Effect::Http(r)) => break r,
            Some(_) => continue,
            None => panic!("no HTTP effect"),
        }
    };
    assert_eq!(request.body.as_deref(), Some("min=1&max=6"));
    let ok = HttpResponse {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: "{\"number\":5}".into(),
    };
    e.handle_http_response(request.id, Ok(ok), 3_100).unwrap();
    let Status::WaitingForSend { message: id, .. } = e.status() else {
        panic!("{:?}", e.status())
    };
    e.handle_sent(id, 3_100).unwrap();
    assert_eq!(
        e.flow_data()["widgets"]["send_result"]["outbound"]["Body"],
        "Your random number is 5."
    );
    assert!(e.end_reason().is_some_and(|r| r.is_normal()));
}
