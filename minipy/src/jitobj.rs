//! Lists in JIT-compiled code: the routines compiled code calls to make, read, write and
//! iterate lists on the interpreter's heap.
//!
//! Compiled code holds a list as its handle (an i64) and an element as its payload (an
//! int, a bool as 0/1, a list as its handle); the analysis speculates on what kind each
//! read finds ([`crate::analysis::Elem`]), and a routine that finds another kind — or an
//! index out of range, or anything else that would raise — returns [`DEOPT`], so the call
//! runs again in the interpreter, which raises or goes on with the values as they are.
//!
//! Nothing here collects garbage: while compiled code runs, its handles live in machine
//! registers the collector cannot see, so objects made here only count towards the next
//! collection, which the interpreter runs once it has the results back.
//!
//! Each routine takes the [`Ctx`] of the interpreter running the code first: a box whose
//! address is compiled into the code as a constant and which points to the heap while
//! compiled code runs.

use crate::analysis::want::{DONE, WANT_BOOL, WANT_INT, WANT_LIST};
use crate::heap::{Heap, Iter, Obj};
use crate::lower::DEOPT;
use crate::objects::MAX_REPEAT;
use crate::value::Value;
use alloc::vec::Vec;

/// Where compiled code finds the heap: set by the interpreter before every entry into
/// compiled code that may use lists.
pub struct Ctx {
    pub heap: *mut Heap,
}

impl Ctx {
    /// # Safety
    /// `ctx` must be a live `Ctx` whose heap pointer is valid and not otherwise borrowed
    /// (the interpreter sets it just before it calls compiled code, and does not touch its
    /// heap until that returns).
    unsafe fn heap<'a>(ctx: i64) -> &'a mut Heap {
        // SAFETY: forwarded to the caller.
        unsafe { &mut *(*(ctx as *const Ctx)).heap }
    }
}

/// The payload of `v` if it is of kind `want`.
fn payload(v: Value, want: i64) -> i64 {
    let p = match (v, want) {
        (Value::Int(i), WANT_INT) => i,
        (Value::Bool(b), WANT_BOOL) => b as i64,
        (Value::List(h), WANT_LIST) => h as i64,
        _ => return DEOPT,
    };
    if p == DONE { DEOPT } else { p }
}

/// The value of kind `kind` with payload `p`.
fn value(kind: i64, p: i64) -> Value {
    match kind {
        WANT_BOOL => Value::Bool(p != 0),
        WANT_LIST => Value::List(p as u32),
        _ => Value::Int(p),
    }
}

/// The list `h` names (compiled code only holds handles of lists).
fn list(heap: &mut Heap, h: i64) -> Option<&mut Vec<Value>> {
    match heap.get_mut(u32::try_from(h).ok()?) {
        Obj::List(x) => Some(x),
        _ => None,
    }
}

/// Python's index `i` into a sequence of `len` items, if there is such an item.
fn index(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 { i.checked_add(len as i64)? } else { i };
    usize::try_from(i).ok().filter(|&i| i < len)
}

/// `[]`: a new empty list.
pub extern "C" fn list_new(ctx: i64) -> i64 {
    // SAFETY: compiled code passes the Ctx compiled into it (see `Ctx::heap`).
    let heap = unsafe { Ctx::heap(ctx) };
    heap.alloc(Obj::List(Vec::new())) as i64
}

/// `list.append(x)` of a value of kind `kind` (payload `p`).
pub extern "C" fn list_push(ctx: i64, h: i64, kind: i64, p: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    match list(heap, h) {
        Some(x) => {
            x.push(value(kind, p));
            0
        }
        None => DEOPT,
    }
}

/// `x * n`: a new list of `x`'s items `n` times over.
pub extern "C" fn list_repeat(ctx: i64, h: i64, n: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = list(heap, h) else { return DEOPT };
    let n = usize::try_from(n).unwrap_or(0);
    // Longer: the interpreter raises MemoryError.
    if x.len().checked_mul(n).is_none_or(|l| l > MAX_REPEAT) {
        return DEOPT;
    }
    let out = x.repeat(n);
    heap.alloc(Obj::List(out)) as i64
}

/// `x[i]`, which must be of kind `want`.
pub extern "C" fn list_item(ctx: i64, h: i64, i: i64, want: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = list(heap, h) else { return DEOPT };
    match index(i, x.len()) {
        Some(i) => payload(x[i], want),
        None => DEOPT,
    }
}

/// `x[i] = v` of a value of kind `kind` (payload `p`): 0, or DEOPT when there is no item `i`.
pub extern "C" fn list_store(ctx: i64, h: i64, i: i64, kind: i64, p: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = list(heap, h) else { return DEOPT };
    match index(i, x.len()) {
        Some(i) => {
            x[i] = value(kind, p);
            0
        }
        None => DEOPT,
    }
}

/// `iter(x)` of a list.
pub extern "C" fn list_iter(ctx: i64, h: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    heap.alloc(Obj::Iter(Iter::Seq {
        seq: Value::List(h as u32),
        pos: 0,
    })) as i64
}

/// The next item of list iterator `it`, which must be of kind `want`; [`DONE`] at the end.
pub extern "C" fn list_next(ctx: i64, it: i64, want: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    match heap.next_item(it as u32) {
        Some(Some(v)) => payload(v, want),
        Some(None) => DONE,
        None => DEOPT,
    }
}

/// `len(x)` of a list.
pub extern "C" fn list_len(ctx: i64, h: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    list(heap, h).map_or(DEOPT, |x| x.len() as i64)
}
