//! What a paste held, matched to a guide's ticket fields: the proposal the engineer accepts
//! (the TUI's overlay) or that `tshoot ticket --paste` applies at once.

use crate::guide::Guide;
use crate::ticket::extract::Extracted;
use crate::wizard::Case;

/// Values found in pasted text, proposed for the ticket fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// (field id, label, current value, proposed value).
    pub fields: Vec<(String, String, String, String)>,
    /// Other details found (name, value); accepted into the notes.
    pub extras: Vec<(String, String)>,
    /// Remarks from the extractor (truncation, several ids, ...).
    pub notes: Vec<String>,
}

/// Match what a paste held to the guide's ticket fields: by field id (`correlation_id`,
/// `request_id`, `error_code`, `timestamp`), else by label, else by kind.
pub fn propose(guide: &Guide, case: &Case, found: &Extracted) -> Proposal {
    use crate::guide::FieldKind;
    let mut fields = Vec::new();
    let mut used = Vec::new();
    for f in guide.fields() {
        let by_label: String = f.label.to_lowercase().replace(' ', "_");
        let key = [f.id.as_str(), by_label.as_str()]
            .into_iter()
            .chain(match f.kind {
                FieldKind::ErrorCode => Some("error_code"),
                FieldKind::Timestamp => Some("timestamp"),
                _ => None,
            })
            .find(|k| found.field(k).is_some());
        let Some(key) = key else { continue };
        let Some(value) = found.field(key) else {
            continue;
        };
        used.push(key.to_owned());
        let current = case.field(&f.id).to_owned();
        if current != value {
            fields.push((f.id.to_string(), f.label.clone(), current, value));
        }
    }
    let mut extras: Vec<(String, String)> = Vec::new();
    if found.error_codes.len() > 1 {
        extras.push(("Error codes".to_owned(), found.error_codes.join(", ")));
    }
    for (k, id) in [
        ("Request ID", "request_id"),
        ("Correlation ID", "correlation_id"),
        ("Timestamp", "timestamp"),
    ] {
        if !used.iter().any(|u| u == id)
            && let Some(v) = found.field(id)
        {
            extras.push((k.to_owned(), v));
        }
    }
    extras.extend(found.other.iter().cloned());
    Proposal {
        fields,
        extras,
        notes: found.notes.clone(),
    }
}
