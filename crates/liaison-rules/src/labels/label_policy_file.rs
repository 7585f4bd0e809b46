//! The TOML policy file: its raw shape, and its conversion into a checked
//! [`LabelPolicy`]. The marking-grammar checks are in `label_policy_marking.rs`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::error::PolicyError;
use super::label_policy::{Category, CategoryKind, Colour, LabelPolicy, Level};
use super::oid::Oid;
use super::text::{MAX_FREE_TEXT_LEN, is_name, is_policy_id, text_problem};
use liaison_identity::Nationality;

/// Most levels a policy may define (ClassList has eight bits).
const MAX_LEVELS: usize = 8;
/// Most categories a policy may define.
const MAX_CATEGORIES: usize = 16;
/// Most values a category may list.
const MAX_VALUES: usize = 256;
/// Most communities a policy may define.
const MAX_COMMUNITIES: usize = 64;
/// Most nations a community or a lead list may name.
const MAX_MEMBERS: usize = 256;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    id: String,
    name: String,
    oid: String,
    default_community: Vec<String>,
    marking: MarkingFile,
    level: Vec<LevelFile>,
    #[serde(default)]
    category: Vec<CategoryFile>,
    #[serde(default)]
    community: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkingFile {
    separator: String,
    privacy_mark_prefix: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelFile {
    name: String,
    portion: String,
    colour: String,
    class_bit: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    name: String,
    kind: KindFile,
    oid: String,
    prefix: String,
    value_separator: String,
    values: Option<Vec<String>>,
    lead: Option<Vec<String>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum KindFile {
    Restrictive,
    Permissive,
    Releasability,
}

/// Parses and checks a policy file.
pub(crate) fn parse(text: &str) -> Result<LabelPolicy, PolicyError> {
    let file: PolicyFile = toml::from_str(text).map_err(|e| PolicyError::Syntax {
        message: e.to_string(),
    })?;
    if !is_policy_id(&file.id) {
        return Err(PolicyError::InvalidPolicyId {
            id: file.id.as_str().into(),
        });
    }
    if text_problem(&file.name, MAX_FREE_TEXT_LEN).is_some() {
        return Err(invalid_text("policy name", &file.name));
    }
    let oid = oid(&file.oid, "policy")?;
    let levels = levels(file.level)?;
    let communities = communities(file.community)?;
    let categories = categories(file.category)?;
    let releasability = releasability_index(&categories)?;
    unique_oids(&oid, &categories)?;
    let default_community = default_community(&file.default_community, &communities)?;
    let policy = LabelPolicy {
        id: file.id,
        name: file.name,
        oid,
        levels,
        categories,
        releasability,
        communities,
        default_community,
        separator: file.marking.separator,
        privacy_mark_prefix: file.marking.privacy_mark_prefix,
    };
    super::label_policy_marking::check(&policy)?;
    Ok(policy)
}

fn invalid_text(field: &'static str, text: &str) -> PolicyError {
    PolicyError::InvalidText {
        field,
        text: text.into(),
    }
}

fn oid(text: &str, owner: &str) -> Result<Oid, PolicyError> {
    Oid::parse(text).ok_or_else(|| PolicyError::InvalidOid {
        field: owner.to_owned(),
        oid: text.into(),
    })
}

fn nation(code: &str, field: &str) -> Result<Nationality, PolicyError> {
    Nationality::new(code).map_err(|_| PolicyError::InvalidNationality {
        field: field.to_owned(),
        code: code.into(),
    })
}

fn too_many(what: &'static str, count: usize, max: usize) -> Result<(), PolicyError> {
    if count > max {
        Err(PolicyError::TooMany { what, max })
    } else {
        Ok(())
    }
}

fn levels(raw: Vec<LevelFile>) -> Result<Vec<Level>, PolicyError> {
    too_many("levels", raw.len(), MAX_LEVELS)?;
    if raw.is_empty() {
        return Err(PolicyError::NoLevels);
    }
    let mut levels: Vec<Level> = Vec::with_capacity(raw.len());
    for (rank, level) in raw.into_iter().enumerate() {
        if !is_name(&level.name) {
            return Err(invalid_text("level name", &level.name));
        }
        if !is_name(&level.portion) {
            return Err(invalid_text("portion abbreviation", &level.portion));
        }
        let colour = Colour::parse(&level.colour).ok_or_else(|| PolicyError::InvalidColour {
            level: level.name.as_str().into(),
            colour: level.colour.as_str().into(),
        })?;
        if level.class_bit > 7 {
            return Err(PolicyError::ClassBitOutOfRange {
                level: level.name.as_str().into(),
                bit: level.class_bit,
            });
        }
        for earlier in &levels {
            if earlier.name == level.name {
                return Err(PolicyError::DuplicateLevel {
                    name: level.name.as_str().into(),
                });
            }
            if earlier.portion == level.portion {
                return Err(PolicyError::DuplicatePortion {
                    portion: level.portion.as_str().into(),
                });
            }
        }
        if levels
            .last()
            .is_some_and(|below| below.class_bit >= level.class_bit)
        {
            return Err(PolicyError::ClassBitsNotIncreasing {
                level: level.name.as_str().into(),
            });
        }
        levels.push(Level {
            name: level.name,
            portion: level.portion,
            colour,
            class_bit: level.class_bit,
            rank,
        });
    }
    Ok(levels)
}

fn categories(raw: Vec<CategoryFile>) -> Result<Vec<Category>, PolicyError> {
    too_many("categories", raw.len(), MAX_CATEGORIES)?;
    let mut categories: Vec<Category> = Vec::with_capacity(raw.len());
    for category in raw {
        let category = category_from(category)?;
        if categories.iter().any(|c| c.name == category.name) {
            return Err(PolicyError::DuplicateCategory {
                name: category.name.as_str().into(),
            });
        }
        categories.push(category);
    }
    Ok(categories)
}

fn category_from(raw: CategoryFile) -> Result<Category, PolicyError> {
    if !is_name(&raw.name) {
        return Err(invalid_text("category name", &raw.name));
    }
    let oid = oid(&raw.oid, &format!("category {}", raw.name))?;
    let kind = match raw.kind {
        KindFile::Restrictive => CategoryKind::Restrictive,
        KindFile::Permissive => CategoryKind::Permissive,
        KindFile::Releasability => CategoryKind::Releasability,
    };
    let unexpected = |key| PolicyError::UnexpectedKey {
        category: raw.name.as_str().into(),
        key,
    };
    let (values, lead) = match (kind, raw.values, raw.lead) {
        (CategoryKind::Releasability, Some(_), _) => return Err(unexpected("values")),
        (CategoryKind::Releasability, None, lead) => (
            Vec::new(),
            lead_nations(&raw.name, lead.unwrap_or_default())?,
        ),
        (_, _, Some(_)) => return Err(unexpected("lead")),
        (_, values, None) => (
            listed_values(&raw.name, values.unwrap_or_default())?,
            Vec::new(),
        ),
    };
    Ok(Category {
        name: raw.name,
        kind,
        oid,
        prefix: raw.prefix,
        value_separator: raw.value_separator,
        values,
        lead,
    })
}

fn listed_values(category: &str, values: Vec<String>) -> Result<Vec<String>, PolicyError> {
    too_many("values in a category", values.len(), MAX_VALUES)?;
    if values.is_empty() {
        return Err(PolicyError::MissingValues {
            category: category.into(),
        });
    }
    let mut seen = BTreeSet::new();
    for value in &values {
        if !is_name(value) {
            return Err(invalid_text("category value", value));
        }
        if !seen.insert(value.as_str()) {
            return Err(PolicyError::DuplicateValue {
                category: category.into(),
                value: value.as_str().into(),
            });
        }
    }
    Ok(values)
}

fn lead_nations(category: &str, codes: Vec<String>) -> Result<Vec<Nationality>, PolicyError> {
    too_many("lead nations", codes.len(), MAX_MEMBERS)?;
    let field = format!("lead of {category}");
    let mut lead: Vec<Nationality> = Vec::with_capacity(codes.len());
    for code in &codes {
        let nationality = nation(code, &field)?;
        if lead.contains(&nationality) {
            return Err(PolicyError::DuplicateValue {
                category: category.into(),
                value: code.as_str().into(),
            });
        }
        lead.push(nationality);
    }
    Ok(lead)
}

fn releasability_index(categories: &[Category]) -> Result<usize, PolicyError> {
    let found: Vec<usize> = categories
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == CategoryKind::Releasability)
        .map(|(index, _)| index)
        .collect();
    match found.as_slice() {
        [index] => Ok(*index),
        _ => Err(PolicyError::ReleasabilityCount { found: found.len() }),
    }
}

fn unique_oids(policy: &Oid, categories: &[Category]) -> Result<(), PolicyError> {
    let mut seen = BTreeSet::from([policy]);
    for category in categories {
        if !seen.insert(&category.oid) {
            return Err(PolicyError::DuplicateOid {
                oid: category.oid.as_str().to_owned(),
            });
        }
    }
    Ok(())
}

/// A community name: 2 to 16 of `A-Z`, `0-9`, and not shaped like a nation
/// code, so a REL TO value is never both.
fn is_community_name(name: &str) -> bool {
    (2..=16).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && Nationality::new(name).is_err()
}

fn communities(
    raw: BTreeMap<String, Vec<String>>,
) -> Result<BTreeMap<String, BTreeSet<Nationality>>, PolicyError> {
    too_many("communities", raw.len(), MAX_COMMUNITIES)?;
    let mut communities = BTreeMap::new();
    for (name, codes) in raw {
        if !is_community_name(&name) {
            return Err(PolicyError::InvalidCommunityName {
                name: name.as_str().into(),
            });
        }
        too_many("community members", codes.len(), MAX_MEMBERS)?;
        if codes.is_empty() {
            return Err(PolicyError::EmptyCommunity {
                name: name.as_str().into(),
            });
        }
        let field = format!("community {name}");
        let mut members = BTreeSet::new();
        for code in &codes {
            if !members.insert(nation(code, &field)?) {
                return Err(PolicyError::DuplicateValue {
                    category: name.as_str().into(),
                    value: code.as_str().into(),
                });
            }
        }
        communities.insert(name, members);
    }
    Ok(communities)
}

fn default_community(
    tokens: &[String],
    communities: &BTreeMap<String, BTreeSet<Nationality>>,
) -> Result<BTreeSet<Nationality>, PolicyError> {
    too_many("default community entries", tokens.len(), MAX_MEMBERS)?;
    let mut nations = BTreeSet::new();
    for token in tokens {
        if let Some(members) = communities.get(token) {
            nations.extend(members.iter().copied());
        } else if let Ok(nationality) = Nationality::new(token) {
            nations.insert(nationality);
        } else {
            return Err(PolicyError::UnknownCommunity {
                field: "default_community",
                name: token.as_str().into(),
            });
        }
    }
    if nations.is_empty() {
        return Err(PolicyError::EmptyDefaultCommunity);
    }
    Ok(nations)
}
