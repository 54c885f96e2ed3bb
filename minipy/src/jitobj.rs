//! Lists in JIT-compiled code: the routines compiled code calls to make, read, write and
//! iterate lists on the interpreter's heap.
//!
//! Compiled code holds a list as its handle (an i64) and an element as its payload (an
//! int, a bool as 0/1, a list as its handle); the analysis speculates on what kind each
//! read finds ([`crate::analysis::Elem`]), and a routine that finds another kind — or an
//! index out of range, or anything else that would raise — returns [`DEOPT`] having changed
//! nothing, so the interpreter can run the instruction (or the call) again, and raise or go
//! on with the values as they are.
//!
//! Nothing here collects garbage: while compiled code runs, its handles live in machine
//! registers the collector cannot see, so objects made here only count towards the next
//! collection, which the interpreter runs once it has the results back.
//!
//! Each routine takes the [`Ctx`] of the interpreter running the code first: a box whose
//! address is compiled into the code as a constant and which points to the heap while
//! compiled code runs.

use crate::analysis::abi::{DEOPT, DONE, WANT_BOOL, WANT_INT, WANT_LIST};
use crate::heap::{Flags, Heap, Ints, Iter, Obj, Range, Seq};
use crate::objects::MAX_REPEAT;
use crate::value::Value;
use alloc::vec::Vec;

/// Where compiled code finds the heap: set by the interpreter before every entry into
/// compiled code that may use lists. (`repr(C)`: compiled code loads `heap` from offset 0.)
#[repr(C)]
pub struct Ctx {
    pub heap: *mut Heap,
    /// Where compiled code that cannot be run again writes its frames when it stops, and
    /// how many words it has written ([`crate::deopt`]: offsets `CTX_BUF`, `CTX_LEN`).
    pub deopt: *mut i64,
    pub deopt_len: i64,
}

/// Where compiled code finds a list's items, as this build of minipy lays out its types
/// (Rust fixes none of these, so they are measured once, on sample values): compiled code
/// reads items in place, through [`jit::ir::Inst::Load`], and writes them the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// In a [`Heap`]: where the pointer to its table of objects is.
    pub table: i32,
    /// Bytes per object in that table.
    pub obj_size: i64,
    /// In an object that is a list: where the pointer to its items and their count are.
    pub items: i32,
    pub len: i32,
    /// In an object that is a list of bools kept a byte each ([`Obj::Bools`]): where the
    /// pointer to its bytes and their count are.
    pub bytes: i32,
    pub bytes_len: i32,
    /// In an object that is a list of ints kept a machine int each ([`Obj::Ints`]): where
    /// the pointer to its ints and their count are.
    pub ints: i32,
    pub ints_len: i32,
    /// The byte of an object that tells the three kinds of list apart (of Rust's
    /// discriminant, wherever it put it), and its value in each.
    pub kind: i32,
    pub kind_values: i64,
    pub kind_bytes: i64,
    pub kind_ints: i64,
    /// A value is a tag word then a payload word (`Value` is `repr(u64)`); the tags of
    /// ints, bools and lists.
    pub tag_int: i64,
    pub tag_bool: i64,
    pub tag_list: i64,
}

/// Bytes per value, and where its payload is.
pub const VALUE_SIZE: i64 = 16;
pub const PAYLOAD: i32 = 8;

