//! Typed syscall wrappers: distinct types for descriptors, flags and clocks, `Result<_, Errno>`
//! for every fallible call. Memory-mapping calls stay `unsafe` (they can unmap live memory);
//! [`crate::mmap::Mapping`] is their safe owner.

mod files;
mod process;
pub mod raw;

pub use files::{
    AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, fstatat, getdents64, isatty, mkdirat, readlinkat, renameat,
    unlinkat,
};
pub use process::{
    POLLHUP, POLLIN, PollFd, Redirect, chdir, dup3, execve, getcwd, pipe2, poll, spawn,
};

use crate::errno::Errno;
use core::ffi::CStr;
use raw::nr;

/// A file descriptor number. Plain and `Copy`: ownership lives in [`crate::fs::File`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Fd(pub i32);

impl Fd {
    pub const STDIN: Fd = Fd(0);
    pub const STDOUT: Fd = Fd(1);
    pub const STDERR: Fd = Fd(2);
    /// `AT_FDCWD`: paths relative to the current directory.
    pub const CWD: Fd = Fd(-100);
}

/// Flags for [`openat`] (`O_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OFlags(pub u32);

impl OFlags {
    pub const RDONLY: OFlags = OFlags(0);
    pub const WRONLY: OFlags = OFlags(1);
    pub const RDWR: OFlags = OFlags(2);
    pub const CREAT: OFlags = OFlags(0o100);
    pub const EXCL: OFlags = OFlags(0o200);
    pub const TRUNC: OFlags = OFlags(0o1000);
    pub const APPEND: OFlags = OFlags(0o2000);
    pub const NONBLOCK: OFlags = OFlags(0o4000);
    pub const DIRECTORY: OFlags = OFlags(0o200000);
    pub const CLOEXEC: OFlags = OFlags(0o2000000);
}

impl core::ops::BitOr for OFlags {
    type Output = OFlags;
    fn bitor(self, rhs: OFlags) -> OFlags {
        OFlags(self.0 | rhs.0)
    }
}

/// Where [`lseek`] counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whence {
    Set = 0,
    Cur = 1,
    End = 2,
}

/// `struct stat` as the x86-64 kernel fills it (144 bytes).
#[derive(Clone, Copy, Debug, Default)]
#[repr(C)]
pub struct Stat {
    pub dev: u64,
    pub ino: u64,
    pub nlink: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    _pad0: u32,
    pub rdev: u64,
    pub size: i64,
    pub blksize: i64,
    pub blocks: i64,
    pub atime: Timespec,
    pub mtime: Timespec,
    pub ctime: Timespec,
    _reserved: [i64; 3],
}

impl Stat {
    pub const S_IFMT: u32 = 0o170000;
    pub const S_IFDIR: u32 = 0o040000;
    pub const S_IFREG: u32 = 0o100000;

    pub fn is_dir(&self) -> bool {
        self.mode & Self::S_IFMT == Self::S_IFDIR
    }

    pub fn is_file(&self) -> bool {
        self.mode & Self::S_IFMT == Self::S_IFREG
    }
}

/// `struct timespec`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
#[repr(C)]
pub struct Timespec {
    pub sec: i64,
    pub nsec: i64,
}

impl Timespec {
    pub const fn from_nanos(ns: u64) -> Timespec {
        Timespec {
            sec: (ns / 1_000_000_000) as i64,
            nsec: (ns % 1_000_000_000) as i64,
        }
    }

    /// Nanoseconds since the clock's epoch (saturating at zero for negative times).
    pub const fn as_nanos(&self) -> u64 {
        if self.sec < 0 {
            0
        } else {
            self.sec as u64 * 1_000_000_000 + self.nsec as u64
        }
    }
}

/// Clocks for [`clock_gettime`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockId {
    Realtime = 0,
    Monotonic = 1,
    ProcessCputime = 2,
    ThreadCputime = 3,
}

/// Memory protection bits for mmap and mprotect (`PROT_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prot(pub u32);

