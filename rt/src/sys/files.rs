//! Files by path and directories: stat by path (following symbolic links or not),
//! directory entries (getdents64), rename, unlink, mkdir, readlink, the terminal test.

use super::{Fd, Stat, raw, result};
use crate::errno::Errno;
use core::ffi::CStr;
use raw::nr;

/// `AT_SYMLINK_NOFOLLOW`: the link itself, not what it points to.
pub const AT_SYMLINK_NOFOLLOW: u32 = 0x100;
/// `AT_REMOVEDIR`: [`unlinkat`] removes an (empty) directory.
pub const AT_REMOVEDIR: u32 = 0x200;

/// newfstatat(2): the status of `path` (relative to `dir`); `flags` 0 follows a symbolic
/// link, [`AT_SYMLINK_NOFOLLOW`] describes the link.
pub fn fstatat(dir: Fd, path: &CStr, flags: u32) -> Result<Stat, Errno> {
    let mut st = Stat::default();
    // SAFETY: path is NUL-terminated; st is a writable struct stat.
    result(unsafe {
        raw::syscall4(
            nr::NEWFSTATAT,
            dir.0 as isize as usize,
            path.as_ptr() as usize,
            &mut st as *mut Stat as usize,
            flags as usize,
        )
    })?;
    Ok(st)
}

/// getdents64(2): fills `buf` with `struct linux_dirent64` records (see
/// [`crate::fs::ReadDir`]); 0 at the end of the directory.
pub fn getdents64(fd: Fd, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: the kernel writes at most buf.len() bytes into buf.
    result(unsafe {
        raw::syscall3(
            nr::GETDENTS64,
            fd.0 as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    })
}

/// mkdirat(2).
pub fn mkdirat(dir: Fd, path: &CStr, mode: u32) -> Result<(), Errno> {
    // SAFETY: path is NUL-terminated.
    result(unsafe {
        raw::syscall3(
            nr::MKDIRAT,
            dir.0 as isize as usize,
            path.as_ptr() as usize,
            mode as usize,
        )
    })
    .map(drop)
}

/// unlinkat(2): a file, or with [`AT_REMOVEDIR`] an empty directory.
pub fn unlinkat(dir: Fd, path: &CStr, flags: u32) -> Result<(), Errno> {
    // SAFETY: path is NUL-terminated.
    result(unsafe {
        raw::syscall3(
            nr::UNLINKAT,
            dir.0 as isize as usize,
            path.as_ptr() as usize,
            flags as usize,
        )
    })
    .map(drop)
}

/// renameat(2).
pub fn renameat(from_dir: Fd, from: &CStr, to_dir: Fd, to: &CStr) -> Result<(), Errno> {
    // SAFETY: both paths are NUL-terminated.
    result(unsafe {
        raw::syscall4(
            nr::RENAMEAT,
            from_dir.0 as isize as usize,
            from.as_ptr() as usize,
            to_dir.0 as isize as usize,
            to.as_ptr() as usize,
        )
    })
    .map(drop)
}

/// readlinkat(2): the link's target into `buf`, its length (not NUL-terminated; a target
/// as long as `buf` may have been cut short).
pub fn readlinkat(dir: Fd, path: &CStr, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: path is NUL-terminated; the kernel writes at most buf.len() bytes.
    result(unsafe {
        raw::syscall4(
            nr::READLINKAT,
            dir.0 as isize as usize,
            path.as_ptr() as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    })
}

/// `TCGETS`: the terminal's settings; fails with ENOTTY for anything that is not one.
const TCGETS: usize = 0x5401;

/// Whether `fd` is a terminal (isatty: `ioctl(TCGETS)` succeeds).
pub fn isatty(fd: Fd) -> bool {
    // struct termios is 60 bytes on x86-64; room to spare.
    let mut termios = [0u8; 64];
    // SAFETY: the kernel writes a struct termios into the buffer, which is large enough.
    unsafe {
        raw::syscall3(
            nr::IOCTL,
            fd.0 as usize,
            TCGETS,
            termios.as_mut_ptr() as usize,
        ) == 0
    }
}
