//! x86-64 instruction emission: the bytes of the few dozen forms code generation uses,
//! written directly (REX, opcode, ModRM, SIB, displacement, immediate). An encoder for all of
//! x86 (iced-x86's, which this replaced) spent ≈300 instructions and a one-time table build
//! of ≈300k on each instruction and carried 70 KB of tables; these forms need none of that.
//!
//! One method per instruction form. Where x86 has a shorter encoding (imm8 ALU forms, the
//! RAX short forms, `mov r32, imm32` for small unsigned constants, shift by 1) the method
//! picks it, as an assembler would: `tests/emit_golden.rs` compares every form, over the
//! register and immediate matrix, with GNU as, and decodes them with iced-x86. Forward
//! branches are rel32, patched when their label is bound; calls to other functions and host
//! addresses leave relocations.

use crate::error::Error;
use crate::ir::{FuncId, HostId};
use alloc::vec;
use alloc::vec::Vec;

/// General-purpose registers, numbered as the hardware does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Gpr {
    Rax = 0,
    Rcx,
    Rdx,
    Rbx,
    Rsp,
    Rbp,
    Rsi,
    Rdi,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
}

impl Gpr {
    pub const ALL: [Gpr; 16] = [
        Gpr::Rax,
        Gpr::Rcx,
        Gpr::Rdx,
        Gpr::Rbx,
        Gpr::Rsp,
        Gpr::Rbp,
        Gpr::Rsi,
        Gpr::Rdi,
        Gpr::R8,
        Gpr::R9,
        Gpr::R10,
        Gpr::R11,
        Gpr::R12,
        Gpr::R13,
        Gpr::R14,
        Gpr::R15,
    ];

    /// The register's number in ModRM, SIB and the opcode (low three bits; bit 3 goes in REX).
    fn num(self) -> u8 {
        self as u8
    }

    /// Intel-syntax names (64, 32 and 8 bits), for listings and the golden tests.
    pub fn name(self) -> &'static str {
        [
            "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11",
            "r12", "r13", "r14", "r15",
        ][self as usize]
    }

    pub fn name32(self) -> &'static str {
        [
            "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "r8d", "r9d", "r10d", "r11d",
            "r12d", "r13d", "r14d", "r15d",
        ][self as usize]
    }

    pub fn name8(self) -> &'static str {
        [
            "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil", "r8b", "r9b", "r10b", "r11b",
            "r12b", "r13b", "r14b", "r15b",
        ][self as usize]
    }
}

/// A memory operand `[base + index·2^shift + disp]` (the index optional, never rsp; the
/// shift 0 to 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mem {
    pub base: Gpr,
    pub index: Option<Gpr>,
    pub shift: u8,
    pub disp: i32,
}

impl Mem {
    /// `[base + disp]`.
    pub fn at(base: Gpr, disp: i32) -> Mem {
        Mem {
            base,
            index: None,
            shift: 0,
            disp,
        }
    }
}

/// Two-operand ALU instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alu {
    Add,
    Or,
    And,
    Sub,
    Xor,
    Cmp,
}

impl Alu {
    pub const ALL: [Alu; 6] = [Alu::Add, Alu::Or, Alu::And, Alu::Sub, Alu::Xor, Alu::Cmp];

    pub fn name(self) -> &'static str {
        match self {
            Alu::Add => "add",
            Alu::Or => "or",
            Alu::And => "and",
            Alu::Sub => "sub",
            Alu::Xor => "xor",
            Alu::Cmp => "cmp",
        }
    }

    /// The opcode of `r/m ← r` (`r ← r/m` is 2 more, `rax ← imm32` 4 more) and the ModRM
    /// digit of the immediate forms (0x83 /digit ib, 0x81 /digit id).
    fn opcode(self) -> (u8, u8) {
        match self {
            Alu::Add => (0x01, 0),
            Alu::Or => (0x09, 1),
            Alu::And => (0x21, 4),
            Alu::Sub => (0x29, 5),
            Alu::Xor => (0x31, 6),
            Alu::Cmp => (0x39, 7),
        }
    }
}

/// Shifts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shift {
    Shl,
    Sar,
    Shr,
}

impl Shift {
    pub const ALL: [Shift; 3] = [Shift::Shl, Shift::Sar, Shift::Shr];

