//! Type building: a named entry's shape becomes its [`TypeDef`] (fields with their identifiers
//! and docs, enum and union variants).

use std::collections::{BTreeMap, BTreeSet};

use super::super::docs;
use super::collector::{Entry, Level, Site, Slot};
use super::secrets::is_secret;
use super::shape::{FieldShape, Shape, Tag, Ty};
use super::ty_to_rust_type::rust_type;
use crate::describe::one_line;

use crate::model::{
    ChosenBy, DebugField, DebugShown, Field, FieldDecode, Lint, RustType, TypeDef, TypeId,
    TypeKind, Variant,
};
use crate::names;

/// How a union's variants are named (see [`union_variants`]).
pub(super) enum VariantNaming<'a> {
    /// A union the previous generation named: its variants keep the names it recorded, by the
    /// name of the member's type; a member it did not have is named as in a new union.
    Recorded(&'a BTreeMap<String, String>),
    /// A union recorded before variants were: each variant is named after its member's type,
    /// as it was then.
    AsTypes,
    /// A new union: each variant is named after its member's type, less the union's name
    /// (`UserTolDataChangeRequest::Address`, not `::UserTolDataChangeRequestAddress`).
    New,
}

pub(super) fn type_def(
    entry: &Entry,
    name: &str,
    names: &[String],
    ids: &[TypeId],
    naming: &VariantNaming,
) -> TypeDef {
    let mut unknown_field = None;
    let (kind, fields, variants) = match &entry.shape {
        Shape::Struct(fields, extra, _) => {
            let (fields, unknown) = struct_fields(fields, extra.is_some(), &entry.member_docs, ids);
            unknown_field = Some(unknown);
            (TypeKind::Struct, fields, vec![])
        }
        Shape::Enum(values) => (
            TypeKind::Enum,
            vec![],
            enum_variants(values, &entry.member_docs),
        ),
        Shape::Union(members, tag, _) => (
            TypeKind::Union,
            vec![],
            union_variants(
                members,
                tag.as_ref(),
                names,
                ids,
                name,
                naming,
                &entry.member_titles,
            ),
        ),
    };
    let has_secrets = fields.iter().any(|f| f.secret);
    let extra = match &entry.shape {
        Shape::Struct(_, Some(extra), _) => Some(rust_type(extra, ids, false)),
        _ => None,
    };
    let debug_fields = match &unknown_field {
        Some(unknown) => debug_fields(&fields, extra.is_some(), unknown, has_secrets),
        None => Vec::new(),
    };
    // A field the description says nothing of gets no filler doc: the struct allows that.
    let allows = if fields.iter().any(|f| f.doc.is_empty()) {
        vec![Lint::MissingDocs]
    } else {
        Vec::new()
    };
    // Completed by `document` once every type is built: what it is where the description says
    // nothing, and where it is used.
    let doc = entry.doc.clone();
    TypeDef {
        name: name.to_string(),
        doc,
        kind,
        fields,
        variants,
        features: entry.features.iter().cloned().collect(),
        refers_to: refers_to(&entry.shape, name, names, ids),
        has_secrets,
        debug_fields,
        allows,
        fit: None,
        discriminator: match &entry.shape {
            Shape::Union(_, Some(tag), _) => Some(tag.property.clone()),
            _ => None,
        },
        chosen_by: match &entry.shape {
            Shape::Union(_, Some(_), _) => ChosenBy::Tag,
            _ => ChosenBy::Shape,
        },
        extra,
        unknown_field,
        // Filled in by `inputs::struct_inputs` once every type is named.
        constructor: None,
        setters: Vec::new(),
        derives: Vec::new(),
    }
}

