//! Views of messages, sending, syncing, acknowledging, listening and the
//! audit log.

use std::io::{self, Write};

use liaison_core::{Acknowledgement, Label, ReferenceKind, StoredMessage, TrafficKind};
use serde::Serialize;

use super::channel::ChannelRefView;
use super::{DeliveryView, ExitStatus, Render, sanitize, sanitize_line};
use crate::time_text::rfc3339_ms;

/// The line that frames exercise traffic, above and below its text.
const EXERCISE_FRAME: &str = "*** EXERCISE EXERCISE EXERCISE ***";
/// How many hex digits of an id the text output shows.
const SHORT_ID: usize = 8;

/// A channel id as the text output shows it: its first hex digits.
pub(super) fn short(id: &str) -> &str {
    id.get(..SHORT_ID).unwrap_or(id)
}

/// A message id as the text output shows it: its *last* hex digits. A
/// message id starts with its sender's stream (the same for every message
/// of one engine session) and a counter, and ends with random bytes, so
/// its end tells messages apart where its start does not.
/// `liaison messages read` and the other commands take it back.
pub(super) fn short_message(id: &str) -> &str {
    id.get(id.len().saturating_sub(SHORT_ID)..).unwrap_or(id)
}

/// An acknowledgement of a message.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AckView {
    /// The acknowledging officer.
    pub officer_id: String,
    /// When it was recorded (RFC 3339).
    pub at: String,
}

/// What a message refers to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReferenceView {
    /// "reply", "quote" or "forward".
    pub kind: String,
    /// The source message id (hex).
    pub message_id: String,
}

/// A stored message with its markings.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MessageView {
    /// Message id (hex).
    pub id: String,
    /// Relay sequence number (null until the relay has ordered it).
    pub seq: Option<u64>,
    /// Sender's officer id.
    pub sender_id: String,
    /// Sender's display name.
    pub sender_name: String,
    /// Sender's nationality.
    pub sender_nation: String,
    /// Whether we sent it.
    pub own: bool,
    /// The label's full marking.
    pub label: String,
    /// The portion marking, e.g. "(NS//REL TO FRA, GBR)".
    pub portion_marking: String,
    /// The classification level's colour ("#RRGGBB").
    pub colour: String,
    /// ROUTINE, PRIORITY, IMMEDIATE or FLASH.
    pub precedence: String,
    /// OPERATION or EXERCISE.
    pub kind: String,
    /// Whether it is exercise traffic.
    pub exercise: bool,
    /// The text.
    pub body: String,
    /// The source it replies to, quotes or forwards.
    pub reference: Option<ReferenceView>,
    /// Sender's clock (RFC 3339).
    pub sent_at: String,
    /// Our clock at receipt (RFC 3339).
    pub received_at: String,
    /// Who acknowledged it.
    pub acknowledged_by: Vec<AckView>,
    /// Whether it waits for our acknowledgement.
    pub awaiting_your_ack: bool,
    /// "verified", "own", "unverified" or "tampered" (imported archives are
    /// verified offline; see docs/archive.md).
    pub verification: String,
    /// Whether the sender's signature names this channel and the epoch it
    /// was sent in (false for an older-format message).
    pub context_signed: bool,
}

