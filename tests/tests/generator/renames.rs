//! The user's own names (`<spec>.renames.yaml` beside the description): two operationIds that
//! become one method are resolved there, types can be renamed, and a rename that no longer
//! applies is an error naming the file, line and pointer.

use std::path::Path;

use upvest_sdk_generator::{generate, GroupSelection, Options};
use upvest_sdk_tests::repo_root;

/// The fixture whose operationIds `list-users` and `ListUsers` both become `list_users`.
fn colliding_spec() -> String {
    std::fs::read_to_string(
        repo_root().join("tests/fixtures/invalid/operation-ids-same-method.yaml"),
    )
    .unwrap()
}

fn generate_in(dir: &Path) -> upvest_sdk_generator::Result<upvest_sdk_generator::Files> {
    let spec = dir.join("api.yaml");
    generate(&Options {
        spec: &spec,
        spec_label: "api.yaml",
        groups: GroupSelection::All,
    })
}

#[test]
fn colliding_operation_ids_are_an_error_that_says_how_to_resolve_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("api.yaml"), colliding_spec()).unwrap();
    let err = generate_in(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("operationIds `list-users`") && err.contains("`ListUsers` both become"),
        "{err}"
    );
    assert!(err.contains("api.renames.yaml"), "{err}");
    assert!(err.contains("ListUsers: list_users_2"), "{err}");
    assert!(err.contains("#/paths/~1v2~1users/get/operationId"), "{err}");
}

#[test]
fn a_renames_file_gives_methods_and_types_the_users_names() {
    let dir = tempfile::tempdir().unwrap();
    let spec = colliding_spec().replace(
        "          description: The users, again.\n",
        "          description: The users, again.\n          content:\n            \
         application/json:\n              schema:\n                type: object\n                \
         properties:\n                  total: {type: integer}\n",
    );
    std::fs::write(dir.path().join("api.yaml"), spec).unwrap();
    std::fs::write(
        dir.path().join("api.renames.yaml"),
        "operations:\n  ListUsers: list_users_v2\ntypes:\n  ListUsersV2Response: UserCount\n",
    )
    .unwrap();
    let files = generate_in(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let users = &files["src/users.rs"];
    assert!(
        users.contains("pub fn list_users(&self) -> ListUsers"),
        "{users}"
    );
    assert!(
        users.contains("pub fn list_users_v2(&self) -> ListUsersV2"),
        "{users}"
    );
    assert!(
        users.contains("Response<crate::models::UserCount>"),
        "{users}"
    );
    assert!(files["src/models.rs"].contains("pub struct UserCount"));
    // The new name is recorded, so it stays even if the renames file goes.
    assert!(files["source/names.json"].contains("\"UserCount\""));
}

#[test]
fn a_rename_that_no_longer_applies_is_an_error_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("api.yaml"), colliding_spec()).unwrap();
    std::fs::write(
        dir.path().join("api.renames.yaml"),
        "operations:\n  ListUsers: list_users_v2\n  list_accounts: accounts\n",
    )
    .unwrap();
    let err = generate_in(dir.path()).unwrap_err().to_string();
    assert!(
        err.starts_with("api.renames.yaml:3:") && err.contains("#/operations/list_accounts"),
        "{err}"
    );
    assert!(
        err.contains("no operation has the operationId `list_accounts`"),
        "{err}"
    );

    std::fs::write(
        dir.path().join("api.renames.yaml"),
        "operations:\n  ListUsers: list_users_v2\ntypes:\n  Nope: Other\n",
    )
    .unwrap();
    let err = generate_in(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("#/types/Nope") && err.contains("no generated type is named `Nope`"),
        "{err}"
    );
}
