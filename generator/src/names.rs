//! Rust names from OpenAPI names: case conversion, keywords, and names that are not identifiers
//! at all (`-`, `.`, leading digits, non-ASCII). Every function here is total: a name that
//! cannot be made into an identifier gives `None` or a fallback, never a panic.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be used as raw identifiers (`r#type`).
const RAW_OK: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof",
    "unsized", "virtual", "yield", "try",
];

/// Keywords that cannot even be raw identifiers; they get a trailing underscore.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Keeps ASCII letters, digits and word breaks, so heck sees clean words.
fn words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A field, method or module name: `snake_case`, keyword-safe. `None` if nothing usable is left.
pub fn snake_ident(name: &str) -> Option<String> {
    let mut snake = words(name).to_snake_case();
    if snake.is_empty() {
        return None;
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert(0, '_');
    }
    Some(escape_keyword(snake))
}

/// A type or variant name: `UpperCamelCase`. `None` if nothing usable is left.
pub fn type_ident(name: &str) -> Option<String> {
    let mut camel = words(name).to_upper_camel_case();
    if camel.is_empty() {
        return None;
    }
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        camel.insert(0, 'V');
    }
    Some(escape_keyword(camel))
}

/// The short name a long title gives its thing, as a person would name it:
/// `Universally Unique IDentifier (UUID) with 'uuid:' URN scheme` -> `uuid`, `International
/// securities identification number, prefixed with string 'isin:'` -> `isin`. The word the title
/// quotes, else the acronym it spells out in parentheses; `None` for a title of a few words
/// (`Empty users list` is a name already) or one that gives neither.
pub fn short_title(title: &str) -> Option<&str> {
    /// A title of more words is a sentence, not a name.
    const NAME_WORDS: usize = 4;
    if title.split_whitespace().count() <= NAME_WORDS {
        return None;
    }
    let between = |open: char, close: char| {
        let (_, rest) = title.split_once(open)?;
        let (inside, _) = rest.split_once(close)?;
        let word = inside.trim_end_matches(':');
        (!word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric())).then_some(word)
    };
    let acronym = between('(', ')')
        .filter(|word| word.len() > 1 && word.chars().all(|c| c.is_ascii_uppercase()));
    between('\'', '\'').or(acronym)
}

/// The method name for an operationId.
pub fn method_name(operation_id: &str) -> Option<String> {
    snake_ident(operation_id)
}

fn escape_keyword(ident: String) -> String {
    if NOT_RAW.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if RAW_OK.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// The cargo feature for a resource group: `User Identifiers` -> `user-identifiers`.
pub fn feature_name(group: &str) -> String {
    heck::ToKebabCase::to_kebab_case(words(group).as_str())
}

/// An enum variant for a wire value: `NATIONAL_ID` -> `NationalId`, `""` -> `Empty`.
pub fn variant_ident(value: &str) -> String {
    if value.is_empty() {
        return "Empty".into();
    }
    let camel = type_ident(value).unwrap_or_else(|| {
        // Values made only of symbols (`+`, `-`): name them by their code points.
        let codes: Vec<String> = value.chars().map(|c| format!("U{:X}", c as u32)).collect();
        codes.join("")
    });
    camel.trim_start_matches("r#").to_string()
}

/// The name part of the `send_..`/`download_..` methods for an `accept` value:
/// `application/pdf` -> `pdf`, `text/csv` -> `text_csv`; empty when no character of it can be
/// part of a name (`text/csv; q=1` must not end up as the method name's text).
pub fn media_suffix(wire: &str) -> String {
    let lower = wire.to_lowercase();
    let short = lower.strip_prefix("application/").unwrap_or(&lower);
    crate::names::snake_ident(short)
        .map(|ident| {
            ident
                .trim_start_matches("r#")
                .trim_start_matches('_')
                .to_string()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_gives_the_word_it_quotes_or_the_acronym_it_spells_out() {
        for (title, short) in [
            (
                "Universally Unique IDentifier (UUID) with 'uuid:' URN scheme",
                Some("uuid"),
            ),
            (
                "International securities identification number with 'isin:' URN namespace",
                Some("isin"),
            ),
            ("Legal Entity Identifier (LEI) of the issuer", Some("LEI")),
            // A name already, a sentence that gives none, a quote that is not a word.
            ("Empty users list", None),
            ("The list of the user's accounts, by date", None),
            ("A value prefixed with 'a b' in some scheme", None),
            ("Written in parentheses (not an acronym) here", None),
        ] {
            assert_eq!(short_title(title), short, "{title}");
        }
        assert_eq!(type_ident("LEI").as_deref(), Some("Lei"));
    }

    #[test]
    fn titles_become_type_names() {
        assert_eq!(
            type_ident("Identifier - Create - Request").as_deref(),
            Some("IdentifierCreateRequest")
        );
        assert_eq!(
            type_ident("Identifiers - List - Response").as_deref(),
            Some("IdentifiersListResponse")
        );
        assert_eq!(type_ident("3ds status").as_deref(), Some("V3dsStatus"));
        assert_eq!(type_ident("Self").as_deref(), Some("Self_"));
        assert_eq!(type_ident("—"), None);
    }

    #[test]
    fn odd_field_names_become_identifiers() {
        assert_eq!(snake_ident("type").as_deref(), Some("r#type"));
        assert_eq!(snake_ident("self").as_deref(), Some("self_"));
        assert_eq!(snake_ident("created-at").as_deref(), Some("created_at"));
        assert_eq!(snake_ident("a.b").as_deref(), Some("a_b"));
        assert_eq!(snake_ident("1st").as_deref(), Some("_1st"));
        assert_eq!(snake_ident("größe").as_deref(), Some("gr_e"));
        assert_eq!(snake_ident("ünë"), Some("n".into()));
        assert_eq!(snake_ident("€"), None);
    }

    #[test]
    fn variants_and_features() {
        assert_eq!(variant_ident("NATIONAL_ID"), "NationalId");
        assert_eq!(variant_ident(""), "Empty");
        assert_eq!(variant_ident("P-521"), "P521");
        assert_eq!(variant_ident("+"), "U2B");
        assert_eq!(feature_name("User Identifiers"), "user-identifiers");
    }

    #[test]
    fn media_types_give_method_suffixes() {
        assert_eq!(media_suffix("application/pdf"), "pdf");
        assert_eq!(media_suffix("application/vnd.ms-excel"), "vnd_ms_excel");
        assert_eq!(media_suffix("text/csv; q=1"), "text_csv_q_1");
        assert_eq!(media_suffix("ü"), "");
    }
}
