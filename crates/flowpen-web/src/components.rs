//! The page's components.

pub mod canvas;
pub mod inspector;
pub mod palette;
