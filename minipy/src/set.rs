//! The table behind sets, as CPython 3.11's `Objects/setobject.c` keeps it: open
//! addressing over a power-of-two table, nine linear probes then a perturbed jump, removed
//! keys left as dummies that a later add may reuse, the same growth and shrink rules and
//! the same shortcuts in copies and merges — so a set iterates (and prints) in CPython's
//! order, given CPython's hashes ([`crate::objects::Objects::py_hash`]). Like
//! [`crate::dict`], it knows nothing of Python's values: the caller hashes keys and says
//! when two are equal.

use crate::value::Value;
use alloc::vec;
use alloc::vec::Vec;

/// `PySet_MINSIZE`.
const MIN_SIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

/// One slot: unused (`Unbound`, hash 0), a dummy (`Unbound`, hash -1) or a key and its hash.
#[derive(Clone, Copy, Debug)]
struct Slot {
    hash: i64,
    key: Value,
}

const UNUSED: Slot = Slot {
    hash: 0,
    key: Value::Unbound,
};
const DUMMY: Slot = Slot {
    hash: -1,
    key: Value::Unbound,
};

impl Slot {
    fn is_active(&self) -> bool {
        !matches!(self.key, Value::Unbound)
    }

    fn is_unused(&self) -> bool {
        matches!(self.key, Value::Unbound) && self.hash == 0
    }
}

/// How many slots after `i` a probe also looks at before it jumps (none near the end).
fn linear_probes(i: usize, mask: usize) -> usize {
    if i + LINEAR_PROBES <= mask {
        LINEAR_PROBES
    } else {
        0
    }
}

/// Where a probe jumps after the run at `i` (`perturb` already shifted).
fn next_probe(i: usize, perturb: u64, mask: usize) -> usize {
    (i.wrapping_mul(5)
        .wrapping_add(1)
        .wrapping_add(perturb as usize))
        & mask
}

/// Key equality, supplied by the caller.
pub type Eq<'a> = &'a dyn Fn(Value, Value) -> bool;

#[derive(Clone, Debug)]
pub struct Set {
    table: Vec<Slot>,
    /// Active and dummy slots.
    fill: usize,
    /// Active slots.
    used: usize,
    /// Where `pop` looks first.
    finger: usize,
}

impl Default for Set {
    fn default() -> Set {
        Set::new()
    }
}

impl Set {
    pub fn new() -> Set {
        Set {
            table: vec![UNUSED; MIN_SIZE],
            fill: 0,
            used: 0,
            finger: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.used
    }

    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    fn mask(&self) -> usize {
        self.table.len() - 1
    }

    /// The keys and their hashes in table order (the order CPython iterates in).
    pub fn iter(&self) -> impl Iterator<Item = (i64, Value)> + '_ {
        self.table
            .iter()
            .filter(|s| s.is_active())
            .map(|s| (s.hash, s.key))
    }

    /// The keys, to be rewritten in place (by the big-int heap's compactor: a key's hash
    /// does not change with its handle).
    pub fn keys_mut(&mut self) -> impl Iterator<Item = &mut Value> {
        self.table
            .iter_mut()
            .filter(|s| s.is_active())
            .map(|s| &mut s.key)
    }

    /// The first key at table position `pos` or after it, and the position after that key.
    pub fn next_at(&self, pos: usize) -> Option<(Value, usize)> {
        let (i, s) = self
            .table
            .iter()
            .enumerate()
            .skip(pos)
            .find(|(_, s)| s.is_active())?;
        Some((s.key, i + 1))
    }

