//! Key handling on the app state, without a terminal: every documented key goes through
//! `App::message_for` (the key map) and `App::update`, and the state is checked directly.
//!
//! The AADSTS50143 guide has three steps (3, 4 and 4 answers), three issues and five
//! resolutions of one task each; the expectations below lean on that shape.

use std::collections::BTreeMap;

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use tshoot::app::{App, Effect, Msg, Overlay, Screen};
use tshoot::config::Colors;
use tshoot::guide::{Library, Origin};
use tshoot::keymap::{Action, KeyMap};
use tshoot::ui::theme::Theme;
use tshoot::wizard::{Act, Mark, Outcome, Position, Stage};

fn lib() -> Library {
    Library::load(&[])
}

/// The reference guide plus a second one, so the picker has two rows to move between (the
/// bundled library is more than a screen, which other tests cover).
fn lib_with_two() -> Library {
    let mut lib = Library::default();
    let base = tshoot::guide::load::REFERENCE_GUIDE;
    lib.add(Origin::Bundled("aadsts50143.toml"), base);
    let other = base
        .replace("id = \"AADSTS50143\"", "id = \"AADSTS50058\"")
        .replace("aliases = [\"50143\"]", "aliases = [\"50058\"]")
        .replace(
            "title = \"Session mismatch\"",
            "title = \"Silent sign-in failed\"",
        );
    lib.add(Origin::Bundled("other.toml"), &other);
    assert_eq!(
        lib.guides.len(),
        2,
        "{:?}",
        lib.failures
            .iter()
            .map(tshoot::guide::load::Failure::summary)
            .collect::<Vec<_>>()
    );
    lib
}

fn app_with(lib: Library, keymap: KeyMap) -> App {
    let mut app = App::new(lib, keymap, Theme::from_colors(&Colors::default(), true));
    app.now = || "2026-01-01T00:00:00Z".to_owned();
    app.size = (80, 24);
    app
}

fn app() -> App {
    app_with(lib(), KeyMap::default())
}

fn ev(code: KeyCode, m: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, m))
}

fn k(code: KeyCode) -> Event {
    ev(code, KeyModifiers::NONE)
}

fn c(ch: char) -> Event {
    k(KeyCode::Char(ch))
}

fn ctrl(ch: char) -> Event {
    ev(KeyCode::Char(ch), KeyModifiers::CONTROL)
}

fn click_at(x: u16, y: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    })
}

fn wheel(x: u16, y: u16, down: bool) -> Event {
    let kind = if down {
        MouseEventKind::ScrollDown
    } else {
        MouseEventKind::ScrollUp
    };
    Event::Mouse(MouseEvent {
        kind,
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    })
}

/// One event through the key map and `update`.
fn press(app: &mut App, e: &Event) -> Option<Effect> {
    let msg = tshoot::input::message_for(app, e)?;
    app.update(msg)
}

fn type_str(app: &mut App, s: &str) {
    for ch in s.chars() {
        assert_eq!(press(app, &c(ch)), None);
    }
}

/// The picker, "50143" typed, Enter: the wizard on the bundled guide.
fn opened() -> App {
    let mut a = app();
    type_str(&mut a, "50143");
    press(&mut a, &k(KeyCode::Enter));
    assert_eq!(a.screen, Screen::Wizard);
    a
}

fn wiz(a: &App) -> &tshoot::app::WizardUi {
    a.wiz.as_ref().expect("wizard open")
}

fn focus(a: &App) -> Stage {
    wiz(a).focus
}

fn sel(a: &App, s: Stage) -> usize {
    wiz(a).sel[s.index()]
}

fn answers(a: &App) -> Vec<usize> {
    wiz(a).wizard.case.trail.iter().map(|g| g.answer).collect()
}

fn position(a: &App) -> Position {
    let w = wiz(a);
    w.wizard.case.position(&a.lib.guides[w.guide].guide)
}

fn status(a: &App) -> (String, bool) {
    a.status
        .as_ref()
        .map(|s| (s.text.clone(), s.error))
        .unwrap_or_default()
}

