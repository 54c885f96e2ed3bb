//! Every example, natively and under qemu-x86_64: exact stdout, stderr and exit status.

use qemu_tests::{
    Exec, Runner, noise, qemu_skipped, runners, scratch_dir, signal_of, strace_syscalls,
};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

#[test]
fn hello_prints_and_exits_zero() {
    for r in runners() {
        Exec::new(qemu_tests::example("hello"))
            .run(&r)
            .assert("Hello, world!\n", "", 0);
    }
}

/// `exec` run under `qemu-x86_64 -strace`: its stdout and the system calls it made, in
/// order (None, said loudly, when QEMU is skipped).
fn traced(exec: Exec) -> Option<(String, Vec<String>, String)> {
    if qemu_skipped() {
        eprintln!("SKIPPED: needs qemu-x86_64 -strace");
        return None;
    }
    let r = Runner::Qemu {
        cpu: None,
        flags: vec!["-strace"],
    };
    let out = exec.run(&r);
    let trace = out.stderr_str();
    Some((out.stdout_str(), strace_syscalls(&trace), trace))
}

#[test]
fn hello_makes_exactly_one_write_and_one_exit_group() {
    let Some((stdout, calls, trace)) = traced(Exec::new(qemu_tests::example("hello"))) else {
        return;
    };
    assert_eq!(stdout, "Hello, world!\n");
    // examples/hello is built without rt's default features: no stack overflow report.
    assert_eq!(calls, ["write", "exit_group"], "strace:\n{trace}");
    assert!(
        trace.contains("write(1,") && trace.contains(",14) = 14"),
        "{trace}"
    );
}

/// With rt's default features a program starts with the stack overflow report's two calls
/// (rt/src/stack.rs) and its buffered stdout is written once, at exit.
#[test]
fn rts_default_start_is_two_system_calls_and_stdout_is_one_write_at_exit() {
    let args = Exec::new(qemu_tests::example("args"))
        .args(["V", "w"])
        .env_exact(&[("V", "1")]);
    let Some((stdout, calls, trace)) = traced(args) else {
        return;
    };
    assert_eq!(stdout, "V\nw\n1\n");
    assert_eq!(
        calls,
        ["sigaltstack", "rt_sigaction", "write", "exit_group"],
        "strace:\n{trace}"
    );
}

/// A `Display` that prints while it is formatted: rt's stdout lock is entered again, and
/// the bytes are what std prints for the same program (checked against rustc's std by hand:
/// the inner line lands where the outer one had got to). Was a deadlock.
#[test]
fn printing_inside_a_display_is_reentrant() {
    for r in runners() {
        Exec::new(qemu_tests::example("nested")).run(&r).assert(
            "a inner\nouter-value b\nc inner\nouter-value d\ne inner\nouter-value\n",
            "",
            0,
        );
    }
}

/// A stack overflow is one line on stderr and SIGABRT, not a bare SIGSEGV: natively, under
/// qemu-x86_64 and its baseline CPU.
#[test]
fn stack_overflow_is_reported_in_one_line() {
    let mut all = runners();
    if all.len() > 1 {
        all.push(Runner::Qemu {
            cpu: Some("qemu64"),
            flags: vec![],
        });
    }
    for r in all {
        let out = Exec::new(qemu_tests::example("overflow")).run(&r);
        assert_eq!(out.stdout_str(), "", "{}", r.name());
        assert_eq!(
            out.stderr_str().lines().next().unwrap_or(""),
            "fatal runtime error: stack overflow (the limit is ulimit -s)",
            "{}",
            r.name()
        );
        assert_eq!(signal_of(&out.status), Some(6), "SIGABRT on {}", r.name());
    }
}

#[test]
fn stdout_is_block_buffered() {
    if qemu_skipped() {
        eprintln!("SKIPPED: needs qemu-x86_64 -strace");
        return;
    }
    // 2,000 argument lines (~14 KB) leave in one write, not one per line.
    let args: Vec<String> = (0..2000).map(|i| format!("arg{i}")).collect();
    let r = Runner::Qemu {
        cpu: None,
        flags: vec!["-strace"],
    };
    let out = Exec::new(qemu_tests::example("args"))
        .args(&args)
        .env_exact(&[("arg0", "v")])
        .run(&r);
    let expected: String = args.iter().map(|a| format!("{a}\n")).collect::<String>() + "v\n";
    assert_eq!(out.stdout_str(), expected);
    let writes = strace_syscalls(&out.stderr_str())
        .iter()
        .filter(|s| *s == "write")
        .count();
    assert_eq!(writes, 1, "{}", out.stderr_str());
}

