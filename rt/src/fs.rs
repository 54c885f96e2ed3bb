//! Files by path: [`File`] owns a descriptor and closes it on drop; [`metadata`] and
//! [`symlink_metadata`] by path; directories ([`read_dir`], [`create_dir`], [`remove_dir`]);
//! [`rename`], [`remove_file`], [`read_link`]. Paths are bytes (`impl AsRef<[u8]>`): Linux
//! paths need not be UTF-8.
//!
//! ```no_run
//! // ls: the names in a directory, sorted, directories marked.
//! let mut names: Vec<(Vec<u8>, bool)> = rt::fs::read_dir(".")?
//!     .map(|e| e.map(|e| (e.name().to_vec(), e.file_type() == rt::fs::FileType::Dir)))
//!     .collect::<Result<_, _>>()?;
//! names.sort();
//! # Ok::<(), rt::Errno>(())
//! ```

use crate::errno::Errno;
use crate::io;
use crate::sys::{self, Fd, OFlags, Stat, Whence};
use alloc::vec::Vec;
use core::ffi::CStr;

/// Runs `f` with `path` as a NUL-terminated string, built on the stack (no allocation: a
/// path is at most `PATH_MAX`, 4096 bytes with its NUL, or the kernel refuses it with
/// `ENAMETOOLONG`, as it is here). A path containing NUL is `EINVAL`.
pub fn with_c_path<T>(path: &[u8], f: impl FnOnce(&CStr) -> Result<T, Errno>) -> Result<T, Errno> {
    if path.contains(&0) {
        return Err(Errno::EINVAL);
    }
    let mut stack = [0u8; 4096];
    let dst = stack
        .get_mut(..path.len())
        .filter(|d| d.len() < 4096)
        .ok_or(Errno::ENAMETOOLONG)?;
    dst.copy_from_slice(path);
    let c = CStr::from_bytes_until_nul(&stack).map_err(|_| Errno::EINVAL)?;
    f(c)
}

/// An open file. Every descriptor rt opens is close-on-exec.
#[derive(Debug)]
pub struct File {
    fd: Fd,
}

impl File {
    /// Opens for reading.
    pub fn open(path: impl AsRef<[u8]>) -> Result<File, Errno> {
        Self::open_with(path, OFlags::RDONLY, 0)
    }

    /// Creates (or truncates) for writing, mode 0666 before the umask.
    pub fn create(path: impl AsRef<[u8]>) -> Result<File, Errno> {
        Self::open_with(path, OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC, 0o666)
    }

    /// openat(AT_FDCWD, path, flags | O_CLOEXEC, mode).
    pub fn open_with(path: impl AsRef<[u8]>, flags: OFlags, mode: u32) -> Result<File, Errno> {
        let fd = with_c_path(path.as_ref(), |p| {
            sys::openat(Fd::CWD, p, flags | OFlags::CLOEXEC, mode)
        })?;
        Ok(File { fd })
    }

    /// Takes ownership of an open descriptor.
    pub fn from_fd(fd: Fd) -> File {
        File { fd }
    }

    pub fn fd(&self) -> Fd {
        self.fd
    }

    /// Gives up ownership without closing.
    pub fn into_fd(self) -> Fd {
        core::mem::ManuallyDrop::new(self).fd
    }

    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        io::read(self.fd, buf)
    }

    pub fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize, Errno> {
        io::read_to_end(self.fd, out)
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), Errno> {
        io::write_all(self.fd, bytes)
    }

    pub fn seek(&mut self, offset: i64, whence: Whence) -> Result<u64, Errno> {
        sys::lseek(self.fd, offset, whence)
    }

    pub fn metadata(&self) -> Result<Stat, Errno> {
        sys::fstat(self.fd)
    }
}

impl io::Read for File {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        io::read(self.fd, buf)
    }
}

impl io::Write for File {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Errno> {
        loop {
            match sys::write(self.fd, buf) {
                Err(Errno::EINTR) => {}
                r => return r,
            }
        }
    }
}

impl Drop for File {
    fn drop(&mut self) {
        let _ = sys::close(self.fd);
    }
}

