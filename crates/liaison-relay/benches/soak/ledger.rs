//! The soak's ground truth: what the relay acknowledged in each channel
//! (the content of each sequence number), and the counters every client
//! adds to (deliveries, duplicates, losses, errors).

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use liaison_proto::Seq;

/// A cheap fingerprint of a message's bytes, never 0 (0 marks a sequence
/// number not acknowledged yet). Enough to tell whether a delivery carries
/// the message that was acknowledged at its position.
pub(crate) fn content_hash(message: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    message.hash(&mut hasher);
    hasher.finish().max(1)
}

/// Each channel's acknowledged messages, by sequence number.
pub(crate) struct Ledger {
    channels: Vec<Mutex<Vec<u64>>>,
}

/// What a delivery was checked against.
pub(crate) enum Check {
    /// The acknowledged message at that position.
    Matches,
    /// Another message than the one acknowledged at that position.
    Differs,
    /// Nothing acknowledged there (yet).
    Unknown,
}

impl Ledger {
    pub(crate) fn new(channels: usize) -> Self {
        Self {
            channels: (0..channels).map(|_| Mutex::new(vec![0])).collect(),
        }
    }

    fn table(&self, channel: usize) -> std::sync::MutexGuard<'_, Vec<u64>> {
        self.channels[channel]
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Records an acknowledged message; `false` if the relay had already
    /// acknowledged another message at the same position.
    pub(crate) fn record(&self, channel: usize, seq: Seq, hash: u64) -> bool {
        let mut table = self.table(channel);
        let index = usize::try_from(seq).unwrap_or(usize::MAX);
        if table.len() <= index {
            table.resize(index + 1, 0);
        }
        let fresh = table[index] == 0;
        table[index] = hash;
        fresh
    }

    /// Compares a delivered message with the acknowledged one.
    pub(crate) fn check(&self, channel: usize, seq: Seq, hash: u64) -> Check {
        let table = self.table(channel);
        match usize::try_from(seq).ok().and_then(|i| table.get(i)) {
            None | Some(0) => Check::Unknown,
            Some(known) if *known == hash => Check::Matches,
            Some(_) => Check::Differs,
        }
    }

    /// The highest acknowledged sequence number of a channel.
    pub(crate) fn last_seq(&self, channel: usize) -> Seq {
        let table = self.table(channel);
        Seq::try_from(table.len().saturating_sub(1)).unwrap_or(Seq::MAX)
    }

    /// Positions up to the last acknowledged one that nobody saw
    /// acknowledged (an answer lost with its connection).
    pub(crate) fn holes(&self, channel: usize) -> u64 {
        let table = self.table(channel);
        table.iter().skip(1).filter(|h| **h == 0).count() as u64
    }
}

/// Counters shared by every client and the admin.
#[derive(Default)]
pub(crate) struct Tally {
    /// Submits written by clients.
    pub(crate) submitted: AtomicU64,
    /// Submits answered `accepted`.
    pub(crate) accepted: AtomicU64,
    /// Submits written and not answered yet.
    pub(crate) in_flight: AtomicU64,
    /// Deliveries received in order by push.
    pub(crate) pushed: AtomicU64,
    /// Deliveries received in order by a catch-up `fetch` after connecting.
    pub(crate) caught_up: AtomicU64,
    /// Deliveries at or below a client's cursor: received a second time.
    pub(crate) duplicates: AtomicU64,
    /// Positions skipped by a client's stream of deliveries: never to come.
    pub(crate) lost: AtomicU64,
    /// Deliveries whose bytes differ from the message acknowledged there.
    pub(crate) mismatched: AtomicU64,
    /// Deliveries checked against the acknowledged message.
    pub(crate) verified: AtomicU64,
    /// Deliveries read again by a fetch of recent history while subscribed.
    pub(crate) refetched: AtomicU64,
    /// Fetch requests of any kind.
    pub(crate) fetches: AtomicU64,
    /// Sessions ended on purpose to reconnect (each is followed by a login).
    pub(crate) reconnects: AtomicU64,
    /// Of those, connections dropped without a close frame.
    pub(crate) dropped: AtomicU64,
    /// Logins that succeeded.
    pub(crate) logins: AtomicU64,
    /// Admin commits processed by clients' MLS groups.
    pub(crate) commits_merged: AtomicU64,
    /// Commits the admin had accepted.
    pub(crate) commits: AtomicU64,
    /// Key packages published.
    pub(crate) published: AtomicU64,
    /// Key packages claimed.
    pub(crate) claimed: AtomicU64,
    /// Welcomes fetched and dropped by their recipient.
    pub(crate) welcomes: AtomicU64,
    errors: Mutex<BTreeMap<String, u64>>,
    examples: Mutex<Vec<String>>,
    ack_micros: Mutex<Vec<u32>>,
}

/// How many error descriptions are kept for the report.
const EXAMPLES: usize = 20;

pub(crate) fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

pub(crate) fn read(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

impl Tally {
    /// Counts one error by kind, keeping the first few descriptions.
    pub(crate) fn error(&self, kind: &str, detail: impl std::fmt::Display) {
        *self
            .errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(kind.to_owned())
            .or_insert(0) += 1;
        let mut examples = self.examples.lock().unwrap_or_else(|p| p.into_inner());
        if examples.len() < EXAMPLES {
            examples.push(format!("{kind}: {detail}"));
        }
    }

    pub(crate) fn errors(&self) -> BTreeMap<String, u64> {
        self.errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn error_count(&self) -> u64 {
        self.errors().values().sum()
    }

    pub(crate) fn examples(&self) -> Vec<String> {
        self.examples
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Records the time from writing a submit to its `accepted`.
    pub(crate) fn acknowledged(&self, took: Duration) {
        let micros = u32::try_from(took.as_micros()).unwrap_or(u32::MAX);
        self.ack_micros
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(micros);
    }

    /// Submit-to-accepted percentiles (p50, p99, max), in milliseconds.
    pub(crate) fn ack_percentiles(&self) -> (f64, f64, f64) {
        let mut all = self
            .ack_micros
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if all.is_empty() {
            return (0.0, 0.0, 0.0);
        }
        all.sort_unstable();
        let at = |p: f64| {
            let rank = (p * (all.len() - 1) as f64).round() as usize;
            f64::from(all[rank.min(all.len() - 1)]) / 1_000.0
        };
        (at(0.50), at(0.99), at(1.0))
    }
}

/// A small pseudo-random generator (SplitMix64): the soak needs timings and
/// sizes spread out, not cryptographic randomness.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn seeded() -> Self {
        let mut seed = [0u8; 8];
        // A fixed seed is as good if the system has no randomness to spare.
        let _ = getrandom::fill(&mut seed);
        Self(u64::from_le_bytes(seed))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [low, high).
    pub(crate) fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }

    /// Exponentially distributed with this mean: the gaps of a Poisson
    /// process, so many independent clients add up to a steady rate.
    pub(crate) fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }

    /// A duration uniform in [low, high) seconds.
    pub(crate) fn seconds(&mut self, low: f64, high: f64) -> Duration {
        Duration::from_secs_f64(self.between(low, high).max(0.0))
    }
}
