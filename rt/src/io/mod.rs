//! Standard streams: block-buffered stdout, unbuffered stderr, stdin, and the write loop
//! every output path shares.
//!
//! stdout collects into a 32 KiB buffer that is written when full, on [`Stdout::flush`], at
//! exit and before a panic message. stderr output is formatted into a small stack buffer
//! and written before the macro returns (one `write` per message when it fits).
//!
//! Errors on stdout from `print!`/`println!`: EPIPE (the reader went away, as in
//! `prog | head`) ends the program quietly with status [`EXIT_BROKEN_PIPE`]; any other error
//! prints `failed printing to stdout: os error N` on stderr and exits with status 1. Code that wants
//! to handle errors itself uses [`Stdout::write_all`] and [`Stdout::flush`], which return them.

mod traits;

pub use traits::{BufReader, Bytes, Read, Split, Stderr, Write, is_terminal};

use crate::errno::Errno;
use crate::sync::{SpinGuard, SpinLock};
use crate::sys::{self, Fd};
use alloc::vec::Vec;
use core::fmt;

/// Size of the stdout buffer.
pub const STDOUT_BUFFER: usize = 32 * 1024;
/// Exit status after EPIPE on stdout: 128 + SIGPIPE, what a shell shows for a process that
/// SIGPIPE killed.
pub const EXIT_BROKEN_PIPE: i32 = 141;

/// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
#[inline(never)]
pub fn write_all(fd: Fd, mut bytes: &[u8]) -> Result<(), Errno> {
    while !bytes.is_empty() {
        match sys::write(fd, bytes) {
            Ok(0) => return Err(Errno::EIO),
            // `get` keeps this loop free of panics (and of the formatting code they pull in).
            Ok(n) => bytes = bytes.get(n..).unwrap_or(&[]),
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// read(2) retried on EINTR.
pub fn read(fd: Fd, buf: &mut [u8]) -> Result<usize, Errno> {
    loop {
        match sys::read(fd, buf) {
            Err(Errno::EINTR) => {}
            r => return r,
        }
    }
}

/// Reads `fd` to its end, appending to `out`; returns the number of bytes read.
pub fn read_to_end(fd: Fd, out: &mut Vec<u8>) -> Result<usize, Errno> {
    let start = out.len();
    loop {
        if out.capacity() - out.len() < 8192 {
            out.reserve(out.capacity().max(8192));
        }
        let spare = out.spare_capacity_mut();
        // SAFETY: read only writes bytes; MaybeUninit<u8> and u8 share a layout.
        let buf = unsafe {
            core::slice::from_raw_parts_mut(spare.as_mut_ptr().cast::<u8>(), spare.len())
        };
        match read(fd, buf)? {
            0 => return Ok(out.len() - start),
            // SAFETY: the kernel initialised n bytes of the spare capacity.
            n => unsafe { out.set_len(out.len() + n) },
        }
    }
}

struct StdoutBuffer {
    buf: [u8; STDOUT_BUFFER],
    len: usize,
    /// The error behind the last fmt::Error, which carries none itself.
    error: Option<Errno>,
}

static STDOUT: SpinLock<StdoutBuffer> = SpinLock::new(StdoutBuffer {
    buf: [0; STDOUT_BUFFER],
    len: 0,
    error: None,
});

impl StdoutBuffer {
    fn flush(&mut self) -> Result<(), Errno> {
        let pending = self.buf.get(..self.len).unwrap_or(&[]);
        let r = write_all(Fd::STDOUT, pending);
        // Dropped either way: after an error the stream's position is unknown.
        self.len = 0;
        r
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), Errno> {
        let end = self.len + bytes.len();
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
            self.len = end;
            return Ok(());
        }
        self.spill(bytes)
    }

    #[cold]
    fn spill(&mut self, bytes: &[u8]) -> Result<(), Errno> {
        self.flush()?;
        if bytes.len() >= STDOUT_BUFFER {
            return write_all(Fd::STDOUT, bytes);
        }
        self.write_all(bytes)
    }

    /// `print!`'s append: errors end the program (see [`stdout_failed`]), so the inlined
    /// fast path is a bounds check and a copy.
    #[inline]
    fn print(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
            self.len = end;
        } else {
            self.print_slow(bytes);
        }
    }

    #[cold]
    #[inline(never)]
    fn print_slow(&mut self, bytes: &[u8]) {
        if let Err(e) = self.spill(bytes) {
            stdout_failed(e, 1);
        }
    }
}

/// fmt::Write for `print!` with arguments: never fails, see [`StdoutBuffer::print`].
struct Printer<'a>(&'a mut StdoutBuffer);

