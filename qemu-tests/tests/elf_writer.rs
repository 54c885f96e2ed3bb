//! The ELF executable writer (`linker::exe`): every file it writes is parsed back by goblin
//! and by object's reader and must say what was intended; hand-assembled programs written
//! with it run natively and under qemu-x86_64; impossible layouts are errors.

use linker::exe::{
    Image, Item, Layout, Location, Options, PAGE, Reloc, RelocKind, Segment, SegmentId,
    SegmentKind, Symbol, SymbolKind, Target, WriteError, plan, write,
};
use object::{Object, ObjectSection, ObjectSymbol};
use qemu_tests::{Exec, Rng, runners};

const LAYOUTS: [Layout; 2] = [Layout::PageAligned, Layout::Packed];

fn sym(name: &str, segment: usize, offset: u64, size: u64, global: bool) -> Symbol {
    Symbol {
        name: name.into(),
        at: Location::new(SegmentId(segment), offset),
        size,
        kind: SymbolKind::Func,
        global,
    }
}

/// write(1, msg, len); exit_group(0) — the message in .rodata, reached RIP-relatively.
fn hello_image() -> Image {
    let msg = b"Hello, world!\n";
    let mut code = Vec::new();
    code.extend([0xb8, 1, 0, 0, 0]); // mov eax, 1
    code.extend([0xbf, 1, 0, 0, 0]); // mov edi, 1
    code.extend([0x48, 0x8d, 0x35, 0, 0, 0, 0]); // lea rsi, [rip+msg]
    let lea_field = code.len() as u64 - 4;
    code.extend([0xba, msg.len() as u8, 0, 0, 0]); // mov edx, len
    code.extend([0x0f, 0x05]); // syscall
    code.extend([0xb8, 231, 0, 0, 0]); // mov eax, 231
    code.extend([0x31, 0xff]); // xor edi, edi
    code.extend([0x0f, 0x05]); // syscall
    let n = code.len() as u64;
    Image {
        segments: vec![
            Segment::new(".text", SegmentKind::Code, code, 16),
            Segment::new(".rodata", SegmentKind::ReadOnly, msg.to_vec(), 1),
        ],
        entry: Some(Location::new(SegmentId(0), 0)),
        symbols: vec![
            sym("_start", 0, 0, n, true),
            Symbol {
                name: "message".into(),
                at: Location::new(SegmentId(1), 0),
                size: msg.len() as u64,
                kind: SymbolKind::Object,
                global: false,
            },
        ],
        relocs: vec![Reloc {
            at: Location::new(SegmentId(0), lea_field),
            kind: RelocKind::Rel32,
            target: Location::new(SegmentId(1), 0).into(),
            addend: -4,
        }],
    }
}

