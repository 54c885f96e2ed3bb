//! The Rust half of minipy's AOT runtime: routines that compiled programs call where the
//! machine-code half (`minipy/src/aot/runtime.rs`) would need a library — today, ints past
//! 64 bits. minipy's build script builds this as a static library and prepares it; the AOT
//! compiler links into an executable only the routines its code calls (and what they
//! reach). The arithmetic is the interpreter's own: `bigint.rs` (and the modules it names)
//! compiled here a second time, so both give CPython's results and messages.
//!
//! Values cross as (tag, payload) pairs, the tags of minipy's analysis (`analysis::tag`):
//! an int's payload is itself, a bool's 0 or 1, a big int's the address of its
//! [`BigInt`] (made here, never a value that fits in an i64). A routine that computes an
//! int returns the payload and leaves the tag for [`mp_tag`]; a failure leaves tag
//! [`ERROR`] and a payload that is the address of the exception's last traceback line
//! (`Kind: message\n`, NUL-terminated).

#![no_std]

extern crate alloc;

#[allow(dead_code)]
#[path = "../../front/src/ast.rs"]
mod ast;
#[allow(dead_code)]
#[path = "../../src/bigint.rs"]
mod bigint;
#[allow(dead_code)]
#[path = "../../front/src/error.rs"]
mod error;
#[allow(dead_code)]
#[path = "../../front/src/suggest.rs"]
mod suggest;

use alloc::boxed::Box;
use alloc::vec::Vec;
use ast::{BinOp, CmpOp};
use bigint::Int;
use core::sync::atomic::{AtomicI64, Ordering};
use error::Exception;
use num_bigint::BigInt;

rt::global_allocator!();
rt::mem_functions!();

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    let msg = b"minipy: internal error in the AOT runtime\n";
    let _ = rt::sys::write(rt::sys::Fd::STDERR, msg);
    rt::sys::raw::exit_group(70)
}

/// Tags (minipy's `analysis::tag`; a test checks they agree).
pub const INT: i64 = 0;
pub const BOOL: i64 = 1;
pub const BIG: i64 = 5;
/// The routine failed: the payload is the exception's line.
pub const ERROR: i64 = -1;

/// The tag of the last int a routine returned.
static TAG: AtomicI64 = AtomicI64::new(INT);

/// The tag of the value the last routine returned.
#[unsafe(no_mangle)]
pub extern "C" fn mp_tag() -> i64 {
    TAG.load(Ordering::Relaxed)
}

fn ret(r: Result<Int, Exception>) -> i64 {
    let (tag, payload) = match r {
        Ok(Int::Small(i)) => (INT, i),
        Ok(Int::Big(b)) => (BIG, heap::alloc(b) as i64),
        Err(e) => (ERROR, line(&e)),
    };
    TAG.store(tag, Ordering::Relaxed);
    payload
}

/// Where `_start` found the stack, and the `words` words at `cells` where the program's
/// globals live (compiled code hands them over once, first).
#[unsafe(no_mangle)]
pub extern "C" fn mp_init(stack_top: i64, cells: i64, words: i64) -> i64 {
    heap::set_roots(stack_top as usize, cells as usize, words as usize);
    0
}

/// The big ints made, and collecting those no longer reachable. Compiled code keeps its
/// values in registers and on the stack and says nothing of where (no stack maps), so the
/// collection is conservative: a big int is kept when any word on the stack — from where
/// the collection runs up to where `_start` found it —, in a callee-saved register or in a
/// global's cells holds its address. (The transfer and pending cells never hold one across
/// a call into this library: they are read back before anything else runs.)
mod heap {
    use alloc::boxed::Box;
    use alloc::vec::Vec;
    use core::cell::UnsafeCell;
    use num_bigint::BigInt;

    struct Heap {
        made: Vec<*mut BigInt>,
        /// Collect when `made` reaches this many.
        limit: usize,
        stack_top: usize,
        /// The globals' cells: their address and how many words.
        cells: (usize, usize),
    }

    struct Global(UnsafeCell<Heap>);
    // SAFETY: the compiled program is one thread.
    unsafe impl Sync for Global {}

    static HEAP: Global = Global(UnsafeCell::new(Heap {
        made: Vec::new(),
        limit: 4096,
        stack_top: 0,
        cells: (0, 0),
    }));

