//! Serde support for the generated types, and how a union chooses its variant.
//!
//! A union (`oneOf`/`anyOf`) is decoded through a JSON value: each generated type that a union
//! can hold carries a small table ([`Fit`]) of what its description says a value looks like
//! (required and forbidden properties, formats with a Rust type, enum values, list lengths).
//! [`candidates`] grades the value against each variant's table; the union decodes only the best
//! candidates, in order, and keeps the value as it is (`Unknown`) when none fits. So a variant
//! never takes a value that it would decode only by dropping data its description forbids.

use serde_json::Value;

/// The one way the SDK decodes a type from JSON: response bodies, the chosen variant of a union,
/// webhook payloads. Every generated type is decoded through this one deserializer (serde_json's
/// slice reader, with the path of the failing field tracked), so its `Deserialize` code is
/// compiled once, not once per kind of deserializer.
///
/// # Errors
///
/// When the JSON does not decode into `T`: where (the path) and why.
pub fn decode<T: serde::de::DeserializeOwned>(
    json: &[u8],
) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    serde_path_to_error::deserialize(&mut deserializer)
}

/// A union's value, chosen among: the variants `candidates` names, each decoded by `decode` (by
/// index, through [`decode`] of the value's JSON); the first that decodes wins, and when none
/// does the value is kept as it came (`unknown`). Not generic, so the code that buffers and
/// grades a value exists once per union, not once per deserializer the union is read from.
pub fn choose<U>(
    value: Value,
    candidates: Vec<usize>,
    decode: impl Fn(usize, &[u8]) -> Option<U>,
    unknown: fn(Value) -> U,
) -> U {
    if !candidates.is_empty() {
        // A value that came from JSON encodes again (object keys are strings).
        if let Ok(json) = serde_json::to_vec(&value) {
            if let Some(decoded) = candidates
                .into_iter()
                .find_map(|index| decode(index, &json))
            {
                return decoded;
            }
        }
    }
    unknown(value)
}

/// Deserializes an optional, nullable field so that an absent field (`None`) and an explicit
/// `null` (`Some(None)`) stay distinct and round-trip.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

/// What the description says a JSON value must look like, as far as choosing a union's variant
/// needs it. Generated types hold these as constants; nothing here is generic code.
#[derive(Debug)]
pub enum Fit {
    /// Any JSON value (`serde_json::Value`).
    Any,
    /// Any JSON object (`serde_json::Map`).
    AnyObject,
    /// `true` or `false`.
    Bool,
    /// An integer that fits an `i32`.
    I32,
    /// An integer that fits an `i64`.
    I64,
    /// Any number.
    F64,
    /// Any string.
    String,
    /// A string that is a UUID (`uuid::Uuid`).
    Uuid,
    /// A string that is a date (`chrono::NaiveDate`).
    Date,
    /// A string that is a date-time with an offset (`chrono::DateTime<chrono::Utc>`).
    DateTime,
    /// An open string enum: the listed values fit exactly, other strings fit openly (they are
    /// kept as `Unknown`).
    Enum(&'static [&'static str]),
    /// A list of items, with its `minItems` and `maxItems`.
    List(&'static Fit, Option<usize>, Option<usize>),
    /// An object whose property values are all of one kind.
    Map(&'static Fit),
    /// An object with named properties, and what happens to the properties it does not name.
    Object(&'static [Prop], Extra),
    /// One of several shapes (a union held by another type). A value that fits none still fits
    /// openly: the inner union keeps it as its `Unknown`.
    Union(&'static [&'static Fit]),
}

/// One named property of an [`Fit::Object`].
#[derive(Debug)]
pub struct Prop(pub &'static str, pub &'static Fit, pub Need);

/// Whether a property must be present, and whether it may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Present, not null.
    Required,
    /// May be absent; not null when present.
    Optional,
    /// Present, may be null.
    RequiredNullable,
    /// May be absent or null.
    OptionalNullable,
}

/// The properties an object does not name.
#[derive(Debug)]
pub enum Extra {
    /// The description forbids them (`additionalProperties: false`): a value with one does not fit.
    Forbidden,
    /// The description allows them but the type does not keep them: the value fits openly.
    Ignored,
    /// The type keeps them (in `additional_properties`), each of this kind.
    Kept(&'static Fit),
}

/// How well a value fits a [`Fit`]: better grades compare greater. An exact fit beats an open
/// one (unknown properties the type ignores, unknown enum values, an inner union's `Unknown`);
/// among equals, the more specific fit wins (more known properties, a format or an enum value
/// that matched), so a UUID string goes to a `Uuid` variant rather than a `String` one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grade {
    /// Nothing in the value is unknown to the type.
    pub exact: bool,
    /// How many properties, formats and enum values matched.
    pub score: u32,
}

impl Grade {
    const EXACT: Grade = Grade {
        exact: true,
        score: 0,
    };
    const SPECIFIC: Grade = Grade {
        exact: true,
        score: 1,
    };
    const OPEN: Grade = Grade {
        exact: false,
        score: 0,
    };

