//! Recurses until the stack runs out. rt reports it on one line —
//! `fatal runtime error: stack overflow (the limit is ulimit -s)` —
//! and aborts (SIGABRT), where a program without a handler dies of a bare SIGSEGV.
#![no_std]
#![no_main]

rt::entry!(main);

/// 256 bytes of frame per level, kept by black_box: the 8 MiB go in ~30,000 calls.
fn down(n: u64) -> u64 {
    if n == u64::MAX {
        return 0;
    }
    let pad = [n; 32];
    core::hint::black_box(&pad);
    down(core::hint::black_box(n + 1)) + pad[(n % 32) as usize]
}

fn main() -> i32 {
    let levels = down(0);
    rt::println!("returned from {levels} levels");
    0
}
