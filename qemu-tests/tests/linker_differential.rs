//! freestand-ld against the system linker (cc → rust-lld with rt's script), as wild tests
//! itself against other linkers: every example, in debug and release, linked both ways,
//! runs with identical stdout, stderr and exit status natively and under qemu-x86_64; in
//! the debug builds (which keep their symbol tables) every global function of rust-lld's
//! output exists in ours with the same size, and its instructions agree once the addresses
//! they reach are mapped back to the symbol (or the bytes) they point at.

use iced_x86::{Decoder, DecoderOptions, Instruction, OpKind};
use qemu_tests::{Exec, runners};
use std::collections::HashMap;
use xtask::{Linker, Profile, build_examples_with, example_names, example_path_with};

/// The examples compared in `profile`: in debug all but the minipy runner (its debug build
/// is the slowest to make and interprets for minutes; its release build is compared).
fn examples(profile: Profile) -> Vec<String> {
    example_names()
        .unwrap()
        .into_iter()
        .filter(|n| profile == Profile::Release || n != "minipy")
        .collect()
}

/// The invocations each example is compared on.
fn invocations(name: &str) -> Vec<Exec> {
    let root = xtask::workspace_root();
    let mut v: Vec<(Vec<String>, Vec<u8>)> = vec![
        (vec![], vec![]),
        (vec!["a".into(), "b c".into()], b"1+2*3\n".to_vec()),
    ];
    match name {
        "exit" => v.push((vec!["7".into()], vec![])),
        "jit-calc" => v.push((vec!["(x*x+1)%7".into(), "12".into()], vec![])),
        "cat" => v.push((vec![root.join("Cargo.toml").display().to_string()], vec![])),
        "alloc" => v.push((vec!["20".into()], vec![])),
        "minipy" => {
            let fib = root.join("bench/py/fib.py").display().to_string();
            for mode in ["interp", "jit", "auto"] {
                v.push((vec!["--mode".into(), mode.into(), fib.clone()], vec![]));
            }
        }
        _ => {}
    }
    v.into_iter()
        .map(|(args, stdin)| Exec::new("").args(args).stdin(stdin))
        .collect()
}

fn with_program(e: &Exec, program: &std::path::Path) -> Exec {
    let mut e = e.clone();
    e.set_program(program);
    e
}

#[test]
fn every_example_runs_the_same_with_either_linker() {
    for profile in [Profile::Release, Profile::Debug] {
        for l in [Linker::Freestand, Linker::System] {
            build_examples_with(&examples(profile), profile, l).expect("building the examples");
        }
        for name in examples(profile) {
            let ours = example_path_with(&name, profile, Linker::Freestand);
            let theirs = example_path_with(&name, profile, Linker::System);
            for inv in invocations(&name) {
                for r in &runners() {
                    let a = with_program(&inv, &ours).run(r);
                    let b = with_program(&inv, &theirs).run(r);
                    let what = format!("{name} ({profile:?}) {inv:?} on {}", r.name());
                    assert_eq!(a.stdout_str(), b.stdout_str(), "stdout of {what}");
                    assert_eq!(a.stderr_str(), b.stderr_str(), "stderr of {what}");
                    assert_eq!(a.status.code(), b.status.code(), "status of {what}");
                }
            }
        }
    }
}

/// An ELF file's loadable bytes by address, and its symbols.
struct Image {
    bytes: Vec<u8>,
    /// (vaddr, offset, filesz, memsz) of each PT_LOAD.
    loads: Vec<(u64, u64, u64, u64)>,
    /// Function and object symbols with a size, sorted by address: (addr, size, name).
    symbols: Vec<(u64, u64, String)>,
    /// Global functions: name → (addr, size).
    functions: HashMap<String, (u64, u64)>,
}

impl Image {
    fn read(path: &std::path::Path) -> Image {
        let bytes = std::fs::read(path).unwrap();
        let elf = goblin::elf::Elf::parse(&bytes).unwrap();
        let loads = elf
            .program_headers
            .iter()
            .filter(|p| p.p_type == goblin::elf::program_header::PT_LOAD)
            .map(|p| (p.p_vaddr, p.p_offset, p.p_filesz, p.p_memsz))
            .collect();
        let mut symbols = Vec::new();
        let mut functions = HashMap::new();
        for s in elf.syms.iter() {
            let name = elf.strtab.get_at(s.st_name).unwrap_or("").to_string();
            let t = s.st_type();
            if (t == goblin::elf::sym::STT_FUNC || t == goblin::elf::sym::STT_OBJECT)
                && s.st_size > 0
            {
                symbols.push((s.st_value, s.st_size, name.clone()));
            }
            if t == goblin::elf::sym::STT_FUNC
                && s.st_bind() == goblin::elf::sym::STB_GLOBAL
                && s.st_shndx != 0
            {
                functions.insert(name, (s.st_value, s.st_size));
            }
        }
        symbols.sort();
        Image {
            bytes,
            loads,
            symbols,
            functions,
        }
    }

    fn at(&self, addr: u64, len: u64) -> Option<&[u8]> {
        let (v, o, _, _) = self
            .loads
            .iter()
            .find(|(v, _, f, _)| addr >= *v && addr + len <= v + f)?;
        let start = (o + addr - v) as usize;
        self.bytes.get(start..start + len as usize)
    }

    fn in_image(&self, addr: u64) -> bool {
        self.loads
            .iter()
            .any(|(v, _, _, m)| addr >= *v && addr < v + m)
    }

