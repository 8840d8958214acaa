//! How users supply inputs, decided once here so that templates only print: a struct's `new`
//! (its required fields) and setters (its optional fields), and an operation's arguments (what
//! it cannot be sent without) versus its builder setters. Adding an optional field or parameter
//! then adds a setter and changes nothing users already wrote.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::model::{
    Argument, Body, BodyEncoding, BuilderField, Clears, Constructor, Derive, HttpMethod,
    Idempotency, Init, InputWrite, Lint, Param, ParamLocation, RustType, Scalar, Setter,
    SetterShape, TypeDef, TypeKind, ValueExpr, WriteMethod, WriteShape,
};

/// The header that makes a `POST` or `PATCH` safe to repeat.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// The builder field and setter of the idempotency key, and its type.
const IDEMPOTENCY_IDENT: &str = "idempotency_key";

/// The builder field and setter of the request body.
const BODY_IDENT: &str = "body";

/// The builder's fields that lowering adds beside the parameters' (the template declares the
/// others): a parameter of the same name is renamed.
pub const BUILDER_OWN_FIELDS: [&str; 2] = [BODY_IDENT, IDEMPOTENCY_IDENT];

/// Method names a setter may not take, as a setter of the same name would shadow them in
/// method-call syntax (`request.clone()` would call the setter): the struct's own methods (its
/// `new`), the methods of the traits every model struct has (see [`struct_traits`]), and
/// clippy's operator names (`should_implement_trait` takes `fn add(self, x) -> Self` for one).
fn taken_methods() -> &'static BTreeSet<String> {
    static TAKEN: OnceLock<BTreeSet<String>> = OnceLock::new();
    TAKEN.get_or_init(|| {
        let traits = struct_traits();
        let (own, implemented) = (&traits.own_methods, &traits.implemented);
        let trait_methods = TRAIT_METHODS
            .iter()
            .filter(|(name, _)| BLANKET_TRAITS.contains(name) || implemented.contains(*name))
            .flat_map(|(_, methods)| methods.iter());
        own.iter()
            .map(String::as_str)
            .chain(trait_methods.copied())
            .chain(OPERATOR_METHODS.iter().copied())
            .map(str::to_string)
            .collect()
    })
}

/// The methods of the traits a model struct has, by trait: std's and serde's declarations.
/// [`struct_traits`] must find each trait the template gives a struct here (a test says so).
const TRAIT_METHODS: &[(&str, &[&str])] = &[
    ("Default", &["default"]),
    ("Clone", &["clone", "clone_from"]),
    ("PartialEq", &["eq", "ne"]),
    ("Debug", &["fmt"]),
    ("Serialize", &["serialize"]),
    ("Deserialize", &["deserialize", "deserialize_in_place"]),
    // A marker of the runtime's `debug` module, without methods.
    ("Private", &[]),
    // Implemented for every type (blanket impls).
    ("Into", &["into"]),
    ("TryInto", &["try_into"]),
    ("From", &["from"]),
    ("TryFrom", &["try_from"]),
    ("ToOwned", &["to_owned", "clone_into"]),
    ("Borrow", &["borrow"]),
    ("BorrowMut", &["borrow_mut"]),
    ("Any", &["type_id"]),
];

/// The traits of [`TRAIT_METHODS`] every type has, whatever the template says.
const BLANKET_TRAITS: &[&str] = &[
    "Into",
    "TryInto",
    "From",
    "TryFrom",
    "ToOwned",
    "Borrow",
    "BorrowMut",
    "Any",
];

/// clippy's `should_implement_trait` names.
const OPERATOR_METHODS: &[&str] = &[
    "add", "sub", "mul", "div", "rem", "shl", "shr", "bitand", "bitor", "bitxor",
];

/// What the models template gives every struct.
struct StructTraits {
    /// Its own methods with a name of their own (`new`; not the setters, `{{ s.name }}`).
    own_methods: BTreeSet<String>,
    /// The traits it derives, and those the runtime's macros it calls implement for it.
    implemented: BTreeSet<String>,
}

