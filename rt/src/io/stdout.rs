//! stdout: block-buffered by default, written straight through without rt's
//! `buffered-stdout` feature.
//!
//! Buffered (the default): output collects in a 32 KiB buffer, written when full, on
//! [`Stdout::flush`], at exit and before a panic message — what throughput-bound tools
//! (`wc`, `cat`) want. Unbuffered (`default-features = false`): each `print!` is one `write`
//! (formatted in a stack buffer first), `Stdout::write_all` is a `write` loop, and there is
//! nothing to flush at exit — no 32 KiB of bss and no flush path, what the smallest programs
//! want (hello is one `write` either way). The two behave alike otherwise, errors included.

use super::write_all;
use crate::errno::Errno;
use crate::sys::Fd;
use core::fmt;

/// Size of the stdout buffer (0 without the `buffered-stdout` feature: nothing is held back).
pub const STDOUT_BUFFER: usize = if cfg!(feature = "buffered-stdout") {
    32 * 1024
} else {
    0
};
/// Exit status after EPIPE on stdout: 128 + SIGPIPE, what a shell shows for a process that
/// SIGPIPE killed.
pub const EXIT_BROKEN_PIPE: i32 = 141;

#[cfg(feature = "buffered-stdout")]
mod sink {
    use super::{Errno, Fd, STDOUT_BUFFER, fmt, stdout_failed, write_all};
    use crate::sync::{SpinGuard, SpinLock};

    pub struct Buffer {
        buf: [u8; STDOUT_BUFFER],
        len: usize,
        /// The error behind the last fmt::Error, which carries none itself.
        pub error: Option<Errno>,
    }

    static STDOUT: SpinLock<Buffer> = SpinLock::new(Buffer::new());

    /// The locked buffer.
    pub type Sink = SpinGuard<'static, Buffer>;

    /// The buffer, locked. In a program started by rt (one thread), a lock already held is
    /// held by a frame below this one — a `Display` printing while `print!` formats it —
    /// and is entered again, as std's reentrant stdout lock is: the inner print lands in
    /// the buffer where the outer one has got to. Elsewhere (rt used by a std program) it
    /// is waited for. (A signal handler that prints while a copy into the buffer is under
    /// way is not provided for, in either case.)
    pub fn lock() -> Sink {
        match STDOUT.try_lock() {
            Some(out) => out,
            // SAFETY: one thread, which holds the lock in a frame below; every use of a guard
            // is a single call on the buffer that runs no caller code (see Printer).
            None if crate::env::started_by_rt() => unsafe { STDOUT.reenter() },
            None => STDOUT.lock(),
        }
    }

    /// Flushes on the way out of the process (exit or panic): ignores a lock held by the
    /// dying frame itself.
    pub fn flush_at_exit() -> Result<(), Errno> {
        match STDOUT.try_lock() {
            Some(mut out) => out.flush(),
            // SAFETY: the lock is held by a frame of this (single-threaded, dying) program
            // that will never run again; the buffer's length is always consistent between
            // writes.
            None => unsafe { STDOUT.force().flush() },
        }
    }

    impl Buffer {
        pub const fn new() -> Self {
            Buffer {
                buf: [0; STDOUT_BUFFER],
                len: 0,
                error: None,
            }
        }

        pub fn flush(&mut self) -> Result<(), Errno> {
            let pending = self.buf.get(..self.len).unwrap_or(&[]);
            let r = write_all(Fd::STDOUT, pending);
            // Dropped either way: after an error the stream's position is unknown.
            self.len = 0;
            r
        }

        #[inline]
        pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), Errno> {
            let end = self.len + bytes.len();
            if let Some(dst) = self.buf.get_mut(self.len..end) {
                dst.copy_from_slice(bytes);
                self.len = end;
                return Ok(());
            }
            self.spill(bytes)
        }

        #[cold]
        #[inline(never)]
        fn spill(&mut self, bytes: &[u8]) -> Result<(), Errno> {
            self.flush()?;
            if bytes.len() >= STDOUT_BUFFER {
                return write_all(Fd::STDOUT, bytes);
            }
            self.write_all(bytes)
        }

        /// `print!`'s append: errors end the program (see [`stdout_failed`]), so the
        /// inlined fast path is a bounds check and a copy.
        #[inline]
        pub fn print(&mut self, bytes: &[u8]) {
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

        #[cfg(test)]
        pub fn contents(&self) -> &[u8] {
            &self.buf[..self.len]
        }
    }

    /// fmt::Write for `print!` with arguments: never fails, see [`Buffer::print`]. It holds
    /// the guard, not the buffer: the buffer is reached only for each piece's copy, never
    /// across the caller's formatting code, which may print itself.
    struct Printer<'a>(&'a mut Sink);

    impl fmt::Write for Printer<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0.print(s.as_bytes());
            Ok(())
        }
    }

    #[inline]
    pub fn print(args: fmt::Arguments<'_>, newline: bool) {
        let mut out = lock();
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

    #[inline]
    pub fn print_bytes(bytes: &[u8]) {
        lock().print(bytes)
    }
}

