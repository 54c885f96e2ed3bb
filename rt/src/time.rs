//! Clocks: [`Instant`] (monotonic, for measuring) and [`SystemTime`] (the wall clock, for
//! timestamps), with `core::time::Duration` — the shapes of std's.
//!
//! ```
//! let start = rt::time::Instant::now();
//! let since_epoch = rt::time::SystemTime::now()
//!     .duration_since(rt::time::SystemTime::UNIX_EPOCH)
//!     .unwrap();
//! assert!(since_epoch.as_secs() > 1_600_000_000);
//! assert!(start.elapsed() < core::time::Duration::from_secs(60));
//! ```

use crate::sys::{self, ClockId, Timespec};
use core::time::Duration;

/// A point on the monotonic clock (CLOCK_MONOTONIC: never jumps, not wall time).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(u64);

impl Instant {
    pub fn now() -> Instant {
        // The monotonic clock cannot fail on Linux; zero if a sandbox forbids it.
        Instant(sys::clock_gettime(ClockId::Monotonic).map_or(0, |t| t.as_nanos()))
    }

    /// Time since `earlier` (zero if `earlier` is later).
    pub fn duration_since(&self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.0.saturating_sub(earlier.0))
    }

    pub fn elapsed(&self) -> Duration {
        Instant::now().duration_since(*self)
    }
}

impl core::ops::Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, d: Duration) -> Instant {
        Instant(self.0.saturating_add(d.as_nanos() as u64))
    }
}

/// A point on the wall clock (CLOCK_REALTIME), in nanoseconds from the Unix epoch;
/// before the epoch is negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SystemTime(i128);

impl SystemTime {
    /// 1970-01-01 00:00:00 UTC.
    pub const UNIX_EPOCH: SystemTime = SystemTime(0);

    pub fn now() -> SystemTime {
        SystemTime::from_timespec(sys::clock_gettime(ClockId::Realtime).unwrap_or_default())
    }

    /// From a `struct timespec` (as in [`crate::sys::Stat`]'s times).
    pub fn from_timespec(t: Timespec) -> SystemTime {
        SystemTime(t.sec as i128 * 1_000_000_000 + t.nsec as i128)
    }

    /// Time since `earlier`, or the time it is ahead as the error (std's shape).
    pub fn duration_since(&self, earlier: SystemTime) -> Result<Duration, Duration> {
        let d = self.0 - earlier.0;
        let abs = Duration::from_nanos(d.unsigned_abs().min(u64::MAX as u128) as u64);
        if d >= 0 { Ok(abs) } else { Err(abs) }
    }

    /// Seconds since the epoch, negative before it (what `ls -l` and `stat` work from).
    pub fn unix_seconds(&self) -> i64 {
        self.0.div_euclid(1_000_000_000) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_agree_with_std() {
        let a = Instant::now();
        let std_now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap();
        let ours = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap();
        assert!(ours.abs_diff(std_now) < Duration::from_secs(5));
        assert!(a.elapsed() < Duration::from_secs(5));
        assert_eq!(
            SystemTime::UNIX_EPOCH
                .duration_since(SystemTime::from_timespec(Timespec { sec: 1, nsec: 0 })),
            Err(Duration::from_secs(1))
        );
        assert_eq!(
            SystemTime::from_timespec(Timespec { sec: -1, nsec: 500 }).unix_seconds(),
            -1
        );
    }
}
