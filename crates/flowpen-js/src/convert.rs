//! Values between JavaScript and Rust, with serde-wasm-bindgen: JSON-like values become plain
//! objects, arrays, strings, numbers, booleans and `null` (never `Map`s).

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::JsValue;

/// A JSON value as a plain JavaScript value.
pub fn to_js(value: &Value) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// A JavaScript value as JSON (`undefined` is `null`). `Err` says what could not be read.
pub fn from_js(value: JsValue) -> Result<Value, String> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// A JavaScript error with this message.
pub fn error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}
