use super::*;

/// The compiled-in catalogue parses with no error at all.
#[test]
fn the_compiled_in_catalogue_parses_clean() {
    let cat = parse(SOURCE);
    assert!(cat.errors.is_empty(), "{:#?}", cat.errors);
    assert!(errors().is_empty(), "{:#?}", errors());
    // One entry per data line: none was dropped.
    assert_eq!(cat.entries.len(), SOURCE.lines().count() - 1);
    assert_eq!(all().len(), cat.entries.len());
}

/// What `assets/codes/README.md` promises of every row.
#[test]
fn every_row_is_as_the_readme_says() {
    let mut seen = std::collections::HashSet::new();
    let (mut sts, mut b2c) = (0, 0);
    for e in all() {
        assert!(seen.insert(e.code), "{} twice", e.code);
        let (prefix, digits) = split_code(e.code).unwrap();
        assert!(!e.meaning.is_empty(), "{}: no meaning", e.code);
        assert!(
            e.meaning.chars().count() <= 160,
            "{}: meaning too long",
            e.code
        );
        assert!(
            !e.meaning.contains(['"', '\t']) && !e.meaning.ends_with('.'),
            "{}: {:?}",
            e.code,
            e.meaning
        );
        assert_eq!(e.meaning, e.meaning.trim(), "{}", e.code);
        if let Some(name) = e.name {
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{}: name {name:?} is not an identifier",
                e.code
            );
        }
        if prefix == "AADSTS" {
            sts += 1;
            assert_eq!(
                e.link,
                format!("https://login.microsoftonline.com/error?code={digits}"),
                "{}",
                e.code
            );
        } else {
            b2c += 1;
            assert!(e.name.is_none(), "{}: B2C rows have no name", e.code);
            assert_eq!(
                e.link,
                "https://learn.microsoft.com/azure/active-directory-b2c/error-codes"
            );
        }
    }
    // The counts the README gives.
    assert_eq!((sts, b2c, sts + b2c), (345, 133, 478));
}

#[test]
fn rows_are_sorted_by_prefix_then_number() {
    let keys: Vec<_> = all().iter().map(|e| sort_key(e.code)).collect();
    for (w, e) in keys.windows(2).zip(all().iter().skip(1)) {
        assert!(w[0] < w[1], "{} is out of order", e.code);
    }
    assert!(all()[0].code.starts_with("AADB2C"));
    assert!(all()[all().len() - 1].code.starts_with("AADSTS"));
    // Numbers compare as integers: 5000 before 50000, 90 before 100.
    assert!(sort_key("AADSTS5000") < sort_key("AADSTS50000"));
    assert!(sort_key("AADSTS90") < sort_key("AADSTS100"));
    assert!(sort_key("AADB2C99999") < sort_key("AADSTS1"));
}

#[test]
fn lookup_takes_every_spelling() {
    let e = lookup("AADSTS50076").unwrap();
    assert_eq!(e.code, "AADSTS50076");
    assert_eq!(e.name, Some("UserStrongAuthClientAuthNRequired"));
    assert!(e.link.ends_with("code=50076"));
    for q in ["aadsts50076", "50076", " 50076 ", "AadSts50076"] {
        assert_eq!(lookup(q).map(|e| e.code), Some("AADSTS50076"), "{q:?}");
    }
    let b = lookup("AADB2C90118").unwrap();
    assert_eq!((b.code, b.name), ("AADB2C90118", None));
    assert_eq!(lookup("aadb2c90118").map(|e| e.code), Some("AADB2C90118"));
    // A bare number is AADSTS, never B2C.
    assert_eq!(lookup("90006").map(|e| e.code), Some("AADSTS90006"));
    assert_eq!(lookup("90118"), None, "there is no AADSTS90118");
    for q in [
        "",
        "AADSTS",
        "50076x",
        "MSIS7012",
        "AADSTS-50076",
        "AADSTS5007６",
        "AADSTS99999999",
    ] {
        assert_eq!(lookup(q), None, "{q:?}");
    }
}

