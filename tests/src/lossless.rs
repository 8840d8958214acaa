//! Examples changed as a newer server would send them, for the whole-API round trip
//! (`tests/tests/builds/whole_api.rs`): a property the SDK does not know added to every object
//! that is a generated struct (or an error's problem document), or a `null` in every optional field that is not nullable. The
//! SDK must decode such a value without losing anything (it encodes again to the changed
//! value) and choose the same union variants as for the example itself.
//!
//! Which objects are structs and which fields are optional comes from the lowered model, by
//! walking the example with its type. Where a union holds the value, the walk follows every
//! member the value plausibly is (every property named, the required ones present, values of
//! their kinds) and keeps only the places all of them agree on, so a change is made only where
//! its meaning does not depend on the variant. Deterministic: no randomness, every place at once.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use upvest_sdk_generator::model::{Api, RustType, Scalar, TypeDef, TypeKind};

/// The property added to every struct's object.
pub const NEW_PROPERTY: &str = "x_added_by_a_newer_server";
/// Its value.
pub const NEW_VALUE: &str = "new";

/// The places to change in an example: JSON pointers (RFC 6901, from the example's root).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Places {
    /// Objects that are generated structs or problem documents (a new property goes there).
    pub objects: BTreeSet<String>,
    /// Values of optional fields that are not nullable, of a type whose `Debug` names no
    /// union variant (a scalar or an enum): they become `null`.
    pub nulls: BTreeSet<String>,
    /// What a newer server would send that an older SDK has not seen (see [`newer_server`]):
    /// values by pointer, for fields the older SDK's struct lacks and enum values it does not
    /// list.
    pub newer: BTreeMap<String, Value>,
}

impl Places {
    fn keep_common(&mut self, other: &Places) {
        self.objects.retain(|p| other.objects.contains(p));
        self.nulls.retain(|p| other.nulls.contains(p));
        self.newer.retain(|p, v| other.newer.get(p) == Some(v));
    }

    fn extend(&mut self, other: Places) {
        self.objects.extend(other.objects);
        self.nulls.extend(other.nulls);
        self.newer.extend(other.newer);
    }
}

/// The places of `value`, an example of type `ty`.
pub fn places(api: &Api, value: &Value, ty: &RustType) -> Places {
    let mut places = Places::default();
    walk(&Models { api, older: None }, value, ty, "", &mut places);
    places
}

/// `value`, an example of type `ty` in the model `api` of a newer description, as a newer
/// server would send it to an SDK generated from `older` (the same names, by the record): every
/// field the newer struct has and the older one lacks is filled in, and every enum value is
/// one the older enum does not list, where the newer enum adds any. `None` when nothing is
/// newer along the example's value. Only where every variant the value plausibly is agrees (as
/// for [`places`]). With the value: the properties added that the older SDK keeps as unknown
/// (its structs lack them), as `(name, value)`.
pub fn newer_server(
    api: &Api,
    older: &Api,
    value: &Value,
    ty: &RustType,
) -> Option<(Value, Vec<(String, Value)>)> {
    let mut places = Places::default();
    let models = Models {
        api,
        older: Some(older),
    };
    walk(&models, value, ty, "", &mut places);
    if places.newer.is_empty() {
        return None;
    }
    let mut changed = value.clone();
    let mut kept = Vec::new();
    for (pointer, new) in places.newer {
        let (parent, token) = pointer.rsplit_once('/').expect("a pointer below the root");
        let key = token.replace("~1", "/").replace("~0", "~");
        match changed.pointer_mut(parent) {
            Some(Value::Object(object)) => {
                if !object.contains_key(&key) {
                    kept.push((key.clone(), new.clone()));
                }
                object.insert(key, new);
            }
            Some(Value::Array(items)) => {
                if let Some(item) = key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    *item = new;
                }
            }
            _ => {}
        }
    }
    Some((changed, kept))
}

/// The model an example is walked in, and for [`newer_server`] the older one it is compared
/// with.
struct Models<'a> {
    api: &'a Api,
    older: Option<&'a Api>,
}

/// A value a newer server could send for a field of type `ty` (`None` where no simple one is
/// certain to be valid: a struct with required fields, a union, a problem document).
fn plausible(api: &Api, ty: &RustType) -> Option<Value> {
    Some(match ty {
        RustType::Option(inner) | RustType::Box(inner) => return plausible(api, inner),
        RustType::Vec(_) => Value::Array(Vec::new()),
        RustType::Map(_) => Value::Object(Default::default()),
        RustType::Scalar(scalar) => match scalar {
            Scalar::String | Scalar::Json => Value::String("evolved".into()),
            Scalar::Bool => Value::Bool(true),
            Scalar::I32 | Scalar::I64 | Scalar::U8 => Value::from(1),
            Scalar::F64 => Value::from(1.5),
            Scalar::Uuid => Value::String("3fa85f64-5717-4562-b3fc-2c963f66afa6".into()),
            Scalar::Date => Value::String("2021-07-21".into()),
            Scalar::DateTime => Value::String("2021-07-21T14:10:00Z".into()),
            Scalar::JsonObject => Value::Object(Default::default()),
            Scalar::Problem => return None,
        },
        RustType::Model { id, .. } => {
            let def = api.types.get(id.0)?;
            match def.kind {
                TypeKind::Enum => Value::String(def.variants.first()?.wire.clone()?),
                TypeKind::Struct if def.fields.iter().all(|f| !f.required) => {
                    Value::Object(Default::default())
                }
                _ => return None,
            }
        }
        RustType::Unit | RustType::ImplInto(_) => return None,
    })
}

