//! minipy in-process (interpreter), every corpus program against python3.

use minipy::{Host, Mode, Vm, compile, render_syntax_error};
use std::path::PathBuf;
use std::process::Command;

struct Capture {
    out: Vec<u8>,
    err: Vec<u8>,
    args: Vec<String>,
}

impl Host for Capture {
    fn write(&mut self, b: &[u8]) {
        self.out.extend_from_slice(b);
    }
    fn write_err(&mut self, b: &[u8]) {
        self.err.extend_from_slice(b);
    }
    fn arg(&self, i: i64) -> Option<&[u8]> {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.args.get(i))
            .map(|a| a.as_bytes())
    }
}

/// (stdout, stderr, exit code) the way minipy reports them — on a thread with the
/// stack an unoptimized compiler needs for CPython's deepest nesting (3,000 levels).
fn minipy(path: &str, src: &str, mode: Mode) -> (String, String, i32) {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(s, || minipy_here(path, src, mode))
            .unwrap()
            .join()
            .unwrap()
    })
}

fn minipy_here(path: &str, src: &str, mode: Mode) -> (String, String, i32) {
    match compile(src, path) {
        Err(e) => (String::new(), render_syntax_error(&e, path, src), 1),
        Ok(p) => {
            let mut host = Capture {
                out: Vec::new(),
                err: Vec::new(),
                args: Vec::new(),
            };
            let mut vm = Vm::with_mode(&p, mode);
            let r = vm.run(&mut host);
            let out = String::from_utf8(host.out).unwrap();
            // What the program wrote to stderr, then the traceback.
            let err = String::from_utf8(host.err).unwrap();
            match r {
                Ok(()) => (out, err, 0),
                Err(tb) => {
                    let (text, status) = tb.report(path, src);
                    (out, err + &text, status)
                }
            }
        }
    }
}