// --- the picker ---------------------------------------------------------------------------

#[test]
fn typed_characters_go_to_the_search() {
    let mut a = app();
    // Letters that are wizard keys (q, j, k, c, x, b, n, ?) are text in the picker.
    type_str(&mut a, "qjkcxbn? 5");
    assert_eq!(a.picker.query, "qjkcxbn? 5");
    assert_eq!(a.screen, Screen::Picker);
    press(&mut a, &k(KeyCode::Backspace));
    assert_eq!(a.picker.query, "qjkcxbn? ");
    press(&mut a, &ctrl('w'));
    assert_eq!(a.picker.query, "");
    type_str(&mut a, "abc");
    press(&mut a, &ctrl('u'));
    assert_eq!(a.picker.query, "");
    // Pasted text types into the search too, first line only.
    a.update(Msg::Paste("50143\nsecond line".to_owned()));
    assert_eq!(a.picker.query, "50143");
}

#[test]
fn picker_moves_with_arrows_ctrl_n_p_and_tab() {
    let mut a = app_with(lib_with_two(), KeyMap::default());
    assert_eq!(a.picker.items.len(), 2);
    for (e, want) in [
        (k(KeyCode::Down), 1),
        (k(KeyCode::Down), 1),
        (k(KeyCode::Up), 0),
        (ctrl('n'), 1),
        (ctrl('p'), 0),
        (k(KeyCode::Tab), 1),
        (ev(KeyCode::BackTab, KeyModifiers::SHIFT), 0),
    ] {
        press(&mut a, &e);
        assert_eq!(a.picker.selection, want);
    }
    assert_eq!(a.picker.query, "", "moving types nothing");
    // Enter opens the highlighted guide.
    press(&mut a, &k(KeyCode::Down));
    press(&mut a, &k(KeyCode::Enter));
    assert_eq!(a.screen, Screen::Wizard);
    assert_eq!(a.lib.guides[wiz(&a).guide].guide.id.as_str(), "AADSTS50058");
}

#[test]
fn typing_50143_then_enter_opens_the_guide() {
    let a = opened();
    assert_eq!(a.lib.guides[wiz(&a).guide].guide.id.as_str(), "AADSTS50143");
    assert_eq!(focus(&a), Stage::Diagnostics);
    assert_eq!(position(&a), Position::Step(0));
}

#[test]
fn enter_with_no_match_reports_and_stays() {
    let mut a = app();
    type_str(&mut a, "zzzq");
    press(&mut a, &k(KeyCode::Enter));
    assert_eq!(a.screen, Screen::Picker);
    assert!(status(&a).1, "an error: {:?}", a.status);
    // Editing the search clears the stale error, so the key hints come back.
    press(&mut a, &k(KeyCode::Backspace));
    assert_eq!(a.status, None);
}

#[test]
fn esc_clears_the_search_then_quits_and_ctrl_c_quits() {
    let mut a = app();
    type_str(&mut a, "501");
    assert_eq!(press(&mut a, &k(KeyCode::Esc)), None);
    assert_eq!(a.picker.query, "");
    assert_eq!(press(&mut a, &k(KeyCode::Esc)), Some(Effect::Quit));
    let mut a = app();
    type_str(&mut a, "501");
    assert_eq!(press(&mut a, &ctrl('c')), Some(Effect::Quit));
}

#[test]
fn open_query_opens_by_alias_or_leaves_the_picker_with_an_error() {
    let mut a = app();
    a.open_query("50143");
    assert_eq!(a.screen, Screen::Wizard);
    let mut a = app();
    a.open_query(" AADSTS50143 ");
    assert_eq!(a.screen, Screen::Wizard);
    let mut a = app();
    a.open_query("zzz");
    assert_eq!(a.screen, Screen::Picker);
    assert_eq!(a.picker.query, "zzz");
    let (text, error) = status(&a);
    assert!(error && text.contains("zzz"), "{text}");
    assert!(a.picker.items.is_empty());
}

