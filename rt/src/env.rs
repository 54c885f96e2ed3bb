//! Arguments, environment and auxiliary vector, read from the initial stack.
//!
//! The kernel starts a process with `rsp` pointing at:
//! `argc, argv[0..argc], NULL, envp..., NULL, (key, value) auxv pairs..., AT_NULL`.
//! `_start` hands that pointer to [`init`]; nothing is copied or parsed up front (so a
//! program that never looks pays nothing), and the auxv is found by walking past envp on
//! demand. Never /proc/self/auxv: under qemu-user it describes the host's process.
//!
//! Arguments and variables are byte strings (`&'static [u8]`): Linux allows any bytes but NUL,
//! and a non-UTF-8 argument must not be an error. In a std program that did not start
//! through rt, [`init`] was never called: args and vars are empty and [`page_size`] is 4096.

use core::ffi::CStr;
use core::sync::atomic::{AtomicPtr, Ordering};

/// `AT_NULL`, the auxv terminator.
pub const AT_NULL: usize = 0;
/// `AT_PAGESZ`: the system page size.
pub const AT_PAGESZ: usize = 6;
/// `AT_RANDOM`: address of 16 random bytes from the kernel.
pub const AT_RANDOM: usize = 25;
/// `AT_EXECFN`: address of the path the program was executed as.
pub const AT_EXECFN: usize = 31;

/// A view of the initial process stack.
#[derive(Clone, Copy, Debug)]
pub struct InitialStack {
    argc: usize,
    argv: *const *const u8,
    envp: *const *const u8,
}

// SAFETY: the stack image is immutable and lives for the whole program.
unsafe impl Send for InitialStack {}
unsafe impl Sync for InitialStack {}

unsafe fn c_bytes(p: *const u8) -> &'static [u8] {
    // SAFETY: the caller passes a NUL-terminated string that lives forever.
    unsafe { CStr::from_ptr(p.cast()).to_bytes() }
}

impl InitialStack {
    /// Reads the layout at `sp`. O(1): argv and envp are located, nothing is walked.
    ///
    /// # Safety
    /// `sp` must point at a well-formed initial stack (as above) whose words and strings
    /// stay valid and unchanged for the rest of the program.
    pub unsafe fn from_raw(sp: *const usize) -> InitialStack {
        // SAFETY: forwarded to the caller: argc, then argc + 1 argv slots, then envp.
        unsafe {
            let argc = *sp;
            let argv = sp.add(1).cast::<*const u8>();
            InitialStack {
                argc,
                argv,
                envp: argv.add(argc + 1),
            }
        }
    }

    pub fn argc(&self) -> usize {
        self.argc
    }

    /// argv as the kernel laid it out: a NULL-terminated array of NUL-terminated strings,
    /// for passing on unchanged (to [`crate::sys::execve`]).
    pub fn argv_ptr(&self) -> *const *const core::ffi::c_char {
        self.argv.cast()
    }

    /// envp as the kernel laid it out (NULL-terminated), for passing on unchanged.
    pub fn envp_ptr(&self) -> *const *const core::ffi::c_char {
        self.envp.cast()
    }

    /// The arguments, program name first.
    pub fn args(&self) -> Args {
        Args {
            next: self.argv,
            left: self.argc,
        }
    }

    /// The raw `NAME=value` entries, including any without '='.
    pub fn env(&self) -> EnvEntries {
        EnvEntries { next: self.envp }
    }

    /// `(name, value)` pairs, split at the first '=' after the first byte (as std does, so
    /// `=x=1` is named `=x`). Entries with no '=' are skipped.
    pub fn vars(&self) -> Vars {
        Vars {
            entries: self.env(),
        }
    }

    /// The value of the first variable named `name`.
    pub fn var(&self, name: &[u8]) -> Option<&'static [u8]> {
        self.vars().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The auxiliary vector's `(key, value)` pairs, up to AT_NULL.
    pub fn auxv(&self) -> Auxv {
        let mut p = self.envp;
        // SAFETY: envp is NULL-terminated per the layout; auxv starts after the NULL.
        unsafe {
            while !(*p).is_null() {
                p = p.add(1);
            }
            Auxv {
                next: p.add(1).cast(),
            }
        }
    }

