//! `tshoot import` on knowledge-base articles: the documents in `tests/fixtures/kb/`, written
//! for these tests in the shapes public support articles have (front matter, "Symptoms",
//! "Cause N: X" with a "Solution" under it, "This issue occurs if:" lists, "For users" /
//! "For administrators", "Verification", callouts, tables, code, an HTML export). Each test
//! states which causes, which fixes linked to which cause, which diagnostics and which notes
//! must come out; every import must also be sound (see `import::sound`).

use std::path::Path;

use crate::common::tshoot;
use crate::import::sound;
use tshoot::authoring::import::{Imported, import, import_html};
use tshoot::guide::Guide;

fn kb(file: &str) -> Imported {
    let path = Path::new("tests/fixtures/kb").join(file);
    let text = std::fs::read_to_string(&path).expect("fixture");
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    let imp = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("html"))
    {
        import_html(&text, &stem)
    } else {
        import(&text, &stem)
    }
    .unwrap_or_else(|e| panic!("{file}: {e}"));
    sound(&imp);
    imp
}

fn issues(g: &Guide) -> Vec<&str> {
    g.issues.iter().map(|i| i.title.as_str()).collect()
}

/// Each issue's title with the titles of its fixes.
fn fixes(g: &Guide) -> Vec<(&str, Vec<&str>)> {
    g.issues
        .iter()
        .map(|i| {
            let titles = i
                .fixes
                .iter()
                .map(|f| {
                    g.resolutions
                        .iter()
                        .find(|r| &r.id == f)
                        .map_or("?", |r| r.title.as_str())
                })
                .collect();
            (i.title.as_str(), titles)
        })
        .collect()
}

fn steps(g: &Guide) -> Vec<&str> {
    g.steps.iter().map(|s| s.title.as_str()).collect()
}

fn notes(g: &Guide) -> Vec<&str> {
    g.notes.iter().map(|n| n.title.as_str()).collect()
}

/// Every issue is offered as an answer by some step.
fn every_issue_suspected(g: &Guide) {
    for i in &g.issues {
        assert!(
            g.steps
                .iter()
                .flat_map(|s| &s.answers)
                .any(|a| a.suspect.contains(&i.id)),
            "no answer suspects {}",
            i.id
        );
    }
}

#[test]
fn front_matter_numbered_causes_and_their_solutions() {
    let imp = kb("guest-not-in-tenant.md");
    let g = &imp.guide;
    assert_eq!(g.id, "AADSTS50020", "the code of the front matter's title");
    assert_eq!(g.aliases, ["50020"]);
    assert_eq!(g.title, "Error AADSTS50020 when a guest account signs in");
    assert!(
        g.summary.starts_with("A guest gets AADSTS50020"),
        "{}",
        g.summary
    );
    assert!(
        !g.summary.contains("ms.date"),
        "the YAML stays out: {}",
        g.summary
    );
    assert!(!g.summary.contains("<!--"), "{}", g.summary);
    assert_eq!(
        fixes(g),
        [
            (
                "The guest signs in with a different account",
                vec!["Solution: The guest signs in with a different account"]
            ),
            (
                "The app only accepts accounts of its own tenant",
                vec!["Solution: The app only accepts accounts of its own tenant"]
            ),
        ]
    );
    // Numbered steps and their sub-steps, in order.
    assert_eq!(
        g.resolutions[0].tasks,
        [
            "Ask the guest which account received the invitation email.",
            "Have the guest sign out of every account in the browser.",
            "In a private window, open the app again.",
            "Pick the invited account when asked.",
            "If the guest cannot tell, resend the invitation to the right address.",
        ]
    );
    // The symptoms are the first step's text; its answers are the causes.
    assert!(
        g.steps[0].text.contains("the sign-in page stops"),
        "{}",
        g.steps[0].text
    );
    every_issue_suspected(g);
    assert_eq!(notes(g), ["Note"]);
    assert!(g.notes[0].text.contains("supported account types"));
    let urls: Vec<&str> = g.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(urls.len(), 2, "{urls:?}");
    // The comment (with a heading inside), the include and the image are dropped and counted.
    assert_eq!(imp.dropped.comments.len(), 1);
    assert_eq!(imp.dropped.includes.len(), 1);
    assert_eq!(imp.dropped.images.len(), 1);
    assert!(!imp.toml.contains("INCLUDE") && !imp.toml.contains(":::image"));
    // The ticket: the default fields.
    let labels: Vec<&str> = g.fields().iter().map(|f| f.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Correlation ID", "Request ID", "Timestamp", "Error code"]
    );
    assert_eq!(
        g.fields()[3].default.as_deref(),
        Some("AADSTS50020"),
        "the error code is filled in"
    );
}

#[test]
fn a_sentence_that_introduces_causes_and_one_that_introduces_steps() {
    let g = kb("consent-occurs-if.md").guide;
    assert_eq!(
        issues(&g),
        [
            "The tenant does not let users consent to apps on their own",
            "The app asks for a permission that needs an administrator's approval",
            "An earlier consent was removed by an administrator",
        ]
    );
    assert_eq!(
        g.resolutions.len(),
        1,
        "the steps of one fix are one resolution"
    );
    assert_eq!(g.resolutions[0].tasks.len(), 4);
    for (_, f) in fixes(&g) {
        assert_eq!(f.len(), 1, "the one resolution under the causes fixes each");
    }
    every_issue_suspected(&g);
}

