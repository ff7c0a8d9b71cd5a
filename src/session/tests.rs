//! Saved cases: the file (atomic, private, versioned), what happens to a file that cannot be
//! used, answer times, finding, listing, pruning, export, and resuming under a changed guide.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::*;
use crate::guide::load::BUNDLED;
use crate::guide::{Guide, parse};
use crate::wizard::{Act, Case, Mark, Outcome, Stage, State};

const T0: &str = "2026-01-02T03:04:05Z";
const T1: &str = "2026-01-02T03:05:00Z";
const T2: &str = "2026-01-02T03:06:00Z";
pub(crate) const T3: &str = "2026-01-02T03:07:00Z";
const T4: &str = "2026-01-02T03:08:00Z";

fn guide_src() -> &'static str {
    BUNDLED
        .iter()
        .find(|(name, _)| *name == "aadsts50143.toml")
        .expect("bundled AADSTS50143")
        .1
}

fn guide_from(src: &str) -> Guide {
    match parse("<test>/aadsts50143.toml", src) {
        Ok((g, _)) => g,
        Err(d) => panic!("guide does not parse: {d:?}"),
    }
}

pub(crate) fn guide() -> Guide {
    guide_from(guide_src())
}

pub(crate) fn store() -> (tempfile::TempDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store {
        dir: tmp.path().join("sessions"),
    };
    (tmp, store)
}

fn act(g: &Guide, case: &mut Case, a: &Act) {
    case.apply(g, a).unwrap_or_else(|e| panic!("{a:?}: {e}"));
}

/// A session with every kind of entry: three answers, marks, a ticked task, fields, notes.
pub(crate) fn full_session(g: &Guide, id: &str) -> Session {
    let mut s = Session::new(id.to_owned(), g, Case::new(g), T0);
    let mut c = s.case.clone();
    act(g, &mut c, &Act::Answer(0));
    s.sync(&c, View::default(), T1);
    act(g, &mut c, &Act::Answer(1));
    act(g, &mut c, &Act::Answer(1));
    s.sync(&c, View::default(), T2);
    act(
        g,
        &mut c,
        &Act::Mark("incorrect-domain-hint".into(), Some(Mark::Confirmed)),
    );
    act(
        g,
        &mut c,
        &Act::Mark("resource-misconfiguration".into(), Some(Mark::RuledOut)),
    );
    act(g, &mut c, &Act::Toggle("domain-verification".into(), 0));
    act(
        g,
        &mut c,
        &Act::SetField(
            "correlation_id".into(),
            "0a1b2c3d-1111-2222-3333-444455556666".into(),
        ),
    );
    act(
        g,
        &mut c,
        &Act::SetNotes("User switched tenants in one browser".into()),
    );
    s.sync(
        &c,
        View {
            focus: Stage::Issues,
            sel: [0, 2, 0, 0],
        },
        T3,
    );
    s
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

// ---------------------------------------------------------------------------------------------
// The file

#[test]
fn save_and_load_round_trip() {
    let g = guide();
    let (_tmp, store) = store();
    let s = full_session(&g, "20260102T030405Z-aadsts50143-0001");
    let path = store.save(&s).unwrap();
    assert_eq!(
        path,
        store.dir.join("20260102T030405Z-aadsts50143-0001.json")
    );
    let back = Store::load_file(&path).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.version, VERSION);
    let raw: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    assert_eq!(raw["version"], VERSION, "the format carries its version");
    // Saving again replaces the file.
    let mut s2 = s.clone();
    s2.case.notes = "second save".into();
    store.save(&s2).unwrap();
    assert_eq!(Store::load_file(&path).unwrap(), s2);
}

#[test]
fn files_are_0600_in_a_0700_folder_and_no_temporary_is_left() {
    let g = guide();
    let (_tmp, store) = store();
    let s = full_session(&g, "a-1");
    let path = store.save(&s).unwrap();
    assert_eq!(mode(&store.dir), 0o700);
    assert_eq!(mode(&path), 0o600);
    store.save(&s).unwrap();
    assert_eq!(names_in(&store.dir), ["a-1.json"], "no .tmp left behind");
}

