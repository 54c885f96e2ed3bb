//! `cargo xtask bench inspect`: inspect against the GNU tools it stands in for, side by side
//! on the same files — the summary and `--all` against `readelf -aWC`, `--symbols` against
//! `nm -SC` (both demangling, as inspect does), `--disasm` against `objdump -d`, `--sizes` against bloaty (when installed) —
//! on the minipy runner, on this workspace's debug xtask (tens of MB, tens of thousands of
//! symbols) and on the largest ELF file under /usr/bin. Median wall time of interleaved runs
//! and the peak RSS of each, beside the file's size.
//!
//! Peak RSS: a child's `ru_maxrss` counts the memory of whoever spawned it (posix_spawn
//! shares the parent's pages until exec, and exec records their high-water mark), so a
//! measurement straight from xtask can never read below xtask's own ~7 MiB. GNU time forks
//! from a ~1 MiB process: its `%M` is what the command itself used.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};
use xtask::{Profile, cargo, example_path, find_on_path, machine_line, median_us, workspace_root};

/// One measured command: wall time and peak RSS (KiB) per run.
struct Measured {
    times: Vec<Duration>,
    rss_kib: Vec<i64>,
}

/// Peak RSS (KiB) of `argv` through GNU time, or None when /usr/bin/time is missing.
fn peak_rss_by_time(argv: &[String]) -> Result<Option<i64>> {
    let time = Path::new("/usr/bin/time");
    if !time.is_file() {
        return Ok(None);
    }
    let out = std::env::temp_dir().join(format!("inspect-bench-rss-{}", std::process::id()));
    let st = Command::new(time)
        .args(["-f", "%M", "-o"])
        .arg(&out)
        .args(argv)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()?;
    if !st.success() {
        bail!("{} failed under /usr/bin/time", argv.join(" "));
    }
    let text = std::fs::read_to_string(&out)?;
    let _ = std::fs::remove_file(&out);
    Ok(text
        .trim()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok()))
}

/// Runs `argv` once with stdout discarded; its wall time and (floored, see above) peak RSS.
#[allow(clippy::zombie_processes)] // reaped by wait4, which reports the peak RSS
fn run_once(argv: &[String]) -> Result<(Duration, i64)> {
    let t = Instant::now();
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("running {}", argv[0]))?;
    let w = rt::sys::wait4(child.id() as i32, 0)
        .map_err(|e| anyhow::anyhow!("wait4 for {}: {e:?}", argv[0]))?;
    let took = t.elapsed();
    if w.status != 0 {
        bail!("{} exited with wait status {:#x}", argv.join(" "), w.status);
    }
    Ok((took, w.usage.maxrss))
}

/// A comparison: what we run, what the peer runs (None: the peer is not installed).
struct Pair {
    what: &'static str,
    ours: Vec<String>,
    peer: Option<(String, Vec<String>)>,
}

fn pairs(inspect: &Path, file: &Path) -> Vec<Pair> {
    let f = file.display().to_string();
    let ours = |flags: &[&str]| -> Vec<String> {
        let mut v = vec![inspect.display().to_string(), "inspect".into()];
        v.extend(flags.iter().map(|s| s.to_string()));
        v.push(f.clone());
        v
    };
    let peer = |tool: &str, flags: &[&str]| -> Option<(String, Vec<String>)> {
        let p = find_on_path(tool)?;
        let mut v = vec![p.display().to_string()];
        v.extend(flags.iter().map(|s| s.to_string()));
        v.push(f.clone());
        Some((format!("{tool} {}", flags.join(" ")), v))
    };
    vec![
        Pair {
            what: "summary",
            ours: ours(&[]),
            peer: peer("readelf", &["-aWC"]),
        },
        Pair {
            what: "--all",
            ours: ours(&["--all"]),
            peer: peer("readelf", &["-aWC"]),
        },
        Pair {
            what: "--symbols",
            ours: ours(&["--symbols"]),
            peer: peer("nm", &["-SC"]),
        },
        Pair {
            what: "--disasm",
            ours: ours(&["--disasm"]),
            peer: peer("objdump", &["-d"]),
        },
        Pair {
            what: "--sizes",
            ours: ours(&["--sizes"]),
            peer: peer("bloaty", &[]),
        },
    ]
}

