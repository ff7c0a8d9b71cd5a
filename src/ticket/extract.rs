//! Paste extraction (placeholder until the extractor lands).

/// Strip control characters.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}
