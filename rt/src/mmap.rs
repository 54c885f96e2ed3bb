//! [`Mapping`]: an owned range of mapped pages, unmapped on drop.

use crate::errno::Errno;
use crate::sys::{self, Fd, MapFlags, Prot};
use core::ptr::NonNull;

/// The page size rt assumes for rounding; the real one is [`crate::env::page_size`], and is
/// 4096 on every x86-64 Linux.
pub const PAGE_SIZE: usize = 4096;

/// Rounds `n` up to a multiple of [`PAGE_SIZE`] (saturating to an unmappable size).
#[inline]
pub const fn page_round_up(n: usize) -> usize {
    match n.checked_add(PAGE_SIZE - 1) {
        Some(v) => v & !(PAGE_SIZE - 1),
        None => usize::MAX & !(PAGE_SIZE - 1),
    }
}

/// Reserves address space: `PROT_NONE`, `MAP_NORESERVE` anonymous memory that costs no RAM
/// or swap until parts of it are made accessible (mprotect). Asks for `want` bytes and halves
/// the request while the kernel refuses it (address-space limits such as `ulimit -v`), down
/// to `at_least`: returns where and how much. Both rt's heap arenas and the jit's code
/// memory reserve through this; [`Mapping::reserve`] wraps it in an owner.
pub fn reserve_address_space(want: usize, at_least: usize) -> Result<(NonNull<u8>, usize), Errno> {
    let mut len = page_round_up(want.max(at_least));
    if len == 0 {
        return Err(Errno::EINVAL);
    }
    let flags = MapFlags::PRIVATE | MapFlags::ANONYMOUS | MapFlags::NORESERVE;
    loop {
        // SAFETY: no MAP_FIXED, so the kernel picks fresh addresses and nothing is replaced.
        match unsafe { sys::mmap(core::ptr::null_mut(), len, Prot::NONE, flags, None, 0) } {
            Ok(p) => return Ok((NonNull::new(p).ok_or(Errno::ENOMEM)?, len)),
            Err(_) if len / 2 >= at_least => len = page_round_up(len / 2),
            Err(e) => return Err(e),
        }
    }
}

/// An owned mmap'd range. Dropping it unmaps it.
///
/// The protection is tracked for the whole range; [`Mapping::protect_range`] on part of it
/// makes the whole-range protection unknown, and then the safe slice views return `None`.
#[derive(Debug)]
pub struct Mapping {
    ptr: NonNull<u8>,
    len: usize,
    prot: Option<Prot>,
}

// SAFETY: a Mapping is a uniquely owned memory range, like a Box<[u8]>.
unsafe impl Send for Mapping {}
unsafe impl Sync for Mapping {}

impl Mapping {
    /// Zero-filled anonymous private memory of `len` bytes (rounded up to whole pages).
    pub fn anon(len: usize, prot: Prot) -> Result<Mapping, Errno> {
        Self::map(len, prot, MapFlags::PRIVATE | MapFlags::ANONYMOUS, None, 0)
    }

    /// Address space only: `len` bytes of `PROT_NONE`, `MAP_NORESERVE` memory that costs no
    /// RAM or swap until parts of it are made accessible with [`Mapping::protect_range`].
    pub fn reserve(len: usize) -> Result<Mapping, Errno> {
        let (ptr, _) = reserve_address_space(len, len)?;
        Ok(Mapping {
            ptr,
            len,
            prot: Some(Prot::NONE),
        })
    }

    /// A private (copy-on-write) mapping of `len` bytes of the file `fd` from `offset`
    /// (a multiple of the page size).
    pub fn file(fd: Fd, offset: u64, len: usize, prot: Prot) -> Result<Mapping, Errno> {
        Self::map(len, prot, MapFlags::PRIVATE, Some(fd), offset)
    }

    /// A shared mapping of the file: writes through it reach the file.
    pub fn file_shared(fd: Fd, offset: u64, len: usize, prot: Prot) -> Result<Mapping, Errno> {
        Self::map(len, prot, MapFlags::SHARED, Some(fd), offset)
    }

