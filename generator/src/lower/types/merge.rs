//! Merging the copies of one recorded type whose shapes drifted apart in a new description: a
//! copy that gained a field, an enum value or a union member stays the type users already name,
//! which now has the field (optional, unless every copy requires it), the value or the member.
//! Copies that cannot be one type (a struct and an enum, one field of two types) do not merge;
//! the copy then gets a name of its own, and the change report says what broke.

use super::shape::{FieldShape, Shape, Tag};

/// One shape for both, or `None` when they cannot be one type.
pub(super) fn merge(a: &Shape, b: &Shape) -> Option<Shape> {
    match (a, b) {
        (
            Shape::Struct(a_fields, a_extra, a_closed),
            Shape::Struct(b_fields, b_extra, b_closed),
        ) => {
            let extra = match (a_extra, b_extra) {
                (Some(x), Some(y)) if x != y => return None,
                (x, y) => x.clone().or_else(|| y.clone()),
            };
            // Closed only if every copy is: a union must not reject what one copy allows.
            let closed = *a_closed && *b_closed;
            Some(Shape::Struct(
                merge_fields(a_fields, b_fields)?,
                extra,
                closed,
            ))
        }
        (Shape::Enum(a_values), Shape::Enum(b_values)) => {
            let mut values = a_values.clone();
            values.extend(b_values.iter().filter(|v| !a_values.contains(v)).cloned());
            Some(Shape::Enum(values))
        }
        (Shape::Union(a_members, a_tag, a_limits), Shape::Union(b_members, b_tag, b_limits)) => {
            let tag_property = |tag: &Option<Tag>| tag.as_ref().map(|t| t.property.clone());
            if tag_property(a_tag) != tag_property(b_tag) {
                return None;
            }
            let mut members = a_members.clone();
            let mut limits = a_limits.clone();
            let mut values: Vec<Vec<String>> =
                a_tag.as_ref().map(|t| t.values.clone()).unwrap_or_default();
            for (index, member) in b_members.iter().enumerate() {
                let tags = b_tag
                    .as_ref()
                    .and_then(|t| t.values.get(index).cloned())
                    .unwrap_or_default();
                match members.iter().position(|m| m == member) {
                    Some(at) => {
                        if let Some(have) = values.get_mut(at) {
                            for tag in tags {
                                if !have.contains(&tag) {
                                    have.push(tag);
                                }
                            }
                        }
                    }
                    None => {
                        members.push(member.clone());
                        limits.push(b_limits.get(index).cloned().unwrap_or_default());
                        values.push(tags);
                    }
                }
            }
            let tag = a_tag.as_ref().map(|t| Tag {
                property: t.property.clone(),
                values,
            });
            Some(Shape::Union(members, tag, limits))
        }
        _ => None,
    }
}

/// Fields of both, sorted by name; a field's type must agree. A field is required only if
/// both copies require it, and nullable if either allows null.
fn merge_fields(a: &[FieldShape], b: &[FieldShape]) -> Option<Vec<FieldShape>> {
    let mut fields: Vec<FieldShape> = Vec::new();
    for field in a {
        match b.iter().find(|f| f.wire == field.wire) {
            Some(other) if other.ty != field.ty || other.limits != field.limits => return None,
            Some(other) => fields.push(FieldShape {
                required: field.required && other.required,
                nullable: field.nullable || other.nullable,
                ..field.clone()
            }),
            None => fields.push(FieldShape {
                required: false,
                ..field.clone()
            }),
        }
    }
    for field in b.iter().filter(|f| !a.iter().any(|g| g.wire == f.wire)) {
        fields.push(FieldShape {
            required: false,
            ..field.clone()
        });
    }
    fields.sort_by(|x, y| x.wire.cmp(&y.wire));
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::super::Ty;
    use super::*;

    fn field(wire: &str, ty: Ty, required: bool) -> FieldShape {
        FieldShape {
            wire: wire.into(),
            ty,
            required,
            nullable: false,
            limits: Default::default(),
        }
    }

    #[test]
    fn a_struct_that_gained_a_field_keeps_it_optional() {
        let old = Shape::Struct(vec![field("id", Ty::Uuid, true)], None, false);
        let new = Shape::Struct(
            vec![field("id", Ty::Uuid, true), field("note", Ty::String, true)],
            None,
            true,
        );
        let Some(Shape::Struct(fields, None, false)) = merge(&old, &new) else {
            panic!("structs merge");
        };
        assert_eq!(
            fields,
            vec![
                field("id", Ty::Uuid, true),
                field("note", Ty::String, false)
            ]
        );
    }

    #[test]
    fn an_enum_that_gained_a_value_keeps_every_value_in_order() {
        let old = Shape::Enum(vec!["BUY".into(), "SELL".into()]);
        let new = Shape::Enum(vec!["BUY".into(), "SHORT".into(), "SELL".into()]);
        assert_eq!(
            merge(&old, &new),
            Some(Shape::Enum(vec![
                "BUY".into(),
                "SELL".into(),
                "SHORT".into()
            ]))
        );
    }

    #[test]
    fn different_kinds_or_field_types_do_not_merge() {
        let text = Shape::Struct(vec![field("id", Ty::String, true)], None, false);
        let uuid = Shape::Struct(vec![field("id", Ty::Uuid, true)], None, false);
        assert_eq!(merge(&text, &uuid), None);
        assert_eq!(merge(&text, &Shape::Enum(vec!["A".into()])), None);
    }

    #[test]
    fn a_union_that_gained_a_member_keeps_the_old_ones_first() {
        let bounds = |n| vec![Default::default(); n];
        let old = Shape::Union(vec![Ty::Named(0), Ty::Named(1)], None, bounds(2));
        let new = Shape::Union(
            vec![Ty::Named(2), Ty::Named(0), Ty::Named(1)],
            None,
            bounds(3),
        );
        assert_eq!(
            merge(&old, &new),
            Some(Shape::Union(
                vec![Ty::Named(0), Ty::Named(1), Ty::Named(2)],
                None,
                bounds(3)
            ))
        );
    }
}
