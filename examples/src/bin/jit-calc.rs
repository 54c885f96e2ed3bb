//! jit-calc EXPR X: compiles an integer expression over `x` to x86-64 at run time, calls it
//! with X and prints the result. Syntax and semantics are Python's for integers — literals,
//! `x`, parentheses, unary `-` `+` `~`, and `+ - * // % << >> & | ^` with Python's precedence,
//! floor division and modulo — on 64-bit integers: a result or intermediate value that does
//! not fit prints "jit-calc: integer overflow" and exits 1.
#![no_std]
#![no_main]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;
use jit::{
    CheckedOp, Cmp, FunctionBuilder, HostId, JitModule, Module, Options, Signature, Type, UnOp,
    Value,
};

rt::entry!(main);

fn main() -> i32 {
    let args: Vec<&[u8]> = rt::env::args().collect();
    if args.len() != 3 {
        rt::eprintln!("usage: jit-calc EXPR X   (e.g. jit-calc '(x + 3) * x // 2' 10)");
        return 2;
    }
    let (Ok(src), Some(x)) = (
        core::str::from_utf8(args[1]),
        core::str::from_utf8(args[2]).ok().and_then(parse_x),
    ) else {
        rt::eprintln!("jit-calc: X must be a decimal integer that fits in 64 bits");
        return 2;
    };
    let ast = match Parser::new(src).parse() {
        Ok(e) => e,
        Err((col, msg)) => {
            rt::eprintln!("jit-calc: syntax error at column {col}: {msg}");
            rt::eprintln!("  {src}");
            rt::eprintln!("  {:>width$}", "^", width = col);
            return 1;
        }
    };
    let module = match lower(&ast) {
        Ok(m) => m,
        Err(e) => {
            rt::eprintln!("jit-calc: {e}");
            return 1;
        }
    };
    // The baseline tier: the expression runs once, so optimizing it cannot pay for itself
    // (and leaves the passes out of the binary); the IR is verified in debug builds.
    let opts = Options {
        optimize: false,
        inline: false,
        verify: cfg!(debug_assertions),
    };
    let code = match JitModule::with_options(&module, opts) {
        Ok(c) => c,
        Err(e) => {
            rt::eprintln!("jit-calc: compiling: {e}");
            return 1;
        }
    };
    let result = code.get("calc").expect("compiled").call(&[x]);
    rt::println!("{result}");
    0
}

fn parse_x(s: &str) -> Option<i64> {
    let t = s.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i128 = digits.parse().ok()?;
    i64::try_from(if neg { -v } else { v }).ok()
}

// --- errors raised by the compiled code (host functions it calls) ------------------------

extern "C" fn overflow() -> i64 {
    rt::eprintln!("jit-calc: integer overflow");
    rt::exit(1)
}

extern "C" fn division_by_zero() -> i64 {
    rt::eprintln!("jit-calc: division by zero");
    rt::exit(1)
}

extern "C" fn negative_shift() -> i64 {
    rt::eprintln!("jit-calc: negative shift count");
    rt::exit(1)
}

// --- parsing ------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    FloorDiv,
    Mod,
    Shl,
    Shr,
    And,
    Or,
    Xor,
}

enum Expr {
    Int(i128),
    X,
    Neg(Box<Expr>),
    Invert(Box<Expr>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
}

use alloc::boxed::Box;

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
}

/// How deep an expression may nest (parentheses, unary operators and operands of binary
/// operators, whichever way): the parser, the lowering and dropping the tree all recurse
/// once per level, so an input may not take them past the stack (5,748 nested parentheses
/// used to be a segfault).
const MAX_DEPTH: u32 = 1000;
const TOO_DEEP: &str = "the expression nests more than 1000 levels deep";

