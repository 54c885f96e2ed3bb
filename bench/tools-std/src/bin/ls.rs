//! ls on std: the examples' ls (`ls [-aAFrd1] [FILE]...`), one name per line.

use std::io::{BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use tools_std::{args, complain, path, strerror, usage};

#[derive(Clone, Copy, Default)]
struct Opts {
    all: bool,
    almost_all: bool,
    classify: bool,
    reverse: bool,
    directory: bool,
}

fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = dir.to_vec();
    if !p.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

fn mark(p: &[u8]) -> &'static [u8] {
    let Ok(m) = std::fs::symlink_metadata(path(p)) else {
        return b"";
    };
    let t = m.file_type();
    if t.is_dir() {
        b"/"
    } else if t.is_symlink() {
        b"@"
    } else if t.is_fifo() {
        b"|"
    } else if t.is_socket() {
        b"="
    } else if t.is_file() && m.permissions().mode() & 0o111 != 0 {
        b"*"
    } else {
        b""
    }
}

fn print_names(out: &mut impl Write, dir: Option<&[u8]>, mut names: Vec<Vec<u8>>, o: Opts) -> bool {
    names.sort_unstable();
    if o.reverse {
        names.reverse();
    }
    names.iter().all(|n| {
        let m: &[u8] = match (o.classify, dir) {
            (false, _) => b"",
            (true, Some(d)) => mark(&join(d, n)),
            (true, None) => mark(n),
        };
        out.write_all(n)
            .and(out.write_all(m))
            .and(out.write_all(b"\n"))
            .is_ok()
    })
}

fn list(dir: &[u8], o: Opts) -> std::io::Result<Vec<Vec<u8>>> {
    let mut names = Vec::new();
    if o.all {
        names.push(b".".to_vec());
        names.push(b"..".to_vec());
    }
    for e in std::fs::read_dir(path(dir))? {
        let name = e?.file_name().as_bytes().to_vec();
        if name.starts_with(b".") && !(o.all || o.almost_all) {
            continue;
        }
        names.push(name);
    }
    Ok(names)
}

fn main() {
    std::process::exit(run());
}

fn run() -> i32 {
    let mut o = Opts::default();
    let mut operands: Vec<Vec<u8>> = Vec::new();
    let mut options_done = false;
    for a in args() {
        if options_done || a == b"-" || !a.starts_with(b"-") {
            operands.push(a);
            continue;
        }
        if a == b"--" {
            options_done = true;
            continue;
        }
        for &c in &a[1..] {
            match c {
                b'a' => o.all = true,
                b'A' => o.almost_all = true,
                b'F' => o.classify = true,
                b'r' => o.reverse = true,
                b'd' => o.directory = true,
                b'1' => {}
                _ => return usage("ls", &[b"invalid option -- '", &[c], b"'"], 2),
            }
        }
    }
    let several = operands.len() > 1;
    if operands.is_empty() {
        operands.push(b".".to_vec());
    }
    let mut status = 0;
    let (mut files, mut dirs) = (Vec::new(), Vec::new());
    for p in operands {
        match std::fs::metadata(path(&p)).or_else(|_| std::fs::symlink_metadata(path(&p))) {
            Err(e) => {
                let m = strerror(&e);
                complain("ls", &[b"cannot access '", &p, b"': ", m.as_bytes()]);
                status = 2;
            }
            Ok(m) if m.is_dir() && !o.directory => dirs.push(p),
            Ok(_) => files.push(p),
        }
    }
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut printed = !files.is_empty();
    if printed && !print_names(&mut out, None, files, o) {
        return 2;
    }
    dirs.sort_unstable();
    if o.reverse {
        dirs.reverse();
    }
    for d in &dirs {
        if several || printed {
            let sep: &[u8] = if printed { b"\n" } else { b"" };
            if [sep, d, b":\n"].iter().any(|p| out.write_all(p).is_err()) {
                return 2;
            }
        }
        printed = true;
        match list(d, o) {
            Ok(names) => {
                if !print_names(&mut out, Some(d), names, o) {
                    return 2;
                }
            }
            Err(e) => {
                let _ = out.flush();
                let m = strerror(&e);
                complain("ls", &[b"cannot open directory '", d, b"': ", m.as_bytes()]);
                status = 2;
            }
        }
    }
    if out.flush().is_err() {
        return 2;
    }
    status
}
