//! `cargo xtask bench startup|alloc`: measurements side by side in one run, printed as
//! markdown tables for BENCHMARKS.md. Never assertions: these machines are noisy.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};
use xtask::{
    Profile, apt_install, build_examples, example_path, find_on_path, machine_line, median_us,
    workspace_root,
};

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Which {
    /// hello against C (glibc, musl), Rust std and asm: size, instructions, fork+exec time.
    Startup,
    /// rt's allocator against linked_list_allocator alone and glibc malloc.
    Alloc,
    /// JIT compile speed, and code quality against gcc -O2.
    Jit,
    /// minipy (interpreter and tiered JIT) against CPython, PyPy, LuaJIT (the Lua twins in
    /// bench/lua) and gcc -O2.
    Py,
    /// minipy ahead of time: file sizes, run time against minipy auto and gcc -O2, startup.
    Aot,
    /// Link time and output size of freestand-ld against rust-lld, GNU ld and mold, on the
    /// inputs rustc gives them for hello, jit-calc and the minipy runner.
    Link,
    /// Deterministic figures for before/after a change: callgrind instruction counts of the
    /// bench/py kernels in every mode and compiled ahead of time, and the size of every
    /// example and of each kernel's AOT executable.
    Counts,
    /// inspect's wall time and peak RSS (summary, --all, --symbols, --disasm, --sizes)
    /// against readelf -aW, nm -S, objdump -d and bloaty on the minipy runner and the
    /// largest ELF file under /usr/bin.
    Inspect,
}

pub fn run(which: Which, runs: usize) -> Result<ExitCode> {
    if let Which::Link = which {
        return crate::linkbench::run(runs);
    }
    if let Which::Inspect = which {
        return crate::inspectbench::run(runs);
    }
    println!("{}", machine_line());
    match which {
        Which::Link | Which::Inspect => unreachable!("handled above"),
        Which::Startup => startup(runs),
        Which::Alloc => cargo_bench("freestand-rt", "alloc"),
        Which::Jit => {
            cargo_bench("freestand-bench", "jit")?;
            compile_counts()?;
            size_table()
        }
        Which::Py => py(runs),
        Which::Aot => aot(runs),
        Which::Counts => counts(),
    }
}

