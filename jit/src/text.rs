//! The textual form: `Display` for functions and a parser back, for tests and debugging.
//!
//! ```text
//! extern fn print(i64) -> i64
//! fn fib(i64) -> i64 {
//! block0(v0: i64):
//!     v1 = iconst 2
//!     br_lt v0, v1, block1, block2
//! block1:
//!     ret v0
//! block2:
//!     v2 = iconst 1
//!     v3 = sub v0, v2
//!     v4 = call fib(v3)
//!     v5 = iconst 2
//!     v6 = sub v0, v5
//!     v7 = call fib(v6)
//!     add.ovf v4, v7 -> block3, else block4
//! block3(v8: i64):
//!     ret v8
//! block4 cold:
//!     v9 = iconst -1
//!     ret v9
//! }
//! ```
//!
//! (`cold` after a block's parameters: the front end expects it to run rarely,
//! [`BlockData::cold`].)

use crate::error::Error;
use crate::ir::*;
use crate::module::Module;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use core::fmt::{self, Write};

/// Displays an instruction (call names come from the module).
pub struct InstDisplay<'a>(pub &'a Inst, pub &'a Module);

/// Displays a terminator.
pub struct TermDisplay<'a>(pub &'a Term);

/// Displays a whole function.
pub struct FunctionDisplay<'a>(pub &'a Function, pub &'a Module);

fn list(f: &mut fmt::Formatter<'_>, vals: &[Value]) -> fmt::Result {
    for (i, v) in vals.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{v}")?;
    }
    Ok(())
}

fn target(f: &mut fmt::Formatter<'_>, t: &Target) -> fmt::Result {
    write!(f, "{}", t.block)?;
    if !t.args.is_empty() {
        f.write_char('(')?;
        list(f, &t.args)?;
        f.write_char(')')?;
    }
    Ok(())
}

impl fmt::Display for InstDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.1;
        match self.0 {
            Inst::Const { dst, value } => write!(f, "{dst} = iconst {value}"),
            Inst::Bool { dst, value } => write!(f, "{dst} = bconst {value}"),
            Inst::Copy { dst, src } => write!(f, "{dst} = copy {src}"),
            Inst::Unary { dst, op, src } => write!(f, "{dst} = {} {src}", op.name()),
            Inst::Binary { dst, op, a, b } => write!(f, "{dst} = {} {a}, {b}", op.name()),
            Inst::Cmp { dst, op, a, b } => write!(f, "{dst} = {} {a}, {b}", op.name()),
            Inst::Select { dst, cond, a, b } => write!(f, "{dst} = select {cond}, {a}, {b}"),
            Inst::Call { dst, func, args } => {
                let name = m.signature(*func).map_or("?", |_| m.func_name(*func));
                write!(f, "{dst} = call {name}(")?;
                list(f, args)?;
                f.write_char(')')
            }
            Inst::CallHost { dst, host, args } => {
                write!(
                    f,
                    "{dst} = call_host {}(",
                    m.host(*host).map_or("?", |h| &h.name)
                )?;
                list(f, args)?;
                f.write_char(')')
            }
            Inst::Load {
                dst,
                addr,
                offset,
                width,
                invariant,
            } => {
                write!(f, "{dst} = load_{} {addr}, {offset}", width.name())?;
                if *invariant {
                    f.write_str(" invariant")?;
                }
                Ok(())
            }
            Inst::Store {
                dst,
                addr,
                offset,
                value,
                width,
            } => write!(
                f,
                "{dst} = store_{} {addr}, {offset}, {value}",
                width.name()
            ),
        }
    }
}

impl fmt::Display for TermDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Term::Jump(t) => {
                f.write_str("jump ")?;
                target(f, t)
            }
            Term::Branch { cond, then, els } => {
                write!(f, "br {cond}, ")?;
                target(f, then)?;
                f.write_str(", ")?;
                target(f, els)
            }
            Term::BranchCmp {
                op,
                a,
                b,
                then,
                els,
            } => {
                write!(f, "br_{} {a}, {b}, ", op.name())?;
                target(f, then)?;
                f.write_str(", ")?;
                target(f, els)
            }
            Term::Checked { op, a, b, ok, fail } => {
                write!(f, "{} {a}, {b} -> {ok}, else ", op.name())?;
                target(f, fail)
            }
            Term::Landing {
                call,
                landed,
                normal,
            } => {
                write!(f, "landing {call}, ")?;
                target(f, landed)?;
                f.write_str(", ")?;
                target(f, normal)
            }
            Term::Return(v) => write!(f, "ret {v}"),
            Term::ReturnToLanding(v) => write!(f, "ret_landing {v}"),
        }
    }
}

