//! wc on std: the examples' wc (`wc [-lwc] [FILE]...`), the same output.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::os::unix::fs::MetadataExt;
use tools_std::{args, complain, path, strerror, usage};

#[derive(Clone, Copy, Default)]
struct Counts {
    lines: u64,
    words: u64,
    bytes: u64,
}

fn count(mut r: impl Read) -> (Counts, Option<std::io::Error>) {
    let mut c = Counts::default();
    let mut in_word = false;
    let mut buf = vec![0u8; 65536];
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => return (c, None),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return (c, Some(e)),
        };
        c.bytes += n as u64;
        for &b in &buf[..n] {
            match b {
                b'\n' => {
                    c.lines += 1;
                    in_word = false;
                }
                b' ' | b'\t' | 0x0b | 0x0c | b'\r' => in_word = false,
                0x21..=0x7e if !in_word => {
                    c.words += 1;
                    in_word = true;
                }
                _ => {}
            }
        }
    }
}

fn main() {
    std::process::exit(run());
}

fn run() -> i32 {
    let args = args();
    let mut show = [false; 3];
    let mut names: Vec<Vec<u8>> = Vec::new();
    let mut options_done = false;
    for a in &args {
        match a.as_slice() {
            _ if options_done => names.push(a.clone()),
            b"--" => options_done = true,
            b"--lines" => show[0] = true,
            b"--words" => show[1] = true,
            b"--bytes" => show[2] = true,
            [b'-', opts @ ..] if !opts.is_empty() => {
                for &o in opts {
                    match o {
                        b'l' => show[0] = true,
                        b'w' => show[1] = true,
                        b'c' => show[2] = true,
                        _ => return usage("wc", &[b"invalid option -- '", &[o], b"'"], 1),
                    }
                }
            }
            _ => names.push(a.clone()),
        }
    }
    if show == [false; 3] {
        show = [true; 3];
    }
    let single = show.iter().filter(|&&s| s).count() == 1;
    let named = names.len();
    if named == 0 {
        names.push(b"-".to_vec());
    }
    // GNU's column width: the digits of the regular files' total size.
    let width = if single && named <= 1 {
        1
    } else {
        let (mut total, mut minimum) = (0u64, 1);
        for f in &names {
            let m = if f == b"-" {
                File::open("/dev/stdin").and_then(|f| f.metadata())
            } else {
                std::fs::metadata(path(f))
            };
            match m {
                Ok(m) if m.is_file() => total += m.size(),
                Ok(_) => minimum = 7,
                Err(_) => {}
            }
        }
        total.to_string().len().max(minimum)
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut line = |c: Counts, name: Option<&[u8]>| -> std::io::Result<()> {
        let cols: Vec<String> = show
            .iter()
            .zip([c.lines, c.words, c.bytes])
            .filter(|(on, _)| **on)
            .map(|(_, n)| format!("{n:>width$}"))
            .collect();
        out.write_all(cols.join(" ").as_bytes())?;
        if let Some(name) = name {
            out.write_all(b" ")?;
            out.write_all(name)?;
        }
        out.write_all(b"\n")
    };
    let (mut total, mut status) = (Counts::default(), 0);
    for f in &names {
        let (c, err) = if f == b"-" {
            count(std::io::stdin().lock())
        } else {
            match File::open(path(f)) {
                Ok(file) => count(file),
                Err(e) => {
                    complain("wc", &[f, b": ", strerror(&e).as_bytes()]);
                    status = 1;
                    continue;
                }
            }
        };
        if let Some(e) = err {
            complain("wc", &[f, b": ", strerror(&e).as_bytes()]);
            status = 1;
        }
        if line(c, (named > 0).then_some(f.as_slice())).is_err() {
            return 1;
        }
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if named > 1 && line(total, Some(b"total")).is_err() {
        return 1;
    }
    if out.flush().is_err() {
        return 1;
    }
    status
}
