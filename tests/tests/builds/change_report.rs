//! The change report tells the truth, proven by the compiler.
//!
//! A small user program (`tests/fixtures/compat/whole-api/`), written against the SDK generated from
//! Upvest's real description (groups Orders and Users, and the webhook events), is compiled:
//!
//! 1. against that SDK, where every module compiles;
//! 2. against the SDK regenerated (with the names the first one recorded, as a user regenerates)
//!    after every compatible edit of issue 8's table at once: it still compiles, unchanged, and
//!    `diff` calls each edit non-breaking while still reporting it;
//! 3. the same after adding `SHORT` to every `side` enum under `paths`;
//! 4. against the SDK regenerated after the breaking edits, each aimed at one module of the
//!    program (`src/breaking_<edit>.rs`): each of those modules fails to compile, the others do
//!    not, and `diff` calls the edits breaking.
//!
//! The verdicts come from cargo, not from the report; the test then checks that the report
//! agrees. The SDK of each step is generated first (steps 2 to 4 from the SDK of step 1); then
//! one scratch workspace holds the four SDKs and a copy of the program against each, and one
//! `cargo check --keep-going` compiles the four steps in parallel.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use upvest_sdk_generator::diff::{self, print, Report};
use upvest_sdk_generator::{generate_release, load, metadata, write, GroupSelection, Options};
use upvest_sdk_tests::harness::{cargo_outcome, read_tree, Scratch, SDK_FEATURES};
use upvest_sdk_tests::{repo_root, shared_dir};

/// The groups the program uses: enough for every edit, far less to compile than the whole API.
const GROUPS: &[&str] = &["Orders", "Users", "webhook-events"];

const PLACE_ORDER: &str = "/paths/~1orders/post";
const PLACE_ORDER_BODY: &str = "/paths/~1orders/post/requestBody/content/application~1json/schema";
const PLACE_ORDER_RESPONSE: &str =
    "/paths/~1orders/post/responses/202/content/application~1json/schema";
const RETRIEVE_ORDER_RESPONSE: &str =
    "/paths/~1orders~1{order_id}/get/responses/200/content/application~1json/schema";
const CREATE_USER_BODY: &str = "/paths/~1users/post/requestBody/content/application~1json/schema";
const CREATE_USER_RESPONSE: &str =
    "/paths/~1users/post/responses/200/content/application~1json/schema";
const ORDERS_WEBHOOK: &str =
    "/x-webhooks/Orders events/post/requestBody/content/application~1json/schema";

/// One edit of the description, as Upvest might make it in its next revision.
struct Edit {
    name: &'static str,
    apply: fn(&mut Value),
}

/// The node at `pointer`; an edit that no longer finds its place says so.
fn node<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the description has no {pointer}: the edit no longer applies"))
}

fn properties<'a>(doc: &'a mut Value, schema: &str) -> &'a mut serde_json::Map<String, Value> {
    node(doc, &format!("{schema}/properties"))
        .as_object_mut()
        .expect("properties are a map")
}

fn push(doc: &mut Value, pointer: &str, value: Value) {
    node(doc, pointer)
        .as_array_mut()
        .expect("a list")
        .push(value);
}

/// Every object under `root` with a property `name`, the property's schema, in place.
fn each_property(node: &mut Value, name: &str, visit: &mut dyn FnMut(&mut Value)) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                if let Some(property) = props.get_mut(name) {
                    visit(property);
                }
            }
            for child in map.values_mut() {
                each_property(child, name, visit);
            }
        }
        Value::Array(items) => {
            for child in items {
                each_property(child, name, visit);
            }
        }
        _ => {}
    }
}