#[test]
fn an_open_folder_is_tightened_and_an_open_file_replaced_private() {
    let g = guide();
    let (_tmp, store) = store();
    fs::create_dir_all(&store.dir).unwrap();
    fs::set_permissions(&store.dir, fs::Permissions::from_mode(0o755)).unwrap();
    let path = store.path_of("a-1");
    fs::write(&path, "{}").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    store.save(&full_session(&g, "a-1")).unwrap();
    assert_eq!(mode(&store.dir), 0o700);
    assert_eq!(mode(&path), 0o600);
}

#[test]
fn a_failed_save_says_where_and_keeps_nothing_half_written() {
    let g = guide();
    let (tmp, _) = store();
    // The store's folder cannot be created: a file is in the way.
    let blocker = tmp.path().join("file");
    fs::write(&blocker, "x").unwrap();
    let store = Store {
        dir: blocker.join("sessions"),
    };
    let e = store.save(&full_session(&g, "a-1")).unwrap_err();
    assert!(matches!(e, SessionError::Save { .. }), "{e:?}");
    assert!(e.to_string().contains(&*blocker.to_string_lossy()), "{e}");
}

#[test]
fn leftover_temporaries_of_killed_saves_are_cleared_when_old() {
    let g = guide();
    let (_tmp, store) = store();
    store.save(&full_session(&g, "a-1")).unwrap();
    let old = store.dir.join(".a-1.json.4242.tmp");
    let fresh = store.dir.join(".a-1.json.4343.tmp");
    fs::write(&old, "{\"half").unwrap();
    fs::write(&fresh, "{\"half").unwrap();
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let (ok, bad) = store.list().unwrap();
    assert_eq!(ok.len(), 1);
    assert!(bad.is_empty(), "a temporary is never taken for a session");
    assert!(!old.exists(), "an hour-old temporary is a killed save's");
    assert!(
        fresh.exists(),
        "a fresh one may belong to a save in progress"
    );
}

// ---------------------------------------------------------------------------------------------
// Files that cannot be used

/// Write `content` as session `id`, load it, and check the error names the file and the
/// moved-aside path, that the file was moved (same bytes), and that `list` still has `good`.
fn check_bad(name: &str, write: impl Fn(&Path)) -> SessionError {
    let g = guide();
    let (_tmp, store) = store();
    let good = full_session(&g, "good-1");
    store.save(&good).unwrap();
    let path = store.dir.join(format!("{name}.json"));
    write(&path);
    let before = fs::read(&path).ok();

    let e = Store::load_file(&path).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains(&*path.to_string_lossy()),
        "names the file: {msg}"
    );
    assert_eq!(e.file(), Some(&*path.to_string_lossy()));
    assert!(!path.exists(), "moved aside: {msg}");
    let moved: Vec<PathBuf> = fs::read_dir(&store.dir)
        .unwrap()
        .map(|x| x.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".unreadable-"))
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(
        moved[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(&format!("{name}.json.unreadable-")),
        "{moved:?}"
    );
    assert!(
        msg.contains(&*moved[0].to_string_lossy()),
        "names where it went: {msg}"
    );
    if let Some(before) = before {
        assert_eq!(
            fs::read(&moved[0]).unwrap(),
            before,
            "not changed, not deleted"
        );
    } else {
        assert!(moved[0].exists());
    }

    // Another bad file of the same kind: `list` reports it and still returns the good one.
    write(&path);
    let (ok, bad) = store.list().unwrap();
    assert_eq!(ok, vec![good]);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(!path.exists());
    let (ok, bad) = store.list().unwrap();
    assert_eq!(ok.len(), 1);
    assert!(bad.is_empty(), "moved-aside files are not read again");
    e
}

#[test]
fn corrupt_json_is_reported_and_moved_aside() {
    let e = check_bad("corrupt", |p| fs::write(p, "{ this is not json").unwrap());
    assert!(matches!(e, SessionError::Corrupt { .. }), "{e:?}");
    assert!(e.to_string().contains("damaged"), "{e}");
}

#[test]
fn a_truncated_file_is_reported_and_moved_aside() {
    let g = guide();
    let json = serde_json::to_vec_pretty(&full_session(&g, "t-1")).unwrap();
    let e = check_bad("truncated", |p| {
        fs::write(p, &json[..json.len() / 2]).unwrap();
    });
    assert!(matches!(e, SessionError::Corrupt { .. }), "{e:?}");
    let e = check_bad("empty", |p| fs::write(p, "").unwrap());
    assert!(matches!(e, SessionError::Corrupt { .. }), "{e:?}");
}