    pub fn name(self) -> &'static str {
        match self {
            Shift::Shl => "shl",
            Shift::Sar => "sar",
            Shift::Shr => "shr",
        }
    }

    /// The ModRM digit (0xD3 by CL, 0xC1 by imm8, 0xD1 by 1).
    fn digit(self) -> u8 {
        match self {
            Shift::Shl => 4,
            Shift::Shr => 5,
            Shift::Sar => 7,
        }
    }
}

/// Condition codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cond {
    O,
    No,
    B,
    Ae,
    E,
    Ne,
    Be,
    A,
    S,
    Ns,
    L,
    Ge,
    Le,
    G,
}

impl Cond {
    pub const ALL: [Cond; 14] = [
        Cond::O,
        Cond::No,
        Cond::B,
        Cond::Ae,
        Cond::E,
        Cond::Ne,
        Cond::Be,
        Cond::A,
        Cond::S,
        Cond::Ns,
        Cond::L,
        Cond::Ge,
        Cond::Le,
        Cond::G,
    ];

    pub fn name(self) -> &'static str {
        [
            "o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "l", "ge", "le", "g",
        ][self as usize]
    }

    pub fn inverse(self) -> Cond {
        Cond::ALL[self as usize ^ 1]
    }

    /// The hardware's condition number (`jcc rel8` is 0x70 + it; P and NP, 10 and 11, are
    /// not used).
    fn code(self) -> u8 {
        let i = self as u8;
        if i < 10 { i } else { i + 2 }
    }
}

/// A jump target inside the function being emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(pub u32);

/// What a relocation refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelocKind {
    /// rel32 of a `call` to another function of the module: target − (field + 4).
    CallRel32(FuncId),
    /// A 64-bit absolute address of a host function (the imm64 of `mov rax, imm64`).
    HostAbs64(HostId),
    /// rel32 of a RIP-relative reference to data item N placed with the code.
    DataRel32(u32),
    /// rel32 of a `call` to a host function placed with the code (ahead of time).
    HostRel32(HostId),
}

/// A field of the code that the loader (or the ELF writer) fills in once addresses are known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reloc {
    /// Offset of the field within the function's code.
    pub offset: u32,
    pub kind: RelocKind,
}

/// The r/m operand of a ModRM instruction.
#[derive(Clone, Copy)]
enum Rm {
    Reg(Gpr),
    Mem(Mem),
    /// `[rip + rel32]`, the field left 0 for a relocation or a fixup.
    Rip,
}

/// REX.W: 64-bit operand size.
const W: u8 = 8;
/// What the reg field and the r/m register hold when they are byte registers (spl, bpl, sil
/// and dil need a REX prefix, even an empty one, to be told from ah, ch, dh and bh).
const BYTE_REG: u8 = 1;
const BYTE_RM: u8 = 2;

/// Emits instructions into a byte buffer. Positions are offsets from the function start
/// (the code is position-independent apart from its relocations).
pub struct Emitter {
    code: Vec<u8>,
    labels: Vec<Option<u32>>,
    /// (offset of a rel32 field, its label)
    fixups: Vec<(u32, Label)>,
    relocs: Vec<Reloc>,
    count: usize,
    /// Register-to-register moves among them.
    moves: usize,
    /// The last instruction, when it is `mov dst, src` between registers with no label
    /// bound after it: (where it ends, dst, src).
    last_move: Option<(u32, Gpr, Gpr)>,
}

impl Default for Emitter {
    fn default() -> Self {
        Self::new()
    }
}

impl Emitter {
    pub fn new() -> Emitter {
        Self::with_capacity(0)
    }

    /// An emitter whose buffers are sized for about `instructions` instructions.
    pub fn with_capacity(instructions: usize) -> Emitter {
        Emitter {
            code: Vec::with_capacity(instructions * 5),
            labels: Vec::with_capacity(instructions / 4),
            fixups: Vec::with_capacity(instructions / 4),
            relocs: Vec::new(),
            count: 0,
            moves: 0,
            last_move: None,
        }
    }

    /// Bytes emitted so far.
    pub fn pos(&self) -> u32 {
        self.code.len() as u32
    }

    /// Machine instructions emitted so far.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Register-to-register moves emitted so far (`mov r, r`: the allocator's leftovers).
    pub fn moves(&self) -> usize {
        self.moves
    }