impl MessageView {
    /// A view of a stored message.
    pub fn new(
        message: &StoredMessage,
        own_id: &str,
        acks: &[Acknowledgement],
        awaiting_your_ack: bool,
    ) -> Self {
        let colour = message.label.colour();
        Self {
            id: message.message_id.to_hex(),
            seq: message.seq,
            sender_id: message.sender_id.clone(),
            sender_name: message.sender_name.clone(),
            sender_nation: message.sender_nation.clone(),
            own: message.sender_id == own_id,
            label: message.label.marking(),
            portion_marking: message.portion_marking.clone(),
            colour: format!(
                "#{:02X}{:02X}{:02X}",
                colour.red(),
                colour.green(),
                colour.blue()
            ),
            precedence: message.precedence.as_str().to_owned(),
            kind: message.kind.as_str().to_owned(),
            exercise: message.kind == TrafficKind::Exercise,
            body: message.body.clone(),
            reference: message.reference.map(|(kind, id)| ReferenceView {
                kind: match kind {
                    ReferenceKind::Reply => "reply",
                    ReferenceKind::Quote => "quote",
                    ReferenceKind::Forward => "forward",
                }
                .to_owned(),
                message_id: id.to_hex(),
            }),
            sent_at: rfc3339_ms(message.sent_at_ms),
            received_at: rfc3339_ms(message.received_at_ms),
            acknowledged_by: acks
                .iter()
                .map(|a| AckView {
                    officer_id: a.officer_id.clone(),
                    at: rfc3339_ms(a.at_ms),
                })
                .collect(),
            awaiting_your_ack,
            verification: message.verification.as_str().to_owned(),
            context_signed: message.context_signed,
        }
    }

    /// Writes the message: header with portion marking and precedence,
    /// sender, the text (framed when it is exercise traffic), acknowledgements.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{}  {}  {}{}  {}",
            short_message(&self.id),
            self.portion_marking,
            self.precedence,
            if self.exercise { "  EXERCISE" } else { "" },
            self.sent_at
        )?;
        write!(
            out,
            "    from {} ({}, {})",
            sanitize_line(&self.sender_id),
            sanitize_line(&self.sender_name),
            self.sender_nation
        )?;
        if let Some(reference) = &self.reference {
            write!(
                out,
                "  {} to {}",
                reference.kind,
                short_message(&reference.message_id)
            )?;
        }
        writeln!(out)?;
        match self.verification.as_str() {
            "tampered" => writeln!(
                out,
                "    !! TAMPERED: signature or label does not verify; do not trust this message"
            )?,
            "unverified" => writeln!(
                out,
                "    ! unverified: the sender's authority cannot be vouched for here"
            )?,
            _ => {}
        }
        if !self.context_signed {
            writeln!(
                out,
                "    ! older format: the signature does not name the channel it belongs to"
            )?;
        }
        if self.seq.is_none() && self.own {
            writeln!(out, "    (pending: not yet ordered by the relay)")?;
        }
        if self.exercise {
            writeln!(out, "    {EXERCISE_FRAME}")?;
        }
        for line in sanitize(&self.body).lines() {
            writeln!(out, "    {line}")?;
        }
        if self.exercise {
            writeln!(out, "    {EXERCISE_FRAME}")?;
        }
        if !self.acknowledged_by.is_empty() {
            let who: Vec<String> = self
                .acknowledged_by
                .iter()
                .map(|a| sanitize_line(&a.officer_id))
                .collect();
            writeln!(out, "    acknowledged by {}", who.join(", "))?;
        }
        if self.awaiting_your_ack {
            writeln!(out, "    ! {} awaits your acknowledgement", self.precedence)?;
        }
        Ok(())
    }
}

/// The banner of a view: the label that dominates every label shown, or the
/// channel's ceiling when none does (or nothing is shown).
pub fn banner(labels: &[&Label], ceiling: &Label) -> String {
    labels
        .iter()
        .find(|candidate| labels.iter().all(|other| candidate.dominates(other)))
        .map_or_else(|| ceiling.marking(), |label| label.marking())
}

/// `liaison messages list|read`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MessagesView {
    /// The channel.
    pub channel: ChannelRefView,
    /// The banner marking shown above and below (rule 7).
    pub banner: String,
    /// The messages, oldest first.
    pub messages: Vec<MessageView>,
    /// The channel is forked here and this member waits to be added back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fork: Option<ForkView>,
    /// What this member could not read because the channel forked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<GapView>,
}

/// A fork this member found and is not yet repaired.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ForkView {
    /// The channel.
    pub channel: ChannelRefView,
    /// The epoch at which the branches differ.
    pub epoch: u64,
    /// Whether the channel's admins were asked to add this member back.
    pub requested: bool,
}

