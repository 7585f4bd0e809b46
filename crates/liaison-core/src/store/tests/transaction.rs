use std::panic::{AssertUnwindSafe, catch_unwind};

use openmls::prelude::{GroupEpoch, LeafNodeParameters};

use super::mls::{load_group, member, new_group};
use super::{KEY, new_store};
use crate::store::{AuditScope, Store, StoreError, danger};

/// The error of the test closures: a store error, or a deliberate abort.
#[derive(Debug)]
enum Failure {
    Store(#[allow(dead_code, reason = "shown through Debug when a test fails")] StoreError),
    Abort,
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Self::Store(error)
    }
}

fn audit_count(store: &Store) -> usize {
    store.audit_log(AuditScope::All, None, 100).unwrap().len()
}

#[test]
fn mls_state_change_in_a_rolled_back_transaction_is_gone_after_reopening() {
    let (_dir, store) = new_store();
    let owner = member(&store, "alice");
    let group_id = new_group(&store, &owner).group_id().clone();

    let result: Result<(), Failure> = store.transaction(|tx| {
        let mut group = load_group(tx, &group_id).unwrap();
        let provider = tx.mls_provider();
        group
            .self_update(&provider, &owner.signer, LeafNodeParameters::default())
            .unwrap();
        group.merge_pending_commit(&provider).unwrap();
        // Inside the transaction the new epoch is what the database holds.
        assert_eq!(
            load_group(tx, &group_id).unwrap().epoch(),
            GroupEpoch::from(1)
        );
        tx.audit(Some(group_id.as_slice()), "epoch", "advanced")?;
        Err(Failure::Abort)
    });

    assert!(matches!(result, Err(Failure::Abort)));
    assert_eq!(
        load_group(&store, &group_id).unwrap().epoch(),
        GroupEpoch::from(0)
    );
    assert_eq!(audit_count(&store), 0);

    let path = store.path().to_owned();
    store.close().unwrap();
    let store = danger::open_with_raw_key(&path, &KEY).unwrap();
    assert_eq!(
        load_group(&store, &group_id).unwrap().epoch(),
        GroupEpoch::from(0)
    );
    assert_eq!(audit_count(&store), 0);
}

#[test]
fn mls_state_change_in_a_committed_transaction_survives_reopening() {
    let (_dir, store) = new_store();
    let owner = member(&store, "alice");
    let group_id = new_group(&store, &owner).group_id().clone();

    store
        .transaction(|tx| {
            let mut group = load_group(tx, &group_id).unwrap();
            let provider = tx.mls_provider();
            group
                .self_update(&provider, &owner.signer, LeafNodeParameters::default())
                .unwrap();
            group.merge_pending_commit(&provider).unwrap();
            tx.audit(Some(group_id.as_slice()), "epoch", "advanced")?;
            Ok::<_, Failure>(())
        })
        .unwrap();

    let path = store.path().to_owned();
    store.close().unwrap();
    let store = danger::open_with_raw_key(&path, &KEY).unwrap();
    assert_eq!(
        load_group(&store, &group_id).unwrap().epoch(),
        GroupEpoch::from(1)
    );
    assert_eq!(audit_count(&store), 1);
}

#[test]
fn panic_inside_a_transaction_rolls_it_back() {
    let (_dir, store) = new_store();

    let outcome = catch_unwind(AssertUnwindSafe(|| {
        store.transaction(|tx| -> Result<(), Failure> {
            tx.audit(None, "doomed", "written before the panic")?;
            panic!("bug in the closure");
        })
    }));

    assert!(outcome.is_err());
    assert!(
        store.connection().is_autocommit(),
        "no transaction left open"
    );
    assert_eq!(audit_count(&store), 0);
}

#[test]
fn failed_nested_transaction_undoes_only_its_own_writes() {
    let (_dir, store) = new_store();

    store
        .transaction(|tx| {
            tx.audit(None, "outer", "kept")?;
            let inner = tx.transaction(|tx| {
                tx.audit(None, "inner", "undone")?;
                Err::<(), _>(Failure::Abort)
            });
            assert!(matches!(inner, Err(Failure::Abort)));
            Ok::<_, Failure>(())
        })
        .unwrap();

    let events: Vec<String> = store
        .audit_log(AuditScope::All, None, 10)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(events, ["outer"]);
}

#[test]
fn committed_nested_transaction_is_undone_with_its_parent() {
    let (_dir, store) = new_store();

    let result = store.transaction(|tx| {
        tx.transaction(|tx| tx.audit(None, "inner", "committed to the savepoint"))?;
        Err::<(), _>(Failure::Abort)
    });

    assert!(matches!(result, Err(Failure::Abort)));
    assert_eq!(audit_count(&store), 0);
}

#[test]
fn transaction_holds_the_write_lock_from_the_start() {
    let (_dir, store) = new_store();
    let other = danger::open_with_raw_key(store.path(), &KEY).unwrap();
    other
        .connection()
        .busy_timeout(std::time::Duration::ZERO)
        .unwrap();

    store
        .transaction(|_| {
            // BEGIN IMMEDIATE took the lock before any write: another
            // connection cannot start writing.
            let blocked = other.connection().execute_batch("BEGIN IMMEDIATE");
            assert!(blocked.is_err());
            Ok::<_, StoreError>(())
        })
        .unwrap();
    other
        .connection()
        .execute_batch("BEGIN IMMEDIATE; ROLLBACK")
        .unwrap();
}
