//! `cargo xtask bench link`: the link of hello, jit-calc and the minipy runner replayed with
//! each linker side by side — freestand-ld, rustc's default (cc → rust-lld), cc → GNU ld and
//! cc → mold (when installed) — on the same inputs: the objects rustc kept (`-C save-temps`)
//! and the command line it printed (`--print link-args`). Wall-time medians of interleaved
//! runs and callgrind instruction counts (the whole process tree), and the output sizes.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;
use xtask::{TARGET, cargo, find_on_path, freestand_ld, machine_line, median_us, workspace_root};

/// Environment settings and arguments of a command line.
type CommandLine = (Vec<(String, String)>, Vec<String>);

/// One way of linking: a name and the command (program, env, args) without `-o`.
struct Replay {
    name: &'static str,
    program: PathBuf,
    env: Vec<(String, String)>,
    args: Vec<String>,
}

/// The tokens of rustc's printed link line: `VAR="value"` settings, then "quoted" args.
fn parse_link_line(line: &str) -> CommandLine {
    let mut env = Vec::new();
    let mut args = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&c) = chars.peek() else { break };
        let mut name = String::new();
        if c != '"' {
            while let Some(&c) = chars.peek() {
                if c == '=' || c.is_whitespace() {
                    break;
                }
                name.push(c);
                chars.next();
            }
            chars.next(); // '='
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            value.push(n);
                        }
                    }
                    '"' => break,
                    c => value.push(c),
                }
            }
        }
        if name.is_empty() {
            args.push(value);
        } else {
            env.push((name, value));
        }
    }
    (env, args)
}

/// Builds `name` with the system linker, keeping its objects, and returns the link line.
fn capture(name: &str) -> Result<CommandLine> {
    let package = xtask::package_of(name)?;
    let (flags, features) = if name == "minipy" {
        (xtask::MINIPY_RUSTFLAGS, Some("minipy-runner/aot"))
    } else {
        (xtask::FREESTANDING_RUSTFLAGS, None)
    };
    let dir = workspace_root().join("target/bench-link");
    // Cargo relinks only what changed: drop the executable so that rustc links (and prints).
    let deps = dir.join(TARGET).join("release/deps");
    let stem = format!("{}-", name.replace('-', "_"));
    for e in std::fs::read_dir(&deps).into_iter().flatten().flatten() {
        let f = e.file_name().to_string_lossy().into_owned();
        if f.starts_with(&stem) && e.path().extension().is_none() {
            std::fs::remove_file(e.path())?;
        }
    }
    let mut cmd = cargo();
    cmd.args([
        "rustc",
        "-q",
        "--release",
        "--target",
        TARGET,
        "--target-dir",
    ])
    .arg(&dir)
    .args(["-p", &package, "--bin", name]);
    if let Some(f) = features {
        cmd.args(["--features", f]);
    }
    let out = cmd
        .args(["--", "--print", "link-args", "-C", "save-temps"])
        .env("RUSTFLAGS", flags)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo rustc")?;
    if !out.status.success() {
        bail!("building {name} for the link benchmark failed");
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.contains("\"cc\""))
        .with_context(|| format!("no link line printed for {name}:\n{text}"))?;
    let (env, mut args) = parse_link_line(line);
    args.remove(0); // "cc"
    Ok((env, args))
}

/// `args` without `-o FILE`.
fn without_output(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "-o" {
            i += 2;
            continue;
        }
        out.push(args[i].clone());
        i += 1;
    }
    out
}

fn replays(env: &[(String, String)], args: &[String], ld: &Path) -> Vec<Replay> {
    let base = without_output(args);
    let cc = PathBuf::from("cc");
    // For the cc → GNU ld and mold variants: no rust-lld selection.
    let no_lld: Vec<String> = base
        .iter()
        .filter(|a| *a != "-fuse-ld=lld" && !a.starts_with("-B"))
        .cloned()
        .collect();
    let mut v = vec![
        Replay {
            name: "freestand-ld",
            program: ld.to_path_buf(),
            env: Vec::new(),
            args: base.clone(),
        },
        Replay {
            name: "cc → rust-lld",
            program: cc.clone(),
            env: env.to_vec(),
            args: base.clone(),
        },
        Replay {
            name: "cc → GNU ld",
            program: cc.clone(),
            env: env.to_vec(),
            args: no_lld.clone(),
        },
    ];
    if find_on_path("mold").is_some() {
        // mold reads no linker script: the same line without it.
        let mut m: Vec<String> = no_lld
            .iter()
            .filter(|a| !a.starts_with("-Wl,-T,"))
            .cloned()
            .collect();
        m.push("-fuse-ld=mold".into());
        v.push(Replay {
            name: "cc → mold",
            program: cc,
            env: env.to_vec(),
            args: m,
        });
    } else {
        eprintln!("NOTE: mold is not installed: the table has no cc → mold rows");
    }
    v
}

