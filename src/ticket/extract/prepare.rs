//! Stage 1, preparation: the input capped, its line ends and spaces unified, sanitised.

use crate::text::sanitize;

use super::MAX_INPUT_BYTES;

/// The largest index `<= max` that is a character boundary of `text`.
fn floor_boundary(text: &str, max: usize) -> usize {
    if max >= text.len() {
        return text.len();
    }
    let mut i = max;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// At most `len` bytes of `text` from `start`, cut on a character boundary.
pub(super) fn window(text: &str, start: usize, len: usize) -> &str {
    let start = floor_boundary(text, start);
    let end = floor_boundary(text, start.saturating_add(len));
    &text[start..end]
}

pub(super) fn cap_input<'a>(text: &'a str, notes: &mut Vec<String>) -> &'a str {
    if text.len() <= MAX_INPUT_BYTES {
        return text;
    }
    let end = floor_boundary(text, MAX_INPUT_BYTES);
    add_note(
        notes,
        format!(
            "input truncated to 1 MiB: only the first {} bytes were read, {} were ignored",
            end,
            text.len() - end
        ),
    );
    &text[..end]
}

/// Unifies line ends and spaces and sanitises, noting what it removed.
pub(super) fn prepare(text: &str, notes: &mut Vec<String>) -> String {
    if text.contains('\0') {
        add_note(
            notes,
            "binary data ignored: NUL bytes were removed".to_string(),
        );
    }
    let introducers = [
        '\u{1b}', '\u{90}', '\u{98}', '\u{9b}', '\u{9d}', '\u{9e}', '\u{9f}',
    ];
    if text.contains(introducers) {
        add_note(notes, "terminal escape sequences removed".to_string());
    }
    if text.contains('\u{fffd}') {
        add_note(
            notes,
            "text held bytes that were not valid UTF-8 (shown as \u{fffd}); they were ignored"
                .to_string(),
        );
    }
    let mut unified = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                unified.push('\n');
            }
            '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}' => unified.push(' '),
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            c => unified.push(c),
        }
    }
    sanitize(&unified)
}

pub(super) fn add_note(notes: &mut Vec<String>, note: String) {
    if !notes.contains(&note) {
        notes.push(note);
    }
}