fn signature(f: &mut fmt::Formatter<'_>, name: &str, sig: &Signature) -> fmt::Result {
    write!(f, "{name}(")?;
    for (i, t) in sig.params.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{t}")?;
    }
    write!(f, ") -> {}", sig.ret)
}

impl fmt::Display for FunctionDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let func = self.0;
        f.write_str("fn ")?;
        signature(f, &func.name, &func.sig)?;
        f.write_str(" {\n")?;
        for (i, b) in func.blocks.iter().enumerate() {
            write!(f, "block{i}")?;
            if !b.params.is_empty() {
                f.write_char('(')?;
                for (j, p) in b.params.iter().enumerate() {
                    if j > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{p}: {}", func.value_type(*p))?;
                }
                f.write_char(')')?;
            }
            if b.cold {
                f.write_str(" cold")?;
            }
            f.write_str(":\n")?;
            for inst in &b.insts {
                write!(f, "    {}", InstDisplay(inst, self.1))?;
                if let Some(site) = func.sites.get(inst.dst()) {
                    // Innermost first: `site 5 in 3` is site 5 of a callee inlined at 3.
                    for (k, s) in func.site_chain(site).iter().enumerate() {
                        f.write_str(if k == 0 { " site " } else { " in " })?;
                        write!(f, "{}", s.0)?;
                    }
                }
                f.write_char('\n')?;
            }
            writeln!(f, "    {}", TermDisplay(&b.term))?;
        }
        f.write_str("}\n")
    }
}

/// The whole module as text: extern declarations, then every defined function.
pub fn module_to_string(m: &Module) -> String {
    struct Ext<'a>(&'a str, &'a Signature);
    impl fmt::Display for Ext<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("extern fn ")?;
            signature(f, self.0, self.1)
        }
    }
    let mut s = String::new();
    for h in m.hosts() {
        let _ = writeln!(s, "{}", Ext(&h.name, &h.sig));
    }
    for (_, func) in m.functions() {
        let _ = write!(s, "{}", FunctionDisplay(func, m));
    }
    s
}

// ---------------------------------------------------------------------------------------
// Parsing

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Int(i64),
    Punct(char),
    Arrow,
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    line: usize,
    col: usize,
}

/// A token with its 1-based line and column.
struct Spanned {
    tok: Tok,
    line: usize,
    col: usize,
}

impl Lexer<'_> {
    fn tokens(mut self) -> Result<Vec<Spanned>, Error> {
        let mut out = Vec::new();
        let bytes = self.src.as_bytes();
        while self.pos < bytes.len() {
            let c = bytes[self.pos];
            let (line, col) = (self.line, self.col);
            if c == b'\n' {
                self.pos += 1;
                self.line += 1;
                self.col = 1;
                continue;
            }
            if c.is_ascii_whitespace() {
                self.advance(1);
                continue;
            }
            if c == b';' {
                // comment to end of line
                while self.pos < bytes.len() && bytes[self.pos] != b'\n' {
                    self.advance(1);
                }
                continue;
            }
            let start = self.pos;
            let tok = if c.is_ascii_alphabetic() || c == b'_' {
                while self.pos < bytes.len()
                    && (bytes[self.pos].is_ascii_alphanumeric()
                        || bytes[self.pos] == b'_'
                        || bytes[self.pos] == b'.')
                {
                    self.advance(1);
                }
                Tok::Ident(self.src[start..self.pos].to_string())
            } else if c.is_ascii_digit()
                || (c == b'-' && bytes.get(self.pos + 1).is_some_and(|d| d.is_ascii_digit()))
            {
                self.advance(1);
                while self.pos < bytes.len() && bytes[self.pos].is_ascii_digit() {
                    self.advance(1);
                }
                let text = &self.src[start..self.pos];
                Tok::Int(text.parse().map_err(|_| {
                    perr(line, col, format!("integer `{text}` does not fit in i64"))
                })?)
            } else if c == b'-' && bytes.get(self.pos + 1) == Some(&b'>') {
                self.advance(2);
                Tok::Arrow
            } else if b"(){},:=".contains(&c) {
                self.advance(1);
                Tok::Punct(c as char)
            } else {
                let ch = self.src[self.pos..].chars().next().unwrap();
                return Err(perr(line, col, format!("unexpected character `{ch}`")));
            };
            out.push(Spanned { tok, line, col });
        }
        Ok(out)
    }

    fn advance(&mut self, n: usize) {
        self.pos += n;
        self.col += n;
    }
}