/// Issue 8's compatible edits (but the one that needs a run of its own, [`side_everywhere`]).
fn compatible_edits() -> Vec<Edit> {
    vec![
        Edit {
            name: "a new optional field in place_order's request body",
            apply: |doc| {
                properties(doc, PLACE_ORDER_BODY).insert(
                    "note".into(),
                    json!({"type": "string", "description": "A note."}),
                );
            },
        },
        Edit {
            name: "a new optional field in a nested object of create_user's body (the address)",
            apply: |doc| {
                properties(
                    doc,
                    &format!("{CREATE_USER_BODY}/anyOf/0/properties/address"),
                )
                .insert("care_of".into(), json!({"type": "string"}));
            },
        },
        Edit {
            name: "a new error status (409) on place_order",
            apply: |doc| {
                let unprocessable = node(doc, &format!("{PLACE_ORDER}/responses/422")).clone();
                let responses = node(doc, &format!("{PLACE_ORDER}/responses"));
                let mut conflict = unprocessable;
                conflict["description"] = json!("Conflict: an order with this key exists.");
                responses
                    .as_object_mut()
                    .expect("responses are a map")
                    .insert("409".into(), conflict);
            },
        },
        Edit {
            name: "a new member in create_user's response union",
            apply: |doc| {
                push(
                    doc,
                    &format!("{CREATE_USER_RESPONSE}/anyOf"),
                    json!({
                        "title": "User (Corporate)",
                        "type": "object",
                        "required": ["id", "company_name"],
                        "properties": {
                            "id": {"type": "string", "format": "uuid"},
                            "company_name": {"type": "string"}
                        },
                        "additionalProperties": false
                    }),
                );
            },
        },
        Edit {
            name: "SHORT added to one copy of the side enum",
            apply: |doc| {
                push(
                    doc,
                    &format!("{PLACE_ORDER_BODY}/properties/side/enum"),
                    json!("SHORT"),
                )
            },
        },
        Edit {
            name: "a new field in place_order's response only",
            apply: |doc| {
                properties(doc, PLACE_ORDER_RESPONSE)
                    .insert("venue".into(), json!({"type": "string"}));
                push(
                    doc,
                    &format!("{PLACE_ORDER_RESPONSE}/required"),
                    json!("venue"),
                );
            },
        },
        Edit {
            name: "a title removed",
            apply: |doc| {
                let body = node(doc, PLACE_ORDER_BODY).as_object_mut().unwrap();
                assert!(
                    body.remove("title").is_some(),
                    "place_order's body has a title"
                );
            },
        },
        Edit {
            name: "a title changed",
            apply: |doc| {
                node(doc, RETRIEVE_ORDER_RESPONSE)["title"] = json!("Order - Details");
            },
        },
        Edit {
            name: "a new operation",
            apply: |doc| {
                let paths = node(doc, "/paths").as_object_mut().unwrap();
                paths.insert(
                    "/orders/{order_id}/notes".into(),
                    json!({"get": {
                        "operationId": "list_order_notes",
                        "x-doctave-tags": ["Orders"],
                        "tags": ["Orders"],
                        "parameters": [{"name": "order_id", "in": "path", "required": true,
                                        "schema": {"type": "string", "format": "uuid"}}],
                        "responses": {"200": {"description": "The notes.", "content": {
                            "application/json": {"schema": {
                                "type": "object",
                                "properties": {"notes": {"type": "array", "items": {"type": "string"}}}
                            }}
                        }}}
                    }}),
                );
            },
        },
        Edit {
            name: "a new webhook event type",
            apply: |doc| {
                push(
                    doc,
                    &format!("{ORDERS_WEBHOOK}/properties/type/enum"),
                    json!("ORDER.AMENDED"),
                )
            },
        },
        Edit {
            name: "a new optional query parameter (list_users)",
            apply: |doc| {
                push(
                    doc,
                    "/paths/~1users/get/parameters",
                    json!({"name": "country", "in": "query", "required": false,
                           "schema": {"type": "string"}}),
                );
            },
        },
    ]
}

/// `SHORT` added to every `side` enum under `paths` (not to the webhook copies).
fn side_everywhere(doc: &mut Value) {
    let mut found = 0;
    each_property(node(doc, "/paths"), "side", &mut |side| {
        if let Some(values) = side.get_mut("enum").and_then(Value::as_array_mut) {
            values.push(json!("SHORT"));
            found += 1;
        }
    });
    assert!(found >= 10, "only {found} side enums under paths");
}

/// The breaking edits, each aimed at the program module named after it.
fn breaking_edits() -> Vec<Edit> {
    vec![
        Edit {
            name: "required_field_added",
            apply: |doc| {
                properties(doc, PLACE_ORDER_BODY).insert("venue".into(), json!({"type": "string"}));
                let body = node(doc, PLACE_ORDER_BODY).as_object_mut().unwrap();
                let required = body.entry("required").or_insert_with(|| json!([]));
                required.as_array_mut().unwrap().push(json!("venue"));
            },
        },
        Edit {
            name: "field_removed",
            apply: |doc| {
                let removed = properties(doc, RETRIEVE_ORDER_RESPONSE).remove("status");
                assert!(removed.is_some(), "retrieve_order's response has a status");
            },
        },
        Edit {
            name: "operation_removed",
            apply: |doc| {
                let item = node(doc, "/paths/~1orders~1{order_id}")
                    .as_object_mut()
                    .unwrap();
                assert!(item.remove("delete").is_some(), "cancel_order exists");
            },
        },
        Edit {
            name: "enum_value_removed",
            apply: |doc| {
                let mut found = 0;
                // Every copy, webhook payloads included: a copy that still has STOP keeps it.
                each_property(doc, "order_type", &mut |property| {
                    if let Some(values) = property.get_mut("enum").and_then(Value::as_array_mut) {
                        values.retain(|v| v != "STOP");
                        found += 1;
                    }
                });
                assert!(found > 0, "order_type enums exist");
            },
        },
        Edit {
            name: "field_type_changed",
            apply: |doc| {
                properties(doc, PLACE_ORDER_BODY)["user_instrument_fit_acknowledgement"] =
                    json!({"type": "string"});
            },
        },
    ]
}

