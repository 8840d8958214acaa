//! Compatibility proven on edits the engine generates, not on edits a test lists.
//!
//! The SDK of Upvest's real description (groups Orders and Users, and the webhook events) is
//! generated, and the exhaustive usage program of its public API is written from its lowered
//! model (`upvest_sdk_tests::usage`). Then, per combination drawn by the evolution engine
//! (`upvest_sdk_tests::evolution`: 1 to 5 random compatible edits), the SDK is regenerated over
//! the first generation's record (`source/names.json`, as `cargo xtask generate` does for a
//! user), and:
//!
//! - the usage program, unchanged, must compile against it;
//! - `diff` must call the change non-breaking;
//! - the first (older) SDK must decode every example of the edited description whose type it
//!   has, as it is and as a newer server would send it (with the fields the older SDK lacks
//!   filled in, and the enum values it does not list: `lossless::newer_server`), and encode
//!   each again to an equal value, with no union value demoted to `Unknown` or moved to
//!   another variant: Upvest deploys a revision before its users regenerate.
//!
//! The other way round, every breaking operator is applied once (all in one description): the
//! usage program must fail to compile in the functions that use what each edit took away, and
//! `diff` must list a breaking change of that type or operation.
//!
//! One scratch workspace holds every SDK and a copy of the program against each, and one
//! `cargo check --keep-going` compiles them all (the dependencies once). Every disagreement is
//! reported per combination, with the seed, the index and the edits, so that it can be
//! replayed; none is allowed.
//!
//! `evolution_sample` is CI's small fixed sample; `evolution_long_run` (ignored) draws
//! `EVOLUTION_COUNT` combinations (200 by default) from `EVOLUTION_SEED` (see
//! docs/compatibility.md).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use upvest_sdk_generator::diff::{self, print, Report};
use upvest_sdk_generator::lock::NameLock;
use upvest_sdk_generator::model::{Api, TypeNames};
use upvest_sdk_generator::{
    generate_release, load, lower, metadata, validate, write, GroupSelection, Options, Release,
};
use upvest_sdk_tests::evolution::{self, Applied, Breaks, Context};
use upvest_sdk_tests::harness::{
    build_programs, cargo_outcome, lookup, read_tree, same_json, type_text, Outcome, RoundTrip,
    Scratch, CHANGED,
};
use upvest_sdk_tests::lossless;
use upvest_sdk_tests::shared_dir;
use upvest_sdk_tests::usage::{self, UsageProgram};

/// The groups generated: enough for every operator, far less to compile than the whole API.
const GROUPS: &[&str] = &["Orders", "Users", "webhook-events"];

/// CI's sample: few combinations, as each is an SDK to compile.
const SAMPLE_COMBINATIONS: u64 = 5;
/// The sample's seed: of the seeds tried, the one whose 5 combinations use the most compatible
/// operators (17 of 23: all but add_operation, deprecate, add_resource_group,
/// extract_component, rename_component and split_shared_component).
const SAMPLE_SEED: u64 = 0x5a3e_0038;

fn selection() -> GroupSelection {
    GroupSelection::Only(GROUPS.iter().map(|g| g.to_string()).collect())
}

/// A generated SDK: its folder, and the description it was generated from.
struct Generation {
    dir: PathBuf,
    spec: load::LoadedSpec,
    label: String,
}

/// The SDKs of one run, each generated into `sdk-<step>` in a folder aside.
struct Run {
    aside: tempfile::TempDir,
    base: Value,
    old: Generation,
    /// The first generation's record.
    names: NameLock,
    /// The first generation's model, from which the usage program is written.
    api: Api,
    program: UsageProgram,
}

