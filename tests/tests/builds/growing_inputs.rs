//! Growing inputs, proven by the compiler: a user program written against the SDK of
//! `tests/fixtures/compat/old.yaml` compiles unchanged against the SDK of `new.yaml` (a new
//! optional field in an object nested in a request body, a new optional query parameter), and
//! programs that leave out a required body or path parameter, or build a struct with a literal,
//! do not compile.
//!
//! The README's "Using the SDK" example is checked in the same run, against the committed SDK.
//!
//! Everything is one workspace checked by one `cargo check --keep-going`.

use upvest_sdk_generator::{diff, load, GroupSelection};
use upvest_sdk_tests::harness::{cargo_outcome, Scratch, SDK_FEATURES};
use upvest_sdk_tests::repo_root;

/// The user's code: builds a request with a nested object, sends it, lists with an optional
/// parameter, reads responses.
const USER_PROGRAM: &str = r#"
use upvest::models::{OrderDetails, OrderPlaceRequest, Side};

pub async fn trade(client: &upvest::Client, user: upvest::uuid::Uuid) -> Result<String, upvest::Error> {
    let details = OrderDetails::new().note("first order");
    let body = OrderPlaceRequest::new("US0378331005", Side::Buy).details(details.clone());
    let placed = client.place_order(user, body).send().await?;
    let listed = client.list_orders(user).limit(10).send().await?;
    let OrderDetails { note, .. } = &details;
    let first = listed.data.data.first().map(|order| order.instrument_id.clone());
    Ok(format!("{} {note:?} {first:?}", placed.data.id))
}

fn main() {
    let _ = trade;
}
"#;

/// Programs that must not compile against the old SDK, with the error each must get.
const BROKEN: &[(&str, &str, &str)] = &[
    (
        "missing-body",
        "E0061",
        "pub async fn f(c: &upvest::Client, u: upvest::uuid::Uuid) { let _ = c.place_order(u).send().await; }",
    ),
    (
        "missing-path-param",
        "E0061",
        "pub async fn f(c: &upvest::Client) { let _ = c.list_orders().send().await; }",
    ),
    (
        "struct-literal",
        "E0639",
        "pub fn f() -> upvest::models::OrderDetails { upvest::models::OrderDetails { note: None } }",
    ),
];

/// The README's "Using the SDK" example, inside a function that provides what it takes.
fn readme_example() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let section = readme
        .split("## Using the SDK")
        .nth(1)
        .expect("the README has a \"Using the SDK\" section");
    let code = section
        .split("```rust,ignore\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the section starts with a Rust example");
    format!(
        "#![allow(unused)]\n\n\
         async fn example(secret: String, key_id: String, user_id: upvest::uuid::Uuid) \
         -> Result<(), Box<dyn std::error::Error>> {{\n{code}\nOk(())\n}}\n\nfn main() {{}}\n"
    )
}

fn program(scratch: &mut Scratch, name: &str, sdk: &str, source: &str) {
    let package = format!("upvest-compat-{sdk}");
    scratch.checked_program(name, name, &package, &format!("sdk-{sdk}"));
    let source = if source.contains("fn main") {
        source.to_string()
    } else {
        format!("{source}\n\nfn main() {{\n    let _ = f;\n}}\n")
    };
    scratch.file(format!("{name}/src/main.rs"), source);
}

#[test]
fn optional_inputs_added_keep_user_code_compiling_and_required_ones_cannot_be_left_out() {
    let fixtures = repo_root().join("tests/fixtures/compat");
    let mut scratch = Scratch::new();
    for sdk in ["old", "new"] {
        let spec = fixtures.join(format!("{sdk}.yaml"));
        let label = format!("tests/fixtures/compat/{sdk}.yaml");
        let package = format!("upvest-compat-{sdk}");
        scratch.sdk(
            &format!("sdk-{sdk}"),
            &spec,
            &label,
            GroupSelection::All,
            &package,
        );
        program(&mut scratch, &format!("user-{sdk}"), sdk, USER_PROGRAM);
    }
    for (name, _, source) in BROKEN {
        program(&mut scratch, name, "old", source);
    }
    scratch.file(
        "readme-example/Cargo.toml",
        format!(
            "[package]\nname = \"readme-example\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nupvest = {{ path = {:?}, {SDK_FEATURES} }}\n",
            repo_root().join("generated").display().to_string()
        ),
    );
    scratch.file("readme-example/src/main.rs", readme_example());
    scratch.member("readme-example");
    let dir = scratch.write("compat");

    let (ok, stderr) = cargo_outcome(
        &dir,
        &[
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=short",
        ],
    );
    assert!(!ok, "the broken programs must not compile:\n{stderr}");
    // What did not compile: `error: could not compile `NAME` (bin "NAME") ...`.
    let failed: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: could not compile `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    let mut expected: Vec<&str> = BROKEN.iter().map(|(name, _, _)| *name).collect();
    let mut found = failed.clone();
    expected.sort();
    found.sort();
    assert_eq!(found, expected, "{stderr}");
    for (name, code, _) in BROKEN {
        let error = format!("{name}/src/main.rs");
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&error) && l.contains(&format!("error[{code}]"))),
            "{name} fails with {code}:\n{stderr}"
        );
    }

    // The change report agrees: both edits are reported, neither breaks.
    let old = load::load(&fixtures.join("old.yaml")).unwrap();
    let new = load::load(&fixtures.join("new.yaml")).unwrap();
    let report = diff::diff_specs((&old, "old"), (&new, "new"), &GroupSelection::All).unwrap();
    assert_eq!(report.summary.changes, 2, "{}", diff::print::human(&report));
    assert_eq!(
        report.summary.breaking,
        0,
        "{}",
        diff::print::human(&report)
    );
}
