//! The application state and its one entry point for change: [`App::update`].
//!
//! Input flows one way: a terminal event becomes a [`Msg`] ([`crate::input::message_for`],
//! using the key map and the screen's layout), `update` changes the state and may return an [`Effect`] for the event loop to
//! carry out (quit, later copy and save). Rendering (`ui`) only reads the state.

use ratatui::layout::Rect;

use tui_input::{Input, InputRequest};

use crate::guide::Library;
use crate::guide::catalog::Catalog;
use crate::keymap::{Action, KeyMap};
use crate::picker::Picker;
use crate::session::{Session, View as SessionView};
use crate::theme::Theme;
use crate::ticket::extract::sanitize;
use crate::ticket::{self, Format};
use crate::wizard::{Act, Case, Mark, Position, Stage, Wizard, view};

pub use crate::session::new_id as session_id;
pub use crate::ticket::propose::{Proposal, propose};

/// What a mouse event landed on, found by [`crate::input`] from the screen's layout before
/// the message reaches [`App::update`] (which never asks the ui about geometry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A row of the picker's list.
    PickerRow(usize),
    /// A stage's tab in the stepper.
    Tab(Stage),
    /// A pane, and the item of it under the pointer, if any.
    Pane(Stage, Option<usize>),
    /// Nothing that reacts (a border, the status line, an empty picker row).
    Nowhere,
}

/// One thing the user asked for, or one thing the event loop reports back.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A wizard action from the key map.
    Do(Action),
    /// Number key 1-9: choose that answer.
    Choose(usize),
    /// Picker: type a character into the search.
    Type(char),
    /// Picker: delete the character before the cursor / the word before it.
    Erase,
    EraseWord,
    /// Picker: clear the search.
    ClearQuery,
    /// Picker: move the highlight.
    PickerUp,
    PickerDown,
    /// Picker: open the highlighted guide.
    Open,
    /// Mouse click on what is under the pointer (resolved by [`crate::input`]).
    Click(Target),
    /// Mouse wheel over what is under the pointer (true: down).
    Wheel(Target, bool),
    /// Text pasted (bracketed paste).
    Paste(String),
    /// The terminal changed size.
    Resize(u16, u16),
    /// Ticket pane, while typing in a field: an editing request (cursor, delete word, ...).
    Edit(InputRequest),
    /// Stop typing in the field; the value is kept. Then move the highlight by the given step.
    EditDone(isize),
    /// The event loop copied the ticket ([`Effect::Copy`]): what happened, and whether any
    /// method worked.
    Copied {
        summary: String,
        ok: bool,
    },
    /// The event loop could not save the case: why (it stays in memory).
    NotSaved(String),
    /// `tshoot preview`: the guide file changed and was read again.
    Reloaded(crate::authoring::preview::Reload),
    /// The case open elsewhere: the engineer's answer to the offer ([`OwnerOffer`]).
    Owner(OwnerChoice),
    /// The event loop saved the case as this revision; a notice (a stale owner record taken
    /// over) to show, if any.
    Saved {
        revision: u64,
        notice: Option<String>,
    },
    /// The event loop's save was refused: another tshoot saved the case, or took it over
    /// (`read_only`: who has it now, and this copy turns read-only). `disk` is the case as
    /// saved there, shown instead.
    Conflict {
        why: String,
        disk: Option<Box<Session>>,
        read_only: Option<String>,
    },
    /// The event loop took the case over ([`Effect::TakeOver`]): the case as on disk now, or
    /// why it could not.
    TookOver(Result<Option<Box<Session>>, String>),
    /// The key pressed while a question waits ([`App::confirm`]): true for `y`.
    Confirm(bool),
    /// Typing the case's label: an editing request.
    Label(InputRequest),
    /// Stop typing the label: keep it (Enter) or leave the label as it was (Esc).
    LabelDone(bool),
}

pub use lifecycle::{Confirm, Pending};
pub use owner_offer::{OwnerChoice, OwnerOffer};

