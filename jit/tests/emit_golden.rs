//! Golden bytes for every instruction form the backend emits, over the register matrix
//! (rax–rdi, r8–r15) and the immediate and displacement edges (0, imm8, imm32, imm64), in the
//! spirit of Cranelift's emit tests. The oracles are GNU as — each form's Intel-syntax text
//! is assembled and must produce exactly the bytes the emitter wrote — and iced-x86's
//! decoder, which must read each form back as one instruction of that mnemonic.

use jit::emit::*;
use std::fmt::Write as _;
use std::process::Command;

const IMMS: [i64; 13] = [
    0,
    1,
    -1,
    127,
    128,
    -128,
    -129,
    i32::MAX as i64,
    i32::MIN as i64,
    u32::MAX as i64,
    1 << 32,
    i64::MAX,
    i64::MIN,
];
const IMM32: [i32; 9] = [0, 1, -1, 127, -128, 128, -129, i32::MAX, i32::MIN];
const DISPS: [i32; 9] = [0, 8, -8, 127, -128, 128, -129, i32::MAX, i32::MIN];
const BASES: [Gpr; 6] = [Gpr::Rbp, Gpr::Rsp, Gpr::R12, Gpr::R13, Gpr::Rax, Gpr::R11];

fn regs() -> impl Iterator<Item = Gpr> {
    Gpr::ALL.into_iter()
}

fn mem_text(m: Mem) -> String {
    format!("qword ptr [{}{:+}]", m.base.name(), m.disp)
}

/// One case: assembly text and the emitter call that should produce its bytes.
type Case = (String, Box<dyn Fn(&mut Emitter)>);

