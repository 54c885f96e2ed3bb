//! `cargo xtask bench alloc` (= `cargo bench -p freestand-rt --bench alloc`): rt's allocator against
//! linked_list_allocator alone and glibc malloc, side by side in one process.
//!
//! - churn: N live blocks of 8–512 bytes; each op frees a random one and allocates a new
//!   random size in its place (one free + one alloc = one op), touching the new block.
//! - doubling: one block grown by realloc from 8 B to 32 MiB, doubling, writing its last byte
//!   after each step.

use rt::heap::RtAlloc;
use rt::mmap::Mapping;
use rt::sys::Prot;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// linked_list_allocator's Heap over one big mapping, used as a GlobalAlloc (single thread).
struct ListHeap {
    heap: UnsafeCell<linked_list_allocator::Heap>,
    _memory: Mapping,
}

unsafe impl Sync for ListHeap {}

impl ListHeap {
    fn new(bytes: usize) -> ListHeap {
        let memory = Mapping::anon(bytes, Prot::RW).expect("mapping the heap");
        let mut heap = linked_list_allocator::Heap::empty();
        unsafe { heap.init(memory.as_ptr(), bytes) };
        ListHeap {
            heap: UnsafeCell::new(heap),
            _memory: memory,
        }
    }
}

unsafe impl GlobalAlloc for ListHeap {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        unsafe {
            (*self.heap.get())
                .allocate_first_fit(l)
                .map_or(std::ptr::null_mut(), |p| p.as_ptr())
        }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { (*self.heap.get()).deallocate(std::ptr::NonNull::new_unchecked(p), l) }
    }
}

use rt::rand::XorShift64 as Rng;

fn layout(size: usize) -> Layout {
    Layout::from_size_align(size, 8).unwrap()
}

/// ns per free+alloc pair with `live` blocks outstanding.
fn churn(a: &dyn GlobalAlloc, live: usize, budget: Duration) -> f64 {
    let mut rng = Rng(0x853c49e6748fea9b);
    let size = |rng: &mut Rng| 8 + (rng.next_u64() % 505) as usize;
    let mut slots: Vec<(*mut u8, usize)> = (0..live)
        .map(|_| {
            let s = size(&mut rng);
            let p = unsafe { a.alloc(layout(s)) };
            assert!(!p.is_null());
            (p, s)
        })
        .collect();
    let mut ops = 0u64;
    let start = Instant::now();
    while start.elapsed() < budget {
        for _ in 0..1000 {
            let i = (rng.next_u64() % live as u64) as usize;
            let (p, s) = slots[i];
            let n = size(&mut rng);
            unsafe {
                a.dealloc(p, layout(s));
                let q = a.alloc(layout(n));
                *q = n as u8;
                slots[i] = (black_box(q), n);
            }
        }
        ops += 1000;
    }
    let ns = start.elapsed().as_nanos() as f64 / ops as f64;
    for (p, s) in slots {
        unsafe { a.dealloc(p, layout(s)) };
    }
    ns
}

/// Microseconds to grow one block by doubling from 8 B to 32 MiB (median of 5).
fn doubling(a: &dyn GlobalAlloc) -> f64 {
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let mut size = 8;
            let mut p = unsafe { a.alloc(layout(size)) };
            while size < 32 << 20 {
                p = unsafe { a.realloc(p, layout(size), size * 2) };
                assert!(!p.is_null());
                size *= 2;
                unsafe { *p.add(size - 1) = 1 };
            }
            let t = start.elapsed().as_secs_f64() * 1e6;
            unsafe { a.dealloc(p, layout(size)) };
            t
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[2]
}

fn main() {
    // `cargo bench` passes --bench; anything else is ignored.
    let budget = Duration::from_millis(300);
    println!(
        "cargo xtask bench alloc  (random free+alloc of 8–512 B; ns per op; lower is better)\n"
    );
    println!(
        "| live objects | rt (RtAlloc) | linked_list_allocator alone | glibc malloc | rt / glibc |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for live in [100usize, 1_000, 10_000, 50_000] {
        let rt = churn(&RtAlloc::new(), live, budget);
        let list = churn(&ListHeap::new(1 << 30), live, budget);
        let glibc = churn(&System, live, budget);
        println!(
            "| {live} | {rt:.1} | {list:.1} | {glibc:.1} | {:.2} |",
            rt / glibc
        );
    }
    let rt = doubling(&RtAlloc::new());
    let list = doubling(&ListHeap::new(1 << 30));
    let glibc = doubling(&System);
    println!(
        "\n| Vec doubling 8 B → 32 MiB (µs, median of 5) | rt | linked_list_allocator alone | glibc malloc | rt / glibc |"
    );
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| realloc ×22 | {rt:.1} | {list:.1} | {glibc:.1} | {:.2} |",
        rt / glibc
    );
}
