//! `inspect --disasm`: iced-x86's decoder and formatters over the file's code.

use super::{InspectError, Report, err};
use std::fmt::Write as _;

/// `--disasm [SYMBOL]`: x86-64 instructions of every executable section (of the executable
/// segments when there are no section headers), or of one function: address, bytes, Intel
/// (or AT&T) syntax, and the symbol a call, jump or RIP-relative operand reaches.
pub fn disasm(
    bytes: &[u8],
    r: &Report,
    symbol: Option<&str>,
    att: bool,
) -> Result<String, InspectError> {
    let mut out = Vec::new();
    disasm_to(bytes, r, symbol, att, &mut out)?;
    String::from_utf8(out).map_err(|e| InspectError(format!("disassembly is not UTF-8: {e}")))
}

/// [`disasm`] written to `out` as it is decoded: the listing of a 60 MB text section is
/// never held in memory. A reader that stops reading (`| head`) ends the listing quietly;
/// any other error writing `out` is an error.
pub fn disasm_to(
    bytes: &[u8],
    r: &Report,
    symbol: Option<&str>,
    att: bool,
    out: &mut dyn std::io::Write,
) -> Result<(), InspectError> {
    use iced_x86::{Decoder, DecoderOptions, Formatter, GasFormatter, IntelFormatter};
    if r.header.machine != 62 {
        return err(format!("machine {} is not x86-64", r.header.machine));
    }
    let mut funcs: Vec<(u64, u64, &str)> = r
        .symbols
        .iter()
        .filter(|s| s.kind == "FUNC" && s.shndx != 0 && s.value != 0)
        .map(|s| (s.value, s.size, s.demangled.as_deref().unwrap_or(&s.name)))
        .collect();
    funcs.sort();
    funcs.dedup_by_key(|f| f.0);
    let name_at = |addr: u64| -> Option<String> {
        let i = funcs.partition_point(|f| f.0 <= addr).checked_sub(1)?;
        let (a, size, n) = funcs[i];
        (addr < a.saturating_add(size.max(1))).then(|| {
            if addr == a {
                n.to_string()
            } else {
                format!("{n}+{:#x}", addr - a)
            }
        })
    };
    // (name, file offset, address, length) of each range to decode.
    let mut ranges: Vec<(String, u64, u64, u64)> = Vec::new();
    match symbol {
        Some(want) => {
            let s = r
                .symbols
                .iter()
                .find(|s| s.name == want || s.demangled.as_deref() == Some(want))
                .ok_or_else(|| InspectError(format!("no symbol named {want}")))?;
            let seg = r
                .segments
                .iter()
                .find(|p| p.p_type == 1 && s.value >= p.vaddr && s.value - p.vaddr < p.filesz)
                .ok_or_else(|| InspectError(format!("{want} is not in the file's bytes")))?;
            ranges.push((
                want.into(),
                seg.offset + (s.value - seg.vaddr),
                s.value,
                s.size,
            ));
        }
        None if r.sections.iter().any(|x| x.flags & 4 != 0) => {
            for x in r
                .sections
                .iter()
                .filter(|x| x.flags & 4 != 0 && x.sh_type != 8)
            {
                ranges.push((x.name.clone(), x.offset, x.addr, x.size));
            }
        }
        None => {
            // No section headers: the executable segments, past the headers they may start
            // with (read-only data in them decodes as code: no tool can tell without names).
            let h = &r.header;
            let headers = (h.phoff + h.phnum as u64 * h.phentsize as u64).max(h.ehsize as u64);
            for (i, p) in r.segments.iter().enumerate() {
                if p.p_type == 1 && p.flags & 1 != 0 {
                    let skip = if p.offset == 0 {
                        headers.min(p.filesz)
                    } else {
                        0
                    };
                    let name = format!("segment {i} (no section headers: code and constants)");
                    ranges.push((
                        name,
                        p.offset + skip,
                        p.vaddr.wrapping_add(skip),
                        p.filesz - skip,
                    ));
                }
            }
        }
    }
    let mut text = String::new();
    let mut line = String::new();
    let mut intel = IntelFormatter::new();
    let mut gas = GasFormatter::new();
    for (name, off, addr, len) in ranges {
        let end = off.saturating_add(len).min(bytes.len() as u64);
        let Some(code) = bytes.get(off as usize..end as usize) else {
            continue;
        };
        let fail = |e: std::io::Error| InspectError(format!("writing the listing: {e}"));
        match writeln!(out, "\nDisassembly of {name}:") {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            r => r.map_err(fail)?,
        }
        let mut d = Decoder::with_ip(64, code, addr, DecoderOptions::NONE);
        let mut ins = iced_x86::Instruction::default();
        while d.can_decode() {
            let at = d.ip();
            let start = d.position();
            d.decode_out(&mut ins);
            line.clear();
            if let Some(n) = name_at(at).filter(|n| !n.contains('+')) {
                let _ = writeln!(line, "\n{at:016x} <{n}>:");
            }
            text.clear();
            if att {
                gas.format(&ins, &mut text);
            } else {
                intel.format(&ins, &mut text);
            }
            let mut raw = String::with_capacity(48);
            for b in &code[start..(start + ins.len()).min(code.len())] {
                let _ = write!(raw, "{b:02x} ");
            }
            let target = if ins.is_ip_rel_memory_operand() {
                Some(ins.ip_rel_memory_address())
            } else if (0..ins.op_count()).any(|k| {
                matches!(
                    ins.op_kind(k),
                    iced_x86::OpKind::NearBranch64 | iced_x86::OpKind::NearBranch32
                )
            }) {
                Some(ins.near_branch_target())
            } else {
                None
            };
            let note = target
                .and_then(name_at)
                .map_or(String::new(), |n| format!("  <{n}>"));
            let _ = writeln!(line, "{at:8x}:  {raw:<30} {text}{note}");
            match out.write_all(line.as_bytes()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                r => r.map_err(fail)?,
            }
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|e| InspectError(format!("writing the listing: {e}"))),
    }
}
