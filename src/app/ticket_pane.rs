//! The ticket pane's side of the app: its rows, field editing, and the pasted-values
//! proposal. Called from [`App::update`](super::App::update) only.

use super::{
    Act, App, Editing, Input, InputRequest, Overlay, Stage, TicketRow, propose, sanitize, ticket,
};

impl App {
    /// The ticket text of the open case, as shown and copied.
    pub fn ticket_text(&self) -> Option<String> {
        let w = self.wiz.as_ref()?;
        let g = &self.lib.guides.get(w.guide)?.guide;
        let text = ticket::render(g, &w.wizard.case, self.format, &(self.now)());
        Some(if self.redact {
            ticket::redact::redact(&text)
        } else {
            text
        })
    }

    /// The rows of the ticket pane, in order.
    pub fn ticket_rows(&self) -> Vec<TicketRow> {
        let Some(w) = &self.wiz else {
            return Vec::new();
        };
        let g = &self.lib.guides[w.guide].guide;
        let mut rows: Vec<TicketRow> = (0..g.fields().len()).map(TicketRow::Field).collect();
        rows.push(TicketRow::Notes);
        rows.push(TicketRow::PasteBox);
        let lines = self.ticket_text().map_or(0, |t| t.lines().count());
        rows.extend((0..lines).map(TicketRow::Text));
        rows
    }

    /// Start typing in ticket row `row`, with its current value.
    pub(super) fn start_edit(&mut self, row: TicketRow) {
        let Some(w) = &mut self.wiz else { return };
        let g = &self.lib.guides[w.guide].guide;
        let value = match row {
            TicketRow::Field(i) => g
                .fields()
                .get(i)
                .map_or(String::new(), |f| w.wizard.case.field(&f.id).to_owned()),
            TicketRow::Notes => w.wizard.case.notes.clone(),
            TicketRow::PasteBox => String::new(),
            TicketRow::Text(_) => return,
        };
        w.editing = Some(Editing {
            row,
            input: Input::new(value),
        });
    }

    pub(super) fn edit(&mut self, req: InputRequest) {
        let Some(w) = &mut self.wiz else { return };
        let Some(ed) = &mut w.editing else { return };
        if ed.input.handle(req).is_some_and(|c| c.value) {
            let value = ed.input.value().to_owned();
            let row = ed.row;
            self.store(row, value);
        }
    }

    /// Write a row's typed value into the case (every keystroke, so nothing typed is lost).
    pub(super) fn store(&mut self, row: TicketRow, value: String) {
        let Some(w) = &self.wiz else { return };
        let g = &self.lib.guides[w.guide].guide;
        match row {
            TicketRow::Field(i) => {
                if let Some(f) = g.fields().get(i) {
                    let id = f.id.to_string();
                    self.act_typing(&Act::SetField(id, value));
                }
            }
            TicketRow::Notes => {
                self.act_typing(&Act::SetNotes(value));
            }
            TicketRow::PasteBox | TicketRow::Text(_) => {}
        }
    }

    pub(super) fn edit_done(&mut self) {
        let Some(w) = &mut self.wiz else { return };
        let Some(ed) = w.editing.take() else { return };
        if ed.row == TicketRow::PasteBox && !ed.input.value().trim().is_empty() {
            self.paste(ed.input.value());
        }
    }

    /// Pasted text: while typing in a field with nothing to extract, it is typed; otherwise
    /// what it holds is proposed for the ticket.
    pub(crate) fn paste(&mut self, text: &str) {
        let routed = crate::triage::route(text, &self.catalog);
        self.paste_routed(text, routed);
    }

    /// [`App::paste`] of a text already routed (the picker's paste is not routed twice).
    pub(crate) fn paste_routed(&mut self, text: &str, routed: crate::triage::Triage) {
        let other = self.offer_switch(text, &routed);
        let found = crate::app_paste::found_in(self, routed);
        if let Some(why) = other {
            self.error(why);
        }
        let Some(w) = &mut self.wiz else { return };
        if found.is_empty() {
            if let Some(ed) = &mut w.editing
                && ed.row != TicketRow::PasteBox
            {
                let clean = sanitize(&text.replace(['\r', '\n'], " "));
                for c in clean.trim().chars().take(4096) {
                    self.edit(InputRequest::InsertChar(c));
                }
                return;
            }
            self.error(
                "the pasted text holds no error code, request id or correlation id".to_owned(),
            );
            return;
        }
        let g = &self.lib.guides[w.guide].guide;
        let proposal = propose(g, &w.wizard.case, &found);
        w.editing = None;
        w.focus = Stage::Ticket;
        w.proposal = Some(proposal);
        w.overlay = Some(Overlay::Proposal);
    }

    pub(super) fn accept_proposal(&mut self) {
        let Some(w) = &mut self.wiz else { return };
        let Some(p) = w.proposal.take() else { return };
        w.overlay = None;
        let mut n = 0;
        for (id, _, _, new) in &p.fields {
            if self.act(&Act::SetField(id.clone(), new.clone())) {
                n += 1;
            }
        }
        if !p.extras.is_empty() {
            let notes = self
                .wiz
                .as_ref()
                .map(|w| w.wizard.case.notes.clone())
                .unwrap_or_default();
            let mut add: Vec<String> = p.extras.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            add.retain(|line| !notes.contains(line.as_str()));
            if !add.is_empty() {
                let joined = if notes.trim().is_empty() {
                    add.join("; ")
                } else {
                    format!("{}; {}", notes.trim_end(), add.join("; "))
                };
                self.act(&Act::SetNotes(joined));
            }
        }
        self.info(format!(
            "filled {n} field{} from the pasted text",
            if n == 1 { "" } else { "s" }
        ));
    }
}
