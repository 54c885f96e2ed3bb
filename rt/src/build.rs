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
    /* Exception tables stay read-only data too: as an orphan, GNU ld put this 12-byte
       section in a writable segment of its own on top of the headers' page. */
    *(.gcc_except_table .gcc_except_table.*)
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

/// Which linker the build uses, as far as the link recipe cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkerKind {
    /// freestand-ld: rt's layout is built in; no script.
    FreestandLd,
    /// mold: it has no SECTIONS or PHDRS, so no script; its own layout, still static.
    Mold,
    /// rust-lld (rustc's default), GNU ld, gold…: rt's linker script.
    Scripted,
}

/// The linker from rustc's flags (`-C linker=…`, `-C link-arg=-fuse-ld=…`) and cargo's
/// resolved linker (`RUSTC_LINKER`, from `target.<triple>.linker`).
pub fn linker_kind(encoded_rustflags: &str, rustc_linker: Option<&str>) -> LinkerKind {
    let flags: Vec<&str> = encoded_rustflags.split('\x1f').collect();
    let mut linker = rustc_linker.map(String::from);
    let mut mold = false;
    for (i, f) in flags.iter().enumerate() {
        let value = f.strip_prefix("-Clinker=").or_else(|| {
            f.strip_prefix("linker=")
                .filter(|_| i > 0 && flags[i - 1] == "-C")
        });
        if let Some(v) = value {
            linker = Some(v.into());
        }
        if f.contains("fuse-ld=mold") {
            mold = true;
        }
    }
    let name = linker
        .as_deref()
        .map(|l| l.rsplit('/').next().unwrap_or(l).to_string());
    if name
        .as_deref()
        .is_some_and(|n| n.starts_with("freestand-ld"))
    {
        LinkerKind::FreestandLd
    } else if mold || name.as_deref().is_some_and(|n| n.contains("mold")) {
        LinkerKind::Mold
    } else {
        LinkerKind::Scripted
    }
}

/// The linker arguments for `kind` (`script`: where rt's script was written, for
/// [`LinkerKind::Scripted`]).
pub fn link_args_for(kind: LinkerKind, script: &str, section_headers: bool) -> Vec<String> {
    // No crt, no libc, static, non-PIE, unreferenced sections dropped: every linker.
    let base = [
        "-nostartfiles",
        "-nostdlib",
        "-static",
        "-no-pie",
        "-Wl,--gc-sections",
    ];
    let (extra, strip): (&[&str], &str) = match kind {
        LinkerKind::Scripted => return link_args(script, section_headers),
        LinkerKind::FreestandLd => (&[], "-Wl,-z,nosectionheader"),
        LinkerKind::Mold => (
            &[
                "-Wl,--build-id=none",
                "-Wl,-z,norelro",
                "-Wl,--no-eh-frame-hdr",
            ],
            "-Wl,--strip-all",
        ),
    };
    let mut args: Vec<String> = base.iter().chain(extra).map(|a| a.to_string()).collect();
    if !section_headers {
        args.push(strip.into());
    }
    args
}

/// Tells cargo how to link this crate's binaries: with freestand-ld (rt's layout is built
/// in), with mold (its own static layout), or with any other linker through rt's script,
/// written to OUT_DIR. Release builds get no section headers unless `RT_SECTION_HEADERS=1`
/// is set (debuggers and objdump want them; debug builds always keep them).
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
    let kind = linker_kind(
        &env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default(),
        env::var("RUSTC_LINKER").ok().as_deref(),
    );
    for arg in link_args_for(kind, &script.display().to_string(), keep) {
        std::println!("cargo:rustc-link-arg-bins={arg}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_linker_is_read_from_rustflags_and_cargo() {
        let f = |flags: &[&str]| flags.join("\x1f");
        assert_eq!(
            linker_kind(
                &f(&["-C", "linker=/x/target/freestand-ld/release/freestand-ld"]),
                None
            ),
            LinkerKind::FreestandLd
        );
        assert_eq!(
            linker_kind(&f(&["-Clinker=freestand-ld"]), None),
            LinkerKind::FreestandLd
        );
        assert_eq!(
            linker_kind("", Some("/home/u/.cargo/bin/freestand-ld")),
            LinkerKind::FreestandLd
        );
        assert_eq!(
            linker_kind(
                &f(&["-C", "linker-features=-lld", "-C", "link-arg=-fuse-ld=mold"]),
                None
            ),
            LinkerKind::Mold
        );
        assert_eq!(
            linker_kind(&f(&["-C", "relocation-model=static"]), None),
            LinkerKind::Scripted
        );
        assert_eq!(linker_kind("", None), LinkerKind::Scripted);
        // The script only for linkers that read it.
        assert!(link_args_for(LinkerKind::Scripted, "s.ld", false).contains(&"-Wl,-T,s.ld".into()));
        for k in [LinkerKind::FreestandLd, LinkerKind::Mold] {
            assert!(
                !link_args_for(k, "s.ld", true)
                    .iter()
                    .any(|a| a.contains("-T"))
            );
        }
    }
}
