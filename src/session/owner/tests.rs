use super::*;

fn store() -> (tempfile::TempDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store {
        dir: tmp.path().join("sessions"),
    };
    (tmp, store)
}

fn plant(store: &Store, id: &str, o: &Owner) {
    fs::create_dir_all(&store.dir).unwrap();
    fs::write(owner_path(store, id), serde_json::to_vec(o).unwrap()).unwrap();
}

/// A pid that runs no process now (above the default `pid_max` of 4194304).
const NO_PID: u32 = 4_194_999;

#[test]
fn stat_fields_are_counted_after_the_last_parenthesis() {
    let stat = "1234 (a b) (c)) S 1 1234 1234 34816 1234 4194304 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100";
    assert_eq!(parse_stat(stat), Some(('S', 987_654)));
    assert_eq!(parse_stat("1 (x) S 1 2"), None);
    assert_eq!(parse_stat("no parenthesis"), None);
    let mine = proc_state(std::process::id()).expect("own stat");
    assert!(matches!(mine.0, 'R' | 'S'), "{mine:?}");
    assert!(mine.1 > 0);
}

#[test]
fn acquire_writes_a_record_and_dropping_the_claim_removes_it() {
    let (_t, store) = store();
    let claim = Claim::acquire(&store, "c-1", "2026-12-02T06:27:00Z").unwrap();
    assert!(claim.took_over.is_none());
    let rec = read(&store, "c-1").expect("record");
    assert_eq!(rec.pid, std::process::id());
    assert_eq!(rec.since, "2026-12-02T06:27:00Z");
    assert_eq!(rec.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(rec.host, host_name());
    assert_eq!(rec.liveness(), Liveness::Mine);
    assert!(
        holder(&store, "c-1").is_none(),
        "this process is not another holder"
    );
    claim.check().unwrap();
    drop(claim);
    assert!(!owner_path(&store, "c-1").exists());
    // No temporary file left behind.
    assert_eq!(fs::read_dir(&store.dir).unwrap().count(), 0);
}

#[test]
fn a_live_holder_is_named_and_the_case_is_refused() {
    let (_t, store) = store();
    // The parent of the test process is alive and is not this process.
    let ppid = parent_of(std::process::id()).unwrap();
    let other = Owner {
        pid: ppid,
        host: host_name(),
        tty: "pts/3".into(),
        since: "2026-12-02T06:27:13Z".into(),
        proc_start: proc_state(ppid).unwrap().1,
        version: "0.1.0".into(),
    };
    plant(&store, "c-2", &other);
    assert_eq!(other.liveness(), Liveness::Alive);
    assert_eq!(holder(&store, "c-2"), Some(other.clone()));
    let e = Claim::acquire(&store, "c-2", "2026-12-02T07:00:00Z").unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("case c-2 is open in another tshoot on pts/3 since 06:27, pid {ppid}")
    );
    assert!(matches!(e, OwnerError::Held { ref owner, .. } if **owner == other));
    assert_eq!(read(&store, "c-2"), Some(other), "the record is left alone");
}

#[test]
fn a_record_whose_process_is_gone_or_reused_is_taken_over() {
    let (_t, store) = store();
    let me = Owner::this_process("2026-12-02T05:00:00Z");
    let gone = Owner {
        pid: NO_PID,
        ..me.clone()
    };
    let reused = Owner {
        proc_start: me.proc_start + 1,
        ..me.clone()
    };
    assert_eq!(gone.liveness(), Liveness::Gone);
    assert_eq!(reused.liveness(), Liveness::Gone, "same pid, other start");
    for (id, old) in [("g", gone), ("r", reused)] {
        plant(&store, id, &old);
        assert!(holder(&store, id).is_none());
        let claim = Claim::acquire(&store, id, "2026-12-02T06:00:00Z").unwrap();
        assert_eq!(claim.took_over.as_ref(), Some(&old));
        assert_eq!(read(&store, id).unwrap().since, "2026-12-02T06:00:00Z");
    }
}