/// `bench counts`: instruction counts and sizes, which do not move with machine noise.
fn counts() -> Result<ExitCode> {
    let valgrind = require_tool("valgrind", "valgrind")?;
    build_examples(&[], Profile::Release)?;
    let root = workspace_root();
    let minipy = example_path("minipy", Profile::Release);
    let out = root.join("target/bench-counts");
    std::fs::create_dir_all(&out)?;
    println!("cargo xtask bench counts  (user-space instructions, callgrind, whole process)\n");
    println!("| kernel | interp | jit | auto | AOT executable | AOT bytes |");
    println!("|---|---:|---:|---:|---:|---:|");
    for k in PY_KERNELS {
        let file = root.join("bench/py").join(format!("{k}.py"));
        let mut row = vec![k.to_string()];
        for mode in ["interp", "jit", "auto"] {
            let args = ["--mode".as_ref(), mode.as_ref(), file.as_os_str()];
            row.push(callgrind_instructions_with(&valgrind, &minipy, &args)?.to_string());
        }
        let exe = out.join(k);
        aot_compile(&minipy, &file, &exe)?;
        row.push(callgrind_instructions(&valgrind, &exe)?.to_string());
        row.push(std::fs::metadata(&exe)?.len().to_string());
        println!("| {} |", row.join(" | "));
    }
    // Programs with a function the JIT leaves to the interpreter: with compiled code on,
    // its calls should cost what the interpreter alone makes them cost.
    println!("\nFunctions the JIT refuses (bench/py/refused): auto against the interpreter\n");
    println!("| kernel | interp | auto | auto / interp |");
    println!("|---|---:|---:|---:|");
    let refused = root.join("bench/py/refused");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&refused)
        .with_context(|| format!("reading {}", refused.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    for file in files {
        let counts = ["interp", "auto"]
            .iter()
            .map(|mode| {
                let args = ["--mode".as_ref(), mode.as_ref(), file.as_os_str()];
                callgrind_instructions_with(&valgrind, &minipy, &args)
            })
            .collect::<Result<Vec<u64>>>()?;
        println!(
            "| {} | {} | {} | {:.2}× |",
            file.file_stem().unwrap_or_default().to_string_lossy(),
            counts[0],
            counts[1],
            counts[1] as f64 / counts[0] as f64
        );
    }
    println!("\n| example | file bytes |\n|---|---:|");
    for name in xtask::example_names()? {
        let len = std::fs::metadata(example_path(&name, Profile::Release))?.len();
        println!("| {name} | {len} |");
    }
    Ok(ExitCode::SUCCESS)
}

/// `minipy --aot file -o exe` with the runner at `minipy`.
fn aot_compile(minipy: &Path, file: &Path, exe: &Path) -> Result<()> {
    let o = Command::new(minipy)
        .arg("--aot")
        .arg(file)
        .arg("-o")
        .arg(exe)
        .output()
        .context("running minipy --aot")?;
    if !o.status.success() {
        bail!(
            "minipy --aot {} failed ({}): {}",
            file.display(),
            o.status,
            String::from_utf8_lossy(&o.stderr)
        );
    }
    Ok(())
}

/// `bench jit`'s size table: the file bytes of what the backend is inside of (the minipy
/// runner, jit-calc), of hello, and of each bench/py kernel compiled ahead of time.
fn size_table() -> Result<ExitCode> {
    build_examples(&[], Profile::Release)?;
    let minipy = example_path("minipy", Profile::Release);
    println!("\n| file | bytes |\n|---|---:|");
    for name in ["minipy", "jit-calc", "hello"] {
        let len = std::fs::metadata(example_path(name, Profile::Release))?.len();
        println!("| {name} (example) | {len} |");
    }
    let out = workspace_root().join("target/bench-sizes");
    std::fs::create_dir_all(&out)?;
    for k in PY_KERNELS {
        let exe = out.join(k);
        let file = workspace_root().join("bench/py").join(format!("{k}.py"));
        aot_compile(&minipy, &file, &exe)?;
        println!(
            "| bench/py/{k}.py ahead of time | {} |",
            std::fs::metadata(&exe)?.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs a `harness = false` bench target in release mode; its tables go to stdout.
fn cargo_bench(package: &str, bench: &str) -> Result<ExitCode> {
    let status = xtask::cargo()
        .args(["bench", "-q", "-p", package, "--bench", bench])
        .status()
        .context("running cargo bench")?;
    if !status.success() {
        bail!("the {bench} benchmark failed ({status})");
    }
    Ok(ExitCode::SUCCESS)
}

/// Compile speed in the portable form: callgrind instructions per emitted machine
/// instruction, each tier over the phases benchmark's synthetic modules (`phases
/// --compile-only`), less a run that only builds the same modules.
fn compile_counts() -> Result<()> {
    let valgrind = require_tool("valgrind", "valgrind")?;
    let out = xtask::cargo()
        .args([
            "bench",
            "-p",
            "freestand-bench",
            "--bench",
            "phases",
            "--no-run",
        ])
        .output()
        .context("building the phases benchmark")?;
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("building the phases benchmark failed:\n{err}");
    }
    // cargo names it: "  Executable benches/phases.rs (target/release/deps/phases-…)".
    let exe = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("Executable benches/phases.rs ("))
        .and_then(|l| l.strip_suffix(')'))
        .map(|p| workspace_root().join(p))
        .context("cargo did not name the phases benchmark's executable")?;
    println!(
        "\n| compile speed, callgrind (portable) | functions | machine instructions | instructions to compile | per machine instruction |"
    );
    println!("|---|---:|---:|---:|---:|");
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    for (tier, flags) in [
        ("optimizing, no verifier (minipy's JIT)", &[][..]),
        ("optimizing, verifier", &["--verify"][..]),
        ("baseline, no verifier", &["--baseline"][..]),
    ] {
        for (size, functions) in [("small", "2000 of ~10 IR ops"), ("large", "40 of ~1000")] {
            let mut args = vec![os("--compile-only"), os(size)];
            args.extend(flags.iter().map(|f| os(f)));
            let machine = Command::new(&exe)
                .args(&args)
                .output()
                .context("running the phases benchmark")?;
            let text = String::from_utf8_lossy(&machine.stdout);
            let emitted: u64 = text
                .lines()
                .find_map(|l| l.strip_suffix(" machine instructions in all"))
                .and_then(|n| n.trim().parse().ok())
                .context("the phases benchmark printed no instruction total")?;
            let all = callgrind_instructions_with(&valgrind, &exe, &args)?;
            args.push(os("--build-only"));
            let build = callgrind_instructions_with(&valgrind, &exe, &args)?;
            let compile = all.saturating_sub(build);
            println!(
                "| {tier}, {size} | {functions} | {emitted} | {compile} | {} |",
                compile / emitted.max(1)
            );
        }
    }
    Ok(())
}

fn require_tool(tool: &str, package: &str) -> Result<PathBuf> {
    if let Some(p) = find_on_path(tool) {
        return Ok(p);
    }
    apt_install(&[package], "the startup benchmark")?;
    find_on_path(tool).with_context(|| format!("{tool} still missing after installing {package}"))
}

fn sh(cmd: &mut Command) -> Result<()> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

struct Peer {
    name: &'static str,
    path: PathBuf,
}

fn startup(runs: usize) -> Result<ExitCode> {
    let valgrind = require_tool("valgrind", "valgrind")?;
    let musl_gcc = require_tool("musl-gcc", "musl-tools")?;
    let gcc = require_tool("gcc", "gcc")?;
    let src = workspace_root().join("xtask/bench");
    let out = workspace_root().join("target/bench-startup");
    std::fs::create_dir_all(&out)?;
    eprintln!("==> building hello and its peers");
    build_examples(&["hello".to_string()], Profile::Release)?;
    let p = |n: &str| out.join(n);
    sh(Command::new(&gcc)
        .args([
            "-nostdlib",
            "-static",
            "-no-pie",
            "-s",
            "-Wl,--build-id=none,-n,-z,noseparate-code,-z,norelro",
            "-o",
        ])
        .arg(p("hello-asm"))
        .arg(src.join("hello.S")))?;
    sh(Command::new(&gcc)
        .args(["-O2", "-static", "-s", "-o"])
        .arg(p("hello-glibc"))
        .arg(src.join("hello.c")))?;
    sh(Command::new(&musl_gcc)
        .args(["-Os", "-static", "-s", "-o"])
        .arg(p("hello-musl"))
        .arg(src.join("hello.c")))?;
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    sh(Command::new(rustc)
        .args([
            "-C",
            "opt-level=z",
            "-C",
            "lto",
            "-C",
            "panic=abort",
            "-C",
            "strip=symbols",
            "-C",
            "codegen-units=1",
            "-o",
        ])
        .arg(p("hello-std"))
        .arg(src.join("hello_std.rs")))?;
    let peers = [
        Peer {
            name: "asm (hand-written)",
            path: p("hello-asm"),
        },
        Peer {
            name: "freestand hello",
            path: example_path("hello", Profile::Release),
        },
        Peer {
            name: "C, musl static",
            path: p("hello-musl"),
        },
        Peer {
            name: "Rust std (z, LTO, abort, strip)",
            path: p("hello-std"),
        },
        Peer {
            name: "C, glibc static",
            path: p("hello-glibc"),
        },
    ];
    for peer in &peers {
        let o = Command::new(&peer.path)
            .output()
            .with_context(|| format!("running {}", peer.path.display()))?;
        if o.stdout != b"Hello, world!\n" || !o.status.success() {
            bail!(
                "{} printed {:?} ({})",
                peer.path.display(),
                String::from_utf8_lossy(&o.stdout),
                o.status
            );
        }
    }
    eprintln!("==> counting instructions with callgrind");
    let instructions: Vec<u64> = peers
        .iter()
        .map(|peer| callgrind_instructions(&valgrind, &peer.path))
        .collect::<Result<_>>()?;
    eprintln!("==> fork+exec, {runs} runs each, interleaved");
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); peers.len()];
    for round in 0..runs {
        // Rotate who goes first, so no program always runs right after the same neighbour.
        for k in 0..peers.len() {
            let i = (round + k) % peers.len();
            let peer = &peers[i];
            let t = Instant::now();
            let status = Command::new(&peer.path).stdout(Stdio::null()).status()?;
            times[i].push(t.elapsed());
            if !status.success() {
                bail!("{} failed ({status})", peer.path.display());
            }
        }
    }
    let medians: Vec<f64> = times.iter_mut().map(|t| median_us(t)).collect();
    println!("cargo xtask bench startup --runs {runs}\n");
    println!(
        "| program | file bytes | instructions (callgrind) | fork+exec median µs | mean µs | × asm (median) |"
    );
    println!("|---|---:|---:|---:|---:|---:|");
    for (i, peer) in peers.iter().enumerate() {
        let mean = times[i].iter().sum::<Duration>().as_secs_f64() * 1e6 / runs as f64;
        println!(
            "| {} | {} | {} | {:.1} | {:.1} | {:.3} |",
            peer.name,
            std::fs::metadata(&peer.path)?.len(),
            instructions[i],
            medians[i],
            mean,
            medians[i] / medians[0]
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// User-space instructions executed, from callgrind's "Collected : N" line.
fn callgrind_instructions(valgrind: &Path, program: &Path) -> Result<u64> {
    callgrind_instructions_with(valgrind, program, &[])
}

/// [`callgrind_instructions`] of `program` run with `args`.
fn callgrind_instructions_with(
    valgrind: &Path,
    program: &Path,
    args: &[&std::ffi::OsStr],
) -> Result<u64> {
    let o = Command::new(valgrind)
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(program)
        .args(args)
        .stdout(Stdio::null())
        .output()
        .context("running valgrind")?;
    let err = String::from_utf8_lossy(&o.stderr);
    err.lines()
        .find_map(|l| {
            l.split("Collected :")
                .nth(1)
                .and_then(|n| n.trim().parse().ok())
        })
        .with_context(|| {
            format!(
                "no 'Collected' line from callgrind for {}:\n{err}",
                program.display()
            )
        })
}

const PY_KERNELS: [&str; 8] = [
    "fib",
    "add_to_n",
    "collatz",
    "primes",
    "nested",
    "tak",
    "ackermann",
    "mod3",
];

/// Wall time of one run, checking the output.
fn timed(cmd: &mut Command, expect: &str) -> Result<Duration> {
    let t = Instant::now();
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {cmd:?}"))?;
    let elapsed = t.elapsed();
    let got = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || got.trim() != expect {
        bail!(
            "{cmd:?} printed {:?} ({}), expected {expect:?}",
            got.trim(),
            out.status
        );
    }
    Ok(elapsed)
}

fn py(runs: usize) -> Result<ExitCode> {
    let runs = runs.clamp(1, 5);
    let pypy = require_tool("pypy3", "pypy3")?;
    let luajit = require_tool("luajit", "luajit")?;
    let gcc = require_tool("gcc", "gcc")?;
    let root = workspace_root();
    let out = root.join("target/bench-py");
    let (minipy, cbin) = minipy_and_kernels(&out, &gcc)?;
    let python = xtask::real_python()?;
    println!(
        "cargo xtask bench py  (wall time of the whole process, median of {runs}; ratio to CPython in brackets; CPython is {})\n",
        python.display()
    );
    println!(
        "| kernel | CPython 3.11 | PyPy | LuaJIT | minipy interp | minipy auto | gcc -O2 | auto / gcc | auto / LuaJIT |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for k in PY_KERNELS {
        let file = root.join("bench/py").join(format!("{k}.py"));
        let f = file.as_os_str();
        // The Lua twin of the kernel (bench/lua), for LuaJIT.
        let lua = root.join("bench/lua").join(format!("{k}.lua"));
        let medians = kernel_medians(
            runs,
            &cbin,
            k,
            &[
                &[python.as_os_str(), f],
                &[pypy.as_os_str(), f],
                &[luajit.as_os_str(), lua.as_os_str()],
                &[minipy.as_os_str(), "--mode".as_ref(), "interp".as_ref(), f],
                &[minipy.as_os_str(), "--mode".as_ref(), "auto".as_ref(), f],
            ],
        )?;
        let cpy = medians[0];
        let cell = |t: f64| format!("{t:.3} s ({:.1}×)", cpy / t);
        println!(
            "| {k} | {:.3} s | {} | {} | {} | {} | {} | {:.2} | {:.2} |",
            cpy,
            cell(medians[1]),
            cell(medians[2]),
            cell(medians[3]),
            cell(medians[4]),
            cell(medians[5]),
            medians[4] / medians[5],
            medians[4] / medians[2]
        );
    }
    // Time to the first output line of a 100-line program.
    let prog = out.join("hundred.py");
    let mut text = String::from("print(1)\n");
    for i in 0..99 {
        text.push_str(&format!("x{i} = {i} * 2 + 1\n"));
    }
    std::fs::write(&prog, text)?;
    let mut first = Vec::new();
    for _ in 0..200 {
        first.push(first_line_time(Command::new(&minipy).arg(&prog))?);
    }
    let mut cpy_first = Vec::new();
    for _ in 0..50 {
        cpy_first.push(first_line_time(Command::new(&python).arg(&prog))?);
    }
    println!(
        "\nFirst output line of a 100-line program: minipy {:.2} ms, CPython {:.2} ms (median of 200 and 50 runs, from spawn to the line arriving)",
        median_us(&mut first) / 1e3,
        median_us(&mut cpy_first) / 1e3
    );
    let peers = (python.as_path(), pypy.as_path(), minipy.as_path());
    let big = "Ints past 64 bits (bench/py/big";
    peer_table(runs, peers, None, "big", &["factorial", "fib"], big)?;
    // Lists, strings and dicts (issue 16's kernels): the JIT compiles the list kernels
    // (gcc -O2 twins in bench/c/py_kernels.c), the interpreter runs the rest; `script` is
    // an ordinary main() whose loops the JIT compiles between its prints, `toplevel` the
    // same script at the top level (its loops in the module code, on globals).
    let objects = "Lists, strings and dicts (bench/py/objects";
    let kernels = [
        "sieve",
        "matmul",
        "helpers",
        "folds",
        "strings",
        "wordcount",
        "script",
        "toplevel",
    ];
    peer_table(runs, peers, Some(&cbin), "objects", &kernels, objects)?;
    Ok(ExitCode::SUCCESS)
}

/// Kernels of bench/py/`dir` with CPython and PyPy beside minipy, and gcc -O2 where `cbin`
/// has a twin of the kernel (one that prints what CPython does); CPython's
/// output is the expected one.
fn peer_table(
    runs: usize,
    (python, pypy, minipy): (&Path, &Path, &Path),
    cbin: Option<&Path>,
    dir: &str,
    kernels: &[&str],
    title: &str,
) -> Result<()> {
    println!("\n{title}; median of {runs}; ratio to CPython in brackets)\n");
    println!(
        "| kernel | CPython 3.11 | PyPy | minipy interp | minipy auto | gcc -O2 | auto / gcc |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for k in kernels {
        let file = workspace_root()
            .join("bench/py")
            .join(dir)
            .join(format!("{k}.py"));
        let expect = String::from_utf8(Command::new(python).arg(&file).output()?.stdout)?
            .trim()
            .to_string();
        // gcc's twin, if it has one that agrees.
        let twin = cbin.filter(|c| {
            Command::new(c).arg(k).output().is_ok_and(|o| {
                o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == expect
            })
        });
        let mut medians = Vec::new();
        let c_line: Option<Vec<&std::ffi::OsStr>> = twin.map(|c| vec![c.as_os_str(), k.as_ref()]);
        for argv in [
            vec![python.as_os_str(), file.as_os_str()],
            vec![pypy.as_os_str(), file.as_os_str()],
            vec![
                minipy.as_os_str(),
                "--mode".as_ref(),
                "interp".as_ref(),
                file.as_os_str(),
            ],
            vec![
                minipy.as_os_str(),
                "--mode".as_ref(),
                "auto".as_ref(),
                file.as_os_str(),
            ],
        ]
        .into_iter()
        .chain(c_line)
        {
            let mut times = Vec::new();
            for _ in 0..runs {
                times.push(timed(Command::new(argv[0]).args(&argv[1..]), &expect)?);
            }
            medians.push(median_us(&mut times) / 1e6);
        }
        let cpy = medians[0];
        let cell = |t: f64| format!("{t:.3} s ({:.1}×)", cpy / t);
        let (gcc, ratio) = match medians.get(4) {
            Some(&g) => (cell(g), format!("{:.2}", medians[3] / g)),
            None => ("—".into(), "—".into()),
        };
        println!(
            "| {k} | {cpy:.3} s | {} | {} | {} | {gcc} | {ratio} |",
            cell(medians[1]),
            cell(medians[2]),
            cell(medians[3])
        );
    }
    Ok(())
}

/// Builds the minipy runner and, into `out`, the C kernels with gcc -O2.
fn minipy_and_kernels(out: &Path, gcc: &Path) -> Result<(PathBuf, PathBuf)> {
    std::fs::create_dir_all(out)?;
    eprintln!("==> building minipy and the C kernels (gcc -O2)");
    build_examples(&["minipy".to_string()], Profile::Release)?;
    let cbin = out.join("py_kernels");
    sh(Command::new(gcc)
        .args(["-O2", "-o"])
        .arg(&cbin)
        .arg(workspace_root().join("bench/c/py_kernels.c")))?;
    Ok((example_path("minipy", Profile::Release), cbin))
}

fn aot(runs: usize) -> Result<ExitCode> {
    use linker::exe::{Layout, Options};
    let runs = runs.clamp(1, 5);
    let gcc = require_tool("gcc", "gcc")?;
    let valgrind = require_tool("valgrind", "valgrind")?;
    let root = workspace_root();
    let out = root.join("target/bench-aot");
    let (minipy, cbin) = minipy_and_kernels(&out, &gcc)?;
    let hello = out.join("hello.py");
    std::fs::write(&hello, "print(\"Hello, world!\")\n")?;
    let speed = Options::default();
    let packed = Options {
        layout: Layout::Packed,
        strip: true,
        ..Options::default()
    };

    println!("cargo xtask bench aot  (file sizes in bytes)\n");
    println!(
        "| program | default (page-aligned, symbols) | --packed --strip | --small (also no inlining) |"
    );
    println!("|---|---:|---:|---:|");
    let mut sources: Vec<(String, PathBuf)> = vec![("hello".into(), hello.clone())];
    for k in PY_KERNELS {
        sources.push((k.to_string(), root.join("bench/py").join(format!("{k}.py"))));
    }
    for (name, src) in &sources {
        let a = xtask::aot_compile(src, &out.join(format!("{name}-default")), &speed, false)?;
        let b = xtask::aot_compile(src, &out.join(format!("{name}-packed")), &packed, false)?;
        let c = xtask::aot_compile(src, &out.join(format!("{name}-small")), &packed, true)?;
        println!("| {name} | {a} | {b} | {c} |");
    }

    let hello_bin = out.join("hello-small");
    let instr = callgrind_instructions(&valgrind, &hello_bin)?;
    println!("\nAOT hello: {instr} user-space instructions (callgrind), whole run");

    println!(
        "\nRun time (wall time of the whole process, median of {runs}; AOT = default build)\n"
    );
    println!("| kernel | minipy auto | AOT | AOT --small | gcc -O2 | AOT / gcc | AOT / auto |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for k in PY_KERNELS {
        let file = root.join("bench/py").join(format!("{k}.py"));
        let (default, small) = (
            out.join(format!("{k}-default")),
            out.join(format!("{k}-small")),
        );
        let medians = kernel_medians(
            runs,
            &cbin,
            k,
            &[
                &[minipy.as_os_str(), file.as_os_str()],
                &[default.as_os_str()],
                &[small.as_os_str()],
            ],
        )?;
        println!(
            "| {k} | {:.3} s | {:.3} s | {:.3} s | {:.3} s | {:.2} | {:.2} |",
            medians[0],
            medians[1],
            medians[2],
            medians[3],
            medians[1] / medians[3],
            medians[1] / medians[0]
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Median wall time in seconds of each command line (checked against the C kernel's
/// output), then of the C kernel itself, last.
fn kernel_medians(
    runs: usize,
    cbin: &Path,
    kernel: &str,
    cmds: &[&[&std::ffi::OsStr]],
) -> Result<Vec<f64>> {
    let expect = String::from_utf8(Command::new(cbin).arg(kernel).output()?.stdout)?
        .trim()
        .to_string();
    eprintln!("==> {kernel} (expecting {expect})");
    let c_line: [&std::ffi::OsStr; 2] = [cbin.as_os_str(), kernel.as_ref()];
    let mut medians = Vec::new();
    for argv in cmds.iter().copied().chain([&c_line[..]]) {
        let mut times = Vec::new();
        for _ in 0..runs {
            let mut cmd = Command::new(argv[0]);
            cmd.args(&argv[1..]);
            times.push(timed(&mut cmd, &expect)?);
        }
        medians.push(median_us(&mut times) / 1e6);
    }
    Ok(medians)
}

fn first_line_time(cmd: &mut Command) -> Result<Duration> {
    use std::io::Read;
    let t = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).spawn()?;
    let mut byte = [0u8; 1];
    child.stdout.as_mut().unwrap().read_exact(&mut byte)?;
    let elapsed = t.elapsed();
    child.wait()?;
    Ok(elapsed)
}