/// The steps' SDKs, each generated into `sdk-<step>` in a folder aside, the way `cargo xtask
/// generate --out` regenerates a crate.
struct Steps {
    aside: tempfile::TempDir,
    description: Value,
}

/// The steps, in order, and whether the program's `compatible` module is compiled in each.
const STEPS: [(&str, bool); 4] = [
    ("old", true),
    ("compatible", true),
    ("side-everywhere", true),
    ("breaking", false),
];

impl Steps {
    fn new(shared: &Path) -> Self {
        let text = std::fs::read_to_string(shared.join("upvest/openapi.yaml")).unwrap();
        let description: Value = serde_yaml::from_str(&text).unwrap();
        Self {
            aside: tempfile::tempdir().unwrap(),
            description,
        }
    }

    fn sdk(&self, step: &str) -> PathBuf {
        self.aside.path().join(format!("sdk-{step}"))
    }

    /// Writes `doc` as `<step>.json` and generates the SDK of `step` from it, starting from a
    /// copy of the SDK of step `from` (its recorded names and version), or from nothing.
    fn regenerate(
        &self,
        step: &str,
        from: Option<&str>,
        doc: &Value,
    ) -> (load::LoadedSpec, String) {
        if let Some(from) = from {
            copy_tree(&self.sdk(from), &self.sdk(step));
        }
        let path = self.aside.path().join(format!("{step}.json"));
        std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
        let label = format!("{step}.json");
        let spec = load::load_named(&path, Path::new(&label)).unwrap_or_else(|e| panic!("{e}"));
        let release = metadata::release(&self.sdk(step)).unwrap();
        let options = Options {
            spec: &path,
            spec_label: &label,
            groups: selection(),
        };
        let files = generate_release(&spec, &options, &release).unwrap_or_else(|e| panic!("{e}"));
        write::write(&files, &self.sdk(step)).unwrap();
        // Regenerating from the same description with the names just recorded changes nothing.
        let again = metadata::release(&self.sdk(step)).unwrap();
        let files = generate_release(&spec, &options, &again).unwrap();
        let drift = write::compare(&files, &self.sdk(step)).unwrap();
        assert!(drift.is_empty(), "{step}: {}", drift.report("regenerate"));
        (spec, label)
    }

    /// `cargo check` of the program against each step's SDK, all in one run (the `compatible`
    /// module where [`STEPS`] says so): per step, the files of the program that have errors,
    /// and cargo's messages.
    fn check(&self) -> (BTreeMap<&'static str, BTreeSet<String>>, String) {
        let program = read_tree(&repo_root().join("tests/fixtures/compat/whole-api"));
        let mut scratch = Scratch::new();
        let mut args = vec![
            "check".to_string(),
            "--message-format=short".into(),
            "--keep-going".into(),
        ];
        for (step, compatible) in STEPS {
            let sdk = format!("sdk-{step}");
            let package = format!("upvest-compat-{step}");
            scratch.renamed_sdk(&sdk, read_tree(&self.sdk(step)), &package);
            let user = format!("compat-user-{step}");
            let mut copy = program.clone();
            let manifest = copy.get_mut("Cargo.toml").expect("a manifest");
            *manifest = manifest
                .replacen("name = \"compat-user\"", &format!("name = \"{user}\""), 1)
                .replacen(
                    "upvest = { path = \"../sdk\" }",
                    &format!("upvest = {{ package = \"{package}\", path = \"../{sdk}\", {SDK_FEATURES} }}"),
                    1,
                );
            scratch.crate_files(&format!("user-{step}"), copy);
            args.extend(["-p".into(), user.clone()]);
            if compatible {
                args.extend(["--features".into(), format!("{user}/compatible")]);
            }
        }
        let dir = scratch.write("whole-api-compat");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (_, stderr) = cargo_outcome(&dir, &args);
        // A program's files as `src/...`; an SDK's as `sdk/src/...`.
        let mut failing: BTreeMap<&str, BTreeSet<String>> = STEPS
            .iter()
            .map(|(step, _)| (*step, BTreeSet::new()))
            .collect();
        for file in stderr
            .lines()
            .filter(|line| line.contains(": error"))
            .filter_map(|line| line.split(':').next())
        {
            let (folder, rest) = file.split_once('/').unwrap_or((file, ""));
            let (kind, step) = folder.split_once('-').unwrap_or((folder, ""));
            let shown = if kind == "user" {
                rest.to_string()
            } else {
                format!("{kind}/{rest}")
            };
            let (step, _) = STEPS
                .iter()
                .find(|(s, _)| *s == step)
                .unwrap_or_else(|| panic!("an error outside the steps: {file}\n{stderr}"));
            failing.get_mut(step).unwrap().insert(shown);
        }
        for (step, _) in STEPS {
            let success = !stderr.lines().any(|line| {
                [
                    format!("compat-user-{step}"),
                    format!("upvest-compat-{step}"),
                ]
                .iter()
                .any(|package| line.starts_with(&format!("error: could not compile `{package}`")))
            });
            assert_eq!(
                failing[step].is_empty(),
                success,
                "{step}: cargo's verdict and its messages disagree:\n{stderr}"
            );
        }
        (failing, stderr)
    }
}

