//! Source mutation fuzzing: random edits of the corpus (tokens deleted, duplicated or
//! swapped, bytes inserted, lines dropped or re-indented with tabs, expressions nested
//! hundreds deep, literals hundreds of digits long, bytes that are not UTF-8) through the
//! freestanding runner in every mode and through the AOT compiler. Each run must end as
//! CPython's does — or, where minipy reports a SyntaxError for a construct outside its subset,
//! with that error and its line — never with a signal, a hang or an internal panic, and never
//! by running a program CPython rejects.
//!
//! The suite runs `MINIPY_FUZZ_MUTANTS` (default 150) mutants from `MINIPY_FUZZ_SEED`;
//! `cargo xtask soak fuzz N` runs more with a fresh seed.

use linker::exe::Options;
use qemu_tests::{Exec, Output, Runner, minipy_corpus, scratch_dir};
use rt::rand::XorShift64;
use std::time::Duration;

/// Mutants in one `cargo xtask test`.
const SUITE_MUTANTS: usize = 150;
/// What a run may take: the corpus programs run in milliseconds; a mutant that loops forever
/// loops in CPython too.
const LIMIT: Duration = Duration::from_secs(10);
/// CPython's share of it: a mutant CPython has not ended in this long is skipped as a loop
/// (every corpus program ends in well under a second).
const CPYTHON_LIMIT: Duration = Duration::from_secs(3);

/// The source as spans: identifiers and numbers, string literals, operators, whitespace.
fn spans(src: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        let start = i;
        if c.is_ascii_alphanumeric() || c == b'_' {
            while i < src.len() && (src[i].is_ascii_alphanumeric() || src[i] == b'_') {
                i += 1;
            }
        } else if c == b'"' || c == b'\'' {
            i += 1;
            while i < src.len() && src[i] != c && src[i] != b'\n' {
                i += 1;
            }
            i = (i + 1).min(src.len());
        } else if c == b' ' || c == b'\t' {
            while i < src.len() && (src[i] == b' ' || src[i] == b'\t') {
                i += 1;
            }
        } else {
            i += 1;
        }
        out.push((start, i));
    }
    out
}

