//! The wizard's state machine: one case worked through one guide. Pure: no IO, no clock, no
//! terminal. A [`Case`] holds only what the engineer did (answers, marks, ticks, fields,
//! notes, outcome); everything shown is derived from it and the guide ([`view`]).
//!
//! Answers are stored by step id with the label as given, not by position, so a case saved
//! under one revision of a guide still opens under the next: an answer that no longer fits is
//! reported by [`Case::replay`] instead of being dropped.
//!
//! Two kinds of going back: [`Act::Back`] removes the last answer (the engineer's Backspace),
//! and [`Wizard::undo`] reverts the last action of any kind.

pub mod view;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::guide::{Guide, Target};

/// How the engineer judged a common issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    Confirmed,
    RuledOut,
}

/// Where the case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    #[default]
    Open,
    Resolved,
    Escalated,
}

/// Where a case stands in its life cycle, derived from [`Case::outcome`], [`Case::sent`] and
/// [`Case::closed`] by [`Case::state`]: open -> escalated (the ticket being prepared) -> ticket
/// sent -> closed, or open -> resolved -> closed; a closed case can be reopened (back to where it
/// was), an escalated or resolved one reopened (back to open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Open,
    Escalated,
    TicketSent,
    Resolved,
    Closed,
}

impl State {
    /// The word shown in lists and the ticket.
    pub fn word(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Escalated => "escalated",
            State::TicketSent => "ticket sent",
            State::Resolved => "resolved",
            State::Closed => "closed",
        }
    }

    /// Still being worked: listed in the picker, offered by `resume`, never pruned.
    pub fn is_active(self) -> bool {
        matches!(self, State::Open | State::Escalated | State::TicketSent)
    }
}

/// When and how the ticket of an escalated case left tshoot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
pub struct Sent {
    /// RFC 3339 UTC.
    pub at: String,
    /// How: "copied via OSC 52", "exported to ticket.md", ...
    pub how: String,
}

/// The four stages of the wizard, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Diagnostics,
    Issues,
    Resolution,
    Ticket,
}

impl Stage {
    /// How many stages (panes) a case has: the one number the app, the session file and the
    /// layout size their per-stage arrays by.
    pub const COUNT: usize = 4;

    /// The stages in order, as the panes are laid out and Tab walks them.
    pub const ALL: [Stage; Stage::COUNT] = [
        Stage::Diagnostics,
        Stage::Issues,
        Stage::Resolution,
        Stage::Ticket,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Stage::Diagnostics => "Diagnostics",
            Stage::Issues => "Common issues",
            Stage::Resolution => "Resolution",
            Stage::Ticket => "Ticket",
        }
    }

    /// The pane's heading: the title, spelled out where the pane has room.
    pub fn pane_title(self) -> &'static str {
        match self {
            Stage::Resolution => "Resolution checklist",
            s => s.title(),
        }
    }

    /// The stepper's word on a narrow terminal.
    pub fn short_title(self) -> &'static str {
        match self {
            Stage::Diagnostics => "Diag",
            Stage::Issues => "Issues",
            Stage::Resolution => "Fixes",
            Stage::Ticket => "Ticket",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The stage after this one, the first after the last.
    pub fn next(self) -> Stage {
        Stage::ALL[(self.index() + 1) % Stage::COUNT]
    }

    /// The stage before this one, the last before the first.
    pub fn prev(self) -> Stage {
        Stage::ALL[(self.index() + Stage::COUNT - 1) % Stage::COUNT]
    }
}

/// One answer given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
pub struct Given {
    /// The step's id.
    pub step: String,
    /// Index of the answer chosen (0 for a step without a question).
    pub answer: usize,
    /// The answer's label as it read when chosen.
    pub label: String,
}

/// A ticked checklist task: resolution id and task index.
pub type TaskKey = (String, usize);

