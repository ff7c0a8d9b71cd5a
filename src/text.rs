//! Text shared by every layer: [`sanitize`] makes any string safe to print on a terminal
//! (or to put inside an escape sequence). It has no dependencies on the rest of the crate, so
//! the guide, ticket, session and drawing code can all use it.

/// Strips control characters so text is safe to show on a terminal or to put
/// in an escape sequence: C0 controls except `\n` and `\t`, DEL, C1 controls
/// (U+0080..U+009F) and whole escape sequences (CSI `ESC [ ... final`, OSC
/// `ESC ] ... BEL|ESC \`, DCS/SOS/PM/APC `ESC P|X|^|_ ... ESC \`, `ESC` with
/// intermediates and a final byte, two-byte `ESC x`, and the C1 forms of the
/// same introducers). A string sequence with no terminator ends at the next
/// line feed.
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\t' => out.push(c),
            c if is_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// After an ESC: drops the rest of the sequence it starts.
fn skip_escape(chars: &mut std::str::Chars<'_>) {
    let Some(next) = chars.clone().next() else {
        return;
    };
    match next {
        '[' => {
            chars.next();
            skip_csi(chars);
        }
        ']' | 'P' | 'X' | '^' | '_' => {
            chars.next();
            skip_string(chars);
        }
        // SS2 / SS3 act on exactly one following character.
        'N' | 'O' => {
            chars.next();
            if chars
                .clone()
                .next()
                .is_some_and(|c| (' '..='~').contains(&c))
            {
                chars.next();
            }
        }
        // Intermediates, then one final byte (`ESC ( B`, `ESC # 8`).
        ' '..='/' => {
            while chars
                .clone()
                .next()
                .is_some_and(|c| (' '..='/').contains(&c))
            {
                chars.next();
            }
            if chars
                .clone()
                .next()
                .is_some_and(|c| ('0'..='~').contains(&c))
            {
                chars.next();
            }
        }
        '0'..='~' => {
            chars.next();
        }
        // A lone ESC (before a control, a non-ASCII character or the end).
        _ => {}
    }
}

/// After a CSI introducer: parameters and intermediates, then a final byte.
fn skip_csi(chars: &mut std::str::Chars<'_>) {
    while let Some(c) = chars.clone().next() {
        match c {
            ' '..='?' => {
                chars.next();
            }
            '@'..='~' => {
                chars.next();
                return;
            }
            // Anything else aborts the sequence and is handled normally.
            _ => return,
        }
    }
}

/// After an OSC/DCS/SOS/PM/APC introducer: everything up to BEL, ST
/// (`ESC \` or U+009C), another ESC, CAN, SUB or a line feed.
fn skip_string(chars: &mut std::str::Chars<'_>) {
    while let Some(c) = chars.clone().next() {
        match c {
            '\u{7}' | '\u{9c}' => {
                chars.next();
                return;
            }
            '\u{1b}' => {
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.next() == Some('\\') {
                    chars.next();
                    chars.next();
                }
                return;
            }
            '\n' | '\u{18}' | '\u{1a}' => return,
            _ => {
                chars.next();
            }
        }
    }
}
