//! `cargo xtask new`: the scaffolded crate builds with plain `cargo build`, runs natively and
//! under qemu-x86_64, and `cargo test` passes with three binaries (their unit tests, built as
//! std test harnesses, and the scaffold's tests/cli.rs).

use qemu_tests::{Exec, runners};
use std::path::Path;

/// `cargo ARGS` in `krate`, configured by the scaffold's own `.cargo/config.toml` alone.
fn cargo_in(krate: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    freestand::project::without_build_env(&mut cmd)
        .args(args)
        .current_dir(krate)
        .output()
        .unwrap()
}

#[test]
fn scaffolded_crate_builds_runs_and_tests() {
    // Outside the checkout, as a user's crates are.
    let dir = std::env::temp_dir().join(format!("freestand-scaffold-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // rt's sources and freestand-ld installed where cargo-freestand installs them (a home
    // of this test's own), as `cargo xtask new` does.
    // SAFETY: this test binary has one test; nothing else reads the environment meanwhile.
    unsafe { std::env::set_var("FREESTAND_HOME", dir.join("home")) };
    let ld = freestand::rtsrc::install_linker(&xtask::freestand_ld().unwrap()).unwrap();
    let krate = dir.join("my-prog");
    xtask::scaffold::new_crate(&krate, &ld).unwrap();
    // Nothing in the crate points into the checkout: it survives moving or deleting it.
    let root = qemu_tests::workspace_root().display().to_string();
    for f in [
        "Cargo.toml",
        ".cargo/config.toml",
        "src/main.rs",
        "tests/cli.rs",
    ] {
        let text = std::fs::read_to_string(krate.join(f)).unwrap();
        assert!(!text.contains(&root), "{f} names the checkout:\n{text}");
    }
    let toml = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap();
    assert!(toml.contains("freestand-rt-"), "{toml}");
    // Two more binaries, as a user adds them: each has its own entry! and unit test.
    let main = std::fs::read_to_string(krate.join("src/main.rs")).unwrap();
    std::fs::create_dir_all(krate.join("src/bin")).unwrap();
    for b in ["second", "third"] {
        std::fs::write(
            krate.join(format!("src/bin/{b}.rs")),
            main.replace("my-prog", b),
        )
        .unwrap();
    }
    let build = cargo_in(&krate, &["build", "--release", "-q"]);
    assert!(
        build.status.success(),
        "cargo build in the scaffolded crate failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
    for b in ["my-prog", "second", "third"] {
        let bin = krate
            .join("target/x86_64-unknown-linux-gnu/release")
            .join(b);
        for r in runners() {
            Exec::new(&bin).arg("tester").run(&r).assert(
                &format!("Hello from {b}, tester!\n"),
                "",
                0,
            );
        }
        // Linked by freestand-ld in rt's layout: one R+X and one R+W load, and small.
        let bytes = std::fs::read(&bin).unwrap();
        let elf = goblin::elf::Elf::parse(&bytes).unwrap();
        let loads = elf
            .program_headers
            .iter()
            .filter(|p| p.p_type == goblin::elf::program_header::PT_LOAD)
            .count();
        assert!(loads <= 2, "{b}: {loads} loads");
        assert!(
            bytes.len() < 4096,
            "{b}: a freestanding hello stays small: {} bytes",
            bytes.len()
        );
    }
    let config = std::fs::read_to_string(krate.join(".cargo/config.toml")).unwrap();
    assert!(config.contains("freestand-ld"), "{config}");
    // cargo test: three unit-test harnesses (std, linked through freestand-ld by cc) and
    // tests/cli.rs, which runs the debug binary natively and under QEMU (freestand-test,
    // installed beside rt) and counts its system calls.
    let test = cargo_in(&krate, &["test"]);
    let out = String::from_utf8_lossy(&test.stdout);
    let err = String::from_utf8_lossy(&test.stderr);
    assert!(test.status.success(), "cargo test failed:\n{out}\n{err}");
    let passed: usize = out
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(
        passed,
        3 + 3,
        "three unit tests and three cli tests:\n{out}"
    );
    // `cargo freestand build --release` and `size`'s view: the same crate through the
    // library cargo-freestand runs, which passes its settings on cargo's command line and
    // leaves a link map beside each binary.
    unsafe { std::env::set_var("FREESTAND_LD", &ld) };
    let b = freestand::project::Build {
        release: true,
        bins: Vec::new(),
        manifest: Some(krate.join("Cargo.toml")),
    };
    let mut bins = freestand::project::build(&b).unwrap();
    bins.sort_by(|x, y| x.name.cmp(&y.name));
    let names: Vec<&str> = bins.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["my-prog", "second", "third"]);
    for bin in &bins {
        let map = std::fs::read_to_string(bin.path.with_extension("map")).unwrap();
        assert!(map.contains("Per crate (bytes):"), "{map}");
        Exec::new(&bin.path).run(&runners()[0]).assert(
            &format!("Hello from {}, world!\n", bin.name),
            "",
            0,
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}
