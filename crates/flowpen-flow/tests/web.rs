//! The flow model in a real browser (wasm32, headless Chromium): import, export, errors.
#![cfg(target_arch = "wasm32")]

use flowpen_flow::Flow;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn new_flow_round_trips_in_the_browser() {
    let text = Flow::new().to_pretty_string();
    let again = Flow::parse(&text).expect("a new flow imports");
    assert_eq!(again.to_pretty_string(), text);
}

#[wasm_bindgen_test]
fn broken_json_is_an_error_with_a_position() {
    let err = Flow::parse("{\n  \"states\": [\n    {\"name\": }\n  ]\n}").unwrap_err();
    assert_eq!((err.line, err.column), (3, 14));
}
