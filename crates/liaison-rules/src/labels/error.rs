//! Errors of the labels module, one enum per concern.
//!
//! Strings that came from outside (a policy file, a typed marking, a decoded
//! label) are shown with `{:?}` so control characters are escaped, and are cut
//! to [`EXCERPT_CHARS`] characters: an error message never carries a long or
//! multi-line payload into a log. No variant carries a privacy mark, which is
//! free text written by the label's author.

use std::fmt;
use std::path::PathBuf;

use super::label_policy::CategoryKind;
use liaison_identity::Nationality;

/// How many characters of an untrusted string an error message shows.
const EXCERPT_CHARS: usize = 64;

/// An untrusted string kept in an error, displayed escaped and shortened.
#[derive(Clone, PartialEq, Eq)]
pub struct Excerpt(String);

impl Excerpt {
    /// The string as received (not shortened).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Excerpt {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

impl From<String> for Excerpt {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl fmt::Display for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short: String = self.0.chars().take(EXCERPT_CHARS).collect();
        if short.len() < self.0.len() {
            write!(f, "{short:?}…")
        } else {
            write!(f, "{short:?}")
        }
    }
}

impl fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A policy file or directory could not be loaded, or a policy could not be
/// registered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The file is not TOML of the expected shape (a missing or unknown key,
    /// a wrong type).
    #[error("policy file is not valid: {message}")]
    Syntax {
        /// The TOML parser's explanation, with line and column.
        message: String,
    },
    /// The policy identifier is not 1 to 32 of `A-Z`, `0-9`, `-`, `_`.
    #[error("invalid policy identifier {id}")]
    InvalidPolicyId {
        /// The identifier found.
        id: Excerpt,
    },
    /// A name, abbreviation, prefix or separator is empty, too long, has
    /// surrounding whitespace or a control character.
    #[error("invalid {field} {text}")]
    InvalidText {
        /// Which field of the file.
        field: &'static str,
        /// The text found.
        text: Excerpt,
    },
    /// An object identifier is not in dotted decimal form.
    #[error("invalid OID {oid} for {field}")]
    InvalidOid {
        /// What the OID identifies.
        field: String,
        /// The OID found.
        oid: Excerpt,
    },
    /// The same OID is used twice in one policy, or by two registered policies.
    #[error("OID {oid} is used more than once")]
    DuplicateOid {
        /// The repeated OID.
        oid: String,
    },
    /// The policy defines no classification level.
    #[error("policy defines no classification level")]
    NoLevels,
    /// Two levels have the same name.
    #[error("classification level {name} is defined twice")]
    DuplicateLevel {
        /// The repeated name.
        name: Excerpt,
    },
    /// Two levels have the same portion abbreviation.
    #[error("portion abbreviation {portion} is used twice")]
    DuplicatePortion {
        /// The repeated abbreviation.
        portion: Excerpt,
    },
    /// A banner colour is not `#RRGGBB`.
    #[error("level {level} has an invalid colour {colour} (expected #RRGGBB)")]
    InvalidColour {
        /// The level's name.
        level: Excerpt,
        /// The colour found.
        colour: Excerpt,
    },
    /// A ClassList bit is outside 0..=7.
    #[error("level {level} has ClassList bit {bit}, outside 0..=7")]
    ClassBitOutOfRange {
        /// The level's name.
        level: Excerpt,
        /// The bit found.
        bit: u8,
    },
    /// ClassList bits must grow with the levels, so that the highest bit set
    /// in a certificate is the highest level held.
    #[error("level {level} does not have a higher ClassList bit than the level below it")]
    ClassBitsNotIncreasing {
        /// The first level out of order.
        level: Excerpt,
    },
    /// Two categories have the same name.
    #[error("category {name} is defined twice")]
    DuplicateCategory {
        /// The repeated name.
        name: Excerpt,
    },
    /// A restrictive or permissive category lists no values.
    #[error("category {category} lists no values")]
    MissingValues {
        /// The category.
        category: Excerpt,
    },
    /// A key was given that this kind of category does not take (`values`
    /// on the releasability category, `lead` on any other).
    #[error("category {category} may not have the key `{key}`")]
    UnexpectedKey {
        /// The category.
        category: Excerpt,
        /// The key that is not allowed.
        key: &'static str,
    },
    /// A category lists the same value twice.
    #[error("category {category} lists the value {value} twice")]
    DuplicateValue {
        /// The category.
        category: Excerpt,
        /// The repeated value.
        value: Excerpt,
    },
    /// There must be exactly one releasability ("REL TO") category.
    #[error("policy must define exactly one releasability category, found {found}")]
    ReleasabilityCount {
        /// How many were found.
        found: usize,
    },
    /// A nation code is not three uppercase ASCII letters.
    #[error("invalid nation code {code} in {field}")]
    InvalidNationality {
        /// Where it was found.
        field: String,
        /// The code found.
        code: Excerpt,
    },
    /// A community name is not 2 to 16 of `A-Z`, `0-9`, or looks like a
    /// nation code.
    #[error("invalid community name {name}")]
    InvalidCommunityName {
        /// The name found.
        name: Excerpt,
    },
    /// A community has no member nation.
    #[error("community {name} has no member")]
    EmptyCommunity {
        /// The community.
        name: Excerpt,
    },
    /// The default community names a community the file does not define.
    #[error("unknown community {name} in {field}")]
    UnknownCommunity {
        /// Where it was found.
        field: &'static str,
        /// The name found.
        name: Excerpt,
    },
    /// The default community is empty.
    #[error("default community is empty")]
    EmptyDefaultCommunity,
    /// Two parts of the marking grammar could be confused when parsing a
    /// marking back.
    #[error("ambiguous marking rules: {detail}")]
    AmbiguousMarking {
        /// What collides with what.
        detail: String,
    },
    /// A list in the file is longer than its named maximum.
    #[error("too many {what} (at most {max})")]
    TooMany {
        /// What is counted.
        what: &'static str,
        /// The maximum.
        max: usize,
    },
    /// A policy with this identifier is already registered.
    #[error("policy {id} is already registered")]
    DuplicatePolicy {
        /// The identifier.
        id: String,
    },
    /// A level name is already used by another registered policy, so a
    /// marking would not say which policy it belongs to.
    #[error("level name {name} is already used by policy {other}")]
    AmbiguousLevelName {
        /// The level name.
        name: String,
        /// The policy already using it.
        other: String,
    },
    /// A file or directory could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A policy file is larger than the named maximum.
    #[error("policy file {path} is larger than {max} bytes")]
    FileTooLarge {
        /// The path.
        path: PathBuf,
        /// The maximum.
        max: u64,
    },
    /// A policy file in a directory is invalid.
    #[error("in policy file {path}: {source}")]
    InFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        #[source]
        source: Box<PolicyError>,
    },
}

