//! `cargo xtask new`: the scaffolded crate builds with plain `cargo build` and runs.

use qemu_tests::{Exec, runners, scratch_dir};

#[test]
fn scaffolded_crate_builds_and_runs() {
    let dir = scratch_dir("scaffold");
    let krate = dir.join("my-prog");
    xtask::scaffold::new_crate(&krate).unwrap();
    let status =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["build", "--release", "-q"])
            .current_dir(&krate)
            // The scaffold's own .cargo/config.toml must be what configures the build.
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET")
            .status()
            .unwrap();
    assert!(
        status.success(),
        "cargo build in the scaffolded crate failed"
    );
    let bin = krate.join("target/x86_64-unknown-linux-gnu/release/my-prog");
    for r in runners() {
        Exec::new(&bin)
            .arg("tester")
            .run(&r)
            .assert("Hello from my-prog, tester!\n", "", 0);
    }
    // Linked by freestand-ld (the scaffold's linker), in rt's layout: one R+X and one R+W
    // load, and nothing a linker script would add.
    let config = std::fs::read_to_string(krate.join(".cargo/config.toml")).unwrap();
    assert!(config.contains("freestand-ld"), "{config}");
    let bytes = std::fs::read(&bin).unwrap();
    let elf = goblin::elf::Elf::parse(&bytes).unwrap();
    let loads = elf
        .program_headers
        .iter()
        .filter(|p| p.p_type == goblin::elf::program_header::PT_LOAD)
        .count();
    assert!(loads <= 2, "{loads} loads");
    let size = std::fs::metadata(&bin).unwrap().len();
    assert!(
        size < 16 * 1024,
        "a freestanding hello stays small: {size} bytes"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