/// `value` with [`NEW_PROPERTY`] added to each of `objects`.
pub fn with_new_property(value: &Value, objects: &BTreeSet<String>) -> Value {
    let mut changed = value.clone();
    for pointer in objects {
        if let Some(object) = changed.pointer_mut(pointer).and_then(Value::as_object_mut) {
            object.insert(NEW_PROPERTY.into(), Value::String(NEW_VALUE.into()));
        }
    }
    changed
}

/// `value` with each of `nulls` set to `null`.
pub fn with_nulls(value: &Value, nulls: &BTreeSet<String>) -> Value {
    let mut changed = value.clone();
    for pointer in nulls {
        if let Some(slot) = changed.pointer_mut(pointer) {
            *slot = Value::Null;
        }
    }
    changed
}

/// The `Debug` text of a value decoded with [`NEW_PROPERTY`] added, less what that property
/// adds to it (an entry of a map of kept properties, or its key where `Debug` shows only the
/// keys): equal to the text of the example decoded as it is, when the same variants were chosen.
pub fn without_new_property(shown: &str) -> String {
    without_kept(shown, NEW_PROPERTY, &Value::String(NEW_VALUE.into()))
}

/// The `Debug` text of a value less what a property `key` kept as unknown with `value` adds to
/// it (see [`without_new_property`]).
pub fn without_kept(shown: &str, key: &str, value: &Value) -> String {
    let entry = format!("{key:?}: {value:?}");
    let key = format!("{key:?}");
    let mut text = shown.to_string();
    for item in [entry, key] {
        text = text
            .replace(&format!(", {item}"), "")
            .replace(&format!("{item}, "), "")
            .replace(&item, "");
    }
    text
}

/// The identifiers of every union's variants (but `Unknown`, also an open enum's variant).
pub fn union_variants(api: &Api) -> BTreeSet<String> {
    api.types
        .iter()
        .filter(|t| t.kind == TypeKind::Union)
        .flat_map(|t| t.variants.iter().map(|v| v.ident.clone()))
        .filter(|ident| ident != "Unknown")
        .collect()
}

/// The union variants a `Debug` text names, in order (`UserTol(`; not inside string literals).
pub fn chosen_variants(shown: &str, variants: &BTreeSet<String>) -> Vec<String> {
    let mut chosen = Vec::new();
    let mut chars = shown.char_indices().peekable();
    let mut word_start = None;
    while let Some((at, c)) = chars.next() {
        if c == '"' {
            word_start = None;
            // Skip the literal, escapes included.
            while let Some((_, c)) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    _ => {}
                }
            }
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            word_start.get_or_insert(at);
            continue;
        }
        if let Some(start) = word_start.take() {
            let word = &shown[start..at];
            if c == '(' && variants.contains(word) {
                chosen.push(word.to_string());
            }
        }
    }
    chosen
}

fn type_def<'a>(api: &'a Api, name: &str) -> Option<&'a TypeDef> {
    api.types.iter().find(|t| t.name == name)
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Walks `value` as a `ty` at `at`, adding its places to `out`; whether the value is
/// plausibly a `ty` (see the module's doc). Every part is walked, plausible or not.
fn walk(models: &Models, value: &Value, ty: &RustType, at: &str, out: &mut Places) -> bool {
    let api = models.api;
    match ty {
        RustType::Option(inner) => value.is_null() || walk(models, value, inner, at, out),
        RustType::Box(inner) => walk(models, value, inner, at, out),
        RustType::Vec(inner) => match value.as_array() {
            Some(items) => items.iter().enumerate().fold(true, |all, (i, item)| {
                walk(models, item, inner, &format!("{at}/{i}"), out) && all
            }),
            None => false,
        },
        RustType::Map(inner) => match value.as_object() {
            Some(object) => object.iter().fold(true, |all, (key, item)| {
                walk(models, item, inner, &format!("{at}/{}", escape(key)), out) && all
            }),
            None => false,
        },
        // A problem document keeps the members it does not name (RFC 7807 extensions).
        RustType::Scalar(Scalar::Problem) if value.is_object() => {
            out.objects.insert(at.to_string());
            true
        }
        RustType::Scalar(scalar) => scalar_fits(*scalar, value),
        RustType::Unit | RustType::ImplInto(_) => false,
        RustType::Model { id, .. } => match api.types.get(id.0) {
            Some(def) => match def.kind {
                TypeKind::Enum => {
                    if let (Some(older), true) = (models.older, value.is_string()) {
                        let listed: BTreeSet<&str> = type_def(older, &def.name)
                            .map(|d| {
                                d.variants
                                    .iter()
                                    .filter_map(|v| v.wire.as_deref())
                                    .collect()
                            })
                            .unwrap_or_default();
                        if let Some(added) = def
                            .variants
                            .iter()
                            .filter_map(|v| v.wire.as_deref())
                            .find(|wire| !listed.contains(wire))
                        {
                            out.newer
                                .insert(at.to_string(), Value::String(added.to_string()));
                        }
                    }
                    value.is_string()
                }
                TypeKind::Struct => walk_struct(models, def, value, at, out),
                TypeKind::Union => {
                    let mut common: Option<Places> = None;
                    for variant in &def.variants {
                        let Some(member) = &variant.rust_type else {
                            continue;
                        };
                        let mut places = Places::default();
                        if walk(models, value, member, at, &mut places) {
                            match &mut common {
                                Some(common) => common.keep_common(&places),
                                None => common = Some(places),
                            }
                        }
                    }
                    common.map(|places| out.extend(places)).is_some()
                }
            },
            None => false,
        },
    }
}

