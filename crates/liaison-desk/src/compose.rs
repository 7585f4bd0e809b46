//! The composer: which labels the user may choose in a channel, sending,
//! and acknowledging FLASH/IMMEDIATE traffic.

use std::collections::BTreeSet;

use liaison_proto::{MessageId, ReferenceKind, TrafficKind};

use serde_json::Map;

use super::error::{DeskError, ErrorKind, params};
use super::events::{DeskEvent, MessagesEvent};
use super::label_view::label_view;
use super::requests::SendRequest;
use super::thread::ThreadReader;
use super::views::{ComposerOptions, LabelChoice, MessageView, PrecedenceView};
use super::{Desk, parse_channel};
use liaison_core::{ChannelId, Draft, Engine, MemberInfo, Refusal};
use liaison_identity::Nationality;
use liaison_rules::ChannelPolicy;
use liaison_rules::{CategoryKind, Clearance, Label, RuleViolation};

/// Largest message body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The user's clearance and nationality, from their own certificate (the
/// composer's filter; the engine and every recipient check the label
/// against the verified credential again).
pub(crate) fn own_clearance(engine: &Engine) -> Option<(Clearance, Nationality)> {
    let officer = engine.certificate_chain().claimed_attributes().ok()?;
    let clearance = Clearance::from_attribute(officer.clearance(), engine.registry()).ok()?;
    Some((clearance, *officer.nationality()))
}

/// The labels a channel offers: one per level up to the ceiling's, each
/// with the ceiling's releasability and permissive values (without them a
/// label would not be dominated by the ceiling), plus the default and the
/// ceiling itself. Sorted by rank, duplicates removed.
fn channel_labels(policy: &ChannelPolicy) -> Vec<Label> {
    let ceiling = policy.ceiling();
    let label_policy = ceiling.policy();
    let mut labels = vec![policy.default_label().clone(), ceiling.clone()];
    for level in label_policy
        .levels()
        .iter()
        .take(ceiling.rank().saturating_add(1))
    {
        let mut builder = Label::builder(label_policy, level.name());
        for tag in ceiling.permissive_tags() {
            let releasability = label_policy
                .category(tag.category())
                .is_some_and(|c| c.kind() == CategoryKind::Releasability);
            builder = if releasability {
                builder.releasable_to(tag.value())
            } else {
                builder.permissive(tag.category(), tag.value())
            };
        }
        if let Ok(label) = builder.build() {
            labels.push(label);
        }
    }
    labels.retain(|label| ceiling.dominates(label));
    labels.sort_by_key(|label| (label.rank(), label.marking()));
    labels.dedup_by_key(|label| label.marking());
    labels
}

/// The nationalities of a channel's members.
fn member_nations(members: Vec<MemberInfo>) -> BTreeSet<Nationality> {
    members
        .into_iter()
        .filter_map(|member| member.nationality.parse().ok())
        .collect()
}

/// The nations `label` releases to that none of the members holds, sorted.
fn beyond_members(label: &Label, members: &BTreeSet<Nationality>) -> Vec<String> {
    label
        .releasable_to()
        .difference(members)
        .map(ToString::to_string)
        .collect()
}

/// Why the user cannot send here, if they cannot: a stable code and the
/// English of it.
fn send_block(
    engine: &Engine,
    channel: &ChannelId,
) -> Result<Option<(&'static str, String)>, DeskError> {
    let summary = engine
        .channels()?
        .into_iter()
        .find(|c| c.id == *channel)
        .ok_or_else(|| DeskError::NotFound("No such channel.".into()))?;
    Ok(if summary.archived {
        Some((
            "channelArchived",
            "This channel is archived: it is read-only.".into(),
        ))
    } else if !summary.active {
        Some((
            "channelLeft",
            "You are no longer a member of this channel.".into(),
        ))
    } else {
        None
    })
}

