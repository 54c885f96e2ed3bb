//! minipy ahead of time (`cargo xtask aot`): every corpus program compiles (syntax errors
//! are reported at compile time) and runs natively and under qemu-x86_64 with CPython's
//! stdout, exit status and stderr; what the AOT compiler refuses fails with a
//! message naming the file and line, never a crash or a wrong executable.

use linker::exe::{Layout, Options};
use qemu_tests::{
    Exec, exception_name, minipy_aot_may_refuse, minipy_big, minipy_corpus, python_report, runners,
    workspace_root,
};
use std::path::{Path, PathBuf};

fn out_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("freestand-aot-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn compile(src: &Path, layout: Layout, strip: bool) -> Result<PathBuf, String> {
    let out = out_dir().join(format!(
        "{}-{layout:?}-{strip}",
        src.file_stem().unwrap().to_str().unwrap()
    ));
    let opts = Options {
        layout,
        strip,
        ..Options::default()
    };
    xtask::aot_compile(src, &out, &opts, strip)
        .map(|_| out)
        .map_err(|e| format!("{e:#}"))
}

#[test]
fn corpus_aot_outputs_agree_with_python3() {
    let runners = runners();
    let mut compiled = Vec::new();
    let mut refused = Vec::new();
    let mut syntax = 0;
    for (i, src) in minipy_corpus().iter().enumerate() {
        let file = src.to_str().unwrap();
        let want = python_report(file, &[]);
        // Alternate layouts and stripping so that every combination runs.
        let layout = if i % 2 == 0 {
            Layout::PageAligned
        } else {
            Layout::Packed
        };
        match compile(src, layout, i % 3 == 0) {
            Ok(exe) => {
                for r in &runners {
                    let got = Exec::new(&exe).run(r);
                    let last = got.stderr_str().to_string();
                    assert_eq!(got.stdout_str(), want.0, "{file} stdout on {}", r.name());
                    assert_eq!(got.code(), Some(want.2), "{file} status on {}", r.name());
                    assert_eq!(last, want.1, "{file} stderr on {}", r.name());
                }
                compiled.push(file.to_string());
            }
            Err(msg) => {
                let name = src.file_name().unwrap().to_str().unwrap();
                // An error CPython reports before running (its exact last line: a
                // RecursionError while compiling, MemoryError, TabError), or a syntax
                // error of the same class.
                let compile_time = msg.lines().last() == want.1.lines().last() && want.0.is_empty();
                if compile_time {
                    syntax += 1;
                } else if matches!(
                    exception_name(want.1.lines().last().unwrap_or("")),
                    "SyntaxError" | "IndentationError"
                ) {
                    assert!(
                        msg.contains("SyntaxError") || msg.contains("IndentationError"),
                        "{file}: expected a syntax error, got {msg}"
                    );
                    syntax += 1;
                } else {
                    assert!(
                        msg.contains(&format!("{name}:"))
                            && msg.contains("cannot compile ahead of time"),
                        "{file}: the refusal must name the file and line: {msg}"
                    );
                    refused.push(msg);
                }
            }
        }
    }
    eprintln!(
        "AOT: {} corpus programs compiled and checked natively{}; {syntax} syntax errors \
         reported at compile time; {} NOT compiled ahead of time:",
        compiled.len(),
        if runners.len() > 1 {
            " and under qemu-x86_64"
        } else {
            " (QEMU SKIPPED)"
        },
        refused.len()
    );
    for r in &refused {
        eprintln!("  NOT AOT: {}", r.lines().next().unwrap_or(""));
    }
    // `cargo xtask test` repeats this at the end, where it cannot be missed.
    let notes = workspace_root().join("target/test-notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(
        notes.join("aot-coverage"),
        format!(
            "AOT compiled {} of {} corpus programs and they agree with python3 (the other {} \
             are syntax errors, reported at compile time){}\n",
            compiled.len(),
            compiled.len() + syntax + refused.len(),
            syntax,
            if refused.is_empty() {
                String::new()
            } else {
                format!("; {} are NOT compiled ahead of time", refused.len())
            }
        ),
    )
    .unwrap();
    // Every program of the subset compiles ahead of time.
    assert!(
        refused.is_empty(),
        "{} corpus programs are not compiled ahead of time:\n{}",
        refused.len(),
        refused.join("\n")
    );
}

