//! Views of channels, their policies and members.

use std::io::{self, Write};

use liaison_core::{ChannelId, ChannelPolicy, Fingerprint, HistoryOnRemoval, MemberInfo};
use serde::Serialize;

use super::{DeliveryView, ExitStatus, Render, sanitize_line};

/// A channel named by id and partnership name.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChannelRefView {
    /// The channel id (hex).
    pub id: String,
    /// The partnership name.
    pub name: String,
}

impl ChannelRefView {
    /// From an id and name.
    pub fn new(id: &ChannelId, name: &str) -> Self {
        Self {
            id: id.to_hex(),
            name: name.to_owned(),
        }
    }
}

/// A channel in `liaison channel list`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChannelSummaryView {
    /// The channel id (hex).
    pub id: String,
    /// The partnership name.
    pub name: String,
    /// Still a member.
    pub active: bool,
    /// Archived (read-only).
    pub archived: bool,
    /// "live", or "imported" from an archive file.
    pub origin: String,
    /// For a channel no longer joined: "left" (the officer asked) or
    /// "removed" (a commit removed the officer); null while a member, and
    /// for channels left before this was recorded.
    pub departure: Option<String>,
}

/// `liaison channel list`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChannelListView {
    /// The channels, by name.
    pub channels: Vec<ChannelSummaryView>,
}

impl Render for ChannelListView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.channels.is_empty() {
            return writeln!(out, "no channels");
        }
        for c in &self.channels {
            let state = match (c.origin.as_str(), c.active, c.archived) {
                ("imported", _, _) => "imported",
                (_, _, true) => "archived",
                (_, true, false) => "active",
                (_, false, false) => match c.departure.as_deref() {
                    Some("removed") => "removed",
                    _ => "left",
                },
            };
            writeln!(out, "{}  {:<8} {}", c.id, state, sanitize_line(&c.name))?;
        }
        Ok(())
    }
}

/// A channel policy in short.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PolicySummary {
    /// The ceiling's marking.
    pub ceiling: String,
    /// The default label's marking.
    pub default_label: String,
    /// Admin officer ids.
    pub admins: Vec<String>,
    /// Partner authorities' certificate fingerprints.
    pub anchors: Vec<String>,
    /// Number of intermediate CAs carried.
    pub intermediates: usize,
    /// Number of revocation lists carried.
    pub crls: usize,
    /// Days messages are kept (null: unlimited).
    pub retention_days: Option<u32>,
    /// "keep" or "purge".
    pub history_on_removal: String,
}

impl From<&ChannelPolicy> for PolicySummary {
    fn from(policy: &ChannelPolicy) -> Self {
        Self {
            ceiling: policy.ceiling().marking(),
            default_label: policy.default_label().marking(),
            admins: policy.admins().iter().cloned().collect(),
            anchors: policy
                .anchors()
                .anchors()
                .iter()
                .map(|der| Fingerprint::of(der).to_string())
                .collect(),
            intermediates: policy.anchors().intermediates().len(),
            crls: policy.anchors().crls().len(),
            retention_days: policy.retention_days(),
            history_on_removal: match policy.history_on_removal() {
                HistoryOnRemoval::Keep => "keep",
                HistoryOnRemoval::Purge => "purge",
            }
            .to_owned(),
        }
    }
}

impl PolicySummary {
    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "ceiling      {}", self.ceiling)?;
        writeln!(out, "default      {}", self.default_label)?;
        writeln!(
            out,
            "admins       {}",
            sanitize_line(&self.admins.join(", "))
        )?;
        for (i, anchor) in self.anchors.iter().enumerate() {
            let head = if i == 0 { "authorities" } else { "" };
            writeln!(out, "{head:<12} {anchor}")?;
        }
        if self.intermediates > 0 || self.crls > 0 {
            writeln!(
                out,
                "carries      {} intermediate CA(s), {} revocation list(s)",
                self.intermediates, self.crls
            )?;
        }
        let retention = self
            .retention_days
            .map_or_else(|| "unlimited".to_owned(), |d| format!("{d} days"));
        writeln!(out, "retention    {retention}")?;
        writeln!(out, "on removal   history is {}", self.history_on_removal)
    }
}

/// A member, verified against the channel's authorities.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MemberView {
    /// Officer id.
    pub officer_id: String,
    /// Display name from the certificate.
    pub display_name: String,
    /// Organisation from the certificate.
    pub organisation: String,
    /// Nationality (ISO 3166 alpha-3).
    pub nationality: String,
    /// Whether the policy lists the officer as admin.
    pub admin: bool,
    /// MLS leaf index (one per device).
    pub leaf_index: u32,
}

impl From<&MemberInfo> for MemberView {
    fn from(m: &MemberInfo) -> Self {
        Self {
            officer_id: m.officer_id.clone(),
            display_name: m.display_name.clone(),
            organisation: m.organisation.clone(),
            nationality: m.nationality.clone(),
            admin: m.admin,
            leaf_index: m.leaf_index,
        }
    }
}

