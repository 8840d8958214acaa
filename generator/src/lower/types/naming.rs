//! Naming: one pass over the collected types, after collection. Each type asks for a name (the
//! name recorded for it by the previous generation, else its title, else where it appears; see
//! `Collector::own_name`); here the requests that collide are settled:
//!
//! - a recorded name stays with the type it was recorded for;
//! - else the type used most keeps the name, then the one whose places the name speaks of
//!   (the title `Webhook - Positions - Callback` belongs with the positions event, not with a
//!   cash balance event that copied it), then the first seen;
//! - the others are named after where they appear; a name still taken gets 2, 3, ...
//!
//! Every step is ordered, so names are deterministic.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use heck::ToSnakeCase;

use super::collector::{Context, Entry, Role};
use crate::error::{Error, Result};
use crate::model::{Derive, RustType, Scalar};
use crate::pointer::Pointer;
use crate::renames::Renames;

/// Names a type may not take: those the code of `models` writes unqualified (the prelude's
/// `Option`, `String`, `Result`, the traits it derives and implements), which a type of the
/// same name would shadow there. Read from what writes that code: the `models.rs` template and
/// the printer of Rust types (`Vec<T>`, `Box<T>`, `impl Into<T>`); everything else they name
/// is a path (`serde::Serialize`, `uuid::Uuid`), which no type of `models` shadows.
fn reserved() -> &'static BTreeSet<String> {
    static RESERVED: OnceLock<BTreeSet<String>> = OnceLock::new();
    RESERVED.get_or_init(|| {
        let printed = [
            RustType::option(RustType::vec(RustType::boxed(Scalar::String.into()))),
            RustType::impl_into(RustType::map(Scalar::JsonObject.into())),
        ]
        // No model type among them: no names to print.
        .map(|ty| ty.display(&Vec::<String>::new()).to_string())
        .join(" ");
        let mut names = unqualified_names(crate::render::template("models.rs"));
        names.extend(unqualified_names(&printed));
        // The template prints the derive list lowering chose: any derive may be in it.
        let derives = Derive::ALL.map(Derive::path).join(", ");
        names.extend(unqualified_names(&derives));
        names
    })
}

/// The capitalised names `text` (Rust code, or a template of it) writes unqualified: not after
/// `::`, `.` or `'`, and outside comments, string literals and the template's own tags; not
/// `Self`, a one-letter generic parameter, a constant (`FIT`, in the value namespace) nor a
/// variant of the types it declares (`Unknown(String)`, which it names as `Self::Unknown`).
fn unqualified_names(text: &str) -> BTreeSet<String> {
    let mut code = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(['{', '/', '"']) {
        code.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = if let Some(tag) = ["{{", "{%", "{#"].iter().find(|t| after.starts_with(**t)) {
            let close = match *tag {
                "{{" => "}}",
                "{%" => "%}",
                _ => "#}",
            };
            after.find(close).map(|i| i + 2)
        } else if after.starts_with("//") {
            after.find('\n')
        } else if let Some(string) = after.strip_prefix('"') {
            string.find('"').map(|i| i + 2)
        } else {
            code.push_str(&after[..1]);
            Some(1)
        };
        code.push(' ');
        rest = &after[end.unwrap_or(after.len())..];
    }
    code.push_str(rest);
    let mut names = BTreeSet::new();
    let mut previous = ' ';
    let mut word = String::new();
    for c in code.chars().chain([' ']) {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            let starts_upper = word.starts_with(|c: char| c.is_ascii_uppercase());
            let qualified = matches!(previous, ':' | '.' | '\'');
            let constant = !word.contains(|c: char| c.is_ascii_lowercase());
            if starts_upper && !qualified && !constant && word != "Self" {
                names.insert(std::mem::take(&mut word));
            }
            word.clear();
        }
        previous = c;
    }
    let variants: BTreeSet<&str> = code
        .split("Self::")
        .skip(1)
        .filter_map(|after| {
            let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
            Some(&after[..end])
        })
        .collect();
    names.retain(|name| !variants.contains(name.as_str()));
    names
}

