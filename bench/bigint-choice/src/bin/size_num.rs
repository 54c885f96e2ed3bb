//! The code one crate adds for minipy's operations (size comparison; prints the results).
use num_traits::Pow;
use std::str::FromStr;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let x = <num_bigint::BigInt>::from_str(&a[1]).unwrap();
    let y = <num_bigint::BigInt>::from_str(&a[2]).unwrap();
    let s = (&x + &y) * (&x - &y);
    let q = num_integer::Integer::div_floor(&x, &y);
    let p = Pow::pow(&x, 3u32);
    let b = (&x & &y) | (&x ^ &y);
    let sh = (&x << 70usize) >> 3usize;
    println!("{s} {q} {p} {b} {sh} {} {}", -&x, x < y);
}
