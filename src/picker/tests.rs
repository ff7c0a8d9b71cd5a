use super::*;
use crate::guide::{Library, Origin};

/// Two guides (the reference guide and a variant of it) and a broken file: small enough
/// to name every row.
fn lib() -> Catalog {
    let mut lib = Library::default();
    let base = crate::guide::load::REFERENCE_GUIDE;
    lib.add(Origin::Bundled("aadsts50143.toml"), base);
    let other = base
        .replace("id = \"AADSTS50143\"", "id = \"AADSTS50058\"")
        .replace("aliases = [\"50143\"]", "aliases = [\"50058\"]")
        .replace(
            "title = \"Session mismatch\"",
            "title = \"Silent sign-in failed\"",
        );
    lib.add(Origin::Bundled("other.toml"), &other);
    lib.add(Origin::Bundled("broken.toml"), "format = 1\nid = 3");
    Catalog::from_library(&lib)
}

#[test]
fn empty_query_lists_all_with_failures_last() {
    let l = lib();
    let p = Picker::new(&l);
    assert_eq!(
        p.items,
        vec![Item::Guide(0), Item::Guide(1), Item::Failed(0)]
    );
}

#[test]
fn typing_the_number_finds_the_guide() {
    let l = lib();
    let mut p = Picker::new(&l);
    for c in "50143".chars() {
        p.type_char(&l, c);
    }
    assert_eq!(p.selected(), Some(Item::Guide(0)));
    assert!(!p.items.contains(&Item::Guide(1)));
    p.set_query(&l, "silent");
    assert_eq!(p.items, vec![Item::Guide(1)]);
    p.set_query(&l, "brok");
    assert_eq!(p.items, vec![Item::Failed(0)]);
    p.set_query(&l, "sesn mismtch");
    assert_eq!(p.selected(), Some(Item::Guide(0)), "fuzzy");
}

#[test]
fn erase_and_move_stay_in_bounds() {
    let l = lib();
    let mut p = Picker::new(&l);
    p.erase(&l);
    p.move_by(-5);
    assert_eq!(p.selection, 0);
    p.move_by(99);
    assert_eq!(p.selection, 2);
    p.set_query(&l, "zzzzqqq");
    p.move_by(1);
    assert_eq!(p.selected(), None);
    p.set_query(&l, "aad sts");
    p.erase_word(&l);
    assert_eq!(p.query, "aad ");
}

/// A catalog of `n` guides AAD0.. titled "Session mismatch variant N", without files.
fn many(n: usize) -> Catalog {
    let mut cat = Catalog::default();
    cat.items = (0..n)
        .map(|i| crate::guide::catalog::Item {
            origin: Origin::Bundled("x.toml"),
            meta: crate::guide::catalog::Meta {
                id: format!("AAD{i}"),
                title: format!("Session mismatch variant {i}"),
                aliases: vec![format!("{}", 90_000 + i)],
                tags: vec!["sign-in".into()],
            },
        })
        .collect();
    cat
}

#[test]
fn the_exact_id_comes_first_then_words_then_fuzzy_matches() {
    let cat = many(3000);
    let mut p = Picker::new(&cat);
    for c in "aad4".chars() {
        p.type_char(&cat, c);
    }
    assert_eq!(p.items[0], Item::Guide(4), "the exact id first");
    // Then AAD40-49 and AAD400-499 (the words as they are), then fuzzy matches.
    let id = |it: &Item| match *it {
        Item::Guide(i) => cat.items[i].meta.id.clone(),
        _ => String::new(),
    };
    assert!(p.items[..111].iter().all(|it| id(it).starts_with("AAD4")));
    assert!(p.items[111..].iter().all(|it| !id(it).starts_with("AAD4")));
    p.set_query(&cat, "90042");
    assert_eq!(p.selected(), Some(Item::Guide(42)), "by alias");
    // A typo matches every guide fuzzily: more than the optimal matcher takes, so the
    // greedy one ranks them, on two threads; nothing is lost either way.
    p.set_query(&cat, "");
    for c in "sesn mismtch".chars() {
        p.type_char(&cat, c);
        assert_eq!(p.items.len(), 3000, "{}", p.query);
    }
    for c in " variant 2999".chars() {
        p.type_char(&cat, c);
    }
    assert_eq!(p.selected(), Some(Item::Guide(2999)));
    // Tags are searched as words, not fuzzily.
    p.set_query(&cat, "sign-in");
    assert_eq!(p.items.len(), 3000);
    p.set_query(&cat, "sgn-in");
    assert!(p.items.is_empty());
}

