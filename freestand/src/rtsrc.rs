//! rt's sources, carried inside cargo-freestand and installed where new crates find them:
//! `$FREESTAND_HOME/freestand-rt-VERSION` (default `$CARGO_HOME/freestand`, i.e.
//! `~/.cargo/freestand`). A crate made by `cargo freestand new` depends on that copy, which
//! outlives the checkout cargo-freestand was installed from.

use anyhow::{Context, Result};
use std::path::PathBuf;

include!(concat!(env!("OUT_DIR"), "/rt_sources.rs"));

/// rt's version (the workspace's, which cargo-freestand shares).
pub const RT_VERSION: &str = env!("CARGO_PKG_VERSION");

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

/// Installs rt's sources (once per content: files already there and equal are left alone)
/// and returns the crate's directory.
pub fn install_rt() -> Result<PathBuf> {
    let dir = freestand_home()?.join(format!("freestand-rt-{RT_VERSION}"));
    let files = RT_FILES
        .iter()
        .copied()
        .chain([("Cargo.toml", RT_MANIFEST)]);
    for (rel, text) in files {
        let path = dir.join(rel);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        std::fs::create_dir_all(path.parent().unwrap())
            .with_context(|| format!("creating {}", path.parent().unwrap().display()))?;
        // Written beside and renamed: a crate building from it never sees half a file.
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text).with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(dir)
}

/// Copies freestand-ld built at `from` to `$FREESTAND_HOME/bin/freestand-ld` (when it
/// differs) and returns that path: crates made from a checkout then link with a copy that
/// outlives it.
pub fn install_linker(from: &std::path::Path) -> Result<PathBuf> {
    let dir = freestand_home()?.join("bin");
    let to = dir.join("freestand-ld");
    let new = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    if std::fs::read(&to).is_ok_and(|old| old == new) {
        return Ok(to);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = to.with_extension("tmp");
    std::fs::write(&tmp, &new).with_context(|| format!("writing {}", tmp.display()))?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))
        .with_context(|| format!("making {} executable", tmp.display()))?;
    std::fs::rename(&tmp, &to).with_context(|| format!("writing {}", to.display()))?;
    Ok(to)
}
