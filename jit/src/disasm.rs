//! A disassembly listing of generated code (feature `disasm`).

use alloc::string::String;
use core::fmt::Write;
use iced_x86::{Decoder, DecoderOptions, Formatter, IntelFormatter};

/// One line per instruction: address, bytes, Intel syntax.
pub fn disassemble(code: &[u8], ip: u64) -> String {
    let mut decoder = Decoder::with_ip(64, code, ip, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    formatter.options_mut().set_first_operand_char_index(8);
    let mut out = String::new();
    let mut text = String::new();
    while decoder.can_decode() {
        let start = (decoder.ip() - ip) as usize;
        let instr = decoder.decode();
        text.clear();
        formatter.format(&instr, &mut text);
        let bytes = &code[start..start + instr.len()];
        let _ = write!(out, "{:08x}  ", instr.ip());
        for b in bytes {
            let _ = write!(out, "{b:02x}");
        }
        let _ = writeln!(
            out,
            "{:width$}  {text}",
            "",
            width = 2 * 12usize.saturating_sub(bytes.len())
        );
    }
    out
}

/// The text of each instruction only (no addresses or bytes): for tests.
pub fn instructions(code: &[u8]) -> alloc::vec::Vec<String> {
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    let mut out = alloc::vec::Vec::new();
    while decoder.can_decode() {
        let instr = decoder.decode();
        let mut s = String::new();
        formatter.format(&instr, &mut s);
        out.push(s);
    }
    out
}
