//! Studio's Liquid in a real browser (wasm32, headless Chromium): lenient lookups, the loop cap,
//! Pacific dates from the injected clock, printing, and errors with positions.
#![cfg(target_arch = "wasm32")]

use flowpen_liquid::{ErrorKind, Liquid};
use serde_json::json;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// 2024-01-02T18:30:00Z.
const NOW_MS: i64 = 1_704_220_200_000;

#[wasm_bindgen_test]
fn now_comes_from_the_injected_clock_in_pacific_time() {
    let liquid = Liquid::studio();
    let ctx = json!({});
    assert_eq!(
        liquid
            .render("{{ 'now' | date: '%Y' }}", &ctx, NOW_MS)
            .unwrap(),
        "2024"
    );
    assert_eq!(
        liquid
            .render("{{ 'now' | date: '%H:%M %Z' }}", &ctx, NOW_MS)
            .unwrap(),
        "10:30 PST"
    );
    assert_eq!(
        liquid
            .render("{{ 'today' | date: '%Y' }}", &ctx, 0)
            .unwrap(),
        "1969"
    );
}

#[wasm_bindgen_test]
fn undefined_widgets_render_empty_and_are_falsy() {
    let liquid = Liquid::studio();
    let ctx = json!({"flow": {"variables": {"count": "2"}}, "widgets": {}});
    let out = liquid
        .render(
            "[{{widgets.ask.inbound.Body}}]{% if flow.variables.count %}{{flow.variables.count | plus: 1}}{% else %}1{% endif %}",
            &ctx,
            NOW_MS,
        )
        .unwrap();
    assert_eq!(out, "[]3");
}

#[wasm_bindgen_test]
fn huge_range_stops_after_fifteen_iterations() {
    let out = Liquid::studio()
        .render(
            "{% for i in (1..100000000) %}.{% endfor %}",
            &json!({}),
            NOW_MS,
        )
        .unwrap();
    assert_eq!(out, ".".repeat(15));
}

#[wasm_bindgen_test]
fn multi_line_tags_and_objects_print_like_studio() {
    let liquid = Liquid::studio();
    let ctx = json!({
        "flow": {"data": {"k1": "v1", "k2": 2}},
        "widgets": {"get_reservation": {"parsed": {"count": 1, "reservations": [{"id": "R-1"}]}}}
    });
    let out = liquid
        .render(
            "{% if widgets. \nget_reservation.parsed.count == 1%}{{widgets.get_reservation.parsed.reservations[0].id}}{% endif %} {{flow.data}} {{flow.data | to_json}}",
            &ctx,
            NOW_MS,
        )
        .unwrap();
    assert_eq!(out, r#"R-1 {k1=v1, k2=2} {"k1":"v1","k2":2}"#);
}

#[wasm_bindgen_test]
fn errors_have_positions() {
    let liquid = Liquid::studio();
    let e = liquid.check("Hi\n{% if x %}").unwrap_err();
    assert_eq!((e.kind, e.line, e.column), (ErrorKind::Syntax, 2, 1));
    let e = liquid
        .render("{{ 1 | divided_by: 0 }}", &json!({}), NOW_MS)
        .unwrap_err();
    assert_eq!(
        (e.kind, e.message.as_str()),
        (ErrorKind::Render, "divided by 0")
    );
}
