//! The current crate, whatever it is: its binaries built as freestanding executables
//! linked by freestand-ld, run natively or under qemu-x86_64, tested, measured.
//!
//! Everything is passed on cargo's command line (`--target`, `--config`), so a crate needs
//! no setup of its own; a crate made by `cargo freestand new` has the same settings in its
//! `.cargo/config.toml` and builds with plain cargo too.

use crate::TARGET;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// What to build.
#[derive(Clone, Debug, Default)]
pub struct Build {
    pub release: bool,
    /// Only these binaries (all of the crate's when empty).
    pub bins: Vec<String>,
    /// `--manifest-path`, when not the crate in the current directory.
    pub manifest: Option<PathBuf>,
}

/// A built binary: its name and path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binary {
    pub name: String,
    pub path: PathBuf,
}

/// freestand-ld: `FREESTAND_LD` if set, else beside this program (where `cargo install`
/// put both), else on PATH.
pub fn freestand_ld() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("FREESTAND_LD") {
        return Ok(PathBuf::from(p));
    }
    let beside = std::env::current_exe()
        .ok()
        .and_then(|e| Some(e.parent()?.join("freestand-ld")))
        .filter(|p| p.is_file());
    beside
        .or_else(|| crate::host::find_on_path("freestand-ld"))
        .context(
            "freestand-ld is not installed: `cargo install --path freestand` from the \
             freestand checkout installs it with cargo-freestand",
        )
}

/// rustc's flags for freestanding binaries linked by `ld`, which hands C runtime links
/// (test harnesses) to cc; `map_dir`: where freestand-ld writes link maps.
pub fn rustflags(ld: &Path, map_dir: Option<&Path>) -> Vec<String> {
    let mut f: Vec<String> = [
        "-C",
        "relocation-model=static",
        "-C",
        "linker-flavor=gcc",
        "-C",
    ]
    .map(String::from)
    .to_vec();
    f.push(format!("linker={}", ld.display()));
    if let Some(d) = map_dir {
        f.push("-C".into());
        f.push(format!("link-arg=-Wl,-Map={}", d.display()));
    }
    f
}

/// `cmd` (a cargo) without the build settings a surrounding cargo run leaves in the
/// environment, which would replace the crate's own or ours.
pub fn without_build_env(cmd: &mut Command) -> &mut Command {
    cmd.env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET")
}

/// `cargo SUBCOMMAND` for the crate with freestand's settings: the target, the flags.
fn cargo(sub: &str, b: &Build, flags: &[String]) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.arg(sub).args(["--target", TARGET]);
    if let Some(m) = &b.manifest {
        cmd.arg("--manifest-path").arg(m);
    }
    if b.release {
        cmd.arg("--release");
    }
    let list: Vec<String> = flags.iter().map(|f| format!("{f:?}")).collect();
    cmd.arg("--config")
        .arg(format!("target.{TARGET}.rustflags=[{}]", list.join(", ")));
    without_build_env(&mut cmd);
    cmd
}

