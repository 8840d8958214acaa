//! A repair of the raw tree, made before it is read as OpenAPI 3.0 (by `normalize` and
//! `openapi31`, or by naming operations in `operation_ids`): its own module, so that those stages
//! share it without importing each other.

use crate::pointer::Pointer;

/// One repair: where, and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub pointer: Pointer,
    pub message: String,
}