    fn map(
        len: usize,
        prot: Prot,
        flags: MapFlags,
        fd: Option<Fd>,
        offset: u64,
    ) -> Result<Mapping, Errno> {
        if len == 0 {
            return Err(Errno::EINVAL);
        }
        // SAFETY: no MAP_FIXED, so the kernel picks fresh addresses and nothing is replaced.
        let p = unsafe { sys::mmap(core::ptr::null_mut(), len, prot, flags, fd, offset)? };
        let ptr = NonNull::new(p).ok_or(Errno::ENOMEM)?;
        Ok(Mapping {
            ptr,
            len,
            prot: Some(prot),
        })
    }

    /// Takes ownership of a range mapped elsewhere.
    ///
    /// # Safety
    /// `ptr..ptr+len` must be a mapping nothing else owns or unmaps, currently `prot`.
    pub unsafe fn from_raw(ptr: NonNull<u8>, len: usize, prot: Option<Prot>) -> Mapping {
        Mapping { ptr, len, prot }
    }

    /// Gives up ownership: the range stays mapped.
    pub fn into_raw(self) -> (NonNull<u8>, usize) {
        let me = core::mem::ManuallyDrop::new(self);
        (me.ptr, me.len)
    }

    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    /// The length asked for (the kernel maps whole pages; the tail of the last page is
    /// accessible too but not part of this value).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The protection of the whole range, if it is uniform.
    pub fn prot(&self) -> Option<Prot> {
        self.prot
    }

    /// Whether `addr` lies inside the mapping.
    pub fn contains(&self, addr: *const u8) -> bool {
        (addr as usize).wrapping_sub(self.ptr.as_ptr() as usize) < self.len
    }

    /// Changes the protection of the whole mapping (e.g. RW → RX after writing code).
    pub fn protect(&mut self, prot: Prot) -> Result<(), Errno> {
        // SAFETY: we own the range, and `&mut self` means no slice view borrowed from it lives.
        unsafe { sys::mprotect(self.as_ptr(), self.len, prot)? };
        self.prot = Some(prot);
        Ok(())
    }

    /// Changes the protection of `[offset, offset + len)`; `offset` must be page-aligned and
    /// the range inside the mapping, else `EINVAL`.
    pub fn protect_range(&mut self, offset: usize, len: usize, prot: Prot) -> Result<(), Errno> {
        if !offset.is_multiple_of(PAGE_SIZE)
            || offset
                .checked_add(len)
                .is_none_or(|end| end > page_round_up(self.len))
        {
            return Err(Errno::EINVAL);
        }
        if len == 0 {
            return Ok(());
        }
        // SAFETY: the range is inside our mapping and `&mut self` excludes live views.
        unsafe { sys::mprotect(self.as_ptr().add(offset), len, prot)? };
        self.prot = if offset == 0 && len >= self.len {
            Some(prot)
        } else {
            None
        };
        Ok(())
    }

    /// Grows or shrinks the mapping, moving it if it cannot be resized in place.
    pub fn resize(&mut self, new_len: usize) -> Result<(), Errno> {
        if new_len == 0 {
            return Err(Errno::EINVAL);
        }
        // SAFETY: we own the range; `&mut self` means no borrowed view survives a move.
        let p = unsafe { sys::mremap(self.as_ptr(), self.len, new_len, sys::MREMAP_MAYMOVE)? };
        self.ptr = NonNull::new(p).ok_or(Errno::ENOMEM)?;
        self.len = new_len;
        Ok(())
    }

    /// The bytes, if the whole mapping is readable.
    pub fn as_slice(&self) -> Option<&[u8]> {
        let readable = self.prot.is_some_and(|p| p.contains(Prot::READ));
        // SAFETY: the range is mapped and readable for as long as `self` is borrowed.
        readable.then(|| unsafe { core::slice::from_raw_parts(self.as_ptr(), self.len) })
    }

