//! Liquid for the editor: validation through `flowpen_flow::validate` (Studio's checker), and the
//! inspector's "syntax errors as you type" through one shared [`Liquid`] (it caches parses). The
//! simulator renders every execution's templates with the same service ([`shared`]).

use std::rc::Rc;

use flowpen_flow::{Diagnostic, Flow};
use flowpen_liquid::{Liquid, TemplateError};

thread_local! {
    static LIQUID: Rc<Liquid> = Rc::new(Liquid::studio());
}

/// The app's one Liquid service (the simulator's executions share it and its template cache).
pub fn shared() -> Rc<Liquid> {
    LIQUID.with(Rc::clone)
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