impl ForkView {
    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "!! {}: the channel has forked at epoch {}: the relay gave members different commits, and you no longer read the admins' branch. {}",
            sanitize_line(&self.channel.name),
            self.epoch,
            if self.requested {
                "The admins were asked to add you back."
            } else {
                "The admins will be asked to add you back at the next sync."
            }
        )
    }
}

/// A gap in a channel's history left by a fork.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GapView {
    /// The channel.
    pub channel: ChannelRefView,
    /// The epoch at which the channel forked.
    pub fork_epoch: u64,
    /// The epoch this member was added back at.
    pub rejoined_epoch: u64,
    /// When the fork was detected.
    pub detected_at: String,
    /// When this member was added back.
    pub rejoined_at: String,
}

impl GapView {
    /// The view of an engine's gap.
    pub fn new(channel: ChannelRefView, gap: &liaison_core::Gap) -> Self {
        Self {
            channel,
            fork_epoch: gap.fork_epoch,
            rejoined_epoch: gap.rejoined_epoch,
            detected_at: rfc3339_ms(gap.detected_at_ms),
            rejoined_at: rfc3339_ms(gap.rejoined_at_ms),
        }
    }

    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "-- gap: {} forked at epoch {} ({}); you were added back at epoch {} ({}). Messages the channel carried in between were not read here, and yours from then were not read by the others. --",
            sanitize_line(&self.channel.name),
            self.fork_epoch,
            self.detected_at,
            self.rejoined_epoch,
            self.rejoined_at
        )
    }
}

impl Render for MessagesView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "==== {} ====", self.banner)?;
        writeln!(out, "{}", sanitize_line(&self.channel.name))?;
        if let Some(fork) = &self.fork {
            fork.write(out)?;
        }
        for gap in &self.gaps {
            gap.write(out)?;
        }
        if self.messages.is_empty() {
            writeln!(out, "(no messages)")?;
        }
        for message in &self.messages {
            writeln!(out)?;
            message.write(out)?;
        }
        writeln!(out, "==== {} ====", self.banner)
    }
}

/// `liaison send`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SentView {
    /// The channel.
    pub channel: ChannelRefView,
    /// The new message's id (hex).
    pub message_id: String,
    /// Its label's marking.
    pub label: String,
    /// Its portion marking.
    pub portion_marking: String,
    /// Its precedence.
    pub precedence: String,
    /// OPERATION or EXERCISE.
    pub kind: String,
    /// Whether it reached the relay.
    pub delivery: DeliveryView,
}

impl Render for SentView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "message {} {}{} to {}{}{}",
            short_message(&self.message_id),
            self.portion_marking,
            if self.kind == "EXERCISE" {
                " EXERCISE"
            } else {
                ""
            },
            sanitize_line(&self.channel.name),
            if self.precedence == "ROUTINE" {
                String::new()
            } else {
                format!(" ({})", self.precedence)
            },
            self.delivery.note()
        )
    }

    fn status(&self) -> ExitStatus {
        self.delivery.status()
    }
}

/// `liaison sync`
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SyncView {
    /// Channels joined from Welcomes.
    pub joined: Vec<ChannelRefView>,
    /// Channels that removed us.
    pub removed_from: Vec<ChannelRefView>,
    /// Messages stored by this sync.
    pub new_messages: usize,
    /// Deliveries processed (messages, acknowledgements, commits).
    pub applied: usize,
    /// Deliveries refused by the rules (each is in the audit log).
    pub refused: usize,
    /// Messages waiting for our acknowledgement, in all channels.
    pub awaiting_ack: usize,
    /// Key packages published so others can add us.
    pub key_packages_published: usize,
    /// Why joining waiting channels failed in this sync, if it did (the rest
    /// of the sync went on; the joins are tried again next time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub join_error: Option<String>,
    /// Channels not joined because they name partner authorities this
    /// profile has not pinned: held for `liaison invitations`.
    pub invitations_held: Vec<super::HeldView>,
    /// Partner authorities that policy changes in this sync added to a
    /// channel's trusted authorities.
    pub anchors_added: Vec<super::AnchorAddedView>,
    /// Channels where the relay withholds a commit from us: nothing new can
    /// be read there until it comes.
    pub withheld: Vec<WithheldView>,
    /// Channels found forked here and not yet repaired.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forks: Vec<ForkView>,
    /// Channels this member was added back to in this sync, after a fork.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejoined: Vec<GapView>,
    /// Members this admin added back after a fork, as `(channel, officer)`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub readded: Vec<ReaddedView>,
    /// Why repairing forks failed in this sync, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repair_error: Option<String>,
}