impl Run {
    fn new(shared: &Path) -> Self {
        let text = std::fs::read_to_string(shared.join("upvest/openapi.yaml")).unwrap();
        let base: Value = serde_yaml::from_str(&text).unwrap();
        let aside = tempfile::tempdir().unwrap();
        let old = generate(aside.path(), "old", &base, None)
            .unwrap_or_else(|e| panic!("the real description does not generate: {e}"));
        let names = upvest_sdk_generator::lock::read(&old.dir).unwrap();
        let api = lower::lower(&old.spec, &selection(), &old.label, &NameLock::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            api.names, names,
            "the model lowered here is the one the first generation recorded"
        );
        let program = usage::program(&api);
        Self {
            aside,
            base,
            old,
            names,
            api,
            program,
        }
    }

    fn context(&self) -> Context<'_> {
        Context {
            groups: GROUPS,
            names: &self.names,
        }
    }
}

/// Writes `doc` as `<step>.json` and generates `sdk-<step>` from it, over the record of the
/// SDK in `over` (its names and version) when given.
fn generate(
    aside: &Path,
    step: &str,
    doc: &Value,
    over: Option<&Path>,
) -> Result<Generation, String> {
    let path = aside.join(format!("{step}.json"));
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    let label = format!("{step}.json");
    let spec = load::load_named(&path, Path::new(&label)).map_err(|e| e.to_string())?;
    validate::validate(&spec).map_err(|e| e.to_string())?;
    let release = match over {
        Some(dir) => metadata::release(dir).map_err(|e| e.to_string())?,
        None => Release::default(),
    };
    let options = Options {
        spec: &path,
        spec_label: &label,
        groups: selection(),
    };
    let files = generate_release(&spec, &options, &release).map_err(|e| e.to_string())?;
    let dir = aside.join(format!("sdk-{step}"));
    write::write(&files, &dir).map_err(|e| e.to_string())?;
    Ok(Generation { dir, spec, label })
}

/// One edited description and its verdicts.
struct Case {
    step: String,
    /// How to replay it.
    origin: String,
    applied: Vec<Applied>,
    /// The generated SDK; `None` when the generator refused the description (itself a
    /// failure).
    sdk: Option<PathBuf>,
    /// What `diff` reports from the first description to this one (taken right away, so that
    /// a long run does not keep every loaded description).
    report: Option<Result<Report, String>>,
    /// The examples of the edited description for the older SDK to decode (see
    /// [`older_sdk_inputs`]).
    decodes: Vec<Decode>,
    problems: Vec<String>,
}

/// An example of an edited description, for the older SDK: the key of the decoding program's
/// input (the type, [`CHANGED`], the step, the example's pointer and the label), and the value.
struct Decode {
    key: String,
    pointer: String,
    /// `edited` (the example as the description has it) or `newer` (as a newer server sends it).
    label: &'static str,
    value: Value,
    /// The properties a newer server added that the older SDK keeps as unknown.
    kept: Vec<(String, Value)>,
}

/// The examples of `spec` (an edited description) whose types the first SDK has (by name: the
/// record keeps names), each as it is and, where something in it is newer, as a newer server
/// would send it.
fn older_sdk_inputs(run: &Run, step: &str, spec: &load::LoadedSpec) -> Result<Vec<Decode>, String> {
    let api = lower::lower(spec, &selection(), step, &run.names).map_err(|e| e.to_string())?;
    let known: BTreeSet<&str> = run.api.types.iter().map(|t| t.name.as_str()).collect();
    let mut inputs = Vec::new();
    for example in &api.examples {
        let mut ids = example.rust_type.model_ids().into_iter();
        if !ids.all(|id| known.contains(api.type_name(id))) {
            continue;
        }
        let ty = type_text(&api, &example.rust_type);
        let value = lookup(&spec.raw, &example.pointer);
        let newer = lossless::newer_server(&api, &run.api, value, &example.rust_type);
        let edited = Some((value.clone(), Vec::new()));
        for (label, value) in [("edited", edited), ("newer", newer)] {
            if let Some((value, kept)) = value {
                inputs.push(Decode {
                    key: format!(
                        "{ty}{CHANGED}{step}{CHANGED}{}{CHANGED}{label}",
                        example.pointer
                    ),
                    pointer: example.pointer.clone(),
                    label,
                    value,
                    kept,
                });
            }
        }
    }
    Ok(inputs)
}

