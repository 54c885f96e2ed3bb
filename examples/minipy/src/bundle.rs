//! A program bundled with the runner, as `deno compile` and `bun build --compile` ship a
//! script: for a program the AOT compiler refuses (lists, strings, dicts and the rest of
//! the objects are not compiled ahead of time yet), `minipy --aot` writes a copy of this
//! binary — interpreter and JIT, still no libc — with the program appended. The copy's
//! [`SLOT`] says where the program is; at start-up a copy whose slot is filled runs that
//! program (in auto mode, with the process's arguments as the script's) instead of reading
//! its command line.
//!
//! The file: the runner's bytes, unchanged but for the slot's two numbers, then the payload
//! `shown \0 source` (the script as tracebacks show it, its text). As in a natively compiled
//! program, `sys.argv[0]` is the executable's path.

use alloc::string::String;

/// Marks the slot so that the writer can check it found the right bytes.
const MAGIC: [u8; 16] = *b"\x7fminipy-bundle:1";

/// Where this binary's program is, when it is a bundle: `len` bytes from file offset `at`.
#[repr(C)]
struct Slot {
    magic: [u8; 16],
    at: u64,
    len: u64,
}

/// In the file's data, never in .bss (it has bytes in the file for the writer to patch).
#[used]
static SLOT: Slot = Slot {
    magic: MAGIC,
    at: 0,
    len: 0,
};

/// A bundled program, read back at start-up.
pub struct Bundled {
    /// As tracebacks show it (the absolute path it had).
    pub shown: String,
    pub source: String,
}

/// The program bundled into this binary, if it is a bundle; an error names what went wrong.
pub fn load() -> Option<Result<Bundled, String>> {
    // Read at run time: the compiler would fold the static's zeros.
    // SAFETY: SLOT is a valid, aligned static; a volatile read of it is a plain load.
    let slot = unsafe { core::ptr::read_volatile(&raw const SLOT) };
    if slot.len == 0 {
        return None;
    }
    Some(read_payload(slot.at, slot.len))
}

fn read_payload(at: u64, len: u64) -> Result<Bundled, String> {
    let fail =
        |e: rt::Errno| alloc::format!("reading the bundled program from /proc/self/exe: {e}");
    let mut f = rt::fs::File::open("/proc/self/exe").map_err(fail)?;
    f.seek(at as i64, rt::sys::Whence::Set).map_err(fail)?;
    let mut payload = alloc::vec![0u8; len as usize];
    let mut got = 0;
    while got < payload.len() {
        match f.read(&mut payload[got..]).map_err(fail)? {
            0 => {
                return Err(String::from(
                    "the bundled program is cut short (file truncated?)",
                ));
            }
            n => got += n,
        }
    }
    let mut parts = payload.splitn(2, |&b| b == 0);
    let (Some(shown), Some(source)) = (parts.next(), parts.next()) else {
        return Err(String::from("the bundled program is damaged (no name)"));
    };
    let text = |b: &[u8]| {
        core::str::from_utf8(b)
            .map(String::from)
            .map_err(|_| String::from("the bundled program is damaged (not UTF-8)"))
    };
    Ok(Bundled {
        shown: text(shown)?,
        source: text(source)?,
    })
}

/// This binary (`/proc/self/exe`, which qemu-x86_64 maps to the guest's file) with `program`
/// appended and the copy's slot pointing at it.
#[cfg(feature = "aot")]
pub fn write(program: &Bundled) -> Result<alloc::vec::Vec<u8>, String> {
    let mut exe = rt::fs::read("/proc/self/exe")
        .map_err(|e| alloc::format!("reading this runner (/proc/self/exe): {e}"))?;
    let at = slot_offset(&exe, &raw const SLOT as u64)
        .ok_or_else(|| String::from("this runner's bundle slot is not in its file"))?;
    let slot = &exe[at..at + core::mem::size_of::<Slot>()];
    if slot[..16] != MAGIC || slot[16..].iter().any(|&b| b != 0) {
        return Err(String::from(
            "this runner is itself a bundle, or its bundle slot is not where its headers say",
        ));
    }
    let start = exe.len() as u64;
    exe.extend_from_slice(program.shown.as_bytes());
    exe.push(0);
    exe.extend_from_slice(program.source.as_bytes());
    let len = exe.len() as u64 - start;
    exe[at + 16..at + 24].copy_from_slice(&start.to_le_bytes());
    exe[at + 24..at + 32].copy_from_slice(&len.to_le_bytes());
    Ok(exe)
}

/// The file offset of virtual address `addr` in the static executable `elf`, through its
/// loadable segments (a non-PIE binary: addresses are the link-time ones).
#[cfg(feature = "aot")]
fn slot_offset(elf: &[u8], addr: u64) -> Option<usize> {
    let u16_at = |o: usize| Some(u16::from_le_bytes(elf.get(o..o + 2)?.try_into().ok()?));
    let u32_at = |o: usize| Some(u32::from_le_bytes(elf.get(o..o + 4)?.try_into().ok()?));
    let u64_at = |o: usize| Some(u64::from_le_bytes(elf.get(o..o + 8)?.try_into().ok()?));
    if elf.get(..4)? != b"\x7fELF" || elf.get(4)? != &2 {
        return None;
    }
    let phoff = usize::try_from(u64_at(0x20)?).ok()?;
    let phentsize = usize::from(u16_at(0x36)?);
    let phnum = usize::from(u16_at(0x38)?);
    const PT_LOAD: u32 = 1;
    (0..phnum).find_map(|i| {
        let ph = phoff + i * phentsize;
        let (offset, vaddr, filesz) = (u64_at(ph + 8)?, u64_at(ph + 16)?, u64_at(ph + 32)?);
        let inside = addr >= vaddr && addr + core::mem::size_of::<Slot>() as u64 <= vaddr + filesz;
        (u32_at(ph)? == PT_LOAD && inside)
            .then(|| usize::try_from(addr - vaddr + offset).ok())
            .flatten()
    })
}
