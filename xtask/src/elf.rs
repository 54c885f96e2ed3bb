//! Just enough ELF64 reading for the size table: the loadable segments.

use anyhow::{Result, bail};

/// Bytes in the file and in memory by kind of loadable segment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SegmentSizes {
    /// File bytes of executable segments (code, and read-only data sharing them).
    pub code: u64,
    /// File bytes of read-only, non-executable segments.
    pub rodata: u64,
    /// File bytes of writable segments.
    pub data: u64,
    /// Zero-filled memory of writable segments (memsz beyond filesz).
    pub bss: u64,
    pub load_segments: usize,
}

fn u16_at(b: &[u8], off: usize) -> Option<u64> {
    Some(u16::from_le_bytes(b.get(off..off + 2)?.try_into().ok()?) as u64)
}
fn u32_at(b: &[u8], off: usize) -> Option<u64> {
    Some(u32::from_le_bytes(b.get(off..off + 4)?.try_into().ok()?) as u64)
}
fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(off..off + 8)?.try_into().ok()?))
}

/// Reads the PT_LOAD program headers of a little-endian ELF64 file.
pub fn segment_sizes(file: &[u8]) -> Result<SegmentSizes> {
    if file.get(..4) != Some(b"\x7fELF") || file.get(4) != Some(&2) || file.get(5) != Some(&1) {
        bail!("not a little-endian ELF64 file");
    }
    let truncated = || anyhow::anyhow!("truncated ELF header");
    let phoff = u64_at(file, 0x20).ok_or_else(truncated)? as usize;
    let phentsize = u16_at(file, 0x36).ok_or_else(truncated)? as usize;
    let phnum = u16_at(file, 0x38).ok_or_else(truncated)? as usize;
    if phentsize != 56 {
        bail!("program header size {phentsize}, expected 56");
    }
    let mut s = SegmentSizes::default();
    for i in 0..phnum {
        let ph = phoff + i * 56;
        let bad = || {
            anyhow::anyhow!("program header {i} at offset {ph:#x} lies past the end of the file")
        };
        if u32_at(file, ph).ok_or_else(bad)? != 1 {
            continue; // not PT_LOAD
        }
        let flags = u32_at(file, ph + 4).ok_or_else(bad)?;
        let filesz = u64_at(file, ph + 32).ok_or_else(bad)?;
        let memsz = u64_at(file, ph + 40).ok_or_else(bad)?;
        s.load_segments += 1;
        if flags & 1 != 0 {
            s.code += filesz;
        } else if flags & 2 != 0 {
            s.data += filesz;
            s.bss += memsz.saturating_sub(filesz);
        } else {
            s.rodata += filesz;
        }
    }
    Ok(s)
}
