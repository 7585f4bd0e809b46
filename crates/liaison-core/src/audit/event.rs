//! Every event Liaison writes to the audit log, typed. Each has a stable
//! kind (`member.added`), a category for filtering, its facts (who did
//! what, before and after), and an English detail for the command line
//! and for readers that do not know the kind.

use std::fmt;

use super::{AuditCategory, Facts, Officer, Refusal};

/// A change of one part of a channel's policy, before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyChange {
    /// The partnership's name.
    Renamed {
        /// The name before.
        before: String,
        /// The name after.
        after: String,
    },
    /// The ceiling label, as markings.
    Ceiling {
        /// The marking before.
        before: String,
        /// The marking after.
        after: String,
    },
    /// The default label, as markings.
    DefaultLabel {
        /// The marking before.
        before: String,
        /// The marking after.
        after: String,
    },
    /// The retention period in days (`None`: kept without limit).
    Retention {
        /// The period before.
        before: Option<u32>,
        /// The period after.
        after: Option<u32>,
    },
    /// What happens to a removed member's history (`keep` or `purge`).
    HistoryOnRemoval {
        /// The rule before.
        before: String,
        /// The rule after.
        after: String,
    },
    /// A partner authority the channel no longer trusts.
    AnchorRemoved {
        /// The authority's name.
        authority: String,
        /// Its fingerprint (hex).
        fingerprint: String,
    },
}

/// A message an acknowledgement is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckedMessage {
    /// The message id (hex).
    pub id: String,
    /// Who sent it, when the message is held here.
    pub sender: Option<Officer>,
    /// Its portion marking, when held here.
    pub marking: Option<String>,
    /// Its precedence (`flash`, `immediate`…), when held here.
    pub precedence: Option<&'static str>,
}

/// What ended a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockReason {
    /// The officer locked it.
    Officer,
    /// No input for longer than the idle delay.
    Idle,
}