/// A member this admin added back to a forked channel.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReaddedView {
    /// The channel.
    pub channel: ChannelRefView,
    /// The officer added back.
    pub officer_id: String,
}

/// A channel whose relay withholds a commit from this member.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct WithheldView {
    /// The channel.
    pub channel: ChannelRefView,
    /// Our epoch.
    pub our_epoch: u64,
    /// The later epoch its messages are at.
    pub their_epoch: u64,
}

impl Render for SyncView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        for c in &self.joined {
            writeln!(out, "joined {}", sanitize_line(&c.name))?;
        }
        for c in &self.removed_from {
            writeln!(
                out,
                "removed from {} (history read-only)",
                sanitize_line(&c.name)
            )?;
        }
        for held in &self.invitations_held {
            writeln!(
                out,
                "invitation {} held: {} names partner authorities not pinned here; see `liaison invitations`",
                held.id,
                sanitize_line(&held.channel.name)
            )?;
        }
        for added in &self.anchors_added {
            writeln!(
                out,
                "{} now trusts {} ({}){}",
                sanitize_line(&added.channel.name),
                sanitize_line(&added.authority.name),
                added.authority.fingerprint,
                if added.authority.pinned {
                    ""
                } else {
                    ", an authority NOT pinned on this profile"
                }
            )?;
        }
        writeln!(out, "{} new message(s)", self.new_messages)?;
        for w in &self.withheld {
            writeln!(
                out,
                "!! {}: the relay has not delivered a commit to you (you are at epoch {}, its messages at {}); nothing new can be read there until it does. Tell the channel's admin.",
                sanitize_line(&w.channel.name),
                w.our_epoch,
                w.their_epoch
            )?;
        }
        for fork in &self.forks {
            fork.write(out)?;
        }
        for gap in &self.rejoined {
            gap.write(out)?;
        }
        for readded in &self.readded {
            writeln!(
                out,
                "added {} back to {} (they held another branch of the channel)",
                sanitize_line(&readded.officer_id),
                sanitize_line(&readded.channel.name)
            )?;
        }
        if let Some(error) = &self.repair_error {
            writeln!(
                out,
                "repairing forked channels failed (tried again at the next sync): {}",
                sanitize_line(error)
            )?;
        }
        if let Some(error) = &self.join_error {
            writeln!(
                out,
                "joining waiting channels failed (tried again at the next sync): {}",
                sanitize_line(error)
            )?;
        }
        if self.refused > 0 {
            writeln!(
                out,
                "{} delivery(ies) refused by the rules; see `liaison audit`",
                self.refused
            )?;
        }
        if self.awaiting_ack > 0 {
            writeln!(
                out,
                "{} message(s) await your acknowledgement",
                self.awaiting_ack
            )?;
        }
        Ok(())
    }
}

/// `liaison ack`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AckResultView {
    /// The channel.
    pub channel: ChannelRefView,
    /// The messages acknowledged (hex ids).
    pub acknowledged: Vec<String>,
    /// Whether the acknowledgements reached the relay.
    pub delivery: DeliveryView,
}

impl Render for AckResultView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.acknowledged.is_empty() {
            return writeln!(out, "nothing to acknowledge");
        }
        // `note` says whether they are still queued.
        let ids: Vec<&str> = self
            .acknowledged
            .iter()
            .map(|id| short_message(id))
            .collect();
        writeln!(
            out,
            "acknowledged {}{}",
            ids.join(", "),
            self.delivery.note()
        )
    }

    fn status(&self) -> ExitStatus {
        self.delivery.status()
    }
}
