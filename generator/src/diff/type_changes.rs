//! The types in `models`: matched by structure first (so a renamed type is found even when other
//! names shift around it), then by name; then their fields, enum values and union variants.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::change::{rules, Change, Kind, Placed, SHARED_TYPES};
use super::shown_types::{field_inner, shown, TypeText};
use crate::model::{Api, Field, RustType, TypeDef, TypeId, TypeKind, TypeNames};

/// The type changes, and the renames the operation diff needs to see through.
pub struct TypeChanges {
    pub changes: Vec<Placed>,
    /// Old name -> new name, for every type renamed.
    pub renames: BTreeMap<String, String>,
}

/// How users meet a type: as something they build (input) or read (output), or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Uses {
    pub input: bool,
    pub output: bool,
}

/// One model, indexed for the comparison.
struct Index<'a> {
    api: &'a Api,
    by_name: BTreeMap<&'a str, &'a TypeDef>,
    signatures: BTreeMap<&'a str, String>,
    uses: BTreeMap<String, Uses>,
}

impl<'a> Index<'a> {
    fn new(api: &'a Api) -> Self {
        let by_name: BTreeMap<&str, &TypeDef> =
            api.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut signatures = BTreeMap::new();
        for name in by_name.keys() {
            signature(name, api, &by_name, &mut signatures, &mut Vec::new());
        }
        let uses = uses(api, &by_name);
        Self {
            api,
            by_name,
            signatures,
            uses,
        }
    }

    fn signature(&self, name: &str) -> &str {
        self.signatures.get(name).map_or("", String::as_str)
    }

    /// The resource group a type's changes are listed under.
    fn group(&self, name: &str) -> String {
        let Some(def) = self.by_name.get(name) else {
            return SHARED_TYPES.to_string();
        };
        let groups: BTreeSet<&str> = self
            .api
            .groups
            .iter()
            .filter(|g| def.features.contains(&g.feature))
            .map(|g| g.name.as_str())
            .collect();
        match groups.into_iter().collect::<Vec<_>>().as_slice() {
            [only] => only.to_string(),
            _ => SHARED_TYPES.to_string(),
        }
    }
}

/// A digest of a type's structure: kind, fields (wire name, required, nullable, type), enum
/// values, union variants, with the types it refers to replaced by their own digests. Names,
/// docs and field order are not part of it.
fn signature<'a>(
    name: &'a str,
    api: &'a Api,
    by_name: &BTreeMap<&'a str, &'a TypeDef>,
    done: &mut BTreeMap<&'a str, String>,
    visiting: &mut Vec<&'a str>,
) -> String {
    if let Some(known) = done.get(name) {
        return known.clone();
    }
    let Some(def) = by_name.get(name) else {
        return name.to_string();
    };
    if visiting.contains(&name) {
        // The generator rejects recursive schemas; stay total anyway.
        return "recursive".to_string();
    }
    visiting.push(name);
    // Referenced types stand for their digests, so their names do not count.
    let mut describe = |rust_type: &RustType| {
        let digests: BTreeMap<TypeId, String> = rust_type
            .model_ids()
            .into_iter()
            .map(|id| {
                let name = api.type_name(id);
                let shown_as = match by_name.get_key_value(name) {
                    Some((&key, _)) => format!("#{}", signature(key, api, by_name, done, visiting)),
                    None => name.to_string(),
                };
                (id, shown_as)
            })
            .collect();
        shown(rust_type, &digests)
    };
    let text = match def.kind {
        TypeKind::Struct => {
            let mut fields: Vec<String> = def
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{}:{}:{}:{}",
                        f.wire,
                        f.required,
                        f.nullable,
                        describe(&f.rust_type)
                    )
                })
                .collect();
            fields.sort();
            format!("struct{{{}}}", fields.join(";"))
        }
        TypeKind::Enum => {
            let mut values: Vec<&str> = wires(def).collect();
            values.sort();
            format!("enum[{}]", values.join(","))
        }
        TypeKind::Union => {
            let variants: Vec<String> = def
                .variants
                .iter()
                .map(|v| v.rust_type.as_ref().map(&mut describe).unwrap_or_default())
                .collect();
            format!("union[{}]", variants.join(","))
        }
    };
    visiting.pop();
    let digest = hex(&Sha256::digest(text.as_bytes()))[..16].to_string();
    done.insert(def.name.as_str(), digest.clone());
    digest
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Input and output uses of every type, from the operations down through fields and variants.
fn uses<'a>(api: &'a Api, by_name: &BTreeMap<&'a str, &'a TypeDef>) -> BTreeMap<String, Uses> {
    let mut found: BTreeMap<String, Uses> = BTreeMap::new();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        let params = op
            .path_params
            .iter()
            .chain(&op.query_params)
            .chain(&op.header_params);
        for rust_type in params
            .map(|p| &p.rust_type)
            .chain(op.body.iter().map(|b| &b.rust_type))
        {
            mark(rust_type, true, api, by_name, &mut found);
        }
        mark(&op.success.rust_type, false, api, by_name, &mut found);
    }
    for webhook in &api.webhooks {
        mark(&webhook.payload_type, false, api, by_name, &mut found);
    }
    found
}

