//! The relay under soak, as a process of its own (the `liaison-relay`
//! binary as shipped, default limits, durable SQLite in its data
//! directory), so that its memory is its own and not the clients':
//! spawning it, reading its resident memory from `/proc`, its gauges from
//! `/metrics`, and stopping it as an operator would (SIGTERM).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use rustls_pki_types::ServerName;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::wire::Endpoint;
use crate::world::Nations;

/// The relay's name, signed by every login.
pub(crate) const RELAY_NAME: &str = "soak.relay";
/// How long the relay may take to start, and to stop on SIGTERM.
const START_TIMEOUT: Duration = Duration::from_secs(30);
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// The running relay; the child process is only needed to stop it.
pub(crate) struct RelayProcess {
    child: Child,
    pub(crate) view: RelayView,
}

/// What can be read of the relay while it runs: shared with the sampler.
#[derive(Clone, Debug)]
pub(crate) struct RelayView {
    pub(crate) pid: u32,
    pub(crate) addr: std::net::SocketAddr,
    data: PathBuf,
    log: PathBuf,
}

/// The relay's memory, from `/proc/PID/status` and `smaps_rollup`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Memory {
    /// Resident set size.
    pub(crate) rss_kib: u64,
    /// Peak resident set size so far.
    pub(crate) hwm_kib: u64,
    /// Proportional set size (shared pages divided among their users).
    pub(crate) pss_kib: Option<u64>,
    pub(crate) threads: u64,
}

/// The gauges and counters of `/metrics` the report shows.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Gauges {
    pub(crate) group_slots: u64,
    pub(crate) connections_open: u64,
    pub(crate) accepted: u64,
    pub(crate) pushed: u64,
    pub(crate) errors: u64,
}

impl RelayProcess {
    /// Writes the nations' authority certificates as the relay's trust and
    /// starts the relay on a free loopback port.
    pub(crate) fn spawn(root: &Path, nations: &Nations) -> Result<Self, String> {
        let trust = root.join("trust");
        std::fs::create_dir_all(&trust).map_err(|e| format!("trust directory: {e}"))?;
        for nation in &nations.0 {
            let file = trust.join(format!("{}.pem", nation.code));
            std::fs::write(&file, pem_certificate(nation.authority.certificate_der()))
                .map_err(|e| format!("writing {}: {e}", file.display()))?;
        }
        let data = root.join("relay");
        let log = root.join("relay.log");
        let addr = free_loopback_addr()?;
        let stderr = std::fs::File::create(&log).map_err(|e| format!("relay log: {e}"))?;
        let child = Command::new(env!("CARGO_BIN_EXE_liaison-relay"))
            .arg("--listen")
            .arg(addr.to_string())
            .arg("--data")
            .arg(&data)
            .arg("--trust")
            .arg(&trust)
            .args(["--name", RELAY_NAME])
            // Warnings and errors only: what an operator would be paged for.
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("starting liaison-relay: {e}"))?;
        Ok(Self {
            view: RelayView {
                pid: child.id(),
                addr,
                data,
                log,
            },
            child,
        })
    }

    /// Waits until the relay has made its certificate and accepts TCP.
    pub(crate) async fn ready(&mut self) -> Result<(), String> {
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        while tokio::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("the relay exited at start ({status}); see its log"));
            }
            let view = &self.view;
            if view.certificate().exists()
                && tokio::net::TcpStream::connect(view.addr).await.is_ok()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("the relay did not start in time".to_owned())
    }

    /// Whether the relay is still running.
    pub(crate) fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Stops the relay with SIGTERM, as an operator would, and waits for it.
    pub(crate) async fn stop(mut self) -> Result<ExitStatus, String> {
        let signalled = Command::new("kill")
            .args(["-TERM", &self.view.pid.to_string()])
            .status()
            .map_err(|e| format!("kill: {e}"))?;
        if !signalled.success() {
            return Err(format!("kill -TERM {} failed", self.view.pid));
        }
        let deadline = tokio::time::Instant::now() + STOP_TIMEOUT;
        while tokio::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Ok(status);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        Err(format!(
            "the relay did not stop within {STOP_TIMEOUT:?} of SIGTERM; killed"
        ))
    }
}