    /// `set_lookkey`: the slot of `key`, if present.
    fn find(&self, hash: i64, key: Value, eq: Eq) -> Option<usize> {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = hash as u64 as usize & mask;
        loop {
            let probes = linear_probes(i, mask);
            for j in i..=i + probes {
                let s = self.table[j];
                if s.is_unused() {
                    return None;
                }
                if s.hash == hash && s.is_active() && eq(s.key, key) {
                    return Some(j);
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = next_probe(i, perturb, mask);
        }
    }

    pub fn contains(&self, hash: i64, key: Value, eq: Eq) -> bool {
        self.find(hash, key, eq).is_some()
    }

    /// `set_add_entry`: adds `key` unless an equal key is present (whether it was added).
    pub fn add(&mut self, hash: i64, key: Value, eq: Eq) -> bool {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = hash as u64 as usize & mask;
        let mut free = None;
        let found = loop {
            let probes = linear_probes(i, mask);
            let mut unused = None;
            for j in i..=i + probes {
                let s = self.table[j];
                if s.is_unused() {
                    unused = Some(j);
                    break;
                }
                if s.hash == hash && s.is_active() {
                    if eq(s.key, key) {
                        return false;
                    }
                } else if s.hash == -1 && !s.is_active() {
                    // The last dummy on the way, as CPython 3.11 takes it.
                    free = Some(j);
                }
            }
            if let Some(j) = unused {
                break j;
            }
            perturb >>= PERTURB_SHIFT;
            i = next_probe(i, perturb, mask);
        };
        if let Some(j) = free {
            self.used += 1;
            self.table[j] = Slot { hash, key };
            return true;
        }
        self.fill += 1;
        self.used += 1;
        self.table[found] = Slot { hash, key };
        if self.fill * 5 >= mask * 3 {
            self.resize(if self.used > 50_000 {
                self.used * 2
            } else {
                self.used * 4
            });
        }
        true
    }

    /// `set_discard_entry`: removes `key` (whether it was there).
    pub fn discard(&mut self, hash: i64, key: Value, eq: Eq) -> bool {
        match self.find(hash, key, eq) {
            Some(j) => {
                self.table[j] = DUMMY;
                self.used -= 1;
                true
            }
            None => false,
        }
    }

    /// `set_pop`: a key taken from the table, starting where the last one was taken.
    pub fn pop(&mut self) -> Option<Value> {
        if self.used == 0 {
            return None;
        }
        let mask = self.mask();
        let mut i = self.finger & mask;
        while !self.table[i].is_active() {
            i = if i == mask { 0 } else { i + 1 };
        }
        let key = self.table[i].key;
        self.table[i] = DUMMY;
        self.used -= 1;
        self.finger = i + 1;
        Some(key)
    }

    /// `set_clear_internal`: back to the small empty table.
    pub fn clear(&mut self) {
        *self = Set::new();
    }

    /// `set_insert_clean`: into a table with no dummies and no equal key.
    fn insert_clean(table: &mut [Slot], hash: i64, key: Value) {
        let mask = table.len() - 1;
        let mut perturb = hash as u64;
        let mut i = hash as u64 as usize & mask;
        loop {
            if table[i].is_unused() {
                table[i] = Slot { hash, key };
                return;
            }
            if i + LINEAR_PROBES <= mask
                && let Some(s) = table[i + 1..=i + LINEAR_PROBES]
                    .iter_mut()
                    .find(|s| s.is_unused())
            {
                *s = Slot { hash, key };
                return;
            }
            perturb >>= PERTURB_SHIFT;
            i = next_probe(i, perturb, mask);
        }
    }

    /// `set_table_resize`: the smallest table above `min_used`, the keys moved over
    /// (dummies dropped).
    fn resize(&mut self, min_used: usize) {
        let mut size = MIN_SIZE;
        while size <= min_used {
            size <<= 1;
        }
        let old = core::mem::replace(&mut self.table, vec![UNUSED; size]);
        self.fill = self.used;
        for s in old.iter().filter(|s| s.is_active()) {
            Set::insert_clean(&mut self.table, s.hash, s.key);
        }
    }

    /// Makes room before `n` keys are added (`set_update_internal` for a dict, `set_merge`).
    pub fn reserve(&mut self, n: usize) {
        if (self.fill + n) * 5 >= self.mask() * 3 {
            self.resize((self.used + n) * 2);
        }
    }

    /// `set_merge`: every key of `other` added.
    pub fn merge(&mut self, other: &Set, eq: Eq) {
        if other.used == 0 {
            return;
        }
        self.reserve(other.used);
        if self.fill == 0 && self.table.len() == other.table.len() && other.fill == other.used {
            self.table.copy_from_slice(&other.table);
            self.fill = other.fill;
            self.used = other.used;
            return;
        }
        if self.fill == 0 {
            self.fill = other.used;
            self.used = other.used;
            for s in other.table.iter().filter(|s| s.is_active()) {
                Set::insert_clean(&mut self.table, s.hash, s.key);
            }
            return;
        }
        for (h, k) in other.iter() {
            self.add(h, k, eq);
        }
    }

    /// A copy as `set(s)` makes it (`make_new_set` then `set_merge`).
    pub fn copy(&self, eq: Eq) -> Set {
        let mut s = Set::new();
        s.merge(self, eq);
        s
    }

    /// After removals by `set_difference_update_internal`: a table more than a quarter
    /// dummies is rebuilt.
    pub fn shrink_after_removals(&mut self) {
        if self.fill - self.used > self.mask() / 4 {
            self.resize(if self.used > 50_000 {
                self.used * 2
            } else {
                self.used * 4
            });
        }
    }

    /// `set_intersection` with another set: the smaller one walked, in its order.
    pub fn intersection(&self, other: &Set, eq: Eq) -> Set {
        let (small, big) = if other.used > self.used {
            (self, other)
        } else {
            (other, self)
        };
        let mut out = Set::new();
        for (h, k) in small.iter() {
            if big.contains(h, k, eq) {
                out.add(h, k, eq);
            }
        }
        out
    }

    /// `set_difference` with another set.
    pub fn difference(&self, other: &Set, eq: Eq) -> Set {
        if (self.used >> 2) > other.used {
            let mut out = self.copy(eq);
            out.difference_update(other, eq);
            return out;
        }
        let mut out = Set::new();
        for (h, k) in self.iter() {
            if !other.contains(h, k, eq) {
                out.add(h, k, eq);
            }
        }
        out
    }

    /// `set_difference_update_internal` with another set (not the same one).
    pub fn difference_update(&mut self, other: &Set, eq: Eq) {
        let walked;
        let other = if (other.used >> 3) > self.used {
            walked = self.intersection(other, eq);
            &walked
        } else {
            other
        };
        for (h, k) in other.iter() {
            self.discard(h, k, eq);
        }
        self.shrink_after_removals();
    }

    /// `set_symmetric_difference_update` with another set (not the same one).
    pub fn symmetric_difference_update(&mut self, other: &Set, eq: Eq) {
        for (h, k) in other.iter() {
            if !self.discard(h, k, eq) {
                self.add(h, k, eq);
            }
        }
    }

    /// `set_issubset`.
    pub fn is_subset(&self, other: &Set, eq: Eq) -> bool {
        self.used <= other.used && self.iter().all(|(h, k)| other.contains(h, k, eq))
    }
}