/// One audited event.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditEvent {
    // Membership.
    /// This officer created a channel.
    ChannelCreated {
        /// The partnership name.
        channel: String,
        /// The ceiling's marking.
        ceiling: String,
    },
    /// This officer joined a channel from an invitation.
    ChannelJoined {
        /// The partnership name.
        channel: String,
        /// The epoch joined.
        epoch: u64,
        /// Who added this officer, when known.
        by: Option<Officer>,
    },
    /// A commit added an officer.
    MemberAdded {
        /// The committer.
        by: Officer,
        /// The officer added.
        member: Officer,
        /// Their nationality (ISO 3166 alpha-3), when known.
        nationality: Option<String>,
        /// The epoch the commit opened.
        epoch: u64,
    },
    /// A commit removed an officer (not at their own request).
    MemberRemoved {
        /// The committer.
        by: Officer,
        /// The officer removed.
        member: Officer,
        /// The epoch the commit opened.
        epoch: u64,
    },
    /// An officer left: a commit applied their own request to leave.
    MemberLeft {
        /// The officer who left.
        member: Officer,
        /// The epoch the commit opened.
        epoch: u64,
    },
    /// A policy change made an officer an admin.
    MemberPromoted {
        /// The committer.
        by: Officer,
        /// The new admin (id only when not a member).
        member: Officer,
        /// The epoch the commit opened.
        epoch: u64,
    },
    /// A policy change took an officer's admin rights away.
    MemberDemoted {
        /// The committer.
        by: Officer,
        /// The former admin.
        member: Officer,
        /// The epoch the commit opened.
        epoch: u64,
    },
    /// This officer's commit removes a member whose credential no longer
    /// verifies.
    InvalidMemberRemoved {
        /// The member.
        member: String,
        /// Why their credential fails.
        reason: Refusal,
    },
    /// This officer, as admin, adds a member back after a fork.
    MemberReadded {
        /// The member.
        member: String,
    },
    /// A commit removed this officer.
    RemovedSelf {
        /// The committer.
        by: Officer,
        /// The epoch the commit opened.
        epoch: u64,
    },
    /// This officer asked to leave.
    LeaveRequested,
    /// An invitation waits: the channel trusts authorities not pinned here.
    InvitationHeld {
        /// The partnership name.
        channel: String,
        /// Who added this officer, when known.
        by: Option<Officer>,
        /// The unpinned authorities, as `name (fingerprint)`.
        authorities: Vec<String>,
    },
    /// The officer accepted an invitation, pinning these authorities.
    InvitationAccepted {
        /// The partnership name.
        channel: String,
        /// The authorities pinned by accepting, as `name (fingerprint)`.
        pinned: Vec<String>,
    },
    /// The officer declined an invitation.
    InvitationDeclined {
        /// The partnership name.
        channel: String,
    },
    /// A newer invitation to the same channel replaced a waiting one.
    InvitationReplaced {
        /// The partnership name.
        channel: String,
    },

    // Policy.
    /// A commit changed part of the channel's policy.
    PolicyChanged {
        /// The committer.
        by: Officer,
        /// What changed, before and after.
        change: PolicyChange,
        /// The epoch the commit opened.
        epoch: u64,
    },
    /// A policy change made the channel trust another partner authority.
    AnchorAdded {
        /// The partnership name.
        channel: String,
        /// The authority's name.
        authority: String,
        /// Its fingerprint (hex).
        fingerprint: String,
        /// Whether this profile pins it.
        pinned: bool,
        /// The epoch the change opened.
        epoch: u64,
    },

    // Refusals.
    /// A delivery broke a rule and was refused.
    DeliveryRefused {
        /// Its position at the relay.
        seq: u64,
        /// Why.
        reason: Refusal,
    },
    /// An invitation (MLS Welcome) was refused.
    WelcomeRefused {
        /// Why.
        reason: Refusal,
    },
    /// The relay refused an outbox entry for good; it was rolled back.
    OutboxRefused {
        /// What was refused (`commit`, `create`, `application`…).
        what: String,
        /// The relay's reason, in its words.
        reason: String,
    },

    // Acknowledgements.
    /// This officer acknowledged a message.
    AckSent {
        /// The message.
        message: AckedMessage,
    },
    /// A member acknowledged a message.
    AckReceived {
        /// Who acknowledged it.
        by: Officer,
        /// The message.
        message: AckedMessage,
    },
    /// A queued acknowledgement was dropped (its epoch is gone).
    AckDropped,

    // Archive and retention.
    /// The channel was exported to an archive file.
    ArchiveExported {
        /// Messages written.
        messages: u64,
        /// `passphrase` or `certificate`.
        protection: &'static str,
        /// The recipient certificate's fingerprint, for `certificate`.
        recipient: Option<String>,
    },
    /// An archive was imported as a read-only channel.
    ArchiveImported {
        /// The archive's identifier (hex).
        archive: String,
        /// Who exported it.
        exported_by: String,
        /// Messages in it.
        messages: u64,
        /// Verified offline.
        verified: u64,
        /// Not vouched for here.
        unverified: u64,
        /// Failed their signature or label.
        tampered: u64,
    },
    /// The channel was archived on this desktop.
    ChannelArchived,
    /// Retention deleted old messages.
    RetentionDeleted {
        /// How many.
        messages: u64,
        /// The channel's retention period.
        days: u32,
        /// Messages received before this instant went (Unix ms).
        cutoff_ms: u64,
    },
    /// Retention skipped a channel whose policy it could not read.
    RetentionSkipped {
        /// Why, in English.
        reason: String,
    },
    /// The channel's history was purged on removal, as its policy says.
    HistoryPurged,

    // Session and security.
    /// The profile was created.
    ProfileCreated {
        /// The officer.
        officer: String,
    },
    /// The store is now protected by a PIN.
    PinSet,
    /// The officer changed the PIN or the passphrase that unlocks the profile.
    SecretChanged {
        /// "pin" or "passphrase".
        secret: String,
    },
    /// The profile was unlocked.
    Unlocked {
        /// Wrong PINs or passphrases typed since the last unlock.
        failed_attempts: u32,
    },
    /// The profile was locked.
    Locked {
        /// Why.
        reason: LockReason,
    },
    /// A partner authority was pinned.
    AuthorityPinned {
        /// Its name.
        authority: String,
        /// Its fingerprint (hex).
        fingerprint: String,
        /// How (`onboarding`, `import`, `officer`, `upgrade`).
        source: &'static str,
    },
    /// A partner authority was unpinned.
    AuthorityUnpinned {
        /// Its name.
        authority: String,
        /// Its fingerprint (hex).
        fingerprint: String,
    },
    /// A profile older than pinning pinned what it relied on.
    PinningSeeded {
        /// How many authorities.
        pinned: u64,
    },
    /// A member sent from another branch of the channel.
    ForkDetected {
        /// The delivery's position.
        seq: u64,
        /// The epoch whose branches differ.
        epoch: u64,
    },
    /// The relay withholds a commit from this member.
    CommitWithheld {
        /// Our epoch.
        ours: u64,
        /// The epoch the channel's messages are at.
        theirs: u64,
    },

    // Channel state.
    /// A commit took effect.
    CommitMerged {
        /// The epoch it opened.
        epoch: u64,
        /// Who committed it.
        by: Officer,
    },
    /// An admin's commit settled a fork in this member's favour.
    ForkSettled {
        /// The epoch of the admin's commit.
        epoch: u64,
    },
    /// This member asked the admins to add it back.
    RejoinRequested,
    /// This officer, as admin, answered a rejoin request.
    RejoinAnswered {
        /// The answer.
        outcome: String,
    },
    /// This member was added back after a fork.
    Rejoined {
        /// The epoch it joined at.
        epoch: u64,
        /// The epoch of the fork.
        fork_epoch: u64,
    },
    /// The relay answered "wrong epoch"; the entry was rolled back.
    OutboxStale {
        /// What was rolled back.
        what: String,
    },
    /// A queued message was encrypted again in a newer epoch.
    OutboxReencrypted {
        /// The new epoch.
        epoch: u64,
    },
}