/// Read from the `struct_def` macro of the models template: its `#[derive(..)]`, the `fn`s of
/// its `impl {{ t.name }}` block, and the runtime macros it calls (`crate::module::name! {`),
/// whose `macro_rules!` in the runtime's source implement traits (`impl Trait for $name`).
fn struct_traits() -> StructTraits {
    let template = crate::render::template("models.rs");
    let struct_def = crate::render::macro_body(template, "struct_def");
    let last_segment = |path: &str| -> String {
        let path = path.split('<').next().unwrap_or(path).trim();
        path.rsplit("::").next().unwrap_or(path).to_string()
    };
    let mut own_methods = BTreeSet::new();
    let mut implemented = BTreeSet::new();
    let mut in_impl = false;
    for line in struct_def.lines() {
        if let Some(list) = line
            .strip_prefix("#[derive(")
            .and_then(|l| l.strip_suffix(")]"))
        {
            // The template prints the derive list lowering chose: any derive may be in it.
            let chosen = Derive::ALL.map(Derive::path).join(", ");
            let list = if list.contains("{{") {
                chosen
            } else {
                list.to_string()
            };
            implemented.extend(
                list.split(',')
                    .filter(|d| !d.trim().is_empty())
                    .map(last_segment),
            );
        } else if line == "impl {{ t.name }} {" {
            in_impl = true;
        } else if line == "}" {
            in_impl = false;
        } else if let Some(name) = line
            .strip_prefix("    pub fn ")
            .filter(|_| in_impl)
            .and_then(|rest| rest.split_once('('))
            .map(|(name, _)| name)
            .filter(|name| !name.contains("{{"))
        {
            own_methods.insert(name.to_string());
        } else if let Some(called) = line.strip_suffix("! {").filter(|_| !line.starts_with(' ')) {
            let name = called.rsplit("::").next().unwrap_or(called);
            implemented.extend(macro_traits(name).into_iter().map(|t| last_segment(&t)));
        }
    }
    StructTraits {
        own_methods,
        implemented,
    }
}

/// The traits the runtime's `macro_rules! name` implements: its lines `impl .. Trait for $..`,
/// up to the next line `}` that ends the macro.
fn macro_traits(name: &str) -> Vec<String> {
    let opening = format!("macro_rules! {name} {{");
    let mut traits = Vec::new();
    for (_, source) in crate::runtime::FILES {
        let Some((_, body)) = source.split_once(&opening) else {
            continue;
        };
        for line in body.lines().take_while(|line| *line != "}") {
            let Some((head, _)) = line.trim().split_once(" for $") else {
                continue;
            };
            let Some(head) = head.strip_prefix("impl") else {
                continue;
            };
            // `impl<'de> serde::Deserialize<'de>`: the trait is what follows the generics.
            let head = match head.strip_prefix('<') {
                Some(generics) => generics.split_once("> ").map_or("", |(_, t)| t),
                None => head,
            };
            traits.push(head.trim().to_string());
        }
    }
    traits
}

/// The setter of `additional_properties`.
const EXTRA_SETTER: &str = "additional_property";

/// clippy's `too_many_arguments` warns above this many.
const MAX_ARGUMENTS: usize = 7;

/// Fills in `new`, the setters and `Default` of every struct.
pub fn struct_inputs(defs: &mut [TypeDef]) {
    for def in defs.iter_mut().filter(|d| d.kind == TypeKind::Struct) {
        let (constructor, setters) = struct_api(def);
        def.derives = struct_derives(constructor.params.is_empty());
        def.constructor = Some(constructor);
        def.setters = setters;
    }
}

/// `Default` for a struct `new` takes nothing for (it has no required fields), then the rest.
fn struct_derives(default: bool) -> Vec<Derive> {
    default
        .then_some(Derive::Default)
        .into_iter()
        .chain([Derive::Clone, Derive::PartialEq])
        .collect()
}

/// `too_many_arguments` for a function of more arguments than clippy likes.
fn argument_lints(count: usize) -> Vec<Lint> {
    (count > MAX_ARGUMENTS)
        .then_some(Lint::TooManyArguments)
        .into_iter()
        .collect()
}

