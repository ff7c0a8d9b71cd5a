//! The bundled library end to end: the real binary in tmux (120x40), three of the new guides
//! walked the way an engineer does it. Each opens from the picker by its number, answers every
//! diagnostic question with a number key, confirms the suspected issue, ticks a task of the
//! first fix, then checks the Ticket pane lists the error's own fields and fills one (the
//! policy for AADSTS50076 and AADSTS53003, the identifier for AADSTS700016).
//!
//! Waits poll the screen (`capture-pane -p`) up to a generous deadline; nothing asserts on
//! elapsed time. Without tmux a test prints a note and passes, except with `CI=true`, where it
//! fails (`common::require`).

use crate::common::{Tmux, require};

const TSHOOT: &str = env!("CARGO_BIN_EXE_tshoot");

/// One guide's walk: what to type and what each step must show.
struct Walk<'a> {
    /// What is typed in the picker (the guide's number).
    query: &'a str,
    /// The picker row that must come first for it.
    row: &'a str,
    /// The answer keys, one per step.
    answers: &'a [&'a str],
    /// The issue the answers suspect, as the Common issues pane names it (the part that fits
    /// on the first line of its row in a 120-column terminal).
    issue: &'a str,
    /// The labels of the guide's own ticket fields, as the Ticket pane lists them.
    fields: &'a [&'a str],
    /// How many rows down from the first the field to fill is, its label, and the value.
    fill: (usize, &'a str, &'a str),
}

/// A tmux pane running `tshoot` (the picker) with a throw-away home, config, data and cache,
/// and after it exits `EXIT=<code>`. `None` without tmux (outside CI).
fn start(tag: &str) -> Option<(Tmux, tempfile::TempDir)> {
    if !require(&["tmux"], "apt-get install -y tmux") {
        return None;
    }
    let home = tempfile::tempdir().expect("temp dir");
    let dir = |sub: &str| {
        let d = home.path().join(sub);
        std::fs::create_dir_all(&d).expect("mkdir");
        d.display().to_string()
    };
    let command = format!(
        "env -u TMUX -u TSHOOT_GUIDES -u TSHOOT_CONFIG -u TSHOOT_DATA_DIR -u TSHOOT_CACHE_DIR -u NO_COLOR \
         HOME='{}' XDG_CONFIG_HOME='{}' XDG_DATA_HOME='{}' XDG_STATE_HOME='{}' XDG_CACHE_HOME='{}' \
         '{TSHOOT}'; echo EXIT=$?; sleep 60",
        dir("home"),
        dir("config"),
        dir("data"),
        dir("state"),
        dir("cache"),
    );
    Some((Tmux::start(120, 40, tag, &command), home))
}

fn walk(tag: &str, w: &Walk<'_>) {
    let Some((t, _home)) = start(tag) else {
        return;
    };
    t.wait_text("find a guide");
    // The whole library is in the picker.
    t.wait_text(&format!(" {0}/{0} ", tshoot::guide::load::BUNDLED.len()));
    t.type_text(w.query);
    t.wait_text(&format!("> {}", w.query));
    t.wait_for(&format!("{} first", w.row), |p| {
        p.lines().any(|l| l.contains("▶") && l.contains(w.row))
    });
    t.keys(&["Enter"]);
    // The stepper counts the steps on the path so far: only the step number is fixed.
    for (i, key) in w.answers.iter().enumerate() {
        t.wait_text(&format!("Step {} of ", i + 1));
        t.keys(&[key]);
    }
    // Every question answered: the Common issues pane, with the issue suspected.
    t.wait_text("suspected by the answers");
    t.wait_text(&format!("? {}", w.issue));
    t.keys(&["c"]);
    t.wait_text(&format!("✓ {}", w.issue));
    // The checklist: tick the first task of the first fix.
    t.keys(&["Tab"]);
    t.wait_text("0 of ");
    t.keys(&["Space"]);
    t.wait_for("one task ticked", |p| {
        p.contains("1 of ") && p.contains("tasks done")
    });
    // The ticket: the error's own fields are listed.
    t.keys(&["Tab"]);
    // The focused pane has the heavy border.
    let pane = t.wait_text("┏ 4 Ticket");
    for f in w.fields {
        assert!(pane.contains(f), "ticket field {f:?} missing:\n{pane}");
    }
    // Fill one of them: its row shows the value, checked.
    let (down, label, value) = w.fill;
    for _ in 0..down {
        t.keys(&["j"]);
    }
    t.wait_for(&format!("the {label} row highlighted"), |p| {
        p.lines().any(|l| l.contains("▶") && l.contains(label))
    });
    t.keys(&["Enter"]);
    t.type_text(value);
    t.keys(&["Enter"]);
    t.wait_for(&format!("{label} filled in"), |p| {
        p.lines()
            .any(|l| l.contains(&format!("✓ {label}")) && l.contains(value))
    });
    t.keys(&["q"]);
    let pane = t.wait_text("EXIT=");
    assert!(pane.contains("EXIT=0"), "{pane}");
}

#[test]
fn aadsts50076_mfa_required_end_to_end() {
    walk(
        "lib50076",
        &Walk {
            query: "50076",
            row: "AADSTS50076",
            // The 50076 repeats; a browser; a Conditional Access policy; it catches too much.
            answers: &["2", "1", "1", "2"],
            issue: "Conditional Access requires",
            fields: &["Source of the MFA requirement", "Conditional Access policy"],
            fill: (8, "Conditional Access policy", "Require MFA off-site"),
        },
    );
}

#[test]
fn aadsts700016_application_not_found_end_to_end() {
    walk(
        "lib700016",
        &Walk {
            query: "700016",
            row: "AADSTS700016",
            // A GUID; registered in another tenant; single tenant, request to another tenant.
            answers: &["1", "2", "1"],
            issue: "Request sent to a tenant where",
            fields: &[
                "Identifier in the error",
                "Directory in the error",
                "Authority / SSO URL",
            ],
            fill: (
                4,
                "Identifier in the error",
                "11111111-2222-3333-4444-555555555555",
            ),
        },
    );
}

#[test]
fn aadsts53003_blocked_by_conditional_access_end_to_end() {
    walk(
        "lib53003",
        &Walk {
            query: "53003",
            row: "AADSTS53003",
            // A blocking policy; by location; intended, but the user's travel is legitimate
            // (the risk question is only asked after a risk answer).
            answers: &["1", "1", "3"],
            issue: "Blocked location or network",
            fields: &["Blocking policy", "App ID", "IP address"],
            fill: (6, "Blocking policy", "Block outside EU"),
        },
    );
}