/// Marks the types `rust_type` mentions, and everything they contain, as input or output.
fn mark<'a>(
    rust_type: &'a RustType,
    input: bool,
    api: &'a Api,
    by_name: &BTreeMap<&'a str, &'a TypeDef>,
    found: &mut BTreeMap<String, Uses>,
) {
    let names = |ty: &RustType| -> Vec<&'a str> {
        ty.model_ids()
            .into_iter()
            .map(|id| api.type_name(id))
            .collect()
    };
    let mut pending: Vec<&str> = names(rust_type);
    while let Some(name) = pending.pop() {
        let entry = found.entry(name.to_string()).or_default();
        let seen = if input { entry.input } else { entry.output };
        if seen {
            continue;
        }
        if input {
            entry.input = true;
        } else {
            entry.output = true;
        }
        let Some(def) = by_name.get(name) else {
            continue;
        };
        let inner = def
            .fields
            .iter()
            .map(|f| &f.rust_type)
            .chain(def.variants.iter().filter_map(|v| v.rust_type.as_ref()));
        for rust_type in inner {
            pending.extend(names(rust_type));
        }
    }
}

/// How the old types correspond to the new ones.
#[derive(Debug, Default, PartialEq, Eq)]
struct Matching {
    /// Same name on both sides (old name = new name); the shape may differ.
    same_name: Vec<String>,
    /// Same shape, different name: old -> new.
    renamed: BTreeMap<String, String>,
    removed: Vec<String>,
    added: Vec<String>,
}

/// Same name and shape first, then same shape under another name (a rename), then same name
/// with another shape (a changed type); what is left was removed or added.
fn match_types(old: &Index, new: &Index) -> Matching {
    let mut old_left: BTreeSet<&str> = old.by_name.keys().copied().collect();
    let mut new_left: BTreeSet<&str> = new.by_name.keys().copied().collect();
    let mut matching = Matching::default();
    for name in old_left.clone() {
        if new_left.contains(name) && old.signature(name) == new.signature(name) {
            matching.same_name.push(name.to_string());
            old_left.remove(name);
            new_left.remove(name);
        }
    }
    for name in old_left.clone() {
        let twin = new_left
            .iter()
            .find(|n| new.signature(n) == old.signature(name))
            .copied();
        if let Some(twin) = twin {
            matching.renamed.insert(name.to_string(), twin.to_string());
            old_left.remove(name);
            new_left.remove(twin);
        }
    }
    for name in old_left.clone() {
        if new_left.remove(name) {
            matching.same_name.push(name.to_string());
            old_left.remove(name);
        }
    }
    matching.same_name.sort();
    matching.removed = old_left.into_iter().map(str::to_string).collect();
    matching.added = new_left.into_iter().map(str::to_string).collect();
    matching
}

/// All type changes between two models.
pub fn compare(old_api: &Api, new_api: &Api) -> TypeChanges {
    let old = Index::new(old_api);
    let new = Index::new(new_api);
    let matching = match_types(&old, &new);
    let types = &TypeText {
        old: old_api,
        new: new_api,
        renames: &matching.renamed,
    };
    let mut changes = Vec::new();
    for name in &matching.added {
        let change = whole(Kind::TypeAdded, false, name, None, Some(name), rules::ADDED);
        changes.push(place(new.group(name), change));
    }
    for name in &matching.removed {
        let change = whole(
            Kind::TypeRemoved,
            true,
            name,
            Some(name),
            None,
            rules::REMOVED,
        );
        changes.push(place(old.group(name), change));
    }
    for (old_name, new_name) in &matching.renamed {
        let reason = format!("code that names `{old_name}` no longer compiles");
        let change = whole(
            Kind::TypeRenamed,
            true,
            old_name,
            Some(old_name),
            Some(new_name),
            &reason,
        );
        changes.push(place(new.group(new_name), change));
    }
    for name in &matching.same_name {
        let uses = combined_uses(&old, &new, name);
        let (Some(before), Some(after)) = (
            old.by_name.get(name.as_str()),
            new.by_name.get(name.as_str()),
        ) else {
            continue;
        };
        let group = new.group(name);
        for change in members(before, after, uses, types) {
            changes.push(place(group.clone(), change));
        }
    }
    TypeChanges {
        changes,
        renames: matching.renamed,
    }
}