fn struct_api(def: &TypeDef) -> (Constructor, Vec<Setter>) {
    let mut params = Vec::new();
    let mut inits = Vec::new();
    // Setter names: a field keeps its own name where it is free; the others get `with_`.
    let mut used: BTreeSet<String> = taken_methods().clone();
    let optional: Vec<_> = def.fields.iter().filter(|f| !f.required).collect();
    for field in &optional {
        used.insert(unraw(&field.ident).to_string());
    }
    let mut names = Vec::new();
    for field in &optional {
        let own = unraw(&field.ident);
        let free = !taken_methods().contains(own);
        names.push(if free {
            field.ident.clone()
        } else {
            fresh(&mut used, own)
        });
    }
    let mut optional_names = names.into_iter();
    let mut setters = Vec::new();
    for field in &def.fields {
        let field_name = unraw(&field.ident).to_string();
        if field.required {
            let (param_type, value) = taking(&field.rust_type, &field.ident);
            params.push(Setter {
                name: field.ident.clone(),
                arg: field.ident.clone(),
                param_type,
                field: field.ident.clone(),
                value: value.clone(),
                shape: SetterShape::Assign,
                doc: Vec::new(),
            });
            inits.push(Init {
                field: field.ident.clone(),
                value,
            });
            continue;
        }
        inits.push(Init {
            field: field.ident.clone(),
            value: ValueExpr::None,
        });
        // `Option<T>` takes a `T`; `Option<Option<T>>` (optional and nullable) an `Option<T>`.
        let inner = field.rust_type.strip_options(1);
        let (param_type, value) = taking(inner, "value");
        setters.push(Setter {
            name: optional_names.next().unwrap_or_else(|| field.ident.clone()),
            arg: "value".into(),
            param_type,
            field: field.ident.clone(),
            value: value.some(),
            // A `null` kept for the field would be sent beside the value (a key given twice).
            shape: match (field.nullable, &def.unknown_field) {
                (false, Some(unknown)) => SetterShape::AssignClearing(Clears {
                    field: unknown.clone(),
                    key: field.wire.clone(),
                }),
                _ => SetterShape::Assign,
            },
            doc: vec![if field.nullable {
                format!("Sets the optional field `{field_name}` (`None` sends `null`).")
            } else {
                format!("Sets the optional field `{field_name}`.")
            }],
        });
    }
    if let Some(extra) = &def.extra {
        inits.push(Init {
            field: "additional_properties".into(),
            value: ValueExpr::EmptyMap,
        });
        let name = if used.insert(EXTRA_SETTER.to_string()) {
            EXTRA_SETTER.to_string()
        } else {
            fresh(&mut used, EXTRA_SETTER)
        };
        setters.push(Setter {
            name,
            arg: "value".into(),
            param_type: extra.clone(),
            field: "additional_properties".into(),
            value: ValueExpr::arg("value"),
            shape: SetterShape::Insert,
            doc: vec![
                "Adds a property the description does not name, under `key` (it allows others)."
                    .into(),
            ],
        });
    }
    if let Some(unknown) = &def.unknown_field {
        inits.push(Init {
            field: unknown.clone(),
            value: ValueExpr::EmptyMap,
        });
    }
    let doc = vec![if setters.is_empty() {
        "Builds one from its required fields.".to_string()
    } else {
        "Builds one from its required fields; the optional ones are set with the methods below."
            .to_string()
    }];
    let constructor = Constructor {
        allows: argument_lints(params.len()),
        params,
        inits,
        doc,
    };
    (constructor, setters)
}

/// `with_name`, else `with_name_2`, ...: the first not yet used.
fn fresh(used: &mut BTreeSet<String>, name: &str) -> String {
    let base = format!("with_{name}");
    let candidate = std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}_{n}")))
        .find(|c| !used.contains(c))
        .unwrap_or(base);
    used.insert(candidate.clone());
    candidate
}

fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// How a value of `rust_type` is taken as an argument named `arg`: strings as
/// `impl Into<String>`, boxes as `impl Into<Box<T>>`; and the expression that stores it.
pub fn taking(rust_type: &RustType, arg: &str) -> (RustType, ValueExpr) {
    match rust_type {
        // A field of a recursive type: the caller passes the value, boxed or not.
        RustType::Scalar(Scalar::String) | RustType::Box(_) => (
            RustType::impl_into(rust_type.clone()),
            ValueExpr::Arg {
                name: arg.to_string(),
                into: true,
            },
        ),
        _ => (rust_type.clone(), ValueExpr::arg(arg)),
    }
}

/// An operation's typed inputs, from which its arguments and builder are decided.
pub struct OperationParts<'a> {
    pub http_method: HttpMethod,
    /// The path template.
    pub path: &'a str,
    pub path_params: &'a [Param],
    pub query_params: &'a [Param],
    pub header_params: &'a [Param],
    pub body: Option<&'a Body>,
}

