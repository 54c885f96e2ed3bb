//! The system-linker fallback: rt's linker script with rust-lld and GNU ld, and mold (which
//! reads no script: rt's build recipe gives it its own arguments). Every example linked each
//! way runs like freestand-ld's build, natively and under qemu-x86_64, and no load segment
//! shares a page with another (GNU ld once put a writable orphan on the headers' page and the
//! programs crashed) or is writable and executable.

use qemu_tests::{Exec, note, runners};
use xtask::{Linker, Profile, build_examples_with, example_names, example_path_with};

fn invocations(name: &str) -> Vec<Vec<String>> {
    let root = xtask::workspace_root();
    let mut v = vec![vec![], vec!["a".to_string(), "b".into()]];
    match name {
        "exit" => v.push(vec!["7".into()]),
        "jit-calc" => v.push(vec!["(x*x+1)%7".into(), "12".into()]),
        "cat" => v.push(vec![root.join("Cargo.toml").display().to_string()]),
        "alloc" => v.push(vec!["20".into()]),
        "minipy" => v.push(vec![
            "--mode".into(),
            "jit".into(),
            root.join("bench/py/fib.py").display().to_string(),
        ]),
        _ => {}
    }
    v
}

fn check_loads(path: &std::path::Path) {
    let bytes = std::fs::read(path).unwrap();
    let elf = goblin::elf::Elf::parse(&bytes).unwrap();
    let mut pages = Vec::new();
    for p in &elf.program_headers {
        if p.p_type != goblin::elf::program_header::PT_LOAD {
            continue;
        }
        assert!(
            p.p_flags & 3 != 3,
            "{}: a writable and executable load",
            path.display()
        );
        pages.push((p.p_vaddr / 4096, (p.p_vaddr + p.p_memsz).div_ceil(4096)));
    }
    pages.sort();
    for w in pages.windows(2) {
        assert!(
            w[0].1 <= w[1].0,
            "{}: loads share a page: {pages:x?}",
            path.display()
        );
    }
}

#[test]
fn rust_lld_gnu_ld_and_mold_still_link_every_example() {
    let mut linkers = vec![Linker::System, Linker::GnuLd];
    if xtask::find_on_path("mold").is_some() {
        linkers.push(Linker::Mold);
    } else {
        note(
            "linker-fallback",
            "mold is not installed: the mold fallback was NOT tested (apt-get install mold)",
        );
    }
    build_examples_with(&[], Profile::Release, Linker::Freestand).unwrap();
    for &l in &linkers {
        build_examples_with(&[], Profile::Release, l)
            .unwrap_or_else(|e| panic!("building with {l:?}: {e:#}"));
        for name in example_names().unwrap() {
            let ours = example_path_with(&name, Profile::Release, Linker::Freestand);
            let theirs = example_path_with(&name, Profile::Release, l);
            check_loads(&theirs);
            for args in invocations(&name) {
                for r in &runners() {
                    let a = Exec::new(&ours).args(args.clone()).run(r);
                    let b = Exec::new(&theirs).args(args.clone()).run(r);
                    let what = format!("{name} {args:?} linked by {l:?} on {}", r.name());
                    assert_eq!(b.stdout_str(), a.stdout_str(), "stdout of {what}");
                    assert_eq!(b.stderr_str(), a.stderr_str(), "stderr of {what}");
                    assert_eq!(b.status.code(), a.status.code(), "status of {what}");
                }
            }
        }
    }
}
