//! The committed SDK (`generated/`, as it is in the repository) as docs.rs builds it.

use upvest_sdk_tests::harness::{cargo, read_tree, Scratch};
use upvest_sdk_tests::repo_root;

/// Rustdoc with warnings denied (broken links, bad code blocks), with the fake's module, whose
/// docs docs.rs shows (it documents every feature). Run in the nested target directory, beside
/// the whole-API crate's docs with the same features, so the checked dependencies are shared.
#[test]
fn committed_sdk_docs_build_without_warnings() {
    let mut scratch = Scratch::new();
    scratch.crate_files("sdk", read_tree(&repo_root().join("generated")));
    let dir = scratch.write("committed-sdk");
    cargo(
        &dir,
        &["doc", "-p", "upvest", "--no-deps", "--features", "testing"],
    );
}
