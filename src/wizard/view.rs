//! Views derived from a case and its guide: the suspected issues, the ordered resolution
//! checklist and progress. Computed on demand; cheap for guides of realistic size.

use super::{Case, Mark, Position};
use crate::guide::Guide;

/// One common issue as the case sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueView {
    /// Index into `guide.issues`.
    pub issue: usize,
    /// Indices into `case.trail` of the answers that suspect it.
    pub by: Vec<usize>,
    pub mark: Option<Mark>,
}

/// Where a common issue stands in a case: the one place its words are written (the pane,
/// the ticket, the export and the status line all say them the same way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueState {
    Confirmed,
    RuledOut,
    Suspected,
    NotSuspected,
}

impl IssueState {
    /// The state in words: "confirmed", "ruled out", "suspected", "not suspected".
    pub fn word(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::RuledOut => "ruled out",
            Self::Suspected => "suspected",
            Self::NotSuspected => "not suspected",
        }
    }

    /// The state of an issue the engineer marked `mark` (or left unmarked).
    pub fn of(mark: Option<Mark>, suspected: bool) -> Self {
        match (mark, suspected) {
            (Some(Mark::Confirmed), _) => Self::Confirmed,
            (Some(Mark::RuledOut), _) => Self::RuledOut,
            (None, true) => Self::Suspected,
            (None, false) => Self::NotSuspected,
        }
    }
}

impl IssueView {
    pub fn suspected(&self) -> bool {
        !self.by.is_empty()
    }

    /// Where the issue stands: marked, else suspected or not.
    pub fn state(&self) -> IssueState {
        IssueState::of(self.mark, self.suspected())
    }

    /// Sort key: confirmed, then suspected (most-pointed-at first), then the rest, ruled out last.
    fn rank(&self) -> (u8, std::cmp::Reverse<usize>) {
        let group = match (self.mark, self.suspected()) {
            (Some(Mark::Confirmed), _) => 0,
            (None, true) => 1,
            (None, false) => 2,
            (Some(Mark::RuledOut), _) => 3,
        };
        (group, std::cmp::Reverse(self.by.len()))
    }
}

/// All issues of the guide, suspected ones first.
pub fn issues(guide: &Guide, case: &Case) -> Vec<IssueView> {
    let replay = case.replay(guide);
    let mut out: Vec<IssueView> = guide
        .issues
        .iter()
        .enumerate()
        .map(|(i, issue)| IssueView {
            issue: i,
            by: case
                .trail
                .iter()
                .zip(&replay.steps)
                .enumerate()
                .filter(|(_, (given, step))| {
                    step.is_some_and(|s| guide.suspects_of(s, given.answer).contains(&issue.id))
                })
                .map(|(k, _)| k)
                .collect(),
            mark: case.marks.get(issue.id.as_str()).copied(),
        })
        .collect();
    out.sort_by_key(IssueView::rank); // stable: guide order within a group
    out
}

/// Why a resolution sits where it does in the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    /// Fixes a confirmed issue.
    Confirmed,
    /// Fixes a suspected issue.
    Suspected,
    /// Not linked to anything the answers point at.
    Other,
    /// Only fixes issues that were ruled out.
    RuledOut,
    /// The escalation, always last.
    Escalation,
}

/// One resolution in the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistItem {
    /// Index into `guide.resolutions`.
    pub resolution: usize,
    pub why: Why,
    /// Indices into `guide.issues` of the confirmed or suspected issues it fixes.
    pub for_issues: Vec<usize>,
    /// Ticked state of each task.
    pub done: Vec<bool>,
}

impl ChecklistItem {
    pub fn done_count(&self) -> usize {
        self.done.iter().filter(|d| **d).count()
    }
}

/// The (resolution index, task index) of row `n` of the checklist, rows counted in display
/// order (one per task, as the resolution pane lists them).
pub fn checklist_task_at(guide: &Guide, case: &Case, n: usize) -> Option<(usize, usize)> {
    checklist(guide, case)
        .into_iter()
        .flat_map(|c| (0..c.done.len()).map(move |t| (c.resolution, t)))
        .nth(n)
}