/// The crate's target directory (`cargo metadata`).
fn target_dir(b: &Build) -> Result<PathBuf> {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(["metadata", "--format-version", "1", "--no-deps"]);
    if let Some(m) = &b.manifest {
        cmd.arg("--manifest-path").arg(m);
    }
    let out = cmd.output().context("running cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed (is this a crate?):\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("reading cargo metadata's output")?;
    v["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .context("cargo metadata named no target directory")
}

/// Builds the crate's binaries (or `b.bins`) and returns them; release builds leave a
/// link map `NAME.map` beside each.
pub fn build(b: &Build) -> Result<Vec<Binary>> {
    let ld = freestand_ld()?;
    let profile = if b.release { "release" } else { "debug" };
    let deps = target_dir(b)?.join(TARGET).join(profile).join("deps");
    std::fs::create_dir_all(&deps).with_context(|| format!("creating {}", deps.display()))?;
    let mut cmd = cargo("build", b, &rustflags(&ld, Some(&deps)));
    if b.bins.is_empty() {
        cmd.arg("--bins");
    }
    for n in &b.bins {
        cmd.args(["--bin", n]);
    }
    cmd.args(["--message-format", "json-render-diagnostics"]);
    let out = cmd
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running cargo build")?;
    let mut bins = Vec::new();
    for line in out.stdout.split(|&c| c == b'\n') {
        let Ok(msg) = serde_json::from_slice::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] == "compiler-artifact"
            && let Some(exe) = msg["executable"].as_str()
        {
            bins.push(Binary {
                name: msg["target"]["name"].as_str().unwrap_or("").to_string(),
                path: PathBuf::from(exe),
            });
        }
    }
    if !out.status.success() {
        bail!("cargo build failed ({})", out.status);
    }
    if bins.is_empty() {
        bail!("the crate has no binaries to build");
    }
    for bin in &bins {
        copy_link_map(&bin.path)?;
    }
    Ok(bins)
}

/// Builds and runs one binary with `args`: under qemu-x86_64 with `qemu`, else natively.
pub fn run(b: &Build, qemu: bool, args: &[String]) -> Result<ExitCode> {
    let bins = build(b)?;
    let bin = match bins.as_slice() {
        [one] => one,
        _ => bail!(
            "the crate has several binaries ({}): choose one with --bin",
            bins.iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    if qemu && crate::host::find_qemu().is_none() {
        crate::host::apt_install(&["qemu-user"], "--qemu")?;
    }
    crate::host::run_binary(&bin.path, !qemu, args)
}

/// `cargo test` with freestand's settings (unit-test harnesses go through freestand-ld to
/// cc; the binaries integration tests run are freestanding); `qemu`: every test executable
/// runs under qemu-x86_64 (cargo's runner).
pub fn test(b: &Build, qemu: bool, cargo_args: &[String]) -> Result<ExitCode> {
    let ld = freestand_ld()?;
    let mut cmd = cargo("test", b, &rustflags(&ld, None));
    if qemu {
        let q = match crate::host::find_qemu() {
            Some(q) => q,
            None => {
                crate::host::apt_install(&["qemu-user"], "--qemu")?;
                crate::host::find_qemu().context("qemu-x86_64 is still not on PATH")?
            }
        };
        let var = format!(
            "CARGO_TARGET_{}_RUNNER",
            TARGET.to_uppercase().replace('-', "_")
        );
        cmd.env(var, q);
    }
    let status = cmd
        .args(cargo_args)
        .status()
        .context("running cargo test")?;
    Ok(crate::host::exit_code_of(status))
}

/// The size table of the crate's binaries (release unless asked otherwise); `by_crate`:
/// each one's bytes by crate, from its link map.
pub fn size(b: &Build, by_crate: bool) -> Result<ExitCode> {
    let bins = build(b)?;
    println!(
        "{:<16} {:>9} {:>9} {:>9} {:>9}",
        "binary", "file", "code+ro", "data", "bss"
    );
    for bin in &bins {
        let bytes =
            std::fs::read(&bin.path).with_context(|| format!("reading {}", bin.path.display()))?;
        let s =
            crate::elf::segment_sizes(&bytes).with_context(|| bin.path.display().to_string())?;
        println!(
            "{:<16} {:>9} {:>9} {:>9} {:>9}",
            bin.name,
            bytes.len(),
            s.code + s.rodata,
            s.data,
            s.bss
        );
    }
    if by_crate {
        for bin in &bins {
            let map = bin.path.with_extension("map");
            let text = std::fs::read_to_string(&map).with_context(|| {
                format!(
                    "reading {} (link maps come with freestand-ld)",
                    map.display()
                )
            })?;
            let table = text
                .split_once("Per crate (bytes):\n")
                .map(|(_, t)| t)
                .with_context(|| format!("{}: no per-crate table", map.display()))?;
            println!("\n{}: bytes by crate (from {})", bin.name, map.display());
            print!("{table}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The link map of the executable at `exe` (`deps/NAME-HASH.map`, the newest) as
/// `NAME.map` beside it.
pub fn copy_link_map(exe: &Path) -> Result<()> {
    let name = exe
        .file_name()
        .context("an executable path has a file name")?
        .to_string_lossy()
        .replace('-', "_");
    let newest = std::fs::read_dir(exe.with_file_name("deps"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let f = e.file_name().to_string_lossy().into_owned();
            f.starts_with(&format!("{name}-")) && f.ends_with(".map")
        })
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
    if let Some(m) = newest {
        let to = exe.with_extension("map");
        std::fs::copy(m.path(), &to).with_context(|| format!("copying {}", to.display()))?;
    }
    Ok(())
}
