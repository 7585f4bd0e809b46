//! One rulebook, checked over generated histories: the relay's verdict on
//! every commit equals every member's (`Engine::judge_handshake`, the
//! receipt path without applying), and after every step all members and
//! the relay are at the same epoch with the same roster and policy.
//!
//! Honest steps go through the engine (an admin adds or removes an
//! officer). The others are built with openmls from a member's own state,
//! as a client skipping its checks would: a non-admin's add or removal, an
//! add of an officer not admitted or of an authority the channel does not
//! trust, an update to another authority's certificate, a commit without
//! its stamp or with an instant an hour ahead, a policy change by a
//! non-admin, a policy change by the admin that a member is no longer
//! admitted to (a tightening breach), and a proposal to remove another
//! member sent on its own. An admin also tightens the retention honestly.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use liaison_core::{ChannelId, DeliveryService, DeviceKey};
use liaison_demo::{ExerciseAuthority, ExerciseOfficer};
use liaison_proto::{CommitStamp, Submission, SubmitOutcome};
use openmls::prelude::LeafNodeIndex;
use proptest::prelude::*;

#[derive(Debug, Clone, Copy)]
enum Step {
    AdminAddsNewcomer,
    AdminRemovesNewcomer,
    MemberAddsNewcomer,
    AdminAddsUnderCleared,
    AdminAddsForeign,
    MemberUpdatesToForeign,
    MemberRemovesOther,
    AdminUnstamped,
    AdminFromTheFuture,
    AdminChangesRetention,
    MemberChangesPolicy,
    AdminExcludesAMembersNation,
    MemberProposesRemovingOther,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::AdminAddsNewcomer),
        Just(Step::AdminRemovesNewcomer),
        Just(Step::MemberAddsNewcomer),
        Just(Step::AdminAddsUnderCleared),
        Just(Step::AdminAddsForeign),
        Just(Step::MemberUpdatesToForeign),
        Just(Step::MemberRemovesOther),
        Just(Step::AdminUnstamped),
        Just(Step::AdminFromTheFuture),
        Just(Step::AdminChangesRetention),
        Just(Step::MemberChangesPolicy),
        Just(Step::AdminExcludesAMembersNation),
        Just(Step::MemberProposesRemovingOther),
    ]
}

fn stamp(at: SystemTime) -> Vec<u8> {
    CommitStamp {
        instant: at.duration_since(UNIX_EPOCH).unwrap().as_secs(),
    }
    .encode()
}

struct World {
    relay: TestRelay,
    admin: Member,
    fr: Member,
    de: Member,
    channel: ChannelId,
    newcomer_in: bool,
    foreign_chain: liaison_core::CertificateChain,
    foreign_key: DeviceKey,
    _others: Vec<Member>,
}

async fn world() -> World {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    // Trusted by the relay (it serves other partnerships), not by this channel.
    let other_fra =
        ExerciseAuthority::create("FRA", "FRA Regional Authority", "FRA Interior").unwrap();
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu, &other_fra])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let newcomer = Member::enrol(&at, identity(&deu, "deu.newcomer")).await;
    let low = Member::enrol(
        &at,
        identity_cleared(&fra, "fra.trainee", "NATO CONFIDENTIAL"),
    )
    .await;
    let foreign_key = DeviceKey::generate().unwrap();
    let foreign_chain = other_fra
        .issue(
            &ExerciseOfficer::new("fra.officer", "Officer fra.officer", "FRA", "NATO SECRET"),
            &foreign_key,
            Duration::from_secs(86_400),
            &registry(),
        )
        .unwrap();
    let stranger = Member::enrol(&at, {
        let key = DeviceKey::generate().unwrap();
        let chain = other_fra
            .issue(
                &ExerciseOfficer::new("fra.stranger", "Officer fra.stranger", "FRA", "NATO SECRET"),
                &key,
                Duration::from_secs(86_400),
                &registry(),
            )
            .unwrap();
        identity_from(chain, &key, "fra.stranger")
    })
    .await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr, &mut de],
    )
    .await;
    World {
        relay,
        admin,
        fr,
        de,
        channel,
        newcomer_in: false,
        foreign_chain,
        foreign_key,
        _others: vec![newcomer, low, stranger],
    }
}

