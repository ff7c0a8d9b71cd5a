use super::*;
use crate::guide::load::REFERENCE_GUIDE;

fn guide(id: &str, title: &str) -> String {
    REFERENCE_GUIDE
        .replace("id = \"AADSTS50143\"", &format!("id = \"{id}\""))
        .replace("aliases = [\"50143\"]", "aliases = []")
        .replace(
            "title = \"Session mismatch\"",
            &format!("title = \"{title}\""),
        )
}

#[test]
fn the_index_is_used_and_refreshed_by_size_and_mtime() {
    let lib = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(lib.path().join("a.toml"), guide("A1", "First")).unwrap();
    std::fs::write(lib.path().join("b.toml"), guide("B2", "Second")).unwrap();
    std::fs::write(lib.path().join("bad.toml"), "format = 1\nid = ").unwrap();
    let folders = [Folder {
        path: lib.path().into(),
        explicit: true,
    }];
    let c1 = Catalog::scan(&folders, Some(cache.path()));
    assert_eq!(c1.parsed, 3);
    assert_eq!(c1.items.len(), BUNDLED.len() + 2); // bundled + 2
    assert_eq!(c1.broken.len(), 1);
    assert!(
        c1.broken[0].summary.contains("bad.toml:2:"),
        "{}",
        c1.broken[0].summary
    );
    let c2 = Catalog::scan(&folders, Some(cache.path()));
    assert_eq!(c2.parsed, 0, "all from the index");
    assert_eq!(c2.items[c2.find("b2").unwrap()].meta.title, "Second");
    assert_eq!(c2.broken.len(), 1);
    // A changed file (different size) is parsed again, and opening it reads it afresh.
    std::fs::write(lib.path().join("b.toml"), guide("B2", "Second, revised")).unwrap();
    let c3 = Catalog::scan(&folders, Some(cache.path()));
    assert_eq!(c3.parsed, 1);
    let i = c3.find("B2").unwrap();
    assert_eq!(c3.items[i].meta.title, "Second, revised");
    assert_eq!(c3.load(i).unwrap().0.title, "Second, revised");
}

#[test]
fn a_damaged_index_is_rebuilt_and_overrides_are_told() {
    let lib = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(
        cache.path().join(INDEX_FILE),
        b"tshoot-index-v2\nnot an index",
    )
    .unwrap();
    std::fs::write(lib.path().join("x.toml"), guide("AADSTS50143", "Mine")).unwrap();
    let c = Catalog::scan(
        &[Folder {
            path: lib.path().into(),
            explicit: true,
        }],
        Some(cache.path()),
    );
    // The override takes the bundled guide's place: no new row.
    assert_eq!(c.items.len(), BUNDLED.len());
    let i = c.find("aadsts50143").unwrap();
    assert_eq!(c.items[i].meta.title, "Mine");
    assert!(matches!(c.items[i].origin, Origin::File(_)));
    assert!(c.notices.iter().any(|n| n.contains("overrides")));
    assert!(decode_index(&std::fs::read(cache.path().join(INDEX_FILE)).unwrap()).is_some());
    assert_eq!(c.find("50143"), None, "the override has no alias");
}

fn folder(dir: &Path) -> [Folder; 1] {
    [Folder {
        path: dir.into(),
        explicit: true,
    }]
}

