//! `cargo xtask inspect` as a user meets it: exit status 0 on success, 1 on a file that
//! cannot be read (with the file named), 2 on bad usage; the summary by default, one table
//! per flag, JSON that parses.

use std::process::{Command, Output};

fn inspect(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("inspect")
        .args(args)
        .output()
        .expect("running xtask")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn exit_status_names_what_went_wrong() {
    let me = std::env::current_exe().unwrap();
    let me = me.to_str().unwrap();
    let ok = inspect(&[me]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).starts_with("ELF64 x86-64 "));

    let dir = std::env::temp_dir().join(format!("inspect-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_elf = dir.join("not-elf");
    std::fs::write(&not_elf, b"#!/bin/sh\necho hi\n").unwrap();
    let missing = dir.join("missing");
    for (path, says) in [
        (not_elf.to_str().unwrap(), "not an ELF file"),
        (missing.to_str().unwrap(), "No such file"),
        (dir.to_str().unwrap(), "directory"),
    ] {
        let o = inspect(&[path]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{path}: {err}");
        assert!(err.contains(path) && err.contains(says), "{path}: {err}");
        assert!(o.stdout.is_empty(), "{path}: printed {}", text(&o.stdout));
    }
    for bad in [
        vec!["--no-such-flag", me],
        vec![],
        vec![me, me],
        vec!["diff", me],
        vec!["--att", me],
    ] {
        let o = inspect(&bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", text(&o.stderr));
    }
}

#[test]
fn each_flag_shows_its_table() {
    let me = std::env::current_exe().unwrap();
    let me = me.to_str().unwrap();
    for (flag, title) in [
        ("--header", "ELF Header:"),
        ("-l", "Program Headers:"),
        ("--sections", "Section Headers:"),
        ("--symbols", "Symbols:"),
        ("--relocs", "Relocations:"),
        ("--dynamic", "Dynamic section:"),
        ("--notes", "Notes:"),
    ] {
        let o = inspect(&[flag, me]);
        let out = text(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{flag}: {}", text(&o.stderr));
        assert!(
            out.starts_with(&format!("\n{title}")) || out.starts_with(title),
            "{flag}: {out:.200}"
        );
        // Exactly one table.
        let titles = [
            "ELF Header:",
            "Program Headers:",
            "Section Headers:",
            "Symbols:",
            "Relocations:",
            "Dynamic section:",
            "Notes:",
        ];
        let shown = titles.iter().filter(|t| out.contains(*t)).count();
        assert_eq!(shown, 1, "{flag} shows {shown} tables");
    }
    // --disasm takes an optional SYMBOL: `--disasm FILE`, `--disasm SYMBOL FILE`,
    // `--disasm=SYMBOL FILE`, `FILE --disasm SYMBOL`.
    let whole = inspect(&["--disasm", me]);
    assert_eq!(whole.status.code(), Some(0), "{}", text(&whole.stderr));
    assert!(text(&whole.stdout).contains("Disassembly of .text:"));
    for args in [
        vec!["--disasm", "main", me],
        vec!["--disasm=main", me],
        vec![me, "--disasm", "main"],
    ] {
        let o = inspect(&args);
        let out = text(&o.stdout);
        assert!(
            o.status.success()
                && out.starts_with("\nDisassembly of main:")
                && out.contains("<main>:"),
            "{args:?}: {out:.300}{}",
            text(&o.stderr)
        );
    }
    let o = inspect(&["--disasm", "no_such_symbol_anywhere", me]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("no symbol named no_such_symbol_anywhere"));

    let all = text(&inspect(&["--all", me]).stdout);
    assert!(all.contains("ELF Header:") && all.contains("Symbols:") && all.contains("Notes:"));
    let o = inspect(&["--json", "--symbols", "--sections", me]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert!(v["symbols"].is_array() && v["sections"].is_array() && v.get("relocations").is_none());
}
