//! Serde support for the generated types, and how a union chooses its variant.
//!
//! A union (`oneOf`/`anyOf`) is decoded through a JSON value: each generated type that a union
//! can hold carries a small table ([`Fit`]) of what its description says a value looks like
//! (required properties, formats with a Rust type, enum values, list lengths).
//! [`candidates`] grades the value against each variant's table; the union decodes only the best
//! candidates, in order, and keeps the value as it is (`Unknown`) when none fits. A variant
//! takes a value whose known properties fit it, and keeps what it does not know (properties a
//! newer server added, a `null` its description does not allow) in its `unknown_fields`; an
//! exact fit beats such an open one, and among open fits the one with fewer unknown properties
//! wins. So nothing is dropped, and a newer server's new field does not demote a value to
//! `Unknown`.

use serde_json::Value;

/// The one way the SDK decodes a type from JSON: response bodies, the chosen variant of a union,
/// webhook payloads. Every generated type is decoded through this one deserializer (serde_json's
/// slice reader), so its `Deserialize` code is compiled once, not once per kind of deserializer;
/// where a failure happened is worked out afterwards, by [`error_path`], in code compiled once.
/// As before, what follows the value (trailing text) is not read.
///
/// # Errors
///
/// When the JSON does not decode into `T`: serde_json's error, whose position [`error_path`]
/// turns into the path of the failing value.
pub fn decode<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<T, serde_json::Error> {
    T::deserialize(&mut serde_json::Deserializer::from_slice(json))
}

/// The path in `json` at which decoding failed with `error` (from [`decode`] of that `json`):
/// keys and indices from the root, `data[1].updated_at`; `.` for the value as a whole; `?` for
/// an object's entry whose key could not be read. Reads the bytes up to the error's position
/// (its line and column) and names the value being read there, as serde_path_to_error's
/// tracking of each value's path would have; only keys, never values, go into the path.
///
/// The one difference: inside an object field the type ignores (an unknown field) the path goes
/// on to the failing value, where tracking stopped at the field.
pub fn error_path(json: &[u8], error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let category = match error.classify() {
        Category::Data => Failure::Data,
        Category::Syntax => Failure::Syntax,
        Category::Eof | Category::Io => Failure::Eof,
    };
    // An error at the end of the input is at its end (serde_json's position of a look-ahead
    // that found nothing is one byte short); the others point just past the last byte read.
    let end = match category {
        Failure::Eof => json.len(),
        _ => offset(json, error.line(), error.column()),
    };
    Scanner::default()
        .scan(&json[..end])
        .path(json, end, category)
}

/// A byte offset from serde_json's line (from 1) and column (bytes since the line's start).
fn offset(json: &[u8], line: usize, column: usize) -> usize {
    if line == 0 {
        return json.len();
    }
    let mut start = 0;
    for _ in 1..line {
        match json[start..].iter().position(|&b| b == b'\n') {
            Some(newline) => start += newline + 1,
            None => return json.len(),
        }
    }
    start.saturating_add(column).min(json.len())
}

/// What kind of failure a path is asked for: what was being read at the position depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// A value of the wrong type or shape: the position is just past what was read of it.
    Data,
    /// Text that is not JSON: the position is just past the offending byte.
    Syntax,
    /// The input ends too early.
    Eof,
}

/// A value being read: the root, an object (with the span of its current entry's quoted key,
/// once read) or an array (with the index of its current element), and how far along it is.
#[derive(Debug, Clone, Copy)]
enum Frame {
    Root(Phase),
    Object(Option<(usize, usize)>, Phase),
    Array(usize, Phase),
}

impl Frame {
    fn phase(&self) -> Phase {
        match *self {
            Frame::Root(phase) | Frame::Object(_, phase) | Frame::Array(_, phase) => phase,
        }
    }

    fn set_phase(&mut self, next: Phase) {
        match self {
            Frame::Root(phase) | Frame::Object(_, phase) | Frame::Array(_, phase) => *phase = next,
        }
    }
}

/// How far a frame is along: what it reads next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Just opened: an object's first key or an array's first element, or the end.
    Open,
    /// After a comma: the next key or element.
    Next,
    /// Inside an object's key, which starts at `start`; how far along an escape ([`in_string`]).
    Key { start: usize, escape: u8 },
    /// After an object's key: the colon.
    Colon,
    /// The value of an object's entry (after the colon), or the root value.
    Value,
    /// Inside a string, number or literal value.
    Scalar(Scalar),
    /// Inside an object or array value (the frame after this one).
    Nested,
    /// After a value: a comma or the end.
    Done,
}

/// How far along a scalar value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    /// Inside a string; how far along an escape ([`in_string`]).
    Str { escape: u8 },
    /// Inside a number: the part read last.
    Number(Number),
    /// Inside `true`, `false` or `null`: the bytes still to come.
    Literal(&'static [u8]),
}

/// The parts of a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    Minus,
    Zero,
    Integer,
    Point,
    Fraction,
    Exponent,
    ExponentSign,
    ExponentDigits,
}

impl Number {
    /// Whether what was read is a whole number (which may still go on).
    fn complete(self) -> bool {
        matches!(
            self,
            Number::Zero | Number::Integer | Number::Fraction | Number::ExponentDigits
        )
    }

    /// The part `byte` is: `Ok(None)` when the number ended before it, `Err` when a number
    /// cannot go on with it.
    fn next(self, byte: u8) -> Result<Option<Number>, ()> {
        Ok(Some(match (self, byte) {
            (Number::Minus, b'0') => Number::Zero,
            (Number::Minus, b'1'..=b'9') | (Number::Integer, b'0'..=b'9') => Number::Integer,
            (Number::Zero | Number::Integer, b'.') => Number::Point,
            (Number::Point | Number::Fraction, b'0'..=b'9') => Number::Fraction,
            (Number::Zero | Number::Integer | Number::Fraction, b'e' | b'E') => Number::Exponent,
            (Number::Exponent, b'+' | b'-') => Number::ExponentSign,
            (Number::Exponent | Number::ExponentSign | Number::ExponentDigits, b'0'..=b'9') => {
                Number::ExponentDigits
            }
            // serde_json refuses a digit after a leading zero.
            (Number::Zero, b'0'..=b'9') => return Err(()),
            (number, _) if number.complete() => return Ok(None),
            _ => return Err(()),
        }))
    }
}

/// A string's next byte: `Ok(None)` when it ends the string, `Err` when it cannot come in a
/// string (a control character, a bad escape), else how far along an escape the string is: 0
/// none, 1 after a backslash, `1 + n` with `n` hex digits of a `\u` escape to come.
fn in_string(escape: u8, byte: u8) -> Result<Option<u8>, ()> {
    match (escape, byte) {
        (_, 0..=0x1f) => Err(()),
        (0, b'"') => Ok(None),
        (0, b'\\') => Ok(Some(1)),
        (0, _) => Ok(Some(0)),
        (1, b'u') => Ok(Some(5)),
        (1, b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(Some(0)),
        (2..=5, b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F') => {
            Ok(Some(if escape == 2 { 0 } else { escape - 1 }))
        }
        _ => Err(()),
    }
}

/// What the innermost frame adds to the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// Its current key or index: the failure is in that value.
    Own,
    /// Nothing: the failure is the object's or array's own.
    Container,
    /// `?`: the failure is in an entry whose key was not read.
    Unknown,
}

/// Reads JSON up to a position, keeping the values open there. Not a validator: it stops at
/// the first byte that cannot come where it is (`stuck`), which is where serde_json stopped.
#[derive(Debug)]
struct Scanner {
    frames: Vec<Frame>,
    /// The byte that could not come where it did (the scan stopped at it).
    stuck: Option<u8>,
}

impl Default for Scanner {
    fn default() -> Self {
        Self {
            frames: vec![Frame::Root(Phase::Value)],
            stuck: None,
        }
    }
}

impl Scanner {
    fn scan(mut self, json: &[u8]) -> Self {
        for (at, &byte) in json.iter().enumerate() {
            if !self.step(at, byte) {
                self.stuck = Some(byte);
                break;
            }
        }
        self
    }