/// Reads a whole file.
pub fn read(path: impl AsRef<[u8]>) -> Result<Vec<u8>, Errno> {
    let mut f = File::open(path)?;
    let mut out = Vec::new();
    if let Ok(st) = f.metadata() {
        out.reserve(st.size.max(0) as usize);
    }
    f.read_to_end(&mut out)?;
    Ok(out)
}

/// Writes a whole file, creating or truncating it.
pub fn write(path: impl AsRef<[u8]>, bytes: &[u8]) -> Result<(), Errno> {
    File::create(path)?.write_all(bytes)
}

/// What kind of file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    File,
    Dir,
    Symlink,
    Fifo,
    Socket,
    CharDevice,
    BlockDevice,
    /// The file system did not say (a directory entry's `DT_UNKNOWN`): ask [`metadata`].
    Unknown,
}

impl FileType {
    /// From `st_mode`'s `S_IFMT` bits.
    pub fn from_mode(mode: u32) -> FileType {
        match mode & Stat::S_IFMT {
            0o100000 => FileType::File,
            0o040000 => FileType::Dir,
            0o120000 => FileType::Symlink,
            0o010000 => FileType::Fifo,
            0o140000 => FileType::Socket,
            0o020000 => FileType::CharDevice,
            0o060000 => FileType::BlockDevice,
            _ => FileType::Unknown,
        }
    }

    /// From a directory entry's `d_type`.
    fn from_dirent(t: u8) -> FileType {
        match t {
            8 => FileType::File,
            4 => FileType::Dir,
            10 => FileType::Symlink,
            1 => FileType::Fifo,
            12 => FileType::Socket,
            2 => FileType::CharDevice,
            6 => FileType::BlockDevice,
            _ => FileType::Unknown,
        }
    }
}

/// A file's status ([`metadata`], [`symlink_metadata`], [`File::metadata`] gives the raw
/// [`Stat`]).
#[derive(Clone, Copy, Debug)]
pub struct Metadata(pub Stat);

impl Metadata {
    pub fn file_type(&self) -> FileType {
        FileType::from_mode(self.0.mode)
    }
    pub fn is_dir(&self) -> bool {
        self.file_type() == FileType::Dir
    }
    pub fn is_file(&self) -> bool {
        self.file_type() == FileType::File
    }
    pub fn is_symlink(&self) -> bool {
        self.file_type() == FileType::Symlink
    }
    /// Size in bytes.
    pub fn len(&self) -> u64 {
        self.0.size.max(0) as u64
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The permission bits (`st_mode & 0o7777`).
    pub fn permissions(&self) -> u32 {
        self.0.mode & 0o7777
    }
    /// Last modification, as [`crate::time::SystemTime`].
    pub fn modified(&self) -> crate::time::SystemTime {
        crate::time::SystemTime::from_timespec(self.0.mtime)
    }
}

/// The status of `path`, following symbolic links (stat(2)).
pub fn metadata(path: impl AsRef<[u8]>) -> Result<Metadata, Errno> {
    with_c_path(path.as_ref(), |p| sys::fstatat(Fd::CWD, p, 0)).map(Metadata)
}

/// The status of `path` itself, a symbolic link included (lstat(2)).
pub fn symlink_metadata(path: impl AsRef<[u8]>) -> Result<Metadata, Errno> {
    with_c_path(path.as_ref(), |p| {
        sys::fstatat(Fd::CWD, p, sys::AT_SYMLINK_NOFOLLOW)
    })
    .map(Metadata)
}

/// Renames `from` to `to`, replacing a file at `to` (rename(2)).
pub fn rename(from: impl AsRef<[u8]>, to: impl AsRef<[u8]>) -> Result<(), Errno> {
    with_c_path(from.as_ref(), |f| {
        with_c_path(to.as_ref(), |t| sys::renameat(Fd::CWD, f, Fd::CWD, t))
    })
}

/// Removes a file (unlink(2)).
pub fn remove_file(path: impl AsRef<[u8]>) -> Result<(), Errno> {
    with_c_path(path.as_ref(), |p| sys::unlinkat(Fd::CWD, p, 0))
}

/// Creates a directory, mode 0777 before the umask (mkdir(2)).
pub fn create_dir(path: impl AsRef<[u8]>) -> Result<(), Errno> {
    with_c_path(path.as_ref(), |p| sys::mkdirat(Fd::CWD, p, 0o777))
}

/// Removes an empty directory (rmdir(2)).
pub fn remove_dir(path: impl AsRef<[u8]>) -> Result<(), Errno> {
    with_c_path(path.as_ref(), |p| {
        sys::unlinkat(Fd::CWD, p, sys::AT_REMOVEDIR)
    })
}

/// The target of a symbolic link (readlink(2)), however long.
pub fn read_link(path: impl AsRef<[u8]>) -> Result<Vec<u8>, Errno> {
    with_c_path(path.as_ref(), |p| {
        let mut buf = alloc::vec![0u8; 256];
        loop {
            let n = sys::readlinkat(Fd::CWD, p, &mut buf)?;
            if n < buf.len() {
                buf.truncate(n);
                return Ok(buf);
            }
            let longer = buf.len() * 2;
            buf.resize(longer, 0);
        }
    })
}

/// One entry of a directory: its name (never `.` or `..`), inode and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    name: Vec<u8>,
    ino: u64,
    kind: FileType,
}

