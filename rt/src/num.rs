//! Integers to text and back without `core::fmt`: the common case of a tool's output
//! (counts, sizes) for a few dozen bytes of code instead of the formatting machinery's
//! kilobytes.
//!
//! ```
//! let mut buf = [0u8; 20];
//! assert_eq!(rt::num::u64_to_decimal(1234, &mut buf), b"1234");
//! assert_eq!(rt::num::parse_u64(b"0042"), Some(42));
//! ```

/// `n` in decimal, written at the end of `buf`; the digits.
pub fn u64_to_decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    // u64::MAX has 20 digits: the loop ends before `i` runs out (written with `get` so
    // that no panicking path is linked).
    let mut i = buf.len();
    while let Some(d) = i.checked_sub(1).and_then(|j| buf.get_mut(j)) {
        *d = b'0' + (n % 10) as u8;
        i -= 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.get(i..).unwrap_or(&[])
}

/// Parses unsigned decimal digits (no sign, no spaces); None for anything else or overflow.
pub fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0u64, |acc, &c| {
        let d = c.checked_sub(b'0').filter(|d| *d < 10)?;
        acc.checked_mul(10)?.checked_add(u64::from(d))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_with_std() {
        let mut buf = [0u8; 20];
        for n in [0, 1, 9, 10, 99, 100, 12345, u64::MAX / 3, u64::MAX] {
            let s = std::format!("{n}");
            assert_eq!(u64_to_decimal(n, &mut buf), s.as_bytes());
            assert_eq!(parse_u64(s.as_bytes()), Some(n));
        }
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        for bad in [&b""[..], b"-1", b"+1", b" 1", b"1a"] {
            assert_eq!(parse_u64(bad), None, "{bad:?}");
        }
    }
}
