//! Studio's Liquid checker for the editor: one shared [`Liquid`] instance (it caches parses), used
//! by validation and by the inspector's "syntax errors as you type".

use flowpen_flow::{Diagnostic, Flow};
use flowpen_liquid::{Liquid, TemplateError};

thread_local! {
    static LIQUID: Liquid = Liquid::studio();
}

/// Checks a template's syntax.
pub fn check(template: &str) -> Result<(), TemplateError> {
    if !(template.contains("{{") || template.contains("{%")) {
        return Ok(());
    }
    LIQUID.with(|l| l.check(template))
}

/// Every diagnostic of `flow`, with Studio's Liquid checker.
pub fn validate(flow: &Flow) -> Vec<Diagnostic> {
    LIQUID.with(|l| {
        flowpen_flow::validate_with(flow, &|t: &str| {
            l.check(t).map_err(|e| (e.line, e.column, e.message))
        })
    })
}