    fn top(&mut self) -> &mut Frame {
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    /// Reads one byte; `false` when it cannot come here.
    fn step(&mut self, at: usize, byte: u8) -> bool {
        let frame = *self.top();
        let phase = frame.phase();
        let next = match phase {
            Phase::Key { start, escape } => match in_string(escape, byte) {
                Ok(Some(escape)) => Phase::Key { start, escape },
                Ok(None) => {
                    *self.top() = Frame::Object(Some((start, at + 1)), Phase::Colon);
                    return true;
                }
                Err(()) => return false,
            },
            Phase::Scalar(Scalar::Str { escape }) => match in_string(escape, byte) {
                Ok(Some(escape)) => Phase::Scalar(Scalar::Str { escape }),
                Ok(None) => Phase::Done,
                Err(()) => return false,
            },
            Phase::Scalar(Scalar::Number(number)) => match number.next(byte) {
                Ok(Some(number)) => Phase::Scalar(Scalar::Number(number)),
                Ok(None) => {
                    // The number ended before this byte, which comes after the value.
                    self.top().set_phase(Phase::Done);
                    return self.step(at, byte);
                }
                Err(()) => return false,
            },
            Phase::Scalar(Scalar::Literal(rest)) => match rest.split_first() {
                Some((&expected, [])) if byte == expected => Phase::Done,
                Some((&expected, rest)) if byte == expected => Phase::Scalar(Scalar::Literal(rest)),
                _ => return false,
            },
            _ if matches!(byte, b' ' | b'\n' | b'\t' | b'\r') => return true,
            Phase::Open | Phase::Next => match frame {
                Frame::Object(..) => match byte {
                    b'"' => Phase::Key {
                        start: at,
                        escape: 0,
                    },
                    b'}' if phase == Phase::Open => return self.close(),
                    _ => return false,
                },
                Frame::Array(..) if byte == b']' && phase == Phase::Open => return self.close(),
                _ => return self.value(byte),
            },
            Phase::Colon if byte == b':' => Phase::Value,
            Phase::Value => return self.value(byte),
            Phase::Done => match (frame, byte) {
                (Frame::Object(..), b',') => {
                    *self.top() = Frame::Object(None, Phase::Next);
                    return true;
                }
                (Frame::Array(index, _), b',') => {
                    *self.top() = Frame::Array(index + 1, Phase::Next);
                    return true;
                }
                (Frame::Object(..), b'}') | (Frame::Array(..), b']') => return self.close(),
                _ => return false,
            },
            Phase::Colon | Phase::Nested => return false,
        };
        self.top().set_phase(next);
        true
    }

    /// Starts the value `byte` begins, in the innermost frame; `false` if no value begins so.
    fn value(&mut self, byte: u8) -> bool {
        let scalar = match byte {
            b'{' | b'[' => {
                self.top().set_phase(Phase::Nested);
                self.frames.push(if byte == b'{' {
                    Frame::Object(None, Phase::Open)
                } else {
                    Frame::Array(0, Phase::Open)
                });
                return true;
            }
            b'"' => Scalar::Str { escape: 0 },
            b'-' => Scalar::Number(Number::Minus),
            b'0' => Scalar::Number(Number::Zero),
            b'1'..=b'9' => Scalar::Number(Number::Integer),
            b't' => Scalar::Literal(b"rue"),
            b'f' => Scalar::Literal(b"alse"),
            b'n' => Scalar::Literal(b"ull"),
            _ => return false,
        };
        self.top().set_phase(Phase::Scalar(scalar));
        true
    }

    /// Ends the innermost object or array: the value it was is done.
    fn close(&mut self) -> bool {
        self.frames.pop();
        self.top().set_phase(Phase::Done);
        true
    }

    /// What the innermost frame adds to the path of a `failure` where the scan stopped. The
    /// rules follow where serde_json reads what: a failing value is its key's or index's, a
    /// missing comma or end is the container's (an object's as an entry with no key, `?`), a
    /// missing colon the object's.
    fn tail(&self, failure: Failure) -> Tail {
        let frame = self.frames[self.frames.len() - 1];
        let stuck = self.stuck.is_some();
        let object = matches!(frame, Frame::Object(..));
        // After a value, or at the end of a whole number: what comes next is the container's.
        let after = |failure: Failure| match failure {
            Failure::Data => Tail::Own,
            Failure::Syntax if !stuck => Tail::Own,
            _ if object => Tail::Unknown,
            _ => Tail::Container,
        };
        match (frame, frame.phase()) {
            (Frame::Root(_), _) => Tail::Container,
            (_, Phase::Value | Phase::Nested) => Tail::Own,
            (_, Phase::Scalar(Scalar::Number(number)))
                if failure == Failure::Eof && number.complete() =>
            {
                after(failure)
            }
            (_, Phase::Scalar(_)) => Tail::Own,
            (_, Phase::Done) => after(failure),
            (Frame::Object(..), Phase::Open | Phase::Next) if failure == Failure::Data => {
                Tail::Container
            }
            (Frame::Object(..), Phase::Open | Phase::Next | Phase::Key { .. }) => Tail::Unknown,
            // A key that did not decode, or the colon after it.
            (Frame::Object(..), Phase::Colon) if failure == Failure::Syntax && !stuck => {
                Tail::Unknown
            }
            (Frame::Object(..), _) => Tail::Container,
            // The end of the input, or a comma before the end, is the array's.
            (Frame::Array(..), _) if failure == Failure::Eof => Tail::Container,
            (Frame::Array(..), Phase::Next) if self.stuck == Some(b']') => Tail::Container,
            (Frame::Array(..), _) => Tail::Own,
        }
    }

    /// The path of a `failure` at `end`, the position the scan (of `json`) stopped at.
    fn path(mut self, json: &[u8], end: usize, failure: Failure) -> String {
        // serde_json refuses to open an object or array nested too deeply, at its bracket: the
        // failure is the value's, not the unread first entry's.
        let opened = end > 0 && matches!(json[end - 1], b'{' | b'[');
        if failure == Failure::Syntax
            && self.stuck.is_none()
            && opened
            && self.frames.len() > 1
            && self.top().phase() == Phase::Open
        {
            self.frames.pop();
        }
        let tail = self.tail(failure);
        let last = self.frames.len() - 1;
        let mut path = String::new();
        for (depth, frame) in self.frames.iter().enumerate() {
            let segment = match (*frame, depth < last, tail) {
                (Frame::Root(_), ..) | (_, false, Tail::Container) => continue,
                (_, false, Tail::Unknown) | (Frame::Object(None, _), ..) => None,
                (Frame::Object(Some((start, end)), _), ..) => {
                    Some(serde_json::from_slice::<String>(&json[start..end]).ok())
                }
                (Frame::Array(index, _), ..) => {
                    path.push_str(&format!("[{index}]"));
                    continue;
                }
            };
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(segment.flatten().as_deref().unwrap_or("?"));
        }
        if path.is_empty() {
            path.push('.');
        }
        path
    }
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

/// Writes a generated struct's `Deserialize`, from its fields, one a line: the field's index
/// among the wire names, the local it is read into (the field's own name), its wire name, and
/// how it is read: `required` (must be present), `field` (required but nullable: an `Option`,
/// `None` also when missing, as serde's derived code reads one), `optional` (absent or a `null`
/// its description does not allow is `None`; such a `null` is kept in `nulls`) or `nullable`
/// (`Option<Option<T>>`: absent is `None`, `null` is `Some(None)`); the module of the same name
/// reads and finishes the value. Then the field that keeps the keys the struct does not name
/// (`others`), and, when that one holds another type than JSON values, the field that keeps the
/// `null`s its description does not allow (`nulls`; else `others` keeps them too).
///
/// The struct is read from a JSON object only (never an array: Upvest sends no struct as one).
/// It is written out, not derived, so that the code per struct is small: the keys are matched
/// by [`Fields`], each value is read by a helper generic over its type only (the module named
/// by the field's reader: [`required`], [`field`], [`optional`], [`nullable`]; each returns its
/// result, so one `?` a key, not one a field), and the fields are finished the same way and
/// checked in one `match`, so that the macro expands in one step (no inner macro call a field:
/// each was an expansion for rustc to make and track); serde's messages (`missing field`,
/// `duplicate field`) and positions are kept. A macro, so that `models.rs` stays short to read
/// and quick to generate.
///
/// It writes the struct's `Serialize` too, from the same list, as serde's derive wrote it with
/// the kept fields `#[serde(flatten)]` and the optional ones `skip_serializing_if =
/// "Option::is_none"`: a map of unknown length; the fields in order, by wire name (an optional
/// one only when it is `Some`: the module's `write`); then the entries of the kept fields, in
/// order. One helper call a field instead of the derive's expansion (issue 25).
#[allow(unused_macros)] // A crate with no struct does not use it.
macro_rules! deserialize_object {
    (
        $name:ident { $($fields:tt)* }
        others { $others:ident }
    ) => {
        $crate::serde_helpers::deserialize_object! {
            @impl $name { $($fields)* }
            kept { $others } others $others nulls $others
        }
    };
    (
        $name:ident { $($fields:tt)* }
        others { $others:ident }
        nulls { $nulls:ident }
    ) => {
        $crate::serde_helpers::deserialize_object! {
            @impl $name { $($fields)* }
            kept { $others, $nulls } others $others nulls $nulls
        }
    };
    (
        @impl $name:ident {
            $($index:literal: $field:ident = $wire:literal by $read:ident,)*
        }
        kept { $($kept:ident),+ } others $others:ident nulls $nulls:ident
    ) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;

                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        use $crate::serde_helpers as de;
                        $(let mut $field = None;)*
                        $(let mut $kept = std::collections::BTreeMap::new();)+
                        let fields = de::Fields(&[$($wire),*]);
                        while let Some(key) = map.next_key_seed(fields)? {
                            match key {
                                $(de::Key::Field($index) => de::$read::read(&mut map, &mut $field, $wire, &mut $nulls),)*
                                de::Key::Other(key) => de::other(&mut map, &mut $others, key),
                                de::Key::Field(_) | de::Key::Ignored => de::ignore(&mut map),
                            }?;
                        }
                        // Every field finished to `Some(value)`, a required one missing to
                        // `None`; the first missing one is named.
                        match ($(de::$read::finish($field),)*) {
                            ($(Some($field),)*) => Ok($name { $($field,)* $($kept,)+ }),
                            // Unreachable when the struct has no field.
                            #[allow(unreachable_patterns)]
                            ($($field,)*) => Err(de::missing(&[$(($wire, $field.is_none())),*])),
                        }
                    }
                }

