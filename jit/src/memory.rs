//! Executable memory under W^X: a [`CodeRegion`] reserves address space once and hands out
//! 16-byte-aligned slots by bumping, so every function's final address is known before it
//! is encoded or relocated. Pages are read-write only while code is written into them and
//! read-execute before anything can call them — never both. Fresh space is filled with
//! int3 (0xCC), so a stray jump into it traps.
//!
//! The mmap/mprotect calls go through [`PageAccess`], so the state machine is unit-tested
//! with a recording fake (`tests` below) as well as with the real [`SystemPages`].

use crate::error::Error;
use alloc::vec::Vec;
use rt::Errno;
use rt::sys::{self, Prot};

/// Page-level memory operations.
pub trait PageAccess {
    /// Reserves `len` bytes of inaccessible address space.
    fn reserve(&mut self, len: usize) -> Result<*mut u8, Errno>;
    /// Changes the protection of whole pages.
    ///
    /// # Safety
    /// The range lies inside a reservation of this object, and nothing relies on access the
    /// new protection removes.
    unsafe fn protect(&mut self, addr: *mut u8, len: usize, prot: Prot) -> Result<(), Errno>;
    /// Returns a reservation.
    ///
    /// # Safety
    /// Nothing may use the range afterwards.
    unsafe fn release(&mut self, addr: *mut u8, len: usize);
}

/// The real thing: rt's mmap, mprotect and munmap.
#[derive(Debug, Default)]
pub struct SystemPages;

impl PageAccess for SystemPages {
    fn reserve(&mut self, len: usize) -> Result<*mut u8, Errno> {
        rt::mmap::reserve_address_space(len, len).map(|(p, _)| p.as_ptr())
    }

    unsafe fn protect(&mut self, addr: *mut u8, len: usize, prot: Prot) -> Result<(), Errno> {
        // SAFETY: forwarded to the caller.
        unsafe { sys::mprotect(addr, len, prot) }
    }

    unsafe fn release(&mut self, addr: *mut u8, len: usize) {
        // SAFETY: forwarded to the caller.
        let _ = unsafe { sys::munmap(addr, len) };
    }
}

pub const PAGE: usize = 4096;

/// A reserved range of code pages, filled from the bottom.
pub struct CodeRegion<P: PageAccess = SystemPages> {
    pages: P,
    base: *mut u8,
    capacity: usize,
    /// Bytes handed out so far.
    used: usize,
    /// Bytes of pages made accessible so far (the rest is still PROT_NONE).
    committed: usize,
}

// SAFETY: the region owns its mapping; code in it is immutable while shared.
unsafe impl<P: PageAccess + Send> Send for CodeRegion<P> {}
unsafe impl<P: PageAccess + Sync> Sync for CodeRegion<P> {}

impl CodeRegion<SystemPages> {
    /// Reserves `capacity` bytes (rounded up to pages) of address space for code.
    pub fn new(capacity: usize) -> Result<Self, Error> {
        Self::with_pages(SystemPages, capacity)
    }
}

impl<P: PageAccess> CodeRegion<P> {
    pub fn with_pages(mut pages: P, capacity: usize) -> Result<Self, Error> {
        let capacity = capacity.max(1).next_multiple_of(PAGE);
        let base = pages.reserve(capacity)?;
        Ok(CodeRegion {
            pages,
            base,
            capacity,
            used: 0,
            committed: 0,
        })
    }

    pub fn base(&self) -> usize {
        self.base as usize
    }

