use super::*;

#[test]
fn bundled_guides_load_clean() {
    let lib = Library::load(&[]);
    assert!(lib.failures.is_empty(), "{:#?}", lib.failures);
    for e in &lib.guides {
        assert!(e.warnings.is_empty(), "{}: {:#?}", e.origin, e.warnings);
    }
    assert!(lib.find("aadsts50143").is_some());
    assert!(lib.find("50143").is_some());
    assert!(lib.find("nope").is_none());
}

#[test]
fn later_source_overrides_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let src = REFERENCE_GUIDE.replace("title = \"Session mismatch\"", "title = \"Overridden\"");
    std::fs::write(dir.path().join("x.toml"), src).unwrap();
    std::fs::write(dir.path().join("broken.toml"), "format = 1\nid = ").unwrap();
    let lib = Library::load(&[Folder {
        path: dir.path().into(),
        explicit: true,
    }]);
    // The override replaces the bundled guide of the same id: no new guide.
    assert_eq!(lib.guides.len(), BUNDLED.len());
    let e = lib.find("AADSTS50143").unwrap();
    assert_eq!(e.guide.title, "Overridden");
    assert!(matches!(e.origin, Origin::File(_)));
    assert!(
        lib.notices.iter().any(|n| n.contains("overrides")),
        "{:?}",
        lib.notices
    );
    assert_eq!(lib.failures.len(), 1);
    assert!(
        lib.failures[0].summary().contains("broken.toml:2:"),
        "{}",
        lib.failures[0].summary()
    );
}

#[test]
fn missing_explicit_folder_is_reported() {
    let lib = Library::load(&[Folder {
        path: "/nonexistent/tshoot".into(),
        explicit: true,
    }]);
    assert!(lib.notices.iter().any(|n| n.contains("does not exist")));
    assert_eq!(lib.guides.len(), BUNDLED.len());
}

/// Every `assets/guides/*.toml` is compiled in, and nothing else is: the test names the file
/// that is missing on either side.
#[test]
fn bundled_is_exactly_the_guide_folder() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/guides");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e == "toml")
                && !n.ends_with(".cases.toml")
        })
        .collect();
    on_disk.sort();
    let bundled: Vec<String> = BUNDLED.iter().map(|(n, _)| (*n).to_owned()).collect();
    for n in &on_disk {
        assert!(
            bundled.contains(n),
            "assets/guides/{n} is not in BUNDLED (src/guide/load/mod.rs)"
        );
    }
    for n in &bundled {
        assert!(
            on_disk.contains(n),
            "BUNDLED names {n}, which is not a file in assets/guides"
        );
    }
    let mut sorted = bundled.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(bundled, sorted, "BUNDLED is in file name order, once each");
    // Each entry holds its own file (not a neighbour's, after a copy and paste).
    for (name, src) in BUNDLED {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(
            text == *src,
            "BUNDLED entry {name} holds another file's text"
        );
    }
    assert!(REFERENCE_GUIDE.contains("id = \"AADSTS50143\""));
}

/// No two bundled guides answer to the same name: every id and alias (case-insensitive)
/// belongs to one guide. A bare number means the AADSTS code of that number (as in
/// `codes::lookup`): only the AADSTS guide of that number may claim it, so a B2C
/// guide never takes "90006" from AADSTS90006.
#[test]
fn no_two_bundled_guides_share_an_id_or_alias() {
    let lib = Library::load(&[]);
    assert_eq!(lib.guides.len(), BUNDLED.len(), "{:#?}", lib.failures);
    let mut owner: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for e in &lib.guides {
        let id = e.guide.id.as_str();
        let names =
            std::iter::once(id).chain(e.guide.aliases.iter().map(super::super::name::Name::as_str));
        for name in names {
            if let Some(other) = owner.insert(name.to_ascii_lowercase(), id) {
                panic!("\"{name}\" names both {other} and {id}");
            }
            if name.bytes().all(|b| b.is_ascii_digit()) {
                assert_eq!(
                    format!("AADSTS{name}"),
                    id,
                    "{id} claims the bare number {name}, which means AADSTS{name}"
                );
            }
        }
    }
    // And lookups resolve as documented.
    assert_eq!(
        lib.find("90072").map(|e| e.guide.id.as_str()),
        Some("AADSTS90072")
    );
    assert!(
        lib.find("90118").is_none(),
        "a bare number is never a B2C code"
    );
    assert_eq!(
        lib.find("aadb2c90118").map(|e| e.guide.id.as_str()),
        Some("AADB2C90118")
    );
}