#[test]
fn resolutions_per_audience() {
    let g = kb("audiences.md").guide;
    assert_eq!(g.issues.len(), 1);
    assert_eq!(
        fixes(&g)[0].1,
        ["For users", "For administrators", "For developers"]
    );
    assert_eq!(g.resolutions[0].tasks.len(), 3);
    assert_eq!(
        g.resolutions[2].tasks.len(),
        1,
        "a fix in prose is one task"
    );
}

#[test]
fn verification_becomes_the_diagnostic_steps() {
    let g = kb("verification.md").guide;
    let titles = steps(&g);
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles[0].starts_with("Compare the client ID"), "{titles:?}");
    assert!(titles[1].starts_with("Compare the tenant"), "{titles:?}");
    assert_eq!(
        issues(&g),
        [
            "The client ID in the app's settings is wrong",
            "The sign-in goes to the wrong tenant"
        ]
    );
    let f = fixes(&g);
    assert_eq!(
        f[0].1,
        ["Resolution: The client ID in the app's settings is wrong"]
    );
    assert_eq!(f[1].1, ["Resolution: The sign-in goes to the wrong tenant"]);
    // The step on the client ID suspects the client ID cause, the tenant step the tenant.
    let suspects = |k: usize| -> Vec<&str> {
        g.steps[k]
            .answers
            .iter()
            .flat_map(|a| a.suspect.iter().map(tshoot::guide::Name::as_str))
            .collect()
    };
    assert_eq!(suspects(0), [g.issues[0].id.as_str()]);
    assert_eq!(suspects(1), [g.issues[1].id.as_str()]);
}

#[test]
fn step_headings_that_check_are_diagnostics() {
    let g = kb("step-checks.md").guide;
    assert_eq!(
        steps(&g),
        [
            "Step 1: Check the resource the app asks for",
            "Step 2: Check that the API exists in the tenant"
        ]
    );
    assert_eq!(g.issues.len(), 2);
    assert_eq!(
        fixes(&g)[1].1,
        ["Resolution: The scope names the wrong API"]
    );
    every_issue_suspected(&g);
}

#[test]
fn bold_labels_instead_of_headings() {
    let g = kb("bold-labels.md").guide;
    assert_eq!(g.id, "AADSTS50011");
    assert!(
        g.summary
            .contains("- The error page shows the redirect URI"),
        "{}",
        g.summary
    );
    assert_eq!(g.issues.len(), 1);
    assert!(
        g.issues[0]
            .title
            .starts_with("The redirect URI in the app's code differs")
    );
    assert_eq!(g.resolutions.len(), 1);
    assert_eq!(g.resolutions[0].tasks.len(), 3);
    assert_eq!(g.issues[0].fixes, [g.resolutions[0].id.clone()]);
}

#[test]
fn tables_and_code_are_kept_whole() {
    let g = kb("table-and-code.md").guide;
    assert_eq!(g.issues.len(), 1);
    let text = &g.issues[0].text;
    assert!(
        text.contains("| What happened | How to tell |\n| --- | --- |\n| The secret expired |"),
        "{text}"
    );
    let tasks = &g.resolutions[0].tasks;
    assert!(
        tasks
            .iter()
            .any(|t| t.contains("Set-AzKeyVaultSecret -VaultName contoso-kv")),
        "{tasks:#?}"
    );
    assert_eq!(g.issues[0].fixes, [g.resolutions[0].id.clone()]);
}

#[test]
fn the_code_from_the_file_name_then_from_the_body() {
    let g = kb("aadsts90072-guest-tenant.md").guide;
    assert_eq!(
        g.id, "AADSTS90072",
        "the H1 names no code: the file name does"
    );
    assert_eq!(
        g.title,
        "The account from an external tenant is not in this tenant"
    );
    let g = kb("printer-queue.md").guide;
    assert_eq!(g.id, "0x00000709", "neither title nor name: the body");
}

#[test]
fn a_workaround_and_a_resolution_both_fix_the_cause() {
    let g = kb("workaround.md").guide;
    let f = &fixes(&g)[0].1;
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f[0].starts_with("Workaround: The browser blocks"), "{f:?}");
    assert!(f[1].starts_with("Resolution: The browser blocks"), "{f:?}");
    assert_eq!(
        g.resolutions[0].tasks.len(),
        1,
        "a workaround in prose is one task"
    );
}

#[test]
fn callouts_become_notes() {
    let g = kb("callouts.md").guide;
    assert_eq!(notes(&g), ["Important", "Tip", "Warning"]);
    assert!(g.notes[0].text.starts_with("Do not turn off the policy"));
    assert!(!g.notes[0].text.contains("[!IMPORTANT]"));
    assert_eq!(g.resolutions[0].tasks.len(), 2);
}

