//! The `xtask` command line as a user runs it, in one test binary (compiled and linked once):
//! errors and exit codes (`errors`), and what happens when the description changes (`release`).

mod common;
mod errors;
mod release;
