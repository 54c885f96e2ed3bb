//! wc: newline, word and byte counts, as GNU coreutils' wc prints them in the C locale
//! (`wc [-lwc] [FILE]...`; `-` or nothing reads stdin). A word is a run of printable
//! characters and other non-space bytes that starts with a printable one.
//!
//! Written to stay small: no allocation, no `core::fmt` and no panicking index (each of
//! those links kilobytes), so the file is what counting and printing take.
#![cfg_attr(not(test), no_std, no_main)]

use rt::sys::Fd;

rt::entry!(main);

#[derive(Clone, Copy, Default)]
struct Counts {
    lines: u64,
    words: u64,
    bytes: u64,
}

/// Which counts to print, in wc's order (lines, words, bytes).
type Show = [bool; 3];

/// Counts `fd` to its end; the error that stopped it, if one did.
fn count(fd: Fd) -> (Counts, Option<rt::Errno>) {
    let mut c = Counts::default();
    let mut in_word = false;
    let mut buf = [0u8; 65536];
    loop {
        let n = match rt::io::read(fd, &mut buf) {
            Ok(0) => return (c, None),
            Ok(n) => n,
            Err(e) => return (c, Some(e)),
        };
        c.bytes += n as u64;
        for &b in buf.get(..n).unwrap_or(&[]) {
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

/// The operands: every argument after the options that is not one.
fn operands() -> impl Iterator<Item = &'static [u8]> {
    let mut options_done = false;
    rt::env::args().skip(1).filter(move |a| {
        if options_done {
            return true;
        }
        if *a == b"--" {
            options_done = true;
            return false;
        }
        !(a.len() > 1 && a.first() == Some(&b'-'))
    })
}

/// The digits of `n`.
fn digits(n: u64, buf: &mut [u8; 20]) -> &[u8] {
    rt::num::u64_to_decimal(n, buf)
}

/// GNU's column width: the digits of the regular files' total size (at least 7 when an
/// input is not a regular file); 1 for a single count of a single input.
fn width(single: bool, named: usize) -> usize {
    if single && named <= 1 {
        return 1;
    }
    let (mut total, mut minimum) = (0u64, 1);
    let stdin = [&b"-"[..]];
    let names = operands().chain(stdin.into_iter().filter(|_| named == 0));
    for f in names {
        let st = if f == b"-" {
            rt::sys::fstat(Fd::STDIN).map(rt::fs::Metadata)
        } else {
            rt::fs::metadata(f)
        };
        match st {
            Ok(m) if m.is_file() => total += m.len(),
            Ok(_) => minimum = 7,
            Err(_) => {}
        }
    }
    digits(total, &mut [0; 20]).len().max(minimum)
}

/// Writes to stdout (buffered); false when it failed.
fn out(bytes: &[u8]) -> bool {
    rt::io::stdout().write_all(bytes).is_ok()
}

fn line(c: Counts, show: Show, width: usize, name: Option<&[u8]>) -> bool {
    let mut first = true;
    let mut ok = true;
    for (on, n) in show.into_iter().zip([c.lines, c.words, c.bytes]) {
        if !on {
            continue;
        }
        if !first {
            ok &= out(b" ");
        }
        first = false;
        let mut buf = [0u8; 20];
        let d = digits(n, &mut buf);
        for _ in d.len()..width {
            ok &= out(b" ");
        }
        ok &= out(d);
    }
    if let Some(name) = name {
        ok &= out(b" ") && out(name);
    }
    ok && out(b"\n")
}

fn complain(parts: &[&[u8]]) {
    rt::io::complain(b"wc", parts);
}

/// `wc: NAME: strerror`.
fn complain_errno(name: &[u8], e: rt::Errno) {
    let mut buf = [0u8; 20];
    match e.message_str() {
        Some(m) => complain(&[name, b": ", m.as_bytes()]),
        None => complain(&[
            name,
            b": Unknown error ",
            digits(u64::from(e.raw()), &mut buf),
        ]),
    }
}

fn main() -> i32 {
    let mut show: Show = [false; 3];
    for a in rt::env::args().skip(1) {
        match a {
            b"--" => break,
            b"--lines" => show[0] = true,
            b"--words" => show[1] = true,
            b"--bytes" => show[2] = true,
            [b'-', opts @ ..] if !opts.is_empty() => {
                for &o in opts {
                    match o {
                        b'l' => show[0] = true,
                        b'w' => show[1] = true,
                        b'c' => show[2] = true,
                        _ => {
                            complain(&[b"invalid option -- '", &[o], b"'"]);
                            let _ = rt::io::write_all(
                                Fd::STDERR,
                                b"Try 'wc --help' for more information.\n",
                            );
                            return 1;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if show == [false; 3] {
        show = [true; 3];
    }
    let single = show.iter().filter(|&&s| s).count() == 1;
    let named = operands().count();
    let width = width(single, named);
    let (mut total, mut status) = (Counts::default(), 0);
    let stdin = [&b"-"[..]];
    for f in operands().chain(stdin.into_iter().filter(|_| named == 0)) {
        let file = if f == b"-" {
            None
        } else {
            match rt::fs::File::open(f) {
                Ok(file) => Some(file),
                Err(e) => {
                    complain_errno(f, e);
                    status = 1;
                    continue;
                }
            }
        };
        let (c, err) = count(file.as_ref().map_or(Fd::STDIN, |f| f.fd()));
        if let Some(e) = err {
            complain_errno(f, e);
            status = 1;
        }
        if !line(c, show, width, (named > 0).then_some(f)) {
            return 1;
        }
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if named > 1 && !line(total, show, width, Some(b"total")) {
        return 1;
    }
    i32::from(rt::io::stdout().flush().is_err()).max(status)
}
