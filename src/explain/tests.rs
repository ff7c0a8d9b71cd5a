use super::*;
use crate::guide::{Library, Origin};

fn run_explain(cat: &Catalog, code: &str, json: bool) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let rc = explain(cat, code, json, &mut out, &mut err);
    (
        rc,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn bundled() -> Catalog {
    Catalog::scan(&[], None)
}

/// Every catalogue entry, through `explain`: its code, name, meaning and link are printed, and
/// the guide of that code is named when there is one.
#[test]
fn every_catalogue_entry_is_explained() {
    let cat = bundled();
    let mut with_guide = 0;
    for e in codes::all() {
        for query in [e.code.to_owned(), e.code.to_ascii_lowercase()] {
            let (rc, out, err) = run_explain(&cat, &query, false);
            assert_eq!(rc, EXIT_OK, "{query}: {err}");
            assert!(err.is_empty(), "{query}: {err}");
            let first = out.lines().next().unwrap_or_default();
            assert_eq!(
                first,
                match e.name {
                    Some(n) => format!("{}  {n}", e.code),
                    None => e.code.to_owned(),
                },
                "{out}"
            );
            assert!(
                out.contains(&format!("\nmeaning: {}\n", e.meaning)),
                "{out}"
            );
            assert!(out.contains(&format!("\nlink:    {}\n", e.link)), "{out}");
            match cat.find(e.code) {
                Some(i) => {
                    let id = &cat.items[i].meta.id;
                    assert!(out.contains(&format!("`tshoot {id}` opens it")), "{out}");
                    if query == e.code {
                        with_guide += 1;
                    }
                }
                None => assert!(
                    out.contains("guide:   none yet. `tshoot generic` opens the generic guide")
                        && out.contains(&format!(
                            "`tshoot new {} -o {}.toml` scaffolds one",
                            e.code,
                            e.code.to_ascii_lowercase()
                        )),
                    "{out}"
                ),
            }
        }
        let (rc, out, _) = run_explain(&cat, e.code, true);
        assert_eq!(rc, EXIT_OK);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["code"], e.code);
        assert_eq!(v["known"], true);
        assert_eq!(v["meaning"], e.meaning);
        assert_eq!(v["link"], e.link);
        assert_eq!(v["name"], serde_json::json!(e.name));
        assert!(v.get("error").is_none());
    }
    // Every bundled guide but generic was named by its code.
    assert_eq!(with_guide, crate::guide::load::BUNDLED.len() - 1);
}

#[test]
fn a_code_with_a_guide_names_it() {
    let (rc, out, _) = run_explain(&bundled(), "50076", false);
    assert_eq!(rc, EXIT_OK);
    assert_eq!(
        out,
        "AADSTS50076  UserStrongAuthClientAuthNRequired\n\
         meaning: Policy (Conditional Access, per-user MFA or a new location) now demands MFA; app sends a new interactive request, user does MFA\n\
         link:    https://login.microsoftonline.com/error?code=50076\n\
         guide:   AADSTS50076 \"MFA required for this resource\" (<bundled>/aadsts50076.toml): `tshoot AADSTS50076` opens it\n"
    );
    let (_, out, _) = run_explain(&bundled(), "AADSTS50076", true);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["guide"]["id"], "AADSTS50076");
    assert_eq!(v["guide"]["source"], "<bundled>/aadsts50076.toml");
}

#[test]
fn an_error_name_is_looked_up_too() {
    let (rc, out, _) = run_explain(&bundled(), "blockedbyconditionalaccess", false);
    assert_eq!(rc, EXIT_OK);
    assert!(
        out.starts_with("AADSTS53003  BlockedByConditionalAccess\n"),
        "{out}"
    );
}

#[test]
fn an_unknown_code_says_so_and_exits_1() {
    let (rc, out, err) = run_explain(&bundled(), "AADSTS99999999", false);
    assert_eq!(rc, EXIT_PROBLEMS);
    assert!(
        err.starts_with("tshoot: AADSTS99999999 is not in the code catalogue"),
        "{err}"
    );
    assert!(out.contains("guide:   none yet."), "{out}");
    assert!(
        out.contains("https://login.microsoftonline.com/error?code=99999999"),
        "{out}"
    );
    // Bare digits are AADSTS; when only the B2C code exists, it is suggested.
    let (rc, _, err) = run_explain(&bundled(), "90118", false);
    assert_eq!(rc, EXIT_PROBLEMS);
    assert!(err.contains("AADSTS90118 is not in"), "{err}");
    assert!(err.contains("did you mean AADB2C90118?"), "{err}");
    // JSON: one object on standard output, nothing on standard error.
    let (rc, out, err) = run_explain(&bundled(), "aadb2c1", true);
    assert_eq!(rc, EXIT_PROBLEMS);
    assert!(err.is_empty(), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["code"], "AADB2C1");
    assert_eq!(v["known"], false);
    assert!(v["meaning"].is_null() && v["guide"].is_null());
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("not in the code catalogue")
    );
}

#[test]
fn not_a_code_is_a_usage_error() {
    for q in ["hello", "", "AADSTS", "\u{1b}[2J50076"] {
        let (rc, out, err) = run_explain(&bundled(), q, false);
        assert_eq!(rc, EXIT_USAGE, "{q:?}");
        assert!(out.is_empty(), "{q:?}: {out}");
        assert!(err.contains("is not an error code"), "{err}");
        assert!(!err.contains('\u{1b}'), "escaped: {err:?}");
    }
    let (rc, out, _) = run_explain(&bundled(), "hello", true);
    assert_eq!(rc, EXIT_USAGE);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["known"], false);
}

/// A guide from the user's folder counts, even for a code the catalogue lacks.
#[test]
fn a_loaded_guide_covers_an_uncatalogued_code() {
    let src = crate::guide::load::REFERENCE_GUIDE
        .replace("id = \"AADSTS50143\"", "id = \"AADSTS99999999\"")
        .replace("aliases = [\"50143\"]", "aliases = []");
    let mut lib = Library::default();
    lib.add(Origin::File("/team/aadsts99999999.toml".into()), &src);
    let cat = Catalog::from_library(&lib);
    let (rc, out, _) = run_explain(&cat, "99999999", false);
    assert_eq!(rc, EXIT_PROBLEMS);
    assert!(
        out.contains("guide:   AADSTS99999999 \"Session mismatch\" (/team/aadsts99999999.toml)"),
        "{out}"
    );
    // No generic guide loaded: it is not offered.
    let (_, out, _) = run_explain(&cat, "AADSTS50076", false);
    assert!(
        out.contains("guide:   none yet. `tshoot new AADSTS50076"),
        "{out}"
    );
    assert!(!out.contains("generic"), "{out}");
}
