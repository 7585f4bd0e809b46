//! ISO 3166-1 alpha-3 nation codes.

use std::fmt;
use std::str::FromStr;

/// A nation, as an ISO 3166-1 alpha-3 code (`FRA`, `GBR`, `USA`).
///
/// Only the form is checked: three uppercase ASCII letters. The codes that
/// ISO reserves for other uses (`XXA` for stateless persons, user-assigned
/// `X..` codes) pass, because partner PKIs use some of them and the policy
/// files, not this type, decide which nations a label may name.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nationality([u8; 3]);

/// A string is not an ISO 3166-1 alpha-3 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NationalityError {
    /// The code is not three bytes long.
    #[error("a nation code has three letters")]
    WrongLength,
    /// A character is not an uppercase ASCII letter.
    #[error("a nation code has only uppercase ASCII letters")]
    NotUppercaseLetter,
}

impl Nationality {
    /// Parses a code; the same as [`str::parse`].
    pub fn new(code: &str) -> Result<Self, NationalityError> {
        let bytes: [u8; 3] = code
            .as_bytes()
            .try_into()
            .map_err(|_| NationalityError::WrongLength)?;
        if bytes.iter().all(u8::is_ascii_uppercase) {
            Ok(Self(bytes))
        } else {
            Err(NationalityError::NotUppercaseLetter)
        }
    }

    /// The three-letter code.
    pub fn as_str(&self) -> &str {
        // Only uppercase ASCII letters are ever stored, so this is valid
        // UTF-8; the fallback is unreachable.
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl FromStr for Nationality {
    type Err = NationalityError;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Self::new(code)
    }
}

impl TryFrom<String> for Nationality {
    type Error = NationalityError;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        Self::new(&code)
    }
}

impl From<Nationality> for String {
    fn from(nationality: Nationality) -> Self {
        nationality.as_str().to_owned()
    }
}

impl AsRef<str> for Nationality {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Nationality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Nationality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nationality({})", self.as_str())
    }
}

impl serde::Serialize for Nationality {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Nationality {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;

        impl serde::de::Visitor<'_> for CodeVisitor {
            type Value = Nationality;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 3166-1 alpha-3 code")
            }

            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<Nationality, E> {
                Nationality::new(code).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(CodeVisitor)
    }
}