impl Layout {
    /// The layout of this build, if it is one compiled code can use (else lists go through
    /// the routines).
    pub fn probe() -> Option<Layout> {
        let word = core::mem::size_of::<usize>();
        let addr = |p: *const u8| p as usize;
        // Where in an object its vector's pointer and length are: the words of a sample
        // that hold them.
        fn fields<T>(obj: &Obj, v: &Vec<T>) -> Option<(i32, i32)> {
            let word = core::mem::size_of::<usize>();
            let at = v as *const Vec<T> as usize;
            let in_obj = (at - obj as *const Obj as usize) as i32;
            let words = core::mem::size_of::<Vec<T>>() / word;
            // SAFETY: reads the initialized words of a live Vec (pointer, length, capacity
            // are plain integers).
            let read = |i: usize| unsafe { ((at + i * word) as *const usize).read() };
            let ptr = (0..words).find(|&i| read(i) == v.as_ptr() as usize)?;
            let len = (0..words).find(|&i| read(i) == v.len() && i != ptr)?;
            Some((in_obj + (ptr * word) as i32, in_obj + (len * word) as i32))
        }
        let mut items = Vec::with_capacity(7);
        items.extend([Value::Int(1), Value::Int(2), Value::Int(3)]);
        let obj = Obj::List(items);
        let Obj::List(inner) = &obj else { return None };
        let (ptr, len) = fields(&obj, inner)?;
        let mut bytes = Vec::with_capacity(11);
        bytes.extend([true, false]);
        let bools = Obj::Bools(Flags::new(bytes));
        let Obj::Bools(Flags { items: inner, .. }) = &bools else {
            return None;
        };
        let (bytes, bytes_len) = fields(&bools, inner)?;
        let mut ints = Vec::with_capacity(5);
        ints.extend([4i64, 5, 6]);
        let packed = Obj::Ints(Ints::new(ints));
        let Obj::Ints(Ints { items: inner, .. }) = &packed else {
            return None;
        };
        let (ints, ints_len) = fields(&packed, inner)?;
        // The kind word: one that holds the same in every list of values, another same in
        // every list of bytes and a third in every list of ints, whatever their lengths
        // and capacities.
        let samples = |make: &dyn Fn(usize) -> Obj| -> Vec<Obj> { (0..4).map(make).collect() };
        let values = samples(&|n| Obj::List(alloc::vec![Value::Int(2); n * 5]));
        let flags = samples(&|n| Obj::Bools(Flags::new(alloc::vec![true; n * 3 + (n & 1) * 17])));
        let machine = samples(&|n| Obj::Ints(Ints::new(alloc::vec![9; n * 7 + (n & 2) * 5])));
        let kinds = [&values, &flags, &machine];
        // SAFETY: words inside live objects. One that is padding in a sample may hold
        // anything, which is why the kind word must agree across samples of several
        // lengths and capacities (and the tests of compiled lists check the rest).
        let word_at = |o: &Obj, i: usize| unsafe { (o as *const Obj as *const u64).add(i).read() };
        let distinct = |a: u64, b: u64, c: u64| a != b && b != c && a != c;
        let kind = (0..core::mem::size_of::<Obj>() / word).find(|&i| {
            let off = (i * word) as i32;
            ![ptr, len, bytes, bytes_len, ints, ints_len].contains(&off)
                && kinds
                    .iter()
                    .all(|k| k.iter().all(|o| word_at(o, i) == word_at(&k[0], i)))
                && distinct(
                    word_at(&values[0], i),
                    word_at(&flags[0], i),
                    word_at(&machine[0], i),
                )
        })?;
        // One byte of that word that differs in all three (compiled code compares a
        // byte: no 64-bit constant to load).
        let byte_of = |o: &Obj, b: usize| (word_at(o, kind) >> (8 * b)) as u8;
        let byte = (0..word).find(|&b| {
            let [v, f, m] = kinds.map(|k| byte_of(&k[0], b) as u64);
            distinct(v, f, m)
        })?;
        // Where a list of values keeps its length, a packed list holds 0 (`Packed`'s
        // leading zeros): code that reads items as values without asking the kind finds
        // none there, and deoptimizes.
        let len_word = len as usize / word;
        if !(len as usize).is_multiple_of(word)
            || flags
                .iter()
                .chain(machine.iter())
                .any(|o| word_at(o, len_word) != 0)
        {
            return None;
        }
        // The table's vector inside a heap.
        let mut heap = Heap::default();
        heap.alloc(Obj::List(Vec::new()));
        let table = heap.table();
        let in_heap = addr((table as *const Vec<Obj>).cast()) - addr((&heap as *const Heap).cast());
        let at = addr((table as *const Vec<Obj>).cast());
        let words = core::mem::size_of::<Vec<Obj>>() / word;
        // SAFETY: as above, the words of a live Vec.
        let read = |i: usize| unsafe { ((at + i * word) as *const usize).read() };
        let table_ptr = (0..words).find(|&i| read(i) == addr(table.as_ptr().cast()))?;
        // Tags, and the payloads at PAYLOAD.
        let tag = |v: &Value| {
            // SAFETY: a repr(u64) enum starts with its tag, a fully initialized u64.
            unsafe { (v as *const Value as *const u64).read() as i64 }
        };
        let (i, b, l) = (Value::Int(5), Value::Bool(true), Value::List(9));
        let payload_at = |v: &Value, p: *const u8| addr(p) - addr((v as *const Value).cast());
        let payloads_ok = match (&i, &b, &l) {
            (Value::Int(x), Value::Bool(y), Value::List(z)) => {
                payload_at(&i, (x as *const i64).cast()) == PAYLOAD as usize
                    && payload_at(&b, (y as *const bool).cast()) == PAYLOAD as usize
                    && payload_at(&l, (z as *const u32).cast()) == PAYLOAD as usize
            }
            _ => false,
        };
        (payloads_ok && core::mem::size_of::<Value>() == VALUE_SIZE as usize).then(|| Layout {
            table: (in_heap + table_ptr * word) as i32,
            obj_size: core::mem::size_of::<Obj>() as i64,
            items: ptr,
            len,
            bytes,
            bytes_len,
            ints,
            ints_len,
            kind: (kind * word + byte) as i32,
            kind_values: byte_of(&values[0], byte) as i64,
            kind_bytes: byte_of(&flags[0], byte) as i64,
            kind_ints: byte_of(&machine[0], byte) as i64,
            tag_int: tag(&i),
            tag_bool: tag(&b),
            tag_list: tag(&l),
        })
    }

