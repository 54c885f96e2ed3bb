//! The parts of xtask that tests share: where the workspace is, how freestanding binaries
//! are built, and how to find and run QEMU.

pub mod archcheck;

pub use freestand::host::{apt_install, find_on_path, find_qemu, is_root};
pub use freestand::project::copy_link_map;
pub use freestand::{FREESTANDING_RUSTFLAGS, TARGET, aot_compile, elf, scaffold};

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// minipy's flags: the examples' own, and LLVM's inliner at a threshold of 60 (its default
/// at opt-level 3 is 250): the runner 1,637,560 → 1,378,064 bytes (−15.8%), minipy-aot
/// −18%, with the interpreter's callgrind counts within −0.0…+2.7% on the bench kernels
/// (most within 0.1%; 40, 90 and 120 each cost more somewhere: BENCHMARKS.md, "Inlining
/// for size"). Until 2026-12-06 they also aligned every branch target that is not fallen
/// into to 16 bytes and kept branches from crossing 32-byte boundaries; measured again with
/// the front end split off, that no longer paid on average and cost 151 KB (BENCHMARKS.md,
/// "The runner for size").
pub const MINIPY_RUSTFLAGS: &str =
    "-C relocation-model=static -C force-unwind-tables=no -C llvm-args=-inline-threshold=60";

/// The backend as the other examples (jit-calc) build it: for size. jit-calc compiles one
/// expression with the baseline tier and runs it once, and at opt-level "s" the backend is
/// 44% smaller and compiles no slower than the optimizing tier at opt-level 3 did
/// (BENCHMARKS.md, "jit-calc in 130 KB"); minipy's runner, whose JIT compiles hot code,
/// and host builds keep the workspace's opt-level 3.
pub const EXAMPLES_JIT_OPT_LEVEL: &str = "profile.release.package.freestand-jit.opt-level=\"s\"";

/// minipy's ahead-of-time compiler: built with the runner, installed beside it (`minipy
/// --aot` runs it).
pub const MINIPY_AOT: &str = "minipy-aot";

/// The workspace root (the directory above xtask/).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// The cargo that runs us (so `cargo +toolchain xtask` stays on that toolchain).
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(workspace_root());
    cmd
}

/// Build profile of the freestanding examples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    Release,
    Debug,
}

impl Profile {
    fn dir(self) -> &'static str {
        match self {
            Profile::Release => "release",
            Profile::Debug => "debug",
        }
    }
}

/// Which linker makes the examples' executables.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Linker {
    /// freestand-ld, this workspace's linker (`linker/src/ld`): rustc calls it directly.
    #[default]
    Freestand,
    /// The system's: rustc's default `cc` driver → rust-lld, with rt's linker script.
    System,
    /// `cc` → GNU ld (`-C linker-features=-lld`), with rt's linker script.
    GnuLd,
    /// `cc` → mold (`-fuse-ld=mold`), which reads no linker script: its own static layout.
    Mold,
}

impl Linker {
    /// rustc flags that select it (freestand-ld's path is added where it is built).
    fn flags(self) -> &'static str {
        match self {
            Linker::Freestand | Linker::System => "",
            Linker::GnuLd => " -C linker-features=-lld",
            Linker::Mold => " -C linker-features=-lld -C link-arg=-fuse-ld=mold",
        }
    }

    fn dir_suffix(self) -> &'static str {
        match self {
            Linker::Freestand => "",
            Linker::System => "-system",
            Linker::GnuLd => "-gnu-ld",
            Linker::Mold => "-mold",
        }
    }
}

/// Their own target directory, so the different RUSTFLAGS never invalidate host builds.
pub fn freestanding_target_dir() -> PathBuf {
    workspace_root().join("target").join("freestanding")
}

/// Where an example is built, and with which flags: minipy in a directory of its own (its
/// flags differ, and sharing one would rebuild rt and jit at every switch); the system
/// linker's outputs beside freestand-ld's, never over them.
fn build_setup(name: &str, linker: Linker) -> (PathBuf, &'static str) {
    let suffix = linker.dir_suffix();
    if name == "minipy" {
        (
            workspace_root()
                .join("target")
                .join(format!("freestanding-minipy{suffix}")),
            MINIPY_RUSTFLAGS,
        )
    } else {
        (
            workspace_root()
                .join("target")
                .join(format!("freestanding{suffix}")),
            FREESTANDING_RUSTFLAGS,
        )
    }
}

/// Where a built example lands (linked by freestand-ld).
pub fn example_path(name: &str, profile: Profile) -> PathBuf {
    example_path_with(name, profile, Linker::Freestand)
}

/// Where a built example lands when `linker` links it.
pub fn example_path_with(name: &str, profile: Profile, linker: Linker) -> PathBuf {
    build_setup(name, linker)
        .0
        .join(TARGET)
        .join(profile.dir())
        .join(name)
}

