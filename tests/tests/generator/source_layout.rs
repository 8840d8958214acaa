//! The generator's own sources: every file name says what it holds once (no two files of the
//! same name besides `mod.rs`), and no module uses, through a `use` or a path written inline
//! (`crate::a::f()`, `super::g()`, a child's `child::h()`), a module that uses it back (directly
//! or around a longer circle; a parent and its child count as two modules), so the stages read
//! one way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use upvest_sdk_tests::repo_root;

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Each file of `src` by its module path (`["lower", "types"]` for `lower/types/mod.rs`).
fn modules(src: &Path) -> BTreeMap<Vec<String>, String> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files
        .into_iter()
        .map(|path| {
            let mut module: Vec<String> = path
                .strip_prefix(src)
                .unwrap()
                .with_extension("")
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            (module, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

/// The paths a `use` tree names, braces expanded: `a::{b, c::{d, e}}` is `a::b`, `a::c::d`,
/// `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.split(" as ").next().unwrap_or(tree).trim().to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    // Split at the commas outside nested braces.
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .flat_map(|part| {
            expand(part)
                .into_iter()
                .map(move |p| format!("{prefix}{p}"))
        })
        .collect()
}

/// The text of Rust code without its comments and the contents of its string and character
/// literals (a path quoted in a string or a doc comment is not a use).
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        match rest {
            ['/', '/', ..] => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ['/', '*', ..] => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            ['r', '#' | '"', ..] if i == 0 || !is_ident(chars[i - 1]) => {
                let hashes = rest[1..].iter().take_while(|c| **c == '#').count();
                if rest.get(1 + hashes) != Some(&'"') {
                    code.push('r');
                    i += 1;
                    continue;
                }
                i += 2 + hashes;
                while i < chars.len()
                    && !(chars[i] == '"' && chars[i + 1..].iter().take(hashes).all(|c| *c == '#'))
                {
                    i += 1;
                }
                i += 1 + hashes;
                code.push_str("\"\"");
            }
            ['"', ..] => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                code.push_str("\"\"");
            }
            // A character literal (`'"'`, `'\''`), not a lifetime (`'a`).
            ['\'', '\\', ..] => {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            ['\'', _, '\'', ..] => i += 3,
            [c, ..] => {
                code.push(*c);
                i += 1;
            }
            [] => break,
        }
    }
    code
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths written inline in `code` that start at `crate`, `super`, `self` or one of
/// `children` (the module's own child modules): `crate::a::f` in `crate::a::f(x)`.
fn inline_paths(code: &str, children: &BTreeSet<&str>) -> Vec<String> {
    let mut paths = Vec::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts =
            is_ident(bytes[i]) && (i == 0 || !(is_ident(bytes[i - 1]) || bytes[i - 1] == ':'));
        if !starts {
            i += 1;
            continue;
        }
        let mut end = i;
        loop {
            while end < bytes.len() && is_ident(bytes[end]) {
                end += 1;
            }
            let more = bytes.get(end) == Some(&':')
                && bytes.get(end + 1) == Some(&':')
                && bytes.get(end + 2).is_some_and(|c| is_ident(*c));
            if !more {
                break;
            }
            end += 2;
        }
        let path: String = bytes[i..end].iter().collect();
        let first = path.split("::").next().unwrap_or_default();
        // A visibility (`pub(in crate::lower)`) names where an item is seen, not a use.
        let mut at = i;
        while at > 0 && bytes[at - 1].is_whitespace() {
            at -= 1;
        }
        let visibility = bytes[..at].ends_with(&['(', 'i', 'n']);
        if path.contains("::")
            && !visibility
            && (matches!(first, "crate" | "super" | "self") || children.contains(first))
        {
            paths.push(path);
        }
        i = end.max(i + 1);
    }
    paths
}