impl Prot {
    pub const NONE: Prot = Prot(0);
    pub const READ: Prot = Prot(1);
    pub const WRITE: Prot = Prot(2);
    pub const EXEC: Prot = Prot(4);
    pub const RW: Prot = Prot(3);
    pub const RX: Prot = Prot(5);

    pub const fn contains(self, other: Prot) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for Prot {
    type Output = Prot;
    fn bitor(self, rhs: Prot) -> Prot {
        Prot(self.0 | rhs.0)
    }
}

/// mmap flags (`MAP_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapFlags(pub u32);

impl MapFlags {
    pub const SHARED: MapFlags = MapFlags(0x01);
    pub const PRIVATE: MapFlags = MapFlags(0x02);
    pub const FIXED: MapFlags = MapFlags(0x10);
    pub const ANONYMOUS: MapFlags = MapFlags(0x20);
    pub const NORESERVE: MapFlags = MapFlags(0x4000);
    pub const FIXED_NOREPLACE: MapFlags = MapFlags(0x100000);
}

impl core::ops::BitOr for MapFlags {
    type Output = MapFlags;
    fn bitor(self, rhs: MapFlags) -> MapFlags {
        MapFlags(self.0 | rhs.0)
    }
}

/// `MREMAP_MAYMOVE`: let [`mremap`] move the mapping when it cannot grow in place.
pub const MREMAP_MAYMOVE: usize = 1;
/// `MADV_DONTNEED`: drop the pages' contents; anonymous pages read back as zero.
pub const MADV_DONTNEED: usize = 4;

#[inline]
fn result(ret: isize) -> Result<usize, Errno> {
    Errno::result(ret)
}

/// read(2). Returns 0 at end of file. EINTR is returned, not retried: see [`crate::io`].
pub fn read(fd: Fd, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: the kernel writes at most buf.len() bytes into buf.
    result(unsafe {
        raw::syscall3(
            nr::READ,
            fd.0 as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    })
}

/// write(2). May write fewer bytes than given: see [`crate::io::write_all`].
pub fn write(fd: Fd, buf: &[u8]) -> Result<usize, Errno> {
    // SAFETY: the kernel reads at most buf.len() bytes from buf.
    result(unsafe { raw::syscall3(nr::WRITE, fd.0 as usize, buf.as_ptr() as usize, buf.len()) })
}

/// openat(2). `mode` matters only with `O_CREAT`.
pub fn openat(dir: Fd, path: &CStr, flags: OFlags, mode: u32) -> Result<Fd, Errno> {
    // SAFETY: path is NUL-terminated and outlives the call.
    let ret = unsafe {
        raw::syscall4(
            nr::OPENAT,
            dir.0 as usize,
            path.as_ptr() as usize,
            flags.0 as usize,
            mode as usize,
        )
    };
    result(ret).map(|fd| Fd(fd as i32))
}

/// close(2).
pub fn close(fd: Fd) -> Result<(), Errno> {
    // SAFETY: closing a number cannot touch this process's memory.
    result(unsafe { raw::syscall1(nr::CLOSE, fd.0 as usize) }).map(drop)
}

/// lseek(2): the new offset from the start of the file.
pub fn lseek(fd: Fd, offset: i64, whence: Whence) -> Result<u64, Errno> {
    // SAFETY: no memory is passed.
    result(unsafe { raw::syscall3(nr::LSEEK, fd.0 as usize, offset as usize, whence as usize) })
        .map(|o| o as u64)
}

/// fstat(2).
pub fn fstat(fd: Fd) -> Result<Stat, Errno> {
    let mut st = Stat::default();
    // SAFETY: st is a correctly sized, writable struct stat.
    result(unsafe { raw::syscall2(nr::FSTAT, fd.0 as usize, &mut st as *mut Stat as usize) })?;
    Ok(st)
}

/// mmap(2). `fd` is `None` for anonymous mappings.
///
/// # Safety
/// With `MAP_FIXED` this replaces whatever was mapped at `addr`; the caller must own that
/// range. Without it the call cannot disturb existing memory.
pub unsafe fn mmap(
    addr: *mut u8,
    len: usize,
    prot: Prot,
    flags: MapFlags,
    fd: Option<Fd>,
    offset: u64,
) -> Result<*mut u8, Errno> {
    let fd = fd.map_or(-1, |f| f.0);
    // SAFETY: forwarded to the caller.
    let ret = unsafe {
        raw::syscall6(
            nr::MMAP,
            addr as usize,
            len,
            prot.0 as usize,
            flags.0 as usize,
            fd as isize as usize,
            offset as usize,
        )
    };
    result(ret).map(|p| p as *mut u8)
}

/// munmap(2).
///
/// # Safety
/// Nothing may use `[addr, addr + len)` afterwards; the caller must own that range.
pub unsafe fn munmap(addr: *mut u8, len: usize) -> Result<(), Errno> {
    // SAFETY: forwarded to the caller.
    result(unsafe { raw::syscall2(nr::MUNMAP, addr as usize, len) }).map(drop)
}

/// mprotect(2).
///
/// # Safety
/// The caller must own the range, and nothing may rely on access the new protection removes.
pub unsafe fn mprotect(addr: *mut u8, len: usize, prot: Prot) -> Result<(), Errno> {
    // SAFETY: forwarded to the caller.
    result(unsafe { raw::syscall3(nr::MPROTECT, addr as usize, len, prot.0 as usize) }).map(drop)
}

/// mremap(2) without a fixed target: grows or shrinks a mapping, moving it if `flags` has
/// [`MREMAP_MAYMOVE`].
///
/// # Safety
/// The caller must own `[old, old + old_len)`; if the mapping moves, old pointers dangle.
pub unsafe fn mremap(
    old: *mut u8,
    old_len: usize,
    new_len: usize,
    flags: usize,
) -> Result<*mut u8, Errno> {
    // SAFETY: forwarded to the caller.
    result(unsafe { raw::syscall4(nr::MREMAP, old as usize, old_len, new_len, flags) })
        .map(|p| p as *mut u8)
}

/// madvise(2).
///
/// # Safety
/// `MADV_DONTNEED` discards contents: the caller must own the range and not need its bytes.
pub unsafe fn madvise(addr: *mut u8, len: usize, advice: usize) -> Result<(), Errno> {
    // SAFETY: forwarded to the caller.
    result(unsafe { raw::syscall3(nr::MADVISE, addr as usize, len, advice) }).map(drop)
}

/// exit_group(2): ends the process now. Does not flush stdout: see [`crate::exit`].
pub fn exit_group(code: i32) -> ! {
    raw::exit_group(code)
}

/// getpid(2).
pub fn getpid() -> i32 {
    // SAFETY: no arguments, cannot fail.
    unsafe { raw::syscall0(nr::GETPID) as i32 }
}

/// kill(2).
pub fn kill(pid: i32, signal: i32) -> Result<(), Errno> {
    // SAFETY: no memory is passed.
    result(unsafe { raw::syscall2(nr::KILL, pid as isize as usize, signal as isize as usize) })
        .map(drop)
}

/// The kernel's `struct sigaction` (x86-64).
#[repr(C)]
pub(crate) struct KernelSigaction {
    pub handler: usize,
    pub flags: u64,
    pub restorer: usize,
    pub mask: u64,
}

/// SIGPIPE: a write to a pipe nobody reads.
pub const SIGPIPE: i32 = 13;

/// What a process does on a signal that has no handler of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// The signal's default action (for SIGPIPE: end the process).
    Default,
    /// Nothing: the system call that caused it fails instead (for SIGPIPE: `EPIPE`).
    Ignore,
}

/// rt_sigaction(2) with `SIG_DFL` or `SIG_IGN` for `signal`. A std program starts with
/// SIGPIPE ignored; a command-line tool restores the default so that `tool | head` ends it
/// quietly, as a C program would end:
///
/// ```
/// rt::sys::set_disposition(rt::sys::SIGPIPE, rt::sys::Disposition::Default).unwrap();
/// # rt::sys::set_disposition(rt::sys::SIGPIPE, rt::sys::Disposition::Ignore).unwrap();
/// ```
pub fn set_disposition(signal: i32, how: Disposition) -> Result<(), Errno> {
    // No handler, so no restorer either.
    let act = KernelSigaction {
        handler: match how {
            Disposition::Default => 0,
            Disposition::Ignore => 1,
        },
        flags: 0,
        restorer: 0,
        mask: 0,
    };
    // SAFETY: act is a valid struct sigaction with the kernel's 8-byte signal set; the old
    // action is not asked for.
    result(unsafe {
        raw::syscall4(
            nr::RT_SIGACTION,
            signal as isize as usize,
            &act as *const KernelSigaction as usize,
            0,
            8,
        )
    })
    .map(drop)
}

/// A `struct timeval`: seconds and microseconds.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timeval {
    pub sec: i64,
    pub usec: i64,
}

