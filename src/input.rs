//! Where terminal events become messages: keys through the key map (and the fixed keys of
//! the picker and of field editing), mouse events through the screen's layout. A click or a
//! wheel turn is resolved here, against the same geometry the ui draws with, into a
//! [`Target`] (a picker row, a stepper tab, a pane and its item), so [`App::update`] acts on
//! intent and never asks the ui where things are.
//!
//! The geometry is that of the state before the message is applied, which is what was on
//! screen when the user clicked.

use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::layout::Position;

use crate::app::{App, Msg, Screen, Target};
use crate::keymap::Action;

/// Turn a terminal event into a message, according to the screen and the key map.
pub fn message_for(app: &App, event: &Event) -> Option<Msg> {
    if crate::ui::too_small(app.size) {
        // Nothing is on screen to act on: only the quit keys the screen names work
        // (`ui::quit_keys_label`), and a resize.
        return match event {
            Event::Key(k) if k.kind != KeyEventKind::Release && is_quit_key(app, k) => {
                Some(Msg::Do(Action::Quit))
            }
            Event::Resize(w, h) => Some(Msg::Resize(*w, *h)),
            _ => None,
        };
    }
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => key_message(app, k),
        Event::Mouse(m) if app.mouse => {
            let at = Position {
                x: m.column,
                y: m.row,
            };
            match m.kind {
                MouseEventKind::Down(MouseButton::Left) => Some(Msg::Click(target_at(app, at))),
                MouseEventKind::ScrollDown => Some(Msg::Wheel(target_at(app, at), true)),
                MouseEventKind::ScrollUp => Some(Msg::Wheel(target_at(app, at), false)),
                _ => None,
            }
        }
        Event::Paste(text) => Some(Msg::Paste(text.clone())),
        Event::Resize(w, h) => Some(Msg::Resize(*w, *h)),
        _ => None,
    }
}

/// What is drawn at screen cell `at`: in the picker a row of its list; in the wizard a stepper
/// tab, or a pane and the item of it on that line.
pub fn target_at(app: &App, at: Position) -> Target {
    if app.screen == Screen::Picker {
        return crate::ui::picker::row_at(app, at).map_or(Target::Nowhere, Target::PickerRow);
    }
    if let Some(stage) = crate::ui::tab_at(app, at.x, at.y) {
        return Target::Tab(stage);
    }
    match crate::ui::pane_at(app, at.x, at.y) {
        Some(stage) => Target::Pane(stage, crate::ui::item_at(app, stage, at.x, at.y)),
        None => Target::Nowhere,
    }
}

/// The key map's quit keys, and Ctrl-C, which always quits the picker.
fn is_quit_key(app: &App, k: &KeyEvent) -> bool {
    app.keymap.action(k) == Some(Action::Quit)
        || (k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL))
}

fn key_message(app: &App, k: &KeyEvent) -> Option<Msg> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if let Some(offer) = &app.owner_offer {
        return offer.key_message(k);
    }
    if app.is_asking() {
        let yes = matches!(k.code, KeyCode::Char('y' | 'Y')) && !ctrl;
        return Some(Msg::Confirm(yes));
    }
    if app.is_labelling() {
        return match k.code {
            KeyCode::Char('c') if ctrl => Some(Msg::Do(Action::Quit)),
            KeyCode::Enter => Some(Msg::LabelDone(true)),
            KeyCode::Esc => Some(Msg::LabelDone(false)),
            _ => tui_input::backend::crossterm::to_input_request(&Event::Key(*k)).map(Msg::Label),
        };
    }
    if app.screen == Screen::Picker {
        return match k.code {
            KeyCode::Char('c') if ctrl => Some(Msg::Do(Action::Quit)),
            KeyCode::Char('n') if ctrl => Some(Msg::PickerDown),
            KeyCode::Char('p') if ctrl => Some(Msg::PickerUp),
            KeyCode::Char('w') if ctrl => Some(Msg::EraseWord),
            KeyCode::Char('u') if ctrl => Some(Msg::ClearQuery),
            KeyCode::Char(c) if !ctrl => Some(Msg::Type(c)),
            KeyCode::Down | KeyCode::Tab => Some(Msg::PickerDown),
            KeyCode::Up | KeyCode::BackTab => Some(Msg::PickerUp),
            KeyCode::Enter => Some(Msg::Open),
            KeyCode::Backspace => Some(Msg::Erase),
            KeyCode::Esc if !app.picker.query.is_empty() => Some(Msg::ClearQuery),
            KeyCode::Esc => Some(Msg::Do(Action::Quit)),
            _ => None,
        };
    }
    if app.wiz.as_ref().is_some_and(|w| w.editing.is_some()) {
        return match k.code {
            KeyCode::Char('c') if ctrl => Some(Msg::Do(Action::Quit)),
            KeyCode::Char('y') if ctrl => Some(Msg::Do(Action::Copy)),
            KeyCode::Enter | KeyCode::Esc => Some(Msg::EditDone(0)),
            KeyCode::Tab | KeyCode::Down => Some(Msg::EditDone(1)),
            KeyCode::BackTab | KeyCode::Up => Some(Msg::EditDone(-1)),
            _ => tui_input::backend::crossterm::to_input_request(&Event::Key(*k)).map(Msg::Edit),
        };
    }
    if let (KeyCode::Char(c @ '1'..='9'), false) = (k.code, ctrl)
        && app.keymap.action(k).is_none()
    {
        return Some(Msg::Choose(c as usize - '1' as usize));
    }
    app.keymap.action(k).map(Msg::Do)
}
