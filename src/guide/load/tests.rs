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
    let src = BUNDLED[0]
        .1
        .replace("title = \"Session mismatch\"", "title = \"Overridden\"");
    std::fs::write(dir.path().join("x.toml"), src).unwrap();
    std::fs::write(dir.path().join("broken.toml"), "format = 1\nid = ").unwrap();
    let lib = Library::load(&[Folder {
        path: dir.path().into(),
        explicit: true,
    }]);
    assert_eq!(lib.guides.len(), 1);
    assert_eq!(lib.guides[0].guide.title, "Overridden");
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
