// The format of the prepared runtime library, shared by minipy's build script (which writes
// it: `build.rs`) and `aot::library` (which reads it). Little-endian throughout:
//
//   MAGIC
//   u32 sections; per section:
//     u8 kind (KIND_*), u8 log2 of its alignment, u32 size, u32 relocations,
//     the size's bytes (none for KIND_BSS),
//     per relocation: u32 offset, u8 RELOC_*, u32 target section, i64 addend
//       (the field holds target section's address + addend [− the field's own address]).
//   u32 symbols; per symbol: u16 name length, the name, u32 section, u32 offset.
//
// Every reference between sections is resolved when the library is prepared; the symbols
// are only the routines compiled code may call.

pub const MAGIC: &[u8; 8] = b"MPYRTL01";

pub const KIND_TEXT: u8 = 0;
pub const KIND_RODATA: u8 = 1;
pub const KIND_DATA: u8 = 2;
pub const KIND_BSS: u8 = 3;

/// 4 bytes, S + A − P.
pub const RELOC_REL32: u8 = 0;
/// 8 bytes, S + A.
pub const RELOC_ABS64: u8 = 1;
/// 4 bytes, S + A, zero-extended.
pub const RELOC_ABS32: u8 = 2;
/// 4 bytes, S + A, sign-extended.
pub const RELOC_ABS32S: u8 = 3;

/// The prefix of the routines the library exports.
pub const EXPORT_PREFIX: &str = "mp_";
