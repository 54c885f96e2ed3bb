//! `cargo xtask size --peers`: the coreutils-class examples (wc, head, ls, cp) beside the
//! same tools written on Rust's std (bench/tools-std: glibc, dynamically linked), the same
//! std sources on eyra (bench/tools-eyra: std without libc, where it builds — eyra needs
//! nightly, so it is built with RUSTC_BOOTSTRAP=1 and says so when that fails) and GNU
//! coreutils' own binaries. Before the sizes are compared, every build runs the same
//! commands as the example and must print the same, so that the table compares tools that
//! do the same thing.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::{cargo, workspace_root};

const TOOLS: [&str; 4] = ["wc", "head", "ls", "cp"];

/// One way of building the tools: its name and where its binaries are (None: not built,
/// with the reason).
struct Build {
    name: &'static str,
    dir: std::result::Result<PathBuf, String>,
}

/// Builds bench/`pkg` with its own target directory; `bootstrap`: as nightly (eyra).
fn build(pkg: &str, bootstrap: bool) -> std::result::Result<PathBuf, String> {
    let root = workspace_root();
    let target = root.join("target").join(pkg);
    let mut cmd = cargo();
    cmd.current_dir(root.join("bench").join(pkg))
        .args(["build", "--release", "--quiet"])
        .env("CARGO_TARGET_DIR", &target)
        // The workspace's own build settings are not these packages'.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    if bootstrap {
        cmd.env("RUSTC_BOOTSTRAP", "1");
    }
    let out = cmd.output().map_err(|e| format!("running cargo: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("cargo build failed");
        return Err(first.to_string());
    }
    Ok(target.join("release"))
}

/// What running `tool` with `args` in `dir` leaves: stdout, stderr, status, and for cp
/// the copied file's bytes.
fn run(tool: &Path, args: &[&str], dir: &Path) -> Result<(String, String, Option<i32>)> {
    let out = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .with_context(|| format!("running {}", tool.display()))?;
    Ok((
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    ))
}

/// The commands each build must answer exactly as the example does.
fn checks(tool: &str) -> Vec<Vec<&'static str>> {
    match tool {
        "wc" => vec![
            vec!["a.txt", "b.txt", "missing"],
            vec!["-l", "a.txt"],
            vec!["-x"],
        ],
        "head" => vec![
            vec!["-n", "2", "a.txt", "b.txt"],
            vec!["-c", "-3", "a.txt"],
            vec!["-n", "x"],
        ],
        "ls" => vec![vec!["-aF", "."], vec!["-r", "d", "a.txt", "missing"]],
        "cp" => vec![vec!["a.txt", "d"], vec!["d", "e"], vec!["only"]],
        _ => Vec::new(),
    }
}

/// A scratch directory with the inputs the checks use.
fn fixture() -> Result<PathBuf> {
    let dir = workspace_root().join("target/peers-fixture");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("d"))?;
    std::fs::write(dir.join("a.txt"), "one two\nthree\n\nfour  five six\n")?;
    std::fs::write(dir.join("b.txt"), "x\ty\nlast line without end")?;
    std::fs::write(dir.join("d/.hidden"), "")?;
    Ok(dir)
}

pub fn size_peers(examples: &Path) -> Result<()> {
    let builds = [
        Build {
            name: "std",
            dir: build("tools-std", false),
        },
        Build {
            name: "eyra",
            dir: build("tools-eyra", true),
        },
    ];
    let mut differ = Vec::new();
    for tool in TOOLS {
        for args in checks(tool) {
            // cp writes into the fixture: each run gets a fresh copy.
            let want = run(&examples.join(tool), &args, &fixture()?)?;
            for b in &builds {
                if let Ok(dir) = &b.dir {
                    let got = run(&dir.join(tool), &args, &fixture()?)?;
                    if got != want {
                        differ.push(format!(
                            "{tool} {args:?} on {}: {got:?}, not {want:?}",
                            b.name
                        ));
                    }
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(fixture()?);
    let size = |p: PathBuf| std::fs::metadata(p).map(|m| m.len().to_string());
    println!(
        "{:<6} {:>10} {:>12} {:>12} {:>16}",
        "tool", "rt", "std (glibc)", "eyra", "GNU coreutils"
    );
    for tool in TOOLS {
        let cell = |b: &Build| match &b.dir {
            Ok(d) => size(d.join(tool)).unwrap_or_else(|_| "?".into()),
            Err(_) => "-".into(),
        };
        println!(
            "{:<6} {:>10} {:>12} {:>12} {:>16}",
            tool,
            size(examples.join(tool)).unwrap_or_else(|_| "?".into()),
            cell(&builds[0]),
            cell(&builds[1]),
            size(PathBuf::from("/usr/bin").join(tool)).unwrap_or_else(|_| "-".into()),
        );
    }
    println!(
        "rt: the examples, linked by freestand-ld (static). std: bench/tools-std, dynamic \
         against glibc (libc.so itself not counted). eyra: the same sources on eyra (no \
         libc; no NEEDED library). These three: opt-level s, LTO, panic=abort, stripped. \
         GNU coreutils: /usr/bin, as the distribution ships them (dynamic)."
    );
    for b in &builds {
        if let Err(why) = &b.dir {
            println!("NOT BUILT: {} — {why}", b.name);
        }
    }
    if !differ.is_empty() {
        anyhow::bail!(
            "the builds do not behave alike, so their sizes are not comparable:\n{}",
            differ.join("\n")
        );
    }
    Ok(())
}
