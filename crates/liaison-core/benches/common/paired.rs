//! Paired measurement: the engine and bare openmls alternate round by round,
//! so that load from other processes on a shared machine falls on both
//! alike, and the ratio of each round is taken before the median. Criterion
//! measures one benchmark after the other, so a build starting between the
//! two shifts their ratio; this does not. It also reports each side's CPU
//! time, which the fsync waits of the engine do not count in.
//!
//! Run with `cargo bench -p liaison-core --bench <name> -- --paired [rounds]`.

use std::time::{Duration, Instant};

/// Rounds run before measuring (caches, page cache, first epochs).
pub(crate) const WARM_UP: usize = 2;

/// The rounds requested after `--paired`, if it was given.
pub(crate) fn requested() -> Option<usize> {
    let args: Vec<String> = std::env::args().collect();
    let at = args.iter().position(|arg| arg == "--paired")?;
    Some(
        args.get(at + 1)
            .and_then(|rounds| rounds.parse().ok())
            .unwrap_or(30),
    )
}

/// This process's CPU time so far (all threads: openmls encrypts in
/// parallel), from `/proc/self/stat`; `None` off Linux.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may contain spaces) end with ')'.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ, which the kernel uses for these fields, is 100 on Linux.
    Some(Duration::from_millis(ticks * 10))
}

/// Wall and CPU time of `work`.
pub(crate) fn measure(work: impl FnOnce()) -> (Duration, Option<Duration>) {
    let cpu = cpu_time();
    let start = Instant::now();
    work();
    let wall = start.elapsed();
    let cpu = cpu
        .zip(cpu_time())
        .map(|(before, after)| after.saturating_sub(before));
    (wall, cpu)
}

/// One side's measurements.
#[derive(Default)]
pub(crate) struct Side {
    wall: Vec<Duration>,
    cpu: Vec<Option<Duration>>,
}

impl Side {
    pub(crate) fn record(&mut self, (wall, cpu): (Duration, Option<Duration>)) {
        self.wall.push(wall);
        self.cpu.push(cpu);
    }

    fn median(&self) -> Duration {
        let mut sorted = self.wall.clone();
        sorted.sort();
        sorted.get(sorted.len() / 2).copied().unwrap_or_default()
    }

    fn mean_cpu(&self) -> Option<Duration> {
        let rounds = u32::try_from(self.cpu.len()).ok().filter(|&n| n > 0)?;
        let total: Option<Duration> = self.cpu.iter().copied().sum();
        total.map(|total| total / rounds)
    }
}

/// Prints one line: medians per `unit` (`per` of them in a round), the
/// median of the rounds' ratios, and the CPU ratio.
pub(crate) fn report(what: &str, per: u32, engine: &Side, bare: &Side) {
    let mut ratios: Vec<f64> = engine
        .wall
        .iter()
        .zip(&bare.wall)
        .map(|(e, b)| e.as_secs_f64() / b.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let ratio = ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN);
    let ms = |d: Duration| d.as_secs_f64() * 1e3 / f64::from(per);
    let cpu = |side: &Side| {
        side.mean_cpu()
            .map_or_else(|| "n/a".to_owned(), |c| format!("{:.3} ms", ms(c)))
    };
    let cpu_ratio = engine.mean_cpu().zip(bare.mean_cpu()).map_or_else(
        || "n/a".to_owned(),
        |(e, b)| format!("{:.2}x", e.as_secs_f64() / b.as_secs_f64()),
    );
    println!(
        "{what} ({} rounds): engine {:.3} ms (CPU {}), bare openmls {:.3} ms (CPU {}); \
         ratio {ratio:.2}x (median of rounds), CPU ratio {cpu_ratio}",
        engine.wall.len(),
        ms(engine.median()),
        cpu(engine),
        ms(bare.median()),
        cpu(bare),
    );
}