fn perr(line: usize, col: usize, msg: String) -> Error {
    Error::new("", format!("line {line}, column {col}: {msg}"))
}

struct Parser {
    toks: Vec<Spanned>,
    i: usize,
}

impl Parser {
    fn here(&self) -> (usize, usize) {
        self.toks
            .get(self.i)
            .or(self.toks.last())
            .map_or((1, 1), |t| (t.line, t.col))
    }

    fn err<T>(&self, msg: impl Into<String>) -> Result<T, Error> {
        let (l, c) = self.here();
        let found = match self.toks.get(self.i) {
            Some(t) => format!(", found `{}`", show(&t.tok)),
            None => ", found the end of the text".into(),
        };
        Err(perr(l, c, format!("{}{found}", msg.into())))
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.tok)
    }

    fn peek_line(&self) -> usize {
        self.toks.get(self.i).map_or(usize::MAX, |t| t.line)
    }

    /// Skips the identifier `word` if it comes next.
    fn eat_ident(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(w)) if w == word) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn eat_punct(&mut self, c: char) -> bool {
        if self.peek() == Some(&Tok::Punct(c)) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn punct(&mut self, c: char) -> Result<(), Error> {
        if self.eat_punct(c) {
            Ok(())
        } else {
            self.err(format!("expected `{c}`"))
        }
    }

    fn ident(&mut self) -> Result<String, Error> {
        match self.peek() {
            Some(Tok::Ident(s)) => {
                let s = s.clone();
                self.i += 1;
                Ok(s)
            }
            _ => self.err("expected a name"),
        }
    }

    fn keyword(&mut self, k: &str) -> Result<(), Error> {
        match self.peek() {
            Some(Tok::Ident(s)) if s == k => {
                self.i += 1;
                Ok(())
            }
            _ => self.err(format!("expected `{k}`")),
        }
    }

    fn int(&mut self) -> Result<i64, Error> {
        match self.peek() {
            Some(Tok::Int(n)) => {
                let n = *n;
                self.i += 1;
                Ok(n)
            }
            _ => self.err("expected an integer"),
        }
    }

    fn numbered(&mut self, prefix: &str) -> Result<u32, Error> {
        if let Some(Tok::Ident(s)) = self.peek()
            && let Some(n) = s.strip_prefix(prefix).and_then(|d| d.parse::<u32>().ok())
        {
            self.i += 1;
            return Ok(n);
        }
        self.err(format!("expected {prefix}N"))
    }

    fn value(&mut self) -> Result<Value, Error> {
        self.numbered("v").map(Value)
    }

    fn block(&mut self) -> Result<Block, Error> {
        self.numbered("block").map(Block)
    }

    fn ty(&mut self) -> Result<Type, Error> {
        match self.peek() {
            Some(Tok::Ident(s)) if s == "i64" => {
                self.i += 1;
                Ok(Type::I64)
            }
            Some(Tok::Ident(s)) if s == "bool" => {
                self.i += 1;
                Ok(Type::Bool)
            }
            _ => self.err("expected a type (i64 or bool)"),
        }
    }

    fn signature(&mut self) -> Result<(String, Signature), Error> {
        let name = self.ident()?;
        self.punct('(')?;
        let mut params = Vec::new();
        if !self.eat_punct(')') {
            loop {
                params.push(self.ty()?);
                if self.eat_punct(')') {
                    break;
                }
                self.punct(',')?;
            }
        }
        if self.peek() != Some(&Tok::Arrow) {
            return self.err("expected `->` and a return type");
        }
        self.i += 1;
        let ret = self.ty()?;
        Ok((name, Signature { params, ret }))
    }

    fn values_in_parens(&mut self) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        self.punct('(')?;
        if self.eat_punct(')') {
            return Ok(out);
        }
        loop {
            out.push(self.value()?);
            if self.eat_punct(')') {
                return Ok(out);
            }
            self.punct(',')?;
        }
    }

    fn target(&mut self) -> Result<Target, Error> {
        let block = self.block()?;
        let args = if self.peek() == Some(&Tok::Punct('(')) {
            self.values_in_parens()?
        } else {
            Vec::new()
        };
        Ok(Target { block, args })
    }
}

