//! The tests of the generator and of the SDK it writes that need no nested cargo run and no mock
//! server of the runtime's suite: one test binary with a module per subject, so the test
//! profile compiles and links one binary (with the generator and its dependencies) instead of
//! one per file.
//!
//! Snapshots live in `snapshots/` beside this file (named after the module, as insta does).

mod call_surface;
mod corpus;
mod determinism;
mod diff;
mod drift;
mod generated_names;
mod identity;
mod idioms;
mod newer_server;
mod openapi31;
mod references;
mod renames;
mod robustness;
mod snapshots;
mod source_layout;
mod spec_matches_upvest;