    /// The tag of kind `want` ([`crate::analysis::abi`]).
    pub fn tag(&self, want: i64) -> i64 {
        match want {
            WANT_BOOL => self.tag_bool,
            WANT_LIST => self.tag_list,
            _ => self.tag_int,
        }
    }
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

/// The items of the list `h` names (compiled code only holds handles of lists).
#[inline]
fn items(heap: &Heap, h: i64) -> Option<Seq<'_>> {
    heap.items(Value::List(u32::try_from(h).ok()?))
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
    match items(heap, h) {
        Some(_) => {
            heap.push(Value::List(h as u32), value(kind, p));
            0
        }
        None => DEOPT,
    }
}

/// `x * n`: a new list of `x`'s items `n` times over.
pub extern "C" fn list_repeat(ctx: i64, h: i64, n: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    let n = usize::try_from(n).unwrap_or(0);
    // Longer: the interpreter raises MemoryError.
    if x.len().checked_mul(n).is_none_or(|l| l > MAX_REPEAT) {
        return DEOPT;
    }
    heap.repeat_list(Value::List(h as u32), n)
        .map_or(DEOPT, i64::from)
}

/// `x[i]`, which must be of kind `want`.
pub extern "C" fn list_item(ctx: i64, h: i64, i: i64, want: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    match index(i, x.len()) {
        Some(i) => payload(x.at(i), want),
        None => DEOPT,
    }
}

/// `x[i] = v` of a value of kind `kind` (payload `p`): 0, or DEOPT when there is no item `i`.
pub extern "C" fn list_store(ctx: i64, h: i64, i: i64, kind: i64, p: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    match index(i, x.len()) {
        Some(i) if heap.set_item(h as u32, i as i64, value(kind, p)) => 0,
        _ => DEOPT,
    }
}

/// `x.pop()`, which must give a value of kind `want`: DEOPT, with nothing popped, when
/// the list is empty or its last item is of another kind.
pub extern "C" fn list_pop(ctx: i64, h: i64, want: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    let Some(last) = x.len().checked_sub(1).map(|i| x.at(i)) else {
        return DEOPT;
    };
    let p = payload(last, want);
    if p != DEOPT {
        // As the interpreter pops (a list of bools becomes one of values).
        let list = Value::List(h as u32);
        match heap.ints_mut(list) {
            Some(ints) => {
                ints.pop();
            }
            None => {
                heap.list_mut(list).and_then(Vec::pop);
            }
        }
    }
    p
}