/// Whether a title can name a schema with this role: a response is never called `...Request`,
/// nor a request `...Response`, whatever the description's title says.
pub(super) fn title_fits_role(title: &str, role: Role) -> bool {
    match role {
        Role::Input => !title.ends_with("Response"),
        Role::Output => !title.ends_with("Request"),
    }
}

/// At most this many rounds of renaming children after their parents' final names (each round
/// settles one more level of nesting; descriptions nest far less deeply).
const MAX_ROUNDS: usize = 16;

/// The final name of every entry, in entry order. A type named after its parent (`Address` of
/// `UserCreateRequest`) follows its parent's final name: when the parent loses a contested name,
/// so do its parts. Only names are recomputed, never the types.
pub(super) fn assign_names(entries: &[Entry]) -> Vec<String> {
    let owner: HashMap<&Pointer, usize> = entries
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.pointers.iter().map(move |p| (p, i)))
        .collect();
    let mut names: Option<Vec<String>> = None;
    for _ in 0..MAX_ROUNDS {
        let place = |context: &Context| -> String {
            let parent_name = context.parent.as_ref().and_then(|p| {
                let parent = *owner.get(&p.pointer)?;
                Some(format!("{}{}", names.as_ref()?[parent], p.suffix))
            });
            parent_name.unwrap_or_else(|| context.name.clone())
        };
        let contexts: Vec<Vec<String>> = entries
            .iter()
            .map(|e| e.contexts.iter().map(&place).collect())
            .collect();
        // What the places say of a title: not the title itself, where a place is named after it
        // (a union member's fallback name is the union's and its title).
        let speaking: Vec<Vec<String>> = entries
            .iter()
            .zip(&contexts)
            .map(|(e, places)| {
                e.contexts
                    .iter()
                    .zip(places)
                    .map(|(context, place)| match &context.parent {
                        Some(p) if p.titled => place.strip_suffix(&p.suffix).unwrap_or(place),
                        _ => place,
                    })
                    .map(str::to_string)
                    .collect()
            })
            .collect();
        let next = settle(entries, &contexts, &speaking);
        if names.as_ref() == Some(&next) {
            break;
        }
        names = Some(next);
    }
    names.unwrap_or_default()
}

/// One round: every entry's name given the names of the places it appears at.
fn settle(entries: &[Entry], contexts: &[Vec<String>], speaking: &[Vec<String>]) -> Vec<String> {
    let wanted: Vec<String> = entries
        .iter()
        .zip(contexts)
        .map(|(e, places)| not_reserved(&wanted_name(e, places)))
        .collect();
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, name) in wanted.iter().enumerate() {
        by_name.entry(name).or_default().push(index);
    }
    let mut names = wanted.clone();
    for indices in by_name.values().filter(|indices| indices.len() > 1) {
        let mut ranked = indices.clone();
        ranked.sort_by_key(|&i| {
            let entry = &entries[i];
            (
                Reverse(entry.locked),
                Reverse(entry.occurrences),
                Reverse(agreement(&wanted[i], &speaking[i])),
                i,
            )
        });
        for &i in ranked.iter().skip(1) {
            names[i] = contexts[i]
                .iter()
                .map(|c| not_reserved(c))
                .find(|c| *c != wanted[i])
                .unwrap_or_else(|| wanted[i].clone());
        }
    }
    // Recorded names are claimed first, so that no fallback or suffix can take one.
    let locked: Vec<bool> = entries.iter().map(|e| e.locked).collect();
    unique_with_priority(names, &locked)
}

/// The name an entry asks for. An enum found by its values (it may stand in several places)
/// takes its most used title, else what the names of all its places have in common (the
/// `type` of `Identifier` and of `IdentifierCreateRequest` is an `IdentifierType`), else its
/// most used place.
fn wanted_name(entry: &Entry, places: &[String]) -> String {
    if entry.by_values {
        return most_common(&entry.titles)
            .or_else(|| common_words(places))
            .or_else(|| most_common(places))
            .unwrap_or_else(|| entry.name.clone());
    }
    match places.first() {
        Some(first) if entry.name_from_context => first.clone(),
        _ => entry.name.clone(),
    }
}