/// Builds freestand-ld (release, in a target directory of its own so that a build from
/// inside `cargo test` never waits on the workspace's lock) and returns its path.
pub fn freestand_ld() -> Result<PathBuf> {
    let dir = workspace_root().join("target").join("freestand-ld");
    let status = cargo()
        .args([
            "build",
            "--release",
            "-q",
            "-p",
            "cargo-freestand",
            "--bin",
            "freestand-ld",
        ])
        .arg("--target-dir")
        .arg(&dir)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .status()
        .context("running cargo build for freestand-ld")?;
    if !status.success() {
        bail!("building freestand-ld failed ({status})");
    }
    Ok(dir.join("release").join("freestand-ld"))
}

/// The examples: every `[[bin]]` under examples/src/bin, plus each package in a directory
/// of its own under examples/ (its binary is named like the directory).
pub fn example_names() -> Result<Vec<String>> {
    let root = workspace_root().join("examples");
    let dir = root.join("src/bin");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "rs") {
            names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    for entry in std::fs::read_dir(&root).with_context(|| format!("reading {}", root.display()))? {
        let path = entry?.path();
        if path.join("Cargo.toml").is_file() {
            names.push(path.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// The package an example belongs to: `examples`, or the package in examples/NAME (its
/// `[package]` name, e.g. `minipy-runner` for the `minipy` binary).
pub fn package_of(name: &str) -> Result<String> {
    let manifest = workspace_root()
        .join("examples")
        .join(name)
        .join("Cargo.toml");
    if !manifest.is_file() {
        return Ok("examples".to_string());
    }
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("reading {}", manifest.display()))?;
    text.lines()
        .find_map(|l| {
            let v = l
                .trim()
                .strip_prefix("name")?
                .trim_start()
                .strip_prefix('=')?;
            Some(v.trim().trim_matches('"').to_string())
        })
        .with_context(|| format!("{}: no package name", manifest.display()))
}

/// Builds the named examples (all when `names` is empty) as freestanding binaries, linked
/// by freestand-ld.
pub fn build_examples(names: &[String], profile: Profile) -> Result<()> {
    build_examples_with(names, profile, Linker::Freestand)
}

/// Builds the named examples (all when `names` is empty), linked by `linker`.
pub fn build_examples_with(names: &[String], profile: Profile, linker: Linker) -> Result<()> {
    build(names, profile, linker, false)
}

/// As [`build_examples`], saying nothing unless something is wrong (cargo's errors and
/// warnings still show): before a program's own output, as `cargo xtask py` runs it.
pub fn build_examples_quietly(names: &[String], profile: Profile) -> Result<()> {
    build(names, profile, Linker::Freestand, true)
}

fn build(names: &[String], profile: Profile, linker: Linker, quiet: bool) -> Result<()> {
    let known = example_names()?;
    for n in names {
        if !known.contains(n) {
            bail!("no example named `{n}` (examples: {})", known.join(", "));
        }
    }
    let wanted: Vec<String> = if names.is_empty() {
        known.clone()
    } else {
        names.to_vec()
    };
    // One cargo run per target directory and package: features are chosen per package
    // (examples/hello turns rt's defaults off), and one run would unify them.
    let mut groups: Vec<(PathBuf, &str, String, Vec<String>)> = Vec::new();
    let linker_flag = match linker {
        Linker::Freestand => {
            let ld = freestand_ld()?;
            for n in &wanted {
                forget_if_older(&example_path_with(n, profile, linker), &ld)?;
            }
            format!(" -C linker={}", ld.display())
        }
        other => other.flags().to_string(),
    };
    // freestand-ld writes each link map into rustc's deps directory (`-Map=DIR`); it is
    // copied beside the executable below.
    let map_flag = |dir: &Path| match linker {
        Linker::Freestand => {
            let deps = dir.join(TARGET).join(profile.dir()).join("deps");
            format!(" -C link-arg=-Map={}", deps.display())
        }
        _ => String::new(),
    };
    for n in &wanted {
        let (dir, flags) = build_setup(n, linker);
        let package = package_of(n)?;
        match groups.iter_mut().find(|g| g.0 == dir && g.2 == package) {
            Some(g) => g.3.push(n.clone()),
            None => groups.push((dir, flags, package, vec![n.clone()])),
        }
    }
    for (dir, flags, package, names) in groups {
        let map = map_flag(&dir);
        let mut cmd = cargo();
        if quiet {
            cmd.arg("-q");
        }
        cmd.args(["build", "--target", TARGET, "--target-dir"]);
        cmd.arg(dir);
        if profile == Profile::Release {
            cmd.arg("--release");
        }
        cmd.args(["-p", &package]);
        for n in &names {
            cmd.args(["--bin", n]);
        }
        if package == "minipy-runner" {
            // Only in this examples-only build: see examples/minipy/Cargo.toml. The AOT
            // compiler, a binary of its own, comes with the runner.
            cmd.args(["--features", "minipy-runner/aot", "--bin", MINIPY_AOT]);
        } else {
            cmd.args(["--config", EXAMPLES_JIT_OPT_LEVEL]);
        }
        // Ours replace any RUSTFLAGS from the environment; the encoded form would win over
        // them.
        cmd.env("RUSTFLAGS", format!("{flags}{linker_flag}{map}"))
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
        let status = cmd
            .status()
            .context("running cargo build for the examples")?;
        if !status.success() {
            bail!("building the examples failed ({status})");
        }
    }
    for name in wanted {
        let exe = example_path_with(&name, profile, linker);
        let mut built = vec![exe.clone()];
        if name == "minipy" {
            built.push(exe.with_file_name(MINIPY_AOT));
        }
        for exe in built {
            match linker {
                Linker::Freestand => copy_link_map(&exe)?,
                _ => trim_unmapped_tail(&exe)?,
            }
        }
    }
    Ok(())
}

/// Where `cargo xtask build` puts an example's link map (freestand-ld builds).
pub fn map_path(name: &str, profile: Profile) -> PathBuf {
    example_path(name, profile).with_extension("map")
}

/// Cargo does not know the linker is an input: when `ld` is newer than the executable at
/// `exe`, removes it (and rustc's copy in deps/) so that the build links it again.
fn forget_if_older(exe: &Path, ld: &Path) -> Result<()> {
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let (Some(built), Some(linker)) = (mtime(exe), mtime(ld)) else {
        return Ok(());
    };
    if built >= linker {
        return Ok(());
    }
    let name = exe
        .file_name()
        .context("an executable path has a file name")?
        .to_string_lossy()
        .replace('-', "_");
    let deps = exe.with_file_name("deps");
    for entry in std::fs::read_dir(&deps).into_iter().flatten().flatten() {
        let p = entry.path();
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.starts_with(&format!("{name}-")) && p.extension().is_none() {
            std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
        }
    }
    std::fs::remove_file(exe).with_context(|| format!("removing {}", exe.display()))
}

/// Cuts the zero bytes lld leaves past the last segment of a file without section headers
/// (see [`elf::unmapped_zero_tail`]).
pub fn trim_unmapped_tail(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if let Some(len) = elf::unmapped_zero_tail(&bytes) {
        std::fs::write(path, &bytes[..len])
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Date, CPU model, cores and kernel: the line every benchmark prints first and
/// BENCHMARKS.md records with each table.
pub fn machine_line() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let date = std::process::Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    format!(
        "machine: {cpu}, {cores} cores, Linux {}; date {}",
        kernel.trim(),
        date.unwrap_or_default()
    )
}

/// CPython itself, not a version manager's shim in front of it (pyenv's adds ~110 ms to
/// every run: to every benchmark against it, and to each of the suite's thousands of oracle
/// runs): `sys.executable` of the `python3` on PATH.
pub fn real_python() -> Result<PathBuf> {
    let out = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .context("running python3 (CPython is minipy's oracle and the benchmarks' reference)")?;
    let path = String::from_utf8(out.stdout)?.trim().to_string();
    if path.is_empty() {
        bail!("python3 did not name its executable");
    }
    Ok(PathBuf::from(path))
}

/// A PATH with a directory first whose one entry, `python3`, is [`real_python`]: the test
/// suites run `python3` as the oracle, and through a shim each run costs several times
/// CPython's own start-up. Only `python3` moves ahead of the rest of PATH.
pub fn path_with_real_python() -> Result<std::ffi::OsString> {
    let real = real_python()?;
    let dir = workspace_root().join("target/oracle-bin");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let link = dir.join("python3");
    if std::fs::read_link(&link).ok().as_deref() != Some(real.as_path()) {
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&real, &link)
            .with_context(|| format!("linking {} to {}", link.display(), real.display()))?;
    }
    let old = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![dir];
    dirs.extend(std::env::split_paths(&old));
    std::env::join_paths(dirs).context("PATH with the oracle's directory")
}

/// The median of `t`, in microseconds.
pub fn median_us(t: &mut [std::time::Duration]) -> f64 {
    t.sort();
    t[t.len() / 2].as_secs_f64() * 1e6
}

#[cfg(test)]
mod tests {
    /// minipy's flags are the examples' plus its own (written out: a `const` of another
    /// crate cannot be concatenated at compile time).
    #[test]
    fn minipy_flags_extend_the_freestanding_ones() {
        let extra = super::MINIPY_RUSTFLAGS.strip_prefix(super::FREESTANDING_RUSTFLAGS);
        assert_eq!(extra, Some(" -C llvm-args=-inline-threshold=60"));
    }
}