impl RelayView {
    /// The development certificate clients pin.
    pub(crate) fn certificate(&self) -> PathBuf {
        liaison_relay::development_certificate(&self.data)
    }

    pub(crate) fn memory(&self) -> Memory {
        read_memory(self.pid)
    }

    /// The database, its write-ahead log and shared memory index, in bytes.
    pub(crate) fn database_bytes(&self) -> u64 {
        ["relay.db", "relay.db-wal", "relay.db-shm"]
            .iter()
            .filter_map(|name| std::fs::metadata(self.data.join(name)).ok())
            .map(|m| m.len())
            .sum()
    }

    /// Reads `/metrics` (the relay serves it to loopback peers).
    pub(crate) async fn gauges(&self, endpoint: &Endpoint) -> Result<Gauges, String> {
        let text = https_get(endpoint, "/metrics").await?;
        let value = |name: &str| -> u64 {
            text.lines()
                .filter_map(|line| line.strip_prefix(name))
                .filter_map(|rest| rest.rsplit(' ').next()?.trim().parse::<u64>().ok())
                .sum()
        };
        Ok(Gauges {
            group_slots: value("liaison_relay_group_slots "),
            connections_open: value("liaison_relay_connections_open "),
            accepted: value("liaison_relay_messages_accepted_total "),
            pushed: value("liaison_relay_deliveries_pushed_total "),
            errors: value("liaison_relay_errors_total{"),
        })
    }

    /// Warning and error lines the relay logged.
    pub(crate) fn log_lines(&self) -> (Vec<String>, Vec<String>) {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let errors = text
            .lines()
            .filter(|l| l.contains(" ERROR "))
            .map(str::to_owned)
            .collect();
        let warnings = text
            .lines()
            .filter(|l| l.contains(" WARN "))
            .map(str::to_owned)
            .collect();
        (errors, warnings)
    }
}

impl Drop for RelayProcess {
    /// Never leaves a relay running behind a bench that panicked.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A loopback address with a port nobody listens on now.
fn free_loopback_addr() -> Result<std::net::SocketAddr, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("finding a free port: {e}"))
}

/// A `/proc/PID/status` field in KiB ("VmRSS:  1234 kB").
fn status_field(status: &str, field: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// The memory of process `pid` (`self` for this one).
pub(crate) fn read_memory(pid: impl std::fmt::Display) -> Memory {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok();
    Memory {
        rss_kib: status_field(&status, "VmRSS:").unwrap_or(0),
        hwm_kib: status_field(&status, "VmHWM:").unwrap_or(0),
        pss_kib: rollup.and_then(|r| status_field(&r, "Pss:")),
        threads: status_field(&status, "Threads:").unwrap_or(0),
    }
}

/// One HTTPS GET over the pinned TLS connector; the whole response.
async fn https_get(endpoint: &Endpoint, path: &str) -> Result<String, String> {
    let get = async {
        let tcp = tokio::net::TcpStream::connect(endpoint.addr)
            .await
            .map_err(|e| e.to_string())?;
        let name = ServerName::IpAddress(endpoint.addr.ip().into());
        let mut tls = endpoint
            .connector
            .connect(name, tcp)
            .await
            .map_err(|e| e.to_string())?;
        let request = format!("GET {path} HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n");
        tls.write_all(request.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let mut response = Vec::new();
        // The relay may close without a TLS close_notify; the body is in.
        let _ = tls.read_to_end(&mut response).await;
        String::from_utf8(response).map_err(|e| e.to_string())
    };
    let response = tokio::time::timeout(Duration::from_secs(10), get)
        .await
        .map_err(|_| format!("GET {path} timed out"))??;
    if !response.starts_with("HTTP/1.1 200") {
        return Err(format!(
            "GET {path}: {}",
            response.lines().next().unwrap_or("no answer")
        ));
    }
    Ok(response)
}

fn pem_certificate(der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}