/// The modules each module uses (its unit tests aside), through `use` trees and paths written
/// inline that start at `crate`, `super`, `self` or a child module, each resolved to the
/// longest module path it names.
fn imports(modules: &BTreeMap<Vec<String>, String>) -> BTreeMap<&[String], BTreeSet<&[String]>> {
    let mut graph = BTreeMap::new();
    for (module, text) in modules {
        let text = text
            .split("\n#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or(text);
        let code = code_only(text);
        let children: BTreeSet<&str> = modules
            .keys()
            .filter(|other| other.len() == module.len() + 1 && other.starts_with(module))
            .map(|child| child[module.len()].as_str())
            .collect();
        let mut paths = Vec::new();
        for statement in code.split(';') {
            let Some(tree) = statement
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .split_once("use ")
                .filter(|(before, _)| {
                    let before = before.trim();
                    before.is_empty() || before == "pub" || before.starts_with("pub(")
                })
                .map(|(_, tree)| tree.to_string())
            else {
                continue;
            };
            paths.extend(expand(&tree));
        }
        paths.extend(inline_paths(&code, &children));
        let mut imported = BTreeSet::new();
        for path in paths {
            let mut parts = path.split("::").map(str::trim).peekable();
            let mut base: Vec<String> = match parts.peek() {
                Some(&"crate") => Vec::new(),
                Some(&"super" | &"self") => module.clone(),
                Some(first) if children.contains(first) => module.clone(),
                _ => continue,
            };
            while let Some(part) = parts.peek() {
                match *part {
                    "crate" | "self" => {}
                    "super" => {
                        base.pop();
                    }
                    _ => break,
                }
                parts.next();
            }
            base.extend(parts.map(str::to_string));
            let target = (0..=base.len())
                .rev()
                .map(|n| &base[..n])
                .find(|prefix| modules.contains_key(*prefix));
            if let Some((target, _)) = target.and_then(|t| modules.get_key_value(t)) {
                if target != module {
                    imported.insert(target.as_slice());
                }
            }
        }
        graph.insert(module.as_slice(), imported);
    }
    graph
}

/// The circles of the graph: its strongly connected components of more than one module.
fn circles<'a>(graph: &BTreeMap<&'a [String], BTreeSet<&'a [String]>>) -> Vec<Vec<String>> {
    let reaches = |from: &'a [String]| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(module) = todo.pop() {
            for next in &graph[module] {
                if seen.insert(*next) {
                    todo.push(next);
                }
            }
        }
        seen
    };
    let reach: BTreeMap<_, _> = graph.keys().map(|m| (*m, reaches(m))).collect();
    let mut found: Vec<Vec<String>> = Vec::new();
    for module in graph.keys() {
        let circle: Vec<String> = graph
            .keys()
            .filter(|other| reach[module].contains(*other) && reach[*other].contains(module))
            .map(|m| format!("crate::{}", m.join("::")))
            .collect();
        if circle.len() > 1 && !found.contains(&circle) {
            found.push(circle);
        }
    }
    found
}

#[test]
fn no_generator_module_imports_one_that_imports_it_back() {
    let modules = modules(&repo_root().join("generator/src"));
    assert!(modules.len() > 40, "{} modules", modules.len());
    let graph = imports(&modules);
    // The reading sees real imports: `validate` uses `crate::load`, and `describe::ref_cycles`
    // uses its sibling through `super`.
    let key = |path: &str| -> Vec<String> { path.split("::").map(str::to_string).collect() };
    assert!(graph[key("validate").as_slice()].contains(key("load").as_slice()));
    assert!(
        graph[key("describe::ref_cycles").as_slice()].contains(key("describe::refs").as_slice())
    );
    // Inline paths count: `lower` calls `crate::runtime::managed_headers()` without a `use`.
    assert!(graph[key("lower").as_slice()].contains(key("runtime").as_slice()));
    let circles = circles(&graph);
    assert_eq!(circles, Vec::<Vec<String>>::new(), "{circles:#?}");
}

#[test]
fn the_circle_check_finds_a_circle() {
    let mut modules = BTreeMap::new();
    modules.insert(vec![], "mod a;\nmod b;\n".to_string());
    modules.insert(
        vec!["a".to_string()],
        "use crate::b::{self, Thing};\n".to_string(),
    );
    modules.insert(
        vec!["b".to_string()],
        "pub use super::{\n    a::Other,\n};\n".to_string(),
    );
    // Paths written inline: `c` and `d` call each other; `e` only names `c` in a comment, a
    // string and a visibility; the parent `p` calls its child `q`, which calls it back.
    modules.insert(
        vec!["c".to_string()],
        "pub fn f() { crate::d::g() }\n".to_string(),
    );
    modules.insert(
        vec!["d".to_string()],
        "pub fn g() { let quote = '\"'; super::c::f(); }\n".to_string(),
    );
    modules.insert(
        vec!["e".to_string()],
        "// crate::c::f()\npub(in crate::c) fn h() { let s = \"crate::c\"; let t = r#\"super::c\"#; }\n".to_string(),
    );
    modules.insert(
        vec!["p".to_string()],
        "mod q;\nfn x() { q::y() }\n".to_string(),
    );
    modules.insert(
        vec!["p".to_string(), "q".to_string()],
        "pub(in crate::p) fn y<'a>(s: &'a str) { super::x() }\n".to_string(),
    );
    let graph = imports(&modules);
    assert_eq!(
        circles(&graph),
        vec![
            vec!["crate::a", "crate::b"],
            vec!["crate::c", "crate::d"],
            vec!["crate::p", "crate::p::q"],
        ]
    );
    assert!(graph[["e".to_string()].as_slice()].is_empty());
    assert_eq!(
        expand("a::{b, c::{d, e as f}}"),
        ["a::b", "a::c::d", "a::c::e"]
    );
}

#[test]
fn every_generator_file_name_is_used_once() {
    let mut files = Vec::new();
    rust_files(&repo_root().join("generator/src"), &mut files);
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name != "mod.rs" {
            by_name
                .entry(name)
                .or_default()
                .push(path.display().to_string());
        }
    }
    let repeated: Vec<_> = by_name.values().filter(|paths| paths.len() > 1).collect();
    assert!(repeated.is_empty(), "{repeated:?}");
}
