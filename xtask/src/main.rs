//! `cargo xtask` — build, run, test, size, bench and scaffold freestanding programs.

mod bench;
mod inspectbench;
mod linkbench;
mod peers;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use freestand::aot::{AotArgs, aot_cmd_with};
use freestand::host::{exit_code_of, run_binary};
use freestand::inspect::{InspectArgs, inspect_cmd};
use std::process::{Command, ExitCode};
use xtask::{
    Linker, Profile, build_examples, build_examples_with, example_names, example_path,
    example_path_with, find_qemu,
};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Build, run and test freestanding Linux x86-64 programs"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Build examples as freestanding static executables (all of them by default).
    Build {
        /// Examples to build (`cargo xtask size` lists them); all when none is given.
        examples: Vec<String>,
        /// Debug profile instead of release.
        #[arg(long)]
        debug: bool,
        /// Which linker makes the executables.
        #[arg(long, value_enum, default_value_t = Linker::Freestand)]
        linker: Linker,
    },
    /// Build an example and run it under qemu-x86_64 (natively if QEMU is missing).
    Run {
        /// The example to run (hello, wc, ls, jit-calc, minipy, ...).
        example: String,
        /// Run natively even if QEMU is installed.
        #[arg(long)]
        native: bool,
        /// Debug profile instead of release.
        #[arg(long)]
        debug: bool,
        /// Which linker makes the executable.
        #[arg(long, value_enum, default_value_t = Linker::Freestand)]
        linker: Linker,
        /// Arguments for the program (after `--`).
        #[arg(last = true)]
        args: Vec<String>,
    },
    /// Run the whole suite: `cargo test --workspace`, QEMU tests included.
    Test {
        /// Skip the QEMU half of qemu-tests (native runs still happen).
        #[arg(long)]
        no_qemu: bool,
        /// Extra arguments for `cargo test` (after `--`).
        #[arg(last = true)]
        cargo_args: Vec<String>,
    },
    /// Print a table of the examples' sizes.
    Size {
        /// Which linker makes the executables.
        #[arg(long, value_enum, default_value_t = Linker::Freestand)]
        linker: Linker,
        /// What each crate contributes to EXAMPLE (from freestand-ld's link map).
        #[arg(long, value_name = "EXAMPLE")]
        by_crate: Option<String>,
        /// Also wc, head, ls and cp built on std (glibc) and on eyra, and GNU's.
        #[arg(long)]
        peers: bool,
    },
    /// Benchmarks, measured side by side: startup | alloc | jit | py | aot | link | counts |
    /// inspect.
    Bench {
        /// Which benchmark.
        #[arg(value_enum)]
        which: bench::Which,
        /// fork+exec runs per program (startup).
        #[arg(long, default_value_t = 2000)]
        runs: usize,
    },
    /// Create a new freestanding crate on rt at PATH (as `cargo freestand new` does).
    New {
        /// Where to create it; its last component is the crate's name.
        path: std::path::PathBuf,
    },
    /// Compile a minipy program ahead of time into a static executable (no interpreter, no
    /// JIT, no libc inside).
    Aot(AotArgs),
    /// What is inside an ELF file: a one-screen summary, readelf's tables (--all or one by
    /// one), bloaty's size attribution (--sizes), objdump's disassembly (--disasm), JSON of
    /// each (--json). Exit status: 0 success, 1 a file that cannot be read, 2 bad usage.
    Inspect(InspectArgs),
    /// Differential soak tests: `cargo xtask soak py N` runs N more random minipy programs
    /// against CPython in every mode (seeds after the ones the normal suite uses);
    /// `cargo xtask soak aot N` compiles N random programs ahead of time and runs them
    /// against CPython (the suite's 200 seeds first); `cargo xtask soak ld N` links N
    /// mutated rustc objects and rlibs with freestand-ld, `soak inspect N` inspects N
    /// mutated ELF files, `soak fuzz N` runs N mutated corpus programs through minipy in
    /// every mode and ahead of time against CPython (each with a fresh seed, printed);
    /// `soak readelf N` compares inspect with readelf and nm on every system ELF file up to
    /// N MiB (the suite stops at 16).
    Soak {
        /// What to soak.
        #[arg(value_enum)]
        what: SoakTarget,
        /// How many programs, inputs or mutants (readelf: the largest file, in MiB).
        count: u64,
    },
    /// Run a minipy program: `cargo xtask py FILE [--mode interp|jit|auto] [--dis] [--stats] [--ir] [-- ARGS]`.
    Py {
        /// The Python file (the minipy subset).
        file: std::path::PathBuf,
        /// Execution mode.
        #[arg(long, value_enum, default_value_t = PyMode::Auto)]
        mode: PyMode,
        /// Print the bytecode instead of running.
        #[arg(long)]
        dis: bool,
        /// Report per function when it was compiled, compile time, code size and tier use.
        #[arg(long)]
        stats: bool,
        /// After the program, print the IR of everything compiled, as the passes leave it.
        #[arg(long)]
        ir: bool,
        /// Run under qemu-x86_64 instead of natively.
        #[arg(long)]
        qemu: bool,
        /// Program arguments (after `--`), read with arg(i).
        #[arg(last = true)]
        args: Vec<String>,
    },
}