    /// An instruction with a ModRM byte: `[REX] opcode ModRM [SIB] [disp]` (the
    /// caller appends any immediate). `w` is [`W`] or 0, `reg` the reg field (a register
    /// number or an opcode extension), `bytes` [`BYTE_REG`] | [`BYTE_RM`] for byte registers.
    #[inline]
    fn modrm(&mut self, w: u8, opcode: &[u8], reg: u8, rm: Rm, bytes: u8) {
        let mut buf = [0u8; 16];
        let mut n = 0;
        let (b, x, byte_low) = match rm {
            Rm::Reg(r) => (
                r.num() >> 3,
                0,
                bytes & BYTE_RM != 0 && (4..8).contains(&r.num()),
            ),
            Rm::Mem(m) => (
                m.base.num() >> 3,
                m.index.map_or(0, |i| i.num() >> 3),
                false,
            ),
            Rm::Rip => (0, 0, false),
        };
        let rex = 0x40 | w | (reg >> 3 & 1) << 2 | x << 1 | b;
        if rex != 0x40 || byte_low || (bytes & BYTE_REG != 0 && (4..8).contains(&reg)) {
            buf[n] = rex;
            n += 1;
        }
        for &b in opcode {
            buf[n] = b;
            n += 1;
        }
        let reg = (reg & 7) << 3;
        match rm {
            Rm::Reg(r) => {
                buf[n] = 0xC0 | reg | (r.num() & 7);
                n += 1;
            }
            Rm::Rip => {
                buf[n] = reg | 5;
                n += 5; // rel32 of 0
            }
            Rm::Mem(Mem {
                base,
                index,
                shift,
                disp,
            }) => {
                let low = base.num() & 7;
                // [rbp]/[r13] with mod 00 would mean rip/no base: they take a disp8 of 0.
                let (mode, size) = if disp == 0 && low != 5 {
                    (0x00, 0)
                } else if i8::try_from(disp).is_ok() {
                    (0x40, 1)
                } else {
                    (0x80, 4)
                };
                match index {
                    Some(i) => {
                        debug_assert!(i != Gpr::Rsp, "rsp cannot be an index");
                        // rm 100: a SIB byte follows (the scale, the index, the base).
                        buf[n] = mode | reg | 4;
                        buf[n + 1] = (shift & 3) << 6 | (i.num() & 7) << 3 | low;
                        n += 2;
                    }
                    None => {
                        buf[n] = mode | reg | low;
                        n += 1;
                        if low == 4 {
                            // rsp/r12 as a base need a SIB byte (no index, base rsp/r12).
                            buf[n] = 0x24;
                            n += 1;
                        }
                    }
                }
                // (All four bytes written, `size` of them kept: a copy of a fixed size.)
                buf[n..n + 4].copy_from_slice(&disp.to_le_bytes());
                n += size;
            }
        }
        self.put(&buf, n);
        self.count += 1;
    }

    /// Appends the first `n` bytes of `buf` (at most 16): one copy of a fixed size, where
    /// `extend_from_slice` of a slice whose length is known only at run time calls memcpy
    /// (most instructions are 3–7 bytes).
    #[inline]
    fn put(&mut self, buf: &[u8; 16], n: usize) {
        debug_assert!(n <= 16);
        self.code.reserve(16);
        let len = self.code.len();
        // SAFETY: `reserve` made room for 16 more bytes past `len`; the first `n` of them
        // are written from `buf` before the length covers them.
        unsafe {
            core::ptr::copy_nonoverlapping(buf.as_ptr(), self.code.as_mut_ptr().add(len), 16);
            self.code.set_len(len + n.min(16));
        }
    }

    /// An instruction without ModRM: `[REX.B] opcode + (r & 7)` forms and the fixed ones.
    #[inline]
    fn plain(&mut self, bytes: &[u8]) {
        self.code.extend_from_slice(bytes);
        self.count += 1;
    }

    fn imm8(&mut self, imm: i8) {
        self.code.push(imm as u8);
    }

    fn imm32(&mut self, imm: i32) {
        self.code.extend_from_slice(&imm.to_le_bytes());
    }

