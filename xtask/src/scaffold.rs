//! `cargo xtask new PATH`: a new freestanding crate on rt, ready for `cargo run --release`.

use crate::{FREESTANDING_RUSTFLAGS, TARGET, workspace_root};
use anyhow::{Context, Result, bail};
use std::path::Path;

pub fn new_crate(path: &Path) -> Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .with_context(|| {
            format!(
                "{}: the last path component must be a crate name (letters, digits, - and _)",
                path.display()
            )
        })?;
    if path.exists() {
        bail!("{} already exists", path.display());
    }
    let rt = workspace_root().join("rt");
    let ld = crate::freestand_ld()?;
    let files = render(name, &rt.display().to_string(), &ld.display().to_string());
    for (rel, text) in &files {
        let file = path.join(rel);
        std::fs::create_dir_all(file.parent().unwrap())?;
        std::fs::write(&file, text).with_context(|| format!("writing {}", file.display()))?;
    }
    eprintln!(
        "created {} — build and run it with:\n    cd {} && cargo run --release",
        path.display(),
        path.display()
    );
    Ok(())
}

/// The files of a new crate, as (relative path, contents); it links with freestand-ld at
/// `linker` (after `cargo install --path linker`, plain `freestand-ld` works too).
pub fn render(name: &str, rt_path: &str, linker: &str) -> Vec<(&'static str, String)> {
    // The linker goes into rustflags, not `target.<triple>.linker`: that one would also link
    // the host's build scripts (same triple), which need the C library.
    let linker_flag = format!("-Clinker={linker}");
    let flags: Vec<String> = FREESTANDING_RUSTFLAGS
        .split(' ')
        .chain([linker_flag.as_str()])
        .map(|f| format!("{f:?}"))
        .collect();
    vec![
        (
            "Cargo.toml",
            format!(
                r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"

[dependencies]
rt = {{ path = "{rt_path}" }}

[build-dependencies]
rt = {{ path = "{rt_path}", features = ["build"] }}

[[bin]]
name = "{name}"
path = "src/main.rs"
test = false
bench = false

[profile.dev]
panic = "abort"

[profile.release]
panic = "abort"
lto = true
codegen-units = 1
strip = true

[workspace]
"#
            ),
        ),
        (
            "build.rs",
            "fn main() {\n    rt::build::link_freestanding();\n}\n".to_string(),
        ),
        (
            ".cargo/config.toml",
            format!(
                r#"# An explicit target keeps these flags off build scripts, which run on the host with libc.
[build]
target = "{TARGET}"

[target.{TARGET}]
# The last flag links with freestand-ld: rustc's objects and rlibs in, rt's layout out, no C
# compiler or system linker (drop it to link with the system's cc and rt's linker script).
rustflags = [{}]
"#,
                flags.join(", ")
            ),
        ),
        (
            "src/main.rs",
            format!(
                r#"#![no_std]
#![no_main]

rt::entry!(main);

fn main() -> i32 {{
    let who = rt::env::arg(1).and_then(|a| core::str::from_utf8(a).ok()).unwrap_or("world");
    rt::println!("Hello from {name}, {{who}}!");
    0
}}
"#
            ),
        ),
        (".gitignore", "/target\n".to_string()),
    ]
}
