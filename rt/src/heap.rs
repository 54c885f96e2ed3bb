//! [`RtAlloc`]: the global allocator of freestanding binaries.
//!
//! Three routes, chosen from the `Layout` alone (GlobalAlloc::dealloc gets the layout back,
//! so no block carries a header):
//!
//! - **small** (size ≤ 16 KiB, align ≤ 16): 36 size classes — multiples of 16 up to 128,
//!   then four per power of two — each an O(1) LIFO free list, refilled by carving chunks
//!   that come from the general heap. Freed small blocks stay in their class.
//! - **medium**: `linked_list_allocator::Heap` (first fit) over arenas of address space
//!   reserved once with `PROT_NONE` and committed (`mprotect` RW) in growing chunks. When an
//!   arena's reservation is used up a new, twice larger one is reserved, so there is no cap
//!   but the machine's.
//! - **large** (size ≥ 128 KiB): their own mmap, `mremap` on realloc (page-table moves, no
//!   copying), munmap on free.
//!
//! The grow path makes only mmap/mprotect syscalls: it never allocates (its lock is held).
//! Out of memory returns null, and the alloc error handler reports it (a panic in rt's
//! handler: "memory allocation of N bytes failed", exit 101).

use crate::mmap::{PAGE_SIZE, page_round_up, reserve_address_space};
use crate::sync::SpinLock;
use crate::sys::{self, MapFlags, Prot};
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicUsize, Ordering};
use linked_list_allocator::Heap;

/// Largest size served by the size classes.
pub const SMALL_MAX: usize = 16 * 1024;
/// Smallest size sent straight to mmap.
pub const LARGE_MIN: usize = 128 * 1024;
/// Number of small size classes.
pub const CLASSES: usize = 36;
/// Address space the first arena reserves; each further arena reserves twice the last.
pub const DEFAULT_RESERVATION: usize = 1 << 30;

const MAX_ARENAS: usize = 24;
const MIN_COMMIT: usize = 256 * 1024;
const SMALL_ALIGN: usize = 16;

/// The size class of a small request (`size` ≤ [`SMALL_MAX`]).
#[inline]
pub const fn class_of(size: usize) -> usize {
    if size <= 128 {
        if size == 0 { 0 } else { size.div_ceil(16) - 1 }
    } else {
        // 2^p < size ≤ 2^(p+1); four classes split each such range.
        let p = (usize::BITS - 1 - (size - 1).leading_zeros()) as usize;
        let step = 1 << (p - 2);
        let k = (size - (1 << p)).div_ceil(step);
        8 + (p - 7) * 4 + k - 1
    }
}

