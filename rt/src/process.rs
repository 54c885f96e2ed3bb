//! Running other programs: [`Command`] (std's shape) with arguments, environment and
//! stdin/stdout/stderr each inherited, null or piped; `status`, `output` (both pipes read
//! together with poll, so a child filling one never blocks) or `spawn` and `wait`.
//!
//! ```no_run
//! use rt::process::Command;
//! let out = Command::new("/bin/echo").arg("hi").output()?;
//! assert_eq!(out.stdout, b"hi\n");
//! assert!(out.status.success());
//! # Ok::<(), rt::Errno>(())
//! ```
//!
//! The child starts with vfork + execve (no page tables copied, so starting a program
//! from a large process costs the same as from a small one). A program name without `/`
//! is looked up on `PATH`. Exec failures (ENOENT, EACCES) come back from `spawn` as the
//! error, as std reports them.

use crate::errno::Errno;
use crate::fs::File;
use crate::io::Read;
use crate::sys::{self, Fd, OFlags, PollFd, Redirect};
use alloc::vec::Vec;

/// Where a child's standard stream goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stdio {
    /// This process's own.
    Inherit,
    /// /dev/null.
    Null,
    /// A pipe to this process ([`Child::stdin`], [`Child::stdout`], [`Child::stderr`]).
    Piped,
}

/// How a child ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitStatus(pub i32);

impl ExitStatus {
    /// The exit code, if it exited (not killed by a signal).
    pub fn code(&self) -> Option<i32> {
        (self.0 & 0x7f == 0).then_some((self.0 >> 8) & 0xff)
    }
    /// The signal that killed it, if one did.
    pub fn signal(&self) -> Option<i32> {
        let s = self.0 & 0x7f;
        (s != 0 && s != 0x7f).then_some(s)
    }
    pub fn success(&self) -> bool {
        self.code() == Some(0)
    }
}

/// What [`Command::output`] collects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// A program to run.
#[derive(Clone, Debug)]
pub struct Command {
    program: Vec<u8>,
    args: Vec<Vec<u8>>,
    /// `KEY=VALUE` entries; None: this process's environment.
    env: Option<Vec<Vec<u8>>>,
    stdio: [Option<Stdio>; 3],
}

/// A started child.
#[derive(Debug)]
pub struct Child {
    pid: i32,
    pub stdin: Option<File>,
    pub stdout: Option<File>,
    pub stderr: Option<File>,
}

/// A NUL-terminated copy of `b`.
fn c_string(b: &[u8]) -> Result<Vec<u8>, Errno> {
    if b.contains(&0) {
        return Err(Errno::EINVAL);
    }
    let mut v = Vec::with_capacity(b.len() + 1);
    v.extend_from_slice(b);
    v.push(0);
    Ok(v)
}

/// The NULL-terminated pointer array over NUL-terminated `strings`.
fn pointers(strings: &[Vec<u8>]) -> Vec<*const core::ffi::c_char> {
    strings
        .iter()
        .map(|s| s.as_ptr().cast())
        .chain([core::ptr::null()])
        .collect()
}

impl Command {
    pub fn new(program: impl AsRef<[u8]>) -> Command {
        Command {
            program: program.as_ref().to_vec(),
            args: Vec::new(),
            env: None,
            stdio: [None; 3],
        }
    }

