//! Sets as Python has them, on [`crate::set::Set`]'s table: CPython's hashes (so a set
//! iterates in CPython's order), `set()`, the operators `| & - ^` (and in place), the
//! comparisons (subset and superset), and the methods — each with CPython's order of
//! work, results and error messages.
//!
//! Strings hash as CPython 3.11 hashes them with `PYTHONHASHSEED=0` (SipHash-1-3 with a
//! zero key over the string's code units): CPython randomizes string hashes per run
//! otherwise, so a program that prints a set of strings has no one CPython output to
//! match but that one.

use crate::ast::{BinOp, CmpOp};
use crate::error::{ExcKind, Exception};
use crate::heap::{Iter, Obj, ViewKind, handle};
use crate::objects::Objects;
use crate::set::Set;
use crate::value::Value;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// The modulus of CPython's int hash (`_PyHASH_MODULUS`, 2**61 - 1).
const MODULUS: u64 = (1 << 61) - 1;
const XXPRIME_1: u64 = 11_400_714_785_074_694_791;
const XXPRIME_2: u64 = 14_029_467_366_897_019_727;
const XXPRIME_5: u64 = 2_870_177_450_012_600_261;

pub use minipy_front::names::SET_METHODS;

/// What a set is made from for a view (`dictviews_to_set`): a keys view's dict (PySet_New's
/// way with a dict), anything else itself.
fn view_start(o: &Objects, v: Value) -> Value {
    match o.view(v) {
        Some((d, ViewKind::Keys)) => d,
        _ => v,
    }
}

/// SipHash-1-3 with a zero key (CPython's `siphash13` with `PYTHONHASHSEED=0`).
fn siphash13(data: &[u8]) -> u64 {
    let (k0, k1) = (0u64, 0u64);
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[2] = v[2].wrapping_add(v[3]);
        v[1] = v[1].rotate_left(13) ^ v[0];
        v[3] = v[3].rotate_left(16) ^ v[2];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[1]);
        v[0] = v[0].wrapping_add(v[3]);
        v[1] = v[1].rotate_left(17) ^ v[2];
        v[3] = v[3].rotate_left(21) ^ v[0];
        v[2] = v[2].rotate_left(32);
    }
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let m = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        v[3] ^= m;
        round(&mut v);
        v[0] ^= m;
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    let b = ((data.len() as u64) << 56) | u64::from_le_bytes(last);
    v[3] ^= b;
    round(&mut v);
    v[0] ^= b;
    v[2] ^= 0xff;
    round(&mut v);
    round(&mut v);
    round(&mut v);
    (v[0] ^ v[1]) ^ (v[2] ^ v[3])
}

/// CPython's hash of a str: of its code units, one, two or four bytes each as the widest
/// character needs (PEP 393).
fn str_hash(s: &str) -> i64 {
    if s.is_empty() {
        return 0;
    }
    let wide = s.chars().map(|c| c as u32).max().unwrap_or(0);
    let mut units = Vec::with_capacity(s.len() * 4);
    for c in s.chars() {
        let c = c as u32;
        match wide {
            0..=0xff => units.push(c as u8),
            0x100..=0xffff => units.extend_from_slice(&(c as u16).to_le_bytes()),
            _ => units.extend_from_slice(&c.to_le_bytes()),
        }
    }
    fix(siphash13(&units) as i64)
}

/// A hash is never -1 (CPython's error return).
fn fix(h: i64) -> i64 {
    if h == -1 { -2 } else { h }
}

/// CPython's hash of a machine int.
fn int_hash(i: i64) -> i64 {
    let m = (i.unsigned_abs() % MODULUS) as i64;
    fix(if i < 0 { -m } else { m })
}