impl OperationParts<'_> {
    /// The parameters: path, query, then header ones.
    fn params(&self) -> impl Iterator<Item = &Param> {
        self.path_params
            .iter()
            .chain(self.query_params)
            .chain(self.header_params)
    }
}

/// How users supply an operation's inputs (see the fields of
/// [`Operation`](crate::model::Operation) of the same names).
pub struct OperationInputs {
    pub arguments: Vec<Argument>,
    pub allows: Vec<Lint>,
    pub idempotency: Idempotency,
    pub builder_fields: Vec<BuilderField>,
    pub setters: Vec<Setter>,
    pub writes: Vec<InputWrite>,
}

/// Whether a parameter is an argument of the client method: a path parameter always (the path
/// cannot be made without it); another when required, unless the client sets it (the
/// `idempotency-key` header, or `accept`, set by the `send_...` methods).
pub fn is_argument(location: ParamLocation, name: &str, required: bool, accept: bool) -> bool {
    let client_set = name.eq_ignore_ascii_case(IDEMPOTENCY_HEADER) || accept;
    location == ParamLocation::Path || (required && !client_set)
}

/// Decides an operation's arguments and builder, once every type has its final name.
pub fn operation_inputs(op: &OperationParts) -> OperationInputs {
    let template = crate::describe::operations::template_params(op.path);
    let mut path: Vec<_> = op.path_params.iter().filter(|p| p.argument).collect();
    path.sort_by_key(|p| template.iter().position(|t| *t == p.name));
    let mut arguments: Vec<Argument> = path
        .into_iter()
        .map(|p| argument(&p.ident, &p.rust_type, ParamLocation::Path, &p.name))
        .chain(
            op.query_params
                .iter()
                .filter(|p| p.argument)
                .map(|p| argument(&p.ident, &p.rust_type, ParamLocation::Query, &p.name)),
        )
        .chain(
            op.header_params
                .iter()
                .filter(|p| p.argument)
                .map(|p| argument(&p.ident, &p.rust_type, ParamLocation::Header, &p.name)),
        )
        .collect();
    if let Some(body) = op.body.filter(|b| b.argument) {
        arguments.push(argument(
            "body",
            &body.rust_type,
            ParamLocation::Body,
            "body",
        ));
    }
    let declared = op
        .header_params
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case(IDEMPOTENCY_HEADER));
    let taken = op.params().any(|p| p.ident == IDEMPOTENCY_IDENT);
    let idempotency = if declared {
        Idempotency::Auto
    } else if matches!(op.http_method, HttpMethod::Post | HttpMethod::Patch) && !taken {
        Idempotency::Optional
    } else {
        Idempotency::None
    };
    let (builder_fields, setters) = builder(op, idempotency);
    OperationInputs {
        // `self` (`client` in the builder's `new`) and the arguments.
        allows: argument_lints(arguments.len() + 1),
        arguments,
        idempotency,
        builder_fields,
        setters,
        writes: writes(op, idempotency),
    }
}

/// How `request` writes each input the builder holds (path parameters go into the path).
fn writes(op: &OperationParts, idempotency: Idempotency) -> Vec<InputWrite> {
    let mut writes = Vec::new();
    let params = op.query_params.iter().chain(op.header_params);
    for param in params.filter(|p| !p.accept) {
        let method = match param.location {
            ParamLocation::Query => WriteMethod::Query,
            _ => WriteMethod::Header,
        };
        let shape = match (param.idempotency_key, param.argument, param.is_array) {
            (true, _, _) => WriteShape::FreshKey,
            (false, true, false) => WriteShape::Always,
            (false, true, true) => WriteShape::Each,
            (false, false, false) => WriteShape::IfSet,
            (false, false, true) => WriteShape::EachIfSet,
        };
        writes.push(InputWrite {
            field: param.ident.clone(),
            method,
            name: Some(param.name.clone()),
            shape,
            binding: "value".into(),
        });
    }
    if idempotency == Idempotency::Optional {
        writes.push(InputWrite {
            field: IDEMPOTENCY_IDENT.into(),
            method: WriteMethod::IdempotencyKey,
            name: None,
            shape: WriteShape::IfSet,
            binding: "key".into(),
        });
    }
    if let Some(body) = op.body {
        writes.push(InputWrite {
            field: "body".into(),
            method: match body.encoding {
                BodyEncoding::Json => WriteMethod::JsonBody,
                BodyEncoding::Form => WriteMethod::FormBody,
            },
            name: None,
            shape: if body.argument {
                WriteShape::Always
            } else {
                WriteShape::IfSet
            },
            binding: "body".into(),
        });
    }
    writes
}

