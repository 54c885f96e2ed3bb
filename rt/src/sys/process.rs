//! Processes: pipes, descriptor duplication, vfork + execve, execve alone, the working
//! directory.

use super::{Fd, raw, result};
use crate::errno::Errno;
use core::ffi::{CStr, c_char};
use raw::nr;

/// pipe2(2): (read end, write end).
pub fn pipe2(flags: super::OFlags) -> Result<(Fd, Fd), Errno> {
    let mut fds = [0i32; 2];
    // SAFETY: the kernel writes two ints.
    result(unsafe { raw::syscall2(nr::PIPE2, fds.as_mut_ptr() as usize, flags.0 as usize) })?;
    Ok((Fd(fds[0]), Fd(fds[1])))
}

/// dup3(2): `old` as `new` (closing what `new` was); `flags` may be `O_CLOEXEC`.
pub fn dup3(old: Fd, new: Fd, flags: super::OFlags) -> Result<Fd, Errno> {
    // SAFETY: no memory is passed.
    result(unsafe { raw::syscall3(nr::DUP3, old.0 as usize, new.0 as usize, flags.0 as usize) })
        .map(|fd| Fd(fd as i32))
}

/// chdir(2).
pub fn chdir(path: &CStr) -> Result<(), Errno> {
    // SAFETY: path is NUL-terminated.
    result(unsafe { raw::syscall1(nr::CHDIR, path.as_ptr() as usize) }).map(drop)
}

/// getcwd(2): the working directory into `buf`, its length with the NUL.
pub fn getcwd(buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: the kernel writes at most buf.len() bytes.
    result(unsafe { raw::syscall2(nr::GETCWD, buf.as_mut_ptr() as usize, buf.len()) })
}

/// execve(2): replaces this process with `path`; returns only when that fails.
///
/// # Safety
/// `argv` and `envp` must be valid NULL-terminated arrays of pointers to NUL-terminated
/// strings.
pub unsafe fn execve(path: &CStr, argv: *const *const c_char, envp: *const *const c_char) -> Errno {
    // SAFETY: the caller vouches for the arrays; path is NUL-terminated.
    let r = unsafe {
        raw::syscall3(
            nr::EXECVE,
            path.as_ptr() as usize,
            argv as usize,
            envp as usize,
        )
    };
    match result(r) {
        Err(e) => e,
        Ok(_) => Errno::EINVAL,
    }
}

/// What the child does between vfork and execve: duplicate descriptors into place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Redirect {
    pub from: Fd,
    pub to: Fd,
}

/// Starts `path` with `argv` and `envp` (NULL-terminated arrays of NUL-terminated strings)
/// in a child after applying `redirects`, and returns the child's pid. The child shares
/// this process's memory until it execs (vfork: no page tables are copied), so it only
/// makes system calls; if execve fails it exits with status 127 after writing the errno
/// to `report` (a CLOEXEC pipe the parent reads: empty when exec succeeded).
///
/// # Safety
/// `argv` and `envp` must be valid NULL-terminated arrays of pointers to NUL-terminated
/// strings, alive until this returns.
pub unsafe fn spawn(
    path: &CStr,
    argv: *const *const c_char,
    envp: *const *const c_char,
    redirects: &[Redirect],
    report: Fd,
) -> Result<i32, Errno> {
    // Everything the child needs is computed before the vfork; the child runs on the
    // parent's stack frame, so it calls nothing that could return into frames the parent
    // will reuse: only the inline system calls below, then execve or exit_group.
    let (path, argv, envp) = (path.as_ptr() as usize, argv as usize, envp as usize);
    let (reds, n, report) = (redirects.as_ptr(), redirects.len(), report.0 as usize);
    let pid: isize;
    // SAFETY: vfork suspends the parent until the child execs or exits; the asm block below
    // keeps the child in registers and on no stack of its own: rdi/rsi/rdx/r8.. are set
    // per call, and the loop over the redirects reads memory the parent owns and does not
    // change meanwhile.
    unsafe {
        core::arch::asm!(
            "mov eax, {vfork}",
            "syscall",
            "test rax, rax",
            "jnz 3f",
            // Child: dup2 each redirect (dup3 with flags 0).
            "xor r12, r12",
            "2:",
            "cmp r12, {n}",
            "jae 4f",
            "mov edi, dword ptr [{reds} + r12*8]",
            "mov esi, dword ptr [{reds} + r12*8 + 4]",
            "xor edx, edx",
            "mov eax, {dup3}",
            "syscall",
            "inc r12",
            "jmp 2b",
            "4:",
            "mov rdi, {path}",
            "mov rsi, {argv}",
            "mov rdx, {envp}",
            "mov eax, {execve}",
            "syscall",
            // execve failed: -errno in rax. Report it (4 bytes) and exit 127.
            "neg eax",
            "push rax",
            "mov rdi, {report}",
            "mov rsi, rsp",
            "mov edx, 4",
            "mov eax, {write}",
            "syscall",
            "mov edi, 127",
            "mov eax, {exit}",
            "syscall",
            "ud2",
            "3:",
            vfork = const nr::VFORK,
            dup3 = const nr::DUP3,
            execve = const nr::EXECVE,
            write = const nr::WRITE,
            exit = const nr::EXIT_GROUP,
            n = in(reg) n,
            reds = in(reg) reds,
            path = in(reg) path,
            argv = in(reg) argv,
            envp = in(reg) envp,
            report = in(reg) report,
            out("r12") _,
            out("rax") pid,
            out("rcx") _,
            out("r11") _,
            out("rdi") _,
            out("rsi") _,
            out("rdx") _,
        );
    }
    result(pid).map(|p| p as i32)
}

/// `struct pollfd`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct PollFd {
    pub fd: i32,
    pub events: i16,
    pub revents: i16,
}

/// `POLLIN`: data to read (or the end of it).
pub const POLLIN: i16 = 1;
/// `POLLHUP`: the other end closed.
pub const POLLHUP: i16 = 0x10;

/// poll(2): waits up to `timeout_ms` (-1: forever) until one of `fds` is ready; how many are.
pub fn poll(fds: &mut [PollFd], timeout_ms: i32) -> Result<usize, Errno> {
    // SAFETY: the kernel reads and writes fds.len() pollfd structs.
    result(unsafe {
        raw::syscall3(
            nr::POLL,
            fds.as_mut_ptr() as usize,
            fds.len(),
            timeout_ms as isize as usize,
        )
    })
}