#[test]
fn wrong_types_are_reported_and_moved_aside() {
    let g = guide();
    let mut v = serde_json::to_value(full_session(&g, "w-1")).unwrap();
    v["case"]["trail"] = serde_json::json!(5);
    let e = check_bad("wrong-types", |p| fs::write(p, v.to_string()).unwrap());
    assert!(matches!(e, SessionError::Corrupt { .. }), "{e:?}");

    let mut v = serde_json::to_value(full_session(&g, "w-2")).unwrap();
    v["version"] = serde_json::json!("1");
    let e = check_bad("version-string", |p| fs::write(p, v.to_string()).unwrap());
    assert!(matches!(e, SessionError::Corrupt { .. }), "{e:?}");

    let e = check_bad("not-an-object", |p| fs::write(p, "[1, 2]").unwrap());
    assert!(matches!(e, SessionError::Corrupt { .. }), "{e:?}");

    let mut v = serde_json::to_value(full_session(&g, "w-3")).unwrap();
    v["answered_at"] = serde_json::json!([T0, T0, T0, T0, T0]);
    let e = check_bad("too-many-times", |p| fs::write(p, v.to_string()).unwrap());
    assert!(matches!(e, SessionError::Corrupt { .. }), "{e:?}");
}

#[test]
fn a_future_version_is_reported_and_moved_aside() {
    let g = guide();
    let mut v = serde_json::to_value(full_session(&g, "f-1")).unwrap();
    v["version"] = serde_json::json!(VERSION + 1);
    v["something_new"] = serde_json::json!({"x": 1});
    let e = check_bad("future", |p| fs::write(p, v.to_string()).unwrap());
    match &e {
        SessionError::Future { found, .. } => assert_eq!(*found, VERSION + 1),
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("newer tshoot"), "{e}");
}

