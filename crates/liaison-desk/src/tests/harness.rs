//! Fixtures: authorities, desks on temporary homes, an in-process relay,
//! and partner officers.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tempfile::TempDir;

use crate::views::{ConnectionState, FileChoice, ProtectionKind};
use crate::{
    AuthorityIssuer, Desk, DeskConfig, DeskEvent, ExerciseProfileRequest, FilePurpose, FileToken,
    RelayTimings,
};
use liaison_core::{Authority, ChannelPolicy, DeviceKey, KdfParams, Nationality};
pub(super) use liaison_test_kit::{
    DAY, Endpoint, Identity, Member, Nation, TestRelay, anchors_of as anchors, certify, clearance,
    eventually, label, officer_attributes, within,
};

/// A partner authority, valid from a day ago for a year.
pub(super) fn nation(code: &str) -> Authority {
    Nation::around_now(code, DAY, 365 * DAY).authority
}

/// An authority that issues the desk user's exercise certificate; the
/// profile pins it and `partners` at onboarding.
pub(super) fn issuer(authority: &Authority, partners: &[Vec<u8>]) -> Arc<AuthorityIssuer> {
    let copy = Authority::from_pem(&authority.to_pem()).unwrap();
    Arc::new(
        AuthorityIssuer::new(copy, "GBR Liaison Staff", Duration::from_secs(30 * 86_400))
            .with_partners(partners.to_vec()),
    )
}

/// Events a desk emitted, for assertions.
#[derive(Clone, Default)]
pub(super) struct Events(Arc<Mutex<Vec<DeskEvent>>>);

impl Events {
    pub(super) fn names(&self) -> Vec<&'static str> {
        self.0.lock().unwrap().iter().map(DeskEvent::name).collect()
    }

    pub(super) fn all(&self) -> Vec<DeskEvent> {
        self.0.lock().unwrap().clone()
    }
}

/// A desk on a temporary home, with cheap Argon2 and quick reconnection.
pub(super) struct TestDesk {
    pub(super) desk: Desk,
    pub(super) events: Events,
    pub(super) home: TempDir,
}

pub(super) fn desk_config(
    home: &Path,
    authority: Option<&Authority>,
    relay: Option<&Endpoint>,
    events: &Events,
) -> DeskConfig {
    let mut config = DeskConfig::new(home);
    config.kdf = KdfParams::new(64, 1, 1).unwrap();
    // The partnership is the relay's: a desk user pins every authority
    // the relay trusts at onboarding, as the demo's profiles do.
    let partners = relay.map(|r| r.partners.clone()).unwrap_or_default();
    config.issuer = authority.map(|a| issuer(a, &partners) as Arc<dyn crate::Issuer>);
    if let Some(relay) = relay {
        config.relay_url = Some(relay.url());
        config.relay_trust = Some(relay.trust());
    }
    config.timings = RelayTimings {
        request_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        min_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(250),
    };
    let sink = events.0.clone();
    config.events = Arc::new(move |event| sink.lock().unwrap().push(event));
    config
}

pub(super) fn test_desk(authority: Option<&Authority>, relay: Option<&Endpoint>) -> TestDesk {
    let home = tempfile::tempdir().unwrap();
    let events = Events::default();
    let desk = Desk::new(desk_config(home.path(), authority, relay, &events));
    TestDesk { desk, events, home }
}

/// Grants `path` as a native dialog's answer would, for `purpose`.
pub(super) fn grant(desk: &Desk, purpose: FilePurpose, path: &Path) -> FileToken {
    match desk.grant_file(purpose, path.to_path_buf()).unwrap() {
        FileChoice::Chosen { token, name } => {
            assert_eq!(
                Some(name.as_str()),
                path.file_name().and_then(|n| n.to_str())
            );
            token
        }
        FileChoice::Cancelled => panic!("a grant is never a cancellation"),
    }
}

pub(super) fn exercise_request(officer_id: &str, passphrase: &str) -> ExerciseProfileRequest {
    ExerciseProfileRequest {
        display_name: format!("Officer {officer_id}"),
        officer_id: officer_id.to_owned(),
        nationality: "GBR".into(),
        clearance: "NATO SECRET".into(),
        protection: ProtectionKind::Passphrase,
        passphrase: Some(passphrase.to_owned()),
        pin: None,
    }
}

/// A partner officer of `nation` cleared to `level`, certified by
/// `authority` from a minute ago for thirty days: a member with its own
/// engine and relay client.
pub(super) async fn partner(
    endpoint: &Endpoint,
    authority: &Authority,
    nation: &str,
    id: &str,
    level: &str,
) -> Member {
    let key = DeviceKey::generate().unwrap();
    let attributes = officer_attributes(id, Nationality::new(nation).unwrap(), clearance(level));
    let now = SystemTime::now();
    let chain = certify(
        authority,
        &attributes,
        &key,
        now - Duration::from_secs(60),
        now + 30 * DAY,
    );
    Member::enrol(endpoint, Identity::new(id, chain, &key)).await
}

/// The border cell's policy: NATO SECRET REL TO the three nations.
pub(super) fn cell_policy(admins: &[&str], nations: &[&Authority]) -> ChannelPolicy {
    liaison_test_kit::cell_policy(admins, anchors(nations))
}

/// Waits until the desk's runtime reports `online`.
pub(super) async fn online(desk: &Desk) {
    eventually("the desk goes online", || async {
        desk.connection_state().await == ConnectionState::Online
    })
    .await;
}