impl Case {
    fn new(run: &Run, step: String, origin: String, doc: &Value, applied: Vec<Applied>) -> Self {
        let mut problems = Vec::new();
        let mut decodes = Vec::new();
        let (sdk, report) = match generate(run.aside.path(), &step, doc, Some(&run.old.dir)) {
            Ok(new) => {
                match older_sdk_inputs(run, &step, &new.spec) {
                    Ok(inputs) => decodes = inputs,
                    Err(e) => problems.push(format!("lowering it again failed: {e}")),
                }
                let report = diff::diff_specs_named(
                    (&run.old.spec, &run.old.label),
                    (&new.spec, &new.label),
                    &selection(),
                    &run.names,
                )
                .map_err(|e| e.to_string());
                (Some(new.dir), Some(report))
            }
            Err(e) => {
                problems.push(format!("the generator refused it: {e}"));
                (None, None)
            }
        };
        Self {
            step,
            origin,
            applied,
            sdk,
            report,
            decodes,
            problems,
        }
    }

    fn describe(&self) -> String {
        let mut text = format!("{} ({})\n", self.step, self.origin);
        for a in &self.applied {
            let _ = writeln!(text, "    edit {a}");
        }
        for p in &self.problems {
            let _ = writeln!(text, "    FAIL {}", p.replace('\n', "\n         "));
        }
        text
    }
}

/// How many breaking changes `diff` reports from the first generation's description to `doc`.
fn breaking_in(run: &Run, step: &str, doc: &Value) -> Result<usize, String> {
    let path = run.aside.path().join(format!("{step}.json"));
    std::fs::write(&path, serde_json::to_string(doc).unwrap()).unwrap();
    let label = format!("{step}.json");
    let spec = load::load_named(&path, Path::new(&label)).map_err(|e| e.to_string())?;
    let report = diff::diff_specs_named(
        (&run.old.spec, &run.old.label),
        (&spec, &label),
        &selection(),
        &run.names,
    )
    .map_err(|e| e.to_string())?;
    Ok(report.summary.breaking)
}

/// For a failing combination: the first of its edits after which `diff` calls the description
/// breaking (replayed edit by edit), to tell which operator to blame.
fn first_breaking_edit(run: &Run, seed: u64, index: u64) -> String {
    let mut doc = run.base.clone();
    let mut found = None;
    let mut step = 0;
    evolution::compatible_steps(&mut doc, &run.context(), seed, index, &mut |doc, edit| {
        step += 1;
        if found.is_none() {
            match breaking_in(run, &format!("triage-{index}-{step}"), doc) {
                Ok(0) => {}
                Ok(n) => found = Some(format!("edit {step} ({edit}): diff reports {n} breaking")),
                Err(e) => found = Some(format!("edit {step} ({edit}): {e}")),
            }
        }
    });
    found.unwrap_or_else(|| "no single prefix of the edits is reported breaking".into())
}

/// What the compiler said of one step.
struct Compiled {
    /// The usage program's functions that fail to compile.
    functions: BTreeSet<String>,
    /// The errors in the usage program, as cargo printed them.
    errors: Vec<String>,
    /// The errors elsewhere: in the SDK, or outside the program's functions.
    other: Vec<String>,
}

/// The program that decodes examples with the first SDK, as built.
struct Decoder {
    program: RoundTrip,
    programs: BTreeMap<String, PathBuf>,
}

/// The package of the program that decodes with the first SDK.
const DECODER: &str = "evo-older-sdk-decodes";

