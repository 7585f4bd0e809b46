//! The workspace's test kit: the real relay, in this process, on
//! 127.0.0.1:0 with its development certificate ([`TestRelay`]), and
//! members driven by the sync layer as the apps drive them ([`Member`]: an
//! engine on its own SQLCipher file and a relay client). It re-exports
//! liaison-core's `test_support`: the fixtures (nations, certificates,
//! anchors, labels, policies) and the builder of hostile messages.
//!
//! Test code: every fixture panics on failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod member;
mod relay;

use std::future::Future;
use std::time::Duration;

pub use liaison_core::test_support::*;
pub use member::{Identity, Member, Offline, View, assert_agree, open_channel};
pub use relay::{Endpoint, TestRelay};

/// Bound on any single step that waits on the network or another task.
pub const STEP: Duration = Duration::from_secs(30);

/// Awaits `future`, failing the test if it takes longer than [`STEP`].
pub async fn within<F: Future>(what: &str, future: F) -> F::Output {
    match tokio::time::timeout(STEP, future).await {
        Ok(output) => output,
        Err(_) => panic!("{what}: no answer within {STEP:?}"),
    }
}

/// Polls `check` until it holds (for work done in the background), within
/// [`STEP`].
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    within(what, async {
        while !check().await {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
}