    fn heap() -> &'static mut Heap {
        // SAFETY: one thread, and no caller holds the reference across another call.
        unsafe { &mut *HEAP.0.get() }
    }

    pub fn set_roots(stack_top: usize, cells: usize, words: usize) {
        let h = heap();
        h.stack_top = stack_top;
        h.cells = (cells, words);
    }

    /// A new big int's address (after collecting, when due: `b` is not yet among the
    /// made, so it survives).
    pub fn alloc(b: BigInt) -> *mut BigInt {
        let h = heap();
        if h.made.len() >= h.limit && h.stack_top != 0 {
            collect(h);
            h.limit = (2 * h.made.len()).max(4096);
        }
        let p = Box::into_raw(Box::new(b));
        h.made.push(p);
        p
    }

    #[inline(never)]
    fn collect(h: &mut Heap) {
        // The callee-saved registers (compiled code's values that live across calls) go
        // onto the stack with everything else.
        let mut regs = [0usize; 6];
        // SAFETY: stores six registers into a local array.
        unsafe {
            core::arch::asm!(
                "mov [{a}], rbx", "mov [{a} + 8], rbp", "mov [{a} + 16], r12",
                "mov [{a} + 24], r13", "mov [{a} + 32], r14", "mov [{a} + 40], r15",
                a = in(reg) regs.as_mut_ptr(),
            );
        }
        let here = regs.as_ptr() as usize;
        let mut roots: Vec<usize> = regs.to_vec();
        let mut at = here & !7;
        while at < h.stack_top {
            // SAFETY: every word between this frame and the stack's start is mapped.
            roots.push(unsafe { core::ptr::read_volatile(at as *const usize) });
            at += 8;
        }
        let (cells, words) = h.cells;
        for i in 0..words {
            // SAFETY: the globals' cells, which mp_init was given.
            roots.push(unsafe { core::ptr::read_volatile((cells + 8 * i) as *const usize) });
        }
        roots.sort_unstable();
        h.made.retain(|&p| {
            let live = roots.binary_search(&(p as usize)).is_ok();
            if !live {
                // SAFETY: made here, and no word anywhere refers to it any more.
                drop(unsafe { Box::from_raw(p) });
            }
            live
        });
        core::hint::black_box(&regs);
    }
}

/// The exception's last traceback line, NUL-terminated, on the heap (the program ends).
fn line(e: &Exception) -> i64 {
    let mut text: Vec<u8> = e.line().into_bytes();
    text.extend(b"\n\0");
    Box::leak(text.into_boxed_slice()).as_ptr() as i64
}

/// The int a (tag, payload) pair stands for: a big one where it is, a small one made here.
enum Operand {
    Big(*const BigInt),
    Small(BigInt),
}

impl core::ops::Deref for Operand {
    type Target = BigInt;
    fn deref(&self) -> &BigInt {
        match self {
            // SAFETY: a BIG payload is the address of a BigInt this library made and never
            // frees.
            Operand::Big(p) => unsafe { &**p },
            Operand::Small(b) => b,
        }
    }
}

fn int(tag: i64, payload: i64) -> Operand {
    if tag == BIG {
        Operand::Big(payload as *const BigInt)
    } else {
        Operand::Small(BigInt::from(payload))
    }
}

/// `a op b` for ints, a routine per operator (so that a program links only the
/// arithmetic it does): `mp_add(ta, a, tb, b)` and so on.
macro_rules! binary_routines {
    ($($name:ident $op:ident,)*) => {$(
        #[unsafe(no_mangle)]
        pub extern "C" fn $name(at: i64, a: i64, bt: i64, b: i64) -> i64 {
            ret(bigint::binary(&int(at, a), BinOp::$op, &int(bt, b)))
        }
    )*};
}

binary_routines! {
    mp_add Add,
    mp_sub Sub,
    mp_mul Mul,
    mp_floordiv FloorDiv,
    mp_mod Mod,
    mp_pow Pow,
    mp_lshift LShift,
    mp_rshift RShift,
    mp_and BitAnd,
    mp_or BitOr,
    mp_xor BitXor,
}

/// `pow(a, b, m)` for ints, as CPython computes it: the result takes m's sign; a negative
/// exponent raises the inverse of a (CPython's ValueErrors: m = 0, a not invertible).
///
/// Square and multiply on [`bigint::binary`]'s `*`, `%` and `//` — the arithmetic the
/// other routines link anyway — rather than num-bigint's `modpow`/`modinv` (the
/// interpreter's), whose presence in this library made every output that links it 64 KB
/// larger, pow() or not.
#[unsafe(no_mangle)]
pub extern "C" fn mp_pow3(at: i64, a: i64, bt: i64, b: i64, mt: i64, m: i64) -> i64 {
    ret(pow3(&int(at, a), &int(bt, b), &int(mt, m)))
}