/// What the compiler said of each step, with one `cargo check` of every step; and the program
/// that decodes the `types` with the first SDK (step `old`), built in the same workspace.
fn check_all(
    run: &Run,
    steps: &[(String, PathBuf)],
    types: &BTreeSet<String>,
) -> (BTreeMap<String, Compiled>, Decoder) {
    let mut scratch = Scratch::new();
    let program = RoundTrip::add_by_type(&mut scratch, "sdk-old", "upvest-evo-old", DECODER, types);
    let mut args = vec![
        "check".to_string(),
        "--message-format=short".into(),
        "--keep-going".into(),
    ];
    for (step, dir) in steps {
        let package = format!("upvest-evo-{step}");
        scratch.renamed_sdk(&format!("sdk-{step}"), read_tree(dir), &package);
        let user = format!("evo-user-{step}");
        scratch.checked_program(
            &format!("user-{step}"),
            &user,
            &package,
            &format!("sdk-{step}"),
        );
        scratch.file(
            format!("user-{step}/src/lib.rs"),
            run.program.source.clone(),
        );
        args.extend(["-p".into(), user]);
    }
    let dir = scratch.write("evolution");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, stderr) = cargo_outcome(&dir, &args);
    let programs = build_programs(&dir, &[DECODER.to_string()]);
    let compiled = steps
        .iter()
        .map(|(step, _)| {
            let program = format!("user-{step}/src/lib.rs:");
            let errors: Vec<String> = stderr
                .lines()
                .filter(|l| l.starts_with(&program) && l.contains(": error"))
                .map(str::to_string)
                .collect();
            let (functions, mut other) = run
                .program
                .functions_at(&format!("user-{step}/src/lib.rs"), &stderr);
            let sdk = format!("sdk-{step}/");
            other.extend(
                stderr
                    .lines()
                    .filter(|l| l.starts_with(&sdk) && l.contains(": error"))
                    .map(str::to_string),
            );
            let failed = stderr.lines().any(|l| {
                l.starts_with(&format!("error: could not compile `evo-user-{step}`"))
                    || l.starts_with(&format!("error: could not compile `upvest-evo-{step}`"))
            });
            if failed && functions.is_empty() && other.is_empty() {
                other.push(format!(
                    "cargo failed without an error we can place:\n{stderr}"
                ));
            }
            (
                step.to_string(),
                Compiled {
                    functions,
                    errors,
                    other,
                },
            )
        })
        .collect();
    (compiled, Decoder { program, programs })
}

/// Decodes every case's examples with the first SDK in one run of the program, and adds to
/// each case what was lost, failed or demoted. Returns how many values were decoded, and how
/// many of them as a newer server sends them.
fn decode_with_older_sdk(run: &Run, decoder: &Decoder, cases: &mut [Case]) -> (usize, usize) {
    let input: Vec<(&str, &Value)> = cases
        .iter()
        .flat_map(|c| c.decodes.iter().map(|d| (d.key.as_str(), &d.value)))
        .collect();
    let path = run.aside.path().join("older-sdk-decodes.json");
    std::fs::write(&path, serde_json::to_string(&input).unwrap()).unwrap();
    let outcomes = decoder.program.run_input(&decoder.programs, &path);
    let variants = lossless::union_variants(&run.api);
    let (mut decoded, mut newer) = (0, 0);
    for case in cases {
        let outcome = |d: &Decode| -> &Outcome { &outcomes[&d.key] };
        for d in &case.decodes {
            decoded += 1;
            let (result, _, shown) = outcome(d);
            let why = match result {
                Err(e) => Some(e.clone()),
                Ok(again) if !same_json(&d.value, again) => {
                    Some(format!("encodes again as {again}, not {}", d.value))
                }
                Ok(_) if d.label == "newer" => {
                    newer += 1;
                    // Against the same example as the description has it.
                    let edited = case
                        .decodes
                        .iter()
                        .find(|e| e.pointer == d.pointer && e.label == "edited")
                        .expect("each newer value has its example");
                    // What the kept properties add to the text names no variant of the value.
                    let shown = d.kept.iter().fold(shown.clone(), |text, (key, value)| {
                        lossless::without_kept(&text, key, value)
                    });
                    let chosen = lossless::chosen_variants(&shown, &variants);
                    let before = lossless::chosen_variants(&outcome(edited).2, &variants);
                    (chosen != before).then(|| format!("variants {chosen:?} instead of {before:?}"))
                }
                Ok(_) => None,
            };
            if let Some(why) = why {
                case.problems.push(format!(
                    "the older SDK, decoding {} ({}): {why}",
                    d.pointer, d.label
                ));
            }
        }
    }
    (decoded, newer)
}

