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

mod stdout;
mod traits;

pub(crate) use stdout::stdout_failed;
pub use stdout::{
    _print, _print_line, EXIT_BROKEN_PIPE, STDOUT_BUFFER, Stdout, StdoutLock, flush_at_exit, stdout,
};
pub use traits::{BufReader, Bytes, Read, Split, Stderr, Write, is_terminal};

use crate::errno::Errno;
use crate::sys::{self, Fd};
use alloc::vec::Vec;
use core::fmt;

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

/// Output gathered on the stack and written in one `write` when it fits: stderr's messages,
/// and unbuffered stdout's `print!`.
pub(crate) struct StackBuffer {
    buf: [u8; 512],
    len: usize,
}

impl StackBuffer {
    pub const fn new() -> Self {
        StackBuffer {
            buf: [0; 512],
            len: 0,
        }
    }

    pub fn write_bytes(&mut self, fd: Fd, bytes: &[u8]) -> Result<(), Errno> {
        let end = self.len + bytes.len();
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
            self.len = end;
            return Ok(());
        }
        self.flush(fd)?;
        if bytes.len() >= self.buf.len() {
            write_all(fd, bytes)
        } else {
            self.write_bytes(fd, bytes)
        }
    }

    /// Writes what is gathered (and forgets it, written or not).
    pub fn flush(&mut self, fd: Fd) -> Result<(), Errno> {
        let r = write_all(fd, self.buf.get(..self.len).unwrap_or(&[]));
        self.len = 0;
        r
    }

    /// Formats `args` into the buffer; the first write error is returned.
    #[allow(dead_code)] // only unbuffered stdout formats through this
    pub fn write_fmt_to(&mut self, fd: Fd, args: fmt::Arguments<'_>) -> Result<(), Errno> {
        struct To<'a>(&'a mut StackBuffer, Fd, Result<(), Errno>);
        impl fmt::Write for To<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                self.2 = self.0.write_bytes(self.1, s.as_bytes());
                self.2.map_err(|_| fmt::Error)
            }
        }
        let mut to = To(self, fd, Ok(()));
        let _ = fmt::write(&mut to, args);
        to.2
    }
}

/// stderr output through a stack buffer: one write per message when it fits. Errors on
/// stderr have nowhere to be reported, so they are dropped.
pub struct StderrWriter(StackBuffer);

impl Default for StderrWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl StderrWriter {
    pub const fn new() -> Self {
        StderrWriter(StackBuffer::new())
    }

    pub fn write_bytes(&mut self, bytes: &[u8]) {
        let _ = self.0.write_bytes(Fd::STDERR, bytes);
    }

    /// Writes what is buffered.
    pub fn flush(&mut self) {
        let _ = self.0.flush(Fd::STDERR);
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
}