/// What the event loop must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Copy this ticket text to the engineer (the loop reports the outcome with
    /// [`App::copied`]).
    Copy(String),
    /// Take case ID over from the tshoot that has it open (answered with [`Msg::TookOver`]).
    TakeOver(String),
    /// Switch the tmux client to this pane, where the case is open, then quit.
    SwitchPane(String),
}

/// Which screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Picker,
    Wizard,
}

/// An overlay over the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Notes,
    /// What a paste held, waiting to be accepted.
    Proposal,
}

/// Why a saved case could not be reopened. `tshoot export` still writes it: that is said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the guide {guide} of session {session} cannot be opened: {} (`tshoot export {session}` still writes the case)",
    why.as_ref().map_or_else(|| "it is not loaded any more".to_owned(), |e| sanitize(&e.to_string()))
)]
pub struct ResumeError {
    /// The guide id, made safe to show.
    pub guide: String,
    pub session: String,
    /// `None`: no loaded guide has that id any more.
    pub why: Option<crate::guide::catalog::OpenError>,
}

/// A ticket pane row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketRow {
    /// Index into the guide's ticket fields.
    Field(usize),
    /// The engineer's notes.
    Notes,
    /// A box to paste error text into (for terminals without bracketed paste).
    PasteBox,
    /// A line of the ticket text preview (read only; rows so the pane scrolls through it).
    Text(usize),
}

/// Typing in a ticket pane row.
#[derive(Debug, Clone)]
pub struct Editing {
    pub row: TicketRow,
    pub input: Input,
}

/// A status-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// The wizard screen's state: the case, and where the engineer is looking.
#[derive(Debug, Clone)]
pub struct WizardUi {
    /// Index into `App::lib.guides`.
    pub guide: usize,
    pub wizard: Wizard,
    /// The focused pane.
    pub focus: Stage,
    /// The highlighted item of each pane, by `Stage::index`.
    pub sel: [usize; Stage::COUNT],
    pub overlay: Option<Overlay>,
    /// The ticket row being typed in, if any.
    pub editing: Option<Editing>,
    /// Values found in the last paste, while the proposal overlay is open.
    pub proposal: Option<Proposal>,
    /// The saved record of this case.
    pub session: Session,
    /// The session has a file: it was resumed, or the case has changed since it began. A case
    /// opened and left untouched leaves no file behind.
    pub on_disk: bool,
    /// Why this copy may not change the case (open in another tshoot), when it may not.
    pub read_only: Option<String>,
    /// The case's label being typed (`L`), if it is.
    pub label_edit: Option<Input>,
}

/// Everything the app knows.
pub struct App {
    /// The guides parsed so far (the open one among them); the picker lists the catalog.
    pub lib: Library,
    /// Every guide that can be opened, by its id, title, aliases and tags.
    pub catalog: Catalog,
    pub keymap: KeyMap,
    pub theme: Theme,
    pub mouse: bool,
    pub screen: Screen,
    pub picker: Picker,
    pub wiz: Option<WizardUi>,
    pub status: Option<Status>,
    /// Terminal size, for mouse hit-testing.
    pub size: (u16, u16),
    /// The clock for ticket timestamps (fixed in tests so screens are reproducible).
    pub now: fn() -> String,
    /// The id of a new case (guide id, now): [`crate::session::new_id`]; fixed in tests so
    /// screens that show the case id are reproducible.
    pub new_id: fn(&str, &str) -> String,
    /// How the ticket is written when shown and copied.
    pub format: Format,
    /// Mask private data (user names, addresses, tenant ids) in the ticket shown and copied.
    pub redact: bool,
    /// How tickets are copied.
    pub copy_method: crate::ticket::clipboard::Method,
    /// Unfinished saved cases, newest first, offered on top of the picker.
    pub sessions: Vec<Session>,
    /// The case as last handed out for saving.
    saved_case: Option<Case>,
    /// `tshoot preview FILE`: the file watched and reloaded (see [`crate::authoring::preview`]).
    pub preview: Option<crate::authoring::preview::Preview>,
    /// A case to open that another tshoot has open: the choices shown over the screen.
    pub owner_offer: Option<OwnerOffer>,
    /// Where owner records are looked up when a case is resumed from the picker.
    pub store: Option<crate::session::Store>,
    /// The last status messages, oldest first (at most [`MESSAGES_KEPT`]), shown in full by
    /// [`Action::Messages`].
    pub messages: Vec<Status>,
    /// The messages view is open (until the next input).
    pub messages_open: bool,
    /// A paste being routed in the picker (see [`crate::app_paste`]).
    pub routed: Option<crate::app_paste::Routed>,
    /// A change waiting for its one-key confirmation (resolve, close, discard).
    pub confirm: Option<Confirm>,
}

