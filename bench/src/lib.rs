//! Shared pieces of the benchmarks: the C peers (see c/kernels.c) and timing helpers.

pub mod synthetic;

use std::time::{Duration, Instant};

unsafe extern "C" {
    pub fn c_sum_to(n: i64) -> i64;
    pub fn c_fib(n: i64) -> i64;
    pub fn c_tak(x: i64, y: i64, z: i64) -> i64;
    pub fn c_ack(m: i64, n: i64) -> i64;
    pub fn c_mod_sum(n: i64) -> i64;
}

/// Median of `runs` timings of `f`.
pub fn median_time(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[t.len() / 2]
}

/// The date, CPU and core count for BENCHMARKS.md.
pub fn machine_line() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("machine: {cpu}, {cores} cores")
}