#[test]
fn an_unreadable_path_is_reported_and_moved_aside() {
    // Root reads through permissions, so make `read` fail another way: a folder named x.json.
    let e = check_bad("unreadable", |p| fs::create_dir(p).unwrap());
    match &e {
        SessionError::Unreadable { source, .. } => {
            assert_ne!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_gone_between_listing_and_reading_is_no_problem() {
    let (_tmp, store) = store();
    fs::create_dir_all(&store.dir).unwrap();
    let e = Store::load_file(&store.path_of("gone")).unwrap_err();
    assert!(matches!(e, SessionError::Unreadable { .. }), "{e:?}");
    let (ok, bad) = store.list().unwrap();
    assert!(ok.is_empty() && bad.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Answer times

#[test]
fn sync_stamps_new_answers_and_restamps_after_going_back() {
    let g = guide();
    let mut s = Session::new("s-1".into(), &g, Case::new(&g), T0);
    let mut c = s.case.clone();
    act(&g, &mut c, &Act::Answer(0));
    s.sync(&c, View::default(), T1);
    assert_eq!(s.answered_at, [T1]);
    act(&g, &mut c, &Act::Answer(1));
    s.sync(&c, View::default(), T2);
    assert_eq!(s.answered_at, [T1, T2]);
    assert_eq!(s.updated, T2);
    assert_eq!(s.started, T0);

    // A change that is not an answer keeps the times.
    act(&g, &mut c, &Act::SetNotes("n".into()));
    s.sync(&c, View::default(), T3);
    assert_eq!(s.answered_at, [T1, T2]);
    assert_eq!(s.updated, T3);

    // Back drops the time; the new answer gets its own.
    act(&g, &mut c, &Act::Back);
    s.sync(&c, View::default(), T3);
    assert_eq!(s.answered_at, [T1]);
    act(&g, &mut c, &Act::Answer(2));
    s.sync(&c, View::default(), "2026-01-02T04:00:00Z");
    assert_eq!(s.answered_at, [T1, "2026-01-02T04:00:00Z"]);

    // Back and a different answer between two syncs: the replaced answer is re-stamped.
    act(&g, &mut c, &Act::Back);
    act(&g, &mut c, &Act::Answer(3));
    s.sync(&c, View::default(), "2026-01-02T05:00:00Z");
    assert_eq!(s.answered_at, [T1, "2026-01-02T05:00:00Z"]);
    assert_eq!(s.answered_at.len(), s.case.trail.len());
}

#[test]
fn sync_takes_the_view() {
    let g = guide();
    let mut s = Session::new("s-1".into(), &g, Case::new(&g), T0);
    let view = View {
        focus: Stage::Ticket,
        sel: [1, 2, 3, 4],
    };
    s.sync(&s.case.clone(), view, T1);
    assert_eq!(s.view, view);
}

// ---------------------------------------------------------------------------------------------
// Finding, listing, pruning

fn save_as(store: &Store, g: &Guide, id: &str, updated: &str, outcome: Outcome) -> Session {
    let mut s = Session::new(id.to_owned(), g, Case::new(g), T0);
    s.case.outcome = outcome;
    s.updated = updated.to_owned();
    store.save(&s).unwrap();
    s
}

#[test]
fn find_by_exact_id_and_unique_prefix() {
    let g = guide();
    let (_tmp, store) = store();
    let a = save_as(&store, &g, "20260101T000000Z-x-aaaa", T1, Outcome::Open);
    let b = save_as(&store, &g, "20260101T000000Z-x-aaab", T2, Outcome::Open);
    let c = save_as(&store, &g, "20260101T000000Z-x", T0, Outcome::Open);
    assert_eq!(store.find(&a.id).unwrap(), a);
    assert_eq!(store.find("20260101T000000Z-x-aaab").unwrap(), b);
    // An exact id wins over being a prefix of others.
    assert_eq!(store.find("20260101T000000Z-x").unwrap(), c);
    assert_eq!(store.find("20260101T000000Z-x-aaaa").unwrap(), a);
    match store.find("20260101T000000Z-x-aa") {
        Err(SessionError::Ambiguous(id, which)) => {
            assert_eq!(id, "20260101T000000Z-x-aa");
            assert!(which.contains(&a.id) && which.contains(&b.id), "{which}");
        }
        other => panic!("{other:?}"),
    }
    let single = tempfile::tempdir().unwrap();
    let store2 = Store {
        dir: single.path().to_owned(),
    };
    let only = save_as(&store2, &g, "20260303T000000Z-y-0001", T1, Outcome::Open);
    assert_eq!(store2.find("20260303").unwrap(), only);
    assert!(matches!(
        store.find("nothing-like-it"),
        Err(SessionError::NotFound(_))
    ));
}

#[test]
fn find_does_not_leave_the_store() {
    let g = guide();
    let (tmp, store) = store();
    save_as(&store, &g, "a-1", T1, Outcome::Open);
    // A file beside the store that is not a session: `find("../outside")` must not touch it.
    let outside = tmp.path().join("outside.json");
    fs::write(&outside, "not a session").unwrap();
    assert!(matches!(
        store.find("../outside"),
        Err(SessionError::NotFound(_))
    ));
    assert_eq!(fs::read_to_string(&outside).unwrap(), "not a session");
    assert!(matches!(
        store.find(""),
        Err(SessionError::Ambiguous(..)) | Ok(_)
    ));
    assert!(outside.exists());
}

/// Save a case in state `state`, last changed (and, when closed, closed) at `updated`.
fn save_in(store: &Store, g: &Guide, id: &str, updated: &str, state: State) -> Session {
    let (outcome, sent, closed) = match state {
        State::Open => (Outcome::Open, false, false),
        State::Escalated => (Outcome::Escalated, false, false),
        State::TicketSent => (Outcome::Escalated, true, false),
        State::Resolved => (Outcome::Resolved, false, false),
        State::Closed => (Outcome::Resolved, false, true),
    };
    let mut s = save_as(store, g, id, updated, outcome);
    if sent {
        s.case.sent = Some(crate::wizard::Sent {
            at: updated.to_owned(),
            how: "copied via OSC 52".to_owned(),
        });
    }
    if closed {
        s.case.closed = Some(updated.to_owned());
    }
    store.save(&s).unwrap();
    assert_eq!(s.state(), state);
    s
}

#[test]
fn list_is_newest_first_and_latest_open_takes_escalated_cases_too() {
    let g = guide();
    let (_tmp, store) = store();
    assert_eq!(store.latest_open().unwrap(), None, "no folder yet: nothing");
    let old_open = save_in(&store, &g, "a-old", T0, State::Open);
    let open = save_in(&store, &g, "b-open", T1, State::Open);
    let resolved = save_in(&store, &g, "c-resolved", T2, State::Resolved);
    let escalated = save_in(&store, &g, "d-escalated", T3, State::Escalated);
    let (all, bad) = store.list().unwrap();
    assert!(bad.is_empty());
    let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, [&escalated.id, &resolved.id, &open.id, &old_open.id]);
    assert!(!resolved.is_closed() && !escalated.is_closed() && !open.is_closed());
    // Escalating is when the engineer still collects ids: the case stays resumable.
    assert_eq!(store.latest_open().unwrap(), Some(escalated.clone()));
    let closed = save_in(&store, &g, "e-closed", T4, State::Closed);
    assert!(closed.is_closed());
    assert_eq!(store.latest_open().unwrap(), Some(escalated));
}

#[test]
fn prune_deletes_only_closed_cases_at_or_before_the_cutoff() {
    let g = guide();
    let (_tmp, store) = store();
    save_in(&store, &g, "old-open", T0, State::Open);
    save_in(&store, &g, "old-resolved", T0, State::Resolved);
    save_in(&store, &g, "old-escalated", T0, State::Escalated);
    save_in(&store, &g, "old-sent", T0, State::TicketSent);
    save_in(&store, &g, "old-closed", T1, State::Closed);
    save_in(&store, &g, "new-closed", T3, State::Closed);
    let mut gone = store.prune(T1).unwrap();
    gone.sort();
    assert_eq!(gone, ["old-closed"]);
    let mut left: Vec<String> = store.list().unwrap().0.into_iter().map(|s| s.id).collect();
    left.sort();
    assert_eq!(
        left,
        [
            "new-closed",
            "old-escalated",
            "old-open",
            "old-resolved",
            "old-sent"
        ]
    );
    assert!(store.prune(T2).unwrap().is_empty());
}

#[test]
fn prune_zero_days_takes_a_case_closed_this_second() {
    let g = guide();
    let (_tmp, store) = store();
    let now = std::time::SystemTime::now();
    let stamp = crate::clock::utc_rfc3339(now);
    save_in(&store, &g, "just-closed", &stamp, State::Closed);
    save_in(&store, &g, "still-open", &stamp, State::Open);
    assert_eq!(store.prune(&days_ago(now, 0)).unwrap(), ["just-closed"]);
}

#[test]
fn a_resolved_case_of_format_2_reads_as_closed_and_an_escalated_one_as_escalated() {
    let g = guide();
    let mut s = Session::new("x-1".into(), &g, Case::new(&g), T0);
    s.updated = T2.to_owned();
    s.version = 2;
    s.case.outcome = Outcome::Resolved;
    let bytes = serde_json::to_vec(&s).unwrap();
    let read = Session::decode(&bytes).unwrap();
    assert_eq!(read.state(), State::Closed);
    assert_eq!(read.case.closed.as_deref(), Some(T2));
    s.case.outcome = Outcome::Escalated;
    let read = Session::decode(&serde_json::to_vec(&s).unwrap()).unwrap();
    assert_eq!(read.state(), State::Escalated);
    // Written by this build, a resolved case is resolved until the engineer closes it.
    s.version = VERSION;
    s.case.outcome = Outcome::Resolved;
    let read = Session::decode(&serde_json::to_vec(&s).unwrap()).unwrap();
    assert_eq!(read.state(), State::Resolved);
}

#[test]
fn find_takes_the_short_case_id() {
    let g = guide();
    let (_tmp, store) = store();
    let a = save_as(&store, &g, "20260101T000000Z-x-3f9a", T1, Outcome::Open);
    save_as(&store, &g, "20260101T000000Z-x-77b0", T1, Outcome::Open);
    assert_eq!(a.short_id(), "3f9a");
    assert_eq!(store.find("3f9a").unwrap(), a);
    assert!(matches!(store.find("3f9"), Err(SessionError::NotFound(_))));
}

#[test]
fn days_ago_counts_whole_days() {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(10 * 86_400 + 3_600);
    assert_eq!(days_ago(t, 0), "1970-01-11T01:00:00Z");
    assert_eq!(days_ago(t, 3), "1970-01-08T01:00:00Z");
    assert_eq!(days_ago(t, u64::MAX), "1970-01-01T00:00:00Z");
}

// ---------------------------------------------------------------------------------------------
// Export

#[test]
fn markdown_export_holds_the_whole_case() {
    let g = guide();
    let s = full_session(&g, "e-1");
    let md = export::markdown(&s, Some(&g));
    for want in [
        "# Case e-1: AADSTS50143 - Session mismatch",
        "revision 1",
        &format!("Started: {T0}"),
        &format!("Last change: {T3}"),
        "Status: open",
        // Each answered question, with its answer and time.
        &format!(
            "1. Verify User Sign-In: Is the sign-in coming from the correct domain or tenant? — **Yes, the expected tenant and domain** ({T1})"
        ),
        &format!(
            "2. Review Error Context: When does the error occur? — **After switching app, tenant or account in the same browser session** ({T2})"
        ),
        &format!(
            "3. Investigate Correlation ID: What does the sign-in log show for this Correlation ID? — **The domain hint names a different tenant than the user's** ({T2})"
        ),
        // Issues: confirmed, ruled out, suspected.
        "- Incorrect Domain Hint: confirmed",
        "- Resource Misconfiguration: ruled out",
        "- Session Information Mismatch: suspected",
        // Checklist, done and not done.
        "- User's Domain Verification (1/1)",
        "  - [x] Request the user to verify",
        "  - [ ] Prompt the user to sign out",
        // Ticket fields and notes.
        "- Correlation ID: 0a1b2c3d-1111-2222-3333-444455556666",
        "- Request ID: (not provided)",
        "- Error Code: AADSTS50143",
        "## Notes\n\nUser switched tenants in one browser",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    assert!(!md.contains("no longer loaded"));
}

#[test]
fn json_export_holds_the_whole_case() {
    let g = guide();
    let s = full_session(&g, "e-1");
    let v = export::json(&s, Some(&g));
    assert_eq!(v["id"], "e-1");
    assert_eq!(v["guide"]["id"], "AADSTS50143");
    assert_eq!(v["guide"]["title"], "Session mismatch");
    assert_eq!(v["guide"]["revision"], "1");
    assert_eq!(v["guide"]["loaded"], true);
    assert_eq!(v["started"], T0);
    assert_eq!(v["updated"], T3);
    assert_eq!(v["status"], "open");
    let answers = v["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 3);
    assert_eq!(answers[0]["step"], "verify-sign-in");
    assert_eq!(answers[0]["title"], "Verify User Sign-In");
    assert_eq!(
        answers[0]["question"],
        "Is the sign-in coming from the correct domain or tenant?"
    );
    assert_eq!(answers[0]["answer"], "Yes, the expected tenant and domain");
    assert_eq!(answers[0]["at"], T1);
    assert_eq!(answers[2]["at"], T2);
    let issue = |id: &str| {
        v["issues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("issue {id}"))
            .clone()
    };
    assert_eq!(issue("incorrect-domain-hint")["mark"], "confirmed");
    assert_eq!(issue("resource-misconfiguration")["mark"], "ruled-out");
    assert_eq!(issue("session-information-mismatch")["suspected"], true);
    assert_eq!(
        issue("session-information-mismatch")["mark"],
        serde_json::Value::Null
    );
    let res = |id: &str| {
        v["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("resolution {id}"))
            .clone()
    };
    assert_eq!(res("domain-verification")["tasks"][0]["done"], true);
    assert_eq!(res("force-reauthentication")["tasks"][0]["done"], false);
    assert_eq!(
        v["fields"]["correlation_id"],
        "0a1b2c3d-1111-2222-3333-444455556666"
    );
    assert_eq!(v["fields"]["error_code"], "AADSTS50143");
    assert_eq!(v["notes"], "User switched tenants in one browser");
}

#[test]
fn export_works_without_the_guide() {
    let g = guide();
    let s = full_session(&g, "e-1");
    let md = export::markdown(&s, None);
    for want in [
        "# Case e-1: AADSTS50143 - Session mismatch",
        "revision 1",
        "no longer loaded",
        &format!("1. verify-sign-in — **Yes, the expected tenant and domain** ({T1})"),
        "- incorrect-domain-hint: confirmed",
        "- resource-misconfiguration: ruled out",
        "- domain-verification task 1",
        "- correlation_id: 0a1b2c3d-1111-2222-3333-444455556666",
        "User switched tenants in one browser",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    let v = export::json(&s, None);
    assert_eq!(v["guide"]["loaded"], false);
    assert_eq!(v["guide"]["title"], "Session mismatch");
    assert_eq!(v["answers"][1]["answer"], s.case.trail[1].label);
    assert_eq!(v["answers"][1]["question"], serde_json::Value::Null);
    assert_eq!(v["marks"]["incorrect-domain-hint"], "confirmed");
    assert_eq!(v["done"][0][0], "domain-verification");
    assert_eq!(v["notes"], "User switched tenants in one browser");
}

// ---------------------------------------------------------------------------------------------
// Resuming under a changed guide

/// The bundled guide with the second step removed and an answer of the third relabelled.
pub(crate) fn changed_guide_src() -> String {
    let src = guide_src();
    let start = src.find("[[step]]\nid = \"review-context\"").unwrap();
    let end = start + src[start..].find("\n[[step]]").unwrap() + 1;
    let mut out = format!("{}{}", &src[..start], &src[end..]);
    let old = "The domain hint names a different tenant than the user's";
    assert!(out.contains(old));
    out = out.replace(old, "The domain hint points at another tenant");
    out.replace("revision = \"1\"", "revision = \"2\"")
}

#[test]
fn replay_reports_answers_that_no_longer_fit() {
    let g = guide();
    let s = full_session(&g, "r-1");
    assert!(s.case.replay(&g).stale.is_empty());
    let changed = guide_from(&changed_guide_src());
    let r = s.case.replay(&changed);
    let stale: Vec<usize> = r.stale.iter().map(|(k, _)| *k).collect();
    assert_eq!(stale, [1, 2], "{:?}", r.stale);
    assert!(
        r.stale[0].1.contains("no longer in the guide"),
        "{:?}",
        r.stale
    );
    assert!(
        r.stale[1].1.contains("no longer reads the same"),
        "{:?}",
        r.stale
    );
}

// ---------------------------------------------------------------------------------------------
// Revisions: a save based on an older revision than the file's is refused.

#[test]
fn save_based_counts_revisions_and_refuses_an_older_base() {
    let g = guide();
    let (_t, store) = store();
    let mut s = full_session(&g, "rev-1");
    assert_eq!(s.revision, 0);
    s.revision = store.save_based(&s).unwrap();
    assert_eq!(s.revision, 1);
    let a = s.clone();
    let mut b = s.clone();
    // Copy B saves first: revision 2 on disk.
    b.case.notes = "from B".into();
    b.revision = store.save_based(&b).unwrap();
    assert_eq!(b.revision, 2);
    // Copy A, still based on 1, is refused and the file keeps B's work.
    let mut a2 = a.clone();
    a2.case.notes = "from A".into();
    let e = store.save_based(&a2).unwrap_err();
    match &e {
        SessionError::Stale { disk, base, path } => {
            assert_eq!((*disk, *base), (2, 1));
            assert!(path.ends_with("rev-1.json"), "{path}");
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("nothing was overwritten"), "{e}");
    let on_disk = Store::load_file(&store.path_of("rev-1")).unwrap();
    assert_eq!(on_disk.case.notes, "from B");
    assert_eq!(on_disk.revision, 2);
    // Based on the file as it is now, A's save goes through.
    let mut a3 = on_disk.clone();
    a3.case.notes = "from A, after reloading".into();
    assert_eq!(store.save_based(&a3).unwrap(), 3);
}

#[test]
fn a_version_1_file_is_read_as_revision_0_and_a_missing_file_is_written() {
    let g = guide();
    let (_t, store) = store();
    let mut s = full_session(&g, "old-1");
    store.save(&s).unwrap();
    let path = store.path_of("old-1");
    let mut v: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    v["version"] = serde_json::json!(1);
    v.as_object_mut().unwrap().remove("revision");
    fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    let back = Store::load_file(&path).unwrap();
    assert_eq!(back.revision, 0);
    assert_eq!(store.save_based(&back).unwrap(), 1);
    // Pruned meanwhile: the case is written again rather than lost.
    fs::remove_file(&path).unwrap();
    s.revision = 7;
    assert_eq!(store.save_based(&s).unwrap(), 8);
}

/// Environment of the helper process in [`two_processes_saving_one_base_never_both_win`].
const RACE_DIR: &str = "TSHOOT_TEST_RACE_DIR";

/// Not a test on its own: run by the race test in child processes (returns at once
/// otherwise). Loads the case, waits for the start file, saves its own note, and prints
/// `saved` or `stale`.
#[test]
fn race_helper_process() {
    let Some(dir) = std::env::var_os(RACE_DIR) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let me = std::env::var("TSHOOT_TEST_RACE_NAME").unwrap();
    let store = Store {
        dir: dir.join("sessions"),
    };
    let mut s = Store::load_file(&store.path_of("race")).unwrap();
    fs::write(dir.join(format!("ready-{me}")), b"").unwrap();
    while !dir.join("go").exists() {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    s.case.notes = format!("from {me}");
    let verdict = match store.save_based(&s) {
        Ok(_) => "saved".to_owned(),
        Err(SessionError::Stale { .. }) => "stale".to_owned(),
        Err(e) => format!("error {e}"),
    };
    fs::write(dir.join(format!("verdict-{me}")), verdict).unwrap();
}

#[test]
fn two_processes_saving_one_base_never_both_win() {
    let g = guide();
    let exe = std::env::current_exe().unwrap();
    for round in 0..8 {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store {
            dir: tmp.path().join("sessions"),
        };
        let s = full_session(&g, "race");
        store.save_based(&s).unwrap();
        let kids: Vec<_> = ["a", "b"]
            .iter()
            .map(|name| {
                std::process::Command::new(&exe)
                    .args(["--exact", "session::tests::race_helper_process", "--quiet"])
                    .env(RACE_DIR, tmp.path())
                    .env("TSHOOT_TEST_RACE_NAME", name)
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        while !(tmp.path().join("ready-a").exists() && tmp.path().join("ready-b").exists()) {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        fs::write(tmp.path().join("go"), b"").unwrap();
        for mut k in kids {
            assert!(
                k.wait().unwrap().success(),
                "round {round}: a helper failed"
            );
        }
        let verdict =
            |n: &str| fs::read_to_string(tmp.path().join(format!("verdict-{n}"))).unwrap();
        let (a, b) = (verdict("a"), verdict("b"));
        let mut both = [a.as_str(), b.as_str()];
        both.sort_unstable();
        assert_eq!(both, ["saved", "stale"], "round {round}: a={a} b={b}");
        let winner = if a == "saved" { "a" } else { "b" };
        let on_disk = Store::load_file(&store.path_of("race")).unwrap();
        assert_eq!(
            on_disk.case.notes,
            format!("from {winner}"),
            "round {round}"
        );
        assert_eq!(on_disk.revision, 2);
    }
}

#[test]
fn the_code_worked_and_the_paste_round_trip_and_old_files_without_them_load() {
    let g = guide();
    let (_tmp, store) = store();
    let mut s = full_session(&g, "20260102T030405Z-generic-0001");
    s.code = Some("AADSTS90006".into());
    s.keep_paste(&format!(
        "AADSTS90006: x\n\u{1b}[31m{}",
        "é".repeat(MAX_PASTE_KEPT)
    ));
    let kept = s.paste.clone().unwrap();
    assert!(kept.len() <= MAX_PASTE_KEPT && kept.starts_with("AADSTS90006: x\n"));
    assert!(!kept.contains('\u{1b}'));
    let path = store.save(&s).unwrap();
    assert_eq!(Store::load_file(&path).unwrap(), s);
    // A file of before: no "code", no "paste".
    let mut raw: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    let map = raw.as_object_mut().unwrap();
    map.remove("code");
    map.remove("paste");
    fs::write(&path, serde_json::to_vec(&raw).unwrap()).unwrap();
    let back = Store::load_file(&path).unwrap();
    assert_eq!(back.code, None);
    assert_eq!(back.paste, None);
    // And a case without them writes neither key.
    let plain = full_session(&g, "20260102T030405Z-generic-0002");
    let p = store.save(&plain).unwrap();
    let text = fs::read_to_string(p).unwrap();
    assert!(
        !text.contains("\"code\"") && !text.contains("\"paste\""),
        "{text}"
    );
}