/// The header reader gives what a full parse gives, or gives up: never other fields.
#[test]
fn the_header_reader_agrees_with_the_full_parse_or_gives_up() {
    let base = REFERENCE_GUIDE;
    let head = "format = 1\nid = \"AADSTS50143\"\ntitle = \"Session mismatch\"\n";
    let body = &base[base.find("[[link]]").unwrap()..];
    let full = |src: &str| summarize(parse("x.toml", src));
    // (header, whether the reader must read it: the plain forms guides use; for the rest it
    // may give up, but never give other fields than the full parse, nor list a guide whose
    // header the full parse refuses)
    let cases: &[(&str, bool)] = &[
        (head, true),
        (
            "# c\r\nformat = 1 # one\r\nid = 'AADSTS50143'\r\ntitle = 'Session \"mismatch\"'\r\n",
            true,
        ),
        (
            &format!("{head}aliases = [\n  \"50143\", # the number\n  'x-1',\n]\ntags = []\n"),
            true,
        ),
        (
            &format!(
                "{head}summary = \"\"\"\nA \\\"\"\" quote\nand ''' a line \\\n\"\"\"\"\"\nrevision = '''\n2'''\n"
            ),
            true,
        ),
        (
            &format!("{head}summary = \"a \\\\\" # c\nrevision = \"\"\n"),
            true,
        ),
        (&format!("{head}tags = [\"a\",\"b\"]\naliases=[]\n"), true),
        // Forms the reader may leave to the full parse, and headers that parse refuses.
        (
            "format = 1\nid = \"AADSTS50143\"\ntitle = \"Session \\u006Dismatch\"\n",
            false,
        ),
        (
            "format = 1\nid = \"AADSTS50143\"\ntitle = \"\"\"Session\"\"\"\n",
            false,
        ),
        (&format!("{head}guide.extra = 1\n"), false),
        (&format!("{head}\"tags\" = []\n"), false),
        (&format!("{head}title = \"Again\"\n"), false),
        (&format!("{head}colour = \"red\"\n"), false),
        (&format!("{head}tags = [\"a\", 3]\n"), false),
        (&format!("{head}tags = [[\"a\"]]\n"), false),
        (&format!("{head}summary = \"unclosed\n"), false),
        (&format!("{head}summary = \"\"\"x\"\"\"\"\"\"\n"), false),
        (
            "format = 2\nid = \"AADSTS50143\"\ntitle = \"Session mismatch\"\n",
            false,
        ),
        (
            "format = 01\nid = \"AADSTS50143\"\ntitle = \"Session mismatch\"\n",
            false,
        ),
        (
            "format = 1\nid = \"AAD STS\"\ntitle = \"Session mismatch\"\n",
            false,
        ),
        ("format = 1\nid = \"AADSTS50143\"\ntitle = \"  \"\n", false),
        ("format = 1\nid = \"AADSTS50143\"\ntitle = 3\n", false),
        ("format = 1\ntitle = \"Session mismatch\"\n", false),
        (
            "\u{feff}format = 1\nid = \"AADSTS50143\"\ntitle = \"Session mismatch\"\n",
            false,
        ),
        (
            "format = 1\nid = \"AADSTS50143\"\ntitle = \"Session\tmismatch\u{7}\"\n",
            false,
        ),
        ("format = 1\nid = \"AADSTS50143\" title = \"x\"\n", false),
        (
            "format = 1\nid = \"AADSTS\u{200b}50143\"\ntitle = \"Session mismatch\"\n",
            false,
        ),
    ];
    for (header, must_read) in cases {
        let src = format!("{header}\n{body}");
        let quick = header_meta(&src);
        let full = full(&src);
        match quick {
            Some(m) => assert_eq!(Ok(m), full, "{header}"),
            None => assert!(!must_read, "{header}"),
        }
        if full.is_err() {
            assert!(header_meta(&src).is_none(), "{header}");
        }
    }
    assert_eq!(header_meta(base), full(base).ok(), "the bundled guide");
}

#[test]
fn a_guide_broken_below_its_header_is_listed_and_fails_when_opened() {
    let lib = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let path = lib.path().join("a.toml");
    std::fs::write(&path, guide("A1", "First")).unwrap();
    let folders = folder(lib.path());
    let c = Catalog::scan(&folders, Some(cache.path()));
    assert_eq!(c.parsed, 1);
    // Broken after indexing, in a step: the header still reads, the guide does not open.
    let broken = guide("A1", "First").replacen("[[step]]", "[[step]]\nnope = 1", 1);
    std::fs::write(&path, broken).unwrap();
    let c = Catalog::scan(&folders, Some(cache.path()));
    assert_eq!(c.parsed, 1, "changed size: read again");
    let i = c.find("A1").unwrap();
    let mut lib2 = crate::guide::Library::default();
    let err = c.ensure_loaded(i, &mut lib2).unwrap_err().to_string();
    assert!(err.contains("a.toml:") && err.contains("nope"), "{err}");
    assert!(lib2.guides.is_empty());
}

#[test]
fn a_change_that_keeps_the_size_is_seen_by_its_mtime() {
    let lib = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let path = lib.path().join("a.toml");
    std::fs::write(&path, guide("A1", "Title one")).unwrap();
    let folders = folder(lib.path());
    assert_eq!(Catalog::scan(&folders, Some(cache.path())).parsed, 1);
    std::fs::write(&path, guide("A1", "Title two")).unwrap();
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    let c = Catalog::scan(&folders, Some(cache.path()));
    assert_eq!(c.parsed, 1);
    assert_eq!(c.items[c.find("A1").unwrap()].meta.title, "Title two");
    // A removed file leaves the listing and the index.
    std::fs::remove_file(&path).unwrap();
    let c = Catalog::scan(&folders, Some(cache.path()));
    assert_eq!((c.items.len(), c.parsed), (BUNDLED.len(), 0));
    let index = std::fs::read(cache.path().join(INDEX_FILE)).unwrap();
    assert_eq!(decode_index(&index).unwrap().len(), 0);
}

#[test]
fn a_damaged_or_truncated_index_is_never_used() {
    let lib = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(lib.path().join("a.toml"), guide("A1", "First")).unwrap();
    let folders = folder(lib.path());
    Catalog::scan(&folders, Some(cache.path()));
    let path = cache.path().join(INDEX_FILE);
    let good = std::fs::read(&path).unwrap();
    assert!(decode_index(&good).is_some());
    for bad in [
        good[..good.len() - 1].to_vec(),
        good[..good.len() / 2].to_vec(),
        {
            // The title changed in place, the checksum not.
            let mut b = good.clone();
            let at = b.windows(5).position(|w| w == b"First").unwrap();
            b[at] = b'W';
            b
        },
        Vec::new(),
    ] {
        assert!(decode_index(&bad).is_none());
        std::fs::write(&path, &bad).unwrap();
        let c = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!(c.parsed, 1);
        assert_eq!(c.items[c.find("A1").unwrap()].meta.title, "First");
    }
}
