//! The freestanding minipy runner against python3: every corpus program natively (and every
//! fourth under qemu-x86_64), program arguments through arg(i), constructs outside the
//! subset, and --dis.

use qemu_tests::{Exec, Runner, exception_name, python_report, runners, workspace_root};

fn check(file: &str, args: &[&str], r: &Runner) {
    check_mode(file, args, r, "auto");
}

fn check_mode(file: &str, args: &[&str], r: &Runner, mode: &str) {
    let want = python_report(file, args);
    let got = Exec::new(qemu_tests::example("minipy"))
        .args(["--mode", mode])
        .arg(file)
        .args(args.iter().copied())
        .run(r);
    let got_err = got.stderr_str().to_string();
    assert_eq!(
        got.stdout_str(),
        want.0,
        "{file} stdout on {} ({mode})",
        r.name()
    );
    assert_eq!(
        got.code(),
        Some(want.2),
        "{file} exit status on {}",
        r.name()
    );
    let last = |s: &str| s.lines().last().unwrap_or("").to_string();
    let compile_time = matches!(
        exception_name(&last(&want.1)),
        "SyntaxError" | "IndentationError" | "TabError" | "MemoryError"
    ) || last(&want.1).ends_with("during compilation");
    if compile_time {
        // Compiled inside the prelude, CPython reports these differently (the in-process
        // corpus test compares them whole).
        assert_eq!(
            exception_name(&last(&got_err)),
            exception_name(&last(&want.1)),
            "{file} on {}",
            r.name()
        );
    } else {
        // The whole report: traceback, source lines, carets.
        assert_eq!(got_err, want.1, "{file} stderr on {}", r.name());
    }
}

#[test]
fn corpus_agrees_with_python3() {
    let files = qemu_tests::minipy_corpus();
    assert!(
        files.len() >= 100,
        "the corpus has {} programs",
        files.len()
    );
    let runners = runners();
    for (i, f) in files.iter().enumerate() {
        let file = f.to_str().unwrap();
        // Natively every program in every mode; under QEMU every fourth, tiered.
        for mode in ["interp", "jit", "auto"] {
            check_mode(file, &[], &Runner::Native, mode);
        }
        if i % 4 == 0 && runners.len() > 1 {
            check_mode(file, &[], &runners[1], "auto");
        }
    }
}

/// Programs the AOT compiler refuses (examples/minipy/aot-may-refuse) still run like CPython
/// in every mode: a `def` binds its name when it runs, not before.
#[test]
fn aot_may_refuse_programs_agree_with_python3_in_every_mode() {
    every_mode_natively_and_auto_under_qemu(&qemu_tests::minipy_aot_may_refuse());
}

/// Ints past 64 bits (examples/minipy/big) are CPython's exact ints in every mode: natively
/// and under QEMU.
#[test]
fn big_int_programs_agree_with_python3_in_every_mode() {
    every_mode_natively_and_auto_under_qemu(&qemu_tests::minipy_big());
}

/// Each of `files` (at least five) against python3: natively in every mode, under QEMU in
/// auto mode.
fn every_mode_natively_and_auto_under_qemu(files: &[std::path::PathBuf]) {
    assert!(files.len() >= 5, "{} programs", files.len());
    let runners = runners();
    for f in files {
        let file = f.to_str().unwrap();
        for mode in ["interp", "jit", "auto"] {
            check_mode(file, &[], &Runner::Native, mode);
        }
        if runners.len() > 1 {
            check_mode(file, &[], &runners[1], "auto");
        }
    }
}