#[test]
fn picker_mouse_click_selects_then_opens_and_wheel_moves() {
    let mut a = app_with(lib_with_two(), KeyMap::default());
    // List rows start at y = 4 (search box 3 rows, then the list's top border), x = 1.
    press(&mut a, &click_at(10, 5));
    assert_eq!(a.picker.selection, 1);
    assert_eq!(a.screen, Screen::Picker, "a first click only selects");
    press(&mut a, &wheel(10, 5, false));
    assert_eq!(a.picker.selection, 0);
    press(&mut a, &wheel(10, 5, true));
    assert_eq!(a.picker.selection, 1);
    press(&mut a, &click_at(10, 20));
    assert_eq!(a.picker.selection, 1, "a click below the rows does nothing");
    press(&mut a, &click_at(10, 5));
    assert_eq!(a.screen, Screen::Wizard, "a second click opens");
}

// --- the wizard: diagnostics --------------------------------------------------------------

#[test]
fn up_down_j_k_ctrl_n_p_move_and_stop_at_the_ends() {
    let mut a = opened();
    for (e, want) in [
        (k(KeyCode::Up), 0),
        (c('j'), 1),
        (k(KeyCode::Down), 2),
        (ctrl('n'), 2), // three answers: stops at the last
        (c('k'), 1),
        (ctrl('p'), 0),
        (c('G'), 2),
        (c('g'), 0),
        (k(KeyCode::End), 2),
        (k(KeyCode::Home), 0),
        (k(KeyCode::PageDown), 2),
        (k(KeyCode::PageUp), 0),
    ] {
        press(&mut a, &e.clone());
        assert_eq!(sel(&a, Stage::Diagnostics), want, "after {e:?}");
    }
}

#[test]
fn enter_and_space_choose_the_highlighted_answer() {
    let mut a = opened();
    press(&mut a, &c('j'));
    press(&mut a, &k(KeyCode::Enter));
    assert_eq!(answers(&a), [1]);
    assert_eq!(
        sel(&a, Stage::Diagnostics),
        0,
        "the next step starts at its first answer"
    );
    press(&mut a, &c('j'));
    press(&mut a, &c(' '));
    assert_eq!(answers(&a), [1, 1]);
    assert_eq!(position(&a), Position::Step(2));
    assert!(!status(&a).1);
}

#[test]
fn number_keys_answer() {
    let mut a = opened();
    press(&mut a, &c('2'));
    press(&mut a, &c('3'));
    assert_eq!(answers(&a), [1, 2]);
    press(&mut a, &c('4'));
    assert_eq!(answers(&a), [1, 2, 3]);
    // The diagnostics are done: focus moves to the stage the guide leads to.
    assert_eq!(position(&a), Position::Done(Stage::Issues));
    assert_eq!(focus(&a), Stage::Issues);
    // A number now is refused with a message, and changes nothing.
    press(&mut a, &c('1'));
    assert_eq!(answers(&a), [1, 2, 3]);
    assert!(status(&a).1);
}

#[test]
fn a_number_with_no_such_answer_keeps_the_highlight_on_an_answer() {
    let mut a = opened();
    press(&mut a, &c('j'));
    press(&mut a, &c('9'));
    assert!(answers(&a).is_empty());
    assert!(status(&a).1, "refused: {:?}", a.status);
    assert!(
        sel(&a, Stage::Diagnostics) < 3,
        "highlight {} is off the 3 answers",
        sel(&a, Stage::Diagnostics)
    );
    assert_eq!(sel(&a, Stage::Diagnostics), 1, "and stays where it was");
}

