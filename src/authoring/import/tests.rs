use std::collections::BTreeSet;

use super::build::Ids;
use super::inline::split_title;
use super::words::words;
use super::write::q;

#[test]
fn titles_in_every_shape() {
    let cases = [
        (
            "**Verify User Sign-In:** Check it.",
            "Verify User Sign-In",
            "Check it.",
        ),
        (
            "**Verify User Sign-In**: Check it.",
            "Verify User Sign-In",
            "Check it.",
        ),
        (
            "**Review Session Handl**ing:",
            "Review Session Handling",
            "",
        ),
        ("**Re**view Session: text", "Review Session", "text"),
        (
            "**Force Re-authentication** - Prompt.",
            "Force Re-authentication",
            "Prompt.",
        ),
        ("**Bold only**", "Bold only", ""),
        ("Plain Title: body text", "Plain Title", "body text"),
    ];
    for (raw, title, body) in cases {
        let (t, b) = split_title(raw);
        assert_eq!(t.as_deref(), Some(title), "{raw}");
        assert_eq!(b, body, "{raw}");
    }
    let (t, b) = split_title("Restart the app. Then: sign in again.");
    assert_eq!(t, None);
    assert_eq!(b, "Restart the app. Then: sign in again.");
    let (t, _) = split_title("See https://example.com/x for more");
    assert_eq!(t, None);
}

#[test]
fn words_drop_stop_words_and_stem() {
    let w = words("The user's Sessions are checked; configured configurations");
    let w: BTreeSet<&str> = w.keys().map(String::as_str).collect();
    assert!(w.contains("session"), "{w:?}");
    assert!(!w.contains("the") && !w.contains("user"), "{w:?}");
    assert!(w.contains("configur"), "{w:?}");
}

#[test]
fn strings_round_trip_through_toml() {
    for s in [
        "plain",
        "quo\"te \\ back",
        "two\nlines \"\"\" here",
        "tab\tctl\u{1}",
    ] {
        let doc = format!("v = {}\n", q(s));
        let v: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
        assert_eq!(v["v"].as_str(), Some(s), "{doc}");
    }
}

#[test]
fn ids_are_unique_and_never_a_stage() {
    let mut ids = Ids::default();
    assert_eq!(
        ids.make("User's Domain Verification", "x", '-'),
        "users-domain-verification"
    );
    assert_eq!(
        ids.make("User's Domain Verification", "x", '-'),
        "users-domain-verification-2"
    );
    assert_eq!(ids.make("Issues", "x", '-'), "issues-step");
    assert_eq!(ids.make("***", "fallback", '-'), "fallback");
    assert_eq!(
        Ids::default().make("Correlation ID", "f", '_'),
        "correlation_id"
    );
}
