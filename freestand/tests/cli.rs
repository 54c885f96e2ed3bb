//! `cargo freestand` as cargo runs it (`cargo-freestand freestand …`), outside any
//! checkout: a new crate built, run and sized; Python run and compiled ahead of time.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXE: &str = env!("CARGO_BIN_EXE_cargo-freestand");
const LD: &str = env!("CARGO_BIN_EXE_freestand-ld");

/// A scratch directory outside the checkout.
fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cargo-freestand-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn freestand(dir: &Path, home: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(EXE);
    freestand::project::without_build_env(&mut cmd)
        .arg("freestand")
        .args(args)
        .current_dir(dir)
        .env("FREESTAND_HOME", home)
        .env("FREESTAND_LD", LD)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_new_crate_builds_runs_and_measures() {
    let d = scratch("new");
    let home = d.join("home");
    let o = freestand(&d, &home, &["new", "tool"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let krate = d.join("tool");
    let o = freestand(&krate, &home, &["run", "--release", "--", "you"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "Hello from tool, you!\n");
    let o = freestand(&krate, &home, &["size", "--by-crate"]);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        out.contains("tool ") && out.contains("bytes by crate"),
        "{out}"
    );
    // The file size column of the release binary.
    let size: u64 = out
        .lines()
        .find(|l| l.starts_with("tool "))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap();
    assert!(size < 4096, "{out}");
    let o = freestand(&krate, &home, &["test"]);
    assert!(
        o.status.success(),
        "{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn python_runs_and_compiles_ahead_of_time() {
    let d = scratch("py");
    std::fs::write(
        d.join("double.py"),
        "def double(n):\n    return 2 * n\n\nprint(double(arg(0)))\nprint(10 // arg(1))\n",
    )
    .unwrap();
    for mode in ["auto", "jit", "interp"] {
        let o = freestand(&d, &d, &["py", "--mode", mode, "double.py", "21", "0"]);
        assert_eq!(text(&o.stdout), "42\n", "{mode}");
        assert_eq!(o.status.code(), Some(1), "{mode}");
        let err = text(&o.stderr);
        assert_eq!(
            err.lines().last(),
            Some("ZeroDivisionError: integer division or modulo by zero"),
            "{err}"
        );
    }
    let o = freestand(
        &d,
        &d,
        &[
            "aot",
            "double.py",
            "-o",
            "double",
            "--run",
            "--native",
            "--",
            "4",
            "3",
        ],
    );
    assert_eq!(text(&o.stdout), "8\n3\n", "{}", text(&o.stderr));
    assert_eq!(o.status.code(), Some(0));
    // Arguments after `--` without --run are a usage error, not silently dropped.
    let o = freestand(&d, &d, &["aot", "double.py", "--", "4"]);
    assert!(!o.status.success());
    // A program the compiler refuses: the error names file and line and how to bundle it
    // (qemu-tests bundles with the runner); with --no-bundle, the refusal alone.
    std::fs::write(d.join("lists.py"), "xs = [3, 1, 2]\nprint(sorted(xs))\n").unwrap();
    let o = freestand(&d, &d, &["aot", "lists.py", "-o", "lists"]);
    let err = text(&o.stderr);
    assert!(!o.status.success());
    assert!(
        err.contains("lists.py:1: cannot compile ahead of time") && err.contains("--runner MINIPY"),
        "{err}"
    );
    let o = freestand(&d, &d, &["aot", "lists.py", "-o", "lists", "--no-bundle"]);
    let err = text(&o.stderr);
    assert!(!o.status.success() && err.contains("lists.py:1:") && !err.contains("--runner"));
    assert!(!d.join("lists").exists());
    std::fs::remove_dir_all(&d).unwrap();
}
