//! Seeded random minipy programs: CPython's output, exit status and whole stderr, in
//! every mode. `MINIPY_RANDOM=N` (set by `cargo xtask soak py N`) runs N programs instead of
//! the default 300; `MINIPY_RANDOM_FROM` picks the first seed.

use minipy::{Host, Mode, Vm, compile, randprog};
use std::io::Write;
use std::process::{Command, Stdio};

struct Capture(Vec<u8>);

impl Host for Capture {
    fn write(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    fn arg(&self, _: i64) -> Option<&[u8]> {
        None
    }
}

/// Runs many programs in one python3 process; each result is (stdout, stderr, status). Each
/// program is written to `prog.py` first (in a directory of its own), where CPython's
/// traceback reads its source lines.
const RUNNER: &str = r#"
import sys, io, os, tempfile, contextlib
# This loop and exec() are two levels of recursion a program run directly would not have.
sys.setrecursionlimit(1002)
os.chdir(tempfile.mkdtemp(prefix="minipy-random-"))
progs = sys.stdin.read().split("\0")
for src in progs:
    with open("prog.py", "w", encoding="utf-8") as f:
        f.write(src)
    out = io.StringIO()
    status, last = 0, ""
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(src, "prog.py", "exec"), {"__name__": "__main__"})
    except Exception as e:
        status = 1
        # CPython's own display (its "Did you mean" is there, not in the traceback module).
        err, saved = io.StringIO(), sys.stderr
        sys.stderr = err
        try:
            # Without the frame of this loop.
            e.__traceback__ = e.__traceback__.tb_next
            sys.__excepthook__(type(e), e, e.__traceback__)
        finally:
            sys.stderr = saved
        last = err.getvalue()
    sys.stdout.write(repr((out.getvalue(), last, status)) + "\0")
"#;