/// The block size of class `c`.
#[inline]
pub const fn class_size(c: usize) -> usize {
    if c < 8 {
        (c + 1) * 16
    } else {
        let j = c - 8;
        let p = 7 + j / 4;
        (1 << p) + (j % 4 + 1) * (1 << (p - 2))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    Small(usize),
    Medium,
    Large,
}

#[inline]
fn route(size: usize, align: usize) -> Route {
    if size <= SMALL_MAX && align <= SMALL_ALIGN {
        Route::Small(class_of(size))
    } else if size >= LARGE_MIN {
        Route::Large
    } else {
        Route::Medium
    }
}

struct FreeBlock {
    next: *mut FreeBlock,
}

struct Arena {
    heap: Heap,
    base: usize,
    reserved: usize,
    committed: usize,
}

impl Arena {
    const EMPTY: Arena = Arena {
        heap: Heap::empty(),
        base: 0,
        reserved: 0,
        committed: 0,
    };

    fn contains(&self, addr: usize) -> bool {
        addr.wrapping_sub(self.base) < self.committed
    }

    /// Commits at least `need` more bytes at the top, or fails if the reservation is full.
    fn grow(&mut self, need: usize) -> bool {
        let room = self.reserved - self.committed;
        let by = page_round_up(need.max(self.committed).max(MIN_COMMIT)).min(room);
        if by < need {
            return false;
        }
        let top = (self.base + self.committed) as *mut u8;
        // SAFETY: [top, top + by) lies inside this arena's reservation, which we own and
        // which holds no live data yet.
        if unsafe { sys::mprotect(top, by, Prot::RW) }.is_err() {
            return false;
        }
        // SAFETY: the new bytes directly follow the heap's current top and live forever.
        unsafe { self.heap.extend(by) };
        self.committed += by;
        true
    }
}

struct State {
    free: [*mut FreeBlock; CLASSES],
    /// Per class: the unused tail of its latest chunk, as (cursor, end).
    carve: [(usize, usize); CLASSES],
    arenas: [Arena; MAX_ARENAS],
    arena_count: usize,
    next_reservation: usize,
}

// SAFETY: the raw pointers are owned by the allocator state and only touched under its lock.
unsafe impl Send for State {}

impl State {
    /// Allocates from the general heap, growing it or adding an arena when full.
    fn medium_alloc(&mut self, layout: Layout) -> *mut u8 {
        for arena in self.arenas[..self.arena_count].iter_mut().rev() {
            if let Ok(p) = arena.heap.allocate_first_fit(layout) {
                return p.as_ptr();
            }
        }
        // Room for the block, worst-case alignment padding and the hole list's bookkeeping.
        let need = layout.size() + layout.align() + 64;
        if self.arena_count > 0 && self.arenas[self.arena_count - 1].grow(need) {
            let arena = &mut self.arenas[self.arena_count - 1];
            if let Ok(p) = arena.heap.allocate_first_fit(layout) {
                return p.as_ptr();
            }
        }
        if !self.add_arena(need) {
            return ptr::null_mut();
        }
        let arena = &mut self.arenas[self.arena_count - 1];
        arena
            .heap
            .allocate_first_fit(layout)
            .map_or(ptr::null_mut(), |p| p.as_ptr())
    }

    fn add_arena(&mut self, need: usize) -> bool {
        if self.arena_count == MAX_ARENAS {
            return false;
        }
        let commit = page_round_up(need.max(MIN_COMMIT));
        let next = if self.next_reservation == 0 {
            DEFAULT_RESERVATION
        } else {
            self.next_reservation
        };
        let Ok((base, reserve)) = reserve_address_space(next.max(commit), commit) else {
            return false;
        };
        let base = base.as_ptr();
        // SAFETY: base..base+commit is inside the fresh reservation.
        if unsafe { sys::mprotect(base, commit, Prot::RW) }.is_err() {
            // SAFETY: we own the reservation and nothing uses it.
            let _ = unsafe { sys::munmap(base, reserve) };
            return false;
        }
        let arena = &mut self.arenas[self.arena_count];
        // SAFETY: the committed range is ours for the rest of the process and unused.
        unsafe { arena.heap.init(base, commit) };
        arena.base = base as usize;
        arena.reserved = reserve;
        arena.committed = commit;
        self.arena_count += 1;
        self.next_reservation = reserve.saturating_mul(2);
        true
    }

    fn medium_dealloc(&mut self, p: *mut u8, layout: Layout) {
        let addr = p as usize;
        for arena in self.arenas[..self.arena_count].iter_mut() {
            if arena.contains(addr) {
                // SAFETY: the block came from this arena's heap with this layout.
                unsafe { arena.heap.deallocate(NonNull::new_unchecked(p), layout) };
                return;
            }
        }
        debug_assert!(false, "freed a pointer no arena owns");
    }

    #[inline]
    fn small_alloc(&mut self, c: usize) -> *mut u8 {
        let head = self.free[c];
        if !head.is_null() {
            // SAFETY: blocks on a free list are ours and hold a FreeBlock.
            self.free[c] = unsafe { (*head).next };
            return head.cast();
        }
        let size = class_size(c);
        let (cursor, end) = self.carve[c];
        if end - cursor >= size {
            self.carve[c].0 = cursor + size;
            return cursor as *mut u8;
        }
        self.refill(c, size)
    }

    #[cold]
    fn refill(&mut self, c: usize, size: usize) -> *mut u8 {
        let chunk = (16 * 1024).max(8 * size);
        // SAFETY: chunk is non-zero and SMALL_ALIGN a power of two.
        let layout = unsafe { Layout::from_size_align_unchecked(chunk, SMALL_ALIGN) };
        let p = self.medium_alloc(layout);
        if p.is_null() {
            return p;
        }
        self.carve[c] = (p as usize + size, p as usize + chunk);
        p
    }

    #[inline]
    fn small_dealloc(&mut self, p: *mut u8, c: usize) {
        let block = p.cast::<FreeBlock>();
        // SAFETY: the block is at least 16 bytes, 16-aligned and no longer used by anyone.
        unsafe { block.write(FreeBlock { next: self.free[c] }) };
        self.free[c] = block;
    }
}

/// Figures for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Arenas reserved so far.
    pub arenas: usize,
    /// Address space reserved by all arenas.
    pub reserved: usize,
    /// Bytes of arena memory made read-write.
    pub committed: usize,
    /// Bytes the general heap has handed out (small-class chunks included).
    pub heap_used: usize,
    /// Bytes in live large (own-mmap) blocks, rounded to pages.
    pub large: usize,
}

