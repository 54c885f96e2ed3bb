//! [`Read`] and [`Write`] (std's shapes, with [`Errno`] errors) for rt's files and
//! streams, byte slices and vectors; [`BufReader`] with `read_line`, `lines` and `split`
//! over any reader; [`Bytes`], a byte string shown losslessly.
//!
//! ```
//! use rt::io::{BufReader, Read};
//! let mut r = BufReader::new(&b"one\ntwo\nthree"[..]);
//! let lines: Vec<Vec<u8>> = r.lines().collect::<Result<_, _>>().unwrap();
//! assert_eq!(lines, [b"one".to_vec(), b"two".to_vec(), b"three".to_vec()]);
//! ```

use crate::errno::Errno;
use alloc::vec::Vec;
use core::fmt;

/// A source of bytes.
pub trait Read {
    /// Reads up to `buf.len()` bytes; 0 at the end.
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno>;

    /// Reads to the end, appending to `out`; the number of bytes read.
    fn read_to_end(&mut self, out: &mut Vec<u8>) -> Result<usize, Errno> {
        let start = out.len();
        let mut chunk = [0u8; 8192];
        loop {
            match self.read(&mut chunk)? {
                0 => return Ok(out.len() - start),
                n => out.extend_from_slice(&chunk[..n]),
            }
        }
    }
}

/// A sink of bytes.
pub trait Write {
    /// Writes some of `buf`; how much.
    fn write(&mut self, buf: &[u8]) -> Result<usize, Errno>;

    /// Writes all of `buf` (a sink that takes nothing is `EIO`).
    fn write_all(&mut self, mut buf: &[u8]) -> Result<(), Errno> {
        while !buf.is_empty() {
            match self.write(buf)? {
                0 => return Err(Errno::EIO),
                n => buf = buf.get(n..).unwrap_or(&[]),
            }
        }
        Ok(())
    }

    /// Writes out anything buffered.
    fn flush(&mut self) -> Result<(), Errno> {
        Ok(())
    }
}

impl Read for &[u8] {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        let n = buf.len().min(self.len());
        buf[..n].copy_from_slice(&self[..n]);
        *self = &self[n..];
        Ok(n)
    }
}

impl Write for Vec<u8> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Errno> {
        self.extend_from_slice(buf);
        Ok(buf.len())
    }
}

impl Read for super::Stdin {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        super::Stdin::read(self, buf)
    }
}

impl Write for super::Stdout {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Errno> {
        super::Stdout::write_all(self, buf).map(|()| buf.len())
    }
    fn flush(&mut self) -> Result<(), Errno> {
        super::Stdout::flush(self)
    }
}

impl Write for super::StdoutLock<'_> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Errno> {
        super::StdoutLock::write_all(self, buf).map(|()| buf.len())
    }
    fn flush(&mut self) -> Result<(), Errno> {
        super::StdoutLock::flush(self)
    }
}

/// Standard error, unbuffered: each write goes out at once.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stderr;

impl Write for Stderr {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Errno> {
        super::write_all(crate::sys::Fd::STDERR, buf).map(|()| buf.len())
    }
}

/// A reader with a buffer: reads in blocks of (by default) 8 KiB and hands out lines or
/// any delimited records. Records are bytes: a line need not be UTF-8.
pub struct BufReader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    filled: usize,
}

impl<R: Read> BufReader<R> {
    pub fn new(inner: R) -> BufReader<R> {
        BufReader::with_capacity(8192, inner)
    }

    pub fn with_capacity(capacity: usize, inner: R) -> BufReader<R> {
        BufReader {
            inner,
            buf: alloc::vec![0; capacity.max(1)],
            pos: 0,
            filled: 0,
        }
    }

    /// The buffered bytes, reading more when there are none (empty at the end).
    pub fn fill_buf(&mut self) -> Result<&[u8], Errno> {
        if self.pos >= self.filled {
            self.filled = self.inner.read(&mut self.buf)?;
            self.pos = 0;
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    /// Marks `n` buffered bytes as used.
    pub fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.filled);
    }