/// Everything the engineer has done in one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
pub struct Case {
    pub guide_id: String,
    /// Answers given, in order.
    pub trail: Vec<Given>,
    /// Issues the engineer confirmed or ruled out.
    pub marks: BTreeMap<String, Mark>,
    /// Checklist tasks ticked.
    pub done: BTreeSet<TaskKey>,
    /// Ticket field values by field id.
    pub fields: BTreeMap<String, String>,
    /// The engineer's free-text notes.
    pub notes: String,
    pub outcome: Outcome,
    /// The resolution that fixed the case, when resolved and one was worked through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_by: Option<String>,
    /// When and how the ticket was sent, once the escalated case's ticket left tshoot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<Sent>,
    /// When the engineer closed the case (RFC 3339): done with, and only then prunable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<String>,
    /// The engineer's or the paste's name for the case ("jane@contoso.com, Outlook").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
}

/// One user intent on the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Act {
    /// Choose answer `n` (0-based) of the current step.
    Answer(usize),
    /// Remove the last answer, returning to its step.
    Back,
    /// Confirm, rule out (`Some`) or clear (`None`) the judgement of an issue.
    Mark(String, Option<Mark>),
    /// Tick or untick a checklist task.
    Toggle(String, usize),
    /// Set a ticket field (an empty value clears it).
    SetField(String, String),
    SetNotes(String),
    /// Close the case as resolved.
    Resolve,
    /// Escalate: the case goes to the ticket.
    Escalate,
    /// Reopen: a closed case goes back to where it was; a resolved or escalated one to open.
    Reopen,
    /// The ticket left tshoot (copied, exported): time (RFC 3339) and how. Recorded on an
    /// escalated case only; on any other it changes nothing.
    Sent(String, String),
    /// Close the case at this time (RFC 3339).
    Close(String),
    /// Name the case (an empty label clears it).
    SetLabel(String),
}

/// Why an action could not be applied. The case is unchanged when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WizardError {
    #[error("the diagnostics are finished: there is no question to answer (Backspace goes back)")]
    NoQuestion,
    #[error("there is no answer {0} here")]
    NoSuchAnswer(usize),
    #[error("no answer to go back to")]
    NothingToGoBack,
    #[error("there is no issue \"{0}\" in this guide")]
    NoSuchIssue(String),
    #[error("there is no task {1} in resolution \"{0}\"")]
    NoSuchTask(String, usize),
    #[error("there is no ticket field \"{0}\" in this guide")]
    NoSuchField(String),
    #[error("nothing to undo")]
    NothingToUndo,
}

/// Where the diagnostics stand after the trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// At this step, waiting for an answer.
    Step(usize),
    /// Diagnostics are over; the last answer leads to this stage.
    Done(Stage),
}

/// A trail replayed against a guide: the position, and answers that no longer fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    pub position: Position,
    /// For each given answer, its step index if it still fits the guide.
    pub steps: Vec<Option<usize>>,
    /// Answers that no longer fit the guide, with why.
    pub stale: Vec<(usize, String)>,
}

impl Case {
    /// A new case for `guide`, with ticket defaults filled in.
    pub fn new(guide: &Guide) -> Self {
        let fields = guide
            .fields()
            .iter()
            .filter_map(|f| f.default.as_ref().map(|d| (f.id.to_string(), d.clone())))
            .collect();
        Self {
            guide_id: guide.id.to_string(),
            fields,
            ..Self::default()
        }
    }

    /// Walk the trail through the guide.
    pub fn replay(&self, guide: &Guide) -> Replay {
        let mut pos = if guide.steps.is_empty() {
            Position::Done(Stage::Issues)
        } else {
            Position::Step(0)
        };
        let mut steps = Vec::with_capacity(self.trail.len());
        let mut stale = Vec::new();
        for (k, given) in self.trail.iter().enumerate() {
            let Some(i) = guide.step_index(&given.step) else {
                stale.push((
                    k,
                    format!("step \"{}\" is no longer in the guide", given.step),
                ));
                steps.push(None);
                continue;
            };
            if given.answer >= guide.answer_count(i)
                || guide.answer_label(i, given.answer) != given.label
            {
                stale.push((
                    k,
                    format!(
                        "answer \"{}\" no longer reads the same in step \"{}\"",
                        given.label, given.step
                    ),
                ));
            } else if pos != Position::Step(i) {
                // The guide changed so that the answers before no longer lead here; the answer
                // is kept (and followed) but the engineer should look at it again.
                stale.push((
                    k,
                    format!(
                        "step \"{}\" is no longer where the answers before it lead",
                        given.step
                    ),
                ));
            }
            if given.answer >= guide.answer_count(i) {
                steps.push(None);
                continue;
            }
            steps.push(Some(i));
            pos = position_of(guide.next_of(i, given.answer));
        }
        Replay {
            position: pos,
            steps,
            stale,
        }
    }