/// The allocator. `RtAlloc::new()` is const, so it can be a `#[global_allocator]` static;
/// it maps nothing until the first allocation.
pub struct RtAlloc {
    state: SpinLock<State>,
    large_bytes: AtomicUsize,
}

impl Default for RtAlloc {
    fn default() -> Self {
        Self::new()
    }
}

impl RtAlloc {
    pub const fn new() -> RtAlloc {
        // 0 stands for DEFAULT_RESERVATION: an all-zero static lives in .bss, not the file.
        Self::with_reservation(0)
    }

    /// An allocator whose first arena reserves `bytes` of address space (tests use a small
    /// one to exercise the multi-arena path).
    pub const fn with_reservation(bytes: usize) -> RtAlloc {
        RtAlloc {
            state: SpinLock::new(State {
                free: [ptr::null_mut(); CLASSES],
                carve: [(0, 0); CLASSES],
                arenas: [const { Arena::EMPTY }; MAX_ARENAS],
                arena_count: 0,
                next_reservation: page_round_up(bytes),
            }),
            large_bytes: AtomicUsize::new(0),
        }
    }

    pub fn stats(&self) -> Stats {
        let st = self.state.lock();
        let arenas = &st.arenas[..st.arena_count];
        Stats {
            arenas: st.arena_count,
            reserved: arenas.iter().map(|a| a.reserved).sum(),
            committed: arenas.iter().map(|a| a.committed).sum(),
            heap_used: arenas.iter().map(|a| a.heap.used()).sum(),
            large: self.large_bytes.load(Ordering::Relaxed),
        }
    }

    fn large_alloc(&self, size: usize, align: usize) -> *mut u8 {
        let len = page_round_up(size);
        let extra = if align > PAGE_SIZE { align } else { 0 };
        let Some(total) = len.checked_add(extra) else {
            return ptr::null_mut();
        };
        let flags = MapFlags::PRIVATE | MapFlags::ANONYMOUS;
        // SAFETY: no MAP_FIXED: fresh pages, nothing replaced.
        let Ok(p) = (unsafe { sys::mmap(ptr::null_mut(), total, Prot::RW, flags, None, 0) }) else {
            return ptr::null_mut();
        };
        let mut start = p as usize;
        if extra != 0 {
            // Over-allocated by `align`: unmap the misaligned head and the unused tail.
            let aligned = (start + align - 1) & !(align - 1);
            // SAFETY: both trimmed ranges are parts of the mapping just made, unused.
            unsafe {
                if aligned > start {
                    let _ = sys::munmap(start as *mut u8, aligned - start);
                }
                let tail = total - (aligned - start) - len;
                if tail > 0 {
                    let _ = sys::munmap((aligned + len) as *mut u8, tail);
                }
            }
            start = aligned;
        }
        self.large_bytes.fetch_add(len, Ordering::Relaxed);
        start as *mut u8
    }

