//! inspect against `readelf -W` and `nm` (the oracles) on every ELF file under /usr/bin and
//! /usr/lib/x86_64-linux-gnu up to 16 MiB (all sizes: `cargo xtask soak readelf 256`), plus
//! this project's own outputs: header, program-header and section fields, relocations,
//! symbols, dynamic entries and notes must agree. And damaged files must give errors, never
//! panics.

use linker::inspect::{Report, inspect};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The largest system file the suite compares: 16 MiB, or `READELF_MAX_MB` (`cargo xtask
/// soak readelf N` compares every file up to N MiB: the few shared libraries past 16 MiB —
/// LLVM, node — hold most of the bytes and took most of the suite's time).
fn size_limit() -> u64 {
    std::env::var("READELF_MAX_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(16)
        << 20
}

/// ELF files under /usr/bin and /usr/lib/x86_64-linux-gnu (each file once, whatever names
/// link to it, up to [`size_limit`]), this project's executables, and the ELF writer's outputs.
fn elf_files() -> Vec<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let limit = size_limit();
    let mut over = 0;
    for dir in ["/usr/bin", "/usr/lib/x86_64-linux-gnu"] {
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(meta) = std::fs::metadata(&p) else {
                continue;
            };
            if !meta.is_file() || !seen.insert((meta.dev(), meta.ino())) {
                continue;
            }
            let mut magic = [0u8; 4];
            if std::fs::File::open(&p)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
                .is_ok()
                && &magic == b"\x7fELF"
            {
                if meta.len() > limit {
                    over += 1;
                } else {
                    out.push(p);
                }
            }
        }
    }
    if over > 0 {
        note(&format!(
            "{over} system ELF files over {} MiB were not compared with readelf and nm (`cargo xtask soak readelf 256` compares them)",
            limit >> 20
        ));
    }
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    for (dir, name) in [
        ("freestanding", "hello"),
        ("freestanding", "cat"),
        ("freestanding-minipy", "minipy"),
        ("freestanding", "jit-calc"),
    ] {
        let p = target
            .join(dir)
            .join("x86_64-unknown-linux-gnu/release")
            .join(name);
        if p.exists() {
            out.push(p);
        }
    }
    out.extend(writer_outputs());
    out.sort();
    out
}

/// Leaves a note that `cargo xtask test` prints at the end (a check left out of the suite).
fn note(text: &str) {
    let notes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/test-notes");
    if std::fs::create_dir_all(&notes).is_ok() {
        let _ = std::fs::write(notes.join("readelf-large-files"), format!("{text}\n"));
    }
}