#[cfg(not(feature = "buffered-stdout"))]
mod sink {
    use super::{Errno, Fd, fmt, stdout_failed, write_all};
    use crate::io::StackBuffer;

    /// Nothing is held: a write is a `write` loop. (The error field carries the error
    /// behind a fmt::Error, as the buffered sink's does.)
    pub struct Direct {
        pub error: Option<Errno>,
    }

    pub type Sink = Direct;

    pub fn lock() -> Sink {
        Direct { error: None }
    }

    pub fn flush_at_exit() -> Result<(), Errno> {
        Ok(())
    }

    impl Direct {
        pub fn flush(&mut self) -> Result<(), Errno> {
            Ok(())
        }

        #[inline]
        pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), Errno> {
            write_all(Fd::STDOUT, bytes)
        }
    }

    /// One `write` per `print!` that fits the stack buffer; errors end the program.
    #[inline(never)]
    pub fn print(args: fmt::Arguments<'_>, newline: bool) {
        let mut line = StackBuffer::new();
        let r = match args.as_str() {
            Some(s) => line.write_bytes(Fd::STDOUT, s.as_bytes()),
            None => line.write_fmt_to(Fd::STDOUT, args),
        };
        let r = r
            .and_then(|()| match newline {
                true => line.write_bytes(Fd::STDOUT, b"\n"),
                false => Ok(()),
            })
            .and_then(|()| line.flush(Fd::STDOUT));
        if let Err(e) = r {
            stdout_failed(e, 1);
        }
    }

    #[inline]
    pub fn print_bytes(bytes: &[u8]) {
        // SAFETY: the routine reads bytes, makes system calls and follows the C ABI's
        // clobbers, with its arguments where write(2) takes them.
        unsafe {
            core::arch::asm!(
                "call {f}",
                f = sym super::write_stdout_or_exit,
                inout("rsi") bytes.as_ptr() => _,
                inout("rdx") bytes.len() => _,
                clobber_abi("C"),
            )
        }
    }
}

/// A handle to the process's stdout.
#[derive(Clone, Copy)]
pub struct Stdout;

/// The stdout handle.
pub fn stdout() -> Stdout {
    Stdout
}

impl Stdout {
    /// Locks stdout for a sequence of writes.
    pub fn lock(&self) -> StdoutLock<'static> {
        StdoutLock(sink::lock(), core::marker::PhantomData)
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

/// The locked stdout.
pub struct StdoutLock<'a>(sink::Sink, core::marker::PhantomData<&'a ()>);

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
/// program quietly with [`EXIT_BROKEN_PIPE`]; anything else is reported on stderr as
/// `failed printing to stdout: os error N` and ends it with `status` (1 if that was 0).
#[cold]
#[inline(never)]
pub(crate) fn stdout_failed(e: Errno, status: i32) -> ! {
    // SAFETY: only makes system calls and writes below the stack pointer.
    unsafe { stdout_failed_raw(u32::from(e.raw()), if status == 0 { 1 } else { status }) }
}

/// The report's text before the number.
static FAILED: [u8; 36] = *b"failed printing to stdout: os error ";

// The two routines below are linked into every program that prints, hello included, and
// are most of the smallest hello's code: written in assembly for size (about 150 bytes
// instead of 300 compiled), and free of core::fmt, the errno table and Result.

/// `stdout_failed` with the errno in edi and the status (not 0) in esi. The number is
/// converted with `div` below the stack pointer (under the 8 bytes that `push`/`pop` of a
/// constant use); stderr's write errors have nowhere to go and are ignored.
#[unsafe(naked)]
unsafe extern "C" fn stdout_failed_raw(errno: u32, status: i32) -> ! {
    core::arch::naked_asm!(
        "cmp edi, {epipe}",
        "jne 2f",
        // exit_group keeps the status's low byte: setting that one is enough.
        "mov sil, {broken_pipe}",
        "jmp 4f",
        "2:",
        "push rsi",              // the status
        "push rdi",              // the errno
        "push 2",                // write(2, FAILED, its length)
        "pop rdi",
        "lea rsi, [rip + {failed}]",
        "push {failed_len}",
        "pop rdx",
        "push 1",
        "pop rax",
        "syscall",
        "pop rax",               // the errno, in decimal: last digit first, leftwards
        "lea rsi, [rsp - 9]",    //   from a newline
        "mov byte ptr [rsi], 10",
        "push 10",
        "pop rcx",
        "3:",
        "cdq",                   // edx = 0: eax is below 2^31
        "div ecx",
        "add dl, 48",
        "dec rsi",
        "mov [rsi], dl",
        "test eax, eax",
        "jnz 3b",
        "lea rdx, [rsp - 8]",    // write(2, the digits, up to the newline's end)
        "sub rdx, rsi",
        "push 1",
        "pop rax",
        "syscall",
        "pop rsi",
        "4:",
        "mov edi, esi",
        "mov eax, 231",          // exit_group
        "syscall",
        "ud2",
        broken_pipe = const EXIT_BROKEN_PIPE as u8,
        epipe = const Errno::EPIPE.raw(),
        failed = sym FAILED,
        failed_len = const FAILED.len(),
    )
}

