//! Liquid for the editor: validation through `flowpen_flow::validate` (Studio's checker), and the
//! inspector's "syntax errors as you type" through one shared [`Liquid`] (it caches parses).

use flowpen_flow::{Diagnostic, Flow};
use flowpen_liquid::{Liquid, TemplateError};

thread_local! {
    static LIQUID: Liquid = Liquid::studio();
}

/// Checks a template's syntax (text without `{{` or `{%` is plain text).
pub fn check(template: &str) -> Result<(), TemplateError> {
    if !(template.contains("{{") || template.contains("{%")) {
        return Ok(());
    }
    LIQUID.with(|l| l.check(template))
}

/// Every diagnostic of `flow`.
pub fn validate(flow: &Flow) -> Vec<Diagnostic> {
    flowpen_flow::validate(flow)
}
