//! Allocation stress through Vec, String and BTreeMap on rt's allocator; prints a checksum
//! that must equal the same workload's under std (see alloc_workload.rs).
//! `alloc [ROUNDS]` (default 10000); `alloc oom` allocates until memory runs out, to show
//! the out-of-memory report.
#![no_std]
#![no_main]

extern crate alloc;

#[path = "../alloc_workload.rs"]
mod alloc_workload;

rt::entry!(main);

fn main() -> i32 {
    let arg = rt::env::arg(1).unwrap_or(b"10000");
    if arg == b"oom" {
        let mut hoard = alloc::vec::Vec::new();
        loop {
            // 64 MiB blocks, touched so they are really committed.
            hoard.push(alloc::vec![1u8; 64 << 20]);
        }
    }
    let Some(rounds) = core::str::from_utf8(arg).ok().and_then(|s| s.parse().ok()) else {
        rt::eprintln!("usage: alloc [ROUNDS | oom]");
        return 2;
    };
    let (checksum, allocations) = alloc_workload::run(rounds);
    rt::println!("checksum {checksum:016x} after {allocations} allocations");
    0
}
