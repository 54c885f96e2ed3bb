//! The machine around the programs: QEMU, apt-get, running a built executable.

use anyhow::{Context, Result, bail};
use std::process::{Command, ExitCode};

pub use freestand_test::{find_on_path, find_qemu, is_root};

/// Installs Debian packages with apt-get when root; otherwise fails with the command to run.
pub fn apt_install(packages: &[&str], why: &str) -> Result<()> {
    let cmd_line = format!(
        "apt-get update && apt-get install -y {}",
        packages.join(" ")
    );
    if !is_root() {
        bail!(
            "{why} needs {}: install with `sudo sh -c '{cmd_line}'`",
            packages.join(", ")
        );
    }
    eprintln!("==> {why}: installing {} with apt-get", packages.join(", "));
    let status = Command::new("sh")
        .arg("-c")
        .arg(&cmd_line)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("running apt-get")?;
    if !status.success() {
        bail!("`{cmd_line}` failed ({status})");
    }
    Ok(())
}

/// Runs `path` under qemu-x86_64 (natively when asked or when QEMU is missing, saying so),
/// passing the exit status through.
pub fn run_binary(path: &std::path::Path, native: bool, args: &[String]) -> Result<ExitCode> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("{} was not built", path.display()))?
        .len();
    let qemu = if native { None } else { find_qemu() };
    let how = match (&qemu, native) {
        (Some(q), _) => format!("under {}", q.display()),
        (None, true) => "natively".to_string(),
        (None, false) => {
            "natively (note: qemu-x86_64 not found; `apt-get install qemu-user` to run under QEMU)"
                .to_string()
        }
    };
    eprintln!(
        "freestand: {} ({size} bytes), running {how}",
        path.display()
    );
    let mut cmd = match qemu {
        Some(q) => {
            let mut c = Command::new(q);
            c.arg(path);
            c
        }
        None => Command::new(path),
    };
    let status = cmd
        .args(args)
        .status()
        .with_context(|| format!("running {}", path.display()))?;
    Ok(exit_code_of(status))
}

/// The status a shell would report: the exit code, or 128 + signal.
pub fn exit_code_of(status: std::process::ExitStatus) -> ExitCode {
    use std::os::unix::process::ExitStatusExt;
    let code = status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
    ExitCode::from(code as u8)
}
