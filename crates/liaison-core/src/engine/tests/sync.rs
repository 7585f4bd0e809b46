//! The sync driver against relays that push back: rate limits, and a
//! group registration whose answer was lost.

use std::sync::atomic::{AtomicU32, Ordering};

use liaison_proto::{Delivery, Seq, Submission, SubmitOutcome};

use super::harness::*;
use crate::delivery::{flush_outbox, join_pending, join_welcomes};
use crate::engine::Draft;
use crate::{DeliveryError, DeliveryService, LoopbackConnection};

/// A relay that answers "rate limited" to the first `refusals` submissions.
struct Throttled {
    inner: LoopbackConnection,
    refusals: AtomicU32,
}

impl DeliveryService for Throttled {
    async fn publish_key_packages(&self, packages: Vec<Vec<u8>>) -> Result<(), DeliveryError> {
        self.inner.publish_key_packages(packages).await
    }
    async fn claim_key_package(&self, officer_id: &str) -> Result<Vec<u8>, DeliveryError> {
        self.inner.claim_key_package(officer_id).await
    }
    async fn claim_key_package_from(
        &self,
        officer_id: &str,
        authority: &liaison_identity::Fingerprint,
    ) -> Result<Vec<u8>, DeliveryError> {
        self.inner
            .claim_key_package_from(officer_id, authority)
            .await
    }
    async fn create_group(&self, group_id: &[u8], info: Vec<u8>) -> Result<(), DeliveryError> {
        self.inner.create_group(group_id, info).await
    }
    async fn key_package_count(&self) -> Result<(u32, bool), DeliveryError> {
        self.inner.key_package_count().await
    }
    async fn submit(&self, submission: Submission) -> Result<SubmitOutcome, DeliveryError> {
        let left = self.refusals.load(Ordering::SeqCst);
        if left > 0 {
            self.refusals.store(left - 1, Ordering::SeqCst);
            return Err(DeliveryError::RateLimited);
        }
        self.inner.submit(submission).await
    }
    async fn fetch(
        &self,
        group: &[u8],
        after: Seq,
        limit: usize,
    ) -> Result<Vec<Delivery>, DeliveryError> {
        self.inner.fetch(group, after, limit).await
    }
    async fn welcomes(&self) -> Result<Vec<Vec<u8>>, DeliveryError> {
        self.inner.welcomes().await
    }
    async fn drop_welcomes(&self, hashes: Vec<[u8; 32]>) -> Result<(), DeliveryError> {
        self.inner.drop_welcomes(hashes).await
    }
    async fn request_rejoin(&self, group: &[u8], request: Vec<u8>) -> Result<(), DeliveryError> {
        self.inner.request_rejoin(group, request).await
    }
    async fn rejoin_requests(&self, group: &[u8]) -> Result<Vec<(String, Vec<u8>)>, DeliveryError> {
        self.inner.rejoin_requests(group).await
    }
}

#[test]
fn outbox_drains_through_a_rate_limit_instead_of_stopping() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    for i in 0..5 {
        cell.fr
            .engine
            .send(&ch, Draft::text(format!("message {i}")))
            .unwrap();
    }
    let throttled = Throttled {
        inner: cell.fr.relay.clone(),
        refusals: AtomicU32::new(4),
    };
    run(flush_outbox(&mut cell.fr.engine, &throttled)).unwrap();
    assert_eq!(throttled.refusals.load(Ordering::SeqCst), 0);
    assert!(cell.fr.engine.outbox().unwrap().is_empty());
    cell.de.sync();
    assert_eq!(cell.de.bodies(&ch).len(), 5);
}

#[test]
fn a_rate_limit_that_never_lifts_is_reported_and_keeps_the_outbox() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.fr.engine.send(&ch, Draft::text("waits")).unwrap();
    let throttled = Throttled {
        inner: cell.fr.relay.clone(),
        refusals: AtomicU32::new(u32::MAX),
    };
    // Virtual time: the backoff's waits pass instantly.
    let error = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap()
        .block_on(flush_outbox(&mut cell.fr.engine, &throttled))
        .unwrap_err();
    assert!(matches!(
        error,
        crate::SyncError::Delivery(DeliveryError::RateLimited)
    ));
    assert_eq!(cell.fr.engine.outbox().unwrap().len(), 1);
}

#[test]
fn a_group_registration_already_taken_by_the_relay_is_not_an_error() {
    let relay = crate::LoopbackRelay::new();
    let gbr = nation("GBR");
    let mut admin = officer(&relay, &gbr, "gbr.admin", "NATO SECRET");
    let policy = channel_policy("cell", CEILING, DEFAULT, &["gbr.admin"], anchors(&[&gbr]));
    let ch = admin.engine.create_channel(policy).unwrap();
    // The relay registers the group, but the answer is "lost": the entry
    // stays in the outbox and is sent again.
    let create = admin.engine.outbox().unwrap().remove(0);
    run(admin.relay.create_group(&ch.0, create.message)).unwrap();
    admin.flush();
    assert!(admin.engine.outbox().unwrap().is_empty());
}

#[test]
fn a_welcome_stays_at_the_relay_until_its_join_is_stored() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let mut second = officer(&cell.relay, &cell.fra, "fra.second", "NATO SECRET");
    add(&mut cell.admin, &ch, &["fra.second"]);
    cell.admin
        .engine
        .send(&ch, Draft::text("welcome aboard"))
        .unwrap();
    cell.admin.flush();
    // The client fetches its Welcome, then stops before joining.
    let fetched = run(second.relay.welcomes()).unwrap();
    assert_eq!(fetched.len(), 1);
    second = second.reopen();

    let joined = run(join_pending(&mut second.engine, &second.relay)).unwrap();

    assert_eq!(joined.joined, std::slice::from_ref(&ch));
    assert!(
        run(second.relay.welcomes()).unwrap().is_empty(),
        "dropped once the join is stored"
    );
    second.sync();
    assert_eq!(second.bodies(&ch), ["welcome aboard"]);

    // The same Welcome once more, as when the drop never reached the relay:
    // refused (the channel exists), dealt with, and nothing is harmed.
    let again = join_welcomes(&mut second.engine, &fetched);
    assert!(again.joined.is_empty());
    assert!(again.stopped.is_ok());
    assert_eq!(again.dealt_with, [crate::welcome_hash(&fetched[0])]);
    cell.admin
        .engine
        .send(&ch, Draft::text("still reaching you"))
        .unwrap();
    cell.admin.flush();
    second.sync();
    assert_eq!(second.bodies(&ch), ["welcome aboard", "still reaching you"]);
}
