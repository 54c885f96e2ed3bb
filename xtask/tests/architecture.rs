//! The workspace keeps its structural rules (see `xtask::archcheck`): no two sibling modules
//! of a crate import each other, and the backend names no source language.

#[test]
fn modules_import_one_way_and_the_backend_knows_no_language() {
    let root = xtask::workspace_root();
    let problems = xtask::archcheck::check_workspace(&root).expect("reading the workspace");
    assert!(
        problems.is_empty(),
        "structural rules broken:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn every_crate_is_checked() {
    let root = xtask::workspace_root();
    let dirs = xtask::archcheck::crate_source_dirs(&root).unwrap();
    for krate in [
        "rt",
        "jit",
        "minipy",
        "linker",
        "linker/core",
        "xtask",
        "qemu-tests",
        "freestand",
    ] {
        assert!(
            dirs.contains(&root.join(krate).join("src")),
            "{krate} not among {dirs:?}"
        );
    }
}