impl AuditEvent {
    /// The stable kind stored in the `event` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ChannelCreated { .. } => "channel.created",
            Self::ChannelJoined { .. } => "channel.joined",
            Self::MemberAdded { .. } => "member.added",
            Self::MemberRemoved { .. } => "member.removed",
            Self::MemberLeft { .. } => "member.left",
            Self::MemberPromoted { .. } => "member.promoted",
            Self::MemberDemoted { .. } => "member.demoted",
            Self::InvalidMemberRemoved { .. } => "member.invalid_removed",
            Self::MemberReadded { .. } => "member.readded",
            Self::RemovedSelf { .. } => "channel.removed",
            Self::LeaveRequested => "channel.leave_requested",
            Self::InvitationHeld { .. } => "invitation.held",
            Self::InvitationAccepted { .. } => "invitation.accepted",
            Self::InvitationDeclined { .. } => "invitation.declined",
            Self::InvitationReplaced { .. } => "invitation.replaced",
            Self::PolicyChanged { change, .. } => match change {
                PolicyChange::Renamed { .. } => "policy.renamed",
                PolicyChange::Ceiling { .. } => "policy.ceiling",
                PolicyChange::DefaultLabel { .. } => "policy.default_label",
                PolicyChange::Retention { .. } => "policy.retention",
                PolicyChange::HistoryOnRemoval { .. } => "policy.history",
                PolicyChange::AnchorRemoved { .. } => "policy.anchor_removed",
            },
            Self::AnchorAdded { .. } => "channel.anchor_added",
            Self::DeliveryRefused { .. } => "delivery.refused",
            Self::WelcomeRefused { .. } => "welcome.refused",
            Self::OutboxRefused { .. } => "outbox.refused",
            Self::AckSent { .. } => "ack.sent",
            Self::AckReceived { .. } => "ack.received",
            Self::AckDropped => "outbox.ack_dropped",
            Self::ArchiveExported { .. } => "archive.exported",
            Self::ArchiveImported { .. } => "archive.imported",
            Self::ChannelArchived => "channel.archived",
            Self::RetentionDeleted { .. } => "retention.deleted",
            Self::RetentionSkipped { .. } => "retention.skipped",
            Self::HistoryPurged => "channel.purged",
            Self::ProfileCreated { .. } => "profile.created",
            Self::PinSet => "profile.pin_set",
            Self::SecretChanged { .. } => "profile.secret_changed",
            Self::Unlocked { .. } => "session.unlocked",
            Self::Locked { .. } => "session.locked",
            Self::AuthorityPinned { .. } => "authority.pinned",
            Self::AuthorityUnpinned { .. } => "authority.unpinned",
            Self::PinningSeeded { .. } => "pinning.seeded",
            Self::ForkDetected { .. } => "channel.fork_detected",
            Self::CommitWithheld { .. } => "channel.commit_withheld",
            Self::CommitMerged { .. } => "commit.merged",
            Self::ForkSettled { .. } => "channel.fork_settled",
            Self::RejoinRequested => "channel.rejoin_requested",
            Self::RejoinAnswered { .. } => "channel.rejoin_answered",
            Self::Rejoined { .. } => "channel.rejoined",
            Self::OutboxStale { .. } => "outbox.stale",
            Self::OutboxReencrypted { .. } => "outbox.reencrypted",
        }
    }

    /// The category the audit screen filters by.
    pub fn category(&self) -> AuditCategory {
        AuditCategory::of_kind(self.kind())
    }

    /// The facts a window puts into its sentence.
    pub fn facts(&self) -> Facts {
        let facts = Facts::new();
        match self {
            Self::ChannelCreated { channel, ceiling } => facts
                .with("channel", channel.as_str())
                .with("ceiling", ceiling.as_str()),
            Self::ChannelJoined { channel, epoch, by } => {
                let facts = facts
                    .with("channel", channel.as_str())
                    .with("epoch", *epoch);
                match by {
                    Some(by) => facts.officer("by", by),
                    None => facts,
                }
            }
            Self::MemberAdded {
                by,
                member,
                nationality,
                epoch,
            } => facts
                .officer("by", by)
                .officer("member", member)
                .with_some("nationality", nationality.clone())
                .with("epoch", *epoch),
            Self::MemberRemoved { by, member, epoch }
            | Self::MemberPromoted { by, member, epoch }
            | Self::MemberDemoted { by, member, epoch } => facts
                .officer("by", by)
                .officer("member", member)
                .with("epoch", *epoch),
            Self::MemberLeft { member, epoch } => {
                facts.officer("member", member).with("epoch", *epoch)
            }
            Self::InvalidMemberRemoved { member, reason } => facts
                .with("member", member.as_str())
                .merged(reason.to_facts()),
            Self::MemberReadded { member } => facts.with("member", member.as_str()),
            Self::RemovedSelf { by, epoch } => facts.officer("by", by).with("epoch", *epoch),
            Self::LeaveRequested
            | Self::AckDropped
            | Self::ChannelArchived
            | Self::HistoryPurged
            | Self::PinSet
            | Self::RejoinRequested => facts,
            Self::InvitationHeld {
                channel,
                by,
                authorities,
            } => {
                let facts = facts
                    .with("channel", channel.as_str())
                    .with("authorities", authorities.clone());
                match by {
                    Some(by) => facts.officer("by", by),
                    None => facts,
                }
            }
            Self::InvitationAccepted { channel, pinned } => facts
                .with("channel", channel.as_str())
                .with("pinned", pinned.clone()),
            Self::InvitationDeclined { channel } | Self::InvitationReplaced { channel } => {
                facts.with("channel", channel.as_str())
            }
            Self::PolicyChanged { by, change, epoch } => {
                let facts = facts.officer("by", by).with("epoch", *epoch);
                match change {
                    PolicyChange::Renamed { before, after }
                    | PolicyChange::Ceiling { before, after }
                    | PolicyChange::DefaultLabel { before, after }
                    | PolicyChange::HistoryOnRemoval { before, after } => facts
                        .with("before", before.as_str())
                        .with("after", after.as_str()),
                    PolicyChange::Retention { before, after } => facts
                        .with_some("before", *before)
                        .with_some("after", *after),
                    PolicyChange::AnchorRemoved {
                        authority,
                        fingerprint,
                    } => facts
                        .with("authority", authority.as_str())
                        .with("fingerprint", fingerprint.as_str()),
                }
            }
            Self::AnchorAdded {
                channel,
                authority,
                fingerprint,
                pinned,
                epoch,
            } => facts
                .with("channel", channel.as_str())
                .with("authority", authority.as_str())
                .with("fingerprint", fingerprint.as_str())
                .with("pinned", *pinned)
                .with("epoch", *epoch),
            Self::DeliveryRefused { seq, reason } => {
                facts.with("seq", *seq).merged(reason.to_facts())
            }
            Self::WelcomeRefused { reason } => facts.merged(reason.to_facts()),
            Self::OutboxRefused { what, reason } => facts
                .with("what", what.as_str())
                .with("detail", reason.as_str()),
            Self::AckSent { message } => facts.merged(acked_facts(message)),
            Self::AckReceived { by, message } => {
                facts.officer("by", by).merged(acked_facts(message))
            }
            Self::ArchiveExported {
                messages,
                protection,
                recipient,
            } => facts
                .with("messages", *messages)
                .with("protection", *protection)
                .with_some("recipient", recipient.clone()),
            Self::ArchiveImported {
                archive,
                exported_by,
                messages,
                verified,
                unverified,
                tampered,
            } => facts
                .with("archive", archive.as_str())
                .with("exportedBy", exported_by.as_str())
                .with("messages", *messages)
                .with("verified", *verified)
                .with("unverified", *unverified)
                .with("tampered", *tampered),
            Self::RetentionDeleted {
                messages,
                days,
                cutoff_ms,
            } => facts
                .with("messages", *messages)
                .with("days", *days)
                .with("cutoffMs", *cutoff_ms),
            Self::RetentionSkipped { reason } => facts.with("detail", reason.as_str()),
            Self::ProfileCreated { officer } => facts.with("officer", officer.as_str()),
            Self::SecretChanged { secret } => facts.with("secret", secret.as_str()),
            Self::Unlocked { failed_attempts } => facts.with("failedAttempts", *failed_attempts),
            Self::Locked { reason } => facts.with(
                "reason",
                match reason {
                    LockReason::Officer => "officer",
                    LockReason::Idle => "idle",
                },
            ),
            Self::AuthorityPinned {
                authority,
                fingerprint,
                source,
            } => facts
                .with("authority", authority.as_str())
                .with("fingerprint", fingerprint.as_str())
                .with("source", *source),
            Self::AuthorityUnpinned {
                authority,
                fingerprint,
            } => facts
                .with("authority", authority.as_str())
                .with("fingerprint", fingerprint.as_str()),
            Self::PinningSeeded { pinned } => facts.with("pinned", *pinned),
            Self::ForkDetected { seq, epoch } => facts.with("seq", *seq).with("epoch", *epoch),
            Self::CommitWithheld { ours, theirs } => {
                facts.with("ours", *ours).with("theirs", *theirs)
            }
            Self::CommitMerged { epoch, by } => facts.with("epoch", *epoch).officer("by", by),
            Self::ForkSettled { epoch } => facts.with("epoch", *epoch),
            Self::RejoinAnswered { outcome } => facts.with("outcome", outcome.as_str()),
            Self::Rejoined { epoch, fork_epoch } => {
                facts.with("epoch", *epoch).with("forkEpoch", *fork_epoch)
            }
            Self::OutboxStale { what } => facts.with("what", what.as_str()),
            Self::OutboxReencrypted { epoch } => facts.with("epoch", *epoch),
        }
    }
}