#[test]
fn args_and_environment_pass_through() {
    for r in runners() {
        Exec::new(qemu_tests::example("args"))
            .args(["GREETING", "two words", "", "ünïcode"])
            .env_exact(&[("GREETING", "hi there"), ("OTHER", "x")])
            .run(&r)
            .assert("GREETING\ntwo words\n\nünïcode\nhi there\n", "", 0);
        Exec::new(qemu_tests::example("args"))
            .arg("UNSET_VAR")
            .env_exact(&[("SOMETHING", "else"), ("NOEQUALS", "")])
            .run(&r)
            .assert(
                "UNSET_VAR\n",
                "args: environment variable UNSET_VAR is not set\n",
                0,
            );
        Exec::new(qemu_tests::example("args"))
            .env_exact(&[])
            .run(&r)
            .assert(
                "",
                "usage: args NAME [ARG...]  (prints the arguments, then the value of $NAME)\n",
                2,
            );
    }
}

#[test]
fn non_utf8_arguments_are_bytes() {
    for r in runners() {
        let odd = OsString::from_vec(b"caf\xe9\xff".to_vec());
        let out = Exec::new(qemu_tests::example("args"))
            .arg(odd)
            .env_exact(&[])
            .run(&r);
        assert_eq!(out.stdout, b"caf\xe9\xff\n", "on {}", r.name());
        assert_eq!(
            out.stderr_str(),
            "args: environment variable caf\u{fffd}\u{fffd} is not set\n"
        );
        assert_eq!(out.code(), Some(0));
    }
}

#[test]
fn cat_copies_stdin() {
    for r in runners() {
        Exec::new(qemu_tests::example("cat"))
            .stdin("line one\nline two\n")
            .run(&r)
            .assert("line one\nline two\n", "", 0);
        Exec::new(qemu_tests::example("cat"))
            .arg("-")
            .stdin("dash\n")
            .run(&r)
            .assert("dash\n", "", 0);
        Exec::new(qemu_tests::example("cat"))
            .run(&r)
            .assert("", "", 0);
    }
}