    /// The bytes for writing, if the whole mapping is readable and writable.
    pub fn as_mut_slice(&mut self) -> Option<&mut [u8]> {
        let rw = self.prot.is_some_and(|p| p.contains(Prot::RW));
        // SAFETY: mapped read-write, and uniquely borrowed through `&mut self`.
        rw.then(|| unsafe { core::slice::from_raw_parts_mut(self.as_ptr(), self.len) })
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: we own the range and are its last user. An error here (impossible for a
        // range we mapped) would leave it mapped, which is safe.
        let _ = unsafe { sys::munmap(self.as_ptr(), self.len) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reservation_past_the_address_space_halves_until_it_fits() {
        // 2^50 bytes cannot exist in a 47-bit user address space: the request halves.
        let (p, len) = reserve_address_space(1 << 50, 1 << 20).unwrap();
        assert!((1 << 20..1 << 50).contains(&len), "{len:#x}");
        assert!(
            len.is_power_of_two(),
            "halved from a power of two: {len:#x}"
        );
        // SAFETY: the reservation is ours and unused.
        let m = unsafe { Mapping::from_raw(p, len, Some(Prot::NONE)) };
        assert_eq!(m.len(), len);
        drop(m);
        // At least 2^49 cannot be had either: an error, not a smaller range.
        assert_eq!(
            reserve_address_space(1 << 50, 1 << 49).unwrap_err(),
            Errno::ENOMEM
        );
        assert_eq!(reserve_address_space(0, 0).unwrap_err(), Errno::EINVAL);
    }

    #[test]
    fn anonymous_memory_is_zeroed_and_writable() {
        let mut m = Mapping::anon(10_000, Prot::RW).unwrap();
        let s = m.as_mut_slice().unwrap();
        assert_eq!(s.len(), 10_000);
        assert!(s.iter().all(|&b| b == 0));
        s[9_999] = 7;
        assert_eq!(m.as_slice().unwrap()[9_999], 7);
        assert!(
            m.contains(m.as_ptr().wrapping_add(9_999))
                && !m.contains(m.as_ptr().wrapping_add(10_000))
        );
    }

    #[test]
    fn protect_flips_and_tracks_access() {
        let mut m = Mapping::anon(2 * PAGE_SIZE, Prot::RW).unwrap();
        m.protect(Prot::READ).unwrap();
        assert!(m.as_mut_slice().is_none());
        assert!(m.as_slice().is_some());
        m.protect_range(PAGE_SIZE, PAGE_SIZE, Prot::NONE).unwrap();
        assert!(
            m.as_slice().is_none(),
            "partial protection makes the whole unknown"
        );
        assert_eq!(m.protect_range(1, PAGE_SIZE, Prot::RW), Err(Errno::EINVAL));
        assert_eq!(
            m.protect_range(PAGE_SIZE, 2 * PAGE_SIZE, Prot::RW),
            Err(Errno::EINVAL)
        );
        assert_eq!(Mapping::anon(0, Prot::RW).unwrap_err(), Errno::EINVAL);
    }

    #[test]
    fn reserve_then_commit_part() {
        let mut m = Mapping::reserve(1 << 30).unwrap();
        m.protect_range(0, 1 << 20, Prot::RW).unwrap();
        // SAFETY: the first MiB was just made read-write.
        unsafe {
            m.as_ptr().add((1 << 20) - 1).write(1);
            assert_eq!(*m.as_ptr().add((1 << 20) - 1), 1);
        }
    }

    #[test]
    fn resize_keeps_contents() {
        let mut m = Mapping::anon(PAGE_SIZE, Prot::RW).unwrap();
        m.as_mut_slice().unwrap()[100] = 42;
        m.resize(64 * PAGE_SIZE).unwrap();
        assert_eq!(m.len(), 64 * PAGE_SIZE);
        assert_eq!(m.as_slice().unwrap()[100], 42);
    }

    #[test]
    fn file_mapping_reads_the_file() {
        let fd = sys::openat(Fd::CWD, c"Cargo.toml", sys::OFlags::RDONLY, 0).unwrap();
        let len = sys::fstat(fd).unwrap().size as usize;
        let m = Mapping::file(fd, 0, len, Prot::READ).unwrap();
        sys::close(fd).unwrap();
        assert_eq!(
            m.as_slice().unwrap(),
            &std::fs::read("Cargo.toml").unwrap()[..]
        );
    }
}