    pub fn new_label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() as u32 - 1)
    }

    /// Labels `0..n`, for callers that number their blocks.
    pub fn reserve_labels(&mut self, n: usize) {
        self.labels.resize(self.labels.len().max(n), None);
    }

    pub fn bind(&mut self, l: Label) {
        debug_assert!(self.labels[l.0 as usize].is_none(), "label bound twice");
        self.labels[l.0 as usize] = Some(self.pos());
        // Code may arrive here from elsewhere: the last move no longer says what holds.
        self.last_move = None;
    }

    pub fn is_bound(&self, l: Label) -> bool {
        self.labels[l.0 as usize].is_some()
    }

    // --- moves -------------------------------------------------------------------------

    /// `mov dst, src` — nothing when it would copy a register onto itself or undo the
    /// move just made (`mov a, b; mov b, a`: b already holds a), as a peephole pass would.
    pub fn mov_rr(&mut self, dst: Gpr, src: Gpr) {
        if dst == src || self.last_move == Some((self.pos(), src, dst)) {
            return;
        }
        self.modrm(W, &[0x89], src.num(), Rm::Reg(dst), 0);
        self.moves += 1;
        self.last_move = Some((self.pos(), dst, src));
    }

    /// The shortest `dst = imm`: `mov r32, imm32` (zero-extends), `mov r/m64, simm32`, or
    /// `movabs`.
    pub fn mov_ri(&mut self, dst: Gpr, imm: i64) {
        let r = dst.num();
        if (0..=u32::MAX as i64).contains(&imm) {
            if r >= 8 {
                self.plain(&[0x41, 0xB8 + (r & 7)]);
            } else {
                self.plain(&[0xB8 + r]);
            }
            self.code.extend_from_slice(&(imm as u32).to_le_bytes());
        } else if let Ok(imm) = i32::try_from(imm) {
            self.modrm(W, &[0xC7], 0, Rm::Reg(dst), 0);
            self.imm32(imm);
        } else {
            self.plain(&[0x48 | r >> 3, 0xB8 + (r & 7)]);
            self.code.extend_from_slice(&imm.to_le_bytes());
        }
    }

    pub fn mov_rm(&mut self, dst: Gpr, src: Mem) {
        self.modrm(W, &[0x8B], dst.num(), Rm::Mem(src), 0);
    }

    pub fn mov_mr(&mut self, dst: Mem, src: Gpr) {
        self.modrm(W, &[0x89], src.num(), Rm::Mem(dst), 0);
    }

    pub fn mov_mi(&mut self, dst: Mem, imm: i32) {
        self.modrm(W, &[0xC7], 0, Rm::Mem(dst), 0);
        self.imm32(imm);
    }

    pub fn lea(&mut self, dst: Gpr, src: Mem) {
        self.modrm(W, &[0x8D], dst.num(), Rm::Mem(src), 0);
    }

    // --- arithmetic --------------------------------------------------------------------

    pub fn alu_rr(&mut self, op: Alu, dst: Gpr, src: Gpr) {
        self.modrm(W, &[op.opcode().0], src.num(), Rm::Reg(dst), 0);
    }

    pub fn alu_rm(&mut self, op: Alu, dst: Gpr, src: Mem) {
        self.modrm(W, &[op.opcode().0 + 2], dst.num(), Rm::Mem(src), 0);
    }

    pub fn alu_mr(&mut self, op: Alu, dst: Mem, src: Gpr) {
        self.modrm(W, &[op.opcode().0], src.num(), Rm::Mem(dst), 0);
    }

    pub fn alu_ri(&mut self, op: Alu, dst: Gpr, imm: i32) {
        if dst == Gpr::Rax && i8::try_from(imm).is_err() {
            self.plain(&[0x48, op.opcode().0 + 4]);
            self.imm32(imm);
        } else {
            self.alu_imm(op, Rm::Reg(dst), imm);
        }
    }

    pub fn alu_mi(&mut self, op: Alu, dst: Mem, imm: i32) {
        self.alu_imm(op, Rm::Mem(dst), imm);
    }

    fn alu_imm(&mut self, op: Alu, dst: Rm, imm: i32) {
        let digit = op.opcode().1;
        match i8::try_from(imm) {
            Ok(imm) => {
                self.modrm(W, &[0x83], digit, dst, 0);
                self.imm8(imm);
            }
            Err(_) => {
                self.modrm(W, &[0x81], digit, dst, 0);
                self.imm32(imm);
            }
        }
    }

    pub fn test_rr(&mut self, a: Gpr, b: Gpr) {
        self.modrm(W, &[0x85], b.num(), Rm::Reg(a), 0);
    }

    pub fn test_ri(&mut self, r: Gpr, imm: i32) {
        // rax has a form of its own, one byte shorter (as assemblers pick it).
        if r == Gpr::Rax {
            self.plain(&[0x48, 0xA9]);
        } else {
            self.modrm(W, &[0xF7], 0, Rm::Reg(r), 0);
        }
        self.imm32(imm);
    }

    pub fn imul_rr(&mut self, dst: Gpr, src: Gpr) {
        self.modrm(W, &[0x0F, 0xAF], dst.num(), Rm::Reg(src), 0);
    }

    pub fn imul_rm(&mut self, dst: Gpr, src: Mem) {
        self.modrm(W, &[0x0F, 0xAF], dst.num(), Rm::Mem(src), 0);
    }

    /// `dst = src * imm` (three operands).
    pub fn imul_rri(&mut self, dst: Gpr, src: Gpr, imm: i32) {
        self.imul_imm(dst, Rm::Reg(src), imm);
    }

    pub fn imul_rmi(&mut self, dst: Gpr, src: Mem, imm: i32) {
        self.imul_imm(dst, Rm::Mem(src), imm);
    }

    fn imul_imm(&mut self, dst: Gpr, src: Rm, imm: i32) {
        match i8::try_from(imm) {
            Ok(imm) => {
                self.modrm(W, &[0x6B], dst.num(), src, 0);
                self.imm8(imm);
            }
            Err(_) => {
                self.modrm(W, &[0x69], dst.num(), src, 0);
                self.imm32(imm);
            }
        }
    }

    pub fn neg_r(&mut self, r: Gpr) {
        self.modrm(W, &[0xF7], 3, Rm::Reg(r), 0);
    }

    pub fn not_r(&mut self, r: Gpr) {
        self.modrm(W, &[0xF7], 2, Rm::Reg(r), 0);
    }

    pub fn neg_m(&mut self, m: Mem) {
        self.modrm(W, &[0xF7], 3, Rm::Mem(m), 0);
    }

    pub fn not_m(&mut self, m: Mem) {
        self.modrm(W, &[0xF7], 2, Rm::Mem(m), 0);
    }

    pub fn shift_cl(&mut self, op: Shift, r: Gpr) {
        self.modrm(W, &[0xD3], op.digit(), Rm::Reg(r), 0);
    }

    pub fn shift_ri(&mut self, op: Shift, r: Gpr, count: u8) {
        if count == 1 {
            self.modrm(W, &[0xD1], op.digit(), Rm::Reg(r), 0);
        } else {
            self.modrm(W, &[0xC1], op.digit(), Rm::Reg(r), 0);
            self.code.push(count);
        }
    }

    pub fn cqo(&mut self) {
        self.plain(&[0x48, 0x99]);
    }

    /// Unsigned `rdx:rax / r`.
    pub fn div_r(&mut self, r: Gpr) {
        self.modrm(W, &[0xF7], 6, Rm::Reg(r), 0);
    }

    pub fn idiv_r(&mut self, r: Gpr) {
        self.modrm(W, &[0xF7], 7, Rm::Reg(r), 0);
    }

    /// `rdx:rax = rax * r` (signed, the full 128-bit product).
    pub fn imul_wide_r(&mut self, r: Gpr) {
        self.modrm(W, &[0xF7], 5, Rm::Reg(r), 0);
    }

    pub fn setcc(&mut self, c: Cond, r: Gpr) {
        self.modrm(0, &[0x0F, 0x90 + c.code()], 0, Rm::Reg(r), BYTE_RM);
    }

    pub fn movzx_r8(&mut self, dst: Gpr, src: Gpr) {
        self.modrm(0, &[0x0F, 0xB6], dst.num(), Rm::Reg(src), BYTE_RM);
    }

    pub fn cmov_rr(&mut self, c: Cond, dst: Gpr, src: Gpr) {
        self.modrm(W, &[0x0F, 0x40 + c.code()], dst.num(), Rm::Reg(src), 0);
    }

    pub fn cmov_rm(&mut self, c: Cond, dst: Gpr, src: Mem) {
        self.modrm(W, &[0x0F, 0x40 + c.code()], dst.num(), Rm::Mem(src), 0);
    }

    /// `xor r32, r32`: zero a register (clobbers flags).
    pub fn zero(&mut self, r: Gpr) {
        self.modrm(0, &[0x31], r.num(), Rm::Reg(r), 0);
    }

    // --- stack and control flow --------------------------------------------------------

    pub fn push_r(&mut self, r: Gpr) {
        self.short_reg(0x50, r);
    }

    pub fn push_m(&mut self, m: Mem) {
        self.modrm(0, &[0xFF], 6, Rm::Mem(m), 0);
    }

    /// `jmp r` (indirect).
    pub fn jmp_r(&mut self, r: Gpr) {
        self.modrm(0, &[0xFF], 4, Rm::Reg(r), 0);
    }

    pub fn pop_r(&mut self, r: Gpr) {
        self.short_reg(0x58, r);
    }

    /// `opcode + r` (REX.B for r8–r15).
    fn short_reg(&mut self, opcode: u8, r: Gpr) {
        let r = r.num();
        if r >= 8 {
            self.plain(&[0x41, opcode + (r & 7)]);
        } else {
            self.plain(&[opcode + r]);
        }
    }

    pub fn ret(&mut self) {
        self.plain(&[0xC3]);
    }

    /// Pads with the recommended multi-byte NOPs up to a multiple of `align` (loop heads).
    pub fn align(&mut self, align: u32) {
        // Intel SDM's recommended NOP sequences, 1 to 8 bytes.
        const NOPS: [&[u8]; 9] = [
            &[],
            &[0x90],
            &[0x66, 0x90],
            &[0x0f, 0x1f, 0x00],
            &[0x0f, 0x1f, 0x40, 0x00],
            &[0x0f, 0x1f, 0x44, 0x00, 0x00],
            &[0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
            &[0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
            &[0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
        ];
        let len = self.pos();
        let mut pad = (len.next_multiple_of(align) - len) as usize;
        while pad > 0 {
            let n = pad.min(8);
            self.code.extend_from_slice(NOPS[n]);
            pad -= n;
        }
    }

    pub fn int3(&mut self) {
        self.plain(&[0xCC]);
    }

    /// A jump (`short` its rel8 opcode, `near` its rel32 one) to `l`: the 2-byte form for
    /// a known target within reach, else rel32 (patched in finish() if `l` is not bound yet).
    fn branch(&mut self, short: Option<u8>, near: &[u8], l: Label) {
        let target = self.labels[l.0 as usize];
        let here = self.pos() as i64;
        if let (Some(t), Some(op)) = (target, short)
            && let Ok(rel) = i8::try_from(t as i64 - (here + 2))
        {
            self.plain(&[op, rel as u8]);
            return;
        }
        self.plain(near);
        let field = self.pos();
        let rel = target.map_or(0, |t| t as i64 - (field as i64 + 4));
        self.imm32(rel as i32);
        if target.is_none() {
            self.fixups.push((field, l));
        }
    }

    pub fn jmp(&mut self, l: Label) {
        self.branch(Some(0xEB), &[0xE9], l);
    }

    pub fn jcc(&mut self, c: Cond, l: Label) {
        self.branch(Some(0x70 + c.code()), &[0x0F, 0x80 + c.code()], l);
    }

    /// `call rel32` with its field 0, for a relocation.
    fn call_rel32(&mut self, kind: RelocKind) {
        self.plain(&[0xE8]);
        self.relocs.push(Reloc {
            offset: self.pos(),
            kind,
        });
        self.imm32(0);
    }

    /// `call rel32` to another function of the module (relocated at load time).
    pub fn call_func(&mut self, f: FuncId) {
        self.call_rel32(RelocKind::CallRel32(f));
    }

    /// `mov rax, imm64; call rax` to a host function (the imm64 relocated at load time).
    pub fn call_host(&mut self, h: HostId) {
        self.plain(&[0x48, 0xB8]);
        self.relocs.push(Reloc {
            offset: self.pos(),
            kind: RelocKind::HostAbs64(h),
        });
        self.code.extend_from_slice(&[0; 8]);
        self.plain(&[0xFF, 0xD0]);
    }

    /// `call rel32` to a label of this emitter.
    pub fn call_label(&mut self, l: Label) {
        self.branch(None, &[0xE8], l);
    }

    /// `syscall` (rax = number, rdi/rsi/rdx/r10/r8/r9 = arguments; clobbers rcx and r11).
    pub fn syscall(&mut self) {
        self.plain(&[0x0F, 0x05]);
    }

    /// `rep movsb`: copies rcx bytes from `[rsi]` to `[rdi]`.
    pub fn rep_movsb(&mut self) {
        self.plain(&[0xF3, 0xA4]);
    }

    /// Stores the low byte of `src` at `dst`.
    pub fn mov_m8r(&mut self, dst: Mem, src: Gpr) {
        self.modrm(0, &[0x88], src.num(), Rm::Mem(dst), BYTE_REG);
    }

    /// Stores the byte `imm`.
    pub fn mov_m8i(&mut self, dst: Mem, imm: u8) {
        self.modrm(0, &[0xC6], 0, Rm::Mem(dst), 0);
        self.code.push(imm);
    }

    /// Compares the byte at `m` with `imm`.
    pub fn cmp_m8i(&mut self, m: Mem, imm: u8) {
        self.modrm(0, &[0x80], 7, Rm::Mem(m), 0);
        self.code.push(imm);
    }

    /// Stores the 32-bit `imm`.
    pub fn mov_m32i(&mut self, dst: Mem, imm: u32) {
        self.modrm(0, &[0xC7], 0, Rm::Mem(dst), 0);
        self.code.extend_from_slice(&imm.to_le_bytes());
    }

    /// Stores the low 32 bits of `src`.
    pub fn mov_m32r(&mut self, dst: Mem, src: Gpr) {
        self.modrm(0, &[0x89], src.num(), Rm::Mem(dst), 0);
    }

    /// Loads a byte from `src`, zero-extended.
    pub fn movzx_rm8(&mut self, dst: Gpr, src: Mem) {
        self.modrm(0, &[0x0F, 0xB6], dst.num(), Rm::Mem(src), 0);
    }

    /// Loads a zero-extended 32-bit value from `src`.
    pub fn mov_rm32(&mut self, dst: Gpr, src: Mem) {
        self.modrm(0, &[0x8B], dst.num(), Rm::Mem(src), 0);
    }

    /// `lea dst, [rip + data item N]` (a [`RelocKind::DataRel32`] relocation).
    pub fn lea_data(&mut self, dst: Gpr, item: u32) {
        self.modrm(W, &[0x8D], dst.num(), Rm::Rip, 0);
        self.relocs.push(Reloc {
            offset: self.pos() - 4,
            kind: RelocKind::DataRel32(item),
        });
    }

    /// `lea dst, [rip + label]`: the address of a label of this emitter.
    pub fn lea_label(&mut self, dst: Gpr, l: Label) {
        self.modrm(W, &[0x8D], dst.num(), Rm::Rip, 0);
        self.fixups.push((self.pos() - 4, l));
    }

    /// `call rel32` to a host function placed with the code (relocated at write time).
    pub fn call_host_near(&mut self, h: HostId) {
        self.call_rel32(RelocKind::HostRel32(h));
    }

    /// `jmp rel32` to a host function placed with the code (a tail jump).
    pub fn jmp_host_near(&mut self, h: HostId) {
        self.plain(&[0xE9]);
        self.relocs.push(Reloc {
            offset: self.pos(),
            kind: RelocKind::HostRel32(h),
        });
        self.imm32(0);
    }

    /// `mov r11, imm64; jmp r11` to a host function (the imm64 relocated at load time;
    /// rax is left as it is).
    pub fn jmp_host(&mut self, h: HostId) {
        self.plain(&[0x49, 0xBB]);
        self.relocs.push(Reloc {
            offset: self.pos(),
            kind: RelocKind::HostAbs64(h),
        });
        self.code.extend_from_slice(&[0; 8]);
        self.plain(&[0x41, 0xFF, 0xE3]);
    }

    /// Where label `l` was bound, if it was.
    pub fn label_offset(&self, l: Label) -> Option<u32> {
        self.labels[l.0 as usize]
    }

    /// The code, with every label-relative branch patched, and the relocations.
    pub fn finish(mut self) -> Result<(Vec<u8>, Vec<Reloc>), Error> {
        let mut code = core::mem::take(&mut self.code);
        for (at, l) in core::mem::take(&mut self.fixups) {
            let target = self.labels[l.0 as usize].ok_or_else(|| {
                Error::new("", "internal: a jump to a label that was never bound")
            })?;
            let rel = target as i64 - (at as i64 + 4);
            code[at as usize..at as usize + 4].copy_from_slice(&(rel as i32).to_le_bytes());
        }
        Ok((code, self.relocs))
    }
}

/// Pads `code` with int3 to a multiple of `align`.
pub fn pad_with_int3(code: &mut Vec<u8>, align: usize) {
    let n = code.len().next_multiple_of(align) - code.len();
    code.extend(vec![0xCC; n]);
}
