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

/// The length a file without section headers can be cut to: the end of the last byte any
/// program header covers, when everything after it is zero. lld's `-z nosectionheader` still
/// reserves (and zero-fills) room for the table it does not write; nothing reads it.
/// `None` when there is nothing to cut (or section headers exist).
pub fn unmapped_zero_tail(file: &[u8]) -> Option<usize> {
    segment_sizes(file).ok()?;
    if u64_at(file, 0x28)? != 0 || u16_at(file, 0x3c)? != 0 {
        return None; // section headers present: they may point anywhere
    }
    let phoff = u64_at(file, 0x20)? as usize;
    let phnum = u16_at(file, 0x38)? as usize;
    let mut end = phoff + phnum * 56;
    for i in 0..phnum {
        let ph = phoff + i * 56;
        let offset = u64_at(file, ph + 8)? as usize;
        let filesz = u64_at(file, ph + 32)? as usize;
        end = end.max(offset + filesz);
    }
    (end < file.len() && file[end..].iter().all(|&b| b == 0)).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ELF header with one PT_LOAD covering the first `covered` bytes, then `tail`.
    fn image(covered: usize, tail: &[u8], shnum: u16) -> Vec<u8> {
        let mut f = vec![0u8; covered];
        f[..4].copy_from_slice(b"\x7fELF");
        f[4] = 2;
        f[5] = 1;
        f[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
        f[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
        f[0x38..0x3a].copy_from_slice(&1u16.to_le_bytes());
        f[0x3c..0x3e].copy_from_slice(&shnum.to_le_bytes());
        f[64..68].copy_from_slice(&1u32.to_le_bytes());
        f[68..72].copy_from_slice(&5u32.to_le_bytes());
        f[64 + 32..64 + 40].copy_from_slice(&(covered as u64).to_le_bytes());
        f[64 + 40..64 + 48].copy_from_slice(&(covered as u64).to_le_bytes());
        f.extend_from_slice(tail);
        f
    }

    #[test]
    fn cuts_only_a_zero_tail_outside_every_segment() {
        assert_eq!(unmapped_zero_tail(&image(200, &[0; 192], 0)), Some(200));
        assert_eq!(unmapped_zero_tail(&image(200, &[], 0)), None);
        assert_eq!(
            unmapped_zero_tail(&image(200, &[0, 0, 1], 0)),
            None,
            "non-zero bytes stay"
        );
        assert_eq!(
            unmapped_zero_tail(&image(200, &[0; 64], 1)),
            None,
            "section headers stay"
        );
        let s = segment_sizes(&image(200, &[], 0)).unwrap();
        assert_eq!((s.code, s.load_segments), (200, 1));
        assert!(segment_sizes(b"\x7fELF").is_err());
    }
}
