//! The private modules of `models.rs`: the types compiled under exactly the same set of
//! features are one module, gated once, and re-exported by name, so every type keeps its path
//! (`crate::models::Account`) and the file does not repeat a `#[cfg]` on every item.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Gate, TypeDef, TypeId, TypeModule};
use crate::names;

/// Groups `types` (sorted by name) by feature set; modules are sorted by name.
pub fn type_modules(types: &[TypeDef]) -> Vec<TypeModule> {
    let mut sets: BTreeMap<&[String], Vec<TypeId>> = BTreeMap::new();
    for (index, t) in types.iter().enumerate() {
        sets.entry(t.features.as_slice())
            .or_default()
            .push(TypeId(index));
    }
    // A module name is in the type namespace of `models`, next to the types and the `fit`
    // alias of the modules' own imports.
    let mut taken: BTreeSet<String> = types.iter().map(|t| t.name.clone()).collect();
    taken.insert("fit".into());
    let mut modules: Vec<TypeModule> = sets
        .into_iter()
        .map(|(features, members)| {
            let name = unique(module_name(features), &mut taken);
            let mut imports = BTreeSet::new();
            for member in &members {
                for &other in &types[member.0].refers_to {
                    if types[other.0].features != features {
                        imports.insert(other);
                    }
                }
            }
            TypeModule {
                name,
                features: features.to_vec(),
                gate: Gate::any_of(features),
                doc: module_doc(features),
                imports: imports.into_iter().collect(),
                fit: members.iter().any(|m| {
                    types[m.0].fit.is_some() || types[m.0].kind == crate::model::TypeKind::Union
                }),
                types: members,
            }
        })
        .collect();
    modules.sort_by(|a, b| a.name.cmp(&b.name));
    modules
}

/// `accounts`; `accounts_and_users`; `account_groups_users_and_webhook_events`; past three
/// features, the first two and how many more (`account_groups_accounts_and_13_more`: the
/// module's doc lists them all).
fn module_name(features: &[String]) -> String {
    let parts: Vec<String> = features
        .iter()
        .map(|f| names::snake_ident(f).unwrap_or_else(|| "group".into()))
        .collect();
    let bare = |p: &String| p.trim_start_matches("r#").to_string();
    match parts.as_slice() {
        [] => "ungated".into(),
        [one] => one.clone(),
        [a, b, _, _, rest @ ..] => {
            format!("{}_{}_and_{}_more", bare(a), bare(b), rest.len() + 2)
        }
        [rest @ .., last] => {
            let rest: Vec<String> = rest.iter().map(bare).collect();
            format!("{}_and_{}", rest.join("_"), bare(last))
        }
    }
}

fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let stem = name.trim_start_matches("r#").to_string();
    (2..)
        .map(|n| format!("{stem}_{n}"))
        .find(|candidate| taken.insert(candidate.clone()))
        .unwrap_or(name)
}

fn module_doc(features: &[String]) -> Vec<String> {
    let listed: Vec<String> = features.iter().map(|f| format!("`{f}`")).collect();
    vec![match listed.as_slice() {
        [] => "The types every feature set compiles.".to_string(),
        [one] => format!("The types compiled with the feature {one}."),
        [rest @ .., last] => format!(
            "The types compiled with any of the features {} or {last}.",
            rest.join(", ")
        ),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_say_the_feature_set() {
        let set = |fs: &[&str]| fs.iter().map(|f| f.to_string()).collect::<Vec<_>>();
        assert_eq!(module_name(&set(&["accounts"])), "accounts");
        assert_eq!(
            module_name(&set(&["orders", "webhook-events"])),
            "orders_and_webhook_events"
        );
        assert_eq!(
            module_name(&set(&["account-groups", "users", "webhook-events"])),
            "account_groups_users_and_webhook_events"
        );
        assert_eq!(
            module_name(&set(&["a", "b", "c", "d", "e"])),
            "a_b_and_3_more"
        );
        let mut taken = BTreeSet::from(["fit".to_string()]);
        assert_eq!(unique("fit".into(), &mut taken), "fit_2");
    }
}
