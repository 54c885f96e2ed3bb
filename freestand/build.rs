//! Embeds the sources of rt (../rt) and of the test harness (../test-harness) so that
//! `cargo freestand new` can install them where a new crate finds them, with no checkout
//! around.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            println!("cargo:rerun-if-changed={}", p.display());
            out.push(p);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.parent().unwrap();
    let mut code = String::new();
    let mut list = String::from(
        "/// The crates a new crate depends on, as sources.\npub const EMBEDDED: &[Embedded] = &[\n",
    );
    for (dir, package) in [("rt", "freestand-rt"), ("test-harness", "freestand-test")] {
        let krate = root.join(dir);
        let mut files = Vec::new();
        walk(&krate.join("src"), &mut files);
        let toml = standalone_manifest(&krate.join("Cargo.toml"), &root.join("Cargo.toml"));
        writeln!(list, "    Embedded {{\n        package: {package:?},\n        manifest: {toml:?},\n        files: &[").unwrap();
        for f in &files {
            let rel = f.strip_prefix(&krate).unwrap().display().to_string();
            writeln!(
                list,
                "            ({rel:?}, include_str!({:?})),",
                f.display().to_string()
            )
            .unwrap();
        }
        list.push_str("        ],\n    },\n");
    }
    list.push_str("];\n");
    code.push_str(&list);
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(out, code).unwrap();
}

/// A crate's manifest on its own: `x.workspace = true` replaced by the workspace's value,
/// the benches (not installed) left out; a `readme` that is not installed is dropped.
fn standalone_manifest(rt: &Path, workspace: &Path) -> String {
    println!("cargo:rerun-if-changed={}", rt.display());
    println!("cargo:rerun-if-changed={}", workspace.display());
    let ws = std::fs::read_to_string(workspace).unwrap();
    let lookup = |table: &str, key: &str| -> String {
        let mut in_table = false;
        for line in ws.lines() {
            if line.starts_with('[') {
                in_table = line.trim() == table;
            } else if in_table
                && let Some((k, v)) = line.split_once('=')
                && k.trim() == key
            {
                return v.trim().to_string();
            }
        }
        panic!("{key} is not in the workspace's {table}");
    };
    let text = std::fs::read_to_string(rt).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("[dev-dependencies]") || line.starts_with("[[bench]]") {
            break;
        }
        if line.starts_with("readme =") {
            continue;
        }
        if let Some(key) = line.strip_suffix(".workspace = true") {
            writeln!(out, "{key} = {}", lookup("[workspace.package]", key)).unwrap();
        } else if let Some((dep, _)) = line.split_once(" = { workspace = true }") {
            writeln!(out, "{dep} = {}", lookup("[workspace.dependencies]", dep)).unwrap();
        } else {
            writeln!(out, "{line}").unwrap();
        }
    }
    out
}
