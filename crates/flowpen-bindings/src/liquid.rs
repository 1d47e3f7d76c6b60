//! Liquid templates: `render(template, context_json, now_ms)` in Studio mode, and a `Renderer`
//! (mode, partials, a parsed context kept on the Rust side) for repeated renders.

use std::collections::BTreeMap;

use flowpen_liquid::{Config, Liquid, TemplateError};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsError;

thread_local! {
    /// Studio mode, shared by every call of [`render`] so that parsed templates stay cached.
    static STUDIO: Liquid = Liquid::studio();
}

fn js_error(e: &TemplateError) -> JsError {
    JsError::new(&e.to_string())
}

fn parse_context(context_json: &str) -> Result<serde_json::Value, JsError> {
    serde_json::from_str(context_json)
        .map_err(|e| JsError::new(&format!("context is not JSON: {e}")))
}

/// Renders `template` in Studio mode against the JSON text `context_json`; `now_ms` is the clock
/// (Unix milliseconds) for `now`/`today`. Throws on a template error.
#[wasm_bindgen]
pub fn render(template: &str, context_json: &str, now_ms: f64) -> Result<String, JsError> {
    let context = parse_context(context_json)?;
    STUDIO
        .with(|l| l.render(template, &context, now_ms as i64))
        .map_err(|e| js_error(&e))
}

/// A template service with its own mode and partials, and a context parsed once.
#[wasm_bindgen]
pub struct Renderer {
    liquid: Liquid,
    context: serde_json::Value,
}

#[wasm_bindgen]
impl Renderer {
    /// `mode` is `"studio"` or `"standard"`; `partials_json` maps partial names to sources
    /// (`"{}"` for none).
    #[wasm_bindgen(constructor)]
    pub fn new(mode: &str, partials_json: &str) -> Result<Renderer, JsError> {
        let config = match mode {
            "studio" => Config::studio(),
            "standard" => Config::standard(),
            other => return Err(JsError::new(&format!("unknown mode '{other}'"))),
        };
        let partials: BTreeMap<String, String> =
            serde_json::from_str(partials_json).map_err(|e| {
                JsError::new(&format!("partials are not a JSON object of strings: {e}"))
            })?;
        Ok(Renderer {
            liquid: Liquid::with_partials(config, partials),
            context: serde_json::Value::Null,
        })
    }

    /// Parses and keeps the context for [`Renderer::render_current`].
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&mut self, context_json: &str) -> Result<(), JsError> {
        self.context = parse_context(context_json)?;
        Ok(())
    }

    /// Renders against a JSON context given as text.
    pub fn render(
        &self,
        template: &str,
        context_json: &str,
        now_ms: f64,
    ) -> Result<String, JsError> {
        let context = parse_context(context_json)?;
        self.liquid
            .render(template, &context, now_ms as i64)
            .map_err(|e| js_error(&e))
    }

    /// Renders against the context set by [`Renderer::set_context`].
    #[wasm_bindgen(js_name = renderCurrent)]
    pub fn render_current(&self, template: &str, now_ms: f64) -> Result<String, JsError> {
        self.liquid
            .render(template, &self.context, now_ms as i64)
            .map_err(|e| js_error(&e))
    }

    /// Checks a template's syntax; throws the error with its position.
    pub fn check(&self, template: &str) -> Result<(), JsError> {
        self.liquid.check(template).map_err(|e| js_error(&e))
    }
}
