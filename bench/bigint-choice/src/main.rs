//! Times multiply (D × D digits), divide (2D by D digits, floor) and decimal conversion
//! (D digits) for D = 10^3, 10^4, 10^5 in three big-integer crates and in CPython (the same
//! numbers: 3^k and 7^j with about D digits each), and prints one table. Each figure is the
//! best of several runs.

use std::process::Command;
use std::time::Instant;

fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut out = None;
    let mut best = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(r);
    }
    (best, out.unwrap())
}

/// Exponents giving about `digits` decimal digits for 3^k and 7^j.
fn exps(digits: u32) -> (u32, u32) {
    let d = digits as f64;
    ((d / 3f64.log10()) as u32, (d / 7f64.log10()) as u32)
}

macro_rules! crate_row {
    ($name:expr, $ty:ty, $from:expr, $pow:expr, $div:expr, $digits:expr) => {{
        let (k, j) = exps($digits);
        let a: $ty = $pow($from(3u32), k);
        let b: $ty = $pow($from(7u32), j);
        let runs = if $digits >= 100_000 { 3 } else { 20 };
        let (tm, p) = best(runs, || &a * &b);
        let big: $ty = &p * &a;
        let (td, q) = best(runs, || $div(&big, &b));
        let (ts, s) = best(runs, || a.to_string());
        // The same answers in every crate: the quotient's and the decimal's lengths.
        (
            $name,
            [tm, td, ts],
            format!("{}:{}", q.to_string().len(), s.len()),
        )
    }};
}

fn main() {
    let python = r#"
import sys, time
sys.set_int_max_str_digits(0)
def best(runs, f):
    b = None
    for _ in range(runs):
        t = time.perf_counter(); r = f(); e = time.perf_counter() - t
        b = e if b is None else min(b, e)
    return b, r
for d in (1000, 10000, 100000):
    import math
    k, j = int(d / math.log10(3)), int(d / math.log10(7))
    a, b = 3 ** k, 7 ** j
    runs = 3 if d >= 100000 else 20
    tm, p = best(runs, lambda: a * b)
    big = p * a
    td, q = best(runs, lambda: big // b)
    ts, s = best(runs, lambda: str(a))
    print(d, tm, td, ts, f"{len(str(q))}:{len(s)}")
"#;
    let out = Command::new("python3")
        .args(["-c", python])
        .output()
        .expect("python3");
    let py = String::from_utf8_lossy(&out.stdout).into_owned();
    println!(
        "{:<8} {:<11} {:>12} {:>12} {:>12}  check",
        "digits", "", "mul (µs)", "div (µs)", "str (µs)"
    );
    for (i, digits) in [1_000u32, 10_000, 100_000].into_iter().enumerate() {
        let rows = [
            crate_row!(
                "num-bigint",
                num_bigint::BigInt,
                num_bigint::BigInt::from,
                |x: num_bigint::BigInt, e| num_traits::Pow::pow(x, e),
                |x: &num_bigint::BigInt, y: &num_bigint::BigInt| num_integer::Integer::div_floor(x, y),
                digits
            ),
            crate_row!(
                "dashu-int",
                dashu_int::IBig,
                dashu_int::IBig::from,
                |x: dashu_int::IBig, e| x.pow(e as usize),
                |x: &dashu_int::IBig, y: &dashu_int::IBig| dashu_int::ops::DivEuclid::div_euclid(x, y),
                digits
            ),
            crate_row!(
                "ibig",
                ibig::IBig,
                ibig::IBig::from,
                |x: ibig::IBig, e| x.pow(e as usize),
                |x: &ibig::IBig, y: &ibig::IBig| ibig::ops::DivEuclid::div_euclid(x, y),
                digits
            ),
        ];
        for (name, t, check) in rows {
            println!(
                "{:<8} {:<11} {:>12.1} {:>12.1} {:>12.1}  {check}",
                digits,
                name,
                t[0] * 1e6,
                t[1] * 1e6,
                t[2] * 1e6
            );
        }
        if let Some(line) = py.lines().nth(i) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let us = |s: &str| s.parse::<f64>().unwrap_or(0.0) * 1e6;
            println!(
                "{:<8} {:<11} {:>12.1} {:>12.1} {:>12.1}  {}",
                digits,
                "CPython",
                us(f[1]),
                us(f[2]),
                us(f[3]),
                f[4]
            );
        }
    }
}
