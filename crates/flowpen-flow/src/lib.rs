//! The Studio Flow model: lossless Flow JSON, validation as a list of diagnostics, edit operations.
//!
//! **Architecture Invariant:** this crate is pure. It knows nothing about the browser, clocks, files
//! or the network; it builds and tests natively and for `wasm32-unknown-unknown` alike.

pub mod json;
mod model;
mod widget_type;

pub use json::Json;
pub use model::{Condition, Flow, ImportError, Offset, ShapeError, State, Transition};
pub use widget_type::WidgetType;