/// A struct's fields as its `Debug` output shows them: credentials redacted always, other values
/// where they may be personal data (the runtime's `debug` module decides by type); of a type
/// with credentials, the unknown properties by name only (one may be a credential too).
fn debug_fields(
    fields: &[Field],
    extra: bool,
    unknown_field: &str,
    has_secrets: bool,
) -> Vec<DebugField> {
    let shown = |ident: &str, shown_by| DebugField {
        name: ident.trim_start_matches("r#").to_string(),
        ident: ident.to_string(),
        shown_by,
    };
    let mut shown_fields: Vec<DebugField> = fields
        .iter()
        .map(|f| {
            let by = if f.secret {
                DebugShown::Secret
            } else {
                DebugShown::Private
            };
            shown(&f.ident, by)
        })
        .collect();
    if extra {
        shown_fields.push(shown(EXTRA_FIELD, DebugShown::Private));
    }
    let unknown = if has_secrets {
        DebugShown::Names
    } else {
        DebugShown::Private
    };
    shown_fields.push(shown(unknown_field, unknown));
    shown_fields
}

/// The field that keeps the properties a struct does not name (printed by the models template).
const EXTRA_FIELD: &str = "additional_properties";

/// The field that keeps the properties this version of the SDK does not know, and the `null`s
/// the description does not allow.
const UNKNOWN_FIELD: &str = "unknown_fields";

/// A struct's fields, and the name of its field of unknown properties: `unknown_fields`, else
/// `unknown_fields_2`, ... for a struct with a property of that name (whose field keeps its
/// name, so that adding that property later renames no field). With `extra`, the name of the
/// field that keeps the other properties is taken, so a property of that name becomes
/// `additional_properties_2`.
fn struct_fields(
    fields: &[FieldShape],
    extra: bool,
    docs: &[Vec<String>],
    ids: &[TypeId],
) -> (Vec<Field>, String) {
    let mut used = BTreeSet::new();
    if extra {
        used.insert(EXTRA_FIELD.to_string());
    }
    let fields: Vec<Field> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let base = names::snake_ident(&f.wire).unwrap_or_else(|| format!("field_{i}"));
            let ident = unique_field(&mut used, base);
            let inner = rust_type(&f.ty, ids, false);
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
                doc: field_doc(docs.get(i)),
                deprecated: docs
                    .get(i)
                    .is_some_and(|d| d.iter().any(|l| l == super::walk::DEPRECATED_NOTE)),
                secret: is_secret(&f.wire),
                decode: match (f.required, f.nullable) {
                    (true, false) => FieldDecode::Required,
                    (true, true) => FieldDecode::RequiredNullable,
                    (false, false) => FieldDecode::Optional,
                    (false, true) => FieldDecode::Nullable,
                },
            }
        })
        .collect();
    let unknown = unique_field(&mut used, UNKNOWN_FIELD.to_string());
    (fields, unknown)
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

/// The description's docs of a field.
fn field_doc(doc: Option<&Vec<String>>) -> Vec<String> {
    // Where the description says nothing, so do the docs: "The `data` property." would only
    // repeat the field's name.
    doc.cloned().unwrap_or_default()
}