#[test]
fn another_host_counts_as_alive() {
    let (_t, store) = store();
    let far = Owner {
        host: "elsewhere.example".into(),
        pid: NO_PID,
        ..Owner::this_process("2026-12-02T06:27:00Z")
    };
    plant(&store, "h", &far);
    assert_eq!(far.liveness(), Liveness::OtherHost);
    let e = Claim::acquire(&store, "h", "x").unwrap_err();
    assert!(
        e.to_string()
            .contains("of host elsewhere.example since 06:27"),
        "{e}"
    );
}

#[test]
fn take_over_replaces_the_record_and_the_old_claim_learns_it() {
    let (_t, store) = store();
    let first = Claim::acquire(&store, "t", "2026-12-02T06:00:00Z").unwrap();
    // Stand in for another process taking over: the record names another pid.
    let second = Claim::take_over(&store, "t", "2026-12-02T06:30:00Z").unwrap();
    assert_eq!(second.took_over.as_ref(), Some(&first.me));
    let other = Owner {
        pid: NO_PID,
        ..second.me.clone()
    };
    plant(&store, "t", &other);
    let e = first.check().unwrap_err();
    assert!(matches!(e, OwnerError::TakenOver { ref owner, .. } if **owner == other));
    assert!(e.to_string().contains("this copy is read-only now"), "{e}");
    // Neither claim removes a record that is not its own.
    drop(first);
    drop(second);
    assert_eq!(read(&store, "t"), Some(other));
}

#[test]
fn a_vanished_record_is_written_again_by_check() {
    let (_t, store) = store();
    let claim = Claim::acquire(&store, "v", "now").unwrap();
    fs::remove_file(owner_path(&store, "v")).unwrap();
    claim.check().unwrap();
    assert_eq!(read(&store, "v").unwrap().pid, std::process::id());
}

#[test]
fn a_damaged_record_is_replaced() {
    let (_t, store) = store();
    fs::create_dir_all(&store.dir).unwrap();
    fs::write(owner_path(&store, "d"), b"{not json").unwrap();
    let claim = Claim::acquire(&store, "d", "now").unwrap();
    assert_eq!(read(&store, "d").unwrap().pid, std::process::id());
    drop(claim);
}

#[test]
fn releasing_removes_what_this_process_holds() {
    let (_t, store) = store();
    let a = Claim::acquire(&store, "ra", "now").unwrap();
    let b = Claim::acquire(&store, "rb", "now").unwrap();
    release_under(&store.dir);
    assert!(read(&store, "ra").is_none());
    assert!(read(&store, "rb").is_none());
    std::mem::forget((a, b));
}

#[test]
fn describe_says_where_and_since_when() {
    let o = Owner {
        pid: 1234,
        host: host_name(),
        tty: "pts/3".into(),
        since: "2026-12-02T06:27:59Z".into(),
        proc_start: 1,
        version: "0.1.0".into(),
    };
    assert_eq!(
        o.describe(),
        "open in another tshoot on pts/3 since 06:27, pid 1234"
    );
    let odd = Owner {
        since: "garbage\x1b[2J".into(),
        tty: "\x1b]52;c;x\x07".into(),
        ..o
    };
    assert!(!odd.describe().contains('\x1b'), "{}", odd.describe());
}

#[test]
fn the_pane_of_a_process_or_of_its_nearest_parent_is_found() {
    let list = "100 work:0.0\n200 work:1.0\n300 other:2.1\nbad line\n";
    assert_eq!(pane_in(list, &[555, 200, 100]), Some("work:1.0".into()));
    assert_eq!(pane_in(list, &[300]), Some("other:2.1".into()));
    assert_eq!(pane_in(list, &[1, 2]), None);
    assert_eq!(pane_in("", &[100]), None);
}