/// A program that cannot continue past 64 bits ahead of time (its module code cannot run
/// as a function of its own) is refused where its ints may outgrow 64 bits — never
/// compiled with 64-bit ints, which raised an OverflowError CPython never raises; one that
/// has no such arithmetic at run time still compiles (the corpus's `builtins_minmax.py`).
#[test]
fn programs_that_cannot_continue_past_64_bits_are_refused_not_truncated() {
    let root = workspace_root().join("examples/minipy");
    let src = root.join("aot-may-refuse/shadowed_builtin_past_64_bits.py");
    let err = compile(&src, Layout::Packed, false).unwrap_err();
    assert!(
        err.contains("shadowed_builtin_past_64_bits.py:5: cannot compile ahead of time")
            && err.contains("may outgrow 64 bits"),
        "{err}"
    );
    let small = root.join("corpus/builtins_minmax.py");
    let exe = compile(&small, Layout::Packed, false).unwrap();
    agrees_with_python3(&small, &exe, &[]);
}

/// A `def` that may not run (or runs more than once) before its name is used is refused
/// with a reason naming the file and the line of the `def` — never compiled as if it had
/// run (which printed 1 where CPython raises NameError); so is an `assert` whose message is
/// computed at run time (compiled code cannot format it yet), and a function with default
/// parameter values (not compiled yet).
/// Ints past 64 bits ahead of time: every program compiles to machine code (no bundle) and
/// prints what CPython prints — the overflow moves the function into its generic version,
/// results pass back through the callers' frames, tracebacks raised there are CPython's.
#[test]
fn big_ints_ahead_of_time_agree_with_python3() {
    let files = minipy_big();
    assert!(files.len() >= 12, "{} programs", files.len());
    let runners = runners();
    for src in &files {
        let file = src.to_str().unwrap();
        let want = python_report(file, &[]);
        let exe = compile(src, Layout::Packed, false).unwrap_or_else(|e| panic!("{file}: {e}"));
        let size = std::fs::metadata(&exe).unwrap().len();
        assert!(size < 400_000, "{file}: {size} bytes: not machine code?");
        for r in &runners {
            let got = Exec::new(&exe).run(r);
            assert_eq!(got.stdout_str(), want.0, "{file} stdout on {}", r.name());
            assert_eq!(got.stderr_str(), want.1, "{file} stderr on {}", r.name());
            assert_eq!(got.code(), Some(want.2), "{file} status on {}", r.name());
        }
    }
}

#[test]
fn conditional_definitions_are_refused_never_bound_early() {
    let files = minipy_aot_may_refuse();
    assert!(files.len() >= 5, "{} programs", files.len());
    for src in &files {
        let file = src.to_str().unwrap();
        match compile(src, Layout::PageAligned, false) {
            Ok(exe) => {
                // Compiled after all: then it must agree with CPython.
                let want = python_report(file, &[]);
                let got = Exec::new(&exe).run(&runners()[0]);
                let last = got.stderr_str().to_string();
                assert_eq!(
                    (got.stdout_str(), got.code(), last),
                    (want.0.clone(), Some(want.2), want.1.clone()),
                    "{file}"
                );
            }
            Err(msg) => {
                assert!(
                    msg.contains(&format!("{file}:"))
                        && msg.contains("cannot compile ahead of time")
                        && (msg.contains("`def`")
                            || msg.contains("message computed at run time")
                            || msg.contains("default is not an int")
                            || msg.contains("uses del")
                            || msg.contains("uses lists, tuples, strings or iterators")
                            || msg.contains("makes a closure")
                            || msg.contains("shares variables with a nested function")
                            || msg.contains("uses a builtin through its name")
                            || msg.contains("calls divmod() (a tuple")
                            || msg.contains("calls int(), bool() or round()")
                            || msg.contains("converts between ints and strings")
                            || msg.contains("asks for a value's type")
                            || msg.contains("passes keyword arguments to a function value")
                            || msg.contains("calls hash()")
                            || msg.contains("sets or reads the recursion limit")
                            || msg.contains("prints to stderr")
                            || msg.contains("computes a string")
                            || msg.contains("unpacks a value of several kinds")
                            || msg.contains("*args, **kwargs or keyword-only parameters")),
                    "{file}: the refusal must name the file, line and the def, assert, defaults, del, the objects or the builtin: {msg}"
                );
            }
        }
    }
}

#[test]
fn bench_programs_compile_and_agree() {
    let runners = runners();
    for name in [
        "fib", "primes", "collatz", "nested", "add_to_n", "tak", "mod3",
    ] {
        let src = workspace_root().join(format!("bench/py/{name}.py"));
        let exe = compile(&src, Layout::Packed, true).unwrap_or_else(|e| panic!("{e}"));
        let want = python_report(src.to_str().unwrap(), &[]);
        // The long ones natively only: under QEMU they take seconds each.
        for r in runners.iter().take(if name == "fib" { 2 } else { 1 }) {
            Exec::new(&exe).run(r).assert(&want.0, "", 0);
        }
    }
}

