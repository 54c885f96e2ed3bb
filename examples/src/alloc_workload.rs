//! The allocation stress workload, shared verbatim by the freestanding `alloc` example and a
//! host test that runs it under std: both must print the same checksum.
//!
//! Millions of allocations of mixed sizes through Vec, String and BTreeMap, driven by a
//! fixed xorshift sequence; the checksum hashes every byte the structures hold.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;
use rt::rand::XorShift64 as Rng;

struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.0 = (self.0 ^ x as u64).wrapping_mul(0x100000001b3);
        }
    }
}

/// Runs `rounds` rounds; returns (checksum, allocations made).
pub fn run(rounds: usize) -> (u64, u64) {
    let mut rng = Rng(0x2545f4914f6cdd1d);
    let mut hash = Fnv(0xcbf29ce484222325);
    let mut allocations = 0u64;
    let mut map: BTreeMap<u64, Vec<u8>> = BTreeMap::new();
    let mut strings: Vec<String> = Vec::new();
    for round in 0..rounds {
        // Byte vectors of mixed sizes, mostly small, some large enough for the mmap path.
        for _ in 0..200 {
            let len = match rng.index(1000) {
                0..=799 => rng.index(64) + 1,
                800..=996 => rng.index(4096) + 1,
                _ => rng.index(300_000) + 1,
            };
            let fill = rng.next_u64() as u8;
            let v = alloc::vec![fill; len];
            allocations += 1;
            let key = rng.next_u64() % 4096;
            if let Some(old) = map.insert(key, v) {
                hash.bytes(&old[..old.len().min(8)]);
            }
        }
        // Growing strings through the formatting machinery (realloc on every doubling).
        let mut s = String::new();
        for i in 0..rng.index(40) {
            let _ = write!(s, "{}:{};", round, i * 31);
        }
        allocations += 1;
        strings.push(s);
        if strings.len() > 500 {
            let victim = strings.swap_remove(rng.index(strings.len()));
            hash.bytes(victim.as_bytes());
        }
        // Remove a run of keys so the map shrinks as well as grows.
        let start = rng.next_u64() % 4096;
        let doomed: Vec<u64> = map.range(start..start + 8).map(|(k, _)| *k).collect();
        allocations += 1;
        for k in doomed {
            if let Some(v) = map.remove(&k) {
                hash.bytes(&k.to_le_bytes());
                hash.bytes(&v[v.len() - 1..]);
            }
        }
    }
    for (k, v) in &map {
        hash.bytes(&k.to_le_bytes());
        hash.bytes(&(v.len() as u64).to_le_bytes());
    }
    for s in &strings {
        hash.bytes(s.as_bytes());
    }
    (hash.0, allocations)
}