fn python_many(srcs: &[String]) -> Vec<String> {
    let mut child = Command::new("python3")
        .env("PYTHONHASHSEED", "0")
        .arg("-c")
        .arg(RUNNER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 is the oracle and must be installed");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(srcs.join("\0").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the python runner failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .split('\0')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The same triple, formatted the way Python's repr does for these strings.
fn py_repr(out: &str, last: &str, status: i32) -> String {
    fn s(x: &str) -> String {
        // Python quotes with " when the text has a ' and no ".
        let q = if x.contains('\'') && !x.contains('"') {
            '"'
        } else {
            '\''
        };
        let mut r = String::from(q);
        for c in x.chars() {
            match c {
                '\\' => r.push_str("\\\\"),
                '\n' => r.push_str("\\n"),
                '\t' => r.push_str("\\t"),
                '\r' => r.push_str("\\r"),
                c if c == q => {
                    r.push('\\');
                    r.push(c);
                }
                c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                    r.push_str(&format!("\\x{:02x}", c as u32));
                }
                c => r.push(c),
            }
        }
        r.push(q);
        r
    }
    format!("({}, {}, {})", s(out), s(last), status)
}

#[test]
fn random_programs_agree_with_cpython_in_every_mode() {
    let n: u64 = std::env::var("MINIPY_RANDOM")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let from: u64 = std::env::var("MINIPY_RANDOM_FROM")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    // Every other program also mixes value kinds (None, strings, bools, ints) and globals
    // assigned by functions.
    let srcs: Vec<String> = (from..from + n)
        .map(|s| {
            if s % 2 == 1 {
                randprog::program_with_kinds(s)
            } else {
                randprog::program(s)
            }
        })
        .collect();
    let want = python_many(&srcs);
    assert_eq!(want.len(), srcs.len());
    let mut errors = 0;
    let (mut native, mut functions) = (0u64, 0u64);
    // The same, for the int-only programs (even seeds): there the JIT tier should run most.
    let (mut int_native, mut int_functions) = (0u64, 0u64);
    for (i, (src, want)) in srcs.iter().zip(&want).enumerate() {
        let program = compile(src, "prog.py").unwrap_or_else(|e| {
            panic!(
                "seed {}: generated invalid code: {e:?}\n{src}",
                from + i as u64
            )
        });
        for mode in [Mode::Interp, Mode::Jit, Mode::Auto] {
            let mut out = Capture(Vec::new());
            let mut vm = Vm::with_mode(&program, mode);
            let (last, status) = match vm.run(&mut out) {
                Ok(()) => (String::new(), 0),
                Err(tb) => tb.report("prog.py", src),
            };
            let got = py_repr(&String::from_utf8(out.0).unwrap(), &last, status);
            assert_eq!(&got, want, "seed {} ({mode:?}):\n{src}", from + i as u64);
            if mode == Mode::Interp && status == 1 {
                errors += 1;
            }
            if mode == Mode::Jit {
                let tiers = vm.tiers().unwrap();
                let called = tiers
                    .iter()
                    .skip(1)
                    .filter(|t| t.calls > 0 || t.native_calls > 0)
                    .count() as u64;
                let ran = tiers
                    .iter()
                    .filter(|t| t.native_calls + t.osr_entries > 0)
                    .count() as u64;
                functions += called;
                native += ran;
                if (from + i as u64).is_multiple_of(2) {
                    int_functions += called;
                    int_native += ran;
                }
            }
        }
    }
    eprintln!(
        "{n} random programs, {errors} of them ending in an exception, agree in all modes; {native} of the {functions} functions called ran as machine code ({int_native} of {int_functions} in the int-only programs)"
    );
    // Functions of the mixed-kind programs (odd seeds) often take None or strings, which
    // stay interpreted; in the int-only ones the JIT tier should run most of them.
    assert!(
        int_native * 2 > int_functions,
        "the JIT tier should run most functions of the int-only programs: {int_native} of {int_functions}"
    );
}

/// The stress generator's programs ([`randprog::program_stress`]: mixed kinds in arithmetic,
/// conditional `def`s, nesting near the limits, escapes, odd whitespace, recursion near the
/// limit) against CPython in every mode. `MINIPY_STRESS` programs from seed
/// `MINIPY_STRESS_FROM` (`cargo xtask soak py` runs more).
#[test]
fn stress_programs_agree_with_cpython_in_every_mode() {
    let n: u64 = std::env::var("MINIPY_STRESS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let from: u64 = std::env::var("MINIPY_STRESS_FROM")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let srcs: Vec<String> = (from..from + n).map(randprog::program_stress).collect();
    // `python3 FILE` per program, as a user runs it: near the recursion limit CPython's
    // accounting depends on how it was started (print into a StringIO costs one level less
    // than into a pipe) and on what ran before in the process.
    let dir = std::env::temp_dir().join(format!("minipy-stress-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let want: Vec<String> = srcs
        .iter()
        .enumerate()
        .map(|(i, src)| {
            let file = dir.join(format!("s{i}.py"));
            std::fs::write(&file, src).unwrap();
            let o = Command::new("python3")
                .env("PYTHONHASHSEED", "0")
                .arg(&file)
                .output()
                .expect("python3 is the oracle and must be installed");
            py_repr(
                &String::from_utf8_lossy(&o.stdout),
                &String::from_utf8_lossy(&o.stderr),
                o.status.code().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(want.len(), srcs.len());
    let mut compile_errors = 0;
    for (i, (src, want)) in srcs.iter().zip(&want).enumerate() {
        let seed = from + i as u64;
        let file = dir.join(format!("s{i}.py"));
        let file = file.to_str().unwrap();
        // Deep expressions need more stack than a test thread has, unoptimized.
        let got: Vec<(Mode, String)> = std::thread::scope(|s| {
            std::thread::Builder::new()
                .stack_size(256 << 20)
                .spawn_scoped(s, || {
                    let program = match compile(src, "prog.py") {
                        Ok(p) => p,
                        Err(e) => {
                            let last = minipy::render_syntax_error(&e, file, src);
                            let r = py_repr("", &last, 1);
                            return [Mode::Interp, Mode::Jit, Mode::Auto]
                                .map(|m| (m, r.clone()))
                                .to_vec();
                        }
                    };
                    [Mode::Interp, Mode::Jit, Mode::Auto]
                        .map(|mode| {
                            let mut out = Capture(Vec::new());
                            let mut vm = Vm::with_mode(&program, mode);
                            let (last, status) = match vm.run(&mut out) {
                                Ok(()) => (String::new(), 0),
                                Err(tb) => tb.report(file, src),
                            };
                            (
                                mode,
                                py_repr(&String::from_utf8(out.0).unwrap(), &last, status),
                            )
                        })
                        .to_vec()
                })
                .unwrap()
                .join()
                .unwrap()
        });
        for (mode, got) in got {
            assert_eq!(&got, want, "stress seed {seed} ({mode:?}):\n{src}");
        }
        if want.contains("Error") && want.contains("\'\', \'") {
            compile_errors += 1;
        }
    }
    eprintln!(
        "{n} stress programs agree with CPython in every mode ({compile_errors} rejected before running)"
    );
}

/// The objects generator's programs ([`randprog::program_objects`]: lists, tuples, strings,
/// dicts, comprehensions, f-strings, methods, with errors) against CPython in every mode.
/// `MINIPY_OBJECTS` programs from seed `MINIPY_OBJECTS_FROM` (`cargo xtask soak py` runs
/// more).
#[test]
fn object_programs_agree_with_cpython_in_every_mode() {
    let var = |name: &str, default: u64| -> u64 {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (n, from) = (var("MINIPY_OBJECTS", 400), var("MINIPY_OBJECTS_FROM", 0));
    let srcs: Vec<String> = (from..from + n).map(randprog::program_objects).collect();
    let want = python_many(&srcs);
    let mut errors = 0;
    // Calls that ran compiled code which makes and reads lists (the generator's `lst` and
    // `flags`), and those that deoptimized.
    let (mut list_calls, mut list_deopts) = (0u64, 0u32);
    for (i, (src, want)) in srcs.iter().zip(&want).enumerate() {
        let seed = from + i as u64;
        let program = compile(src, "prog.py")
            .unwrap_or_else(|e| panic!("seed {seed}: generated invalid code: {e:?}\n{src}"));
        for mode in [Mode::Interp, Mode::Jit, Mode::Auto] {
            let mut out = Capture(Vec::new());
            let mut vm = Vm::with_mode(&program, mode);
            let (last, status) = match vm.run(&mut out) {
                Ok(()) => (String::new(), 0),
                Err(tb) => tb.report("prog.py", src),
            };
            if mode == Mode::Jit {
                let tiers = vm.tiers().expect("jit mode has tiers");
                for (code, t) in program.codes.iter().zip(tiers) {
                    if code.name == "lst" || code.name == "flags" {
                        list_calls += t.native_calls;
                        list_deopts += t.deopts;
                    }
                }
            }
            let got = py_repr(&String::from_utf8(out.0).unwrap(), &last, status);
            assert_eq!(&got, want, "seed {seed} ({mode:?}):\n{src}");
            if mode == Mode::Interp && status == 1 {
                errors += 1;
            }
        }
    }
    eprintln!(
        "{n} object programs, {errors} of them ending in an exception, agree in all modes; \
         {list_calls} compiled calls of functions on lists, {list_deopts} deoptimized"
    );
    if n >= 100 {
        assert!(
            list_calls > 0 && list_deopts > 0,
            "the JIT compiled none of the generated functions on lists, or none deoptimized"
        );
    }
}