    pub fn used(&self) -> usize {
        self.used
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Whether `addr` points into code this region handed out.
    pub fn contains(&self, addr: usize) -> bool {
        addr.wrapping_sub(self.base as usize) < self.used
    }

    pub fn pages(&self) -> &P {
        &self.pages
    }

    /// The addresses `sizes` would get if written now, in order (16-byte aligned).
    pub fn plan(&self, sizes: &[usize]) -> Result<Vec<usize>, Error> {
        let mut at = self.used;
        let mut out = Vec::with_capacity(sizes.len());
        for &s in sizes {
            at = at.next_multiple_of(16);
            out.push(self.base as usize + at);
            at += s;
        }
        if at > self.capacity {
            return Err(Error::new(
                "",
                alloc::format!(
                    "code region full: {at} bytes needed, {} reserved",
                    self.capacity
                ),
            ));
        }
        Ok(out)
    }

    /// Writes each chunk at the address [`CodeRegion::plan`] gave it: the pages involved go
    /// RW, the bytes are copied (unused space around them stays int3), then the pages go RX.
    /// `&mut self` guarantees no code of this region runs meanwhile (callables borrow it).
    pub fn write(&mut self, chunks: &[&[u8]]) -> Result<Vec<usize>, Error> {
        let sizes: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
        let addrs = self.plan(&sizes)?;
        let end = addrs.last().map_or(self.used, |&a| {
            a - self.base as usize + sizes[sizes.len() - 1]
        });
        if end == self.used {
            return Ok(addrs);
        }
        let first_page = self.used / PAGE * PAGE;
        let last_page = end.next_multiple_of(PAGE);
        let (start, len) = (self.base.wrapping_add(first_page), last_page - first_page);
        // SAFETY: inside our reservation; no code of this region can run while we hold &mut.
        unsafe { self.pages.protect(start, len, Prot::RW)? };
        if last_page > self.committed {
            // Fresh pages: int3 everywhere first.
            let fresh = first_page.max(self.committed);
            // SAFETY: just made writable, and ours.
            unsafe { core::ptr::write_bytes(self.base.add(fresh), 0xCC, last_page - fresh) };
            self.committed = last_page;
        }
        for (chunk, &addr) in chunks.iter().zip(&addrs) {
            // SAFETY: each chunk fits its planned slot inside the writable pages.
            unsafe { core::ptr::copy_nonoverlapping(chunk.as_ptr(), addr as *mut u8, chunk.len()) };
        }
        // SAFETY: as above; after this the pages are executable and no longer writable.
        unsafe { self.pages.protect(start, len, Prot::RX)? };
        self.used = end;
        Ok(addrs)
    }

    /// Writes code then patches it in place before it becomes executable: `patch` gets
    /// each chunk's final address and a mutable view of its bytes.
    pub fn write_with(
        &mut self,
        chunks: &[Vec<u8>],
        mut patch: impl FnMut(usize, usize, &mut [u8]),
    ) -> Result<Vec<usize>, Error> {
        let sizes: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
        let addrs = self.plan(&sizes)?;
        let mut patched: Vec<Vec<u8>> = chunks.to_vec();
        for (i, (c, &a)) in patched.iter_mut().zip(&addrs).enumerate() {
            patch(i, a, c);
        }
        let refs: Vec<&[u8]> = patched.iter().map(|c| c.as_slice()).collect();
        self.write(&refs)
    }
}

impl<P: PageAccess> Drop for CodeRegion<P> {
    fn drop(&mut self) {
        // SAFETY: callables borrow the region, so none outlives it.
        unsafe { self.pages.release(self.base, self.capacity) };
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::vec;
    use std::vec::Vec as StdVec;

    /// Records every call and checks the W^X invariant on each one; memory comes from a
    /// plain heap buffer, so nothing is ever executed.
    #[derive(Default)]
    pub struct Recorder {
        pub calls: StdVec<(&'static str, usize, usize, u32)>,
        buffer: StdVec<u8>,
        /// Current protection of each page.
        pub prot: StdVec<u32>,
    }

    impl PageAccess for Recorder {
        fn reserve(&mut self, len: usize) -> Result<*mut u8, Errno> {
            // Over-allocate to page-align the fake base.
            self.buffer = vec![0; len + PAGE];
            self.prot = vec![0; len / PAGE];
            self.calls.push(("reserve", 0, len, 0));
            let p = self.buffer.as_mut_ptr();
            Ok(p.wrapping_add(p.align_offset(PAGE)))
        }

        unsafe fn protect(&mut self, addr: *mut u8, len: usize, prot: Prot) -> Result<(), Errno> {
            assert!(
                !(prot.contains(Prot::WRITE) && prot.contains(Prot::EXEC)),
                "W^X violated"
            );
            let base =
                self.buffer
                    .as_ptr()
                    .wrapping_add(self.buffer.as_ptr().align_offset(PAGE)) as usize;
            let off = addr as usize - base;
            assert_eq!(off % PAGE, 0, "protect on a partial page");
            assert_eq!(len % PAGE, 0);
            for p in off / PAGE..(off + len) / PAGE {
                self.prot[p] = prot.0;
            }
            self.calls.push(("protect", off, len, prot.0));
            Ok(())
        }

        unsafe fn release(&mut self, _addr: *mut u8, len: usize) {
            self.calls.push(("release", 0, len, 0));
        }
    }

    #[test]
    fn pages_go_rw_then_rx_and_fresh_space_is_int3() {
        let mut r = CodeRegion::with_pages(Recorder::default(), 3 * PAGE).unwrap();
        let a = r.write(&[&[0x90; 10], &[0xC3; 5]]).unwrap();
        assert_eq!(a[0] % 16, 0);
        assert_eq!(a[1] - a[0], 16, "16-byte aligned slots");
        assert_eq!(
            r.pages().prot,
            [5, 0, 0],
            "first page RX, the others still reserved"
        );
        let calls: StdVec<_> = r.pages().calls.iter().map(|c| (c.0, c.1, c.3)).collect();
        assert_eq!(
            calls,
            [("reserve", 0, 0), ("protect", 0, 3), ("protect", 0, 5)]
        );
        // SAFETY: the fake pages are plain heap memory.
        let bytes = unsafe { std::slice::from_raw_parts(r.base() as *const u8, PAGE) };
        assert_eq!(&bytes[..10], &[0x90; 10]);
        assert!(bytes[10..16].iter().all(|&b| b == 0xCC), "padding is int3");
        assert!(
            bytes[21..].iter().all(|&b| b == 0xCC),
            "unused space is int3"
        );
        // A second write spilling onto the next page flips both pages, then back to RX.
        let b = r.write(&[&[0x90; 5000]]).unwrap();
        assert_eq!(b[0], a[1] + 16);
        assert_eq!(r.pages().prot, [5, 5, 0]);
        assert_eq!(r.pages().calls.len(), 5);
        assert!(
            r.write(&[&[0x90; 9000]]).is_err(),
            "a region never grows past its reservation"
        );
        assert_eq!(r.pages().prot, [5, 5, 0], "a failed write changes nothing");
    }
}
