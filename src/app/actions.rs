//! Acting on the open case: clicks already resolved to a target, answers, and the key
//! map's actions on the focused pane's item. Called from [`App::update`](super::App::update)
//! only.

use super::{Act, Action, App, Effect, Mark, Msg, Overlay, Position, Screen, Stage, Target, view};

impl App {
    pub(super) fn click(&mut self, target: Target) {
        if self.screen == Screen::Picker {
            if let Target::PickerRow(row) = target {
                if row == self.picker.selection {
                    self.update(Msg::Open);
                } else {
                    self.picker.selection = row;
                }
            }
            return;
        }
        // The panes are behind an overlay: a click closes help or notes and does nothing
        // else; the pasted-values proposal waits for Enter or Esc.
        if let Some(w) = &mut self.wiz {
            match w.overlay {
                Some(Overlay::Help | Overlay::Notes) => {
                    w.overlay = None;
                    return;
                }
                Some(Overlay::Proposal) => return,
                None => {}
            }
        }
        let (stage, item) = match target {
            Target::Tab(stage) => {
                if let Some(w) = &mut self.wiz {
                    w.focus = stage;
                }
                return;
            }
            Target::Pane(stage, item) => (stage, item),
            Target::PickerRow(_) | Target::Nowhere => return,
        };
        let Some(w) = &mut self.wiz else { return };
        let was = (w.focus, w.sel[stage.index()]);
        w.focus = stage;
        if let Some(item) = item {
            w.sel[stage.index()] = item;
            // A click on the highlighted item of the focused pane acts on it.
            if was == (stage, item) {
                self.do_action(Action::Select);
            }
        }
    }

    /// Apply a state-machine action to the open case, reporting a refusal in the status line.
    pub(super) fn act(&mut self, act: &Act) -> bool {
        self.apply_act(act, false)
    }

    /// A keystroke's edit: joins the previous edit of the same field in one undo step.
    pub(super) fn act_typing(&mut self, act: &Act) -> bool {
        self.apply_act(act, true)
    }

    pub(super) fn apply_act(&mut self, act: &Act, typing: bool) -> bool {
        let Some(w) = &mut self.wiz else { return false };
        let Some(entry) = self.lib.guides.get(w.guide) else {
            return false;
        };
        let result = if typing {
            w.wizard.apply_typing(&entry.guide, act)
        } else {
            w.wizard.apply(&entry.guide, act)
        };
        match result {
            Ok(()) => true,
            Err(e) => {
                self.error(e.to_string());
                false
            }
        }
    }

    /// A number key. Ignored behind an overlay (overlays are modal); a refused number leaves
    /// the focus and the highlight where they were.
    pub(super) fn choose(&mut self, n: usize) {
        if self.wiz.as_ref().is_none_or(|w| w.overlay.is_some()) {
            return;
        }
        self.answer(n);
    }

    pub(super) fn answer(&mut self, n: usize) {
        if !self.act(&Act::Answer(n)) {
            return;
        }
        let (Some(w), guide) = (&mut self.wiz, &self.lib.guides) else {
            return;
        };
        let g = &guide[w.guide].guide;
        w.sel[0] = 0;
        let given = w
            .wizard
            .case
            .trail
            .last()
            .map(|t| t.label.clone())
            .unwrap_or_default();
        match w.wizard.case.position(g) {
            Position::Step(i) => {
                w.focus = Stage::Diagnostics;
                let text = format!("answered \"{given}\"; next: {}", g.steps[i].title);
                self.info(text);
            }
            Position::Done(stage) => {
                w.focus = stage;
                w.sel[stage.index()] = 0;
                let n = view::progress(g, &w.wizard.case).issues_suspected;
                let text = format!(
                    "diagnostics done: {n} issue{} suspected; now {}",
                    if n == 1 { "" } else { "s" },
                    stage.title().to_lowercase()
                );
                self.info(text);
            }
        }
    }

    /// Number of selectable items in a pane.
    pub fn item_count(&self, stage: Stage) -> usize {
        let Some(w) = &self.wiz else { return 0 };
        let g = &self.lib.guides[w.guide].guide;
        match stage {
            Stage::Diagnostics => match w.wizard.case.position(g) {
                Position::Step(i) => g.answer_count(i),
                Position::Done(_) => 1,
            },
            Stage::Issues => g.issues.len(),
            Stage::Resolution => g.resolutions.iter().map(|r| r.tasks.len()).sum(),
            Stage::Ticket => self.ticket_rows().len(),
        }
    }

