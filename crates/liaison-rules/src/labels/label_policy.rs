//! A label policy: ordered levels, tag categories, communities and marking
//! rules, loaded from a policy file and valid by construction.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::error::PolicyError;
use super::oid::Oid;
use liaison_identity::Nationality;

/// A banner colour, `#RRGGBB`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour {
    red: u8,
    green: u8,
    blue: u8,
}

impl Colour {
    /// Parses `#RRGGBB` (hex digits in either case).
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |range| u8::from_str_radix(hex.get(range)?, 16).ok();
        Some(Self {
            red: channel(0..2)?,
            green: channel(2..4)?,
            blue: channel(4..6)?,
        })
    }

    /// The red channel.
    pub fn red(self) -> u8 {
        self.red
    }

    /// The green channel.
    pub fn green(self) -> u8 {
        self.green
    }

    /// The blue channel.
    pub fn blue(self) -> u8 {
        self.blue
    }
}

/// `#RRGGBB` with uppercase hex digits.
impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.red, self.green, self.blue)
    }
}

impl fmt::Debug for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A classification level of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub(crate) name: String,
    pub(crate) portion: String,
    pub(crate) colour: Colour,
    pub(crate) class_bit: u8,
    pub(crate) rank: usize,
}

impl Level {
    /// The full name shown in banners (`NATO SECRET`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The portion-marking abbreviation (`NS`).
    pub fn portion(&self) -> &str {
        &self.portion
    }

    /// The banner colour.
    pub fn colour(&self) -> Colour {
        self.colour
    }

    /// The RFC 5755 ClassList bit (0..=7) that stands for this level in a
    /// certificate's clearance attribute.
    pub fn class_bit(&self) -> u8 {
        self.class_bit
    }

    /// The position in the policy's order, 0 for the lowest level.
    pub fn rank(&self) -> usize {
        self.rank
    }
}

/// How a category's tags restrict access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CategoryKind {
    /// Caveats: a reader must hold every tag of the label.
    Restrictive,
    /// A reader must hold at least one tag of the label's set.
    Permissive,
    /// The permissive "REL TO" category: values are nation codes and named
    /// communities, and a reader's nationality is what is held.
    Releasability,
}

impl CategoryKind {
    /// Permissive and releasability categories: at least one value must be held.
    pub fn is_permissive(self) -> bool {
        matches!(self, Self::Permissive | Self::Releasability)
    }
}

impl fmt::Display for CategoryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Restrictive => "restrictive",
            Self::Permissive => "permissive",
            Self::Releasability => "releasability",
        })
    }
}

/// A tag category of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub(crate) name: String,
    pub(crate) kind: CategoryKind,
    pub(crate) oid: Oid,
    pub(crate) prefix: String,
    pub(crate) value_separator: String,
    pub(crate) values: Vec<String>,
    pub(crate) lead: Vec<Nationality>,
}

impl Category {
    /// The category's name (`Special Category`, `Releasable To`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How its tags restrict access.
    pub fn kind(&self) -> CategoryKind {
        self.kind
    }

    /// The dotted OID naming this category in a certificate.
    pub fn oid(&self) -> &str {
        self.oid.as_str()
    }

    /// The text that starts this category's marking segment (`REL TO `),
    /// possibly empty.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The text between two values in a marking (`/`, `, `).
    pub fn value_separator(&self) -> &str {
        &self.value_separator
    }

    /// The allowed values, in marking order; empty for releasability, whose
    /// values are nation codes and the policy's communities.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// For releasability: the nations rendered first, in this order.
    pub fn lead(&self) -> &[Nationality] {
        &self.lead
    }

    /// The value's position in marking order, if the category lists it.
    pub(crate) fn value_position(&self, value: &str) -> Option<usize> {
        self.values.iter().position(|v| v == value)
    }
}

/// What a releasability value stands for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Releasee<'a> {
    /// One nation.
    Nation(Nationality),
    /// A named community of nations.
    Community(&'a BTreeSet<Nationality>),
}