fn cases() -> Vec<Case> {
    let mut v: Vec<Case> = Vec::new();
    let mems: Vec<Mem> = BASES
        .iter()
        .flat_map(|&base| DISPS.iter().map(move |&disp| Mem::at(base, disp)))
        .collect();
    for d in regs() {
        for s in regs() {
            if d != s {
                v.push((
                    format!("mov {}, {}", d.name(), s.name()),
                    Box::new(move |e| e.mov_rr(d, s)),
                ));
            }
            for op in Alu::ALL {
                v.push((
                    format!("{} {}, {}", op.name(), d.name(), s.name()),
                    Box::new(move |e| e.alu_rr(op, d, s)),
                ));
            }
            v.push((
                format!("test {}, {}", d.name(), s.name()),
                Box::new(move |e| e.test_rr(d, s)),
            ));
            v.push((
                format!("imul {}, {}", d.name(), s.name()),
                Box::new(move |e| e.imul_rr(d, s)),
            ));
            v.push((
                format!("movzx {}, {}", d.name32(), s.name8()),
                Box::new(move |e| e.movzx_r8(d, s)),
            ));
            for c in [Cond::E, Cond::Ne, Cond::L, Cond::A] {
                v.push((
                    format!("cmov{} {}, {}", c.name(), d.name(), s.name()),
                    Box::new(move |e| e.cmov_rr(c, d, s)),
                ));
            }
            for imm in [3, -100, 100_000] {
                v.push((
                    format!("imul {}, {}, {imm}", d.name(), s.name()),
                    Box::new(move |e| e.imul_rri(d, s, imm)),
                ));
            }
        }
        for imm in IMMS {
            let text = if (0..=u32::MAX as i64).contains(&imm) {
                format!("mov {}, {imm}", d.name32())
            } else if i32::try_from(imm).is_ok() {
                format!("mov {}, {imm}", d.name())
            } else {
                format!("movabs {}, {imm}", d.name())
            };
            v.push((text, Box::new(move |e| e.mov_ri(d, imm))));
        }
        for op in Alu::ALL {
            for imm in IMM32 {
                v.push((
                    format!("{} {}, {imm}", op.name(), d.name()),
                    Box::new(move |e| e.alu_ri(op, d, imm)),
                ));
            }
        }
        for imm in IMM32 {
            v.push((
                format!("test {}, {imm}", d.name()),
                Box::new(move |e| e.test_ri(d, imm)),
            ));
        }
        for sh in Shift::ALL {
            v.push((
                format!("{} {}, cl", sh.name(), d.name()),
                Box::new(move |e| e.shift_cl(sh, d)),
            ));
            for c in [1u8, 2, 63] {
                v.push((
                    format!("{} {}, {c}", sh.name(), d.name()),
                    Box::new(move |e| e.shift_ri(sh, d, c)),
                ));
            }
        }
        for c in Cond::ALL {
            v.push((
                format!("set{} {}", c.name(), d.name8()),
                Box::new(move |e| e.setcc(c, d)),
            ));
        }
        v.push((format!("neg {}", d.name()), Box::new(move |e| e.neg_r(d))));
        v.push((format!("not {}", d.name()), Box::new(move |e| e.not_r(d))));
        v.push((format!("idiv {}", d.name()), Box::new(move |e| e.idiv_r(d))));
        v.push((
            format!("imul {}", d.name()),
            Box::new(move |e| e.imul_wide_r(d)),
        ));
        v.push((format!("push {}", d.name()), Box::new(move |e| e.push_r(d))));
        v.push((format!("pop {}", d.name()), Box::new(move |e| e.pop_r(d))));
        v.push((
            format!("xor {0}, {0}", d.name32()),
            Box::new(move |e| e.zero(d)),
        ));
        for &m in &mems {
            let mt = mem_text(m);
            v.push((
                format!("mov {}, {mt}", d.name()),
                Box::new(move |e| e.mov_rm(d, m)),
            ));
            v.push((
                format!("mov {mt}, {}", d.name()),
                Box::new(move |e| e.mov_mr(m, d)),
            ));
            v.push((
                format!("lea {}, [{}{:+}]", d.name(), m.base.name(), m.disp),
                Box::new(move |e| e.lea(d, m)),
            ));
            v.push((
                format!("imul {}, {mt}", d.name()),
                Box::new(move |e| e.imul_rm(d, m)),
            ));
            v.push((
                format!("imul {}, {mt}, 1000", d.name()),
                Box::new(move |e| e.imul_rmi(d, m, 1000)),
            ));
            v.push((
                format!("cmovl {}, {mt}", d.name()),
                Box::new(move |e| e.cmov_rm(Cond::L, d, m)),
            ));
            for op in [Alu::Add, Alu::Cmp, Alu::Sub] {
                v.push((
                    format!("{} {}, {mt}", op.name(), d.name()),
                    Box::new(move |e| e.alu_rm(op, d, m)),
                ));
                v.push((
                    format!("{} {mt}, {}", op.name(), d.name()),
                    Box::new(move |e| e.alu_mr(op, m, d)),
                ));
            }
        }
    }
    for &m in &mems {
        let mt = mem_text(m);
        for imm in IMM32 {
            v.push((
                format!("mov {mt}, {imm}"),
                Box::new(move |e| e.mov_mi(m, imm)),
            ));
            for op in Alu::ALL {
                v.push((
                    format!("{} {mt}, {imm}", op.name()),
                    Box::new(move |e| e.alu_mi(op, m, imm)),
                ));
            }
        }
        v.push((format!("neg {mt}"), Box::new(move |e| e.neg_m(m))));
        v.push((format!("not {mt}"), Box::new(move |e| e.not_m(m))));
        v.push((format!("push {mt}"), Box::new(move |e| e.push_m(m))));
    }
    // The byte and dword forms of the AOT runtime and of IR loads and stores, and the system
    // forms, over every register and base
    // (rsp and r12 need a SIB byte, rbp and r13 a displacement even when it is 0).
    for d in regs() {
        v.push((format!("div {}", d.name()), Box::new(move |e| e.div_r(d))));
        for &m in &mems {
            byte_and_dword_forms(&mut v, d, m);
        }
    }
    for &m in &mems {
        let at = format!("[{}{:+}]", m.base.name(), m.disp);
        for imm in [0u8, 1, 0x7f, 0x80, 0xff] {
            v.push((
                format!("mov byte ptr {at}, {imm}"),
                Box::new(move |e| e.mov_m8i(m, imm)),
            ));
            v.push((
                format!("cmp byte ptr {at}, {imm}"),
                Box::new(move |e| e.cmp_m8i(m, imm)),
            ));
        }
        for imm in [0u32, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff] {
            v.push((
                format!("mov dword ptr {at}, {imm}"),
                Box::new(move |e| e.mov_m32i(m, imm)),
            ));
        }
    }
    // `[base + index·scale + disp]`: every base (rbp and r13 still need a displacement, rsp and
    // r12 are fine as a SIB base) with indexes low and high, the loads, stores and
    // compares that read an address code generation folded.
    for base in regs() {
        for index in [
            Gpr::Rax,
            Gpr::Rcx,
            Gpr::Rbp,
            Gpr::Rdi,
            Gpr::R8,
            Gpr::R12,
            Gpr::R13,
        ] {
            for (disp, shift) in [(0, 0), (8, 3), (-129, 1), (1 << 20, 0), (16, 2), (0, 3)] {
                let m = Mem {
                    base,
                    index: Some(index),
                    shift,
                    disp,
                };
                let at = address_text(m);
                let d = Gpr::ALL[(base as usize + index as usize + 3) % 16];
                byte_and_dword_forms(&mut v, d, m);
                v.push((
                    format!("mov {}, qword ptr {at}", d.name()),
                    Box::new(move |e| e.mov_rm(d, m)),
                ));
                v.push((
                    format!("mov qword ptr {at}, {}", d.name()),
                    Box::new(move |e| e.mov_mr(m, d)),
                ));
                v.push((
                    format!("mov qword ptr {at}, -5"),
                    Box::new(move |e| e.mov_mi(m, -5)),
                ));
                v.push((
                    format!("mov byte ptr {at}, 1"),
                    Box::new(move |e| e.mov_m8i(m, 1)),
                ));
                v.push((
                    format!("cmp byte ptr {at}, 0"),
                    Box::new(move |e| e.cmp_m8i(m, 0)),
                ));
                v.push((
                    format!("cmp qword ptr {at}, 1000"),
                    Box::new(move |e| e.alu_mi(Alu::Cmp, m, 1000)),
                ));
                v.push((
                    format!("cmp qword ptr {at}, {}", d.name()),
                    Box::new(move |e| e.alu_mr(Alu::Cmp, m, d)),
                ));
                v.push((
                    format!("lea {}, {at}", d.name()),
                    Box::new(move |e| e.lea(d, m)),
                ));
            }
        }
    }
    v.push(("syscall".into(), Box::new(|e| e.syscall())));
    v.push(("rep movsb".into(), Box::new(|e| e.rep_movsb())));
    v.push(("cqo".into(), Box::new(|e| e.cqo())));
    v.push(("ret".into(), Box::new(|e| e.ret())));
    v.push(("int3".into(), Box::new(|e| e.int3())));
    v
}

