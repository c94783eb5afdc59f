//! Fault injection for resilience tests: latency, 5xx answers, dropped connections and
//! throttling storms, by operation and by probability, decided by a seeded generator so a
//! test sees the same faults on every run.

use std::time::Duration;

/// One kind of fault.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer normally, but only after this long on the server's clock.
    Latency(Duration),
    /// Answer with this HTTP status (e.g. 503) and a plain-text body, as an outage does.
    Status(u16),
    /// Send the headers, then break the connection before the body is complete.
    DropConnection,
    /// Answer `TOO_MANY_REQUEST` in an HTTP 200 FAIL, whatever the seller's real rate.
    Throttle,
}

/// When a [`Fault`] applies: which operations, how likely, how many times.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    fault: Fault,
    operation: Option<String>,
    probability: f64,
    times: Option<u64>,
}

impl FaultRule {
    /// The fault on every request of every operation, until narrowed.
    pub fn new(fault: Fault) -> Self {
        Self {
            fault,
            operation: None,
            probability: 1.0,
            times: None,
        }
    }

    /// Only on this operation (its Rust method name, e.g. `register_product`).
    pub fn on(mut self, operation_id: impl Into<String>) -> Self {
        self.operation = Some(operation_id.into());
        self
    }

    /// Only on this share of the matching requests (0.0 to 1.0), drawn from the seeded
    /// generator.
    pub fn probability(mut self, probability: f64) -> Self {
        self.probability = probability.clamp(0.0, 1.0);
        self
    }

    /// At most this many times in all; a throttling storm of `n` requests is
    /// `FaultRule::new(Fault::Throttle).times(n)`.
    pub fn times(mut self, times: u64) -> Self {
        self.times = Some(times);
        self
    }
}

/// The faults a local server injects, with the seed of the generator that decides them.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    rules: Vec<FaultRule>,
    seed: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Self::seeded(0x5EED)
    }
}

impl Faults {
    /// No faults yet, with the generator seeded by `seed`.
    pub fn seeded(seed: u64) -> Self {
        Self {
            rules: Vec::new(),
            seed,
        }
    }

    /// Adds a rule. Rules are tried in order; the first that fires decides the request.
    pub fn rule(mut self, rule: FaultRule) -> Self {
        self.rules.push(rule);
        self
    }
}

/// The faults in force, with how often each has fired and the generator's state.
#[derive(Debug)]
pub(crate) struct FaultState {
    rules: Vec<(FaultRule, u64)>,
    random: SplitMix64,
}

impl FaultState {
    pub(crate) fn new(faults: Faults) -> Self {
        Self {
            rules: faults.rules.into_iter().map(|rule| (rule, 0)).collect(),
            random: SplitMix64(faults.seed),
        }
    }

    /// Replaces the rules (and reseeds), e.g. to end a storm in the middle of a test.
    pub(crate) fn replace(&mut self, faults: Faults) {
        *self = Self::new(faults);
    }

    /// The fault for one request of `operation_id`, if any fires.
    pub(crate) fn pick(&mut self, operation_id: &str) -> Option<Fault> {
        for (rule, fired) in &mut self.rules {
            if rule
                .operation
                .as_deref()
                .is_some_and(|op| op != operation_id)
                || rule.times.is_some_and(|times| *fired >= times)
            {
                continue;
            }
            // Draw for every matching rule, so one rule's outcome does not shift another's.
            if self.random.next_unit() < rule.probability {
                *fired += 1;
                return Some(rule.fault.clone());
            }
        }
        None
    }
}

/// A small, fixed pseudo-random generator (SplitMix64): the same seed gives the same faults
/// on every platform and version.
#[derive(Debug)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    fn next_unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(faults: Faults, operation: &str, requests: usize) -> usize {
        let mut state = FaultState::new(faults);
        (0..requests)
            .filter(|_| state.pick(operation).is_some())
            .count()
    }

    #[test]
    fn a_rule_fires_only_on_its_operation_and_only_as_often_as_told() {
        let faults = Faults::seeded(1).rule(
            FaultRule::new(Fault::Status(503))
                .on("get_product")
                .times(3),
        );
        assert_eq!(fired(faults.clone(), "get_product", 10), 3);
        assert_eq!(fired(faults, "list_products", 10), 0);
    }

    #[test]
    fn the_same_seed_gives_the_same_faults_and_the_share_is_near_the_probability() {
        let faults = Faults::seeded(42).rule(FaultRule::new(Fault::Throttle).probability(0.3));
        let mut a = FaultState::new(faults.clone());
        let mut b = FaultState::new(faults.clone());
        let first: Vec<_> = (0..200).map(|_| a.pick("x").is_some()).collect();
        let second: Vec<_> = (0..200).map(|_| b.pick("x").is_some()).collect();
        assert_eq!(first, second);
        let share = fired(faults, "x", 10_000) as f64 / 10_000.0;
        assert!((0.27..0.33).contains(&share), "share {share}");
    }
}
