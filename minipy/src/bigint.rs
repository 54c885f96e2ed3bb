//! Ints past 64 bits, as CPython has them: exact, with CPython's floor division, shifts,
//! two's-complement bitwise operators and its 4,300-digit limit on int↔str conversion.
//!
//! Small ints stay [`Value::Int`] everywhere; an operation whose result does not fit in an
//! i64 (or whose operand is already big) comes here and its result goes to the
//! interpreter's [`BigHeap`] as a [`Value::Big`] handle — never a value that would fit in
//! an i64, so that equal ints always have the same representation. The heap is collected
//! by the interpreter (mark and compact, at the allocation that finds it full), whose
//! frames, globals and saved arguments are the only places a handle can be. (The
//! [`Value`](crate::value::Value)-facing half of the heap is in `value.rs`.)

use crate::ast::{BinOp, CmpOp};
use crate::error::{ExcKind, Exception};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Pow, Signed, ToPrimitive, Zero};

pub use crate::error::{MAX_STR_DIGITS, int_limit_message};

/// The big ints a program has made; [`Value::Big`] indexes `slots`.
#[derive(Default)]
pub struct BigHeap {
    slots: Vec<BigInt>,
    /// Collect when `slots` reaches this many.
    limit: usize,
}

/// An int result: small, or big (to be put on the heap).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Int {
    Small(i64),
    Big(BigInt),
}

impl From<BigInt> for Int {
    #[inline]
    fn from(b: BigInt) -> Int {
        match b.to_i64() {
            Some(i) => Int::Small(i),
            None => Int::Big(b),
        }
    }
}

impl BigHeap {
    /// The big int a [`crate::value::Value::Big`] handle names.
    pub fn get(&self, i: u32) -> &BigInt {
        &self.slots[i as usize]
    }

    /// Whether the next allocation should collect first.
    pub fn full(&self) -> bool {
        self.slots.len() >= self.limit.max(1024)
    }

    /// Stores `b`; its handle.
    pub fn push(&mut self, b: BigInt) -> u32 {
        self.slots.push(b);
        self.slots.len() as u32 - 1
    }

    /// Mark and compact: keeps the big ints whose handles `roots` visits, renumbered in
    /// order, and rewrites those handles to their new numbers (`roots` is called twice: to
    /// mark, then to rewrite).
    pub fn collect(&mut self, roots: impl Fn(&mut dyn FnMut(&mut u32))) {
        let mut live = alloc::vec![u32::MAX; self.slots.len()];
        roots(&mut |i| live[*i as usize] = 0);
        let mut kept = 0;
        for (i, slot) in live.iter_mut().enumerate() {
            if *slot == 0 {
                *slot = kept as u32;
                self.slots.swap(kept, i);
                kept += 1;
            }
        }
        self.slots.truncate(kept);
        roots(&mut |i| *i = live[*i as usize]);
        // Collect again when the heap has doubled.
        self.limit = 2 * kept;
    }

    /// How many big ints the heap holds (live or not yet collected).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

fn too_many_digits() -> Exception {
    Exception::new(ExcKind::OverflowError, "too many digits in integer")
}

/// A result too large to build (CPython runs out of memory or refuses it).
fn memory_error() -> Exception {
    Exception::new(ExcKind::MemoryError, "")
}

/// `a op b` for two ints at least one of which is big, or whose small result overflowed.
/// (The caller has checked both are ints or bools.)
#[cfg_attr(minipy_aotrt, inline(always))]
pub fn binary(x: &BigInt, op: BinOp, y: &BigInt) -> Result<Int, Exception> {
    Ok(Int::from(match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::FloorDiv => {
            if y.is_zero() {
                return Err(Exception::zero_division());
            }
            x.div_floor(y)
        }
        BinOp::Mod => {
            if y.is_zero() {
                return Err(Exception::zero_modulo());
            }
            x.mod_floor(y)
        }
        BinOp::Pow => {
            if y.is_negative() {
                return Err(Exception::negative_exponent());
            }
            if y.is_zero() {
                return Ok(Int::Small(1));
            }
            if x.is_zero() || x.is_one() {
                return Ok(Int::from(x.clone()));
            }
            if *x == BigInt::from(-1) {
                return Ok(Int::Small(if y.is_even() { 1 } else { -1 }));
            }
            // Past this the result would not fit in memory.
            let e = y.to_u32().ok_or_else(memory_error)?;
            if x.bits().saturating_mul(u64::from(e)) > 1 << 36 {
                return Err(memory_error());
            }
            Pow::pow(x, e)
        }
        BinOp::LShift => {
            if y.is_negative() {
                return Err(Exception::negative_shift());
            }
            if x.is_zero() {
                return Ok(Int::Small(0));
            }
            let n = y
                .to_u64()
                .filter(|&n| n < 1 << 36)
                .ok_or_else(too_many_digits)?;
            x << n
        }
        BinOp::RShift => {
            if y.is_negative() {
                return Err(Exception::negative_shift());
            }
            match y.to_u64() {
                Some(n) => x >> n,
                // Shifted out entirely: the sign is what is left.
                None => BigInt::from(if x.is_negative() { -1 } else { 0 }),
            }
        }
        BinOp::BitAnd => x & y,
        BinOp::BitOr => x | y,
        BinOp::BitXor => x ^ y,
    }))
}