impl DirEntry {
    /// The name, as bytes (not necessarily UTF-8).
    pub fn name(&self) -> &[u8] {
        &self.name
    }
    pub fn ino(&self) -> u64 {
        self.ino
    }
    /// The type the directory recorded (may be [`FileType::Unknown`] on some file
    /// systems; a symbolic link is [`FileType::Symlink`], not what it points to).
    pub fn file_type(&self) -> FileType {
        self.kind
    }
}

/// The entries of a directory, in the order the file system gives them, read 32 KiB of
/// records at a time with getdents64(2). Each item is an entry or the error that ended
/// the listing.
pub struct ReadDir {
    dir: File,
    buf: Vec<u8>,
    pos: usize,
    len: usize,
    done: bool,
}

/// Opens directory `path` for listing.
pub fn read_dir(path: impl AsRef<[u8]>) -> Result<ReadDir, Errno> {
    let dir = File::open_with(path, OFlags::RDONLY | OFlags::DIRECTORY, 0)?;
    Ok(ReadDir {
        dir,
        buf: alloc::vec![0u8; 32 * 1024],
        pos: 0,
        len: 0,
        done: false,
    })
}

impl Iterator for ReadDir {
    type Item = Result<DirEntry, Errno>;

    fn next(&mut self) -> Option<Result<DirEntry, Errno>> {
        loop {
            if self.pos >= self.len {
                if self.done {
                    return None;
                }
                match sys::getdents64(self.dir.fd(), &mut self.buf) {
                    Ok(0) => {
                        self.done = true;
                        return None;
                    }
                    Ok(n) => (self.pos, self.len) = (0, n),
                    Err(e) => {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
            }
            // struct linux_dirent64: u64 ino, i64 off, u16 reclen, u8 type, name\0.
            let rec = &self.buf[self.pos..self.len];
            let field = |at: usize, n: usize| rec.get(at..at + n);
            let (Some(ino), Some(reclen), Some(&[kind])) =
                (field(0, 8), field(16, 2), field(18, 1))
            else {
                self.done = true;
                return Some(Err(Errno::EIO));
            };
            let reclen = u16::from_ne_bytes([reclen[0], reclen[1]]) as usize;
            let Some(name) = rec.get(19..reclen.max(19)) else {
                self.done = true;
                return Some(Err(Errno::EIO));
            };
            self.pos += reclen.max(1);
            let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(name.len())];
            if name == b"." || name == b".." {
                continue;
            }
            let mut ino_bytes = [0u8; 8];
            ino_bytes.copy_from_slice(ino);
            return Some(Ok(DirEntry {
                name: name.to_vec(),
                ino: u64::from_ne_bytes(ino_bytes),
                kind: FileType::from_dirent(kind),
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_then_read_back() {
        let dir = std::env::temp_dir().join(std::format!("rt-fs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f.bin");
        let p = path.to_str().unwrap();
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7) as u8).collect();
        write(p, &data).unwrap();
        assert_eq!(read(p).unwrap(), data);
        assert_eq!(std::fs::read(&path).unwrap(), data);
        let mut f = File::open(p).unwrap();
        assert_eq!(f.seek(-10, Whence::End).unwrap(), 99_990);
        assert_eq!(f.metadata().unwrap().size, 100_000);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn errors_are_errnos() {
        assert_eq!(File::open("/no/such/file").unwrap_err(), Errno::ENOENT);
        assert_eq!(File::open("a\0b").unwrap_err(), Errno::EINVAL);
        let long = std::vec![b'x'; 300];
        assert_eq!(File::open(&long).unwrap_err(), Errno::ENAMETOOLONG);
        let mut d = File::open("/").unwrap();
        assert_eq!(d.read(&mut [0u8; 4]).unwrap_err(), Errno::EISDIR);
    }

    #[test]
    fn directories_metadata_rename_and_links() {
        let dir = std::env::temp_dir().join(std::format!("rt-dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let d = dir.to_str().unwrap();
        create_dir(d).unwrap();
        assert_eq!(create_dir(d), Err(Errno::EEXIST));
        let p = |name: &str| std::format!("{d}/{name}");
        write(p("a.txt"), b"12345").unwrap();
        create_dir(p("sub")).unwrap();
        std::os::unix::fs::symlink("a.txt", p("link")).unwrap();
        // A name that is not UTF-8.
        write(std::format!("{d}/caf\u{e9}").as_bytes(), b"").unwrap();
        let mut bad = d.as_bytes().to_vec();
        bad.extend_from_slice(b"/x\xff");
        write(&bad, b"").unwrap();
        let mut entries: Vec<(Vec<u8>, FileType)> = read_dir(d)
            .unwrap()
            .map(|e| e.map(|e| (e.name().to_vec(), e.file_type())).unwrap())
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let want: Vec<(Vec<u8>, FileType)> = std::vec![
            (b"a.txt".to_vec(), FileType::File),
            ("caf\u{e9}".as_bytes().to_vec(), FileType::File),
            (b"link".to_vec(), FileType::Symlink),
            (b"sub".to_vec(), FileType::Dir),
            (b"x\xff".to_vec(), FileType::File),
        ];
        assert_eq!(entries, want);
        let m = metadata(p("link")).unwrap();
        assert!(m.is_file() && m.len() == 5);
        assert!(symlink_metadata(p("link")).unwrap().is_symlink());
        assert_eq!(read_link(p("link")).unwrap(), b"a.txt");
        let std_mtime = std::fs::metadata(p("a.txt")).unwrap().modified().unwrap();
        let secs = std_mtime
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert_eq!(m.modified().unix_seconds(), secs as i64);
        rename(p("a.txt"), p("b.txt")).unwrap();
        assert_eq!(metadata(p("a.txt")).unwrap_err(), Errno::ENOENT);
        assert_eq!(read(p("b.txt")).unwrap(), b"12345");
        assert_eq!(remove_dir(d), Err(Errno::ENOTEMPTY));
        assert_eq!(read_dir(p("b.txt")).err(), Some(Errno::ENOTDIR));
        for f in ["b.txt", "link", "caf\u{e9}"] {
            remove_file(p(f)).unwrap();
        }
        remove_file(&bad).unwrap();
        remove_dir(p("sub")).unwrap();
        remove_dir(d).unwrap();
        assert!(!dir.exists());
    }

    #[test]
    fn a_large_directory_lists_every_entry() {
        let dir = std::env::temp_dir().join(std::format!("rt-big-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // More records than one 32 KiB getdents64 buffer holds.
        for i in 0..2000 {
            std::fs::write(dir.join(std::format!("file-with-a-long-name-{i:05}")), "").unwrap();
        }
        let n = read_dir(dir.to_str().unwrap()).unwrap().count();
        assert_eq!(n, 2000);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
