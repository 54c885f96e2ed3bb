//! The link recipe for freestanding binaries, for build scripts (feature `build`):
//!
//! ```ignore
//! // build.rs of a crate whose binaries use rt::entry!
//! fn main() { rt::build::link_freestanding(); }
//! ```
//!
//! It links with no C runtime (`_start` comes from `rt::entry!`), no libc or libgcc, as a
//! static non-PIE executable, through rt's linker script: one read+execute segment holding
//! the headers, code and read-only data, one read-write segment for data and bss placed in
//! the same file page (no padding), a non-executable stack, and no `.eh_frame` (panic=abort
//! never unwinds) or `.comment`. Codegen flags cannot come from a build script: build with
//! `-C relocation-model=static -C force-unwind-tables=no` for the smallest code (`cargo
//! xtask build` does; without them the output is larger but links and runs the same).

extern crate std;

use std::format;
use std::path::PathBuf;
use std::string::{String, ToString};
use std::vec;
use std::vec::Vec;
use std::{env, fs};

/// The linker script. Base address 0x400000, as GNU ld's default for x86-64 executables.
pub const LINKER_SCRIPT: &str = r#"/* rt's layout for freestanding executables */
ENTRY(_start)
PHDRS {
  text PT_LOAD FILEHDR PHDRS FLAGS(5);   /* R X: ELF header, program headers, code, rodata */
  data PT_LOAD FLAGS(6);                 /* R W: data and bss */
  stack PT_GNU_STACK FLAGS(6);           /* non-executable stack */
}
SECTIONS {
  . = 0x400000 + SIZEOF_HEADERS;
  /* Static, non-PIE: nothing relocates at run time, so "read-only after relocation" data
     and the GOT (precompiled PIC code in core calls memcpy through it) are plain read-only
     data, kept in the one output section so the file needs no extra section header. */
  .text : {
    *(.text .text.*) *(.rodata .rodata.*) *(.data.rel.ro .data.rel.ro.*) *(.got .got.*)
  } :text
  /* Next page, same offset within it: the file needs no padding between the segments. */
  . = ALIGN(0x1000) + (. & 0xfff);
  .data : { *(.data .data.*) } :data
  .bss : { *(.bss .bss.*) *(COMMON) } :data
  /DISCARD/ : { *(.eh_frame .eh_frame.*) *(.eh_frame_hdr) *(.comment) *(.note .note.*) }
}
"#;

/// The linker arguments, for callers that drive the linker themselves. Without
/// `section_headers` the file has none (lld's `-z nosectionheader`): the kernel never reads
/// them, and a stripped binary has nothing for them to describe.
pub fn link_args(script: &str, section_headers: bool) -> Vec<String> {
    let mut args: Vec<String> = vec![
        "-nostartfiles".into(),
        "-nostdlib".into(),
        "-static".into(),
        "-no-pie".into(),
        format!("-Wl,-T,{script}"),
        "-Wl,--gc-sections".into(),
        "-Wl,--build-id=none".into(),
        "-Wl,-z,norelro".into(),
        "-Wl,--no-eh-frame-hdr".into(),
    ];
    if !section_headers {
        args.push("-Wl,-z,nosectionheader".into());
    }
    args
}

/// Writes the linker script to OUT_DIR and tells cargo to link this crate's binaries with it.
/// Release builds get no section headers unless `RT_SECTION_HEADERS=1` is set (debuggers and
/// objdump want them; debug builds always keep them).
/// Panics (failing the build with the message) if OUT_DIR is unset: call it from build.rs.
pub fn link_freestanding() {
    let out = PathBuf::from(
        env::var_os("OUT_DIR")
            .expect("rt::build::link_freestanding: OUT_DIR is unset: call it from build.rs"),
    );
    let script = out.join("freestanding.ld");
    fs::write(&script, LINKER_SCRIPT)
        .unwrap_or_else(|e| std::panic!("writing {}: {e}", script.display()));
    std::println!("cargo:rerun-if-env-changed=RT_SECTION_HEADERS");
    let release = env::var("PROFILE").is_ok_and(|p| p == "release");
    let keep = !release || env::var_os("RT_SECTION_HEADERS").is_some_and(|v| v == "1");
    for arg in link_args(&script.display().to_string(), keep) {
        std::println!("cargo:rustc-link-arg-bins={arg}");
    }
}