    /// What an address means independently of where the linker put things: the symbol
    /// (and offset) it is in; else, if it holds a pointer to one (a GOT slot), that; else
    /// (`depth` 2: the address a `lea` loads) a jump table's first target; else the first
    /// bytes there. `depth` 1: already following a pointer.
    fn describe(&self, addr: u64, depth: u32) -> String {
        let i = self.symbols.partition_point(|s| s.0 <= addr);
        if i > 0 {
            let (a, size, name) = &self.symbols[i - 1];
            if addr < a + size {
                return format!("{name}+{:#x}", addr - a);
            }
        }
        if depth != 1
            && addr.is_multiple_of(8)
            && let Some(b) = self.at(addr, 8)
        {
            let p = u64::from_le_bytes(b.try_into().unwrap());
            if self.in_image(p) {
                return format!("*({})", self.describe(p, 1));
            }
        }
        // A table of 32-bit offsets from its start (what a `lea` of unnamed data usually
        // loads: a jump table, or a table of strings): where its first entry leads.
        if depth == 2
            && let Some(b) = self.at(addr, 8)
        {
            // Two entries that both lead into the image (text would not: its bytes make
            // offsets far outside it).
            let entry = |k: usize| {
                let rel = i32::from_le_bytes(b[4 * k..4 * k + 4].try_into().unwrap()) as i64;
                let to = addr.wrapping_add(rel as u64);
                (rel != 0 && rel.abs() < 1 << 24 && self.at(to, 1).is_some()).then_some(to)
            };
            if let (Some(to), Some(_)) = (entry(0), entry(1)) {
                return format!("table → {}", self.describe(to, 1));
            }
        }
        // Unnamed constants: their first byte (how long they are is unknown, and what
        // follows depends on which strings each linker merged), with padding (int3 in
        // rust-lld's merged code-and-rodata section, zeros in ours) read the same.
        match self.at(addr, 1) {
            Some(&[b]) => format!("byte {:02x}", if b == 0xcc { 0 } else { b }),
            Some(_) => unreachable!("one byte asked for"),
            None => "bss".into(),
        }
    }
}

/// The address-independent meaning of one instruction: its code and every operand, with
/// addresses replaced by what they point at.
fn meaning(img: &Image, ins: &Instruction) -> String {
    let mut s = format!("{:?}", ins.code());
    for k in 0..ins.op_count() {
        let part = match ins.op_kind(k) {
            OpKind::NearBranch64 | OpKind::NearBranch32 | OpKind::NearBranch16 => {
                img.describe(ins.near_branch_target(), 0)
            }
            OpKind::Memory if ins.is_ip_rel_memory_operand() => {
                let table_ok = ins.mnemonic() == iced_x86::Mnemonic::Lea;
                let depth = if table_ok { 2 } else { 0 };
                format!("[{}]", img.describe(ins.ip_rel_memory_address(), depth))
            }
            OpKind::Memory => {
                let d = ins.memory_displacement64();
                let disp = if img.in_image(d) {
                    img.describe(d, 0)
                } else {
                    format!("{d:#x}")
                };
                format!(
                    "[{:?}+{:?}*{}+{disp}]",
                    ins.memory_base(),
                    ins.memory_index(),
                    ins.memory_index_scale()
                )
            }
            OpKind::Immediate32 | OpKind::Immediate32to64 | OpKind::Immediate64 => {
                let v = ins.immediate(k);
                if img.in_image(v) {
                    img.describe(v, 0)
                } else {
                    format!("{v:#x}")
                }
            }
            OpKind::Register => format!("{:?}", ins.op_register(k)),
            other => format!("{other:?}:{:#x}", ins.immediate(k)),
        };
        s.push(' ');
        s.push_str(&part);
    }
    s
}

fn decode(img: &Image, addr: u64, size: u64) -> Vec<Instruction> {
    let code = img.at(addr, size).expect("function bytes in the file");
    let mut d = Decoder::with_ip(64, code, addr, DecoderOptions::NONE);
    let mut out = Vec::new();
    while d.can_decode() {
        out.push(d.decode());
    }
    out
}

#[test]
fn debug_builds_have_the_same_functions_and_instructions() {
    for l in [Linker::Freestand, Linker::System] {
        build_examples_with(&examples(Profile::Debug), Profile::Debug, l)
            .expect("building the examples");
    }
    for name in examples(Profile::Debug) {
        let ours = Image::read(&example_path_with(&name, Profile::Debug, Linker::Freestand));
        let theirs = Image::read(&example_path_with(&name, Profile::Debug, Linker::System));
        assert!(
            !theirs.functions.is_empty(),
            "{name}: rust-lld kept no symbols"
        );
        let mut compared = 0;
        for (f, &(addr, size)) in &theirs.functions {
            let Some(&(our_addr, our_size)) = ours.functions.get(f) else {
                // rust-lld's GC keeps the personality routine that .eh_frame's CIEs name,
                // though the script then discards .eh_frame; under panic=abort nothing
                // calls it, and freestand-ld drops it with the unwinding tables.
                if f == "rust_eh_personality" {
                    continue;
                }
                panic!("{name}: global function {f} is missing from freestand-ld's output");
            };
            assert_eq!(our_size, size, "{name}: size of {f}");
            let (a, b) = (decode(&ours, our_addr, size), decode(&theirs, addr, size));
            assert_eq!(a.len(), b.len(), "{name}: instruction count of {f}");
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(
                    meaning(&ours, x),
                    meaning(&theirs, y),
                    "{name}: {f} at +{:#x}",
                    x.ip() - our_addr
                );
            }
            compared += 1;
        }
        assert!(compared > 0, "{name}: no function compared");
        eprintln!("{name}: {compared} global functions agree with rust-lld's");
    }
}
