//! A case that another tshoot has open: the offer (read-only, take over, switch to its tmux
//! pane, cancel), read-only mode, and what the loop reports after a save (a new revision, or a
//! refusal because another copy saved or took over the case).
//!
//! The owner records themselves are core ([`crate::session::owner`]); this file only turns
//! them into choices and status lines. Reading a record when a case is picked is the one
//! file access made from `update` (as opening a guide parses it): the choice must be made
//! before the case is shown.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Effect, Msg, Screen};
use crate::keymap::Action;
use crate::session::Session;
use crate::session::owner::Owner;

/// The offer shown when the case to open is open in another tshoot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerOffer {
    /// The case as read from disk.
    pub session: Session,
    /// Who has it open.
    pub owner: Owner,
    /// The tmux pane it runs in (`session:window.pane`), when it is one of this tmux server's.
    pub pane: Option<String>,
}

/// The engineer's answer to an [`OwnerOffer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerChoice {
    ReadOnly,
    TakeOver,
    /// Go to the other copy's tmux pane.
    Switch,
    Cancel,
}

impl OwnerOffer {
    /// The keys of the offer: `r`, `t`, `s` (with a pane), `c`/Esc/`q`; Ctrl-C quits.
    pub fn key_message(&self, k: &KeyEvent) -> Option<Msg> {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let choice = match k.code {
            KeyCode::Char('c') if ctrl => return Some(Msg::Do(Action::Quit)),
            KeyCode::Char('r') => OwnerChoice::ReadOnly,
            KeyCode::Char('t') => OwnerChoice::TakeOver,
            KeyCode::Char('s') if self.pane.is_some() => OwnerChoice::Switch,
            KeyCode::Char('c' | 'q') | KeyCode::Esc => OwnerChoice::Cancel,
            _ => return None,
        };
        Some(Msg::Owner(choice))
    }

    /// "open in another tshoot on pts/3 since 06:27, pid 1234 (tmux pane work:1.0)".
    pub fn describe(&self) -> String {
        match &self.pane {
            Some(p) => format!(
                "{} (tmux pane {})",
                self.owner.describe(),
                crate::text::sanitize(p)
            ),
            None => self.owner.describe(),
        }
    }
}

impl App {
    /// Whether this copy may not change the open case.
    pub fn is_read_only(&self) -> bool {
        self.wiz.as_ref().is_some_and(|w| w.read_only.is_some())
    }

    /// Show the offer for a case that `owner` has open (`tshoot resume`, the picker).
    pub fn offer(&mut self, session: Session, owner: Owner, pane: Option<String>) {
        self.owner_offer = Some(OwnerOffer {
            session,
            owner,
            pane,
        });
    }

    /// Picker: when another live tshoot holds `s`, show the offer instead of opening it.
    pub(super) fn offer_if_held(&mut self, s: &Session) -> bool {
        let Some(owner) = self
            .store
            .as_ref()
            .and_then(|st| crate::session::owner::holder(st, &s.id))
        else {
            return false;
        };
        let pane = crate::session::owner::tmux_pane_of(owner.pid);
        self.offer(s.clone(), owner, pane);
        true
    }

    pub(super) fn owner_choice(&mut self, choice: OwnerChoice) -> Option<Effect> {
        let offer = self.owner_offer.clone()?;
        match choice {
            OwnerChoice::ReadOnly => {
                self.owner_offer = None;
                let why = offer.describe();
                match self.resume(offer.session) {
                    Ok(()) => {
                        if let Some(w) = &mut self.wiz {
                            w.read_only = Some(why.clone());
                        }
                        self.info(format!("read-only: this case is {why}"));
                    }
                    Err(e) => self.error(e.to_string()),
                }
                None
            }
            OwnerChoice::TakeOver => Some(Effect::TakeOver(offer.session.id)),
            OwnerChoice::Switch => {
                self.owner_offer = None;
                offer.pane.map(Effect::SwitchPane)
            }
            OwnerChoice::Cancel => {
                self.owner_offer = None;
                self.info(format!(
                    "not opened: case {} stays {}",
                    offer.session.id,
                    offer.describe()
                ));
                None
            }
        }
    }

    pub(super) fn took_over(&mut self, result: Result<Option<Box<Session>>, String>) {
        let Some(offer) = self.owner_offer.take() else {
            return;
        };
        match result {
            Ok(disk) => {
                let session = disk.map_or(offer.session, |d| *d);
                let id = session.id.clone();
                match self.resume(session) {
                    Ok(()) => self.info(format!(
                        "took case {id} over from the tshoot on {}, pid {}: that copy turns read-only at its next change",
                        crate::text::sanitize(&offer.owner.tty),
                        offer.owner.pid
                    )),
                    Err(e) => self.error(e.to_string()),
                }
            }
            Err(why) => self.error(format!("could not take the case over: {why}")),
        }
    }

    pub(super) fn saved(&mut self, revision: u64, notice: Option<String>) {
        if let Some(w) = &mut self.wiz {
            w.session.revision = revision;
        }
        if let Some(n) = notice {
            self.info(n);
        }
    }

    /// A save was refused. The case on disk (another copy's work) is shown in place of this
    /// copy's, and the status says the change was not saved, so nothing goes silently.
    pub(super) fn conflict(
        &mut self,
        why: String,
        disk: Option<Box<Session>>,
        read_only: Option<String>,
    ) {
        let Some(w) = &mut self.wiz else {
            self.error(why);
            return;
        };
        let shown = if let Some(disk) = disk {
            w.wizard = crate::wizard::Wizard::new(disk.case.clone());
            w.editing = None;
            w.session = *disk;
            self.saved_case = Some(w.wizard.case.clone());
            ""
        } else {
            "; the file could not be read back: the screen keeps your version"
        };
        if read_only.is_some() {
            w.read_only = read_only;
        }
        self.screen = Screen::Wizard;
        self.error(format!("{why}{shown}"));
    }
}
