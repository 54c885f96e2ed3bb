//! head: the first part of files, as GNU coreutils' head prints it (`head [-n [-]N | -c
//! [-]N | -N] [-q | -v] [FILE]...`; `-` or nothing reads stdin): ten lines by default,
//! `-n -N` all but the last N lines, a `==> NAME <==` header before each of several files.
#![cfg_attr(not(test), no_std, no_main)]

extern crate alloc;

use alloc::vec::Vec;
use rt::io::{BufReader, Read, Write};
use rt::sys::Fd;

rt::entry!(main);

/// How much to print.
#[derive(Clone, Copy)]
enum Amount {
    Lines(u64),
    Bytes(u64),
    /// All but the last N lines.
    AllButLines(u64),
    /// All but the last N bytes.
    AllButBytes(u64),
}

fn complain(parts: &[&[u8]]) {
    rt::io::complain(b"head", parts);
}

fn strerror(e: rt::Errno) -> &'static [u8] {
    e.message_str().unwrap_or("Unknown error").as_bytes()
}

/// `-n`'s or `-c`'s value: N or -N.
fn amount(v: &[u8], lines: bool) -> Option<Amount> {
    let (neg, digits) = match v.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, v),
    };
    let n = rt::num::parse_u64(digits)?;
    Some(match (lines, neg) {
        (true, false) => Amount::Lines(n),
        (true, true) => Amount::AllButLines(n),
        (false, false) => Amount::Bytes(n),
        (false, true) => Amount::AllButBytes(n),
    })
}

/// Copies the chosen part of `input` to `out`.
fn head<R: Read>(input: R, how: Amount, out: &mut rt::io::Stdout) -> Result<(), (bool, rt::Errno)> {
    let write = |out: &mut rt::io::Stdout, b: &[u8]| out.write_all(b).map_err(|e| (true, e));
    let mut r = BufReader::with_capacity(65536, input);
    match how {
        Amount::Lines(mut n) => {
            let mut line = Vec::new();
            while n > 0 {
                line.clear();
                if r.read_line(&mut line).map_err(|e| (false, e))? == 0 {
                    break;
                }
                write(out, &line)?;
                n -= 1;
            }
        }
        Amount::Bytes(mut n) => {
            while n > 0 {
                let buf = r.fill_buf().map_err(|e| (false, e))?;
                if buf.is_empty() {
                    break;
                }
                let take = buf.len().min(usize::try_from(n).unwrap_or(usize::MAX));
                let chunk = buf.get(..take).unwrap_or(&[]);
                out.write_all(chunk).map_err(|e| (true, e))?;
                r.consume(take);
                n -= take as u64;
            }
        }
        Amount::AllButLines(n) | Amount::AllButBytes(n) => {
            let mut all = Vec::new();
            r.read_to_end(&mut all).map_err(|e| (false, e))?;
            let keep = if let Amount::AllButBytes(_) = how {
                all.len()
                    .saturating_sub(usize::try_from(n).unwrap_or(usize::MAX))
            } else {
                // The end of the line N lines before the end (a last line without a
                // newline counts as a line).
                let mut ends: Vec<usize> = all
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1)
                    .collect();
                if all.last().is_some_and(|&b| b != b'\n') {
                    ends.push(all.len());
                }
                let n = usize::try_from(n).unwrap_or(usize::MAX);
                match ends.len().checked_sub(n) {
                    Some(0) | None => 0,
                    Some(k) => ends.get(k - 1).copied().unwrap_or(0),
                }
            };
            write(out, all.get(..keep).unwrap_or(&[]))?;
        }
    }
    Ok(())
}

fn main() -> i32 {
    let mut how = Amount::Lines(10);
    let (mut quiet, mut verbose) = (false, false);
    let mut files: Vec<&[u8]> = Vec::new();
    let mut args = rt::env::args().skip(1);
    let mut options_done = false;
    while let Some(a) = args.next() {
        if options_done || a == b"-" || !a.starts_with(b"-") {
            files.push(a);
            continue;
        }
        let (lines, value): (bool, Option<&[u8]>) = match a {
            b"--" => {
                options_done = true;
                continue;
            }
            b"-q" | b"--quiet" | b"--silent" => {
                quiet = true;
                verbose = false;
                continue;
            }
            b"-v" | b"--verbose" => {
                verbose = true;
                quiet = false;
                continue;
            }
            b"-n" => (true, args.next()),
            b"-c" => (false, args.next()),
            _ if a.starts_with(b"--lines=") => (true, a.get(8..)),
            _ if a.starts_with(b"--bytes=") => (false, a.get(8..)),
            _ if a.starts_with(b"-n") => (true, a.get(2..)),
            _ if a.starts_with(b"-c") => (false, a.get(2..)),
            // The obsolete form: -N lines.
            _ if a.get(1..).and_then(rt::num::parse_u64).is_some() => (true, a.get(1..)),
            _ => {
                complain(&[b"invalid option -- '", a.get(1..2).unwrap_or(b""), b"'"]);
                let _ = rt::io::write_all(Fd::STDERR, b"Try 'head --help' for more information.\n");
                return 1;
            }
        };
        let Some(v) = value else {
            complain(&[
                b"option requires an argument -- '",
                if lines { b"n" } else { b"c" },
                b"'",
            ]);
            let _ = rt::io::write_all(Fd::STDERR, b"Try 'head --help' for more information.\n");
            return 1;
        };
        match amount(v, lines) {
            Some(h) => how = h,
            None => {
                let what: &[u8] = if lines { b"lines" } else { b"bytes" };
                complain(&[b"invalid number of ", what, b": '", v, b"'"]);
                return 1;
            }
        }
    }
    if files.is_empty() {
        files.push(b"-");
    }
    let headers = verbose || (files.len() > 1 && !quiet);
    let mut out = rt::io::stdout();
    let mut status = 0;
    let mut first = true;
    for &f in &files {
        let name: &[u8] = if f == b"-" { b"standard input" } else { f };
        let file = if f == b"-" {
            None
        } else {
            match rt::fs::File::open(f) {
                Ok(file) => Some(file),
                Err(e) => {
                    complain(&[b"cannot open '", f, b"' for reading: ", strerror(e)]);
                    status = 1;
                    continue;
                }
            }
        };
        if headers {
            let sep: &[u8] = if first { b"==> " } else { b"\n==> " };
            first = false;
            if [sep, name, b" <==\n"]
                .iter()
                .any(|p| out.write_all(p).is_err())
            {
                return 1;
            }
        }
        let result = match file {
            Some(file) => head(file, how, &mut out),
            None => head(rt::io::stdin(), how, &mut out),
        };
        match result {
            Ok(()) => {}
            Err((true, _)) => return 1,
            Err((false, e)) => {
                complain(&[b"error reading '", name, b"': ", strerror(e)]);
                status = 1;
            }
        }
    }
    if out.flush().is_err() {
        return 1;
    }
    status
}
