//! The coreutils-class examples (wc, head, ls, cp) against GNU coreutils on the same inputs,
//! natively and under qemu-x86_64: the same stdout, stderr and exit status (C locale), and
//! for cp the same files with the same permission bits.

use qemu_tests::{Exec, Runner, runners};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A directory of inputs, outside the checkout's paths so that messages naming files
/// compare equal.
fn fixture(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("freestand-tools-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    let w = |name: &str, bytes: &[u8]| std::fs::write(d.join(name), bytes).unwrap();
    w("text.txt", b"hello world\nsecond  line here\n\n\tlast\n");
    w("nonl.txt", b"no newline at the end");
    w("empty.txt", b"");
    w(
        "words.txt",
        b"x\x01y \x80z\n\n  lead  trail  \r\nv\x0bt\x0cf\n",
    );
    let lines: String = (1..=40).map(|i| format!("line {i}\n")).collect();
    w("forty.txt", lines.as_bytes());
    w("noise.bin", &qemu_tests::noise(200_000, 7));
    std::fs::create_dir(d.join("sub")).unwrap();
    w("sub/.hidden", b"h");
    w("sub/zeta", b"z");
    w("sub/Alpha", b"a");
    w("sub/with space", b"s");
    std::fs::write(d.join("sub").join(bad_name()), b"b").unwrap();
    std::fs::set_permissions(d.join("sub/zeta"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::os::unix::fs::symlink("zeta", d.join("sub/link")).unwrap();
    std::fs::create_dir(d.join("sub/inner")).unwrap();
    let fifo = d.join("sub/pipe");
    let ok = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo");
    d
}

/// A file name that is not UTF-8.
fn bad_name() -> &'static std::ffi::OsStr {
    use std::os::unix::ffi::OsStrExt;
    std::ffi::OsStr::from_bytes(b"bad\xffname")
}

/// GNU's `tool args` in `dir` with `stdin`, in the C locale: (stdout, stderr, status).
fn gnu(tool: &str, dir: &Path, args: &[&str], stdin: &[u8]) -> (Vec<u8>, Vec<u8>, Option<i32>) {
    use std::io::Write;
    let mut child = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("GNU {tool} (coreutils) is the oracle: {e}"));
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || drop(input.write_all(&data)));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    (out.stdout, out.stderr, out.status.code())
}

/// Ours against GNU's on every runner.
fn compare(tool: &str, dir: &Path, args: &[&str], stdin: &[u8], runners: &[Runner]) {
    let want = gnu(tool, dir, args, stdin);
    let ours = qemu_tests::example(tool);
    for r in runners {
        let got = Exec::new(&ours)
            .args(args.iter().copied())
            .stdin(stdin)
            .current_dir(dir)
            .run(r);
        let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        assert_eq!(
            show(&got.stdout),
            show(&want.0),
            "{tool} {args:?} stdout on {}",
            r.name()
        );
        assert_eq!(
            show(&got.stderr),
            show(&want.1),
            "{tool} {args:?} stderr on {}",
            r.name()
        );
        assert_eq!(got.code(), want.2, "{tool} {args:?} status on {}", r.name());
    }
}

