//! The table behind dicts: entries in insertion order (as CPython keeps them), found
//! through an open-addressing index of their hashes. It knows nothing of Python's values:
//! the caller hashes keys and says when two are equal ([`crate::objects`] does both).

use crate::value::Value;
use alloc::vec;
use alloc::vec::Vec;

const EMPTY: u32 = u32::MAX;
/// An index slot whose entry was removed (probing goes on past it).
const DELETED: u32 = u32::MAX - 1;

/// One entry: the key's hash, the key, the value.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub hash: u64,
    pub key: Value,
    pub value: Value,
}

#[derive(Clone, Debug, Default)]
pub struct Dict {
    /// In insertion order; a deleted one is None until the table is rebuilt.
    pub entries: Vec<Option<Entry>>,
    /// Indices into `entries` (EMPTY where none), a power of two long.
    index: Vec<u32>,
    live: usize,
}

impl Dict {
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The live entries in order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().flatten()
    }

    /// The position in `entries` of the key equal to `key` (hash `hash`).
    pub fn find(&self, hash: u64, key: Value, eq: &dyn Fn(Value, Value) -> bool) -> Option<usize> {
        self.slot(hash, key, eq).map(|(_, at)| at)
    }

    /// The index slot and entry position of `key`.
    #[inline]
    fn slot(
        &self,
        hash: u64,
        key: Value,
        eq: &dyn Fn(Value, Value) -> bool,
    ) -> Option<(usize, usize)> {
        if self.index.is_empty() {
            return None;
        }
        let mask = self.index.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let at = self.index[i];
            if at == EMPTY {
                return None;
            }
            if at != DELETED
                && let Some(e) = &self.entries[at as usize]
                && e.hash == hash
                && eq(e.key, key)
            {
                return Some((i, at as usize));
            }
            i = (i + 1) & mask;
        }
    }

    #[inline]
    pub fn get(&self, hash: u64, key: Value, eq: &dyn Fn(Value, Value) -> bool) -> Option<Value> {
        self.find(hash, key, eq)
            .and_then(|i| self.entries[i].map(|e| e.value))
    }

    /// Sets `key` to `value` (a new key goes last; an existing one keeps its place and key).
    pub fn insert(
        &mut self,
        hash: u64,
        key: Value,
        value: Value,
        eq: &dyn Fn(Value, Value) -> bool,
    ) {
        if let Some(i) = self.find(hash, key, eq) {
            if let Some(e) = &mut self.entries[i] {
                e.value = value;
            }
            return;
        }
        if (self.entries.len() + 1) * 3 >= self.index.len() * 2 {
            self.rebuild();
        }
        self.entries.push(Some(Entry { hash, key, value }));
        self.place(hash, self.entries.len() as u32 - 1);
        self.live += 1;
    }

    /// Removes `key`; its value.
    pub fn remove(
        &mut self,
        hash: u64,
        key: Value,
        eq: &dyn Fn(Value, Value) -> bool,
    ) -> Option<Value> {
        let (slot, at) = self.slot(hash, key, eq)?;
        let e = self.entries[at].take()?;
        self.index[slot] = DELETED;
        self.live -= 1;
        Some(e.value)
    }

    pub fn clear(&mut self) {
        *self = Dict::default();
    }

    fn place(&mut self, hash: u64, at: u32) {
        let mask = self.index.len() - 1;
        let mut i = hash as usize & mask;
        while self.index[i] != EMPTY {
            i = (i + 1) & mask;
        }
        self.index[i] = at;
    }

    /// Compacts the entries and sizes the index for them.
    fn rebuild(&mut self) {
        self.entries.retain(Option::is_some);
        let mut size = 8;
        while size * 2 < (self.entries.len() + 1) * 3 {
            size *= 2;
        }
        self.index = vec![EMPTY; size * 2];
        for at in 0..self.entries.len() {
            if let Some(e) = self.entries[at] {
                self.place(e.hash, at as u32);
            }
        }
    }
}
