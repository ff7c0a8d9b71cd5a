use super::*;
use crate::guide::load::REFERENCE_GUIDE;

fn bundled() -> Guide {
    crate::guide::parse("b.toml", REFERENCE_GUIDE)
        .map(|(g, _)| g)
        .expect("bundled guide")
}

fn case(src: &str) -> ReplayCase {
    toml::from_str(src).expect("case")
}

#[test]
fn bundled_cases_pass() {
    let g = bundled();
    assert!(g.cases.len() >= 4, "{}", g.cases.len());
    for rc in &g.cases {
        assert_eq!(run_case(&g, rc), Vec::<String>::new(), "{}", rc.name);
    }
}

#[test]
fn answers_by_label_or_number() {
    let g = bundled();
    let by_label = case(
        r#"name = "a"
answers = ["No, the user signs in with another tenant or domain", "not known yet", 4]"#,
    );
    let by_number = case(
        r#"name = "b"
answers = [2, "4", "No Correlation ID yet, or nothing found in the logs"]"#,
    );
    let a = observe(&g, &by_label).unwrap();
    let b = observe(&g, &by_number).unwrap();
    assert_eq!(a.suspected, vec!["incorrect-domain-hint"]);
    assert_eq!(a.suspected, b.suspected);
    assert_eq!(a.checklist, b.checklist);
}

#[test]
fn a_wrong_expectation_says_expected_and_got() {
    let g = bundled();
    let rc = case(
        r#"name = "x"
answers = [2, 4, 4]
expect_suspected = ["resource-misconfiguration"]
expect_checklist = ["force-reauthentication"]
expect_fields = { error_code = "AADSTS0" }"#,
    );
    let p = run_case(&g, &rc);
    assert_eq!(p.len(), 3, "{p:#?}");
    assert!(
        p[0].contains(r#"expected ["resource-misconfiguration"], got ["incorrect-domain-hint"]"#),
        "{}",
        p[0]
    );
    assert!(p[1].starts_with("checklist: expected it to start with [\"force-reauthentication\"], got [\"domain-verification\""), "{}", p[1]);
    assert!(
        p[2].contains(r#"expected "AADSTS0", got "AADSTS50143""#),
        "{}",
        p[2]
    );
}

#[test]
fn answers_past_the_end_or_unknown_fail() {
    let g = bundled();
    let p = run_case(&g, &case("name = \"x\"\nanswers = [1, 1, 1, 1]"));
    assert!(p[0].contains("after the diagnostics are over"), "{p:?}");
    let p = run_case(&g, &case("name = \"x\"\nanswers = [\"Maybe\"]"));
    assert!(p[0].contains("has no answer \"Maybe\""), "{p:?}");
}

#[test]
fn marks_move_the_checklist() {
    let g = bundled();
    let rc = case(
        r#"name = "x"
answers = [3, 4, 4]
confirm = ["session-information-mismatch"]
expect_suspected = []
expect_checklist = ["review-session-handling", "force-reauthentication"]"#,
    );
    assert_eq!(run_case(&g, &rc), Vec::<String>::new());
}
