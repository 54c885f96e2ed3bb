//! cp on std: the examples' cp (`cp SOURCE DEST`, `cp SOURCE... DIRECTORY`).

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use tools_std::{args, complain, path, strerror, usage};

fn base_name(p: &[u8]) -> &[u8] {
    let mut p = p;
    while p.len() > 1 && p.ends_with(b"/") {
        p = &p[..p.len() - 1];
    }
    match p.iter().rposition(|&b| b == b'/') {
        Some(i) => &p[i + 1..],
        None => p,
    }
}

fn copy(src: &[u8], dst: &[u8]) -> bool {
    let fail = |parts: &[&[u8]]| {
        complain("cp", parts);
        false
    };
    let s = match std::fs::metadata(path(src)) {
        Ok(m) => m,
        Err(e) => return fail(&[b"cannot stat '", src, b"': ", strerror(&e).as_bytes()]),
    };
    if s.is_dir() {
        return fail(&[b"-r not specified; omitting directory '", src, b"'"]);
    }
    if let Ok(d) = std::fs::metadata(path(dst))
        && (d.dev(), d.ino()) == (s.dev(), s.ino())
    {
        return fail(&[b"'", src, b"' and '", dst, b"' are the same file"]);
    }
    let mut from = match File::open(path(src)) {
        Ok(f) => f,
        Err(e) => {
            let m = strerror(&e);
            return fail(&[b"cannot open '", src, b"' for reading: ", m.as_bytes()]);
        }
    };
    let mut to = match OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(s.permissions().mode() & 0o777)
        .open(path(dst))
    {
        Ok(f) => f,
        Err(e) => {
            let m = strerror(&e);
            return fail(&[b"cannot create regular file '", dst, b"': ", m.as_bytes()]);
        }
    };
    let mut buf = vec![0u8; 128 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return true,
            Ok(n) => n,
            Err(e) => return fail(&[b"error reading '", src, b"': ", strerror(&e).as_bytes()]),
        };
        if let Err(e) = to.write_all(&buf[..n]) {
            return fail(&[b"error writing '", dst, b"': ", strerror(&e).as_bytes()]);
        }
    }
}

fn main() {
    std::process::exit(run());
}

fn run() -> i32 {
    let mut operands: Vec<Vec<u8>> = Vec::new();
    let mut options_done = false;
    for a in args() {
        if options_done || a == b"-" || !a.starts_with(b"-") {
            operands.push(a);
        } else if a == b"--" {
            options_done = true;
        } else {
            return usage("cp", &[b"invalid option -- '", &a[1..2], b"'"], 1);
        }
    }
    let Some((target, sources)) = operands.split_last() else {
        return usage("cp", &[b"missing file operand"], 1);
    };
    if sources.is_empty() {
        return usage(
            "cp",
            &[b"missing destination file operand after '", target, b"'"],
            1,
        );
    }
    let into_dir = std::fs::metadata(path(target)).is_ok_and(|m| m.is_dir());
    if sources.len() > 1 && !into_dir {
        let m = match std::fs::metadata(path(target)) {
            Err(e) => strerror(&e),
            Ok(_) => "Not a directory".to_string(),
        };
        complain("cp", &[b"target '", target, b"': ", m.as_bytes()]);
        return 1;
    }
    let mut status = 0;
    for src in sources {
        let dst = if into_dir {
            let mut d = target.clone();
            if !d.ends_with(b"/") {
                d.push(b'/');
            }
            d.extend_from_slice(base_name(src));
            d
        } else {
            target.clone()
        };
        if !copy(src, &dst) {
            status = 1;
        }
    }
    status
}
