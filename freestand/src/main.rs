//! `cargo freestand`: tiny freestanding Linux x86-64 executables from any crate.
//!
//! Install once from the checkout (`cargo install --path freestand`: cargo-freestand and
//! freestand-ld), then in any crate: `cargo freestand new`, `build`, `run`, `test`, `size`,
//! `inspect`, `py`, `aot`.

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use freestand::project::{self, Build};
use std::path::PathBuf;
use std::process::ExitCode;

/// Cargo runs `cargo-freestand freestand ARGS…`; run directly, the first word is a command.
#[derive(Parser)]
#[command(name = "cargo", bin_name = "cargo")]
enum Cargo {
    /// Tiny freestanding Linux x86-64 executables: build, run (natively or under
    /// qemu-x86_64), test, measure and inspect them; Python ahead of time.
    #[command(version)]
    Freestand(Cli),
}

#[derive(Args)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

/// Which of the crate's binaries, and how built.
#[derive(Args)]
struct Target {
    /// Only this binary (repeatable; all of them by default).
    #[arg(long = "bin", value_name = "NAME")]
    bins: Vec<String>,
    /// The crate's Cargo.toml, when not the one in the current directory.
    #[arg(long, value_name = "PATH")]
    manifest_path: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Cmd {
    /// A new freestanding crate at PATH: rt (installed with cargo-freestand), the size
    /// profile, a unit test, tests/cli.rs (native and qemu-x86_64 runs), freestand-ld.
    New {
        /// Where to create it; its last component is the crate's name.
        path: PathBuf,
    },
    /// Build the crate's binaries as freestanding static executables, linked by
    /// freestand-ld (release builds leave a link map NAME.map beside each).
    Build {
        #[command(flatten)]
        target: Target,
        /// Optimized (the size profile of the crate's [profile.release]).
        #[arg(long, short)]
        release: bool,
    },
    /// Build and run a binary: natively, or under qemu-x86_64 with --qemu.
    Run {
        #[command(flatten)]
        target: Target,
        #[arg(long, short)]
        release: bool,
        /// Under qemu-x86_64 user mode (installed with apt-get when missing and root).
        #[arg(long)]
        qemu: bool,
        /// The program's arguments (after `--`).
        #[arg(last = true, value_name = "ARGS")]
        args: Vec<String>,
    },
    /// `cargo test` with freestand's settings: unit tests on the host, integration tests
    /// running the freestanding binaries; --qemu runs every test executable under QEMU.
    Test {
        #[arg(long)]
        manifest_path: Option<PathBuf>,
        #[arg(long, short)]
        release: bool,
        #[arg(long)]
        qemu: bool,
        /// More arguments for `cargo test` (after `--`).
        #[arg(last = true, value_name = "CARGO_TEST_ARGS")]
        cargo_args: Vec<String>,
    },
    /// File, code, data and bss bytes of the crate's binaries (release build); --by-crate:
    /// what each crate contributes, from freestand-ld's link map.
    Size {
        #[command(flatten)]
        target: Target,
        /// A debug build instead.
        #[arg(long)]
        debug: bool,
        #[arg(long)]
        by_crate: bool,
    },
    /// What is inside an ELF file: summary, readelf's tables, sizes by crate and symbol,
    /// disassembly, JSON.
    Inspect(freestand::inspect::InspectArgs),
    /// Run a Python file (the minipy subset) with CPython's output, errors and exit status:
    /// interpreted and compiled to x86-64 as it runs.
    Py {
        /// The Python file.
        file: PathBuf,
        /// auto: interpret and compile what is hot; jit: compile at once; interp: never.
        #[arg(long, default_value = "auto", value_parser = ["auto", "jit", "interp"])]
        mode: String,
        /// Print the bytecode instead of running.
        #[arg(long)]
        dis: bool,
        /// The program's arguments (read with arg(i)).
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "ARGS"
        )]
        args: Vec<String>,
    },
    /// Compile a Python file (the minipy subset) ahead of time into a static executable
    /// (no interpreter, no JIT, no libc inside).
    Aot(freestand::aot::AotArgs),
}

fn main() -> ExitCode {
    // `cargo freestand inspect --disasm FILE | head` ends quietly, as readelf would.
    let _ = rt::sys::set_disposition(rt::sys::SIGPIPE, rt::sys::Disposition::Default);
    let Cargo::Freestand(cli) = Cargo::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cargo freestand: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cmd: Cmd) -> Result<ExitCode> {
    let build = |t: Target, release: bool| Build {
        release,
        bins: t.bins,
        manifest: t.manifest_path,
    };
    match cmd {
        Cmd::New { path } => {
            freestand::scaffold::new_crate(&path, &project::freestand_ld()?)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Build { target, release } => {
            for b in project::build(&build(target, release))? {
                let size = std::fs::metadata(&b.path).map_or(0, |m| m.len());
                eprintln!("==> {} ({size} bytes)", b.path.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run {
            target,
            release,
            qemu,
            args,
        } => project::run(&build(target, release), qemu, &args),
        Cmd::Test {
            manifest_path,
            release,
            qemu,
            cargo_args,
        } => {
            let b = Build {
                release,
                bins: Vec::new(),
                manifest: manifest_path,
            };
            project::test(&b, qemu, &cargo_args)
        }
        Cmd::Size {
            target,
            debug,
            by_crate,
        } => project::size(&build(target, !debug), by_crate),
        Cmd::Inspect(args) => freestand::inspect::inspect_cmd(args),
        Cmd::Py {
            file,
            mode,
            dis,
            args,
        } => {
            let mode = match mode.as_str() {
                "jit" => minipy::Mode::Jit,
                "interp" => minipy::Mode::Interp,
                _ => minipy::Mode::Auto,
            };
            freestand::py::run(&file, mode, dis, &args)
        }
        Cmd::Aot(args) => freestand::aot::aot_cmd(args),
    }
}