/// The most frequent name; among equally frequent ones, the first seen.
fn most_common(names: &[String]) -> Option<String> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (order, name) in names.iter().enumerate() {
        counts.entry(name).or_insert((0, order)).0 += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, (count, first))| (*count, Reverse(*first)))
        .map(|(name, _)| name.to_string())
}

/// The leading and trailing words every name shares (`ListUsersSort`, `ListAccountsSort`:
/// `ListSort`); `None` when they share no leading or no trailing word.
fn common_words(names: &[String]) -> Option<String> {
    let split: Vec<Vec<String>> = names.iter().map(|n| camel_words(n)).collect();
    let shortest = split.iter().map(Vec::len).min()?;
    let same_at =
        |pick: &dyn Fn(&Vec<String>) -> &String| split.iter().all(|w| pick(w) == pick(&split[0]));
    let lead = (0..shortest)
        .take_while(|&i| same_at(&|w: &Vec<String>| &w[i]))
        .count();
    if lead == shortest && split.iter().all(|w| w.len() == shortest) {
        return Some(split[0].concat());
    }
    let trail = (0..shortest - lead)
        .take_while(|&i| same_at(&|w: &Vec<String>| &w[w.len() - 1 - i]))
        .count();
    if lead == 0 || trail == 0 {
        return None;
    }
    let first = &split[0];
    Some(format!(
        "{}{}",
        first[..lead].concat(),
        first[first.len() - trail..].concat()
    ))
}

/// The first word of a name (`List` of `ListUsersSort`).
pub(super) fn lead_word(name: &str) -> String {
    camel_words(name).into_iter().next().unwrap_or_default()
}

/// `IdentifierCreateRequest` -> `Identifier`, `Create`, `Request`.
fn camel_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        match words.last_mut() {
            Some(word) if !c.is_ascii_uppercase() => word.push(c),
            _ => words.push(c.to_string()),
        }
    }
    words
}

/// The user's names for types (see [`crate::renames`]): each must name a generated type, and no
/// two types may end up with one name.
pub(super) fn apply_renames(mut names: Vec<String>, renames: &Renames) -> Result<Vec<String>> {
    for (old, new) in &renames.types {
        let Some(at) = names.iter().position(|n| n == old) else {
            return Err(Error::Invalid {
                location: renames.locate("types", old),
                message: format!("no generated type is named `{old}`"),
            });
        };
        if names.iter().any(|n| n == new) || reserved().contains(new.as_str()) {
            return Err(Error::Invalid {
                location: renames.locate("types", old),
                message: format!("`{new}` is the name of another type already"),
            });
        }
        names[at] = new.clone();
    }
    Ok(names)
}

fn not_reserved(name: &str) -> String {
    if reserved().contains(name) {
        format!("{name}Type")
    } else {
        name.to_string()
    }
}

/// How many words of `name` the places it appears at also use (plurals counted as one word).
fn agreement(name: &str, contexts: &[String]) -> usize {
    let words = |text: &str| -> BTreeSet<String> {
        text.to_snake_case()
            .split('_')
            .filter(|w| !w.is_empty())
            .map(|w| w.strip_suffix('s').unwrap_or(w).to_string())
            .collect()
    };
    let places: BTreeSet<String> = contexts.iter().flat_map(|c| words(c)).collect();
    words(name).intersection(&places).count()
}

/// Appends 2, 3, ... to names that are still taken, in entry order.
pub(super) fn make_unique(names: Vec<String>) -> Vec<String> {
    let none = vec![false; names.len()];
    unique_with_priority(names, &none)
}

