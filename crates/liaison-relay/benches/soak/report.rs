//! Samples of the relay's memory over time, the growth criterion, and the
//! printed report.

use std::collections::BTreeMap;

use crate::relay_process::{Gauges, Memory};

/// One look at the relay (and at the clients' own process).
#[derive(Clone, Debug)]
pub(crate) struct Sample {
    /// Seconds since the bench started.
    pub(crate) elapsed: f64,
    pub(crate) phase: &'static str,
    pub(crate) memory: Memory,
    pub(crate) gauges: Option<Gauges>,
    pub(crate) database_bytes: u64,
    /// Deliveries received by all clients so far.
    pub(crate) delivered: u64,
    /// Resident memory of the bench process (the clients).
    pub(crate) bench_rss_kib: u64,
}

pub(crate) fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

pub(crate) fn print_sample_header() {
    println!(
        "{:>7} {:<7} {:>8} {:>8} {:>8} {:>4} {:>5} {:>6} {:>9} {:>11} {:>11} {:>8} {:>9}",
        "t (s)",
        "phase",
        "RSS MiB",
        "PSS MiB",
        "peak MiB",
        "thr",
        "slots",
        "conns",
        "accepted",
        "pushed",
        "delivered",
        "db MiB",
        "bench MiB"
    );
}

/// Prints a sample, timed from the soak clock's start when it is known
/// (negative before it).
pub(crate) fn print_sample(s: &Sample, soak_offset: Option<f64>) {
    let g = s.gauges.unwrap_or_default();
    let at = soak_offset.map_or_else(|| "-".to_owned(), |o| format!("{:.0}", s.elapsed - o));
    let pss = s
        .memory
        .pss_kib
        .map_or_else(|| "-".to_owned(), |p| format!("{:.1}", mib(p)));
    println!(
        "{:>7} {:<7} {:>8.1} {:>8} {:>8.1} {:>4} {:>5} {:>6} {:>9} {:>11} {:>11} {:>8.1} {:>9.1}",
        at,
        s.phase,
        mib(s.memory.rss_kib),
        pss,
        mib(s.memory.hwm_kib),
        s.memory.threads,
        g.group_slots,
        g.connections_open,
        g.accepted,
        g.pushed,
        s.delivered,
        s.database_bytes as f64 / (1024.0 * 1024.0),
        mib(s.bench_rss_kib),
    );
}

/// Whether the relay's memory stayed bounded: the mean RSS of the last
/// third of the soak against the mean of its middle third. The first third
/// is left out: caches, allocator arenas and buffers fill up there.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Growth {
    pub(crate) middle_mib: f64,
    pub(crate) last_mib: f64,
    pub(crate) ratio: f64,
    /// Least-squares slope of RSS over the last two thirds, MiB per minute.
    pub(crate) slope_mib_per_min: f64,
    /// Enough samples in each third to judge.
    pub(crate) judged: bool,
    pub(crate) bounded: bool,
}

/// Fewest samples per third to judge growth at all.
const MIN_SAMPLES_PER_THIRD: usize = 2;

pub(crate) fn growth(samples: &[Sample], soak_offset: f64, duration: f64, limit: f64) -> Growth {
    let rss_between = |from: f64, to: f64| -> Vec<(f64, f64)> {
        samples
            .iter()
            .map(|s| (s, s.elapsed - soak_offset))
            .filter(|(s, at)| s.phase == "soak" && *at >= from && *at <= to)
            .map(|(s, at)| (at, mib(s.memory.rss_kib)))
            .collect()
    };
    let middle = rss_between(duration / 3.0, 2.0 * duration / 3.0);
    let last = rss_between(2.0 * duration / 3.0, duration);
    let mean = |v: &[(f64, f64)]| v.iter().map(|p| p.1).sum::<f64>() / v.len().max(1) as f64;
    let (middle_mib, last_mib) = (mean(&middle), mean(&last));
    let ratio = last_mib / middle_mib.max(f64::EPSILON);
    let judged = middle.len() >= MIN_SAMPLES_PER_THIRD && last.len() >= MIN_SAMPLES_PER_THIRD;
    let tail = rss_between(duration / 3.0, duration);
    Growth {
        middle_mib,
        last_mib,
        ratio,
        slope_mib_per_min: slope(&tail) * 60.0,
        judged,
        bounded: !judged || ratio <= limit,
    }
}

/// Least-squares slope of y over x.
fn slope(points: &[(f64, f64)]) -> f64 {
    let n = points.len() as f64;
    if points.len() < 2 {
        return 0.0;
    }
    let (mx, my) = (
        points.iter().map(|p| p.0).sum::<f64>() / n,
        points.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let covariance: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let variance: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if variance == 0.0 {
        0.0
    } else {
        covariance / variance
    }
}

/// Deliveries owed to the clients and what became of them.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Deliveries {
    /// Every position after each client's join up to its channel's last
    /// acknowledged sequence number, summed over clients.
    pub(crate) expected: u64,
    pub(crate) pushed: u64,
    pub(crate) caught_up: u64,
    /// Skipped in a client's stream, or never read by the end.
    pub(crate) lost: u64,
    pub(crate) duplicated: u64,
    pub(crate) mismatched: u64,
    pub(crate) verified: u64,
}

impl Deliveries {
    pub(crate) fn received(&self) -> u64 {
        self.pushed + self.caught_up
    }
}

pub(crate) fn print_errors(errors: &BTreeMap<String, u64>, examples: &[String]) {
    if errors.is_empty() {
        println!("  errors: 0");
        return;
    }
    println!("  errors: {}", errors.values().sum::<u64>());
    for (kind, count) in errors {
        println!("    {count:>8}  {kind}");
    }
    println!("  first errors:");
    for example in examples {
        println!("    {example}");
    }
}