#[test]
fn backspace_and_b_go_back_and_restore_the_highlight() {
    let mut a = opened();
    press(&mut a, &c('3'));
    press(&mut a, &c('2'));
    assert_eq!(answers(&a), [2, 1]);
    press(&mut a, &k(KeyCode::Backspace));
    assert_eq!(answers(&a), [2]);
    assert_eq!(position(&a), Position::Step(1));
    assert_eq!(
        sel(&a, Stage::Diagnostics),
        1,
        "highlight on the answer that was given"
    );
    press(&mut a, &c('b'));
    assert!(answers(&a).is_empty());
    assert_eq!(sel(&a, Stage::Diagnostics), 2);
    // Nothing left: refused, with a message.
    press(&mut a, &c('b'));
    assert!(status(&a).1);
    // Back from the issues pane returns to the diagnostics.
    type_str(&mut a, "111");
    assert_eq!(focus(&a), Stage::Issues);
    press(&mut a, &k(KeyCode::Backspace));
    assert_eq!(focus(&a), Stage::Diagnostics);
    assert_eq!(position(&a), Position::Step(2));
}

#[test]
fn undo_reverts_the_last_change_of_any_kind() {
    let mut a = opened();
    type_str(&mut a, "222");
    press(&mut a, &c('c'));
    assert_eq!(wiz(&a).wizard.case.marks.len(), 1);
    press(&mut a, &c('u'));
    assert!(wiz(&a).wizard.case.marks.is_empty());
    press(&mut a, &c('u'));
    assert_eq!(answers(&a), [1, 1]);
}

// --- issues and the checklist ---------------------------------------------------------------

fn issue_marks(a: &App) -> BTreeMap<String, Mark> {
    wiz(a).wizard.case.marks.clone()
}

#[test]
fn c_and_x_confirm_and_rule_out_and_space_cycles() {
    let mut a = opened();
    type_str(&mut a, "222");
    assert_eq!(focus(&a), Stage::Issues);
    // Top of the list: the most suspected issue.
    press(&mut a, &c('c'));
    assert_eq!(
        issue_marks(&a).get("incorrect-domain-hint"),
        Some(&Mark::Confirmed)
    );
    assert_eq!(sel(&a, Stage::Issues), 0, "the highlight follows the issue");
    press(&mut a, &c('c'));
    assert_eq!(
        issue_marks(&a).get("incorrect-domain-hint"),
        None,
        "c again clears it"
    );
    press(&mut a, &c('x'));
    assert_eq!(
        issue_marks(&a).get("incorrect-domain-hint"),
        Some(&Mark::RuledOut)
    );
    // Ruled out sorts last; the highlight went with it.
    assert_eq!(sel(&a, Stage::Issues), 2);
    // Space cycles: ruled out -> open -> confirmed -> ruled out.
    press(&mut a, &c(' '));
    assert_eq!(issue_marks(&a).get("incorrect-domain-hint"), None);
    let at = sel(&a, Stage::Issues);
    assert_eq!(at, 0, "open and most suspected again: back on top");
    press(&mut a, &c(' '));
    assert_eq!(
        issue_marks(&a).get("incorrect-domain-hint"),
        Some(&Mark::Confirmed)
    );
    press(&mut a, &k(KeyCode::Enter));
    assert_eq!(
        issue_marks(&a).get("incorrect-domain-hint"),
        Some(&Mark::RuledOut)
    );
}

fn done_count(a: &App) -> usize {
    wiz(a).wizard.case.done.len()
}

#[test]
fn space_ticks_tasks_in_the_checklist() {
    let mut a = opened();
    type_str(&mut a, "222");
    press(&mut a, &k(KeyCode::Tab));
    assert_eq!(focus(&a), Stage::Resolution);
    press(&mut a, &c(' '));
    assert_eq!(done_count(&a), 1);
    press(&mut a, &c('j'));
    press(&mut a, &k(KeyCode::Enter));
    assert_eq!(done_count(&a), 2);
    press(&mut a, &c(' '));
    assert_eq!(done_count(&a), 1, "space again unticks");
    // c and x do nothing to tasks.
    press(&mut a, &c('c'));
    press(&mut a, &c('x'));
    assert_eq!(done_count(&a), 1);
    assert!(issue_marks(&a).is_empty());
}

#[test]
fn ticking_the_escalation_task_escalates_to_the_ticket() {
    let mut a = opened();
    type_str(&mut a, "222");
    press(&mut a, &k(KeyCode::Tab));
    press(&mut a, &c('G'));
    press(&mut a, &c(' '));
    assert_eq!(wiz(&a).wizard.case.outcome, Outcome::Escalated);
    assert_eq!(focus(&a), Stage::Ticket);
}

