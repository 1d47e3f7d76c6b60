//! A sans-IO Studio execution engine: inputs go in through `handle_*`, effects come out through
//! `poll_*`, time is passed in.
//!
//! **Architecture Invariant:** pure: no clock, no randomness, no IO.
