//! The Liaison engine.

mod labels;

pub use labels::{
    Category, CategoryKind, Clearance, ClearanceAttribute, ClearanceBuilder, Colour, DecodeError,
    Excerpt, Label, LabelBuilder, LabelError, Level, MarkingError, Nationality, NationalityError,
    NotAdmitted, Policy, PolicyError, PolicyRegistry, Tag,
};