impl World {
    async fn sync_all(&mut self) {
        for member in [&mut self.admin, &mut self.fr, &mut self.de] {
            let report = member.sync().await;
            assert_eq!(
                report.refused,
                0,
                "{} refused an ordered delivery",
                member.id()
            );
        }
    }

    /// A rogue commit's verdicts: the relay's, and each other member's.
    async fn judge(&mut self, by_admin: bool, commit: Vec<u8>) -> (bool, Vec<(String, bool)>) {
        let submitter = if by_admin { &self.admin } else { &self.fr };
        let outcome = within(
            "a rogue submission",
            submitter.client.submit(Submission {
                group_id: self.channel.0.clone(),
                message: commit.clone(),
                welcome: None,
            }),
        )
        .await;
        let relay = matches!(outcome, Ok(SubmitOutcome::Accepted { .. }));
        let mut members = Vec::new();
        let judges: Vec<&mut Member> = if by_admin {
            vec![&mut self.fr, &mut self.de]
        } else {
            vec![&mut self.admin, &mut self.de]
        };
        for member in judges {
            let verdict = member.engine.judge_handshake(&self.channel, &commit);
            // A refusal must be the rulebook's, not a failure to read.
            if let Err(error) = &verdict {
                assert!(
                    matches!(error, liaison_core::EngineError::Rule(_)),
                    "{} refused for another reason than a rule: {error:?}",
                    member.id()
                );
            }
            members.push((member.id().to_owned(), verdict.is_ok()));
        }
        (relay, members)
    }

