//! The case's life cycle in the app: resolving and closing (asking first when the case has
//! loose ends), reopening, the ticket recorded as sent after a copy, the case's label, and
//! discarding a saved case from the picker. Called from [`App::update`](super::App::update)
//! only.

use super::{Act, App, Input, InputRequest, sanitize};
use crate::wizard::State;

/// A change that asks first: `y` does it, any other key leaves everything as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// Resolve the open case.
    Resolve,
    /// Close the open case.
    Close,
}

/// The question shown while a [`Pending`] change waits for its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub pending: Pending,
    /// What will happen and what is loose, in one sentence.
    pub question: String,
}

impl Confirm {
    /// The keys' line under the question.
    pub fn keys(&self) -> &'static str {
        match self.pending {
            Pending::Resolve => "y: resolve · any other key: cancel",
            Pending::Close => "y: close · any other key: cancel",
        }
    }
}

impl App {
    /// `r`: resolve the case (asking first when it has loose ends); on a resolved case,
    /// reopen it.
    pub(super) fn resolve_key(&mut self) {
        let Some(w) = &self.wiz else { return };
        match w.wizard.case.state() {
            State::Resolved => self.reopen(),
            State::Closed => self.error("the case is closed: C reopens it".to_owned()),
            _ => match self.loose_ends("Resolve") {
                Some(question) => self.ask(Pending::Resolve, question),
                None => self.resolve(),
            },
        }
    }

    /// `C`: close the case (asking first when it is still being worked and has loose ends);
    /// on a closed case, reopen it.
    pub(super) fn close_key(&mut self) {
        let Some(w) = &self.wiz else { return };
        match w.wizard.case.state() {
            State::Closed => self.reopen(),
            State::Open | State::Escalated => match self.loose_ends("Close") {
                Some(question) => self.ask(Pending::Close, question),
                None => self.close(),
            },
            State::Resolved | State::TicketSent => self.close(),
        }
    }

    /// The question for `verb` ("Resolve", "Close") when the case has loose ends: the
    /// diagnostics unfinished, required ticket fields empty. `None` when it has none.
    fn loose_ends(&self, verb: &str) -> Option<String> {
        let w = self.wiz.as_ref()?;
        let g = &self.lib.guides.get(w.guide)?.guide;
        let (waiting, empty) = w.wizard.case.loose_ends(g);
        let mut loose = Vec::new();
        if waiting {
            loose.push("the diagnostics unfinished".to_owned());
        }
        if !empty.is_empty() {
            loose.push(format!(
                "{} required field{} empty ({})",
                empty.len(),
                if empty.len() == 1 { "" } else { "s" },
                sanitize(&empty.join(", "))
            ));
        }
        if loose.is_empty() {
            return None;
        }
        Some(format!(
            "{verb} case {} with {}?",
            sanitize(w.session.short_id()),
            loose.join(" and "),
        ))
    }

    fn ask(&mut self, pending: Pending, question: String) {
        self.confirm = Some(Confirm { pending, question });
    }

    /// The key pressed while a question waits: `yes` does the change.
    pub(super) fn answer_confirm(&mut self, yes: bool) {
        let Some(c) = self.confirm.take() else { return };
        if !yes {
            self.info("cancelled: nothing was changed".to_owned());
            return;
        }
        match c.pending {
            Pending::Resolve => self.resolve(),
            Pending::Close => self.close(),
        }
    }

    fn resolve(&mut self) {
        if !self.act(&Act::Resolve) {
            return;
        }
        let Some(w) = &self.wiz else { return };
        let g = &self.lib.guides[w.guide].guide;
        let fix = w
            .wizard
            .case
            .fixed_by
            .as_deref()
            .and_then(|id| g.resolution_index(id))
            .map(|r| format!(" (fixed by: {})", sanitize(&g.resolutions[r].title)))
            .unwrap_or_default();
        self.info(format!(
            "case {} resolved{fix} · C closes it · u undoes",
            sanitize(w.session.short_id())
        ));
    }

    fn close(&mut self) {
        let now = (self.now)();
        if self.act(&Act::Close(now))
            && let Some(w) = &self.wiz
        {
            self.info(format!(
                "case {} closed: no longer listed to resume · u undoes · C reopens",
                sanitize(w.session.short_id())
            ));
        }
    }

    fn reopen(&mut self) {
        if self.act(&Act::Reopen)
            && let Some(w) = &self.wiz
        {
            self.info(format!(
                "case {} reopened: {}",
                sanitize(w.session.short_id()),
                w.wizard.case.state().word()
            ));
        }
    }

    /// A copy worked: an escalated case's ticket is on its way, recorded with when and how.
    pub(super) fn ticket_sent(&mut self, how: &str) {
        let Some(w) = &self.wiz else { return };
        if w.wizard.case.state() != State::Escalated || self.is_read_only() {
            return;
        }
        let how: String = how
            .trim_start_matches(['✓', '→', ' '])
            .chars()
            .take(120)
            .collect();
        let now = (self.now)();
        self.act(&Act::Sent(now, how));
    }

    /// `L`: start typing the case's label.
    pub(super) fn start_label(&mut self) {
        if let Some(w) = &mut self.wiz {
            w.label_edit = Some(Input::new(w.wizard.case.label.clone()));
        }
    }

    /// A key while the label is typed.
    pub(super) fn label_edit(&mut self, req: InputRequest) {
        if let Some(input) = self.wiz.as_mut().and_then(|w| w.label_edit.as_mut()) {
            input.handle(req);
        }
    }

    /// Text pasted while the label is typed: its first line goes in at the cursor.
    pub(super) fn label_paste(&mut self, text: &str) {
        let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        for c in sanitize(line.trim()).chars() {
            self.label_edit(InputRequest::InsertChar(c));
        }
    }

    /// Enter (`keep`: the label is set, one undo step) or Esc (nothing changes).
    pub(super) fn label_done(&mut self, keep: bool) {
        let Some(input) = self.wiz.as_mut().and_then(|w| w.label_edit.take()) else {
            return;
        };
        if !keep {
            self.info("label left as it was".to_owned());
            return;
        }
        let typed = input.value().trim().to_owned();
        if self.act(&Act::SetLabel(typed.clone())) {
            self.info(if typed.is_empty() {
                "label cleared: the case is named from what it holds".to_owned()
            } else {
                format!("case labelled \"{}\"", sanitize(&typed))
            });
        }
    }

    /// A question waits for its key.
    pub fn is_asking(&self) -> bool {
        self.confirm.is_some()
    }

    /// The case's label is being typed.
    pub fn is_labelling(&self) -> bool {
        self.wiz.as_ref().is_some_and(|w| w.label_edit.is_some())
    }

    /// The label being typed, if it is.
    pub fn label_input(&self) -> Option<&Input> {
        self.wiz.as_ref()?.label_edit.as_ref()
    }
}