impl fmt::Write for Printer<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.print(s.as_bytes());
        Ok(())
    }
}

/// A handle to the process's stdout buffer.
#[derive(Clone, Copy)]
pub struct Stdout;

/// The stdout handle.
pub fn stdout() -> Stdout {
    Stdout
}

impl Stdout {
    /// Locks the buffer for a sequence of writes.
    pub fn lock(&self) -> StdoutLock<'static> {
        StdoutLock(STDOUT.lock())
    }

    /// Appends to the buffer (writing it out when full); large writes go straight through.
    pub fn write_all(&self, bytes: &[u8]) -> Result<(), Errno> {
        self.lock().write_all(bytes)
    }

    /// Writes out everything buffered.
    pub fn flush(&self) -> Result<(), Errno> {
        self.lock().flush()
    }
}

impl fmt::Write for Stdout {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.lock().write_str(s)
    }
}

/// The locked stdout buffer.
pub struct StdoutLock<'a>(SpinGuard<'a, StdoutBuffer>);

impl StdoutLock<'_> {
    #[inline]
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), Errno> {
        self.0.write_all(bytes)
    }

    pub fn flush(&mut self) -> Result<(), Errno> {
        self.0.flush()
    }

    /// Formats into the buffer, returning the underlying errno on failure.
    pub fn write_fmt_errno(&mut self, args: fmt::Arguments<'_>) -> Result<(), Errno> {
        match args.as_str() {
            Some(s) => self.write_all(s.as_bytes()),
            None => fmt::write(self, args).map_err(|_| self.0.error.take().unwrap_or(Errno::EIO)),
        }
    }
}

impl fmt::Write for StdoutLock<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.write_all(s.as_bytes()).map_err(|e| {
            self.0.error = Some(e);
            fmt::Error
        })
    }
}

/// What happens when stdout cannot be written by `print!` or at exit: EPIPE ends the
/// program quietly with [`EXIT_BROKEN_PIPE`]; anything else is reported on stderr and ends it
/// with `status` (1 if that was 0). One function for both paths keeps hello small.
#[cold]
#[inline(never)]
pub(crate) fn stdout_failed(e: Errno, status: i32) -> ! {
    if e == Errno::EPIPE {
        sys::exit_group(EXIT_BROKEN_PIPE);
    }
    report_stdout_error(e);
    sys::exit_group(if status == 0 { 1 } else { status })
}

/// `failed printing to stdout: os error N` on stderr. Deliberately free of core::fmt and the
/// errno table: this path is linked into every program that prints, hello included.
fn report_stdout_error(e: Errno) {
    let mut digits = *b"00000\n";
    let mut n = e.raw();
    let mut i = 5;
    while i > 0 {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let _ = write_all(Fd::STDERR, b"failed printing to stdout: os error ");
    let _ = write_all(Fd::STDERR, digits.get(i..).unwrap_or(&digits));
}

#[doc(hidden)]
#[inline]
pub fn _print(args: fmt::Arguments<'_>, newline: bool) {
    let mut out = STDOUT.lock();
    match args.as_str() {
        Some(s) => out.print(s.as_bytes()),
        None => {
            let _ = fmt::write(&mut Printer(&mut out), args);
        }
    }
    if newline {
        out.print(b"\n");
    }
}

/// Flushes stdout on the way out of the process (exit or panic): ignores a lock held by the
/// dying frame itself. Returns the error, if any, for the caller's policy.
pub fn flush_at_exit() -> Result<(), Errno> {
    match STDOUT.try_lock() {
        Some(mut out) => out.flush(),
        // SAFETY: the lock is held by a frame of this (single-threaded, dying) program that
        // will never run again; the buffer's length is always consistent between writes.
        None => unsafe { STDOUT.force().flush() },
    }
}

/// A command-line tool's message on stderr as one line, `TOOL: ` and `parts` (no
/// `core::fmt`): stdout's pending output goes first, so the two streams interleave as they
/// were written, as coreutils' do (`wc: x: No such file or directory`).
pub fn complain(tool: &[u8], parts: &[&[u8]]) {
    let _ = stdout().flush();
    let mut err = StderrWriter::new();
    err.write_bytes(tool);
    err.write_bytes(b": ");
    for p in parts {
        err.write_bytes(p);
    }
    err.write_bytes(b"\n");
}

/// stderr output through a stack buffer: one write per message when it fits.
pub struct StderrWriter {
    buf: [u8; 512],
    len: usize,
}

impl Default for StderrWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl StderrWriter {
    pub const fn new() -> Self {
        StderrWriter {
            buf: [0; 512],
            len: 0,
        }
    }

    pub fn write_bytes(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
            self.len = end;
        } else {
            self.flush();
            if bytes.len() >= self.buf.len() {
                let _ = write_all(Fd::STDERR, bytes);
            } else {
                self.write_bytes(bytes);
            }
        }
    }

    /// Writes what is buffered; errors on stderr have nowhere to be reported, so they are
    /// dropped.
    pub fn flush(&mut self) {
        let _ = write_all(Fd::STDERR, self.buf.get(..self.len).unwrap_or(&[]));
        self.len = 0;
    }
}