fn write_members(out: &mut dyn Write, members: &[MemberView]) -> io::Result<()> {
    for m in members {
        writeln!(
            out,
            "  {:<18} {:<3} {:<24} {}{}",
            sanitize_line(&m.officer_id),
            m.nationality,
            sanitize_line(&m.display_name),
            sanitize_line(&m.organisation),
            if m.admin { "  [admin]" } else { "" }
        )?;
    }
    Ok(())
}

/// `liaison channel show` and `channel create`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChannelView {
    /// The channel id (hex).
    pub id: String,
    /// The partnership name.
    pub name: String,
    /// Still a member.
    pub active: bool,
    /// The MLS epoch (null for a channel we left).
    pub epoch: Option<u64>,
    /// The policy.
    pub policy: PolicySummary,
    /// The members (empty for a channel we left).
    pub members: Vec<MemberView>,
    /// For a new channel: whether the relay knows it yet.
    pub delivery: Option<DeliveryView>,
}

impl Render for ChannelView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "channel      {}", sanitize_line(&self.name))?;
        writeln!(out, "id           {}", self.id)?;
        match self.epoch {
            Some(epoch) if self.active => writeln!(out, "epoch        {epoch}")?,
            _ => writeln!(out, "state        left (read-only)")?,
        }
        self.policy.write(out)?;
        if !self.members.is_empty() {
            writeln!(out, "members")?;
            write_members(out, &self.members)?;
        }
        if let Some(delivery) = &self.delivery
            && !delivery.delivered
        {
            writeln!(out, "{}", delivery.note().trim())?;
        }
        Ok(())
    }

    fn status(&self) -> ExitStatus {
        self.delivery
            .as_ref()
            .map_or(ExitStatus::Ok, DeliveryView::status)
    }
}

/// `liaison members`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MembersView {
    /// The channel.
    pub channel: ChannelRefView,
    /// The members.
    pub members: Vec<MemberView>,
}

impl Render for MembersView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{} members of {}",
            self.members.len(),
            sanitize_line(&self.channel.name)
        )?;
        write_members(out, &self.members)
    }
}

/// `liaison channel add|remove|promote|demote`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MembershipChangeView {
    /// The channel.
    pub channel: ChannelRefView,
    /// "add", "remove", "promote" or "demote".
    pub action: String,
    /// The officers concerned.
    pub officers: Vec<String>,
    /// The epoch after the change.
    pub epoch: u64,
}

impl Render for MembershipChangeView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let verb = match self.action.as_str() {
            "add" => "added",
            "remove" => "removed",
            "promote" => "promoted",
            "demote" => "demoted",
            other => other,
        };
        writeln!(
            out,
            "{verb} {} in {} (epoch {})",
            sanitize_line(&self.officers.join(", ")),
            sanitize_line(&self.channel.name),
            self.epoch
        )
    }
}

/// `liaison channel policy`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PolicyChangeView {
    /// The channel.
    pub channel: ChannelRefView,
    /// The policy now.
    pub before: PolicySummary,
    /// The policy asked for.
    pub after: PolicySummary,
    /// Members the change removes because they would no longer comply.
    pub removes: Vec<MemberView>,
    /// Whether the change was made.
    pub applied: bool,
    /// Whether it was withheld for want of `--yes` (exit code 6).
    pub needs_confirmation: bool,
    /// The epoch after the change, when applied.
    pub epoch: Option<u64>,
}

impl Render for PolicyChangeView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "policy change for {}",
            sanitize_line(&self.channel.name)
        )?;
        if self.before.ceiling != self.after.ceiling {
            writeln!(
                out,
                "  ceiling  {}  ->  {}",
                self.before.ceiling, self.after.ceiling
            )?;
        }
        if self.before.default_label != self.after.default_label {
            writeln!(
                out,
                "  default  {}  ->  {}",
                self.before.default_label, self.after.default_label
            )?;
        }
        if self.removes.is_empty() {
            writeln!(out, "  removes nobody")?;
        } else {
            writeln!(out, "  removes, as they would no longer comply:")?;
            write_members(out, &self.removes)?;
        }
        match (self.applied, self.needs_confirmation, self.epoch) {
            (true, _, Some(epoch)) => writeln!(out, "applied (epoch {epoch})"),
            (true, _, None) => writeln!(out, "applied"),
            (false, true, _) => writeln!(out, "not applied: run again with --yes to remove them"),
            (false, false, _) => writeln!(out, "not applied (dry run)"),
        }
    }

    fn status(&self) -> ExitStatus {
        if self.needs_confirmation {
            ExitStatus::NotConfirmed
        } else {
            ExitStatus::Ok
        }
    }
}

/// `liaison channel leave`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LeaveView {
    /// The channel.
    pub channel: ChannelRefView,
    /// Whether the request reached the relay.
    pub delivery: DeliveryView,
}

impl Render for LeaveView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "asked to leave {}; an admin's next sync applies it{}",
            sanitize_line(&self.channel.name),
            self.delivery.note()
        )
    }

    fn status(&self) -> ExitStatus {
        self.delivery.status()
    }
}
