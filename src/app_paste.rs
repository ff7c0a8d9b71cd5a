//! Paste first, in the TUI: a paste in the picker is routed ([`crate::triage::route`]) instead
//! of typed into the search, and a case can be opened for a code (the generic guide works any
//! code without a guide of its own).
//!
//! In the picker a bracketed paste (or `tshoot --paste`):
//! - holding one code opens that code's guide, or the generic guide for it, with the paste
//!   applied: the values it holds are proposed for the ticket (the proposal overlay) and the
//!   paste is kept in the case as evidence;
//! - holding several codes lists them on top of the picker ("matches AADSTS50076 from line
//!   3"), the one to work first highlighted; Enter opens the highlighted one with the paste;
//! - holding none: a short paste (at most [`SHORT_PASTE`] bytes, as `50143` or `session`)
//!   types its first line into the search exactly as before; a longer one is said to hold no
//!   code, the search shows the generic guide, and Enter opens it with the paste applied when
//!   the paste held ids.
//!
//! Typing, or clearing the search, forgets the routed paste. Kept apart from `app/` (which
//! calls in here from `update`) so the routing reads in one place.

use crate::app::{App, Screen, Status};
use crate::codes;
use crate::text::sanitize;
use crate::triage::{self, GENERIC, Triage};

/// A paste being routed in the picker: the router's answer and the text (applied on open).
#[derive(Debug, Clone)]
pub struct Routed {
    pub triage: Triage,
    pub text: String,
}

/// A paste with no code up to this many bytes is typed into the search, as before.
pub const SHORT_PASTE: usize = 200;

impl App {
    /// A paste (or `tshoot --paste`) on the picker screen.
    pub fn paste_in_picker(&mut self, text: &str) {
        let t = triage::route(text, &self.catalog);
        self.routed = None;
        match t.candidates.len() {
            0 if text.len() <= SHORT_PASTE && !t.binary => {
                self.picker.set_candidates(&self.catalog, 0);
                let line = sanitize(text.lines().next().unwrap_or(""));
                for c in line.chars().take(200) {
                    self.picker.type_char(&self.catalog, c);
                }
            }
            0 => {
                let message = t.no_code_message();
                let keep = !t.values.is_empty();
                self.picker.set_candidates(&self.catalog, 0);
                self.picker.set_query(&self.catalog, GENERIC);
                if keep {
                    self.routed = Some(Routed {
                        triage: t,
                        text: text.to_owned(),
                    });
                }
                self.status = Some(Status {
                    text: format!(
                        "{message}: Enter opens the generic guide{}, or type to search",
                        if keep {
                            " with the values it holds"
                        } else {
                            ""
                        }
                    ),
                    error: true,
                });
            }
            1 => {
                self.picker.set_candidates(&self.catalog, 0);
                self.open_first(t, text);
            }
            n => {
                self.picker.set_query(&self.catalog, "");
                self.picker.set_candidates(&self.catalog, n);
                let first = &t.candidates[0];
                self.status = Some(Status {
                    text: format!(
                        "{n} codes in the paste, {} first ({}): Enter opens one with the paste",
                        first.code,
                        first.where_found()
                    ),
                    error: false,
                });
                self.routed = Some(Routed {
                    triage: t,
                    text: text.to_owned(),
                });
            }
        }
    }

    /// Open candidate `k` of the routed paste, with the paste applied.
    pub fn open_candidate(&mut self, k: usize) {
        let Some(mut r) = self.routed.take() else {
            return;
        };
        self.picker.set_candidates(&self.catalog, 0);
        if k < r.triage.candidates.len() {
            // The chosen code first: it is the one the case is about.
            let c = r.triage.candidates.remove(k);
            r.triage.candidates.insert(0, c);
            self.open_first(r.triage, &r.text);
        }
    }

    /// Open the first candidate of `t`, with the paste applied.
    fn open_first(&mut self, t: Triage, text: &str) {
        let Some(c) = t.candidates.first() else {
            return;
        };
        let code = c.code.clone();
        match c.guide.as_ref().map(|g| g.index).or(t.generic) {
            Some(i) => self.open_for(i, Some(&code), Some((text, t))),
            None => {
                self.status = Some(Status {
                    text: format!(
                        "{} has no guide, and the generic guide is not loaded (tshoot list)",
                        sanitize(&code)
                    ),
                    error: true,
                });
            }
        }
    }

    /// Open catalog guide `i` from the picker while a paste is routed (the generic guide
    /// offered for a paste with no code): with the paste applied.
    pub(crate) fn open_routed_guide(&mut self, i: usize) {
        match self.routed.take() {
            Some(r) => self.open_for(i, None, Some((&r.text, r.triage))),
            None => self.open_catalog(i),
        }
    }

