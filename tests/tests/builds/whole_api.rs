//! Upvest's whole, real description (`../shared/upvest/openapi.yaml`) and its three earlier
//! revisions: everything generates, the whole-API crate compiles without warnings (all features,
//! single groups, none) and is clippy-clean, its docs build without warnings, and every example
//! in the description decodes into its generated type and encodes again to an equal value; so
//! does every example changed as a newer server would send it (a new property in each object, a
//! `null` in each optional field that does not allow one), into the same union variants.
//!
//! The description is lowered once and the whole-API crate generated once, into one scratch
//! workspace with the programs that run the examples, for every test here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;
use upvest_sdk_generator::model::{
    Api, Argument, FakeOperation, Idempotency, ParamLocation, RustType, Scalar, TypeDef, TypeKind,
    TypeNames,
};
use upvest_sdk_generator::{load, lower, validate, GroupSelection};
use upvest_sdk_tests::harness::{
    build_programs, cargo, generated, lookup, mapped_examples, round_trip_failures, run_program,
    same_json, Outcome, RoundTrip, Scratch, CHANGED, PROGRAM_DEPENDENCIES,
};
use upvest_sdk_tests::{lossless, shared_dir};

const LABEL: &str = "upvest/openapi.yaml";

fn whole_spec() -> Option<PathBuf> {
    shared_dir().map(|d| d.join("upvest/openapi.yaml"))
}

/// The whole description, loaded, validated and lowered (once), or `None` when the shared
/// corpus is missing.
fn lowered() -> Option<&'static (load::LoadedSpec, Api)> {
    static LOWERED: OnceLock<(load::LoadedSpec, Api)> = OnceLock::new();
    let spec = whole_spec()?;
    Some(LOWERED.get_or_init(|| {
        let loaded = load::load(&spec).unwrap_or_else(|e| panic!("{e}"));
        validate::validate(&loaded).unwrap_or_else(|e| panic!("{e}"));
        let api = lower::lower(&loaded, &GroupSelection::All, LABEL, &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        (loaded, api)
    }))
}

/// The scratch workspace of the whole-API crate (`upvest`), the program that round-trips the
/// examples and the decoding checks, written once.
struct Whole {
    dir: PathBuf,
    harness: RoundTrip,
    /// The changed copies of the examples the harness also decodes, by their key (see
    /// [`changed_examples`]).
    changed: BTreeMap<String, Value>,
}

fn whole() -> Option<&'static Whole> {
    static WHOLE: OnceLock<Whole> = OnceLock::new();
    let spec = whole_spec()?;
    let (loaded, api) = lowered()?;
    Some(WHOLE.get_or_init(|| {
        let mut scratch = Scratch::new();
        scratch.sdk("upvest", &spec, LABEL, GroupSelection::All, "upvest");
        let changed = changed_examples(&loaded.raw, api);
        let harness = RoundTrip::add_with_changes(
            &mut scratch,
            "upvest",
            "upvest",
            &loaded.raw,
            &mapped_examples(api),
            changed.clone().into_iter().collect(),
        );
        add_decoding_checks(&mut scratch, api);
        FAKE_PAGED.get_or_init(|| add_fake_checks(&mut scratch, &loaded.raw, api));
        Whole {
            dir: scratch.write("whole-api"),
            harness,
            changed,
        }
    }))
}

#[test]
fn whole_api_compiles_without_warnings_with_all_and_single_groups() {
    let Some(Whole { dir, .. }) = whole() else {
        return;
    };
    // clippy is rustc's check plus its lints (warnings denied like the rest): a user's
    // `cargo clippy -D warnings` over a workspace that holds the SDK must pass too.
    // With the fake (`testing`), which only adds code: linted with the rest.
    cargo(
        dir,
        &[
            "clippy",
            "-p",
            "upvest",
            "--all-targets",
            "--features",
            "testing",
        ],
    );
    for feature in ["portfolios", "user-identifiers", "webhook-events"] {
        cargo(
            dir,
            &[
                "check",
                "-p",
                "upvest",
                "--no-default-features",
                "--features",
                feature,
            ],
        );
    }
    cargo(dir, &["check", "-p", "upvest", "--no-default-features"]);
    cargo(
        dir,
        &[
            "check",
            "-p",
            "upvest",
            "--no-default-features",
            "--features",
            "testing",
        ],
    );
    assert_default_build_has_no_fake(dir);
}

/// A build with the default features compiles nothing of the fake: its module is declared only
/// under `feature = "testing"`, and rustc, as cargo runs it for the default build, is not given
/// that feature.
fn assert_default_build_has_no_fake(dir: &std::path::Path) {
    let lib = std::fs::read_to_string(dir.join("upvest/src/lib.rs")).unwrap();
    let lines: Vec<&str> = lib.lines().collect();
    let declared: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains("mod testing"))
        .collect();
    assert_eq!(declared.len(), 1, "{declared:?}");
    let attributes: Vec<&str> = lines[..declared[0]]
        .iter()
        .rev()
        .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
        .copied()
        .collect();
    assert!(
        attributes.contains(&"#[cfg(feature = \"testing\")]"),
        "{attributes:?}"
    );
    assert!(
        attributes.contains(&"#[cfg_attr(docsrs, doc(cfg(feature = \"testing\")))]"),
        "{attributes:?}"
    );
    let cfg = cargo(
        dir,
        &[
            "rustc",
            "-p",
            "upvest",
            "--lib",
            "--profile",
            "check",
            "--",
            "--print",
            "cfg",
        ],
    );
    assert!(cfg.contains("feature=\"full\""), "{cfg}");
    assert!(!cfg.contains("feature=\"testing\""), "{cfg}");
    // Nor its loopback server: hyper's server half comes with the feature only (reqwest builds
    // hyper's client half either way; the examples' axum, a dev-dependency, is left out).
    let hyper_features = |features: &[&str]| {
        let mut args = vec![
            "tree",
            "-p",
            "upvest",
            "-e",
            "features,no-dev",
            "-i",
            "hyper",
        ];
        args.extend(features);
        cargo(dir, &args)
    };
    let default = hyper_features(&[]);
    assert!(!default.contains("hyper feature \"server\""), "{default}");
    let testing = hyper_features(&["--features", "testing"]);
    assert!(testing.contains("hyper feature \"server\""), "{testing}");
}