/// `-x`, `+x`, `~x`, `abs(x)` of a big int.
pub fn unary(x: &BigInt, which: Unary) -> Int {
    Int::from(match which {
        Unary::Neg => -x,
        Unary::Pos => x.clone(),
        Unary::Invert => -x - 1,
        Unary::Abs => x.abs(),
    })
}

#[derive(Clone, Copy)]
pub enum Unary {
    Neg,
    Pos,
    Invert,
    Abs,
}

/// `x op y` for two ints, at least one big.
pub fn compare(x: &BigInt, op: CmpOp, y: &BigInt) -> bool {
    match op {
        CmpOp::Lt => x < y,
        CmpOp::Le => x <= y,
        CmpOp::Gt => x > y,
        CmpOp::Ge => x >= y,
        CmpOp::Eq => x == y,
        CmpOp::Ne => x != y,
    }
}

/// The decimal text of `x`, or CPython's ValueError past its 4,300-digit limit.
pub fn to_decimal(x: &BigInt) -> Result<String, Exception> {
    // A cheap bound first, as CPython does: no number of this many bits has 4,300 digits
    // or fewer, so none is converted in vain.
    if x.bits() as f64 * core::f64::consts::LOG10_2 > MAX_STR_DIGITS as f64 + 1.0 {
        return Err(str_limit());
    }
    let s = decimal_digits(x);
    if s.trim_start_matches('-').len() > MAX_STR_DIGITS {
        return Err(str_limit());
    }
    Ok(s)
}

/// The decimal text of `x` by schoolbook division by 10^19 (quadratic, which at the at
/// most 4,300 digits CPython converts is a few dozen microseconds, and a few hundred
/// bytes of code where num-bigint's conversion brings its whole division and
/// multiplication: what an AOT executable that prints a big int links).
fn decimal_digits(x: &BigInt) -> String {
    const CHUNK: u64 = 10_000_000_000_000_000_000;
    let mut limbs = x.magnitude().to_u64_digits();
    let mut chunks: Vec<u64> = Vec::new();
    while !limbs.is_empty() {
        let mut rem: u64 = 0;
        for d in limbs.iter_mut().rev() {
            let cur = (u128::from(rem) << 64) | u128::from(*d);
            *d = (cur / u128::from(CHUNK)) as u64;
            rem = (cur % u128::from(CHUNK)) as u64;
        }
        chunks.push(rem);
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
    }
    let mut out = Vec::with_capacity(19 * chunks.len() + 1);
    if x.is_negative() {
        out.push(b'-');
    }
    for (i, &c) in chunks.iter().rev().enumerate() {
        let mut digits = [b'0'; 19];
        let mut c = c;
        let mut n = 0;
        while c > 0 {
            n += 1;
            digits[19 - n] = b'0' + (c % 10) as u8;
            c /= 10;
        }
        // The first chunk without leading zeros (0 itself: one digit), the rest as 19.
        let from = if i == 0 { 19 - n.max(1) } else { 0 };
        out.extend_from_slice(&digits[from..]);
    }
    if chunks.is_empty() {
        out.push(b'0');
    }
    String::from_utf8(out).unwrap_or_default()
}

fn str_limit() -> Exception {
    Exception::new(
        ExcKind::ValueError,
        format!(
            "Exceeds the limit ({MAX_STR_DIGITS} digits) for integer string conversion; \
             use sys.set_int_max_str_digits() to increase the limit"
        ),
    )
}

/// The int of decimal `digits` (ASCII digits only, at most [`MAX_STR_DIGITS`]), negated
/// when `neg`.
pub fn from_decimal(digits: &[u8], neg: bool) -> Int {
    let v = BigInt::parse_bytes(digits, 10).unwrap_or_default();
    Int::from(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schoolbook conversion agrees with num-bigint's at zero, at every power of ten
    /// and its neighbours up to 10^400 (chunk edges included), for both signs, and on
    /// products of a seeded generator's values.
    #[test]
    fn decimal_digits_agree_with_num_bigint() {
        let mut values = alloc::vec![
            BigInt::from(0),
            BigInt::from(i64::MIN),
            BigInt::from(u64::MAX)
        ];
        let mut p = BigInt::from(1);
        for _ in 0..400 {
            for d in [-1, 0, 1] {
                values.push(&p + d);
            }
            p *= 10;
        }
        let mut rng = rt::rand::XorShift64(0x5eed);
        let mut x = BigInt::from(1);
        for _ in 0..200 {
            x = x * BigInt::from(rng.next_u64()) + BigInt::from(rng.next_u64() >> 7);
            values.push(x.clone());
        }
        for v in values {
            for v in [v.clone(), -v] {
                assert_eq!(decimal_digits(&v), v.to_str_radix(10));
            }
        }
    }
}
