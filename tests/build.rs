//! Nothing to build. The build dependencies (`Cargo.toml`) are there so that cargo resolves
//! `proc-macro2` and `syn` for the proc macros (serde_derive, thiserror, ...) with the same
//! features as for the generator (`span-locations`, `full`): then they are one build each, not
//! two, and syn is the largest crate the tests compile optimised.

fn main() {}