#[test]
fn e_escalates_and_r_resolves_and_reopens() {
    let mut a = opened();
    // Nothing answered yet: r asks first, y confirms.
    press(&mut a, &c('r'));
    assert_eq!(wiz(&a).wizard.case.outcome, Outcome::Open);
    assert!(a.confirm.is_some());
    press(&mut a, &c('y'));
    assert_eq!(wiz(&a).wizard.case.outcome, Outcome::Resolved);
    press(&mut a, &c('r'));
    assert_eq!(wiz(&a).wizard.case.outcome, Outcome::Open);
    press(&mut a, &c('e'));
    assert_eq!(wiz(&a).wizard.case.outcome, Outcome::Escalated);
    assert_eq!(focus(&a), Stage::Ticket);
    // y asks the loop to copy the ticket text; the case is unchanged.
    let before = wiz(&a).wizard.case.clone();
    match press(&mut a, &c('y')) {
        Some(Effect::Copy(text)) => assert!(text.contains("AADSTS50143"), "{text}"),
        other => panic!("y gave {other:?}"),
    }
    assert_eq!(wiz(&a).wizard.case, before);
}

#[test]
fn with_redact_the_ticket_shown_and_copied_masks_private_data() {
    let page = "AADSTS50143: Session mismatch\n\
        Request Id: 0b1c7a3e-2d4f-4c7a-9e55-8d2f0a6b1c3d\n\
        Correlation Id: 5f0e2a9b-7c41-4d8e-a1b2-3c4d5e6f7a8b\n\
        IP address: 203.0.113.7\n\
        Tenant ID: 72f988bf-86f1-41af-91ab-2d7cd011db47\n\
        Signed in as: alice@contoso.com\n";
    for redact in [false, true] {
        let mut a = opened();
        a.redact = redact;
        a.update(Msg::Paste(page.to_owned()));
        press(&mut a, &k(KeyCode::Enter));
        // The engineer's own notes are masked too.
        let w = a.wiz.as_mut().unwrap();
        let g = &a.lib.guides[w.guide].guide;
        let notes = format!("{}; user alice@contoso.com", w.wizard.case.notes);
        w.wizard.apply(g, &Act::SetNotes(notes)).unwrap();
        let Some(Effect::Copy(text)) = press(&mut a, &c('y')) else {
            panic!("no copy");
        };
        assert_eq!(a.ticket_text().as_deref(), Some(text.as_str()));
        assert!(
            text.contains("0b1c7a3e-2d4f-4c7a-9e55-8d2f0a6b1c3d"),
            "{text}"
        );
        assert!(
            text.contains("5f0e2a9b-7c41-4d8e-a1b2-3c4d5e6f7a8b"),
            "{text}"
        );
        let private = ["alice@contoso.com", "203.0.113.7", "72f988bf"];
        for p in private {
            assert_eq!(
                text.contains(p),
                !redact,
                "{p} with redact={redact}:\n{text}"
            );
        }
        if redact {
            assert!(
                text.contains("<user-1>") && text.contains("<ip-1>"),
                "{text}"
            );
            assert!(text.contains("<tenant-1>"), "{text}");
        }
    }
}

// --- panes, overlays, leaving -------------------------------------------------------------

#[test]
fn tab_and_shift_tab_cycle_the_panes() {
    let mut a = opened();
    let mut seen = vec![focus(&a)];
    for _ in 0..4 {
        press(&mut a, &k(KeyCode::Tab));
        seen.push(focus(&a));
    }
    assert_eq!(
        seen,
        [
            Stage::Diagnostics,
            Stage::Issues,
            Stage::Resolution,
            Stage::Ticket,
            Stage::Diagnostics
        ]
    );
    press(&mut a, &ev(KeyCode::BackTab, KeyModifiers::SHIFT));
    assert_eq!(focus(&a), Stage::Ticket);
    press(&mut a, &c('h'));
    assert_eq!(focus(&a), Stage::Resolution);
    press(&mut a, &c('l'));
    press(&mut a, &k(KeyCode::Right));
    assert_eq!(focus(&a), Stage::Diagnostics);
    press(&mut a, &k(KeyCode::Left));
    assert_eq!(focus(&a), Stage::Ticket);
}