fn python(path: &str) -> (String, String, i32) {
    let o = Command::new("python3")
        .env("PYTHONHASHSEED", "0")
        .arg(path)
        .output()
        .expect("python3 is the oracle and must be installed");
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

/// The same with only the last line of stderr.
fn last_line((out, err, status): (String, String, i32)) -> (String, String, i32) {
    (out, err.lines().last().unwrap_or("").to_string(), status)
}

#[test]
fn corpus_matches_cpython_in_every_mode() {
    // The corpus, the programs only the AOT compiler refuses, and those past 64 bits.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/minipy");
    let mut files: Vec<PathBuf> = ["corpus", "aot-may-refuse", "big"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for f in &files {
        let path = f.to_str().unwrap();
        let bytes = std::fs::read(f).unwrap();
        let want = python(path);
        for mode in [Mode::Interp, Mode::Jit, Mode::Auto] {
            // Read as the runner reads it: UTF-8, or CPython's SyntaxError.
            let got = match minipy::decode_source(&bytes, path) {
                Ok(src) => minipy(path, &src, mode),
                Err(e) => (String::new(), render_syntax_error(&e, path, ""), 1),
            };
            let (ws, gs) = (&want.1, &got.1);
            // The whole report: the traceback with its source lines and carets, or the
            // SyntaxError with its own.
            let stderr_ok =
                ws == gs || (ws.contains("Non-UTF-8 code") && gs.contains("Non-UTF-8 code"));
            if want.0 != got.0 || want.2 != got.2 || !stderr_ok {
                failures.push(format!(
                    "{} ({mode:?}):\n  python: {:?}\n  minipy: {:?}",
                    f.display(),
                    want,
                    got
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} programs differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// The recursion limit at its exact boundary, in every mode.
#[test]
fn the_recursion_limit_is_exact_in_every_mode() {
    // 999 calls deep is the most CPython allows from module level (its limit of 1,000
    // counts the module's frame); the innermost call here is a base case the interpreter
    // answers at the call site, without a frame, and it must count all the same.
    let src = "def down(n):\n    if n < 1:\n        return n\n    return down(n - 1)\n";
    for mode in [Mode::Interp, Mode::Jit, Mode::Auto] {
        let ok = last_line(minipy(
            "limit_ok.py",
            &format!("{src}print(down(998))\n"),
            mode,
        ));
        assert_eq!(ok, ("0\n".to_string(), String::new(), 0), "{mode:?}");
        let over = last_line(minipy(
            "limit_over.py",
            &format!("{src}print(down(999))\n"),
            mode,
        ));
        assert_eq!(
            over,
            (
                String::new(),
                "RecursionError: maximum recursion depth exceeded".to_string(),
                1
            ),
            "{mode:?}"
        );
    }
}

/// Where a result leaves 64 bits, CPython's exact int — in every mode, whichever fused form
/// of the interpreter (or compiled code, which deoptimizes) the operation is part of.
#[test]
fn results_past_64_bits_are_exact_in_every_mode() {
    let big = "m = 9223372036854775807\n";
    let cases: &[(&str, &str)] = &[
        ("x = m\nx = x + 1\n", ""),
        (
            "def f(a):\n    return 3 * a + 1\nprint(f(5))\nprint(f(m // 3 + 1))\n",
            "16\n",
        ),
        (
            "def f(a, b):\n    return (a ^ b) + 1\nprint(f(6, 3))\nprint(f(m, 0))\n",
            "6\n",
        ),
        (
            "def f(a, b):\n    return a + b\nprint(f(1, 2))\nprint(f(m, 1))\n",
            "3\n",
        ),
        (
            "def g(n):\n    return n\ndef f(n):\n    return g(n + 1)\nprint(f(1))\nprint(f(m))\n",
            "2\n",
        ),
        (
            "def f(a):\n    if a * 2 == 0:\n        return 0\n    return 1\nprint(f(0), f(3))\nprint(f(m))\n",
            "0 1\n",
        ),
        (
            "t = 0\nfor i in range(m - 2, m):\n    t = t + i\nprint(t)\n",
            "",
        ),
        (
            "def f(n):\n    s = 1\n    for i in range(n):\n        s = s * 3 + 1\n    return s\nprint(f(3))\nprint(f(100))\n",
            "40\n",
        ),
        // A loop's last increment fused with its test.
        (
            "def f(s):\n    n = 5\n    while n != 1:\n        n -= 1\n        s += 1\n    return s\nprint(f(0))\nprint(f(m - 2))\n",
            "4\n",
        ),
        // Sums the JIT computes in closed form: the overflow comes from the loop itself.
        (
            "def f(n, s):\n    for i in range(n):\n        s += i\n    return s\nprint(f(10, 5))\nprint(f(100, m - 4000))\n",
            "50\n",
        ),
        (
            "def f(n):\n    s = -m\n    i = 0\n    while i < n:\n        s -= i + 1\n        i += 1\n    return s\nprint(f(0))\nprint(f(5))\n",
            "-9223372036854775807\n",
        ),
    ];
    let dir = std::env::temp_dir().join(format!("minipy-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for (i, (body, out)) in cases.iter().enumerate() {
        let src = format!("{big}{body}");
        let path = dir.join(format!("big{i}.py"));
        std::fs::write(&path, &src).unwrap();
        let path = path.to_str().unwrap();
        let want = python(path);
        // Each case's first line is small: the fast path ran before the slow one.
        assert!(want.0.starts_with(out), "{src}");
        for mode in [Mode::Interp, Mode::Jit, Mode::Auto] {
            let got = minipy(path, &src, mode);
            if got != want {
                failures.push(format!("{mode:?}:\n{src}\npython {want:?}\nminipy {got:?}"));
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// CPython's limits on nesting, at the exact boundary, against `python3 FILE` (run directly:
/// CPython counts the depth it compiles from, so a program compiled from inside another
/// reaches the limit a few levels sooner): 200 brackets, 99 indented blocks, 3,000 levels
/// of syntax tree (RecursionError while compiling), ~6,000 levels of parser (MemoryError);
/// inconsistent tabs are a TabError. Every mode, never a crash.
#[test]
fn nesting_limits_match_cpython_exactly() {
    let sum = |n: usize| format!("x = {}\nprint(x)\n", vec!["1"; n].join("+"));
    let neg = |n: usize| format!("x = {}1\nprint(x)\n", "-".repeat(n));
    let parens = |n: usize| format!("x = {}1{}\nprint(x)\n", "(".repeat(n), ")".repeat(n));
    // Brackets around a unary chain: CPython's parser spends 28 levels on a group and 24 on
    // a call's arguments (less on the first of a statement), so 199 parentheses leave room
    // for only 413 minus signs.
    let group_neg = |pre: &str, p: usize, n: usize| {
        let post = if pre.ends_with('(') { ")" } else { "" };
        format!(
            "def f(a):\n    return a\n{pre}{}{}1{}{post}\nprint(1)\n",
            "(".repeat(p),
            "-".repeat(n),
            ")".repeat(p)
        )
    };
    let call_neg = |pre: &str, p: usize, n: usize| {
        let post = if pre.ends_with('(') { ")" } else { "" };
        format!(
            "def f(a):\n    return a\n{pre}{}{}1{}{post}\nprint(1)\n",
            "f(".repeat(p),
            "-".repeat(n),
            ")".repeat(p)
        )
    };
    let indents = |n: usize| {
        let mut s: String = (0..n)
            .map(|i| format!("{}if 1:\n", " ".repeat(i)))
            .collect();
        s.push_str(&format!("{}print({n})\n", " ".repeat(n)));
        s
    };
    let in_def = |n: usize| {
        format!(
            "def f(x):\n    return {}\nprint(f(1))\n",
            vec!["x"; n].join("+")
        )
    };
    let cases = [
        ("sum_2999", sum(2999)),
        ("sum_3000", sum(3000)),
        ("neg_2998", neg(2998)),
        ("neg_2999", neg(2999)),
        ("neg_5967", neg(5967)),
        ("neg_5968", neg(5968)),
        ("parens_200", parens(200)),
        ("parens_201", parens(201)),
        ("group_neg_413", group_neg("x = ", 199, 413)),
        ("group_neg_414", group_neg("x = ", 199, 414)),
        ("group_sum_neg_5911", group_neg("x = 1 + ", 2, 5911)),
        ("group_sum_neg_5912", group_neg("x = 1 + ", 2, 5912)),
        ("call_neg_5937", call_neg("x = ", 2, 5937)),
        ("call_neg_5938", call_neg("x = ", 2, 5938)),
        ("stmt_call_neg_5940", call_neg("print(", 1, 5940)),
        ("stmt_call_neg_5941", call_neg("print(", 1, 5941)),
        ("indents_99", indents(99)),
        ("indents_100", indents(100)),
        ("def_2998", in_def(2998)),
        ("def_2999", in_def(2999)),
        ("tabs", "if 1:\n        x = 1\n\tprint(x)\n".to_string()),
    ];
    let dir = std::env::temp_dir().join(format!("minipy-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for (name, src) in &cases {
        let path = dir.join(format!("{name}.py"));
        std::fs::write(&path, src).unwrap();
        let path = path.to_str().unwrap();
        let want = python(path);
        for mode in [Mode::Interp, Mode::Jit, Mode::Auto] {
            let got = minipy(path, src, mode);
            if got != want {
                failures.push(format!(
                    "{name} ({mode:?}): python {want:?}, minipy {got:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The JIT's `pow(b, e, m)` routine against python3 on a grid of bases, exponents and
/// moduli — negative ones, inverses, the extremes of 64 bits — where it answers (its DEOPT
/// cases are those python3 raises for: the interpreter re-runs them).
#[test]
fn the_jits_modular_pow_agrees_with_python3() {
    let values = [
        0i64,
        1,
        -1,
        2,
        -2,
        3,
        7,
        -7,
        10,
        97,
        -97,
        1_000_000_007,
        i64::MAX,
        i64::MIN,
        i64::MIN + 1,
        (1 << 40) + 3,
    ];
    let exps = [0i64, 1, 2, 5, 62, 63, 1000, -1, -2, -5, i64::MAX, i64::MIN];
    let mut cases = Vec::new();
    for &b in &values {
        for &e in &exps {
            for &m in &values {
                cases.push((b, e, m));
            }
        }
    }
    let script = std::env::temp_dir().join(format!("minipy-powmod-{}.py", std::process::id()));
    let mut src = String::from("cases = [\n");
    for (b, e, m) in &cases {
        src += &format!("({b}, {e}, {m}),\n");
    }
    src += "]\nfor b, e, m in cases:\n    try:\n        print(pow(b, e, m))\n    except ValueError:\n        print('raises')\n";
    std::fs::write(&script, src).unwrap();
    let (out, err, status) = python(script.to_str().unwrap());
    std::fs::remove_file(&script).unwrap();
    assert_eq!(status, 0, "{err}");
    let want: Vec<&str> = out.lines().collect();
    assert_eq!(want.len(), cases.len());
    for ((b, e, m), want) in cases.iter().zip(want) {
        let got = minipy::tier::pow_mod_checked(*b, *e, *m);
        if want == "raises" {
            assert_eq!(got, minipy::tier::DEOPT, "pow({b}, {e}, {m})");
        } else {
            assert_eq!(got.to_string(), want, "pow({b}, {e}, {m})");
        }
    }
}
