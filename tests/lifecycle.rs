//! The case's life cycle on the app state, without a terminal: resolving and closing ask first
//! when the case has loose ends and are undone by `u`; a copy of an escalated case's ticket
//! records it as sent; the label is typed with `L`; escalated and ticket-sent cases stay in
//! the picker, closed ones leave it. (The real binary: `tests/tmux.rs`.)

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use tshoot::app::{App, Effect, Msg, Pending, Screen};
use tshoot::wizard::State;

fn c(ch: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::NONE))
}

fn k(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn press(app: &mut App, e: &Event) -> Option<Effect> {
    let msg = tshoot::input::message_for(app, e)?;
    app.update(msg)
}

fn type_str(app: &mut App, s: &str) {
    for ch in s.chars() {
        press(app, &c(ch));
    }
}

fn opened() -> App {
    let mut a = crate::common::bundled_app(80, 24);
    a.open_query("AADSTS50143");
    assert_eq!(a.screen, Screen::Wizard);
    a
}

fn state(a: &App) -> State {
    a.wiz.as_ref().expect("wizard").wizard.case.state()
}

/// Answer the three diagnostics and fill every required ticket field: no loose ends.
fn finished() -> App {
    let mut a = opened();
    type_str(&mut a, "111");
    let g = &a.lib.guides[a.wiz.as_ref().unwrap().guide].guide;
    let required: Vec<(String, String)> = g
        .fields()
        .iter()
        .filter(|f| f.required)
        .map(|f| {
            let v = match f.kind {
                tshoot::guide::FieldKind::Guid => "0b1c7a3e-2d4f-4c7a-9e55-8d2f0a6b1c3d",
                tshoot::guide::FieldKind::Timestamp => "2026-01-01T00:00:00Z",
                tshoot::guide::FieldKind::ErrorCode => "AADSTS50143",
                _ => "jane@contoso.com",
            };
            (f.id.to_string(), v.to_owned())
        })
        .collect();
    for (id, v) in required {
        let g = a.lib.guides[a.wiz.as_ref().unwrap().guide].guide.clone();
        a.wiz
            .as_mut()
            .unwrap()
            .wizard
            .apply(&g, &tshoot::wizard::Act::SetField(id, v))
            .unwrap();
    }
    a
}

#[test]
fn r_with_nothing_answered_asks_first_and_any_other_key_cancels() {
    let mut a = opened();
    press(&mut a, &c('r'));
    let ask = a.confirm.clone().expect("a question");
    assert_eq!(ask.pending, Pending::Resolve);
    assert!(
        ask.question.contains("diagnostics unfinished") && ask.question.contains("required"),
        "{}",
        ask.question
    );
    // The question is on screen.
    let screen = crate::common::draw(&a);
    assert!(screen.contains("Resolve?"), "{screen}");
    press(&mut a, &c('n'));
    assert!(a.confirm.is_none());
    assert_eq!(state(&a), State::Open);
    assert!(
        a.status
            .as_ref()
            .unwrap()
            .text
            .contains("nothing was changed")
    );
    // y does it, u undoes it.
    press(&mut a, &c('r'));
    press(&mut a, &c('y'));
    assert_eq!(state(&a), State::Resolved);
    press(&mut a, &c('u'));
    assert_eq!(state(&a), State::Open);
}

#[test]
fn a_finished_case_resolves_at_once_and_closes_and_reopens() {
    let mut a = finished();
    press(&mut a, &c('r'));
    assert!(a.confirm.is_none(), "no loose ends: no question");
    assert_eq!(state(&a), State::Resolved);
    press(&mut a, &c('C'));
    assert!(a.confirm.is_none(), "a resolved case closes at once");
    assert_eq!(state(&a), State::Closed);
    assert!(a.wiz.as_ref().unwrap().wizard.case.closed.as_deref() == Some("2026-01-01T00:00:00Z"));
    // C on a closed case reopens it where it was; u undoes the close the same way.
    press(&mut a, &c('C'));
    assert_eq!(state(&a), State::Resolved);
    press(&mut a, &c('C'));
    press(&mut a, &c('u'));
    assert_eq!(state(&a), State::Resolved);
}

#[test]
fn resolving_names_the_fix_that_was_worked_through() {
    let mut a = finished();
    // Tick the first task of the checklist, then resolve.
    a.update(Msg::Do(tshoot::keymap::Action::NextPane));
    let w = a.wiz.as_mut().unwrap();
    w.focus = tshoot::wizard::Stage::Resolution;
    w.sel[tshoot::wizard::Stage::Resolution.index()] = 0;
    press(&mut a, &c(' '));
    press(&mut a, &c('r'));
    let case = &a.wiz.as_ref().unwrap().wizard.case;
    let fix = case.fixed_by.clone().expect("a fix recorded");
    assert!(case.done.iter().any(|(r, _)| *r == fix), "{fix}");
    assert!(
        a.status.as_ref().unwrap().text.contains("fixed by"),
        "{:?}",
        a.status
    );
}

#[test]
fn closing_an_open_case_with_loose_ends_asks_first() {
    let mut a = opened();
    press(&mut a, &c('C'));
    assert_eq!(
        a.confirm.as_ref().map(|q| &q.pending),
        Some(&Pending::Close)
    );
    press(&mut a, &c('y'));
    assert_eq!(state(&a), State::Closed);
}

#[test]
fn a_copy_of_an_escalated_case_records_the_ticket_as_sent() {
    let mut a = opened();
    // A copy while open records nothing.
    a.update(Msg::Copied {
        summary: "✓ copied via OSC 52".into(),
        ok: true,
    });
    assert_eq!(state(&a), State::Open);
    press(&mut a, &c('e'));
    assert_eq!(state(&a), State::Escalated);
    // A failed copy records nothing.
    a.update(Msg::Copied {
        summary: "✗ no clipboard reached".into(),
        ok: false,
    });
    assert_eq!(state(&a), State::Escalated);
    a.update(Msg::Copied {
        summary: "✓ copied via OSC 52 (xterm)".into(),
        ok: true,
    });
    assert_eq!(state(&a), State::TicketSent);
    let sent = a.wiz.as_ref().unwrap().wizard.case.sent.clone().unwrap();
    assert_eq!(sent.at, "2026-01-01T00:00:00Z");
    assert_eq!(sent.how, "copied via OSC 52 (xterm)");
    // Escape to the picker: the case is still listed, as "ticket sent".
    a.wiz.as_mut().unwrap().on_disk = true;
    press(&mut a, &k(KeyCode::Esc));
    assert_eq!(a.screen, Screen::Picker);
    assert_eq!(a.sessions.len(), 1);
    let screen = crate::common::draw(&a);
    assert!(screen.contains("3f9a  ticket sent"), "{screen}");
}

#[test]
fn l_types_the_label_enter_keeps_it_esc_leaves_it() {
    let mut a = opened();
    press(&mut a, &c('L'));
    assert!(a.is_labelling());
    type_str(&mut a, "jane, Outlook");
    // Keys while typing are text, not actions.
    assert_eq!(state(&a), State::Open);
    let screen = crate::common::draw(&a);
    assert!(
        screen.contains("Case label") && screen.contains("jane, Outlook"),
        "{screen}"
    );
    press(&mut a, &k(KeyCode::Enter));
    assert!(!a.is_labelling());
    assert_eq!(a.wiz.as_ref().unwrap().wizard.case.label, "jane, Outlook");
    let screen = crate::common::draw(&a);
    assert!(
        screen.contains("jane, Outlook · case 3f9a · open"),
        "{screen}"
    );
    press(&mut a, &c('L'));
    type_str(&mut a, " and more");
    press(&mut a, &k(KeyCode::Esc));
    assert_eq!(a.wiz.as_ref().unwrap().wizard.case.label, "jane, Outlook");
    // One undo step takes the label away.
    press(&mut a, &c('u'));
    assert_eq!(a.wiz.as_ref().unwrap().wizard.case.label, "");
}

#[test]
fn the_picker_row_of_a_saved_case_shows_id_state_and_label_at_80_columns() {
    let mut a = opened();
    press(&mut a, &c('e'));
    press(&mut a, &c('L'));
    type_str(
        &mut a,
        "jane@contoso.com on Outlook for iOS, tenant Contoso",
    );
    press(&mut a, &k(KeyCode::Enter));
    press(&mut a, &k(KeyCode::Esc));
    let screen = crate::common::draw(&a);
    let row = screen
        .lines()
        .find(|l| l.contains('↻'))
        .unwrap_or_else(|| panic!("no saved-case row:\n{screen}"));
    assert!(
        row.contains("↻ 3f9a  escalated  jane@contoso.com on Outlook"),
        "{row}"
    );
    // The label is whole or ends in the marker: never cut mid-word without it.
    let label_end = row.trim_end_matches([' ', '│', '┃']).to_owned();
    assert!(
        label_end.ends_with("Contoso") || label_end.contains('…') || label_end.ends_with("now"),
        "{row}"
    );
}