fn enum_variants(values: &[String], docs: &[Vec<String>]) -> Vec<Variant> {
    // `Unknown` is the catch-all variant every enum has; a listed value may not take its name.
    let idents = super::naming::make_unique(
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
        .enumerate()
        .map(|(i, (value, ident))| Variant {
            ident,
            wire: Some(value.clone()),
            rust_type: None,
            doc: match docs.get(i) {
                Some(doc) if !doc.is_empty() => doc.clone(),
                _ if value.is_empty() => vec!["The empty string.".to_string()],
                _ => vec![format!("`{}`", one_line(value))],
            },
            tags: Vec::new(),
        })
        .collect()
}

fn union_variants(
    members: &[Ty],
    tag: Option<&Tag>,
    names: &[String],
    ids: &[TypeId],
    own: &str,
    naming: &VariantNaming,
    titles: &[Option<String>],
) -> Vec<Variant> {
    // A new variant is named after the member's type (`UserByol`, `UserByolList`, `Uuid`); a
    // member whose type says nothing (a JSON object) or says the same as another's (two
    // strings) is named by its title, where it has one (`EmptyUsersList`).
    let naturals: Vec<String> = members.iter().map(|ty| variant_name(ty, names)).collect();
    let fresh = |index: usize| {
        let natural = &naturals[index];
        let unclear =
            vague(&members[index]) || naturals.iter().filter(|n| *n == natural).count() > 1;
        match titles.get(index).cloned().flatten() {
            Some(title) if unclear => title,
            _ => natural.clone(),
        }
    };
    let keys = variant_keys(members, names);
    // What each member asks for, and whether it is a name given before.
    let asked: Vec<(String, bool)> = (0..members.len())
        .map(|index| match naming {
            VariantNaming::Recorded(given) => match given.get(&keys[index]) {
                Some(ident) => (ident.clone(), true),
                None => (fresh(index), false),
            },
            VariantNaming::AsTypes => (naturals[index].clone(), true),
            VariantNaming::New => (fresh(index), false),
        })
        .collect();
    // A new name does not repeat the union's (`UserTolDataChangeRequest::Address`, not
    // `::UserTolDataChangeRequestAddress`), unless what is left is another variant's name.
    let short = |name: &str| match name.strip_prefix(own) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_string(),
        _ => name.to_string(),
    };
    let shortened: Vec<String> = asked
        .iter()
        .map(|(name, given)| if *given { name.clone() } else { short(name) })
        .collect();
    let (wanted, recorded): (Vec<String>, Vec<bool>) = asked
        .iter()
        .enumerate()
        .map(|(index, (name, given))| {
            let taken = |candidate: &str| {
                (0..asked.len())
                    .filter(|&other| other != index)
                    .any(|other| asked[other].0 == candidate || shortened[other] == candidate)
            };
            let ident = match &shortened[index] {
                candidate if !taken(candidate) => candidate.clone(),
                _ => name.clone(),
            };
            (ident, *given && !matches!(naming, VariantNaming::AsTypes))
        })
        // `Unknown` is the fallback every union has; a member may not take its name.
        .map(|(ident, recorded)| match ident.as_str() {
            "Unknown" => ("UnknownShape".to_string(), recorded),
            _ => (ident, recorded),
        })
        .unzip();
    // Recorded names are claimed first, so that no new member can take one.
    let idents = super::naming::unique_with_priority(wanted, &recorded);
    members
        .iter()
        .zip(idents)
        .enumerate()
        .map(|(index, (ty, ident))| Variant {
            ident,
            wire: None,
            rust_type: Some(rust_type(ty, ids, false)),
            doc: Vec::new(),
            tags: tag
                .and_then(|t| t.values.get(index))
                .cloned()
                .unwrap_or_default(),
        })
        .collect()
}

/// What the record of a union's variants is keyed by: the name each member's type gives (see
/// [`variant_name`]), with 2, 3, ... where two give the same (two string members), so that
/// every member has a key of its own. Before variants were recorded, these were the variants.
pub(super) fn variant_keys(members: &[Ty], names: &[String]) -> Vec<String> {
    super::naming::make_unique(members.iter().map(|ty| variant_name(ty, names)).collect())
}

/// Whether a member's type tells nothing of what it holds: any JSON, a JSON object, or lists
/// and maps of them.
fn vague(ty: &Ty) -> bool {
    match ty {
        Ty::Json | Ty::JsonObject | Ty::Recursive(_) => true,
        Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => vague(inner),
        _ => false,
    }
}

/// The name a union member's type gives its variant: the type's name (`UserByol`), with
/// `List` or `Map` for lists and maps of it.
fn variant_name(ty: &Ty, names: &[String]) -> String {
    match ty {
        Ty::Named(i) | Ty::Cyclic(i) => names[*i].clone(),
        Ty::Boxed(inner) => variant_name(inner, names),
        Ty::Vec(inner) => format!("{}List", variant_name(inner, names)),
        Ty::Map(inner) => format!("{}Map", variant_name(inner, names)),
        other => format!("{other:?}"),
    }
}

