//! The shared schedule of one (seller, class) in Redis: a GCRA with a burst of one, kept by
//! one atomic Lua script on Redis's own clock.
//!
//! The key holds the theoretical arrival time (TAT): the earliest Redis time, in
//! microseconds, at which the next permit may be used. A caller asking at Redis time `now`
//! is given the slot `at = max(now, TAT)`, and the script stores `TAT = at + spacing` with a
//! TTL reaching just past it, so the key vanishes as soon as it stops mattering. The answer
//! is "go" when `at == now`, else "wait `at - now`": the caller sleeps that long and sends;
//! the slot is its own, so it does not ask again (a poll-and-retry scheme loses the timer's
//! overshoot on every slot, 5 % of a 30/s quota, and costs a round trip per retry).
//!
//! With `spacing = ceil((1 s + margin) / quota)`, consecutive slots are exactly `spacing`
//! apart on Redis's clock or more, so any `quota + 1` slots span at least
//! `quota * spacing >= 1 s + margin`: no sliding one-second window holds more than `quota` of
//! them, even when a request reaches the vendor up to `margin` later after its slot than the
//! request `quota` slots after it (a process woken late, a slower connection). That is the burst trap of
//! the engineering notes avoided by construction: a GCRA whose burst equals the quota would
//! let an idle key take `quota` at once and `quota - 1` more within the same second.
//!
//! `TIME` is Redis's clock, so the fleet's own clocks may disagree freely. (A failover to a
//! replica whose clock is behind could grant early for that difference.) A caller that is
//! cancelled while it waits leaves its slot unused: the fleet sends less, never more.

use std::time::Duration;

use super::{RedisFault, RedisLink};

/// The script. `KEYS[1]`: the (seller, class) key; `ARGV[1]`: the spacing in microseconds.
/// Returns `{at, wait}`: the caller's slot (µs since the Unix epoch, Redis time) and how
/// long until it (µs; 0 means go).
const SCRIPT: &str = r"
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local spacing = tonumber(ARGV[1])
local at = tonumber(redis.call('GET', KEYS[1])) or now
if at < now then
  at = now
end
local tat = at + spacing
-- One millisecond past the TAT: expiry counts in whole milliseconds, and a key that vanished
-- before its TAT would hand out a slot too early.
local ttl = math.ceil((tat - now) / 1000) + 1
-- %.0f: Lua would format a 16-digit number with %.14g and lose the microseconds.
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', ttl)
return {at, at - now}
";

/// The slot the script gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slot {
    /// When the permit may be used, on Redis's clock (since the Unix epoch).
    pub(crate) at: Duration,
    /// How long until then: zero means go now.
    pub(crate) wait: Duration,
}

/// The loaded script; `EVALSHA` first, `EVAL` when Redis lost its script cache (a restart).
#[derive(Debug)]
pub(crate) struct Gcra {
    script: redis::Script,
}

impl Gcra {
    pub(crate) fn new() -> Self {
        Self {
            script: redis::Script::new(SCRIPT),
        }
    }

    /// Reserves the next slot of `key`, `spacing` after the previous one.
    pub(crate) async fn reserve(
        &self,
        link: &RedisLink,
        key: &str,
        spacing: Duration,
    ) -> Result<Slot, RedisFault> {
        let micros = u64::try_from(spacing.as_micros()).unwrap_or(u64::MAX);
        let script = &self.script;
        let (at, wait): (i64, i64) = link
            .run("take a permit", |mut connection| async move {
                script
                    .key(key)
                    .arg(micros)
                    .invoke_async(&mut connection)
                    .await
            })
            .await?;
        // Negative values cannot come from the script; read them as zero rather than fail.
        let micros = |value: i64| Duration::from_micros(u64::try_from(value).unwrap_or(0));
        Ok(Slot {
            at: micros(at),
            wait: micros(wait),
        })
    }
}

/// The spacing that fits `quota` permits in any `1 s + margin` and no more:
/// `(1 s + margin) / quota`, rounded up to the microsecond (30/s spaced by a truncated
/// 33,333 µs would fit 31 in a second). `quota` must not be zero (zero means no limit,
/// handled before asking).
pub(crate) fn spacing(quota: u32, margin: Duration) -> Duration {
    let period =
        1_000_000_u64.saturating_add(u64::try_from(margin.as_micros()).unwrap_or(u64::MAX));
    Duration::from_micros(period.div_ceil(u64::from(quota.max(1))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spacing_never_fits_more_than_the_quota_in_a_second() {
        for quota in [1, 3, 7, 10, 30, 50, 999, 1_000_000] {
            let spacing = spacing(quota, Duration::ZERO);
            assert!(spacing * quota >= Duration::from_secs(1), "{quota}");
            // And not needlessly slower: one microsecond of rounding at most.
            assert!(
                spacing * quota < Duration::from_secs(1) + Duration::from_micros(u64::from(quota)),
                "{quota}"
            );
        }
    }

    #[test]
    fn the_margin_stretches_the_quota_over_a_longer_period() {
        let margin = Duration::from_millis(25);
        assert_eq!(spacing(10, margin), Duration::from_micros(102_500));
        for quota in [1, 3, 10, 30, 50] {
            assert!(spacing(quota, margin) * quota >= Duration::from_secs(1) + margin);
        }
    }
}