/// write(1, rsi, rdx) until everything is written, retrying short writes and EINTR (the
/// arguments are where write(2) takes them; otherwise the C ABI); any error goes to
/// [`stdout_failed_raw`] with status 1 (a write of 0 bytes counts as EIO).
#[cfg_attr(feature = "buffered-stdout", allow(dead_code))]
#[unsafe(naked)]
unsafe extern "C" fn write_stdout_or_exit() {
    core::arch::naked_asm!(
        "2:",
        "test rdx, rdx",
        "jz 5f",
        "push 1",
        "pop rdi",
        "mov eax, edi",
        "syscall",
        "test rax, rax",
        "jle 3f",
        "add rsi, rax",
        "sub rdx, rax",
        "jmp 2b",
        "3:",
        "cmp rax, -{eintr}",
        "je 2b",
        "neg eax",               // the errno; a write of 0 bytes is EIO
        "jnz 4f",
        "mov al, {eio}",
        "4:",
        "xchg edi, eax",         // edi: errno, esi: status 1
        "mov esi, eax",
        "jmp {failed}",
        "5:",
        "ret",
        eintr = const Errno::EINTR.raw(),
        eio = const Errno::EIO.raw(),
        failed = sym stdout_failed_raw,
    )
}

#[doc(hidden)]
#[inline]
pub fn _print(args: fmt::Arguments<'_>, newline: bool) {
    sink::print(args, newline)
}

/// `println!("literal")`: `line` is the literal and its newline as one string, which is
/// what the line prints when the literal has no arguments and no `{{`/`}}` escapes (the
/// formatted text is then one shorter than `line`); otherwise it is formatted as usual.
#[doc(hidden)]
#[inline]
pub fn _print_line(args: fmt::Arguments<'_>, line: &'static str) {
    if is_whole_line(&args, line) {
        sink::print_bytes(line.as_bytes())
    } else {
        _print(args, true)
    }
}

#[inline]
fn is_whole_line(args: &fmt::Arguments<'_>, line: &str) -> bool {
    matches!(args.as_str(), Some(s) if s.len() + 1 == line.len())
}

/// Flushes stdout on the way out of the process (exit or panic). Returns the error, if any,
/// for the caller's policy.
pub fn flush_at_exit() -> Result<(), Errno> {
    sink::flush_at_exit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_literal_line_is_printed_whole_only_when_nothing_is_formatted() {
        assert!(is_whole_line(
            &format_args!("Hello"),
            concat!("Hello", "\n")
        ));
        assert!(is_whole_line(&format_args!(""), concat!("", "\n")));
        // Escapes shorten the formatted text: the literal is not the line.
        assert!(!is_whole_line(&format_args!("{{}}"), concat!("{{}}", "\n")));
        // A captured argument is formatted.
        let x = 5;
        assert!(!is_whole_line(&format_args!("{x}"), concat!("{x}", "\n")));
    }

    /// print!, println! and Stdout through fd 1 (pointed at a pipe for the test), in the
    /// mode the features chose: `cargo xtask test` runs rt's tests with and without them.
    #[test]
    fn prints_reach_fd_1_in_order() {
        use crate::sys;
        use std::io::Read;
        use std::os::fd::{AsFd, AsRawFd, FromRawFd};
        let saved = std::io::stdout().as_fd().try_clone_to_owned().unwrap();
        let (r, w) = sys::pipe2(sys::OFlags::CLOEXEC).unwrap();
        sys::dup3(w, Fd::STDOUT, sys::OFlags(0)).unwrap();
        let x = 4;
        crate::println!("2 + 2 = {x}");
        crate::println!("a literal");
        crate::print!("{{no newline}}");
        crate::println!();
        stdout().write_all(b"written ").unwrap();
        crate::println!("{}", "formatted");
        let long = "y".repeat(3000);
        crate::println!("{long}");
        flush_at_exit().unwrap();
        sys::dup3(Fd(saved.as_raw_fd()), Fd::STDOUT, sys::OFlags(0)).unwrap();
        sys::close(w).unwrap();
        let mut got = String::new();
        // SAFETY: r is this test's open read end, owned from here on.
        unsafe { std::fs::File::from_raw_fd(r.0) }
            .read_to_string(&mut got)
            .unwrap();
        assert_eq!(
            got,
            format!("2 + 2 = 4\na literal\n{{no newline}}\nwritten formatted\n{long}\n")
        );
    }

    #[cfg(feature = "buffered-stdout")]
    #[test]
    fn stdout_buffer_spills_in_order() {
        let mut b = sink::Buffer::new();
        b.write_all(&[1; 100]).unwrap();
        assert_eq!(b.contents().len(), 100);
        b.write_all(&[2; STDOUT_BUFFER - 100]).unwrap();
        let all = b.contents();
        assert_eq!(all.len(), STDOUT_BUFFER);
        assert!(all[..100].iter().all(|&x| x == 1) && all[100..].iter().all(|&x| x == 2));
    }
}