impl Timeval {
    pub const fn as_micros(&self) -> u64 {
        self.sec as u64 * 1_000_000 + self.usec as u64
    }
}

/// `struct rusage` as the kernel fills it: what a child used.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rusage {
    /// User and system CPU time.
    pub utime: Timeval,
    pub stime: Timeval,
    /// Peak resident set size, KiB.
    pub maxrss: i64,
    pub ixrss: i64,
    pub idrss: i64,
    pub isrss: i64,
    /// Page faults served without and with I/O.
    pub minflt: i64,
    pub majflt: i64,
    pub nswap: i64,
    pub inblock: i64,
    pub oublock: i64,
    pub msgsnd: i64,
    pub msgrcv: i64,
    pub nsignals: i64,
    /// Voluntary and involuntary context switches.
    pub nvcsw: i64,
    pub nivcsw: i64,
}

/// What [`wait4`] reports: which child, its wait status and what it used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waited {
    pub pid: i32,
    /// The raw wait status: `status & 0x7f` is the signal (0: exited), `(status >> 8) &
    /// 0xff` the exit code.
    pub status: i32,
    pub usage: Rusage,
}

/// wait4(2): waits for `pid` (-1: any child) and returns its status and resource usage,
/// the peak RSS among them — what `/usr/bin/time -v` reports.
pub fn wait4(pid: i32, options: i32) -> Result<Waited, Errno> {
    let mut status = 0i32;
    let mut usage = Rusage::default();
    // SAFETY: status and usage are writable and sized as the kernel expects.
    let got = result(unsafe {
        raw::syscall4(
            nr::WAIT4,
            pid as isize as usize,
            &mut status as *mut i32 as usize,
            options as isize as usize,
            &mut usage as *mut Rusage as usize,
        )
    })?;
    Ok(Waited {
        pid: got as i32,
        status,
        usage,
    })
}

