//! The harness: build the examples once, then run each on every runner — natively and
//! under qemu-x86_64 — with exact stdin, arguments and environment, a timeout, and the
//! whole output captured.
//!
//! `FREESTAND_QEMU=skip` (set by `cargo xtask test --no-qemu`) drops the QEMU runner; with
//! anything else a missing qemu-x86_64 fails the tests with the command that installs it.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

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

/// Where a program runs.
#[derive(Clone, Debug)]
pub enum Runner {
    Native,
    /// qemu-x86_64, optionally with `-cpu MODEL` and extra QEMU flags (e.g. `-strace`).
    Qemu {
        cpu: Option<&'static str>,
        flags: Vec<&'static str>,
    },
}

impl Runner {
    pub fn qemu() -> Runner {
        Runner::Qemu {
            cpu: None,
            flags: Vec::new(),
        }
    }

    pub fn name(&self) -> String {
        match self {
            Runner::Native => "native".into(),
            Runner::Qemu { cpu, flags } => {
                let mut s = "qemu-x86_64".to_string();
                if let Some(c) = cpu {
                    s += &format!(" -cpu {c}");
                }
                for f in flags {
                    s += &format!(" {f}");
                }
                s
            }
        }
    }

    fn command(&self, program: &OsStr) -> Command {
        match self {
            Runner::Native => Command::new(program),
            Runner::Qemu { cpu, flags } => {
                let mut c = Command::new(qemu_path());
                if let Some(cpu) = cpu {
                    c.args(["-cpu", cpu]);
                }
                c.args(flags).arg(program);
                c
            }
        }
    }
}

/// Whether the QEMU half is switched off (`cargo xtask test --no-qemu`).
pub fn qemu_skipped() -> bool {
    std::env::var("FREESTAND_QEMU").is_ok_and(|v| v == "skip")
}

/// qemu-x86_64, or a failure that says how to get it.
pub fn qemu_path() -> PathBuf {
    xtask::find_qemu().unwrap_or_else(|| {
        panic!(
            "qemu-x86_64 is not installed: `sudo apt-get install qemu-user` (or let `cargo xtask test` do it), \
             or set FREESTAND_QEMU=skip to run only the native half"
        )
    })
}

/// Native, plus QEMU unless skipped.
pub fn runners() -> Vec<Runner> {
    if qemu_skipped() {
        eprintln!("NOTE: FREESTAND_QEMU=skip: the QEMU runs of this test are SKIPPED");
        vec![Runner::Native]
    } else {
        qemu_path();
        vec![Runner::Native, Runner::qemu()]
    }
}

/// One program invocation, built up then run on a runner.
#[derive(Clone, Debug)]
pub struct Exec {
    program: OsString,
    args: Vec<OsString>,
    stdin: Vec<u8>,
    env: Option<Vec<(OsString, OsString)>>,
    timeout: Duration,
}

/// What came back.
#[derive(Debug)]
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub status: ExitStatus,
    pub runner: String,
}

