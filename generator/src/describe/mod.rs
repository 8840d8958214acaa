//! Queries over the loaded description that more than one stage asks: its operations and what
//! they declare, where its references are and which of them form cycles, and its text as one
//! line. It reads the description and nothing else, so validation and lowering can both use it
//! and the stages stay one-way.

pub mod operations;
pub mod parameters;
pub mod ref_cycles;
pub mod refs;

/// Text from the description that goes into a one-line comment (a name, a path, a summary):
/// line breaks become spaces, so the rest of the text cannot end up outside the comment.
pub fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\r', '\n'], " ")
}