fn walk_struct(models: &Models, def: &TypeDef, value: &Value, at: &str, out: &mut Places) -> bool {
    let api = models.api;
    let Some(object) = value.as_object() else {
        return false;
    };
    out.objects.insert(at.to_string());
    // The fields the older SDK's struct of this name lacks, as a newer server fills them in.
    if let Some(older) = models.older.and_then(|older| type_def(older, &def.name)) {
        for field in &def.fields {
            let known = older.fields.iter().any(|f| f.wire == field.wire);
            if !known && !object.contains_key(&field.wire) {
                if let Some(new) = plausible(api, &field.rust_type) {
                    out.newer
                        .insert(format!("{at}/{}", escape(&field.wire)), new);
                }
            }
        }
    }
    let mut plausible = true;
    for field in &def.fields {
        let here = format!("{at}/{}", escape(&field.wire));
        match object.get(&field.wire) {
            None => plausible &= !field.required,
            Some(Value::Null) => plausible &= field.nullable || !field.required,
            Some(item) => {
                plausible &= walk(models, item, &field.rust_type, &here, out);
                if !field.required && !field.nullable && names_no_variant(api, &field.rust_type) {
                    out.nulls.insert(here);
                }
            }
        }
    }
    for (key, item) in object {
        if def.fields.iter().any(|f| &f.wire == key) {
            continue;
        }
        plausible &= match &def.extra {
            Some(extra) => walk(models, item, extra, &format!("{at}/{}", escape(key)), out),
            None => false,
        };
    }
    plausible
}

/// Whether a value of `ty` shows no union variant in `Debug`: a scalar other than JSON, or an
/// enum (optionally wrapped).
fn names_no_variant(api: &Api, ty: &RustType) -> bool {
    match ty {
        RustType::Option(inner) | RustType::Box(inner) => names_no_variant(api, inner),
        RustType::Scalar(scalar) => !matches!(scalar, Scalar::Json | Scalar::JsonObject),
        RustType::Model { id, .. } => api
            .types
            .get(id.0)
            .is_some_and(|d| d.kind == TypeKind::Enum),
        _ => false,
    }
}

fn scalar_fits(scalar: Scalar, value: &Value) -> bool {
    let text = value.as_str();
    match scalar {
        Scalar::String => value.is_string(),
        Scalar::Bool => value.is_boolean(),
        Scalar::I32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        Scalar::I64 => value.as_i64().is_some(),
        Scalar::F64 | Scalar::U8 => value.is_number(),
        Scalar::Uuid => text.is_some_and(|s| {
            s.len() == 36
                && s.chars()
                    .enumerate()
                    .all(|(i, c)| matches!(i, 8 | 13 | 18 | 23) == (c == '-'))
                && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        }),
        Scalar::Date => text.is_some_and(|s| s.parse::<chrono::NaiveDate>().is_ok()),
        Scalar::DateTime => {
            text.is_some_and(|s| s.parse::<chrono::DateTime<chrono::FixedOffset>>().is_ok())
        }
        Scalar::Json => true,
        Scalar::JsonObject | Scalar::Problem => value.is_object(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_property_is_taken_out_of_debug_text_wherever_it_is() {
        let entry = format!("{NEW_PROPERTY:?}: String({NEW_VALUE:?})");
        let shown = format!(
            "A {{ b: {{{entry}}}, c: {{\"a\": Null, {entry}}}, d: {{{entry}, \"z\": Null}}, e: [{NEW_PROPERTY:?}] }}"
        );
        assert_eq!(
            without_new_property(&shown),
            "A { b: {}, c: {\"a\": Null}, d: {\"z\": Null}, e: [] }"
        );
    }

    #[test]
    fn chosen_variants_are_read_outside_string_literals() {
        let variants: BTreeSet<String> = ["UserTol", "Uuid"].map(String::from).into();
        let shown = r#"Page { data: UserTol(UserTol { name: "UserTol(\"x", id: Some(Uuid(1)), k: Uuid }) }"#;
        assert_eq!(chosen_variants(shown, &variants), ["UserTol", "Uuid"]);
    }
}
