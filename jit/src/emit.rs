//! x86-64 instruction emission on iced-x86's raw `Encoder` (≈50 ns an instruction; the
//! block encoder's ≈230 ns would break the compile-speed budget).
//!
//! One method per instruction form. Where x86 has a shorter encoding (imm8 ALU forms, the
//! RAX short forms, `mov r32, imm32` for small unsigned constants, shift by 1) the method
//! picks it, as an assembler would: `tests/emit_golden.rs` compares every form, over the
//! register and immediate matrix, with GNU as. Branches are always rel32 and patched when
//! their label is bound; calls to other functions and host addresses leave relocations.

use crate::error::Error;
use crate::ir::{FuncId, HostId};
use alloc::vec;
use alloc::vec::Vec;
use iced_x86::{Code, Encoder, Instruction, MemoryOperand, Register};

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

    pub fn r64(self) -> Register {
        const R: [Register; 16] = [
            Register::RAX,
            Register::RCX,
            Register::RDX,
            Register::RBX,
            Register::RSP,
            Register::RBP,
            Register::RSI,
            Register::RDI,
            Register::R8,
            Register::R9,
            Register::R10,
            Register::R11,
            Register::R12,
            Register::R13,
            Register::R14,
            Register::R15,
        ];
        R[self as usize]
    }

    pub fn r32(self) -> Register {
        const R: [Register; 16] = [
            Register::EAX,
            Register::ECX,
            Register::EDX,
            Register::EBX,
            Register::ESP,
            Register::EBP,
            Register::ESI,
            Register::EDI,
            Register::R8D,
            Register::R9D,
            Register::R10D,
            Register::R11D,
            Register::R12D,
            Register::R13D,
            Register::R14D,
            Register::R15D,
        ];
        R[self as usize]
    }

    pub fn r8(self) -> Register {
        const R: [Register; 16] = [
            Register::AL,
            Register::CL,
            Register::DL,
            Register::BL,
            Register::SPL,
            Register::BPL,
            Register::SIL,
            Register::DIL,
            Register::R8L,
            Register::R9L,
            Register::R10L,
            Register::R11L,
            Register::R12L,
            Register::R13L,
            Register::R14L,
            Register::R15L,
        ];
        R[self as usize]
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

/// A memory operand `[base + disp]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mem {
    pub base: Gpr,
    pub disp: i32,
}

