//! A `Display` that prints while `println!` formats it, and while a `StdoutLock` is held:
//! rt's stdout lock is entered again, as std's is, so the output is std's byte for byte —
//! not a deadlock.
#![no_std]
#![no_main]

use core::fmt::Write;

rt::entry!(main);

/// Prints a line of its own each time it is displayed.
struct Noisy;

impl core::fmt::Display for Noisy {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        rt::println!("inner");
        f.write_str("outer-value")
    }
}

fn main() -> i32 {
    rt::println!("a {} b", Noisy);
    let mut out = rt::io::stdout().lock();
    let written = writeln!(out, "c {} d", Noisy);
    drop(out);
    rt::print!("e {Noisy}");
    rt::println!();
    i32::from(written.is_err())
}