#[test]
fn cat_streams_16_mib_byte_identical() {
    let dir = scratch_dir("cat-big");
    let data = noise(16 << 20, 42);
    let file = dir.join("big.bin");
    std::fs::write(&file, &data).unwrap();
    for r in runners() {
        let out = Exec::new(qemu_tests::example("cat")).arg(&file).run(&r);
        assert_eq!(out.code(), Some(0), "on {}: {}", r.name(), out.stderr_str());
        assert!(
            out.stdout == data,
            "file through cat differs on {} ({} bytes back)",
            r.name(),
            out.stdout.len()
        );
        let out = Exec::new(qemu_tests::example("cat"))
            .stdin(data.clone())
            .run(&r);
        assert!(
            out.stdout == data,
            "stdin through cat differs on {} ({} bytes back)",
            r.name(),
            out.stdout.len()
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn cat_reports_a_missing_file_and_continues() {
    let dir = scratch_dir("cat-missing");
    let a = dir.join("a.txt");
    let b = dir.join("b.txt");
    std::fs::write(&a, "first\n").unwrap();
    std::fs::write(&b, "second\n").unwrap();
    let missing = dir.join("missing.txt");
    for r in runners() {
        Exec::new(qemu_tests::example("cat"))
            .arg(&a)
            .arg(&missing)
            .arg(&b)
            .run(&r)
            .assert(
                "first\nsecond\n",
                &format!("cat: {}: No such file or directory\n", missing.display()),
                1,
            );
        Exec::new(qemu_tests::example("cat"))
            .arg(&dir)
            .run(&r)
            .assert("", &format!("cat: {}: Is a directory\n", dir.display()), 1);
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn exit_passes_its_status_through() {
    for r in runners() {
        for (arg, code) in [
            ("0", 0),
            ("1", 1),
            ("42", 42),
            ("255", 255),
            ("256", 0),
            ("-1", 255),
        ] {
            Exec::new(qemu_tests::example("exit"))
                .arg(arg)
                .run(&r)
                .assert("", "", code);
        }
        Exec::new(qemu_tests::example("exit"))
            .arg("x")
            .run(&r)
            .assert("", "usage: exit CODE  (CODE: a decimal integer)\n", 2);
    }
}

#[test]
fn panic_flushes_stdout_then_reports_with_101() {
    let src =
        std::fs::read_to_string(qemu_tests::workspace_root().join("examples/src/bin/panic.rs"))
            .unwrap();
    let (line, col) = src
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find("panic!(").map(|c| (i + 1, c + 1)))
        .expect("panic.rs calls panic!");
    for r in runners() {
        Exec::new(qemu_tests::example("panic")).arg("x").run(&r).assert(
            "about to panic\n",
            &format!("panicked at examples/src/bin/panic.rs:{line}:{col}:\nboom: 2 arguments, [1, 2, 3]\n"),
            101,
        );
    }
}

#[test]
fn broken_pipe_ends_quietly() {
    let dir = scratch_dir("epipe");
    let file = dir.join("big.bin");
    std::fs::write(&file, noise(8 << 20, 7)).unwrap();
    for r in runners() {
        for ignore_sigpipe in [true, false] {
            // `trap '' PIPE` makes SIGPIPE ignored across exec: the program then sees EPIPE.
            let script = format!(
                "{} \"$@\"",
                if ignore_sigpipe {
                    "trap '' PIPE; exec"
                } else {
                    "exec"
                }
            );
            let mut cmd = std::process::Command::new("sh");
            cmd.arg("-c").arg(script).arg("sh");
            if let Runner::Qemu { .. } = r {
                cmd.arg(qemu_tests::qemu_path());
            }
            let mut child = cmd
                .arg(qemu_tests::example("cat"))
                .arg(&file)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let mut first = [0u8; 10];
            std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
            drop(child.stdout.take());
            let out = child.wait_with_output().unwrap();
            assert_eq!(
                String::from_utf8_lossy(&out.stderr),
                "",
                "{} ignore={ignore_sigpipe}",
                r.name()
            );
            if ignore_sigpipe {
                assert_eq!(
                    out.status.code(),
                    Some(141),
                    "{} {:?}",
                    r.name(),
                    out.status
                );
            } else {
                assert_eq!(
                    signal_of(&out.status),
                    Some(13),
                    "{} {:?}",
                    r.name(),
                    out.status
                );
            }
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
}

/// A stdout that cannot be written (a full disk: ENOSPC 28; a closed descriptor: EBADF 9)
/// is reported with its errno and status 1 — by hello's unbuffered write and by a buffered
/// program's flush at exit (args).
#[test]
fn write_errors_on_stdout_are_reported() {
    let cases = [
        ("hello", "> /dev/full", 28),
        ("hello", ">&-", 9),
        ("args", "> /dev/full", 28),
        ("args", ">&-", 9),
    ];
    for r in runners() {
        for (name, redirect, errno) in cases {
            let mut cmd = std::process::Command::new("sh");
            cmd.arg("-c")
                .arg(format!("exec \"$@\" {redirect}"))
                .arg("sh");
            if let Runner::Qemu { .. } = r {
                cmd.arg(qemu_tests::qemu_path());
            }
            // args PATH: two lines, the second $PATH, held in the buffer until exit.
            let out = cmd
                .arg(qemu_tests::example(name))
                .arg("PATH")
                .output()
                .unwrap();
            assert_eq!(
                String::from_utf8_lossy(&out.stderr),
                format!("failed printing to stdout: os error {errno}\n"),
                "{name} {redirect} {}",
                r.name()
            );
            assert_eq!(out.status.code(), Some(1), "{name} {redirect} {}", r.name());
        }
    }
}

#[test]
fn out_of_memory_is_reported_not_hung() {
    // Natively only: an address-space limit small enough to exhaust would also starve QEMU.
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 400000; exec \"$@\"")
        .arg("sh")
        .arg(qemu_tests::example("alloc"))
        .arg("oom");
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{err}");
    assert!(
        err.starts_with("panicked at ")
            && err.ends_with("memory allocation of 67108864 bytes failed\n"),
        "{err}"
    );
}

#[test]
fn everything_runs_on_a_baseline_x86_64_cpu() {
    if qemu_skipped() {
        eprintln!("SKIPPED: needs qemu-x86_64 -cpu qemu64");
        return;
    }
    let r = Runner::Qemu {
        cpu: Some("qemu64"),
        flags: vec![],
    };
    Exec::new(qemu_tests::example("hello"))
        .run(&r)
        .assert("Hello, world!\n", "", 0);
    Exec::new(qemu_tests::example("args"))
        .args(["V", "w"])
        .env_exact(&[("V", "1")])
        .run(&r)
        .assert("V\nw\n1\n", "", 0);
    Exec::new(qemu_tests::example("cat"))
        .stdin("abc")
        .run(&r)
        .assert("abc", "", 0);
    Exec::new(qemu_tests::example("exit"))
        .arg("9")
        .run(&r)
        .assert("", "", 9);
    let out = Exec::new(qemu_tests::example("panic")).run(&r);
    assert_eq!(out.code(), Some(101));
    let out = Exec::new(qemu_tests::example("alloc")).arg("300").run(&r);
    let native = Exec::new(qemu_tests::example("alloc"))
        .arg("300")
        .run(&Runner::Native);
    assert_eq!(out.stdout_str(), native.stdout_str());
    assert_eq!(out.code(), Some(0));
}
