//! The crates meant for crates.io package cleanly: `cargo package` of freestand-rt,
//! freestand-jit and freestand-test (built from the packaged sources, against each other
//! through cargo's temporary registry) with no warning, each with both license files.

#[test]
fn publishable_crates_package_without_warnings() {
    let root = xtask::workspace_root();
    let target = root.join("target/package-check");
    let out =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args([
                "package",
                "--allow-dirty",
                "-p",
                "freestand-rt",
                "-p",
                "freestand-jit",
            ])
            .args(["-p", "freestand-test", "--target-dir"])
            .arg(&target)
            .current_dir(&root)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.to_lowercase().contains("warning"), "{err}");
    for krate in ["freestand-rt", "freestand-jit", "freestand-test"] {
        let file = target.join(format!("package/{krate}-0.1.0.crate"));
        let list = std::process::Command::new("tar")
            .arg("tzf")
            .arg(&file)
            .output()
            .unwrap();
        let list = String::from_utf8_lossy(&list.stdout);
        for f in ["LICENSE-MIT", "LICENSE-APACHE", "Cargo.toml", "src/lib.rs"] {
            assert!(
                list.lines().any(|l| l.ends_with(&format!("/{f}"))),
                "{krate} lacks {f}:\n{list}"
            );
        }
    }
}
