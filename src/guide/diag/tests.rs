use super::*;

#[test]
fn locates_lines_and_columns() {
    let src = "a = 1\nbé = \"x\"\n";
    assert_eq!(locate(src, 0), (1, 1, "a = 1"));
    let at = src.find('"').unwrap();
    assert_eq!(locate(src, at), (2, 6, "bé = \"x\""));
    assert_eq!(locate(src, src.len()).0, 3);
}

#[test]
fn a_crlf_line_break_is_not_a_column() {
    let src = "ab\r\ncd\r\n";
    assert_eq!(locate(src, 3), (1, 3, "ab"));
    assert_eq!(locate(src, 4), (2, 1, "cd"));
}

#[test]
fn renders_like_a_compiler() {
    let src = "id = \"x\"\nnext = \"nope\"\n";
    let start = src.find("\"nope").unwrap();
    let d = Diagnostic::at(
        Severity::Error,
        "g.toml",
        src,
        start..start + 6,
        "unknown step",
    )
    .with_help("did you mean \"nop\"?");
    let text = d.to_string();
    assert!(
        text.starts_with("g.toml:2:8: error: unknown step\n"),
        "{text}"
    );
    assert!(
        text.contains("2 | next = \"nope\"\n  |        ^^^^^^\n"),
        "{text}"
    );
    assert!(text.contains("= help: did you mean"), "{text}");
}

#[test]
fn long_lines_are_cut_around_the_column() {
    let src = format!("x = {}1{}\n", "[".repeat(5000), "]".repeat(5000));
    let at = src.find('1').unwrap();
    let d = Diagnostic::at(Severity::Error, "g.toml", &src, at..at + 1, "deep");
    assert_eq!(d.headline(), "g.toml:1:5005: error: deep");
    let text = d.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().all(|l| l.chars().count() < 140), "{text}");
    let (shown, caret) = (lines[2], lines[3]);
    let c = caret.find('^').unwrap();
    assert_eq!(&shown[c..=c], "1", "{text}");
    assert!(
        shown.starts_with("1 | ...[[") && shown.ends_with("]]..."),
        "{text}"
    );
}
