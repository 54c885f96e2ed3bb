//! Phase 8: the file. linker-core places the segments (rt's packed layout at 0x400000) and
//! writes the ELF; its errors, which name relocations by index, are translated back to the
//! object, section and symbol they came from.

use super::error::LinkError;
use super::reloc::Built;
use super::symbols::Resolved;
use linker_core::exe::{self, Layout as ExeLayout, Options, WriteError};
use std::path::Path;

/// rt's layout: packed at the traditional base.
pub fn options(strip: bool) -> Options {
    Options {
        layout: ExeLayout::Packed,
        strip,
        base: exe::DEFAULT_BASE,
    }
}

/// The executable's bytes.
pub fn image_bytes(r: &Resolved, built: &Built, strip: bool) -> Result<Vec<u8>, LinkError> {
    exe::write(&built.image, &options(strip)).map_err(|e| match e {
        WriteError::FieldOverflow { reloc, value, .. } => {
            let o = &built.origins[reloc];
            let obj = r.obj(o.file);
            LinkError::Overflow {
                r_type: o.r_type,
                file: obj.name.clone(),
                section: obj
                    .sections
                    .get(o.section as usize)
                    .map_or(String::new(), |s| s.name.into()),
                offset: o.offset,
                symbol: o.symbol.clone(),
                value,
            }
        }
        e => LinkError::Write(e.to_string()),
    })
}

/// Writes `bytes` to `path` as an executable (replacing it whole: a new file is renamed over
/// the old one, so a running copy is never overwritten in place).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), LinkError> {
    use std::os::unix::fs::PermissionsExt;
    let io = |what, e: std::io::Error| LinkError::Io {
        path: path.display().to_string(),
        what,
        error: e.to_string(),
    };
    let tmp = path.with_extension(format!("freestand-ld-{}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| io("writing", e))?;
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| io("setting permissions", e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io("renaming into place", e)
    })
}
