//! `tshoot import`: the seed document (`tests/fixtures/seed-aadsts50143.md`, a copy of the team's
//! real AADSTS50143 document) and variations written here. Every import must be sound: it
//! parses back to the same guide, passes `check` without errors, and its generated replay
//! cases pass. What the importer cannot place is reported with its line.

use crate::common::tshoot;
use std::path::Path;

use tshoot::authoring::import::{ImportError, Imported, import};
use tshoot::authoring::replay::run_case;
use tshoot::guide::{FieldKind, Guide, parse};

const SEED: &str = include_str!("fixtures/seed-aadsts50143.md");

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The checks every import must pass; returns the warnings `check` gives the output.
pub(crate) fn sound(imp: &Imported) -> Vec<String> {
    let back: Guide = toml::from_str(&imp.toml)
        .unwrap_or_else(|e| panic!("the output is not a guide: {e}\n{}", imp.toml));
    assert_eq!(
        back, imp.guide,
        "the TOML says something else than the guide"
    );
    let (g, warnings) = match parse("imported.toml", &imp.toml) {
        Ok(x) => x,
        Err(d) => panic!(
            "the import does not pass check:\n{}\n{}",
            d.iter().map(ToString::to_string).collect::<String>(),
            imp.toml
        ),
    };
    assert!(
        !warnings.iter().any(tshoot::guide::Diagnostic::is_error),
        "{}",
        warnings.iter().map(ToString::to_string).collect::<String>()
    );
    assert!(!g.cases.is_empty(), "no replay cases generated");
    for rc in &g.cases {
        assert_eq!(run_case(&g, rc), Vec::<String>::new(), "case {}", rc.name);
    }
    warnings
        .iter()
        .map(tshoot::guide::Diagnostic::headline)
        .collect()
}

fn titles<T>(items: &[T], f: impl Fn(&T) -> &str) -> Vec<&str> {
    items.iter().map(f).collect()
}