#[test]
fn groups_selects_what_is_generated() {
    let Some(spec) = whole_spec() else { return };
    let only = GroupSelection::Only(vec!["orders".into()]);
    let mut scratch = Scratch::new();
    scratch.sdk("upvest", &spec, LABEL, only, "upvest");
    let dir = scratch.write("whole-api-orders");
    cargo(&dir, &["check"]);
    let manifest = std::fs::read_to_string(dir.join("upvest/Cargo.toml")).unwrap();
    assert!(manifest.contains("full = [\"orders\"]"), "{manifest}");
    // Feature-gated modules are the groups (and webhook events) that were generated.
    let lib = std::fs::read_to_string(dir.join("upvest/src/lib.rs")).unwrap();
    // A module whose attributes (the lines right above it) include a feature gate.
    let lines: Vec<&str> = lib.lines().collect();
    let group_modules: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, line)| {
            line.starts_with("pub mod ")
                && lines[..*i]
                    .iter()
                    .rev()
                    .take_while(|l| l.starts_with("#["))
                    .any(|l| l.starts_with("#[cfg(feature = "))
        })
        .map(|(_, line)| *line)
        .collect();
    // The selected group's module, and the `testing` feature's fake (every crate has one).
    assert_eq!(group_modules, ["pub mod orders;", "pub mod testing;"]);
}

#[test]
fn whole_api_docs_build_without_warnings() {
    let Some(Whole { dir, .. }) = whole() else {
        return;
    };
    // With the fake's module, whose docs docs.rs shows (all features).
    cargo(
        dir,
        &["doc", "-p", "upvest", "--no-deps", "--features", "testing"],
    );
}

#[test]
fn whole_api_has_a_method_per_operation_and_a_payload_per_webhook_group() {
    let Some((_, api)) = lowered() else { return };
    let operations: usize = api.groups.iter().map(|g| g.operations.len()).sum();
    assert_eq!(operations, 94);
    assert_eq!(api.groups.len(), 23);
    assert_eq!(api.webhooks.len(), 24);
    let payloads: BTreeSet<String> = api
        .webhooks
        .iter()
        .map(|w| w.payload_type.display(api).to_string())
        .collect();
    assert_eq!(
        payloads.len(),
        24,
        "each webhook group has its own payload type"
    );
    assert!(api.webhooks.iter().all(|w| !w.event_types.is_empty()));
    // No operation takes the headers the client manages as inputs.
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        for param in &op.header_params {
            assert!(
                !lower::is_client_header(&param.name),
                "{} takes {}",
                op.operation_id,
                param.name
            );
        }
    }
    // Every POST and PATCH takes an idempotency key; the SDK makes one up for the 19 operations
    // that declare the header (the README lists them), and never for the others.
    let mut auto = Vec::new();
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        let creating = matches!(op.http_method.as_str(), "POST" | "PATCH");
        assert_eq!(
            op.idempotency == Idempotency::None,
            !creating,
            "{}",
            op.operation_id
        );
        if op.idempotency == Idempotency::Auto {
            auto.push(op.operation_id.as_str());
        }
        assert!(
            op.arguments.iter().all(|a| a.name != "idempotency-key"),
            "{}",
            op.operation_id
        );
    }
    assert_eq!(auto.len(), 19, "{auto:?}");
    // Type names are unique and none is a numbered copy of a title.
    let names: BTreeSet<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), api.types.len());
}

