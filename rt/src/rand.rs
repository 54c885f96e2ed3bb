//! A seeded pseudo-random sequence for test generators, fuzzers and benchmarks (the same seed
//! gives the same programs, inputs and workloads on every machine). Not for anything that must
//! be unpredictable: that is [`crate::env::random_bytes`].

/// Marsaglia's xorshift64 (shifts 13, 7, 17). The state must not be 0 (0 stays 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XorShift64(pub u64);

impl XorShift64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (n > 0; the slight modulo bias does not matter here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// An index into a collection of `len` elements (len > 0).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[cfg(test)]
mod tests {
    use super::XorShift64;

    #[test]
    fn the_sequence_is_marsaglias_xorshift64() {
        let mut r = XorShift64(1);
        // 1 ^= 1 << 13 → 0x2001; ^= >> 7 → 0x2041; ^= << 17 → 0x40822041
        assert_eq!(r.next_u64(), 0x4082_2041);
        let mut a = XorShift64(0x9E37_79B9_7F4A_7C15);
        let mut b = a.clone();
        let xs: [u64; 4] = core::array::from_fn(|_| a.below(10));
        let ys: [u64; 4] = core::array::from_fn(|_| b.next_u64() % 10);
        assert_eq!(xs, ys);
        assert!((0..1000).all(|_| a.index(7) < 7));
    }
}