    /// Both parts together: exact if both are, scores added.
    fn and(self, other: Grade) -> Grade {
        Grade {
            exact: self.exact && other.exact,
            score: self.score.saturating_add(other.score),
        }
    }
}

/// How well `value` fits `fit`; `None` when it does not fit (a required property is missing, a
/// forbidden one is present, a format or a type does not match, a list is too long or short).
pub fn grade(value: &Value, fit: &Fit) -> Option<Grade> {
    let yes = |ok: bool, grade: Grade| ok.then_some(grade);
    match fit {
        Fit::Any => Some(Grade::EXACT),
        Fit::AnyObject => yes(value.is_object(), Grade::EXACT),
        Fit::Bool => yes(value.is_boolean(), Grade::EXACT),
        Fit::I32 => yes(
            value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            Grade::SPECIFIC,
        ),
        Fit::I64 => yes(value.as_i64().is_some(), Grade::SPECIFIC),
        Fit::F64 => yes(value.is_number(), Grade::EXACT),
        Fit::String => yes(value.is_string(), Grade::EXACT),
        Fit::Uuid => yes(
            value
                .as_str()
                .is_some_and(|s| s.parse::<uuid::Uuid>().is_ok()),
            Grade::SPECIFIC,
        ),
        Fit::Date => yes(
            value
                .as_str()
                .is_some_and(|s| s.parse::<chrono::NaiveDate>().is_ok()),
            Grade::SPECIFIC,
        ),
        Fit::DateTime => yes(
            value
                .as_str()
                .is_some_and(|s| s.parse::<chrono::DateTime<chrono::FixedOffset>>().is_ok()),
            Grade::SPECIFIC,
        ),
        Fit::Enum(values) => {
            let s = value.as_str()?;
            Some(if values.contains(&s) {
                Grade::SPECIFIC
            } else {
                Grade::OPEN
            })
        }
        Fit::List(item, min, max) => {
            let items = value.as_array()?;
            if min.is_some_and(|min| items.len() < min) || max.is_some_and(|max| items.len() > max)
            {
                return None;
            }
            items
                .iter()
                .try_fold(Grade::EXACT, |sum, i| Some(sum.and(grade(i, item)?)))
        }
        Fit::Map(item) => value
            .as_object()?
            .values()
            .try_fold(Grade::EXACT, |sum, v| Some(sum.and(grade(v, item)?))),
        Fit::Object(props, extra) => grade_object(value.as_object()?, props, extra),
        Fit::Union(members) => Some(
            members
                .iter()
                .filter_map(|m| grade(value, m))
                .max()
                .unwrap_or(Grade::OPEN),
        ),
    }
}

fn grade_object(
    object: &serde_json::Map<String, Value>,
    props: &[Prop],
    extra: &Extra,
) -> Option<Grade> {
    let mut sum = Grade::EXACT;
    for Prop(name, fit, need) in props {
        let nullable = matches!(need, Need::RequiredNullable | Need::OptionalNullable);
        match object.get(*name) {
            None if matches!(need, Need::Required | Need::RequiredNullable) => return None,
            None => {}
            // A `null` where the description does not allow one would come back absent.
            Some(Value::Null) if !nullable => return None,
            Some(Value::Null) => sum = sum.and(Grade::SPECIFIC),
            Some(v) => sum = sum.and(Grade::SPECIFIC).and(grade(v, fit)?),
        }
    }
    let known = |key: &String| props.iter().any(|Prop(name, ..)| name == key);
    for (_, v) in object.iter().filter(|(key, _)| !known(key)) {
        sum = match extra {
            Extra::Forbidden => return None,
            Extra::Ignored => sum.and(Grade::OPEN),
            Extra::Kept(fit) => sum.and(grade(v, fit)?),
        };
    }
    Some(sum)
}

/// A union's discriminator: the property, and which value selects which variant (by index).
#[derive(Debug)]
pub struct Tag(pub &'static str, pub &'static [(&'static str, usize)]);

/// The variants of a union (`fit` is its [`Fit::Union`]) that `value` fits, best first (ties:
/// the earlier variant). With a discriminator whose value names a variant, only that variant,
/// and only if the value fits it; a value the discriminator does not list is graded against
/// every variant.
pub fn candidates(value: &Value, fit: &Fit, tag: Option<&Tag>) -> Vec<usize> {
    let Fit::Union(members) = fit else {
        return Vec::new();
    };
    let tagged = tag.and_then(|Tag(property, values)| {
        let tag = value.get(property)?.as_str()?;
        values
            .iter()
            .find(|(v, _)| *v == tag)
            .map(|(_, index)| *index)
    });
    if let Some(index) = tagged {
        let fits = members
            .get(index)
            .is_some_and(|m| grade(value, m).is_some());
        return if fits { vec![index] } else { Vec::new() };
    }
    let mut graded: Vec<(Grade, usize)> = members
        .iter()
        .enumerate()
        .filter_map(|(index, m)| Some((grade(value, m)?, index)))
        .collect();
    graded.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    graded.into_iter().map(|(_, index)| index).collect()
}
