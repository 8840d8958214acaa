//! Type building: a named entry's shape becomes its [`TypeDef`] (fields with their identifiers
//! and docs, enum and union variants).

use super::rust_type::rust_type;
use super::secrets::is_secret;
use super::*;
use crate::model::RustType;

pub(super) fn type_def(entry: &Entry, name: &str, names: &[String]) -> TypeDef {
    let (kind, fields, variants) = match &entry.shape {
        Shape::Struct(fields, extra, _) => (
            TypeKind::Struct,
            struct_fields(fields, extra.is_some(), &entry.member_docs, names),
            vec![],
        ),
        Shape::Enum(values) => (TypeKind::Enum, vec![], enum_variants(values)),
        Shape::Union(members, tag, _) => (
            TypeKind::Union,
            vec![],
            union_variants(members, tag.as_ref(), names),
        ),
    };
    let has_secrets = fields.iter().any(|f| f.secret);
    let mut doc = entry.doc.clone();
    if doc.is_empty() {
        doc.push(format!("`{name}` (no description in the API)."));
    }
    TypeDef {
        name: name.to_string(),
        doc,
        kind,
        fields,
        variants,
        features: entry.features.iter().cloned().collect(),
        occurrences: entry.occurrences,
        origin: entry.origin.to_string(),
        has_secrets,
        fit: None,
        discriminator: match &entry.shape {
            Shape::Union(_, Some(tag), _) => Some(tag.property.clone()),
            _ => None,
        },
        extra: match &entry.shape {
            Shape::Struct(_, Some(extra), _) => Some(rust_type(extra, names, false)),
            _ => None,
        }, // Filled in by `inputs::struct_inputs` once every type is named.
        constructor: None,
        setters: Vec::new(),
        default: false,
    }
}

/// The field that keeps the properties a struct does not name (printed by the models template).
const EXTRA_FIELD: &str = "additional_properties";

/// A struct's fields; with `extra`, the name of the field that keeps the other properties is
/// taken, so a property of that name becomes `additional_properties_2`.
fn struct_fields(
    fields: &[FieldShape],
    extra: bool,
    docs: &[Vec<String>],
    names: &[String],
) -> Vec<Field> {
    let mut used = BTreeSet::new();
    if extra {
        used.insert(EXTRA_FIELD.to_string());
    }
    fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let base = names::snake_ident(&f.wire).unwrap_or_else(|| format!("field_{i}"));
            let ident = unique_field(&mut used, base);
            let inner = rust_type(&f.ty, names, false);
            let rust_type = match (f.required, f.nullable) {
                (true, false) => inner,
                (true, true) | (false, false) => RustType::option(inner),
                (false, true) => RustType::option(RustType::option(inner)),
            };
            Field {
                ident,
                wire: f.wire.clone(),
                rust_type,
                required: f.required,
                nullable: f.nullable,
                doc: field_doc(docs.get(i), &f.wire),
                secret: is_secret(&f.wire),
            }
        })
        .collect()
}

/// Two wire names can become one identifier (`fooBar`, `foo_bar`); later ones get `_2`, `_3`.
fn unique_field(used: &mut BTreeSet<String>, base: String) -> String {
    if used.insert(base.clone()) {
        return base;
    }
    let stem = base
        .trim_start_matches("r#")
        .trim_end_matches('_')
        .to_string();
    (2..)
        .map(|n| format!("{stem}_{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .unwrap_or(base)
}

fn field_doc(doc: Option<&Vec<String>>, wire: &str) -> Vec<String> {
    match doc {
        Some(doc) if !doc.is_empty() => doc.clone(),
        _ => vec![format!("`{}` (no description in the API).", one_line(wire))],
    }
}

fn enum_variants(values: &[String]) -> Vec<Variant> {
    // `Unknown` is the catch-all variant every enum has; a listed value may not take its name.
    let idents = naming::make_unique(
        values
            .iter()
            .map(|v| match names::variant_ident(v) {
                ident if ident == "Unknown" => "UnknownValue".to_string(),
                ident => ident,
            })
            .collect(),
    );
    values
        .iter()
        .zip(idents)
        .map(|(value, ident)| Variant {
            ident,
            wire: value.clone(),
            rust_type: None,
            doc: Vec::new(),
            tags: Vec::new(),
        })
        .collect()
}

fn union_variants(members: &[Ty], tag: Option<&Tag>, names: &[String]) -> Vec<Variant> {
    // `Unknown` is the fallback every union has; a member may not take its name.
    let idents = naming::make_unique(
        members
            .iter()
            .map(|ty| match variant_name(ty, names) {
                ident if ident == "Unknown" => "UnknownShape".to_string(),
                ident => ident,
            })
            .collect(),
    );
    members
        .iter()
        .zip(idents)
        .enumerate()
        .map(|(index, (ty, ident))| Variant {
            ident,
            wire: String::new(),
            rust_type: Some(rust_type(ty, names, false)),
            doc: Vec::new(),
            tags: tag
                .and_then(|t| t.values.get(index))
                .cloned()
                .unwrap_or_default(),
        })
        .collect()
}

fn variant_name(ty: &Ty, names: &[String]) -> String {
    match ty {
        Ty::Named(i) | Ty::Cyclic(i) => names[*i].clone(),
        Ty::Boxed(inner) => variant_name(inner, names),
        Ty::Vec(inner) => format!("{}List", variant_name(inner, names)),
        Ty::Map(inner) => format!("{}Map", variant_name(inner, names)),
        other => format!("{other:?}"),
    }
}
