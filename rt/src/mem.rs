//! memcpy, memmove, memset, memcmp, bcmp and strlen for freestanding binaries.
//!
//! # Safety
//!
//! This target's compiler_builtins does not export these symbols, and LLVM turns a plain
//! byte loop back into a call to `memcpy`/`memset` — inside `memcpy` that is infinite
//! recursion (rust-lang/rust#115225). So the copying and filling run as `rep movsb` /
//! `rep stosb` (fast on every x86-64 with ERMSB) and the scans as `repe cmpsb` /
//! `repne scasb`: instructions no optimizer rewrites into calls. [`crate::entry!`] exports
//! them under their C names; std programs keep their libc's.

use core::arch::asm;

/// Copies `n` bytes from `src` to `dst`; the ranges must not overlap.
///
/// # Safety
/// `src` readable and `dst` writable for `n` bytes, not overlapping.
#[inline]
pub unsafe fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    // SAFETY: forwarded to the caller; the direction flag is clear per the SysV ABI.
    unsafe {
        asm!("rep movsb", inout("rcx") n => _, inout("rdi") dst => _, inout("rsi") src => _,
             options(nostack, preserves_flags));
    }
    dst
}

/// Copies `n` bytes from `src` to `dst`; the ranges may overlap.
///
/// # Safety
/// `src` readable and `dst` writable for `n` bytes.
#[inline]
pub unsafe fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    if (dst as usize).wrapping_sub(src as usize) >= n {
        // dst is below src or past its end: a forward copy never reads a byte it wrote.
        // SAFETY: forwarded to the caller.
        return unsafe { memcpy(dst, src, n) };
    }
    // Overlap with dst above src: copy backwards from the last byte, then restore DF = 0.
    // SAFETY: forwarded to the caller; n > 0 here since the difference is < n.
    unsafe {
        asm!("std", "rep movsb", "cld",
             inout("rcx") n => _, inout("rdi") dst.add(n - 1) => _, inout("rsi") src.add(n - 1) => _,
             options(nostack));
    }
    dst
}

/// Sets `n` bytes at `dst` to `c as u8`.
///
/// # Safety
/// `dst` writable for `n` bytes.
#[inline]
pub unsafe fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    // SAFETY: forwarded to the caller.
    unsafe {
        asm!("rep stosb", inout("rcx") n => _, inout("rdi") dst => _, in("al") c as u8,
             options(nostack, preserves_flags));
    }
    dst
}

/// Compares `n` bytes: negative, zero or positive as the first differing byte of `a` is
/// less than, equal to or greater than `b`'s (as unsigned bytes).
///
/// # Safety
/// Both readable for `n` bytes.
#[inline]
pub unsafe fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    if n == 0 {
        return 0;
    }
    // `repe cmpsb` stops after the first differing byte (or at n); rsi/rdi then point one
    // past it.
    // SAFETY: forwarded to the caller.
    let (pa, pb): (*const u8, *const u8);
    unsafe {
        asm!("repe cmpsb", inout("rcx") n => _, inout("rsi") a => pa, inout("rdi") b => pb,
             options(nostack, readonly));
    }
    // SAFETY: the instruction advanced both pointers by at least one within the ranges.
    let (x, y) = unsafe { (*pa.sub(1), *pb.sub(1)) };
    x as i32 - y as i32
}

/// Like [`memcmp`] but only says whether the ranges differ (non-zero) or not (zero).
///
/// # Safety
/// Both readable for `n` bytes.
#[inline]
pub unsafe fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: forwarded to the caller.
    unsafe { memcmp(a, b, n) }
}

/// The length of the NUL-terminated string at `s`.
///
/// # Safety
/// `s` points to readable bytes up to and including a NUL.
#[inline]
pub unsafe fn strlen(s: *const u8) -> usize {
    let left: usize;
    // `repne scasb` with rcx = usize::MAX scans until it finds al = 0.
    // SAFETY: forwarded to the caller.
    unsafe {
        asm!("repne scasb", inout("rcx") usize::MAX => left, inout("rdi") s => _, in("al") 0u8,
             options(nostack, readonly));
    }
    // rcx counted down once per byte scanned, NUL included.
    usize::MAX - left - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn pattern(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i * 131 + 7) as u8).collect()
    }

    #[test]
    fn memcpy_and_memset_at_every_misalignment() {
        for n in [0usize, 1, 2, 7, 15, 16, 17, 63, 64, 65, 1000, 4099] {
            for off in 0..8 {
                let src = pattern(n + 8);
                let mut dst = std::vec![0u8; n + 16];
                unsafe { memcpy(dst.as_mut_ptr().add(off), src.as_ptr().add(7 - off % 8), n) };
                assert_eq!(&dst[off..off + n], &src[7 - off % 8..7 - off % 8 + n]);
                assert!(
                    dst[..off].iter().all(|&b| b == 0) && dst[off + n..].iter().all(|&b| b == 0)
                );
                unsafe { memset(dst.as_mut_ptr().add(off), 0x1a5, n) };
                assert!(dst[off..off + n].iter().all(|&b| b == 0xa5));
            }
        }
    }

    #[test]
    fn memmove_handles_both_overlap_directions() {
        for n in [1usize, 2, 5, 16, 33, 300] {
            for shift in [1usize, 3, 8, n / 2 + 1, n] {
                for forward in [true, false] {
                    let mut buf = pattern(n + shift + 8);
                    let mut model = buf.clone();
                    let (src, dst) = if forward { (shift, 1) } else { (1, shift + 1) };
                    model.copy_within(src..src + n, dst);
                    unsafe { memmove(buf.as_mut_ptr().add(dst), buf.as_ptr().add(src), n) };
                    assert_eq!(buf, model, "n={n} shift={shift} forward={forward}");
                }
            }
        }
        // The direction flag is clear again afterwards: a forward copy still works.
        let src = pattern(40);
        let mut dst = [0u8; 40];
        unsafe { memcpy(dst.as_mut_ptr(), src.as_ptr(), 40) };
        assert_eq!(&dst[..], &src[..]);
    }

    #[test]
    fn memcmp_orders_as_unsigned_bytes() {
        let a = b"abcdef\x80";
        let b = b"abcdeg\x01";
        unsafe {
            assert_eq!(memcmp(a.as_ptr(), a.as_ptr(), 7), 0);
            assert!(memcmp(a.as_ptr(), b.as_ptr(), 7) < 0);
            assert!(memcmp(b.as_ptr(), a.as_ptr(), 7) > 0);
            assert_eq!(memcmp(a.as_ptr(), b.as_ptr(), 5), 0);
            assert_eq!(memcmp(a.as_ptr(), b.as_ptr(), 0), 0);
            assert!(memcmp(b"\x80".as_ptr(), b"\x01".as_ptr(), 1) > 0);
            assert_ne!(bcmp(a.as_ptr().add(1), b.as_ptr().add(1), 6), 0);
            assert_eq!(bcmp(a.as_ptr().add(1), b.as_ptr().add(1), 4), 0);
        }
    }

    #[test]
    fn strlen_counts_to_the_nul() {
        unsafe {
            assert_eq!(strlen(c"".as_ptr().cast()), 0);
            assert_eq!(strlen(c"hello".as_ptr().cast()), 5);
            let two = [b'a', b'b', 0, b'c', 0];
            assert_eq!(strlen(two.as_ptr().add(1)), 1);
        }
    }
}
