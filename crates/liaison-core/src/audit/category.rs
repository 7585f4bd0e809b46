//! The categories the audit screen filters by, and which kinds each holds.

/// What an audited event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditCategory {
    /// Who is in a channel: joins, adds, removals, departures, admins,
    /// invitations.
    Membership,
    /// The channel policy: ceiling, default label, retention, anchors.
    Policy,
    /// What the rules or the relay refused.
    Refusals,
    /// FLASH and IMMEDIATE acknowledgements.
    Acknowledgements,
    /// Exports, imports, archiving and retention.
    Archive,
    /// The profile and its protection, pinned authorities, forks and
    /// withheld commits.
    Security,
    /// The channel's MLS state moving on: merged commits, rejoins, the
    /// outbox rolled back or encrypted again.
    Channel,
    /// A kind this version does not know (written by a newer one).
    Other,
}

/// Every kind, with its category. New kinds are added here and in
/// [`super::AuditEvent::kind`]; a test checks the two agree.
pub(crate) const KINDS: &[(&str, AuditCategory)] = &[
    ("channel.created", AuditCategory::Membership),
    ("channel.joined", AuditCategory::Membership),
    ("member.added", AuditCategory::Membership),
    ("member.removed", AuditCategory::Membership),
    ("member.left", AuditCategory::Membership),
    ("member.promoted", AuditCategory::Membership),
    ("member.demoted", AuditCategory::Membership),
    ("member.invalid_removed", AuditCategory::Membership),
    ("member.readded", AuditCategory::Membership),
    ("channel.removed", AuditCategory::Membership),
    ("channel.leave_requested", AuditCategory::Membership),
    ("invitation.held", AuditCategory::Membership),
    ("invitation.accepted", AuditCategory::Membership),
    ("invitation.declined", AuditCategory::Membership),
    ("invitation.replaced", AuditCategory::Membership),
    ("policy.renamed", AuditCategory::Policy),
    ("policy.ceiling", AuditCategory::Policy),
    ("policy.default_label", AuditCategory::Policy),
    ("policy.retention", AuditCategory::Policy),
    ("policy.history", AuditCategory::Policy),
    ("policy.anchor_removed", AuditCategory::Policy),
    ("channel.anchor_added", AuditCategory::Policy),
    ("delivery.refused", AuditCategory::Refusals),
    ("welcome.refused", AuditCategory::Refusals),
    ("outbox.refused", AuditCategory::Refusals),
    ("ack.sent", AuditCategory::Acknowledgements),
    ("ack.received", AuditCategory::Acknowledgements),
    ("outbox.ack_dropped", AuditCategory::Acknowledgements),
    ("archive.exported", AuditCategory::Archive),
    ("archive.imported", AuditCategory::Archive),
    ("channel.archived", AuditCategory::Archive),
    ("retention.deleted", AuditCategory::Archive),
    ("retention.skipped", AuditCategory::Archive),
    ("channel.purged", AuditCategory::Archive),
    ("profile.created", AuditCategory::Security),
    ("profile.pin_set", AuditCategory::Security),
    ("profile.secret_changed", AuditCategory::Security),
    ("session.unlocked", AuditCategory::Security),
    ("session.locked", AuditCategory::Security),
    ("authority.pinned", AuditCategory::Security),
    ("authority.unpinned", AuditCategory::Security),
    ("pinning.seeded", AuditCategory::Security),
    ("channel.fork_detected", AuditCategory::Security),
    ("channel.commit_withheld", AuditCategory::Security),
    ("commit.merged", AuditCategory::Channel),
    ("channel.fork_settled", AuditCategory::Channel),
    ("channel.rejoin_requested", AuditCategory::Channel),
    ("channel.rejoin_answered", AuditCategory::Channel),
    ("channel.rejoined", AuditCategory::Channel),
    ("outbox.stale", AuditCategory::Channel),
    ("outbox.reencrypted", AuditCategory::Channel),
];

impl AuditCategory {
    /// Every category, in the order the screen lists them.
    pub const ALL: [AuditCategory; 8] = [
        Self::Membership,
        Self::Policy,
        Self::Refusals,
        Self::Acknowledgements,
        Self::Archive,
        Self::Security,
        Self::Channel,
        Self::Other,
    ];

    /// The category of a stored kind; [`AuditCategory::Other`] for a kind
    /// this version does not know.
    pub fn of_kind(kind: &str) -> Self {
        KINDS
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(Self::Other, |(_, category)| *category)
    }

    /// The kinds of this category (none for [`AuditCategory::Other`]: it
    /// is every kind not listed).
    pub fn kinds(self) -> impl Iterator<Item = &'static str> {
        KINDS
            .iter()
            .filter(move |(_, category)| *category == self)
            .map(|(kind, _)| *kind)
    }

    /// The stable name (`membership`, `policy`, `refusals`,
    /// `acknowledgements`, `archive`, `security`, `channel`, `other`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Membership => "membership",
            Self::Policy => "policy",
            Self::Refusals => "refusals",
            Self::Acknowledgements => "acknowledgements",
            Self::Archive => "archive",
            Self::Security => "security",
            Self::Channel => "channel",
            Self::Other => "other",
        }
    }

    /// Reads a stable name back.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}