/// Exercises every relocation kind and every segment kind: exits with 42 (stored through an
/// Abs64 pointer into .bss) + 17 (read RIP-relatively from .data) + 17 (read through an
/// Abs32 pointer) + 1 (added by a function reached with call rel32) = 77.
fn arith_image() -> Image {
    let mut code = Vec::new();
    let mut relocs = Vec::new();
    let field = |code: &Vec<u8>, kind, target: Location, width: u64| Reloc {
        at: Location::new(SegmentId(0), code.len() as u64 - width),
        kind,
        target: target.into(),
        addend: if kind == RelocKind::Rel32 { -4 } else { 0 },
    };
    code.extend([0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0]); // movabs rax, &bss
    relocs.push(field(
        &code,
        RelocKind::Abs64,
        Location::new(SegmentId(3), 8),
        8,
    ));
    code.extend([0x48, 0xc7, 0x00, 42, 0, 0, 0]); // mov qword [rax], 42
    code.extend([0x48, 0x8b, 0x38]); // mov rdi, [rax]
    code.extend([0x8b, 0x0d, 0, 0, 0, 0]); // mov ecx, [rip+data]
    relocs.push(field(
        &code,
        RelocKind::Rel32,
        Location::new(SegmentId(2), 4),
        4,
    ));
    code.extend([0x48, 0x01, 0xcf]); // add rdi, rcx
    code.extend([0xbe, 0, 0, 0, 0]); // mov esi, &data
    relocs.push(field(
        &code,
        RelocKind::Abs32,
        Location::new(SegmentId(2), 4),
        4,
    ));
    code.extend([0x03, 0x3e]); // add edi, [rsi]
    code.extend([0xe8, 0, 0, 0, 0]); // call inc
    relocs.push(field(
        &code,
        RelocKind::Rel32,
        Location::new(SegmentId(1), 0),
        4,
    ));
    code.extend([0xb8, 231, 0, 0, 0]); // mov eax, 231
    code.extend([0x0f, 0x05]); // syscall
    let main_len = code.len() as u64;
    let inc = vec![0x48, 0x83, 0xc7, 0x01, 0xc3]; // add rdi, 1; ret
    let mut data = vec![0u8; 4];
    data.extend(17u32.to_le_bytes());
    Image {
        segments: vec![
            Segment::new(".text", SegmentKind::Code, code, 16),
            Segment::new(".text.inc", SegmentKind::Code, inc, 16),
            Segment::new(".data", SegmentKind::Data, data, 8),
            Segment::bss(".bss", 1 << 20, 16),
        ],
        entry: Some(Location::new(SegmentId(0), 0)),
        symbols: vec![
            sym("_start", 0, 0, main_len, true),
            sym("inc", 1, 0, 5, false),
        ],
        relocs,
    }
}

fn opts(layout: Layout, strip: bool) -> Options {
    Options {
        layout,
        strip,
        ..Options::default()
    }
}

/// The value a relocated field must hold.
fn expected_field(r: &Reloc, addr: &[(u64, u64)]) -> Vec<u8> {
    let s = match r.target {
        Target::At(t) => (addr[t.segment.index()].1 + t.offset) as i64 + r.addend,
        Target::Absolute(v) => v as i64 + r.addend,
    };
    let p = (addr[r.at.segment.index()].1 + r.at.offset) as i64;
    match r.kind {
        RelocKind::Rel32 => ((s - p) as i32).to_le_bytes().to_vec(),
        RelocKind::Rel64 => (s - p).to_le_bytes().to_vec(),
        RelocKind::Abs32 => (s as u32).to_le_bytes().to_vec(),
        RelocKind::Abs32S => (s as i32).to_le_bytes().to_vec(),
        RelocKind::Abs64 => (s as u64).to_le_bytes().to_vec(),
        RelocKind::Off64(b) => (s - (addr[b.segment.index()].1 + b.offset) as i64)
            .to_le_bytes()
            .to_vec(),
    }
}