fn show(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => s.clone(),
        Tok::Int(n) => n.to_string(),
        Tok::Punct(c) => c.to_string(),
        Tok::Arrow => "->".into(),
    }
}

/// Parses a module's text (the format [`module_to_string`] writes). Host functions come
/// out declared but unbound: bind them with [`Module::bind_host`]. The result is not
/// verified.
pub fn parse_module(src: &str) -> Result<Module, Error> {
    let toks = Lexer {
        src,
        pos: 0,
        line: 1,
        col: 1,
    }
    .tokens()?;
    let mut m = Module::new();
    // Pass 1: every signature, so calls may go forward and to the function itself.
    let mut p = Parser { toks, i: 0 };
    let mut bodies = Vec::new();
    while p.peek().is_some() {
        match p.ident()?.as_str() {
            "extern" => {
                p.keyword("fn")?;
                let (name, sig) = p.signature()?;
                m.declare_host(&name, sig);
            }
            "fn" => {
                let (name, sig) = p.signature()?;
                if m.func_id(&name).is_some() {
                    return p.err(format!("function `{name}` is defined twice"));
                }
                let id = m.declare(&name, sig.clone());
                p.punct('{')?;
                let start = p.i;
                let mut depth = 1;
                while depth > 0 {
                    match p.peek() {
                        Some(Tok::Punct('{')) => depth += 1,
                        Some(Tok::Punct('}')) => depth -= 1,
                        None => return p.err("expected `}` closing the function"),
                        _ => {}
                    }
                    p.i += 1;
                }
                bodies.push((id, name, sig, start, p.i - 1));
            }
            other => {
                p.i -= 1;
                return p.err(format!("expected `fn` or `extern fn`, not `{other}`"));
            }
        }
    }
    for (id, name, sig, start, end) in bodies {
        p.i = start;
        let f = parse_body(&mut p, end, &m, &name, sig).map_err(|mut e| {
            e.function = name.clone();
            e
        })?;
        m.define(id, f)?;
    }
    Ok(m)
}

