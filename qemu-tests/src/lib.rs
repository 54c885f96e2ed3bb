//! The harness: build the examples once, then run each on every runner — natively and
//! under qemu-x86_64 — with exact stdin, arguments and environment, a timeout, and the
//! whole output captured.
//!
//! `FREESTAND_QEMU=skip` (set by `cargo xtask test --no-qemu`) drops the QEMU runner; with
//! anything else a missing qemu-x86_64 fails the tests with the command that installs it.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

pub use freestand_test::{
    Exec, Output, Runner, find_qemu, qemu_path, qemu_skipped, runners, signal_of, strace_syscalls,
};

pub use xtask::{Profile, workspace_root};

/// Builds every example once per test process and returns the path of `name`.
pub fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        if let Err(e) = xtask::build_examples(&[], Profile::Release) {
            panic!("building the freestanding examples failed: {e:#}");
        }
    });
    xtask::example_path(name, Profile::Release)
}

/// A deterministic pseudo-random byte stream.
pub fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut r = Rng(seed | 1);
    (0..len).map(|_| (r.next_u64() >> 24) as u8).collect()
}

/// Seeded xorshift64 for test inputs (rt's, shared by every generator in the workspace).
pub use rt::rand::XorShift64 as Rng;

/// Leaves a note that `cargo xtask test` prints at the end, where it cannot be missed (a
/// skipped check, a coverage figure).
pub fn note(name: &str, text: &str) {
    let notes = workspace_root().join("target/test-notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join(name), format!("{text}\n")).unwrap();
}

/// A fresh scratch directory under target/.
pub fn scratch_dir(tag: &str) -> PathBuf {
    let dir = workspace_root()
        .join("target/qemu-tests")
        .join(format!("{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs python3 with `arg(i)` defined as `int(sys.argv[i + 1])` (minipy's documented meaning).
/// The prelude's own module
/// frame and its exec() call are two levels of recursion the program run directly would not
/// have: the limit is raised by two so that a recursing program fails at the same call. The
/// file is compiled from its bytes, as `python3 FILE` reads it (a byte-order mark, bytes that
/// are not UTF-8).
const PRELUDE: &str = "import sys, builtins\nsys.setrecursionlimit(1002)\np = sys.argv[1]\nsys.argv = sys.argv[1:]\nbuiltins.arg = lambda i: int(sys.argv[i + 1])\nexec(compile(open(p, 'rb').read(), p, 'exec'), {'__name__': '__main__'})\n";

/// CPython's verdict on a minipy program: stdout, the last stderr line, the exit status.
/// Runs python3 with `arg(i)` defined (see [`PRELUDE`]).
pub fn python(file: &str, args: &[&str]) -> (String, String, i32) {
    let (out, err, status) = python_report(file, args);
    let last = err.lines().last().unwrap_or("").to_string();
    (out, last, status)
}

/// The same with the whole of stderr — as `python3 FILE` prints it: the frames of the
/// prelude (`File "<string>"`, which has no source lines) left out.
/// A program that sets the recursion limit itself runs as `python3 FILE` (the prelude's
/// two levels would count against its limit; such a program does not use `arg(i)`).
pub fn python_report(file: &str, args: &[&str]) -> (String, String, i32) {
    let own_limit =
        std::fs::read(file).is_ok_and(|src| src.windows(17).any(|w| w == b"setrecursionlimit"));
    let mut cmd = Command::new("python3");
    cmd.env("PYTHONHASHSEED", "0");
    if !own_limit {
        cmd.arg("-c").arg(PRELUDE);
    }
    let o = cmd
        .arg(file)
        .args(args)
        .output()
        .expect("python3 is the oracle and must be installed");
    let err: String = String::from_utf8_lossy(&o.stderr)
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("  File \"<string>\""))
        .collect();
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        err,
        o.status.code().unwrap_or(-1),
    )
}

/// "ZeroDivisionError" of "ZeroDivisionError: division by zero".
pub fn exception_name(line: &str) -> &str {
    line.split(':').next().unwrap_or("")
}

/// The minipy corpus, sorted.
pub fn minipy_corpus() -> Vec<PathBuf> {
    python_files("examples/minipy/corpus")
}

/// Programs of the subset that every mode runs like CPython and that the AOT compiler may
/// refuse, with a reason naming the line (a `def` that may not run, or runs more than
/// once, before its name is used; `sys.argv` or `sys.exit`) — or compile, and then agree:
/// examples/minipy/aot-may-refuse.
pub fn minipy_aot_may_refuse() -> Vec<PathBuf> {
    python_files("examples/minipy/aot-may-refuse")
}

/// Programs whose ints leave 64 bits (examples/minipy/big): exact in every mode, ahead of
/// time too (functions move into their generic versions).
pub fn minipy_big() -> Vec<PathBuf> {
    python_files("examples/minipy/big")
}

/// The `.py` files of a workspace directory, sorted.
fn python_files(dir: &str) -> Vec<PathBuf> {
    let path = workspace_root().join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    v.sort();
    v
}

/// `work(0..count)` on `jobs` threads, each taking the next index as it finishes one; the
/// results in no particular order. Every thousandth reports progress as `N {what} run`.
pub fn parallel<T: Send>(
    count: usize,
    jobs: usize,
    what: &str,
    work: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..jobs.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if k >= count {
                            return mine;
                        }
                        mine.push(work(k));
                        if k % 1000 == 999 {
                            eprintln!("  {} {what} run", k + 1);
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    })
}