#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one assertion per fact of the seed document"
)]
fn the_seed_becomes_the_guide_it_describes() {
    let imp = import(SEED, "seed-aadsts50143").expect("import");
    let check_warnings = sound(&imp);
    assert_eq!(imp.warnings, vec![], "the seed is the canonical shape");
    assert_eq!(check_warnings, Vec::<String>::new());
    let g = &imp.guide;
    assert_eq!(g.id, "AADSTS50143");
    assert_eq!(g.aliases, ["50143"]);
    assert_eq!(g.title, "Session mismatch");
    assert!(
        g.summary
            .starts_with("Session mismatch - Session is invalid because user tenant")
    );

    assert_eq!(
        titles(&g.steps, |s| &s.title),
        [
            "Verify User Sign-In",
            "Review Error Context",
            "Investigate Correlation ID"
        ]
    );
    assert_eq!(
        g.steps[0].text,
        "Check if the user's sign-in attempt is originating from the correct domain or tenant."
    );
    assert_eq!(
        g.steps[2].text,
        "Use the Correlation ID to track the specific request that resulted in the error."
    );
    assert_eq!(
        titles(&g.issues, |s| &s.title),
        [
            "Incorrect Domain Hint",
            "Resource Misconfiguration",
            "Session Information Mismatch"
        ]
    );
    assert_eq!(
        g.issues[1].text,
        "The resource being accessed is linked to a different tenant."
    );
    assert_eq!(
        titles(&g.resolutions, |s| &s.title),
        [
            "User's Domain Verification",
            "Reconfigure Resource Settings",
            "Force Re-authentication",
            "Review Session Handling",
            "Open a Support Ticket"
        ]
    );
    assert_eq!(
        g.resolutions[3].tasks,
        [
            "Ensure that the session information is properly managed and consistent throughout the application."
        ]
    );
    let escalations: Vec<&str> = g
        .resolutions
        .iter()
        .filter(|r| r.escalate)
        .map(|r| r.title.as_str())
        .collect();
    assert_eq!(escalations, ["Open a Support Ticket"]);

    // The flow: each step asks; its answers suspect issues; every issue is suspected somewhere
    // and fixed by something; every resolution but the escalation is some issue's fix.
    for s in &g.steps {
        assert!(s.ask.is_some(), "{}", s.id);
        assert!(s.answers.iter().any(|a| !a.suspect.is_empty()), "{}", s.id);
        assert!(s.answers.len() <= 9);
    }
    let first_yes: Vec<&str> = g.steps[0]
        .answers
        .iter()
        .flat_map(|a| &a.suspect)
        .map(tshoot::guide::Name::as_str)
        .collect();
    assert_eq!(
        first_yes,
        ["incorrect-domain-hint"],
        "sign-in <-> domain, tenant"
    );
    for i in &g.issues {
        assert!(!i.fixes.is_empty(), "{}", i.id);
        assert!(
            g.steps
                .iter()
                .flat_map(|s| &s.answers)
                .any(|a| a.suspect.contains(&i.id)),
            "{}",
            i.id
        );
    }
    let fix = |issue: &str| g.issues[g.issue_index(issue).unwrap()].fixes[0].to_string();
    assert_eq!(fix("incorrect-domain-hint"), "users-domain-verification");
    assert_eq!(
        fix("resource-misconfiguration"),
        "reconfigure-resource-settings"
    );
    assert_eq!(
        fix("session-information-mismatch"),
        "review-session-handling"
    );

    // The ticket: the three fields of the template, the error code prefilled.
    let fields = g.fields();
    assert_eq!(
        titles(fields, |f| &f.label),
        ["Correlation ID", "Request ID", "Error Code"]
    );
    assert_eq!(
        titles(fields, |f| &f.id),
        ["correlation_id", "request_id", "error_code"]
    );
    assert_eq!(fields[0].kind, FieldKind::Guid);
    assert_eq!(
        fields[0].hint.as_deref(),
        Some("Provide the Correlation ID here")
    );
    assert_eq!(fields[2].kind, FieldKind::ErrorCode);
    assert_eq!(fields[2].default.as_deref(), Some("AADSTS50143"));
    let template = &g.ticket.as_ref().unwrap().template;
    assert_eq!(
        template,
        "Correlation ID: {correlation_id}\nRequest ID: {request_id}\nError Code: {error_code}\n"
    );

    // Notes, the link, and the closing paragraph (as a note).
    assert_eq!(
        titles(&g.notes, |n| &n.title),
        ["Technical Expertise", "Data Privacy", "Closing remarks"]
    );
    assert!(g.notes[2].text.starts_with("By following these steps"));
    assert_eq!(g.links.len(), 1);
    assert_eq!(
        g.links[0].title,
        "Microsoft Azure Active Directory Error Codes"
    );
    assert!(g.links[0].url.starts_with("https://learn.microsoft.com/"));

    // Replay cases: one per issue and one where nothing is found.
    let names: Vec<&str> = g.cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "incorrect-domain-hint",
            "resource-misconfiguration",
            "session-information-mismatch",
            "nothing-found"
        ]
    );
}

#[test]
fn no_word_of_the_seed_is_lost() {
    let imp = import(SEED, "seed").expect("import");
    let mut lost = Vec::new();
    for (k, line) in SEED.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue; // headings become comments and section banners
        }
        for w in line
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| w.chars().count() >= 3)
        {
            if !imp.toml.contains(w) {
                lost.push(format!("line {}: {w}", k + 1));
            }
        }
    }
    assert!(lost.is_empty(), "{lost:#?}");
}

#[test]
fn the_import_says_what_to_review() {
    let imp = import(SEED, "seed").unwrap();
    assert!(imp.toml.contains("# REVIEW before shipping this guide:"));
    assert!(imp.toml.contains("# fixes guessed from shared words:"));
    assert!(
        imp.toml.contains("# line 15"),
        "items say where they came from"
    );
    assert!(imp.toml.contains("no issue shares words with this step"));
}

/// Every variation the importer copes with, in one document: bulleted diagnostics with the
/// colon outside the bold, headings at other levels, a bold line as a heading, `1)` numbers,
/// nested details two levels deep, a continuation line, no "Guidance Documentation", the
/// ticket as a code block, and an unknown section.
const VARIED: &str = "\
Error ERR4021 - Printer offline
================================

Some printers drop off the network after a firmware update.

# Initial checks
* **Ping the printer**: Check that the printer answers on the network.
* **Check the queue**: Look for jobs stuck in the spooler queue
  that block the printer.
* Power cycle the printer.

### Common issues
- **Network Outage:** The printer lost its network connection.
- **Stuck spooler**: The print spooler queue holds a broken job.
    - Often after a large PDF.