fn ids(cat: &Catalog, p: &Picker) -> Vec<String> {
    p.items
        .iter()
        .map(|it| match *it {
            Item::Guide(i) => cat.items[i].meta.id.clone(),
            Item::Session(i) => format!("session {i}"),
            Item::Failed(i) => format!("failed {i}"),
            Item::Candidate(k) => format!("candidate {k}"),
        })
        .collect()
}

#[test]
fn candidates_of_a_paste_come_first_for_any_query_and_go_when_cleared() {
    let cat = Catalog::from_library(&crate::guide::Library::load(&[]));
    let mut p = Picker::new(&cat);
    let before = p.items.clone();
    p.set_candidates(&cat, 2);
    assert_eq!(p.items[..2], [Item::Candidate(0), Item::Candidate(1)]);
    assert_eq!(p.items[2..], before[..]);
    assert_eq!(p.selected(), Some(Item::Candidate(0)));
    p.set_query(&cat, "50143");
    assert_eq!(
        ids(&cat, &p)[..3],
        ["candidate 0", "candidate 1", "AADSTS50143"]
    );
    p.set_candidates(&cat, 0);
    assert_eq!(p.candidates(), 0);
    assert_eq!(ids(&cat, &p)[0], "AADSTS50143");
}

#[test]
fn a_hash_word_filters_by_tag() {
    let cat = Catalog::scan(&[], None);
    let mut p = Picker::new(&cat);
    for c in "#mfa".chars() {
        p.type_char(&cat, c);
    }
    let mfa = ["AADSTS50074", "AADSTS50076", "AADSTS50079", "AADSTS90072"];
    assert_eq!(ids(&cat, &p), mfa, "library order");
    p.set_query(&cat, "tag:MFA");
    assert_eq!(ids(&cat, &p), mfa, "tag: and any case");
    // A tag's beginning already filters, as one types.
    p.set_query(&cat, "#conditional-acc");
    assert_eq!(
        ids(&cat, &p),
        ["AADSTS50076", "AADSTS50079", "AADSTS53000", "AADSTS53003"]
    );
    // Two tags: guides with both; other words are searched among them.
    p.set_query(&cat, "#mfa #device");
    assert_eq!(ids(&cat, &p), ["AADSTS50074"]);
    p.set_query(&cat, "#mfa registration");
    assert_eq!(ids(&cat, &p)[0], "AADSTS50079");
    p.set_query(&cat, "registration #mfa");
    assert_eq!(
        ids(&cat, &p)[0],
        "AADSTS50079",
        "the tag word may come anywhere"
    );
    p.set_query(&cat, "#mfa 50076");
    assert_eq!(
        p.selected(),
        Some(Item::Guide(cat.find("AADSTS50076").unwrap()))
    );
    // A bare marker filters nothing yet; an unknown tag matches nothing.
    p.set_query(&cat, "#");
    assert_eq!(p.items.len(), cat.items.len());
    p.set_query(&cat, "#nope");
    assert!(p.items.is_empty());
    // Erasing back to a plain query searches as before (no narrowing from the tag results).
    p.set_query(&cat, "#b2c");
    assert_eq!(ids(&cat, &p), ["AADB2C90006", "AADB2C90080", "AADB2C90118"]);
    p.set_query(&cat, "b2c");
    let plain = ids(&cat, &p);
    let mut fresh = Picker::new(&cat);
    fresh.set_query(&cat, "b2c");
    assert_eq!(plain, ids(&cat, &fresh));
}

#[test]
fn tag_words_are_read_from_the_query() {
    assert_eq!(tag_filters("50076"), None);
    assert_eq!(tag_filters("mfa required"), None);
    assert_eq!(
        tag_filters(" #MFA  required tag:Device "),
        Some((vec!["mfa".into(), "device".into()], "required".into()))
    );
    assert_eq!(tag_filters("#"), Some((vec![], String::new())));
    assert_eq!(tag_filters("tag:"), Some((vec![], String::new())));
    assert_eq!(tag_filters("tagline"), None);
    assert_eq!(tag_filters("ta"), None);
    assert_eq!(tag_filters("é#x"), None, "a # inside a word is not a tag");
}

#[test]
fn row_hints_leave_out_the_tags_every_guide_has() {
    let cat = Catalog::scan(&[], None);
    let p = Picker::new(&cat);
    let i = cat.find("AADSTS50076").unwrap();
    assert_eq!(
        p.distinctive_tags(i).collect::<Vec<_>>(),
        ["mfa", "conditional-access", "client-app"]
    );
    // One guide: nothing is common to "every other" guide, so all its tags show.
    let one = many(1);
    let p = Picker::new(&one);
    assert_eq!(p.distinctive_tags(0).collect::<Vec<_>>(), ["sign-in"]);
    assert_eq!(p.distinctive_tags(5).count(), 0, "out of range");
}
