//! cp: copy files, as GNU coreutils' cp does without options (`cp SOURCE DEST`, `cp
//! SOURCE... DIRECTORY`): the new file gets the source's permission bits (less the umask),
//! an existing one keeps its own; directories need -r, which this cp does not have.
#![cfg_attr(not(test), no_std, no_main)]

extern crate alloc;

use alloc::vec::Vec;
use rt::fs::File;
use rt::io::{Read, Write};
use rt::sys::{Fd, OFlags};

rt::entry!(main);

fn complain(parts: &[&[u8]]) {
    rt::io::complain(b"cp", parts);
}

fn usage(parts: &[&[u8]]) -> i32 {
    complain(parts);
    let _ = rt::io::write_all(Fd::STDERR, b"Try 'cp --help' for more information.\n");
    1
}

fn strerror(e: rt::Errno) -> &'static [u8] {
    e.message_str().unwrap_or("Unknown error").as_bytes()
}

/// The last component of `path` (trailing slashes ignored).
fn base_name(path: &[u8]) -> &[u8] {
    let mut p = path;
    while p.len() > 1 && p.ends_with(b"/") {
        p = p.get(..p.len() - 1).unwrap_or(p);
    }
    match p.iter().rposition(|&b| b == b'/') {
        Some(i) => p.get(i + 1..).unwrap_or(p),
        None => p,
    }
}

/// Copies `src` to `dst`; false after reporting why not.
fn copy(src: &[u8], dst: &[u8]) -> bool {
    let s = match rt::fs::metadata(src) {
        Ok(m) => m,
        Err(e) => {
            complain(&[b"cannot stat '", src, b"': ", strerror(e)]);
            return false;
        }
    };
    if s.is_dir() {
        complain(&[b"-r not specified; omitting directory '", src, b"'"]);
        return false;
    }
    if let Ok(d) = rt::fs::metadata(dst)
        && (d.0.dev, d.0.ino) == (s.0.dev, s.0.ino)
    {
        complain(&[b"'", src, b"' and '", dst, b"' are the same file"]);
        return false;
    }
    let mut from = match File::open(src) {
        Ok(f) => f,
        Err(e) => {
            complain(&[b"cannot open '", src, b"' for reading: ", strerror(e)]);
            return false;
        }
    };
    let flags = OFlags::WRONLY | OFlags::CREAT | OFlags::TRUNC;
    let mut to = match File::open_with(dst, flags, s.permissions() & 0o777) {
        Ok(f) => f,
        Err(e) => {
            complain(&[b"cannot create regular file '", dst, b"': ", strerror(e)]);
            return false;
        }
    };
    let mut buf = alloc::vec![0u8; 128 * 1024];
    loop {
        let n = match Read::read(&mut from, &mut buf) {
            Ok(0) => return true,
            Ok(n) => n,
            Err(e) => {
                complain(&[b"error reading '", src, b"': ", strerror(e)]);
                return false;
            }
        };
        if let Err(e) = Write::write_all(&mut to, buf.get(..n).unwrap_or(&[])) {
            complain(&[b"error writing '", dst, b"': ", strerror(e)]);
            return false;
        }
    }
}

fn main() -> i32 {
    let mut operands: Vec<&[u8]> = Vec::new();
    let mut options_done = false;
    for a in rt::env::args().skip(1) {
        if options_done || a == b"-" || !a.starts_with(b"-") {
            operands.push(a);
        } else if a == b"--" {
            options_done = true;
        } else {
            return usage(&[b"invalid option -- '", a.get(1..2).unwrap_or(b""), b"'"]);
        }
    }
    let Some((&target, sources)) = operands.split_last() else {
        return usage(&[b"missing file operand"]);
    };
    if sources.is_empty() {
        return usage(&[b"missing destination file operand after '", target, b"'"]);
    }
    let into_dir = rt::fs::metadata(target).is_ok_and(|m| m.is_dir());
    if sources.len() > 1 && !into_dir {
        let e = rt::fs::metadata(target).err().unwrap_or(rt::Errno::ENOTDIR);
        complain(&[b"target '", target, b"': ", strerror(e)]);
        return 1;
    }
    let mut status = 0;
    for &src in sources {
        let dst = if into_dir {
            let mut d = target.to_vec();
            if !d.ends_with(b"/") {
                d.push(b'/');
            }
            d.extend_from_slice(base_name(src));
            d
        } else {
            target.to_vec()
        };
        if !copy(src, &dst) {
            status = 1;
        }
    }
    status
}