/// `x.pop(i)`, which must give a value of kind `want`: DEOPT, with nothing popped, when
/// there is no item `i` (Python's index) or it is of another kind.
pub extern "C" fn list_pop_at(ctx: i64, h: i64, i: i64, want: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    let Some(k) = index(i, x.len()) else {
        return DEOPT;
    };
    let p = payload(x.at(k), want);
    if p != DEOPT {
        // As the interpreter pops (a list of bools becomes one of values).
        let list = Value::List(h as u32);
        match heap.ints_mut(list) {
            Some(ints) => {
                ints.remove(k);
            }
            None => {
                if let Some(l) = heap.list_mut(list) {
                    l.remove(k);
                }
            }
        }
    }
    p
}

/// `x.insert(i, v)` of a value of kind `kind` (payload `p`): before Python's index `i`,
/// clamped to the list as `insert` clamps it.
pub extern "C" fn list_insert(ctx: i64, h: i64, i: i64, kind: i64, p: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    let len = x.len() as i64;
    let k = if i < 0 { (i + len).max(0) } else { i.min(len) } as usize;
    let (list, v) = (Value::List(h as u32), value(kind, p));
    match (heap.ints_mut(list), v) {
        (Some(ints), Value::Int(n)) => ints.insert(k, n),
        _ => {
            if let Some(l) = heap.list_mut(list) {
                l.insert(k, v);
            }
        }
    }
    0
}

/// `list(x)` of a list: a new list of the same items (kept as the interpreter keeps them).
pub extern "C" fn list_copy(ctx: i64, h: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    let v = x.to_vec();
    heap.new_list(v) as i64
}

/// `x[lo:hi:step]` of a list: a new list of its kind (`given`: bit 0 lo, bit 1 hi, bit 2
/// step; the others are None). DEOPT for a zero step (the interpreter raises).
pub extern "C" fn list_slice(ctx: i64, h: i64, lo: i64, hi: i64, step: i64, given: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    let opt = |bit: i64, v: i64| (given & bit != 0).then_some(v);
    let step = opt(4, step).unwrap_or(1);
    if step == 0 {
        return DEOPT;
    }
    let sl = crate::objects::Slice::resolve(x.len(), opt(1, lo), opt(2, hi), step);
    let out: Vec<Value> = sl.positions().map(|k| x.at(k)).collect();
    heap.new_list(out) as i64
}

/// The items of a list sorted as the interpreter sorts them when they are all ints or all
/// bools (equal items are alike, so no order among them can show: the backend's small
/// sort, not another copy of core's); None for any other mix (which the interpreter
/// compares, raising where CPython does).
fn sorted_numbers(items: &mut [Value]) -> Option<()> {
    if items.iter().all(|v| matches!(v, Value::Int(_))) {
        jit::sort::sort_by_key(items, |v| v.as_int());
    } else if items.iter().all(|v| matches!(v, Value::Bool(_))) {
        jit::sort::sort_by_key(items, |v| matches!(v, Value::Bool(true)));
    } else {
        return None;
    }
    Some(())
}

/// `xs.sort()` (`reverse`: its `reverse=`, not 0 for True) in place, as the interpreter's
/// `list.sort` does it: a list of machine ints where it is; else its values (a list of
/// bools unpacked to values first, as there), which must all be ints or all bools — DEOPT
/// for any other mix.
pub extern "C" fn list_sort(ctx: i64, h: i64, reverse: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let v = Value::List(h as u32);
    if let Some(ints) = heap.ints_mut(v) {
        jit::sort::sort(ints);
        if reverse != 0 {
            ints.reverse();
        }
        return 0;
    }
    let Some(items) = heap.list_mut(v) else {
        return DEOPT;
    };
    // (Reversed, sorted stably, reversed: equal items keep their order, as CPython's
    // reverse sort keeps it.)
    if reverse != 0 {
        items.reverse();
    }
    if sorted_numbers(items).is_none() {
        if reverse != 0 {
            items.reverse();
        }
        return DEOPT;
    }
    if reverse != 0 {
        items.reverse();
    }
    0
}

