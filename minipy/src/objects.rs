//! Python's rules for the heap's objects ([`crate::heap`]): lists, tuples, strings, ranges
//! and iterators — length, truth, `str` and `repr`, equality and ordering, indexing and
//! slicing (read, assign, delete), `in`, `+` and `*`, iteration, and the methods of lists
//! and strings — with CPython's results and error messages.
//!
//! [`Objects`] borrows what these need from the interpreter: the heap, the big ints (an int
//! inside a list is still an int) and the program (whose strings literals name).

use crate::ast::{BinOp, CmpOp};
use crate::bigint::{self, BigHeap};
use crate::bytecode::Program;
use crate::dict::Dict;
use crate::error::{ExcKind, Exception};
use crate::heap::{GenState, Heap, Iter, Obj, Range, Seq, ViewKind, handle};
use crate::value::{self, Value};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;
use core::fmt::Write;

/// The most items `*` makes a list or tuple of (more is a MemoryError).
pub const MAX_REPEAT: usize = 1 << 30;

pub struct Objects<'a> {
    pub heap: &'a mut Heap,
    pub bigs: &'a mut BigHeap,
    pub prog: &'a Program,
    /// Levels of recursion in use (Python frames and builtins): nesting past `limit` in
    /// all raises CPython's RecursionError.
    pub depth: usize,
    /// The recursion limit (`sys.setrecursionlimit`'s; [`crate::error::RECURSION_LIMIT`] at
    /// start).
    pub limit: usize,
}

pub use crate::value::py_repr;

/// A slice's bounds resolved against a length, as CPython's `PySlice_AdjustIndices`.
#[derive(Clone, Copy, Debug)]
pub struct Slice {
    pub start: i64,
    pub step: i64,
    pub count: usize,
}

impl Slice {
    /// `[lo:hi:step]` (None: left out) over `len` items, as CPython resolves it; `step` is
    /// not 0.
    pub fn resolve(len: usize, lo: Option<i64>, hi: Option<i64>, step: i64) -> Slice {
        let len = len as i128;
        let adjust = |b: Option<i64>, default_fwd: i128, default_back: i128| -> i128 {
            let Some(b) = b else {
                return if step < 0 { default_back } else { default_fwd };
            };
            let mut b = b as i128;
            if b < 0 {
                b += len;
                if b < 0 {
                    b = if step < 0 { -1 } else { 0 };
                }
            } else if b >= len {
                b = if step < 0 { len - 1 } else { len };
            }
            b
        };
        let start = adjust(lo, 0, len - 1);
        let stop = adjust(hi, len, -1);
        let step_w = step as i128;
        let count = if step < 0 {
            if stop < start {
                (start - stop - 1) / -step_w + 1
            } else {
                0
            }
        } else if start < stop {
            (stop - start - 1) / step_w + 1
        } else {
            0
        };
        Slice {
            start: start as i64,
            step,
            count: count as usize,
        }
    }

    /// The positions it selects, in order.
    pub fn positions(self) -> impl Iterator<Item = usize> {
        (0..self.count).map(move |k| (self.start + k as i64 * self.step) as usize)
    }
}

const HASH_SEED: u64 = 0xcbf2_9ce4_8422_2325;

fn hash_mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x0100_0000_01b3).rotate_left(29)
}

/// A string's hash for dicts (their order is insertion order, so any hash will do;
/// sets hash as CPython does, in `pyset`): eight bytes a step, the length mixed in,
/// then the high bits folded into the low ones the table indexes by.
fn str_hash(s: &[u8]) -> u64 {
    let mut h = hash_mix(HASH_SEED, s.len() as u64);
    let mut words = s.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        h = hash_mix(h, u64::from_le_bytes(b));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = hash_mix(h, u64::from_le_bytes(b));
    }
    h ^= h >> 32;
    h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^ (h >> 29)
}

fn is_num(v: Value) -> bool {
    matches!(v, Value::Int(_) | Value::Bool(_) | Value::Big(_))
}