/// A label policy (NATO, GBR, USA, a mission policy).
///
/// Only [`LabelPolicy::from_toml`] makes one, so every `LabelPolicy` is valid: levels
/// ordered with rising ClassList bits, unique names and OIDs, exactly one
/// releasability category, communities of valid nation codes, and marking
/// rules under which every label renders to a marking that parses back to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelPolicy {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) oid: Oid,
    pub(crate) levels: Vec<Level>,
    pub(crate) categories: Vec<Category>,
    /// Index in `categories`; the loader sets it to the one releasability
    /// category.
    pub(crate) releasability: usize,
    pub(crate) communities: BTreeMap<String, BTreeSet<Nationality>>,
    pub(crate) default_community: BTreeSet<Nationality>,
    pub(crate) separator: String,
    pub(crate) privacy_mark_prefix: String,
}

impl LabelPolicy {
    /// Reads and checks a policy file (format in `docs/labels.md`).
    pub fn from_toml(text: &str) -> Result<Self, PolicyError> {
        super::label_policy_file::parse(text)
    }

    /// The identifier carried by every label (`NATO`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The human-readable name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The dotted OID of the policy: the RFC 5755 Clearance `policyId`.
    pub fn oid(&self) -> &str {
        self.oid.as_str()
    }

    /// The levels, lowest first.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// The level with this full name.
    pub fn level(&self, name: &str) -> Option<&Level> {
        self.levels.iter().find(|level| level.name == name)
    }

    /// The level an officer means by `typed`: its full name or its
    /// portion abbreviation (`NS`), in any case, with any spacing. Names
    /// and abbreviations are unique in a policy, and equal ignoring case
    /// only when equal, so this never picks another level.
    pub fn level_as_typed(&self, typed: &str) -> Option<&Level> {
        let typed = typed.split_whitespace().collect::<Vec<_>>().join(" ");
        let matching: Vec<&Level> = self
            .levels
            .iter()
            .filter(|level| {
                level.name().eq_ignore_ascii_case(&typed)
                    || level.portion().eq_ignore_ascii_case(&typed)
            })
            .collect();
        match matching[..] {
            [level] => Some(level),
            _ => None,
        }
    }

    /// The level names, lowest first, comma-separated (for an error that
    /// says which names would do).
    pub fn level_names(&self) -> String {
        let names: Vec<&str> = self.levels.iter().map(Level::name).collect();
        names.join(", ")
    }

    /// The categories, in marking order.
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The category with this name.
    pub fn category(&self, name: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|category| category.name == name)
    }

    /// The category with this dotted OID.
    pub fn category_by_oid(&self, oid: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|category| category.oid.as_str() == oid)
    }

    /// The releasability ("REL TO") category.
    pub fn releasability(&self) -> &Category {
        // The loader checks that exactly one category has this kind and
        // stores its index; a LabelPolicy is immutable afterwards.
        &self.categories[self.releasability]
    }

    /// The named communities (`NATO`, `FVEY`) and their members.
    pub fn communities(&self) -> &BTreeMap<String, BTreeSet<Nationality>> {
        &self.communities
    }

    /// The nations a label without REL TO is releasable to.
    pub fn default_community(&self) -> &BTreeSet<Nationality> {
        &self.default_community
    }

    /// The text between marking segments (`//`).
    pub fn separator(&self) -> &str {
        &self.separator
    }

    /// The text that starts the privacy-mark segment of a marking.
    pub fn privacy_mark_prefix(&self) -> &str {
        &self.privacy_mark_prefix
    }

    /// What a releasability value names, if anything.
    pub(crate) fn releasee(&self, value: &str) -> Option<Releasee<'_>> {
        if let Some(members) = self.communities.get(value) {
            return Some(Releasee::Community(members));
        }
        Nationality::new(value).ok().map(Releasee::Nation)
    }
}