**Resolutions:**
1) **Restore the network**
   - Reconnect the printer's cable or Wi-Fi.
      - Check the switch port.
   - Ping it again.
2) **Clear the spooler**: Stop the spooler, delete the stuck job, start it again.
3) Escalate to the print team with a support ticket.

## History
The printer fleet was replaced in 2024.
- Old models still exist in building B.

#### Support Ticket Template:
```
Printer name: [printer host name]
Time: [when it failed]
Error code: ERR4021
```
";

#[test]
fn variations_of_the_shape_are_understood() {
    let imp = import(VARIED, "printer").expect("import");
    sound(&imp);
    let g = &imp.guide;
    assert_eq!(g.id, "ERR4021");
    assert_eq!(g.aliases, ["4021"]);
    assert_eq!(g.title, "Printer offline");
    assert!(g.summary.contains("firmware update"), "{}", g.summary);

    assert_eq!(
        titles(&g.steps, |s| &s.title),
        [
            "Ping the printer",
            "Check the queue",
            "Power cycle the printer"
        ]
    );
    assert_eq!(
        g.steps[1].text,
        "Look for jobs stuck in the spooler queue that block the printer."
    );
    assert_eq!(
        titles(&g.issues, |s| &s.title),
        ["Network Outage", "Stuck spooler"]
    );
    assert_eq!(
        g.issues[1].text,
        "The print spooler queue holds a broken job.\n- Often after a large PDF."
    );
    assert_eq!(
        titles(&g.resolutions, |s| &s.title),
        [
            "Restore the network",
            "Clear the spooler",
            "Escalate to the print team with a support ticket"
        ]
    );
    assert_eq!(
        g.resolutions[0].tasks,
        [
            "Reconnect the printer's cable or Wi-Fi.",
            "Check the switch port.",
            "Ping it again."
        ]
    );
    assert_eq!(
        g.resolutions[1].tasks,
        ["Stop the spooler, delete the stuck job, start it again."]
    );
    assert!(g.resolutions[2].escalate);
    // Word overlap: the spooler issue is fixed by clearing the spooler, the network one by
    // restoring the network; the step about the queue suspects the stuck spooler.
    assert_eq!(g.issues[0].fixes, ["restore-the-network"]);
    assert_eq!(g.issues[1].fixes[0], "clear-the-spooler");
    assert!(
        g.steps[1]
            .answers
            .iter()
            .any(|a| a.suspect.iter().any(|s| *s == "stuck-spooler"))
    );

    let fields = g.fields();
    assert_eq!(
        titles(fields, |f| &f.label),
        ["Printer name", "Time", "Error code"]
    );
    assert_eq!(fields[0].hint.as_deref(), Some("printer host name"));
    assert_eq!(fields[1].kind, FieldKind::Timestamp);
    assert_eq!(fields[2].default.as_deref(), Some("ERR4021"));
    assert!(g.links.is_empty(), "no documentation section");

    // The unknown section is kept as a note and reported at its heading's line.
    let history = g.notes.iter().find(|n| n.title == "History").expect("note");
    assert!(history.text.contains("replaced in 2024"));
    assert!(history.text.contains("building B"));
    let line = VARIED.lines().position(|l| l == "## History").unwrap() + 1;
    assert!(
        imp.warnings
            .iter()
            .any(|w| w.line == line && w.message.contains("\"History\"")),
        "{:?}",
        imp.warnings
    );
}

#[test]
fn missing_sections_still_give_a_sound_guide() {
    // No diagnostic steps, no error code in the first line, a paragraph outside the list.
    let doc = "\
# Printer is slow

## Common Issues
- **Old driver:** The print driver is out of date.
- **Big jobs:** Large documents take long to render.

Ask the user how large the document was.

## Resolution Strategies
- **Update the driver:** Install the latest print driver.
";
    let imp = import(doc, "slow-printer").expect("import");
    sound(&imp);
    let g = &imp.guide;
    assert_eq!(g.id, "SLOW-PRINTER", "the file name gives the id");
    assert_eq!(
        g.steps.len(),
        1,
        "a placeholder step asks which issue it is"
    );
    let labels: Vec<&str> = g.steps[0]
        .answers
        .iter()
        .map(|a| a.label.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "Yes: Old driver",
            "Yes: Big jobs",
            "No, this looks fine",
            "Not sure yet"
        ]
    );
    let messages: Vec<(usize, &str)> = imp
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert!(
        messages
            .iter()
            .any(|(l, m)| *l == 1 && m.contains("no error code")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|(l, m)| *l == 1 && m.contains("no diagnostic steps")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|(l, m)| *l == 7 && m.contains("outside the list of \"Common Issues\"")),
        "{messages:?}"
    );
    assert!(g.notes.iter().any(|n| n.text.contains("how large")));
}

