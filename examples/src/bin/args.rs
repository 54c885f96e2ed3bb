//! Prints each argument (after the program name) on its own line, then the value of the
//! environment variable named by the first one. Arguments are bytes: non-UTF-8 passes
//! through unchanged.
#![no_std]
#![no_main]

use rt::io::stdout;

rt::entry!(main);

fn main() -> i32 {
    let mut out = stdout().lock();
    for arg in rt::env::args().skip(1) {
        if out
            .write_all(arg)
            .and_then(|_| out.write_all(b"\n"))
            .is_err()
        {
            return 1;
        }
    }
    drop(out);
    let Some(name) = rt::env::arg(1) else {
        rt::eprintln!("usage: args NAME [ARG...]  (prints the arguments, then the value of $NAME)");
        return 2;
    };
    match rt::env::var(name) {
        Some(value) => {
            let mut out = stdout().lock();
            let ok = out.write_all(value).and_then(|_| out.write_all(b"\n"));
            if ok.is_err() { 1 } else { 0 }
        }
        None => {
            rt::eprintln!("args: environment variable {} is not set", Lossy(name));
            0
        }
    }
}

/// Displays bytes as UTF-8 where valid, U+FFFD elsewhere (like String::from_utf8_lossy).
struct Lossy<'a>(&'a [u8]);

impl core::fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}