/// `xs.reverse()` in place, as the interpreter's `list.reverse`.
pub extern "C" fn list_reverse(ctx: i64, h: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let v = Value::List(h as u32);
    match heap.ints_mut(v) {
        Some(ints) => ints.reverse(),
        None => match heap.list_mut(v) {
            Some(items) => items.reverse(),
            None => return DEOPT,
        },
    }
    0
}

/// `sorted(xs)` of a list: a new list, its items sorted ([`list_sort`]'s kinds; DEOPT for
/// others).
pub extern "C" fn list_sorted(ctx: i64, h: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    let mut out = x.to_vec();
    if sorted_numbers(&mut out).is_none() {
        return DEOPT;
    }
    heap.new_list(out) as i64
}

/// The number an item is, if it is an int or a bool (a bool counts as 0 or 1, as Python
/// adds and compares it).
fn number(v: Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(i),
        Value::Bool(b) => Some(b as i64),
        _ => None,
    }
}

/// `sum(x)` of a list of ints and bools: DEOPT past 64 bits or for any other item (the
/// interpreter adds those).
pub extern "C" fn list_sum(ctx: i64, h: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    let mut t: i64 = 0;
    for i in 0..x.len() {
        match number(x.at(i)).and_then(|n| t.checked_add(n)) {
            Some(s) => t = s,
            None => return DEOPT,
        }
    }
    if t == DEOPT { DEOPT } else { t }
}

/// `max(x)` (`is_max` 1) or `min(x)` of a list whose items are all of kind `want` (ints or
/// bools): the first of the greatest (least), as Python picks it; DEOPT for an empty list
/// (the interpreter raises) or an item of another kind.
pub extern "C" fn list_min_max(ctx: i64, h: i64, want: i64, is_max: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let Some(x) = items(heap, h) else {
        return DEOPT;
    };
    let mut best: Option<i64> = None;
    for i in 0..x.len() {
        let p = payload(x.at(i), want);
        if p == DEOPT {
            return DEOPT;
        }
        let better = best.is_none_or(|b| if is_max != 0 { p > b } else { p < b });
        if better {
            best = Some(p);
        }
    }
    best.unwrap_or(DEOPT)
}

/// `n in x` of a number `n` (an int, or a bool as 0/1) and a list: 1 if an item equals it
/// (an int or a bool of that value: nothing else equals a number), else 0.
pub extern "C" fn list_contains(ctx: i64, h: i64, n: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    let found = match items(heap, h) {
        Some(Seq::Ints(x)) => x.contains(&n),
        Some(Seq::Bools(x)) => x.iter().any(|&b| b as i64 == n),
        Some(Seq::Values(x)) => x.iter().any(|&v| number(v) == Some(n)),
        None => return DEOPT,
    };
    found as i64
}

/// A new iterator over `seq` (a list or a range).
fn iter_of(ctx: i64, seq: Value) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    heap.alloc(Obj::Iter(Iter::Seq { seq, pos: 0 })) as i64
}

/// `iter(x)` of a list.
pub extern "C" fn list_iter(ctx: i64, h: i64) -> i64 {
    iter_of(ctx, Value::List(h as u32))
}

/// The next item of iterator `it` over a list or a range, which must be of kind `want`;
/// [`DONE`] at the end.
pub extern "C" fn list_next(ctx: i64, it: i64, want: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    match heap.next_item(it as u32) {
        Some(Some(v)) => {
            let p = payload(v, want);
            if p == DEOPT {
                // The interpreter takes the item from here (it may go on where this
                // stopped, not run the call again).
                heap.step_back(it as u32);
            }
            p
        }
        Some(None) => DONE,
        None => DEOPT,
    }
}

