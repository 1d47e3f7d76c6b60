//! The Studio Flow model: lossless Flow JSON, validation as a list of diagnostics, edit operations.
//!
//! **Architecture Invariant:** this crate is pure. It knows nothing about the browser, clocks, files
//! or the network; it builds and tests natively and for `wasm32-unknown-unknown` alike.
//!
//! - [`json`] is a lossless JSON value (order, duplicates and number text kept) and its printer.
//! - [`Flow`] and friends are the typed model, with the input's exact layout.
//! - [`spec`] lists the events and properties of the typed widgets.
//! - [`validate()`] returns diagnostics.
//! - [`edit`] holds the invertible edit operations.
//! - [`templates`] finds templated fields and `widgets.NAME` references.

pub mod edit;
pub mod json;
mod model;
pub mod spec;
pub mod templates;
mod validate;
mod widget_type;

pub use json::Json;
pub use model::{Condition, Flow, ImportError, Offset, ShapeError, State, Transition};
pub use validate::{
    name_problem, validate, validate_with, Diagnostic, Severity, TemplateChecker, CODES, MAX_STATES,
};
pub use widget_type::WidgetType;