fn parse_body(
    p: &mut Parser,
    end: usize,
    m: &Module,
    name: &str,
    sig: Signature,
) -> Result<Function, Error> {
    let mut blocks: BTreeMap<u32, (usize, BlockData)> = BTreeMap::new();
    let mut types: BTreeMap<u32, Type> = BTreeMap::new();
    let (mut sites, mut inlined) = (CallSites::default(), Vec::new());
    fn define(types: &mut BTreeMap<u32, Type>, p: &Parser, v: Value, t: Type) -> Result<(), Error> {
        if types.insert(v.0, t).is_some() {
            return p.err(format!("{v} is defined twice"));
        }
        Ok(())
    }
    while p.i < end {
        let line = p.peek_line();
        let b = p.block()?;
        let mut params = Vec::new();
        if p.eat_punct('(') && !p.eat_punct(')') {
            loop {
                let v = p.value()?;
                p.punct(':')?;
                let t = p.ty()?;
                define(&mut types, p, v, t)?;
                params.push(v);
                if p.eat_punct(')') {
                    break;
                }
                p.punct(',')?;
            }
        }
        let cold = p.eat_ident("cold");
        p.punct(':')?;
        let mut insts = Vec::new();
        let term = loop {
            if p.i >= end {
                return p.err(format!("{b} has no terminator"));
            }
            // `vN = op ...` or a terminator.
            if let Some(Tok::Ident(s)) = p.peek()
                && s.starts_with('v')
                && p.toks.get(p.i + 1).map(|t| &t.tok) == Some(&Tok::Punct('='))
            {
                let dst = p.value()?;
                p.punct('=')?;
                let (inst, ty) = parse_inst(p, dst, m, &types)?;
                define(&mut types, p, dst, ty)?;
                if inst.is_call() && p.eat_ident("site") {
                    let site = parse_site(p, &mut inlined)?;
                    sites.insert(dst, site);
                }
                insts.push(inst);
                continue;
            }
            break parse_term(p)?;
        };
        if blocks
            .insert(
                b.0,
                (
                    line,
                    BlockData {
                        params,
                        insts,
                        term,
                        cold,
                    },
                ),
            )
            .is_some()
        {
            return p.err(format!("{b} is defined twice"));
        }
    }
    let Some((&last, _)) = blocks.last_key_value() else {
        return p.err("a function needs at least one block");
    };
    let mut out = Vec::new();
    for n in 0..=last {
        match blocks.remove(&n) {
            Some((_, data)) => out.push(data),
            None => {
                return Err(Error::new(
                    name,
                    format!("block{n} is missing (blocks are numbered from 0 without gaps)"),
                ));
            }
        }
    }
    let nvalues = types.last_key_value().map_or(0, |(&k, _)| k as usize + 1);
    let mut value_types = vec![Type::I64; nvalues];
    for (k, t) in types {
        value_types[k as usize] = t;
    }
    Ok(Function {
        name: name.into(),
        sig,
        blocks: out,
        value_types,
        sites,
        inlined,
    })
}

/// `N (in M)*` after `site`: a front end's site, or one inlined into others (innermost
/// first), rebuilt in `inlined` (a [`Function::inlined`] table).
fn parse_site(p: &mut Parser, inlined: &mut Vec<(Site, Site)>) -> Result<Site, Error> {
    let mut chain = Vec::new();
    loop {
        let n = p.int()?;
        match u32::try_from(n) {
            Ok(n) if n != 0 && n < Site::INLINED => chain.push(Site(n)),
            _ => return p.err(format!("a site is 1..{}, not {n}", Site::INLINED - 1)),
        }
        if !p.eat_ident("in") {
            break;
        }
    }
    let mut site = chain.pop().expect("one at least");
    while let Some(inner) = chain.pop() {
        inlined.push((inner, site));
        site = Site(Site::INLINED + inlined.len() as u32 - 1);
    }
    Ok(site)
}