/// The other named types a shape mentions, by id (`ids`, by entry index), sorted, without
/// duplicates.
fn refers_to(shape: &Shape, own: &str, names: &[String], ids: &[TypeId]) -> Vec<TypeId> {
    fn walk(ty: &Ty, out: &mut BTreeSet<usize>) {
        match ty {
            Ty::Named(i) | Ty::Cyclic(i) => {
                out.insert(*i);
            }
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => walk(inner, out),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    match shape {
        Shape::Struct(fields, extra, _) => {
            fields.iter().for_each(|f| walk(&f.ty, &mut out));
            if let Some(extra) = extra {
                walk(extra, &mut out);
            }
        }
        Shape::Union(members, _, _) => members.iter().for_each(|m| walk(m, &mut out)),
        Shape::Enum(_) => {}
    }
    let mut found: Vec<TypeId> = out
        .into_iter()
        .filter(|&i| names.get(i).is_some_and(|name| name != own))
        .filter_map(|i| ids.get(i).copied())
        .collect();
    found.sort();
    found
}

/// Completes the docs of `defs` (index for index with `entries`): a type the description does
/// not describe says what it is, in SDK terms (the response of `create_account`, an item of
/// `Account::users`); every type says which operations and webhook events use it; and a union's
/// variants say what they hold.
pub(super) fn document(entries: &[Entry], defs: &mut [TypeDef]) {
    let holders = holders(entries, defs);
    for (i, entry) in entries.iter().enumerate() {
        let mut sites: Vec<(&Site, Level)> = entry
            .sites
            .iter()
            .map(|(site, level)| (site.as_ref(), *level))
            .collect();
        sites.sort();
        sites.dedup();
        let mut phrases: Vec<(String, String)> = Vec::new();
        for (site, level) in &sites {
            let what = match (&site.slot, site.webhook) {
                (Slot::Response, _) => "the response of".to_string(),
                (Slot::Body, true) => "the payload of".to_string(),
                (Slot::Body, false) => "the request body of".to_string(),
                (Slot::Parameter(name), _) => format!("the `{}` parameter of", one_line(name)),
            };
            match level {
                Level::Own => phrases.push((what, site.owner.clone())),
                Level::Item => phrases.push((format!("an item of {what}"), site.owner.clone())),
                Level::Inside => {}
            }
        }
        phrases.extend(holders[i].iter().cloned());
        let derived = docs::where_it_is(&phrases);
        let mut owners: Vec<(bool, &str)> = sites
            .iter()
            .map(|(site, _)| (site.webhook, site.owner.as_str()))
            .collect();
        owners.sort();
        owners.dedup();
        let owners: Vec<&str> = owners.into_iter().map(|(_, owner)| owner).collect();
        let def = &mut defs[i];
        if def.doc.is_empty() {
            def.doc = match &derived {
                Some(sentence) => vec![sentence.clone()],
                None => vec![format!("The `{}` type.", def.name)],
            };
        }
        // Said already when the sentence is made of the type's own places (it names their
        // owners, a few of them and how many more), or names every owner.
        let said = derived.as_deref().unwrap_or_default();
        let said_all = entry.doc.is_empty()
            && (holders[i].is_empty()
                || owners
                    .iter()
                    .all(|owner| said.contains(&format!("`{owner}`"))));
        if !owners.is_empty() && !said_all {
            def.doc.push(String::new());
            def.doc.push(docs::used_by(&owners));
        }
    }
    for (i, entry) in entries.iter().enumerate() {
        if let Shape::Union(members, tag, _) = &entry.shape {
            let docs: Vec<Vec<String>> = members
                .iter()
                .enumerate()
                .map(|(k, member)| {
                    let held = entry
                        .member_docs
                        .get(k)
                        .and_then(|doc| docs::first_sentence(doc))
                        .unwrap_or_else(|| held_doc(member, entries, defs));
                    let tags = tag
                        .as_ref()
                        .and_then(|t| docs::selected_when(&t.property, t.values.get(k)?));
                    vec![match tags {
                        Some(tags) => format!("{held} {tags}"),
                        None => held,
                    }]
                })
                .collect();
            for (variant, doc) in defs[i].variants.iter_mut().zip(docs) {
                variant.doc = doc;
            }
        }
    }
}

/// Where other types hold each type: `(phrase, subject)` pairs such as
/// `("an item of", "Account::users")`, for every entry.
fn holders(entries: &[Entry], defs: &[TypeDef]) -> Vec<Vec<(String, String)>> {
    let mut out = vec![Vec::new(); entries.len()];
    for (p, entry) in entries.iter().enumerate() {
        let parent = &defs[p].name;
        match &entry.shape {
            Shape::Struct(fields, extra, _) => {
                for (field, def) in fields.iter().zip(&defs[p].fields) {
                    if let Some((held, how)) = holding(&field.ty) {
                        let subject = format!("{parent}::{}", def.ident.trim_start_matches("r#"));
                        out[held].push((how.to_string(), subject));
                    }
                }
                if let Some((held, how)) = extra.as_ref().and_then(holding) {
                    let how = if how == "the value of" {
                        "a value of"
                    } else {
                        how
                    };
                    out[held].push((how.to_string(), format!("{parent}::additional_properties")));
                }
            }
            Shape::Union(members, _, _) => {
                for (member, variant) in members.iter().zip(&defs[p].variants) {
                    if let Some((held, how)) = holding(member) {
                        let how = if how == "the value of" {
                            "held by"
                        } else {
                            how
                        };
                        out[held].push((how.to_string(), format!("{parent}::{}", variant.ident)));
                    }
                }
            }
            Shape::Enum(_) => {}
        }
    }
    out
}

/// The named type a field or member holds, and how: itself, as list items, as map values.
fn holding(ty: &Ty) -> Option<(usize, &'static str)> {
    match ty {
        Ty::Named(i) | Ty::Cyclic(i) => Some((*i, "the value of")),
        Ty::Boxed(inner) => holding(inner),
        Ty::Vec(inner) => match inner.as_ref() {
            Ty::Named(i) | Ty::Cyclic(i) => Some((*i, "an item of")),
            Ty::Boxed(inner) => holding(inner).map(|(i, _)| (i, "an item of")),
            _ => None,
        },
        Ty::Map(inner) => match inner.as_ref() {
            Ty::Named(i) | Ty::Cyclic(i) => Some((*i, "a value of")),
            Ty::Boxed(inner) => holding(inner).map(|(i, _)| (i, "a value of")),
            _ => None,
        },
        _ => None,
    }
}

/// What a union variant holds, in a sentence: the first sentence of the held type's description
/// (not of the docs written for a type without one: they would name the variant), or what a
/// primitive is.
fn held_doc(ty: &Ty, entries: &[Entry], defs: &[TypeDef]) -> String {
    match ty {
        Ty::Named(i) | Ty::Cyclic(i) => {
            docs::first_sentence(&entries[*i].doc).unwrap_or_else(|| {
                let name = &defs[*i].name;
                format!("{} `{name}`.", docs::indefinite_article(name, true))
            })
        }
        Ty::Boxed(inner) => held_doc(inner, entries, defs),
        Ty::Vec(inner) => format!("A list of {}.", plural(inner, defs)),
        Ty::Map(inner) => format!("A map from strings to {}.", plural(inner, defs)),
        Ty::String => "A string.".into(),
        Ty::Uuid => "A UUID.".into(),
        Ty::DateTime => "A date and time (RFC 3339).".into(),
        Ty::Date => "A date (`YYYY-MM-DD`).".into(),
        Ty::I32 | Ty::I64 => "An integer.".into(),
        Ty::F64 => "A number.".into(),
        Ty::Bool => "A boolean.".into(),
        Ty::Json | Ty::Recursive(_) => "Any JSON value.".into(),
        Ty::JsonObject => "A JSON object.".into(),
    }
}

fn plural(ty: &Ty, defs: &[TypeDef]) -> String {
    match ty {
        Ty::Named(i) | Ty::Cyclic(i) => format!("`{}` values", defs[*i].name),
        Ty::Boxed(inner) => plural(inner, defs),
        Ty::Vec(inner) => format!("lists of {}", plural(inner, defs)),
        Ty::Map(inner) => format!("maps from strings to {}", plural(inner, defs)),
        Ty::String => "strings".into(),
        Ty::Uuid => "UUIDs".into(),
        Ty::DateTime => "dates and times".into(),
        Ty::Date => "dates".into(),
        Ty::I32 | Ty::I64 => "integers".into(),
        Ty::F64 => "numbers".into(),
        Ty::Bool => "booleans".into(),
        Ty::Json | Ty::Recursive(_) => "JSON values".into(),
        Ty::JsonObject => "JSON objects".into(),
    }
}
