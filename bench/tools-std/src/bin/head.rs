//! head on std: the examples' head (`head [-n [-]N | -c [-]N | -N] [-q | -v] [FILE]...`).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use tools_std::{args, complain, path, strerror, usage};

#[derive(Clone, Copy)]
enum Amount {
    Lines(u64),
    Bytes(u64),
    AllButLines(u64),
    AllButBytes(u64),
}

fn amount(v: &[u8], lines: bool) -> Option<Amount> {
    let (neg, digits) = match v.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, v),
    };
    let n: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some(match (lines, neg) {
        (true, false) => Amount::Lines(n),
        (true, true) => Amount::AllButLines(n),
        (false, false) => Amount::Bytes(n),
        (false, true) => Amount::AllButBytes(n),
    })
}

/// Err((true, _)): writing failed; Err((false, _)): reading did.
fn head(input: impl Read, how: Amount, out: &mut impl Write) -> Result<(), (bool, std::io::Error)> {
    let mut r = BufReader::with_capacity(65536, input);
    let w = |e| (true, e);
    let rd = |e| (false, e);
    match how {
        Amount::Lines(n) => {
            let mut line = Vec::new();
            for _ in 0..n {
                line.clear();
                if r.read_until(b'\n', &mut line).map_err(rd)? == 0 {
                    break;
                }
                out.write_all(&line).map_err(w)?;
            }
        }
        Amount::Bytes(n) => {
            std::io::copy(&mut r.take(n), out).map_err(|e| (false, e))?;
        }
        Amount::AllButLines(n) | Amount::AllButBytes(n) => {
            let mut all = Vec::new();
            r.read_to_end(&mut all).map_err(rd)?;
            let n = usize::try_from(n).unwrap_or(usize::MAX);
            let keep = if let Amount::AllButBytes(_) = how {
                all.len().saturating_sub(n)
            } else {
                let mut ends: Vec<usize> = all
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| i + 1)
                    .collect();
                if all.last().is_some_and(|&b| b != b'\n') {
                    ends.push(all.len());
                }
                match ends.len().checked_sub(n) {
                    Some(0) | None => 0,
                    Some(k) => ends[k - 1],
                }
            };
            out.write_all(&all[..keep]).map_err(w)?;
        }
    }
    Ok(())
}

fn main() {
    std::process::exit(run());
}

fn run() -> i32 {
    let mut how = Amount::Lines(10);
    let (mut quiet, mut verbose) = (false, false);
    let mut files: Vec<Vec<u8>> = Vec::new();
    let all = args();
    let mut args = all.iter();
    let mut options_done = false;
    while let Some(a) = args.next() {
        if options_done || a == b"-" || !a.starts_with(b"-") {
            files.push(a.clone());
            continue;
        }
        let (lines, value): (bool, Option<&[u8]>) = match a.as_slice() {
            b"--" => {
                options_done = true;
                continue;
            }
            b"-q" | b"--quiet" | b"--silent" => {
                (quiet, verbose) = (true, false);
                continue;
            }
            b"-v" | b"--verbose" => {
                (quiet, verbose) = (false, true);
                continue;
            }
            b"-n" => (true, args.next().map(|v| v.as_slice())),
            b"-c" => (false, args.next().map(|v| v.as_slice())),
            _ if a.starts_with(b"--lines=") => (true, Some(&a[8..])),
            _ if a.starts_with(b"--bytes=") => (false, Some(&a[8..])),
            _ if a.starts_with(b"-n") => (true, Some(&a[2..])),
            _ if a.starts_with(b"-c") => (false, Some(&a[2..])),
            _ if amount(&a[1..], true).is_some() && a[1] != b'-' => (true, Some(&a[1..])),
            _ => return usage("head", &[b"invalid option -- '", &a[1..2], b"'"], 1),
        };
        let Some(v) = value else {
            let o: &[u8] = if lines { b"n" } else { b"c" };
            return usage("head", &[b"option requires an argument -- '", o, b"'"], 1);
        };
        match amount(v, lines) {
            Some(h) => how = h,
            None => {
                let what: &[u8] = if lines { b"lines" } else { b"bytes" };
                complain("head", &[b"invalid number of ", what, b": '", v, b"'"]);
                return 1;
            }
        }
    }
    if files.is_empty() {
        files.push(b"-".to_vec());
    }
    let headers = verbose || (files.len() > 1 && !quiet);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut status = 0;
    for (i, f) in files.iter().enumerate() {
        let name: &[u8] = if f == b"-" { b"standard input" } else { f };
        let file = if f == b"-" {
            None
        } else {
            match File::open(path(f)) {
                Ok(file) => Some(file),
                Err(e) => {
                    let m = strerror(&e);
                    complain(
                        "head",
                        &[b"cannot open '", f, b"' for reading: ", m.as_bytes()],
                    );
                    status = 1;
                    continue;
                }
            }
        };
        if headers {
            let sep: &[u8] = if i == 0 { b"==> " } else { b"\n==> " };
            if [sep, name, b" <==\n"]
                .iter()
                .any(|p| out.write_all(p).is_err())
            {
                return 1;
            }
        }
        let result = match file {
            Some(file) => head(file, how, &mut out),
            None => head(std::io::stdin().lock(), how, &mut out),
        };
        match result {
            Ok(()) => {}
            Err((true, _)) => return 1,
            Err((false, e)) => {
                let m = strerror(&e);
                complain("head", &[b"error reading '", name, b"': ", m.as_bytes()]);
                status = 1;
            }
        }
    }
    if out.flush().is_err() {
        return 1;
    }
    status
}
