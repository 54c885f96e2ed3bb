//! The size table's view of an ELF file: its loadable segments, read by `linker::inspect`
//! (the one ELF reader in the workspace).

use anyhow::Result;
use linker::inspect::{self, Report};

/// PT_LOAD and the segment permission bits.
const PT_LOAD: u32 = 1;
const PF_X: u32 = 1;
const PF_W: u32 = 2;

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

impl SegmentSizes {
    pub fn of(r: &Report) -> SegmentSizes {
        let mut s = SegmentSizes::default();
        for p in r.segments.iter().filter(|p| p.p_type == PT_LOAD) {
            s.load_segments += 1;
            if p.flags & PF_X != 0 {
                s.code += p.filesz;
            } else if p.flags & PF_W != 0 {
                s.data += p.filesz;
                s.bss += p.memsz.saturating_sub(p.filesz);
            } else {
                s.rodata += p.filesz;
            }
        }
        s
    }
}

/// The PT_LOAD sizes of an ELF file.
pub fn segment_sizes(file: &[u8]) -> Result<SegmentSizes> {
    Ok(SegmentSizes::of(&inspect::inspect(file)?))
}

/// The length a file without section headers can be cut to: the end of the last byte any
/// program header covers, when everything after it is zero. lld's `-z nosectionheader` still
/// reserves (and zero-fills) room for the table it does not write; nothing reads it.
/// `None` when there is nothing to cut (or section headers exist).
pub fn unmapped_zero_tail(file: &[u8]) -> Option<usize> {
    let r = inspect::inspect(file).ok()?;
    if r.header.shoff != 0 || r.header.shnum != 0 {
        return None; // section headers present: they may point anywhere
    }
    let table = r.header.phoff + u64::from(r.header.phnum) * u64::from(r.header.phentsize);
    let end = r
        .segments
        .iter()
        .map(|p| p.offset + p.filesz)
        .fold(table, u64::max) as usize;
    (end < file.len() && file[end..].iter().all(|&b| b == 0)).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ELF header with one PT_LOAD covering the first `covered` bytes, then `tail`.
    fn image(covered: usize, tail: &[u8], shnum: u16) -> Vec<u8> {
        let mut f = vec![0u8; covered];
        f[..4].copy_from_slice(b"\x7fELF");
        f[4] = 2; // ELFCLASS64
        f[5] = 1; // little-endian
        f[6] = 1; // EV_CURRENT
        f[0x10..0x12].copy_from_slice(&2u16.to_le_bytes()); // ET_EXEC
        f[0x12..0x14].copy_from_slice(&62u16.to_le_bytes()); // EM_X86_64
        f[0x14..0x18].copy_from_slice(&1u32.to_le_bytes());
        f[0x34..0x36].copy_from_slice(&64u16.to_le_bytes()); // e_ehsize
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
