//! Queries over the loaded description that more than one stage asks: where its references
//! are, and which of them form cycles. It reads the description and nothing else, so validation and lowering can both use it
//! and the stages stay one-way.

pub mod cycles;
pub mod refs;