    /// One auxv value.
    pub fn aux(&self, key: usize) -> Option<usize> {
        self.auxv().find(|&(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Iterator over argv.
#[derive(Clone)]
pub struct Args {
    next: *const *const u8,
    left: usize,
}

impl Iterator for Args {
    type Item = &'static [u8];
    fn next(&mut self) -> Option<&'static [u8]> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        // SAFETY: fewer than argc entries were read; each is a NUL-terminated string.
        unsafe {
            let s = *self.next;
            self.next = self.next.add(1);
            Some(c_bytes(s))
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Args {}

/// Iterator over the raw environment entries.
#[derive(Clone)]
pub struct EnvEntries {
    next: *const *const u8,
}

impl Iterator for EnvEntries {
    type Item = &'static [u8];
    fn next(&mut self) -> Option<&'static [u8]> {
        // SAFETY: envp is NULL-terminated; we stop at the NULL and never step past it.
        unsafe {
            let s = *self.next;
            if s.is_null() {
                return None;
            }
            self.next = self.next.add(1);
            Some(c_bytes(s))
        }
    }
}

/// Iterator over `(name, value)` environment pairs.
#[derive(Clone)]
pub struct Vars {
    entries: EnvEntries,
}

/// Splits `NAME=value`; the name is never empty, so a leading '=' belongs to it.
pub fn split_entry(entry: &[u8]) -> Option<(&[u8], &[u8])> {
    let eq = entry.iter().skip(1).position(|&b| b == b'=')? + 1;
    Some((&entry[..eq], &entry[eq + 1..]))
}

impl Iterator for Vars {
    type Item = (&'static [u8], &'static [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        self.entries.by_ref().find_map(split_entry)
    }
}

/// Iterator over auxv pairs.
#[derive(Clone)]
pub struct Auxv {
    next: *const usize,
}

impl Iterator for Auxv {
    type Item = (usize, usize);
    fn next(&mut self) -> Option<(usize, usize)> {
        // SAFETY: the vector ends with AT_NULL; we stop there and never step past it.
        unsafe {
            let key = *self.next;
            if key == AT_NULL {
                return None;
            }
            let value = *self.next.add(1);
            self.next = self.next.add(2);
            Some((key, value))
        }
    }
}

/// A stack image with no arguments, no environment and an empty auxv, used before [`init`].
static EMPTY_STACK: [usize; 4] = [0; 4];
static STACK: AtomicPtr<usize> = AtomicPtr::new(core::ptr::null_mut());

/// Records the initial stack. `_start` calls this; nothing else needs to.
///
/// # Safety
/// As for [`InitialStack::from_raw`].
pub unsafe fn init(sp: *const usize) {
    STACK.store(sp.cast_mut(), Ordering::Relaxed);
}

/// Whether [`init`] ran: this process is a freestanding program started by rt's `_start`,
/// whose one thread is the one running now (rt starts no others).
#[cfg_attr(not(feature = "buffered-stdout"), allow(dead_code))] // stdout's reentrant lock
pub(crate) fn started_by_rt() -> bool {
    !STACK.load(Ordering::Relaxed).is_null()
}

/// The initial stack recorded by [`init`], or an empty one.
pub fn initial_stack() -> InitialStack {
    let sp = STACK.load(Ordering::Relaxed);
    let sp = if sp.is_null() {
        EMPTY_STACK.as_ptr()
    } else {
        sp.cast_const()
    };
    // SAFETY: either the real initial stack (init's contract) or the static empty image.
    unsafe { InitialStack::from_raw(sp) }
}

/// The program's arguments, program name first.
pub fn args() -> Args {
    initial_stack().args()
}

/// Argument `i` (0 is the program name).
pub fn arg(i: usize) -> Option<&'static [u8]> {
    args().nth(i)
}

/// The value of environment variable `name`.
pub fn var(name: impl AsRef<[u8]>) -> Option<&'static [u8]> {
    initial_stack().var(name.as_ref())
}

/// All `(name, value)` environment pairs.
pub fn vars() -> Vars {
    initial_stack().vars()
}

/// One auxiliary-vector value.
pub fn aux(key: usize) -> Option<usize> {
    initial_stack().aux(key)
}

/// The page size the kernel reported (4096 if unknown).
pub fn page_size() -> usize {
    aux(AT_PAGESZ).unwrap_or(4096)
}

/// The 16 random bytes the kernel placed on the stack (AT_RANDOM): a seed for hashing.
pub fn random_bytes() -> Option<&'static [u8; 16]> {
    // SAFETY: AT_RANDOM points at 16 bytes the kernel wrote and never changes.
    aux(AT_RANDOM).map(|p| unsafe { &*(p as *const [u8; 16]) })
}

/// The path the program was executed as (AT_EXECFN).
pub fn execfn() -> Option<&'static [u8]> {
    // SAFETY: AT_EXECFN points at a NUL-terminated string on the initial stack.
    aux(AT_EXECFN).map(|p| unsafe { c_bytes(p as *const u8) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::boxed::Box;
    use std::ffi::CString;
    use std::vec::Vec;

    /// Builds (and leaks) a stack image as the kernel lays it out.
    fn fabricate(args: &[&[u8]], env: &[&[u8]], auxv: &[(usize, usize)]) -> InitialStack {
        let leak = |s: &[u8]| CString::new(s).unwrap().into_raw() as usize;
        let mut words: Vec<usize> = std::vec![args.len()];
        words.extend(args.iter().map(|a| leak(a)));
        words.push(0);
        words.extend(env.iter().map(|e| leak(e)));
        words.push(0);
        for &(k, v) in auxv {
            words.extend([k, v]);
        }
        words.extend([AT_NULL, 0]);
        let words = Box::leak(words.into_boxed_slice());
        unsafe { InitialStack::from_raw(words.as_ptr()) }
    }

    #[test]
    fn parses_args_env_and_auxv() {
        let random = Box::leak(Box::new([7u8; 16]));
        let execfn = CString::new("/bin/prog").unwrap().into_raw();
        let st = fabricate(
            &[b"prog", b"a b", b"\xff\xfe"],
            &[
                b"HOME=/root",
                b"EMPTY=",
                b"NOEQUALS",
                b"=odd=1",
                b"HOME=second",
            ],
            &[
                (AT_PAGESZ, 4096),
                (AT_RANDOM, random.as_ptr() as usize),
                (AT_EXECFN, execfn as usize),
            ],
        );
        assert_eq!(st.argc(), 3);
        assert_eq!(
            st.args().collect::<Vec<_>>(),
            [&b"prog"[..], b"a b", b"\xff\xfe"]
        );
        assert_eq!(st.args().len(), 3);
        assert_eq!(st.env().count(), 5);
        assert_eq!(st.var(b"HOME"), Some(&b"/root"[..]), "first match wins");
        assert_eq!(st.var(b"EMPTY"), Some(&b""[..]));
        assert_eq!(st.var(b"NOEQUALS"), None);
        assert_eq!(st.var(b"=odd"), Some(&b"1"[..]));
        assert_eq!(st.var(b"MISSING"), None);
        assert_eq!(st.vars().count(), 4);
        assert_eq!(st.aux(AT_PAGESZ), Some(4096));
        assert_eq!(st.auxv().count(), 3);
        assert_eq!(st.aux(AT_RANDOM), Some(random.as_ptr() as usize));
    }

    #[test]
    fn empty_stack_has_nothing() {
        let st = fabricate(&[], &[], &[]);
        assert_eq!(st.args().count(), 0);
        assert_eq!(st.vars().count(), 0);
        assert_eq!(st.auxv().count(), 0);
        // Before init, the globals read the static empty image.
        assert_eq!(args().count(), 0);
        assert_eq!(var("PATH"), None);
        assert_eq!(page_size(), 4096);
        assert!(random_bytes().is_none() && execfn().is_none());
    }

    #[test]
    fn split_entry_matches_std_rules() {
        assert_eq!(split_entry(b"A=b=c"), Some((&b"A"[..], &b"b=c"[..])));
        assert_eq!(split_entry(b"=A=b"), Some((&b"=A"[..], &b"b"[..])));
        assert_eq!(split_entry(b"="), None);
        assert_eq!(split_entry(b"plain"), None);
    }
}