impl Objects<'_> {
    /// `hash(v)` as CPython 3.11 computes it (strings as with `PYTHONHASHSEED=0`; objects
    /// CPython hashes by address get a fixed stand-in). Unhashable values: TypeError.
    pub fn py_hash(&self, v: Value) -> Result<i64, Exception> {
        if let Value::Tuple(_) = v {
            return self.tuple_hash(v);
        }
        self.leaf_py_hash(v)
    }

    fn leaf_py_hash(&self, v: Value) -> Result<i64, Exception> {
        Ok(match v {
            Value::Int(i) => int_hash(i),
            Value::Bool(b) => b as i64,
            Value::Big(_) => {
                let n = self.bigs.num(v).expect("a big int");
                let (sign, digits) = n.to_u64_digits();
                // Horner's rule mod 2**61 - 1, 64 bits at a time.
                let m = digits
                    .iter()
                    .rev()
                    .fold(0u128, |acc, &d| ((acc << 64) | d as u128) % MODULUS as u128)
                    as i64;
                fix(if sign == num_bigint::Sign::Minus {
                    -m
                } else {
                    m
                })
            }
            Value::Str(_) | Value::Text(_) => str_hash(self.str_of(v).unwrap_or("")),
            Value::None => 0x7f2f_4a3c_0001,
            Value::Func(f) => 0x7f2f_4a3d_0000 + f as i64,
            Value::Builtin(b) => 0x7f2f_4a3e_0000 + b as i64,
            Value::Type(t) => 0x7f2f_4a3f_0000 + t as i64,
            Value::Range(_) => {
                let r = self.heap.range(v).expect("a range");
                let n = r.len();
                let t = match n {
                    0 => [
                        int_hash(0),
                        self.leaf_py_hash(Value::None)?,
                        self.leaf_py_hash(Value::None)?,
                    ],
                    1 => [
                        int_hash(1),
                        int_hash(r.start),
                        self.leaf_py_hash(Value::None)?,
                    ],
                    _ => [int_hash(n), int_hash(r.start), int_hash(r.step)],
                };
                tuple_mix(&t)
            }
            Value::Iter(h) | Value::Closure(h) | Value::Method(h) => 0x7f2f_4a40_0000 + h as i64,
            _ => {
                return Err(Exception::new(
                    ExcKind::TypeError,
                    format!("unhashable type: '{}'", self.type_name(v)),
                ));
            }
        })
    }

    /// CPython's xxHash-based tuple hash, with a stack of its own (tuples of any depth).
    fn tuple_hash(&self, v: Value) -> Result<i64, Exception> {
        // Each open tuple: its items, the next one to hash, the lanes so far.
        let mut stack: Vec<(&[Value], usize, Vec<i64>)> =
            alloc::vec![(self.heap.tuple_items(v).unwrap_or(&[]), 0, Vec::new())];
        loop {
            let (items, next, lanes) = stack.last_mut().expect("an open tuple");
            if *next == items.len() {
                let h = tuple_mix(lanes);
                stack.pop();
                match stack.last_mut() {
                    Some((_, _, outer)) => outer.push(h),
                    None => return Ok(h),
                }
                continue;
            }
            let x = items[*next];
            *next += 1;
            if let Value::Tuple(_) = x {
                stack.push((self.heap.tuple_items(x).unwrap_or(&[]), 0, Vec::new()));
            } else {
                let h = self.leaf_py_hash(x)?;
                lanes.push(h);
            }
        }
    }

    /// The set a value names.
    pub fn set(&self, v: Value) -> Option<&Set> {
        match (v, handle(v).map(|h| self.heap.get(h))) {
            (Value::Set(_), Some(Obj::Set(s))) => Some(s),
            _ => None,
        }
    }

    pub fn new_set(&mut self, s: Set) -> Value {
        Value::Set(self.heap.alloc(Obj::Set(s)))
    }

    /// Runs `f` on the set `v` names (taken out of the heap meanwhile: `f` may read
    /// other objects to compare keys).
    pub fn with_set<T>(
        &mut self,
        v: Value,
        f: impl FnOnce(&Self, &mut Set) -> Result<T, Exception>,
    ) -> Result<T, Exception> {
        let h = handle(v).expect("a set");
        let Obj::Set(mut s) = core::mem::replace(self.heap.get_mut(h), Obj::Free) else {
            unreachable!("a set handle names a set");
        };
        let r = f(self, &mut s);
        *self.heap.get_mut(h) = Obj::Set(s);
        r
    }

    /// `s.add(k)`.
    pub fn set_add(&mut self, s: Value, k: Value) -> Result<(), Exception> {
        let h = self.py_hash(k)?;
        self.with_set(s, |o, set| {
            set.add(h, k, &|p, q| o.eq(p, q));
            Ok(())
        })
    }

    /// Whether `k` is in the set `s` names.
    pub fn set_contains(&self, s: &Set, k: Value) -> Result<bool, Exception> {
        let h = self.py_hash(k)?;
        Ok(s.contains(h, k, &|p, q| self.eq(p, q)))
    }

    /// `set(v)`: a copy of a set, a dict's keys, or an iterable's values, as
    /// `set_update_internal` adds them.
    pub fn set_of(&mut self, v: Value) -> Result<Set, Exception> {
        let mut out = Set::new();
        self.set_update(&mut out, v)?;
        Ok(out)
    }

    /// `set_update_internal`: the values of `v` added to `out`.
    fn set_update(&mut self, out: &mut Set, v: Value) -> Result<(), Exception> {
        if let Some(other) = self.set(v) {
            out.merge(other, &|p, q| self.eq(p, q));
            return Ok(());
        }
        if let Some(d) = self.dict(v) {
            out.reserve(d.len());
            let keys: Vec<Value> = d.iter().map(|e| e.key).collect();
            for k in keys {
                let h = self.py_hash(k)?;
                out.add(h, k, &|p, q| self.eq(p, q));
            }
            return Ok(());
        }
        for k in self.to_vec(v)? {
            let h = self.py_hash(k)?;
            out.add(h, k, &|p, q| self.eq(p, q));
        }
        Ok(())
    }

    /// A set of the values of `v` (a set itself when it is one, else a new one).
    fn as_set(&mut self, v: Value) -> Result<Set, Exception> {
        match self.set(v) {
            Some(s) => Ok(s.clone()),
            None => self.set_of(v),
        }
    }

    /// Whether `v` is a dict's keys or items view (set-like: `&`, `|`, `-`, `^` make sets).
    fn set_like_view(&self, v: Value) -> bool {
        matches!(self.view(v), Some((_, ViewKind::Keys | ViewKind::Items)))
    }

    /// `a op b` (`&`, `|`, `-`, `^`) with a dict's keys or items view on either side and
    /// any iterable on the other: a new set, its values put in in the order CPython 3.11's
    /// `dictviews_*` put them (which decides how a set of colliding hashes iterates).
    /// None: not such an operation.
    pub fn view_binary(
        &mut self,
        op: BinOp,
        a: Value,
        b: Value,
    ) -> Option<Result<Value, Exception>> {
        let ops = matches!(
            op,
            BinOp::BitAnd | BinOp::BitOr | BinOp::Sub | BinOp::BitXor
        );
        if !ops || !(self.set_like_view(a) || self.set_like_view(b)) {
            return None;
        }
        Some(self.view_op(op, a, b))
    }

    /// `a == b` where a dict's keys or items view meets a set or another such view, inside
    /// a container's comparison (None: not such a pair): as sets, without making any.
    pub fn view_eq(&self, a: Value, b: Value) -> Option<bool> {
        #[derive(Clone, Copy)]
        enum Side {
            Keys(Value),
            Items(Value),
            Set(Value),
        }
        let side = |v: Value| match self.view(v) {
            Some((d, ViewKind::Keys)) => Some(Side::Keys(d)),
            Some((d, ViewKind::Items)) => Some(Side::Items(d)),
            Some(_) => None,
            None => self.set(v).map(|_| Side::Set(v)),
        };
        let (x, y) = (side(a)?, side(b)?);
        let len = |s: Side| match s {
            Side::Keys(d) | Side::Items(d) => self.dict(d).map_or(0, |d| d.len()),
            Side::Set(v) => self.set(v).map_or(0, Set::len),
        };
        if matches!((x, y), (Side::Set(_), Side::Set(_))) {
            return None;
        }
        if len(x) != len(y) {
            return Some(false);
        }
        let eq = &|p, q| self.eq(p, q);
        // The values of `x`: a key, or an item as its key and value.
        let elems: Vec<(Value, Option<Value>)> = match x {
            Side::Keys(d) => self.dict(d)?.iter().map(|e| (e.key, None)).collect(),
            Side::Items(d) => self
                .dict(d)?
                .iter()
                .map(|e| (e.key, Some(e.value)))
                .collect(),
            Side::Set(v) => self.set(v)?.iter().map(|(_, k)| (k, None)).collect(),
        };
        // A value of `y` equal to the pair (k, v).
        let pair_is = |t: Value, k: Value, v: Value| matches!(self.heap.tuple_items(t), Some(&[p, q]) if eq(p, k) && eq(q, v));
        let has = |e: (Value, Option<Value>)| -> bool {
            match (y, e) {
                (Side::Keys(d), (k, None)) => self.dict_get(d, k).is_some(),
                (Side::Keys(d), (k, Some(v))) => self
                    .dict(d)
                    .is_some_and(|d| d.iter().any(|e| pair_is(e.key, k, v))),
                (Side::Items(d), (k, Some(v))) => self.dict_get(d, k).is_some_and(|w| eq(w, v)),
                (Side::Items(d), (t, None)) => match self.heap.tuple_items(t) {
                    Some(&[k, v]) => self.dict_get(d, k).is_some_and(|w| eq(w, v)),
                    _ => false,
                },
                (Side::Set(s), (k, None)) => self
                    .py_hash(k)
                    .is_ok_and(|h| self.set(s).is_some_and(|s| s.contains(h, k, eq))),
                (Side::Set(s), (k, Some(v))) => {
                    let (Ok(hk), Ok(hv)) = (self.py_hash(k), self.py_hash(v)) else {
                        return false;
                    };
                    let h = tuple_mix(&[hk, hv]);
                    self.set(s)
                        .is_some_and(|s| s.contains(h, k, &|entry, _| pair_is(entry, k, v)))
                }
            }
        };
        Some(elems.into_iter().all(has))
    }

    /// The value of key `k` in dict `d` (None: absent, or `k` unhashable).
    fn dict_get(&self, d: Value, k: Value) -> Option<Value> {
        let h = self.hash(k).ok()?;
        self.dict(d)?.get(h, k, &|p, q| self.eq(p, q))
    }

    /// `a op b` between a dict's keys or items view and a set or another such view: as
    /// sets, by size and containment (CPython's `dictview_richcompare`). None: not such a
    /// comparison (a values view has none: it is equal only to itself).
    pub fn view_compare(
        &mut self,
        op: CmpOp,
        a: Value,
        b: Value,
    ) -> Option<Result<bool, Exception>> {
        let set_like = |o: &Self, v: Value| o.set_like_view(v) || o.set(v).is_some();
        let viewed = (self.set_like_view(a) && set_like(self, b))
            || (self.set_like_view(b) && set_like(self, a));
        if !viewed {
            return None;
        }
        let sets = (
            self.set_of(view_start(self, a)),
            self.set_of(view_start(self, b)),
        );
        let (x, y) = match sets {
            (Ok(x), Ok(y)) => (x, y),
            (Err(e), _) | (_, Err(e)) => return Some(Err(e)),
        };
        let eq = &|p, q| self.eq(p, q);
        let within = |s: &Set, t: &Set| s.iter().all(|(h, k)| t.contains(h, k, eq));
        let (m, n) = (x.len(), y.len());
        Some(Ok(match op {
            CmpOp::Eq => m == n && within(&x, &y),
            CmpOp::Ne => !(m == n && within(&x, &y)),
            CmpOp::Lt => m < n && within(&x, &y),
            CmpOp::Le => m <= n && within(&x, &y),
            CmpOp::Gt => m > n && within(&y, &x),
            CmpOp::Ge => m >= n && within(&y, &x),
        }))
    }

    fn view_op(&mut self, op: BinOp, a: Value, b: Value) -> Result<Value, Exception> {
        let start = view_start;
        let r = match op {
            BinOp::BitAnd => {
                // `_PyDictView_Intersect`: the view first; a set no smaller keeps those of
                // the view it holds, else the smaller of two views is walked.
                let (mut view, mut other) = if self.set_like_view(a) {
                    (a, b)
                } else {
                    (b, a)
                };
                let (walk, within) =
                    if self.set(other).is_some() && self.len(view)? <= self.len(other)? {
                        (view, other)
                    } else {
                        if self.set_like_view(other) && self.len(other)? > self.len(view)? {
                            core::mem::swap(&mut view, &mut other);
                        }
                        (other, view)
                    };
                let members = self.set_of(start(self, within))?;
                let mut r = Set::new();
                for k in self.to_vec(walk)? {
                    let h = self.py_hash(k)?;
                    let eq = &|p, q| self.eq(p, q);
                    if members.contains(h, k, eq) {
                        r.add(h, k, eq);
                    }
                }
                r
            }
            BinOp::BitOr => {
                let mut r = self.set_of(start(self, a))?;
                self.set_update(&mut r, b)?;
                r
            }
            BinOp::Sub => {
                let mut r = self.set_of(start(self, a))?;
                let other = self.set_of(b)?;
                r.difference_update(&other, &|p, q| self.eq(p, q));
                r
            }
            _ => {
                let mut r = self.set_of(start(self, a))?;
                // `set_symmetric_difference_update`: a set walked as it is, anything else
                // made a set first.
                let other = match self.set(b) {
                    Some(s) => s.clone(),
                    None => self.set_of(b)?,
                };
                r.symmetric_difference_update(&other, &|p, q| self.eq(p, q));
                r
            }
        };
        Ok(self.new_set(r))
    }

    /// `a op b` (`a op= b` when `in_place`) on two sets: None when either is no set
    /// (the caller raises CPython's TypeError).
    pub fn set_binary(
        &mut self,
        op: BinOp,
        in_place: bool,
        a: Value,
        b: Value,
    ) -> Result<Option<Value>, Exception> {
        let (Some(x), Some(y)) = (self.set(a), self.set(b)) else {
            return Ok(None);
        };
        let same = a == b;
        let eq = &|p, q| self.eq(p, q);
        let r = match op {
            BinOp::BitOr => {
                // `|=` adds to the table in place (`set_update_internal`); `|` to a copy.
                let mut r = if in_place { x.clone() } else { x.copy(eq) };
                if !same {
                    r.merge(y, eq);
                }
                r
            }
            BinOp::BitAnd if same => x.copy(eq),
            BinOp::BitAnd => x.intersection(y, eq),
            BinOp::Sub if same => Set::new(),
            BinOp::Sub if in_place => {
                let mut r = x.clone();
                r.difference_update(y, eq);
                r
            }
            BinOp::Sub => x.difference(y, eq),
            BinOp::BitXor if same => Set::new(),
            BinOp::BitXor if in_place => {
                let mut r = x.clone();
                r.symmetric_difference_update(y, eq);
                r
            }
            BinOp::BitXor => {
                let mut r = y.copy(eq);
                r.symmetric_difference_update(x, eq);
                r
            }
            _ => return Ok(None),
        };
        if in_place {
            *self.heap.get_mut(handle(a).expect("a set")) = Obj::Set(r);
            return Ok(Some(a));
        }
        Ok(Some(self.new_set(r)))
    }

    /// `a == b`, `a <= b` and the like on two sets (None when either is no set).
    pub fn set_compare(&self, op: crate::ast::CmpOp, a: Value, b: Value) -> Option<bool> {
        use crate::ast::CmpOp::*;
        let (x, y) = (self.set(a)?, self.set(b)?);
        let eq = &|p, q| self.eq(p, q);
        Some(match op {
            Eq => x.len() == y.len() && x.is_subset(y, eq),
            Ne => !(x.len() == y.len() && x.is_subset(y, eq)),
            Le => x.is_subset(y, eq),
            Lt => x.len() < y.len() && x.is_subset(y, eq),
            Ge => y.is_subset(x, eq),
            Gt => y.len() < x.len() && y.is_subset(x, eq),
        })
    }

    /// Appends the repr of a set: `{1, 2}`, `set()`.
    pub fn write_set(
        &self,
        out: &mut String,
        s: &Set,
        open: &mut Vec<u32>,
    ) -> Result<(), Exception> {
        if s.is_empty() {
            out.push_str("set()");
            return Ok(());
        }
        out.push('{');
        for (i, (_, k)) in s.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            self.write_repr(out, k, open)?;
        }
        out.push('}');
        Ok(())
    }

    /// The next key of a set iterator's set (None when done; CPython's RuntimeError when
    /// the set changed size).
    pub fn set_next(&self, state: &mut Iter) -> Result<Option<Value>, Exception> {
        let Iter::Set { set, pos, used } = state else {
            return Ok(None);
        };
        let Some(s) = self.set(*set) else {
            return Ok(None);
        };
        if s.len() != *used {
            // CPython stops for good after raising.
            *used = usize::MAX;
            return Err(Exception::new(
                ExcKind::RuntimeError,
                "Set changed size during iteration",
            ));
        }
        Ok(match s.next_at(*pos) {
            Some((k, after)) => {
                *pos = after;
                Some(k)
            }
            None => {
                *pos = usize::MAX;
                None
            }
        })
    }

    /// A method of a set.
    pub fn set_method(&mut self, s: Value, name: &str, pos: &[Value]) -> Result<Value, Exception> {
        let n = pos.len();
        let one = || -> Result<Value, Exception> {
            if n == 1 {
                return Ok(pos[0]);
            }
            Err(Exception::new(
                ExcKind::TypeError,
                format!("set.{name}() takes exactly one argument ({n} given)"),
            ))
        };
        let none = || -> Result<(), Exception> {
            if n == 0 {
                return Ok(());
            }
            Err(Exception::new(
                ExcKind::TypeError,
                format!("set.{name}() takes no arguments ({n} given)"),
            ))
        };
        Ok(match name {
            "add" => {
                let k = one()?;
                self.set_add(s, k)?;
                Value::None
            }
            "remove" | "discard" => {
                let k = one()?;
                let h = self.py_hash(k)?;
                let gone = self.with_set(s, |o, set| Ok(set.discard(h, k, &|p, q| o.eq(p, q))))?;
                if !gone && name == "remove" {
                    return Err(self.key_error(k));
                }
                Value::None
            }
            "pop" => {
                none()?;
                match self.with_set(s, |_, set| Ok(set.pop()))? {
                    Some(k) => k,
                    None => {
                        return Err(Exception::new(ExcKind::KeyError, "'pop from an empty set'"));
                    }
                }
            }
            "clear" => {
                none()?;
                self.with_set(s, |_, set| {
                    set.clear();
                    Ok(())
                })?;
                Value::None
            }
            "copy" => {
                none()?;
                let c = self.set_of(s)?;
                self.new_set(c)
            }
            "update" => {
                for &x in pos {
                    let mut set = self.set(s).cloned().unwrap_or_default();
                    self.set_update(&mut set, x)?;
                    *self.heap.get_mut(handle(s).expect("a set")) = Obj::Set(set);
                }
                Value::None
            }
            "union" => {
                let mut r = self.set_of(s)?;
                for &x in pos {
                    self.set_update(&mut r, x)?;
                }
                self.new_set(r)
            }
            "intersection" | "intersection_update" => {
                let mut r = self.set(s).cloned().unwrap_or_default();
                if pos.is_empty() {
                    r = self.set_of(s)?;
                }
                for (i, &x) in pos.iter().enumerate() {
                    r = self.intersect(&r, i == 0 && x == s, x)?;
                }
                self.finish(s, name, r)
            }
            "difference" => {
                let mut r = match pos.first() {
                    None => self.set_of(s)?,
                    Some(&x) => {
                        let base = self.set(s).cloned().unwrap_or_default();
                        let other = self.as_set(x)?;
                        let eq = &|p, q| self.eq(p, q);
                        if self.set(x).is_some() || self.dict(x).is_some() {
                            base.difference(&other, eq)
                        } else {
                            let mut c = base.copy(eq);
                            c.difference_update(&other, eq);
                            c
                        }
                    }
                };
                for &x in pos.iter().skip(1) {
                    let other = self.as_set(x)?;
                    r.difference_update(&other, &|p, q| self.eq(p, q));
                }
                self.new_set(r)
            }
            "difference_update" => {
                for &x in pos {
                    let mut r = self.set(s).cloned().unwrap_or_default();
                    if x == s {
                        r.clear();
                    } else {
                        let other = self.as_set(x)?;
                        r.difference_update(&other, &|p, q| self.eq(p, q));
                    }
                    *self.heap.get_mut(handle(s).expect("a set")) = Obj::Set(r);
                }
                Value::None
            }
            "symmetric_difference" | "symmetric_difference_update" => {
                let x = one()?;
                let r = if name == "symmetric_difference" {
                    let mut r = self.set_of(x)?;
                    let base = self.set(s).cloned().unwrap_or_default();
                    r.symmetric_difference_update(&base, &|p, q| self.eq(p, q));
                    r
                } else if x == s {
                    Set::new()
                } else {
                    let other = self.as_set(x)?;
                    let mut r = self.set(s).cloned().unwrap_or_default();
                    r.symmetric_difference_update(&other, &|p, q| self.eq(p, q));
                    r
                };
                self.finish(s, name, r)
            }
            "issubset" | "issuperset" | "isdisjoint" => {
                let x = one()?;
                let other = self.as_set(x)?;
                let me = self.set(s).cloned().unwrap_or_default();
                let eq = &|p, q| self.eq(p, q);
                Value::Bool(match name {
                    "issubset" => me.is_subset(&other, eq),
                    "issuperset" => other.is_subset(&me, eq),
                    _ => me.intersection(&other, eq).is_empty(),
                })
            }
            _ => return Err(Exception::no_attribute("set", name)),
        })
    }

    /// `set_intersection` of `r` with `x` (`same`: they are one object).
    fn intersect(&mut self, r: &Set, same: bool, x: Value) -> Result<Set, Exception> {
        if same {
            return Ok(r.copy(&|p, q| self.eq(p, q)));
        }
        if let Some(other) = self.set(x) {
            return Ok(r.intersection(other, &|p, q| self.eq(p, q)));
        }
        let mut out = Set::new();
        for k in self.to_vec(x)? {
            let h = self.py_hash(k)?;
            if r.contains(h, k, &|p, q| self.eq(p, q)) {
                out.add(h, k, &|p, q| self.eq(p, q));
            }
        }
        Ok(out)
    }

    /// A method's result: a new set, or (for the `_update` forms) `s` given its contents.
    fn finish(&mut self, s: Value, name: &str, r: Set) -> Value {
        if name.ends_with("_update") {
            *self.heap.get_mut(handle(s).expect("a set")) = Obj::Set(r);
            Value::None
        } else {
            self.new_set(r)
        }
    }
}

/// The xxHash rounds of CPython's `tuplehash` over item hashes.
fn tuple_mix(lanes: &[i64]) -> i64 {
    let mut acc = XXPRIME_5;
    for &lane in lanes {
        acc = acc.wrapping_add((lane as u64).wrapping_mul(XXPRIME_2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(XXPRIME_1);
    }
    acc = acc.wrapping_add(lanes.len() as u64 ^ (XXPRIME_5 ^ 3_527_539));
    if acc == u64::MAX {
        return 1_546_275_796;
    }
    acc as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_cpythons() {
        // PYTHONHASHSEED=0 python3 -c "print(hash('a'), hash('abc'), hash((1, 2)))"
        assert_eq!(str_hash("a"), 4_644_417_185_603_328_019);
        assert_eq!(str_hash("abc"), -4_594_863_902_769_663_758);
        assert_eq!(str_hash(""), 0);
        assert_eq!(tuple_mix(&[1, 2]), -3_550_055_125_485_641_917);
        assert_eq!(int_hash(-1), -2);
        assert_eq!(int_hash((1 << 61) - 1), 0);
        assert_eq!(int_hash(i64::MIN), -4);
    }
}