#[test]
fn help_and_notes_overlays_open_and_esc_closes_them() {
    let mut a = opened();
    press(&mut a, &c('?'));
    assert_eq!(wiz(&a).overlay, Some(Overlay::Help));
    // While an overlay is up, keys do not reach the panes behind it.
    press(&mut a, &c('j'));
    press(&mut a, &c('2'));
    press(&mut a, &c(' '));
    assert_eq!(sel(&a, Stage::Diagnostics), 0);
    assert!(
        answers(&a).is_empty(),
        "a number behind the help must not answer"
    );
    press(&mut a, &k(KeyCode::Esc));
    assert_eq!(wiz(&a).overlay, None);
    assert_eq!(a.screen, Screen::Wizard, "Esc closed the overlay only");
    press(&mut a, &k(KeyCode::F(1)));
    assert_eq!(wiz(&a).overlay, Some(Overlay::Help));
    press(&mut a, &c('?'));
    assert_eq!(wiz(&a).overlay, None, "? toggles");
    press(&mut a, &c('n'));
    assert_eq!(wiz(&a).overlay, Some(Overlay::Notes));
    press(&mut a, &c('?'));
    assert_eq!(
        wiz(&a).overlay,
        Some(Overlay::Help),
        "one overlay replaces the other"
    );
    press(&mut a, &k(KeyCode::Esc));
    press(&mut a, &c('n'));
    press(&mut a, &c('n'));
    assert_eq!(wiz(&a).overlay, None, "n toggles");
    // q quits from an overlay too.
    press(&mut a, &c('n'));
    assert_eq!(press(&mut a, &c('q')), Some(Effect::Quit));
}

#[test]
fn esc_in_the_wizard_returns_to_the_picker_and_the_case_is_kept() {
    let mut a = opened();
    type_str(&mut a, "22");
    press(&mut a, &k(KeyCode::Esc));
    assert_eq!(a.screen, Screen::Picker);
    assert_eq!(a.picker.query, "50143", "the search is as it was");
    // The unfinished case is listed first, highlighted; Enter resumes it.
    assert_eq!(a.picker.selected(), Some(tshoot::picker::Item::Session(0)));
    press(&mut a, &k(KeyCode::Enter));
    assert_eq!(a.screen, Screen::Wizard);
    assert_eq!(answers(&a), [1, 1]);
    // The guide itself, below it, starts a new case.
    press(&mut a, &k(KeyCode::Esc));
    press(&mut a, &k(KeyCode::Down));
    press(&mut a, &k(KeyCode::Enter));
    assert!(answers(&a).is_empty());
}

#[test]
fn q_and_ctrl_c_quit_in_the_wizard() {
    let mut a = opened();
    assert_eq!(press(&mut a, &c('q')), Some(Effect::Quit));
    let mut a = opened();
    assert_eq!(press(&mut a, &ctrl('c')), Some(Effect::Quit));
}

#[test]
fn key_releases_are_ignored() {
    let a = opened();
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert_eq!(tshoot::input::message_for(&a, &Event::Key(release)), None);
}

// --- the mouse ------------------------------------------------------------------------------

/// Wide layout, so all three panes are on screen.
fn opened_wide() -> App {
    let mut a = opened();
    a.update(Msg::Resize(120, 40));
    a
}

fn pane(a: &App, s: Stage) -> Rect {
    let w = wiz(a);
    tshoot::ui::regions(
        Rect::new(0, 0, a.size.0, a.size.1),
        w,
        &a.lib.guides[w.guide].guide,
    )
    .panes[s.index()]
}

