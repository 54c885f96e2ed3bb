//! The code one crate adds for minipy's operations (size comparison; prints the results).

use std::str::FromStr;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let x = <ibig::IBig>::from_str(&a[1]).unwrap();
    let y = <ibig::IBig>::from_str(&a[2]).unwrap();
    let s = (&x + &y) * (&x - &y);
    let q = ibig::ops::DivEuclid::div_euclid(&x, &y);
    let p = (&x).pow(3);
    let b = (&x & &y) | (&x ^ &y);
    let sh = (&x << 70usize) >> 3usize;
    println!("{s} {q} {p} {b} {sh} {} {}", -&x, x < y);
}
