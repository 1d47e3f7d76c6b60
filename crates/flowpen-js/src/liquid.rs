//! Studio's Liquid for JavaScript. The wrapper (`npm/lib/core.js`'s `Liquid`) asks once per
//! template what it can read ([`LiquidService::reads`]), writes only those values of the
//! caller's context object as JSON text (`npm/lib/pick.js`), and renders against them: a context
//! crosses into the module in proportion to what the template reads (as liquidjs reads a JS object
//! in place), however large it is.
//!
//! Why JSON text and not serde-wasm-bindgen for the context: measured on the benchmark's Studio
//! templates (BENCHMARKS.md), serde-wasm-bindgen's conversion of the same picked object took
//! about twice as long as `JSON.stringify` plus `serde_json` (it crosses the JS/wasm boundary for
//! every key and value; JSON text crosses once). Every other value (options, diagnostics, results,
//! requests) crosses with serde-wasm-bindgen (`convert`).

use std::collections::BTreeMap;

use flowpen_liquid::{Config, Context, Liquid, Seg, TemplateError};
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
    /// Templates the wrapper prepared ([`LiquidService::prepare`]), by number: a render passes
    /// the number instead of copying the template's text into the module again.
    prepared: Vec<String>,
}

/// The most prepared templates a service keeps (then [`LiquidService::prepare`] starts over; the
/// wrapper forgets its numbers at the same count).
const PREPARED: usize = 1000;

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
        Ok(LiquidService {
            liquid,
            prepared: Vec::new(),
        })
    }

    /// What a render of `template` can read: a list of paths of keys, `null` for any element of
    /// an array (`[["flow", "data", "x"], ["widgets", "menu", "items", null, "name"]]`),
    /// `true` when it may read anything (pass the whole context), `false` when the template does
    /// not parse (a render throws its syntax error whatever the context).
    pub fn reads(&self, template: &str) -> JsValue {
        match self.liquid.reads(template) {
            Err(_) => JsValue::FALSE,
            Ok(r) if r.everything => JsValue::TRUE,
            Ok(r) => {
                let paths: Vec<Value> = r
                    .paths
                    .iter()
                    .map(|p| {
                        p.iter()
                            .map(|s| match s {
                                Seg::Key(k) => json!(k),
                                Seg::Each => Value::Null,
                            })
                            .collect()
                    })
                    .collect();
                to_js(&Value::Array(paths))
            }
        }
    }

    /// Renders against `context_json` (JSON text of the context: of what [`reads`] names of it,
    /// or the whole) at `now_ms` (Unix milliseconds, for `now` and `today`). Throws the error
    /// object.
    ///
    /// [`reads`]: LiquidService::reads
    pub fn render(
        &self,
        template: &str,
        context_json: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        // Read straight into the renderer's values (no serde_json::Value in between).
        let context = Context::from_json_text(context_json)
            .map_err(|e| error(&format!("the context cannot be read: {e}")))?;
        self.liquid
            .render_context(template, &context, now_ms as i64)
            .map_err(|e| error_object(&e))
    }

    /// Keeps `template` for [`LiquidService::render_prepared`] and returns its number. After
    /// [`PREPARED`] templates the service forgets them all first (numbers start over at 0).
    pub fn prepare(&mut self, template: String) -> u32 {
        if self.prepared.len() >= PREPARED {
            self.prepared.clear();
        }
        self.prepared.push(template);
        (self.prepared.len() - 1) as u32
    }

    /// [`LiquidService::render`] of prepared template number `id`.
    pub fn render_prepared(
        &self,
        id: u32,
        context_json: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let template = self
            .prepared
            .get(id as usize)
            .ok_or_else(|| error("no such prepared template"))?;
        self.render(template, context_json, now_ms)
    }

    /// `null` when `template` parses, else the syntax error object.
    pub fn check(&self, template: &str) -> JsValue {
        match self.liquid.check(template) {
            Ok(()) => JsValue::NULL,
            Err(e) => error_object(&e),
        }
    }
}