#[test]
fn normalize_upper_cases_and_prefixes_bare_digits() {
    assert_eq!(normalize("50143").as_deref(), Some("AADSTS50143"));
    assert_eq!(normalize("aadb2c90006").as_deref(), Some("AADB2C90006"));
    assert_eq!(normalize("AADSTS"), None);
    assert_eq!(normalize("generic"), None);
}

#[test]
fn bad_rows_are_typed_errors_with_their_lines() {
    let src = "code\tname\tmeaning\tlink\n\
        AADSTS2\t\tTwo; x\thttps://e.x/2\n\
        AADSTS1\t\tOne; x\thttps://e.x/1\n\
        AADSTS2\t\tAgain; x\thttps://e.x/2\n\
        aadsts3\t\tLower; x\thttps://e.x/3\n\
        AADSTS4\t\t\thttps://e.x/4\n\
        AADSTS5\t\tNo link; x\tftp://e.x\n\
        AADSTS6\tonly three\tfields\n\
        \n";
    let cat = parse(src);
    let lines: Vec<(usize, &str)> = cat
        .errors
        .iter()
        .map(|e| {
            let kind = match e {
                ParseError::Order { .. } => "order",
                ParseError::Duplicate { .. } => "duplicate",
                ParseError::Code { .. } => "code",
                ParseError::Meaning { .. } => "meaning",
                ParseError::Link { .. } => "link",
                ParseError::Fields { .. } => "fields",
                ParseError::Header { .. } | ParseError::Empty => "header",
            };
            (e.line(), kind)
        })
        .collect();
    assert_eq!(
        lines,
        [
            (3, "order"),
            (4, "duplicate"),
            (5, "code"),
            (6, "meaning"),
            (7, "link"),
            (8, "fields"),
            (9, "fields"),
        ]
    );
    // The rows that are fine are kept, the first of a duplicate among them.
    let codes: Vec<&str> = cat.entries.iter().map(|e| e.code).collect();
    assert_eq!(codes, ["AADSTS2", "AADSTS1"]);
    assert_eq!(cat.lookup("2").unwrap().meaning, "Two; x");
    // Messages say where and what to do.
    let msg = cat.errors[1].to_string();
    assert!(
        msg.starts_with("line 4: AADSTS2 is already on line 2"),
        "{msg}"
    );
    assert!(
        cat.errors[2]
            .to_string()
            .contains("AADSTS or AADB2C followed by digits")
    );
}

#[test]
fn a_wrong_or_missing_header_is_line_1() {
    let cat = parse("");
    assert_eq!(cat.errors, [ParseError::Empty]);
    let cat = parse("code,name,meaning,link\nAADSTS1\t\tOne; x\thttps://e.x/1\n");
    assert_eq!(cat.errors.len(), 1);
    assert_eq!(cat.errors[0].line(), 1);
    assert!(cat.errors[0].to_string().starts_with("line 1: the header"));
    assert_eq!(cat.entries.len(), 1, "the rows still count");
}

proptest::proptest! {
    /// Any text, however broken, parses to entries and errors without a panic; every error's
    /// line is a line of the text.
    #[test]
    fn parse_never_panics(src in "(?s).{0,400}", cut in 0usize..70_000) {
        let cat = parse(&src);
        let n = src.lines().count().max(1);
        proptest::prop_assert!(cat.errors.iter().all(|e| e.line() >= 1 && e.line() <= n));
        // A cut of the real file, too.
        let end = (0..=cut.min(SOURCE.len())).rev().find(|&i| SOURCE.is_char_boundary(i)).unwrap_or(0);
        let _ = parse(&SOURCE[..end]);
    }
}

/// An identifier-like word (`IdsLocked`, `UserStrongAuthClientAuthNRequired`): letters and
/// digits with a lower-case letter followed by an upper-case one somewhere.
fn looks_like_a_name(word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    w.iter().all(|c| c.is_ascii_alphanumeric() || *c == '_')
        && w.windows(2)
            .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase())
}