/// [`make_unique`], where the names marked `first` are taken before any other.
pub(super) fn unique_with_priority(names: Vec<String>, first: &[bool]) -> Vec<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut out: Vec<Option<String>> = vec![None; names.len()];
    let order = (0..names.len())
        .filter(|&i| first[i])
        .chain((0..names.len()).filter(|&i| !first[i]));
    for i in order {
        let name = &names[i];
        let mut candidate = name.clone();
        let mut n = 2;
        while !taken.insert(candidate.clone()) {
            candidate = format!("{name}{n}");
            n += 1;
        }
        out[i] = Some(candidate);
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reserved names are what the models' code writes unqualified: the template's names
    /// and the printed types', not paths (`uuid::Uuid`) nor what its tags, comments and strings
    /// say.
    #[test]
    fn reserved_names_are_the_ones_models_code_writes_unqualified() {
        let read = unqualified_names(
            "{% if x %}#[derive(Clone, serde::Serialize)]{% endif %}\n\
             // A Comment\n\
             enum E { Gone(String) }\n\
             fn f<S: serde::Serializer>(v: Vec<{{ t.Name }}>) -> Result<S::Ok, Self> { \"Quoted\"; Self::Gone }",
        );
        let read: Vec<&str> = read.iter().map(String::as_str).collect();
        assert_eq!(read, ["Clone", "Result", "String", "Vec"]);
        let reserved = reserved();
        for name in [
            "Option",
            "Some",
            "None",
            "Result",
            "Ok",
            "String",
            "Vec",
            "Box",
            "Into",
            "Default",
            "Clone",
            "PartialEq",
        ] {
            assert!(reserved.contains(name), "{name}: {reserved:?}");
        }
        for qualified in [
            "Uuid",
            "DateTime",
            "Utc",
            "NaiveDate",
            "BTreeMap",
            "Serialize",
        ] {
            assert!(!reserved.contains(qualified), "{qualified}");
        }
        assert!(
            !reserved.contains("FIT"),
            "a constant's name is not a type's"
        );
    }

    #[test]
    fn unique_names_get_suffixes() {
        let names = make_unique(vec!["A".into(), "A".into(), "B".into(), "A".into()]);
        assert_eq!(names, ["A", "A2", "B", "A3"]);
    }

    #[test]
    fn recorded_names_are_claimed_first() {
        let names = unique_with_priority(vec!["A".into(), "A".into()], &[false, true]);
        assert_eq!(names, ["A2", "A"]);
    }

    #[test]
    fn titles_that_contradict_the_role_are_not_names() {
        assert!(!title_fits_role("UserCreateRequest", Role::Output));
        assert!(title_fits_role("UserCreateRequest", Role::Input));
        assert!(!title_fits_role("UserGetResponse", Role::Input));
        assert!(title_fits_role("Identifier", Role::Output));
    }

    #[test]
    fn a_contested_title_goes_to_the_place_it_speaks_of() {
        let positions = ["PositionEventPayload".to_string()];
        let cash = ["CashBalanceEventPayload".to_string()];
        assert_eq!(agreement("WebhookPositionsCallback", &positions), 1);
        assert_eq!(agreement("WebhookPositionsCallback", &cash), 0);
    }

    #[test]
    fn an_enum_in_several_places_is_named_after_what_they_share() {
        let names = |list: &[&str]| list.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(
            common_words(&names(&["IdentifierType", "IdentifierCreateRequestType"])).as_deref(),
            Some("IdentifierType")
        );
        assert_eq!(
            common_words(&names(&["ListUsersSort", "ListAccountGroupsSort"])).as_deref(),
            Some("ListSort")
        );
        assert_eq!(
            common_words(&names(&["OrderSide", "OrderSide"])).as_deref(),
            Some("OrderSide")
        );
        assert_eq!(common_words(&names(&["FooStatus", "BarStatus"])), None);
        assert_eq!(common_words(&names(&["OrderStatus", "OrderState"])), None);
    }

    #[test]
    fn reserved_names_get_a_suffix() {
        assert_eq!(not_reserved("Option"), "OptionType");
        assert_eq!(not_reserved("Order"), "Order");
        assert_eq!(not_reserved("Uuid"), "Uuid");
    }
}
