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
