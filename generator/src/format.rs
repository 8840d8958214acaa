//! Stage 5, format: every rendered Rust file must parse (a template bug is reported here, naming
//! the file and line, instead of producing a broken crate) and is printed by prettyplease, so the
//! output is formatted the same way on every machine. Each file gets the "do not edit" header.

use crate::error::{Error, Result};
use crate::render::Rendered;

/// Parses and formats the `.rs` files, and puts the generated-file header on every file.
///
/// Files are independent, so they are formatted on as many threads as the machine has (the
/// largest first, so no thread is left with the big `models.rs` at the end). The result is a
/// sorted map: the same on every run, however the work was shared out.
pub fn format(rendered: Rendered, source: &str) -> Result<Rendered> {
    let mut files: Vec<(String, String)> = rendered.into_iter().collect();
    files.sort_by_key(|(_, text)| std::cmp::Reverse(text.len()));
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Vec<(usize, Result<String>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((path, text)) = files.get(i) else {
                            return done;
                        };
                        done.push((i, format_one(path, text, source)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            // As if formatted on this thread: a worker's panic (a bug in syn or prettyplease)
            // goes on unwinding here.
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut formatted: Vec<(usize, Result<String>)> = results.into_iter().flatten().collect();
    // The first failing file in path order, whichever thread met it.
    formatted.sort_by(|a, b| files[a.0].0.cmp(&files[b.0].0));
    formatted
        .into_iter()
        .map(|(i, text)| Ok((files[i].0.clone(), text?)))
        .collect()
}

/// One file: Rust is parsed and printed; every file gets its header. The runtime's files are
/// already formatted (`cargo fmt` in the runtime crate) and parsed by its own build: copied.
fn format_one(path: &str, text: &str, source: &str) -> Result<String> {
    let formatted = if path.ends_with(".rs") && !crate::runtime::is_copied(path) {
        format_rust(path, text)?
    } else {
        text.to_string()
    };
    Ok(with_header(path, &formatted, source))
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
    if !ITEM_STARTS.iter().any(|start| next.starts_with(start)) {
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
