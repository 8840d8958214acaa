//! What `Debug` output shows of the models and webhook events: their shape, not users'
//! personal data.
//!
//! Bodies carry names, addresses, birth dates, national ID numbers and IBANs, and `Debug` output
//! ends up in logs. So a model's `Debug` output names its type and fields and shows:
//!
//! - identifiers (`uuid::Uuid` fields): the keys to look a record up by, not data about a
//!   person;
//! - enum values, known or not: the API's own words (`NATIONAL_ID`, `ACTIVE`), never what a
//!   user typed;
//! - whether an optional field is set (`None`, `Some(..)`), how many items a list has, and the
//!   property names of a map (`unknown_fields`);
//! - and in place of every other value (text, numbers, booleans, dates and times, free-form
//!   JSON) `[redacted]`.
//!
//! A credential (`client_secret`, `access_token`, ...) is `[redacted]` always.
//!
//! To see everything, opt in where you print: `format!("{:?}", Revealed(&user))` (or `{:#?}`).
//!
//! ```ignore
//! use upvest::debug::Revealed;
//!
//! println!("{identifier:?}"); // Identifier { id: 6f1c..., identifier: [redacted], .. }
//! println!("{:?}", Revealed(&identifier)); // Identifier { ..., identifier: "123456789", .. }
//! ```

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;

thread_local! {
    /// Whether a [`Revealed`] is being printed on this thread.
    static REVEALING: Cell<bool> = const { Cell::new(false) };
}

/// Prints `value`'s `Debug` output in full, personal data included (credentials stay
/// redacted): the explicit opt-in, for a test or a debugging session, never for logs.
pub struct Revealed<'a, T: ?Sized>(pub &'a T);

impl<T: fmt::Debug + ?Sized> fmt::Debug for Revealed<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Puts the previous state back, also when printing panics.
        struct Restore(bool);
        impl Drop for Restore {
            fn drop(&mut self) {
                REVEALING.with(|revealing| revealing.set(self.0));
            }
        }
        let _restore = Restore(REVEALING.with(|revealing| revealing.replace(true)));
        self.0.fmt(f)
    }
}

fn revealing() -> bool {
    REVEALING.with(Cell::get)
}

/// How a value of a model's field appears in its type's `Debug` output (see the
/// [module docs](self)). A generated type's own `Debug` output already redacts, so it is used
/// as it is: that is the default.
#[doc(hidden)]
pub trait Private: fmt::Debug {
    /// Writes the value, redacted unless a [`Revealed`] is being printed.
    fn fmt_private(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A model struct's `Debug` (values shown by [`private`], [`secret`] or [`names`], one field a
/// line: `ident as "name" by private,`) and its [`Private`] impl. Not derived, so that values
/// that may be personal data are redacted; a macro, so that `models.rs` stays short to read
/// and quick to generate (a formatted body of one `.field(..)` call a field was 15% of it).
/// Each field is one call of the helper of [`fields`] of that name: generic over the field's
/// type only and checked once, where a `.field(name, &private(..))` a field had rustc look up
/// a method and an opaque type for every field of every struct.
#[allow(unused_macros)] // A crate with no struct does not use it.
macro_rules! debug_struct {
    ($name:ident { $($field:ident as $label:literal by $shown:ident,)* }) => {
        impl std::fmt::Debug for $name {
            // Compiled only in a program that shows the type (see `crate::serde_helpers`).
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut shown = f.debug_struct(stringify!($name));
                $($crate::debug::fields::$shown(&mut shown, $label, &self.$field);)*
                shown.finish()
            }
        }

        impl $crate::debug::Private for $name {}
    };
}
#[allow(unused_imports)] // A crate with no struct does not use it.
pub(crate) use debug_struct;

/// `value` as a model's `Debug` output shows it.
pub fn private<T: Private + ?Sized>(value: &T) -> impl fmt::Debug + '_ {
    Shown(value)
}

/// A credential: `[redacted]`, even in a [`Revealed`].
#[doc(hidden)]
pub fn secret<T: ?Sized>(_value: &T) -> impl fmt::Debug {
    Redacted
}

/// A map of properties of which only the names are shown, even in a [`Revealed`] (the
/// unknown properties of a type that holds credentials may be credentials too).
#[doc(hidden)]
pub fn names<T>(map: &BTreeMap<String, T>) -> impl fmt::Debug + '_ {
    Names(map)
}