impl Output {
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    pub fn stdout_str(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_str(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// Asserts stdout, stderr and exit code exactly, naming the runner on failure.
    pub fn assert(&self, stdout: &str, stderr: &str, code: i32) {
        assert_eq!(self.stdout_str(), stdout, "stdout on {}", self.runner);
        assert_eq!(self.stderr_str(), stderr, "stderr on {}", self.runner);
        assert_eq!(
            self.status.code(),
            Some(code),
            "exit status on {} ({:?})",
            self.runner,
            self.status
        );
    }
}

impl Exec {
    pub fn new(program: impl Into<OsString>) -> Exec {
        Exec {
            program: program.into(),
            args: Vec::new(),
            stdin: Vec::new(),
            env: None,
            timeout: Duration::from_secs(120),
        }
    }

    /// An example by name.
    pub fn example(name: &str) -> Exec {
        Exec::new(example(name))
    }

    /// The same invocation of another program.
    pub fn set_program(&mut self, program: impl Into<OsString>) {
        self.program = program.into();
    }

    pub fn arg(mut self, a: impl Into<OsString>) -> Exec {
        self.args.push(a.into());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: Into<OsString>>(mut self, args: I) -> Exec {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Exec {
        self.stdin = bytes.into();
        self
    }

    /// Runs with exactly these environment variables (and no others).
    pub fn env_exact(mut self, vars: &[(&str, &str)]) -> Exec {
        self.env = Some(vars.iter().map(|(k, v)| (k.into(), v.into())).collect());
        self
    }

    /// How long [`Exec::run`] waits (120 s unless set).
    pub fn timeout(mut self, limit: Duration) -> Exec {
        self.timeout = limit;
        self
    }

    /// Runs on `runner`, failing the test if it takes longer than the timeout.
    pub fn run(&self, runner: &Runner) -> Output {
        self.run_within(runner).unwrap_or_else(|| {
            panic!(
                "{:?} {:?} on {} did not finish within {:?}",
                self.program,
                self.args,
                runner.name(),
                self.timeout
            )
        })
    }

    /// Runs on `runner`; None (the program killed) when it takes longer than the timeout.
    pub fn run_within(&self, runner: &Runner) -> Option<Output> {
        let mut cmd = runner.command(&self.program);
        cmd.args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(env) = &self.env {
            cmd.env_clear().envs(env.iter().map(|(k, v)| (k, v)));
        }
        // ETXTBSY: a test thread writing another executable forked while this file was
        // still open for writing, and its child holds the descriptor until it execs (the
        // usual race of parallel tests that write and run programs). It passes at once.
        let mut tries = 0;
        let mut child = loop {
            match cmd.spawn() {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(10));
                }
                r => {
                    break r.unwrap_or_else(|e| {
                        panic!("spawning {:?} on {}: {e}", self.program, runner.name())
                    });
                }
            }
        };
        let mut stdin = child.stdin.take().unwrap();
        let input = self.stdin.clone();
        let feeder = std::thread::spawn(move || {
            // A program may exit without reading everything: EPIPE here is not an error.
            let _ = stdin.write_all(&input);
        });
        let mut out_pipe = child.stdout.take().unwrap();
        let mut err_pipe = child.stderr.take().unwrap();
        let out_reader = std::thread::spawn(move || {
            let mut v = Vec::new();
            out_pipe.read_to_end(&mut v).map(|_| v)
        });
        let err_reader = std::thread::spawn(move || {
            let mut v = Vec::new();
            err_pipe.read_to_end(&mut v).map(|_| v)
        });
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        feeder.join().unwrap();
        Some(Output {
            stdout: out_reader.join().unwrap().expect("reading stdout"),
            stderr: err_reader.join().unwrap().expect("reading stderr"),
            status,
            runner: runner.name(),
        })
    }
}

/// The signal that ended a process, if one did.
pub fn signal_of(status: &ExitStatus) -> Option<i32> {
    status.signal()
}

/// Syscall names from `qemu-x86_64 -strace` output (lines like `123 write(1,...) = 14`).
pub fn strace_syscalls(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.split_once(' ')?.1;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (l.split_once(' ')?.0.chars().all(|c| c.is_ascii_digit()) && !name.is_empty())
                .then_some(name)
        })
        .collect()
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
pub fn python(file: &str, args: &[&str]) -> (String, String, i32) {
    let o = Command::new("python3")
        .arg("-c")
        .arg(PRELUDE)
        .arg(file)
        .args(args)
        .output()
        .expect("python3 is the oracle and must be installed");
    let err = String::from_utf8_lossy(&o.stderr)
        .lines()
        .last()
        .unwrap_or("")
        .to_string();
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
/// once, before its name is used) — or compile, and then agree: examples/minipy/aot-may-refuse.
pub fn minipy_aot_may_refuse() -> Vec<PathBuf> {
    python_files("examples/minipy/aot-may-refuse")
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
