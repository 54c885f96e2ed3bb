//! The crates a new crate depends on — rt (`freestand-rt`) and the test harness
//! (`freestand-test`) — carried inside cargo-freestand as sources and installed where new
//! crates find them: `$FREESTAND_HOME/NAME-VERSION` (default `$CARGO_HOME/freestand`, i.e.
//! `~/.cargo/freestand`). A crate made by `cargo freestand new` depends on those copies,
//! which outlive the checkout cargo-freestand was installed from.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// One embedded crate.
pub struct Embedded {
    pub package: &'static str,
    /// Its Cargo.toml, standing alone (no workspace).
    pub manifest: &'static str,
    /// (path under the crate, text).
    pub files: &'static [(&'static str, &'static str)],
}

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The version of the embedded crates (the workspace's, which cargo-freestand shares).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where cargo-freestand keeps what it installs.
pub fn freestand_home() -> Result<PathBuf> {
    if let Some(h) = std::env::var_os("FREESTAND_HOME") {
        return Ok(PathBuf::from(h));
    }
    let cargo_home = match std::env::var_os("CARGO_HOME") {
        Some(c) => PathBuf::from(c),
        None => PathBuf::from(
            std::env::var_os("HOME")
                .context("neither FREESTAND_HOME, CARGO_HOME nor HOME is set")?,
        )
        .join(".cargo"),
    };
    Ok(cargo_home.join("freestand"))
}

/// `bytes` at `path`, unless it already holds them; written beside and renamed, so that a
/// build reading it never sees half a file.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let dir = path.parent().context("a file has a directory")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(true)
}

/// FNV-1a over the crate's file names and texts: which sources a directory holds.
fn fingerprint(e: &Embedded) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, text) in e.files.iter().copied().chain([("Cargo.toml", e.manifest)]) {
        for b in rel.bytes().chain([0]).chain(text.bytes()).chain([0]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}\n")
}

/// Installs the embedded crate `package` and returns its directory. A directory that holds
/// exactly these sources (its fingerprint file says so) is left alone; any other is
/// replaced as a whole, so that no file of an older version (a module since moved) stays.
pub fn install(package: &str) -> Result<PathBuf> {
    install_into(&freestand_home()?, package)
}

/// [`install`] under `home`.
pub fn install_into(home: &Path, package: &str) -> Result<PathBuf> {
    let e = EMBEDDED
        .iter()
        .find(|e| e.package == package)
        .with_context(|| format!("no embedded crate {package}"))?;
    let dir = home.join(format!("{package}-{VERSION}"));
    let marker = dir.join(".freestand-sources");
    let want = fingerprint(e);
    if std::fs::read_to_string(&marker).is_ok_and(|m| m == want) {
        return Ok(dir);
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("replacing {}", dir.display()))?;
    }
    for (rel, text) in e.files.iter().copied().chain([("Cargo.toml", e.manifest)]) {
        write_if_changed(&dir.join(rel), text.as_bytes())?;
    }
    write_if_changed(&marker, want.as_bytes())?;
    Ok(dir)
}

/// Copies freestand-ld built at `from` to `$FREESTAND_HOME/bin/freestand-ld` (when it
/// differs) and returns that path: crates made from a checkout then link with a copy that
/// outlives it.
pub fn install_linker(from: &Path) -> Result<PathBuf> {
    let to = freestand_home()?.join("bin").join("freestand-ld");
    let bytes = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    if write_if_changed(&to, &bytes)? {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("making {} executable", to.display()))?;
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_install_replaces_older_sources_whole() {
        let home = std::env::temp_dir().join(format!("freestand-home-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        let dir = install_into(&home, "freestand-rt").unwrap();
        let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
        assert!(lib.contains("pub mod fs;"));
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("name = \"freestand-rt\"") && !manifest.contains("workspace"));
        // The same sources: left alone (a file added by hand stays).
        std::fs::write(dir.join("src/extra.rs"), "").unwrap();
        install_into(&home, "freestand-rt").unwrap();
        assert!(dir.join("src/extra.rs").exists());
        // Other sources (an older version): replaced whole, the stray file gone.
        std::fs::write(dir.join(".freestand-sources"), "older\n").unwrap();
        install_into(&home, "freestand-rt").unwrap();
        assert!(!dir.join("src/extra.rs").exists());
        assert!(dir.join("src/lib.rs").exists());
        assert!(install_into(&home, "no-such-crate").is_err());
        std::fs::remove_dir_all(&home).unwrap();
    }
}