/// A label or clearance could not be built, parsed or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LabelError {
    /// No registered policy has this identifier (rule 4 of docs/design.md: refused).
    #[error("unknown label policy {id}")]
    UnknownPolicy {
        /// The identifier found.
        id: Excerpt,
    },
    /// No registered policy has this OID.
    #[error("unknown label policy OID {oid}")]
    UnknownPolicyOid {
        /// The OID found.
        oid: Excerpt,
    },
    /// The policy has no classification level of this name.
    #[error("policy {policy} has no classification {name} (its levels: {levels})")]
    UnknownClassification {
        /// The policy.
        policy: String,
        /// The name found.
        name: Excerpt,
        /// The policy's level names, lowest first, comma-separated.
        levels: String,
    },
    /// The policy has no category of this name.
    #[error("policy {policy} has no category {category}")]
    UnknownCategory {
        /// The policy.
        policy: String,
        /// The name found.
        category: Excerpt,
    },
    /// The policy has no category with this OID.
    #[error("policy {policy} has no category with OID {oid}")]
    UnknownCategoryOid {
        /// The policy.
        policy: String,
        /// The OID found.
        oid: Excerpt,
    },
    /// A tag was given for a category of another kind (a caveat given as
    /// permissive, and so on).
    #[error("category {category} is {actual}, not {expected}")]
    WrongCategoryKind {
        /// The category.
        category: String,
        /// The kind the call needed.
        expected: CategoryKind,
        /// The category's kind.
        actual: CategoryKind,
    },
    /// The category does not list this value.
    #[error("category {category} has no value {value}")]
    UnknownValue {
        /// The category.
        category: String,
        /// The value found.
        value: Excerpt,
    },
    /// A releasability value is neither a nation code nor a community of
    /// the policy.
    #[error("{value} is neither a nation code nor a community of policy {policy}")]
    InvalidReleasability {
        /// The policy.
        policy: String,
        /// The value found.
        value: Excerpt,
    },
    /// Releasability is decided by nationality, so a clearance cannot hold
    /// values of the releasability category.
    #[error("a clearance cannot hold releasability values; nationality decides REL TO")]
    ReleasabilityInClearance,
    /// More than 256 restrictive, or 256 permissive, tags.
    #[error("too many tags (at most {max})")]
    TooManyTags {
        /// The maximum.
        max: usize,
    },
    /// A privacy mark or originator is empty, too long, has surrounding
    /// whitespace or a control character, or contains the marking separator.
    #[error("invalid {field} ({reason})")]
    InvalidText {
        /// `privacy mark` or `originator`.
        field: &'static str,
        /// What is wrong, without the text itself.
        reason: &'static str,
    },
    /// A certificate's ClassList has no bit that the policy maps to a level.
    #[error("clearance attribute has no classification of policy {policy}")]
    NoMappedClassification {
        /// The policy.
        policy: String,
    },
    /// A display marking could not be parsed.
    #[error("invalid marking: {0}")]
    Marking(#[from] MarkingError),
    /// A binary label could not be decoded.
    #[error("invalid label encoding: {0}")]
    Decode(#[from] DecodeError),
}

/// Why a display marking was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MarkingError {
    /// The marking is longer than the named maximum.
    #[error("marking is longer than {max} bytes")]
    TooLong {
        /// The maximum.
        max: usize,
    },
    /// No registered policy has a level that starts this marking.
    #[error("no registered policy has the classification of {marking} (the levels: {levels})")]
    UnknownClassification {
        /// The marking.
        marking: Excerpt,
        /// Every registered level name, each policy's lowest first,
        /// comma-separated.
        levels: String,
    },
    /// Several policies could read this marking.
    #[error("marking matches several policies")]
    Ambiguous,
    /// Two separators follow each other, or the marking ends with one.
    #[error("empty segment in marking")]
    EmptySegment,
    /// A segment belongs to no category of the policy.
    #[error("segment {segment} belongs to no category")]
    UnknownSegment {
        /// The segment.
        segment: Excerpt,
    },
    /// A category or the privacy mark appears in two segments.
    #[error("{what} appears twice")]
    DuplicateSegment {
        /// The category name, or `privacy mark`.
        what: String,
    },
    /// A segment has an empty value (`REL TO FRA, , GBR`).
    #[error("empty value in category {category}")]
    EmptyValue {
        /// The category.
        category: String,
    },
    /// A segment repeats a value.
    #[error("value {value} repeated in category {category}")]
    DuplicateValue {
        /// The category.
        category: String,
        /// The repeated value.
        value: Excerpt,
    },
}

