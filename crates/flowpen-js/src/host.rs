//! The file system as the JavaScript side gives it: an object with `read(path, limit)`
//! (a `Uint8Array`, `{tooLarge: bytes}` or `{error: text}`), `kind(path)` (`"dir"`, `"file"`,
//! `"missing"`), `list(dir)` (names), `canonical(path)` and `env(name)` (a string or `null`),
//! called synchronously (Node's `fs.*Sync`).

use flowpen_command::{Host, Kind, ReadFailure};
use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// A JavaScript object implementing [`Host`].
pub struct JsHost(pub JsValue);

impl JsHost {
    fn call(&self, method: &str, args: &[JsValue]) -> JsValue {
        let Ok(f) = Reflect::get(&self.0, &JsValue::from_str(method)) else {
            return JsValue::UNDEFINED;
        };
        let Some(f) = f.dyn_ref::<Function>() else {
            return JsValue::UNDEFINED;
        };
        let result = match args {
            [a] => f.call1(&self.0, a),
            [a, b] => f.call2(&self.0, a, b),
            _ => f.call0(&self.0),
        };
        result.unwrap_or(JsValue::UNDEFINED)
    }
}

/// A read's result as JavaScript gives it.
pub fn read_result(v: &JsValue) -> Result<Vec<u8>, ReadFailure> {
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        return Ok(bytes.to_vec());
    }
    if let Some(text) = v.as_string() {
        return Ok(text.into_bytes());
    }
    let field = |name: &str| Reflect::get(v, &JsValue::from_str(name)).ok();
    if let Some(n) = field("tooLarge").and_then(|n| n.as_f64()) {
        return Err(ReadFailure::TooLarge(n as u64));
    }
    let message = field("error")
        .and_then(|e| e.as_string())
        .unwrap_or_else(|| "the file could not be read".to_owned());
    Err(ReadFailure::Io(message))
}

impl Host for JsHost {
    fn read(&mut self, path: &str, limit: usize) -> Result<Vec<u8>, ReadFailure> {
        let limit = if limit == usize::MAX {
            JsValue::from_f64(f64::INFINITY)
        } else {
            JsValue::from_f64(limit as f64)
        };
        read_result(&self.call("read", &[JsValue::from_str(path), limit]))
    }

    fn kind(&mut self, path: &str) -> Kind {
        match self
            .call("kind", &[JsValue::from_str(path)])
            .as_string()
            .as_deref()
        {
            Some("dir") => Kind::Dir,
            Some("file") => Kind::File,
            _ => Kind::Missing,
        }
    }

    fn list(&mut self, dir: &str) -> Vec<String> {
        let v = self.call("list", &[JsValue::from_str(dir)]);
        match v.dyn_ref::<js_sys::Array>() {
            Some(a) => a.iter().filter_map(|x| x.as_string()).collect(),
            None => Vec::new(),
        }
    }

    fn canonical(&mut self, path: &str) -> Option<String> {
        self.call("canonical", &[JsValue::from_str(path)])
            .as_string()
    }

    fn var(&mut self, name: &str) -> Option<String> {
        self.call("env", &[JsValue::from_str(name)]).as_string()
    }
}
