//! `inspect --sizes` on the examples: names from the symbol table, from the link map
//! freestand-ld leaves beside a stripped release build, from an unstripped build of the same
//! code — and, with none of them, a plain statement rather than a guess.

use linker::attribute::{Source, attribute, render};
use linker::inspect::{Report, inspect};
use xtask::{Linker, Profile, build_examples_with, example_path_with};

fn report(p: &std::path::Path) -> Report {
    inspect(&std::fs::read(p).unwrap()).unwrap()
}

#[test]
fn sizes_are_attributed_from_symbols_maps_or_another_build() {
    build_examples_with(
        &["hello".into(), "minipy".into()],
        Profile::Release,
        Linker::Freestand,
    )
    .unwrap();
    build_examples_with(&["hello".into()], Profile::Debug, Linker::Freestand).unwrap();

    // The stripped release runner: its link map names 99% of it.
    let exe = example_path_with("minipy", Profile::Release, Linker::Freestand);
    let r = report(&exe);
    assert!(r.sections.is_empty(), "the release build is stripped");
    let map = std::fs::read_to_string(exe.with_extension("map")).unwrap();
    let a = attribute(&r, Some(("minipy.map", &map)), None);
    assert_eq!(a.source, Source::LinkMap("minipy.map".into()));
    for c in ["minipy", "jit", "core", "rt", "alloc"] {
        assert!(a.crates.iter().any(|x| x.name == c), "crate {c} missing");
    }
    assert!(
        a.unattributed.file * 50 < a.file_size,
        "{} of {} bytes unattributed",
        a.unattributed.file,
        a.file_size
    );
    let named: u64 = a.crates.iter().map(|c| c.file).sum();
    assert_eq!(
        named + a.unattributed.file,
        a.file_size,
        "every byte counted once"
    );

    // A debug build keeps its symbol table.
    let debug = example_path_with("hello", Profile::Debug, Linker::Freestand);
    let d = report(&debug);
    let a = attribute(&d, None, None);
    assert_eq!(a.source, Source::SymbolTable);
    assert!(a.crates.iter().any(|x| x.name == "core") && a.crates.iter().any(|x| x.name == "rt"));
    assert!(
        a.symbols.iter().any(|s| s.name.starts_with("rt::io::")),
        "demangled names"
    );

    // Stripped by `strip` (same layout): names from the unstripped build.
    let dir = std::env::temp_dir().join(format!("inspect-sizes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let stripped = dir.join("hello-stripped");
    let st = std::process::Command::new("strip")
        .arg("-o")
        .arg(&stripped)
        .arg(&debug)
        .status()
        .expect("strip (binutils)");
    assert!(st.success());
    let s = report(&stripped);
    let b = attribute(&s, None, Some(("hello-debug", &d)));
    assert_eq!(b.source, Source::SymbolsFrom("hello-debug".into()));
    let crate_vm = |x: &linker::attribute::Attribution, c: &str| {
        x.crates.iter().find(|r| r.name == c).map(|r| r.vm)
    };
    assert_eq!(crate_vm(&b, "core"), crate_vm(&a, "core"));
    assert_eq!(crate_vm(&b, "rt"), crate_vm(&a, "rt"));

    // Nothing to go on: said plainly.
    let n = attribute(&s, None, None);
    assert_eq!(n.source, Source::Nothing);
    assert!(render(&n, 10).contains("No names: the file is stripped"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diff_names_what_grew_and_shrank() {
    use linker::attribute::diff;
    build_examples_with(
        &["hello".into(), "exit".into()],
        Profile::Debug,
        Linker::Freestand,
    )
    .unwrap();
    let (a, b) = (
        report(&example_path_with(
            "exit",
            Profile::Debug,
            Linker::Freestand,
        )),
        report(&example_path_with(
            "hello",
            Profile::Debug,
            Linker::Freestand,
        )),
    );
    let (aa, ab) = (attribute(&a, None, None), attribute(&b, None, None));
    // Against itself: nothing changed.
    let same = diff((&a, &aa), (&a, &aa));
    assert!(same.sections.is_empty() && same.crates.is_empty() && same.symbols.is_empty());
    assert_eq!(same.total.delta(), 0);
    // exit → hello: the totals are the file sizes; each list is sorted by the size of the
    // change; exit's own main is gone and hello's is new.
    let d = diff((&a, &aa), (&b, &ab));
    assert_eq!(d.total.old, a.file_size);
    assert_eq!(d.total.new, b.file_size);
    for list in [&d.sections, &d.crates, &d.symbols] {
        for w in list.windows(2) {
            assert!(w[0].delta().unsigned_abs() >= w[1].delta().unsigned_abs());
        }
    }
    assert!(
        d.symbols
            .iter()
            .any(|c| c.name.starts_with("exit::main") && c.new == 0)
    );
    assert!(
        d.symbols
            .iter()
            .any(|c| c.name.starts_with("hello::main") && c.old == 0)
    );
    let text = linker::attribute::render_diff(&d, 5);
    assert!(
        text.contains("TOTAL (file)") && text.contains("more]"),
        "{text}"
    );
}

/// The first mnemonic of an instruction's text, without prefixes, with the few spellings
/// that differ between iced-x86 and objdump made one (`movabs` is `mov`; `movsb` is `movs`).
fn mnemonic(text: &str) -> String {
    const PREFIXES: [&str; 20] = [
        "rep", "repz", "repnz", "repe", "repne", "lock", "data16", "cs", "ds", "ss", "es", "fs",
        "gs", "bnd", "notrack", "addr32", "rex", "rex.w", "rex.b", "rex.wb",
    ];
    let m = text
        .split_whitespace()
        .find(|t| !PREFIXES.contains(t))
        .unwrap_or("")
        .to_lowercase();
    match m.as_str() {
        "movabs" => "mov".into(),
        "movsb" | "movsw" | "movsd" | "movsq" if !text.contains("xmm") => "movs".into(),
        "stosb" | "stosw" | "stosd" | "stosq" => "stos".into(),
        "cmpsb" | "cmpsw" | "cmpsd" | "cmpsq" => "cmps".into(),
        "scasb" | "scasw" | "scasd" | "scasq" => "scas".into(),
        "lodsb" | "lodsw" | "lodsd" | "lodsq" => "lods".into(),
        _ => m,
    }
}

#[test]
fn disassembly_agrees_with_objdump_on_every_example() {
    build_examples_with(&[], Profile::Debug, Linker::Freestand).unwrap();
    let mut total = 0usize;
    for name in xtask::example_names().unwrap() {
        if name == "minipy" {
            continue; // its debug build is not made by the suite (too slow); release is stripped
        }
        let exe = example_path_with(&name, Profile::Debug, Linker::Freestand);
        let bytes = std::fs::read(&exe).unwrap();
        let r = inspect(&bytes).unwrap();
        let ours = linker::inspect::disasm(&bytes, &r, None, false).unwrap();
        let out = std::process::Command::new("objdump")
            .args(["-d", "-M", "intel", "--no-show-raw-insn", "-j", ".text"])
            .arg(&exe)
            .output()
            .expect("objdump (binutils)");
        let mut theirs = std::collections::BTreeMap::new();
        for l in String::from_utf8_lossy(&out.stdout).lines() {
            let Some((a, t)) = l.trim_start().split_once(":\t") else {
                continue;
            };
            if let Ok(a) = u64::from_str_radix(a, 16) {
                theirs.insert(a, mnemonic(t));
            }
        }
        let mut mine = std::collections::BTreeMap::new();
        for l in ours.lines() {
            let Some((a, rest)) = l.trim_start().split_once(":  ") else {
                continue;
            };
            let Ok(a) = u64::from_str_radix(a, 16) else {
                continue;
            };
            // The bytes (two hex digits each; no x86 mnemonic is two hex digits), then the
            // instruction.
            let text: Vec<&str> = rest
                .split_whitespace()
                .skip_while(|t| t.len() == 2 && t.chars().all(|c| c.is_ascii_hexdigit()))
                .collect();
            mine.insert(a, mnemonic(&text.join(" ")));
        }
        assert_eq!(
            mine.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "{name}: instruction boundaries differ from objdump"
        );
        for (a, m) in &mine {
            assert_eq!(m, &theirs[a], "{name}: the instruction at {a:#x}");
        }
        total += mine.len();
    }
    assert!(total > 10_000, "only {total} instructions compared");
    eprintln!("{total} instructions agree with objdump -d");
}