/// The screen row of item `n` of pane `s` (as drawn: inner area, content scrolled to the
/// highlight).
fn item_row(a: &App, s: Stage, n: usize) -> u16 {
    let w = wiz(a);
    let g = &a.lib.guides[w.guide].guide;
    let r = pane(a, s);
    let content = tshoot::ui::pane_text(a, w, g, s, r.width - 2);
    let off = content.offset_for(w.sel[s.index()], usize::from(r.height - 2));
    r.y + 1 + u16::try_from(content.items[n].start - off).unwrap()
}

#[test]
fn click_focuses_a_pane_selects_an_item_and_a_second_click_acts() {
    let mut a = opened_wide();
    // A click on the issues pane's border area focuses it.
    let r = pane(&a, Stage::Issues);
    press(&mut a, &click_at(r.x + 3, r.y + 1));
    assert_eq!(focus(&a), Stage::Issues);
    // A click on answer 2 of the diagnostics focuses that pane and highlights the answer...
    let r = pane(&a, Stage::Diagnostics);
    let y = item_row(&a, Stage::Diagnostics, 1);
    press(&mut a, &click_at(r.x + 6, y));
    assert_eq!(focus(&a), Stage::Diagnostics);
    assert_eq!(sel(&a, Stage::Diagnostics), 1);
    assert!(answers(&a).is_empty(), "a first click only highlights");
    // ...and a second click chooses it.
    press(&mut a, &click_at(r.x + 6, y));
    assert_eq!(answers(&a), [1]);
    // In the checklist: click, click ticks.
    let r = pane(&a, Stage::Resolution);
    let y = item_row(&a, Stage::Resolution, 2);
    press(&mut a, &click_at(r.x + 8, y));
    assert_eq!(
        (focus(&a), sel(&a, Stage::Resolution)),
        (Stage::Resolution, 2)
    );
    assert_eq!(done_count(&a), 0);
    press(&mut a, &click_at(r.x + 8, y));
    assert_eq!(done_count(&a), 1);
}

#[test]
fn clicking_a_stepper_tab_focuses_its_pane() {
    let mut a = opened();
    // 80 columns: the stepper tabs on row 1 pick the one pane shown.
    let mut hits = Vec::new();
    for x in 0..80 {
        if let Some(s) = tshoot::ui::tab_at(&a, x, 1)
            && hits.last() != Some(&s)
        {
            hits.push(s);
            press(&mut a, &click_at(x, 1));
            assert_eq!(focus(&a), s);
        }
    }
    assert_eq!(hits, Stage::ALL);
}

#[test]
fn wheel_moves_the_highlight_of_the_pane_under_it() {
    let mut a = opened_wide();
    let r = pane(&a, Stage::Resolution);
    press(&mut a, &wheel(r.x + 5, r.y + 5, true));
    press(&mut a, &wheel(r.x + 5, r.y + 5, true));
    assert_eq!(focus(&a), Stage::Resolution);
    assert_eq!(sel(&a, Stage::Resolution), 2);
    press(&mut a, &wheel(r.x + 5, r.y + 5, false));
    assert_eq!(sel(&a, Stage::Resolution), 1);
    let d = pane(&a, Stage::Diagnostics);
    press(&mut a, &wheel(d.x + 5, d.y + 5, true));
    assert_eq!(
        (focus(&a), sel(&a, Stage::Diagnostics)),
        (Stage::Diagnostics, 1)
    );
}

#[test]
fn clicks_do_not_reach_panes_behind_an_overlay() {
    let mut a = opened_wide();
    press(&mut a, &c('?'));
    let r = pane(&a, Stage::Diagnostics);
    let y = item_row(&a, Stage::Diagnostics, 0);
    // The first answer is highlighted in the focused pane, so a click on it would choose it;
    // behind the help, the click only closes the help.
    press(&mut a, &click_at(r.x + 6, y));
    assert!(
        answers(&a).is_empty(),
        "a click behind the help must not answer"
    );
    assert_eq!(wiz(&a).overlay, None, "a click closes the overlay");
    press(&mut a, &c('n'));
    press(&mut a, &wheel(r.x + 6, y, true));
    assert_eq!(
        sel(&a, Stage::Diagnostics),
        0,
        "the wheel does not move what is behind the notes"
    );
    assert_eq!(wiz(&a).overlay, Some(Overlay::Notes));
}