/// The resolution checklist: fixes for confirmed, then suspected issues first (in the order of
/// the issues view and of each issue's `fixes`), then the rest, the escalation last.
pub fn checklist(guide: &Guide, case: &Case) -> Vec<ChecklistItem> {
    let views = issues(guide, case);
    let mut order: Vec<(Why, usize, usize, Vec<usize>)> = Vec::new(); // why, issue rank, fix rank, issues
    for res in &guide.resolutions {
        let mut why = if res.escalate {
            Why::Escalation
        } else {
            Why::Other
        };
        let mut rank = (usize::MAX, usize::MAX);
        let mut linked_ruled_out = false;
        let mut for_issues = Vec::new();
        for (pos, v) in views.iter().enumerate() {
            let issue = &guide.issues[v.issue];
            let Some(fix_rank) = issue.fixes.iter().position(|f| *f == res.id) else {
                continue;
            };
            let w = match (v.mark, v.suspected()) {
                (Some(Mark::Confirmed), _) => Why::Confirmed,
                (None, true) => Why::Suspected,
                (Some(Mark::RuledOut), _) => {
                    linked_ruled_out = true;
                    continue;
                }
                (None, false) => continue,
            };
            for_issues.push(v.issue);
            if !res.escalate && w < why {
                why = w;
            }
            rank = rank.min((pos, fix_rank));
        }
        if why == Why::Other && linked_ruled_out && for_issues.is_empty() {
            // Only ruled-out issues use it, unless another unsuspected issue also links it.
            let other_link = views
                .iter()
                .any(|v| v.mark.is_none() && guide.issues[v.issue].fixes.contains(&res.id));
            if !other_link {
                why = Why::RuledOut;
            }
        }
        order.push((why, rank.0, rank.1, for_issues));
    }
    let mut idx: Vec<usize> = (0..guide.resolutions.len()).collect();
    idx.sort_by_key(|&r| (order[r].0, order[r].1, order[r].2));
    idx.into_iter()
        .map(move |r| {
            let res = &guide.resolutions[r];
            ChecklistItem {
                resolution: r,
                why: order[r].0,
                for_issues: std::mem::take(&mut order[r].3),
                done: (0..res.tasks.len())
                    .map(|t| case.is_done(&res.id, t))
                    .collect(),
            }
        })
        .collect()
}

/// Figures for the stepper and status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Answers given.
    pub answered: usize,
    /// Answers given plus the shortest way from the current step to the end.
    pub steps_total: usize,
    pub issues_suspected: usize,
    /// Issues confirmed or ruled out.
    pub issues_decided: usize,
    pub issues_total: usize,
    pub tasks_done: usize,
    pub tasks_total: usize,
    /// Required ticket fields filled in.
    pub fields_filled: usize,
    pub fields_required: usize,
}

pub fn progress(guide: &Guide, case: &Case) -> Progress {
    let replay = case.replay(guide);
    let remaining = match replay.position {
        Position::Step(i) => shortest_to_end(guide, i),
        Position::Done(_) => 0,
    };
    let views = issues(guide, case);
    let tasks_total = guide.resolutions.iter().map(|r| r.tasks.len()).sum();
    let tasks_done = guide
        .resolutions
        .iter()
        .map(|r| {
            (0..r.tasks.len())
                .filter(|t| case.is_done(&r.id, *t))
                .count()
        })
        .sum();
    let required: Vec<_> = guide.fields().iter().filter(|f| f.required).collect();
    Progress {
        answered: case.trail.len(),
        steps_total: case.trail.len() + remaining,
        issues_suspected: views.iter().filter(|v| v.suspected()).count(),
        issues_decided: views.iter().filter(|v| v.mark.is_some()).count(),
        issues_total: guide.issues.len(),
        tasks_done,
        tasks_total,
        fields_filled: required
            .iter()
            .filter(|f| !case.field(&f.id).trim().is_empty())
            .count(),
        fields_required: required.len(),
    }
}

/// Fewest answers from step `from` to the end of the diagnostics (BFS; loops are bounded).
fn shortest_to_end(guide: &Guide, from: usize) -> usize {
    use crate::guide::Target;
    let n = guide.steps.len();
    let mut dist = vec![usize::MAX; n];
    let mut queue = std::collections::VecDeque::from([from]);
    dist[from] = 1;
    while let Some(i) = queue.pop_front() {
        for a in 0..guide.answer_count(i) {
            match guide.next_of(i, a) {
                Target::Step(j) if dist[j] == usize::MAX => {
                    dist[j] = dist[i] + 1;
                    queue.push_back(j);
                }
                Target::Step(_) => {}
                _ => return dist[i],
            }
        }
    }
    1
}

/// Whether a stage's own work is complete: diagnostics answered to the end; every suspected
/// issue confirmed or ruled out (and at least one judged); every task of the fixes for
/// confirmed or suspected issues ticked (or the case resolved); required ticket fields valid.
pub fn stage_done(guide: &Guide, case: &Case, stage: super::Stage) -> bool {
    use super::Stage;
    match stage {
        Stage::Diagnostics => matches!(case.position(guide), Position::Done(_)),
        Stage::Issues => {
            let views = issues(guide, case);
            views.iter().any(|v| v.mark.is_some())
                && views.iter().all(|v| !v.suspected() || v.mark.is_some())
        }
        Stage::Resolution => {
            case.outcome == super::Outcome::Resolved
                || checklist(guide, case)
                    .iter()
                    .filter(|c| matches!(c.why, Why::Confirmed | Why::Suspected))
                    .fold(None, |acc: Option<bool>, c| {
                        Some(acc.unwrap_or(true) && c.done.iter().all(|d| *d))
                    })
                    .unwrap_or(false)
        }
        Stage::Ticket => {
            guide.ticket.is_some()
                && guide.fields().iter().all(|f| {
                    let v = case.field(&f.id);
                    (!f.required || !v.trim().is_empty())
                        && crate::guide::check_value(f.kind, v).is_none()
                })
        }
    }
}