/// Parses `bytes` with goblin and object and checks them against the image and options.
fn check(img: &Image, o: &Options, bytes: &[u8]) {
    let p = plan(img, o).expect("plan");
    let g = goblin::elf::Elf::parse(bytes).expect("goblin parses the output");
    assert_eq!(g.header.e_type, goblin::elf::header::ET_EXEC);
    assert_eq!(g.header.e_machine, goblin::elf::header::EM_X86_64);
    assert_eq!(g.header.e_entry, p.entry);
    assert!(g.interpreter.is_none() && g.dynamic.is_none());
    let loads: Vec<_> = g
        .program_headers
        .iter()
        .filter(|ph| ph.p_type == goblin::elf::program_header::PT_LOAD)
        .collect();
    let stack: Vec<_> = g
        .program_headers
        .iter()
        .filter(|ph| ph.p_type == goblin::elf::program_header::PT_GNU_STACK)
        .collect();
    assert_eq!(stack.len(), 1, "one PT_GNU_STACK");
    assert_eq!(stack[0].p_flags & goblin::elf::program_header::PF_X, 0);
    assert_eq!(
        g.program_headers.len(),
        loads.len() + 1,
        "only loads and the stack"
    );
    let mut ranges = Vec::new();
    for l in &loads {
        assert_eq!(
            l.p_offset % PAGE,
            l.p_vaddr % PAGE,
            "p_offset ≡ p_vaddr mod page"
        );
        assert!(l.p_filesz <= l.p_memsz);
        assert!(l.p_offset + l.p_filesz <= bytes.len() as u64);
        assert!(l.p_vaddr >= o.base);
        let w = l.p_flags & goblin::elf::program_header::PF_W != 0;
        let x = l.p_flags & goblin::elf::program_header::PF_X != 0;
        assert!(!(w && x), "no writable+executable segment");
        ranges.push((l.p_vaddr / PAGE, (l.p_vaddr + l.p_memsz).div_ceil(PAGE)));
    }
    ranges.sort();
    for w in ranges.windows(2) {
        assert!(w[0].1 <= w[1].0, "loads share a page: {ranges:x?}");
    }
    // Every segment's bytes are where the plan says, in a load with the right permissions
    // and size, relocated.
    let mut data: Vec<Vec<u8>> = img.segments.iter().map(|s| s.data.clone()).collect();
    for r in &img.relocs {
        let f = expected_field(r, &p.segments);
        let at = r.at.offset as usize;
        data[r.at.segment.index()][at..at + f.len()].copy_from_slice(&f);
    }
    for (i, s) in img.segments.iter().enumerate() {
        let (off, addr) = p.segments[i];
        assert_eq!(addr % s.align, 0, "segment {i} alignment");
        let l = loads
            .iter()
            .find(|l| l.p_vaddr <= addr && addr + s.mem_size <= l.p_vaddr + l.p_memsz)
            .unwrap_or_else(|| panic!("segment {i} is in no load"));
        assert_eq!(
            off - l.p_offset,
            addr - l.p_vaddr,
            "segment {i}: offset/address"
        );
        let writable = l.p_flags & goblin::elf::program_header::PF_W != 0;
        let exec = l.p_flags & goblin::elf::program_header::PF_X != 0;
        match s.kind {
            SegmentKind::Code => assert!(exec && !writable),
            SegmentKind::ReadOnly => assert!(!writable),
            SegmentKind::Data | SegmentKind::Bss => assert!(writable && !exec),
        }
        if s.kind == SegmentKind::Bss {
            assert!(addr + s.mem_size <= l.p_vaddr + l.p_memsz);
            assert!(addr >= l.p_vaddr + l.p_filesz, "bss is not file-backed");
        } else {
            assert!(off + s.data.len() as u64 <= l.p_offset + l.p_filesz);
            let o = off as usize;
            assert_eq!(
                &bytes[o..o + s.data.len()],
                &data[i][..],
                "segment {i} bytes"
            );
        }
    }
    // object's reader agrees on sections and symbols.
    let f = object::read::elf::ElfFile64::<object::Endianness>::parse(bytes)
        .expect("object parses the output");
    assert_eq!(f.entry(), p.entry);
    if o.strip {
        assert!(g.section_headers.is_empty(), "stripped: no section headers");
        assert_eq!(f.symbols().count(), 0);
    } else {
        for (i, s) in img.segments.iter().enumerate() {
            let sec = f
                .section_by_name(&s.name)
                .unwrap_or_else(|| panic!("section {} missing", s.name));
            assert_eq!(sec.address(), p.segments[i].1, "section {} address", s.name);
            let size = if s.kind == SegmentKind::Bss {
                s.mem_size
            } else {
                s.data.len() as u64
            };
            assert_eq!(sec.size(), size, "section {} size", s.name);
        }
        for s in &img.symbols {
            let found = f
                .symbols()
                .find(|x| x.name() == Ok(s.name.as_str()))
                .unwrap_or_else(|| panic!("symbol {} missing", s.name));
            assert_eq!(found.address(), p.address(s.at));
            assert_eq!(found.size(), s.size);
            assert_eq!(found.is_global(), s.global);
        }
        for name in [".symtab", ".strtab", ".shstrtab"] {
            assert!(f.section_by_name(name).is_some(), "{name} missing");
        }
    }
    // And our own inspect accepts it.
    linker::inspect::inspect(bytes).expect("inspect");
}