fn command(r: &Replay, out: &Path) -> Command {
    let mut c = Command::new(&r.program);
    for (k, v) in &r.env {
        c.env(k, v);
    }
    c.args(&r.args).arg("-o").arg(out);
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    c
}

/// Callgrind's instruction count of the whole process tree (cc, collect2 and the linker).
fn instructions(valgrind: &Path, r: &Replay, out: &Path) -> Result<u64> {
    let dir = out.with_extension("callgrind");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut c = Command::new(valgrind);
    c.args(["--tool=callgrind", "--trace-children=yes"])
        .arg(format!("--callgrind-out-file={}/cg.%p", dir.display()));
    c.arg(&r.program);
    for (k, v) in &r.env {
        c.env(k, v);
    }
    let o = c
        .args(&r.args)
        .arg("-o")
        .arg(out)
        .stdout(Stdio::null())
        .output()
        .context("running valgrind")?;
    let err = String::from_utf8_lossy(&o.stderr);
    let total = err
        .lines()
        .filter_map(|l| l.split("Collected :").nth(1)?.trim().parse::<u64>().ok())
        .sum();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(total)
}

pub fn run(runs: usize) -> Result<ExitCode> {
    println!("{}", machine_line());
    let ld = freestand_ld()?;
    let valgrind = find_on_path("valgrind");
    let runs = runs.clamp(10, 200);
    let out_dir = workspace_root().join("target/bench-link/out");
    std::fs::create_dir_all(&out_dir)?;
    println!(
        "cargo xtask bench link  (median wall time of {runs} interleaved runs; instructions: \
         callgrind, whole process tree; output bytes)\n"
    );
    println!("| example | linker | median ms | vs freestand-ld | instructions | output bytes |");
    println!("|---|---|---:|---:|---:|---:|");
    for name in ["hello", "jit-calc", "minipy"] {
        let (env, args) = capture(name)?;
        let rs = replays(&env, &args, &ld);
        let outs: Vec<PathBuf> = rs
            .iter()
            .map(|r| out_dir.join(format!("{name}-{}", r.name.replace([' ', '→'], ""))))
            .collect();
        // Each once first: it must work (and warms the page cache).
        for (r, o) in rs.iter().zip(&outs) {
            let res = command(r, o).output()?;
            if !res.status.success() {
                bail!(
                    "{name} with {}: {}",
                    r.name,
                    String::from_utf8_lossy(&res.stderr)
                );
            }
        }
        let mut times = vec![Vec::new(); rs.len()];
        for _ in 0..runs {
            for (i, (r, o)) in rs.iter().zip(&outs).enumerate() {
                let t = Instant::now();
                let st = command(r, o).status()?;
                times[i].push(t.elapsed());
                if !st.success() {
                    bail!("{name} with {} failed", r.name);
                }
            }
        }
        let medians: Vec<f64> = times.iter_mut().map(|t| median_us(t) / 1000.0).collect();
        for (i, r) in rs.iter().enumerate() {
            let count = match &valgrind {
                Some(v) => instructions(v, r, &outs[i])?.to_string(),
                None => "(no valgrind)".into(),
            };
            let size = std::fs::metadata(&outs[i])?.len();
            println!(
                "| {name} | {} | {:.1} | {:.2}× | {count} | {size} |",
                r.name,
                medians[i],
                medians[i] / medians[0]
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustcs_printed_link_line_parses() {
        let (env, args) =
            parse_link_line(r#"LC_ALL="C" PATH="/a:/b" "cc" "-m64" "x y.o" "-Wl,-T,\"q\"""#);
        assert_eq!(
            env,
            vec![
                ("LC_ALL".into(), "C".into()),
                ("PATH".into(), "/a:/b".into())
            ]
        );
        assert_eq!(args, vec!["cc", "-m64", "x y.o", "-Wl,-T,\"q\""]);
        assert_eq!(
            without_output(&["a".into(), "-o".into(), "b".into(), "c".into()]),
            vec!["a".to_string(), "c".into()]
        );
    }
}
