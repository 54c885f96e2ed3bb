//! The alloc example's workload, run here under std with the system allocator, must give
//! the checksum the freestanding binary prints on rt's allocator (natively and under QEMU).

extern crate alloc;

#[path = "../../examples/src/alloc_workload.rs"]
mod alloc_workload;

use qemu_tests::{Exec, runners};

#[test]
fn freestanding_checksum_matches_std() {
    let rounds = 10_000;
    let (checksum, allocations) = alloc_workload::run(rounds);
    assert!(
        allocations >= 2_000_000,
        "a stress run: {allocations} allocations"
    );
    let expected = format!("checksum {checksum:016x} after {allocations} allocations\n");
    for r in runners() {
        Exec::new(qemu_tests::example("alloc"))
            .arg(rounds.to_string())
            .run(&r)
            .assert(&expected, "", 0);
    }
}