/// `len(x)` of a list.
pub extern "C" fn list_len(ctx: i64, h: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    items(heap, h).map_or(DEOPT, |x| x.len() as i64)
}

/// `range(start, stop, step)`: a new range (DEOPT for a zero step: the interpreter raises).
pub extern "C" fn range_new(ctx: i64, start: i64, stop: i64, step: i64) -> i64 {
    if step == 0 {
        return DEOPT;
    }
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    heap.alloc(Obj::Range(Range { start, stop, step })) as i64
}

/// `iter(r)` of a range.
pub extern "C" fn range_iter(ctx: i64, h: i64) -> i64 {
    iter_of(ctx, Value::Range(h as u32))
}

/// A copy of range iterator `h`, for a call that may run again from its start: it advances
/// the copy, and `h` stays where the call began.
pub extern "C" fn range_iter_copy(ctx: i64, h: i64) -> i64 {
    // SAFETY: as in `list_new`.
    let heap = unsafe { Ctx::heap(ctx) };
    heap.copy_range_iter(h as u32).map_or(DEOPT, i64::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// This build's layout is one compiled code can use, and it finds a list's items.
    #[test]
    fn the_layout_probe_finds_a_lists_items() {
        let l = Layout::probe().expect("a usable layout");
        let mut heap = Heap::default();
        let h = heap.alloc(Obj::List(alloc::vec![Value::Int(7), Value::Bool(true)]));
        let at = |base: usize, off: i32| (base as isize + off as isize) as usize;
        // SAFETY: the offsets the probe found, read from live values of the same types.
        unsafe {
            let table = *(at(&heap as *const Heap as usize, l.table) as *const usize);
            let obj = table + h as usize * l.obj_size as usize;
            let items = *(at(obj, l.items) as *const usize);
            assert_eq!(*(at(obj, l.len) as *const usize), 2);
            assert_eq!(*(items as *const i64), l.tag_int);
            assert_eq!(*(at(items, PAYLOAD) as *const i64), 7);
            assert_eq!(*((items + 16) as *const i64), l.tag_bool);
            assert_eq!(*(at(items + 16, PAYLOAD) as *const u8), 1);
            assert_eq!(*(at(obj, l.kind) as *const u8) as i64, l.kind_values);
        }
        // A list of bools: its kind, its bytes, and no items where values would be.
        let f = heap.alloc(Obj::Bools(Flags::new(alloc::vec![false, true, true])));
        // SAFETY: as above.
        unsafe {
            let table = *(at(&heap as *const Heap as usize, l.table) as *const usize);
            let obj = table + f as usize * l.obj_size as usize;
            assert_eq!(*(at(obj, l.kind) as *const u8) as i64, l.kind_bytes);
            assert_eq!(*(at(obj, l.len) as *const usize), 0);
            assert_eq!(*(at(obj, l.bytes_len) as *const usize), 3);
            let bytes = *(at(obj, l.bytes) as *const usize);
            assert_eq!(*((bytes + 1) as *const u8), 1);
        }
        // A list of ints: its kind, its machine ints, and no items where values would be.
        let n = heap.new_list(alloc::vec![Value::Int(-3), Value::Int(i64::MAX)]);
        // SAFETY: as above.
        unsafe {
            let table = *(at(&heap as *const Heap as usize, l.table) as *const usize);
            let obj = table + n as usize * l.obj_size as usize;
            assert_eq!(*(at(obj, l.kind) as *const u8) as i64, l.kind_ints);
            assert_eq!(*(at(obj, l.len) as *const usize), 0);
            assert_eq!(*(at(obj, l.ints_len) as *const usize), 2);
            let ints = *(at(obj, l.ints) as *const usize);
            assert_eq!(*(ints as *const i64), -3);
            assert_eq!(*((ints + 8) as *const i64), i64::MAX);
        }
        assert!(l.tag_int != l.tag_bool && l.tag_bool != l.tag_list);
        assert!(l.kind_values != l.kind_bytes && l.kind_bytes != l.kind_ints);
        assert!(l.kind_values != l.kind_ints);
    }
}
