//! Studio's Liquid for JavaScript. The wrapper (`npm/lib/liquid.js`) asks once per template what
//! it can read ([`LiquidService::reads`]), copies only those values out of the caller's context
//! object (its `pick`), and renders against them: a context crosses into the module in
//! proportion to what the template reads, as liquidjs reads a JS object in place, however large
//! the context is.

use std::collections::BTreeMap;

use flowpen_liquid::{Config, Liquid, TemplateError};
use serde_json::{json, Value};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

use crate::convert::{error, from_js, to_js};

/// A template error as a plain object: `{kind, message, line, column}` (`kind`: `syntax`,
/// `render`, `output-too-large`, `too-much-work`).
fn error_object(e: &TemplateError) -> JsValue {
    let kind = match e.kind {
        flowpen_liquid::ErrorKind::Syntax => "syntax",
        flowpen_liquid::ErrorKind::Render => "render",
        flowpen_liquid::ErrorKind::OutputTooLarge => "output-too-large",
        flowpen_liquid::ErrorKind::TooMuchWork => "too-much-work",
    };
    to_js(&json!({
        "kind": kind,
        "message": e.message,
        "line": e.line,
        "column": e.column,
        "text": e.to_string(),
    }))
}

/// One Liquid service (its parse cache, its mode and partials).
#[wasm_bindgen]
pub struct LiquidService {
    liquid: Liquid,
}

#[wasm_bindgen]
impl LiquidService {
    /// Studio mode (`studio`), else standard (Shopify) mode; `partials` maps names to sources for
    /// `include` and `render` (`undefined` for none).
    #[wasm_bindgen(constructor)]
    pub fn new(studio: bool, partials: JsValue) -> Result<LiquidService, JsValue> {
        let config = if studio {
            Config::studio()
        } else {
            Config::standard()
        };
        let liquid = match from_js(partials).map_err(|e| error(&e))? {
            Value::Null => Liquid::new(config),
            Value::Object(o) => {
                let mut sources = BTreeMap::new();
                for (name, source) in o {
                    let Value::String(source) = source else {
                        return Err(error(&format!("partial '{name}' is not a string")));
                    };
                    sources.insert(name, source);
                }
                Liquid::with_partials(config, sources)
            }
            _ => return Err(error("partials must be an object of name → template")),
        };
        Ok(LiquidService { liquid })
    }

    /// What a render of `template` can read: a list of key paths (`[["flow", "data", "x"]]`),
    /// `true` when it may read anything (pass the whole context), `false` when the template does
    /// not parse (a render throws its syntax error whatever the context).
    pub fn reads(&self, template: &str) -> JsValue {
        match self.liquid.reads(template) {
            Err(_) => JsValue::FALSE,
            Ok(r) if r.everything => JsValue::TRUE,
            Ok(r) => to_js(&json!(r.paths)),
        }
    }

    /// Renders against `context` (a plain object: the whole context, or what [`reads`] names of
    /// it) at `now_ms` (Unix milliseconds, for `now` and `today`). Throws the error object.
    ///
    /// [`reads`]: LiquidService::reads
    pub fn render(&self, template: &str, context: JsValue, now_ms: f64) -> Result<String, JsValue> {
        let context =
            from_js(context).map_err(|e| error(&format!("the context cannot be read: {e}")))?;
        self.liquid
            .render(template, &context, now_ms as i64)
            .map_err(|e| error_object(&e))
    }

    /// `null` when `template` parses, else the syntax error object.
    pub fn check(&self, template: &str) -> JsValue {
        match self.liquid.check(template) {
            Ok(()) => JsValue::NULL,
            Err(e) => error_object(&e),
        }
    }
}