impl Objects<'_> {
    /// The text of a string value (a literal or one made at run time).
    #[inline]
    pub fn str_of(&self, v: Value) -> Option<&str> {
        match v {
            Value::Str(id) => Some(&self.prog.strings[id as usize]),
            _ => self.heap.text(v),
        }
    }

    #[inline]
    pub fn new_str(&mut self, s: String) -> Value {
        Value::Text(self.heap.alloc(Obj::Str(s)))
    }

    pub fn new_list(&mut self, items: Vec<Value>) -> Value {
        Value::List(self.heap.new_list(items))
    }

    pub fn new_tuple(&mut self, items: Vec<Value>) -> Value {
        Value::Tuple(self.heap.alloc(Obj::Tuple(items)))
    }

    /// CPython's `type(v).__name__`.
    pub fn type_name(&self, v: Value) -> &'static str {
        match (v, handle(v).map(|h| self.heap.get(h))) {
            (Value::Iter(_), Some(Obj::Iter(Iter::Gen(g))))
                if self.prog.codes[g.code as usize].builtin_iter =>
            {
                if self.prog.codes[g.code as usize].name == "map" {
                    "map"
                } else {
                    "filter"
                }
            }
            (Value::Iter(_), Some(Obj::Iter(it))) => it.type_name(self.heap),
            (Value::View(_), Some(Obj::View(_, k))) => k.type_name(),
            _ => v.type_name(),
        }
    }

    pub fn truthy(&self, v: Value) -> bool {
        match v {
            Value::List(_)
            | Value::Tuple(_)
            | Value::Text(_)
            | Value::Range(_)
            | Value::Dict(_)
            | Value::View(_)
            | Value::Set(_) => self.len(v).is_ok_and(|n| n != 0),
            _ => v.truthy(),
        }
    }

    /// `len(v)`.
    pub fn len(&self, v: Value) -> Result<i64, Exception> {
        if let Some(s) = self.str_of(v) {
            return Ok(s.chars().count() as i64);
        }
        if let Some(x) = self.heap.items(v) {
            return Ok(x.len() as i64);
        }
        if let Some(r) = self.heap.range(v) {
            return Ok(r.len());
        }
        if let Some(d) = self.dict(v) {
            return Ok(d.len() as i64);
        }
        if let Some((d, _)) = self.view(v) {
            return Ok(self.dict(d).map_or(0, Dict::len) as i64);
        }
        if let Some(s) = self.set(v) {
            return Ok(s.len() as i64);
        }
        Err(Exception::no_len(self.type_name(v)))
    }

    /// Appends `str(v)`.
    pub fn write_str(&self, out: &mut String, v: Value) -> Result<(), Exception> {
        match v {
            Value::Text(_) => out.push_str(self.str_of(v).unwrap_or("")),
            Value::List(_)
            | Value::Tuple(_)
            | Value::Range(_)
            | Value::Iter(_)
            | Value::Dict(_)
            | Value::View(_)
            | Value::Set(_)
            | Value::Closure(_)
            | Value::Method(_) => self.write_repr(out, v, &mut Vec::new())?,
            _ => value::write_value(out, self.prog, self.bigs, v)?,
        }
        Ok(())
    }

    /// How many levels deeper than `v`'s own repr its items' reprs go, as CPython counts
    /// them against the recursion limit (each `PyObject_Repr` of an item is one): 0 for
    /// what holds nothing, 1 for a list of ints, 2 for a list of lists of ints … (a
    /// container met again inside itself is `[...]`: one more). Stops counting at `cap`.
    pub fn repr_nesting(&self, v: Value, cap: usize) -> usize {
        let mut open = Vec::new();
        self.nesting_in(v, cap, &mut open)
    }

    fn nesting_in(&self, v: Value, cap: usize, open: &mut Vec<u32>) -> usize {
        if cap == 0 {
            return 0;
        }
        let h = handle(v).unwrap_or(u32::MAX);
        let items: Vec<Value> = if let Some(x) = self.heap.items(v) {
            x.iter().collect()
        } else if let Some(d) = self.dict(v) {
            d.iter().flat_map(|e| [e.key, e.value]).collect()
        } else if let Some(s) = self.set(v) {
            s.iter().map(|(_, k)| k).collect()
        } else {
            return 0;
        };
        if items.is_empty() || open.contains(&h) {
            return 0;
        }
        open.push(h);
        let mut deepest = 0;
        for x in items {
            deepest = deepest.max(self.nesting_in(x, cap - 1, open));
            if deepest + 1 >= cap {
                break;
            }
        }
        open.pop();
        1 + deepest
    }

    /// Appends `repr(v)`; `open` holds the lists and tuples being written (one met again
    /// inside itself is `[...]`, as CPython writes it).
    pub fn write_repr(
        &self,
        out: &mut String,
        v: Value,
        open: &mut Vec<u32>,
    ) -> Result<(), Exception> {
        if let Some(s) = self.str_of(v) {
            out.push_str(&py_repr(s));
            return Ok(());
        }
        if (self.heap.items(v).is_some() || self.dict(v).is_some())
            && self.depth + open.len() + 1 > self.limit
        {
            return Err(Exception::new(
                ExcKind::RecursionError,
                "maximum recursion depth exceeded while getting the repr of an object",
            ));
        }
        if let Some(items) = self.heap.items(v) {
            let h = handle(v).unwrap_or(0);
            let list = matches!(v, Value::List(_));
            if open.contains(&h) {
                out.push_str(if list { "[...]" } else { "(...)" });
                return Ok(());
            }
            open.push(h);
            out.push(if list { '[' } else { '(' });
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                self.write_repr(out, x, open)?;
            }
            if !list && items.len() == 1 {
                out.push(',');
            }
            out.push(if list { ']' } else { ')' });
            open.pop();
            return Ok(());
        }
        if let Some(d) = self.dict(v) {
            let h = handle(v).unwrap_or(0);
            if open.contains(&h) {
                out.push_str("{...}");
                return Ok(());
            }
            open.push(h);
            out.push('{');
            for (i, e) in d.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                self.write_repr(out, e.key, open)?;
                out.push_str(": ");
                self.write_repr(out, e.value, open)?;
            }
            out.push('}');
            open.pop();
            return Ok(());
        }
        if let Some((d, kind)) = self.view(v) {
            out.push_str(kind.type_name());
            out.push_str("([");
            for (i, e) in self.dict(d).into_iter().flat_map(Dict::iter).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match kind {
                    ViewKind::Keys => self.write_repr(out, e.key, open)?,
                    ViewKind::Values => self.write_repr(out, e.value, open)?,
                    ViewKind::Items => {
                        out.push('(');
                        self.write_repr(out, e.key, open)?;
                        out.push_str(", ");
                        self.write_repr(out, e.value, open)?;
                        out.push(')');
                    }
                }
            }
            out.push_str("])");
            return Ok(());
        }
        if let Some(s) = self.set(v) {
            return self.write_set(out, s, open);
        }
        if let Some(r) = self.heap.range(v) {
            let _ = write!(out, "range({}, {}", r.start, r.stop);
            if r.step != 1 {
                let _ = write!(out, ", {}", r.step);
            }
            out.push(')');
            return Ok(());
        }
        match (v, handle(v).map(|h| self.heap.get(h))) {
            // (CPython adds the address, which nothing else can reproduce.)
            (Value::Closure(_), Some(Obj::Closure { code, .. })) => {
                let name = self.prog.codes[*code as usize].qualname();
                let _ = write!(out, "<function {name}>");
                return Ok(());
            }
            (Value::Method(h), Some(&Obj::Method(obj, name))) => {
                let name = &self.prog.strings[name as usize];
                let _ = match obj {
                    Value::Builtin(_) => write!(
                        out,
                        "<method '{name}' of '{}' objects>",
                        value::type_value_name(obj)
                    ),
                    _ => write!(
                        out,
                        "<built-in method {name} of {} object at 0x{:x}>",
                        self.type_name(obj),
                        0x1000 + h
                    ),
                };
                return Ok(());
            }
            _ => {}
        }
        if let Value::Iter(h) = v {
            // CPython prints an address; minipy the handle (no program can rely on it).
            if let Obj::Iter(Iter::Gen(g)) = self.heap.get(h)
                && !self.prog.codes[g.code as usize].builtin_iter
            {
                let code = &self.prog.codes[g.code as usize];
                let name = if code.qualname.is_empty() {
                    &code.name
                } else {
                    &code.qualname
                };
                let _ = write!(out, "<generator object {name} at 0x{:x}>", 0x1000 + h);
                return Ok(());
            }
            let _ = write!(out, "<{} object at 0x{:x}>", self.type_name(v), 0x1000 + h);
            return Ok(());
        }
        value::write_value(out, self.prog, self.bigs, v)
    }

    /// An f-string's `{v!conv:spec}` (conversion 1 `!s`, 2 `!r`).
    pub fn format(&mut self, v: Value, conv: u32, spec: &str) -> Result<Value, Exception> {
        let v = match conv {
            1 => self.to_str(v)?,
            2 => self.to_repr(v)?,
            _ => v,
        };
        if spec.is_empty() {
            return self.to_str(v);
        }
        let text = if let Some(s) = self.str_of(v) {
            crate::format::format_str(s, spec)?
        } else if let Some(n) = self.bigs.num(v) {
            crate::format::format_int(&n, spec)?
        } else {
            return Err(Exception::new(
                ExcKind::TypeError,
                format!(
                    "unsupported format string passed to {}.__format__",
                    self.type_name(v)
                ),
            ));
        };
        Ok(self.new_str(text))
    }

    /// `str(v)` as a value.
    pub fn to_str(&mut self, v: Value) -> Result<Value, Exception> {
        if matches!(v, Value::Str(_) | Value::Text(_)) {
            return Ok(v);
        }
        if let Value::Int(i) = v {
            return Ok(self.new_str(String::from(value::int_text(&mut [0; 20], i))));
        }
        let mut s = String::new();
        self.write_str(&mut s, v)?;
        Ok(self.new_str(s))
    }

    /// `repr(v)` as a value.
    pub fn to_repr(&mut self, v: Value) -> Result<Value, Exception> {
        let mut s = String::new();
        self.write_repr(&mut s, v, &mut Vec::new())?;
        Ok(self.new_str(s))
    }

    /// `a == b`. Containers nested past the recursion limit compare unequal and leave
    /// [`Heap::too_deep`] set (the interpreter raises CPython's RecursionError).
    pub fn eq(&self, a: Value, b: Value) -> bool {
        self.eq_at(a, b, 1)
    }

    fn eq_at(&self, a: Value, b: Value, level: usize) -> bool {
        if a == b && !matches!(a, Value::Big(_)) {
            return true;
        }
        if is_num(a) && is_num(b) {
            return match (a.as_int(), b.as_int()) {
                (Some(x), Some(y)) => x == y,
                _ => self.bigs.num(a) == self.bigs.num(b),
            };
        }
        if let (Some(x), Some(y)) = (self.str_of(a), self.str_of(b)) {
            return x == y;
        }
        let same_kind = core::mem::discriminant(&a) == core::mem::discriminant(&b);
        if let (Some(x), Some(y), true) = (self.heap.items(a), self.heap.items(b), same_kind) {
            if self.depth + level > self.limit {
                self.heap.too_deep.set(true);
                return false;
            }
            return x.len() == y.len() && x.iter().zip(y).all(|(p, q)| self.eq_at(p, q, level + 1));
        }
        if let (Some(x), Some(y)) = (self.dict(a), self.dict(b)) {
            if self.depth + level > self.limit {
                self.heap.too_deep.set(true);
                return false;
            }
            return x.len() == y.len()
                && x.iter().all(|e| {
                    y.get(e.hash, e.key, &|p, q| self.eq_at(p, q, level + 1))
                        .is_some_and(|v| self.eq_at(v, e.value, level + 1))
                });
        }
        if let Some(r) = self.set_compare(CmpOp::Eq, a, b) {
            return r;
        }
        if (matches!(a, Value::View(_)) || matches!(b, Value::View(_)))
            && let Some(r) = self.view_eq(a, b)
        {
            return r;
        }
        if let (Some(x), Some(y)) = (self.heap.range(a), self.heap.range(b)) {
            let (n, m) = (x.len(), y.len());
            return n == m && (n == 0 || (x.start == y.start && (n == 1 || x.step == y.step)));
        }
        false
    }

    /// `a op b` for any two values.
    pub fn compare(&self, op: CmpOp, a: Value, b: Value) -> Result<bool, Exception> {
        let r = self.compare_at(op, a, b, 1);
        if self.heap.too_deep.take() {
            return Err(Exception::recursion_calling(true));
        }
        r
    }

    fn compare_at(&self, op: CmpOp, a: Value, b: Value, level: usize) -> Result<bool, Exception> {
        if self.depth + level > self.limit {
            return Err(Exception::recursion_calling(true));
        }
        match op {
            CmpOp::Eq => return Ok(self.eq(a, b)),
            CmpOp::Ne => return Ok(!self.eq(a, b)),
            _ => {}
        }
        if is_num(a) && is_num(b) {
            return Ok(match (a.as_int(), b.as_int()) {
                (Some(x), Some(y)) => value::ordered(op, &x, &y),
                _ => match (self.bigs.num(a), self.bigs.num(b)) {
                    (Some(x), Some(y)) => bigint::compare(&x, op, &y),
                    _ => false,
                },
            });
        }
        if let (Some(x), Some(y)) = (self.str_of(a), self.str_of(b)) {
            return Ok(value::ordered(op, x, y));
        }
        let same_kind = core::mem::discriminant(&a) == core::mem::discriminant(&b);
        if let (Some(x), Some(y), true) = (self.heap.items(a), self.heap.items(b), same_kind) {
            // The first items that differ decide; else the lengths.
            for (p, q) in x.iter().zip(y) {
                if !self.eq_at(p, q, level + 1) {
                    return self.compare_at(op, p, q, level + 1);
                }
            }
            return Ok(value::ordered(op, &x.len(), &y.len()));
        }
        if let Some(r) = self.set_compare(op, a, b) {
            return Ok(r);
        }
        Err(Exception::unordered(
            op.symbol(),
            self.type_name(a),
            self.type_name(b),
        ))
    }

    /// The order of `a` and `b` for sorting (`<` both ways, as CPython's sort asks).
    pub fn order(&self, a: Value, b: Value) -> Result<Ordering, Exception> {
        if let (Value::Int(x), Value::Int(y)) = (a, b) {
            return Ok(x.cmp(&y));
        }
        if self.compare(CmpOp::Lt, a, b)? {
            Ok(Ordering::Less)
        } else if self.compare(CmpOp::Lt, b, a)? {
            Ok(Ordering::Greater)
        } else {
            Ok(Ordering::Equal)
        }
    }

    /// `item in container`.
    pub fn contains(&mut self, container: Value, item: Value) -> Result<bool, Exception> {
        if let Some(s) = self.str_of(container) {
            let Some(needle) = self.str_of(item) else {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!(
                        "'in <string>' requires string as left operand, not {}",
                        self.type_name(item)
                    ),
                ));
            };
            return Ok(s.contains(needle));
        }
        if let Some(x) = self.heap.items(container) {
            return Ok(x.iter().any(|v| self.eq(v, item)));
        }
        if let Some(d) = self.dict(container) {
            let h = self.hash(item)?;
            return Ok(d.find(h, item, &|p, q| self.eq(p, q)).is_some());
        }
        if let Some((d, kind)) = self.view(container) {
            let Some(d) = self.dict(d) else {
                return Ok(false);
            };
            return Ok(match kind {
                ViewKind::Keys => {
                    let h = self.hash(item)?;
                    d.find(h, item, &|p, q| self.eq(p, q)).is_some()
                }
                ViewKind::Values => d.iter().any(|e| self.eq(e.value, item)),
                ViewKind::Items => match (item, self.heap.items(item)) {
                    (Value::Tuple(_), Some(Seq::Values(&[k, v]))) => {
                        let h = self.hash(k)?;
                        d.get(h, k, &|p, q| self.eq(p, q))
                            .is_some_and(|x| self.eq(x, v))
                    }
                    _ => false,
                },
            });
        }
        if let Some(s) = self.set(container) {
            return self.set_contains(s, item);
        }
        if let Some(r) = self.heap.range(container) {
            let Some(i) = item.as_int() else {
                return Ok(false);
            };
            let off = i as i128 - r.start as i128;
            let n = off / r.step as i128;
            return Ok(off % r.step as i128 == 0 && n >= 0 && n < r.len() as i128);
        }
        if matches!(container, Value::Iter(_)) {
            // Consumes the iterator up to the first equal item, as CPython does.
            while let Some(x) = self.next(container)? {
                if self.eq(x, item) {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        Err(Exception::not_a_container(self.type_name(container)))
    }

    /// An index value as a machine int (an int too big for one: CPython's IndexError).
    fn index_of(&self, container: Value, i: Value) -> Result<i64, Exception> {
        match i {
            Value::Int(x) => Ok(x),
            Value::Bool(b) => Ok(b as i64),
            Value::Big(_) => Err(Exception::index_too_big()),
            _ => Err(Exception::bad_index(
                self.type_name(container),
                self.type_name(i),
            )),
        }
    }

    /// Position `i` (negative from the end) of a sequence of `len` items.
    fn position(
        &self,
        len: usize,
        i: i64,
        container: Value,
        store: bool,
    ) -> Result<usize, Exception> {
        let k = if i < 0 { i + len as i64 } else { i };
        if k < 0 || k >= len as i64 {
            return Err(Exception::item_out_of_range(
                self.type_name(container),
                store,
            ));
        }
        Ok(k as usize)
    }

    /// The value of `key` in dict `d` (None when absent or `d` is no dict); an unhashable
    /// key is CPython's TypeError.
    pub fn dict_lookup(&self, d: Value, key: Value) -> Result<Option<Value>, Exception> {
        let h = self.hash(key)?;
        Ok(self
            .dict(d)
            .and_then(|x| x.get(h, key, &|p, q| self.eq(p, q))))
    }

    /// `v[i]`.
    pub fn getitem(&mut self, v: Value, i: Value) -> Result<Value, Exception> {
        if let (Value::Int(k), Some(items)) = (i, self.heap.items(v))
            && let Some(x) = usize::try_from(k).ok().and_then(|k| items.get(k))
        {
            return Ok(x);
        }
        if self.dict(v).is_some() {
            return match self.dict_lookup(v, i)? {
                Some(x) => Ok(x),
                None => Err(self.key_error(i)),
            };
        }
        if let Some(x) = self.heap.items(v) {
            let n = x.len();
            let k = self.position(n, self.index_of(v, i)?, v, false)?;
            return Ok(self.heap.items(v).map_or(Value::None, |x| x.at(k)));
        }
        if let Some(s) = self.str_of(v) {
            let i = self.index_of(v, i)?;
            let n = s.chars().count();
            let k = self.position(n, i, v, false)?;
            let c = s.chars().nth(k).unwrap_or(' ');
            return Ok(self.new_str(String::from(c)));
        }
        if let Some(r) = self.heap.range(v) {
            let i = match i {
                Value::Big(_) => {
                    return Err(Exception::new(
                        ExcKind::IndexError,
                        "range object index out of range",
                    ));
                }
                _ => self.index_of(v, i).map_err(|_| {
                    Exception::new(
                        ExcKind::TypeError,
                        format!(
                            "range indices must be integers or slices, not {}",
                            self.type_name(i)
                        ),
                    )
                })?,
            };
            let n = r.len();
            let k = if i < 0 { i + n } else { i };
            if k < 0 || k >= n {
                return Err(Exception::new(
                    ExcKind::IndexError,
                    "range object index out of range",
                ));
            }
            return Ok(Value::Int(r.at(k)));
        }
        Err(Exception::not_subscriptable(self.type_name(v)))
    }

    /// A slice bound: None, or an int (big ones clamped, as CPython clamps them).
    fn bound(&self, v: Value) -> Result<Option<i64>, Exception> {
        match v {
            Value::None => Ok(None),
            Value::Big(_) => {
                let neg = self
                    .bigs
                    .num(v)
                    .is_some_and(|n| n.sign() == num_bigint::Sign::Minus);
                Ok(Some(if neg { i64::MIN } else { i64::MAX }))
            }
            _ => v.as_int().map(Some).ok_or_else(Exception::bad_slice_index),
        }
    }

    /// `[lo:hi:step]` over `len` items, as CPython resolves it.
    pub fn slice(&self, len: usize, lo: Value, hi: Value, step: Value) -> Result<Slice, Exception> {
        let step = self.bound(step)?.unwrap_or(1);
        if step == 0 {
            return Err(Exception::slice_step_zero());
        }
        let (lo, hi) = (self.bound(lo)?, self.bound(hi)?);
        Ok(Slice::resolve(len, lo, hi, step))
    }

    /// `v[lo:hi:step]`.
    pub fn getslice(
        &mut self,
        v: Value,
        lo: Value,
        hi: Value,
        step: Value,
    ) -> Result<Value, Exception> {
        if let Some(x) = self.heap.items(v) {
            let sl = self.slice(x.len(), lo, hi, step)?;
            let out: Vec<Value> = sl.positions().map(|k| x.at(k)).collect();
            return Ok(if matches!(v, Value::List(_)) {
                self.new_list(out)
            } else {
                self.new_tuple(out)
            });
        }
        if let Some(s) = self.str_of(v) {
            let out: String = if s.is_ascii() {
                let sl = self.slice(s.len(), lo, hi, step)?;
                let b = s.as_bytes();
                sl.positions().map(|k| b[k] as char).collect()
            } else {
                let chars: Vec<char> = s.chars().collect();
                let sl = self.slice(chars.len(), lo, hi, step)?;
                sl.positions().map(|k| chars[k]).collect()
            };
            return Ok(self.new_str(out));
        }
        if let Some(r) = self.heap.range(v) {
            let sl = self.slice(r.len() as usize, lo, hi, step)?;
            let start = r.start + sl.start * r.step;
            let step = r.step * sl.step;
            let out = Range {
                start,
                stop: start + sl.count as i64 * step,
                step,
            };
            return Ok(Value::Range(self.heap.alloc(Obj::Range(out))));
        }
        Err(Exception::not_subscriptable(self.type_name(v)))
    }

    /// KeyError of `key` (its repr is the message).
    pub fn key_error(&self, key: Value) -> Exception {
        let mut s = String::new();
        let _ = self.write_repr(&mut s, key, &mut Vec::new());
        Exception::new(ExcKind::KeyError, s)
    }

    /// The dict a value names.
    #[inline]
    pub fn dict(&self, v: Value) -> Option<&Dict> {
        match (v, handle(v).map(|h| self.heap.get(h))) {
            (Value::Dict(_), Some(Obj::Dict(d))) => Some(d),
            _ => None,
        }
    }

    /// The dict and kind of a view.
    pub fn view(&self, v: Value) -> Option<(Value, ViewKind)> {
        match (v, handle(v).map(|h| self.heap.get(h))) {
            (Value::View(_), Some(Obj::View(d, k))) => Some((*d, *k)),
            _ => None,
        }
    }

    pub fn new_dict(&mut self, d: Dict) -> Value {
        Value::Dict(self.heap.alloc(Obj::Dict(d)))
    }

    pub fn new_view(&mut self, dict: Value, kind: ViewKind) -> Value {
        Value::View(self.heap.alloc(Obj::View(dict, kind)))
    }

    /// Runs `f` on dict `v` taken out of the heap (so that keys can be compared meanwhile).
    pub fn with_dict<T>(
        &mut self,
        v: Value,
        f: impl FnOnce(&Self, &mut Dict) -> Result<T, Exception>,
    ) -> Result<T, Exception> {
        let h = handle(v).expect("a dict");
        let Obj::Dict(mut d) = core::mem::replace(self.heap.get_mut(h), Obj::Free) else {
            unreachable!("a dict handle names a dict");
        };
        let r = f(self, &mut d);
        *self.heap.get_mut(h) = Obj::Dict(d);
        r
    }

    /// `d[k] = x`.
    pub fn dict_set(&mut self, d: Value, k: Value, x: Value) -> Result<(), Exception> {
        let h = self.hash(k)?;
        self.with_dict(d, |o, dict| {
            dict.insert(h, k, x, &|p, q| o.eq(p, q));
            Ok(())
        })
    }

    /// A hash of a key such that equal keys hash alike (an unhashable one: CPython's
    /// TypeError). Tuples are walked with a stack of their own: any nesting hashes.
    #[inline]
    pub fn hash(&self, v: Value) -> Result<u64, Exception> {
        if !matches!(v, Value::Tuple(_)) {
            return self.leaf_hash(v);
        }
        self.key_hash_of_tuple(v)
    }

    fn key_hash_of_tuple(&self, v: Value) -> Result<u64, Exception> {
        let mut h = HASH_SEED ^ 0x7475_706c;
        // None closes a tuple.
        let mut work = alloc::vec![Some(v)];
        while let Some(x) = work.pop() {
            match x {
                None => h = hash_mix(h, 0x29),
                Some(t @ Value::Tuple(_)) => {
                    h = hash_mix(h, 0x28);
                    work.push(None);
                    let items = self.heap.items(t).map(Seq::iter).into_iter().flatten();
                    work.extend(items.rev().map(Some));
                }
                Some(leaf) => h = hash_mix(h, self.leaf_hash(leaf)?),
            }
        }
        Ok(h)
    }

    #[inline]
    fn leaf_hash(&self, v: Value) -> Result<u64, Exception> {
        let mix = hash_mix;
        const SEED: u64 = HASH_SEED;
        Ok(match v {
            Value::Int(i) => (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            Value::Bool(b) => (b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            Value::None => 0x5bd1_e995,
            Value::Big(_) => {
                let n = self.bigs.num(v).expect("a big int");
                n.to_signed_bytes_le()
                    .iter()
                    .fold(SEED, |h, &b| mix(h, b as u64))
            }
            Value::Str(_) | Value::Text(_) => str_hash(self.str_of(v).unwrap_or("").as_bytes()),
            Value::Func(f) => mix(SEED, 0x1000 + f as u64),
            Value::Builtin(b) => mix(SEED, 0x2000 + b as u64),
            Value::Type(t) => mix(SEED, 0x4000 + t as u64),
            Value::Range(_) => {
                let r = self.heap.range(v).unwrap_or(Range {
                    start: 0,
                    stop: 0,
                    step: 1,
                });
                mix(
                    mix(mix(SEED, r.len() as u64), r.start as u64),
                    r.step as u64,
                )
            }
            // Hashed by identity, as CPython hashes them.
            Value::Iter(h) | Value::Closure(h) | Value::Method(h) => {
                mix(SEED, 0x3000_0000 + h as u64)
            }
            _ => {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("unhashable type: '{}'", self.type_name(v)),
                ));
            }
        })
    }

    /// `v[i] = x`.
    pub fn setitem(&mut self, v: Value, i: Value, x: Value) -> Result<(), Exception> {
        if let (Value::Int(k), Value::List(h)) = (i, v)
            && self.heap.set_item(h, k, x)
        {
            return Ok(());
        }
        if matches!(v, Value::Dict(_)) {
            return self.dict_set(v, i, x);
        }
        let (Value::List(h), Some(n)) = (v, self.heap.items(v).map(Seq::len)) else {
            return Err(Exception::no_item_assignment(self.type_name(v)));
        };
        let i = self.index_of(v, i)?;
        let k = self.position(n, i, v, true)?;
        self.heap.set_item(h, k as i64, x);
        Ok(())
    }

    /// `v[lo:hi:step] = x` (x any iterable).
    pub fn setslice(&mut self, v: Value, bounds: [Value; 3], x: Value) -> Result<(), Exception> {
        let n = match v {
            Value::List(_) => self.heap.items(v).map(Seq::len),
            _ => None,
        };
        let Some(n) = n else {
            return Err(Exception::no_item_assignment(self.type_name(v)));
        };
        let items = self.to_vec(x).map_err(|e| {
            if e.msg.ends_with("is not iterable") {
                Exception::new(ExcKind::TypeError, "can only assign an iterable")
            } else {
                e
            }
        })?;
        let [lo, hi, step] = bounds;
        let sl = self.slice(n, lo, hi, step)?;
        if sl.step != 1 && items.len() != sl.count {
            return Err(Exception::new(
                ExcKind::ValueError,
                format!(
                    "attempt to assign sequence of size {} to extended slice of size {}",
                    items.len(),
                    sl.count
                ),
            ));
        }
        // Ints into a list of ints keep it one.
        let ints: Option<Vec<i64>> = items
            .iter()
            .map(|x| match x {
                Value::Int(i) => Some(*i),
                _ => None,
            })
            .collect();
        if let (Some(ints), Some(l)) = (ints, self.heap.ints_mut(v)) {
            if sl.step == 1 {
                let start = sl.start as usize;
                l.splice(start..start + sl.count, ints);
            } else {
                for (k, x) in sl.positions().zip(ints) {
                    l[k] = x;
                }
            }
            return Ok(());
        }
        let l = self.heap.list_mut(v).expect("a list");
        if sl.step == 1 {
            let start = sl.start as usize;
            l.splice(start..start + sl.count, items);
            return Ok(());
        }
        for (k, x) in sl.positions().zip(items) {
            l[k] = x;
        }
        Ok(())
    }

    /// `del v[i]`.
    pub fn delitem(&mut self, v: Value, i: Value) -> Result<(), Exception> {
        if matches!(v, Value::Dict(_)) {
            let h = self.hash(i)?;
            return self.with_dict(v, |o, d| match d.remove(h, i, &|p, q| o.eq(p, q)) {
                Some(_) => Ok(()),
                None => Err(o.key_error(i)),
            });
        }
        let n = match v {
            Value::List(_) => self.heap.items(v).map(Seq::len),
            _ => None,
        };
        let Some(n) = n else {
            return Err(
                if self.heap.items(v).is_some() || self.str_of(v).is_some() {
                    Exception::no_item_deletion(self.type_name(v))
                } else {
                    Exception::not_subscriptable(self.type_name(v))
                },
            );
        };
        let i = self.index_of(v, i)?;
        let k = self.position(n, i, v, true)?;
        if let Some(ints) = self.heap.ints_mut(v) {
            ints.remove(k);
        } else if let Some(l) = self.heap.list_mut(v) {
            l.remove(k);
        }
        Ok(())
    }

    /// `del v[lo:hi:step]`.
    pub fn delslice(&mut self, v: Value, bounds: [Value; 3]) -> Result<(), Exception> {
        let n = match v {
            Value::List(_) => self.heap.items(v).map(Seq::len),
            _ => None,
        };
        let Some(n) = n else {
            return Err(Exception::no_item_deletion(self.type_name(v)));
        };
        let [lo, hi, step] = bounds;
        let sl = self.slice(n, lo, hi, step)?;
        let mut gone = alloc::vec![false; n];
        for k in sl.positions() {
            gone[k] = true;
        }
        let mut k = 0;
        let mut keep = || {
            k += 1;
            !gone[k - 1]
        };
        match self.heap.ints_mut(v) {
            Some(l) => l.retain(|_| keep()),
            None => self.heap.list_mut(v).expect("a list").retain(|_| keep()),
        }
        Ok(())
    }

    /// `a op b` when either is a list, tuple or string (None: not such an operation).
    /// `in_place`: `a op= b`, which extends a list where it is.
    pub fn binary(
        &mut self,
        op: BinOp,
        in_place: bool,
        a: Value,
        b: Value,
    ) -> Option<Result<Value, Exception>> {
        let seq = |v: Value| {
            matches!(
                v,
                Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Text(_)
            )
        };
        if let (Value::Set(_), Value::Set(_)) = (a, b) {
            return self.set_binary(op, in_place, a, b).transpose();
        }
        if (matches!(a, Value::View(_)) || matches!(b, Value::View(_)))
            && let Some(r) = self.view_binary(op, a, b)
        {
            return Some(r);
        }
        if op == BinOp::Mod
            && let Some(fmt) = self.str_of(a)
        {
            let fmt = String::from(fmt);
            return Some(self.percent(&fmt, b));
        }
        Some(match op {
            BinOp::Add if seq(a) => self.concat(in_place, a, b),
            _ if !seq(a) && !seq(b) => return None,
            BinOp::Mul if seq(a) => self.repeat(in_place, a, b),
            BinOp::Mul => self.repeat(false, b, a),
            _ => return None,
        })
    }

    fn concat(&mut self, in_place: bool, a: Value, b: Value) -> Result<Value, Exception> {
        if in_place && matches!(a, Value::List(_)) {
            let more = self.to_vec(b)?;
            self.heap.extend(a, more);
            return Ok(a);
        }
        if let (Some(x), Some(y)) = (self.str_of(a), self.str_of(b)) {
            // Both copied at once into a string of the exact size (the generic
            // `[x, y].concat()` extends twice through a call each).
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            return Ok(self.new_str(s));
        }
        let same_kind = core::mem::discriminant(&a) == core::mem::discriminant(&b);
        if let (Some(x), Some(y), true) = (self.heap.items(a), self.heap.items(b), same_kind) {
            let out: Vec<Value> = x.iter().chain(y).collect();
            return Ok(if matches!(a, Value::List(_)) {
                self.new_list(out)
            } else {
                self.new_tuple(out)
            });
        }
        Err(Exception::concat(self.type_name(a), self.type_name(b)))
    }

    /// `seq * n`; a list or tuple of more than [`MAX_REPEAT`] items is a MemoryError.
    fn repeat(&mut self, in_place: bool, seq: Value, n: Value) -> Result<Value, Exception> {
        let times = match n {
            Value::Int(_) | Value::Bool(_) => n.as_int().unwrap_or(0).max(0) as usize,
            Value::Big(_) => {
                if self
                    .bigs
                    .num(n)
                    .is_some_and(|b| b.sign() == num_bigint::Sign::Minus)
                {
                    0
                } else {
                    return Err(Exception::new(
                        ExcKind::OverflowError,
                        "cannot fit 'int' into an index-sized integer",
                    ));
                }
            }
            _ => return Err(Exception::repeat_by(self.type_name(n))),
        };
        let too_big = || Exception::new(ExcKind::MemoryError, "");
        if let Some(s) = self.str_of(seq) {
            if s.len().checked_mul(times).is_none_or(|t| t > 1 << 32) {
                return Err(too_big());
            }
            let out = s.repeat(times);
            return Ok(self.new_str(out));
        }
        let x = self.heap.items(seq).expect("a list or tuple");
        if x.len().checked_mul(times).is_none_or(|t| t > MAX_REPEAT) {
            return Err(too_big());
        }
        if !in_place && let Some(h) = self.heap.repeat_list(seq, times) {
            return Ok(Value::List(h));
        }
        if in_place && let Some(ints) = self.heap.ints_mut(seq) {
            // (`x *= n` of a list of ints keeps it one.)
            *ints = ints.repeat(times);
            return Ok(seq);
        }
        let x = self.heap.items(seq).expect("a list or tuple");
        let out: Vec<Value> = x.to_vec().repeat(times);
        if in_place && matches!(seq, Value::List(_)) {
            *self.heap.list_mut(seq).expect("a list") = out;
            return Ok(seq);
        }
        Ok(if matches!(seq, Value::List(_)) {
            self.new_list(out)
        } else {
            self.new_tuple(out)
        })
    }

    /// `iter(v)`.
    pub fn iter(&mut self, v: Value) -> Result<Value, Exception> {
        match v {
            Value::Iter(_) => Ok(v),
            Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Text(_) | Value::Range(_) => {
                Ok(Value::Iter(
                    self.heap.alloc(Obj::Iter(Iter::Seq { seq: v, pos: 0 })),
                ))
            }
            Value::Dict(_) | Value::View(_) => Ok(self.dict_iter(v, false)),
            Value::Set(_) => {
                let used = self.set(v).map_or(0, |s| s.len());
                Ok(Value::Iter(self.heap.alloc(Obj::Iter(Iter::Set {
                    set: v,
                    pos: 0,
                    used,
                }))))
            }
            _ => Err(Exception::not_iterable(self.type_name(v))),
        }
    }

    /// The next value of iterator `it` (None when it is done).
    pub fn next(&mut self, it: Value) -> Result<Option<Value>, Exception> {
        let Value::Iter(h) = it else {
            return Err(Exception::new(
                ExcKind::TypeError,
                format!("'{}' object is not an iterator", self.type_name(it)),
            ));
        };
        // Over a list or tuple (the common case): in place.
        if let Obj::Iter(Iter::Seq { seq, pos }) = self.heap.get(h)
            && let Some(items) = self.heap.items(*seq)
        {
            let (item, at) = (items.get(*pos), *pos);
            if let Obj::Iter(Iter::Seq { pos, .. }) = self.heap.get_mut(h) {
                *pos = at + 1;
            }
            return Ok(item);
        }
        // A generator: what it ran ahead, else it must run first (which only the
        // interpreter can do: it sees `heap.pending` and runs this instruction again after).
        if let Obj::Iter(Iter::Gen(g)) = self.heap.get_mut(h) {
            if let Some(&v) = g.ahead.get(g.taken) {
                g.taken += 1;
                return Ok(Some(v));
            }
            if g.state == GenState::Done {
                g.ahead = Vec::new();
                return Ok(None);
            }
            return Err(self.heap.must_run(h));
        }
        // The state is taken out while it advances (not copied: a zip's list of iterators
        // would be, at every item) and put back on every way out, errors included.
        let Obj::Iter(state) = core::mem::replace(self.heap.get_mut(h), Obj::Free) else {
            unreachable!("an iterator handle names an iterator");
        };
        let (item, state) = self.advance(state);
        *self.heap.get_mut(h) = Obj::Iter(state);
        item
    }

    /// [`Objects::next`] of an iterator other than a generator: the item (or the error)
    /// and the state after it.
    fn advance(&mut self, state: Iter) -> (Result<Option<Value>, Exception>, Iter) {
        let (item, state) = match state {
            mut state @ (Iter::Set { .. } | Iter::Dict { .. }) => {
                let item = match state {
                    Iter::Set { .. } => self.set_next(&mut state),
                    _ => self.dict_next(&mut state),
                };
                return (item, state);
            }
            Iter::Seq { seq, pos } => {
                let (item, next) = self.item_after(seq, pos);
                (item, Iter::Seq { seq, pos: next })
            }
            Iter::Rev { seq, left } => {
                let n = self.heap.items(seq).map_or(0, Seq::len);
                if left == 0 || left > n {
                    (None, Iter::Rev { seq, left: 0 })
                } else {
                    let item = self.heap.items(seq).map(|x| x.at(left - 1));
                    (
                        item,
                        Iter::Rev {
                            seq,
                            left: left - 1,
                        },
                    )
                }
            }
            Iter::Enumerate { it: inner, n } => match self.next(inner) {
                Err(e) => return (Err(e), Iter::Enumerate { it: inner, n }),
                Ok(None) => (None, Iter::Enumerate { it: inner, n }),
                Ok(Some(v)) => {
                    let t = self.new_tuple(alloc::vec![Value::Int(n), v]);
                    (
                        Some(t),
                        Iter::Enumerate {
                            it: inner,
                            n: n + 1,
                        },
                    )
                }
            },
            Iter::Gen(_) => unreachable!("a generator is handled above"),
            Iter::Stdin => {
                let line = self.heap.stdin.line();
                (line.map(|l| self.new_str(l)), Iter::Stdin)
            }
            Iter::Zip(its) => {
                let mut items = Vec::with_capacity(its.len());
                for &i in &its {
                    match self.next(i) {
                        Ok(Some(v)) => items.push(v),
                        Ok(None) => return (Ok(None), Iter::Zip(its)),
                        Err(e) => return (Err(e), Iter::Zip(its)),
                    }
                }
                if items.is_empty() {
                    return (Ok(None), Iter::Zip(its));
                }
                (Some(self.new_tuple(items)), Iter::Zip(its))
            }
        };
        (Ok(item), state)
    }

    /// The item of `seq` at `pos` and the position after it.
    fn item_after(&mut self, seq: Value, pos: usize) -> (Option<Value>, usize) {
        if let Some(x) = self.heap.items(seq) {
            return (x.get(pos), pos + 1);
        }
        if let Some(r) = self.heap.range(seq) {
            return if (pos as i64) < r.len() {
                (Some(Value::Int(r.at(pos as i64))), pos + 1)
            } else {
                (None, pos)
            };
        }
        let Some(c) = self
            .str_of(seq)
            .and_then(|s| s.get(pos..))
            .and_then(|s| s.chars().next())
        else {
            return (None, pos);
        };
        (Some(self.new_str(String::from(c))), pos + c.len_utf8())
    }

    /// Every value of an iterable.
    pub fn to_vec(&mut self, v: Value) -> Result<Vec<Value>, Exception> {
        if let Some(x) = self.heap.items(v) {
            return Ok(x.to_vec());
        }
        let it = self.iter(v)?;
        let mut out = Vec::new();
        while let Some(x) = self.next(it)? {
            out.push(x);
        }
        Ok(out)
    }

    /// Unpacks iterable `v` into exactly `n` values.
    pub fn unpack(&mut self, v: Value, n: usize) -> Result<Vec<Value>, Exception> {
        if matches!(
            v,
            Value::Iter(_) | Value::Dict(_) | Value::View(_) | Value::Set(_)
        ) || self.heap.items(v).is_some()
            || self.str_of(v).is_some()
            || self.heap.range(v).is_some()
        {
            let items = self.to_vec(v)?;
            if items.len() != n {
                return Err(Exception::unpack_count(n, Some(items.len())));
            }
            return Ok(items);
        }
        Err(Exception::cannot_unpack(self.type_name(v)))
    }

    /// An iterator over dict or dict view `seq`, backwards if `rev`.
    fn dict_iter(&mut self, seq: Value, rev: bool) -> Value {
        let d = self.view(seq).map_or(seq, |(d, _)| d);
        let (used, n) = self.dict(d).map_or((0, 0), |x| (x.len(), x.entries.len()));
        Value::Iter(self.heap.alloc(Obj::Iter(Iter::Dict {
            seq,
            pos: if rev { n } else { 0 },
            used,
            left: used,
            rev,
        })))
    }

    /// The next item of an [`Iter::Dict`], with CPython's errors for a dict changed
    /// while it is iterated (`dictiter_iternextkey`, `dictreviter_iternext`).
    fn dict_next(&mut self, state: &mut Iter) -> Result<Option<Value>, Exception> {
        let Iter::Dict {
            seq,
            pos,
            used,
            left,
            rev,
        } = state
        else {
            return Ok(None);
        };
        if *pos == crate::heap::DICT_ITER_DONE {
            return Ok(None);
        }
        let (d, kind) = self.view(*seq).unwrap_or((*seq, ViewKind::Keys));
        let Some(dict) = self.dict(d) else {
            return Ok(None);
        };
        if dict.len() != *used {
            // Sticky, as CPython's `di_used = -1`.
            *used = usize::MAX;
            return Err(Exception::new(
                ExcKind::RuntimeError,
                "dictionary changed size during iteration",
            ));
        }
        let found = if *rev {
            dict.entries[..(*pos).min(dict.entries.len())]
                .iter()
                .enumerate()
                .rev()
                .find_map(|(i, e)| e.map(|e| (i, e)))
        } else {
            dict.entries
                .iter()
                .enumerate()
                .skip(*pos)
                .find_map(|(i, e)| e.map(|e| (i, e)))
        };
        let Some((at, e)) = found else {
            *pos = crate::heap::DICT_ITER_DONE;
            return Ok(None);
        };
        if !*rev && *left == 0 {
            *pos = crate::heap::DICT_ITER_DONE;
            return Err(Exception::new(
                ExcKind::RuntimeError,
                "dictionary keys changed during iteration",
            ));
        }
        *pos = if *rev { at } else { at + 1 };
        *left = left.saturating_sub(1);
        Ok(Some(match kind {
            ViewKind::Keys => e.key,
            ViewKind::Values => e.value,
            ViewKind::Items => self.new_tuple(alloc::vec![e.key, e.value]),
        }))
    }

    /// `reversed(v)`.
    pub fn reversed(&mut self, v: Value) -> Result<Value, Exception> {
        let seq = match v {
            Value::Dict(_) | Value::View(_) => return Ok(self.dict_iter(v, true)),
            Value::List(_) | Value::Tuple(_) => v,
            Value::Str(_) | Value::Text(_) | Value::Range(_) => {
                let items = self.to_vec(v)?;
                self.new_tuple(items)
            }
            _ => {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("'{}' object is not reversible", self.type_name(v)),
                ));
            }
        };
        let left = self.heap.items(seq).map_or(0, Seq::len);
        Ok(Value::Iter(
            self.heap.alloc(Obj::Iter(Iter::Rev { seq, left })),
        ))
    }

    /// `enumerate(v, start)`.
    pub fn enumerate(&mut self, v: Value, start: i64) -> Result<Value, Exception> {
        let it = self.iter(v)?;
        Ok(Value::Iter(
            self.heap.alloc(Obj::Iter(Iter::Enumerate { it, n: start })),
        ))
    }

    /// `zip(vs…)`.
    pub fn zip(&mut self, vs: &[Value]) -> Result<Value, Exception> {
        let mut its = Vec::with_capacity(vs.len());
        for &v in vs {
            its.push(self.iter(v)?);
        }
        Ok(Value::Iter(self.heap.alloc(Obj::Iter(Iter::Zip(its)))))
    }

    /// `range(start, stop, step)` as a value.
    pub fn range(&mut self, start: i64, stop: i64, step: i64) -> Value {
        Value::Range(self.heap.alloc(Obj::Range(Range { start, stop, step })))
    }

    /// Sorts `items` as `list.sort` does: stable, by `<`, `reverse` keeping equal items in
    /// their order. `keys` (as many as items) sort in their place when given.
    ///
    /// Ints with ints and strings with strings cannot fail to compare: a plain stable
    /// sort. Anything else is sorted as CPython sorts a list of fewer than 64 items (a
    /// run, then binary insertion), so that the comparison that fails, and so the error,
    /// is CPython's.
    pub fn sort(
        &self,
        items: &mut Vec<Value>,
        keys: Option<Vec<Value>>,
        reverse: bool,
    ) -> Result<(), Exception> {
        let mut pairs: Vec<(Value, Value)> = match keys {
            Some(k) => k.into_iter().zip(items.iter().copied()).collect(),
            None => items.iter().map(|&v| (v, v)).collect(),
        };
        if reverse {
            pairs.reverse();
        }
        let all = |f: &dyn Fn(Value) -> bool| pairs.iter().all(|p| f(p.0));
        if all(&|v| matches!(v, Value::Int(_))) {
            pairs.sort_by_key(|p| p.0.as_int());
        } else if all(&|v| self.str_of(v).is_some()) {
            pairs.sort_by(|a, b| self.str_of(a.0).cmp(&self.str_of(b.0)));
        } else {
            self.binary_insertion_sort(&mut pairs)?;
        }
        if reverse {
            pairs.reverse();
        }
        *items = pairs.into_iter().map(|(_, v)| v).collect();
        Ok(())
    }

    /// CPython's sort of a short list (`count_run`, then `binarysort`), by the first of each
    /// pair.
    fn binary_insertion_sort(&self, v: &mut [(Value, Value)]) -> Result<(), Exception> {
        let lt = |x: Value, y: Value| self.compare(CmpOp::Lt, x, y);
        let n = v.len();
        if n < 2 {
            return Ok(());
        }
        // The run at the start: strictly descending (then reversed) or ascending.
        let mut run = 2;
        if lt(v[1].0, v[0].0)? {
            while run < n && lt(v[run].0, v[run - 1].0)? {
                run += 1;
            }
            v[..run].reverse();
        } else {
            while run < n && !lt(v[run].0, v[run - 1].0)? {
                run += 1;
            }
        }
        for start in run..n {
            let pivot = v[start];
            let (mut l, mut r) = (0, start);
            while l < r {
                let p = l + ((r - l) >> 1);
                if lt(pivot.0, v[p].0)? {
                    r = p;
                } else {
                    l = p + 1;
                }
            }
            v.copy_within(l..start, l + 1);
            v[l] = pivot;
        }
        Ok(())
    }
}