/// What in guide `g` disagrees with the catalogue: it is not a catalogued code (but
/// `generic`); the catalogue names the code and the guide lacks that alias; a name in its
/// aliases or title contradicts the catalogue's.
fn disagreements(g: &crate::guide::Guide) -> Vec<String> {
    let id = g.id.as_str();
    if id == "generic" {
        return Vec::new();
    }
    let Some(entry) = lookup(id) else {
        return vec![format!("{id} is not in the code catalogue")];
    };
    let mut out = Vec::new();
    if entry.code != id {
        out.push(format!("{id}: the catalogue spells it {}", entry.code));
    }
    let names: Vec<&str> = g
        .aliases
        .iter()
        .map(super::super::guide::name::Name::as_str)
        .filter(|a| !a.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let in_title: Vec<&str> = g
        .title
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| looks_like_a_name(w))
        .collect();
    match entry.name {
        Some(name) => {
            if !names.contains(&name) {
                out.push(format!(
                    "{id}: the catalogue names it {name}; add \"{name}\" to its aliases"
                ));
            }
            for other in names.iter().chain(&in_title).filter(|n| **n != name) {
                out.push(format!(
                    "{id}: \"{other}\" contradicts the catalogue's name {name}"
                ));
            }
        }
        // No name in the newest reference: an older name may stay as an alias (people still
        // search for it), and the title may only use such an alias.
        None => {
            for w in in_title.iter().filter(|w| !names.contains(w)) {
                out.push(format!(
                    "{id}: the title names {w}, which is neither the catalogue's name nor an alias"
                ));
            }
        }
    }
    out
}

/// Catalogue and guides agree, for every bundled guide.
#[test]
fn catalogue_and_bundled_guides_agree() {
    let lib = crate::guide::Library::load(&[]);
    assert_eq!(lib.guides.len(), crate::guide::load::BUNDLED.len());
    let problems: Vec<String> = lib
        .guides
        .iter()
        .flat_map(|e| disagreements(&e.guide))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    // Each guide but generic is a catalogued code.
    let coded = lib
        .guides
        .iter()
        .filter(|e| lookup(e.guide.id.as_str()).is_some())
        .count();
    assert_eq!(coded, lib.guides.len() - 1);
}

/// The check above finds what it looks for.
#[test]
fn disagreements_are_found() {
    let variant = |id: &str, title: &str, aliases: &str| {
        let src = crate::guide::load::REFERENCE_GUIDE
            .replace("id = \"AADSTS50143\"", &format!("id = \"{id}\""))
            .replace(
                "title = \"Session mismatch\"",
                &format!("title = \"{title}\""),
            )
            .replace("aliases = [\"50143\"]", &format!("aliases = [{aliases}]"));
        crate::guide::parse("x.toml", &src).unwrap().0
    };
    let good = variant(
        "AADSTS50076",
        "MFA required (UserStrongAuthClientAuthNRequired)",
        "\"50076\", \"UserStrongAuthClientAuthNRequired\"",
    );
    assert_eq!(disagreements(&good), Vec::<String>::new());
    let missing = variant("AADSTS50076", "MFA required", "\"50076\"");
    assert_eq!(
        disagreements(&missing).len(),
        1,
        "{:?}",
        disagreements(&missing)
    );
    assert!(disagreements(&missing)[0].contains("add \"UserStrongAuthClientAuthNRequired\""));
    let wrong = variant(
        "AADSTS50076",
        "MFA required (StrongAuthNeeded)",
        "\"UserStrongAuthClientAuthNRequired\", \"MfaRequired\"",
    );
    let d = disagreements(&wrong);
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(
        d.iter().any(|m| m.contains("\"MfaRequired\" contradicts")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|m| m.contains("\"StrongAuthNeeded\" contradicts")),
        "{d:?}"
    );
    let unnamed = variant(
        "AADSTS50143",
        "Session mismatch (SessionMismatch)",
        "\"50143\"",
    );
    assert_eq!(disagreements(&unnamed).len(), 1);
    let unknown = variant("AADSTS1", "Nothing", "");
    assert_eq!(
        disagreements(&unknown),
        ["AADSTS1 is not in the code catalogue"]
    );
}