    /// Open catalog guide `i` for a new case about `code` (`None`: the guide's own), with
    /// `paste` applied. When the guide is not the code's own (the generic guide), the case
    /// records the code: shown in the header, prefilled in the ticket's error-code field, its
    /// meaning in the diagnostics pane. The paste is kept in the case and its values proposed.
    pub fn open_for(&mut self, i: usize, code: Option<&str>, paste: Option<(&str, Triage)>) {
        self.open_catalog(i);
        if self.screen != Screen::Wizard {
            return;
        }
        let Some(w) = &mut self.wiz else { return };
        let guide = &self.lib.guides[w.guide].guide;
        if let Some(code) = code
            && !guide.id.eq_ignore_ascii_case(code)
            && !guide.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
        {
            w.session.code = Some(code.to_owned());
            if let Some(f) = guide
                .fields()
                .iter()
                .find(|f| f.kind == crate::guide::model::FieldKind::ErrorCode)
            {
                w.wizard
                    .case
                    .fields
                    .insert(f.id.to_string(), code.to_owned());
                w.session.case = w.wizard.case.clone();
            }
            self.case_unchanged_from_here();
        }
        if let Some((text, routed)) = paste {
            if let Some(w) = &mut self.wiz {
                w.session.keep_paste(text);
            }
            self.paste_routed(text, routed);
        } else if let Some(code) = self.code_worked().map(str::to_owned) {
            self.status = Some(Status {
                text: code_status(&code),
                error: false,
            });
        }
    }

    /// `tshoot CODE` for a code with no guide: the generic guide for it. `false` when `query`
    /// is not an error code, or the generic guide is not loaded.
    pub fn open_code(&mut self, query: &str) -> bool {
        let Some(code) = codes::lookup(query)
            .map(|e| e.code.to_owned())
            .or_else(|| codes::normalize(query))
        else {
            return false;
        };
        let Some(g) = self.catalog.find(GENERIC) else {
            return false;
        };
        self.open_for(g, Some(&code), None);
        self.screen == Screen::Wizard
    }

    /// A paste into an open case about another code (the paste says AADSTS50076, the guide
    /// is AADSTS50143): what to say, and the paste's codes kept as candidate rows, so that Esc
    /// back to the picker offers the right guide with the paste. `None` when the paste holds
    /// no code or holds the case's own.
    pub(crate) fn offer_switch(&mut self, text: &str, t: &Triage) -> Option<String> {
        let w = self.wiz.as_ref()?;
        let guide = &self.lib.guides[w.guide].guide;
        let own = |c: &str| {
            w.session.code.as_deref() == Some(c)
                || guide.id.eq_ignore_ascii_case(c)
                || guide.aliases.iter().any(|a| a.eq_ignore_ascii_case(c))
        };
        let first = t.candidates.first()?;
        if t.candidates.iter().any(|c| own(&c.code)) {
            return None;
        }
        let why = format!(
            "the paste is about {}, not {}: Esc, then Enter opens {} with it",
            sanitize(&first.code),
            sanitize(w.session.code.as_deref().unwrap_or(&guide.id)),
            sanitize(first.guide_id())
        );
        self.routed = Some(Routed {
            triage: t.clone(),
            text: text.to_owned(),
        });
        self.picker.set_query(&self.catalog, "");
        self.picker
            .set_candidates(&self.catalog, t.candidates.len());
        Some(why)
    }

    /// Forget a routed paste (the engineer typed a search instead).
    pub(crate) fn forget_paste(&mut self) {
        if self.routed.take().is_some() || self.picker.candidates() > 0 {
            self.picker.set_candidates(&self.catalog, 0);
        }
    }

    /// The error code the open case works when its guide is not that code's own.
    pub fn code_worked(&self) -> Option<&str> {
        self.wiz.as_ref()?.session.code.as_deref()
    }
}

/// What a routed paste holds, for the open case's ticket: the extractor's values with the error codes
/// in the router's order (labelled first), the code the case is about (the guide's own, or the
/// code worked in the generic guide) first when the paste holds it. So a paste that mentions
/// AADSTS50143 above the real AADSTS50079 error proposes AADSTS50079.
pub fn found_in(app: &App, t: Triage) -> crate::ticket::extract::Extracted {
    let mut found = t.values;
    let mut order: Vec<String> = t.candidates.into_iter().map(|c| c.code).collect();
    if let Some(w) = &app.wiz {
        let guide = &app.lib.guides[w.guide].guide;
        let own = |c: &String| {
            w.session.code.as_deref() == Some(c.as_str())
                || guide.id.eq_ignore_ascii_case(c)
                || guide.aliases.iter().any(|a| a.eq_ignore_ascii_case(c))
        };
        if let Some(k) = order.iter().position(own) {
            let c = order.remove(k);
            order.insert(0, c);
        }
    }
    found.error_codes = order;
    found
}

/// What the status line says when the generic guide opens for `code` (short: it fits 80
/// columns for a 7-digit code).
pub fn code_status(code: &str) -> String {
    let code = sanitize(code);
    match codes::lookup(&code) {
        Some(_) => format!("no guide for {code}: generic opened; `tshoot new {code}` starts one"),
        None => format!("{code} is not in the catalogue and has no guide: generic opened"),
    }
}

/// The line the diagnostics pane shows for the code worked: its name and meaning, or that the
/// catalogue lacks it.
pub fn code_line(code: &str) -> String {
    let code = sanitize(code);
    match codes::lookup(&code) {
        Some(e) => match e.name {
            Some(name) => format!("{code} ({name}): {}", e.meaning),
            None => format!("{code}: {}", e.meaning),
        },
        None => match code.strip_prefix("AADSTS") {
            Some(digits) => format!(
                "{code}: not in the code catalogue; https://login.microsoftonline.com/error?code={digits} gives Microsoft's current text"
            ),
            None => format!("{code}: not in the code catalogue"),
        },
    }
}