    pub(super) fn do_action(&mut self, a: Action) -> Option<Effect> {
        if a == Action::Quit {
            return Some(Effect::Quit);
        }
        if self.screen == Screen::Picker {
            return None;
        }
        let counts = Stage::ALL.map(|s| self.item_count(s));
        let Some(w) = &mut self.wiz else { return None };
        let page = usize::from(self.size.1.saturating_sub(10) / 2).max(1);
        let f = w.focus.index();
        let count = counts[f];
        if let Some(o) = w.overlay {
            if o == Overlay::Proposal {
                match a {
                    Action::Select | Action::Toggle => self.accept_proposal(),
                    Action::Escape => {
                        w.overlay = None;
                        w.proposal = None;
                        self.info("pasted values dismissed".to_owned());
                    }
                    _ => {}
                }
                return None;
            }
            match a {
                Action::Escape | Action::Help if o == Overlay::Help => w.overlay = None,
                Action::Escape | Action::Notes if o == Overlay::Notes => w.overlay = None,
                Action::Help => w.overlay = Some(Overlay::Help),
                Action::Notes => w.overlay = Some(Overlay::Notes),
                _ => {}
            }
            return None;
        }
        match a {
            Action::Quit => return Some(Effect::Quit),
            Action::Messages => self.messages_open = true,
            Action::Help => w.overlay = Some(Overlay::Help),
            Action::Notes => w.overlay = Some(Overlay::Notes),
            Action::Escape => {
                // The case stays saved; the picker lists it to resume (if it holds anything).
                let touched = self
                    .wiz
                    .as_ref()
                    .is_some_and(|w| w.on_disk || Some(&w.wizard.case) != self.saved_case.as_ref());
                if let Some(s) = self.synced().filter(|_| touched) {
                    self.sessions.retain(|x| x.id != s.id);
                    if !s.is_closed() {
                        self.sessions.insert(0, s);
                    }
                    self.picker.set_sessions(&self.catalog, &self.sessions);
                }
                self.screen = Screen::Picker;
                self.status = None;
            }
            Action::Up => w.sel[f] = w.sel[f].saturating_sub(1),
            Action::Down => w.sel[f] = (w.sel[f] + 1).min(count.saturating_sub(1)),
            Action::PageUp => w.sel[f] = w.sel[f].saturating_sub(page),
            Action::PageDown => w.sel[f] = (w.sel[f] + page).min(count.saturating_sub(1)),
            Action::Top => w.sel[f] = 0,
            Action::Bottom => w.sel[f] = count.saturating_sub(1),
            Action::NextPane => w.focus = w.focus.next(),
            Action::PrevPane => w.focus = w.focus.prev(),
            Action::Back => {
                let last = w.wizard.case.trail.last().map(|g| g.answer);
                if self.act(&Act::Back) {
                    if let Some(w) = &mut self.wiz {
                        w.focus = Stage::Diagnostics;
                        w.sel[0] = last.unwrap_or(0);
                    }
                    self.info("went back one answer".to_owned());
                }
            }
            Action::Undo => match w.wizard.undo() {
                Ok(()) => self.info("undone".to_owned()),
                Err(e) => self.error(e.to_string()),
            },
            Action::Select | Action::Toggle | Action::Confirm | Action::RuleOut => {
                self.act_on_item(a);
            }
            Action::Escalate => {
                if self.act(&Act::Escalate) {
                    if let Some(w) = &mut self.wiz {
                        w.focus = Stage::Ticket;
                    }
                    self.info("escalated: fill in the ticket".to_owned());
                }
            }
            Action::Resolve => self.resolve_key(),
            Action::Close => self.close_key(),
            Action::Label => self.start_label(),
            Action::Copy => return self.ticket_text().map(Effect::Copy),
        }
        None
    }

    /// Enter/Space/c/x on the highlighted item of the focused pane.
    pub(super) fn act_on_item(&mut self, a: Action) {
        let Some(w) = &self.wiz else { return };
        let g = &self.lib.guides[w.guide].guide;
        let sel = w.sel[w.focus.index()];
        match w.focus {
            Stage::Diagnostics => match (w.wizard.case.position(g), a) {
                (Position::Step(_), Action::Select | Action::Toggle) => self.answer(sel),
                (Position::Done(stage), Action::Select) => {
                    if let Some(w) = &mut self.wiz {
                        w.focus = stage;
                    }
                }
                _ => {}
            },
            Stage::Issues => {
                let views = view::issues(g, &w.wizard.case);
                let Some(v) = views.get(sel) else { return };
                let id = g.issues[v.issue].id.to_string();
                let title = g.issues[v.issue].title.clone();
                #[expect(
                    clippy::match_same_arms,
                    reason = "ordered: the explicit keys first, then Space's cycle"
                )]
                let next = match (a, v.mark) {
                    (Action::Confirm, Some(Mark::Confirmed))
                    | (Action::RuleOut, Some(Mark::RuledOut)) => None,
                    (Action::Confirm, _) => Some(Mark::Confirmed),
                    (Action::RuleOut, _) => Some(Mark::RuledOut),
                    (_, None) => Some(Mark::Confirmed),
                    (_, Some(Mark::Confirmed)) => Some(Mark::RuledOut),
                    (_, Some(Mark::RuledOut)) => None,
                };
                if self.act(&Act::Mark(id.clone(), next)) {
                    // Keep the highlight on the same issue after the list re-sorts.
                    if let Some(w) = &mut self.wiz {
                        let g = &self.lib.guides[w.guide].guide;
                        if let Some(p) = view::issues(g, &w.wizard.case)
                            .iter()
                            .position(|v| *g.issues[v.issue].id == *id)
                        {
                            w.sel[Stage::Issues.index()] = p;
                        }
                    }
                    let word = match next {
                        Some(m) => view::IssueState::of(Some(m), false).word(),
                        None => "open again",
                    };
                    self.info(format!("{title}: {word}"));
                }
            }
            Stage::Resolution => {
                if !matches!(a, Action::Select | Action::Toggle) {
                    return;
                }
                let Some((res, task)) = view::checklist_task_at(g, &w.wizard.case, sel) else {
                    return;
                };
                let id = g.resolutions[res].id.to_string();
                let escalate = g.resolutions[res].escalate;
                if self.act(&Act::Toggle(id.clone(), task)) {
                    let done = self
                        .wiz
                        .as_ref()
                        .is_some_and(|w| w.wizard.case.is_done(&id, task));
                    if escalate && done {
                        self.do_action(Action::Escalate);
                    } else {
                        self.info(if done { "task done" } else { "task not done" }.to_owned());
                    }
                }
            }
            Stage::Ticket => {
                if matches!(a, Action::Select | Action::Toggle)
                    && let Some(row) = self.ticket_rows().get(sel).copied()
                {
                    self.start_edit(row);
                }
            }
        }
    }
}
