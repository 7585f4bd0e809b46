//! Counters for `GET /metrics`, in the Prometheus text format, written by
//! hand (a handful of counters does not need a metrics crate).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use liaison_proto::relay::ErrorCode;

/// The relay's counters.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    connections_open: AtomicU64,
    connections_total: AtomicU64,
    authenticated_total: AtomicU64,
    messages_accepted: AtomicU64,
    wrong_epoch: AtomicU64,
    deliveries_pushed: AtomicU64,
    welcomes_queued: AtomicU64,
    key_packages_published: AtomicU64,
    key_packages_claimed: AtomicU64,
    messages_expired: AtomicU64,
    errors: Mutex<BTreeMap<String, u64>>,
}

/// Decrements the open-connection gauge when a connection ends, however it
/// ends.
pub(crate) struct OpenConnection<'a>(&'a Metrics);

impl Drop for OpenConnection<'_> {
    fn drop(&mut self) {
        self.0.connections_open.fetch_sub(1, Ordering::Relaxed);
    }
}

fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

impl Metrics {
    pub(crate) fn connection_opened(&self) -> OpenConnection<'_> {
        add(&self.connections_open, 1);
        add(&self.connections_total, 1);
        OpenConnection(self)
    }

    pub(crate) fn authenticated(&self) {
        add(&self.authenticated_total, 1);
    }

    pub(crate) fn accepted(&self) {
        add(&self.messages_accepted, 1);
    }

    pub(crate) fn wrong_epoch(&self) {
        add(&self.wrong_epoch, 1);
    }

    pub(crate) fn pushed(&self, n: u64) {
        add(&self.deliveries_pushed, n);
    }

    pub(crate) fn welcomes_queued(&self, n: u64) {
        add(&self.welcomes_queued, n);
    }

    pub(crate) fn key_packages_published(&self, n: u64) {
        add(&self.key_packages_published, n);
    }

    pub(crate) fn key_package_claimed(&self) {
        add(&self.key_packages_claimed, 1);
    }

    pub(crate) fn expired(&self, n: u64) {
        add(&self.messages_expired, n);
    }

    pub(crate) fn error(&self, code: ErrorCode) {
        // The serde name is the protocol's name for the code.
        let name = serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "unknown".to_owned());
        let mut errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        *errors.entry(name).or_default() += 1;
    }

    /// The Prometheus text exposition, with the number of groups whose
    /// ordering point is held in memory.
    pub(crate) fn render(&self, group_slots: usize) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP liaison_relay_group_slots Groups whose ordering point is held in memory."
        );
        let _ = writeln!(out, "# TYPE liaison_relay_group_slots gauge");
        let _ = writeln!(out, "liaison_relay_group_slots {group_slots}");
        let counters: [(&str, &str, &str, &AtomicU64); 10] = [
            (
                "liaison_relay_connections_open",
                "gauge",
                "WebSocket connections open now.",
                &self.connections_open,
            ),
            (
                "liaison_relay_connections_total",
                "counter",
                "WebSocket connections accepted.",
                &self.connections_total,
            ),
            (
                "liaison_relay_authentications_total",
                "counter",
                "Officers authenticated.",
                &self.authenticated_total,
            ),
            (
                "liaison_relay_messages_accepted_total",
                "counter",
                "Messages ordered and stored.",
                &self.messages_accepted,
            ),
            (
                "liaison_relay_wrong_epoch_total",
                "counter",
                "Handshake messages answered wrong_epoch.",
                &self.wrong_epoch,
            ),
            (
                "liaison_relay_deliveries_pushed_total",
                "counter",
                "Deliveries pushed to subscribers.",
                &self.deliveries_pushed,
            ),
            (
                "liaison_relay_welcomes_queued_total",
                "counter",
                "Welcomes queued for recipients.",
                &self.welcomes_queued,
            ),
            (
                "liaison_relay_key_packages_published_total",
                "counter",
                "Key packages published.",
                &self.key_packages_published,
            ),
            (
                "liaison_relay_key_packages_claimed_total",
                "counter",
                "Key packages handed out.",
                &self.key_packages_claimed,
            ),
            (
                "liaison_relay_messages_expired_total",
                "counter",
                "Messages deleted past retention.",
                &self.messages_expired,
            ),
        ];
        for (name, kind, help, value) in counters {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
        let _ = writeln!(
            out,
            "# HELP liaison_relay_errors_total Requests refused, by error code."
        );
        let _ = writeln!(out, "# TYPE liaison_relay_errors_total counter");
        let errors = self.errors.lock().unwrap_or_else(|p| p.into_inner());
        for (code, count) in errors.iter() {
            let _ = writeln!(out, "liaison_relay_errors_total{{code=\"{code}\"}} {count}");
        }
        out
    }
}