/// How many status messages [`App::messages`] keeps.
pub const MESSAGES_KEPT: usize = 10;

impl App {
    /// An app over guides already parsed (preview, tests).
    pub fn new(lib: Library, keymap: KeyMap, theme: Theme) -> Self {
        let catalog = Catalog::from_library(&lib);
        Self::with_catalog(lib, catalog, keymap, theme)
    }

    /// An app over a catalog: guides are parsed when opened.
    pub fn from_catalog(catalog: Catalog, keymap: KeyMap, theme: Theme) -> Self {
        Self::with_catalog(Library::default(), catalog, keymap, theme)
    }

    fn with_catalog(lib: Library, catalog: Catalog, keymap: KeyMap, theme: Theme) -> Self {
        let picker = Picker::new(&catalog);
        Self {
            lib,
            catalog,
            keymap,
            theme,
            mouse: true,
            screen: Screen::Picker,
            picker,
            wiz: None,
            status: None,
            size: (80, 24),
            now: crate::ticket::now_rfc3339,
            new_id: session_id,
            format: Format::Text,
            redact: false,
            copy_method: crate::ticket::clipboard::Method::Auto,
            sessions: Vec::new(),
            saved_case: None,
            preview: None,
            owner_offer: None,
            store: None,
            messages: Vec::new(),
            messages_open: false,
            routed: None,
            confirm: None,
        }
    }

    /// Replace guide `i` of the library (a new version of the same file), keeping the open case
    /// on it: its answers are replayed against the new guide by the views, which mark those
    /// that no longer fit. Selections are kept inside the panes; typing in a ticket field
    /// that is gone stops.
    pub fn replace_guide(&mut self, i: usize, entry: crate::guide::load::Entry) {
        let Some(slot) = self.lib.guides.get_mut(i) else {
            return;
        };
        *slot = entry;
        let query = self.picker.query.clone();
        self.catalog = Catalog::from_library(&self.lib);
        self.picker = Picker::new(&self.catalog);
        self.picker.set_sessions(&self.catalog, &self.sessions);
        self.picker.set_query(&self.catalog, &query);
        if self.wiz.as_ref().is_none_or(|w| w.guide != i) {
            return;
        }
        let counts = Stage::ALL.map(|s| self.item_count(s));
        let fields = self.lib.guides[i].guide.fields().len();
        if let Some(w) = &mut self.wiz {
            for (k, c) in counts.into_iter().enumerate() {
                w.sel[k] = w.sel[k].min(c.saturating_sub(1));
            }
            if let Some(Editing {
                row: TicketRow::Field(f),
                ..
            }) = &w.editing
                && *f >= fields
            {
                w.editing = None;
            }
        }
    }

    /// Open the wizard on guide `index` with a new case.
    pub fn open(&mut self, index: usize) {
        let Some(entry) = self.lib.guides.get(index) else {
            return;
        };
        let case = Case::new(&entry.guide);
        let now = (self.now)();
        let session = Session::new(
            (self.new_id)(&entry.guide.id, &now),
            &entry.guide,
            case.clone(),
            &now,
        );
        let initial = session.case.clone();
        self.show_case(index, session);
        // Nothing to save until the case changes.
        self.saved_case = Some(initial);
        if let Some(w) = &mut self.wiz {
            w.on_disk = false;
        }
        self.status = None;
    }

