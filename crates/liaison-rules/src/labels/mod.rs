//! Security labels and label policies (NATO ADatP-4774 / STANAG 4774 style
//! confidentiality metadata), as `docs/design.md` specifies them ("Security
//! labels") and `docs/labels.md` documents them.
//!
//! - A [`LabelPolicy`] is data: a TOML file with ordered levels, tag categories,
//!   communities and marking rules. [`PolicyRegistry::builtin`] ships NATO,
//!   GBR and USA; more are loaded with [`PolicyRegistry::load_dir`].
//! - A [`Label`] exists only valid against its policy. It renders to a
//!   display marking ([`Label::marking`], [`Label::portion_marking`]), parses
//!   back ([`Label::parse_marking`]), and has one canonical binary encoding
//!   ([`Label::to_bytes`], [`Label::from_bytes`]).
//! - [`Label::dominates`] is the order every label rule is stated in;
//!   [`Clearance::admits`] decides whether a reader may see a label.
//! - [`ClearanceAttribute`] is a clearance in certificate form (RFC 5755).

mod attribute;
mod builder;
mod clearance;
mod dominance;
mod encoding;
mod error;
mod label;
mod label_policy;
mod label_policy_file;
mod label_policy_marking;
mod marking;
mod oid;
mod registry;
mod text;

// The label tests predate the move of these types to `liaison-identity`.
#[cfg(test)]
use liaison_identity::{ClearanceAttribute, Nationality, NationalityError};

#[cfg(test)]
mod tests;

pub use builder::LabelBuilder;
pub use clearance::{Clearance, ClearanceBuilder};
pub use dominance::Excess;
pub use error::{DecodeError, Excerpt, LabelError, MarkingError, NotAdmitted, PolicyError};
pub use label::{Label, Tag};
pub use label_policy::{Category, CategoryKind, Colour, LabelPolicy, Level};
pub use registry::PolicyRegistry;