#[test]
fn hello_is_one_write_and_tiny() {
    let dir = out_dir();
    let src = dir.join("hello.py");
    std::fs::write(&src, "print(\"Hello, world!\")\n").unwrap();
    let exe = compile(&src, Layout::Packed, true).unwrap();
    let size = std::fs::metadata(&exe).unwrap().len();
    assert!(size <= 250, "AOT hello is {size} bytes");
    for r in runners() {
        Exec::new(&exe).run(&r).assert("Hello, world!\n", "", 0);
    }
    // With the default layout and symbols it is still a well-formed file objdump reads.
    let full = compile(&src, Layout::PageAligned, false).unwrap();
    let text = std::process::Command::new("objdump")
        .arg("-d")
        .arg(&full)
        .output()
        .expect("objdump");
    assert!(String::from_utf8_lossy(&text.stdout).contains("<_start>:"));
}

#[test]
fn refusals_name_file_and_line() {
    let dir = out_dir();
    // A function chosen at run time (compiled calls are direct).
    let src = dir.join("chosen.py");
    std::fs::write(
        &src,
        "def a():\n    return 1\ndef b():\n    return 2\nfor i in range(2):\n    h = a if i else b\n    print(h())\n",
    )
    .unwrap();
    let err = compile(&src, Layout::Packed, false).unwrap_err();
    assert!(
        err.contains("chosen.py:6: cannot compile ahead of time") && err.contains("different"),
        "{err}"
    );
    // A function called before the function it calls is defined (CPython: NameError).
    let src = dir.join("early.py");
    std::fs::write(
        &src,
        "def f():\n    return g()\n\nprint(f())\ndef g():\n    return 1\n",
    )
    .unwrap();
    let err = compile(&src, Layout::Packed, false).unwrap_err();
    assert!(
        err.contains("early.py:4:") && err.contains("`g`") && err.contains("assigned"),
        "{err}"
    );
    let src = dir.join("bad.py");
    std::fs::write(&src, "print(1 +)\n").unwrap();
    let err = compile(&src, Layout::Packed, false).unwrap_err();
    assert!(err.contains("SyntaxError"), "{err}");
}

/// Programs whose values change kind at run time, globals assigned by functions or read
/// before they exist, and operations that always fail: compiled, and as CPython runs them.
#[test]
fn dynamic_kinds_and_globals_agree_with_python3() {
    let dir = out_dir();
    let programs: [(&str, &str); 8] = [
        (
            "arith_kinds.py",
            "def f(x):\n    if x > 2:\n        return None\n    return x\ndef g(x):\n    if x:\n        return \"s\"\n    return True\nfor i in range(3):\n    print(f(i) + 1, f(i) * 2, f(i) & 3, g(0) | g(0), g(0) + 1)\nprint(f(1) - f(2))\n",
        ),
        (
            "arith_kinds_loop.py",
            "def f(x):\n    if x > 2:\n        return None\n    return x\nt = 0\nfor i in range(5):\n    t = t + f(i)\nprint(t)\n",
        ),
        (
            "changing.py",
            "x = 1\nfor i in range(3):\n    x = x + i\n\ndef f():\n    return x\n\nprint(f())\n",
        ),
        (
            "typeerr.py",
            "def f(x):\n    return x + \"a\"\n\nprint(f(3))\n",
        ),
        (
            "late.py",
            "def f():\n    return n\n\nfor i in range(2):\n    print(f())\nn = 5\n",
        ),
        (
            "kinds.py",
            "def f(x):\n    if x > 2:\n        return None\n    return x\ndef g(x):\n    if x:\n        return \"s\"\n    return True\nfor i in range(5):\n    print(i, f(i), g(i % 2), f(i) == None, g(i % 2) != \"s\", not f(i), f(i) or g(i))\nprint(g(1) < \"t\", g(0) <= 1, min(f(1), True), max(\"b\", \"a\", \"ab\"), min(g(0), 0, g(0)))\nprint(min(g(0), 5, g(1)))\n",
        ),
        (
            "globals.py",
            "def setx(v):\n    global x\n    x = v\ndef show():\n    print(\"x =\", x)\nfor i in range(3):\n    if i == 1:\n        setx(None)\n    else:\n        setx(i * 10)\n    show()\nsetx(\"done\")\nshow()\nprint(x == \"done\", x)\ndef bad():\n    return y\ndef sety():\n    global y\n    y = 1\nprint(bad())\n",
        ),
        (
            "unbound.py",
            "def f(n):\n    for i in range(n):\n        pass\n    return i\nprint(f(3))\nprint(f(0))\n",
        ),
    ];
    let runners = runners();
    for (name, text) in programs {
        let src = dir.join(name);
        std::fs::write(&src, text).unwrap();
        let want = python_report(src.to_str().unwrap(), &[]);
        let exe = compile(&src, Layout::Packed, false).unwrap_or_else(|e| panic!("{name}: {e}"));
        for r in &runners {
            let got = Exec::new(&exe).run(r);
            let last = got.stderr_str().to_string();
            assert_eq!(got.stdout_str(), want.0, "{name} stdout on {}", r.name());
            assert_eq!(got.code(), Some(want.2), "{name} status on {}", r.name());
            assert_eq!(last, want.1, "{name} stderr on {}", r.name());
        }
    }
}