/// Writes a union's or a webhook event's variant, `Name(value)`, its value shown as a field's.
#[doc(hidden)]
pub fn variant<T: Private + ?Sized>(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    value: &T,
) -> fmt::Result {
    f.debug_tuple(name).field(&Shown(value)).finish()
}

/// A struct's field, by the word of `debug_struct!` that says how it is shown: the same output
/// as `.field(name, &private(value))` (or [`secret`], [`names`]).
#[doc(hidden)]
pub mod fields {
    use super::{Names, Private, Redacted, Shown};
    use std::collections::BTreeMap;
    use std::fmt::DebugStruct;

    /// A field shown by [`private`](super::private).
    pub fn private<T: Private + ?Sized>(shown: &mut DebugStruct<'_, '_>, name: &str, value: &T) {
        shown.field(name, &Shown(value));
    }

    /// A credential: `[redacted]`, even in a [`Revealed`](super::Revealed).
    pub fn secret<T: ?Sized>(shown: &mut DebugStruct<'_, '_>, name: &str, _value: &T) {
        shown.field(name, &Redacted);
    }

    /// A map shown by [`names`](super::names).
    pub fn names<T>(shown: &mut DebugStruct<'_, '_>, name: &str, map: &BTreeMap<String, T>) {
        shown.field(name, &Names(map));
    }
}

struct Shown<'a, T: ?Sized>(&'a T);

impl<T: Private + ?Sized> fmt::Debug for Shown<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_private(f)
    }
}

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

struct Names<'a, T>(&'a BTreeMap<String, T>);

impl<T> fmt::Debug for Names<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}

/// Values that may be personal data: redacted.
macro_rules! redacted {
    ($($ty:ty),* $(,)?) => {$(
        impl Private for $ty {
            fn fmt_private(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if revealing() {
                    fmt::Debug::fmt(self, f)
                } else {
                    fmt::Debug::fmt(&Redacted, f)
                }
            }
        }
    )*};
}

redacted!(
    String,
    str,
    bool,
    i32,
    i64,
    f64,
    u8,
    chrono::DateTime<chrono::Utc>,
    chrono::NaiveDate,
    serde_json::Value,
    serde_json::Map<String, serde_json::Value>,
);

/// Identifiers: shown.
impl Private for uuid::Uuid {}

/// The problem document redacts what may quote a request itself.
impl Private for crate::error::Problem {}

impl<T: Private> Private for Option<T> {
    fn fmt_private(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Some(value) => f.debug_tuple("Some").field(&Shown(value)).finish(),
            None => f.write_str("None"),
        }
    }
}

impl<T: Private> Private for Vec<T> {
    fn fmt_private(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter().map(Shown)).finish()
    }
}

/// Property names are shown: they are the API's words (or a newer version's).
impl<T: Private> Private for BTreeMap<String, T> {
    fn fmt_private(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(name, value)| (name, Shown(value))))
            .finish()
    }
}

impl<T: Private + ?Sized> Private for Box<T> {
    fn fmt_private(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt_private(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_redacted_and_their_shape_is_kept() {
        let mut map = BTreeMap::new();
        map.insert("email".to_string(), serde_json::json!("ada@example.com"));
        let list = vec![Some("Ada".to_string()), None];
        assert_eq!(format!("{:?}", private(&list)), "[Some([redacted]), None]");
        assert_eq!(format!("{:?}", private(&map)), "{\"email\": [redacted]}");
        assert_eq!(format!("{:?}", private(&Box::new(1.5))), "[redacted]");
        let id = uuid::Uuid::from_u128(7);
        assert_eq!(format!("{:?}", private(&Some(id))), format!("Some({id:?})"));
    }

    #[test]
    fn revealed_shows_the_values_and_only_while_it_is_printed() {
        let list = vec![Some("Ada".to_string())];
        assert_eq!(
            format!("{:?}", Revealed(&private(&list))),
            "[Some(\"Ada\")]"
        );
        assert_eq!(format!("{:?}", private(&list)), "[Some([redacted])]");
    }

    #[test]
    fn credentials_stay_redacted_when_revealed() {
        let mut map = BTreeMap::new();
        map.insert("token".to_string(), "t0k3n".to_string());
        let shown = format!(
            "{:?} {:?}",
            Revealed(&secret("t0k3n")),
            Revealed(&names(&map))
        );
        assert_eq!(shown, "[redacted] [\"token\"]");
    }
}
