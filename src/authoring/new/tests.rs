use super::*;

fn check(id: &str) -> crate::guide::Guide {
    let src = starter(id).expect("starter");
    match crate::guide::parse("new.toml", &src) {
        Ok((g, warnings)) => {
            assert!(
                warnings.is_empty(),
                "{id}: {}",
                warnings.iter().map(ToString::to_string).collect::<String>()
            );
            g
        }
        Err(d) => panic!(
            "{id}: {}",
            d.iter().map(ToString::to_string).collect::<String>()
        ),
    }
}

#[test]
fn the_starter_checks_clean_and_its_cases_pass() {
    for id in ["AADSTS50143", "printer-jam", "E42\"quote"] {
        let g = check(id);
        assert_eq!(g.id, id.trim());
        assert_eq!(g.cases.len(), 4);
        for rc in &g.cases {
            assert_eq!(
                super::super::replay::run_case(&g, rc),
                Vec::<String>::new(),
                "{id}: {}",
                rc.name
            );
        }
    }
}

#[test]
fn the_starter_shows_every_feature() {
    let g = check("AADSTS50143");
    assert_eq!(g.aliases, ["50143"]);
    let kinds: Vec<FieldKind> = g.fields().iter().map(|f| f.kind).collect();
    for k in [
        FieldKind::Text,
        FieldKind::Multiline,
        FieldKind::Guid,
        FieldKind::ErrorCode,
        FieldKind::Timestamp,
    ] {
        assert!(kinds.contains(&k), "{k:?}");
    }
    let answers = g.steps.iter().flat_map(|s| &s.answers);
    assert!(answers.clone().any(|a| a.next.as_deref() == Some("issues")));
    assert!(answers.clone().any(|a| a.suspect.len() > 1));
    assert!(g.steps.iter().any(|s| s.ask.is_none()));
    assert!(g.steps.iter().any(|s| s.next.is_some()));
    assert!(g.resolutions.iter().any(|r| r.escalate));
    assert!(!g.notes.is_empty() && !g.links.is_empty());
    let t = &g.ticket.as_ref().unwrap().template;
    assert!(t.contains("{guide.id}") && t.contains("{guide.title}"));
    let cases = &g.cases;
    assert!(
        cases
            .iter()
            .any(|c| !c.confirm.is_empty() && !c.rule_out.is_empty())
    );
    assert_eq!(g.fields()[0].default.as_deref(), Some("AADSTS50143"));
    assert_eq!(check("printer-jam").fields()[0].default, None);
}

#[test]
fn bad_ids_are_refused() {
    assert_eq!(starter("  "), Err(NewError::Empty));
    assert!(matches!(starter("two words"), Err(NewError::Spaces(_))));
}
