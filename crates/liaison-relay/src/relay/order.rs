//! Registering groups and ordering their messages.

use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use liaison_rules::{CredentialCache, check_admission};

use liaison_proto::relay::ErrorCode;
use liaison_proto::{Delivery, PAST_EPOCHS_KEPT, Submission, SubmitOutcome};
use openmls::prelude::{ContentType, MlsMessageIn, ProtocolMessage};
use tls_codec::Deserialize as _;

use super::{Appended, Relay, WelcomeNotice, check_group_id, unix_now};
use crate::auth::Session;
use crate::error::Error;
use crate::mls::{
    LoadedGroup, Processed, Rulebook, anchors_trusted, refused, welcome_key_packages,
};
use crate::storage::{Append, GroupChange, MemberRecord, NewGroup, WelcomeRecord};

impl Relay {
    /// Registers a group from its creator's GroupInfo at epoch 0. The only
    /// member must be the authenticated officer's device, an admin of the
    /// channel policy.
    pub(crate) fn create_group(
        &self,
        session: &Session,
        group_id: &[u8],
        group_info: &[u8],
    ) -> Result<(), Error> {
        check_group_id(group_id)?;
        if group_info.len() > self.config.limits.max_message_bytes {
            return Err(Error::refused(ErrorCode::TooLarge, "group info too large"));
        }
        let group = LoadedGroup::from_group_info(&self.crypto, group_id, group_info)?;
        if group.epoch() != 0 {
            return Err(Error::malformed("a new group starts at epoch 0"));
        }
        let creator = MemberRecord {
            officer_id: session.officer_id.clone(),
            signature_key: session.signature_key.clone(),
        };
        if group.members() != [creator] {
            return Err(Error::forbidden(
                "a new group must hold exactly one member: the authenticated officer",
            ));
        }
        let policy = group.channel_policy(&self.config.label_policies)?;
        if !policy.is_admin(&session.officer_id) {
            return Err(Error::forbidden(
                "the creator of a channel must be one of its admins",
            ));
        }
        anchors_trusted(&policy, &self.trust())?;
        // The creator is judged as every later member is: its credential
        // chains to the channel's anchors and its clearance admits the ceiling.
        let mut cache = CredentialCache::new();
        for leaf in group.leaves() {
            let verified = cache
                .verify(
                    &leaf.credential,
                    leaf.signature_key.as_slice(),
                    policy.anchors(),
                    SystemTime::now(),
                )
                .map_err(refused)?;
            check_admission(&verified, &policy, &self.config.label_policies).map_err(refused)?;
        }
        self.storage.create_group(&NewGroup {
            group_id: group_id.to_vec(),
            epoch: 0,
            retention_days: policy.retention_days().unwrap_or(0),
            state: group.state(),
            members: group.members().to_vec(),
            created_at: unix_now(),
        })?;
        // Only now that the group exists does it get an ordering point.
        self.insert_slot(group_id, Some(group));
        Ok(())
    }