#[test]
fn mouse_off_ignores_mouse_events() {
    let mut a = app();
    a.mouse = false;
    assert_eq!(tshoot::input::message_for(&a, &click_at(5, 5)), None);
    assert_eq!(tshoot::input::message_for(&a, &wheel(5, 5, true)), None);
}

// --- too small ------------------------------------------------------------------------------

#[test]
fn too_small_only_quits() {
    let mut a = app();
    a.update(Msg::Resize(40, 10));
    // The screen says "q quits": it must, even in the picker where q is normally text.
    assert_eq!(
        tshoot::input::message_for(&a, &c('j')),
        None,
        "blind keys are dropped"
    );
    assert_eq!(tshoot::input::message_for(&a, &click_at(1, 1)), None);
    assert_eq!(press(&mut a, &c('q')), Some(Effect::Quit));
    let mut a = opened();
    a.update(Msg::Resize(40, 10));
    assert_eq!(press(&mut a, &c('2')), None);
    assert!(answers(&a).is_empty());
    assert_eq!(press(&mut a, &ctrl('c')), Some(Effect::Quit));
    // Back to a usable size: keys work again.
    a.update(Msg::Resize(80, 24));
    press(&mut a, &c('2'));
    assert_eq!(answers(&a), [1]);
}

// --- a custom key map ---------------------------------------------------------------------

fn help_text(a: &App, width: u16) -> String {
    tshoot::ui::help::help_lines(a, width)
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[test]
fn a_custom_key_map_changes_the_keys_and_the_help_together() {
    let overrides = BTreeMap::from([
        (Action::Down, vec!["ctrl-j".to_owned(), "s".to_owned()]),
        (Action::Quit, vec!["Q".to_owned()]),
        (Action::Confirm, vec!["y".to_owned()]),
        (Action::Copy, vec!["ctrl-y".to_owned()]),
    ]);
    let (km, problems) = KeyMap::build(&overrides);
    assert!(problems.is_empty(), "{problems:?}");
    let mut a = app_with(lib(), km);
    type_str(&mut a, "50143");
    press(&mut a, &k(KeyCode::Enter));
    press(&mut a, &c('j'));
    assert_eq!(sel(&a, Stage::Diagnostics), 0, "j is no longer bound");
    press(&mut a, &c('s'));
    assert_eq!(sel(&a, Stage::Diagnostics), 1);
    press(&mut a, &ctrl('j'));
    assert_eq!(sel(&a, Stage::Diagnostics), 2);
    assert_eq!(press(&mut a, &c('q')), None, "q no longer quits");
    type_str(&mut a, "222");
    press(&mut a, &c('y'));
    assert_eq!(
        issue_marks(&a).get("incorrect-domain-hint"),
        Some(&Mark::Confirmed)
    );

    let help = help_text(&a, 76);
    assert!(help.contains("Ctrl-J s"), "{help}");
    assert!(!help.contains("Down j"), "{help}");
    let quit = help
        .lines()
        .find(|l| l.contains("quit"))
        .unwrap_or_default();
    assert!(quit.starts_with("Q "), "{help}");
    let confirm = help
        .lines()
        .find(|l| l.contains("confirm the highlighted"))
        .unwrap_or_default();
    assert!(confirm.starts_with("y "), "{help}");
    assert_eq!(press(&mut a, &c('Q')), Some(Effect::Quit));
}

#[test]
fn every_action_is_in_the_help_with_its_keys() {
    let a = opened();
    // Wide enough that no description wraps.
    let help = help_text(&a, 200);
    for action in Action::ALL {
        assert!(
            help.contains(action.describe()),
            "{action:?} missing from\n{help}"
        );
        for key in a.keymap.keys(action) {
            assert!(
                help.contains(&key.to_string()),
                "{key} of {action:?} missing from\n{help}"
            );
        }
    }
}