/// `[base+disp]` or `[base+index*scale+disp]`, as GNU as reads it.
fn address_text(m: Mem) -> String {
    match m.index {
        Some(i) => format!(
            "[{}+{}*{}{:+}]",
            m.base.name(),
            i.name(),
            1 << m.shift,
            m.disp
        ),
        None => format!("[{}{:+}]", m.base.name(), m.disp),
    }
}

/// The byte and dword loads and stores of `d` at `m` (IR loads and stores, the AOT runtime).
fn byte_and_dword_forms(v: &mut Vec<Case>, d: Gpr, m: Mem) {
    let at = address_text(m);
    v.push((
        format!("mov byte ptr {at}, {}", d.name8()),
        Box::new(move |e| e.mov_m8r(m, d)),
    ));
    v.push((
        format!("movzx {}, byte ptr {at}", d.name32()),
        Box::new(move |e| e.movzx_rm8(d, m)),
    ));
    v.push((
        format!("mov {}, dword ptr {at}", d.name32()),
        Box::new(move |e| e.mov_rm32(d, m)),
    ));
    v.push((
        format!("mov dword ptr {at}, {}", d.name32()),
        Box::new(move |e| e.mov_m32r(m, d)),
    ));
}

fn assemble(lines: &[&str]) -> Vec<u8> {
    let dir =
        std::env::temp_dir().join(format!("jit-golden-{}-{}", std::process::id(), lines.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let (src, obj, bin) = (dir.join("t.s"), dir.join("t.o"), dir.join("t.bin"));
    let mut text = String::from(".intel_syntax noprefix\n.text\n");
    for l in lines {
        writeln!(text, "{l}").unwrap();
    }
    std::fs::write(&src, text).unwrap();
    let run = |cmd: &mut Command| {
        let out = cmd.output().unwrap_or_else(|e| {
            panic!(
                "GNU binutils are required for the golden tests ({cmd:?}: {e}); install binutils"
            )
        });
        assert!(
            out.status.success(),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(Command::new("as").arg("--64").arg("-o").arg(&obj).arg(&src));
    run(Command::new("objcopy")
        .args(["-O", "binary", "-j", ".text"])
        .arg(&obj)
        .arg(&bin));
    let bytes = std::fs::read(&bin).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    bytes
}

#[test]
fn every_form_matches_gnu_as() {
    let cases = cases();
    let mut ours = Vec::new();
    let mut spans = Vec::new();
    for (text, emit) in &cases {
        let mut e = Emitter::new();
        emit(&mut e);
        let (bytes, _) = e.finish().unwrap();
        spans.push((text.as_str(), bytes.clone()));
        ours.extend(bytes);
    }
    let lines: Vec<&str> = cases.iter().map(|(t, _)| t.as_str()).collect();
    let theirs = assemble(&lines);
    if ours != theirs {
        // Find the first form that differs, assembling one at a time.
        for (text, bytes) in &spans {
            let want = assemble(&[text]);
            assert_eq!(hex(bytes), hex(&want), "`{text}`: emitter vs GNU as");
        }
        panic!("streams differ but no single form does");
    }
    assert!(cases.len() > 4000, "{} forms checked", cases.len());
}

#[test]
fn every_form_decodes_as_one_instruction_of_its_mnemonic() {
    for (text, emit) in &cases() {
        let mut e = Emitter::new();
        emit(&mut e);
        assert_eq!(e.count(), 1, "`{text}` counts as one instruction");
        let (bytes, _) = e.finish().unwrap();
        let decoded = jit::disasm::instructions(&bytes);
        assert_eq!(
            decoded.len(),
            1,
            "`{text}` ({}) decodes as {decoded:?}",
            hex(&bytes)
        );
        let mnemonic = |t: &str| {
            let m = t.split_whitespace().next().unwrap_or("").to_string();
            if m == "movabs" { "mov".to_string() } else { m }
        };
        assert_eq!(
            mnemonic(&decoded[0]),
            mnemonic(text),
            "`{text}` ({}) decodes as `{}`",
            hex(&bytes),
            decoded[0]
        );
    }
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn branches_and_calls_leave_patched_rel32_and_relocations() {
    let mut e = Emitter::new();
    let top = e.new_label();
    let fwd = e.new_label();
    e.bind(top);
    e.jcc(Cond::L, fwd); // 0f 8c rel32 (forward, patched later)
    e.jmp(top); // eb rel8 (backward, known and near)
    e.call_func(jit::FuncId(3));
    e.call_host(jit::HostId(1));
    e.bind(fwd);
    e.ret();
    let (code, relocs) = e.finish().unwrap();
    assert_eq!(&code[0..2], &[0x0f, 0x8c]);
    let rel = i32::from_le_bytes(code[2..6].try_into().unwrap());
    assert_eq!(6 + rel as usize, code.len() - 1, "jl lands on the ret");
    assert_eq!(code[6], 0xeb);
    assert_eq!(code[7] as i8, -8, "jmp back to offset 0");
    assert_eq!(code[8], 0xe8);
    assert_eq!(
        relocs[0],
        Reloc {
            offset: 9,
            kind: RelocKind::CallRel32(jit::FuncId(3))
        }
    );
    assert_eq!(&code[13..15], &[0x48, 0xb8], "movabs rax, imm64");
    assert_eq!(
        relocs[1],
        Reloc {
            offset: 15,
            kind: RelocKind::HostAbs64(jit::HostId(1))
        }
    );
    assert_eq!(&code[23..25], &[0xff, 0xd0], "call rax");
}

#[test]
fn moves_that_change_nothing_are_not_emitted() {
    let bytes = |f: &dyn Fn(&mut Emitter)| {
        let mut e = Emitter::new();
        f(&mut e);
        let n = e.count();
        (e.finish().unwrap().0, n)
    };
    // A register onto itself.
    assert_eq!(bytes(&|e| e.mov_rr(Gpr::R9, Gpr::R9)), (vec![], 0));
    // A move undone right after: the second has nothing to do.
    let (code, n) = bytes(&|e| {
        e.mov_rr(Gpr::Rcx, Gpr::R15);
        e.mov_rr(Gpr::R15, Gpr::Rcx);
    });
    assert_eq!((code, n), (vec![0x4c, 0x89, 0xf9], 1), "mov rcx, r15 alone");
    // Unless a label lies between (another path may arrive there), or anything else.
    let (code, n) = bytes(&|e| {
        let l = e.new_label();
        e.mov_rr(Gpr::Rcx, Gpr::R15);
        e.bind(l);
        e.mov_rr(Gpr::R15, Gpr::Rcx);
    });
    assert_eq!((code.len(), n), (6, 2));
    let (code, n) = bytes(&|e| {
        e.mov_rr(Gpr::Rcx, Gpr::R15);
        e.alu_ri(Alu::Add, Gpr::Rcx, 1);
        e.mov_rr(Gpr::R15, Gpr::Rcx);
    });
    assert_eq!((code.len(), n), (10, 3));
    // `moves()` counts the register moves emitted (what `--stats` reports), no others.
    let mut e = Emitter::new();
    e.mov_rr(Gpr::Rcx, Gpr::R15);
    e.mov_rr(Gpr::R15, Gpr::Rcx);
    e.mov_rr(Gpr::Rax, Gpr::Rax);
    e.mov_ri(Gpr::Rax, 5);
    e.mov_rr(Gpr::Rdx, Gpr::Rcx);
    assert_eq!((e.count(), e.moves()), (3, 2));
    // A repeat is not an undo: kept (code generation never asks for one).
    let (_, n) = bytes(&|e| {
        e.mov_rr(Gpr::Rcx, Gpr::R15);
        e.mov_rr(Gpr::Rcx, Gpr::R15);
    });
    assert_eq!(n, 2);
}

#[test]
fn far_backward_branches_keep_rel32() {
    let far = |n: usize| {
        let mut e = Emitter::new();
        let top = e.new_label();
        e.bind(top);
        for _ in 0..n {
            e.ret();
        }
        e.jcc(Cond::Ne, top);
        e.finish().unwrap().0
    };
    // 126 bytes back from the end of a 2-byte jne: rel8 reaches (-128).
    let code = far(126);
    assert_eq!(&code[126..], &[0x75, (-128i8) as u8]);
    // One more byte and it does not: 0f 85 rel32.
    let code = far(127);
    assert_eq!(&code[127..129], &[0x0f, 0x85]);
    assert_eq!(i32::from_le_bytes(code[129..133].try_into().unwrap()), -133);
}

/// The forms whose bytes depend on where they land (RIP-relative data, calls to labels and to
/// routines placed with the code, alignment padding), checked with iced-x86's decoder: what
/// decodes is the instruction meant, and each relocation covers exactly its rel32 field.
#[test]
fn position_dependent_forms_decode_right_with_their_relocations() {
    use jit::disasm::instructions;
    for d in regs() {
        for pad in 0..3usize {
            let mut e = Emitter::new();
            for _ in 0..pad {
                e.int3();
            }
            e.lea_data(d, 5);
            let (code, relocs) = e.finish().unwrap();
            let text = instructions(&code);
            assert_eq!(text.len(), pad + 1);
            assert!(
                text[pad].starts_with(&format!("lea {},[", d.name())),
                "lea_data({}) decodes as {}",
                d.name(),
                text[pad]
            );
            assert_eq!(code.len() - pad, 7, "lea r64, [rip+rel32] is 7 bytes");
            assert_eq!(relocs.len(), 1);
            assert_eq!(relocs[0].offset as usize, code.len() - 4);
            assert_eq!(relocs[0].kind, RelocKind::DataRel32(5));
        }
    }
    // call to a label: backward and forward, near and far.
    for gap in [0usize, 1, 100, 200] {
        let mut e = Emitter::new();
        let back = e.new_label();
        let fwd = e.new_label();
        e.bind(back);
        for _ in 0..gap {
            e.int3();
        }
        e.call_label(back);
        e.call_label(fwd);
        for _ in 0..gap {
            e.int3();
        }
        e.bind(fwd);
        e.ret();
        let (code, relocs) = e.finish().unwrap();
        assert!(relocs.is_empty(), "label calls are resolved in place");
        let text = instructions(&code);
        let calls: Vec<&String> = text.iter().filter(|t| t.starts_with("call")).collect();
        let fwd_at = code.len() - 1;
        assert_eq!(calls.len(), 2, "{text:?}");
        assert_eq!(call_target(calls[0]), 0, "back to offset 0: {}", calls[0]);
        assert_eq!(
            call_target(calls[1]),
            fwd_at as u64,
            "call to the forward label: {}",
            calls[1]
        );
        assert_eq!(code[gap], 0xe8, "call rel32, never a short form");
        assert_eq!(code[gap + 5], 0xe8);
    }
    // near call to a host routine placed with the code.
    let mut e = Emitter::new();
    e.int3();
    e.call_host_near(jit::HostId(2));
    let (code, relocs) = e.finish().unwrap();
    assert!(instructions(&code)[1].starts_with("call"));
    assert_eq!(code[1], 0xe8);
    assert_eq!(relocs[0].offset, 2);
    assert_eq!(relocs[0].kind, RelocKind::HostRel32(jit::HostId(2)));
}

/// The target of `call X` as iced's Intel formatter prints it (`0`, `9`, `0Ah`, `1F4h`).
fn call_target(text: &str) -> u64 {
    let t = text.strip_prefix("call ").expect("a call");
    match t.strip_suffix('h') {
        Some(hex) => u64::from_str_radix(hex, 16).expect("hex target"),
        None => t.parse().expect("decimal target"),
    }
}

#[test]
fn alignment_padding_is_nops_up_to_the_boundary() {
    use jit::disasm::instructions;
    for align in [4u32, 8, 16, 32, 64] {
        for start in 0..70usize {
            let mut e = Emitter::new();
            for _ in 0..start {
                e.int3();
            }
            e.align(align);
            let (code, _) = e.finish().unwrap();
            assert_eq!(
                code.len() % align as usize,
                0,
                "start {start}, align {align}"
            );
            assert!(
                code.len() - start < align as usize,
                "no whole extra block of padding"
            );
            let text = instructions(&code[start..]);
            assert!(
                // 66 90, the 2-byte NOP, decodes as its historical name.
                text.iter()
                    .all(|t| t.starts_with("nop") || t == "xchg ax,ax"),
                "start {start}, align {align}: {text:?}"
            );
        }
    }
}