impl Mem {
    fn operand(self) -> MemoryOperand {
        // No displacement byte for [base+0] (rbp and r13 still need one: the encoder adds it).
        let size = if self.disp == 0 { 0 } else { 1 };
        MemoryOperand::with_base_displ_size(self.base.r64(), self.disp as i64, size)
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

    /// (r/m ← r, r ← r/m, r/m ← imm8, r/m ← imm32, RAX ← imm32)
    fn codes(self) -> [Code; 5] {
        match self {
            Alu::Add => [
                Code::Add_rm64_r64,
                Code::Add_r64_rm64,
                Code::Add_rm64_imm8,
                Code::Add_rm64_imm32,
                Code::Add_RAX_imm32,
            ],
            Alu::Or => [
                Code::Or_rm64_r64,
                Code::Or_r64_rm64,
                Code::Or_rm64_imm8,
                Code::Or_rm64_imm32,
                Code::Or_RAX_imm32,
            ],
            Alu::And => [
                Code::And_rm64_r64,
                Code::And_r64_rm64,
                Code::And_rm64_imm8,
                Code::And_rm64_imm32,
                Code::And_RAX_imm32,
            ],
            Alu::Sub => [
                Code::Sub_rm64_r64,
                Code::Sub_r64_rm64,
                Code::Sub_rm64_imm8,
                Code::Sub_rm64_imm32,
                Code::Sub_RAX_imm32,
            ],
            Alu::Xor => [
                Code::Xor_rm64_r64,
                Code::Xor_r64_rm64,
                Code::Xor_rm64_imm8,
                Code::Xor_rm64_imm32,
                Code::Xor_RAX_imm32,
            ],
            Alu::Cmp => [
                Code::Cmp_rm64_r64,
                Code::Cmp_r64_rm64,
                Code::Cmp_rm64_imm8,
                Code::Cmp_rm64_imm32,
                Code::Cmp_RAX_imm32,
            ],
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

    /// (by CL, by imm8, by 1)
    fn codes(self) -> [Code; 3] {
        match self {
            Shift::Shl => [Code::Shl_rm64_CL, Code::Shl_rm64_imm8, Code::Shl_rm64_1],
            Shift::Sar => [Code::Sar_rm64_CL, Code::Sar_rm64_imm8, Code::Sar_rm64_1],
            Shift::Shr => [Code::Shr_rm64_CL, Code::Shr_rm64_imm8, Code::Shr_rm64_1],
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

    /// (jcc rel32, setcc r/m8, cmovcc r64, r/m64)
    fn codes(self) -> [Code; 3] {
        match self {
            Cond::O => [Code::Jo_rel32_64, Code::Seto_rm8, Code::Cmovo_r64_rm64],
            Cond::No => [Code::Jno_rel32_64, Code::Setno_rm8, Code::Cmovno_r64_rm64],
            Cond::B => [Code::Jb_rel32_64, Code::Setb_rm8, Code::Cmovb_r64_rm64],
            Cond::Ae => [Code::Jae_rel32_64, Code::Setae_rm8, Code::Cmovae_r64_rm64],
            Cond::E => [Code::Je_rel32_64, Code::Sete_rm8, Code::Cmove_r64_rm64],
            Cond::Ne => [Code::Jne_rel32_64, Code::Setne_rm8, Code::Cmovne_r64_rm64],
            Cond::Be => [Code::Jbe_rel32_64, Code::Setbe_rm8, Code::Cmovbe_r64_rm64],
            Cond::A => [Code::Ja_rel32_64, Code::Seta_rm8, Code::Cmova_r64_rm64],
            Cond::S => [Code::Js_rel32_64, Code::Sets_rm8, Code::Cmovs_r64_rm64],
            Cond::Ns => [Code::Jns_rel32_64, Code::Setns_rm8, Code::Cmovns_r64_rm64],
            Cond::L => [Code::Jl_rel32_64, Code::Setl_rm8, Code::Cmovl_r64_rm64],
            Cond::Ge => [Code::Jge_rel32_64, Code::Setge_rm8, Code::Cmovge_r64_rm64],
            Cond::Le => [Code::Jle_rel32_64, Code::Setle_rm8, Code::Cmovle_r64_rm64],
            Cond::G => [Code::Jg_rel32_64, Code::Setg_rm8, Code::Cmovg_r64_rm64],
        }
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

/// Emits instructions into a byte buffer. Positions are offsets from the function start
/// (the code is position-independent apart from its relocations).
pub struct Emitter {
    enc: Encoder,
    labels: Vec<Option<u32>>,
    /// (offset of a rel32 field, its label)
    fixups: Vec<(u32, Label)>,
    relocs: Vec<Reloc>,
    count: usize,
    len: u32,
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
        let mut enc = Encoder::new(64);
        enc.set_buffer(Vec::with_capacity(instructions * 5));
        Emitter {
            enc,
            labels: Vec::with_capacity(instructions / 4),
            fixups: Vec::with_capacity(instructions / 4),
            relocs: Vec::new(),
            count: 0,
            len: 0,
        }
    }

    /// Bytes emitted so far.
    pub fn pos(&self) -> u32 {
        self.len
    }

    /// Machine instructions emitted so far.
    pub fn count(&self) -> usize {
        self.count
    }

    fn emit(&mut self, i: Result<Instruction, iced_x86::IcedError>) {
        // The forms below are all valid in 64-bit mode; a failure is a bug here, not bad IR.
        let i = i.expect("a valid instruction form");
        let pos = self.pos() as u64;
        self.len += self.enc.encode(&i, pos).expect("encodable instruction") as u32;
        self.count += 1;
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
    }

    pub fn is_bound(&self, l: Label) -> bool {
        self.labels[l.0 as usize].is_some()
    }

    // --- moves -------------------------------------------------------------------------

    pub fn mov_rr(&mut self, dst: Gpr, src: Gpr) {
        self.emit(Instruction::with2(Code::Mov_rm64_r64, dst.r64(), src.r64()));
    }

    /// The shortest `dst = imm`: `mov r32, imm32` (zero-extends), `mov r/m64, simm32`, or
    /// `movabs`.
    pub fn mov_ri(&mut self, dst: Gpr, imm: i64) {
        if (0..=u32::MAX as i64).contains(&imm) {
            self.emit(Instruction::with2(
                Code::Mov_r32_imm32,
                dst.r32(),
                imm as u32,
            ));
        } else if i32::try_from(imm).is_ok() {
            self.emit(Instruction::with2(
                Code::Mov_rm64_imm32,
                dst.r64(),
                imm as i32,
            ));
        } else {
            self.emit(Instruction::with2(
                Code::Mov_r64_imm64,
                dst.r64(),
                imm as u64,
            ));
        }
    }

    pub fn mov_rm(&mut self, dst: Gpr, src: Mem) {
        self.emit(Instruction::with2(
            Code::Mov_r64_rm64,
            dst.r64(),
            src.operand(),
        ));
    }

    pub fn mov_mr(&mut self, dst: Mem, src: Gpr) {
        self.emit(Instruction::with2(
            Code::Mov_rm64_r64,
            dst.operand(),
            src.r64(),
        ));
    }

    pub fn mov_mi(&mut self, dst: Mem, imm: i32) {
        self.emit(Instruction::with2(Code::Mov_rm64_imm32, dst.operand(), imm));
    }

    pub fn lea(&mut self, dst: Gpr, src: Mem) {
        self.emit(Instruction::with2(
            Code::Lea_r64_m,
            dst.r64(),
            src.operand(),
        ));
    }

    // --- arithmetic --------------------------------------------------------------------

    pub fn alu_rr(&mut self, op: Alu, dst: Gpr, src: Gpr) {
        self.emit(Instruction::with2(op.codes()[0], dst.r64(), src.r64()));
    }

    pub fn alu_rm(&mut self, op: Alu, dst: Gpr, src: Mem) {
        self.emit(Instruction::with2(op.codes()[1], dst.r64(), src.operand()));
    }

    pub fn alu_mr(&mut self, op: Alu, dst: Mem, src: Gpr) {
        self.emit(Instruction::with2(op.codes()[0], dst.operand(), src.r64()));
    }

    pub fn alu_ri(&mut self, op: Alu, dst: Gpr, imm: i32) {
        let c = op.codes();
        if i8::try_from(imm).is_ok() {
            self.emit(Instruction::with2(c[2], dst.r64(), imm));
        } else if dst == Gpr::Rax {
            self.emit(Instruction::with2(c[4], Register::RAX, imm));
        } else {
            self.emit(Instruction::with2(c[3], dst.r64(), imm));
        }
    }

    pub fn alu_mi(&mut self, op: Alu, dst: Mem, imm: i32) {
        let c = op.codes();
        let code = if i8::try_from(imm).is_ok() {
            c[2]
        } else {
            c[3]
        };
        self.emit(Instruction::with2(code, dst.operand(), imm));
    }

    pub fn test_rr(&mut self, a: Gpr, b: Gpr) {
        self.emit(Instruction::with2(Code::Test_rm64_r64, a.r64(), b.r64()));
    }

    pub fn test_ri(&mut self, r: Gpr, imm: i32) {
        // rax has a form of its own, one byte shorter (as assemblers pick it).
        let code = if r == Gpr::Rax {
            Code::Test_RAX_imm32
        } else {
            Code::Test_rm64_imm32
        };
        self.emit(Instruction::with2(code, r.r64(), imm));
    }

    pub fn imul_rr(&mut self, dst: Gpr, src: Gpr) {
        self.emit(Instruction::with2(
            Code::Imul_r64_rm64,
            dst.r64(),
            src.r64(),
        ));
    }

    pub fn imul_rm(&mut self, dst: Gpr, src: Mem) {
        self.emit(Instruction::with2(
            Code::Imul_r64_rm64,
            dst.r64(),
            src.operand(),
        ));
    }

    /// `dst = src * imm` (three operands).
    pub fn imul_rri(&mut self, dst: Gpr, src: Gpr, imm: i32) {
        let code = if i8::try_from(imm).is_ok() {
            Code::Imul_r64_rm64_imm8
        } else {
            Code::Imul_r64_rm64_imm32
        };
        self.emit(Instruction::with3(code, dst.r64(), src.r64(), imm));
    }

    pub fn imul_rmi(&mut self, dst: Gpr, src: Mem, imm: i32) {
        let code = if i8::try_from(imm).is_ok() {
            Code::Imul_r64_rm64_imm8
        } else {
            Code::Imul_r64_rm64_imm32
        };
        self.emit(Instruction::with3(code, dst.r64(), src.operand(), imm));
    }

    pub fn neg_r(&mut self, r: Gpr) {
        self.emit(Instruction::with1(Code::Neg_rm64, r.r64()));
    }

    pub fn not_r(&mut self, r: Gpr) {
        self.emit(Instruction::with1(Code::Not_rm64, r.r64()));
    }

    pub fn neg_m(&mut self, m: Mem) {
        self.emit(Instruction::with1(Code::Neg_rm64, m.operand()));
    }

    pub fn not_m(&mut self, m: Mem) {
        self.emit(Instruction::with1(Code::Not_rm64, m.operand()));
    }

    pub fn shift_cl(&mut self, op: Shift, r: Gpr) {
        self.emit(Instruction::with2(op.codes()[0], r.r64(), Register::CL));
    }

    pub fn shift_ri(&mut self, op: Shift, r: Gpr, count: u8) {
        if count == 1 {
            self.emit(Instruction::with2(op.codes()[2], r.r64(), 1u32));
        } else {
            self.emit(Instruction::with2(op.codes()[1], r.r64(), count as u32));
        }
    }

    pub fn cqo(&mut self) {
        self.emit(Ok(Instruction::with(Code::Cqo)));
    }

    /// Unsigned `rdx:rax / r`.
    pub fn div_r(&mut self, r: Gpr) {
        self.emit(Instruction::with1(Code::Div_rm64, r.r64()));
    }

    pub fn idiv_r(&mut self, r: Gpr) {
        self.emit(Instruction::with1(Code::Idiv_rm64, r.r64()));
    }

    /// `rdx:rax = rax * r` (signed, the full 128-bit product).
    pub fn imul_wide_r(&mut self, r: Gpr) {
        self.emit(Instruction::with1(Code::Imul_rm64, r.r64()));
    }

    pub fn setcc(&mut self, c: Cond, r: Gpr) {
        self.emit(Instruction::with1(c.codes()[1], r.r8()));
    }

    pub fn movzx_r8(&mut self, dst: Gpr, src: Gpr) {
        self.emit(Instruction::with2(Code::Movzx_r32_rm8, dst.r32(), src.r8()));
    }

    pub fn cmov_rr(&mut self, c: Cond, dst: Gpr, src: Gpr) {
        self.emit(Instruction::with2(c.codes()[2], dst.r64(), src.r64()));
    }

    pub fn cmov_rm(&mut self, c: Cond, dst: Gpr, src: Mem) {
        self.emit(Instruction::with2(c.codes()[2], dst.r64(), src.operand()));
    }

    /// `xor r32, r32`: zero a register (clobbers flags).
    pub fn zero(&mut self, r: Gpr) {
        self.emit(Instruction::with2(Code::Xor_rm32_r32, r.r32(), r.r32()));
    }

    // --- stack and control flow --------------------------------------------------------

    pub fn push_r(&mut self, r: Gpr) {
        self.emit(Instruction::with1(Code::Push_r64, r.r64()));
    }

    pub fn push_m(&mut self, m: Mem) {
        self.emit(Instruction::with1(Code::Push_rm64, m.operand()));
    }

    pub fn pop_r(&mut self, r: Gpr) {
        self.emit(Instruction::with1(Code::Pop_r64, r.r64()));
    }

    pub fn ret(&mut self) {
        self.emit(Ok(Instruction::with(Code::Retnq)));
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
        let mut pad = (self.len.next_multiple_of(align) - self.len) as usize;
        while pad > 0 {
            let n = pad.min(8);
            let mut buf = self.enc.take_buffer();
            buf.extend_from_slice(NOPS[n]);
            self.enc.set_buffer(buf);
            self.len += n as u32;
            pad -= n;
        }
    }

    pub fn int3(&mut self) {
        self.emit(Ok(Instruction::with(Code::Int3)));
    }

    fn branch(&mut self, code: Code, l: Label) {
        let target = self.labels[l.0 as usize];
        let here = self.pos() as u64;
        // A known (backward) target within reach of a rel8 gets the 2-byte form.
        if let Some(t) = target
            && code != Code::Call_rel32_64
            && i8::try_from(t as i64 - (here as i64 + 2)).is_ok()
        {
            self.emit(Instruction::with_branch(code.as_short_branch(), t as u64));
            return;
        }
        // Unknown targets encode as a jump to the next instruction and are patched in finish().
        self.emit(Instruction::with_branch(
            code,
            target.map_or(here, |t| t as u64),
        ));
        if target.is_none() {
            self.fixups.push((self.pos() - 4, l));
        }
    }

    pub fn jmp(&mut self, l: Label) {
        self.branch(Code::Jmp_rel32_64, l);
    }

    pub fn jcc(&mut self, c: Cond, l: Label) {
        self.branch(c.codes()[0], l);
    }

    /// `call rel32` to another function of the module (relocated at load time).
    pub fn call_func(&mut self, f: FuncId) {
        let here = self.pos() as u64;
        self.emit(Instruction::with_branch(Code::Call_rel32_64, here));
        self.relocs.push(Reloc {
            offset: self.pos() - 4,
            kind: RelocKind::CallRel32(f),
        });
    }

    /// `mov rax, imm64; call rax` to a host function (the imm64 relocated at load time).
    pub fn call_host(&mut self, h: HostId) {
        self.emit(Instruction::with2(Code::Mov_r64_imm64, Register::RAX, 0u64));
        self.relocs.push(Reloc {
            offset: self.pos() - 8,
            kind: RelocKind::HostAbs64(h),
        });
        self.emit(Instruction::with1(Code::Call_rm64, Register::RAX));
    }

    /// `call rel32` to a label of this emitter.
    pub fn call_label(&mut self, l: Label) {
        self.branch(Code::Call_rel32_64, l);
    }

    /// `syscall` (rax = number, rdi/rsi/rdx/r10/r8/r9 = arguments; clobbers rcx and r11).
    pub fn syscall(&mut self) {
        self.emit(Ok(Instruction::with(Code::Syscall)));
    }

    /// `rep movsb`: copies rcx bytes from `[rsi]` to `[rdi]`.
    pub fn rep_movsb(&mut self) {
        self.emit(Instruction::with_rep_movsb(64));
    }

    /// Stores the low byte of `src` at `dst`.
    pub fn mov_m8r(&mut self, dst: Mem, src: Gpr) {
        self.emit(Instruction::with2(
            Code::Mov_rm8_r8,
            dst.operand(),
            src.r8(),
        ));
    }

    /// Stores the byte `imm`.
    pub fn mov_m8i(&mut self, dst: Mem, imm: u8) {
        self.emit(Instruction::with2(
            Code::Mov_rm8_imm8,
            dst.operand(),
            u32::from(imm),
        ));
    }

    /// Stores the 32-bit `imm`.
    pub fn mov_m32i(&mut self, dst: Mem, imm: u32) {
        self.emit(Instruction::with2(Code::Mov_rm32_imm32, dst.operand(), imm));
    }

    /// Stores the low 32 bits of `src`.
    pub fn mov_m32r(&mut self, dst: Mem, src: Gpr) {
        self.emit(Instruction::with2(
            Code::Mov_rm32_r32,
            dst.operand(),
            src.r32(),
        ));
    }

    /// Loads a byte from `src`, zero-extended.
    pub fn movzx_rm8(&mut self, dst: Gpr, src: Mem) {
        self.emit(Instruction::with2(
            Code::Movzx_r32_rm8,
            dst.r32(),
            src.operand(),
        ));
    }

    /// Loads a zero-extended 32-bit value from `src`.
    pub fn mov_rm32(&mut self, dst: Gpr, src: Mem) {
        self.emit(Instruction::with2(
            Code::Mov_r32_rm32,
            dst.r32(),
            src.operand(),
        ));
    }

    /// `lea dst, [rip + data item N]` (a [`RelocKind::DataRel32`] relocation).
    pub fn lea_data(&mut self, dst: Gpr, item: u32) {
        let here = self.pos() as u64;
        // Encoded against a placeholder target; the rel32 field is overwritten on placement.
        let m = MemoryOperand::with_base_displ(Register::RIP, here as i64 + 7);
        self.emit(Instruction::with2(Code::Lea_r64_m, dst.r64(), m));
        self.relocs.push(Reloc {
            offset: self.pos() - 4,
            kind: RelocKind::DataRel32(item),
        });
    }

    /// `lea dst, [rip + label]`: the address of a label of this emitter.
    pub fn lea_label(&mut self, dst: Gpr, l: Label) {
        let here = self.pos() as u64;
        let m = MemoryOperand::with_base_displ(Register::RIP, here as i64 + 7);
        self.emit(Instruction::with2(Code::Lea_r64_m, dst.r64(), m));
        self.fixups.push((self.pos() - 4, l));
    }

    /// `call rel32` to a host function placed with the code (relocated at write time).
    pub fn call_host_near(&mut self, h: HostId) {
        let here = self.pos() as u64;
        self.emit(Instruction::with_branch(Code::Call_rel32_64, here));
        self.relocs.push(Reloc {
            offset: self.pos() - 4,
            kind: RelocKind::HostRel32(h),
        });
    }

    /// The code, with every label-relative branch patched, and the relocations.
    pub fn finish(mut self) -> Result<(Vec<u8>, Vec<Reloc>), Error> {
        let mut code = self.enc.take_buffer();
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