/// The fields and setters of an operation's builder: an input the client method takes is
/// stored as it is, the others as `Option`s its setters fill.
fn builder(op: &OperationParts, idempotency: Idempotency) -> (Vec<BuilderField>, Vec<Setter>) {
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut add = |ident: &str, rust_type: &RustType, argument: bool| {
        let (field_type, value) = if argument {
            (rust_type.clone(), ValueExpr::arg(ident))
        } else {
            (RustType::option(rust_type.clone()), ValueExpr::None)
        };
        fields.push(BuilderField {
            ident: ident.to_string(),
            rust_type: field_type,
            init: Init {
                field: ident.to_string(),
                value,
            },
        });
    };
    for param in op.params().filter(|p| !p.accept) {
        add(&param.ident, &param.rust_type, param.argument);
        if param.argument {
            continue;
        }
        let mut doc = param.doc.clone();
        if !doc.is_empty() {
            doc.push(String::new());
        }
        let required = if param.required {
            "required"
        } else {
            "optional"
        };
        doc.push(format!(
            "The {required} {} parameter `{}`.",
            param.location.as_str(),
            crate::describe::one_line(&param.name)
        ));
        if param.idempotency_key {
            doc.push(String::new());
            doc.push(
                "When not set, a fresh random UUID is sent; every retry of one call reuses the \
                 same key."
                    .into(),
            );
        }
        let (param_type, value) = taking(&param.rust_type, "value");
        setters.push(op_setter(&param.ident, "value", param_type, value, doc));
    }
    if idempotency == Idempotency::Optional {
        let key = RustType::from(Scalar::Uuid);
        add(IDEMPOTENCY_IDENT, &key, false);
        let doc = [
            "The `idempotency-key` header, so that the request may be repeated safely (the",
            "description does not declare it here, so none is sent unless set; every retry of one",
            "call reuses it).",
        ];
        let doc = doc.map(String::from).to_vec();
        setters.push(op_setter(
            IDEMPOTENCY_IDENT,
            "value",
            key,
            ValueExpr::arg("value"),
            doc,
        ));
    }
    if let Some(body) = op.body {
        add(BODY_IDENT, &body.rust_type, body.argument);
        if !body.argument {
            let doc = vec![format!(
                "The optional request body (`{}`).",
                crate::describe::one_line(&body.content_type)
            )];
            let value = ValueExpr::arg(BODY_IDENT);
            setters.push(op_setter(
                "body",
                "body",
                body.rust_type.clone(),
                value,
                doc,
            ));
        }
    }
    (fields, setters)
}

/// A builder's setter of `field`, storing `Some(value)`.
fn op_setter(
    field: &str,
    arg: &str,
    param_type: RustType,
    value: ValueExpr,
    doc: Vec<String>,
) -> Setter {
    Setter {
        name: field.to_string(),
        arg: arg.to_string(),
        param_type,
        field: field.to_string(),
        value: value.some(),
        shape: SetterShape::Assign,
        doc,
    }
}

/// What a client method takes and returns: its arguments, if any, and the builder.
pub fn call_doc(builder: &str, arguments: bool) -> Vec<String> {
    let then = format!(
        "set optional inputs on the returned [`{builder}`], then call [`send`]({builder}::send)."
    );
    let text = if arguments {
        format!("The arguments are what the request cannot be sent without; {then}")
    } else {
        let mut then = then;
        then[..1].make_ascii_uppercase();
        then
    };
    super::docs::wrapped(&text, super::docs::PROSE_WIDTH)
}

fn argument(ident: &str, rust_type: &RustType, location: ParamLocation, name: &str) -> Argument {
    let (param_type, value) = taking(rust_type, ident);
    Argument {
        ident: ident.to_string(),
        rust_type: rust_type.clone(),
        param_type,
        value,
        location,
        name: name.to_string(),
    }
}

