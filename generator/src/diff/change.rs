//! One change of the report, its kind and the rules that say whether it breaks code: what the
//! comparisons of operations and of types make and the report lists.

use serde::Serialize;

/// Where changes to types used by several resource groups are listed.
pub const SHARED_TYPES: &str = "Shared types";

/// One change a user of the SDK can see.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub kind: Kind,
    pub breaking: bool,
    pub item: String,
    pub member: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: String,
}

/// The kinds of change, in the order they are listed within an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    GroupAdded,
    GroupRemoved,
    OperationAdded,
    OperationRemoved,
    OperationRenamed,
    OperationMoved,
    PathChanged,
    MethodChanged,
    ParameterAdded,
    ParameterRemoved,
    ParameterRequiredChanged,
    ParameterTypeChanged,
    ParameterLocationChanged,
    ParameterRenamed,
    ArgumentsReordered,
    RequestBodyAdded,
    RequestBodyRemoved,
    RequestBodyRequiredChanged,
    RequestBodyTypeChanged,
    ResponseTypeChanged,
    SuccessStatusChanged,
    ErrorStatusAdded,
    ErrorStatusRemoved,
    ScopeAdded,
    ScopeRemoved,
    DeprecationChanged,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKindChanged,
    FieldAdded,
    FieldRemoved,
    FieldRequiredChanged,
    FieldNullableChanged,
    FieldTypeChanged,
    EnumValueAdded,
    EnumValueRemoved,
    UnionVariantAdded,
    UnionVariantRemoved,
    UnionVariantTypeChanged,
}

impl Kind {
    /// The kind in words, for the human report: `type renamed`.
    pub fn words(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
            .unwrap_or_default()
    }
}

/// A change before it is placed in a group: `section` orders operations before types.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub group: String,
    pub change: Change,
}

/// Why each kind of change does or does not break a Rust user of the SDK. The rules, in short:
///
/// - Anything a user's code names (a `Client` method, a builder setter, a type, a field, an enum
///   variant) disappearing or changing its Rust type breaks that code.
/// - Structs have public fields and no `Default`, so a new field breaks every struct literal of
///   a type the user builds (request types); types only read from responses may grow fields.
/// - Enums of string values are `#[non_exhaustive]` with an `Unknown(String)` variant: a new
///   value breaks nothing. Unions (untagged `oneOf`) are exhaustive: a new variant breaks
///   `match`es.
/// - A new required input (parameter, body, or an OAuth scope the token must carry) breaks calls
///   that do not provide it; a new optional one does not.
/// - A new path, HTTP method or success status changes what the SDK sends or expects, not the
///   code calling it.
pub mod rules {
    pub const REMOVED: &str = "code that uses it no longer compiles";
    pub const ADDED: &str = "new API: existing code is unaffected";
    pub const TYPE_CHANGED: &str = "its Rust type changed: code using it no longer compiles";
    pub const SAME_RUST_TYPE: &str = "its Rust type is unchanged: existing code still compiles";
    pub const ARGUMENT_ADDED: &str =
        "required inputs are arguments of the client method: existing calls no longer compile";
    pub const OPTIONAL_INPUT: &str =
        "optional inputs are builder setters: existing calls still compile";
    pub const ARGUMENTS_REORDERED: &str = "the client method takes the same arguments in another \
                                           order (the path's): calls no longer compile, or pass \
                                           values of one type to the wrong parameter";
    pub const SENT_BY_SDK: &str = "the SDK sends it by itself (a fresh key unless the caller \
                                   sets one): existing calls still compile";
    pub const SETTER_KEPT: &str = "the SDK no longer sends it by itself, but the builder keeps \
                                   its `idempotency_key` setter: existing calls still compile";
    pub const ARGUMENTS_CHANGED: &str = "it moves between the client method's arguments and the \
                                         builder's setters: existing calls no longer compile";
    pub const SAME_ARGUMENTS: &str = "the client method's arguments are unchanged (a body whose \
                                      schema requires properties is always one; the SDK sends \
                                      the `idempotency-key` itself): existing calls still \
                                      compile";
    pub const WIRE_ONLY: &str =
        "the SDK sends or expects something else; the code calling it is unchanged";
    pub const SCOPE_ADDED: &str = "calls fail unless the access token also has this scope";
    pub const SCOPE_REMOVED: &str = "a scope fewer is needed: existing calls still work";
    pub const DEPRECATION: &str = "a deprecation is a warning, not an error";
    pub const POSITIONAL: &str = "path parameters are the client method's arguments by position: \
                                  calling code is unchanged";
    pub const MOVED: &str =
        "its module and cargo feature changed: builds that enable single features lose it";
    pub const FIELD_REQUIRED_ADDED: &str = "structs are built with `new`, which takes the \
                                            required fields: calls to it no longer compile";
    pub const FIELD_REQUIRED_ADDED_OUTPUT: &str = "the type is only read from responses, but \
                                                   `new` takes the required fields: code that \
                                                   builds it (tests, mocks) no longer compiles";
    pub const FIELD_OPTIONAL_ADDED: &str = "structs are `#[non_exhaustive]`, built with `new` and \
                                            a setter per optional field: existing code still \
                                            compiles";
    pub const FIELD_REQUIRED_CHANGED: &str = "the field moves between `new`'s arguments and the \
                                              setters: code that builds the type no longer \
                                              compiles";
    pub const ENUM_VALUE_ADDED: &str = "enums are `#[non_exhaustive]` with an `Unknown` variant: \
                                        existing matches still compile";
    pub const UNION_VARIANT_ADDED: &str = "unions are `#[non_exhaustive]` with an `Unknown` \
                                           variant: existing matches still compile";
    pub const ERROR_STATUS: &str = "error statuses are one `#[non_exhaustive]` `ErrorStatus`: \
                                    existing matches still compile";
    pub const KIND_CHANGED: &str =
        "the type became another kind of type: code using it no longer compiles";
}
