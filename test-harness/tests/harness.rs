//! The harness on ordinary programs (cat, env, sleep, sh): what it feeds, captures, kills
//! and counts.

use freestand_test::{Exec, Runner, qemu_skipped, runners, strace_syscalls};
use std::time::{Duration, Instant};

#[test]
fn stdin_arguments_and_status_round_trip() {
    for r in runners() {
        Exec::new("/bin/cat")
            .stdin("line one\nline two\n")
            .run(&r)
            .assert("line one\nline two\n", "", 0);
        let o = Exec::new("/bin/sh")
            .args(["-c", "echo out; echo err >&2; exit 7"])
            .run(&r);
        o.assert("out\n", "err\n", 7);
        assert_eq!(o.code(), Some(7));
    }
}

#[test]
fn a_big_output_on_both_pipes_does_not_deadlock() {
    let o = Exec::new("/bin/sh")
        .args([
            "-c",
            "head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2",
        ])
        .run(&Runner::Native);
    assert_eq!((o.stdout.len(), o.stderr.len()), (1_000_000, 1_000_000));
}

#[test]
fn the_environment_is_exactly_what_was_given() {
    let o = Exec::new("/usr/bin/env")
        .env_exact(&[("ONLY", "this")])
        .run(&Runner::Native);
    o.assert("ONLY=this\n", "", 0);
}

#[test]
fn a_program_past_its_timeout_is_killed() {
    let start = Instant::now();
    let o = Exec::new("/bin/sleep")
        .arg("30")
        .timeout(Duration::from_millis(300))
        .run_within(&Runner::Native);
    assert!(o.is_none());
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn strace_lines_become_syscall_names() {
    let trace = "123 write(1,0x407000,18)hello\n = 18\n123 exit_group(0)\nnot a trace line\n";
    assert_eq!(strace_syscalls(trace), ["write", "exit_group"]);
}

#[test]
fn a_syscall_trace_ends_with_the_exit() {
    if qemu_skipped() {
        eprintln!("NOTE: FREESTAND_QEMU=skip: the qemu -strace check is SKIPPED");
        return;
    }
    let calls = Exec::new("/bin/true").syscalls();
    assert!(calls.len() > 2, "{calls:?}");
    assert_eq!(
        calls.last().map(String::as_str),
        Some("exit_group"),
        "{calls:?}"
    );
}