type PResult<T> = Result<T, (usize, &'static str)>;

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
        Parser {
            src: src.as_bytes(),
            pos: 0,
        }
    }

    fn skip_ws(&mut self) {
        while self.pos < self.src.len()
            && (self.src[self.pos] == b' ' || self.src[self.pos] == b'\t')
        {
            self.pos += 1;
        }
    }

    /// 1-based column of the next token.
    fn col(&mut self) -> usize {
        self.skip_ws();
        self.pos + 1
    }

    fn eat(&mut self, tok: &str) -> bool {
        self.skip_ws();
        if self.src[self.pos..].starts_with(tok.as_bytes()) {
            self.pos += tok.len();
            true
        } else {
            false
        }
    }

    fn parse(mut self) -> PResult<Expr> {
        let (e, _) = self.binary(0, 0)?;
        self.skip_ws();
        if self.pos < self.src.len() {
            return Err((self.pos + 1, "unexpected input after the expression"));
        }
        Ok(e)
    }

    /// Python's binary precedence levels, loosest first. `nest`: how deep the caller is;
    /// returns the expression and how deep its tree is.
    fn binary(&mut self, level: usize, nest: u32) -> PResult<(Expr, u32)> {
        const LEVELS: [&[(&str, BinOp)]; 6] = [
            &[("|", BinOp::Or)],
            &[("^", BinOp::Xor)],
            &[("&", BinOp::And)],
            &[("<<", BinOp::Shl), (">>", BinOp::Shr)],
            &[("+", BinOp::Add), ("-", BinOp::Sub)],
            &[
                ("*", BinOp::Mul),
                ("//", BinOp::FloorDiv),
                ("%", BinOp::Mod),
            ],
        ];
        if level == LEVELS.len() {
            return self.unary(nest);
        }
        let (mut lhs, mut depth) = self.binary(level + 1, nest)?;
        'outer: loop {
            self.skip_ws();
            for &(tok, op) in LEVELS[level] {
                // `*` must not match the first half of `**`, nor `/` stand alone.
                if tok == "*" && self.src[self.pos..].starts_with(b"**") {
                    return Err((self.pos + 1, "`**` is not supported"));
                }
                let at = self.pos + 1;
                if self.eat(tok) {
                    let (rhs, d) = self.binary(level + 1, nest)?;
                    depth = depth.max(d) + 1;
                    if nest + depth > MAX_DEPTH {
                        return Err((at, TOO_DEEP));
                    }
                    lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
                    continue 'outer;
                }
            }
            if self.src[self.pos..].starts_with(b"/") {
                return Err((
                    self.pos + 1,
                    "`/` is true division, which integers do not have here: use `//`",
                ));
            }
            return Ok((lhs, depth));
        }
    }

    fn unary(&mut self, nest: u32) -> PResult<(Expr, u32)> {
        let col = self.col();
        let wrap: fn(Box<Expr>) -> Expr = if self.eat("-") {
            Expr::Neg
        } else if self.eat("+") {
            |e| *e
        } else if self.eat("~") {
            Expr::Invert
        } else {
            return self.atom(nest);
        };
        if nest >= MAX_DEPTH {
            return Err((col, TOO_DEEP));
        }
        let (e, d) = self.unary(nest + 1)?;
        Ok((wrap(Box::new(e)), d + 1))
    }

    fn atom(&mut self, nest: u32) -> PResult<(Expr, u32)> {
        let col = self.col();
        if self.eat("(") {
            if nest >= MAX_DEPTH {
                return Err((col, TOO_DEEP));
            }
            let (e, d) = self.binary(0, nest + 1)?;
            if !self.eat(")") {
                return Err((self.col(), "expected `)`"));
            }
            return Ok((e, d + 1));
        }
        let rest = &self.src[self.pos..];
        match rest.first() {
            Some(b'x')
                if !rest
                    .get(1)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') =>
            {
                self.pos += 1;
                Ok((Expr::X, 1))
            }
            Some(c) if c.is_ascii_digit() => Ok((self.number(col)?, 1)),
            Some(_) => Err((col, "expected a number, `x` or `(`")),
            None => Err((col, "unexpected end of the expression")),
        }
    }

    /// Decimal, 0x, 0o and 0b literals with underscores, as Python writes them.
    fn number(&mut self, col: usize) -> PResult<Expr> {
        let start = self.pos;
        while self.pos < self.src.len()
            && (self.src[self.pos].is_ascii_alphanumeric() || self.src[self.pos] == b'_')
        {
            self.pos += 1;
        }
        let text = core::str::from_utf8(&self.src[start..self.pos]).unwrap_or("");
        // (`get`, not `[2..]`: the text is ASCII, and core's message for a slice that is
        // not on a char boundary brings kilobytes of Unicode tables.)
        let after_prefix = text.get(2..).unwrap_or("");
        let (radix, digits) = match text.get(..2) {
            Some("0x" | "0X") => (16, after_prefix),
            Some("0o" | "0O") => (8, after_prefix),
            Some("0b" | "0B") => (2, after_prefix),
            _ => (10, text),
        };
        let bad = || (col, "invalid integer literal");
        if digits.is_empty()
            || digits.starts_with('_')
            || digits.ends_with('_')
            || digits.contains("__")
        {
            return Err(bad());
        }
        if radix == 10
            && digits.len() > 1
            && digits.starts_with('0')
            && digits.bytes().any(|b| b != b'0' && b != b'_')
        {
            return Err((
                col,
                "leading zeros in decimal integer literals are not permitted",
            ));
        }
        let mut v: i128 = 0;
        for c in digits.bytes().filter(|&c| c != b'_') {
            let d = (c as char).to_digit(radix).ok_or_else(bad)? as i128;
            // Past i64 the value only needs to be known as "too big".
            v = (v * radix as i128 + d).min(1 << 64);
        }
        Ok(Expr::Int(v))
    }
}

// --- lowering to IR -------------------------------------------------------------------------

