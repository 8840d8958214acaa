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

use std::collections::BTreeSet;

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
}

impl Places {
    fn keep_common(&mut self, other: &Places) {
        self.objects.retain(|p| other.objects.contains(p));
        self.nulls.retain(|p| other.nulls.contains(p));
    }

    fn extend(&mut self, other: Places) {
        self.objects.extend(other.objects);
        self.nulls.extend(other.nulls);
    }
}

/// The places of `value`, an example of type `ty`.
pub fn places(api: &Api, value: &Value, ty: &RustType) -> Places {
    let mut places = Places::default();
    walk(api, value, ty, "", &mut places);
    places
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
    let entry = format!("{NEW_PROPERTY:?}: String({NEW_VALUE:?})");
    let key = format!("{NEW_PROPERTY:?}");
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

fn def<'a>(api: &'a Api, name: &str) -> Option<&'a TypeDef> {
    api.types.iter().find(|t| t.name == name)
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Walks `value` as a `ty` at `at`, adding its places to `out`; whether the value is
/// plausibly a `ty` (see the module's doc). Every part is walked, plausible or not.
fn walk(api: &Api, value: &Value, ty: &RustType, at: &str, out: &mut Places) -> bool {
    match ty {
        RustType::Option(inner) => value.is_null() || walk(api, value, inner, at, out),
        RustType::Box(inner) => walk(api, value, inner, at, out),
        RustType::Vec(inner) => match value.as_array() {
            Some(items) => items.iter().enumerate().fold(true, |all, (i, item)| {
                walk(api, item, inner, &format!("{at}/{i}"), out) && all
            }),
            None => false,
        },
        RustType::Map(inner) => match value.as_object() {
            Some(object) => object.iter().fold(true, |all, (key, item)| {
                walk(api, item, inner, &format!("{at}/{}", escape(key)), out) && all
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
        RustType::Model { name, .. } => match def(api, name) {
            Some(def) => match def.kind {
                TypeKind::Enum => value.is_string(),
                TypeKind::Struct => walk_struct(api, def, value, at, out),
                TypeKind::Union => {
                    let mut common: Option<Places> = None;
                    for variant in &def.variants {
                        let Some(member) = &variant.rust_type else {
                            continue;
                        };
                        let mut places = Places::default();
                        if walk(api, value, member, at, &mut places) {
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

fn walk_struct(api: &Api, def: &TypeDef, value: &Value, at: &str, out: &mut Places) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    out.objects.insert(at.to_string());
    let mut plausible = true;
    for field in &def.fields {
        let here = format!("{at}/{}", escape(&field.wire));
        match object.get(&field.wire) {
            None => plausible &= !field.required,
            Some(Value::Null) => plausible &= field.nullable || !field.required,
            Some(item) => {
                plausible &= walk(api, item, &field.rust_type, &here, out);
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
            Some(extra) => walk(api, item, extra, &format!("{at}/{}", escape(key)), out),
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
        RustType::Model { name, .. } => def(api, name).is_some_and(|d| d.kind == TypeKind::Enum),
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
