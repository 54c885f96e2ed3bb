//! A program bundled with the runner, as `deno compile` and `bun build --compile` ship a
//! script: for a program the AOT compiler refuses (lists, strings, dicts and the rest of
//! the objects are not compiled ahead of time yet), `minipy --aot` (minipy-aot) writes a
//! copy of the runner beside it — interpreter and JIT, still no libc — with the program
//! appended. The copy's [`SLOT`] says where the program is; at start-up a copy whose slot
//! is filled runs that program (in auto mode, with the process's arguments as the
//! script's) instead of reading its command line.
//!
//! Both binaries hold this module: the runner reads a bundle ([`load`]), minipy-aot writes
//! one ([`write`]); each leaves the other's half unused.
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
/// The writer finds it by its magic followed by two zero numbers, which must occur once.
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
#[allow(dead_code)] // the runner's half
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

/// The runner beside this binary (`minipy` in the directory of `/proc/self/exe`, which
/// qemu-x86_64 maps to the guest's file) with `program` appended and the copy's slot
/// pointing at it.
#[allow(dead_code)] // minipy-aot's half
pub fn write(program: &Bundled) -> Result<alloc::vec::Vec<u8>, String> {
    let path = beside_this_binary(b"minipy")
        .map_err(|e| alloc::format!("finding this binary (/proc/self/exe): {e}"))?;
    let shown = String::from_utf8_lossy(&path).into_owned();
    let mut exe =
        rt::fs::read(&path).map_err(|e| alloc::format!("reading the runner {shown}: {e}"))?;
    let at = slot_offset(&exe).ok_or_else(|| {
        alloc::format!("{shown} has no empty bundle slot (not the runner, or itself a bundle)")
    })?;
    let start = exe.len() as u64;
    exe.extend_from_slice(program.shown.as_bytes());
    exe.push(0);
    exe.extend_from_slice(program.source.as_bytes());
    let len = exe.len() as u64 - start;
    exe[at + 16..at + 24].copy_from_slice(&start.to_le_bytes());
    exe[at + 24..at + 32].copy_from_slice(&len.to_le_bytes());
    Ok(exe)
}

/// The path of `name` in this binary's directory (the runner and minipy-aot are installed
/// side by side; `/proc/self/exe` names this one).
pub fn beside_this_binary(name: &[u8]) -> Result<alloc::vec::Vec<u8>, rt::Errno> {
    let mut path = rt::fs::read_link("/proc/self/exe")?;
    path.truncate(path.iter().rposition(|&b| b == b'/').map_or(0, |i| i + 1));
    path.extend_from_slice(name);
    Ok(path)
}

/// Where the runner `elf` has its empty slot: the one place its magic is followed by two
/// zero numbers (None when there is none, or more than one).
#[allow(dead_code)] // minipy-aot's half
fn slot_offset(elf: &[u8]) -> Option<usize> {
    let size = core::mem::size_of::<Slot>();
    let mut found = elf
        .windows(size)
        .enumerate()
        .filter(|(_, w)| w[..16] == MAGIC && w[16..].iter().all(|&b| b == 0))
        .map(|(i, _)| i);
    let at = found.next()?;
    found.next().is_none().then_some(at)
}
