use super::*;

fn through(parts: &[&[u8]]) -> String {
    let mut out = Vec::new();
    {
        let mut p = Plain::new(&mut out);
        for part in parts {
            p.write_all(part).unwrap();
        }
        p.flush().unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn controls_are_shown_and_text_passes() {
    assert_eq!(
        through(&["evil\x1b]0;pwned\x07\x1b[2J.toml: é ✓\n\tok\r\x7f".as_bytes()]),
        "evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J.toml: é ✓\n\tok\\u{d}\\u{7f}"
    );
}

#[test]
fn c1_controls_are_shown_even_when_split_between_writes() {
    let csi = "a\u{9b}2Jb".as_bytes();
    assert_eq!(through(&[csi]), "a\\u{9b}2Jb");
    let (x, y) = csi.split_at(2); // "a\xc2" | "\x9b2Jb"
    assert_eq!(through(&[x, y]), "a\\u{9b}2Jb");
    // 0xC2 that starts an ordinary character (U+00E9 is 0xC3 0xA9; U+00A0 is 0xC2 0xA0).
    let nbsp = "x\u{a0}y".as_bytes();
    let (x, y) = nbsp.split_at(2);
    assert_eq!(through(&[x, y]), "x\u{a0}y");
    assert_eq!(through(&["end\u{a0}".as_bytes()]), "end\u{a0}");
}
