//! The set of policies a client knows, looked up by identifier or OID.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use super::error::PolicyError;
use super::label_policy::LabelPolicy;

/// Largest policy file read from disk, in bytes.
pub(crate) const MAX_POLICY_FILE_LEN: u64 = 1024 * 1024;

/// The policy files shipped in the binary.
const BUILTIN_FILES: [(&str, &str); 3] = [
    ("nato.toml", include_str!("../../policies/nato.toml")),
    ("gbr.toml", include_str!("../../policies/gbr.toml")),
    ("usa.toml", include_str!("../../policies/usa.toml")),
];

static BUILTIN: LazyLock<PolicyRegistry> = LazyLock::new(|| {
    let mut registry = PolicyRegistry::empty();
    for (name, text) in BUILTIN_FILES {
        // The shipped files are compiled in and checked by the unit test
        // `builtin_registry_has_nato_gbr_usa`; a failure here is a build
        // defect, not bad input.
        let policy = LabelPolicy::from_toml(text)
            .unwrap_or_else(|e| panic!("built-in policy {name} is invalid: {e}"));
        if let Err(e) = registry.insert(policy) {
            panic!("built-in policy {name} cannot be registered: {e}");
        }
    }
    registry
});

/// The label policies a client knows. Cloning is cheap (policies are shared).
///
/// Within one registry, policy identifiers, policy OIDs and level names are
/// unique, so a label's identifier, a certificate's policy OID and a
/// marking's classification each name exactly one policy.
#[derive(Debug, Clone, Default)]
pub struct PolicyRegistry {
    policies: BTreeMap<String, Arc<LabelPolicy>>,
}

impl PolicyRegistry {
    /// The shipped NATO, GBR and USA policies.
    pub fn builtin() -> Self {
        BUILTIN.clone()
    }

    /// A registry with no policy.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Adds a policy; refuses one whose identifier, OID or a level name is
    /// already registered.
    pub fn insert(
        &mut self,
        policy: impl Into<Arc<LabelPolicy>>,
    ) -> Result<Arc<LabelPolicy>, PolicyError> {
        let policy = policy.into();
        if self.policies.contains_key(policy.id()) {
            return Err(PolicyError::DuplicatePolicy {
                id: policy.id().to_owned(),
            });
        }
        if self.by_oid(policy.oid()).is_some() {
            return Err(PolicyError::DuplicateOid {
                oid: policy.oid().to_owned(),
            });
        }
        for other in self.policies.values() {
            if let Some(level) = policy
                .levels()
                .iter()
                .find(|level| other.level(level.name()).is_some())
            {
                return Err(PolicyError::AmbiguousLevelName {
                    name: level.name().to_owned(),
                    other: other.id().to_owned(),
                });
            }
        }
        self.policies
            .insert(policy.id().to_owned(), Arc::clone(&policy));
        Ok(policy)
    }

    /// Adds every `*.toml` file of a directory, in file-name order. Either all
    /// of them are added or, on the first error, none; returns how many.
    pub fn load_dir(&mut self, dir: impl AsRef<Path>) -> Result<usize, PolicyError> {
        let dir = dir.as_ref();
        let io = |source| PolicyError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let mut paths = Vec::new();
        for entry in fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.extension().is_some_and(|ext| ext == "toml") && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        let mut next = self.clone();
        for path in &paths {
            let in_file = |source| PolicyError::InFile {
                path: path.clone(),
                source: Box::new(source),
            };
            let policy = read_policy_file(path).map_err(in_file)?;
            next.insert(policy).map_err(in_file)?;
        }
        *self = next;
        Ok(paths.len())
    }

    /// The policy with this identifier.
    pub fn get(&self, id: &str) -> Option<&Arc<LabelPolicy>> {
        self.policies.get(id)
    }

    /// The policy with this dotted OID.
    pub fn by_oid(&self, oid: &str) -> Option<&Arc<LabelPolicy>> {
        self.policies.values().find(|policy| policy.oid() == oid)
    }

    /// The policies, by identifier.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<LabelPolicy>> {
        self.policies.values()
    }

    /// How many policies are registered.
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// Whether no policy is registered.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }
}

fn read_policy_file(path: &PathBuf) -> Result<LabelPolicy, PolicyError> {
    let io = |source| PolicyError::Io {
        path: path.clone(),
        source,
    };
    let file = fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    // Reading one byte past the limit tells a file at the limit from a
    // larger one without trusting the metadata.
    file.take(MAX_POLICY_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if u64::try_from(bytes.len()).map_or(true, |len| len > MAX_POLICY_FILE_LEN) {
        return Err(PolicyError::FileTooLarge {
            path: path.clone(),
            max: MAX_POLICY_FILE_LEN,
        });
    }
    let text = String::from_utf8(bytes).map_err(|_| PolicyError::Syntax {
        message: "the file is not UTF-8".to_owned(),
    })?;
    LabelPolicy::from_toml(&text)
}
