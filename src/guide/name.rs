//! [`Name`]: a string from a guide file that remembers where it was written.
//!
//! Validation runs after deserialization, on plain Rust values, yet its messages must point at
//! `path:line:col`. Every id and every reference in the guide format is therefore a `Name`: it
//! derefs to `str`, compares by text only, serializes as a plain string, and carries the byte
//! span that `toml` recorded for it (empty for names built in code).

use std::ops::{Deref, Range};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_spanned::Spanned;

/// A located string: an id, or a reference to one.
#[derive(Clone, Default)]
pub struct Name {
    text: String,
    span: Range<usize>,
}

impl Name {
    /// A name with no location (built in code, not read from a file).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            span: 0..0,
        }
    }

    /// A name found at byte range `span` of a source.
    pub fn located(text: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            text: text.into(),
            span,
        }
    }

    /// Byte range in the guide's source; empty when unknown.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.text
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
impl Eq for Name {}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}
impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Name {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.text, f)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<String>::deserialize(d)?;
        let span = spanned.span();
        Ok(Self {
            text: spanned.into_inner(),
            span,
        })
    }
}

impl schemars::JsonSchema for Name {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Name".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1
        })
    }
    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        id: Name,
        refs: Vec<Name>,
    }

    #[test]
    fn keeps_spans_from_toml() {
        let src = "id = \"abc\"\nrefs = [\"x\", \"yz\"]\n";
        let doc: Doc = toml::from_str(src).unwrap();
        assert_eq!(doc.id, "abc");
        assert_eq!(&src[doc.id.span()], "\"abc\"");
        assert_eq!(&src[doc.refs[1].span()], "\"yz\"");
    }

    #[test]
    fn compares_by_text_only() {
        let a = Name::new("x");
        let doc: Doc = toml::from_str("id = \"x\"\nrefs = []").unwrap();
        assert_eq!(a, doc.id);
        assert_eq!(serde_json::to_string(&doc.id).unwrap(), "\"x\"");
    }
}
