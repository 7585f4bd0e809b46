//! The facts of an audited event: named values (text, numbers, lists,
//! nested facts) that the apps put into sentences in the officer's
//! language. Stored as a JSON object in the `facts` column of `audit`.

use serde_json::{Map, Value};

/// Named values describing one audited event. Keys are camelCase; an
/// officer `x` is stored as `x` (the officer id) and, when known, `xName`
/// (the display name their certificate gives), so that a window shows the
/// name and falls back to the id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts(Map<String, Value>);

/// An officer as the audit log names them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Officer {
    /// The officer id from the certificate.
    pub id: String,
    /// The display name from the certificate; empty when unknown.
    pub name: String,
}

impl Officer {
    /// An officer known by id and display name.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
        }
    }

    /// An officer known only by id.
    pub fn id_only(id: impl Into<String>) -> Self {
        Self::new(id, "")
    }

    /// How English text names them: the display name with the id, or the id.
    pub fn english(&self) -> String {
        if self.name.is_empty() || self.name == self.id {
            self.id.clone()
        } else {
            format!("{} ({})", self.name, self.id)
        }
    }
}

impl Facts {
    /// No facts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key` with a text, number, flag or list value.
    #[must_use]
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.0.insert(key.to_owned(), value.into());
        self
    }

    /// Adds `key` only when `value` is some.
    #[must_use]
    pub fn with_some(self, key: &str, value: Option<impl Into<Value>>) -> Self {
        match value {
            Some(value) => self.with(key, value),
            None => self,
        }
    }

    /// Adds an officer: `key` is the id, `keyName` the display name.
    #[must_use]
    pub fn officer(self, key: &str, officer: &Officer) -> Self {
        let named = self.with(key, officer.id.as_str());
        if officer.name.is_empty() {
            named
        } else {
            named.with(&format!("{key}Name"), officer.name.as_str())
        }
    }

    /// Adds nested facts under `key` (a refusal's reason, say).
    #[must_use]
    pub fn nested(self, key: &str, facts: Facts) -> Self {
        self.with(key, Value::Object(facts.0))
    }

    /// Adds a list of nested facts under `key`.
    #[must_use]
    pub fn list(self, key: &str, items: Vec<Facts>) -> Self {
        self.with(
            key,
            Value::Array(items.into_iter().map(|f| Value::Object(f.0)).collect()),
        )
    }

    /// Adds every fact of `other` (its keys win).
    #[must_use]
    pub fn merged(mut self, other: Facts) -> Self {
        self.0.extend(other.0);
        self
    }

    /// The value of `key`, if any.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// The text value of `key`, if it is text.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(Value::as_str)
    }

    /// The number value of `key`, if it is a whole number.
    pub fn number(&self, key: &str) -> Option<u64> {
        self.0.get(key).and_then(Value::as_u64)
    }

    /// Whether there is no fact.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The facts as a JSON object.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// The facts as a JSON object, owned.
    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }

    /// The stored form: a JSON object.
    pub fn to_json(&self) -> String {
        Value::Object(self.0.clone()).to_string()
    }

    /// Reads the stored form back; anything but a JSON object is `None`
    /// (a damaged row still shows its detail text).
    pub fn from_json(text: &str) -> Option<Self> {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Some(Self(map)),
            _ => None,
        }
    }
}

impl From<Map<String, Value>> for Facts {
    fn from(map: Map<String, Value>) -> Self {
        Self(map)
    }
}