fn write_temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("freestand-elf-writer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[test]
fn written_programs_run_natively_and_under_qemu() {
    let runners = runners();
    for layout in LAYOUTS {
        for strip in [false, true] {
            let o = opts(layout, strip);
            for (name, img, out, code) in [
                ("hello", hello_image(), "Hello, world!\n", 0),
                ("arith", arith_image(), "", 77),
            ] {
                let bytes = write(&img, &o).unwrap();
                check(&img, &o, &bytes);
                let path = write_temp(&format!("{name}-{layout:?}-{strip}"), &bytes);
                for r in &runners {
                    Exec::new(&path).run(r).assert(out, "", code);
                }
            }
        }
    }
}

#[test]
fn packed_hello_is_small() {
    let img = hello_image();
    let packed = write(&img, &opts(Layout::Packed, true)).unwrap();
    let aligned = write(&img, &opts(Layout::PageAligned, true)).unwrap();
    // 64 (ELF header) + 2×56 (PT_LOAD, PT_GNU_STACK) + 33 code + 14 message.
    assert_eq!(packed.len(), 64 + 2 * 56 + 33 + 14);
    assert!(
        aligned.len() > 2 * PAGE as usize,
        "page-aligned pads to pages"
    );
}

#[test]
fn packed_bss_is_the_zero_fill_of_the_data_load() {
    // arith: two code segments, .data (8 bytes) and 1 MiB of .bss.
    let img = arith_image();
    let o = opts(Layout::Packed, true);
    let bytes = write(&img, &o).unwrap();
    let g = goblin::elf::Elf::parse(&bytes).unwrap();
    let loads: Vec<_> = g
        .program_headers
        .iter()
        .filter(|ph| ph.p_type == goblin::elf::program_header::PT_LOAD)
        .collect();
    assert_eq!(loads.len(), 2, "R+X (headers, code) and R+W (data, bss)");
    let p = plan(&img, &o).unwrap();
    let (data, bss) = (p.segments[2].1, p.segments[3].1);
    assert_eq!(loads[1].p_vaddr, data);
    assert_eq!(loads[1].p_filesz, 8);
    assert_eq!(
        bss,
        (data + 8).next_multiple_of(16),
        "bss right after the data"
    );
    assert_eq!(loads[1].p_vaddr + loads[1].p_memsz, bss + (1 << 20));
    // Page-aligned: each its own load.
    let aligned = write(&img, &opts(Layout::PageAligned, true)).unwrap();
    let g = goblin::elf::Elf::parse(&aligned).unwrap();
    assert_eq!(g.program_headers.len(), 5);
}

#[test]
fn objdump_sees_function_names() {
    let img = arith_image();
    let bytes = write(&img, &opts(Layout::PageAligned, false)).unwrap();
    let path = write_temp("arith-objdump", &bytes);
    let out = std::process::Command::new("objdump")
        .arg("-d")
        .arg(&path)
        .output()
        .expect("objdump (binutils) is needed for this test");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "objdump failed: {text}");
    assert!(text.contains("<_start>:"), "{text}");
    assert!(text.contains("<inc>:"), "{text}");
    assert!(text.contains("call") && text.contains("<inc>"), "{text}");
}

