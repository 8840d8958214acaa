//! Stage 5, format: every rendered Rust file must parse (a template bug is reported here, naming
//! the file and line, instead of producing a broken crate) and is printed by prettyplease, so the
//! output is formatted the same way on every machine. Each file gets the "do not edit" header.

use crate::error::{Error, Result};
use crate::render::Rendered;
use brackets::Brackets;

mod brackets;
mod doc_placeholders;
mod macro_bodies;

/// Parses and formats the `.rs` files, and puts the generated-file header on every file.
///
/// Files are independent, and so are the top-level items of one file: a large file (the big
/// `models.rs`, half of all the text) is cut into pieces at top-level items, and the pieces of
/// all files are formatted on as many threads as the machine has, the largest first. A file's
/// pieces printed one after the other are the file printed whole (prettyplease prints each
/// top-level item from the start of a line, the same whatever came before it); a file whose
/// cut does not hold (a piece that does not parse on its own) is formatted whole instead, which
/// also reports a syntax error at its line in the file. The result is a sorted map: the same on
/// every run, however the work was shared out, and the error is that of the first failing file
/// in path order.
pub fn format(rendered: Rendered, source: &str) -> Result<Rendered> {
    // Sorted by path (a `BTreeMap`'s order).
    let files: Vec<(String, String)> = rendered.into_iter().collect();
    let mut jobs: Vec<Piece> = Vec::new();
    for (file, (path, text)) in files.iter().enumerate() {
        if is_formatted(path) {
            jobs.extend(
                pieces(text)
                    .into_iter()
                    .enumerate()
                    .map(|(index, text)| Piece { file, index, text }),
            );
        }
    }
    jobs.sort_by_key(|piece| std::cmp::Reverse(piece.text.len()));
    let printed = on_threads(&jobs, |piece| print_piece(piece.text, piece.index == 0));
    let mut by_file: Vec<Vec<(usize, Option<String>)>> = vec![Vec::new(); files.len()];
    for (piece, printed) in jobs.iter().zip(printed) {
        by_file[piece.file].push((piece.index, printed));
    }
    files
        .into_iter()
        .zip(by_file)
        .map(|((path, text), mut printed)| {
            let body = if is_formatted(&path) {
                printed.sort_by_key(|(index, _)| *index);
                let pieces: Option<Vec<String>> = printed.into_iter().map(|(_, p)| p).collect();
                match pieces {
                    Some(pieces) => space_items(&pieces.concat()),
                    None => format_rust(&path, &text)?,
                }
            } else {
                text
            };
            let with_header = with_header(&path, &body, source);
            Ok((path, with_header))
        })
        .collect()
}

/// Whether a file is Rust to parse and print. The runtime's files are already formatted
/// (`cargo fmt` in the runtime crate) and parsed by its own build: copied.
fn is_formatted(path: &str) -> bool {
    path.ends_with(".rs") && !crate::runtime::is_copied(path)
}

/// A piece of a file's text to format: the file (its index in path order), and which piece.
struct Piece<'a> {
    file: usize,
    index: usize,
    text: &'a str,
}

/// A file larger than this is cut into pieces of about this size.
const PIECE_BYTES: usize = 32 * 1024;

/// `text` cut into pieces of whole top-level items: after a line that is `}` alone and closes
/// every bracket opened before it (blank lines between count for nothing), and before a line
/// that starts at its first column with a letter, `#` or `/` (an item, its attributes or docs).
/// A piece always ends at the end of a line. The brackets are counted by [`Brackets`], which
/// knows enough of Rust's tokens to skip strings and comments; were it ever wrong, a piece
/// would not parse on its own and the file would be formatted whole (see [`format`]).
fn pieces(text: &str) -> Vec<&str> {
    if text.len() <= PIECE_BYTES {
        return vec![text];
    }
    let mut pieces = Vec::new();
    let (mut start, mut offset) = (0, 0);
    let mut brackets = Brackets::default();
    let mut after_item = false;
    for line in text.split_inclusive('\n') {
        let starts_item =
            line.starts_with(|c: char| c.is_ascii_alphabetic() || c == '#' || c == '/');
        if after_item && starts_item && offset - start >= PIECE_BYTES {
            pieces.push(&text[start..offset]);
            start = offset;
        }
        brackets.line(line);
        if !line.trim().is_empty() {
            after_item = line.trim_end() == "}" && brackets.at_top();
        }
        offset += line.len();
    }
    pieces.push(&text[start..]);
    pieces
}

/// One piece parsed and printed; `None` when it does not parse, or when a piece other than the
/// first has what only a file's start may have (inner attributes or docs, a shebang): then the
/// pieces are not the file, which is formatted whole.
///
/// The bodies of the macro calls whose layout the template wrote are kept as written (see
/// [`macro_bodies`]), and the piece's doc comments are set aside while it is parsed and printed
/// (see [`doc_placeholders`]); where either cannot be, it is printed without.
fn print_piece(text: &str, first: bool) -> Option<String> {
    if let Some((short, bodies)) = macro_bodies::set_aside(text) {
        let printed =
            print_docs_aside(&short, first).and_then(|p| macro_bodies::restore(&p, &bodies));
        if printed.is_some() {
            return printed;
        }
    }
    print_docs_aside(text, first)
}