#[test]
fn all_four_revisions_generate_and_report_the_31_nulls() {
    let Some(shared) = shared_dir() else { return };
    let mut revisions: Vec<PathBuf> = std::fs::read_dir(shared.join("upvest/history"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    revisions.sort();
    revisions.push(shared.join("upvest/openapi.yaml"));
    assert_eq!(revisions.len(), 4);
    for (index, spec) in revisions.iter().enumerate() {
        let (_, warnings) = generated(spec, LABEL, GroupSelection::All, "upvest");
        let expected = if index < 3 { 15 } else { 0 };
        assert_eq!(
            warnings.len(),
            expected,
            "{}: {warnings:#?}",
            spec.display()
        );
        for warning in &warnings {
            assert!(
                warning.contains("/oneOf: `oneOf` with a `{type: \"null\"}` member"),
                "{warning}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------------------------

/// Examples that contradict their own schema: spec defects, listed by pointer with the reason
/// rather than bending the types to accept them. The test fails if one of these starts to
/// round-trip (the list must stay true) or if any other example fails. Today every example of
/// Upvest's description decodes and encodes again, so the list is empty.
const SPEC_DEFECTS: &[(&str, &str)] = &[];

#[test]
fn every_example_decodes_into_its_type_and_round_trips() {
    let Some((loaded, api)) = lowered() else {
        return;
    };
    let mapped = mapped_examples(api);
    assert_every_example_is_mapped(&loaded.raw, &mapped);
    for (kind, part) in [
        ("request bodies", "/requestBody/"),
        ("success responses", "/responses/200/"),
        ("error responses", "/components/responses/ResponseError"),
        ("webhook payloads", "#/x-webhooks/"),
        ("parameters", "/parameters/"),
    ] {
        let count = mapped.keys().filter(|p| p.contains(part)).count();
        assert!(count > 0, "no examples of {kind} were mapped");
    }

    let Whole {
        dir,
        harness,
        changed,
    } = whole().expect("the description is there");
    let programs = programs(dir);
    let (outcomes, changed_outcomes): (BTreeMap<String, Outcome>, BTreeMap<String, Outcome>) =
        harness
            .run(dir, programs)
            .into_iter()
            .partition(|(key, _)| !key.contains(CHANGED));
    assert_eq!(outcomes.len(), mapped.len());
    assert_eq!(changed_outcomes.len(), changed.len());
    let lossy = changed_failures(api, changed, &outcomes, &changed_outcomes);
    assert!(
        lossy.is_empty(),
        "{} of {} changed examples are not kept whole in the same variants: {lossy:#?}",
        lossy.len(),
        changed.len()
    );
    // Issue 8's silent-loss cases, on the same crate and the same build.
    let input = harness.input(dir).display().to_string();
    let out = run_program(&programs[DECODING_CHECKS], &[&input]);
    assert!(out.contains("all decoding checks passed"), "{out}");

    let mut failures = round_trip_failures(&loaded.raw, &outcomes);
    let mut webhook_payloads = 0;
    for (pointer, (_, parsed, _)) in &outcomes {
        if let Some(variant) = parsed {
            webhook_payloads += 1;
            if Some(variant.as_str()) != expected_variant(api, pointer) {
                failures.insert(format!("{pointer} (parse)"), variant.clone());
            }
        }
    }
    assert!(
        webhook_payloads >= 24,
        "only {webhook_payloads} webhook examples"
    );

    let expected: BTreeMap<&str, &str> = SPEC_DEFECTS.iter().copied().collect();
    let unexpected: Vec<_> = failures
        .iter()
        .filter(|(p, _)| !expected.contains_key(p.as_str()))
        .collect();
    let now_passing: Vec<_> = expected
        .keys()
        .filter(|p| !failures.contains_key(**p))
        .collect();
    assert!(
        unexpected.is_empty() && now_passing.is_empty(),
        "{} of {} examples fail unexpectedly: {unexpected:#?}\n\
         listed as defects but round-trip: {now_passing:#?}",
        unexpected.len(),
        outcomes.len()
    );
    let success_failures: Vec<_> = failures
        .keys()
        .filter(|p| p.contains("/responses/2"))
        .collect();
    assert!(success_failures.is_empty(), "{success_failures:#?}");
}

/// The labels of an example's changed copies: with [`lossless::NEW_PROPERTY`] in every object
/// that is a struct, and with `null` in every optional field that does not allow one.
const NEW_PROPERTY: &str = "new property";
const NULLS: &str = "nulls";

/// Every example with a new property in each of its structs' objects, and every example with
/// a `null` in each of its optional, non-nullable fields (where it has any), keyed by the
/// example's pointer, [`CHANGED`] and the label.
fn changed_examples(raw: &Value, api: &Api) -> BTreeMap<String, Value> {
    let mut changed = BTreeMap::new();
    let (mut objects, mut nulls) = (0, 0);
    for example in &api.examples {
        let value = lookup(raw, &example.pointer);
        let places = lossless::places(api, value, &example.rust_type);
        objects += places.objects.len();
        nulls += places.nulls.len();
        // Every object example is a generated struct, or an error's problem document (which
        // keeps extension members): each gets the new property somewhere.
        assert!(
            !value.is_object() || !places.objects.is_empty(),
            "no place to change in {}",
            example.pointer
        );
        let key = |label: &str| format!("{}{CHANGED}{label}", example.pointer);
        if !places.objects.is_empty() {
            let value = lossless::with_new_property(value, &places.objects);
            changed.insert(key(NEW_PROPERTY), value);
        }
        if !places.nulls.is_empty() {
            changed.insert(key(NULLS), lossless::with_nulls(value, &places.nulls));
        }
    }
    let with = |label: &str| changed.keys().filter(|k| k.ends_with(label)).count();
    let (with_property, with_nulls) = (with(NEW_PROPERTY), with(NULLS));
    eprintln!(
        "of {} examples, {with_property} get a new property ({objects} objects), \
         {with_nulls} nulls ({nulls} fields)",
        api.examples.len()
    );
    // Most examples are objects, and many have optional fields: a walk that finds few places
    // has lost its way in the model.
    assert!(
        2 * with_property > api.examples.len() && 4 * with_nulls > api.examples.len(),
        "too few places to change"
    );
    changed
}

/// The changed examples that do not decode, encode again to another value (something was
/// lost), or chose other union variants than the example did, with why.
fn changed_failures(
    api: &Api,
    changed: &BTreeMap<String, Value>,
    outcomes: &BTreeMap<String, Outcome>,
    changed_outcomes: &BTreeMap<String, Outcome>,
) -> BTreeMap<String, String> {
    let variants = lossless::union_variants(api);
    let mut failures = BTreeMap::new();
    for (key, (result, _, shown)) in changed_outcomes {
        let (pointer, label) = key.split_once(CHANGED).expect("a changed copy's key");
        let value = &changed[key];
        let (_, _, example_shown) = &outcomes[pointer];
        let why = match result {
            Err(e) => Some(e.clone()),
            Ok(again) if !same_json(value, again) => Some(format!("encodes again as {again}")),
            Ok(_) if label == NEW_PROPERTY => {
                let shown = lossless::without_new_property(shown);
                (shown != *example_shown).then(|| {
                    let at = shown
                        .chars()
                        .zip(example_shown.chars())
                        .take_while(|(a, b)| a == b)
                        .count();
                    let excerpt = |text: &str| {
                        text.chars()
                            .skip(at.saturating_sub(80))
                            .take(200)
                            .collect::<String>()
                    };
                    format!(
                        "decoded otherwise: {} instead of {}",
                        excerpt(&shown),
                        excerpt(example_shown)
                    )
                })
            }
            Ok(_) => {
                let chosen = lossless::chosen_variants(shown, &variants);
                let expected = lossless::chosen_variants(example_shown, &variants);
                (chosen != expected).then(|| format!("variants {chosen:?} instead of {expected:?}"))
            }
        };
        if let Some(why) = why {
            failures.insert(format!("{pointer} ({label})"), why);
        }
    }
    failures
}

const DECODING_CHECKS: &str = "upvest-decoding-checks";

/// The whole-API workspace's programs, built once in one cargo run: the SDK is compiled once
/// (with the `testing` feature the fake checks enable) for all of them.
fn programs(dir: &std::path::Path) -> &'static BTreeMap<String, PathBuf> {
    static PROGRAMS: OnceLock<BTreeMap<String, PathBuf>> = OnceLock::new();
    PROGRAMS.get_or_init(|| {
        let harness = &whole().expect("the description is there").harness;
        build_programs(
            dir,
            &[
                harness.package().to_string(),
                DECODING_CHECKS.to_string(),
                FAKE_CHECKS.to_string(),
            ],
        )
    })
}

/// Adds the program of `whole_api_checks/decoding_program.rs`, after a prelude naming the types it
/// checks as the lowered model names them (so the checks follow renames).
fn add_decoding_checks(scratch: &mut Scratch, api: &Api) {
    let success = |operation_id: &str| {
        let op = api
            .groups
            .iter()
            .flat_map(|g| &g.operations)
            .find(|op| op.operation_id == operation_id)
            .unwrap_or_else(|| panic!("no operation {operation_id}"));
        op.success
            .rust_type
            .display(api)
            .to_string()
            .replace("crate::", "upvest::")
    };
    // The union of an ISIN (a string) and an UPVEST instrument id (a UUID).
    let instrument_id = api
        .types
        .iter()
        .find(|t| {
            t.kind == TypeKind::Union
                && t.variants
                    .iter()
                    .map(|v| v.rust_type.clone())
                    .eq([Some(Scalar::String.into()), Some(Scalar::Uuid.into())])
        })
        .map(|t| format!("upvest::models::{}", t.name))
        .expect("a union of String and Uuid");
    let prelude = format!(
        "type User = {};\ntype UsersPage = {};\ntype UserCheck = {};\ntype ChecksPage = {};\n\
         type InstrumentId = {instrument_id};\n\n",
        success("retrieve_user"),
        success("list_users"),
        success("retrieve_user_check"),
        success("list_user_checks"),
    );
    scratch.file(
        format!("{DECODING_CHECKS}/Cargo.toml"),
        format!(
            "[package]\nname = \"{DECODING_CHECKS}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\nupvest = {{ path = \"../upvest\" }}\n\
             {PROGRAM_DEPENDENCIES}"
        ),
    );
    let checks = include_str!("whole_api_checks/decoding_program.rs");
    scratch.file(
        format!("{DECODING_CHECKS}/src/main.rs"),
        format!("{prelude}{checks}"),
    );
    scratch.member(DECODING_CHECKS);
}

/// A rebalancing condition's `name` is free text whose description copies the `* ISIN -` lines
/// of another field, and every example value disagrees. Examples decide no type (issue 20): it is
/// the open enum its description lists, and the example values decode as its `Unknown`, kept as
/// sent (`every_example_decodes_into_its_type_and_round_trips` decodes them).
#[test]
fn free_text_that_copies_a_value_list_is_the_open_enum_it_lists() {
    let Some((_, api)) = lowered() else { return };
    let strategy = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .find(|op| op.operation_id == "retrieve_portfolios_rebalancing_strategy")
        .and_then(|op| op.success.rust_type.model_id())
        .map(|id| api.type_name(id).to_string())
        .expect("the operation");
    let field_type = |type_name: &str, wire: &str| {
        api.types
            .iter()
            .find(|t| t.name == type_name)
            .and_then(|t| t.fields.iter().find(|f| f.wire == wire))
            .map(|f| f.rust_type.clone())
            .unwrap_or_else(|| panic!("no field {type_name}.{wire}"))
    };
    let conditions = field_type(&strategy, "conditions");
    let condition = conditions
        .vec_item()
        .and_then(RustType::model_id)
        .map(|id| api.type_name(id))
        .expect("a list of a model type");
    let name = field_type(condition, "name");
    let name = name
        .model_id()
        .map(|id| api.type_name(id))
        .expect("an enum of the models");
    let values: Vec<&str> = api
        .types
        .iter()
        .find(|t| t.name == name)
        .map(|t| {
            t.variants
                .iter()
                .filter_map(|v| v.wire.as_deref())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(values, ["ISIN", "UPVEST"], "{name}");
    assert!(field_type(condition, "type") != Scalar::String);
}

/// The variant `parse` must choose for an example under `#/x-webhooks/<name>/`.
fn expected_variant<'a>(api: &'a Api, pointer: &str) -> Option<&'a str> {
    let name = pointer.strip_prefix("#/x-webhooks/")?.split('/').next()?;
    api.webhooks
        .iter()
        .find(|w| w.name == name)
        .map(|w| w.variant.as_str())
}

/// Every `example`/`examples` in the description is either mapped to a type, or sits where the
/// SDK has no type on purpose: response headers, the headers the client manages itself, and
/// components that nothing refers to.
fn assert_every_example_is_mapped(raw: &Value, mapped: &BTreeMap<String, String>) {
    let mut refs = Vec::new();
    collect_refs(raw, &mut refs);
    let mut unmapped = Vec::new();
    collect_example_pointers(raw, "#", false, &mut |pointer| {
        if !mapped.contains_key(pointer) && !is_unmapped_on_purpose(raw, &refs, pointer) {
            unmapped.push(pointer.to_string());
        }
    });
    assert!(unmapped.is_empty(), "examples with no type: {unmapped:#?}");
}

fn collect_refs(node: &Value, refs: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                refs.push(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, refs));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

fn is_unmapped_on_purpose(raw: &Value, refs: &[String], pointer: &str) -> bool {
    if pointer.contains("/headers/") {
        return true;
    }
    // `#/components/<kind>/<name>/...` that nothing refers to.
    let component: Vec<&str> = pointer.splitn(5, '/').take(4).collect();
    if component.get(1) == Some(&"components") && component.len() == 4 {
        let target = component.join("/");
        if !refs.contains(&target) {
            return true;
        }
    }
    // A parameter of the client's own headers (its parameter object names it).
    let param = pointer
        .split("/schema/")
        .next()
        .unwrap_or(pointer)
        .trim_end_matches("/example");
    let name = lookup(raw, &format!("{param}/name"));
    name.as_str().is_some_and(lower::is_client_header)
}

/// Calls `found` with the pointer of every example value; `in_properties` skips property names.
fn collect_example_pointers(
    node: &Value,
    at: &str,
    in_properties: bool,
    found: &mut dyn FnMut(&str),
) {
    let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                let child_at = format!("{at}/{}", escape(key));
                if !in_properties && key == "example" {
                    found(&child_at);
                } else if !in_properties && key == "examples" && child.is_object() {
                    for name in child.as_object().into_iter().flat_map(|m| m.keys()) {
                        found(&format!("{child_at}/{}/value", escape(name)));
                    }
                } else {
                    collect_example_pointers(child, &child_at, key == "properties", found);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_example_pointers(child, &format!("{at}/{i}"), false, found);
            }
        }
        _ => {}
    }
}

/// The names issue 8 found misleading are gone, by a rule (a response is never `...Request`; a
/// type is never named after an operation, field or event it does not belong to), not by hand.
#[test]
fn names_say_what_they_name() {
    let Some((_, api)) = lowered() else { return };
    let operation = |id: &str| {
        api.groups
            .iter()
            .flat_map(|g| &g.operations)
            .find(|op| op.operation_id == id)
            .unwrap_or_else(|| panic!("no operation {id}"))
    };
    // Upvest titles create_user's response "User - Create - Request".
    let text = |ty: &RustType| ty.display(api).to_string();
    let created = text(&operation("create_user").success.rust_type);
    assert_eq!(created, "crate::models::CreateUserResponse");
    // The sort of list_users was named after list_account_groups.
    let sort = operation("list_users")
        .query_params
        .iter()
        .find(|p| p.name == "sort")
        .expect("list_users sorts");
    assert!(
        !text(&sort.rust_type).contains("AccountGroups"),
        "{}",
        text(&sort.rust_type)
    );
    // The cash balance webhook copies the positions webhook's title.
    let cash = api
        .webhooks
        .iter()
        .find(|w| w.variant == "CashBalanceEvent")
        .expect("a cash balance event");
    assert_eq!(
        text(&cash.payload_type),
        "crate::models::CashBalanceEventPayload"
    );
    // terms_and_conditions was the data privacy agreement's type.
    for def in api.types.iter().filter(|t| t.name.starts_with("UserTol")) {
        for field in def
            .fields
            .iter()
            .filter(|f| f.wire == "terms_and_conditions")
        {
            assert!(
                text(&field.rust_type).contains("TermsAndConditions"),
                "{}.{}: {}",
                def.name,
                field.wire,
                text(&field.rust_type)
            );
        }
    }
    let responses_named_request: Vec<_> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter(|op| text(&op.success.rust_type).ends_with("Request"))
        .map(|op| (&op.operation_id, text(&op.success.rust_type)))
        .collect();
    assert!(
        responses_named_request.is_empty(),
        "{responses_named_request:?}"
    );
}

/// Issue 9 §3: the whole API's `models.rs` reads well. No filler lines; one gate (and one
/// docs.rs badge) per set of features instead of one per item and impl; enum variants carry the
/// meanings their description lists; union variants say what they hold; types the description
/// does not describe say where they are.
#[test]
fn whole_api_models_read_well() {
    let Some(spec) = whole_spec() else { return };
    let Some((_, api)) = lowered() else { return };
    let (files, _) = generated(&spec, LABEL, GroupSelection::All, "upvest");
    let models = &files["src/models.rs"];
    for filler in [
        "(no description in the API)",
        "Stands for ",
        "schema(s) in the description",
        "One of the shapes this value can take.",
    ] {
        assert!(!models.contains(filler), "`{filler}` is still written");
    }
    // Each feature set is one module: its `#[cfg]`, then the re-export's `#[cfg]` and
    // `#[cfg_attr(docsrs, doc(cfg(..)))]`; nothing else in the file is gated.
    let sets: BTreeSet<&Vec<String>> = api.types.iter().map(|t| &t.features).collect();
    assert_eq!(sets.len(), api.type_modules.len());
    let gates = models
        .lines()
        .filter(|l| l.trim_start().starts_with("#[cfg"))
        .count();
    assert_eq!(gates, 3 * api.type_modules.len(), "{gates} gates");
    assert!(api.type_modules.len() < 60, "{}", api.type_modules.len());
    // Every type is re-exported once, from the module of its feature set.
    for module in &api.type_modules {
        for &i in &module.types {
            assert_eq!(api.types[i.0].features, module.features);
        }
    }
    let exported: usize = api.type_modules.iter().map(|m| m.types.len()).sum();
    assert_eq!(exported, api.types.len());
    // A string enum's listed meanings document its variants, and its doc does not repeat them.
    let mut documented = 0;
    for t in api
        .types
        .iter()
        .filter(|t| t.kind == upvest_sdk_generator::model::TypeKind::Enum)
    {
        for v in &t.variants {
            let wire = v.wire.as_deref().unwrap_or_default();
            if wire.is_empty() {
                continue;
            }
            let doc = v.doc.join("\n");
            assert!(
                doc.starts_with(&format!("`{wire}`")),
                "{}::{}",
                t.name,
                v.ident
            );
            if doc.len() > wire.len() + 4 {
                documented += 1;
                let listed = format!("* {wire} -");
                assert!(
                    t.doc.iter().all(|l| !l.trim_start().starts_with(&listed)),
                    "{} repeats `{listed}`",
                    t.name
                );
            }
        }
    }
    assert!(documented > 100, "{documented} variants carry a meaning");
    // Union variants say what they hold; a discriminated union's say which tags choose them.
    for t in api
        .types
        .iter()
        .filter(|t| t.kind == upvest_sdk_generator::model::TypeKind::Union)
    {
        for v in &t.variants {
            assert!(!v.doc.is_empty(), "{}::{}", t.name, v.ident);
            if !v.tags.is_empty() {
                let doc = v.doc.join(" ");
                assert!(
                    doc.contains("Chosen when"),
                    "{}::{}: {doc}",
                    t.name,
                    v.ident
                );
            }
        }
    }
    // Each struct's reader lists its fields one a line, after a blank line (issue 22).
    let lines: Vec<&str> = models.lines().collect();
    let readers: Vec<usize> = (1..lines.len())
        .filter(|&i| lines[i].trim() == "crate::serde_helpers::deserialize_object! {")
        .collect();
    let structs: Vec<&TypeDef> = api
        .types
        .iter()
        .filter(|t| t.kind == TypeKind::Struct)
        .collect();
    assert_eq!(readers.len(), structs.len());
    for &i in &readers {
        assert!(
            lines[i - 1].is_empty(),
            "no blank line before {}",
            lines[i + 1]
        );
    }
    let field_lines = lines
        .iter()
        .filter(|l| l.contains(" by ") && l.trim().starts_with(|c: char| c.is_ascii_digit()))
        .inspect(|l| assert_eq!(l.matches(" by ").count(), 1, "{l}"))
        .count();
    let fields: usize = structs.iter().map(|t| t.fields.len()).sum();
    assert_eq!(field_lines, fields);
    // Variant names a person would choose: a long title gives its short name.
    for long in [
        "UniversallyUniqueIDentifier",
        "InternationalSecuritiesIdentificationNumber",
    ] {
        assert!(!models.contains(long), "{long}");
    }
    // Every type has a doc; the ones the description does not describe say where they are.
    for t in &api.types {
        let first = t.doc.first().map(String::as_str).unwrap_or_default();
        assert!(!first.is_empty(), "{} has no doc", t.name);
        assert!(
            !first.starts_with(&format!("The `{}` type", t.name)),
            "{} says nothing: {first}",
            t.name
        );
    }
}

/// Issue 22 §4: the whole API's operations read as if written by hand: no doc repeats its
/// summary as its description (`/// Retrieve a direct debit`, twice), no prose line has a run
/// of spaces between words (`key.  This`), and the generator's own sentences are not broken
/// before a lone link.
#[test]
fn whole_api_operations_read_well() {
    let Some(spec) = whole_spec() else { return };
    let Some((_, api)) = lowered() else { return };
    let (files, _) = generated(&spec, LABEL, GroupSelection::All, "upvest");
    let mut doc_lines = 0;
    for group in &api.groups {
        let text = &files[&format!("src/{}.rs", group.module)];
        let docs: Vec<&str> = text
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with("///"))
            .collect();
        doc_lines += docs.len();
        for line in &docs {
            // Outside code spans (the odd segments between backticks), each a word here.
            let prose: String = line
                .split('`')
                .enumerate()
                .map(|(i, part)| if i % 2 == 1 { "code" } else { part })
                .collect();
            let words = prose.trim_start_matches('/').trim();
            assert!(!words.contains("  "), "{}: {line}", group.module);
            // A link alone on its line (`/// [`send`](ListAccounts::send).`).
            let text = line.trim_start_matches('/').trim();
            let lone_link = text.starts_with('[') && !text.contains(' ');
            assert!(!lone_link, "{}: {line}", group.module);
        }
        for op in &group.operations {
            if let [summary, blank, repeated, ..] = op.doc.as_slice() {
                assert!(
                    !(blank.is_empty() && summary == repeated),
                    "{}: {summary}",
                    op.method_name
                );
            }
        }
    }
    assert!(doc_lines > 1000, "{doc_lines} doc lines");
}

// ---------------------------------------------------------------------------------------------
// The fake Upvest (`testing` feature)
// ---------------------------------------------------------------------------------------------

const FAKE_CHECKS: &str = "upvest-fake-checks";

/// The tenant client ID the fake accepts (`runtime/src/testing/fake.rs`).
const FAKE_CLIENT_ID: &str = "00000000-0000-4000-8000-00000000f4ce";

/// How many lists the fake checks walk through their pages, how many resources they create
/// and read back, and how many (operation, way) pairs they break.
static FAKE_PAGED: OnceLock<(usize, usize, usize)> = OnceLock::new();

/// Items every list of the fake holds in the paging checks, walked 3 at a time.
const FAKE_LIST_ITEMS: usize = 7;

/// The program of `whole_api_checks/fake_program.rs` (a service built on the SDK, tested against the
/// fake), after one check per operation written from the lowered model: the operation is called
/// through the SDK with the sample arguments lowering chose, the fake (not strict: every
/// failure is reported, not only the first) must accept the request, and its default answer
/// must decode; a list is walked through its pages. Each operation starts from an empty store
/// (`fake.reset()`); then each resource of the fake is created, read back by its ID and (when
/// it has a list) found in its list.
/// Then each operation's request is sent broken in each way the fake checks (`broken_ways`),
/// and must be rejected with the reason.
/// Returns how many lists it walks, how many resources it reads back and how many broken
/// requests it sends.
fn add_fake_checks(scratch: &mut Scratch, raw: &Value, api: &Api) -> (usize, usize, usize) {
    let public = |ty: &RustType| {
        ty.qualified()
            .display(api)
            .to_string()
            .replace("crate::", "upvest::")
    };
    let mut checks = String::new();
    let mut broken = String::new();
    let mut broken_count = 0;
    let mut paged = 0;
    // The call of each operation with its sample arguments, by operationId; `id` replaces the
    // argument of the path's last parameter.
    let mut calls: BTreeMap<&str, (String, String)> = BTreeMap::new();
    for (fake, op) in api
        .fakes
        .iter()
        .zip(api.groups.iter().flat_map(|g| &g.operations))
    {
        assert_eq!(
            fake.operation_id, op.operation_id,
            "fakes follow the groups"
        );
        let arguments: Vec<String> = op
            .arguments
            .iter()
            .zip(&fake.sample_arguments)
            .map(|(a, json)| {
                let json = token_credentials(&op.path, a, json);
                format!(
                    "serde_json::from_str::<{}>({json:?}).expect(\"{} {}\")",
                    public(&a.rust_type),
                    op.operation_id,
                    a.ident
                )
            })
            .collect();
        let call = format!("client.{}({})", op.method_name, arguments.join(", "));
        let last = op.path.rsplit('/').next().unwrap_or_default();
        let by_id: Vec<String> = op
            .arguments
            .iter()
            .zip(&arguments)
            .map(|(a, sample)| {
                if a.location == ParamLocation::Path && format!("{{{}}}", a.name) == last {
                    format!(
                        "serde_json::from_value::<{}>(id.clone()).expect(\"an ID\")",
                        public(&a.rust_type)
                    )
                } else {
                    sample.clone()
                }
            })
            .collect();
        let call_by_id = format!("client.{}({})", op.method_name, by_id.join(", "));
        let ways = broken_ways(fake, &api.types);
        broken_count += ways.len();
        broken.push_str(&format!(
            "    breaking.check(&mut failures, {id:?}, &[{ways}], |client| async move {{ {call}.send().await.map(drop) }}).await;\n",
            id = op.operation_id,
            ways = ways.join(", "),
        ));
        calls.insert(&op.operation_id, (call.clone(), call_by_id));
        checks.push_str(&format!(
            "    fake.reset();\n    check(&fake, &mut failures, {id:?}, {call}.send().await.map(drop)).await;\n",
            id = op.operation_id
        ));
        let limit = op
            .query_params
            .iter()
            .find(|p| p.name == "limit" && !p.argument);
        if let (Some(_), Some(limit)) = (&op.pagination, limit) {
            paged += 1;
            checks.push_str(&format!(
                "    check_pages(&fake, &mut failures, {id:?}, {call}.{limit}(3).items().collect::<Vec<_>>().await).await;\n",
                id = op.operation_id,
                limit = limit.ident,
            ));
        }
    }
    // Each resource: created, read back by its ID, found in its list.
    let mut resources = 0;
    let role_of = |collection: &str, role: &str| {
        api.fakes
            .iter()
            .find(|f| {
                f.resource
                    .as_ref()
                    .is_some_and(|r| r.collection == collection && r.role.as_str() == role)
            })
            .map(|f| &calls[f.operation_id.as_str()])
    };
    let collections: BTreeSet<&str> = api
        .fakes
        .iter()
        .filter_map(|f| Some(f.resource.as_ref()?.collection.as_str()))
        .collect();
    for collection in collections {
        let (Some((create, _)), Some((_, retrieve))) = (
            role_of(collection, "Create"),
            role_of(collection, "Retrieve"),
        ) else {
            continue;
        };
        resources += 1;
        let list = role_of(collection, "List").map_or("None".to_string(), |(list, _)| {
            format!("Some({list}.send().await.map(|r| json(&r.data)))")
        });
        checks.push_str(&format!(
            "    fake.reset();\n    match {create}.send().await {{\n\
             \x20       Ok(created) => {{\n\
             \x20           let created = json(&created.data);\n\
             \x20           let id = created[\"id\"].clone();\n\
             \x20           let read = {retrieve}.send().await.map(|r| json(&r.data));\n\
             \x20           let listed = {list};\n\
             \x20           check_resource(&mut failures, {collection:?}, &created, read, listed);\n\
             \x20       }}\n\
             \x20       Err(e) => failures.push(format!(\"{{}}: {{e:?}}\", {collection:?})),\n    }}\n"
        ));
    }
    // Each webhook group's example, typed, delivered twice in one bundle.
    let mut deliveries = String::new();
    for webhook in &api.webhooks {
        let prefix = format!(
            "#/x-webhooks/{}/",
            webhook.name.replace('~', "~0").replace('/', "~1")
        );
        let wanted = &webhook.payload_type;
        let Some(example) = api
            .examples
            .iter()
            .find(|e| e.pointer.starts_with(&prefix) && e.rust_type == *wanted)
        else {
            continue;
        };
        deliveries.push_str(&format!(
            "    check_delivery::<{ty}>(&mut failures, {name:?}, {json:?}, |e| matches!(e, upvest::webhook_events::WebhookEvent::{variant}(_)));\n",
            ty = public(&webhook.payload_type),
            name = webhook.name,
            json = lookup(raw, &example.pointer).to_string(),
            variant = webhook.variant,
        ));
    }
    // The service's onboarding test creates users with `create_user`'s sample body.
    let user_sample = api
        .fakes
        .iter()
        .find(|f| f.operation_id == "create_user")
        .and_then(|f| f.sample_arguments.first())
        .expect("Upvest's description creates users");
    let program = format!(
        "//! Every operation against the fake Upvest, then a service's tests against it.\n\
         #![allow(deprecated)]\n\n\
         #[allow(unused_imports)]\nuse upvest::{{chrono, uuid}};\n\n\
         const LIST_ITEMS: usize = {FAKE_LIST_ITEMS};\n\
         /// Every request is signed with it, and the fake checks each signature.\n\
         const SIGNING_KEY: &str = {signing_key:?};\n\
         /// Another key, whose signatures the fake refuses.\n\
         const OTHER_KEY: &str = {other_key:?};\n\
         const USER_SAMPLE: &str = {user_sample:?};\n\n\
         async fn every_operation(fake: &upvest::testing::Fake, client: &upvest::Client) -> Vec<String> {{\n\
         \x20   use upvest::futures_util::StreamExt as _;\n\
         \x20   let mut failures = Vec::new();\n{checks}    failures\n}}\n\n\
         async fn every_broken_request(breaking: &Breaking) -> Vec<String> {{\n\
         \x20   let mut failures = Vec::new();\n{broken}    failures\n}}\n\n\
         fn every_webhook() -> Vec<String> {{\n\
         \x20   let mut failures = Vec::new();\n{deliveries}    failures\n}}\n\n{}",
        include_str!("whole_api_checks/fake_program.rs"),
        signing_key = upvest_sdk_tests::keys::ED25519,
        other_key = upvest_sdk_tests::keys::P256,
    );
    scratch.file(
        format!("{FAKE_CHECKS}/Cargo.toml"),
        format!(
            "[package]\nname = \"{FAKE_CHECKS}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\nupvest = {{ path = \"../upvest\", features = [\"testing\"] }}\n\
             {PROGRAM_DEPENDENCIES}"
        ),
    );
    scratch.file(format!("{FAKE_CHECKS}/src/main.rs"), program);
    scratch.member(FAKE_CHECKS);
    (paged, resources, broken_count)
}

/// Each way the fake checks that a request of `fake` can be broken in (the program's `Way`s):
/// the token (none, one the fake did not issue, one without the operation's scopes), the
/// client ID, the API version, each required query parameter and header, the idempotency key
/// where declared, the body where there is one (a JSON body: one of a shape its schema does not
/// allow, one that is not JSON, and the SDK's with a property `null` that may not be; a form
/// body: one that does not decode), and the signature.
fn broken_ways(fake: &FakeOperation, types: &[TypeDef]) -> Vec<String> {
    let mut ways = Vec::new();
    if fake.authorized {
        ways.extend(["Way::NoToken".to_string(), "Way::UnknownToken".to_string()]);
        if let Some(scope) = fake.scopes.first() {
            ways.push(format!("Way::Unscoped({scope:?})"));
        }
    }
    ways.push("Way::NoClientId".to_string());
    ways.push("Way::NoApiVersion".to_string());
    for param in fake.params.iter().filter(|p| p.required) {
        match param.location {
            ParamLocation::Query => ways.push(format!("Way::NoQuery({:?})", param.name)),
            ParamLocation::Header => ways.push(format!("Way::NoHeader({:?})", param.name)),
            _ => {}
        }
    }
    if fake.idempotency_key {
        ways.push("Way::NoIdempotencyKey".to_string());
    }
    match &fake.body {
        Some(body) if body.fit.is_some() => {
            let media = &body.content_type;
            let def = body.rust_type.model_id().and_then(|id| types.get(id.0));
            let union = def.is_some_and(|t| t.kind == TypeKind::Union);
            ways.push(format!("Way::BadShape({media:?}, {union})"));
            ways.push(format!("Way::NotJsonBody({media:?})"));
            // A property that may not be `null`, an optional one first (whose `null` decodes
            // as absent: only the schema check refuses it).
            let fields = def
                .into_iter()
                .filter(|t| t.kind == TypeKind::Struct)
                .flat_map(|t| &t.fields)
                .filter(|f| !f.nullable);
            if let Some(field) = fields.min_by_key(|f| f.required) {
                ways.push(format!("Way::NullProperty({media:?}, {:?})", field.wire));
            }
        }
        Some(body) => ways.push(format!("Way::BadBody({:?})", body.content_type)),
        None => {}
    }
    ways.push("Way::BadSignature".to_string());
    ways
}

/// The token request's body with the fake's client credentials (its sample has made-up ones,
/// which the fake, like Upvest, refuses).
fn token_credentials(path: &str, argument: &Argument, json: &str) -> String {
    if path != "/auth/token" || argument.location != ParamLocation::Body {
        return json.to_string();
    }
    let mut body: Value = serde_json::from_str(json).expect("a JSON sample");
    body["client_id"] = FAKE_CLIENT_ID.into();
    body["client_secret"] = "fake-client-secret".into();
    body["grant_type"] = "client_credentials".into();
    body.to_string()
}

#[test]
fn every_operation_answers_through_the_fake_and_a_service_is_tested_against_it() {
    let Some((_, api)) = lowered() else { return };
    let operations: usize = api.groups.iter().map(|g| g.operations.len()).sum();
    assert_eq!(api.fakes.len(), operations);
    let examples = api
        .fakes
        .iter()
        .filter(|f| f.default_source == upvest_sdk_generator::model::DefaultSource::Example)
        .count();
    // Every JSON success of Upvest's description has an example: the defaults are Upvest's own.
    let json = api
        .fakes
        .iter()
        .filter(|f| f.success_content_type.as_deref() == Some("application/json"))
        .count();
    assert_eq!(examples, json);
    let Whole { dir, .. } = whole().expect("the description is there");
    let programs = programs(dir);
    let out = run_program(&programs[FAKE_CHECKS], &[]);
    let (paged, resources, broken) = *FAKE_PAGED.get().expect("written with the workspace");
    // Upvest's users, accounts, orders, webhooks, ... (57 operations in 17 collections).
    assert!(resources >= 15, "{resources} resources");
    let lists = api.fakes.iter().filter(|f| f.page_item.is_some()).count();
    assert!(
        paged > 10 && paged <= lists,
        "{paged} of {lists} lists walked"
    );
    assert!(
        out.contains(&format!(
            "{operations} operations answered, {paged} lists paged, {resources} resources read back"
        )),
        "{out}"
    );
    assert!(out.contains("service tests passed"), "{out}");
    // Every operation's request, broken in each way the fake checks, rejected with the reason:
    // at least its client ID, its API version and its signature, besides its token,
    // parameters and body.
    assert!(broken >= 3 * operations, "{broken} broken requests");
    assert!(
        out.contains(&format!(
            "{broken} broken requests of {operations} operations rejected with the reason"
        )),
        "{out}"
    );
    let webhooks = api
        .webhooks
        .iter()
        .filter(|w| {
            let prefix = format!(
                "#/x-webhooks/{}/",
                w.name.replace('~', "~0").replace('/', "~1")
            );
            api.examples.iter().any(|e| e.pointer.starts_with(&prefix))
        })
        .count();
    assert!(webhooks >= 24, "{webhooks}");
    assert!(
        out.contains(&format!("{webhooks} webhook deliveries parsed")),
        "{out}"
    );
}