/// Why a binary label was refused. No variant echoes the bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ends inside a field.
    #[error("input ends inside {field}")]
    Truncated {
        /// The field being read.
        field: &'static str,
    },
    /// Bytes follow the last field.
    #[error("{count} trailing bytes after the label")]
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// The version byte is not one this build reads.
    #[error("unsupported label encoding version {version}")]
    UnsupportedVersion {
        /// The version found.
        version: u8,
    },
    /// A flag bit this version does not define is set.
    #[error("undefined flag bits {bits:#04x}")]
    UnknownFlags {
        /// The undefined bits that were set.
        bits: u8,
    },
    /// A length or count is outside its named bounds.
    #[error("{field} length {length} outside {min}..={max}")]
    LengthOutOfRange {
        /// The field.
        field: &'static str,
        /// The length found.
        length: usize,
        /// The minimum.
        min: usize,
        /// The maximum.
        max: usize,
    },
    /// A text field is not UTF-8.
    #[error("{field} is not UTF-8")]
    InvalidUtf8 {
        /// The field.
        field: &'static str,
    },
    /// Tags are not in strictly increasing order (unsorted or repeated), so
    /// the input is not the label's one canonical encoding.
    #[error("{field} are not in canonical order")]
    NotCanonical {
        /// The tag set.
        field: &'static str,
    },
}

/// Why a clearance does not admit a label.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotAdmitted {
    /// The clearance and the label belong to different policies.
    #[error("clearance is for policy {clearance}, label is for policy {label}")]
    WrongPolicy {
        /// The clearance's policy.
        clearance: String,
        /// The label's policy.
        label: String,
    },
    /// The clearance level is below the label's classification.
    #[error("clearance {held} is below {required}")]
    LevelTooLow {
        /// The level held.
        held: String,
        /// The label's classification.
        required: String,
    },
    /// A caveat of the label is not held.
    #[error("caveat {value} of {category} is not held")]
    MissingCaveat {
        /// The category.
        category: String,
        /// The caveat.
        value: String,
    },
    /// The nationality is not in the label's effective REL TO.
    #[error("label is not releasable to {nationality}")]
    NotReleasable {
        /// The nationality checked.
        nationality: Nationality,
    },
    /// No value of a permissive category of the label is held.
    #[error("no value of {category} is held")]
    MissingPermissive {
        /// The category.
        category: String,
    },
}