#[test]
fn program_arguments_arrive_through_arg() {
    let dir = qemu_tests::scratch_dir("minipy-args");
    let prog = dir.join("args.py");
    std::fs::write(
        &prog,
        "def f(n):\n    return n * arg(1)\nprint(arg(0) + 1, f(3))\nprint(arg(2))\n",
    )
    .unwrap();
    let file = prog.to_str().unwrap();
    for r in runners() {
        check(file, &["41", "-7", "5"], &r);
        check(file, &["1", "2"], &r); // arg(2) missing: IndexError, as sys.argv[3] would be
        // int() of each: whitespace and underscores allowed; ValueError naming the text;
        // past 64 bits an exact int, as CPython's.
        check(file, &[" 4 ", "1_000", "-0"], &r);
        check(file, &["1", "2", "-123456789012345678901234567890"], &r);
        check(file, &["12", "x12", "1"], &r);
        check(file, &["1", "2", "1__0"], &r);
        check(file, &["1", "2", "it's"], &r);
        check(file, &["1", "2", "say \"it's\"\t\\\u{1b}"], &r);
        check(file, &["", "2", "3"], &r);
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// The same file under CPython and minipy: `import sys`, `int(sys.argv[i])` (negative `i`
/// too), `len(sys.argv)` and `sys.exit` with no value, a status or a message, in every mode.
#[test]
fn sys_argv_and_sys_exit_work_as_in_cpython() {
    let dir = qemu_tests::scratch_dir("minipy-sys");
    let prog = dir.join("tool.py");
    std::fs::write(
        &prog,
        "import sys\n\n\ndef count_to(n):\n    total = 0\n    for i in range(n + 1):\n        total += i\n    return total\n\n\nif len(sys.argv) < 2:\n    print(\"usage: tool.py N [M]\")\n    sys.exit(2)\nn = int(sys.argv[1])\nprint(\"sum to\", n, \"is\", count_to(n), \"of\", len(sys.argv) - 1, \"arguments\")\nprint(int(sys.argv[-1]) * 3)\nif n > 1000:\n    sys.exit(\"too big\")\nif n == 7:\n    sys.exit()\nsys.exit(n % 4)\n",
    )
    .unwrap();
    let file = prog.to_str().unwrap();
    for r in runners() {
        for mode in ["auto", "jit", "interp"] {
            for args in [
                &[][..],
                &["5"],
                &["6", "-2"],
                &["7"],
                &["5000"],
                &["x"],
                &["9", " 1_0 "],
            ] {
                check_mode(file, args, &r, mode);
            }
        }
    }
    // A use before the import is CPython's NameError; sys.argv[0] is the script.
    let early = dir.join("early.py");
    std::fs::write(&early, "print(len(sys.argv))\nimport sys\n").unwrap();
    let script = dir.join("script.py");
    std::fs::write(&script, "import sys\nprint(int(sys.argv[0]))\n").unwrap();
    for f in [&early, &script] {
        check(f.to_str().unwrap(), &["1"], &Runner::Native);
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn constructs_outside_the_subset_are_syntax_errors_naming_them() {
    let cases = [
        ("syntax_class.py", "'class'"),
        ("syntax_import.py", "'import'"),
        ("syntax_yield.py", "'yield'"),
        ("syntax_float.py", "floats"),
        ("syntax_try.py", "'try'"),
        ("syntax_walrus.py", "(:=)"),
        ("syntax_matmul.py", "'@'"),
        ("syntax_decorated_class.py", "'class'"),
        ("syntax_builtin_frozenset.py", "'frozenset'"),
        ("syntax_print_file_other_stream.py", "print's file="),
        ("syntax_attribute_assignment.py", "attribute"),
        ("syntax_raise_from.py", "'raise … from'"),
        ("syntax_raise_value.py", "'ValueError'"),
    ];
    for (file, word) in cases {
        let path = workspace_root().join("examples/minipy/outside").join(file);
        let out = Exec::new(qemu_tests::example("minipy"))
            .arg(&path)
            .run(&Runner::Native);
        let last = out.stderr_str().lines().last().unwrap_or("").to_string();
        assert!(
            last.starts_with("SyntaxError: ")
                && last.contains(word)
                && last.contains("outside the minipy subset"),
            "{file}: {last}"
        );
        assert_eq!(
            out.stdout_str(),
            "",
            "nothing runs before the whole file compiles"
        );
        assert_eq!(out.code(), Some(1));
    }
}

#[test]
fn dis_lists_cpython_style_bytecode() {
    let fib = workspace_root().join("examples/minipy/corpus/fib.py");
    let out = Exec::new(qemu_tests::example("minipy"))
        .arg("--dis")
        .arg(&fib)
        .run(&Runner::Native);
    let text = out.stdout_str();
    for op in [
        "LOAD_FAST",
        "COMPARE_OP",
        "POP_JUMP_IF_FALSE",
        "BINARY_OP",
        "CALL",
        "RETURN_VALUE",
        "FOR_RANGE",
    ] {
        assert!(text.contains(op), "--dis lacks {op}:\n{text}");
    }
    assert_eq!(out.code(), Some(0));
    let out = Exec::new(qemu_tests::example("minipy"))
        .arg("/no/such/file.py")
        .run(&Runner::Native);
    assert_eq!(
        (out.code(), out.stderr_str()),
        (
            Some(2),
            "minipy: can't open file '/no/such/file.py': [Errno 2] No such file or directory\n"
                .to_string()
        )
    );
}

#[test]
fn a_long_call_switches_to_machine_code_mid_loop() {
    // add_to_n is called once: only on-stack replacement can compile it, in the middle of
    // its loop, carrying total and i into machine code. (It adds `i % 10`, not `i`: a plain
    // sum of the counter is computed in closed form, without running the loop.)
    let dir = qemu_tests::scratch_dir("minipy-osr");
    let prog = dir.join("add.py");
    std::fs::write(&prog, "def add_to_n(n):\n    total = 0\n    for i in range(n):\n        total += i % 10\n    return total\nprint(add_to_n(arg(0)))\n").unwrap();
    for r in runners() {
        let out = Exec::new(qemu_tests::example("minipy"))
            .arg("--stats")
            .arg(&prog)
            .arg("3000000")
            .run(&r);
        assert_eq!(out.stdout_str(), "13500000\n", "on {}", r.name());
        let stats = out.stderr_str();
        let row = stats
            .lines()
            .find(|l| l.starts_with("add_to_n"))
            .unwrap_or_else(|| panic!("no stats row:\n{stats}"));
        let cols: Vec<&str> = row.split_whitespace().collect();
        // columns: name, compiled-at (2 words), compile (2 words), bytes, moves, native
        // calls, loop entries, deopts, interp (2 words), native (2 words)
        let n = cols.len();
        assert_eq!(cols[n - 6], "1", "one loop entry on {}:\n{stats}", r.name());
        // The register-to-register moves left in the code: each is 3 bytes.
        let (bytes, moves) = (cols[n - 9].parse::<usize>(), cols[n - 8].parse::<usize>());
        assert!(
            matches!((bytes, moves), (Ok(b), Ok(m)) if b > 0 && 3 * m <= b),
            "bytes and moves columns on {}:\n{stats}",
            r.name()
        );
        assert_eq!(cols[n - 5], "0", "no deopt on {}:\n{stats}", r.name());
        // Time in each tier: most of the 3M iterations ran as machine code.
        let ms = |i: usize| cols[i].parse::<f64>().unwrap_or(-1.0);
        assert!(
            ms(n - 2) > 0.0 && ms(n - 4) >= 0.0,
            "native and interpreter times on {}:\n{stats}",
            r.name()
        );
        assert!(
            stats.contains("time in each tier: interpreter "),
            "no per-tier total on {}:\n{stats}",
            r.name()
        );
        // The same in the interpreter, and an overflow deoptimizes to CPython's answer path.
        let out = Exec::new(qemu_tests::example("minipy"))
            .args(["--mode", "interp"])
            .arg(&prog)
            .arg("3000000")
            .run(&r);
        assert_eq!(out.stdout_str(), "13500000\n");
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// A traceback as `python3 FILE` prints it, FILE given relative to the working directory:
/// the path made absolute (as written, `..` kept), each frame's source line and carets —
/// natively and under QEMU, in every mode.
#[test]
fn tracebacks_name_the_script_by_its_absolute_path_with_source_lines() {
    let dir = qemu_tests::scratch_dir("minipy-traceback");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("sub/average.py"),
        "def average(total, count):\n    return total // count\n\n\ndef report(xs_total, n):\n    \
         print(\"average\", average(xs_total, n))\n\n\nreport(10, 2)\nreport(7, 0)\n",
    )
    .unwrap();
    let rel = "./sub/../sub/average.py";
    let want = std::process::Command::new("python3")
        .env("PYTHONHASHSEED", "0")
        .arg(rel)
        .current_dir(&dir)
        .output()
        .expect("python3 is the oracle and must be installed");
    let want_err = String::from_utf8_lossy(&want.stderr).into_owned();
    assert!(
        want_err.contains("~~~~~~^^~~~~~~") && want_err.contains("/sub/../sub/average.py"),
        "{want_err}"
    );
    for r in runners() {
        for mode in ["interp", "jit", "auto"] {
            let got = Exec::new(qemu_tests::example("minipy"))
                .args(["--mode", mode])
                .arg(rel)
                .current_dir(&dir)
                .run(&r);
            assert_eq!(got.stdout_str(), String::from_utf8_lossy(&want.stdout));
            assert_eq!(got.stderr_str(), want_err, "{} ({mode})", r.name());
            assert_eq!(got.code(), want.status.code());
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// The `.py` files directly in `dir`, sorted.
fn py_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
}

/// The rows of `minipy --mode auto --stats KERNEL` that name why a function stays
/// interpreted.
fn refusals(kernel: &std::path::Path) -> Vec<String> {
    let out = Exec::new(qemu_tests::example("minipy"))
        .args(["--mode", "auto", "--stats"])
        .arg(kernel)
        .run(&Runner::Native);
    assert_eq!(out.code(), Some(0), "{}", kernel.display());
    let stats = out.stderr_str();
    let mut lines = stats.lines();
    let header = lines.next().unwrap_or("");
    let notes = header.find("notes").expect("a notes column");
    lines
        .filter(|l| !l.starts_with("time in each tier"))
        .filter(|row| row.get(notes..).is_some_and(|n| !n.trim().is_empty()))
        .map(|row| format!("{}: {row}", kernel.display()))
        .collect()
}

/// The JIT tier compiles every function of every bench/py kernel that it tries: `--stats`
/// names a reason for any function it refuses, and there must be none (a function that
/// never got hot has no reason and stays interpreted, which is no refusal).
#[test]
fn the_jit_refuses_no_function_of_the_bench_kernels() {
    let kernels = py_files(&workspace_root().join("bench/py"));
    assert!(kernels.len() >= 8, "{} kernels", kernels.len());
    let refused: Vec<String> = kernels.iter().flat_map(|k| refusals(k)).collect();
    assert!(refused.is_empty(), "{}", refused.join("\n"));
}

/// Functions that change the lists they are given (sort in place, fill a table, search
/// with a stack of their own and a list of flags they were handed) run as machine code in
/// auto mode, their loops entered in the middle where the interpreter found them hot:
/// none is refused and each ran compiled — and the program agrees with python3 in every
/// mode (it is also in `aot-may-refuse/`).
#[test]
fn helpers_that_change_their_lists_run_compiled() {
    let file = workspace_root().join("examples/minipy/aot-may-refuse/list_helpers_compiled.py");
    let path = file.to_str().unwrap();
    for mode in ["interp", "jit", "auto"] {
        check_mode(path, &[], &Runner::Native, mode);
    }
    let refused = refusals(&file);
    assert!(refused.is_empty(), "{}", refused.join("\n"));
    let out = Exec::new(qemu_tests::example("minipy"))
        .args(["--mode", "auto", "--stats", path])
        .run(&Runner::Native);
    let stats = out.stderr_str();
    for f in [
        "insertion_sort",
        "selection_sort",
        "prefix_sums",
        "reachable",
    ] {
        let row = stats
            .lines()
            .find(|l| l.split_whitespace().next() == Some(f))
            .unwrap_or_else(|| panic!("no row for {f}:\n{stats}"));
        assert!(entered(row) > 0, "{f} never ran compiled:\n{stats}");
    }
}

/// Functions whose code after their loops compiled code cannot run (prints, strings, a
/// dict) run their loops as machine code all the same: compiled code stops after them and
/// hands the interpreter the frame (`main()` of an ordinary script, its loops between its
/// prints each compiled from its own head) — and the programs agree with python3 in every
/// mode.
#[test]
fn loops_before_prints_run_compiled() {
    for (file, functions) in [
        ("stops_in_main.py", &["main"][..]),
        ("stops_after_loops.py", &["summary", "nothing_after"][..]),
        // (Its strings stay in the interpreter's frame across the loops.)
        ("ord_main_strings_then_loops.py", &["main"][..]),
    ] {
        let stats = right_in_every_mode_with_stats(&format!("aot-may-refuse/{file}"));
        for f in functions {
            let row = stats
                .lines()
                .find(|l| l.split_whitespace().next() == Some(*f))
                .unwrap_or_else(|| panic!("no row for {f}:\n{stats}"));
            assert!(entered(row) > 0, "{f} never ran compiled:\n{stats}");
        }
    }
}

/// The module code's loops run as machine code: each compiled from its head as the loop of
/// the module code as a function whose locals are the globals only it assigns, handing the
/// globals back where it stops (at the prints between them, and at a print in a branch of a
/// loop) — and the programs agree with python3 in every mode.
#[test]
fn module_loops_run_compiled() {
    for (file, loops) in [
        ("corpus/mod_loop_sums.py", 3),
        ("corpus/mod_loop_calls.py", 2),
        ("aot-may-refuse/mod_loop_lists.py", 3),
        // (Prints in a branch of the loop: each stops the code, which is entered again.)
        ("aot-may-refuse/mod_loop_search_prints.py", 3),
        ("corpus/alg_armstrong.py", 3),
    ] {
        let stats = right_in_every_mode_with_stats(file);
        let row = stats
            .lines()
            .find(|l| l.starts_with("<module> "))
            .unwrap_or_else(|| panic!("no row for the module code:\n{stats}"));
        assert!(
            entered(row) >= loops,
            "the module code's loops of {file} ran compiled fewer than {loops} times:\n{stats}"
        );
    }
}

/// Checks `examples/minipy/FILE` against python3 in every mode; its `--stats` in auto mode.
fn right_in_every_mode_with_stats(file: &str) -> String {
    let file = workspace_root().join("examples/minipy").join(file);
    let path = file.to_str().unwrap();
    for mode in ["interp", "jit", "auto"] {
        check_mode(path, &[], &Runner::Native, mode);
    }
    let out = Exec::new(qemu_tests::example("minipy"))
        .args(["--mode", "auto", "--stats", path])
        .run(&Runner::Native);
    out.stderr_str().to_string()
}

/// How often the compiled code of the function on `--stats` row `row` was entered (calls
/// and loop entries). (A row without notes ends: native calls, loop entries, deopts, interp
/// "x ms", native "y ms".)
fn entered(row: &str) -> u64 {
    let cols: Vec<&str> = row.split_whitespace().collect();
    let count = |from_end: usize| cols[cols.len() - from_end].parse::<u64>().unwrap();
    count(7) + count(6)
}

/// Generator expressions that sum/any/all/min/max fold run as machine code: inside the
/// compiled functions that make them (none of which is refused), and where the interpreter
/// makes them (a function called once, the module) as folds compiled on their own — and
/// the programs agree with python3 in every mode.
#[test]
fn generator_expressions_folded_run_compiled() {
    let dir = workspace_root().join("examples/minipy/aot-may-refuse");
    let (inside, made) = (
        dir.join("generator_expressions_folded.py"),
        dir.join("generator_expressions_folded_where_made.py"),
    );
    for file in [&inside, &made] {
        for mode in ["interp", "jit", "auto"] {
            check_mode(file.to_str().unwrap(), &[], &Runner::Native, mode);
        }
    }
    let stats = |file: &std::path::Path| {
        let out = Exec::new(qemu_tests::example("minipy"))
            .args(["--mode", "auto", "--stats"])
            .arg(file)
            .run(&Runner::Native);
        out.stderr_str().to_string()
    };
    let s = stats(&inside);
    for f in [
        "sum_sq", "any_over", "all_even", "tri", "pairs", "row_sums", "picks",
    ] {
        let row = s
            .lines()
            .find(|l| l.split_whitespace().next() == Some(f))
            .unwrap_or_else(|| panic!("no row for {f}:\n{s}"));
        assert!(
            row.trim_end().ends_with(" ms"),
            "{f} has a note (refused or dropped):\n{s}"
        );
        assert!(entered(row) > 0, "{f} never ran compiled:\n{s}");
    }
    // Each fold the module makes over a long range or list ran compiled on its own.
    let s = stats(&made);
    let folds = s
        .lines()
        .filter(|l| l.starts_with("<genexpr>") && !l.contains(" - "))
        .count();
    assert!(folds >= 6, "{folds} folds compiled where made:\n{s}");
}

/// bench/py/refused holds kernels with a function the JIT leaves to the interpreter (the
/// `bench counts` table of their calls' cost in auto mode): each agrees with python3 in
/// every mode, and `--stats` names a reason for at least one function — else the table
/// measures nothing.
#[test]
fn the_refused_bench_kernels_are_refused_and_right() {
    let kernels = py_files(&workspace_root().join("bench/py/refused"));
    assert!(kernels.len() >= 2, "{} kernels", kernels.len());
    for k in &kernels {
        let file = k.to_str().unwrap();
        for mode in ["interp", "jit", "auto"] {
            check_mode(file, &[], &Runner::Native, mode);
        }
        assert!(!refusals(k).is_empty(), "{file}: no function refused");
    }
}

/// Peak RSS (KiB) of the runner on `file` (natively; wait4 reports it), with its stdout.
#[allow(clippy::zombie_processes)] // reaped by wait4, which reports the peak RSS
fn peak_rss(file: &std::path::Path, mode: &str) -> (i64, String) {
    use std::process::{Command, Stdio};
    let out = std::env::temp_dir().join(format!("minipy-rss-{}-{mode}", std::process::id()));
    let child = Command::new(qemu_tests::example("minipy"))
        .args(["--mode", mode])
        .arg(file)
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let w = rt::sys::wait4(child.id() as i32, 0).unwrap();
    assert_eq!(w.status, 0, "{}", file.display());
    let text = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    (w.usage.maxrss, text)
}

/// Lists, tuples, strings and dicts are collected: a loop that builds and drops them runs
/// in the same memory for 10⁵ turns and for 10⁷ (issue 16: under 64 MiB).
#[test]
fn objects_made_and_dropped_in_a_loop_take_constant_memory() {
    let dir = qemu_tests::scratch_dir("minipy-rss");
    let program = |n: u64| {
        format!(
            "total = 0\nfor i in range({n}):\n    xs = [i, i + 1, (i, str(i))]\n    d = {{i: xs}}\n    total += len(xs) + xs[1] + len(d[i][2][1])\nprint(total)\n"
        )
    };
    // (Compiled code does not touch objects: the interpreter's loop is the one to measure.)
    for mode in ["interp"] {
        let mut peaks = Vec::new();
        for n in [100_000u64, 10_000_000] {
            let file = dir.join(format!("loop_{n}.py"));
            std::fs::write(&file, program(n)).unwrap();
            let (kib, out) = peak_rss(&file, mode);
            let digits: u64 = (0..n).map(|i| i.to_string().len() as u64).sum();
            let want = 3 * n + n * (n + 1) / 2 + digits;
            assert_eq!(out.trim(), want.to_string(), "{mode} {n}");
            peaks.push(kib);
        }
        assert!(
            peaks[1] < 64 * 1024 && peaks[1] < peaks[0] + 8 * 1024,
            "{mode}: peak RSS {} KiB after 10^5 turns, {} KiB after 10^7",
            peaks[0],
            peaks[1]
        );
    }
    // A generator expression runs as its consumer pulls: summing 10^7 values holds none of
    // them (made eagerly, they took 300 MiB).
    let sums = |n: u64| format!("print(sum(i * i for i in range({n}) if i % 3))\n");
    let mut peaks = Vec::new();
    for n in [100_000u64, 10_000_000] {
        let file = dir.join(format!("sum_{n}.py"));
        std::fs::write(&file, sums(n)).unwrap();
        let (kib, out) = peak_rss(&file, "interp");
        let want: u128 = (0..n as u128).filter(|i| i % 3 != 0).map(|i| i * i).sum();
        assert_eq!(out.trim(), want.to_string(), "sum of a generator, {n}");
        peaks.push(kib);
    }
    assert!(
        peaks[1] < peaks[0] + 4 * 1024,
        "sum of a generator: peak RSS {} KiB for 10^5 values, {} KiB for 10^7",
        peaks[0],
        peaks[1]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A list of bools takes a byte an item (`Obj::Bools`), in the interpreter and in compiled
/// code: two lists of 5·10⁷ flags live at once fit in 128 MiB with the runner (95 MiB of
/// bytes; as values, 16 bytes each, they took 1.6 GB), and a store of another kind turns a
/// list into values with the same items.
#[test]
fn lists_of_bools_take_a_byte_an_item() {
    let dir = qemu_tests::scratch_dir("minipy-flags");
    let n = 50_000_000u64;
    let program = format!(
        "def marks(n):\n    flags = [False] * n\n    for j in range(0, n, 7):\n        flags[j] = True\n    count = 0\n    for f in flags:\n        if f:\n            count += 1\n    return count\n\n\nflags = [True, False] * {half}\nflags[-1] = True\nprint(marks({n}), sum(flags), len(flags))\nsmall = [False] * 3\nsmall[1] = 2\nprint(small)\n",
        half = n / 2
    );
    let file = dir.join("flags.py");
    std::fs::write(&file, program).unwrap();
    for mode in ["interp", "jit"] {
        let (kib, out) = peak_rss(&file, mode);
        assert_eq!(
            out,
            format!("{} {} {n}\n[False, 2, False]\n", n.div_ceil(7), n / 2 + 1),
            "{mode}"
        );
        assert!(
            kib < 128 * 1024,
            "{mode}: peak RSS {kib} KiB for two lists of {n} bools"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// `--ir` lists, after the program's own output, the IR of everything compiled as the
/// backend's passes leave it (matmul's: its bounds checks decided once per loop, so a loop
/// of its products without a check is in it); with the interpreter only, it says so.
#[test]
fn ir_lists_what_was_compiled_after_the_output() {
    let kernel = workspace_root().join("bench/py/objects/matmul.py");
    let out = Exec::new(qemu_tests::example("minipy"))
        .args(["--mode", "auto", "--ir"])
        .arg(&kernel)
        .run(&Runner::Native);
    assert_eq!(out.code(), Some(0));
    assert_eq!(out.stdout_str(), "45413102 4903\n");
    let ir = out.stderr_str();
    assert!(ir.starts_with("# <listcomp>, compiled for calls\n"), "{ir}");
    assert!(ir.contains("\n# matmul, compiled for "), "{ir}");
    assert!(ir.contains("fn py_2_matmul("), "{ir}");
    // Some loop block reads both items and multiplies them with no unsigned compare
    // between (a bounds check would end the block after the first read).
    let blocks: Vec<&str> = ir.split("\nblock").collect();
    assert!(
        blocks.iter().any(|b| b.matches("load_u64").count() >= 2
            && b.contains("mul.ovf")
            && !b.contains("br_ult")),
        "{ir}"
    );
    assert!(
        ir.contains(" ule "),
        "no entry test of a loop's bound: {ir}"
    );
    let interp = Exec::new(qemu_tests::example("minipy"))
        .args(["--mode", "interp", "--ir"])
        .arg(&kernel)
        .run(&Runner::Native);
    assert_eq!(interp.code(), Some(0));
    assert!(
        interp.stderr_str().contains("interpreter only"),
        "{}",
        interp.stderr_str()
    );
}

/// Programs that read stdin (`input()`, `sys.stdin` iterated, `read`, `readline`,
/// `readlines`) and the input each reads (`examples/minipy/stdin/NAME.py` and `NAME.in`):
/// stdout, status and the whole of stderr as python3's, in every mode on every runner,
/// and ahead of time natively.
#[test]
fn programs_reading_stdin_agree_with_python3() {
    let dir = workspace_root().join("examples/minipy/stdin");
    let files = py_files(&dir);
    assert!(files.len() >= 4, "{} stdin programs", files.len());
    let out_dir = qemu_tests::scratch_dir("minipy-stdin");
    for f in &files {
        let input = std::fs::read(f.with_extension("in")).expect("each stdin program has its .in");
        let file = f.to_str().unwrap();
        let mut py = std::process::Command::new("python3");
        py.env("PYTHONHASHSEED", "0")
            .arg(file)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = py.spawn().expect("python3 is the oracle");
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), &input).unwrap();
        let want = child.wait_with_output().unwrap();
        let (want_out, want_err) = (
            String::from_utf8_lossy(&want.stdout).into_owned(),
            String::from_utf8_lossy(&want.stderr).into_owned(),
        );
        let same = |got: &qemu_tests::Output, what: &str| {
            assert_eq!(got.stdout_str(), want_out, "{file} stdout ({what})");
            assert_eq!(got.code(), want.status.code(), "{file} status ({what})");
            assert_eq!(got.stderr_str(), want_err, "{file} stderr ({what})");
        };
        for r in runners() {
            for mode in ["interp", "jit", "auto"] {
                let got = Exec::new(qemu_tests::example("minipy"))
                    .args(["--mode", mode, file])
                    .stdin(input.clone())
                    .run(&r);
                same(&got, &format!("{mode} on {}", r.name()));
            }
        }
        let exe = out_dir.join(f.file_stem().unwrap());
        let made = Exec::new(qemu_tests::example("minipy"))
            .arg("--aot")
            .arg(file)
            .arg("-o")
            .arg(&exe)
            .run(&Runner::Native);
        assert_eq!(made.code(), Some(0), "{file}: {}", made.stderr_str());
        let got = Exec::new(&exe).stdin(input.clone()).run(&Runner::Native);
        same(&got, "ahead of time");
    }
    std::fs::remove_dir_all(out_dir).unwrap();
}