    /// Appends bytes up to and including `delim` (or to the end) to `out`; how many (0 at
    /// the end).
    pub fn read_until(&mut self, delim: u8, out: &mut Vec<u8>) -> Result<usize, Errno> {
        let mut read = 0;
        loop {
            let avail = self.fill_buf()?;
            if avail.is_empty() {
                return Ok(read);
            }
            let (n, found) = match avail.iter().position(|&b| b == delim) {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            out.extend_from_slice(&avail[..n]);
            self.consume(n);
            read += n;
            if found {
                return Ok(read);
            }
        }
    }

    /// One line with its `\n` (if it had one) appended to `out`; 0 at the end.
    pub fn read_line(&mut self, out: &mut Vec<u8>) -> Result<usize, Errno> {
        self.read_until(b'\n', out)
    }

    /// The lines, each without its `\n` (a last line without one is still a line).
    pub fn lines(self) -> Split<R> {
        self.split(b'\n')
    }

    /// The records separated by `delim`, each without it.
    pub fn split(self, delim: u8) -> Split<R> {
        Split {
            reader: self,
            delim,
        }
    }

    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Read for BufReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
        // A large read with nothing buffered goes straight through.
        if self.pos >= self.filled && buf.len() >= self.buf.len() {
            return self.inner.read(buf);
        }
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// The records of a [`BufReader`] ([`BufReader::lines`], [`BufReader::split`]).
pub struct Split<R> {
    reader: BufReader<R>,
    delim: u8,
}

impl<R: Read> Iterator for Split<R> {
    type Item = Result<Vec<u8>, Errno>;

    fn next(&mut self) -> Option<Result<Vec<u8>, Errno>> {
        let mut rec = Vec::new();
        match self.reader.read_until(self.delim, &mut rec) {
            Ok(0) => None,
            Ok(_) => {
                if rec.last() == Some(&self.delim) {
                    rec.pop();
                }
                Some(Ok(rec))
            }
            Err(e) => Some(Err(e)),
        }
    }
}

/// A byte string for `{}`: UTF-8 as it is, every other byte as `\xNN` — nothing is lost
/// or replaced (a file name that is not UTF-8 stays recognizable).
///
/// ```
/// assert_eq!(format!("{}", rt::io::Bytes(b"caf\xc3\xa9 \xff!")), "café \\xff!");
/// ```
#[derive(Clone, Copy)]
pub struct Bytes<'a>(pub &'a [u8]);

impl fmt::Display for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            for b in chunk.invalid() {
                write!(f, "\\x{b:02x}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self)
    }
}

/// Whether `fd` is a terminal (isatty).
pub fn is_terminal(fd: crate::sys::Fd) -> bool {
    crate::sys::isatty(fd)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per read.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, Errno> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn lines_and_records_across_buffer_edges() {
        let text = b"alpha\n\nbeta gamma\n\xffdelta";
        for cap in [1, 2, 3, 7, 64] {
            for step in [1, 2, 5, 100] {
                let r = BufReader::with_capacity(cap, Trickle(text, step));
                let lines: Vec<Vec<u8>> = r.lines().map(Result::unwrap).collect();
                assert_eq!(
                    lines,
                    [&b"alpha"[..], b"", b"beta gamma", b"\xffdelta"],
                    "cap {cap} step {step}"
                );
                let r = BufReader::with_capacity(cap, Trickle(text, step));
                let words: Vec<Vec<u8>> = r.split(b' ').map(Result::unwrap).collect();
                assert_eq!(words.len(), 2);
                let mut r = BufReader::with_capacity(cap, Trickle(text, step));
                let mut all = Vec::new();
                r.read_to_end(&mut all).unwrap();
                assert_eq!(all, text);
            }
        }
    }

    #[test]
    fn bytes_show_invalid_utf8_as_escapes() {
        assert_eq!(
            std::format!("{}", Bytes(b"a\x80b\xe2\x82")),
            "a\\x80b\\xe2\\x82"
        );
        assert_eq!(std::format!("{}", Bytes("é€".as_bytes())), "é€");
    }

    #[test]
    fn writes_collect_in_a_vec() {
        let mut v = Vec::new();
        v.write_all(b"hello ").unwrap();
        Write::write_all(&mut v, b"world").unwrap();
        assert_eq!(v, b"hello world");
    }
}
