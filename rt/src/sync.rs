//! A minimal spin lock. Freestanding programs are single-threaded, so the lock is almost
//! always free; it exists so rt's statics stay sound when a std program shares them across
//! threads.

use core::cell::UnsafeCell;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicBool, Ordering};

pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the lock hands out one guard at a time, so T is only reached from one thread at once.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    pub const fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    #[inline]
    pub fn lock(&self) -> SpinGuard<'_, T> {
        while self.locked.swap(true, Ordering::Acquire) {
            while self.locked.load(Ordering::Relaxed) {
                core::hint::spin_loop();
            }
        }
        SpinGuard {
            lock: self,
            release: true,
        }
    }

    #[inline]
    #[cfg_attr(not(feature = "buffered-stdout"), allow(dead_code))] // stdout's exit flush
    pub fn try_lock(&self) -> Option<SpinGuard<'_, T>> {
        if self.locked.swap(true, Ordering::Acquire) {
            None
        } else {
            Some(SpinGuard {
                lock: self,
                release: true,
            })
        }
    }

    /// A second guard while the lock is held by a frame below this one on the same thread
    /// (a `Display` that prints while `print!` formats it): the lock stays held until the
    /// outer guard goes.
    ///
    /// # Safety
    /// The lock must be held by this thread, and no `&mut T` from the outer guard may be
    /// live while this one is used (guards are dereferenced only for single operations that
    /// run no caller code).
    #[cfg_attr(not(feature = "buffered-stdout"), allow(dead_code))]
    pub unsafe fn reenter(&self) -> SpinGuard<'_, T> {
        SpinGuard {
            lock: self,
            release: false,
        }
    }

    /// The value without taking the lock, for a dying process (panic, exit) whose own frame
    /// may already hold it.
    ///
    /// # Safety
    /// No other thread may be using the value.
    #[allow(clippy::mut_from_ref)]
    #[cfg_attr(not(feature = "buffered-stdout"), allow(dead_code))]
    pub unsafe fn force(&self) -> &mut T {
        // SAFETY: forwarded to the caller.
        unsafe { &mut *self.value.get() }
    }
}

pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
    /// False for a guard from [`SpinLock::reenter`]: the outer guard releases the lock.
    release: bool,
}

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard proves exclusive access.
        unsafe { &*self.lock.value.get() }
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard proves exclusive access.
        unsafe { &mut *self.lock.value.get() }
    }
}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        if self.release {
            self.lock.locked.store(false, Ordering::Release);
        }
    }
}