/// The largest ELF file directly under /usr/bin.
fn largest_system_elf() -> Option<PathBuf> {
    let mut best: Option<(u64, PathBuf)> = None;
    for e in std::fs::read_dir("/usr/bin").ok()?.flatten() {
        let p = e.path();
        let Ok(m) = std::fs::metadata(&p) else {
            continue;
        };
        if !m.is_file() || best.as_ref().is_some_and(|(s, _)| *s >= m.len()) {
            continue;
        }
        let mut magic = [0u8; 4];
        let is_elf = std::fs::File::open(&p)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
            .is_ok()
            && &magic == b"\x7fELF";
        if is_elf {
            best = Some((m.len(), p));
        }
    }
    best.map(|(_, p)| p)
}

pub fn run(runs: usize) -> Result<ExitCode> {
    // objdump -d of a 100 MB binary takes seconds: a few interleaved runs are enough.
    let runs = runs.clamp(3, 9);
    println!("{}", machine_line());
    println!(
        "cargo xtask bench inspect  (median wall time of {runs} interleaved runs, peak RSS of \
         one more run; inspect built --release)"
    );
    let st = cargo()
        .args(["build", "-q", "--release", "-p", "xtask"])
        .status()
        .context("building xtask --release")?;
    if !st.success() {
        bail!("building xtask --release failed");
    }
    let inspect = workspace_root().join("target/release/xtask");
    xtask::build_examples(&["minipy".to_string()], Profile::Release)?;
    let st = cargo()
        .args(["build", "-q", "-p", "xtask"])
        .status()
        .context("building xtask")?;
    if !st.success() {
        bail!("building xtask failed");
    }
    let mut files = vec![
        example_path("minipy", Profile::Release),
        workspace_root().join("target/debug/xtask"),
    ];
    let by_time = Path::new("/usr/bin/time").is_file();
    if !by_time {
        println!(
            "NOTE: /usr/bin/time (GNU time) is missing: peak RSS is read by wait4 from xtask and \
             never shows less than xtask's own resident memory"
        );
    }
    match largest_system_elf() {
        Some(p) => files.push(p),
        None => println!("NOTE: no ELF file under /usr/bin: only the minipy runner is measured"),
    }
    if find_on_path("bloaty").is_none() {
        println!("NOTE: bloaty is not installed: --sizes is measured alone");
    }
    for file in &files {
        let size = std::fs::metadata(file)?.len();
        println!(
            "\n{} ({size} bytes, {:.1} MiB)",
            file.display(),
            size as f64 / (1 << 20) as f64
        );
        println!(
            "  {:<10} {:>10} {:>10} {:>10}   {:<12} {:>10} {:>10} {:>7}",
            "inspect", "ms", "RSS MiB", "RSS/file", "peer", "ms", "RSS MiB", "time ×"
        );
        for pair in pairs(&inspect, file) {
            let mut ours = Measured {
                times: vec![],
                rss_kib: vec![],
            };
            let mut peer = Measured {
                times: vec![],
                rss_kib: vec![],
            };
            for _ in 0..runs {
                let (t, r) = run_once(&pair.ours)?;
                ours.times.push(t);
                ours.rss_kib.push(r);
                if let Some((_, argv)) = &pair.peer {
                    let (t, r) = run_once(argv)?;
                    peer.times.push(t);
                    peer.rss_kib.push(r);
                }
            }
            if by_time {
                ours.rss_kib = peak_rss_by_time(&pair.ours)?.into_iter().collect();
                if let Some((_, argv)) = &pair.peer {
                    peer.rss_kib = peak_rss_by_time(argv)?.into_iter().collect();
                }
            }
            let ms = |m: &mut Measured| median_us(&mut m.times) / 1000.0;
            let mib = |m: &Measured| *m.rss_kib.iter().max().unwrap_or(&0) as f64 / 1024.0;
            let our_ms = ms(&mut ours);
            let our_mib = mib(&ours);
            let (peer_name, peer_ms, peer_mib, ratio) = match &pair.peer {
                Some((name, _)) => {
                    let p = ms(&mut peer);
                    (
                        name.clone(),
                        format!("{p:.1}"),
                        format!("{:.1}", mib(&peer)),
                        format!("{:.2}", our_ms / p),
                    )
                }
                None => ("(none)".into(), "-".into(), "-".into(), "-".into()),
            };
            println!(
                "  {:<10} {:>10.1} {:>10.1} {:>10.2}   {:<12} {:>10} {:>10} {:>7}",
                pair.what,
                our_ms,
                our_mib,
                our_mib * (1 << 20) as f64 / size as f64,
                peer_name,
                peer_ms,
                peer_mib,
                ratio
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