fn combined_uses(old: &Index, new: &Index, name: &str) -> Uses {
    let a = old.uses.get(name).copied().unwrap_or_default();
    let b = new.uses.get(name).copied().unwrap_or_default();
    let uses = Uses {
        input: a.input || b.input,
        output: a.output || b.output,
    };
    // A type no operation reaches: assume the worst.
    if uses == Uses::default() {
        Uses {
            input: true,
            output: true,
        }
    } else {
        uses
    }
}

fn place(group: String, change: Change) -> Placed {
    Placed { group, change }
}

/// A change about a type as a whole.
fn whole(
    kind: Kind,
    breaking: bool,
    item: &str,
    old: Option<&str>,
    new: Option<&str>,
    reason: &str,
) -> Change {
    Change {
        kind,
        breaking,
        item: item.to_string(),
        member: None,
        old: old.map(str::to_string),
        new: new.map(str::to_string),
        reason: reason.to_string(),
    }
}

/// A change about one field, value or variant of a type.
fn member(
    kind: Kind,
    breaking: bool,
    def: &TypeDef,
    member: &str,
    values: (Option<String>, Option<String>),
    reason: &str,
) -> Change {
    Change {
        kind,
        breaking,
        item: def.name.clone(),
        member: Some(member.to_string()),
        old: values.0,
        new: values.1,
        reason: reason.to_string(),
    }
}

/// The changes inside one type that kept its name.
fn members(old: &TypeDef, new: &TypeDef, uses: Uses, types: &TypeText) -> Vec<Change> {
    if old.kind != new.kind {
        return vec![whole(
            Kind::TypeKindChanged,
            true,
            &new.name,
            Some(old.kind.as_str()),
            Some(new.kind.as_str()),
            rules::KIND_CHANGED,
        )];
    }
    match new.kind {
        TypeKind::Struct => fields(old, new, uses, types),
        TypeKind::Enum => enum_values(old, new),
        TypeKind::Union => union_variants(old, new, types),
    }
}

fn fields(old: &TypeDef, new: &TypeDef, uses: Uses, types: &TypeText) -> Vec<Change> {
    let before: BTreeMap<&str, &Field> = old.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
    let after: BTreeMap<&str, &Field> = new.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
    let mut changes = Vec::new();
    for (wire, field) in &after {
        match before.get(wire) {
            None => changes.push(field_added(new, field, uses, types)),
            Some(was) => changes.extend(field_changed(new, was, field, types)),
        }
    }
    for (wire, field) in &before {
        if !after.contains_key(wire) {
            let values = (Some(types.shown_old(&field.rust_type)), None);
            changes.push(member(
                Kind::FieldRemoved,
                true,
                new,
                wire,
                values,
                rules::REMOVED,
            ));
        }
    }
    changes
}

/// A required field changes `new`, an optional one only adds a setter; the same whether users
/// build the type or only read it (the reason says which).
fn field_added(def: &TypeDef, field: &Field, uses: Uses, types: &TypeText) -> Change {
    let reason = match (field.required, uses.input) {
        (true, true) => rules::FIELD_REQUIRED_ADDED,
        (true, false) => rules::FIELD_REQUIRED_ADDED_OUTPUT,
        (false, _) => rules::FIELD_OPTIONAL_ADDED,
    };
    let values = (None, Some(types.shown_new(&field.rust_type)));
    member(
        Kind::FieldAdded,
        field.required,
        def,
        &field.wire,
        values,
        reason,
    )
}

