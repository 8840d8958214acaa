//! Generation time, as a bench binary: `cargo bench -p upvest-sdk-generator`.
//!
//! Prints the median of several in-process runs for the committed description (`spec/`) and, when
//! `../shared` is there, for Upvest's whole description next to the time openapiv3 alone takes to
//! parse the same file (the floor any generator built on it pays).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use upvest_sdk_generator::{
    format, generate, load, lower, render, validate, GroupSelection, Options,
};

/// Runs per figure; one when run as a test (`cargo test --benches`, CI's quick mode, where
/// the figures mean nothing and only a failure counts).
fn runs() -> usize {
    if std::env::args().any(|arg| arg == "--bench") {
        11
    } else {
        1
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(mut f: impl FnMut() -> T) -> Duration {
    let samples = (0..runs())
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    median(samples)
}

fn bench_generate(label: &str, spec: &Path) {
    let options = Options {
        spec,
        spec_label: label,
        groups: GroupSelection::All,
    };
    let files = generate(&options).expect("the description generates");
    let lines: usize = files.values().map(|text| text.lines().count()).sum();
    let elapsed = time(|| generate(&options).expect("generates"));
    println!(
        "generate {label}: median {:.1} ms over {} runs ({} files, {lines} lines)",
        elapsed.as_secs_f64() * 1e3,
        runs(),
        files.len()
    );
}

/// Where the time goes: each stage alone, on an already loaded description.
fn bench_stages(label: &str, spec: &Path) {
    let loaded = load::load(spec).expect("loads");
    let load_time = time(|| load::load(spec).expect("loads"));
    let validate_time = time(|| validate::validate(&loaded).expect("valid"));
    let api =
        lower::lower(&loaded, &GroupSelection::All, label, &Default::default()).expect("lowers");
    let lower_time = time(|| {
        lower::lower(&loaded, &GroupSelection::All, label, &Default::default()).expect("lowers")
    });
    let rendered = render::render(&api, "0.1.0").expect("renders");
    let render_time = time(|| render::render(&api, "0.1.0").expect("renders"));
    let format_time = time(|| format::format(rendered.clone(), label).expect("formats"));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "stages of {label} (median ms): load {:.1}, validate {:.1}, lower {:.1}, render {:.1}, format {:.1}",
        ms(load_time),
        ms(validate_time),
        ms(lower_time),
        ms(render_time),
        ms(format_time)
    );
}

fn bench_parse_only(label: &str, spec: &Path) {
    let source = std::fs::read_to_string(spec).expect("readable");
    let elapsed = time(|| serde_yaml::from_str::<openapiv3::OpenAPI>(&source).expect("parses"));
    println!(
        "parse {label} into openapiv3::OpenAPI: median {:.1} ms over {} runs",
        elapsed.as_secs_f64() * 1e3,
        runs()
    );
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    bench_generate(
        "spec/upvest-user-identifiers.yaml",
        &root.join("spec/upvest-user-identifiers.yaml"),
    );
    let shared = std::env::var_os("UPVEST_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    let whole = shared.join("upvest/openapi.yaml");
    if whole.is_file() {
        bench_generate("upvest/openapi.yaml", &whole);
        bench_stages("upvest/openapi.yaml", &whole);
        bench_parse_only("upvest/openapi.yaml", &whole);
    } else {
        println!(
            "(no {}: whole-description figures skipped)",
            whole.display()
        );
    }
}