    /// Orders one message: checks, verifies handshake messages against the
    /// group's public state, stores, and only then answers.
    pub(crate) fn submit(
        &self,
        session: &Session,
        submission: Submission,
    ) -> Result<SubmitOutcome, Error> {
        let limits = &self.config.limits;
        let welcome_len = submission.welcome.as_ref().map_or(0, Vec::len);
        if submission.message.len() > limits.max_message_bytes
            || welcome_len > limits.max_message_bytes
        {
            return Err(Error::refused(
                ErrorCode::TooLarge,
                format!("messages are limited to {} bytes", limits.max_message_bytes),
            ));
        }
        let message = MlsMessageIn::tls_deserialize_exact(submission.message.as_slice())
            .map_err(|_| Error::malformed("not an MLS message"))?;
        let protocol = message
            .try_into_protocol_message()
            .map_err(|_| Error::malformed("not a group message"))?;
        if protocol.group_id().as_slice() != submission.group_id.as_slice() {
            return Err(Error::malformed("the message is for another group"));
        }

        let slot = self.member_slot(
            &submission.group_id,
            &session.officer_id,
            &session.signature_key,
        )?;
        let mut guard = slot.lock();
        if guard.is_none() {
            *guard = Some(self.load(&submission.group_id)?);
        }
        let Some(group) = guard.as_mut() else {
            return Err(Error::Internal("group slot empty after load".to_owned()));
        };
        if !group.is_member(&session.officer_id, &session.signature_key) {
            return Err(Error::not_member());
        }
        if group.stored >= limits.max_messages_per_group {
            return Err(Error::refused(
                ErrorCode::QueueFull,
                "the group holds as many messages as this relay keeps",
            ));
        }
        let handshake = protocol.is_handshake_message();
        if !handshake && submission.message.len() > limits.max_application_bytes {
            return Err(Error::refused(
                ErrorCode::TooLarge,
                format!(
                    "application messages are limited to {} bytes",
                    limits.max_application_bytes
                ),
            ));
        }
        let epoch = protocol.epoch().as_u64();
        let readable = if handshake {
            epoch == group.epoch()
        } else {
            // Members keep PAST_EPOCHS_KEPT past epochs: a message further
            // back (queued long offline) would be ordered but read by
            // nobody. The sender catches up and encrypts it again.
            epoch <= group.epoch() && group.epoch() - epoch <= PAST_EPOCHS_KEPT
        };
        if !readable {
            self.metrics.wrong_epoch();
            return Ok(SubmitOutcome::WrongEpoch {
                current: group.epoch(),
            });
        }
        let is_commit = protocol.content_type() == ContentType::Commit;
        if submission.welcome.is_some() && !is_commit {
            return Err(Error::malformed("a Welcome travels only with a commit"));
        }
        let welcome = match submission.welcome {
            Some(welcome) => {
                let refs = welcome_key_packages(&welcome)?;
                Some((welcome, refs))
            }
            None => None,
        };
        let (change, added_refs) = if handshake {
            match self.apply(group, protocol, session) {
                Ok((change, added_refs)) => (Some(change), added_refs),
                Err(error) => {
                    // The public state may be half changed: reload it.
                    *guard = None;
                    return Err(error);
                }
            }
        } else {
            (None, Vec::new())
        };
        // A Welcome is for exactly the members its commit adds: nobody else
        // can be named in it (a large fake Welcome queued for an officer who
        // is not being added would lock that officer out of `welcomes`).
        let welcome = match welcome {
            Some((welcome, mut refs)) => {
                let mut expected = added_refs;
                refs.sort();
                expected.sort();
                if refs != expected {
                    *guard = None;
                    return Err(Error::forbidden(
                        "a Welcome must be for exactly the members its commit adds",
                    ));
                }
                let recipients = match self.storage.key_package_owners(&refs) {
                    Ok(recipients) => recipients,
                    Err(error) => {
                        *guard = None;
                        return Err(error.into());
                    }
                };
                Some(WelcomeRecord {
                    welcome,
                    recipients,
                })
            }
            None => None,
        };
        let append = Append {
            group_id: submission.group_id,
            message: submission.message,
            received_at: unix_now(),
            max_stored: limits.max_messages_per_group,
            sender: session.directory_key(),
            // Handshake messages count towards the quotas but are never
            // refused by them: a full group must still be able to remove
            // the member who filled it.
            max_group_bytes: if handshake {
                u64::MAX
            } else {
                limits.max_group_bytes
            },
            max_sender_bytes: if handshake {
                u64::MAX
            } else {
                limits.max_member_bytes
            },
            change,
            welcome,
        };
        let seq = match self.storage.append(&append) {
            Ok(seq) => seq,
            Err(error) => {
                *guard = None;
                return Err(error.into());
            }
        };
        if let Some(group) = guard.as_mut() {
            group.last_seq = seq;
            group.stored = group.stored.saturating_add(1);
        }
        let Append {
            group_id,
            message,
            welcome,
            ..
        } = append;
        if slot.appended.receiver_count() > 0 {
            // Announced under the group's lock, so in order. Nobody caught
            // up to take it is fine: subscribers read the database then.
            let _ = slot.appended.send(Arc::new(Appended {
                delivery: Delivery {
                    group_id,
                    seq,
                    message,
                },
                handshake,
                frame: OnceLock::new(),
            }));
        }
        drop(guard);
        self.metrics.accepted();
        if let Some(welcome) = welcome {
            let shared = Arc::new(welcome.welcome);
            self.metrics
                .welcomes_queued(u64::try_from(welcome.recipients.len()).unwrap_or(u64::MAX));
            for officer_id in welcome.recipients {
                // Nobody listening is fine: the Welcome waits in the database.
                let _ = self.welcomes.send(WelcomeNotice {
                    officer_id,
                    welcome: shared.clone(),
                });
            }
        }
        Ok(SubmitOutcome::Accepted { seq })
    }

    /// Processes a handshake message; returns the change to store and the
    /// references of the key packages the commit adds.
    fn apply(
        &self,
        group: &mut LoadedGroup,
        protocol: ProtocolMessage,
        session: &Session,
    ) -> Result<(GroupChange, Vec<Vec<u8>>), Error> {
        let trust = self.trust();
        let rulebook = Rulebook {
            registry: &self.config.label_policies,
            trust: &trust,
            now: SystemTime::now(),
        };
        let processed = group.process(
            &self.crypto,
            &rulebook,
            protocol,
            &session.officer_id,
            &session.signature_key,
        )?;
        let (added, removed, readded, added_refs) = match processed {
            Processed::Proposal => (Vec::new(), Vec::new(), Vec::new(), Vec::new()),
            Processed::Commit {
                added,
                removed,
                readded,
                added_refs,
            } => (added, removed, readded, added_refs),
        };
        let change = GroupChange {
            epoch: group.epoch(),
            retention_days: group.policy()?.retention_days,
            state: group.state(),
            added,
            removed,
            readded,
        };
        Ok((change, added_refs))
    }
}