/// One random edit of `src`, and what it was.
fn mutate(src: &[u8], rng: &mut XorShift64) -> (Vec<u8>, &'static str) {
    let sp: Vec<(usize, usize)> = spans(src)
        .into_iter()
        .filter(|&(a, b)| !src[a..b].iter().all(|c| c.is_ascii_whitespace()))
        .collect();
    let pick = |rng: &mut XorShift64| sp[rng.below(sp.len() as u64) as usize];
    let splice = |a: usize, b: usize, with: &[u8]| {
        let mut v = src[..a].to_vec();
        v.extend_from_slice(with);
        v.extend_from_slice(&src[b..]);
        v
    };
    let lines: Vec<&[u8]> = src.split(|&c| c == b'\n').collect();
    match rng.below(10) {
        0 => {
            let (a, b) = pick(rng);
            (splice(a, b, b""), "delete a token")
        }
        1 => {
            let (a, b) = pick(rng);
            let t = src[a..b].to_vec();
            (splice(a, a, &t), "duplicate a token")
        }
        2 => {
            let (x, y) = (pick(rng), pick(rng));
            let ((a, b), (c, d)) = if x.0 <= y.0 { (x, y) } else { (y, x) };
            if b > c {
                return (src.to_vec(), "swap (overlapping: none)");
            }
            let mut v = src[..a].to_vec();
            v.extend_from_slice(&src[c..d]);
            v.extend_from_slice(&src[b..c]);
            v.extend_from_slice(&src[a..b]);
            v.extend_from_slice(&src[d..]);
            (v, "swap two tokens")
        }
        3 => {
            let at = rng.below(src.len() as u64 + 1) as usize;
            let junk: Vec<u8> = (0..1 + rng.below(3))
                .map(|_| b"()[]{}:;,.+-*/%=<>!~^&|@#\\\"' \t\n0x_"[rng.below(34) as usize])
                .collect();
            (splice(at, at, &junk), "insert punctuation")
        }
        4 => {
            let at = rng.below(src.len() as u64 + 1) as usize;
            let bad: &[u8] = [&b"\xff"[..], b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xe2\x82"]
                [rng.below(5) as usize];
            (splice(at, at, bad), "insert bytes that are not UTF-8")
        }
        5 => {
            // Nest a token in parentheses or unary operators, up to past every limit.
            let (a, b) = pick(rng);
            let n = [5usize, 150, 199, 201, 900, 3100][rng.below(6) as usize];
            let (open, close) = match rng.below(3) {
                0 => ("(".repeat(n), ")".repeat(n)),
                1 => ("-".repeat(n), String::new()),
                _ => ("not ".repeat(n), String::new()),
            };
            let mut t = open.into_bytes();
            t.extend_from_slice(&src[a..b]);
            t.extend_from_slice(close.as_bytes());
            (splice(a, b, &t), "nest a token deep")
        }
        6 => {
            // A huge literal where a number was.
            let nums: Vec<&(usize, usize)> = sp
                .iter()
                .filter(|&&(a, _)| src[a].is_ascii_digit())
                .collect();
            let Some(&&(a, b)) = nums.get(rng.below(nums.len().max(1) as u64) as usize) else {
                return (src.to_vec(), "huge literal (no number: none)");
            };
            let digits = 1 + rng.below(400) as usize;
            let lit: Vec<u8> = (0..digits).map(|k| b'1' + (k % 9) as u8).collect();
            (splice(a, b, &lit), "a huge literal")
        }
        7 => {
            // Drop or duplicate a line.
            let k = rng.below(lines.len() as u64) as usize;
            let mut ls = lines.clone();
            if rng.below(2) == 0 {
                ls.remove(k);
                (ls.join(&b'\n'), "delete a line")
            } else {
                ls.insert(k, lines[k]);
                (ls.join(&b'\n'), "duplicate a line")
            }
        }
        8 => {
            // Re-indent a line with tabs (or a mix).
            let k = rng.below(lines.len() as u64) as usize;
            let body: &[u8] = {
                let l = lines[k];
                let w = l.iter().take_while(|&&c| c == b' ').count();
                &l[w..]
            };
            let indent: &[u8] = [&b"\t"[..], b"\t    ", b"    \t", b"\t\t"][rng.below(4) as usize];
            let mut line = indent.to_vec();
            line.extend_from_slice(body);
            let mut ls: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
            ls[k] = line;
            (ls.join(&b'\n'), "indent a line with tabs")
        }
        _ => {
            // Truncate anywhere (an unfinished program).
            let at = rng.below(src.len() as u64 + 1) as usize;
            (src[..at].to_vec(), "truncate")
        }
    }
}

/// The parts of an outcome compared: stdout, the last stderr line, the exit code.
fn outcome(o: &Output) -> (String, String, Option<i32>) {
    let err = o.stderr_str();
    let mut last = err.lines().last().unwrap_or("").to_string();
    // A MemoryError with a traceback was raised by running code (`1 << 10**17`), not by
    // the parser: not a compile error.
    if last == "MemoryError" && err.contains("Traceback (most recent call last)") {
        last = "MemoryError (while running)".into();
    }
    (without_addresses(&o.stdout_str()), last, o.code())
}

/// `<function f at 0x7f…>` as `<function f>`: CPython prints where the object lives, which
/// no other implementation can reproduce (minipy prints `<function f>`).
fn without_addresses(out: &str) -> String {
    let mut s = out.to_string();
    while let Some(at) = s.find(" at 0x") {
        let end = s[at + 6..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .map_or(s.len(), |n| at + 6 + n);
        if !s[..at].contains("<function ") || !s[end..].starts_with('>') {
            break;
        }
        s.replace_range(at..end, "");
    }
    s
}

fn is_compile_error(last: &str) -> bool {
    ["SyntaxError", "IndentationError", "TabError"]
        .iter()
        .any(|k| last.starts_with(k))
        || last.contains("during compilation")
        || last == "MemoryError"
}

/// What went wrong with minipy's run `got` of a mutant CPython ended with `want`, if
/// anything.
fn judge(what: &str, got: Option<&Output>, want: &(String, String, Option<i32>)) -> Option<String> {
    let Some(got) = got else {
        return Some(format!("{what}: no end within {LIMIT:?} (CPython ended)"));
    };
    let err = got.stderr_str();
    if got.status.code().is_none() {
        return Some(format!(
            "{what}: killed by a signal ({:?}): {err}",
            got.status
        ));
    }
    if err.contains("panicked") || err.contains("internal error") {
        return Some(format!("{what}: an internal error: {err}"));
    }
    let g = outcome(got);
    if is_compile_error(&want.1) {
        // CPython rejects the program: so must minipy, before running any of it.
        if !is_compile_error(&g.1) || !g.0.is_empty() {
            return Some(format!(
                "{what}: CPython says {:?}, minipy ran: {g:?}",
                want.1
            ));
        }
        return None;
    }
    if is_compile_error(&g.1) {
        // Outside the subset: a SyntaxError with its place.
        if !err.contains("line ") && !g.1.contains("during compilation") {
            return Some(format!("{what}: a SyntaxError without a line: {err}"));
        }
        return None;
    }
    // A value the subset has no room for (a float from a negative power, a repeated
    // string) is a run-time error that says so.
    if (g.1.ends_with("outside the minipy subset") || g.1.contains("outside the minipy subset ("))
        && g.2 == Some(1)
    {
        return None;
    }
    // Ints are exact in every mode. Ahead of time a program some of whose functions cannot
    // have a generic version is compiled with 64-bit ints, and in a generic version a big
    // int where compiled code needs a machine int (a builtin's argument other than abs,
    // min, max) raises: either stops the program with OverflowError after exactly what
    // CPython printed before it (never a wrong number).
    if what.ends_with(" AOT")
        && (g.1 == "OverflowError: integer overflow (minipy ints are 64-bit)"
            || g.1
                == "OverflowError: an int past 64 bits where minipy's compiled code needs a \
                    machine int")
        && g.2 == Some(1)
        && want.0.starts_with(&g.0)
    {
        return None;
    }
    (g != *want).then(|| format!("{what}: CPython {want:?}, minipy {g:?}"))
}

/// How one mutant ended: whether CPython ended at all (else nothing is compared), whether
/// CPython rejected it, and what went wrong in minipy.
struct Verdict {
    compared: bool,
    rejected: bool,
    failures: Vec<String>,
}

/// Runs mutant `i` of `base` (its own random stream, so that workers can share the count)
/// through CPython, every mode and AOT.
fn fuzz_one(i: usize, seed: u64, base: &[u8], dir: &std::path::Path) -> Verdict {
    let mut rng = XorShift64((seed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) | 1);
    rng.next_u64();
    let (src, edit) = mutate(base, &mut rng);
    let file = dir.join(format!("m{i}.py"));
    std::fs::write(&file, &src).unwrap();
    let f = file.to_str().unwrap();
    let mut v = Verdict {
        compared: false,
        rejected: false,
        failures: Vec::new(),
    };
    let Some(py) = Exec::new("python3")
        .env("PYTHONHASHSEED", "0")
        .arg(f)
        .timeout(CPYTHON_LIMIT)
        .run_within(&Runner::Native)
    else {
        return v; // CPython loops: nothing to compare with.
    };
    let want = outcome(&py);
    v.compared = true;
    v.rejected = is_compile_error(&want.1);
    let name = format!("mutant {i} ({edit}, {f})");
    for mode in ["interp", "jit", "auto"] {
        let got = Exec::new(qemu_tests::example("minipy"))
            .args(["--mode", mode, f])
            .timeout(LIMIT)
            .run_within(&Runner::Native);
        if let Some(e) = judge(&format!("{name} --mode {mode}"), got.as_ref(), &want) {
            v.failures.push(e);
        }
    }
    // Ahead of time: compiled and run, or refused with a reason.
    let exe = dir.join(format!("m{i}"));
    match xtask::aot_compile(&file, &exe, &Options::default(), false) {
        Ok(_) => {
            let got = Exec::new(&exe).timeout(LIMIT).run_within(&Runner::Native);
            if let Some(e) = judge(&format!("{name} AOT"), got.as_ref(), &want) {
                v.failures.push(e);
            }
        }
        Err(e) => {
            let msg = format!("{e:#}");
            let last = msg.lines().last().unwrap_or("");
            let compile_error_agrees = is_compile_error(&want.1) && is_compile_error(last);
            let refused = msg.contains("cannot compile ahead of time") && msg.contains(f);
            let outside = is_compile_error(last) && msg.contains("line ");
            if !(compile_error_agrees || refused || outside) {
                v.failures.push(format!("{name} AOT: {msg}"));
            }
            if is_compile_error(&want.1) && !is_compile_error(last) && !refused {
                v.failures
                    .push(format!("{name} AOT: CPython rejects it, AOT says {msg}"));
            }
        }
    }
    let _ = std::fs::remove_file(&exe);
    if v.failures.is_empty() {
        let _ = std::fs::remove_file(&file); // a failing one stays, to be looked at
    }
    v
}

#[test]
fn mutants_of_the_corpus_end_as_cpython_does() {
    let env = |k: &str| std::env::var(k).ok().and_then(|s| s.parse::<u64>().ok());
    let count = env("MINIPY_FUZZ_MUTANTS").map_or(SUITE_MUTANTS, |n| n as usize);
    let seed = env("MINIPY_FUZZ_SEED").unwrap_or(0x6d69_6e69_7079);
    // Workers: the suite runs beside other tests on one; soaks may ask for more.
    let jobs = env("MINIPY_FUZZ_JOBS").map_or(1, |n| n.max(1) as usize);
    let corpus: Vec<Vec<u8>> = minipy_corpus()
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let dir = scratch_dir("minipy-fuzz");
    // MINIPY_FUZZ_ONLY=726,769: just those mutants of the seed (to reproduce a soak's).
    let only: Option<Vec<usize>> = std::env::var("MINIPY_FUZZ_ONLY")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect());
    let count = only.as_ref().map_or(count, |o| o.len());
    let verdicts: Vec<Verdict> = qemu_tests::parallel(count, jobs, "mutants", |k| {
        let i = only.as_ref().map_or(k, |o| o[k]);
        // The program mutated is a function of the seed and i alone.
        let mut pick = XorShift64((seed.rotate_left(17) ^ i as u64) | 1);
        pick.next_u64();
        let base = &corpus[pick.below(corpus.len() as u64) as usize];
        fuzz_one(i, seed, base, &dir)
    });
    let compared = verdicts.iter().filter(|v| v.compared).count();
    let rejected = verdicts.iter().filter(|v| v.rejected).count();
    let failing = verdicts.iter().filter(|v| !v.failures.is_empty()).count();
    // The first failure of each mutant first: a soak's report names every failing mutant.
    let mut failures: Vec<String> = verdicts
        .iter()
        .filter_map(|v| v.failures.first().cloned())
        .collect();
    failures.extend(
        verdicts
            .into_iter()
            .flat_map(|v| v.failures.into_iter().skip(1)),
    );
    eprintln!(
        "{count} mutants (MINIPY_FUZZ_SEED={seed}): {compared} compared with CPython, {rejected} \
         of them rejected by CPython; {} failures",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} runs of {failing} of {count} mutants went wrong (MINIPY_FUZZ_SEED={seed}):\n{}",
        failures.len(),
        failures[..failures.len().min(60)].join("\n")
    );
}