fn acked_facts(message: &AckedMessage) -> Facts {
    let facts = Facts::new()
        .with("message", message.id.as_str())
        .with_some("marking", message.marking.clone())
        .with_some("precedence", message.precedence);
    match &message.sender {
        Some(sender) => facts.officer("sender", sender),
        None => facts,
    }
}

fn english_list(items: &[String]) -> String {
    items.join(", ")
}

fn retention(days: Option<u32>) -> String {
    days.map_or_else(|| "no limit".to_owned(), |d| format!("{d} days"))
}

fn short_id(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

/// The English detail: what the command line prints, and what a window
/// shows for a kind it does not know.
impl fmt::Display for AuditEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ChannelCreated { channel, ceiling } => write!(f, "{channel} ceiling {ceiling}"),
            Self::ChannelJoined { channel, epoch, by } => match by {
                Some(by) => write!(f, "{channel} at epoch {epoch}, added by {}", by.english()),
                None => write!(f, "{channel} at epoch {epoch}"),
            },
            Self::MemberAdded {
                by,
                member,
                nationality,
                epoch,
            } => {
                write!(f, "{} added {}", by.english(), member.english())?;
                if let Some(nation) = nationality {
                    write!(f, " ({nation})")?;
                }
                write!(f, " at epoch {epoch}")
            }
            Self::MemberRemoved { by, member, epoch } => write!(
                f,
                "{} removed {} at epoch {epoch}",
                by.english(),
                member.english()
            ),
            Self::MemberLeft { member, epoch } => {
                write!(f, "{} left at epoch {epoch}", member.english())
            }
            Self::MemberPromoted { by, member, epoch } => write!(
                f,
                "{} made {} an admin at epoch {epoch}",
                by.english(),
                member.english()
            ),
            Self::MemberDemoted { by, member, epoch } => write!(
                f,
                "{} took the admin rights of {} at epoch {epoch}",
                by.english(),
                member.english()
            ),
            Self::InvalidMemberRemoved { member, reason } => write!(
                f,
                "{member} removed in this commit: credential no longer valid ({})",
                reason
                    .facts
                    .get("why")
                    .and_then(|why| why.get("text"))
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or(reason.code)
            ),
            Self::MemberReadded { member } => write!(f, "{member} added back after a fork"),
            Self::RemovedSelf { by, .. } => {
                write!(f, "this officer was removed by {}", by.english())
            }
            Self::LeaveRequested => f.write_str("asked to leave the channel"),
            Self::InvitationHeld {
                channel,
                by,
                authorities,
            } => write!(
                f,
                "{channel}: added by {}; not joined, these authorities are not pinned: {}",
                by.as_ref()
                    .map_or_else(|| "an unknown member".to_owned(), Officer::english),
                english_list(authorities)
            ),
            Self::InvitationAccepted { channel, pinned } => {
                if pinned.is_empty() {
                    write!(
                        f,
                        "{channel}: the officer confirmed nothing new (every authority was pinned)"
                    )
                } else {
                    write!(f, "{channel}: the officer confirmed {}", english_list(pinned))
                }
            }
            Self::InvitationDeclined { channel } => write!(f, "{channel}: declined by the officer"),
            Self::InvitationReplaced { channel } => {
                write!(f, "{channel}: a newer invitation replaces it")
            }
            Self::PolicyChanged { by, change, epoch } => {
                write!(f, "{} ", by.english())?;
                match change {
                    PolicyChange::Renamed { before, after } => {
                        write!(f, "renamed the channel from {before} to {after}")?;
                    }
                    PolicyChange::Ceiling { before, after } => {
                        write!(f, "changed the ceiling from {before} to {after}")?;
                    }
                    PolicyChange::DefaultLabel { before, after } => {
                        write!(f, "changed the default label from {before} to {after}")?;
                    }
                    PolicyChange::Retention { before, after } => write!(
                        f,
                        "changed the retention from {} to {}",
                        retention(*before),
                        retention(*after)
                    )?,
                    PolicyChange::HistoryOnRemoval { before, after } => write!(
                        f,
                        "changed the history on removal from {before} to {after}"
                    )?,
                    PolicyChange::AnchorRemoved {
                        authority,
                        fingerprint,
                    } => write!(
                        f,
                        "removed the partner authority {authority} ({fingerprint}) from the channel"
                    )?,
                }
                write!(f, " at epoch {epoch}")
            }
            Self::AnchorAdded {
                channel,
                authority,
                fingerprint,
                pinned,
                epoch,
            } => write!(
                f,
                "{authority} ({fingerprint}) now trusted by {channel} from epoch {epoch}; {}",
                if *pinned {
                    "pinned on this profile"
                } else {
                    "NOT pinned on this profile"
                }
            ),
            Self::DeliveryRefused { seq, reason } => {
                write!(f, "seq {seq}: {}", refusal_text(reason))
            }
            Self::WelcomeRefused { reason } => f.write_str(refusal_text(reason)),
            Self::OutboxRefused { what, reason } => {
                write!(f, "{what} refused by the relay and rolled back: {reason}")
            }
            Self::AckSent { message } => {
                write!(f, "acknowledged message {}", short_id(&message.id))?;
                acked_english(f, message)
            }
            Self::AckReceived { by, message } => {
                write!(
                    f,
                    "{} acknowledged message {}",
                    by.english(),
                    short_id(&message.id)
                )?;
                acked_english(f, message)
            }
            Self::AckDropped => f.write_str(
                "an acknowledgement queued in an epoch the channel no longer keeps was dropped; acknowledge again",
            ),
            Self::ArchiveExported {
                messages,
                protection,
                recipient,
            } => match recipient {
                Some(recipient) => write!(
                    f,
                    "{messages} messages, protected by certificate {recipient}"
                ),
                None => write!(f, "{messages} messages, protected by a {protection}"),
            },
            Self::ArchiveImported {
                archive,
                exported_by,
                messages,
                verified,
                unverified,
                tampered,
            } => write!(
                f,
                "archive {archive} exported by {exported_by}: {messages} messages, {verified} verified, {unverified} unverified, {tampered} tampered"
            ),
            Self::ChannelArchived => f.write_str("archived: read-only on this desktop"),
            Self::RetentionDeleted {
                messages,
                days,
                cutoff_ms,
            } => write!(
                f,
                "{messages} messages received more than {days} days ago (cutoff {cutoff_ms} ms)"
            ),
            Self::RetentionSkipped { reason } => {
                write!(f, "channel policy unreadable: {reason}")
            }
            Self::HistoryPurged => f.write_str("history purged by policy"),
            Self::ProfileCreated { officer } => write!(f, "desktop profile for {officer}"),
            Self::PinSet => f.write_str("the store is now protected by a PIN"),
            Self::SecretChanged { secret } => write!(f, "the {secret} was changed"),
            Self::Unlocked { failed_attempts } => match failed_attempts {
                0 => f.write_str("unlocked"),
                n => write!(f, "unlocked after {n} wrong attempt(s)"),
            },
            Self::Locked { reason } => f.write_str(match reason {
                LockReason::Officer => "locked by the officer",
                LockReason::Idle => "locked after the idle delay",
            }),
            Self::AuthorityPinned {
                authority,
                fingerprint,
                source,
            } => write!(f, "{authority} ({fingerprint}), {source}"),
            Self::AuthorityUnpinned {
                authority,
                fingerprint,
            } => write!(f, "{authority} ({fingerprint})"),
            Self::PinningSeeded { pinned } => write!(
                f,
                "first opening since partner authorities are pinned: {pinned} pinned \
                 (this profile's own authority and its channels' anchors, trusted on first use)"
            ),
            Self::ForkDetected { seq, epoch } => write!(
                f,
                "seq {seq}: a member sent from another branch of epoch {epoch}; \
                 the relay gave members different commits"
            ),
            Self::CommitWithheld { ours, theirs } => write!(
                f,
                "messages of epoch {theirs} arrive while this member is at epoch {ours}: \
                 the relay has not delivered the commit between; they wait until it does"
            ),
            Self::CommitMerged { epoch, by } => {
                write!(f, "epoch {epoch}, committed by {}", by.english())
            }
            Self::ForkSettled { epoch } => write!(
                f,
                "an admin's commit to epoch {epoch} merged: this member holds the admins' branch"
            ),
            Self::RejoinRequested => {
                f.write_str("asked the channel's admins to add this member back")
            }
            Self::RejoinAnswered { outcome } => write!(f, "a member's rejoin request: {outcome}"),
            Self::Rejoined { epoch, fork_epoch } => write!(
                f,
                "added back at epoch {epoch} after the fork at epoch {fork_epoch}: \
                 what the channel carried in between was not read here"
            ),
            Self::OutboxStale { what } => {
                write!(f, "{what} rolled back after a wrong-epoch answer")
            }
            Self::OutboxReencrypted { epoch } => {
                write!(f, "a queued message was encrypted again in epoch {epoch}")
            }
        }
    }
}

fn acked_english(f: &mut fmt::Formatter<'_>, message: &AckedMessage) -> fmt::Result {
    if let Some(sender) = &message.sender {
        write!(f, " from {}", sender.english())?;
    }
    if let Some(marking) = &message.marking {
        write!(f, " ({marking})")?;
    }
    Ok(())
}

/// A refusal's English text.
fn refusal_text(reason: &Refusal) -> &str {
    if reason.text.is_empty() {
        reason.code
    } else {
        &reason.text
    }
}