/// [`print_piece`] with the piece's doc comments set aside.
fn print_docs_aside(text: &str, first: bool) -> Option<String> {
    if let Some((short, docs)) = doc_placeholders::set_aside(text) {
        let printed =
            parse_and_print(&short, first).and_then(|p| doc_placeholders::restore(&p, &docs));
        if printed.is_some() {
            return printed;
        }
    }
    parse_and_print(text, first)
}

/// [`print_piece`] on the text as it is.
fn parse_and_print(text: &str, first: bool) -> Option<String> {
    let file = syn::parse_file(text).ok()?;
    if !first && (file.shebang.is_some() || !file.attrs.is_empty()) {
        return None;
    }
    Some(prettyplease::unparse(&file))
}

/// `work` applied to every job, on as many threads as the machine has (each takes the next job
/// not yet taken): the results in the order of the jobs.
fn on_threads<J: Sync, R: Send>(jobs: &[J], work: impl Fn(&J) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else {
                            return done;
                        };
                        done.push((i, work(job)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            // As if run on this thread: a worker's panic (a bug in syn or prettyplease) goes on
            // unwinding here.
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut results: Vec<(usize, R)> = done.into_iter().flatten().collect();
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, result)| result).collect()
}

fn format_rust(path: &str, text: &str) -> Result<String> {
    let file = syn::parse_file(text).map_err(|e| {
        let line = e.span().start().line;
        Error::RustSyntax {
            file: path.to_string(),
            line,
            message: e.to_string(),
            excerpt: excerpt(text, line),
        }
    })?;
    Ok(space_items(&prettyplease::unparse(&file)))
}

/// Words that start an item (or its docs and attributes) at the start of a line.
const ITEM_STARTS: &[&str] = &[
    "///",
    "#[",
    "pub ",
    "pub(",
    "fn ",
    "async fn ",
    "const ",
    "static ",
    "impl ",
    "impl<",
    "struct ",
    "enum ",
    "type ",
    "mod ",
    "trait ",
    "unsafe ",
    "use ",
];