    fn large_dealloc(&self, p: *mut u8, size: usize) {
        let len = page_round_up(size);
        // SAFETY: the block is a mapping of `len` bytes that we made and the caller gave up.
        let _ = unsafe { sys::munmap(p, len) };
        self.large_bytes.fetch_sub(len, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for RtAlloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match route(layout.size(), layout.align()) {
            Route::Small(c) => self.state.lock().small_alloc(c),
            Route::Medium => self.state.lock().medium_alloc(layout),
            Route::Large => self.large_alloc(layout.size(), layout.align()),
        }
    }

    #[inline]
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        match route(layout.size(), layout.align()) {
            Route::Small(c) => self.state.lock().small_dealloc(p, c),
            Route::Medium => self.state.lock().medium_dealloc(p, layout),
            Route::Large => self.large_dealloc(p, layout.size()),
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if route(layout.size(), layout.align()) == Route::Large {
            // Fresh anonymous pages are already zero.
            return self.large_alloc(layout.size(), layout.align());
        }
        // SAFETY: forwarded to the caller.
        let p = unsafe { self.alloc(layout) };
        if !p.is_null() {
            // SAFETY: p is a fresh block of layout.size() bytes.
            unsafe { ptr::write_bytes(p, 0, layout.size()) };
        }
        p
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        match (route(layout.size(), align), route(new_size, align)) {
            (Route::Small(a), Route::Small(b)) if a == b => return p,
            (Route::Large, Route::Large) if align <= PAGE_SIZE => {
                let (old_len, new_len) = (page_round_up(layout.size()), page_round_up(new_size));
                if old_len == new_len {
                    return p;
                }
                // SAFETY: p is our mapping of old_len bytes; the caller gives up p on success.
                return match unsafe { sys::mremap(p, old_len, new_len, sys::MREMAP_MAYMOVE) } {
                    Ok(q) => {
                        self.large_bytes.fetch_add(new_len, Ordering::Relaxed);
                        self.large_bytes.fetch_sub(old_len, Ordering::Relaxed);
                        q
                    }
                    Err(_) => ptr::null_mut(),
                };
            }
            _ => {}
        }
        // SAFETY: align is a valid alignment and the caller guarantees new_size fits isize.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, align) };
        // SAFETY: a normal allocation of a non-zero size.
        let q = unsafe { self.alloc(new_layout) };
        if !q.is_null() {
            // SAFETY: both blocks are live and distinct; copy what both can hold.
            unsafe {
                ptr::copy_nonoverlapping(p, q, layout.size().min(new_size));
                self.dealloc(p, layout);
            }
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    #[test]
    fn classes_cover_every_small_size_with_at_most_a_quarter_wasted() {
        let mut last_class = 0;
        for size in 1..=SMALL_MAX {
            let c = class_of(size);
            assert!(c < CLASSES, "size {size} -> class {c}");
            assert!(c >= last_class, "classes are monotonic");
            let cs = class_size(c);
            assert!(
                cs >= size && cs.is_multiple_of(16),
                "size {size} in class of {cs}"
            );
            assert!(
                c == 0 || class_size(c - 1) < size,
                "size {size} not in the smallest fitting class"
            );
            assert!(
                size <= 128 || (cs - size) * 4 <= size,
                "waste for {size}: {cs}"
            );
            last_class = c;
        }
        assert_eq!(class_of(SMALL_MAX), CLASSES - 1);
        assert_eq!(class_size(CLASSES - 1), SMALL_MAX);
        assert_eq!(
            (
                class_size(0),
                class_size(7),
                class_size(8),
                class_size(11),
                class_size(12)
            ),
            (16, 128, 160, 256, 320)
        );
    }

    #[test]
    fn routes_by_size_and_alignment() {
        assert_eq!(route(0, 1), Route::Small(0));
        assert_eq!(route(SMALL_MAX, 16), Route::Small(CLASSES - 1));
        assert_eq!(route(64, 32), Route::Medium);
        assert_eq!(route(SMALL_MAX + 1, 8), Route::Medium);
        assert_eq!(route(LARGE_MIN - 1, 8), Route::Medium);
        assert_eq!(route(LARGE_MIN, 8), Route::Large);
        assert_eq!(route(LARGE_MIN, 1 << 20), Route::Large);
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn small_blocks_are_reused_last_in_first_out() {
        let a = RtAlloc::new();
        unsafe {
            let p = a.alloc(layout(24, 8));
            let q = a.alloc(layout(32, 8));
            assert_eq!(
                q as usize - p as usize,
                32,
                "carved side by side from one chunk"
            );
            a.dealloc(p, layout(24, 8));
            assert_eq!(
                a.alloc(layout(20, 4)),
                p,
                "same class, freed block comes back"
            );
            let big = a.alloc(layout(100, 16));
            assert_eq!(big as usize % 16, 0);
        }
    }

    #[test]
    fn every_route_honours_alignment() {
        let a = RtAlloc::new();
        for &size in &[1usize, 17, 100, 5000, SMALL_MAX, 40_000, LARGE_MIN, 300_000] {
            for &align in &[1usize, 8, 16, 32, 64, 4096, 8192, 1 << 16] {
                let l = layout(size, align);
                unsafe {
                    let p = a.alloc(l);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    p.write_bytes(0xab, size);
                    a.dealloc(p, l);
                }
            }
        }
    }

    #[test]
    fn grows_past_one_arena_without_a_cap() {
        let a = RtAlloc::with_reservation(1 << 20);
        let l = layout(60_000, 8);
        let blocks: Vec<*mut u8> = (0..200)
            .map(|i| unsafe {
                let p = a.alloc(l);
                assert!(!p.is_null());
                p.write_bytes(i as u8, l.size());
                p
            })
            .collect();
        let st = a.stats();
        assert!(st.arenas >= 3, "{st:?}");
        assert!(st.committed >= 200 * 60_000, "{st:?}");
        assert!(st.committed <= st.reserved, "{st:?}");
        for (i, &p) in blocks.iter().enumerate() {
            unsafe {
                assert!(
                    std::slice::from_raw_parts(p, l.size())
                        .iter()
                        .all(|&b| b == i as u8)
                );
                a.dealloc(p, l);
            }
        }
        assert_eq!(a.stats().heap_used, 0);
    }

    #[test]
    fn large_blocks_move_by_mremap_and_keep_their_bytes() {
        let a = RtAlloc::new();
        unsafe {
            let mut l = layout(LARGE_MIN, 8);
            let mut p = a.alloc_zeroed(l);
            assert!(
                std::slice::from_raw_parts(p, l.size())
                    .iter()
                    .all(|&b| b == 0)
            );
            p.write_bytes(0x5a, l.size());
            for size in [LARGE_MIN * 2, LARGE_MIN * 64, LARGE_MIN * 3] {
                p = a.realloc(p, l, size);
                assert!(!p.is_null());
                assert_eq!(a.stats().large, page_round_up(size));
                let keep = l.size().min(size);
                assert!(
                    std::slice::from_raw_parts(p, keep)
                        .iter()
                        .all(|&b| b == 0x5a)
                );
                p.write_bytes(0x5a, size);
                l = layout(size, 8);
            }
            // Large to small and back: data follows the block across routes.
            p = a.realloc(p, l, 100);
            assert!(
                std::slice::from_raw_parts(p, 100)
                    .iter()
                    .all(|&b| b == 0x5a)
            );
            assert_eq!(a.stats().large, 0);
            a.dealloc(p, layout(100, 8));
        }
    }

    #[test]
    fn random_mixed_workload_matches_a_model() {
        // Blocks carry their own index as a fill byte; any overlap or lost copy shows up.
        let a = RtAlloc::with_reservation(4 << 20);
        let mut seed = 0x9e3779b97f4a7c15u64;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        for step in 0..60_000u32 {
            let r = rand();
            if live.len() > 3000 || (r % 3 == 0 && !live.is_empty()) {
                let (p, l, tag) = live.swap_remove((r >> 8) as usize % live.len());
                unsafe {
                    assert!(
                        std::slice::from_raw_parts(p, l.size())
                            .iter()
                            .all(|&b| b == tag),
                        "step {step}"
                    );
                    a.dealloc(p, l);
                }
            } else if r % 7 == 1 && !live.is_empty() {
                let i = (r >> 8) as usize % live.len();
                let (p, l, tag) = live[i];
                let new_size = 1 + (rand() % 200_000) as usize;
                unsafe {
                    let q = a.realloc(p, l, new_size);
                    assert!(!q.is_null());
                    let keep = l.size().min(new_size);
                    assert!(
                        std::slice::from_raw_parts(q, keep)
                            .iter()
                            .all(|&b| b == tag)
                    );
                    q.write_bytes(tag, new_size);
                    live[i] = (q, layout(new_size, l.align()), tag);
                }
            } else {
                let size = match r % 10 {
                    0..=6 => 1 + (r >> 16) as usize % 512,
                    7 | 8 => 1 + (r >> 16) as usize % 60_000,
                    _ => 1 + (r >> 16) as usize % 400_000,
                };
                let align = 1 << ((r >> 40) % 7);
                let l = layout(size, align);
                let tag = step as u8;
                unsafe {
                    let p = a.alloc(l);
                    assert!(!p.is_null() && (p as usize).is_multiple_of(align));
                    p.write_bytes(tag, size);
                    live.push((p, l, tag));
                }
            }
        }
        for (p, l, _) in live {
            unsafe { a.dealloc(p, l) };
        }
        assert_eq!(a.stats().large, 0);
    }
}