#[test]
fn module_level_loops_and_printing_functions_compile() {
    let dir = out_dir();
    let src = dir.join("loops.py");
    std::fs::write(
        &src,
        "def show(x):\n    print(\"x is\", x, x > 2, None)\n\ntotal = 0\nfor i in range(5):\n    show(i)\n    total += i\nprint(total)\n",
    )
    .unwrap();
    let exe = compile(&src, Layout::PageAligned, false).unwrap();
    let want = python_report(src.to_str().unwrap(), &[]);
    for r in runners() {
        Exec::new(&exe).run(&r).assert(&want.0, "", 0);
    }
    // An exception from arithmetic on a computed value in straight-line module code.
    let src = dir.join("modzero.py");
    std::fs::write(
        &src,
        "def f(x):\n    return x\n\nprint(1)\nprint(f(5) % 0)\n",
    )
    .unwrap();
    let exe = compile(&src, Layout::Packed, true).unwrap();
    let want = python_report(src.to_str().unwrap(), &[]);
    for r in runners() {
        let got = Exec::new(&exe).run(&r);
        assert_eq!(got.stdout_str(), want.0);
        assert_eq!(got.code(), Some(1));
        assert_eq!(got.stderr_str(), want.1);
    }
}

#[test]
fn freestanding_minipy_writes_the_same_executable() {
    // The no_std writer inside the freestanding runner, natively and under QEMU, produces
    // byte for byte what the host toolchain produces.
    for (i, r) in runners().iter().enumerate() {
        for (name, small) in [("fib", false), ("collatz", true)] {
            let src = workspace_root().join(format!("bench/py/{name}.py"));
            let host = compile(&src, Layout::Packed, small).unwrap();
            let host = if small {
                host
            } else {
                let o = out_dir().join(format!("{name}-host-default"));
                xtask::aot_compile(&src, &o, &Options::default(), false).unwrap();
                o
            };
            let out = out_dir().join(format!("{name}-by-minipy-{i}"));
            let mut exec = Exec::new(qemu_tests::example("minipy"))
                .arg("--aot")
                .arg(&src)
                .arg("-o")
                .arg(&out);
            if small {
                exec = exec.arg("--small");
            }
            let got = exec.run(r);
            assert_eq!(got.code(), Some(0), "{}: {}", r.name(), got.stderr_str());
            assert_eq!(
                std::fs::read(&out).unwrap(),
                std::fs::read(&host).unwrap(),
                "{name} written by minipy on {}",
                r.name()
            );
        }
    }
}

/// What one random program did ahead of time.
enum AotVerdict {
    /// Compiled and agreed with CPython (`true` when it ends in an exception).
    Agreed(bool),
    /// CPython's own compile-time error, reported the same way.
    SameError,
    /// Refused with a reason naming the construct.
    Refused,
}

/// Compiles the random program of `seed` ahead of time and compares it with CPython:
/// the first difference, with the program, as the error.
fn aot_random_one(
    seed: u64,
    dir: &Path,
    runners: &[qemu_tests::Runner],
) -> Result<AotVerdict, String> {
    // Of every seven: two from the stress generator (mixed kinds in arithmetic,
    // conditional defs, nesting near the limits, escapes, odd whitespace, recursion near
    // the limit), two with mixed kinds, one whose ints outgrow 64 bits partway.
    let src_text = match seed % 7 {
        0 | 3 => minipy::randprog::program_stress(seed),
        1 | 5 => minipy::randprog::program_with_kinds(seed),
        6 => minipy::randprog::program_big(seed),
        _ => minipy::randprog::program(seed),
    };
    let src = dir.join(format!("r{seed}.py"));
    std::fs::write(&src, &src_text).unwrap();
    let want = python_report(src.to_str().unwrap(), &[]);
    let exe = match compile(&src, Layout::Packed, seed.is_multiple_of(2)) {
        Ok(exe) => exe,
        Err(msg) => {
            // CPython's own compile-time error (RecursionError while compiling, a
            // TabError), or a refusal with its reason.
            if want.0.is_empty() && msg.lines().last() == want.1.lines().last() {
                return Ok(AotVerdict::SameError);
            }
            if msg.contains("cannot compile ahead of time") {
                return Ok(AotVerdict::Refused);
            }
            return Err(format!("seed {seed}: {msg}\nCPython: {want:?}\n{src_text}"));
        }
    };
    for r in runners
        .iter()
        .take(if seed.is_multiple_of(8) { 2 } else { 1 })
    {
        let got = Exec::new(&exe).run(r);
        let last = got.stderr_str().to_string();
        let what = if got.stdout_str() != want.0 {
            "stdout"
        } else if got.code() != Some(want.2) {
            "status"
        } else if last != want.1 {
            "stderr"
        } else {
            continue;
        };
        return Err(format!(
            "seed {seed}: {what} on {} differs: got {:?} / {:?} / {last:?}, CPython {want:?}\n{src_text}",
            r.name(),
            got.stdout_str(),
            got.code(),
        ));
    }
    let _ = std::fs::remove_file(&exe);
    Ok(AotVerdict::Agreed(want.2 != 0))
}

