//! The ticket: field checks, the rendered text (template plus the case's context), paste
//! extraction ([`extract`]) and copy methods ([`clipboard`]).

pub mod clipboard;
pub mod extract;
pub mod propose;
pub mod redact;

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::guide::{Guide, check_value};
use crate::text::sanitize;
use crate::wizard::{Case, view};

/// How the ticket text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Text,
    Markdown,
}

/// A problem with one field's value, for the checks as you type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// Problems with the case's ticket fields: required ones missing, values of the wrong kind.
pub fn problems(guide: &Guide, case: &Case) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    for f in guide.fields() {
        let v = case.field(&f.id);
        if f.required && v.trim().is_empty() {
            out.push(FieldProblem {
                field: f.id.to_string(),
                message: format!("{} is required", f.label),
            });
        } else if let Some(p) = check_value(f.kind, v) {
            out.push(FieldProblem {
                field: f.id.to_string(),
                message: format!("{}: {p}", f.label),
            });
        }
    }
    out
}

/// Fill the guide's template with the case's field values.
pub fn fill_template(guide: &Guide, case: &Case) -> String {
    let Some(ticket) = &guide.ticket else {
        return String::new();
    };
    let t = &ticket.template;
    let mut out = String::with_capacity(t.len() + 128);
    let mut rest = t.as_str();
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if let (true, Some(end)) = (tail.starts_with('{'), tail.find('}')) {
            let name = tail[1..end].trim();
            out.push_str(&value_of(guide, case, name));
            rest = &tail[end + 1..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

fn value_of(guide: &Guide, case: &Case, name: &str) -> String {
    match name {
        "guide.id" => sanitize(&guide.id),
        "guide.title" => sanitize(&guide.title),
        _ => {
            let v = sanitize(case.field(name).trim());
            if v.is_empty() {
                "(not provided)".to_owned()
            } else {
                v
            }
        }
    }
}

/// The whole ticket: the filled template, then the case's context. `now` is the UTC time to
/// stamp it with (RFC 3339), passed in so rendering stays pure.
pub fn render(guide: &Guide, case: &Case, format: Format, now: &str) -> String {
    let md = format == Format::Markdown;
    let mut out = String::new();
    let filled = fill_template(guide, case);
    if md {
        let _ = writeln!(
            out,
            "## Support ticket: {} ({})\n",
            sanitize(&guide.id),
            sanitize(&guide.title)
        );
        for line in filled.trim_end().lines() {
            let _ = writeln!(out, "{line}  ");
        }
    } else {
        out.push_str(filled.trim_end());
        out.push('\n');
    }
    let heading = |out: &mut String, h: &str| {
        if md {
            let _ = write!(out, "\n### {h}\n\n");
        } else {
            let _ = write!(out, "\n{h}:\n");
        }
    };
    let item = if md { "- " } else { "  - " };

    heading(&mut out, "Case context");
    let _ = writeln!(
        out,
        "{item}Guide: {} - {}",
        sanitize(&guide.id),
        sanitize(&guide.title)
    );
    let _ = writeln!(out, "{item}Status: {}", outcome_word(case.outcome));
    let _ = writeln!(out, "{item}Generated: {now}");

    heading(&mut out, "Diagnostics answered");
    if case.trail.is_empty() {
        let _ = writeln!(out, "{item}(none)");
    }
    let replay = case.replay(guide);
    for (k, given) in case.trail.iter().enumerate() {
        let q = replay.steps[k].map_or_else(
            || given.step.clone(),
            |s| {
                let st = &guide.steps[s];
                st.ask
                    .clone()
                    .map_or_else(|| st.title.clone(), |a| format!("{}: {a}", st.title))
            },
        );
        let _ = writeln!(out, "{item}{} -> {}", sanitize(&q), sanitize(&given.label));
    }

    heading(&mut out, "Common issues");
    let views = view::issues(guide, case);
    let mut any = false;
    for v in &views {
        let title = sanitize(&guide.issues[v.issue].title);
        let state = match v.state() {
            view::IssueState::NotSuspected => continue,
            s => s.word(),
        };
        any = true;
        let _ = writeln!(out, "{item}{state}: {title}");
    }
    if !any {
        let _ = writeln!(out, "{item}(none suspected or checked)");
    }

    heading(&mut out, "Resolution tasks");
    let escalated = case.outcome == crate::wizard::Outcome::Escalated;
    for c in view::checklist(guide, case) {
        let res = &guide.resolutions[c.resolution];
        for (t, task) in res.tasks.iter().enumerate() {
            let _ = writeln!(
                out,
                "{item}{}",
                task_line(
                    &res.title,
                    task,
                    task_state(c.done[t], c.why, res.escalate && escalated)
                )
            );
        }
    }

    if !case.notes.trim().is_empty() {
        heading(&mut out, "Engineer's notes");
        for line in sanitize(case.notes.trim()).lines() {
            // Markdown joins adjacent lines into one paragraph: end each with a line break.
            if md {
                let _ = writeln!(out, "{line}  ");
            } else {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out
}

fn outcome_word(o: crate::wizard::Outcome) -> &'static str {
    match o {
        crate::wizard::Outcome::Open => "open",
        crate::wizard::Outcome::Resolved => "resolved",
        crate::wizard::Outcome::Escalated => "escalated",
    }
}

/// How a checklist task reads in the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskState {
    Done,
    NotDone,
    /// Not done, and every issue it fixes was ruled out.
    NotNeeded,
}

/// A task is done when ticked; an escalation task is done once the case is escalated (by the
/// escalate key or by ticking it: both give the same ticket); a fix of ruled-out issues only
/// that was not tried is not needed rather than not done.
fn task_state(ticked: bool, why: view::Why, escalated_by_case: bool) -> TaskState {
    if ticked || escalated_by_case {
        TaskState::Done
    } else if why == view::Why::RuledOut {
        TaskState::NotNeeded
    } else {
        TaskState::NotDone
    }
}

fn task_line(title: &str, task: &str, state: TaskState) -> String {
    let (title, task) = (sanitize(title), sanitize(task));
    match state {
        TaskState::Done => format!("[x] {title}: {task}"),
        TaskState::NotDone => format!("[ ] {title}: {task}"),
        TaskState::NotNeeded => format!("[-] {title}: {task} (not needed: issue ruled out)"),
    }
}

#[cfg(test)]
mod tests;

/// The current UTC time as RFC 3339, for stamping tickets.
pub use crate::clock::now_rfc3339;