/// What `cargo xtask soak` runs.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SoakTarget {
    /// Random minipy programs against CPython, in every mode.
    Py,
    /// Random minipy programs compiled ahead of time, against CPython.
    Aot,
    /// Mutated rustc objects and rlibs through freestand-ld: errors, never a panic.
    Ld,
    /// Mutated ELF files through inspect's every view: errors, never a panic or a hang.
    Inspect,
    /// Mutated corpus programs through minipy in every mode and AOT, against CPython.
    Fuzz,
    /// inspect against readelf and nm on every system ELF file up to N MiB.
    Readelf,
}

/// `cargo xtask inspect`'s arguments.
/// The minipy runner's `--mode`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PyMode {
    /// Tiered: interpret, compile hot functions and loops.
    Auto,
    /// Compile at the first call and the first loop turn.
    Jit,
    /// Never compile.
    Interp,
}

impl PyMode {
    fn as_arg(self) -> &'static str {
        match self {
            PyMode::Auto => "auto",
            PyMode::Jit => "jit",
            PyMode::Interp => "interp",
        }
    }
}

fn main() -> ExitCode {
    // `cargo xtask inspect --disasm FILE | head` ends quietly, as readelf would.
    let _ = rt::sys::set_disposition(rt::sys::SIGPIPE, rt::sys::Disposition::Default);
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn profile(debug: bool) -> Profile {
    if debug {
        Profile::Debug
    } else {
        Profile::Release
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Cmd::Build {
            examples,
            debug,
            linker,
        } => {
            eprintln!(
                "==> building {} (freestanding, {:?}, linked by {})",
                if examples.is_empty() {
                    "all examples".into()
                } else {
                    examples.join(", ")
                },
                profile(debug),
                linker_name(linker)
            );
            build_examples_with(&examples, profile(debug), linker)?;
            for name in if examples.is_empty() {
                example_names()?
            } else {
                examples
            } {
                let path = example_path_with(&name, profile(debug), linker);
                eprintln!(
                    "    {} ({} bytes)",
                    path.display(),
                    std::fs::metadata(&path)?.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run {
            example,
            native,
            debug,
            linker,
            args,
        } => run_example(&example, native, profile(debug), linker, &args),
        Cmd::Test {
            no_qemu,
            cargo_args,
        } => test(no_qemu, &cargo_args),
        Cmd::Size {
            by_crate: Some(name),
            ..
        } => size_by_crate(&name),
        Cmd::Size {
            linker,
            by_crate: None,
            peers,
        } => size(linker, peers),
        Cmd::Bench { which, runs } => bench::run(which, runs),
        Cmd::New { path } => {
            // The checkout's freestand-ld, copied where the new crate can keep using it.
            let ld = freestand::rtsrc::install_linker(&xtask::freestand_ld()?)?;
            xtask::scaffold::new_crate(&path, &ld).map(|_| ExitCode::SUCCESS)
        }
        Cmd::Py {
            file,
            mode,
            dis,
            stats,
            ir,
            qemu,
            args,
        } => py(&file, mode, [dis, stats, ir], qemu, &args),
        // A refused program is bundled with this checkout's runner, built when needed.
        Cmd::Aot(args) => aot_cmd_with(args, &|| {
            let minipy = vec![String::from("minipy")];
            xtask::build_examples_quietly(&minipy, Profile::Release)?;
            Ok(Some(xtask::example_path("minipy", Profile::Release)))
        }),
        Cmd::Inspect(args) => inspect_cmd(args),
        Cmd::Soak { what, count } => soak(what, count),
    }
}

/// A soak's worker count: the variable `name` if set, else every core.
fn jobs_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .to_string()
    })
}

/// `cargo xtask soak WHAT N`: the long randomized runs, each with its seed printed.
fn soak(what: SoakTarget, count: u64) -> Result<ExitCode> {
    let mut cmd = xtask::cargo();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64);
    if what == SoakTarget::Inspect {
        eprintln!("==> {count} mutated ELF files through inspect, INSPECT_SEED={seed}");
        // Debug: overflow checks turn silent wrap-arounds into failures.
        cmd.args(["test", "-q", "-p", "linker", "--test", "inspect_mutation"])
            .args(["mutants", "--", "--nocapture"])
            .env("INSPECT_MUTATIONS", count.to_string())
            .env("INSPECT_SEED", seed.to_string());
    } else if what == SoakTarget::Readelf {
        eprintln!("==> inspect against readelf and nm on every system ELF file up to {count} MiB");
        cmd.args(["test", "-q", "-p", "linker", "--test", "readelf"])
            .args(["--", "--nocapture"])
            .env("READELF_MAX_MB", count.to_string());
    } else if what == SoakTarget::Ld {
        eprintln!("==> {count} mutated inputs through freestand-ld, FLD_SEED={seed}");
        // Debug: overflow checks turn silent wrap-arounds into failures.
        cmd.args(["test", "-q", "-p", "qemu-tests"])
            .args(["--test", "freestand_ld", "mutated"])
            .args(["--", "--nocapture"])
            .env("FLD_MUTATIONS", count.to_string())
            .env("FLD_SEED", seed.to_string());
    } else if what == SoakTarget::Fuzz {
        eprintln!(
            "==> {count} mutated minipy programs, every mode and AOT, MINIPY_FUZZ_SEED={seed}"
        );
        cmd.args(["test", "-q", "-p", "qemu-tests", "--test", "minipy_fuzz"])
            .args(["--", "--nocapture"])
            .env("MINIPY_FUZZ_MUTANTS", count.to_string())
            .env("MINIPY_FUZZ_SEED", seed.to_string())
            .env("MINIPY_FUZZ_JOBS", jobs_env("MINIPY_FUZZ_JOBS"));
    } else if what == SoakTarget::Aot {
        // Seeds from a random start past the suite's (20,000..20,200).
        let from = 100_000 + seed % 1_000_000_000;
        eprintln!(
            "==> {count} random minipy programs compiled ahead of time, against CPython, \
             AOT_RANDOM_FROM={from}"
        );
        cmd.args(["test", "-q", "-p", "qemu-tests", "--test", "aot", "random"])
            .args(["--", "--nocapture"])
            .env("AOT_RANDOM", count.to_string())
            .env("AOT_RANDOM_FROM", from.to_string())
            .env("AOT_JOBS", jobs_env("AOT_JOBS"));
    } else {
        // Seeds from a random start past the suite's.
        let from = 100_000 + seed % 1_000_000_000;
        eprintln!(
            "==> {count} random minipy programs, {count} from the stress generator and {} from \
             the objects generator against CPython, every mode, \
             MINIPY_RANDOM_FROM=MINIPY_STRESS_FROM=MINIPY_OBJECTS_FROM={from}",
            count * 10
        );
        cmd.args([
            "test",
            "--release",
            "-q",
            "-p",
            "minipy",
            "--test",
            "random",
        ])
        .args(["--", "--nocapture"])
        .env("MINIPY_RANDOM", count.to_string())
        .env("MINIPY_RANDOM_FROM", from.to_string())
        .env("MINIPY_STRESS", count.to_string())
        .env("MINIPY_STRESS_FROM", from.to_string())
        .env("MINIPY_OBJECTS", (count * 10).to_string())
        .env("MINIPY_OBJECTS_FROM", from.to_string());
    }
    let status = cmd.status().context("running cargo test")?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn run_example(
    name: &str,
    native: bool,
    profile: Profile,
    linker: Linker,
    args: &[String],
) -> Result<ExitCode> {
    build_examples_with(&[name.to_string()], profile, linker)?;
    run_binary(&example_path_with(name, profile, linker), native, args)
}

fn linker_name(l: Linker) -> &'static str {
    match l {
        Linker::Freestand => "freestand-ld",
        Linker::System => "the system linker (cc → rust-lld)",
        Linker::GnuLd => "GNU ld (cc → ld.bfd)",
        Linker::Mold => "mold (cc → mold)",
    }
}