/// The errors of the failing functions, as the compiler gave them (the first few).
fn errors_in(stderr_lines: &[String], limit: usize) -> String {
    stderr_lines
        .iter()
        .take(limit)
        .cloned()
        .collect::<Vec<_>>()
        .join("\n")
}

/// The breaking changes of a report, one line each.
fn breaking_lines(report: &Report) -> Vec<String> {
    report
        .groups
        .iter()
        .flat_map(|g| &g.changes)
        .filter(|c| c.breaking)
        .map(|c| {
            format!(
                "{} {}{}: {}",
                c.kind.words(),
                c.item,
                c.member
                    .as_ref()
                    .map(|m| format!(".{m}"))
                    .unwrap_or_default(),
                c.reason
            )
        })
        .collect()
}

/// The usage functions a breaking edit must make fail (any of them).
fn expected_failures(api: &Api, breaks: &Breaks) -> Vec<String> {
    match breaks {
        Breaks::Type(name) => ["t", "r", "s", "d", "e", "u"]
            .iter()
            .map(|p| format!("{p}_{name}"))
            .collect(),
        Breaks::Operation(id) => api
            .groups
            .iter()
            .flat_map(|g| &g.operations)
            .filter(|op| op.operation_id == *id)
            .map(|op| format!("op_{}", op.method_name))
            .collect(),
    }
}

/// The item of the change report a breaking edit must show up under.
fn expected_item(api: &Api, breaks: &Breaks) -> Vec<String> {
    match breaks {
        Breaks::Type(name) => vec![name.clone()],
        Breaks::Operation(_) => expected_failures(api, breaks)
            .iter()
            .map(|f| f.trim_start_matches("op_").to_string())
            .collect(),
    }
}

/// An edited description to check: its step name, how to replay it, the description, the
/// edits, and for a combination its index (to replay it edit by edit when it fails).
struct Drawn {
    step: String,
    origin: String,
    doc: Value,
    applied: Vec<Applied>,
    combination: Option<u64>,
}

/// Combinations `0..count` of `seed`.
fn draw_combinations(run: &Run, seed: u64, count: u64) -> Vec<Drawn> {
    (0..count)
        .map(|index| {
            let (doc, applied) =
                evolution::compatible_combination(&run.base, &run.context(), seed, index);
            assert!(
                !applied.is_empty(),
                "combination {index} of seed {seed:#x} applied no edit"
            );
            Drawn {
                step: format!("c{index}"),
                origin: format!("seed {seed:#x}, index {index}"),
                doc,
                applied,
                combination: Some(index),
            }
        })
        .collect()
}

/// Every breaking operator applied once, in one description (drawn from `seed`).
fn breaking_case(run: &Run, seed: u64) -> Case {
    let (doc, applied) = evolution::all_breaking(&run.base, &run.context(), seed);
    Case::new(
        run,
        "breaking".into(),
        format!("seed {seed:#x}, every breaking operator"),
        &doc,
        applied,
    )
}

/// Draws `count` combinations from `seed` and checks them (see [`evolve`]).
fn evolve_combinations(seed: u64, count: u64) {
    evolve(seed, &|run| draw_combinations(run, seed, count));
}

