//! `inspect` on hostile input: fixed-seed mutants of real ELF files (header, program-header
//! and section-header fields, string tables, truncation) through every view — an error or a
//! report, never a panic, a hang or a signal. `cargo xtask soak inspect N` runs more
//! (`INSPECT_MUTATIONS`, `INSPECT_SEED`).

use linker::exe::{Image, Location, Options, Segment, SegmentId, SegmentKind, Symbol, SymbolKind};
use std::time::{Duration, Instant};

/// A file of this crate's own writer, with section headers and symbols.
fn written() -> Vec<u8> {
    let code = vec![0xb8, 231, 0, 0, 0, 0x31, 0xff, 0x0f, 0x05];
    let img = Image {
        segments: vec![
            Segment::new(".text", SegmentKind::Code, code, 16),
            Segment::new(
                ".rodata",
                SegmentKind::ReadOnly,
                b"some constant text".to_vec(),
                8,
            ),
            Segment::bss(".bss", 4096, 16),
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
    linker::exe::write(&img, &Options::default()).unwrap()
}

/// Little XorShift64 (the tests of this crate do not depend on rt).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Offsets worth hitting: the ELF header, the program and section header tables and the
/// section name table.
fn hot_offsets(f: &[u8]) -> Vec<usize> {
    let mut v: Vec<usize> = (0..64).collect();
    let u64_at = |o: usize| {
        f.get(o..o + 8)
            .map_or(0, |b| u64::from_le_bytes(b.try_into().unwrap()) as usize)
    };
    let u16_at = |o: usize| {
        f.get(o..o + 2)
            .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]) as usize)
    };
    let (phoff, phnum, shoff, shnum) = (u64_at(0x20), u16_at(0x38), u64_at(0x28), u16_at(0x3c));
    v.extend((phoff..phoff + 56 * phnum.min(64)).filter(|&o| o < f.len()));
    v.extend((shoff..shoff + 64 * shnum.min(256)).filter(|&o| o < f.len()));
    v
}

#[test]
fn mutants_of_real_elf_files_never_panic_inspect() {
    let mut bases: Vec<(String, Vec<u8>)> = vec![("written".into(), written())];
    for p in ["/usr/bin/true", "/bin/true", "/usr/bin/ls", "/bin/ls"] {
        if let Ok(b) = std::fs::read(p) {
            bases.push((p.into(), b));
        }
    }
    let n: usize = std::env::var("INSPECT_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6000);
    let seed: u64 = std::env::var("INSPECT_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x1a5_bec7);
    let mut rng = Rng(seed | 1);
    let (mut reports, mut errors) = (0, 0);
    for i in 0..n {
        let (name, base) = &bases[i % bases.len()];
        let mut m = base.clone();
        let hot = hot_offsets(&m);
        match rng.below(5) {
            0 => m.truncate(rng.below(m.len())),
            1 | 2 => {
                // Fields of the headers and tables: random bytes or extreme words.
                for _ in 0..1 + rng.below(6) {
                    let at = hot[rng.below(hot.len())];
                    if rng.below(2) == 0 {
                        m[at] = rng.next() as u8;
                    } else if at + 8 <= m.len() {
                        let v = [0u64, u64::MAX, 0x7fff_ffff_ffff_ffff, 0x8000_0000, 1 << 40]
                            [rng.below(5)];
                        m[at..at + 8].copy_from_slice(&v.to_le_bytes());
                    }
                }
            }
            3 => {
                // Anywhere (string tables, notes, symbols).
                for _ in 0..1 + rng.below(16) {
                    let at = rng.below(m.len());
                    m[at] = rng.next() as u8;
                }
            }
            _ => {
                // Non-UTF-8 and control bytes in names: somewhere past the headers.
                let at = 64 + rng.below(m.len().saturating_sub(64));
                for b in m.iter_mut().skip(at).take(4) {
                    *b = [0xff, 0xc3, 0x80, 0x1b][rng.below(4)];
                }
            }
        }
        let t = Instant::now();
        let r = std::panic::catch_unwind(|| match linker::inspect::inspect(&m) {
            Ok(rep) => {
                let _ = linker::inspect::render(&rep);
                let _ = linker::inspect::sizes(&rep);
                let _ = linker::inspect::summary(&rep);
                let _ = linker::inspect::to_json(&rep);
                // Disassembly decodes whole text sections: every 25th mutant keeps the run short.
                if i % 25 == 0 {
                    let _ = linker::inspect::disasm(&m, &rep, None, false);
                }
                let a = linker::attribute::attribute(&rep, None, Some(("self", &rep)));
                let _ = linker::attribute::render(&a, 5);
                let _ = linker::attribute::summary(&a, 5);
                true
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                false
            }
        });
        match r {
            Ok(true) => reports += 1,
            Ok(false) => errors += 1,
            Err(_) => panic!("mutant {i} of {name} panicked inspect (INSPECT_SEED={seed})"),
        }
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "mutant {i} of {name} took {:?} (INSPECT_SEED={seed})",
            t.elapsed()
        );
    }
    eprintln!("{n} mutants (INSPECT_SEED={seed}): {reports} reports, {errors} errors");
    assert!(
        errors > n / 10 && reports > n / 10,
        "{reports} reports, {errors} errors"
    );
}

/// Opens `path` on another thread: an error or a mapping within a few seconds, never a
/// hang.
fn open_quickly(path: &std::path::Path) -> Result<usize, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let p = path.to_path_buf();
    std::thread::spawn(move || {
        let r = linker::inspect::open(&p)
            .map(|m| m.bytes().len())
            .map_err(|e| e.to_string());
        let _ = tx.send(r);
    });
    rx.recv_timeout(Duration::from_secs(5))
        .unwrap_or_else(|_| panic!("opening {} hung", path.display()))
}

#[test]
fn fifos_directories_devices_and_sparse_files_are_handled_at_once() {
    let dir = std::env::temp_dir().join(format!("inspect-open-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("fifo");
    let st = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(st.success());
    let e = open_quickly(&fifo).unwrap_err();
    assert!(e.contains("a FIFO"), "{e}");
    let e = open_quickly(&dir).unwrap_err();
    assert!(e.contains("a directory"), "{e}");
    let e = open_quickly(std::path::Path::new("/dev/null")).unwrap_err();
    assert!(e.contains("a device"), "{e}");
    let empty = dir.join("empty");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(open_quickly(&empty), Ok(0));
    assert!(linker::inspect::inspect(&[]).is_err());
    // 3 GiB, sparse: an ELF file with a hole after it. Mapped, not read: it is inspected
    // at once, and only its first pages are touched.
    let sparse = dir.join("sparse");
    std::fs::write(&sparse, written()).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&sparse)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let t = Instant::now();
    let m = linker::inspect::open(&sparse).unwrap();
    assert_eq!(m.bytes().len(), 3 << 30);
    let r = linker::inspect::inspect(m.bytes()).unwrap();
    assert!(linker::inspect::sizes(&r).contains("TOTAL"));
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    std::fs::remove_dir_all(&dir).unwrap();
}