fn test(no_qemu: bool, cargo_args: &[String]) -> Result<ExitCode> {
    if no_qemu {
        eprintln!(
            "==> NOTE: --no-qemu: the QEMU half of qemu-tests will be SKIPPED (native runs only)"
        );
    } else if find_qemu().is_none() {
        xtask::apt_install(&["qemu-user"], "the QEMU tests")?;
        if find_qemu().is_none() {
            bail!("qemu-user was installed but qemu-x86_64 is still not on PATH");
        }
    }
    eprintln!("==> building the freestanding examples");
    build_examples(&[], Profile::Release)?;
    let _ = std::fs::remove_dir_all(xtask::workspace_root().join("target/test-notes"));
    // The oracle runs (python3, thousands of them) start CPython itself, not a shim.
    let path = match xtask::path_with_real_python() {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("==> NOTE: python3 as found on PATH (no real interpreter behind it: {e:#})");
            None
        }
    };
    eprintln!("==> cargo test --workspace");
    let mut totals = [0u64; 3];
    let mut all = xtask::cargo();
    all.args(["test", "--workspace"]).args(cargo_args);
    if let Some(p) = &path {
        all.env("PATH", p);
    }
    let status = run_counting(all, no_qemu, &mut totals)?;
    // rt's own tests again without its default features (stdout unbuffered, no stack
    // overflow report), the build examples/hello uses: a workspace build unifies them on.
    eprintln!("==> cargo test -p freestand-rt --lib --no-default-features");
    let mut bare = xtask::cargo();
    bare.args([
        "test",
        "-p",
        "freestand-rt",
        "--lib",
        "--no-default-features",
    ])
    .args(cargo_args);
    let bare_status = run_counting(bare, no_qemu, &mut totals)?;
    if no_qemu {
        eprintln!("==> NOTE: the QEMU half was SKIPPED (--no-qemu); only native runs were checked");
    }
    // Coverage notes the suites leave behind (e.g. corpus programs not compiled ahead of time).
    let notes = xtask::workspace_root().join("target/test-notes");
    if let Ok(rd) = std::fs::read_dir(&notes) {
        let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            if let Ok(text) = std::fs::read_to_string(&f) {
                eprintln!("==> NOTE: {}", text.trim_end());
            }
        }
    }
    println!(
        "total: {} passed, {} failed, {} skipped",
        totals[0], totals[1], totals[2]
    );
    if !status.success() {
        bail!("cargo test --workspace failed ({status})");
    }
    if !bare_status.success() {
        bail!("cargo test -p freestand-rt --no-default-features failed ({bare_status})");
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs a `cargo test` command, passing its output through while adding up every
/// harness's "test result:" line into `totals` (passed, failed, ignored).
fn run_counting(
    mut cmd: std::process::Command,
    no_qemu: bool,
    totals: &mut [u64; 3],
) -> Result<std::process::ExitStatus> {
    let mut child = cmd
        .env("FREESTAND_QEMU", if no_qemu { "skip" } else { "require" })
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("running cargo test")?;
    let stdout = child.stdout.take().expect("piped");
    for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
        let line = line.context("reading cargo test output")?;
        println!("{line}");
        if let Some(counts) = line.strip_prefix("test result: ") {
            for (i, word) in ["passed", "failed", "ignored"].iter().enumerate() {
                totals[i] += count_before(counts, word);
            }
        }
    }
    Ok(child.wait()?)
}