impl fmt::Write for StderrWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.write_bytes(s.as_bytes());
        Ok(())
    }
}

impl Drop for StderrWriter {
    fn drop(&mut self) {
        self.flush();
    }
}

#[doc(hidden)]
pub fn _eprint(args: fmt::Arguments<'_>, newline: bool) {
    let mut w = StderrWriter::new();
    match args.as_str() {
        Some(s) => w.write_bytes(s.as_bytes()),
        None => {
            let _ = fmt::write(&mut w, args);
        }
    }
    if newline {
        w.write_bytes(b"\n");
    }
}

/// A handle to stdin.
#[derive(Clone, Copy)]
pub struct Stdin;

/// The stdin handle.
pub fn stdin() -> Stdin {
    Stdin
}

impl Stdin {
    /// Reads some bytes (0 at end of input), retrying EINTR.
    pub fn read(&self, buf: &mut [u8]) -> Result<usize, Errno> {
        read(Fd::STDIN, buf)
    }

    /// Reads all remaining input, appending to `out`.
    pub fn read_to_end(&self, out: &mut Vec<u8>) -> Result<usize, Errno> {
        read_to_end(Fd::STDIN, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipe() -> (Fd, Fd) {
        let (r, w) = std::io::pipe().unwrap();
        use std::os::fd::IntoRawFd;
        (Fd(r.into_raw_fd()), Fd(w.into_raw_fd()))
    }

    #[test]
    fn write_all_and_read_to_end_through_a_pipe() {
        let (r, w) = pipe();
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let expected = data.clone();
        // More than a pipe holds: the writer sees short writes while the reader drains.
        let writer = std::thread::spawn(move || {
            write_all(w, &data).unwrap();
            sys::close(w).unwrap();
        });
        let mut got = Vec::new();
        assert_eq!(read_to_end(r, &mut got).unwrap(), expected.len());
        writer.join().unwrap();
        sys::close(r).unwrap();
        assert_eq!(got, expected);
    }

    #[test]
    fn writing_to_a_closed_pipe_is_epipe() {
        let (r, w) = pipe();
        sys::close(r).unwrap();
        // The test harness (std) ignores SIGPIPE, so the error comes back as EPIPE.
        assert_eq!(write_all(w, b"x"), Err(Errno::EPIPE));
        sys::close(w).unwrap();
    }

    #[test]
    fn stdout_buffer_spills_in_order() {
        let mut b = StdoutBuffer {
            buf: [0; STDOUT_BUFFER],
            len: 0,
            error: None,
        };
        b.write_all(&[1; 100]).unwrap();
        assert_eq!(b.len, 100);
        b.write_all(&[2; STDOUT_BUFFER - 100]).unwrap();
        assert_eq!(b.len, STDOUT_BUFFER);
        assert!(b.buf[..100].iter().all(|&x| x == 1) && b.buf[100..].iter().all(|&x| x == 2));
    }
}