#[test]
fn random_programs_aot_agree_with_python3() {
    // Seeds apart from the ones the in-process random test uses. AOT_RANDOM=N runs N
    // programs instead of 200 from AOT_RANDOM_FROM (a soak) on AOT_JOBS workers (default:
    // a worker per core — this test outlasts the rest of its binary).
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
    let n = env("AOT_RANDOM").unwrap_or(200);
    let from = env("AOT_RANDOM_FROM").unwrap_or(20_000);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = env("AOT_JOBS").map_or(cores, |j| j.max(1) as usize);
    let runners = runners();
    let dir = out_dir().join("random");
    std::fs::create_dir_all(&dir).unwrap();
    let results = qemu_tests::parallel(n as usize, jobs, "programs", |k| {
        aot_random_one(from + k as u64, &dir, &runners)
    });
    let count =
        |f: fn(&AotVerdict) -> bool| results.iter().filter(|r| r.as_ref().is_ok_and(f)).count();
    let compiled = count(|v| matches!(v, AotVerdict::Agreed(_)));
    let raised = count(|v| matches!(v, AotVerdict::Agreed(true)));
    let same = count(|v| matches!(v, AotVerdict::SameError));
    let refused = count(|v| matches!(v, AotVerdict::Refused));
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    eprintln!(
        "seeds {from}..{}: {compiled} random programs compiled ahead of time agree with python3 \
         ({raised} end in an exception); {same} end in CPython's compile-time error; {refused} \
         refused; {} differ",
        from + n,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {n} programs differ; the first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n---\n")
    );
    assert!(compiled > 0, "no random program was compiled ahead of time");
}

/// `arg(i)` in a compiled program reads the command line as python3 (with minipy's
/// `arg(i) = int(sys.argv[i + 1])`) and the interpreter do; a missing argument raises.
#[test]
fn arg_reads_the_command_line() {
    let dir = out_dir();
    let src = dir.join("args.py");
    std::fs::write(
        &src,
        "def f(n):\n    return n * 2\ntotal = 0\nfor i in range(arg(0)):\n    total += f(i)\nprint(total, arg(1) - 1)\nprint(arg(2))\n",
    )
    .unwrap();
    let exe = compile(&src, Layout::Packed, false).unwrap_or_else(|e| panic!("{e}"));
    for args in [
        vec!["10", "-5", "7"],
        vec!["0", "+3", "-9223372036854775808"],
        vec!["3", "9223372036854775807", "0"],
        vec!["4", "2"],
        vec!["2", " 1_000 ", "x12"],
        vec!["2", "3", "1__0"],
        vec!["2", "3", "7_"],
        vec!["", "3", "7"],
        vec!["2", "3", "+ 7"],
        // The ValueError quotes the argument as Python's repr does.
        vec!["2", "3", "it's"],
        vec!["2", "3", "say \"it's\""],
        vec!["2", "3", "x\ty\\z\u{1b}\u{7f}"],
    ] {
        agrees_with_python3(&src, &exe, &args);
    }
}

/// The executable compiled from `src` run with `args` (natively and under QEMU) and
/// `python3 src args`: the same stdout, exit status and stderr.
fn agrees_with_python3(src: &Path, exe: &Path, args: &[&str]) {
    let want = python_report(src.to_str().unwrap(), args);
    for r in &runners() {
        let got = Exec::new(exe).args(args.iter().copied()).run(r);
        let last = got.stderr_str().to_string();
        assert_eq!(got.stdout_str(), want.0, "{args:?} stdout on {}", r.name());
        assert_eq!(got.code(), Some(want.2), "{args:?} status on {}", r.name());
        assert_eq!(last, want.1, "{args:?} stderr on {}", r.name());
    }
}

