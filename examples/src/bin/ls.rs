//! ls: directory contents, one name per line, as GNU coreutils' ls prints them into a pipe
//! in the C locale (`ls [-aAFrd1] [FILE]...`): names sorted by their bytes, hidden ones
//! (`.x`) only with `-a` or `-A`, files given by name before directories, a `DIR:` header
//! per directory when there are several operands, `-F` marks (`/ @ | = *`).
#![cfg_attr(not(test), no_std, no_main)]

extern crate alloc;

use alloc::vec::Vec;
use rt::fs::FileType;
use rt::io::Write;
use rt::sys::Fd;

rt::entry!(main);

#[derive(Clone, Copy, Default)]
struct Opts {
    all: bool,
    almost_all: bool,
    classify: bool,
    reverse: bool,
    directory: bool,
}

fn complain(parts: &[&[u8]]) {
    rt::io::complain(b"ls", parts);
}

fn strerror(e: rt::Errno) -> &'static [u8] {
    e.message_str().unwrap_or("Unknown error").as_bytes()
}

/// `path/name`.
fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = dir.to_vec();
    if !p.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

/// `-F`'s mark for the file at `path` (a symbolic link itself, not its target).
fn mark(path: &[u8]) -> &'static [u8] {
    let Ok(m) = rt::fs::symlink_metadata(path) else {
        return b"";
    };
    match m.file_type() {
        FileType::Dir => b"/",
        FileType::Symlink => b"@",
        FileType::Fifo => b"|",
        FileType::Socket => b"=",
        FileType::File if m.permissions() & 0o111 != 0 => b"*",
        _ => b"",
    }
}

/// Prints `names` (in `dir`, for `-F`), sorted.
fn print_names(
    out: &mut rt::io::Stdout,
    dir: Option<&[u8]>,
    mut names: Vec<Vec<u8>>,
    o: Opts,
) -> bool {
    names.sort_unstable();
    if o.reverse {
        names.reverse();
    }
    for n in &names {
        let m: &[u8] = match (o.classify, dir) {
            (false, _) => b"",
            (true, Some(d)) => mark(&join(d, n)),
            (true, None) => mark(n),
        };
        if out
            .write_all(n)
            .and(out.write_all(m))
            .and(out.write_all(b"\n"))
            .is_err()
        {
            return false;
        }
    }
    true
}

/// The names in directory `dir` that `o` shows.
fn list(dir: &[u8], o: Opts) -> Result<Vec<Vec<u8>>, rt::Errno> {
    let mut names = Vec::new();
    if o.all {
        names.push(b".".to_vec());
        names.push(b"..".to_vec());
    }
    for e in rt::fs::read_dir(dir)? {
        let e = e?;
        if e.name().starts_with(b".") && !(o.all || o.almost_all) {
            continue;
        }
        names.push(e.name().to_vec());
    }
    Ok(names)
}

fn main() -> i32 {
    let mut o = Opts::default();
    let mut operands: Vec<&[u8]> = Vec::new();
    let mut options_done = false;
    for a in rt::env::args().skip(1) {
        if options_done || a == b"-" || !a.starts_with(b"-") {
            operands.push(a);
            continue;
        }
        if a == b"--" {
            options_done = true;
            continue;
        }
        for &c in a.get(1..).unwrap_or(&[]) {
            match c {
                b'a' => o.all = true,
                b'A' => o.almost_all = true,
                b'F' => o.classify = true,
                b'r' => o.reverse = true,
                b'd' => o.directory = true,
                b'1' => {}
                _ => {
                    complain(&[b"invalid option -- '", &[c], b"'"]);
                    let _ =
                        rt::io::write_all(Fd::STDERR, b"Try 'ls --help' for more information.\n");
                    return 2;
                }
            }
        }
    }
    let several = operands.len() > 1;
    if operands.is_empty() {
        operands.push(b".");
    }
    let mut status = 0;
    // First every operand that cannot be read, then the files, then the directories.
    let (mut files, mut dirs) = (Vec::new(), Vec::new());
    for &p in &operands {
        match rt::fs::metadata(p).or_else(|_| rt::fs::symlink_metadata(p)) {
            Err(e) => {
                complain(&[b"cannot access '", p, b"': ", strerror(e)]);
                status = 2;
            }
            Ok(m) if m.is_dir() && !o.directory => dirs.push(p.to_vec()),
            Ok(_) => files.push(p.to_vec()),
        }
    }
    let mut out = rt::io::stdout();
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
                complain(&[b"cannot open directory '", d, b"': ", strerror(e)]);
                status = 2;
            }
        }
    }
    if out.flush().is_err() {
        return 2;
    }
    status
}
