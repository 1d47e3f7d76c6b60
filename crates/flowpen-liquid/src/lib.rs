//! Twilio Studio's Liquid dialect on the `liquid` crate.
//!
//! **Architecture Invariant:** pure: no IO, and no clock (time is injected by the caller).