fn selection() -> GroupSelection {
    GroupSelection::Only(GROUPS.iter().map(|g| g.to_string()).collect())
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn report(
    steps: &Steps,
    old: &(load::LoadedSpec, String),
    new: &(load::LoadedSpec, String),
    names: &upvest_sdk_generator::lock::NameLock,
) -> Report {
    diff::diff_specs_named((&old.0, &old.1), (&new.0, &new.1), &selection(), names)
        .unwrap_or_else(|e| panic!("{} {e}", steps.aside.path().display()))
}

fn kinds(report: &Report) -> Vec<String> {
    report
        .groups
        .iter()
        .flat_map(|g| &g.changes)
        .map(|c| c.kind.words())
        .collect()
}

#[test]
fn the_report_agrees_with_the_compiler() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let steps = Steps::new(&shared);
    let description = &steps.description;

    // The SDK of each step: 1. today's description; 2. every compatible edit at once; 3. SHORT
    // in every side enum under paths; 4. the breaking edits. 2 to 4 start from the SDK of 1.
    let old = steps.regenerate("old", None, description);
    let names = upvest_sdk_generator::lock::read(&steps.sdk("old")).unwrap();
    let mut compatible = description.clone();
    let edits = compatible_edits();
    for edit in &edits {
        (edit.apply)(&mut compatible);
    }
    let new = steps.regenerate("compatible", Some("old"), &compatible);
    let mut everywhere = description.clone();
    side_everywhere(&mut everywhere);
    let newer = steps.regenerate("side-everywhere", Some("old"), &everywhere);
    let mut breaking = description.clone();
    let breaking_edits = breaking_edits();
    for edit in &breaking_edits {
        (edit.apply)(&mut breaking);
    }
    let broken = steps.regenerate("breaking", Some("old"), &breaking);
    let (failing, stderr) = steps.check();

    // 1. The program compiles against the SDK of today's description.
    assert!(
        failing["old"].is_empty(),
        "the program must compile against the old SDK:\n{stderr}"
    );

    // 2. Every compatible edit at once: the program compiles unchanged; nothing breaks, and
    //    every edit that users can see is still reported.
    assert!(
        failing["compatible"].is_empty(),
        "compatible edits ({}) broke the program:\n{stderr}",
        edits.iter().map(|e| e.name).collect::<Vec<_>>().join("; ")
    );
    let compatible_report = report(&steps, &old, &new, &names);
    assert_eq!(
        compatible_report.summary.breaking,
        0,
        "{}",
        print::human(&compatible_report)
    );
    let found = kinds(&compatible_report);
    for expected in [
        "field added",
        "error status added",
        "union variant added",
        "enum value added",
        "operation added",
        "parameter added",
    ] {
        assert!(
            found.iter().any(|k| k == expected),
            "`{expected}` missing from the report:\n{}",
            print::human(&compatible_report)
        );
    }

    // 3. SHORT in every side enum under paths, from the SDK of step 1.
    assert!(
        failing["side-everywhere"].is_empty(),
        "SHORT in every side enum broke the program:\n{stderr}"
    );
    let side_report = report(&steps, &old, &newer, &names);
    assert_eq!(
        side_report.summary.breaking,
        0,
        "{}",
        print::human(&side_report)
    );
    assert!(
        kinds(&side_report).iter().any(|k| k == "enum value added"),
        "{}",
        print::human(&side_report)
    );

    // 4. The breaking edits, against the SDK of step 1: each breaks its own module only.
    let expected: BTreeSet<String> = breaking_edits
        .iter()
        .map(|e| format!("src/breaking_{}.rs", e.name))
        .collect();
    assert_eq!(failing["breaking"], expected, "{stderr}");
    let breaking_report = report(&steps, &old, &broken, &names);
    assert!(
        breaking_report.summary.breaking >= breaking_edits.len(),
        "{}",
        print::human(&breaking_report)
    );
    let found = kinds(&breaking_report);
    for expected in [
        "operation removed",
        "enum value removed",
        "field type changed",
    ] {
        assert!(
            found.iter().any(|k| k == expected),
            "`{expected}` missing from the report:\n{}",
            print::human(&breaking_report)
        );
    }
}
