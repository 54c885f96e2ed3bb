//! Sorting for compilers' own tables (live ranges, block orders, id lists): insertion sort
//! for short slices, heapsort past them — O(n log n), no allocation, a few hundred bytes
//! per element type. core's sorts (driftsort, ipnsort) are faster on large inputs but
//! cost 2–7 KB of machine code per instantiation; a freestanding runner holding a dozen
//! of them paid 66 KB for tables that rarely pass a few hundred entries.
//!
//! Unstable: equal elements may come out in any order (the same order every run). Callers
//! that need a stable order make their keys unique (an index last).

/// Sorts `v` so that no element is `less` than one before it.
pub fn sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let n = v.len();
    if n <= 16 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && less(&v[j], &v[j - 1]) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    for root in (0..n / 2).rev() {
        sift_down(v, root, n, &mut less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &mut less);
    }
}

/// Sorts `v` in ascending order.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, |a, b| a < b);
}

/// Sorts `v` by ascending `key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a) < key(b));
}

/// Sorts `v` stably by `key`, a small number below `bound`: a counting sort, O(n +
/// bound) and two passes over `v` (where keys are positions in a function, their bound is
/// of the order of n, and heapsort's n log n comparisons are the most of a sort's cost).
pub fn sort_by_small_key<T: Clone>(
    v: &mut alloc::vec::Vec<T>,
    bound: usize,
    key: impl Fn(&T) -> usize,
) {
    if v.len() <= 16 {
        // Insertion sort is stable too, and cheaper than counting at this size.
        return sort_by(v, |a, b| key(a) < key(b));
    }
    let mut at = alloc::vec![0u32; bound + 1];
    for x in v.iter() {
        at[key(x) + 1] += 1;
    }
    for k in 1..at.len() {
        at[k] += at[k - 1];
    }
    // A copy of `v` as the buffer, each item then put where its key says.
    let mut out = v.clone();
    for x in v.iter() {
        let slot = &mut at[key(x)];
        out[*slot as usize] = x.clone();
        *slot += 1;
    }
    *v = out;
}

/// Moves `v[root]` down the max-heap `v[..end]` to where it belongs.
fn sift_down<T>(v: &mut [T], mut root: usize, end: usize, less: &mut impl FnMut(&T, &T) -> bool) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[root], &v[child]) {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// Against core's sort on every length to 70 and pseudo-random contents with many
    /// repeats (a fixed-seed generator).
    #[test]
    fn agrees_with_core_on_every_short_length_and_random_contents() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in 0..70 {
            for modulus in [1, 3, 1000] {
                let v: Vec<u64> = (0..len).map(|_| next() % modulus).collect();
                let (mut ours, mut want) = (v.clone(), v);
                sort(&mut ours);
                want.sort_unstable();
                assert_eq!(ours, want, "length {len}, values below {modulus}");
            }
        }
        let mut big: Vec<(u32, u32)> = (0..5000).map(|i| ((next() % 97) as u32, i)).collect();
        let mut want = big.clone();
        sort_by_key(&mut big, |&(k, i)| (k, i));
        want.sort();
        assert_eq!(big, want);
        let mut down: Vec<i32> = (0..300).collect();
        sort_by(&mut down, |a, b| a > b);
        assert!(down.windows(2).all(|w| w[0] > w[1]));
    }

    /// The counting sort is stable (core's stable sort by the same key agrees, items
    /// carrying their original index), on every short length and on long inputs.
    #[test]
    fn sorting_by_a_small_key_keeps_equal_keys_in_order() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in (0..40).chain([300, 5000]) {
            for bound in [1usize, 7, 1000] {
                let v: Vec<(usize, usize)> = (0..len)
                    .map(|i| ((next() % bound as u64) as usize, i))
                    .collect();
                let (mut ours, mut want) = (v.clone(), v);
                sort_by_small_key(&mut ours, bound, |&(k, _)| k);
                want.sort_by_key(|&(k, _)| k);
                assert_eq!(ours, want, "length {len}, keys below {bound}");
            }
        }
    }
}
