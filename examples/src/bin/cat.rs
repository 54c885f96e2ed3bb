//! cat: copies each file (or stdin, for no arguments or "-") to stdout. A file that cannot be
//! read is reported as coreutils does ("cat: NAME: No such file or directory") and the
//! others are still copied; the exit status is then 1.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::vec;
use rt::Errno;
use rt::fs::File;
use rt::sys::Fd;

rt::entry!(main);

const CHUNK: usize = 128 * 1024;

fn main() -> i32 {
    let mut buf = vec![0u8; CHUNK];
    let mut status = 0;
    let mut names = rt::env::args().skip(1).peekable();
    if names.peek().is_none() {
        return report(b"-", copy(Fd::STDIN, &mut buf));
    }
    for name in names {
        let result = if name == b"-" {
            copy(Fd::STDIN, &mut buf)
        } else {
            match File::open(name) {
                Ok(f) => copy(f.fd(), &mut buf),
                Err(e) => Err(Failure::Read(e)),
            }
        };
        status |= report(name, result);
    }
    status
}

enum Failure {
    Read(Errno),
    Write(Errno),
}

fn copy(from: Fd, buf: &mut [u8]) -> Result<(), Failure> {
    let out = rt::io::stdout();
    loop {
        let n = rt::io::read(from, buf).map_err(Failure::Read)?;
        if n == 0 {
            return Ok(());
        }
        out.write_all(&buf[..n]).map_err(Failure::Write)?;
    }
}

fn report(name: &[u8], result: Result<(), Failure>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(Failure::Read(e)) => {
            let name = core::str::from_utf8(name).unwrap_or("?");
            let name = if name == "-" { "-" } else { name };
            rt::eprintln!("cat: {}: {}", name, e.message());
            1
        }
        // The reader went away (`cat big | head`): stop quietly, as coreutils does on SIGPIPE.
        Err(Failure::Write(Errno::EPIPE)) => rt::sys::exit_group(rt::io::EXIT_BROKEN_PIPE),
        Err(Failure::Write(e)) => {
            rt::eprintln!("cat: write error: {}", e.message());
            rt::exit(1)
        }
    }
}