    async fn run(&mut self, step: Step) {
        self.sync_all().await;
        let now = SystemTime::now();
        let rogue_verdicts = match step {
            Step::AdminAddsNewcomer | Step::AdminRemovesNewcomer => {
                let add = matches!(step, Step::AdminAddsNewcomer);
                if add == self.newcomer_in {
                    return;
                }
                if add {
                    self.admin.add(&self.channel, &["deu.newcomer"]).await;
                } else {
                    self.admin
                        .commit(&self.channel, |engine, ch| {
                            engine.remove_members(ch, &["deu.newcomer"])
                        })
                        .await;
                }
                self.newcomer_in = add;
                None
            }
            // openmls itself will not build an add of a current member.
            Step::MemberAddsNewcomer if self.newcomer_in => None,
            Step::MemberAddsNewcomer => {
                let package = within("claim", self.fr.client.claim_key_package("deu.newcomer"))
                    .await
                    .unwrap();
                let commit = self
                    .fr
                    .craft(&self.channel, Hostile::Add(&package), stamp(now))
                    .message;
                Some(self.judge(false, commit).await)
            }
            Step::AdminAddsUnderCleared | Step::AdminAddsForeign => {
                let who = if matches!(step, Step::AdminAddsUnderCleared) {
                    "fra.trainee"
                } else {
                    "fra.stranger"
                };
                let package = within("claim", self.admin.client.claim_key_package(who))
                    .await
                    .unwrap();
                let commit = self
                    .admin
                    .craft(&self.channel, Hostile::Add(&package), stamp(now))
                    .message;
                Some(self.judge(true, commit).await)
            }
            Step::MemberUpdatesToForeign => {
                let commit = self
                    .fr
                    .craft(
                        &self.channel,
                        Hostile::UpdateTo(&self.foreign_chain, &self.foreign_key),
                        stamp(now),
                    )
                    .message;
                Some(self.judge(false, commit).await)
            }
            Step::MemberRemovesOther | Step::MemberProposesRemovingOther => {
                let leaf = self
                    .fr
                    .engine
                    .members(&self.channel)
                    .unwrap()
                    .into_iter()
                    .find(|m| m.officer_id == "deu.officer")
                    .unwrap()
                    .leaf_index;
                let leaf = LeafNodeIndex::new(leaf);
                let what = if matches!(step, Step::MemberRemovesOther) {
                    Hostile::Remove(leaf)
                } else {
                    Hostile::ProposeRemove(leaf)
                };
                // A proposal carries no stamp (only commits do).
                let aad = if matches!(step, Step::MemberRemovesOther) {
                    stamp(now)
                } else {
                    Vec::new()
                };
                let message = self.fr.craft(&self.channel, what, aad).message;
                Some(self.judge(false, message).await)
            }
            Step::AdminChangesRetention => {
                self.admin
                    .commit(&self.channel, |engine, ch| {
                        let policy = engine.policy(ch)?;
                        let days = if policy.retention_days() == Some(30) {
                            29
                        } else {
                            30
                        };
                        engine.change_policy(
                            ch,
                            policy.with_retention(Some(days), liaison_core::HistoryOnRemoval::Keep),
                        )
                    })
                    .await;
                None
            }
            Step::MemberChangesPolicy => {
                let policy = self.fr.engine.policy(&self.channel).unwrap();
                let changed = policy.with_retention(Some(1), liaison_core::HistoryOnRemoval::Purge);
                let commit = self
                    .fr
                    .craft(&self.channel, Hostile::Policy(changed.encode()), stamp(now))
                    .message;
                Some(self.judge(false, commit).await)
            }
            Step::AdminExcludesAMembersNation => {
                // DEU members stay while the labels stop being released to DEU.
                let policy = self.admin.engine.policy(&self.channel).unwrap();
                let narrowed = policy
                    .with_labels(
                        label("NATO SECRET//REL TO FRA, GBR"),
                        label("NATO RESTRICTED//REL TO FRA, GBR"),
                    )
                    .unwrap();
                let commit = self
                    .admin
                    .craft(
                        &self.channel,
                        Hostile::Policy(narrowed.encode()),
                        stamp(now),
                    )
                    .message;
                Some(self.judge(true, commit).await)
            }
            Step::AdminUnstamped => {
                let commit = self
                    .admin
                    .craft(&self.channel, Hostile::Empty, Vec::new())
                    .message;
                Some(self.judge(true, commit).await)
            }
            Step::AdminFromTheFuture => {
                let commit = self
                    .admin
                    .craft(
                        &self.channel,
                        Hostile::Empty,
                        stamp(now + Duration::from_secs(3600)),
                    )
                    .message;
                Some(self.judge(true, commit).await)
            }
        };
        if let Some((relay, members)) = rogue_verdicts {
            for (member, accepted) in &members {
                assert_eq!(
                    *accepted, relay,
                    "{step:?}: the relay said {relay}, {member} said {accepted}"
                );
            }
            // Every rogue step here breaks a rule.
            assert!(!relay, "{step:?} was ordered");
        }
        self.sync_all().await;
        let view = assert_agree([&mut self.admin, &mut self.fr, &mut self.de], &self.channel);
        assert_eq!(
            view.officers().contains(&"deu.newcomer"),
            self.newcomer_in,
            "{step:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn the_relay_and_every_member_reach_the_same_verdict(steps in proptest::collection::vec(step(), 1..7)) {
        run_steps(steps);
    }
}

/// Runs `steps` in a fresh world, checking agreement after each.
fn run_steps(steps: Vec<Step>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut world = world().await;
        for step in steps {
            world.run(step).await;
        }
        let World { relay, .. } = world;
        relay.stop().await;
    });
}

/// Every step at least once, in a fixed order, whatever proptest draws.
#[test]
fn every_step_keeps_the_relay_and_every_member_in_agreement() {
    run_steps(vec![
        Step::AdminAddsNewcomer,
        Step::MemberAddsNewcomer,
        Step::AdminChangesRetention,
        Step::MemberChangesPolicy,
        Step::AdminExcludesAMembersNation,
        Step::MemberProposesRemovingOther,
        Step::AdminRemovesNewcomer,
        Step::MemberAddsNewcomer,
        Step::AdminAddsUnderCleared,
        Step::AdminAddsForeign,
        Step::MemberUpdatesToForeign,
        Step::MemberRemovesOther,
        Step::AdminUnstamped,
        Step::AdminFromTheFuture,
        Step::AdminChangesRetention,
    ]);
}