    /// The current position in the diagnostics.
    pub fn position(&self, guide: &Guide) -> Position {
        self.replay(guide).position
    }

    /// Where the case stands in its life cycle.
    pub fn state(&self) -> State {
        match (self.closed.is_some(), self.outcome, self.sent.is_some()) {
            (true, ..) => State::Closed,
            (false, Outcome::Open, _) => State::Open,
            (false, Outcome::Resolved, _) => State::Resolved,
            (false, Outcome::Escalated, false) => State::Escalated,
            (false, Outcome::Escalated, true) => State::TicketSent,
        }
    }

    /// What resolving would leave undone: the diagnostics steps still unanswered (1 when a
    /// question waits, 0 when the diagnostics are over) and the required ticket fields that
    /// are empty, by label. Resolving or closing asks first when either is non-empty.
    pub fn loose_ends(&self, guide: &Guide) -> (bool, Vec<String>) {
        let waiting = matches!(self.position(guide), Position::Step(_));
        let empty = guide
            .fields()
            .iter()
            .filter(|f| f.required && self.field(&f.id).trim().is_empty())
            .map(|f| f.label.clone())
            .collect();
        (waiting, empty)
    }

    /// The resolution that most likely fixed the case: of the checklist's resolutions, the first
    /// with every task ticked, else the one with the most ticks; `None` when nothing is ticked.
    fn likely_fix(&self, guide: &Guide) -> Option<String> {
        let list = view::checklist(guide, self);
        let ticks = |c: &view::ChecklistItem| c.done.iter().filter(|d| **d).count();
        let full = list
            .iter()
            .find(|c| !c.done.is_empty() && c.done.iter().all(|d| *d));
        full.or_else(|| {
            list.iter()
                .filter(|c| ticks(c) > 0)
                .max_by_key(|c| (ticks(c), std::cmp::Reverse(c.resolution)))
        })
        .map(|c| guide.resolutions[c.resolution].id.to_string())
    }

    /// The stage the case is at.
    pub fn stage(&self, guide: &Guide) -> Stage {
        match (self.outcome, self.position(guide)) {
            (Outcome::Escalated, _) => Stage::Ticket,
            (Outcome::Resolved, _) => Stage::Resolution,
            (Outcome::Open, Position::Step(_)) => Stage::Diagnostics,
            (Outcome::Open, Position::Done(stage)) => stage,
        }
    }

