//! A TCP proxy between clients and the relay that injects faults, seeded
//! and reproducible: it refuses connections, delays traffic and cuts
//! connections at random points. The TLS inside cannot be tampered with
//! (a flipped or dropped byte only ends the session), so duplicates and
//! reordering arise above it, as in a real network: a cut loses answers,
//! the client submits again, and reconnecting clients read the order from
//! different points.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use super::Endpoint;

/// What the proxy does to traffic.
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    /// Seeds every random choice.
    pub seed: u64,
    /// Chance, per thousand, that a new connection is refused.
    pub refuse_per_mille: u64,
    /// Chance, per thousand, that a connection is cut before forwarding a
    /// chunk of bytes.
    pub cut_per_mille: u64,
    /// Each chunk is delayed up to this long.
    pub max_delay: Duration,
}

/// How many of each fault the proxy injected.
#[derive(Debug, Default)]
pub struct FaultCount {
    pub connections: AtomicU64,
    pub refused: AtomicU64,
    pub cut: AtomicU64,
    pub chunks: AtomicU64,
}

/// The proxy, listening on 127.0.0.1.
pub struct FaultProxy {
    pub endpoint: Endpoint,
    pub count: Arc<FaultCount>,
    stop: watch::Sender<bool>,
}

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn per_mille(&mut self, chance: u64) -> bool {
        self.next() % 1000 < chance
    }

    fn delay(&mut self, max: Duration) -> Duration {
        let micros = u64::try_from(max.as_micros()).unwrap_or(u64::MAX);
        Duration::from_micros(if micros == 0 { 0 } else { self.next() % micros })
    }
}

impl FaultProxy {
    /// Starts forwarding to `upstream`.
    pub async fn start(upstream: &Endpoint, faults: Faults) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = watch::channel(false);
        let count = Arc::new(FaultCount::default());
        let target = upstream.addr;
        let counted = count.clone();
        tokio::spawn(async move {
            let mut stopped = stopped;
            let mut index: u64 = 0;
            loop {
                let accepted = tokio::select! {
                    _ = stopped.changed() => return,
                    accepted = listener.accept() => accepted,
                };
                let Ok((client, _)) = accepted else { continue };
                index += 1;
                counted.connections.fetch_add(1, Ordering::Relaxed);
                let mut rng = Rng::new(faults.seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                if rng.per_mille(faults.refuse_per_mille) {
                    counted.refused.fetch_add(1, Ordering::Relaxed);
                    drop(client);
                    continue;
                }
                let counted = counted.clone();
                tokio::spawn(forward(client, target, rng, faults, counted));
            }
        });
        Self {
            endpoint: Endpoint {
                addr,
                certificate: upstream.certificate.clone(),
                partners: upstream.partners.clone(),
            },
            count,
            stop,
        }
    }

    pub fn stop(&self) {
        let _ = self.stop.send(true);
    }
}

async fn forward(
    client: TcpStream,
    target: SocketAddr,
    mut rng: Rng,
    faults: Faults,
    count: Arc<FaultCount>,
) {
    let Ok(upstream) = TcpStream::connect(target).await else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = upstream.set_nodelay(true);
    let (client_read, client_write) = client.into_split();
    let (upstream_read, upstream_write) = upstream.into_split();
    // One seeded stream of choices per direction.
    let back = Rng::new(rng.next());
    let (cut, _) = watch::channel(false);
    let up = pump(
        client_read,
        upstream_write,
        rng,
        faults,
        count.clone(),
        cut.clone(),
    );
    let down = pump(upstream_read, client_write, back, faults, count, cut);
    // Either direction ending (or a cut) ends both: the halves are dropped.
    tokio::select! {
        () = up => {}
        () = down => {}
    }
}

/// Forwards one direction chunk by chunk, delaying each and cutting the
/// connection (both directions, through `cut`) by chance.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut rng: Rng,
    faults: Faults,
    count: Arc<FaultCount>,
    cut: watch::Sender<bool>,
) {
    let mut cut_seen = cut.subscribe();
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let n = tokio::select! {
            _ = cut_seen.changed() => return,
            read = from.read(&mut buffer) => match read {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            },
        };
        count.chunks.fetch_add(1, Ordering::Relaxed);
        if rng.per_mille(faults.cut_per_mille) {
            count.cut.fetch_add(1, Ordering::Relaxed);
            let _ = cut.send(true);
            return;
        }
        tokio::time::sleep(rng.delay(faults.max_delay)).await;
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}