/// Whether a body of this type cannot be left out, whatever `requestBody.required` says: a
/// struct with required fields, or a union (an absent body is none of its shapes).
pub fn needs_value(rust_type: &RustType, defs: &[TypeDef]) -> bool {
    let Some(def) = rust_type.model_id().and_then(|id| defs.get(id.0)) else {
        return false;
    };
    def.kind == TypeKind::Union || def.fields.iter().any(|f| f.required)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Field;

    fn field(ident: &str, rust_type: RustType, required: bool) -> Field {
        Field {
            ident: ident.into(),
            wire: ident.trim_start_matches("r#").into(),
            rust_type,
            required,
            nullable: false,
            doc: Vec::new(),
            deprecated: false,
            secret: false,
            decode: if required {
                crate::model::FieldDecode::Required
            } else {
                crate::model::FieldDecode::Optional
            },
        }
    }

    fn def(fields: Vec<Field>, extra: Option<RustType>) -> TypeDef {
        TypeDef {
            name: "Thing".into(),
            doc: Vec::new(),
            kind: TypeKind::Struct,
            fields,
            variants: Vec::new(),
            features: Vec::new(),
            refers_to: Vec::new(),
            extra,
            unknown_field: Some("unknown_fields".into()),
            discriminator: None,
            chosen_by: crate::model::ChosenBy::Shape,
            has_secrets: false,
            debug_fields: Vec::new(),
            allows: Vec::new(),
            fit: None,
            constructor: None,
            setters: Vec::new(),
            derives: Vec::new(),
        }
    }

    /// The taken names are read from the template and the runtime's macros: every trait they
    /// give a struct has its methods listed (a trait added there fails here until it is).
    #[test]
    fn taken_methods_are_read_from_the_template_and_the_runtime_macros() {
        let traits = struct_traits();
        let known: BTreeSet<&str> = TRAIT_METHODS.iter().map(|(t, _)| *t).collect();
        for name in &traits.implemented {
            assert!(
                known.contains(name.as_str()),
                "no methods listed for `{name}`"
            );
        }
        let implemented: Vec<&str> = traits.implemented.iter().map(String::as_str).collect();
        assert_eq!(
            implemented,
            [
                "Clone",
                "Debug",
                "Default",
                "Deserialize",
                "PartialEq",
                "Private",
                "Serialize"
            ]
        );
        let own: Vec<&str> = traits.own_methods.iter().map(String::as_str).collect();
        assert_eq!(own, ["new"]);
        for name in [
            "new",
            "clone",
            "eq",
            "fmt",
            "serialize",
            "deserialize",
            "into",
            "type_id",
            "add",
        ] {
            assert!(taken_methods().contains(name), "{name}");
        }
        // Every derive lowering may choose counts: `default` too, though most structs lack it.
        assert!(
            traits.implemented.contains("Default"),
            "{:?}",
            traits.implemented
        );
        assert!(taken_methods().contains("default"));
    }

    #[test]
    fn setters_never_take_trait_method_names_or_each_others() {
        let optional = |s: Scalar| RustType::option(s.into());
        let mut defs = vec![def(
            vec![
                field("clone", optional(Scalar::String), false),
                field("with_clone", optional(Scalar::String), false),
                field("new", optional(Scalar::I64), false),
                field("r#type", optional(Scalar::String), false),
                field("additional_property", optional(Scalar::Bool), false),
                field("id", Scalar::String.into(), true),
            ],
            Some(Scalar::Json.into()),
        )];
        struct_inputs(&mut defs);
        let names: Vec<&str> = defs[0].setters.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "with_clone_2",
                "with_clone",
                "with_new",
                "r#type",
                "additional_property",
                "with_additional_property"
            ]
        );
        let constructor = defs[0].constructor.as_ref().unwrap();
        let names = vec!["Thing".to_string()];
        assert_eq!(constructor.params.len(), 1);
        assert_eq!(
            constructor.params[0].param_type.display(&names).to_string(),
            "impl Into<String>"
        );
        assert_eq!(
            defs[0].setters[0].param_type.display(&names).to_string(),
            "impl Into<String>"
        );
        assert_eq!(defs[0].setters[0].value.to_string(), "Some(value.into())");
        assert_eq!(
            defs[0].setters[2].param_type.display(&names).to_string(),
            "i64"
        );
        assert_eq!(defs[0].setters[2].value.to_string(), "Some(value)");
        assert!(!defs[0].derives.contains(&Derive::Default));
    }
}
