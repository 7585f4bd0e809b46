//! The relay's own rules on handshake messages, with groups built directly
//! with openmls (a client that skips its own checks): a member who is not
//! an admin cannot add members, neither by commit nor by proposal, but may
//! update its own leaf.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_proto::relay::{ErrorCode, Request, Response, ResponseResult};
use liaison_proto::{Bytes, POLICY_EXTENSION_TYPE, SubmitOutcome};
use liaison_test_kit::hostile::{Crafted, Hostile, craft};
use openmls::prelude::*;
use openmls_rust_crypto::OpenMlsRustCrypto;
use tls_codec::{Deserialize as _, Serialize as _};

const SUITE: Ciphersuite = Ciphersuite::MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

/// An officer driving openmls by hand.
struct Raw {
    officer: Officer,
    provider: OpenMlsRustCrypto,
}

impl Raw {
    fn new(nation: &Nation, id: &str) -> Self {
        Self {
            officer: officer(nation, id),
            provider: OpenMlsRustCrypto::default(),
        }
    }

    fn credential(&self) -> CredentialWithKey {
        CredentialWithKey {
            credential: self.officer.chain.to_mls_credential(),
            signature_key: self.officer.key().public_key().to_vec().into(),
        }
    }

    fn key_package(&self) -> Vec<u8> {
        let bundle = KeyPackage::builder()
            .leaf_node_capabilities(capabilities())
            .build(
                SUITE,
                &self.provider,
                &self.officer.key().to_openmls_signer(),
                self.credential(),
            )
            .unwrap();
        serialise(MlsMessageOut::from(bundle.key_package().clone()))
    }

    /// `what`, built by this officer on its `group` with `aad`.
    fn craft(&self, group: &mut MlsGroup, what: Hostile<'_>, aad: Vec<u8>) -> Crafted {
        let signer = self.officer.key().to_openmls_signer();
        craft(group, &self.provider, &signer, what, aad)
    }
}

/// The commit stamp every Liaison commit carries: the instant it is judged at.
fn stamp() -> Vec<u8> {
    liaison_rules::stamp_at(std::time::SystemTime::now()).encode()
}

fn serialise(message: MlsMessageOut) -> Vec<u8> {
    message.tls_serialize_detached().unwrap()
}

fn capabilities() -> Capabilities {
    Capabilities::builder()
        .extensions(vec![
            ExtensionType::Unknown(POLICY_EXTENSION_TYPE),
            ExtensionType::LastResort,
        ])
        .credentials(vec![CredentialType::X509])
        .build()
}

fn outcome(result: ResponseResult) -> Result<SubmitOutcome, ErrorCode> {
    match result {
        ResponseResult::Ok(Response::Submitted { outcome }) => Ok(outcome),
        ResponseResult::Error(error) => Err(error.code),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_member_who_is_not_admin_cannot_add_but_may_update_itself() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr, &fra, &deu]), limits()).await;
    let admin = Raw::new(&gbr, "gbr.admin");
    let fr = Raw::new(&fra, "fra.officer");
    let de = Raw::new(&deu, "deu.officer");
    let mut a = RawClient::login(&relay, &admin.officer).await;
    let mut f = RawClient::login(&relay, &fr.officer).await;
    let mut d = RawClient::login(&relay, &de.officer).await;
    f.publish(vec![fr.key_package()]).await;
    d.publish(vec![de.key_package(), de.key_package()]).await;

    // The relay judges commits with the same rulebook as members, so the
    // policy must be one a member would accept.
    let policy = policy(&["gbr.admin"], &[&gbr, &fra, &deu]);
    let extensions = Extensions::from_vec(vec![
        Extension::RequiredCapabilities(RequiredCapabilitiesExtension::new(
            &[ExtensionType::Unknown(POLICY_EXTENSION_TYPE)],
            &[],
            &[CredentialType::X509],
        )),
        Extension::Unknown(POLICY_EXTENSION_TYPE, UnknownExtension(policy.encode())),
    ])
    .unwrap();
    let config = MlsGroupCreateConfig::builder()
        .ciphersuite(SUITE)
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .capabilities(capabilities())
        .with_group_context_extensions(extensions)
        .build();
    let admin_signer = admin.officer.key().to_openmls_signer();
    let group_id = vec![9u8; 16];
    let mut group = MlsGroup::new_with_group_id(
        &admin.provider,
        &admin_signer,
        &config,
        GroupId::from_slice(&group_id),
        admin.credential(),
    )
    .unwrap();
    let info = group
        .export_group_info(admin.provider.crypto(), &admin_signer, true)
        .unwrap();
    a.ok(Request::CreateGroup {
        group_id: Bytes(group_id.clone()),
        group_info: Bytes(serialise(info)),
    })
    .await;

    // The admin adds fr.
    let package = a.claim("fra.officer").await;
    let added = admin.craft(&mut group, Hostile::Add(&package), stamp());
    a.accepted(&group_id, added.message, added.welcome).await;
    group.merge_pending_commit(&admin.provider).unwrap();
    let MlsMessageBodyIn::Welcome(welcome) =
        MlsMessageIn::tls_deserialize_exact(f.welcomes().await.remove(0).as_slice())
            .unwrap()
            .extract()
    else {
        panic!("not a Welcome");
    };
    let join = MlsGroupJoinConfig::builder()
        .wire_format_policy(MIXED_PLAINTEXT_WIRE_FORMAT_POLICY)
        .use_ratchet_tree_extension(true)
        .build();
    let mut fr_group = StagedWelcome::new_from_welcome(&fr.provider, &join, welcome, None)
        .unwrap()
        .into_group(&fr.provider)
        .unwrap();

    // fr, not an admin, adds de by commit: forbidden.
    let package = f.claim("deu.officer").await;
    let added = fr.craft(&mut fr_group, Hostile::Add(&package), stamp());
    let refused = f.submit(&group_id, added.message, added.welcome).await;
    assert_eq!(outcome(refused), Err(ErrorCode::Forbidden));
    fr_group
        .clear_pending_commit(fr.provider.storage())
        .unwrap();
    assert!(d.welcomes().await.is_empty());

    // ... nor by proposal.
    let proposal = fr.craft(&mut fr_group, Hostile::ProposeAdd(&package), Vec::new());
    let refused = f.submit(&group_id, proposal.message, None).await;
    assert_eq!(outcome(refused), Err(ErrorCode::Forbidden));
    fr_group
        .clear_pending_proposals(fr.provider.storage())
        .unwrap();

    // Updating its own leaf is fr's right.
    let update = fr.craft(&mut fr_group, Hostile::Empty, stamp());
    let accepted = f.submit(&group_id, update.message, None).await;
    assert!(matches!(
        outcome(accepted),
        Ok(SubmitOutcome::Accepted { seq: 2 })
    ));
    // The admin's commit at the old epoch now loses the race.
    let package = a.claim("deu.officer").await;
    let stale = admin.craft(&mut group, Hostile::Add(&package), Vec::new());
    let stale = a.submit(&group_id, stale.message, None).await;
    assert_eq!(outcome(stale), Ok(SubmitOutcome::WrongEpoch { current: 2 }));
    relay.stop().await;
}