#[test]
fn scenarios_are_causes() {
    let g = kb("scenarios.md").guide;
    assert_eq!(
        issues(&g),
        ["The user is not assigned to the app", "The group is nested"]
    );
    assert_eq!(fixes(&g)[1].1, ["Solution: The group is nested"]);
    assert_eq!(g.resolutions[1].tasks.len(), 1);
}

#[test]
fn the_seed_shape_in_a_text_file() {
    let g = kb("seed-shaped.txt").guide;
    assert_eq!(g.id, "ERR2207");
    assert_eq!(issues(&g), ["Idle timeout", "Network change"]);
    assert_eq!(steps(&g), ["Check the client log", "Check the network"]);
    assert_eq!(g.resolutions.len(), 2);
}

#[test]
fn relative_links_stay_relative_without_a_base() {
    let imp = kb("relative-links.md");
    assert!(imp.guide.links.iter().any(|l| l.url.starts_with('/')));
    let text = std::fs::read_to_string("tests/fixtures/kb/relative-links.md").unwrap();
    let text = tshoot::authoring::import::absolute_links(&text, "https://learn.microsoft.com/");
    let g = import(&text, "relative-links").unwrap().guide;
    let urls: Vec<&str> = g.links.iter().map(|l| l.url.as_str()).collect();
    assert!(
        urls.contains(
            &"https://learn.microsoft.com/entra/identity/monitoring-health/concept-sign-ins"
        ),
        "{urls:?}"
    );
    assert!(g.issues[0].text.contains(
        "(https://learn.microsoft.com/entra/identity/authentication/concept-sspr-howitworks)"
    ));
}

#[test]
fn an_html_export() {
    let imp = kb("servicenow-export.html");
    let g = &imp.guide;
    assert_eq!(g.id, "KB0012345");
    assert_eq!(
        issues(g),
        [
            "The Outlook profile is damaged",
            "The mailbox was moved and the client still looks for the old server"
        ]
    );
    assert_eq!(g.resolutions.len(), 1);
    assert_eq!(
        g.resolutions[0].tasks,
        [
            "Close Outlook.",
            "In the Mail control panel, create a new profile.",
            "Start Outlook with the new profile."
        ]
    );
    assert!(
        g.issues
            .iter()
            .all(|i| i.fixes == [g.resolutions[0].id.clone()])
    );
    assert_eq!(imp.dropped.comments.len(), 1);
    assert!(g.summary.contains("Disconnected"), "{}", g.summary);
}

/// The whole folder through the binary: each document reported, the broken one says why and
/// the rest go on; every guide opens by its code and its replay cases pass.
#[test]
fn a_folder_imports_with_a_line_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = tshoot(&[
        "import",
        "tests/fixtures/kb",
        "-o",
        out.to_str().unwrap(),
        "--base-url",
        "https://learn.microsoft.com",
    ]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        o.status.code(),
        Some(1),
        "the broken one fails the run: {err}"
    );
    assert!(err.contains("kb/broken.md: error: no section"), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(" -> ")).collect();
    assert_eq!(lines.len(), 15, "{err}");
    assert!(lines.iter().all(|l| l.ends_with("check: clean")), "{err}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("guest-not-in-tenant.md") && l.contains("3 dropped")),
        "{err}"
    );
    let o = tshoot(&["check", out.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let o = tshoot(&["test", out.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    for code in [
        "AADSTS50020",
        "AADSTS65001",
        "AADSTS50076",
        "AADSTS700016",
        "AADSTS500011",
        "AADSTS50011",
        "AADSTS7000215",
        "AADSTS90072",
        "0x00000709",
        "AADSTS50058",
        "AADSTS53003",
        "AADSTS50105",
        "ERR2207",
        "AADSTS50126",
        "KB0012345",
    ] {
        let o = tshoot(&["show", code, "--guides", out.to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{code}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // The same as JSON.
    let o = tshoot(&[
        "import",
        "tests/fixtures/kb",
        "-o",
        dir.path().join("again").to_str().unwrap(),
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let rows = report.as_array().unwrap();
    assert_eq!(rows.len(), 16);
    let broken = rows
        .iter()
        .find(|r| r["document"].as_str().unwrap().ends_with("broken.md"))
        .unwrap();
    assert!(broken["error"].as_str().unwrap().contains("no section"));
    for r in rows.iter().filter(|r| r.get("error").is_none()) {
        // Without --base-url the relative links stay, and check warns about them.
        let relative = r["document"]
            .as_str()
            .unwrap()
            .ends_with("relative-links.md");
        assert_eq!(r["check_warnings"], u8::from(relative), "{r}");
        assert!(r["steps"].as_u64().unwrap() >= 1 && r["fields"] == 4, "{r}");
    }
}

#[test]
fn explain_names_the_lines() {
    let o = tshoot(&["import", "tests/fixtures/kb/verification.md", "--explain"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0));
    let issue_line = std::fs::read_to_string("tests/fixtures/kb/verification.md")
        .unwrap()
        .lines()
        .position(|l| l.starts_with("## Cause 1"))
        .unwrap()
        + 1;
    assert!(
        out.contains(&format!(
            "issue the-client-id-in-the-apps-settings-is: line {issue_line}"
        )),
        "{out}"
    );
}
