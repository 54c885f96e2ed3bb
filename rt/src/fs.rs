//! Files by path: [`File`] owns a descriptor and closes it on drop.

use crate::errno::Errno;
use crate::io;
use crate::sys::{self, Fd, OFlags, Stat, Whence};
use alloc::vec::Vec;
use core::ffi::CStr;

/// Runs `f` with `path` as a NUL-terminated string: on the stack when short, else on the
/// heap. A path containing NUL is `EINVAL`.
pub fn with_c_path<T>(path: &[u8], f: impl FnOnce(&CStr) -> Result<T, Errno>) -> Result<T, Errno> {
    if path.contains(&0) {
        return Err(Errno::EINVAL);
    }
    let mut stack = [0u8; 256];
    if let Some(dst) = stack.get_mut(..path.len()) {
        dst.copy_from_slice(path);
        let c = CStr::from_bytes_until_nul(&stack).map_err(|_| Errno::EINVAL)?;
        return f(c);
    }
    let mut heap = Vec::with_capacity(path.len() + 1);
    heap.extend_from_slice(path);
    heap.push(0);
    f(CStr::from_bytes_with_nul(&heap).map_err(|_| Errno::EINVAL)?)
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
}