/// Required-ness, nullability and the inner type, each reported on its own. Required-ness
/// always breaks (`new` takes the required fields); the others break exactly when the field's
/// full Rust type changed.
fn field_changed(def: &TypeDef, old: &Field, new: &Field, types: &TypeText) -> Vec<Change> {
    let old_full = types.translated(&old.rust_type);
    let new_full = types.shown_new(&new.rust_type);
    let full_changed = old_full != new_full;
    let reason = if full_changed {
        rules::TYPE_CHANGED
    } else {
        rules::SAME_RUST_TYPE
    };
    let mut changes = Vec::new();
    let mut flag = |kind, was: bool, is: bool, yes: &str, no: &str| {
        if was != is {
            let text = |b: bool| Some(if b { yes } else { no }.to_string());
            let values = (text(was), text(is));
            let (breaking, reason) = if kind == Kind::FieldRequiredChanged {
                (true, rules::FIELD_REQUIRED_CHANGED)
            } else {
                (full_changed, reason)
            };
            changes.push(member(kind, breaking, def, &new.wire, values, reason));
        }
    };
    flag(
        Kind::FieldRequiredChanged,
        old.required,
        new.required,
        "required",
        "optional",
    );
    flag(
        Kind::FieldNullableChanged,
        old.nullable,
        new.nullable,
        "nullable",
        "not nullable",
    );
    let old_inner = types.translated(field_inner(&old.rust_type, old.required, old.nullable));
    if old.deprecated != new.deprecated {
        let state = |d: bool| Some(if d { "deprecated" } else { "not deprecated" }.to_string());
        changes.push(member(
            Kind::DeprecationChanged,
            false,
            def,
            &new.wire,
            (state(old.deprecated), state(new.deprecated)),
            rules::DEPRECATION,
        ));
    }
    let new_inner = types.shown_new(field_inner(&new.rust_type, new.required, new.nullable));
    if old_inner != new_inner {
        let values = (Some(old_full), Some(new_full));
        changes.push(member(
            Kind::FieldTypeChanged,
            true,
            def,
            &new.wire,
            values,
            rules::TYPE_CHANGED,
        ));
    }
    changes
}

/// A string enum's values.
fn wires(def: &TypeDef) -> impl Iterator<Item = &str> {
    def.variants.iter().filter_map(|v| v.wire.as_deref())
}

fn enum_values(old: &TypeDef, new: &TypeDef) -> Vec<Change> {
    let before: BTreeSet<&str> = wires(old).collect();
    let after: BTreeSet<&str> = wires(new).collect();
    let added = after.difference(&before).map(|value| {
        let values = (None, Some(value.to_string()));
        member(
            Kind::EnumValueAdded,
            false,
            new,
            value,
            values,
            rules::ENUM_VALUE_ADDED,
        )
    });
    let removed = before.difference(&after).map(|value| {
        let values = (Some(value.to_string()), None);
        member(
            Kind::EnumValueRemoved,
            true,
            new,
            value,
            values,
            rules::REMOVED,
        )
    });
    added.chain(removed).collect()
}

/// A union's variants by the name users write (`UserCheck::Compliance`), each with the type it
/// holds: a variant gone, or holding another type, breaks the code that builds or matches it.
fn union_variants(old: &TypeDef, new: &TypeDef, types: &TypeText) -> Vec<Change> {
    let variants = |def: &TypeDef, translate: bool| -> BTreeMap<String, String> {
        def.variants
            .iter()
            .map(|v| {
                let held = v.rust_type.as_ref().map(|t| match translate {
                    true => types.translated(t),
                    false => types.shown_new(t),
                });
                (v.ident.clone(), held.unwrap_or_default())
            })
            .collect()
    };
    let before = variants(old, true);
    let after = variants(new, false);
    let mut changes = Vec::new();
    for (ident, held) in &after {
        match before.get(ident) {
            None => changes.push(member(
                Kind::UnionVariantAdded,
                false,
                new,
                ident,
                (None, Some(held.clone())),
                rules::UNION_VARIANT_ADDED,
            )),
            Some(was) if was != held => changes.push(member(
                Kind::UnionVariantTypeChanged,
                true,
                new,
                ident,
                (Some(was.clone()), Some(held.clone())),
                rules::TYPE_CHANGED,
            )),
            Some(_) => {}
        }
    }
    for (ident, held) in &before {
        if !after.contains_key(ident) {
            changes.push(member(
                Kind::UnionVariantRemoved,
                true,
                new,
                ident,
                (Some(held.clone()), None),
                rules::REMOVED,
            ));
        }
    }
    changes
}