#[test]
fn a_document_of_another_shape_is_refused() {
    assert_eq!(import("", "x").unwrap_err(), ImportError::Empty);
    assert_eq!(
        import("# Meeting notes\n\n- coffee\n- cake\n", "x").unwrap_err(),
        ImportError::NoSections
    );
}

// --- the command --------------------------------------------------------------------------------

#[test]
fn import_prints_one_guide_or_writes_a_folder() {
    let seed = "tests/fixtures/seed-aadsts50143.md";
    let o = tshoot(&["import", seed]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let toml = text(&o.stdout);
    assert!(toml.contains("id = \"AADSTS50143\""));
    let err = text(&o.stderr);
    assert!(!err.contains(": warning:"), "{err}");
    assert!(
        err.contains("3 steps, 3 issues, 5 resolutions, 3 ticket fields, 4 replay cases"),
        "{err}"
    );

    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("guides");
    let out = out_dir.to_str().unwrap();
    let o = tshoot(&["import", seed, "-o", out]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let written = out_dir.join("aadsts50143.toml");
    assert_eq!(std::fs::read_to_string(&written).unwrap(), toml);

    let o = tshoot(&["check", out]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(text(&o.stdout).ends_with("0 errors, 0 warnings\n"));
    let o = tshoot(&["test", out]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("4 passed, 0 failed"));

    // No overwriting without --force.
    std::fs::write(&written, "# edited by hand\n").unwrap();
    let o = tshoot(&["import", seed, "-o", out]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("exists; --force overwrites it"));
    assert_eq!(
        std::fs::read_to_string(&written).unwrap(),
        "# edited by hand\n"
    );
    let o = tshoot(&["import", seed, "-o", out, "--force"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&written).unwrap(), toml);
}

#[test]
fn import_reports_what_it_could_not_place_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("printer.md");
    std::fs::write(&md, VARIED).unwrap();
    let md = md.to_str().unwrap();
    let o = tshoot(&["import", md]);
    assert_eq!(o.status.code(), Some(0));
    let line = VARIED.lines().position(|l| l == "## History").unwrap() + 1;
    let err = text(&o.stderr);
    assert!(
        err.lines()
            .any(|l| l.starts_with(&format!("{md}:{line}: warning: section \"History\""))),
        "{err}"
    );
}

#[test]
fn several_documents_need_a_folder_and_bad_ones_fail() {
    let seed = "tests/fixtures/seed-aadsts50143.md";
    let o = tshoot(&["import", seed, seed]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("-o DIR"));

    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.md");
    std::fs::write(&notes, "# Meeting notes\n\n- coffee\n").unwrap();
    let out = dir.path().join("out");
    let o = tshoot(&[
        "import",
        notes.to_str().unwrap(),
        seed,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "one of two failed");
    assert!(
        text(&o.stderr).contains("notes.md: error: no section"),
        "{}",
        text(&o.stderr)
    );
    assert!(
        Path::new(&out.join("aadsts50143.toml")).exists(),
        "the other was written"
    );
}

#[test]
fn control_characters_in_titles_and_headings_stay_out_of_the_comments() {
    // Found by the property tests: a DEL in the document's title went into a TOML comment of
    // the written guide, where TOML allows no control characters, so the guide did not read.
    let doc = SEED
        .replacen("Session Mismatch", "Session\u{7f} Mis\u{1}match", 1)
        .replacen("## Common Issues", "## Common\u{1b} Issues", 1);
    let imp = import(&doc, "seed").expect("imported");
    let parsed = parse("seed.toml", &imp.toml);
    assert!(parsed.is_ok(), "{:#?}\n{}", parsed.err(), imp.toml);
    assert!(imp.toml.contains("\\u{7f}"), "{}", imp.toml);
}
