//! Tests that compile generated crates with cargo: the committed SDK's docs, the fixtures' crates, Upvest's whole API, the
//! runtime fixture's checks, the webhook fixture's checks and example, and the compatibility
//! suites (user programs compiled against the SDK before and after each kind of edit).
//!
//! They share `upvest_sdk_tests::harness`: one target directory for every nested cargo run (the
//! dependencies are built once), and scratch workspaces written once per content, so each
//! generated crate is compiled once per test run and not at all on a rerun with the same
//! inputs. In one test binary, the generation of one test overlaps the compilation of another.

mod change_report;
mod committed_sdk;
mod corpus_crates;
mod evolution;
mod fixtures;
mod growing_inputs;
mod runtime_fixture;
mod webhook_fixture;
mod whole_api;