                deserializer.deserialize_map(Visitor)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use $crate::serde_helpers as ser;
                let mut map = serializer.serialize_map(None)?;
                $(ser::$read::write(&mut map, $wire, &self.$field)?;)*
                $(ser::write_kept(&mut map, &self.$kept)?;)+
                serde::ser::SerializeMap::end(map)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use deserialize_object;

/// A key of a generated struct's JSON object, as [`Fields`] reads it.
#[derive(Debug)]
pub enum Key {
    /// The field at this index of the struct's wire names.
    Field(usize),
    /// A key the struct does not name: kept, with its value.
    Other(String),
    /// A key that is not UTF-8 (which JSON text cannot hold), whose value is skipped.
    Ignored,
}

/// Reads a key of a generated struct's object, by the struct's wire names. Generated structs
/// read their objects in a `visit_map` of their own; the key is matched here, in code compiled
/// once per deserializer, not once per struct.
#[derive(Debug, Clone, Copy)]
pub struct Fields(pub &'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for Fields {
    type Value = Key;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for Fields {
    type Value = Key;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.0.iter().position(|name| *name == key) {
            Some(index) => Key::Field(index),
            None => Key::Other(key.to_owned()),
        })
    }

    fn visit_bytes<E: serde::de::Error>(self, key: &[u8]) -> Result<Key, E> {
        match std::str::from_utf8(key) {
            Ok(key) => self.visit_str(key),
            Err(_) => Ok(Key::Ignored),
        }
    }
}

/// The properties a struct keeps that its type does not name (or a `null` its description does
/// not allow), as sent; the readers below put such a `null` there.
type Kept = std::collections::BTreeMap<String, Value>;

