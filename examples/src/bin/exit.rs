//! Exits with the status given as its first argument (the kernel keeps the low 8 bits).
#![no_std]
#![no_main]

rt::entry!(main);

fn main() -> i32 {
    let arg = rt::env::arg(1).unwrap_or(b"");
    match core::str::from_utf8(arg)
        .ok()
        .and_then(|s| s.parse::<i32>().ok())
    {
        Some(code) => code,
        None => {
            rt::eprintln!("usage: exit CODE  (CODE: a decimal integer)");
            2
        }
    }
}
