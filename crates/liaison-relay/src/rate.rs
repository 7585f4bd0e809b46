//! Token buckets: one per connection for requests (`burst` at once,
//! refilled at `per_second`), and one per officer for key-package claims
//! ([`ClaimBudgets`]).

use std::collections::HashMap;
use std::time::Instant;

/// One connection's request budget.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    capacity: f64,
    per_second: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    pub(crate) fn new(per_second: u32, burst: u32) -> Self {
        Self::with_rate(f64::from(per_second), burst)
    }

    fn with_rate(per_second: f64, burst: u32) -> Self {
        let capacity = f64::from(burst.max(1));
        Self {
            capacity,
            per_second,
            tokens: capacity,
            last: Instant::now(),
        }
    }

    /// Whether the bucket has refilled completely by `now` (it then holds
    /// nothing a fresh bucket would not).
    fn full_at(&self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens + elapsed * self.per_second >= self.capacity
    }

    /// Takes one token if there is one.
    pub(crate) fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Key-package claims per officer (its directory key: authority and
/// officer id), shared by all its connections. Buckets that have refilled
/// are forgotten, so the map holds only officers who claimed recently.
#[derive(Debug)]
pub(crate) struct ClaimBudgets {
    per_hour: u32,
    burst: u32,
    buckets: HashMap<String, TokenBucket>,
}

/// Forget refilled buckets once this many are held.
const SWEEP_AT: usize = 1024;

impl ClaimBudgets {
    pub(crate) fn new(per_hour: u32, burst: u32) -> Self {
        Self {
            per_hour,
            burst,
            buckets: HashMap::new(),
        }
    }

    /// Takes one claim from `officer`'s budget if it has one left.
    pub(crate) fn take(&mut self, officer: &str, now: Instant) -> bool {
        if self.buckets.len() >= SWEEP_AT {
            self.buckets.retain(|_, bucket| !bucket.full_at(now));
        }
        let (per_hour, burst) = (self.per_hour, self.burst);
        self.buckets
            .entry(officer.to_owned())
            .or_insert_with(|| TokenBucket::with_rate(f64::from(per_hour) / 3600.0, burst))
            .take(now)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{ClaimBudgets, TokenBucket};

    #[test]
    fn claims_are_budgeted_per_officer_and_refill_over_the_hour() {
        let start = std::time::Instant::now();
        let mut budgets = ClaimBudgets::new(60, 5);
        assert!((0..5).all(|_| budgets.take("gbr/alice", start)));
        assert!(!budgets.take("gbr/alice", start));
        // Another officer has its own budget.
        assert!(budgets.take("fra/bob", start));
        // 60 an hour: one a minute.
        assert!(!budgets.take("gbr/alice", start + Duration::from_secs(30)));
        assert!(budgets.take("gbr/alice", start + Duration::from_secs(61)));
    }

    #[test]
    fn refilled_budgets_are_forgotten() {
        let start = std::time::Instant::now();
        let mut budgets = ClaimBudgets::new(3600, 2);
        for i in 0..super::SWEEP_AT {
            assert!(budgets.take(&format!("officer{i}"), start));
        }
        assert_eq!(budgets.buckets.len(), super::SWEEP_AT);
        assert!(budgets.take("late", start + Duration::from_secs(10)));
        assert_eq!(budgets.buckets.len(), 1);
    }

    #[test]
    fn burst_is_spent_then_refilled_at_the_rate() {
        let start = std::time::Instant::now();
        let mut bucket = TokenBucket::new(10, 3);
        assert!((0..3).all(|_| bucket.take(start)));
        assert!(!bucket.take(start));
        assert!(bucket.take(start + Duration::from_millis(110)));
        assert!(!bucket.take(start + Duration::from_millis(110)));
    }
}
