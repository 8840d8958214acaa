//! Which schemas refer to themselves, directly or through others: lowering gives the
//! references inside such a cycle `Box`/`Vec` indirection (see `lower::types`), and a cycle made
//! of nothing but `$ref`s (`A: {$ref: B}`, `B: {$ref: A}`) is an error, since no type can come
//! of it.

use std::collections::BTreeMap;

use serde_json::Value;

use super::refs::{references_in, Kind};
use crate::pointer::Pointer;

/// The canonical text of a local reference's target (`#/components/schemas/A`), so that two
/// spellings of one pointer are one node; anything else is kept as written.
pub fn canonical(reference: &str) -> String {
    Pointer::parse_ref(reference)
        .map(|p| p.to_string())
        .unwrap_or_else(|| reference.to_string())
}

/// The schemas (by canonical pointer) that are part of a cycle of references, each with the
/// number of its cycle: two schemas with the same number can each reach the other (they are
/// one strongly connected component of the graph of schema references).
pub fn recursive_schemas(doc: &Value) -> BTreeMap<String, usize> {
    // The nodes: every schema a reference points at; the edges: the schema references inside.
    let mut nodes: Vec<String> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut edges: Vec<Vec<usize>> = Vec::new();
    let mut queue: Vec<String> = super::refs::references(doc)
        .into_iter()
        .filter(|r| r.kind == Kind::Schema)
        .filter_map(|r| r.target.as_str().map(canonical))
        .collect();
    let mut pending: Vec<(usize, Vec<String>)> = Vec::new();
    while let Some(target) = queue.pop() {
        if index.contains_key(&target) {
            continue;
        }
        let id = nodes.len();
        index.insert(target.clone(), id);
        nodes.push(target.clone());
        edges.push(Vec::new());
        let Some(pointer) = Pointer::parse_ref(&target) else {
            continue;
        };
        let Some(node) = pointer.resolve(doc) else {
            continue;
        };
        let inner: Vec<String> = references_in(Kind::Schema, node, &pointer)
            .into_iter()
            .filter_map(|r| r.target.as_str().map(canonical))
            .collect();
        queue.extend(inner.iter().cloned());
        pending.push((id, inner));
    }
    for (id, targets) in pending {
        edges[id] = targets
            .iter()
            .filter_map(|t| index.get(t).copied())
            .collect();
    }
    let reach: Vec<Vec<bool>> = (0..nodes.len()).map(|n| reachable(&edges, n)).collect();
    let mut found = BTreeMap::new();
    for (n, name) in nodes.iter().enumerate() {
        if !reach[n][n] {
            continue;
        }
        // The cycle's number: the first node that can reach this one and be reached from it.
        let scc = (0..nodes.len())
            .find(|&m| reach[n][m] && reach[m][n])
            .unwrap_or(n);
        found.insert(name.clone(), scc);
    }
    found
}

/// The nodes reachable from `start` by one edge or more.
fn reachable(edges: &[Vec<usize>], start: usize) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut stack: Vec<usize> = edges[start].clone();
    while let Some(n) = stack.pop() {
        if seen[n] {
            continue;
        }
        seen[n] = true;
        stack.extend(edges[n].iter().copied());
    }
    seen
}

/// A cycle of references that are nothing but references (each target is itself a `$ref`),
/// reached from a reference to `target`: its members in order, the first
/// repeated at the end. `None` when the chain ends in a node that is not a reference.
pub fn reference_cycle(doc: &Value, target: &str) -> Option<Vec<String>> {
    let mut chain: Vec<String> = Vec::new();
    let mut next = canonical(target);
    loop {
        if let Some(start) = chain.iter().position(|seen| *seen == next) {
            let mut cycle = chain.split_off(start);
            cycle.push(next);
            return Some(cycle);
        }
        let node = Pointer::parse_ref(&next)?.resolve(doc)?;
        let further = node.as_object()?.get("$ref")?.as_str()?;
        chain.push(next);
        next = canonical(further);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schemas(schemas: Value) -> Value {
        json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Root"}
            }}}}}}},
            "components": {"schemas": schemas}
        })
    }

    #[test]
    fn finds_self_and_mutual_recursion() {
        let doc = schemas(json!({
            "Root": {"properties": {"tree": {"$ref": "#/components/schemas/Node"},
                                    "a": {"$ref": "#/components/schemas/A"}}},
            "Node": {"properties": {"children": {"items": {"$ref": "#/components/schemas/Node"}}}},
            "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"properties": {"a": {"$ref": "#/components/schemas/A"},
                                 "leaf": {"$ref": "#/components/schemas/Leaf"}}},
            "Leaf": {"type": "string"}
        }));
        let found = recursive_schemas(&doc);
        let names: Vec<&str> = found.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "#/components/schemas/A",
                "#/components/schemas/B",
                "#/components/schemas/Node"
            ]
        );
        assert_eq!(
            found["#/components/schemas/A"],
            found["#/components/schemas/B"]
        );
        assert_ne!(
            found["#/components/schemas/A"],
            found["#/components/schemas/Node"]
        );
    }

    #[test]
    fn finds_cycles_of_bare_references() {
        let doc = schemas(json!({
            "Root": {"$ref": "#/components/schemas/A"},
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"},
            "C": {"$ref": "#/components/schemas/Leaf"},
            "Leaf": {"type": "string"}
        }));
        assert_eq!(
            reference_cycle(&doc, "#/components/schemas/Root"),
            Some(vec![
                "#/components/schemas/A".to_string(),
                "#/components/schemas/B".to_string(),
                "#/components/schemas/A".to_string()
            ])
        );
        assert_eq!(reference_cycle(&doc, "#/components/schemas/C"), None);
    }
}
