//! freestand-ld on objects assembled here (gcc -c): every relocation type it applies,
//! GOTPCRELX relaxation, weak, common and COMDAT symbols, archives loaded on demand, section
//! GC — each program checks itself and exits 0, natively and under qemu-x86_64 — and every
//! error it reports, each naming the file (and section, symbol, argument) at fault.

use qemu_tests::{Exec, runners};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn fld() -> &'static Path {
    static LD: OnceLock<PathBuf> = OnceLock::new();
    LD.get_or_init(|| xtask::freestand_ld().expect("building freestand-ld"))
}

fn dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("fld-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Assembles `src` with gcc into `dir/name.o` (`extra`: more gcc flags).
fn asm(dir: &Path, name: &str, src: &str, extra: &[&str]) -> PathBuf {
    let s = dir.join(format!("{name}.s"));
    let o = dir.join(format!("{name}.o"));
    std::fs::write(&s, src).unwrap();
    let out = Command::new("gcc")
        .args(["-c", "-o"])
        .arg(&o)
        .args(extra)
        .arg(&s)
        .output()
        .expect("gcc is needed to assemble the test objects");
    assert!(
        out.status.success(),
        "gcc: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    o
}

/// Runs freestand-ld with `args`; (status, stderr).
fn link(args: &[&dyn AsRef<std::ffi::OsStr>]) -> (bool, String) {
    let out = Command::new(fld())
        .args(args.iter().map(|a| a.as_ref()))
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Exits with `code` unless the flags say equal.
const CHECK: &str = "
        .macro check code
        je      1f
        movl    $\\code, %edi
        jmp     fail
1:
        .endm
";

const MAIN: &str = r#"
        .text
        .globl  _start
_start:
        leaq    value1(%rip), %rbx              # R_X86_64_PC32: the reference address
        movq    value1@GOTPCREL(%rip), %rax     # REX_GOTPCRELX → lea
        cmpq    %rax, %rbx
        check   1
        movl    $value1, %eax                   # R_X86_64_32
        cmpq    %rax, %rbx
        check   2
        movq    $value1, %rax                   # R_X86_64_32S
        cmpq    %rax, %rbx
        check   3
        movq    ptr64(%rip), %rax               # ptr64 = R_X86_64_64 to value1
        cmpq    %rax, %rbx
        check   4
        leaq    pcrel64(%rip), %rax             # pcrel64 = R_X86_64_PC64: value1 - .
        addq    pcrel64(%rip), %rax
        cmpq    %rax, %rbx
        check   5
        call    got_plain                       # plain GOTPCREL (another object): a GOT slot
        cmpq    %rax, %rbx
        check   6
        xorl    %edi, %edi
        call    *add1@GOTPCREL(%rip)            # GOTPCRELX call → addr32 call
        call    add1@PLT                        # R_X86_64_PLT32
        cmpq    $2, %rdi
        check   7
        movq    $missing, %rax                  # undefined weak: 0
        testq   %rax, %rax
        check   8
        movq    $7, common_buf+120(%rip)        # common: the larger of the two sizes
        cmpq    $7, common_buf+120(%rip)
        check   9
        call    dup                             # COMDAT: the first copy (this object's)
        cmpq    $1, %rax
        check   10
        movq    (%rbx), %rax
        cmpq    $0x1234, %rax
        check   11
        jmp     *finish@GOTPCREL(%rip)          # GOTPCRELX jmp → jmp; nop
fail:
        movl    $231, %eax
        syscall

        .section .text.dup,"axG",@progbits,dup,comdat
        .globl  dup
dup:    movl    $1, %eax
        ret

        .section .text.unused,"ax",@progbits
unused: call    nowhere                         # never reached: GC drops it and its reference

        .weak   missing
        .comm   common_buf, 64, 16
"#;

const LIB: &str = r#"
        .text
        .globl  add1, finish
add1:   leaq    1(%rdi), %rdi
        ret
finish: movl    $1, %eax
        movl    $1, %edi
        leaq    ok(%rip), %rsi
        movl    $3, %edx
        syscall
        movl    $231, %eax
        xorl    %edi, %edi
        syscall
        .section .rodata
ok:     .ascii  "ok\n"

        .data
        .globl  value1, ptr64, pcrel64
        .p2align 3
value1: .quad   0x1234
ptr64:  .quad   value1
pcrel64: .quad  value1 - .

        .section .text.dup,"axG",@progbits,dup,comdat
        .globl  dup
dup:    movl    $2, %eax
        ret
        .comm   common_buf, 128, 16
"#;

/// Plain GOTPCREL (as rustc's precompiled core has it): assembled without relaxable forms.
const GOT: &str = r#"
        .text
        .globl  got_plain
got_plain:
        movq    value1@GOTPCREL(%rip), %rax
        ret
"#;

const UNUSED_MEMBER: &str = r#"
        .text
        .globl  only_in_c
only_in_c:
        ret
"#;

#[test]
fn every_relocation_type_links_and_runs() {
    let d = dir("relocs");
    let main = asm(&d, "main", &format!("{CHECK}{MAIN}"), &[]);
    let lib = asm(&d, "lib", LIB, &[]);
    let got = asm(&d, "got", GOT, &["-Wa,-mrelax-relocations=no"]);
    let c = asm(&d, "c", UNUSED_MEMBER, &[]);
    let archive = d.join("libt.a");
    let st = Command::new("ar")
        .arg("rcs")
        .arg(&archive)
        .args([&lib, &got, &c])
        .status()
        .expect("ar (binutils)");
    assert!(st.success());
    let exe = d.join("prog");
    let (ok, err) = link(&[
        &main,
        &"-L",
        &d,
        &"-lt",
        &"--gc-sections",
        &"--print-gc-sections",
        &"-o",
        &exe,
    ]);
    assert!(ok, "{err}");
    assert!(
        err.contains("removing unused section '.text.unused'"),
        "{err}"
    );
    for r in &runners() {
        Exec::new(&exe).run(r).assert("ok\n", "", 0);
    }
    // The relaxations rewrote the instructions; the unused archive member stayed out.
    let bytes = std::fs::read(&exe).unwrap();
    let elf = goblin::elf::Elf::parse(&bytes).unwrap();
    let sym = |name: &str| {
        elf.syms
            .iter()
            .find(|s| elf.strtab.get_at(s.st_name) == Some(name))
    };
    assert!(sym("only_in_c").is_none(), "an unneeded member was loaded");
    assert!(sym("dup").is_some() && sym("add1").is_some());
    let start = sym("_start").unwrap().st_value;
    let text = elf
        .section_headers
        .iter()
        .find(|s| elf.shdr_strtab.get_at(s.sh_name) == Some(".text"))
        .unwrap();
    let at = (text.sh_offset + start - text.sh_addr) as usize;
    // leaq value1(%rip), %rbx; then the relaxed mov: 48 8d 05 (lea), not 48 8b 05.
    assert_eq!(&bytes[at..at + 3], &[0x48, 0x8d, 0x1d]);
    assert_eq!(&bytes[at + 7..at + 10], &[0x48, 0x8d, 0x05], "mov → lea");
    let code = &bytes[at..at + 400];
    assert!(
        code.windows(2).any(|w| w == [0x67, 0xe8]),
        "call * → addr32 call"
    );
    // got_plain keeps its GOT load (48 8b 05): plain GOTPCREL promises nothing.
    let g = sym("got_plain").unwrap().st_value;
    let at = (text.sh_offset + g - text.sh_addr) as usize;
    assert_eq!(&bytes[at..at + 3], &[0x48, 0x8b, 0x05]);
}

/// The large code model's GOT-relative relocations (`-C code-model=large` asks for them).
const LARGE: &str = r#"
        .text
        .globl  _start
_start:
        leaq    value1(%rip), %rbx              # the reference address
1:      leaq    1b(%rip), %r12
        movabsq $_GLOBAL_OFFSET_TABLE_-1b, %r11 # R_X86_64_GOTPC64
        addq    %r11, %r12                      # the GOT's address
        leaq    _GLOBAL_OFFSET_TABLE_(%rip), %rax   # R_X86_64_GOTPC32
        cmpq    %rax, %r12
        check   1
        movabsq $value1@GOTOFF, %rax            # R_X86_64_GOTOFF64
        addq    %r12, %rax
        cmpq    %rax, %rbx
        check   2
        movabsq $value1@GOT, %rax               # R_X86_64_GOT64: the slot's offset
        movq    (%r12,%rax), %rax
        cmpq    %rax, %rbx
        check   3
        leaq    slotrel(%rip), %rax             # slotrel = R_X86_64_GOTPCREL64
        addq    slotrel(%rip), %rax
        movq    (%rax), %rax
        cmpq    %rax, %rbx
        check   4
        movabsq $add1@PLTOFF, %rax              # R_X86_64_PLTOFF64: the function itself
        addq    %r12, %rax
        xorl    %edi, %edi
        call    *%rax
        cmpq    $1, %rdi
        check   5
        jmp     finish
fail:
        movl    $231, %eax
        syscall

        .data
        .p2align 3
slotrel: .quad  value1@GOTPCREL
"#;

#[test]
fn large_code_model_relocations_link_and_run() {
    let d = dir("large");
    let main = asm(&d, "main", &format!("{CHECK}{LARGE}"), &[]);
    let lib = asm(&d, "lib", LIB, &[]);
    let exe = d.join("prog");
    let (ok, err) = link(&[&main, &lib, &"-o", &exe]);
    assert!(ok, "{err}");
    for r in &runners() {
        Exec::new(&exe).run(r).assert("ok\n", "", 0);
    }
    // And rustc's own output under the large code model.
    let obj = compile_rust(&d, "large", LARGE_RS, &["-C", "code-model=large"]);
    let rels = String::from_utf8(
        Command::new("readelf")
            .arg("-rW")
            .arg(&obj)
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for t in ["R_X86_64_GOTPC64", "R_X86_64_GOTOFF64", "R_X86_64_GOT64"] {
        assert!(rels.contains(t), "rustc no longer emits {t}:\n{rels}");
    }
    let exe = d.join("large");
    let (ok, err) = link(&[&obj, &"--gc-sections", &"-o", &exe]);
    assert!(ok, "{err}");
    for r in &runners() {
        Exec::new(&exe).run(r).assert("", "", 4321 % 256);
    }
}

#[test]
fn stripped_output_has_no_section_headers_and_still_runs() {
    let d = dir("strip");
    let main = asm(&d, "main", &format!("{CHECK}{MAIN}"), &[]);
    let lib = asm(&d, "lib", LIB, &[]);
    let got = asm(&d, "got", GOT, &["-Wa,-mrelax-relocations=no"]);
    let exe = d.join("prog");
    for flags in [
        &["-s"][..],
        &["-z", "nosectionheader"],
        &["-Wl,--strip-all"],
    ] {
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> =
            vec![&main, &lib, &got, &"--gc-sections", &"-o", &exe];
        for f in flags {
            args.push(f);
        }
        let (ok, err) = link(&args);
        assert!(ok, "{err}");
        let bytes = std::fs::read(&exe).unwrap();
        let elf = goblin::elf::Elf::parse(&bytes).unwrap();
        assert!(elf.section_headers.is_empty(), "{flags:?}");
        // One R+X load and one R+W load, never writable and executable.
        let loads: Vec<_> = elf
            .program_headers
            .iter()
            .filter(|p| p.p_type == goblin::elf::program_header::PT_LOAD)
            .collect();
        assert_eq!(loads.len(), 2);
        assert!(loads.iter().all(|p| p.p_flags & 3 != 3));
        for r in &runners() {
            Exec::new(&exe).run(r).assert("ok\n", "", 0);
        }
    }
}

/// Links `objs` expecting failure; returns stderr (and checks no output file appeared).
fn link_err(d: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> String {
    let exe = d.join("out");
    let _ = std::fs::remove_file(&exe);
    let mut all: Vec<&dyn AsRef<std::ffi::OsStr>> = args.to_vec();
    all.push(&"-o");
    all.push(&exe);
    let (ok, err) = link(&all);
    assert!(!ok, "linking {:?} succeeded", args.len());
    assert!(!exe.exists(), "a failed link left an output file");
    assert!(err.starts_with("freestand-ld: error: "), "{err}");
    err
}

#[test]
fn errors_name_what_is_wrong() {
    let d = dir("errors");
    // Undefined: named demangled and mangled, with every reference.
    let undef = asm(
        &d,
        "undef",
        r#"
        .text
        .globl _start
_start: call _ZN4core3fmt5write17h0123456789abcdefE
        call helper
        .section .text.helper,"ax",@progbits
helper: jmp _ZN4core3fmt5write17h0123456789abcdefE
"#,
        &[],
    );
    let e = link_err(&d, &[&undef, &"--gc-sections"]);
    assert!(
        e.contains("undefined symbol: core::fmt::write (_ZN4core3fmt5write17h0123456789abcdefE)"),
        "{e}"
    );
    assert!(
        e.contains("undef.o:(.text)") && e.contains("undef.o:(.text.helper)"),
        "{e}"
    );

    // Duplicate strong definitions: both objects named.
    let a = asm(&d, "a", ".text\n.globl _start\n_start: ret\n", &[]);
    let b = asm(&d, "b", ".text\n.globl _start\n_start: nop\nret\n", &[]);
    let e = link_err(&d, &[&a, &b]);
    assert!(e.contains("duplicate symbol: _start"), "{e}");
    assert!(e.contains("a.o") && e.contains("b.o"), "{e}");

    // No entry point.
    let noentry = asm(&d, "noentry", ".text\n.globl main\nmain: ret\n", &[]);
    let e = link_err(&d, &[&noentry]);
    assert!(e.contains("entry symbol `_start` is not defined"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");

    // A bad archive, a truncated object, another machine's object: one line naming the file.
    let bad_ar = d.join("libbad.a");
    std::fs::write(
        &bad_ar,
        b"!<arch>\nthis is not an archive member header at all\n",
    )
    .unwrap();
    let truncated = d.join("truncated.o");
    std::fs::write(&truncated, &std::fs::read(&a).unwrap()[..100]).unwrap();
    let arm = d.join("arm.o");
    let mut bytes = std::fs::read(&a).unwrap();
    bytes[18..20].copy_from_slice(&183u16.to_le_bytes()); // EM_AARCH64
    std::fs::write(&arm, &bytes).unwrap();
    let text = d.join("text.o");
    std::fs::write(&text, "not an object\n").unwrap();
    for (f, what) in [
        (&bad_ar, "bad archive"),
        (&truncated, "truncated.o"),
        (&arm, "machine 183 is not x86-64"),
        (&text, "not an ELF file"),
    ] {
        let e = link_err(&d, &[&a, f]);
        assert!(
            e.contains(&f.display().to_string()),
            "{e} does not name the file"
        );
        assert!(e.contains(what), "{e}");
        assert_eq!(e.lines().count(), 1, "{e}");
    }
    let e = link_err(&d, &[&a, &"-lnosuchlib", &"-L", &d]);
    assert!(e.contains("cannot find -lnosuchlib"), "{e}");
    let e = link_err(&d, &[&d.join("absent.o")]);
    assert!(e.contains("absent.o") && e.contains("No such file"), "{e}");

    // Thread-local storage: named, with the section and object.
    let tls = asm(
        &d,
        "tls",
        r#"
        .text
        .globl _start
_start: movq %fs:tv@tpoff, %rax
        .section .tbss,"awT",@nobits
tv:     .zero 8
"#,
        &[],
    );
    let e = link_err(&d, &[&tls]);
    assert!(e.contains("tls.o"), "{e}");
    assert!(
        e.contains("R_X86_64_TPOFF32") || e.contains("thread-local"),
        "{e}"
    );

    // A 32-bit field that cannot hold its value: type, section, object and symbol.
    let big = asm(&d, "big", ".globl big\n.set big, 0x100000000\n", &[]);
    let user = asm(
        &d,
        "user",
        ".text\n.globl _start\n_start: movl $big, %eax\n",
        &[],
    );
    let e = link_err(&d, &[&user, &big]);
    assert!(
        e.contains("R_X86_64_32")
            && e.contains("user.o")
            && e.contains("(.text+0x1)")
            && e.contains("big"),
        "{e}"
    );

    // Arguments that would change the output.
    let e = link_err(&d, &[&a, &"--frobnicate"]);
    assert!(e.contains("`--frobnicate`"), "{e}");
    let e = link_err(&d, &[&a, &"-shared"]);
    assert!(e.contains("`-shared`"), "{e}");
}

#[test]
fn response_files_and_verbose() {
    let d = dir("rsp");
    let main = asm(&d, "main", &format!("{CHECK}{MAIN}"), &[]);
    let lib = asm(&d, "lib", LIB, &[]);
    let got = asm(&d, "got", GOT, &["-Wa,-mrelax-relocations=no"]);
    let exe = d.join("with space");
    let rsp = d.join("args.rsp");
    std::fs::write(
        &rsp,
        format!(
            "{} {}\n{} -Wl,--as-needed,--gc-sections -fuse-ld=lld -o '{}'",
            main.display(),
            lib.display(),
            got.display(),
            exe.display()
        ),
    )
    .unwrap();
    let (ok, err) = link(&[&format!("@{}", rsp.display()), &"--verbose"]);
    assert!(ok, "{err}");
    assert!(err.contains("ignoring `--as-needed`"), "{err}");
    assert!(err.contains("ignoring `-fuse-ld=lld`"), "{err}");
    for r in &runners() {
        Exec::new(&exe).run(r).assert("ok\n", "", 0);
    }
}

/// A real rustc object: a `_start` that reads a table of string slices (relocations into
/// .rodata and .data.rel.ro), compiled for this target as freestanding code is.
fn rustc_object(d: &Path) -> PathBuf {
    compile_rust(d, "tiny", TINY, &[])
}

const TINY: &str = r#"#![no_std]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
static TABLE: [&str; 3] = ["a", "bb", "ccc"];
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let mut s = 0usize;
    for t in TABLE.iter() { s += t.len() * core::hint::black_box(3); }
    unsafe { core::arch::asm!("syscall", in("rax") 231, in("rdi") s, options(noreturn)) }
}
"#;

/// Under the large code model rustc reaches constants with GOTPC64 + GOTOFF64 and calls
/// functions through GOT64 slots.
const LARGE_RS: &str = r#"#![no_std]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
static TABLE: [u64; 4] = [1, 20, 300, 4000];
#[inline(never)]
pub fn pick(i: usize) -> u64 { TABLE[i & 3] }
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let mut s = 0;
    for i in 0..4 { s += pick(core::hint::black_box(i)); }
    unsafe { core::arch::asm!("syscall", in("rax") 231, in("rdi") s % 256, options(noreturn)) }
}
"#;

/// Compiles `src` with rustc (`extra`: more flags) into `d/name.o`.
fn compile_rust(d: &Path, name: &str, src: &str, extra: &[&str]) -> PathBuf {
    let file = d.join(format!("{name}.rs"));
    std::fs::write(&file, src).unwrap();
    let obj = d.join(format!("{name}.o"));
    let out = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .args(["--crate-type=lib", "--emit=obj", "-C", "panic=abort", "-O"])
        .args(["--target", xtask::TARGET])
        .args(extra)
        .arg("-o")
        .arg(&obj)
        .arg(&file)
        .output()
        .expect("rustc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    obj
}

#[test]
fn a_rustc_object_links_and_runs() {
    let d = dir("rustc");
    let obj = rustc_object(&d);
    let exe = d.join("tiny");
    let (ok, err) = link(&[&obj, &"--gc-sections", &"-o", &exe]);
    assert!(ok, "{err}");
    for r in &runners() {
        Exec::new(&exe).run(r).assert("", "", 18); // (1 + 2 + 3) × 3
    }
}

/// Every malformed variant of real inputs is an error or a link, never a panic: random
/// byte flips, extreme field values and truncations of a rustc object and of the sysroot's
/// compiler_builtins rlib, each linked in-process (fixed seed; `cargo xtask soak` is the
/// place for long runs).
#[test]
fn mutated_inputs_never_panic_the_linker() {
    use linker::ld::args::{Config, InputArg};
    let d = dir("mutate");
    let obj = std::fs::read(rustc_object(&d)).unwrap();
    let sysroot = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .args(["--print", "sysroot"])
        .output()
        .unwrap();
    let lib = PathBuf::from(String::from_utf8(sysroot.stdout).unwrap().trim())
        .join("lib/rustlib")
        .join(xtask::TARGET)
        .join("lib");
    let builtins = std::fs::read_dir(&lib)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("libcompiler_builtins") && n.ends_with(".rlib")
        })
        .expect("the sysroot's compiler_builtins rlib");
    let rlib = std::fs::read(&builtins).unwrap();
    let seed: u64 = std::env::var("FLD_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x0001_14ed_5eed);
    let mut rng = qemu_tests::Rng(seed | 1);
    let (mut ok, mut failed) = (0, 0);
    let n: usize = std::env::var("FLD_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    for i in 0..n {
        let (base, name) = if i % 6 == 5 {
            (&rlib, "lib.rlib")
        } else {
            (&obj, "obj.o")
        };
        let mut m = base.clone();
        match rng.below(4) {
            0 => m.truncate(rng.index(m.len())),
            1 => {
                for _ in 0..1 + rng.below(8) {
                    let at = rng.index(m.len());
                    m[at] = rng.next_u64() as u8;
                }
            }
            2 => {
                // A header or table field: an extreme value at a 4-aligned offset early on.
                let at = 4 * rng.index(m.len().min(1024) / 4 - 2);
                let v = [0u64, u64::MAX, 0x7fff_ffff, 0x8000_0000_0000_0000][rng.index(4)];
                m[at..at + 8].copy_from_slice(&v.to_le_bytes());
            }
            _ => {
                // Anywhere: a run of random bytes.
                let at = rng.index(m.len());
                let end = (at + 1 + rng.index(64)).min(m.len());
                for b in &mut m[at..end] {
                    *b = rng.next_u64() as u8;
                }
            }
        }
        let path = d.join(name);
        std::fs::write(&path, &m).unwrap();
        let mut inputs = vec![InputArg::Path(path.clone())];
        if name == "lib.rlib" {
            inputs.insert(0, InputArg::Path(d.join("tiny.o")));
        }
        let c = Config {
            inputs,
            gc_sections: true,
            ..Config::default()
        };
        let r = std::panic::catch_unwind(|| linker::ld::link(&c).map(|_| ()));
        match r {
            Ok(Ok(())) => ok += 1,
            Ok(Err(e)) => {
                let text = e.to_string();
                assert!(!text.is_empty());
                failed += 1;
            }
            Err(_) => panic!("mutation {i} of {name} panicked the linker (FLD_SEED={seed})"),
        }
    }
    eprintln!("{n} mutations (FLD_SEED={seed}): {ok} linked, {failed} refused with an error");
    assert!(
        failed > n / 6,
        "the mutations hardly ever broke anything: {failed}"
    );
}

#[test]
fn link_maps_name_every_section_symbol_and_crate() {
    let d = dir("map");
    let main = asm(&d, "main", &format!("{CHECK}{MAIN}"), &[]);
    let lib = asm(&d, "lib", LIB, &[]);
    let got = asm(&d, "got", GOT, &["-Wa,-mrelax-relocations=no"]);
    let exe = d.join("prog");
    let map = d.join("prog.txt");
    let (ok, err) = link(&[
        &main,
        &lib,
        &got,
        &"--gc-sections",
        &"-o",
        &exe,
        &format!("-Map={}", map.display()),
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&map).unwrap();
    for needle in [
        "main.o:(.text)",
        "lib.o:(.text)",
        "lib.o:(.data)",
        "_start",
        "value1",
        "*GOT* (1 slots)",
        "*COMMON* common_buf",
        "Per crate (bytes):",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    assert!(
        !text.contains(".text.unused"),
        "a collected section is in the map"
    );
    // The crate table adds up to what the program holds.
    let total = text
        .lines()
        .find(|l| l.starts_with("(all)"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|t| t.parse::<u64>().ok())
        .unwrap();
    assert!(total >= 128 + 16, "{total}");
    // -Map=DIR: DIR/<output>.map, as GNU ld does.
    let (ok, err) = link(&[
        &main,
        &lib,
        &got,
        &"--gc-sections",
        &"-o",
        &exe,
        &format!("-Wl,-Map={}", d.display()),
    ]);
    assert!(ok, "{err}");
    assert!(d.join("prog.map").is_file());
    // The examples' builds leave one beside each executable.
    let hello = qemu_tests::example("hello");
    let m = std::fs::read_to_string(hello.with_extension("map")).unwrap();
    assert!(
        m.contains("rt::io::stdout::stdout_failed_raw") && m.contains("\nrt "),
        "{m}"
    );
}

#[test]
fn identical_constants_and_strings_are_kept_once() {
    let d = dir("merge");
    // Two objects with the same 16-byte constant and the same string, reached by a local
    // symbol (RIP-relative, addend −4) and by section + offset (absolute, as LLVM emits
    // them); a second, different constant must stay distinct.
    let unit = |name: &str, other: u64| {
        let src = format!(
            r#"
        .section .rodata.cst16,"aM",@progbits,16
        .p2align 4
.Lk:    .quad   0x1111111111111111, 0x2222222222222222
.Lo:    .quad   {other:#x}, {other:#x}
        .section .rodata.str1.1,"aMS",@progbits,1
.Ls:    .asciz  "shared"
        .text
        .globl  {name}
{name}:
        movdqa  .Lk(%rip), %xmm0                # PC32 to a local symbol
        movq    %xmm0, %rax
        movabsq $0x1111111111111111, %rcx
        cmpq    %rcx, %rax
        jne     1f
        movl    $.rodata.cst16+16, %eax         # R_X86_64_32 to the section symbol + 16
        movq    (%rax), %rax
        movabsq ${other:#x}, %rcx
        cmpq    %rcx, %rax
        jne     1f
        movq    .Lo+8(%rip), %rax               # a symbol + an offset inside its entry
        movabsq ${other:#x}, %rcx
        cmpq    %rcx, %rax
        jne     1f
        leaq    .Ls(%rip), %rax
        cmpb    $'s', (%rax)
        jne     1f
        cmpb    $0, 6(%rax)
        jne     1f
        xorl    %eax, %eax
        ret
1:      movl    $1, %eax
        ret
"#
        );
        asm(&d, name, &src, &[])
    };
    let a = unit("check_a", 0x3333333333333333);
    let b = unit("check_b", 0x4444444444444444);
    let main = asm(
        &d,
        "main",
        r#"
        .text
        .globl _start
_start: call    check_a
        movl    %eax, %ebx
        call    check_b
        leal    (%rax,%rbx,2), %edi
        movl    $231, %eax
        syscall
"#,
        &[],
    );
    let exe = d.join("prog");
    let map = d.join("prog.map");
    let (ok, err) = link(&[
        &main,
        &a,
        &b,
        &"-o",
        &exe,
        &format!("-Map={}", map.display()),
    ]);
    assert!(ok, "{err}");
    for r in &runners() {
        Exec::new(&exe).run(r).assert("", "", 0);
    }
    let text = std::fs::read_to_string(&map).unwrap();
    // 2 × 32 bytes of constants in → 3 distinct entries of 16 out; 2 × 7 bytes of "shared" → 7.
    assert!(
        text.contains("0x30  *merged constants* (entries of 16 bytes: 64 bytes"),
        "{text}"
    );
    assert!(
        text.contains("0x7  *merged strings* (entries of 1 bytes: 14 bytes"),
        "{text}"
    );
}

/// A std program (rustc names the C library) goes to cc with the same arguments when rustc
/// passes cc's style, so one `-C linker=freestand-ld` serves a crate's test harnesses and
/// build scripts too; in ld's style the error says what to add.
#[test]
fn std_programs_are_handed_to_cc() {
    let d = dir("std-delegation");
    let src = d.join("hello_std.rs");
    std::fs::write(
        &src,
        "fn main() { let v: Vec<u32> = (1..=4).collect(); println!(\"std says {:?}\", v); std::process::exit(3) }\n",
    )
    .unwrap();
    let rustc = || {
        let mut c = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()));
        c.arg(&src)
            .arg("-C")
            .arg(format!("linker={}", fld().display()));
        c
    };
    let exe = d.join("hello_std");
    let out = rustc()
        .args(["-C", "linker-flavor=gcc", "-C", "link-arg=--verbose", "-o"])
        .arg(&exe)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let run = Command::new(&exe).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "std says [1, 2, 3, 4]\n"
    );
    assert_eq!(run.status.code(), Some(3));
    // In ld's style (rustc's default for a linker named *-ld) the link is refused, naming
    // the fix.
    let out = rustc().arg("-o").arg(d.join("ld_style")).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("-C linker-flavor=gcc"), "{err}");
}