fn pow3(base: &BigInt, exp: &BigInt, m: &BigInt) -> Result<bigint::Int, Exception> {
    use num_traits::{Signed, Zero};
    let big = |r: bigint::Int| match r {
        bigint::Int::Small(i) => BigInt::from(i),
        bigint::Int::Big(b) => b,
    };
    let op = |x: &BigInt, o: BinOp, y: &BigInt| bigint::binary(x, o, y).map(big);
    if m.is_zero() {
        return Err(Exception::new(
            error::ExcKind::ValueError,
            "pow() 3rd argument cannot be 0",
        ));
    }
    let mut b = if exp.is_negative() {
        // The inverse modulo |m| (extended Euclid), not found when gcd ≠ 1.
        let n = m.abs();
        let (mut r0, mut r1) = (op(base, BinOp::Mod, &n)?, n.clone());
        let (mut s0, mut s1) = (BigInt::from(1), BigInt::from(0));
        while !r1.is_zero() {
            let q = op(&r0, BinOp::FloorDiv, &r1)?;
            let r2 = op(&r0, BinOp::Sub, &op(&q, BinOp::Mul, &r1)?)?;
            let s2 = op(&s0, BinOp::Sub, &op(&q, BinOp::Mul, &s1)?)?;
            (r0, r1, s0, s1) = (r1, r2, s1, s2);
        }
        if r0 != BigInt::from(1) {
            return Err(Exception::new(
                error::ExcKind::ValueError,
                "base is not invertible for the given modulus",
            ));
        }
        op(&s0, BinOp::Mod, m)?
    } else {
        op(base, BinOp::Mod, m)?
    };
    let (two, zero) = (BigInt::from(2), BigInt::from(0));
    let mut e = exp.abs();
    let mut r = op(&BigInt::from(1), BinOp::Mod, m)?;
    while e > zero {
        if op(&e, BinOp::Mod, &two)? != zero {
            r = op(&op(&r, BinOp::Mul, &b)?, BinOp::Mod, m)?;
        }
        e = op(&e, BinOp::FloorDiv, &two)?;
        if e > zero {
            b = op(&op(&b, BinOp::Mul, &b)?, BinOp::Mod, m)?;
        }
    }
    Ok(bigint::Int::from(r))
}

/// `a op b` for ints: 1 or 0 (op: the comparison's index in minipy's `CmpOp::ALL`).
#[unsafe(no_mangle)]
pub extern "C" fn mp_compare(op: i64, at: i64, a: i64, bt: i64, b: i64) -> i64 {
    i64::from(bigint::compare(
        &int(at, a),
        CmpOp::ALL[op as usize],
        &int(bt, b),
    ))
}

/// `-a`, `+a`, `~a`, `abs(a)` (which: 0, 1, 2, 3).
#[unsafe(no_mangle)]
pub extern "C" fn mp_unary(which: i64, at: i64, a: i64) -> i64 {
    let which = [
        bigint::Unary::Neg,
        bigint::Unary::Pos,
        bigint::Unary::Invert,
        bigint::Unary::Abs,
    ][which as usize];
    ret(Ok(bigint::unary(&int(at, a), which)))
}

/// The decimal text of an int, NUL-terminated (or, past CPython's 4,300 digits, tag
/// [`ERROR`] and the ValueError's line).
#[unsafe(no_mangle)]
pub extern "C" fn mp_decimal(at: i64, a: i64) -> i64 {
    match bigint::to_decimal(&int(at, a)) {
        Ok(s) => {
            let mut text = s.into_bytes();
            text.push(0);
            TAG.store(INT, Ordering::Relaxed);
            Box::leak(text.into_boxed_slice()).as_ptr() as i64
        }
        Err(e) => {
            TAG.store(ERROR, Ordering::Relaxed);
            line(&e)
        }
    }
}

/// The int whose decimal digits (an optional `-` first) are the NUL-terminated text at
/// `text` (an int literal of the program).
#[unsafe(no_mangle)]
pub extern "C" fn mp_parse(text: *const u8) -> i64 {
    // SAFETY: compiled code passes a NUL-terminated string of its own table.
    let bytes = unsafe { core::ffi::CStr::from_ptr(text.cast()) }.to_bytes();
    let (neg, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    ret(Ok(bigint::from_decimal(digits, neg)))
}
