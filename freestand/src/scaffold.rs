//! `cargo freestand new PATH` (and `cargo xtask new`): a new freestanding crate on rt,
//! ready for `cargo run --release` and `cargo test`. It depends on rt's sources as
//! cargo-freestand installs them (`rtsrc`), never on a checkout, and links with freestand-ld
//! — by name when the one on PATH is the one given, else by its absolute path.

use crate::TARGET;
use anyhow::{Context, Result, bail};
use std::path::Path;

/// Creates the crate at `path` (its last component is the name), linking with `linker`.
pub fn new_crate(path: &Path, linker: &Path) -> Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .with_context(|| {
            format!(
                "{}: the last path component must be a crate name (letters, digits, - and _)",
                path.display()
            )
        })?;
    if path.exists() {
        bail!("{} already exists", path.display());
    }
    let rt = crate::rtsrc::install("freestand-rt")?;
    let harness = crate::rtsrc::install("freestand-test")?;
    let same = |a: &Path, b: &Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y);
    let ld = match crate::host::find_on_path("freestand-ld") {
        Some(on_path) if same(&on_path, linker) => "freestand-ld".to_string(),
        _ => linker.display().to_string(),
    };
    let files = render(
        name,
        &rt.display().to_string(),
        &harness.display().to_string(),
        &ld,
    );
    for (rel, text) in &files {
        let file = path.join(rel);
        std::fs::create_dir_all(file.parent().unwrap())
            .with_context(|| format!("creating {}", file.parent().unwrap().display()))?;
        std::fs::write(&file, text).with_context(|| format!("writing {}", file.display()))?;
    }
    eprintln!(
        "created {} (rt from {}) — build, run and test it with:\n    cd {} && cargo run --release && cargo test",
        path.display(),
        rt.display(),
        path.display()
    );
    Ok(())
}

/// The files of a new crate, as (relative path, contents); it links with freestand-ld at
/// `linker` (after `cargo install --path freestand`, plain `freestand-ld` works too).
///
/// freestand-ld links the crate's freestanding binaries itself and hands every C runtime
/// link (the unit-test harnesses `cargo test` builds, build scripts) to `cc`, so one
/// `.cargo/config.toml` serves `cargo build`, `cargo run` and `cargo test` alike; rt's
/// `entry!` is empty under `cfg(test)`, so any number of binaries have unit tests.
pub fn render(
    name: &str,
    rt_path: &str,
    harness_path: &str,
    linker: &str,
) -> Vec<(&'static str, String)> {
    vec![
        (
            "Cargo.toml",
            format!(
                r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"

[dependencies]
# rt's features: `stack-overflow-report` (one line and SIGABRT instead of a bare SIGSEGV,
# as std does; ~300 bytes) and `buffered-stdout` (a 32 KiB stdout buffer written when full
# and at exit, ~500 bytes). Without the buffer every write and `print!` is one system call,
# as std's line-buffered stdout makes one per line: this program is about 920 bytes. A
# tool that writes many small pieces wants the buffer: add "buffered-stdout" below (or drop
# `default-features = false`, which turns on both).
rt = {{ package = "freestand-rt", path = "{rt_path}", default-features = false, features = ["stack-overflow-report"] }}

[dev-dependencies]
# Runs the program natively and under qemu-x86_64 in tests/cli.rs.
freestand-test = {{ path = "{harness_path}" }}

# Freestanding binaries never unwind. (Cargo keeps unwinding for test harnesses.)
[profile.dev]
panic = "abort"

# Small by default, as freestand's own examples are built.
[profile.release]
panic = "abort"
opt-level = "s"
lto = true
codegen-units = 1
strip = true

[workspace]
"#
            ),
        ),
        (
            ".cargo/config.toml",
            format!(
                r#"[build]
target = "{TARGET}"

[target.{TARGET}]
# freestand-ld links the freestanding binaries (rustc's objects and rlibs in, rt's layout
# out, no C compiler or system linker) and hands C runtime links (test harnesses, build
# scripts) to cc; `linker-flavor=gcc` makes rustc pass it cc's arguments for those.
# relocation-model=static: no GOT or PLT indirection in a static executable.
rustflags = ["-C", "relocation-model=static", "-C", "linker={linker}", "-C", "linker-flavor=gcc"]
# `cargo run` runs natively; under QEMU user mode with
#   CARGO_TARGET_{target_env}_RUNNER=qemu-x86_64 cargo run
"#,
                target_env = TARGET.to_uppercase().replace('-', "_"),
            ),
        ),
        (
            "src/main.rs",
            format!(
                r#"//! {name}: a freestanding Linux x86-64 program on rt (no libc).
#![cfg_attr(not(test), no_std, no_main)]

rt::entry!(main);

/// Whom to greet: the first argument, or the world.
fn whom(arg: Option<&[u8]>) -> &[u8] {{
    arg.filter(|a| !a.is_empty()).unwrap_or(b"world")
}}

fn main() -> i32 {{
    let out = rt::io::stdout();
    let written = out
        .write_all(b"Hello from {name}, ")
        .and_then(|()| out.write_all(whom(rt::env::arg(1))))
        .and_then(|()| out.write_all(b"!\n"));
    // A full disk or a closed pipe is an error, as in any well-behaved tool.
    i32::from(written.is_err())
}}

#[cfg(test)]
mod tests {{
    use super::whom;

    #[test]
    fn greets_the_argument_or_the_world() {{
        assert_eq!(whom(Some(b"tester")), b"tester");
        assert_eq!(whom(Some(b"")), b"world");
        assert_eq!(whom(None), b"world");
    }}
}}
"#
            ),
        ),
        ("tests/cli.rs", CLI_TEST.replace("{name}", name)),
        (".gitignore", "/target\n".to_string()),
    ]
}

/// The scaffold's `tests/cli.rs`: the program run as a user runs it, natively and under
/// qemu-x86_64 user mode, with freestand-test.
const CLI_TEST: &str = r#"//! {name} run as a user runs it: natively and under qemu-x86_64 user mode, with
//! arguments and stdin, checking stdout, stderr and the exit status exactly.
//! (qemu-x86_64 is installed with apt-get when missing and the tests run as root;
//! FREESTAND_QEMU=skip runs only the native half, and says so.)

use freestand_test::{Exec, runners};

const EXE: &str = env!("CARGO_BIN_EXE_{name}");

#[test]
fn greets_the_first_argument() {
    for r in runners() {
        Exec::new(EXE)
            .arg("tester")
            .run(&r)
            .assert("Hello from {name}, tester!\n", "", 0);
    }
}

#[test]
fn greets_the_world_without_arguments() {
    for r in runners() {
        Exec::new(EXE)
            .stdin("ignored input")
            .run(&r)
            .assert("Hello from {name}, world!\n", "", 0);
    }
}

/// The whole program, system call by system call: rt's start (the alternate stack and
/// handler that report a stack overflow), the greeting's three pieces in a write each
/// (stdout is unbuffered: see Cargo.toml), the exit.
#[test]
fn makes_no_system_call_it_does_not_need() {
    if freestand_test::qemu_skipped() {
        eprintln!("NOTE: FREESTAND_QEMU=skip: the syscall budget (qemu -strace) is SKIPPED");
        return;
    }
    let calls = Exec::new(EXE).arg("x").syscalls();
    assert_eq!(
        calls,
        ["sigaltstack", "rt_sigaction", "write", "write", "write", "exit_group"]
    );
}
"#;