fn random_image(rng: &mut Rng) -> Image {
    let nseg = 1 + rng.below(6) as usize;
    let mut segments = vec![];
    for i in 0..nseg {
        let kind = if i == 0 {
            SegmentKind::Code
        } else {
            [
                SegmentKind::Code,
                SegmentKind::ReadOnly,
                SegmentKind::Data,
                SegmentKind::Bss,
            ][rng.below(4) as usize]
        };
        let align = 1u64 << rng.below(13);
        let len = [0, 1, 8, 100, 4095, 4096, 4097, 20000][rng.below(8) as usize];
        let seg = if kind == SegmentKind::Bss {
            Segment::bss(
                &format!(".bss{i}"),
                len.max(1) * (1 + rng.below(100)),
                align,
            )
        } else {
            let data: Vec<u8> = (0..len.max(8)).map(|_| rng.next_u64() as u8).collect();
            let mut s = Segment::new(&format!(".s{i}"), kind, data, align);
            if kind == SegmentKind::Data && rng.below(2) == 0 {
                s.mem_size += rng.below(10000);
            }
            s
        };
        segments.push(seg);
    }
    let mut symbols = vec![];
    let mut relocs = vec![];
    for k in 0..rng.below(8) {
        let s = rng.below(nseg as u64) as usize;
        let off = rng.below(segments[s].mem_size);
        symbols.push(Symbol {
            name: format!("sym{k}"),
            at: Location::new(SegmentId(s), off),
            size: rng.below(segments[s].mem_size - off + 1),
            kind: SymbolKind::NoType,
            global: rng.below(2) == 0,
        });
    }
    for _ in 0..rng.below(10) {
        let s = rng.below(nseg as u64) as usize;
        if segments[s].data.len() < 8 {
            continue;
        }
        let b = rng.below(nseg as u64) as usize;
        let base = Location::new(SegmentId(b), rng.below(segments[b].mem_size + 1));
        let kind = [
            RelocKind::Rel32,
            RelocKind::Abs32,
            RelocKind::Abs64,
            RelocKind::Abs32S,
            RelocKind::Rel64,
            RelocKind::Off64(base),
        ][rng.below(6) as usize];
        let at = rng.below(segments[s].data.len() as u64 - kind.width() + 1);
        let t = rng.below(nseg as u64) as usize;
        let target = if rng.below(8) == 0 {
            Target::Absolute(rng.below(1 << 20))
        } else {
            Location::new(SegmentId(t), rng.below(segments[t].mem_size + 1)).into()
        };
        relocs.push(Reloc {
            at: Location::new(SegmentId(s), at),
            kind,
            target,
            addend: rng.below(64) as i64 - 32,
        });
    }
    // Fields must not overlap (later ones would overwrite earlier ones).
    relocs.sort_by_key(|r| (r.at.segment, r.at.offset));
    let mut kept: Vec<Reloc> = vec![];
    for r in relocs {
        if let Some(last) = kept.last()
            && last.at.segment == r.at.segment
            && r.at.offset < last.at.offset + 8
        {
            continue;
        }
        kept.push(r);
    }
    Image {
        segments,
        entry: Some(Location::new(SegmentId(0), 0)),
        symbols,
        relocs: kept,
    }
}

#[test]
fn random_images_parse_back_as_intended() {
    let mut rng = Rng(0x5eed_e1f0);
    for _ in 0..400 {
        let img = random_image(&mut rng);
        for layout in LAYOUTS {
            for strip in [false, true] {
                let o = opts(layout, strip);
                let bytes = write(&img, &o).unwrap_or_else(|e| panic!("{e}: {img:#?}"));
                check(&img, &o, &bytes);
            }
        }
    }
}

/// `write` fails with an error matching `$pat` whose message contains `$needle`.
macro_rules! expect_err {
    ($img:expr, $o:expr, $pat:pat, $needle:expr) => {
        match write($img, $o) {
            Ok(_) => panic!("expected an error containing {:?}", $needle),
            Err(e) => {
                assert!(matches!(e, $pat), "{e:?} is not {}", stringify!($pat));
                let msg = e.to_string();
                assert!(msg.contains($needle), "{msg:?} lacks {:?}", $needle);
            }
        }
    };
}