    pub fn arg(&mut self, a: impl AsRef<[u8]>) -> &mut Command {
        self.args.push(a.as_ref().to_vec());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<[u8]>>(&mut self, args: I) -> &mut Command {
        for a in args {
            self.arg(a);
        }
        self
    }

    /// Sets `key` to `value` for the child (on top of this process's environment).
    pub fn env(&mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> &mut Command {
        let env = self.env.get_or_insert_with(|| {
            crate::env::initial_stack()
                .env()
                .map(<[u8]>::to_vec)
                .collect()
        });
        let key = key.as_ref();
        env.retain(|e| crate::env::split_entry(e).is_none_or(|(k, _)| k != key));
        let mut e = key.to_vec();
        e.push(b'=');
        e.extend_from_slice(value.as_ref());
        env.push(e);
        self
    }

    /// Starts the child with no environment at all (then [`Command::env`] adds to it).
    pub fn env_clear(&mut self) -> &mut Command {
        self.env = Some(Vec::new());
        self
    }

    pub fn stdin(&mut self, s: Stdio) -> &mut Command {
        self.stdio[0] = Some(s);
        self
    }

    pub fn stdout(&mut self, s: Stdio) -> &mut Command {
        self.stdio[1] = Some(s);
        self
    }

    pub fn stderr(&mut self, s: Stdio) -> &mut Command {
        self.stdio[2] = Some(s);
        self
    }

    /// The file to execute: the program itself when it names a path, else the first
    /// executable of that name on `PATH`.
    fn resolve(&self) -> Result<Vec<u8>, Errno> {
        if self.program.contains(&b'/') {
            return c_string(&self.program);
        }
        let path = crate::env::var("PATH").unwrap_or(b"/usr/local/bin:/usr/bin:/bin");
        for dir in path.split(|&b| b == b':').filter(|d| !d.is_empty()) {
            let mut cand = dir.to_vec();
            cand.push(b'/');
            cand.extend_from_slice(&self.program);
            if crate::fs::metadata(&cand).is_ok_and(|m| m.is_file() && m.permissions() & 0o111 != 0)
            {
                return c_string(&cand);
            }
        }
        Err(Errno::ENOENT)
    }

    /// Replaces this process with the program (as `std`'s `CommandExt::exec`): returns only
    /// if that fails, with the reason. Streams set to [`Stdio::Null`] are redirected first;
    /// [`Stdio::Piped`] has no other end to give anyone here and is refused (EINVAL).
    pub fn exec(&mut self) -> Errno {
        match self.exec_inner() {
            Ok(never) => match never {},
            Err(e) => e,
        }
    }

    fn exec_inner(&mut self) -> Result<core::convert::Infallible, Errno> {
        let path = self.resolve()?;
        let (argv, envv) = self.vectors()?;
        let (argp, envp) = (pointers(&argv), pointers(&envv));
        for (i, s) in self.stdio.iter().enumerate() {
            match s {
                None | Some(Stdio::Inherit) => {}
                Some(Stdio::Piped) => return Err(Errno::EINVAL),
                Some(Stdio::Null) => {
                    let flags = if i == 0 {
                        OFlags::RDONLY
                    } else {
                        OFlags::WRONLY
                    };
                    let f = File::open_with("/dev/null", flags, 0)?;
                    sys::dup3(f.fd(), Fd(i as i32), OFlags(0))?;
                }
            }
        }
        let path_c = core::ffi::CStr::from_bytes_with_nul(&path).map_err(|_| Errno::EINVAL)?;
        // SAFETY: argp and envp are NULL-terminated arrays over NUL-terminated strings
        // owned by argv and envv, alive across the call.
        Err(unsafe { sys::execve(path_c, argp.as_ptr(), envp.as_ptr()) })
    }

    /// argv (the program's name first) and the environment, each string NUL-terminated.
    #[allow(clippy::type_complexity)]
    fn vectors(&self) -> Result<(Vec<Vec<u8>>, Vec<Vec<u8>>), Errno> {
        let mut argv = Vec::with_capacity(self.args.len() + 1);
        argv.push(c_string(&self.program)?);
        for a in &self.args {
            argv.push(c_string(a)?);
        }
        let envv: Vec<Vec<u8>> = match &self.env {
            Some(e) => e.iter().map(|e| c_string(e)).collect::<Result<_, _>>()?,
            None => crate::env::initial_stack()
                .env()
                .map(c_string)
                .collect::<Result<_, _>>()?,
        };
        Ok((argv, envv))
    }

    /// Starts the program with each stream as set (default: inherited).
    pub fn spawn(&mut self) -> Result<Child, Errno> {
        self.spawn_with([Stdio::Inherit; 3])
    }

    fn spawn_with(&mut self, defaults: [Stdio; 3]) -> Result<Child, Errno> {
        let path = self.resolve()?;
        let (argv, envv) = self.vectors()?;
        let (argp, envp) = (pointers(&argv), pointers(&envv));
        // The child's ends and this process's ends of each stream; every descriptor made
        // here is close-on-exec, so the child keeps only what dup3 puts at 0, 1, 2.
        let mut redirects = Vec::new();
        let mut ours: [Option<File>; 3] = [None, None, None];
        let mut keep: Vec<File> = Vec::new();
        for (i, s) in self.stdio.iter().enumerate() {
            let target = Fd(i as i32);
            match s.unwrap_or(defaults[i]) {
                Stdio::Inherit => {}
                Stdio::Null => {
                    let flags = if i == 0 {
                        OFlags::RDONLY
                    } else {
                        OFlags::WRONLY
                    };
                    let f = File::open_with("/dev/null", flags, 0)?;
                    redirects.push(Redirect {
                        from: f.fd(),
                        to: target,
                    });
                    keep.push(f);
                }
                Stdio::Piped => {
                    let (r, w) = sys::pipe2(OFlags::CLOEXEC)?;
                    let (r, w) = (File::from_fd(r), File::from_fd(w));
                    let (child_end, our_end) = if i == 0 { (r, w) } else { (w, r) };
                    redirects.push(Redirect {
                        from: child_end.fd(),
                        to: target,
                    });
                    keep.push(child_end);
                    ours[i] = Some(our_end);
                }
            }
        }
        let (report_r, report_w) = sys::pipe2(OFlags::CLOEXEC)?;
        let (report_r, report_w) = (File::from_fd(report_r), File::from_fd(report_w));
        let path_c = core::ffi::CStr::from_bytes_with_nul(&path).map_err(|_| Errno::EINVAL)?;
        // SAFETY: argp and envp are NULL-terminated arrays over NUL-terminated strings
        // owned by argv and envv, alive across the call.
        let pid = unsafe {
            sys::spawn(
                path_c,
                argp.as_ptr(),
                envp.as_ptr(),
                &redirects,
                report_w.fd(),
            )
        }?;
        drop(report_w);
        drop(keep);
        // The child wrote its errno here if execve failed; closed empty if it succeeded.
        let mut errno = [0u8; 4];
        let mut got = 0;
        let mut report_r = report_r;
        while got < 4 {
            match Read::read(&mut report_r, &mut errno[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) => return Err(e),
            }
        }
        if got == 4 {
            let _ = sys::wait4(pid, 0);
            return Err(Errno::from_raw(u32::from_ne_bytes(errno).min(4095) as u16));
        }
        let [stdin, stdout, stderr] = ours;
        Ok(Child {
            pid,
            stdin,
            stdout,
            stderr,
        })
    }

    /// Runs the program to its end with inherited streams; its status.
    pub fn status(&mut self) -> Result<ExitStatus, Errno> {
        self.spawn_with([Stdio::Inherit; 3])?.wait()
    }

    /// Runs the program to its end, collecting stdout and stderr (stdin: null unless set).
    pub fn output(&mut self) -> Result<Output, Errno> {
        let mut child = self.spawn_with([Stdio::Null, Stdio::Piped, Stdio::Piped])?;
        drop(child.stdin.take());
        let (stdout, stderr) = read_both(child.stdout.take(), child.stderr.take())?;
        Ok(Output {
            status: child.wait()?,
            stdout,
            stderr,
        })
    }
}

/// Reads two pipes to their ends together (whichever has data), so that a child writing
/// much to one while this process waits on the other never deadlocks.
fn read_both(a: Option<File>, b: Option<File>) -> Result<(Vec<u8>, Vec<u8>), Errno> {
    let mut files = [a, b];
    let mut out = [Vec::new(), Vec::new()];
    let mut chunk = [0u8; 8192];
    loop {
        let mut fds = [PollFd::default(); 2];
        let mut which = [0usize; 2];
        let mut n = 0;
        for (i, f) in files.iter().enumerate() {
            if let Some(f) = f {
                fds[n] = PollFd {
                    fd: f.fd().0,
                    events: sys::POLLIN,
                    revents: 0,
                };
                which[n] = i;
                n += 1;
            }
        }
        if n == 0 {
            let [x, y] = out;
            return Ok((x, y));
        }
        match sys::poll(&mut fds[..n], -1) {
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
            Ok(_) => {}
        }
        for k in 0..n {
            if fds[k].revents == 0 {
                continue;
            }
            let i = which[k];
            let Some(f) = files[i].as_mut() else { continue };
            match Read::read(f, &mut chunk)? {
                0 => files[i] = None,
                got => out[i].extend_from_slice(&chunk[..got]),
            }
        }
    }
}

impl Child {
    pub fn id(&self) -> i32 {
        self.pid
    }

    /// Waits for the child to end (closing its stdin first, so that it sees the end).
    pub fn wait(&mut self) -> Result<ExitStatus, Errno> {
        drop(self.stdin.take());
        loop {
            match sys::wait4(self.pid, 0) {
                Ok(w) => return Ok(ExitStatus(w.status)),
                Err(Errno::EINTR) => {}
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_status_and_pipes() {
        let out = Command::new("/bin/sh")
            .args(["-c", "echo out; echo err >&2; exit 3"])
            .output()
            .unwrap();
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, b"err\n");
        assert_eq!(out.status.code(), Some(3));
        assert!(!out.status.success());
    }

    #[test]
    fn both_pipes_full_never_deadlock() {
        let out = Command::new("/bin/sh")
            .args([
                "-c",
                "head -c 300000 /dev/zero >&2; head -c 300000 /dev/zero",
            ])
            .output()
            .unwrap();
        assert_eq!((out.stdout.len(), out.stderr.len()), (300_000, 300_000));
    }

    #[test]
    fn stdin_piped_and_environment() {
        let mut child = Command::new("/bin/sh")
            .args(["-c", "read x; echo \"$x and $GREETING\""])
            .env_clear()
            .env("GREETING", "hello")
            .stdin(Stdio::Piped)
            .stdout(Stdio::Piped)
            .spawn()
            .unwrap();
        child.stdin.as_mut().unwrap().write_all(b"input\n").unwrap();
        drop(child.stdin.take());
        let mut out = Vec::new();
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert!(child.wait().unwrap().success());
        assert_eq!(out, b"input and hello\n");
    }

    #[test]
    fn a_missing_program_is_an_error_and_signals_are_reported() {
        assert_eq!(
            Command::new("/nonexistent/program").status().unwrap_err(),
            Errno::ENOENT
        );
        let st = Command::new("/bin/sh")
            .args(["-c", "kill -9 $$"])
            .status()
            .unwrap();
        assert_eq!((st.code(), st.signal()), (None, Some(9)));
    }

    /// (A successful exec replaces the test process; `minipy --aot`, which execs
    /// minipy-aot, covers that way in qemu-tests.)
    #[test]
    fn exec_returns_only_its_failures() {
        assert_eq!(Command::new("/nonexistent/program").exec(), Errno::ENOENT);
        assert_eq!(
            Command::new("no-such-program-anywhere").exec(),
            Errno::ENOENT
        );
        assert_eq!(
            Command::new("/bin/sh").stdout(Stdio::Piped).exec(),
            Errno::EINVAL
        );
        assert_eq!(Command::new("/").exec(), Errno::EACCES);
    }
}