struct Lower {
    b: FunctionBuilder,
    overflow: HostId,
    divzero: HostId,
    negshift: HostId,
}

fn lower(e: &Expr) -> Result<Module, String> {
    let mut m = Module::new();
    let sig0 = Signature {
        params: Vec::new(),
        ret: Type::I64,
    };
    // SAFETY: each is an extern "C" fn() -> i64 (that never returns).
    let (overflow, divzero, negshift) = unsafe {
        (
            m.add_host("overflow", sig0.clone(), overflow as *const () as usize),
            m.add_host(
                "division_by_zero",
                sig0.clone(),
                division_by_zero as *const () as usize,
            ),
            m.add_host("negative_shift", sig0, negative_shift as *const () as usize),
        )
    };
    let mut l = Lower {
        b: FunctionBuilder::new("calc", &[Type::I64], Type::I64),
        overflow,
        divzero,
        negshift,
    };
    let v = l.expr(e);
    l.b.ret(v);
    m.add(l.b.finish().map_err(|e| alloc::format!("{e}"))?);
    Ok(m)
}

impl Lower {
    /// A block that reports an error through `host` (which exits).
    fn error_block(&mut self, host: HostId) -> jit::Block {
        let here = self.b.current_block();
        let blk = self.b.create_block();
        self.b.switch_to(blk);
        let r = self.b.call_host(host, Type::I64, &[]);
        self.b.ret(r);
        self.b.switch_to(here);
        blk
    }

    fn checked(&mut self, op: CheckedOp, a: Value, b: Value) -> Value {
        let fail = self.error_block(self.overflow);
        self.b.checked(op, a, b, fail, &[])
    }

    /// Branches to an error block when `cond` holds, continuing in a fresh block otherwise.
    fn guard(&mut self, op: Cmp, a: Value, b: Value, host: HostId) {
        let err = self.error_block(host);
        let cont = self.b.create_block();
        let c = self.b.cmp(op, a, b);
        self.b.branch(c, err, &[], cont, &[]);
        self.b.switch_to(cont);
    }

    fn expr(&mut self, e: &Expr) -> Value {
        match e {
            Expr::X => self.b.param(0),
            Expr::Int(v) => match i64::try_from(*v) {
                Ok(v) => self.b.iconst(v),
                // A literal past 64 bits: the program overflows as soon as it gets here.
                Err(_) => self.b.call_host(self.overflow, Type::I64, &[]),
            },
            Expr::Neg(a) => {
                let a = self.expr(a);
                let zero = self.b.iconst(0);
                self.checked(CheckedOp::Sub, zero, a)
            }
            Expr::Invert(a) => {
                let a = self.expr(a);
                self.b.unary(UnOp::Not, a)
            }
            Expr::Bin(op, a, b) => {
                let (a, b) = (self.expr(a), self.expr(b));
                match op {
                    BinOp::Add => self.checked(CheckedOp::Add, a, b),
                    BinOp::Sub => self.checked(CheckedOp::Sub, a, b),
                    BinOp::Mul => self.checked(CheckedOp::Mul, a, b),
                    BinOp::FloorDiv | BinOp::Mod => {
                        let zero = self.b.iconst(0);
                        self.guard(Cmp::Eq, b, zero, self.divzero);
                        let op = if *op == BinOp::FloorDiv {
                            CheckedOp::DivF
                        } else {
                            CheckedOp::ModF
                        };
                        self.checked(op, a, b)
                    }
                    BinOp::Shl => {
                        let zero = self.b.iconst(0);
                        self.guard(Cmp::Lt, b, zero, self.negshift);
                        // 0 << n is 0 for any n; otherwise shl.ovf fails past 63 or on lost bits.
                        let (zero_case, shift_case, join) = (
                            self.b.create_block(),
                            self.b.create_block(),
                            self.b.create_block(),
                        );
                        let out = self.b.append_block_param(join, Type::I64);
                        let is_zero = self.b.cmp(Cmp::Eq, a, zero);
                        self.b.branch(is_zero, zero_case, &[], shift_case, &[]);
                        self.b.switch_to(zero_case);
                        self.b.jump(join, &[zero]);
                        self.b.switch_to(shift_case);
                        let r = self.checked(CheckedOp::Shl, a, b);
                        self.b.jump(join, &[r]);
                        self.b.switch_to(join);
                        out
                    }
                    BinOp::Shr => {
                        let zero = self.b.iconst(0);
                        self.guard(Cmp::Lt, b, zero, self.negshift);
                        self.checked(CheckedOp::Sar, a, b)
                    }
                    BinOp::And => self.b.binary(jit::BinOp::And, a, b),
                    BinOp::Or => self.b.binary(jit::BinOp::Or, a, b),
                    BinOp::Xor => self.b.binary(jit::BinOp::Xor, a, b),
                }
            }
        }
    }
}