/// `import sys`, `len(sys.argv)`, `int(sys.argv[i])` (negative `i` too) and `sys.exit` with
/// nothing, None, a status or a message, compiled ahead of time: the executable's arguments
/// are the script's, natively and under QEMU. (`sys.argv[0]` is the executable's path, not
/// the script's.)
#[test]
fn sys_argv_and_sys_exit_run_ahead_of_time() {
    let dir = out_dir();
    let src = dir.join("sum_tool.py");
    std::fs::write(
        &src,
        "import sys\n\n\ndef count_to(n):\n    total = 0\n    for i in range(n + 1):\n        total += i\n    return total\n\n\nif len(sys.argv) < 2:\n    print(\"usage: tool.py N [M]\")\n    sys.exit(2)\nn = int(sys.argv[1])\nprint(\"sum to\", n, \"is\", count_to(n), \"of\", len(sys.argv) - 1, \"arguments\")\nprint(int(sys.argv[-1]) * 3)\nif n > 1000:\n    sys.exit(\"too big\")\nif n == 7:\n    sys.exit()\nif n == 8:\n    sys.exit(None)\nif n == 9:\n    print(int(sys.argv[-3]))\nsys.exit(n % 4 == 1)\n",
    )
    .unwrap();
    let exe = compile(&src, Layout::Packed, false).unwrap_or_else(|e| panic!("{e}"));
    for args in [
        &[][..],
        &["5"],
        &["6", "-2"],
        &["7"],
        &["8", "1"],
        &["9", "1", "2"],
        &["9"],
        &["5000"],
        &["x"],
        &["9", " 1_0 ", "-3"],
    ] {
        agrees_with_python3(&src, &exe, args);
    }
}

/// `minipy --aot` on a program the AOT compiler refuses (objects, closures, ints past 64
/// bits…) writes a bundle — the runner with the program inside — that runs it as CPython
/// does, natively and under QEMU, and says on stderr why it is bundled. Every program of
/// examples/minipy/aot-may-refuse and big that the compiler refuses.
#[test]
fn refused_programs_are_bundled_and_agree_with_python3() {
    let dir = out_dir().join("bundles");
    std::fs::create_dir_all(&dir).unwrap();
    let runner = qemu_tests::example("minipy");
    let runner_len = std::fs::metadata(&runner).unwrap().len();
    let mut bundled = 0;
    for src in minipy_aot_may_refuse().iter().chain(&minipy_big()) {
        let name = src.file_stem().unwrap().to_str().unwrap();
        let refusal = match compile(src, Layout::Packed, false) {
            Ok(exe) => {
                std::fs::remove_file(exe).unwrap();
                continue;
            }
            Err(e) => e,
        };
        let out = dir.join(name);
        let made = Exec::new(&runner)
            .arg("--aot")
            .arg(src)
            .arg("-o")
            .arg(&out)
            .run(&qemu_tests::Runner::Native);
        let note = made.stderr_str();
        assert_eq!(made.code(), Some(0), "{name}: {note}");
        // The refusal the host compiler gave, then the bundling.
        let reason = refusal
            .split(": cannot compile ahead of time: ")
            .nth(1)
            .unwrap();
        assert!(
            note.contains(reason) && note.contains("is bundled with the interpreter and JIT"),
            "{name}: {note}\n(the host's refusal: {refusal})"
        );
        assert!(std::fs::metadata(&out).unwrap().len() > runner_len);
        agrees_with_python3(src, &out, &[]);
        std::fs::remove_file(&out).unwrap();
        bundled += 1;
    }
    eprintln!("{bundled} refused programs bundled, each agreeing with python3");
    assert!(
        bundled >= 50,
        "only {bundled} programs were refused and bundled"
    );
}