fn parse_inst(
    p: &mut Parser,
    dst: Value,
    m: &Module,
    types: &BTreeMap<u32, Type>,
) -> Result<(Inst, Type), Error> {
    let op = p.ident()?;
    let ty_of = |v: Value| types.get(&v.0).copied().unwrap_or(Type::I64);
    let bin = BinOp::ALL.iter().find(|o| o.name() == op).copied();
    let cmp = Cmp::ALL.iter().find(|o| o.name() == op).copied();
    Ok(match op.as_str() {
        "iconst" => (
            Inst::Const {
                dst,
                value: p.int()?,
            },
            Type::I64,
        ),
        "bconst" => {
            let v = match p.ident()?.as_str() {
                "true" => true,
                "false" => false,
                _ => {
                    p.i -= 1;
                    return p.err("expected true or false");
                }
            };
            (Inst::Bool { dst, value: v }, Type::Bool)
        }
        "copy" => {
            let src = p.value()?;
            (Inst::Copy { dst, src }, ty_of(src))
        }
        "neg" => (
            Inst::Unary {
                dst,
                op: UnOp::Neg,
                src: p.value()?,
            },
            Type::I64,
        ),
        "not" => {
            let src = p.value()?;
            (
                Inst::Unary {
                    dst,
                    op: UnOp::Not,
                    src,
                },
                ty_of(src),
            )
        }
        "select" => {
            let cond = p.value()?;
            p.punct(',')?;
            let a = p.value()?;
            p.punct(',')?;
            let b = p.value()?;
            (Inst::Select { dst, cond, a, b }, ty_of(a))
        }
        "call" => {
            let name = p.ident()?;
            let func = m
                .func_id(&name)
                .ok_or(())
                .or_else(|_| p.err(format!("no function named `{name}`")))?;
            let args = p.values_in_parens()?;
            (
                Inst::Call { dst, func, args },
                m.signature(func).unwrap().ret,
            )
        }
        "call_host" => {
            let name = p.ident()?;
            let host = m
                .host_id(&name)
                .ok_or(())
                .or_else(|_| p.err(format!("no extern fn named `{name}`")))?;
            let args = p.values_in_parens()?;
            (
                Inst::CallHost { dst, host, args },
                m.host(host).unwrap().sig.ret,
            )
        }
        _ if op.starts_with("load_") || op.starts_with("store_") => {
            let (store, w) = match op.split_once('_') {
                Some((kind, w)) => (kind == "store", w),
                None => (false, ""),
            };
            let Some(width) = Width::ALL.iter().find(|x| x.name() == w).copied() else {
                p.i -= 1;
                return p.err(format!("unknown width in `{op}` (u8, u32 or u64)"));
            };
            let addr = p.value()?;
            p.punct(',')?;
            let at = p.int()?;
            let Ok(offset) = i32::try_from(at) else {
                return p.err(format!("offset {at} does not fit in 32 bits"));
            };
            let inst = if store {
                p.punct(',')?;
                let value = p.value()?;
                Inst::Store {
                    dst,
                    addr,
                    offset,
                    value,
                    width,
                }
            } else {
                Inst::Load {
                    dst,
                    addr,
                    offset,
                    width,
                    invariant: p.eat_ident("invariant"),
                }
            };
            (inst, Type::I64)
        }
        _ if bin.is_some() || cmp.is_some() => {
            let a = p.value()?;
            p.punct(',')?;
            let b = p.value()?;
            match (bin, cmp) {
                (Some(op), _) => (Inst::Binary { dst, op, a, b }, Type::I64),
                (_, Some(op)) => (Inst::Cmp { dst, op, a, b }, Type::Bool),
                _ => unreachable!(),
            }
        }
        _ => {
            p.i -= 1;
            return p.err(format!("unknown instruction `{op}`"));
        }
    })
}

fn parse_term(p: &mut Parser) -> Result<Term, Error> {
    let op = p.ident()?;
    if let Some(c) = op
        .strip_prefix("br_")
        .and_then(|c| Cmp::ALL.iter().find(|o| o.name() == c))
    {
        let a = p.value()?;
        p.punct(',')?;
        let b = p.value()?;
        p.punct(',')?;
        let then = p.target()?;
        p.punct(',')?;
        let els = p.target()?;
        return Ok(Term::BranchCmp {
            op: *c,
            a,
            b,
            then,
            els,
        });
    }
    if let Some(c) = CheckedOp::ALL.iter().find(|o| o.name() == op) {
        let a = p.value()?;
        p.punct(',')?;
        let b = p.value()?;
        if p.peek() != Some(&Tok::Arrow) {
            return p.err("expected `->` and the ok block");
        }
        p.i += 1;
        let ok = p.block()?;
        p.punct(',')?;
        p.keyword("else")?;
        let fail = p.target()?;
        return Ok(Term::Checked {
            op: *c,
            a,
            b,
            ok,
            fail,
        });
    }
    Ok(match op.as_str() {
        "jump" => Term::Jump(p.target()?),
        "br" => {
            let cond = p.value()?;
            p.punct(',')?;
            let then = p.target()?;
            p.punct(',')?;
            let els = p.target()?;
            Term::Branch { cond, then, els }
        }
        "landing" => {
            let call = p.value()?;
            p.punct(',')?;
            let landed = p.target()?;
            p.punct(',')?;
            let normal = p.target()?;
            Term::Landing {
                call,
                landed,
                normal,
            }
        }
        "ret" => Term::Return(p.value()?),
        "ret_landing" => Term::ReturnToLanding(p.value()?),
        _ => {
            p.i -= 1;
            return p.err(format!(
                "expected an instruction (`vN = ...`) or a terminator, not `{op}`"
            ));
        }
    })
}