impl Desk {
    /// What the composer may offer in a channel: only labels the channel
    /// allows and the user's clearance admits, the default first.
    pub async fn composer_options(&self, channel_id: &str) -> Result<ComposerOptions, DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let mut engine = shared.engine().await;
        let reason = send_block(&engine, &channel)?;
        let policy = engine.policy(&channel)?;
        let own = own_clearance(&engine);
        let nations = member_nations(engine.members(&channel)?);
        let mut labels: Vec<LabelChoice> = channel_labels(&policy)
            .iter()
            .filter(|label| {
                own.as_ref()
                    .is_some_and(|(clearance, nation)| clearance.admits(label, nation).is_ok())
            })
            .map(|label| LabelChoice {
                label: label_view(label),
                is_default: label.marking() == policy.default_label().marking(),
                beyond_members: beyond_members(label, &nations),
            })
            .collect();
        labels.sort_by_key(|choice| !choice.is_default);
        let reason = reason.or_else(|| {
            labels.is_empty().then(|| {
                (
                    "noLabelAdmitted",
                    "Your clearance admits no label of this channel.".to_owned(),
                )
            })
        });
        Ok(ComposerOptions {
            channel_id: channel.to_hex(),
            labels,
            precedences: PrecedenceView::ALL.to_vec(),
            can_send: reason.is_none(),
            reason_code: reason.as_ref().map(|(code, _)| (*code).to_owned()),
            reason: reason.map(|(_, text)| text),
        })
    }

    /// The nations a typed marking releases to that no member of the channel
    /// holds (sorted), for the composer's "Other marking…" field: empty when
    /// none, or when the marking does not parse (sending explains that).
    pub async fn released_beyond_members(
        &self,
        channel_id: &str,
        marking: &str,
    ) -> Result<Vec<String>, DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let mut engine = shared.engine().await;
        let Ok(label) = Label::parse_marking(marking.trim(), engine.registry()) else {
            return Ok(Vec::new());
        };
        let nations = member_nations(engine.members(&channel)?);
        Ok(beyond_members(&label, &nations))
    }

    /// Sends a message. The marking is parsed through the label registry
    /// and checked against the ceiling and the user's clearance before the
    /// engine checks every rule again. Offline, it waits in the outbox
    /// (`pending`).
    pub async fn send_message(&self, request: SendRequest) -> Result<MessageView, DeskError> {
        let channel = parse_channel(&request.channel_id)?;
        if request.body.trim().is_empty() {
            return Err(DeskError::invalid_coded(
                "body",
                "bodyEmpty",
                "the message is empty",
            ));
        }
        if request.body.len() > MAX_BODY_BYTES {
            return Err(DeskError::invalid_coded_with(
                "body",
                "bodyTooLong",
                params([("maxKiB", (MAX_BODY_BYTES / 1024).into())]),
                "the message is longer than 64 KiB",
            ));
        }
        let reference = match &request.reply_to {
            Some(hex_id) => Some((ReferenceKind::Reply, parse_message(hex_id, "replyTo")?)),
            None => None,
        };
        let shared = self.shared().await?;
        let view = {
            let mut engine = shared.engine().await;
            if let Some((code, reason)) = send_block(&engine, &channel)? {
                return Err(DeskError::explained(
                    ErrorKind::Forbidden,
                    code,
                    Map::new(),
                    reason,
                ));
            }
            let policy = engine.policy(&channel)?;
            let label = Label::parse_marking(request.marking.trim(), engine.registry())
                .map_err(|e| invalid_marking(&request.marking, e))?;
            if !policy.ceiling().dominates(&label) {
                return Err(above_ceiling(&label, policy.ceiling()));
            }
            match own_clearance(&engine) {
                Some((clearance, nation)) if clearance.admits(&label, &nation).is_ok() => {}
                _ => {
                    return Err(DeskError::explained(
                        ErrorKind::LabelRefused,
                        "clearanceRefused",
                        params([("label", label.marking().into())]),
                        format!("Your clearance does not admit {}.", label.marking()),
                    ));
                }
            }
            let id = engine.send(
                &channel,
                Draft {
                    label: Some(label),
                    precedence: request.precedence.into(),
                    kind: if request.exercise {
                        TrafficKind::Exercise
                    } else {
                        TrafficKind::Operation
                    },
                    body: request.body,
                    reference,
                },
            )?;
            ThreadReader::new(&engine, &channel).message(id)?
        };
        shared.nudge.notify_one();
        shared.emit(DeskEvent::Messages {
            event: MessagesEvent {
                channel_id: channel.to_hex(),
                new_count: 1,
                highest_precedence: Some(view.precedence),
                reordered_from: None,
            },
            notice: None,
        });
        shared.emit(DeskEvent::Channels);
        Ok(view)
    }

    /// Acknowledges a FLASH or IMMEDIATE message of another officer.
    pub async fn acknowledge(&self, channel_id: &str, message_id: &str) -> Result<(), DeskError> {
        let channel = parse_channel(channel_id)?;
        let id = parse_message(message_id, "messageId")?;
        let shared = self.shared().await?;
        {
            let mut engine = shared.engine().await;
            let message = ThreadReader::new(&engine, &channel).message(id)?;
            if message.mine || !message.ack_requested {
                return Err(DeskError::invalid_coded(
                    "messageId",
                    "notAcknowledgeable",
                    "only FLASH and IMMEDIATE messages from others are acknowledged",
                ));
            }
            if message.acknowledged_by_me {
                return Ok(());
            }
            engine.acknowledge(&channel, id)?;
        }
        shared.nudge.notify_one();
        shared.emit(DeskEvent::Channels);
        Ok(())
    }
}

/// A marking that does not parse: coded by what is wrong with it (the
/// valid levels, an unknown segment…).
fn invalid_marking(marking: &str, error: liaison_rules::LabelError) -> DeskError {
    let message = format!("“{marking}” is not a valid label: {error}.");
    let refusal = Refusal::of_violation(&RuleViolation::InvalidLabel(error));
    let mut facts = refusal.facts.into_map();
    facts.insert("marking".into(), marking.into());
    DeskError::explained(ErrorKind::LabelRefused, refusal.code, facts, message)
}

/// A label above the ceiling, coded with each way it exceeds it (the
/// level, a caveat the ceiling lacks, the nations a REL TO leaves out).
fn above_ceiling(label: &Label, ceiling: &Label) -> DeskError {
    let violation = RuleViolation::AboveCeiling {
        label: label.marking(),
        ceiling: ceiling.marking(),
        excess: label.exceeds(ceiling),
    };
    let refusal = Refusal::of_violation(&violation);
    DeskError::explained(
        ErrorKind::LabelRefused,
        refusal.code,
        refusal.facts.into_map(),
        format!(
            "{} is above this channel's ceiling {}; choose a label at or below the ceiling.",
            label.marking(),
            ceiling.marking()
        ),
    )
}

/// Parses a hex message id from the window.
pub(crate) fn parse_message(hex_id: &str, field: &'static str) -> Result<MessageId, DeskError> {
    hex::decode(hex_id)
        .ok()
        .and_then(|bytes| <[u8; 16]>::try_from(bytes.as_slice()).ok())
        .map(MessageId)
        .ok_or_else(|| DeskError::invalid(field, "not a message identifier"))
}