/// A bundle takes the script's arguments and exit status; `--no-bundle` keeps the refusal
/// an error naming file and line; a bundle cut short says so (status 2), never a panic.
#[test]
fn bundles_take_arguments_and_refusals_stay_errors_when_asked() {
    let dir = out_dir().join("bundle-args");
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("words.py");
    std::fs::write(
        &src,
        "import sys\n\nnums = []\nfor i in range(1, len(sys.argv)):\n    nums.append(int(sys.argv[i]))\n\
         if not nums:\n    sys.exit(\"no numbers\")\ncounts = {}\nfor w in nums:\n    \
         counts[w] = counts.get(w, 0) + 1\nprint(sorted(counts.items()), max(abs(w) for w in nums))\n\
         sys.exit(len(counts) % 3)\n",
    )
    .unwrap();
    let runner = qemu_tests::example("minipy");
    let out = dir.join("words");
    let aot = |extra: &[&str]| {
        Exec::new(&runner)
            .arg("--aot")
            .arg(&src)
            .arg("-o")
            .arg(&out)
            .args(extra.iter().copied())
            .run(&qemu_tests::Runner::Native)
    };
    let refused = aot(&["--no-bundle"]);
    assert_eq!(refused.code(), Some(1), "{}", refused.stderr_str());
    assert!(
        refused
            .stderr_str()
            .contains("words.py:3: cannot compile ahead of time"),
        "{}",
        refused.stderr_str()
    );
    assert!(!out.exists(), "--no-bundle wrote {}", out.display());
    let made = aot(&[]);
    assert_eq!(made.code(), Some(0), "{}", made.stderr_str());
    for args in [
        &[][..],
        &["4"],
        &["-5", "4", "-5"],
        &["1", "22", "-333", "1", "x"],
    ] {
        agrees_with_python3(&src, &out, args);
    }
    // Cut short: the program's bytes are missing from the file.
    let bytes = std::fs::read(&out).unwrap();
    let cut = dir.join("cut");
    std::fs::write(&cut, &bytes[..bytes.len() - 40]).unwrap();
    std::fs::set_permissions(&cut, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    for r in &runners() {
        let got = Exec::new(&cut).run(r);
        assert_eq!(got.code(), Some(2), "{}: {}", r.name(), got.stderr_str());
        assert!(
            got.stderr_str().starts_with("minipy bundle: ")
                && got.stderr_str().contains("cut short"),
            "{}: {}",
            r.name(),
            got.stderr_str()
        );
    }
}

/// The runtime library (minipy/aotrt, linked routine by routine into AOT executables):
/// a hand-written `_start` computes 2**62 * 1000 with `mp_mul` (past 64 bits: a big int),
/// prints its decimal with `mp_decimal`, then divides by zero through `mp_floordiv` and
/// prints the ZeroDivisionError line it gets back; on every runner. Only what those
/// routines reach is linked: not `mp_compare` or `mp_unary`.
#[test]
fn runtime_library_routines_link_and_compute_past_64_bits() {
    use linker::exe::{
        Image, Location, Reloc, RelocKind, Segment, SegmentId, SegmentKind, Symbol, SymbolKind,
    };
    use minipy::aot::library::{Library, Placement};
    const BIG: u8 = 5;
    let mut code: Vec<u8> = Vec::new();
    let mut calls: Vec<(usize, &str)> = Vec::new();
    let mut call = |code: &mut Vec<u8>, name: &'static str| {
        code.push(0xe8);
        calls.push((code.len(), name));
        code.extend([0; 4]);
    };
    // Prints the NUL-terminated text at rax: rsi = rax, rdx = its length, write(1, …).
    let print_rax = |code: &mut Vec<u8>| {
        code.extend([0x48, 0x89, 0xc6]); // mov rsi, rax
        code.extend([0x31, 0xd2]); // xor edx, edx
        code.extend([0x80, 0x3c, 0x16, 0x00]); // loop: cmp byte [rsi+rdx], 0
        code.extend([0x74, 0x05]); // je done
        code.extend([0x48, 0xff, 0xc2]); // inc rdx
        code.extend([0xeb, 0xf5]); // jmp loop
        code.extend([0xbf, 1, 0, 0, 0]); // done: mov edi, 1
        code.extend([0xb8, 1, 0, 0, 0]); // mov eax, 1 (write)
        code.extend([0x0f, 0x05]); // syscall
    };
    code.extend([0x48, 0x83, 0xe4, 0xf0]); // and rsp, -16
    // mp_mul(INT, 1 << 62, INT, 1000)
    code.extend([0x31, 0xff]); // xor edi, edi
    code.extend([0x48, 0xbe]); // movabs rsi, 1 << 62
    code.extend((1u64 << 62).to_le_bytes());
    code.extend([0x31, 0xd2]); // xor edx, edx
    code.extend([0xb9, 0xe8, 0x03, 0, 0]); // mov ecx, 1000
    call(&mut code, "mp_mul");
    // mp_decimal(BIG, rax)
    code.extend([0xbf, BIG, 0, 0, 0]); // mov edi, BIG
    code.extend([0x48, 0x89, 0xc6]); // mov rsi, rax
    call(&mut code, "mp_decimal");
    print_rax(&mut code);
    // mp_floordiv(INT, 7, INT, 0): the exception's line
    code.extend([0x31, 0xff]); // xor edi, edi
    code.extend([0xbe, 7, 0, 0, 0]); // mov esi, 7
    code.extend([0x31, 0xd2]); // xor edx, edx
    code.extend([0x31, 0xc9]); // xor ecx, ecx
    call(&mut code, "mp_floordiv");
    print_rax(&mut code);
    code.extend([0x31, 0xff]); // xor edi, edi
    code.extend([0xb8, 0xe7, 0, 0, 0]); // mov eax, 231 (exit_group)
    code.extend([0x0f, 0x05]); // syscall
    let (text, rodata, bss, data) = (SegmentId(0), SegmentId(1), SegmentId(2), SegmentId(3));
    let (mut t, mut r, mut b, mut d) = (code, Vec::new(), 0u64, Vec::new());
    let lib = Library::builtin().unwrap();
    let linked = lib
        .link(
            &["mp_mul", "mp_decimal", "mp_floordiv"],
            Placement {
                text: (text, &mut t),
                rodata: (rodata, &mut r),
                data: (data, &mut d),
                bss: (bss, &mut b),
            },
        )
        .unwrap();
    let mut relocs = linked.relocs.clone();
    for (at, name) in calls {
        let target = linked.routines.iter().find(|x| x.0 == name).unwrap().1;
        relocs.push(Reloc {
            at: Location::new(text, at as u64),
            kind: RelocKind::Rel32,
            target: target.into(),
            addend: -4,
        });
    }
    let mut segments = vec![
        Segment::new(".text", SegmentKind::Code, t, linked.align.max(16)),
        Segment::new(".rodata", SegmentKind::ReadOnly, r, linked.align.max(8)),
        Segment::bss(".bss", b.max(8), linked.align.max(16)),
    ];
    if !d.is_empty() {
        segments.push(Segment::new(
            ".data",
            SegmentKind::Data,
            d,
            linked.align.max(16),
        ));
    }
    let img = Image {
        segments,
        entry: Some(Location::new(text, 0)),
        symbols: vec![Symbol {
            name: "_start".into(),
            at: Location::new(text, 0),
            size: 0,
            kind: SymbolKind::Func,
            global: true,
        }],
        relocs,
    };
    let exe = out_dir().join("library-routines");
    for layout in [Layout::Packed, Layout::PageAligned] {
        let opts = Options {
            layout,
            ..Options::default()
        };
        let bytes = linker::exe::write(&img, &opts).unwrap();
        std::fs::write(&exe, &bytes).unwrap();
        std::fs::set_permissions(&exe, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let want = format!(
            "{}ZeroDivisionError: integer division or modulo by zero\n",
            (1u128 << 62) * 1000
        );
        for runner in &runners() {
            let got = Exec::new(&exe).run(runner);
            assert_eq!(got.stdout_str(), want, "{layout:?} on {}", runner.name());
            assert_eq!(got.code(), Some(0), "{layout:?} on {}", runner.name());
        }
    }
    assert!(!linked.routines.iter().any(|r| r.0 == "mp_compare"));
    let all: Vec<&str> = lib.routines().collect();
    assert!(
        all.contains(&"mp_compare") && all.contains(&"mp_unary"),
        "{all:?}"
    );
    eprintln!(
        "library code linked for mp_mul + mp_decimal + mp_floordiv: {:?} bytes",
        linked.sizes
    );
}

/// Big ints ahead of time are collected (the runtime library scans the stack for the ones
/// still referred to): a loop that makes and drops them runs in the same memory for 10³
/// turns and for 10⁵ — with every value made kept, 10⁵ turns took 640 MiB.
#[test]
#[allow(clippy::zombie_processes)] // reaped by wait4, which reports the peak RSS
fn big_ints_made_and_dropped_ahead_of_time_take_constant_memory() {
    use std::process::{Command, Stdio};
    let dir = out_dir();
    let mut peaks = Vec::new();
    for n in [1_000u64, 100_000] {
        let src = dir.join(format!("bigloop_{n}.py"));
        std::fs::write(
            &src,
            format!(
                "def f(k):\n    x = 2 ** 200 + k\n    return x * x % 1000000007\n\n\ntotal = 0\nfor i in range({n}):\n    total = (total + f(i)) % 998244353\nprint(total)\n"
            ),
        )
        .unwrap();
        let exe = compile(&src, Layout::Packed, false).unwrap();
        let want = python_report(src.to_str().unwrap(), &[]).0;
        let out = dir.join(format!("bigloop_{n}.out"));
        let child = Command::new(&exe)
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let w = rt::sys::wait4(child.id() as i32, 0).unwrap();
        assert_eq!(w.status, 0, "{n} turns");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), want, "{n} turns");
        peaks.push(w.usage.maxrss);
    }
    assert!(
        peaks[1] < 64 * 1024 && peaks[1] < peaks[0] + 8 * 1024,
        "peak RSS {} KiB after 10^3 turns, {} KiB after 10^5",
        peaks[0],
        peaks[1]
    );
}