/// A blank line between items, as people write Rust (prettyplease prints none): after an item
/// that ends (`}` or `;`) and before the next one at the same depth, and after the file's inner
/// docs. Consecutive `use` or `mod x;` lines stay together. Struct fields and enum variants end
/// with `,`, so they stay compact; statements in a body do not start like items.
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(before) = previous {
            if needs_blank(before, line) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

fn needs_blank(before: &str, line: &str) -> bool {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let (prev, next) = (before.trim_start(), line.trim_start());
    if prev.starts_with("//!") || prev.starts_with("#![") {
        return !(next.starts_with("//!") || next.starts_with("#![") || next.is_empty());
    }
    let ends_item = (prev.ends_with('}') || prev.ends_with(';')) && !prev.starts_with("//");
    if indent(before) != indent(line) || !ends_item {
        return false;
    }
    let starts_item = ITEM_STARTS.iter().any(|start| next.starts_with(start))
        || macro_bodies::KEPT.contains(&next);
    if !starts_item {
        return false;
    }
    let declaration = |l: &str| {
        let l = l.strip_prefix("pub ").unwrap_or(l);
        l.starts_with("use ") || (l.starts_with("mod ") && l.ends_with(';'))
    };
    !(declaration(prev) && declaration(next) && prev.split(' ').next() == next.split(' ').next())
}

/// A few numbered lines around `line`, to show what the template produced.
fn excerpt(text: &str, line: usize) -> String {
    let first = line.saturating_sub(3).max(1);
    text.lines()
        .enumerate()
        .skip(first - 1)
        .take(5)
        .map(|(i, l)| format!("{:>5} | {l}", i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The header that tells readers the file is generated and how to change it.
pub fn header(path: &str, source: &str) -> String {
    let text = format!(
        "@generated by `cargo xtask generate` from {source}. Do not edit: change the \
         description or the templates and regenerate."
    );
    if path.ends_with(".rs") {
        format!("// {text}\n")
    } else if path.ends_with(".toml") {
        format!("# {text}\n")
    } else {
        format!("<!-- {text} -->\n")
    }
}

fn with_header(path: &str, body: &str, source: &str) -> String {
    let mut out = header(path, source);
    if path.ends_with(".rs") {
        out.push('\n');
    }
    out.push_str(body);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_get_a_blank_line_between_them_and_fields_do_not() {
        let spaced = [
            "//! Docs.",
            "",
            "use a::b;",
            "use c::d;",
            "",
            "pub const X: u8 = 1;",
            "",
            "/// A type;",
            "/// it has fields.",
            "pub struct S {",
            "    /// One.",
            "    pub a: u8,",
            "    pub b: u8,",
            "}",
            "",
            "impl S {",
            "    fn f(&self) -> u8 {",
            "        let x = 1;",
            "        if x > 0 {",
            "            x",
            "        } else {",
            "            0",
            "        }",
            "    }",
            "",
            "    fn g() {}",
            "}",
            "",
        ]
        .join("\n");
        let plain: String = spaced
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(space_items(&plain), spaced);
        // Spacing never changes what the code means.
        let parse = |text: &str| prettyplease::unparse(&syn::parse_file(text).unwrap());
        assert_eq!(parse(&spaced), parse(&plain));
    }

    #[test]
    fn broken_rust_is_reported_with_its_line() {
        let mut files = Rendered::new();
        files.insert("src/x.rs".into(), "fn ok() {}\nfn broken( {\n".into());
        let err = format(files, "spec.yaml").unwrap_err();
        let Error::RustSyntax { file, line, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!((file.as_str(), *line), ("src/x.rs", 2));
    }

    /// A file of many top-level items, as the models template writes it (unformatted: the
    /// items inside a module start at the first column too).
    fn many_modules(count: usize) -> String {
        (0..count)
            .map(|i| {
                format!(
                    "/// Module {i}.\n#[cfg(feature = \"f{i}\")]\nmod m{i} {{\n/// A type.\npub struct S{i} {{ pub a: u8, pub b: Option<String> }}\n\nimpl S{i} {{\n    pub fn new(a: u8) -> Self {{ let _ = ('{{', \"}}\\\"{{\", r#\"}}\"#); Self {{ a, b: None }} }}\n}}\n}}\n\n"
                )
            })
            .collect()
    }

    #[test]
    fn brackets_skip_strings_characters_and_comments() {
        let depth = |lines: &[&str]| {
            let mut brackets = Brackets::default();
            lines.iter().for_each(|line| brackets.line(line));
            (brackets.depth, brackets.at_top())
        };
        assert_eq!(depth(&["mod m {", "fn f<'a>(x: &'a str) {"]), (2, false));
        assert_eq!(
            depth(&["let s = \"{\\\"{\";", "let c = ('{', '\\'', '\\u{7b}');"]),
            (0, true)
        );
        assert_eq!(
            depth(&["let r = r#\"{\"#;", "let b = br\"{\";", "for x in y {}"]),
            (0, true)
        );
        assert_eq!(depth(&["/* { /* { */", "{ */ // {", "{"]), (1, false));
        assert_eq!(depth(&["let s = \"{", "}\";"]), (0, true));
        assert_eq!(depth(&["let s = \"", "{"]), (0, false));
    }

    #[test]
    fn a_large_file_formatted_in_pieces_is_the_file_formatted_whole() {
        let text = format!("//! Docs.\n\nuse a::b;\n{}", many_modules(600));
        assert!(pieces(&text).len() > 2, "{}", pieces(&text).len());
        assert_eq!(pieces(&text).concat(), text);
        // Every piece parses on its own: the file is not formatted whole as a fallback.
        for (index, piece) in pieces(&text).into_iter().enumerate() {
            assert!(print_piece(piece, index == 0).is_some(), "{piece}");
        }
        let mut files = Rendered::new();
        files.insert("src/models.rs".into(), text.clone());
        let out = format(files, "spec.yaml").unwrap();
        let whole = with_header(
            "src/models.rs",
            &format_rust("src/models.rs", &text).unwrap(),
            "spec.yaml",
        );
        assert_eq!(out["src/models.rs"], whole);
    }

    #[test]
    fn an_error_in_a_later_piece_is_reported_at_its_line_in_the_file() {
        let mut text = many_modules(600);
        text.push_str("fn broken( {\n");
        let line = text.lines().count();
        text.push_str(&many_modules(10));
        let mut files = Rendered::new();
        files.insert("src/models.rs".into(), text);
        let err = format(files, "spec.yaml").unwrap_err();
        let Error::RustSyntax { file, line: at, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!((file.as_str(), *at), ("src/models.rs", line));
    }

    #[test]
    fn inner_attributes_after_the_start_are_an_error_as_in_the_whole_file() {
        let text = format!("{}#![allow(dead_code)]\n", many_modules(600));
        let mut files = Rendered::new();
        files.insert("src/models.rs".into(), text);
        assert!(matches!(
            format(files, "spec.yaml"),
            Err(Error::RustSyntax { .. })
        ));
    }

    #[test]
    fn formats_and_adds_headers() {
        let mut files = Rendered::new();
        files.insert("src/x.rs".into(), "pub   fn a( ) { }".into());
        files.insert("Cargo.toml".into(), "[package]\n".into());
        let out = format(files, "spec/x.yaml").unwrap();
        assert!(out["src/x.rs"]
            .starts_with("// @generated by `cargo xtask generate` from spec/x.yaml."));
        assert!(out["src/x.rs"].ends_with("\npub fn a() {}\n"));
        assert!(out["Cargo.toml"].starts_with("# @generated"));
    }
}