#[test]
fn wc_counts_as_gnu_wc() {
    let d = fixture("wc");
    let runners = runners();
    let stdin = std::fs::read(d.join("text.txt")).unwrap();
    for args in [
        &[][..],
        &["-l"],
        &["text.txt"],
        &["-l", "text.txt"],
        &["-w", "words.txt"],
        &["-c", "noise.bin"],
        &[
            "text.txt",
            "nonl.txt",
            "empty.txt",
            "words.txt",
            "noise.bin",
        ],
        &["-lw", "text.txt", "forty.txt"],
        &["--lines", "--bytes", "forty.txt", "-"],
        &["missing", "text.txt"],
        &["sub"],
        &["-y"],
        &["--", "-l"],
    ] {
        compare("wc", &d, args, &stdin, &runners);
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn head_prints_as_gnu_head() {
    let d = fixture("head");
    let runners = runners();
    let stdin = std::fs::read(d.join("forty.txt")).unwrap();
    for args in [
        &[][..],
        &["forty.txt"],
        &["-n", "3", "forty.txt", "text.txt"],
        &["-c", "7", "text.txt"],
        &["-n", "-35", "forty.txt"],
        &["-c", "-5", "nonl.txt"],
        &["-n", "-1", "nonl.txt"],
        &["-3", "forty.txt"],
        &["-q", "-n", "1", "forty.txt", "text.txt"],
        &["-v", "-n1", "text.txt"],
        &["-n", "x", "forty.txt"],
        &["missing", "text.txt"],
        &["sub"],
        &["-", "text.txt"],
        &["--lines=2", "-c", "4", "noise.bin"],
        &["-y"],
    ] {
        compare("head", &d, args, &stdin, &runners);
    }
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn ls_lists_as_gnu_ls() {
    let d = fixture("ls");
    let runners = runners();
    for args in [
        &["sub"][..],
        &["-a", "sub"],
        &["-A", "sub"],
        &["-F", "sub"],
        &["-aFr", "sub"],
        &["sub/zeta", "sub", "missing", "sub/inner", "text.txt"],
        &["-d", "sub", "sub/inner"],
        &["-F", "sub/link", "sub/pipe", "sub/zeta"],
        &["-1", "sub/inner"],
        &["-y"],
    ] {
        compare("ls", &d, args, b"", &runners);
    }
    std::fs::remove_dir_all(&d).unwrap();
}

/// The files under `dir` with their bytes and permission bits, sorted.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>, u32)> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let m = std::fs::symlink_metadata(&p).unwrap();
        let rel = p.strip_prefix(dir).unwrap().to_path_buf();
        if m.is_dir() {
            v.extend(tree(&p).into_iter().map(|(q, b, m)| (rel.join(q), b, m)));
            v.push((rel, Vec::new(), m.permissions().mode()));
        } else {
            v.push((rel, std::fs::read(&p).unwrap(), m.permissions().mode()));
        }
    }
    v.sort();
    v
}

#[test]
fn cp_copies_as_gnu_cp() {
    let runners = runners();
    let cases: &[&[&str]] = &[
        &["a", "b"],
        &["a", "dir"],
        &["a", "exe", "dir"],
        &["exe", "existing"],
        &["missing", "x"],
        &["dir", "copy"],
        &[],
        &["a"],
        &["a", "a"],
        &["a", "exe", "nowhere"],
        &["a", "exe", "existing"],
        &["a", "nodir/x"],
        &["-y", "a", "b"],
    ];
    for (k, args) in cases.iter().enumerate() {
        let setup = |tag: &str| {
            let d =
                std::env::temp_dir().join(format!("freestand-cp-{tag}-{k}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(d.join("dir")).unwrap();
            std::fs::write(d.join("a"), b"contents of a\n").unwrap();
            std::fs::write(d.join("exe"), qemu_tests::noise(300_000, 3)).unwrap();
            std::fs::set_permissions(d.join("exe"), std::fs::Permissions::from_mode(0o750))
                .unwrap();
            std::fs::write(d.join("existing"), b"old").unwrap();
            std::fs::set_permissions(d.join("existing"), std::fs::Permissions::from_mode(0o600))
                .unwrap();
            d
        };
        let g = setup("gnu");
        let want = gnu("cp", &g, args, b"");
        for (i, r) in runners.iter().enumerate() {
            let o = setup(&format!("ours{i}"));
            let got = Exec::new(qemu_tests::example("cp"))
                .args(args.iter().copied())
                .current_dir(&o)
                .run(r);
            let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            assert_eq!(
                show(&got.stdout),
                show(&want.0),
                "cp {args:?} on {}",
                r.name()
            );
            assert_eq!(
                show(&got.stderr),
                show(&want.1),
                "cp {args:?} on {}",
                r.name()
            );
            assert_eq!(got.code(), want.2, "cp {args:?} status on {}", r.name());
            assert!(tree(&o) == tree(&g), "cp {args:?} files on {}", r.name());
            std::fs::remove_dir_all(&o).unwrap();
        }
        std::fs::remove_dir_all(&g).unwrap();
    }
}