    /// Apply one action. On error the case is unchanged.
    pub fn apply(&mut self, guide: &Guide, act: &Act) -> Result<(), WizardError> {
        match act {
            Act::Answer(n) => {
                let Position::Step(i) = self.position(guide) else {
                    return Err(WizardError::NoQuestion);
                };
                if *n >= guide.answer_count(i) {
                    return Err(WizardError::NoSuchAnswer(n.saturating_add(1)));
                }
                self.trail.push(Given {
                    step: guide.steps[i].id.to_string(),
                    answer: *n,
                    label: guide.answer_label(i, *n).to_owned(),
                });
            }
            Act::Back => {
                self.trail.pop().ok_or(WizardError::NothingToGoBack)?;
            }
            Act::Mark(issue, mark) => {
                if guide.issue_index(issue).is_none() {
                    return Err(WizardError::NoSuchIssue(issue.clone()));
                }
                match mark {
                    Some(m) => self.marks.insert(issue.clone(), *m),
                    None => self.marks.remove(issue),
                };
            }
            Act::Toggle(res, task) => {
                let ok = guide
                    .resolution_index(res)
                    .is_some_and(|r| *task < guide.resolutions[r].tasks.len());
                if !ok {
                    return Err(WizardError::NoSuchTask(res.clone(), task.saturating_add(1)));
                }
                let key = (res.clone(), *task);
                if !self.done.remove(&key) {
                    self.done.insert(key);
                }
            }
            Act::SetField(id, value) => {
                if !guide.fields().iter().any(|f| *f.id == **id) {
                    return Err(WizardError::NoSuchField(id.clone()));
                }
                if value.is_empty() {
                    self.fields.remove(id);
                } else {
                    self.fields.insert(id.clone(), value.clone());
                }
            }
            Act::SetNotes(text) => self.notes.clone_from(text),
            Act::Resolve => {
                self.fixed_by = self.likely_fix(guide);
                self.outcome = Outcome::Resolved;
                self.sent = None;
                self.closed = None;
            }
            Act::Escalate => {
                if self.outcome != Outcome::Escalated {
                    self.sent = None;
                }
                self.outcome = Outcome::Escalated;
                self.fixed_by = None;
                self.closed = None;
            }
            Act::Reopen => {
                if self.closed.take().is_none() {
                    self.outcome = Outcome::Open;
                    self.fixed_by = None;
                    self.sent = None;
                }
            }
            Act::Sent(at, how) => {
                if self.outcome == Outcome::Escalated && self.closed.is_none() {
                    self.sent = Some(Sent {
                        at: at.clone(),
                        how: how.clone(),
                    });
                }
            }
            Act::Close(at) => {
                if self.closed.is_none() {
                    self.closed = Some(at.clone());
                }
            }
            Act::SetLabel(label) => self.label.clone_from(label),
        }
        Ok(())
    }

    /// Whether the task is ticked.
    pub fn is_done(&self, resolution: &str, task: usize) -> bool {
        self.done.contains(&(resolution.to_owned(), task))
    }

    pub fn field(&self, id: &str) -> &str {
        self.fields.get(id).map_or("", String::as_str)
    }
}

fn position_of(t: Target<'_>) -> Position {
    match t {
        Target::Step(j) => Position::Step(j),
        Target::Issues | Target::Unknown(_) => Position::Done(Stage::Issues),
        Target::Resolution => Position::Done(Stage::Resolution),
        Target::Ticket => Position::Done(Stage::Ticket),
    }
}

/// A case with an undo history, as the app uses it.
#[derive(Debug, Clone)]
pub struct Wizard {
    pub case: Case,
    history: Vec<Case>,
    /// The field or notes last typed in: further typing there joins the same undo step.
    typing: Option<String>,
}

/// How many actions [`Wizard::undo`] can revert.
pub const UNDO_DEPTH: usize = 256;

impl Wizard {
    pub fn new(case: Case) -> Self {
        Self {
            case,
            history: Vec::new(),
            typing: None,
        }
    }

    /// Apply an action, remembering the state before it for [`Wizard::undo`]: each action
    /// that changes the case is one undo step.
    pub fn apply(&mut self, guide: &Guide, act: &Act) -> Result<(), WizardError> {
        self.typing = None;
        self.step(guide, act, false)
    }

    /// Apply a keystroke's edit of a ticket field or the notes: consecutive edits of the same
    /// field make one undo step, so undo reverts a whole typed value, not one character.
    pub fn apply_typing(&mut self, guide: &Guide, act: &Act) -> Result<(), WizardError> {
        let target = match act {
            Act::SetField(id, _) => Some(id.clone()),
            Act::SetNotes(_) => Some(String::new()),
            _ => None,
        };
        let join = target.is_some() && target == self.typing;
        self.step(guide, act, join)?;
        self.typing = target;
        Ok(())
    }

    fn step(&mut self, guide: &Guide, act: &Act, join: bool) -> Result<(), WizardError> {
        let before = self.case.clone();
        self.case.apply(guide, act)?;
        if self.case != before && !join {
            if self.history.len() == UNDO_DEPTH {
                self.history.remove(0);
            }
            self.history.push(before);
        }
        Ok(())
    }

    /// Revert the last action that changed the case.
    pub fn undo(&mut self) -> Result<(), WizardError> {
        self.case = self.history.pop().ok_or(WizardError::NothingToUndo)?;
        self.typing = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