/// clock_gettime(2), always through the syscall (there is no vDSO lookup without libc).
pub fn clock_gettime(clock: ClockId) -> Result<Timespec, Errno> {
    let mut ts = Timespec::default();
    // SAFETY: ts is a writable struct timespec.
    result(unsafe {
        raw::syscall2(
            nr::CLOCK_GETTIME,
            clock as usize,
            &mut ts as *mut Timespec as usize,
        )
    })?;
    Ok(ts)
}

/// nanosleep(2). On EINTR the time left is returned in the error's companion:
/// `Err((EINTR, remaining))`.
pub fn nanosleep(duration: &Timespec) -> Result<(), (Errno, Timespec)> {
    let mut rem = Timespec::default();
    // SAFETY: both pointers are valid for the call.
    let ret = unsafe {
        raw::syscall2(
            nr::NANOSLEEP,
            duration as *const Timespec as usize,
            &mut rem as *mut Timespec as usize,
        )
    };
    result(ret).map(drop).map_err(|e| (e, rem))
}

/// getrandom(2) flags.
pub const GRND_NONBLOCK: u32 = 1;

/// getrandom(2): fills up to `buf.len()` bytes; may return fewer.
pub fn getrandom(buf: &mut [u8], flags: u32) -> Result<usize, Errno> {
    // SAFETY: the kernel writes at most buf.len() bytes.
    result(unsafe {
        raw::syscall3(
            nr::GETRANDOM,
            buf.as_mut_ptr() as usize,
            buf.len(),
            flags as usize,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_has_the_kernel_layout() {
        assert_eq!(core::mem::size_of::<Stat>(), 144);
        assert_eq!(core::mem::offset_of!(Stat, size), 48);
        assert_eq!(core::mem::offset_of!(Stat, mtime), 88);
    }

    #[test]
    #[allow(clippy::zombie_processes)] // reaped by wait4, which is what is tested
    fn wait4_reports_status_and_peak_memory() {
        assert_eq!(core::mem::size_of::<Rusage>(), 144);
        let small = std::process::Command::new("/bin/sh")
            .args(["-c", "exit 3"])
            .spawn()
            .unwrap();
        let w = wait4(small.id() as i32, 0).unwrap();
        assert_eq!(w.pid, small.id() as i32);
        assert_eq!((w.status & 0x7f, (w.status >> 8) & 0xff), (0, 3));
        assert!(w.usage.maxrss > 0);
        // dd touches its 64 MiB buffer: the peak is at least that.
        let big = std::process::Command::new("dd")
            .args([
                "if=/dev/zero",
                "of=/dev/null",
                "bs=64M",
                "count=1",
                "status=none",
            ])
            .spawn()
            .unwrap();
        let b = wait4(big.id() as i32, 0).unwrap();
        assert_eq!(b.status, 0);
        // (No comparison with the small child: a spawned child's peak counts its parent's
        // pages until exec, so both read at least this test process's resident size.)
        assert!(b.usage.maxrss >= 64 * 1024, "{} KiB", b.usage.maxrss);
        assert_eq!(wait4(big.id() as i32, 0), Err(Errno::ECHILD));
    }

    #[test]
    fn wrappers_reach_the_kernel() {
        assert_eq!(getpid(), std::process::id() as i32);
        let a = clock_gettime(ClockId::Monotonic).unwrap();
        nanosleep(&Timespec::from_nanos(1_000_000)).unwrap();
        let b = clock_gettime(ClockId::Monotonic).unwrap();
        assert!(b.as_nanos() - a.as_nanos() >= 1_000_000);
        let mut buf = [0u8; 32];
        assert_eq!(getrandom(&mut buf, 0).unwrap(), 32);
        assert_eq!(close(Fd(-1)), Err(Errno::EBADF));
        assert_eq!(kill(std::process::id() as i32, 0), Ok(()));
        let missing = openat(Fd::CWD, c"/definitely/not/here", OFlags::RDONLY, 0);
        assert_eq!(missing, Err(Errno::ENOENT));
    }

    #[test]
    fn fstat_and_lseek_on_a_real_file() {
        let fd = openat(Fd::CWD, c"Cargo.toml", OFlags::RDONLY | OFlags::CLOEXEC, 0).unwrap();
        let st = fstat(fd).unwrap();
        assert!(st.is_file());
        assert_eq!(
            st.size as u64,
            std::fs::metadata("Cargo.toml").unwrap().len()
        );
        assert_eq!(lseek(fd, 0, Whence::End).unwrap(), st.size as u64);
        assert_eq!(lseek(fd, 3, Whence::Set).unwrap(), 3);
        let mut buf = [0u8; 4];
        assert_eq!(read(fd, &mut buf).unwrap(), 4);
        assert_eq!(&buf, &std::fs::read("Cargo.toml").unwrap()[3..7]);
        close(fd).unwrap();
    }
}