/// Reads the value of a struct's field into its slot; the field given twice is an error, as in
/// serde's derived code (and at the same place: before its second value is read).
fn read_once<'de, T, A>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    T: serde::Deserialize<'de>,
    A: serde::de::MapAccess<'de>,
{
    if slot.is_some() {
        return Err(serde::de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps a key the struct does not name, with its value, in `others`.
///
/// # Errors
///
/// The value's own.
pub fn other<'de, T, A>(
    map: &mut A,
    others: &mut std::collections::BTreeMap<String, T>,
    key: String,
) -> Result<(), A::Error>
where
    T: serde::Deserialize<'de>,
    A: serde::de::MapAccess<'de>,
{
    others.insert(key, map.next_value()?);
    Ok(())
}

/// Skips the value of a key that is not read.
///
/// # Errors
///
/// When the value is not valid.
pub fn ignore<'de, A: serde::de::MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<serde::de::IgnoredAny>()?;
    Ok(())
}

/// A required field: must be present (`missing field` otherwise).
pub mod required {
    use super::Kept;

    /// Reads its value (`_nulls` unused: every reader takes the same arguments).
    ///
    /// # Errors
    ///
    /// The value's own, or `duplicate field` for a key read twice.
    pub fn read<'de, T, A>(
        map: &mut A,
        slot: &mut Option<T>,
        name: &'static str,
        _nulls: &mut Kept,
    ) -> Result<(), A::Error>
    where
        T: serde::Deserialize<'de>,
        A: serde::de::MapAccess<'de>,
    {
        super::read_once(map, slot, name)
    }

    /// Its value; `None` when it is missing.
    pub fn finish<T>(slot: Option<T>) -> Option<T> {
        slot
    }

    /// Writes it: always (`None`, when it can be, as `null`).
    ///
    /// # Errors
    ///
    /// The serializer's.
    pub fn write<M, T>(map: &mut M, name: &'static str, value: &T) -> Result<(), M::Error>
    where
        M: serde::ser::SerializeMap,
        T: serde::Serialize,
    {
        map.serialize_entry(name, value)
    }
}

/// A required nullable field, an `Option`: `null` is `None`, and so is a missing field, as
/// serde's derived code reads an `Option` field that is missing.
pub mod field {
    use super::Kept;

    /// Reads its value.
    ///
    /// # Errors
    ///
    /// As [`required::read`](super::required::read).
    pub fn read<'de, T, A>(
        map: &mut A,
        slot: &mut Option<Option<T>>,
        name: &'static str,
        _nulls: &mut Kept,
    ) -> Result<(), A::Error>
    where
        T: serde::Deserialize<'de>,
        A: serde::de::MapAccess<'de>,
    {
        super::read_once(map, slot, name)
    }

    /// Its value: never missing.
    #[allow(clippy::option_option)]
    pub fn finish<T>(slot: Option<Option<T>>) -> Option<Option<T>> {
        Some(slot.flatten())
    }

    /// Writes it: always (`None`, when it can be, as `null`).
    ///
    /// # Errors
    ///
    /// The serializer's.
    pub fn write<M, T>(map: &mut M, name: &'static str, value: &T) -> Result<(), M::Error>
    where
        M: serde::ser::SerializeMap,
        T: serde::Serialize,
    {
        map.serialize_entry(name, value)
    }
}

/// An optional field that is not nullable: an explicit `null` leaves the field `None` and is
/// kept in `nulls` under the field's name, so that it is sent again as it came.
pub mod optional {
    use super::{Kept, Value};

    /// Reads its value.
    ///
    /// # Errors
    ///
    /// As [`required::read`](super::required::read).
    #[allow(clippy::option_option)]
    pub fn read<'de, T, A>(
        map: &mut A,
        slot: &mut Option<Option<T>>,
        name: &'static str,
        nulls: &mut Kept,
    ) -> Result<(), A::Error>
    where
        T: serde::Deserialize<'de>,
        A: serde::de::MapAccess<'de>,
    {
        super::read_once(map, slot, name)?;
        if let Some(None) = slot {
            nulls.insert(name.to_owned(), Value::Null);
        }
        Ok(())
    }

    /// Its value: never missing.
    #[allow(clippy::option_option)]
    pub fn finish<T>(slot: Option<Option<T>>) -> Option<Option<T>> {
        Some(slot.flatten())
    }

    /// Writes it when it is `Some` (`skip_serializing_if = "Option::is_none"`).
    ///
    /// # Errors
    ///
    /// The serializer's.
    pub fn write<M, T>(map: &mut M, name: &'static str, value: &Option<T>) -> Result<(), M::Error>
    where
        M: serde::ser::SerializeMap,
        T: serde::Serialize,
    {
        super::write_some(map, name, value)
    }
}

/// An optional, nullable field: an explicit `null` is `Some(None)`, an absent field stays
/// `None` (see [`double_option`]).
pub mod nullable {
    use super::Kept;

    /// Reads its value.
    ///
    /// # Errors
    ///
    /// As [`required::read`](super::required::read).
    #[allow(clippy::option_option)]
    pub fn read<'de, T, A>(
        map: &mut A,
        slot: &mut Option<Option<Option<T>>>,
        name: &'static str,
        _nulls: &mut Kept,
    ) -> Result<(), A::Error>
    where
        T: serde::Deserialize<'de>,
        A: serde::de::MapAccess<'de>,
    {
        if slot.is_some() {
            return Err(serde::de::Error::duplicate_field(name));
        }
        *slot = Some(Some(map.next_value()?));
        Ok(())
    }

    /// Its value: never missing.
    #[allow(clippy::option_option)]
    pub fn finish<T>(slot: Option<Option<Option<T>>>) -> Option<Option<Option<T>>> {
        Some(slot.flatten())
    }

    /// Writes it when it is `Some` (`skip_serializing_if = "Option::is_none"`).
    ///
    /// # Errors
    ///
    /// The serializer's.
    pub fn write<M, T>(map: &mut M, name: &'static str, value: &Option<T>) -> Result<(), M::Error>
    where
        M: serde::ser::SerializeMap,
        T: serde::Serialize,
    {
        super::write_some(map, name, value)
    }
}

/// Writes an optional field, the `Option` itself as the derive did, when it is `Some`.
fn write_some<M, T>(map: &mut M, name: &'static str, value: &Option<T>) -> Result<(), M::Error>
where
    M: serde::ser::SerializeMap,
    T: serde::Serialize,
{
    match value {
        Some(_) => map.serialize_entry(name, value),
        None => Ok(()),
    }
}

/// Writes the entries of a field that keeps keys (`additional_properties`, `unknown_fields`)
/// into the struct's map, key then value, as `#[serde(flatten)]` did.
///
/// # Errors
///
/// The serializer's.
pub fn write_kept<M, T>(
    map: &mut M,
    kept: &std::collections::BTreeMap<String, T>,
) -> Result<(), M::Error>
where
    M: serde::ser::SerializeMap,
    T: serde::Serialize,
{
    for (key, value) in kept {
        map.serialize_key(key)?;
        map.serialize_value(value)?;
    }
    Ok(())
}

/// The error for a struct's required fields, by wire name, and whether each is missing: the
/// first missing one's `missing field`, as serde's derived code reports it.
pub fn missing<E: serde::de::Error>(fields: &[(&'static str, bool)]) -> E {
    let name = fields
        .iter()
        .find(|(_, missing)| *missing)
        .map_or("", |(name, _)| name);
    E::missing_field(name)
}

/// Where `value` is in `values`: an open enum's `From<&str>`, in code compiled once.
pub fn position(values: &[&str], value: &str) -> Option<usize> {
    values.iter().position(|known| *known == value)
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
    /// An open string enum whose values only the description's prose lists (its schema is a
    /// plain string): graded as an [`Enum`](Fit::Enum), but any string is what its schema
    /// allows.
    ProseEnum(&'static [&'static str]),
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
    /// The description does not allow them, or says nothing of them: the type keeps them (in
    /// `unknown_fields`) as properties this version of the SDK does not know; each makes the
    /// fit open.
    Unknown,
    /// The description allows them and the type keeps them (in `additional_properties`), each
    /// of this kind.
    Kept(&'static Fit),
}

/// How well a value fits a [`Fit`]: better grades compare greater. An exact fit beats an open
/// one (unknown properties, a `null` the description does not allow, unknown enum values, an
/// inner union's `Unknown`, all kept as sent); among open fits, fewer unknown properties win (a
/// value with one new property stays the variant it was, rather than go to one that names
/// fewer of its properties); then the more specific fit wins (more known properties, a format
/// or an enum value that matched), so a UUID string goes to a `Uuid` variant rather than a
/// `String` one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grade {
    /// Nothing in the value is unknown to the type.
    pub exact: bool,
    /// How many of the object's own properties the type does not name (kept in its
    /// `unknown_fields`); for a list or a map, of its items' own.
    pub unknown: u32,
    /// How many properties, formats and enum values matched.
    pub score: u32,
}

impl Ord for Grade {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.exact
            .cmp(&other.exact)
            .then(other.unknown.cmp(&self.unknown))
            .then(self.score.cmp(&other.score))
    }
}

impl PartialOrd for Grade {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Grade {
    const EXACT: Grade = Grade {
        exact: true,
        unknown: 0,
        score: 0,
    };
    const SPECIFIC: Grade = Grade {
        exact: true,
        unknown: 0,
        score: 1,
    };
    const OPEN: Grade = Grade {
        exact: false,
        unknown: 0,
        score: 0,
    };
    /// A property the type does not name.
    const UNKNOWN: Grade = Grade {
        exact: false,
        unknown: 1,
        score: 0,
    };

    /// Both parts together: exact if both are, counts added.
    fn and(self, other: Grade) -> Grade {
        Grade {
            exact: self.exact && other.exact,
            unknown: self.unknown.saturating_add(other.unknown),
            score: self.score.saturating_add(other.score),
        }
    }
}

/// How well `value` fits `fit`; `None` when it does not fit (a required property is missing or
/// `null` without being nullable, a format or a type does not match, a list is too long or
/// short, a property the description allows is not of its kind).
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
        Fit::Enum(values) | Fit::ProseEnum(values) => {
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
            // A required field cannot hold a `null` its description does not allow.
            Some(Value::Null) if *need == Need::Required => return None,
            // An optional one is `None`, the `null` kept beside it: it fits openly.
            Some(Value::Null) if !nullable => sum = sum.and(Grade::SPECIFIC).and(Grade::OPEN),
            Some(Value::Null) => sum = sum.and(Grade::SPECIFIC),
            Some(v) => sum = sum.and(Grade::SPECIFIC).and(inner(grade(v, fit)?)),
        }
    }
    let known = |key: &String| props.iter().any(|Prop(name, ..)| name == key);
    for (_, v) in object.iter().filter(|(key, _)| !known(key)) {
        sum = match extra {
            Extra::Unknown => sum.and(Grade::UNKNOWN),
            Extra::Kept(fit) => sum.and(inner(grade(v, fit)?)),
        };
    }
    Some(sum)
}

/// The grade of a property's value as part of its object's: open if it is, but its unknown
/// properties are not the object's. Counted, they would set a variant that names a property
/// (and so grades what is inside it) below one that does not name it at all (one unknown key).
fn inner(grade: Grade) -> Grade {
    Grade {
        unknown: 0,
        ..grade
    }
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
        .filter(|(grade, index)| grade.unknown == 0 || !claimed_elsewhere(value, members, *index))
        .collect();
    graded.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    graded.into_iter().map(|(_, index)| index).collect()
}

/// Whether a property of `value` that the member at `index` does not name is one another
/// member names (for a list, in any item): the value is then that other member's, which could
/// not hold it (a date it cannot read), not a newer shape of this one. Taking it here would
/// type it as what it is not, its own fields kept aside; it is kept whole as `Unknown` instead.
/// A property no member names is a newer server's, and fits openly.
fn claimed_elsewhere(value: &Value, members: &[&Fit], index: usize) -> bool {
    match (value, members.get(index)) {
        (Value::Object(object), Some(Fit::Object(props, _))) => object
            .keys()
            .filter(|key| !props.iter().any(|Prop(name, ..)| name == key))
            .any(|key| {
                members
                    .iter()
                    .enumerate()
                    .any(|(other, member)| other != index && names_property(member, key))
            }),
        (Value::Array(items), Some(Fit::List(..))) => {
            let item_fits: Vec<&Fit> = members
                .iter()
                .map(|member| match member {
                    Fit::List(item, ..) => *item,
                    _ => &Fit::Any,
                })
                .collect();
            items
                .iter()
                .any(|item| claimed_elsewhere(item, &item_fits, index))
        }
        _ => false,
    }
}

/// Whether `fit` names the property `key` (an object's, or any member's of a union).
fn names_property(fit: &Fit, key: &str) -> bool {
    match fit {
        Fit::Object(props, _) => props.iter().any(|Prop(name, ..)| *name == key),
        Fit::Union(members) => members.iter().any(|m| names_property(m, key)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::de::DeserializeOwned;

    use super::{decode, double_option, error_path};

    // Types shaped like the generated ones: structs with optional, nullable, flattened and
    // renamed-by-escape fields, lists, maps, an open enum (read as a string) and a union (read
    // as a JSON value, then chosen; it never fails).

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        data: Vec<Item>,
        meta: Option<Meta>,
        #[serde(default, deserialize_with = "double_option")]
        note: Option<Option<String>>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: u32,
        name: String,
        created_at: chrono::DateTime<chrono::Utc>,
        kind: Option<Kind>,
        shape: Option<Shape>,
        tags: Option<BTreeMap<String, i64>>,
        score: Option<f64>,
        active: Option<bool>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Meta {
        total: u64,
        #[serde(flatten)]
        rest: BTreeMap<String, u32>,
    }

    #[derive(Debug)]
    #[allow(dead_code)]
    struct Kind(String);

    impl<'de> serde::Deserialize<'de> for Kind {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            String::deserialize(deserializer).map(Kind)
        }
    }

    #[derive(Debug)]
    #[allow(dead_code)]
    struct Shape(serde_json::Value);

    impl<'de> serde::Deserialize<'de> for Shape {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            serde_json::Value::deserialize(deserializer).map(Shape)
        }
    }

    /// Our path and serde_path_to_error's for `json` decoded as `T`; `None` if it decodes.
    fn paths<T: DeserializeOwned + std::fmt::Debug>(json: &[u8]) -> Option<(String, String)> {
        let ours = match decode::<T>(json) {
            Ok(_) => return None,
            Err(e) => e,
        };
        let mut deserializer = serde_json::Deserializer::from_slice(json);
        let theirs = serde_path_to_error::deserialize::<_, T>(&mut deserializer)
            .expect_err("fails the same way when tracked");
        assert_eq!(ours.to_string(), theirs.inner().to_string());
        Some((error_path(json, &ours), theirs.path().to_string()))
    }

    /// Of every document in `documents` that fails as a `Page`: how many, and where our path
    /// and serde_path_to_error's differ.
    fn compare_paths(documents: impl IntoIterator<Item = Vec<u8>>) -> (usize, Vec<String>) {
        let (mut checked, mut mismatches) = (0, Vec::new());
        for json in documents {
            if let Some((ours, theirs)) = paths::<Page>(&json) {
                if ours != theirs {
                    let e = decode::<Page>(&json).unwrap_err();
                    mismatches.push(format!(
                        "{ours} != {theirs} ({e}): {}",
                        String::from_utf8_lossy(&json)
                    ));
                }
                checked += 1;
            }
        }
        (checked, mismatches)
    }

    /// The path of `json`'s failure as `T`, checked against serde_path_to_error's.
    fn path_of<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        let (ours, theirs) = paths::<T>(json.as_bytes()).expect("a failure");
        assert_eq!(ours, theirs, "{json}");
        ours
    }

    const ITEM: &str = r#"{"id": 1, "n\u0061me": "a\"b", "created_at": "2024-01-02T03:04:05Z"}"#;

    fn page(items: &str) -> String {
        format!(r#"{{"data": [{ITEM}, {items}], "meta": {{"total": 2}}}}"#)
    }

    #[test]
    fn data_errors_name_the_value_in_arrays_and_nested_objects() {
        let item = r#"{"id": 2, "name": "b", "created_at": "yesterday"}"#;
        assert_eq!(path_of::<Page>(&page(item)), "data[1].created_at");
        let item = r#"{"id": -2, "name": "b", "created_at": "2024-01-02T03:04:05Z"}"#;
        assert_eq!(path_of::<Page>(&page(item)), "data[1].id");
        let item = r#"{"id": 2, "name": {"a": 1}, "created_at": "2024-01-02T03:04:05Z"}"#;
        assert_eq!(path_of::<Page>(&page(item)), "data[1].name");
        let item =
            r#"{"id": 2, "name": "b", "created_at": "2024-01-02T03:04:05Z", "tags": {"x": true}}"#;
        assert_eq!(path_of::<Page>(&page(item)), "data[1].tags.x");
        // A missing field is the object's; so is a wrong element type in a list.
        assert_eq!(path_of::<Page>(&page(r#"{"id": 2}"#)), "data[1]");
        assert_eq!(path_of::<Page>(&page("7")), "data[1]");
        assert_eq!(path_of::<Page>(r#"{"meta": {"total": 1}}"#), ".");
        assert_eq!(path_of::<Page>(r#"{"data": {}}"#), "data");
        assert_eq!(path_of::<Page>("[]"), ".");
        assert_eq!(
            path_of::<Page>(r#"{"data": [], "meta": {"total": 1, "x": "y"}}"#),
            "meta"
        );
        assert_eq!(path_of::<Page>(r#"{"data": [], "note": 5}"#), "note");
        // On other lines than the first.
        let pretty = serde_json::to_string_pretty(&serde_json::json!({
            "data": [{"id": 1, "name": "a", "created_at": "2024-01-02T03:04:05Z", "score": "high"}]
        }))
        .unwrap();
        assert_eq!(path_of::<Page>(&pretty), "data[0].score");
    }

    #[test]
    fn escaped_keys_are_named_as_decoded() {
        let json = r#"{"d\u0061ta": [{"id": 1, "na\u006de": "x", "created_at": "2024-01-02T03:04:05Z", "t\u0061gs": {"a\"b\\c\n": "1"}}]}"#;
        assert_eq!(path_of::<Page>(json), "data[0].tags.a\"b\\c\n");
        let json = r#"{"data": [{"id": 1, "name": "x", "created_at": "2024-01-02T03:04:05Z", "tags": {"\ud83d\ude00": null}}]}"#;
        assert_eq!(path_of::<Page>(json), "data[0].tags.\u{1f600}");
    }

    #[test]
    fn errors_at_the_end_of_the_input() {
        assert_eq!(path_of::<Page>(""), ".");
        assert_eq!(path_of::<Page>("{"), "?");
        assert_eq!(path_of::<Page>(r#"{"data""#), ".");
        assert_eq!(path_of::<Page>(r#"{"data": "#), "data");
        assert_eq!(path_of::<Page>(r#"{"data": ["#), "data");
        assert_eq!(path_of::<Page>(r#"{"data": [{"id": 1"#), "data[0].?");
        assert_eq!(path_of::<Page>(r#"{"data": [{"id": 1,"#), "data[0].?");
        assert_eq!(path_of::<Page>(r#"{"data": [{"id": 1.5e"#), "data[0].id");
        assert_eq!(
            path_of::<Page>(r#"{"data": [{"id": 1, "name": "ab"#),
            "data[0].name"
        );
        assert_eq!(
            path_of::<Page>(r#"{"data": [{"id": 1, "active": tr"#),
            "data[0].active"
        );
        assert_eq!(
            path_of::<Page>(r#"{"data": [{"id": 1, "active": true"#),
            "data[0].?"
        );
        assert_eq!(path_of::<Page>(r#"{"data": [{"id": 1, "na"#), "data[0].?");
        assert_eq!(path_of::<Page>(&format!(r#"{{"data": [{ITEM}"#)), "data");
        assert_eq!(path_of::<Page>(&format!(r#"{{"data": [{ITEM},"#)), "data");
        assert_eq!(
            path_of::<Page>(&format!("{}\n\n", r#"{"data": [{"id": 1"#)),
            "data[0].?"
        );
    }

    #[test]
    fn syntax_errors_name_where_the_text_stops_being_json() {
        assert_eq!(path_of::<Page>(&page(&format!("{ITEM} {ITEM}"))), "data");
        assert_eq!(path_of::<Page>(&page(&format!("{ITEM},"))), "data");
        assert_eq!(path_of::<Page>(r#"{"data": [,]}"#), "data[0]");
        assert_eq!(path_of::<Page>(&page(",")), "data[1]");
        assert_eq!(path_of::<Page>(r#"{"data": [{"id": 1,,}]}"#), "data[0].?");
        assert_eq!(
            path_of::<Page>(r#"{"data": [{"id": 1 "name": "x"}]}"#),
            "data[0].?"
        );
        assert_eq!(path_of::<Page>(r#"{"data": [{"id" 1}]}"#), "data[0]");
        assert_eq!(path_of::<Page>(r#"{"data": [{"id": 01}]}"#), "data[0].id");
        assert_eq!(path_of::<Page>(r#"{"data": [{"id": -}]}"#), "data[0].id");
        assert_eq!(
            path_of::<Page>(r#"{"data": [{"id": 1, "name": "a	b"}]}"#),
            "data[0].name"
        );
        assert_eq!(
            path_of::<Page>(r#"{"data": [{"id": 1, "name": "a\qb"}]}"#),
            "data[0].name"
        );
        assert_eq!(
            path_of::<Page>(r#"{"data": [{"id": 1, "na\qme": "b"}]}"#),
            "data[0].?"
        );
        assert_eq!(
            path_of::<Page>(r#"{"data": [{"id": 1, "score": 1e999}]}"#),
            "data[0].score"
        );
        assert_eq!(
            path_of::<Page>(r#"{"data": [{"id": 1, "active": trve}]}"#),
            "data[0].active"
        );
        let invalid_utf8 = b"{\"data\": [{\"id\": 1, \"name\": \"a\xffb\"}]}";
        let (ours, theirs) = paths::<Page>(invalid_utf8).unwrap();
        assert_eq!(
            (ours.as_str(), theirs.as_str()),
            ("data[0].name", "data[0].name")
        );
    }

    #[test]
    fn errors_inside_unions_name_the_value_the_union_reads() {
        // A union reads any JSON value: only text that is not JSON fails, wherever it is.
        let item = |shape: &str| {
            format!(
                r#"{{"id": 1, "name": "x", "created_at": "2024-01-02T03:04:05Z", "shape": {shape}}}"#
            )
        };
        let json = format!(
            r#"{{"data": [{}]}}"#,
            item(r#"{"a": [1, {"b\u0021": [tru]}]}"#)
        );
        assert_eq!(path_of::<Page>(&json), "data[0].shape.a[1].b![0]");
        let json = format!(r#"{{"data": [{}]}}"#, item(r#"{"a": [1, 2,]}"#));
        assert_eq!(path_of::<Page>(&json), "data[0].shape.a");
        let json = format!(r#"{{"data": [{}]}}"#, item(r#"{"a": {"b": 1 "c": 2}}"#));
        assert_eq!(path_of::<Page>(&json), "data[0].shape.a.?");
        let json = item(r#"{"a": [{"b": "#);
        let json = format!(r#"{{"data": [{}"#, &json[..json.len() - 1]);
        assert_eq!(path_of::<Page>(&json), "data[0].shape.a[0].b");
        // Nested deeper than serde_json reads: the array it refuses to open.
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let json = format!(r#"{{"data": [{}]}}"#, item(&deep));
        let path = path_of::<Page>(&json);
        assert!(path.starts_with("data[0].shape[0][0]"), "{path}");
        // A union at the root.
        assert_eq!(path_of::<Shape>(r#"{"a": [1, {"b": nul}]}"#), "a[1].b");
        assert_eq!(path_of::<Shape>(r#"[1, 2"#), ".");
    }

    /// Every value of the document replaced by one of another kind, every entry left out:
    /// whatever fails fails at the path serde_path_to_error names.
    #[test]
    fn every_value_of_another_kind_is_named_as_tracking_would() {
        let document: serde_json::Value = serde_json::from_str(DOCUMENT).unwrap();
        fn pointers(value: &serde_json::Value, at: String, all: &mut Vec<String>) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, v) in map {
                        let key = key.replace('~', "~0").replace('/', "~1");
                        pointers(v, format!("{at}/{key}"), all);
                    }
                }
                serde_json::Value::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        pointers(v, format!("{at}/{i}"), all);
                    }
                }
                _ => {}
            }
            all.push(at);
        }
        let mut all = Vec::new();
        pointers(&document, String::new(), &mut all);
        let others = [
            r#""s""#,
            "1",
            "-1",
            "2.5",
            "true",
            "null",
            "{}",
            "[]",
            r#"{"q": 1}"#,
            "[1, [2]]",
        ];
        let mut variants = Vec::new();
        for pointer in &all {
            for other in others {
                let mut changed = document.clone();
                *changed.pointer_mut(pointer).unwrap() = serde_json::from_str(other).unwrap();
                variants.push(changed);
            }
            if let Some((parent, key)) = pointer.rsplit_once('/') {
                let mut changed = document.clone();
                if let Some(map) = changed.pointer_mut(parent).and_then(|p| p.as_object_mut()) {
                    map.remove(key);
                    variants.push(changed);
                }
            }
        }
        let (checked, mismatches) = compare_paths(variants.iter().flat_map(|variant| {
            [
                serde_json::to_vec(variant).unwrap(),
                serde_json::to_vec_pretty(variant).unwrap(),
            ]
        }));
        assert!(
            mismatches.is_empty(),
            "{} of {checked}:\n{}",
            mismatches.len(),
            mismatches.join("\n")
        );
        assert!(checked > 300, "{checked}");
    }

    /// A struct written out as the generator writes one (`models.rs.jinja`, through
    /// [`deserialize_object`]), and its derived twin: both must decode, or fail with the same message at the same path.
    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Derived {
        id: u32,
        #[serde(default)]
        name: Option<String>,
        #[serde(default, deserialize_with = "double_option")]
        note: Option<Option<String>>,
        inner: Option<Inner>,
        #[serde(flatten)]
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
    struct Inner {
        total: i32,
    }

    #[derive(Debug, PartialEq)]
    struct Written {
        id: u32,
        name: Option<String>,
        note: Option<Option<String>>,
        inner: Option<Inner>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    deserialize_object! {
        Written {
            0: id = "id" by required,
            1: name = "name" by optional,
            2: note = "note" by nullable,
            3: inner = "inner" by optional,
        }
        others { additional_properties }
    }

    /// The macro's edge cases: nothing required, nothing at all; and the keys it does not name
    /// kept in a map of another kind than the `null`s its description does not allow.
    #[derive(Debug, PartialEq)]
    struct NothingRequired {
        r#type: Option<u8>,
        unknown_fields: BTreeMap<String, serde_json::Value>,
    }

    deserialize_object! {
        NothingRequired {
            0: r#type = "type" by optional,
        }
        others { unknown_fields }
    }

    #[derive(Debug, PartialEq)]
    struct NoFields {
        unknown_fields: BTreeMap<String, serde_json::Value>,
    }

    deserialize_object! {
        NoFields {}
        others { unknown_fields }
    }

    #[derive(Debug, PartialEq)]
    struct TypedOthers {
        count: Option<u8>,
        additional_properties: BTreeMap<String, u8>,
        unknown_fields: BTreeMap<String, serde_json::Value>,
    }

    deserialize_object! {
        TypedOthers {
            0: count = "count" by optional,
        }
        others { additional_properties }
        nulls { unknown_fields }
    }

    /// What serde's derive writes for [`Written`] and [`TypedOthers`], as the generator derived
    /// it before `deserialize_object!` wrote `Serialize` too.
    #[derive(serde::Serialize)]
    struct DerivedWritten<'a> {
        id: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: &'a Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: &'a Option<Option<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        inner: &'a Option<Inner>,
        #[serde(flatten)]
        additional_properties: &'a BTreeMap<String, serde_json::Value>,
    }

    #[derive(serde::Serialize)]
    struct DerivedTypedOthers<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        count: &'a Option<u8>,
        #[serde(flatten)]
        additional_properties: &'a BTreeMap<String, u8>,
        #[serde(flatten)]
        unknown_fields: &'a BTreeMap<String, serde_json::Value>,
    }

    /// The same bytes, compact, pretty and as a form.
    fn assert_written_as_derived<W: serde::Serialize, D: serde::Serialize>(
        written: &W,
        derived: &D,
    ) {
        let json = serde_json::to_string(derived).unwrap();
        assert_eq!(serde_json::to_string(written).unwrap(), json);
        assert_eq!(
            serde_json::to_string_pretty(written).unwrap(),
            serde_json::to_string_pretty(derived).unwrap(),
            "{json}"
        );
        assert_eq!(
            serde_urlencoded::to_string(written).ok(),
            serde_urlencoded::to_string(derived).ok(),
            "{json}"
        );
    }

    /// Every field present or absent (an optional nullable one also `null`), with and without
    /// kept keys: the written `Serialize` writes what the derived one did, byte for byte.
    #[test]
    fn written_structs_serialize_as_derived_ones() {
        let names = [None, Some("a\"b".to_string())];
        let notes = [None, Some(None), Some(Some("n".to_string()))];
        let inners = [None, Some(Inner { total: -3 })];
        let others = [
            kept(&[]),
            kept(&[("name", serde_json::Value::Null)]),
            kept(&[
                ("a", 1.into()),
                ("z", serde_json::json!({"k": [true, null]})),
            ]),
        ];
        let mut checked = 0;
        for name in &names {
            for note in &notes {
                for inner in [&inners[0], &inners[1]] {
                    for additional_properties in &others {
                        let written = Written {
                            id: 7,
                            name: name.clone(),
                            note: note.clone(),
                            inner: inner.as_ref().map(|i| Inner { total: i.total }),
                            additional_properties: additional_properties.clone(),
                        };
                        let derived = DerivedWritten {
                            id: 7,
                            name,
                            note,
                            inner,
                            additional_properties,
                        };
                        assert_written_as_derived(&written, &derived);
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 36);
        for count in [None, Some(3)] {
            for additional_properties in [BTreeMap::new(), [("b".to_string(), 2)].into()] {
                for unknown_fields in [kept(&[]), kept(&[("count", serde_json::Value::Null)])] {
                    let written = TypedOthers {
                        count,
                        additional_properties: additional_properties.clone(),
                        unknown_fields: unknown_fields.clone(),
                    };
                    let derived = DerivedTypedOthers {
                        count: &count,
                        additional_properties: &additional_properties,
                        unknown_fields: &unknown_fields,
                    };
                    assert_written_as_derived(&written, &derived);
                }
            }
        }
        let nothing = NoFields {
            unknown_fields: kept(&[("x", 1.into())]),
        };
        assert_eq!(serde_json::to_string(&nothing).unwrap(), r#"{"x":1}"#);
        let kind = NothingRequired {
            r#type: Some(2),
            unknown_fields: kept(&[]),
        };
        assert_eq!(serde_json::to_string(&kind).unwrap(), r#"{"type":2}"#);
    }

    fn kept(entries: &[(&str, serde_json::Value)]) -> BTreeMap<String, serde_json::Value> {
        entries
            .iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect()
    }

    #[test]
    fn written_structs_without_required_fields_or_any_fields() {
        let none = NothingRequired {
            r#type: None,
            unknown_fields: BTreeMap::new(),
        };
        assert_eq!(decode::<NothingRequired>(b"{}").unwrap(), none);
        // The `null` the field cannot hold and the key it does not name are kept.
        assert_eq!(
            decode::<NothingRequired>(br#"{"type": null, "x": 1}"#).unwrap(),
            NothingRequired {
                r#type: None,
                unknown_fields: kept(&[("type", serde_json::Value::Null), ("x", 1.into())]),
            }
        );
        let two = decode::<NothingRequired>(br#"{"type": 2}"#).unwrap();
        assert_eq!(
            two,
            NothingRequired {
                r#type: Some(2),
                unknown_fields: BTreeMap::new(),
            }
        );
        let twice = decode::<NothingRequired>(br#"{"type": 1, "type": 2}"#).unwrap_err();
        assert!(
            twice.to_string().starts_with("duplicate field `type`"),
            "{twice}"
        );
        assert_eq!(
            decode::<NoFields>(br#"{"a": [1, {"b": 2}]}"#).unwrap(),
            NoFields {
                unknown_fields: kept(&[("a", serde_json::json!([1, {"b": 2}]))]),
            }
        );
        let array = decode::<NoFields>(b"[]").unwrap_err();
        assert!(
            array
                .to_string()
                .starts_with("invalid type: sequence, expected struct NoFields"),
            "{array}"
        );
    }

    /// Every one-byte break of a document, every entry left out or given twice: the written
    /// struct decodes to what the derived one does, or fails with its message at its path.
    #[test]
    fn written_structs_decode_and_fail_as_derived_ones() {
        let document = r#"{"id": 1, "name": "a", "note": null, "inner": {"total": 2, "u": [1]}, "k\u0041": [1, {"z": 2}], "w": true}"#;
        let mut inputs: Vec<Vec<u8>> = vec![
            br#"{"id": 1, "id": 2}"#.to_vec(),
            br#"{"id": 1, "note": "x", "note": null}"#.to_vec(),
            br#"{"id": 1, "k": 1, "k": 2}"#.to_vec(),
            br#"{"id": 1, "inner": {}}"#.to_vec(),
            br#"{"id": 1, "inner": {"total": 1, "total": 2}}"#.to_vec(),
            br#"{"name": null}"#.to_vec(),
            br#"{"id": null}"#.to_vec(),
            br#"{"i\u0064": 3, "n\u006fte": "y"}"#.to_vec(),
        ];
        let bytes = document.as_bytes();
        for at in 0..bytes.len() {
            inputs.push(bytes[..at].to_vec());
            let mut deleted = bytes.to_vec();
            deleted.remove(at);
            inputs.push(deleted);
            for byte in *b"x}],:\"1{\\ -n\xff" {
                let mut replaced = bytes.to_vec();
                replaced[at] = byte;
                inputs.push(replaced);
            }
        }
        let (mut decoded, mut failed) = (0, 0);
        for json in inputs {
            // The one difference: a struct sent as an array (which Upvest never does).
            if json.first() == Some(&b'[') {
                continue;
            }
            let text = String::from_utf8_lossy(&json);
            match (decode::<Derived>(&json), decode::<Written>(&json)) {
                (Ok(d), Ok(w)) => {
                    // The one difference that is meant: a `null` in an optional field that
                    // is not nullable is kept beside the field (which is `None`).
                    let mut others = w.additional_properties;
                    for (wire, none) in [("name", w.name.is_none()), ("inner", w.inner.is_none())] {
                        if others.get(wire) == Some(&serde_json::Value::Null) {
                            assert!(none, "{text}");
                            others.remove(wire);
                        }
                    }
                    let d = (d.id, d.name, d.note, d.inner, d.additional_properties);
                    let w = (w.id, w.name, w.note, w.inner, others);
                    assert_eq!(d, w, "{text}");
                    decoded += 1;
                }
                (Err(d), Err(w)) => {
                    // The same message, but for the name of the struct it expected.
                    let w_message = w.to_string().replace("struct Written", "struct Derived");
                    assert_eq!(d.to_string(), w_message, "{text}");
                    assert_eq!(error_path(&json, &d), error_path(&json, &w), "{text}");
                    failed += 1;
                }
                (d, w) => panic!("{text}: derived {d:?}, written {w:?}"),
            }
        }
        assert!(decoded > 50 && failed > 1_000, "{decoded} {failed}");
    }

    #[test]
    fn written_structs_keep_unknown_keys_and_nulls_they_cannot_hold() {
        let json = br#"{"id": 1, "name": null, "inner": null, "note": null, "new": {"a": [1]}}"#;
        let w = decode::<Written>(json).unwrap();
        assert_eq!(
            (w.id, &w.name, &w.note, &w.inner),
            (1, &None, &Some(None), &None)
        );
        assert_eq!(
            w.additional_properties,
            kept(&[
                ("inner", serde_json::Value::Null),
                ("name", serde_json::Value::Null),
                ("new", serde_json::json!({"a": [1]})),
            ])
        );
        // A value after a `null` is still the same field given twice.
        let twice = decode::<Written>(br#"{"id": 1, "name": null, "name": "x"}"#).unwrap_err();
        assert!(
            twice.to_string().starts_with("duplicate field `name`"),
            "{twice}"
        );
        // Keys the description allows (of their kind) and `null`s kept apart.
        let typed = decode::<TypedOthers>(br#"{"count": null, "a": 1, "b": 2}"#).unwrap();
        assert_eq!(
            typed,
            TypedOthers {
                count: None,
                additional_properties: [("a".to_string(), 1), ("b".to_string(), 2)].into(),
                unknown_fields: kept(&[("count", serde_json::Value::Null)]),
            }
        );
        let wrong = decode::<TypedOthers>(br#"{"a": "x"}"#).unwrap_err();
        assert!(
            wrong.to_string().starts_with("invalid type: string"),
            "{wrong}"
        );
        let count = decode::<TypedOthers>(br#"{"count": 3}"#).unwrap();
        assert_eq!((count.count, count.unknown_fields.len()), (Some(3), 0));
    }

    mod grading {
        use super::super::{candidates, grade, Extra, Fit, Need, Prop};
        use serde_json::json;

        // Two users as the description has them: the TOL one names more properties, BYOL's
        // `bank` aside.
        const BYOL: Fit = Fit::Object(
            &[
                Prop("id", &Fit::Uuid, Need::Required),
                Prop("name", &Fit::String, Need::Optional),
                Prop("bank", &Fit::String, Need::Optional),
            ],
            Extra::Unknown,
        );
        const TOL: Fit = Fit::Object(
            &[
                Prop("id", &Fit::Uuid, Need::Required),
                Prop("name", &Fit::String, Need::Optional),
                Prop("email", &Fit::String, Need::Optional),
                Prop("phone", &Fit::String, Need::Optional),
            ],
            Extra::Unknown,
        );
        const USER: Fit = Fit::Union(&[&BYOL, &TOL]);
        const ID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

        #[test]
        fn unknown_keys_fit_openly_and_fewer_of_them_win() {
            // An exact fit, and an open one (BYOL does not name `email` or `phone`).
            let tol = json!({"id": ID, "email": "a@b.c", "phone": "1"});
            assert!(grade(&tol, &TOL).unwrap().exact);
            assert_eq!(grade(&tol, &BYOL).unwrap().unknown, 2);
            // BYOL would fit openly, but TOL names its unknown keys: the value is TOL's.
            assert_eq!(candidates(&tol, &USER, None), [1]);
            // One new property: still TOL first (one unknown key, against BYOL's three).
            let mut newer = tol.clone();
            newer["opened_at"] = json!("2024-01-01");
            let graded = grade(&newer, &TOL).unwrap();
            assert!(!graded.exact && graded.unknown == 1, "{graded:?}");
            assert_eq!(grade(&newer, &BYOL).unwrap().unknown, 3);
            assert_eq!(candidates(&newer, &USER, None), [1]);
            // An exact fit beats an open one that matches more properties.
            let byol = json!({"id": ID, "name": "x", "bank": "y"});
            let (exact, open) = (grade(&byol, &BYOL).unwrap(), grade(&byol, &TOL).unwrap());
            assert!(
                exact.exact && !open.exact && exact > open,
                "{exact:?} {open:?}"
            );
            assert_eq!(candidates(&byol, &USER, None), [0]);
            // A property no member names is a newer server's: both fit openly, BYOL first.
            let byol_newer = json!({"id": ID, "name": "x", "new": 1});
            assert_eq!(candidates(&byol_newer, &USER, None), [0, 1]);
            // Known properties must still fit: a required one missing or of another kind.
            assert_eq!(
                candidates(&json!({"name": "x", "new": 1}), &USER, None),
                [0usize; 0]
            );
            assert_eq!(
                candidates(&json!({"id": "no", "new": 1}), &USER, None),
                [0usize; 0]
            );
            // Properties the description allows are graded by their kind, not counted.
            let open = Fit::Object(&[], Extra::Kept(&Fit::I32));
            assert!(grade(&json!({"a": 1}), &open).unwrap().exact);
            assert_eq!(grade(&json!({"a": "x"}), &open), None);
        }

        #[test]
        fn a_value_another_member_names_is_not_taken_openly() {
            // A TOL user whose email is not a string: TOL cannot hold it, and BYOL would only
            // by keeping TOL's own properties aside. Neither: the union keeps it whole.
            let bad = json!({"id": ID, "email": 7, "phone": "1"});
            assert_eq!(grade(&bad, &TOL), None);
            assert!(grade(&bad, &BYOL).is_some());
            assert_eq!(candidates(&bad, &USER, None), [0usize; 0]);
            // The same in a list: one such item keeps the whole list from BYOL's list.
            const LISTS: Fit =
                Fit::Union(&[&Fit::List(&BYOL, None, None), &Fit::List(&TOL, None, None)]);
            let page = json!([{"id": ID, "email": "a@b.c"}, bad]);
            assert_eq!(candidates(&page, &LISTS, None), [0usize; 0]);
            let good = json!([{"id": ID, "email": "a@b.c"}, {"id": ID, "new": 1}]);
            assert_eq!(candidates(&good, &LISTS, None), [1]);
        }

        #[test]
        fn unknown_keys_inside_a_property_are_not_the_objects() {
            const ADDRESS: Fit = Fit::Object(
                &[Prop("city", &Fit::String, Need::Optional)],
                Extra::Unknown,
            );
            const WITH_ADDRESS: Fit = Fit::Object(
                &[
                    Prop("id", &Fit::Uuid, Need::Required),
                    Prop("address", &ADDRESS, Need::Optional),
                ],
                Extra::Unknown,
            );
            const ID_ONLY: Fit =
                Fit::Object(&[Prop("id", &Fit::Uuid, Need::Required)], Extra::Unknown);
            const EITHER: Fit = Fit::Union(&[&ID_ONLY, &WITH_ADDRESS]);
            // New properties inside the address and beside it: the variant that names the
            // address has one unknown property of its own, the other two.
            let value = json!({"id": ID, "new": 1, "address": {"city": "x", "a": 1, "b": 2}});
            let graded = grade(&value, &WITH_ADDRESS).unwrap();
            assert!(!graded.exact && graded.unknown == 1, "{graded:?}");
            assert_eq!(candidates(&value, &EITHER, None), [1]);
            // Lists count their items' own.
            let list = Fit::List(&ID_ONLY, None, None);
            let items = json!([{"id": ID, "a": 1}, {"id": ID, "b": 2}]);
            assert_eq!(grade(&items, &list).unwrap().unknown, 2);
        }

        #[test]
        fn a_null_the_description_does_not_allow_fits_openly_where_optional() {
            let tol = json!({"id": ID, "email": null, "phone": "1"});
            let graded = grade(&tol, &TOL).unwrap();
            assert!(!graded.exact && graded.unknown == 0, "{graded:?}");
            // BYOL does not name `email` (TOL does): TOL only.
            assert_eq!(candidates(&tol, &USER, None), [1]);
            // A required field cannot be `None`.
            assert_eq!(grade(&json!({"id": null}), &TOL), None);
            let nullable = Fit::Object(
                &[Prop("a", &Fit::String, Need::OptionalNullable)],
                Extra::Unknown,
            );
            assert!(grade(&json!({"a": null}), &nullable).unwrap().exact);
        }
    }

    const DOCUMENT: &str = r#"{"data": [{"id": 1, "n\u0061me": "a\"b", "created_at": "2024-01-02T03:04:05Z", "kind": "X", "shape": {"k": [1, {"z": null}], "e\u0041": true, "f": -0.5e-3}, "tags": {"t\n": -15}, "score": 2.5, "active": false}, {"id": 2, "name": "b", "created_at": "2024-01-02T03:04:05Z"}], "meta": {"total": 2, "extra": 7}, "note": null}"#;

    /// Every way of breaking a document one byte at a time (cutting it short, replacing or
    /// deleting a byte) fails at the path serde_path_to_error names.
    #[test]
    fn every_one_byte_break_is_named_as_tracking_would() {
        let compact = DOCUMENT;
        let value: serde_json::Value = serde_json::from_str(compact).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let mut broken: Vec<Vec<u8>> = Vec::new();
        for document in [compact.as_bytes().to_vec(), pretty.into_bytes()] {
            assert!(decode::<Page>(&document).is_ok());
            for at in 0..document.len() {
                broken.push(document[..at].to_vec());
                let mut deleted = document.clone();
                deleted.remove(at);
                broken.push(deleted);
                for byte in *b"x}],:\"1{[\\ -.n\x01\xff" {
                    let mut replaced = document.clone();
                    replaced[at] = byte;
                    broken.push(replaced);
                }
            }
        }
        let (checked, mismatches) = compare_paths(broken);
        assert!(
            mismatches.is_empty(),
            "{} of {checked}:\n{}",
            mismatches.len(),
            mismatches.join("\n")
        );
        assert!(checked > 5_000, "{checked}");
    }
}
