//! freestand-test: run a program as its user would — natively and under qemu-x86_64 user
//! mode — and check exactly what came back.
//!
//! ```no_run
//! use freestand_test::{Exec, runners};
//!
//! // In a crate's tests/: env!("CARGO_BIN_EXE_my-tool").
//! let tool = "target/x86_64-unknown-linux-gnu/debug/my-tool";
//! for r in runners() {
//!     Exec::new(tool)
//!         .arg("--count")
//!         .stdin("a\nb\n")
//!         .run(&r)
//!         .assert("2\n", "", 0);
//! }
//! // A syscall budget: one write, then the exit.
//! assert_eq!(Exec::new(tool).syscalls(), ["write", "exit_group"]);
//! ```
//!
//! Each run has a timeout (120 s unless set) and reads stdout and stderr to the end on
//! threads of their own, so a program that fills a pipe or never exits fails the test with
//! its name instead of hanging it. [`runners`] is native plus qemu-x86_64; a missing QEMU
//! is installed with apt-get when the tests run as root, else the tests fail with the
//! command to run — unless `FREESTAND_QEMU=skip`, which drops the QEMU runs and says so.
//! std only, no dependencies: it builds in seconds.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The first executable named `name` on PATH.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| {
            use std::os::unix::fs::PermissionsExt;
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// `qemu-x86_64` on PATH, if installed.
pub fn find_qemu() -> Option<PathBuf> {
    find_on_path("qemu-x86_64")
}

/// Whether the QEMU runs are switched off (`FREESTAND_QEMU=skip`).
pub fn qemu_skipped() -> bool {
    std::env::var("FREESTAND_QEMU").is_ok_and(|v| v == "skip")
}

/// Whether this process runs as root (apt-get needs it).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let uid = s.lines().find(|l| l.starts_with("Uid:"))?;
            Some(uid.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

const INSTALL: &str = "apt-get update && apt-get install -y qemu-user";

/// qemu-x86_64: found on PATH, or installed with apt-get (as root, once per process), or a
/// failure that says how to get it.
pub fn qemu_path() -> PathBuf {
    static QEMU: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let found = QEMU.get_or_init(|| {
        if let Some(q) = find_qemu() {
            return Ok(q);
        }
        if !is_root() {
            return Err(format!(
                "qemu-x86_64 is not installed: run `sudo sh -c '{INSTALL}'`, or set \
                 FREESTAND_QEMU=skip to run only the native half"
            ));
        }
        eprintln!("freestand-test: qemu-x86_64 is missing: {INSTALL}");
        let ok = Command::new("sh")
            .arg("-c")
            .arg(INSTALL)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success());
        match find_qemu() {
            Some(q) if ok => Ok(q),
            _ => Err(format!("`{INSTALL}` did not install qemu-x86_64")),
        }
    });
    found.clone().unwrap_or_else(|e| panic!("{e}"))
}

/// Native, plus qemu-x86_64 unless `FREESTAND_QEMU=skip` (which is said on stderr).
pub fn runners() -> Vec<Runner> {
    if qemu_skipped() {
        eprintln!("NOTE: FREESTAND_QEMU=skip: the QEMU runs of this test are SKIPPED");
        vec![Runner::Native]
    } else {
        qemu_path();
        vec![Runner::Native, Runner::qemu()]
    }
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
    /// qemu-x86_64 with its default CPU.
    pub fn qemu() -> Runner {
        Runner::Qemu {
            cpu: None,
            flags: Vec::new(),
        }
    }

    /// qemu-x86_64 emulating the baseline x86-64 CPU (`-cpu qemu64`: no AVX, no BMI):
    /// what code compiled for the plain target must run on.
    pub fn qemu64() -> Runner {
        Runner::Qemu {
            cpu: Some("qemu64"),
            flags: Vec::new(),
        }
    }

    /// qemu-x86_64 `-strace`: every system call on stderr (see [`strace_syscalls`]).
    pub fn strace() -> Runner {
        Runner::Qemu {
            cpu: None,
            flags: vec!["-strace"],
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

/// One program invocation, built up then run on a runner.
#[derive(Clone, Debug)]
pub struct Exec {
    program: OsString,
    args: Vec<OsString>,
    stdin: Vec<u8>,
    env: Option<Vec<(OsString, OsString)>>,
    /// Set on top of the environment (exact or inherited).
    vars: Vec<(OsString, OsString)>,
    dir: Option<PathBuf>,
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
            vars: Vec::new(),
            dir: None,
            timeout: Duration::from_secs(120),
        }
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

    /// Runs with this environment variable set (besides the others).
    pub fn env(mut self, key: &str, value: &str) -> Exec {
        self.vars.push((key.into(), value.into()));
        self
    }

    /// Runs with exactly these environment variables (and no others).
    pub fn env_exact(mut self, vars: &[(&str, &str)]) -> Exec {
        self.env = Some(vars.iter().map(|(k, v)| (k.into(), v.into())).collect());
        self
    }

    /// Runs in directory `dir` (relative program paths then resolve from there too).
    pub fn current_dir(mut self, dir: impl Into<PathBuf>) -> Exec {
        self.dir = Some(dir.into());
        self
    }

    /// How long [`Exec::run`] waits (120 s unless set).
    pub fn timeout(mut self, limit: Duration) -> Exec {
        self.timeout = limit;
        self
    }

    /// The names of the system calls the program makes, in order, from a run under
    /// `qemu-x86_64 -strace` (for a syscall budget: `["write", "exit_group"]`). The
    /// program's own stderr is mixed into the trace, so lines it prints that look like
    /// trace lines (`PID name(...`) would count too.
    pub fn syscalls(&self) -> Vec<String> {
        strace_syscalls(&self.run(&Runner::strace()).stderr_str())
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
        cmd.envs(self.vars.iter().map(|(k, v)| (k, v)));
        if let Some(d) = &self.dir {
            cmd.current_dir(d);
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