/// Checks the compatible descriptions `draw` makes, and every breaking operator, with one
/// cargo run; fails with the report of every disagreement.
fn evolve(seed: u64, draw: &dyn Fn(&Run) -> Vec<Drawn>) {
    let Some(shared) = shared_dir() else {
        return;
    };
    let run = Run::new(&shared);

    let drawn = draw(&run);
    let replay: Vec<Option<u64>> = drawn.iter().map(|d| d.combination).collect();
    let mut cases: Vec<Case> = drawn
        .into_iter()
        .map(|d| Case::new(&run, d.step, d.origin, &d.doc, d.applied))
        .collect();
    let mut broken = breaking_case(&run, seed);
    let breaking_count = evolution::operators()
        .iter()
        .filter(|o| !o.compatible)
        .count();
    assert_eq!(
        broken.applied.len(),
        breaking_count,
        "every breaking operator finds a target: {:?}",
        broken.applied
    );

    // The first SDK (the program's own check), then every description that generated.
    let steps: Vec<(String, PathBuf)> = std::iter::once(("old".to_string(), run.old.dir.clone()))
        .chain(
            cases
                .iter()
                .chain([&broken])
                .filter_map(|case| Some((case.step.clone(), case.sdk.clone()?))),
        )
        .collect();
    let types: BTreeSet<String> = cases
        .iter()
        .flat_map(|c| &c.decodes)
        .map(|d| d.key.split(CHANGED).next().unwrap_or_default().to_string())
        .collect();
    let (compiled, decoder) = check_all(&run, &steps, &types);
    let (decoded, newer) = decode_with_older_sdk(&run, &decoder, &mut cases);
    eprintln!(
        "the older SDK decoded {decoded} examples of the edited descriptions, {newer} of them \
         as a newer server sends them"
    );
    assert!(
        decoded > 0,
        "no example of an edited description was decoded with the older SDK"
    );

    // The usage program's own check: it compiles against the SDK it was written from.
    let Compiled {
        functions, other, ..
    } = &compiled["old"];
    assert!(
        functions.is_empty() && other.is_empty(),
        "the usage program does not compile against its own SDK: {functions:?}\n{}",
        errors_in(other, 40)
    );

    for case in &mut cases {
        if let Some(Compiled {
            functions,
            errors,
            other,
        }) = compiled.get(&case.step)
        {
            if !functions.is_empty() {
                case.problems.push(format!(
                    "the old usage program fails to compile in {}:\n{}",
                    functions.iter().cloned().collect::<Vec<_>>().join(", "),
                    errors_in(errors, 8)
                ));
            }
            if !other.is_empty() {
                case.problems
                    .push(format!("compiler errors:\n{}", errors_in(other, 20)));
            }
        }
        match &case.report {
            Some(Ok(report)) if report.summary.breaking > 0 => case.problems.push(format!(
                "diff calls it breaking:\n{}",
                breaking_lines(report).join("\n")
            )),
            Some(Err(e)) => case.problems.push(format!("diff failed: {e}")),
            _ => {}
        }
    }

    if let Some(Compiled {
        functions, other, ..
    }) = compiled.get(&broken.step)
    {
        if !other.is_empty() {
            broken.problems.push(format!(
                "compiler errors outside the program:\n{}",
                errors_in(other, 20)
            ));
        }
        let report = &broken.report;
        for a in &broken.applied {
            let breaks = a
                .breaks
                .as_ref()
                .expect("a breaking edit says what it breaks");
            let expected = expected_failures(&run.api, breaks);
            if !expected.iter().any(|f| functions.contains(f)) {
                broken.problems.push(format!(
                    "{a}: the program still compiles in {}",
                    expected.join(" / ")
                ));
            }
            if let Some(Ok(report)) = &report {
                let items = expected_item(&run.api, breaks);
                let listed = report
                    .groups
                    .iter()
                    .flat_map(|g| &g.changes)
                    .any(|c| c.breaking && items.contains(&c.item));
                if !listed {
                    broken.problems.push(format!(
                        "{a}: diff lists no breaking change of {}:\n{}",
                        items.join(" / "),
                        print::human(report)
                    ));
                }
            }
        }
        if let Some(Err(e)) = report {
            broken.problems.push(format!("diff failed: {e}"));
        }
    }

    for (case, replay) in cases.iter_mut().zip(replay) {
        if let (false, Some(index)) = (case.problems.is_empty(), replay) {
            let blamed = first_breaking_edit(&run, seed, index);
            case.problems.push(format!("first breaking: {blamed}"));
        }
    }

    let mut summary = String::new();
    let failing: Vec<&Case> = cases
        .iter()
        .chain([&broken])
        .filter(|c| !c.problems.is_empty())
        .collect();
    for case in cases.iter().chain([&broken]) {
        summary.push_str(&case.describe());
    }
    eprintln!("{summary}");
    let mut tally: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for case in &cases {
        for a in &case.applied {
            let entry = tally.entry(a.operator).or_default();
            entry.0 += 1;
            if !case.problems.is_empty() {
                entry.1 += 1;
            }
        }
    }
    let tally: String = tally
        .iter()
        .map(|(op, (used, in_failing))| {
            format!("  {op}: in {used} combinations, {in_failing} failing\n")
        })
        .collect();
    eprintln!("operators:\n{tally}");
    assert!(
        failing.is_empty(),
        "{} of {} cases disagree (compatible combinations must compile and be reported \
         non-breaking; breaking edits must fail and be reported breaking):\n\n{}\noperators:\n{tally}",
        failing.len(),
        cases.len() + 1,
        failing
            .iter()
            .map(|c| c.describe())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={text} is not a number")))
}

#[test]
fn evolution_sample() {
    evolve_combinations(SAMPLE_SEED, SAMPLE_COMBINATIONS);
}

/// `EVOLUTION_COUNT=200 EVOLUTION_SEED=0x... cargo test -p upvest-sdk-tests --test builds
/// evolution_long_run -- --ignored --nocapture`
#[test]
#[ignore = "long: hundreds of SDKs to compile (docs/compatibility.md)"]
fn evolution_long_run() {
    evolve_combinations(
        env_number("EVOLUTION_SEED").unwrap_or(evolution::SEED),
        env_number("EVOLUTION_COUNT").unwrap_or(200),
    );
}

/// Each compatible operator alone (or `EVOLUTION_OPERATOR` only), `EVOLUTION_COUNT` times (2
/// by default): which operators fail, one by one. `cargo test -p upvest-sdk-tests --test builds evolution_operator_sweep --
/// --ignored --nocapture`
#[test]
#[ignore = "long: two SDKs to compile per operator (docs/compatibility.md)"]
fn evolution_operator_sweep() {
    let seed = env_number("EVOLUTION_SEED").unwrap_or(evolution::SEED);
    let count = env_number("EVOLUTION_COUNT").unwrap_or(2);
    evolve(seed, &|run| {
        let mut drawn = Vec::new();
        // `EVOLUTION_OPERATOR=name` sweeps that operator only.
        let only = std::env::var("EVOLUTION_OPERATOR").ok();
        for operator in evolution::operators()
            .iter()
            .filter(|o| o.compatible && only.as_deref().is_none_or(|n| n == o.name))
        {
            for index in 0..count {
                let context = run.context();
                let alone = evolution::single(&run.base, &context, operator.name, seed, index)
                    .map(|(doc, applied)| (doc, vec![applied]));
                // The real description has no components: the operators on components run
                // after the edit that makes one shared component.
                let after_dedup = || {
                    let (base, first) = evolution::single(
                        &run.base,
                        &context,
                        "deduplicate_into_component",
                        seed,
                        index,
                    )?;
                    let (doc, then) =
                        evolution::single(&base, &context, operator.name, seed, index)?;
                    Some((doc, vec![first, then]))
                };
                let Some((doc, applied)) = alone.or_else(after_dedup) else {
                    panic!("{} finds no target", operator.name);
                };
                drawn.push(Drawn {
                    step: format!("{}-{index}", operator.name.replace('_', "-")),
                    origin: format!("seed {seed:#x}, {} alone, index {index}", operator.name),
                    doc,
                    applied,
                    combination: None,
                });
            }
        }
        drawn
    });
}

/// What `cargo semver-checks` says of `new` against `old` (two SDK crates): whether a major
/// version is required (a breaking change), with the lints that failed; `Err` when it could
/// not judge.
fn semver_checks(old: &Path, new: &Path, target: &Path) -> Result<(bool, Vec<String>), String> {
    let output = std::process::Command::new("cargo")
        .args(["semver-checks", "check-release", "--release-type", "minor"])
        .arg("--manifest-path")
        .arg(new.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(old)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .map_err(|e| format!("cargo semver-checks does not run: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let lints: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--- failure "))
        .map(|l| l.trim_end_matches(" ---").to_string())
        .collect();
    let major = text.contains("requires new major version");
    if !output.status.success() && lints.is_empty() {
        return Err(text.lines().rev().take(15).collect::<Vec<_>>().join("\n"));
    }
    Ok((major, lints))
}

/// cargo-semver-checks as a second judge (issue 20): `EVOLUTION_COUNT` combinations (20 by
/// default) from `EVOLUTION_SEED`, and the description with every breaking operator, each
/// judged by `cargo semver-checks` against the first SDK beside `diff`'s verdict; prints where
/// they disagree. Needs `cargo install cargo-semver-checks`. Measures, asserts only that both
/// judges ran: `cargo test -p upvest-sdk-tests --test builds evolution_semver_checks --
/// --ignored --nocapture`
#[test]
#[ignore = "long: a rustdoc of two SDKs per combination (docs/compatibility.md)"]
fn evolution_semver_checks() {
    let Some(shared) = shared_dir() else {
        return;
    };
    let seed = env_number("EVOLUTION_SEED").unwrap_or(evolution::SEED);
    let count = env_number("EVOLUTION_COUNT").unwrap_or(20);
    let run = Run::new(&shared);
    let mut cases: Vec<Case> = draw_combinations(&run, seed, count)
        .into_iter()
        .map(|d| Case::new(&run, d.step, d.origin, &d.doc, d.applied))
        .collect();
    cases.push(breaking_case(&run, seed));
    let target = upvest_sdk_tests::harness::nested_target().join("semver-checks");
    let (mut agree, mut disagree, mut failed) = (0, Vec::new(), Vec::new());
    for case in &cases {
        let (Some(sdk), Some(Ok(report))) = (&case.sdk, &case.report) else {
            failed.push(format!("{}: did not generate or diff", case.step));
            continue;
        };
        let by_diff = report.summary.breaking > 0;
        match semver_checks(&run.old.dir, sdk, &target) {
            Ok((by_semver, lints)) if by_semver == by_diff => {
                agree += 1;
                eprintln!("{}: both say breaking = {by_diff} {lints:?}", case.step);
            }
            Ok((by_semver, lints)) => disagree.push(format!(
                "{}diff: breaking = {by_diff} ({})\nsemver-checks: major = {by_semver} {lints:?}\n",
                case.describe(),
                breaking_lines(report).join("; ")
            )),
            Err(e) => failed.push(format!("{}: {e}", case.step)),
        }
    }
    eprintln!(
        "cargo-semver-checks and diff: {agree} agree, {} disagree, {} not judged\n{}\n{}",
        disagree.len(),
        failed.len(),
        disagree.join("\n"),
        failed.join("\n")
    );
    assert!(failed.is_empty(), "not judged: {failed:#?}");
}
