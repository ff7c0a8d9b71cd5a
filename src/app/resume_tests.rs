//! Resuming a saved case in the app (the TUI side): these tests drive `App::resume`, so they
//! live above the core and borrow the session tests' fixtures.

use crate::guide::Library;
use crate::guide::load::Origin;
use crate::session::export;
use crate::session::tests::{T3, changed_guide_src, full_session, guide, store};
use crate::wizard::Stage;

#[test]
fn a_case_resumes_under_a_changed_guide_with_stale_answers_shown() {
    let g = guide();
    let (_tmp, store) = store();
    let s = full_session(&g, "r-1");
    store.save(&s).unwrap();
    let loaded = store.find("r-1").unwrap();

    let mut lib = Library::default();
    lib.add(Origin::Bundled("aadsts50143.toml"), &changed_guide_src());
    assert!(lib.failures.is_empty(), "{:?}", lib.failures);
    let mut app = crate::app::App::new(
        lib,
        crate::keymap::KeyMap::default(),
        crate::theme::Theme::default(),
    );
    app.resume(loaded.clone()).unwrap();
    assert_eq!(app.screen, crate::app::Screen::Wizard);
    let status = app.status.clone().unwrap();
    assert!(!status.text.is_empty());
    assert!(
        status
            .text
            .contains("2 answer(s) no longer fit the changed guide"),
        "{status:?}"
    );
    let w = app.wiz.as_ref().unwrap();
    assert_eq!(w.wizard.case, s.case, "answers are kept, not dropped");
    assert_eq!(w.focus, Stage::Issues, "same stage");
    assert_eq!(w.sel[1], 2, "same selection");
    // The changed guide's export still holds every answer, with notes on the stale ones.
    let changed = &app.lib.guides[0].guide;
    let md = export::markdown(&loaded, Some(changed));
    assert!(md.contains("review-context"), "{md}");
    assert!(md.contains("no longer reads the same"), "{md}");
}

#[test]
fn resuming_under_the_same_guide_says_so_plainly() {
    let g = guide();
    let s = full_session(&g, "r-2");
    let mut app = crate::app::App::new(
        Library::load(&[]),
        crate::keymap::KeyMap::default(),
        crate::theme::Theme::default(),
    );
    app.resume(s).unwrap();
    let status = app.status.clone().unwrap();
    assert_eq!(status.text, "resumed case r-2");
    assert!(!status.error);
    // Nothing changed: the first save hands over the case as it was, times untouched.
    let saved = app.take_save().unwrap();
    assert_eq!(saved.updated, T3);
    assert!(app.take_save().is_none());
}

#[test]
fn a_case_whose_guide_is_gone_does_not_resume_but_says_how_to_export() {
    let g = guide();
    let s = full_session(&g, "r-3");
    let mut app = crate::app::App::new(
        Library::default(),
        crate::keymap::KeyMap::default(),
        crate::theme::Theme::default(),
    );
    let e = app.resume(s).unwrap_err().to_string();
    assert!(e.contains("tshoot export r-3"), "{e}");
}