#[test]
fn impossible_layouts_are_errors() {
    let o = Options::default();
    let mut img = hello_image();
    img.entry = Some(Location::new(SegmentId(1), 0));
    expect_err!(
        &img,
        &o,
        WriteError::EntryNotCode {
            segment: SegmentId(1),
            ..
        },
        "is not code"
    );
    img.entry = None;
    expect_err!(&img, &o, WriteError::NoEntry, "no entry point");
    img.entry = Some(Location::new(SegmentId(0), 1000));
    expect_err!(
        &img,
        &o,
        WriteError::OutsideSegment {
            what: Item::Entry,
            offset: 1000,
            ..
        },
        "outside segment 0"
    );
    img.entry = Some(Location::new(SegmentId(7), 0));
    expect_err!(
        &img,
        &o,
        WriteError::NoSuchSegment {
            what: Item::Entry,
            segment: SegmentId(7)
        },
        "segment 7 does not exist"
    );

    let mut img = hello_image();
    img.relocs[0].at.offset = 40; // field runs past the code
    expect_err!(
        &img,
        &o,
        WriteError::OutsideSegment {
            what: Item::Reloc(0),
            ..
        },
        "relocation 0"
    );
    let mut img = hello_image();
    img.relocs[0].target = Location::new(SegmentId(1), 99).into();
    expect_err!(
        &img,
        &o,
        WriteError::OutsideSegment {
            what: Item::RelocTarget(0),
            ..
        },
        "relocation 0 target"
    );

    let mut img = hello_image();
    img.segments[1].align = 3;
    expect_err!(
        &img,
        &o,
        WriteError::BadAlign {
            segment: SegmentId(1),
            ..
        },
        "not a power of two"
    );
    img.segments[1].align = 2 * PAGE;
    expect_err!(
        &img,
        &o,
        WriteError::BadAlign {
            segment: SegmentId(1),
            ..
        },
        "not a power of two"
    );
    let mut img = hello_image();
    img.segments[1].mem_size = 2;
    expect_err!(
        &img,
        &o,
        WriteError::DataExceedsMemory {
            segment: SegmentId(1),
            ..
        },
        "exceed its memory size"
    );
    let mut img = hello_image();
    img.segments.push(Segment {
        data: vec![1],
        ..Segment::bss(".bss", 8, 8)
    });
    expect_err!(
        &img,
        &o,
        WriteError::BssWithData {
            segment: SegmentId(2),
            ..
        },
        "cannot carry file data"
    );

    // Displacements beyond ±2 GiB: code reaching bss placed after 3 GiB of data.
    let mut img = hello_image();
    img.segments[1].kind = SegmentKind::Data;
    img.segments[1].mem_size = 3 << 30;
    img.segments.push(Segment::bss(".bss", 16, 16));
    img.relocs[0].target = Location::new(SegmentId(2), 0).into();
    expect_err!(
        &img,
        &o,
        WriteError::FieldOverflow {
            reloc: 0,
            kind: RelocKind::Rel32,
            ..
        },
        "does not fit in 32 bits"
    );
    // Absolute 32-bit addresses above 4 GiB.
    let mut img = arith_image();
    let o_high = Options { base: 1 << 32, ..o };
    expect_err!(
        &img,
        &o_high,
        WriteError::FieldOverflow {
            kind: RelocKind::Abs32,
            ..
        },
        "does not fit in 32 bits"
    );
    img.relocs.retain(|r| r.kind != RelocKind::Abs32);
    assert!(write(&img, &o_high).is_ok());

    for base in [0x1234, 0x1000, 0] {
        let o_bad = Options { base, ..o };
        expect_err!(
            &hello_image(),
            &o_bad,
            WriteError::BadBase { .. },
            "page-aligned and at least"
        );
    }
    let o_top = Options {
        base: (1 << 47) - PAGE,
        ..o
    };
    expect_err!(
        &hello_image(),
        &o_top,
        WriteError::BeyondAddressSpace { .. },
        "47-bit"
    );
    expect_err!(&Image::default(), &o, WriteError::NoSegments, "no segments");
}