    /// The open case as it stands is the one on record: a change made while opening it (a
    /// prefilled code) leaves no file behind until the engineer changes the case.
    pub(crate) fn case_unchanged_from_here(&mut self) {
        if let Some(w) = &self.wiz {
            self.saved_case = Some(w.wizard.case.clone());
        }
    }

    /// Open catalog guide `i` with a new case, parsing it first if needed.
    pub fn open_catalog(&mut self, i: usize) {
        match self.catalog.ensure_loaded(i, &mut self.lib) {
            Ok(k) => self.open(k),
            Err(why) => self.error(format!(
                "this guide does not load: {}",
                sanitize(&why.to_string())
            )),
        }
    }

    /// Reopen a saved case at the same stage and selection.
    pub fn resume(&mut self, session: Session) -> Result<(), ResumeError> {
        let loaded = match self.lib.index_of(&session.case.guide_id) {
            Some(i) => Ok(i),
            None => match self.catalog.find(&session.case.guide_id) {
                Some(c) => self.catalog.ensure_loaded(c, &mut self.lib).map_err(Some),
                None => Err(None),
            },
        };
        let index = loaded.map_err(|why| ResumeError {
            guide: sanitize(&session.case.guide_id),
            session: session.id.clone(),
            why,
        })?;
        let stale = session
            .case
            .replay(&self.lib.guides[index].guide)
            .stale
            .len();
        let id = session.id.clone();
        self.show_case(index, session);
        self.info(if stale == 0 {
            format!("resumed case {id}")
        } else {
            format!(
                "resumed case {id}; {stale} answer(s) no longer fit the changed guide (marked !)"
            )
        });
        Ok(())
    }

    fn show_case(&mut self, index: usize, session: Session) {
        let view = session.view;
        self.wiz = Some(WizardUi {
            guide: index,
            wizard: Wizard::new(session.case.clone()),
            focus: view.focus,
            sel: view.sel,
            overlay: None,
            editing: None,
            proposal: None,
            session,
            on_disk: true,
            read_only: None,
            label_edit: None,
        });
        self.screen = Screen::Wizard;
        // Keep the highlight inside each pane in case the guide changed.
        let counts = Stage::ALL.map(|s| self.item_count(s));
        if let Some(w) = &mut self.wiz {
            for (i, c) in counts.into_iter().enumerate() {
                w.sel[i] = w.sel[i].min(c.saturating_sub(1));
            }
        }
        self.saved_case = None;
    }

    /// The open session, brought up to date with the case and view, when the case changed
    /// since the last call (the loop saves it to disk at once). View-only changes are folded
    /// into [`App::snapshot`] and written at the next case change, on quit or on a signal.
    pub fn take_save(&mut self) -> Option<Session> {
        if self.is_read_only() {
            return None;
        }
        let snap = self.synced()?;
        if self.saved_case.as_ref() == Some(&snap.case) {
            return None;
        }
        self.saved_case = Some(snap.case.clone());
        if let Some(w) = &mut self.wiz {
            w.on_disk = true;
        }
        Some(snap)
    }

    /// The open session as it stands now (case, view, times), when it has a file (a case
    /// opened and not touched has none, and is not worth one).
    pub fn snapshot(&mut self) -> Option<Session> {
        if !self.wiz.as_ref()?.on_disk || self.is_read_only() {
            return None;
        }
        self.synced()
    }

    fn synced(&mut self) -> Option<Session> {
        let now = (self.now)();
        let w = self.wiz.as_mut()?;
        let view = SessionView {
            focus: w.focus,
            sel: w.sel,
        };
        if w.session.case != w.wizard.case || w.session.view != view {
            w.session.sync(&w.wizard.case, view, &now);
        }
        Some(w.session.clone())
    }

    /// `tshoot QUERY`: the guide whose id or alias matches exactly, else the picker with the
    /// query typed in.
    pub fn open_query(&mut self, query: &str) {
        let q = query.trim();
        match self.catalog.find(q) {
            Some(i) => self.open_catalog(i),
            None if self.open_code(q) => {}
            None => {
                self.picker.set_query(&self.catalog, q);
                if !q.is_empty() {
                    self.status = Some(Status {
                        text: format!(
                            "no guide has the id or alias \"{}\": pick one",
                            crate::ticket::extract::sanitize(q)
                        ),
                        error: true,
                    });
                }
            }
        }
    }

