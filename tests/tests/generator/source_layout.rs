//! The generator's own sources: every file name says what it holds once (no two files of the
//! same name besides `mod.rs`), and no module imports, through `use crate::...` or
//! `use super::...`, a module that imports it back (directly or around a longer circle), so the
//! stages read one way.

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

/// The modules each module imports with `use crate::...` or `use super::...` (its unit tests
/// aside), resolved to the longest module path the import names.
fn imports(modules: &BTreeMap<Vec<String>, String>) -> BTreeMap<&[String], BTreeSet<&[String]>> {
    let mut graph = BTreeMap::new();
    for (module, text) in modules {
        let text = text
            .split("\n#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or(text);
        let mut imported = BTreeSet::new();
        for statement in text.split(';') {
            let Some(tree) = statement
                .lines()
                .map(str::trim)
                .filter(|line| !line.starts_with("//"))
                .collect::<Vec<_>>()
                .join(" ")
                .split_once("use ")
                .filter(|(before, _)| {
                    before.trim().is_empty()
                        || before.trim() == "pub"
                        || before.trim().starts_with("pub(")
                })
                .map(|(_, tree)| tree.to_string())
            else {
                continue;
            };
            for path in expand(&tree) {
                let mut parts = path.split("::").map(str::trim).peekable();
                let mut base: Vec<String> = match parts.peek() {
                    Some(&"crate") => Vec::new(),
                    Some(&"super") => module.clone(),
                    _ => continue,
                };
                while let Some(part) = parts.peek() {
                    match *part {
                        "crate" => {}
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
    assert_eq!(circles(&graph), Vec::<Vec<String>>::new());
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
    let graph = imports(&modules);
    assert_eq!(circles(&graph), vec![vec!["crate::a", "crate::b"]]);
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
