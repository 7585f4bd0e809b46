//! Who is in the demo world: the nations' exercise authorities, the partner
//! officers the bots play, and the partnership channels they hold.

/// The GBR–FRA–DEU partnership channel (ceiling NATO SECRET).
pub const LIAISON_CHANNEL: &str = "GBR–FRA–DEU Liaison";
/// The GBR–FRA cross-Channel coordination channel (ceiling NATO RESTRICTED).
pub const COORDINATION_CHANNEL: &str = "Channel Coordination";
/// The four-nation logistics channel (ceiling NATO CONFIDENTIAL).
pub const LOGISTICS_CHANNEL: &str = "Coalition Logistics";

/// A nation's exercise authority as named in its certificate.
pub(crate) struct NationSpec {
    pub(crate) code: &'static str,
    pub(crate) common_name: &'static str,
    pub(crate) organisation: &'static str,
}

pub(crate) const NATIONS: [NationSpec; 4] = [
    NationSpec {
        code: "GBR",
        common_name: "UK Exercise Liaison Authority",
        organisation: "Ministry of Defence",
    },
    NationSpec {
        code: "FRA",
        common_name: "Autorité de liaison d'exercice",
        organisation: "Ministère des Armées",
    },
    NationSpec {
        code: "DEU",
        common_name: "Übungsverbindungsstelle",
        organisation: "Bundesministerium der Verteidigung",
    },
    NationSpec {
        code: "USA",
        common_name: "US Exercise Liaison Authority",
        organisation: "Department of Defense",
    },
];

/// A partner officer played by a bot.
pub(crate) struct BotSpec {
    pub(crate) officer_id: &'static str,
    pub(crate) display_name: &'static str,
    pub(crate) nationality: &'static str,
    pub(crate) clearance: &'static str,
}

pub(crate) const BOTS: [BotSpec; 4] = [
    BotSpec {
        officer_id: "gbr.hughes",
        display_name: "Maj. Alex Hughes",
        nationality: "GBR",
        clearance: "NATO SECRET",
    },
    BotSpec {
        officer_id: "fra.moreau",
        display_name: "Cdt Claire Moreau",
        nationality: "FRA",
        clearance: "NATO SECRET",
    },
    BotSpec {
        officer_id: "deu.keller",
        display_name: "OTL Jonas Keller",
        nationality: "DEU",
        clearance: "NATO SECRET",
    },
    BotSpec {
        officer_id: "usa.carter",
        display_name: "Capt. Dana Carter",
        nationality: "USA",
        clearance: "NATO SECRET",
    },
];

/// A partnership channel of the demo.
pub(crate) struct ChannelSpec {
    pub(crate) name: &'static str,
    pub(crate) ceiling: &'static str,
    pub(crate) default_label: &'static str,
    /// Admins; the first creates the channel.
    pub(crate) admins: &'static [&'static str],
    /// Bot members besides the admins.
    pub(crate) members: &'static [&'static str],
    /// Nations whose authorities the channel trusts.
    pub(crate) nations: &'static [&'static str],
    /// A user welcomed here is made one of its admins, so that the demo
    /// lets them do an admin's work (add, promote, change the policy).
    pub(crate) user_is_admin: bool,
}

impl ChannelSpec {
    /// Every bot of the channel, admins first.
    pub(crate) fn bots(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.admins.iter().chain(self.members).copied()
    }

    /// The admin that creates the channel and adds newcomers.
    pub(crate) fn creator(&self) -> &'static str {
        self.admins.first().copied().unwrap_or_default()
    }
}

pub(crate) const CHANNELS: [ChannelSpec; 3] = [
    ChannelSpec {
        name: LIAISON_CHANNEL,
        ceiling: "NATO SECRET//REL TO DEU, FRA, GBR",
        default_label: "NATO RESTRICTED//REL TO DEU, FRA, GBR",
        admins: &["fra.moreau", "gbr.hughes"],
        members: &["deu.keller"],
        nations: &["GBR", "FRA", "DEU"],
        user_is_admin: false,
    },
    ChannelSpec {
        name: COORDINATION_CHANNEL,
        ceiling: "NATO RESTRICTED//REL TO FRA, GBR",
        default_label: "NATO RESTRICTED//REL TO FRA, GBR",
        admins: &["gbr.hughes"],
        members: &["fra.moreau"],
        nations: &["GBR", "FRA"],
        user_is_admin: true,
    },
    ChannelSpec {
        name: LOGISTICS_CHANNEL,
        ceiling: "NATO CONFIDENTIAL//REL TO DEU, FRA, GBR, USA",
        default_label: "NATO UNCLASSIFIED//REL TO DEU, FRA, GBR, USA",
        admins: &["usa.carter", "deu.keller"],
        members: &["gbr.hughes", "fra.moreau"],
        nations: &["GBR", "FRA", "DEU", "USA"],
        user_is_admin: true,
    },
];

/// The spec of the channel named `name`.
pub(crate) fn channel_spec(name: &str) -> Option<&'static ChannelSpec> {
    CHANNELS.iter().find(|c| c.name == name)
}

/// Whether `officer_id` is one of the bots.
pub(crate) fn is_bot(officer_id: &str) -> bool {
    BOTS.iter().any(|b| b.officer_id == officer_id)
}