/// Files from this crate's own writer: every segment kind, both layouts, with and without
/// section headers.
fn writer_outputs() -> Vec<PathBuf> {
    use linker::exe::*;
    let dir = std::env::temp_dir().join(format!("freestand-readelf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let exit0 = vec![0xb8, 231, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05]; // exit_group(0)
    let mut data = Segment::new(".data", SegmentKind::Data, vec![7; 100], 8);
    data.mem_size = 5000;
    let img = Image {
        segments: vec![
            Segment::new(".text", SegmentKind::Code, exit0, 16),
            Segment::new(".rodata", SegmentKind::ReadOnly, b"constant".to_vec(), 8),
            data,
            Segment::bss(".bss", 1 << 16, 64),
        ],
        entry: Some(Location::new(SegmentId(0), 0)),
        symbols: vec![Symbol {
            name: "_start".into(),
            at: Location::new(SegmentId(0), 0),
            size: 9,
            kind: SymbolKind::Func,
            global: true,
        }],
        relocs: vec![],
    };
    let mut out = Vec::new();
    for layout in [Layout::PageAligned, Layout::Packed] {
        for strip in [false, true] {
            let o = Options {
                layout,
                strip,
                ..Options::default()
            };
            let p = dir.join(format!("written-{layout:?}-{strip}"));
            std::fs::write(&p, write(&img, &o).expect("writer")).unwrap();
            out.push(p);
        }
    }
    out
}

fn num(s: &str) -> u64 {
    let s = s.trim();
    if let Some(h) = s.strip_prefix("0x") {
        u64::from_str_radix(h, 16).unwrap_or(u64::MAX)
    } else {
        s.parse().unwrap_or(u64::MAX)
    }
}

fn hex(s: &str) -> u64 {
    u64::from_str_radix(s.trim().trim_start_matches("0x"), 16).unwrap_or(u64::MAX)
}

/// Compares one file; returns a description of the first difference.
fn compare(path: &Path, r: &Report) -> Result<(), String> {
    let out = Command::new("readelf")
        .args(["-W", "-h", "-l", "-S"])
        .arg(path)
        .output()
        .map_err(|e| format!("readelf: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let h = &r.header;
    let mut seg_i = 0;
    let mut in_segments = false;
    let mut in_sections = false;
    for line in text.lines() {
        let t = line.trim();
        let field = |name: &str| t.strip_prefix(name).map(|v| v.trim().to_string());
        if let Some(v) = field("Entry point address:") {
            if hex(&v) != h.entry {
                return Err(format!("entry {v} vs {:#x}", h.entry));
            }
        } else if let Some(v) = field("Start of program headers:") {
            if num(v.split_whitespace().next().unwrap_or("")) != h.phoff {
                return Err(format!("phoff {v} vs {}", h.phoff));
            }
        } else if let Some(v) = field("Start of section headers:") {
            if num(v.split_whitespace().next().unwrap_or("")) != h.shoff {
                return Err(format!("shoff {v} vs {}", h.shoff));
            }
        } else if let Some(v) = field("Number of program headers:") {
            if num(v.split_whitespace().next().unwrap_or("")) != h.phnum as u64 {
                return Err(format!("phnum {v} vs {}", h.phnum));
            }
        } else if let Some(v) = field("Type:") {
            if !v.starts_with(&h.e_type_name) {
                return Err(format!("type {v} vs {}", h.e_type_name));
            }
        } else if t.starts_with("Type ") && t.contains("Offset") {
            in_segments = true;
            in_sections = false;
        } else if t.starts_with("[Nr]") {
            in_sections = true;
            in_segments = false;
        } else if t.is_empty()
            || t.starts_with("Section to Segment")
            || t.starts_with("Key to Flags")
        {
            in_segments = false;
            in_sections = false;
        } else if in_segments && !t.starts_with('[') {
            let f: Vec<&str> = t.split_whitespace().collect();
            if f.len() < 7 {
                continue;
            }
            let p = r
                .segments
                .get(seg_i)
                .ok_or_else(|| format!("readelf shows more than {} segments", r.segments.len()))?;
            seg_i += 1;
            let align = hex(f[f.len() - 1]);
            let (o, v, pa, fs, ms) = (hex(f[1]), hex(f[2]), hex(f[3]), hex(f[4]), hex(f[5]));
            if (o, v, pa, fs, ms, align) != (p.offset, p.vaddr, p.paddr, p.filesz, p.memsz, p.align)
            {
                return Err(format!("segment {}: readelf `{t}` vs {p:?}", seg_i - 1));
            }
            if !p.type_name.starts_with("0x") && f[0] != p.type_name {
                return Err(format!(
                    "segment {} type {} vs {}",
                    seg_i - 1,
                    f[0],
                    p.type_name
                ));
            }
        } else if in_sections && t.starts_with('[') {
            let close = t.find(']').ok_or("no ]")?;
            let idx: usize = t[1..close]
                .trim()
                .parse()
                .map_err(|_| format!("index in `{t}`"))?;
            let rest: Vec<&str> = t[close + 1..].split_whitespace().collect();
            let s = r.sections.get(idx).ok_or_else(|| {
                format!(
                    "readelf has section {idx}, inspect has {}",
                    r.sections.len()
                )
            })?;
            // name type addr off size es [flags] lk inf al — the name may be empty and the
            // flags column may be empty.
            let numeric_tail = |n: usize| rest.len() >= n;
            if !numeric_tail(8) {
                continue;
            }
            let al = num(rest[rest.len() - 1]);
            let inf = num(rest[rest.len() - 2]);
            let lk = num(rest[rest.len() - 3]);
            if (lk, inf, al) != (s.link as u64, s.info as u64, s.align) {
                return Err(format!("section {idx}: readelf `{t}` vs {s:?}"));
            }
            // addr (16 hex digits on ELF64, 8 on ELF32) is the first such token; off, size
            // and es follow, then the flags if the column is not empty.
            let width = if r.header.class == 2 { 16 } else { 8 };
            let base = rest
                .iter()
                .position(|w| w.len() == width && w.chars().all(|c| c.is_ascii_hexdigit()))
                .ok_or_else(|| format!("no address in `{t}`"))?;
            if base < 1 || base + 4 > rest.len() {
                continue;
            }
            let (addr, off, size, es) = (
                hex(rest[base]),
                hex(rest[base + 1]),
                hex(rest[base + 2]),
                hex(rest[base + 3]),
            );
            if (addr, off, size, es) != (s.addr, s.offset, s.size, s.entsize) {
                return Err(format!("section {idx}: readelf `{t}` vs {s:?}"));
            }
            let ty = rest[base - 1];
            if !s.type_name.starts_with("0x")
                && !s.type_name.starts_with("LLVM")
                && ty != s.type_name
            {
                return Err(format!("section {idx} type {ty} vs {}", s.type_name));
            }
            let name = rest[..base - 1].join(" ");
            if idx > 0 && name != s.name {
                return Err(format!("section {idx} name `{name}` vs `{}`", s.name));
            }
            let flags = if base + 4 < rest.len() - 3 {
                rest[base + 4]
            } else {
                ""
            };
            if !flags.contains(['x', 'o', 'p', 'D', 'l']) && flags != s.flag_letters {
                return Err(format!(
                    "section {idx} flags `{flags}` vs `{}`",
                    s.flag_letters
                ));
            }
        }
    }
    if seg_i != r.segments.len() {
        return Err(format!(
            "readelf shows {seg_i} segments, inspect {}",
            r.segments.len()
        ));
    }
    Ok(())
}

/// Compares the relocations with `readelf -rW`: per relocation section, every entry's
/// offset, type name, symbol name (without a version suffix) and addend.
fn compare_relocations(path: &Path, r: &Report) -> Result<usize, String> {
    let out = Command::new("readelf")
        .args(["-W", "-r"])
        .arg(path)
        .output()
        .map_err(|e| format!("readelf: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    // Per relocation section: (offset, type, symbol, addend) of each entry.
    type Entry = (u64, String, String, Option<i64>);
    let mut sections: Vec<(String, Vec<Entry>)> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Relocation section '") {
            let name = rest.split('\'').next().unwrap_or("").to_string();
            sections.push((name, Vec::new()));
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        let Some((_, entries)) = sections.last_mut() else {
            continue;
        };
        if f.len() < 3 || !f[0].chars().all(|c| c.is_ascii_hexdigit()) || f[0].len() < 8 {
            continue;
        }
        let offset = hex(f[0]);
        let ty = f[2].to_string();
        // [value name [+|- addend]] | [addend] | []
        let rest = &f[3..];
        let (sym, addend) = match rest {
            [] => (String::new(), None),
            [a] => (String::new(), Some(hex(a) as i64)),
            [_, name] => (name.to_string(), None),
            [_, name, sign, a, ..] => {
                let v = hex(a) as i64;
                (name.to_string(), Some(if *sign == "-" { -v } else { v }))
            }
            _ => continue,
        };
        let sym = sym.split('@').next().unwrap_or("").to_string();
        entries.push((offset, ty, sym, addend));
    }
    let mut compared = 0;
    for (name, entries) in &sections {
        let ours: Vec<_> = r
            .relocations
            .iter()
            .filter(|x| &x.section == name)
            .collect();
        if ours.len() != entries.len() {
            return Err(format!(
                "{name}: readelf lists {} relocations, inspect {}",
                entries.len(),
                ours.len()
            ));
        }
        for (x, (offset, ty, sym, addend)) in ours.iter().zip(entries) {
            let what = format!("{name}+{offset:#x}");
            if x.offset != *offset {
                return Err(format!("{what}: offset {:#x}", x.offset));
            }
            if !x.type_name.starts_with("0x") && &x.type_name != ty {
                return Err(format!("{what}: type {} vs readelf {ty}", x.type_name));
            }
            if !sym.is_empty() && &x.symbol_name != sym {
                return Err(format!(
                    "{what}: symbol `{}` vs readelf `{sym}`",
                    x.symbol_name
                ));
            }
            if let (Some(a), Some(b)) = (x.addend, addend)
                && a != *b
            {
                return Err(format!("{what}: addend {a:#x} vs readelf {b:#x}"));
            }
            compared += 1;
        }
    }
    Ok(compared)
}

#[test]
fn relocations_agree_with_readelf() {
    // Objects (every relocation type freestand-ld applies) and the system's executables and
    // libraries (their dynamic relocations).
    let mut files = elf_files();
    let dir = std::env::temp_dir().join(format!("inspect-relocs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("r.s");
    std::fs::write(
        &src,
        ".text\n.globl f\nf: movq x@GOTPCREL(%rip), %rax\ncall *g@GOTPCREL(%rip)\ncall g@PLT\n\
         movl $x, %eax\nmovq $x+8, %rax\nleaq x-16(%rip), %rax\n.data\n.quad g\n.quad x - .\n",
    )
    .unwrap();
    let obj = dir.join("r.o");
    let st = Command::new("gcc")
        .arg("-c")
        .arg(&src)
        .arg("-o")
        .arg(&obj)
        .status();
    if st.is_ok_and(|s| s.success()) {
        files.push(obj);
    }
    let (mut total, mut failures) = (0, Vec::new());
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(r) = inspect(&bytes) else { continue };
        match compare_relocations(f, &r) {
            Ok(n) => total += n,
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} files differ from readelf -r:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    assert!(total > 1000, "only {total} relocations compared");
    eprintln!("{total} relocations agree with readelf -r");
}

#[test]
fn agrees_with_readelf_on_every_system_elf_file() {
    let files = elf_files();
    assert!(files.len() > 100, "only {} ELF files found", files.len());
    let (mut checked, mut rejected) = (0, Vec::new());
    let mut failures = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        match inspect(&bytes) {
            Ok(r) => {
                checked += 1;
                if let Err(e) = compare(f, &r) {
                    failures.push(format!("{}: {e}", f.display()));
                }
            }
            Err(e) => rejected.push(format!("{}: {e}", f.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} files differ from readelf:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    // A file inspect rejects must be one readelf complains about too.
    assert!(
        rejected.len() * 100 <= files.len(),
        "inspect rejected {} files:\n{}",
        rejected.len(),
        rejected.join("\n")
    );
    eprintln!(
        "{checked} ELF files agree with readelf; {} rejected",
        rejected.len()
    );
}

#[test]
fn damaged_files_are_errors_not_panics() {
    let hello = std::fs::read("/usr/bin/true").expect("/usr/bin/true");
    // Truncation at every interesting length.
    for len in [
        0,
        3,
        4,
        16,
        52,
        63,
        64,
        100,
        200,
        1000,
        hello.len() / 2,
        hello.len() - 1,
    ] {
        let _ = inspect(&hello[..len.min(hello.len())]);
    }
    assert!(
        inspect(&hello[..10])
            .unwrap_err()
            .to_string()
            .contains("truncated ELF header")
            || inspect(&hello[..10]).is_err()
    );
    // Seeded random corruption of header and table bytes.
    let mut s = 0x1234_5678_9abc_def1u64;
    for _ in 0..3000 {
        let mut b = hello.clone();
        for _ in 0..4 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let region = if s.is_multiple_of(3) {
                b.len()
            } else {
                512.min(b.len())
            };
            let at = (s >> 16) as usize % region;
            b[at] = (s >> 40) as u8;
        }
        let _ = inspect(&b); // must return, Ok or Err
    }
    // Specific lies: huge counts never allocate their way to an OOM.
    let mut b = hello.clone();
    b[0x3c] = 0xff; // e_shnum
    b[0x3d] = 0xfe;
    let e = inspect(&b).unwrap_err().to_string();
    assert!(
        e.contains("section header table") || e.contains("shstrndx"),
        "{e}"
    );
    let mut b = hello.clone();
    b[4] = 7;
    assert_eq!(
        inspect(&b).unwrap_err().to_string(),
        "EI_CLASS is 7: neither ELFCLASS32 (1) nor ELFCLASS64 (2)"
    );
}

#[test]
fn symbol_values_and_sizes_agree_with_nm() {
    let files = elf_files();
    let (mut compared, mut failures) = (0usize, Vec::new());
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(r) = inspect(&bytes) else { continue };
        // The static table if there is one, else the dynamic one (nm -D).
        let dynamic = !r.symbols.iter().any(|s| s.table == "symtab");
        let mut cmd = Command::new("nm");
        cmd.args(["-S", "--defined-only"]);
        if dynamic {
            cmd.arg("-D");
        }
        let Ok(out) = cmd.arg(f).output() else {
            continue;
        };
        let table = if dynamic { "dynsym" } else { "symtab" };
        let ours: std::collections::HashSet<(String, u64, u64)> = r
            .symbols
            .iter()
            .filter(|s| s.table == table)
            .map(|s| (s.name.clone(), s.value, s.size))
            .collect();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let w: Vec<&str> = line.split_whitespace().collect();
            // value size type name (symbols with a size)
            let [value, size, _, name] = w[..] else {
                continue;
            };
            // nm -D appends the symbol's version (`@GLIBC_2.2.5`); a name in .symtab may
            // hold one itself (`_ZSt4cerr@@GLIBCXX_3.4` in node), as readelf shows it.
            let name = if dynamic {
                name.split('@').next().unwrap_or("")
            } else {
                name
            }
            .to_string();
            let key = (name, hex(value), hex(size));
            if !ours.contains(&key) {
                failures.push(format!("{}: nm has {key:?}", f.display()));
                break;
            }
            compared += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} files differ from nm -S:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    assert!(compared > 1000, "only {compared} symbols compared");
    eprintln!("{compared} symbols agree with nm -S");
}

#[test]
fn dynamic_sections_agree_with_readelf() {
    let files = elf_files();
    let (mut compared, mut failures) = (0usize, Vec::new());
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(r) = inspect(&bytes) else { continue };
        let Ok(out) = Command::new("readelf").args(["-W", "-d"]).arg(f).output() else {
            continue;
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let mut theirs: Vec<(u64, String, String)> = Vec::new();
        for line in text.lines() {
            let t = line.trim();
            let Some((tag, rest)) = t.split_once(' ') else {
                continue;
            };
            if !tag.starts_with("0x") {
                continue;
            }
            let rest = rest.trim();
            let Some(close) = rest.find(')') else {
                continue;
            };
            let name = rest[1..close].to_string();
            if name == "NULL" {
                break;
            }
            let value = rest[close + 1..].trim().to_string();
            theirs.push((hex(tag), name, value));
        }
        let fail = |e: String| format!("{}: {e}", f.display());
        if theirs.len() != r.dynamic.len() {
            failures.push(fail(format!(
                "readelf lists {} dynamic entries, inspect {}",
                theirs.len(),
                r.dynamic.len()
            )));
            continue;
        }
        for (d, (tag, name, value)) in r.dynamic.iter().zip(&theirs) {
            if d.tag != *tag || (!d.tag_name.starts_with("0x") && &d.tag_name != name) {
                failures.push(fail(format!(
                    "{:#x} {} vs readelf {tag:#x} {name}",
                    d.tag, d.tag_name
                )));
                break;
            }
            // Shared library: [libc.so.6], Library runpath: [$ORIGIN/..], …
            if let (Some(t), Some(open)) = (&d.text, value.find('['))
                && !value[open + 1..].starts_with(t.as_str())
            {
                failures.push(fail(format!("{name}: `{t}` vs readelf `{value}`")));
                break;
            }
            compared += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} files differ from readelf -d:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    assert!(compared > 1000, "only {compared} entries compared");
    eprintln!("{compared} dynamic entries agree with readelf -d");
}

#[test]
fn decoded_notes_agree_with_readelf() {
    let (mut compared, mut failures) = (0usize, Vec::new());
    for f in elf_files() {
        let bytes = std::fs::read(&f).unwrap();
        let Ok(r) = inspect(&bytes) else { continue };
        if r.notes.iter().all(|n| n.decoded.is_none()) {
            continue;
        }
        let Ok(out) = Command::new("readelf").args(["-W", "-n"]).arg(&f).output() else {
            continue;
        };
        let text = String::from_utf8_lossy(&out.stdout);
        for n in r
            .notes
            .iter()
            .filter(|n| n.type_name != "NT_GNU_PROPERTY_TYPE_0")
        {
            let Some(d) = &n.decoded else { continue };
            if !text.contains(d.as_str()) {
                failures.push(format!("{}: `{d}` is not in readelf -n", f.display()));
                break;
            }
            compared += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} files differ from readelf -n:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    assert!(compared > 100, "only {compared} notes compared");
    eprintln!("{compared} build IDs and ABI tags agree with readelf -n");
}