    /// Apply a message. Returns an effect for the event loop, if any. In a read-only case
    /// nothing that changes the case takes effect: it is put back, and the status says why.
    pub fn update(&mut self, msg: Msg) -> Option<Effect> {
        let Some(why) = self.wiz.as_ref().and_then(|w| w.read_only.clone()) else {
            return self.update_msg(msg);
        };
        let before = self.wiz.as_ref().map(|w| w.wizard.clone());
        let effect = self.update_msg(msg);
        if let (Some(w), Some(before)) = (&mut self.wiz, before)
            && w.read_only.is_some()
            && w.wizard.case != before.case
        {
            w.wizard = before;
            w.editing = None;
            self.error(format!(
                "read-only: this case is {why}; nothing was changed"
            ));
        }
        effect
    }

    #[expect(
        clippy::too_many_lines,
        reason = "one arm per message, each short; splitting the match would hide the one place state changes"
    )]
    fn update_msg(&mut self, msg: Msg) -> Option<Effect> {
        // A status message lasts until the next input; then the key hints come back.
        // A report of a save is not input: it leaves the message shown.
        if !matches!(msg, Msg::Resize(..) | Msg::Saved { .. }) {
            self.status = None;
            self.messages_open = false;
        }
        match msg {
            Msg::Resize(w, h) => {
                self.size = (w, h);
                None
            }
            Msg::Copied { summary, ok } => {
                if ok {
                    self.ticket_sent(&summary);
                }
                self.copied(summary, ok);
                None
            }
            Msg::NotSaved(why) => {
                self.copied(why, false);
                None
            }
            Msg::Reloaded(reload) => {
                self.reloaded(reload);
                None
            }
            Msg::Owner(choice) => self.owner_choice(choice),
            Msg::Saved { revision, notice } => {
                self.saved(revision, notice);
                None
            }
            Msg::Conflict {
                why,
                disk,
                read_only,
            } => {
                self.conflict(why, disk, read_only);
                None
            }
            Msg::TookOver(result) => {
                self.took_over(result);
                None
            }
            Msg::Type(c) => {
                self.forget_paste();
                self.picker.type_char(&self.catalog, c);
                None
            }
            Msg::Erase => {
                self.forget_paste();
                self.picker.erase(&self.catalog);
                None
            }
            Msg::EraseWord => {
                self.forget_paste();
                self.picker.erase_word(&self.catalog);
                None
            }
            Msg::ClearQuery => {
                self.forget_paste();
                self.picker.set_query(&self.catalog, "");
                None
            }
            Msg::PickerUp => {
                self.picker.move_by(-1);
                None
            }
            Msg::PickerDown => {
                self.picker.move_by(1);
                None
            }
            Msg::Open => {
                match self.picker.selected() {
                    Some(crate::picker::Item::Guide(i)) => self.open_routed_guide(i),
                    Some(crate::picker::Item::Candidate(k)) => self.open_candidate(k),
                    Some(crate::picker::Item::Session(i)) => {
                        if let Some(s) = self.sessions.get(i).cloned()
                            && !self.offer_if_held(&s)
                            && let Err(e) = self.resume(s)
                        {
                            self.error(e.to_string());
                        }
                    }
                    Some(crate::picker::Item::Failed(i)) => {
                        let summary = self
                            .catalog
                            .broken
                            .get(i)
                            .map(|b| b.summary.clone())
                            .unwrap_or_default();
                        self.error(format!("this guide did not load: {summary}"));
                    }
                    None => self.error("no guide matches the search".to_owned()),
                }
                None
            }
            Msg::Paste(text) => {
                if self.is_labelling() {
                    self.label_paste(&text);
                } else if self.screen == Screen::Picker {
                    self.paste_in_picker(&text);
                } else {
                    self.paste(&text);
                }
                None
            }
            Msg::Edit(req) => {
                self.edit(req);
                None
            }
            Msg::EditDone(step) => {
                self.edit_done();
                if step != 0 {
                    self.do_action(if step > 0 { Action::Down } else { Action::Up });
                }
                None
            }
            Msg::Click(target) => {
                self.click(target);
                None
            }
            Msg::Wheel(target, down) => {
                if self.screen == Screen::Picker {
                    self.picker.move_by(if down { 1 } else { -1 });
                } else if self.wiz.as_ref().is_some_and(|w| w.overlay.is_some()) {
                    // The panes are behind the overlay.
                } else if let Target::Pane(stage, _) = target {
                    if let Some(w) = &mut self.wiz {
                        w.focus = stage;
                    }
                    self.do_action(if down { Action::Down } else { Action::Up });
                }
                None
            }
            Msg::Choose(n) => {
                self.choose(n);
                None
            }
            Msg::Confirm(yes) => {
                self.answer_confirm(yes);
                None
            }
            Msg::Label(req) => {
                self.label_edit(req);
                None
            }
            Msg::LabelDone(keep) => {
                self.label_done(keep);
                None
            }

            Msg::Do(a) => self.do_action(a),
        }
    }

    /// The outcome of a copy, from the event loop.
    fn copied(&mut self, summary: String, ok: bool) {
        self.say(Status {
            text: summary,
            error: !ok,
        });
    }

    /// Show `status` and keep it among the last messages.
    fn say(&mut self, status: Status) {
        if self.messages.len() >= MESSAGES_KEPT {
            self.messages.remove(0);
        }
        self.messages.push(status.clone());
        self.status = Some(status);
    }

    /// A reloaded preview file: the new guide with the case kept, or the problem.
    fn reloaded(&mut self, reload: crate::authoring::preview::Reload) {
        use crate::authoring::preview::Reload;
        use crate::guide::Diagnostic;
        let Some(p) = &mut self.preview else { return };
        let name = p.path.file_name().map_or_else(
            || p.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match reload {
            Reload::Loaded(entry) => {
                p.error = None;
                let problems = entry.warnings.len();
                let i = p.guide;
                self.replace_guide(i, *entry);
                let stale = self.wiz.as_ref().filter(|w| w.guide == i).map_or(0, |w| {
                    w.wizard.case.replay(&self.lib.guides[i].guide).stale.len()
                });
                let mut text = format!("reloaded {name}");
                if problems > 0 {
                    text.push_str(&format!(
                        "; {problems} problem{} for `tshoot check`",
                        if problems == 1 { "" } else { "s" }
                    ));
                }
                if stale > 0 {
                    text.push_str(&format!(
                        "; {stale} answer{} no longer fit (marked !)",
                        if stale == 1 { "" } else { "s" }
                    ));
                }
                self.status = Some(Status { text, error: false });
            }
            Reload::Failed(diags) => {
                let first = diags
                    .iter()
                    .find(|d| d.is_error())
                    .or(diags.first())
                    .map_or_else(|| "the guide did not load".to_owned(), Diagnostic::headline);
                let more = diags
                    .iter()
                    .filter(|d| d.is_error())
                    .count()
                    .saturating_sub(1);
                let mut text = first;
                if more > 0 {
                    text.push_str(&format!(" (and {more} more)"));
                }
                p.error = Some(text.clone());
                self.status = Some(Status {
                    text: format!("{text}; the last good version stays shown"),
                    error: true,
                });
            }
        }
    }

    fn error(&mut self, text: String) {
        self.say(Status { text, error: true });
    }

    fn info(&mut self, text: String) {
        self.say(Status { text, error: false });
    }
}

/// The rectangle of the whole terminal, for layout.
pub fn screen_rect(app: &App) -> Rect {
    Rect::new(0, 0, app.size.0, app.size.1)
}

mod actions;
mod lifecycle;
mod owner_offer;
mod ticket_pane;

#[cfg(test)]
mod resume_tests;