/// The number in front of `word` in "ok. 3 passed; 0 failed; ...".
fn count_before(counts: &str, word: &str) -> u64 {
    counts
        .split(';')
        .find_map(|part| {
            part.trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ")
                .strip_suffix(word)
        })
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// The per-crate table of an example's link map.
fn size_by_crate(name: &str) -> Result<ExitCode> {
    build_examples(&[name.to_string()], Profile::Release)?;
    let map = xtask::map_path(name, Profile::Release);
    let text =
        std::fs::read_to_string(&map).with_context(|| format!("reading {}", map.display()))?;
    let table = text
        .split_once("Per crate (bytes):\n")
        .map(|(_, t)| t)
        .with_context(|| format!("{}: no per-crate table", map.display()))?;
    println!("{name}: bytes by crate (from {})", map.display());
    print!("{table}");
    Ok(ExitCode::SUCCESS)
}

fn size(linker: Linker, peers: bool) -> Result<ExitCode> {
    build_examples_with(&[], Profile::Release, linker)?;
    println!(
        "{:<10} {:>9} {:>9} {:>9} {:>9}",
        "example", "file", "code+ro", "data", "bss"
    );
    for name in example_names()? {
        let path = example_path_with(&name, Profile::Release, linker);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let s = xtask::elf::segment_sizes(&bytes).with_context(|| path.display().to_string())?;
        println!(
            "{:<10} {:>9} {:>9} {:>9} {:>9}",
            name,
            bytes.len(),
            s.code + s.rodata,
            s.data,
            s.bss
        );
    }
    if peers {
        println!();
        let dir = example_path_with("wc", Profile::Release, linker);
        peers::size_peers(dir.parent().context("the examples' directory")?)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds the minipy runner (its messages on stderr, before the program starts), then runs
/// it with stdout, stderr and the exit status passed through unchanged.
fn py(
    file: &std::path::Path,
    mode: PyMode,
    [dis, stats, ir]: [bool; 3],
    qemu: bool,
    args: &[String],
) -> Result<ExitCode> {
    xtask::build_examples_quietly(&["minipy".to_string()], Profile::Release)?;
    let minipy = example_path("minipy", Profile::Release);
    let mut cmd = if qemu {
        let q = find_qemu()
            .context("--qemu: qemu-x86_64 is not installed (apt-get install qemu-user)")?;
        let mut c = Command::new(q);
        c.arg(&minipy);
        c
    } else {
        Command::new(&minipy)
    };
    cmd.args(["--mode", mode.as_arg()]);
    if dis {
        cmd.arg("--dis");
    }
    if stats {
        cmd.arg("--stats");
    }
    if ir {
        cmd.arg("--ir");
    }
    let status = cmd
        .arg(file)
        .args(args)
        .status()
        .with_context(|| format!("running {}", minipy.display()))?;
    Ok(exit_code_of(status))
}
