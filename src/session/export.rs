//! `tshoot export`: a case as a record, in Markdown for people or JSON for tools. Works with
//! or without the guide: without it (removed or renamed), the record is written from what the
//! session itself holds.

use std::fmt::Write as _;

use serde_json::json;

use super::Session;
use crate::guide::Guide;
use crate::text::sanitize;
use crate::wizard::view;

/// The export as Markdown.
#[expect(
    clippy::too_many_lines,
    reason = "writes the export's sections in reading order"
)]
pub fn markdown(s: &Session, guide: Option<&Guide>) -> String {
    let mut o = String::new();
    let c = &s.case;
    let _ = writeln!(
        o,
        "# Case {}: {} - {}\n",
        s.id,
        sanitize(&c.guide_id),
        sanitize(&s.guide_title)
    );
    let _ = writeln!(
        o,
        "- Guide: {} (revision {})",
        sanitize(&c.guide_id),
        if s.guide_revision.is_empty() {
            "-"
        } else {
            &s.guide_revision
        }
    );
    let _ = writeln!(o, "- Started: {}", s.started);
    let _ = writeln!(o, "- Last change: {}", s.updated);
    let _ = writeln!(o, "- Status: {}", outcome(s));
    if guide.is_none() {
        let _ = writeln!(
            o,
            "- Note: the guide is no longer loaded; questions and issue titles are not shown"
        );
    }
    let _ = writeln!(o, "\n## Diagnostics\n");
    if c.trail.is_empty() {
        let _ = writeln!(o, "No answers given.");
    }
    let replay = guide.map(|g| c.replay(g));
    for (k, given) in c.trail.iter().enumerate() {
        let at = s.answered_at.get(k).map_or("", String::as_str);
        let question = guide
            .zip(replay.as_ref().and_then(|r| r.steps[k]))
            .map_or_else(
                || given.step.clone(),
                |(g, i)| {
                    let st = &g.steps[i];
                    format!(
                        "{}{}",
                        st.title,
                        st.ask.as_ref().map_or(String::new(), |a| format!(": {a}"))
                    )
                },
            );
        let _ = writeln!(
            o,
            "{}. {} — **{}** ({at})",
            k + 1,
            sanitize(&question),
            sanitize(&given.label)
        );
    }
    if let (Some(g), Some(r)) = (guide, &replay) {
        for (_, why) in &r.stale {
            let _ = writeln!(o, "   - note: {}", sanitize(why));
        }
        let _ = writeln!(o, "\n## Common issues\n");
        let mut any = false;
        for v in view::issues(g, c) {
            let state = match v.state() {
                view::IssueState::NotSuspected => continue,
                s => s.word(),
            };
            any = true;
            let _ = writeln!(o, "- {}: {state}", sanitize(&g.issues[v.issue].title));
        }
        if !any {
            let _ = writeln!(o, "None suspected or judged.");
        }
        let _ = writeln!(o, "\n## Resolution checklist\n");
        for item in view::checklist(g, c) {
            let res = &g.resolutions[item.resolution];
            let _ = writeln!(
                o,
                "- {} ({}/{})",
                sanitize(&res.title),
                item.done_count(),
                item.done.len()
            );
            for (t, task) in res.tasks.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "  - [{}] {}",
                    if item.done[t] { "x" } else { " " },
                    sanitize(task)
                );
            }
        }
    } else {
        let _ = writeln!(o, "\n## Common issues\n");
        for (id, m) in &c.marks {
            let _ = writeln!(
                o,
                "- {}: {}",
                sanitize(id),
                view::IssueState::of(Some(*m), false).word()
            );
        }
        let _ = writeln!(o, "\n## Tasks done\n");
        for (res, t) in &c.done {
            let _ = writeln!(o, "- {} task {}", sanitize(res), t + 1);
        }
    }
    let _ = writeln!(o, "\n## Ticket fields\n");
    let labels: Vec<(String, String)> = match guide {
        Some(g) => g
            .fields()
            .iter()
            .map(|f| (f.id.to_string(), f.label.clone()))
            .collect(),
        None => c.fields.keys().map(|k| (k.clone(), k.clone())).collect(),
    };
    for (id, label) in labels {
        let v = c.field(&id);
        let _ = writeln!(
            o,
            "- {}: {}",
            sanitize(&label),
            if v.is_empty() {
                "(not provided)".to_owned()
            } else {
                sanitize(v)
            }
        );
    }
    if !c.notes.trim().is_empty() {
        let _ = writeln!(o, "\n## Notes\n\n{}", sanitize(c.notes.trim()));
    }
    o
}

fn outcome(s: &Session) -> &'static str {
    match s.case.outcome {
        crate::wizard::Outcome::Open => "open",
        crate::wizard::Outcome::Resolved => "resolved",
        crate::wizard::Outcome::Escalated => "escalated",
    }
}

/// The export as JSON: the session plus, when the guide is known, the derived views.
pub fn json(s: &Session, guide: Option<&Guide>) -> serde_json::Value {
    let c = &s.case;
    let mut v = json!({
        "id": s.id,
        "guide": { "id": c.guide_id, "title": s.guide_title, "revision": s.guide_revision, "loaded": guide.is_some() },
        "started": s.started,
        "updated": s.updated,
        "status": outcome(s),
        "fields": c.fields,
        "notes": c.notes,
    });
    let replay = guide.map(|g| c.replay(g));
    let answers: Vec<serde_json::Value> = c
        .trail
        .iter()
        .enumerate()
        .map(|(k, given)| {
            let step = guide
                .zip(replay.as_ref().and_then(|r| r.steps[k]))
                .map(|(g, i)| &g.steps[i]);
            json!({
                "step": given.step,
                "title": step.map(|s| s.title.clone()),
                "question": step.and_then(|s| s.ask.clone()),
                "answer": given.label,
                "at": s.answered_at.get(k),
            })
        })
        .collect();
    v["answers"] = json!(answers);
    if let Some(g) = guide {
        let issues: Vec<serde_json::Value> = view::issues(g, c)
            .iter()
            .map(|x| {
                json!({
                    "id": g.issues[x.issue].id.as_str(),
                    "title": g.issues[x.issue].title,
                    "suspected": x.suspected(),
                    "mark": x.mark,
                })
            })
            .collect();
        let checklist: Vec<serde_json::Value> = view::checklist(g, c)
            .iter()
            .map(|x| {
                let r = &g.resolutions[x.resolution];
                json!({
                    "id": r.id.as_str(),
                    "title": r.title,
                    "tasks": r.tasks.iter().zip(&x.done).map(|(t, d)| json!({"task": t, "done": d})).collect::<Vec<_>>(),
                })
            })
            .collect();
        v["issues"] = json!(issues);
        v["checklist"] = json!(checklist);
    } else {
        v["marks"] = json!(c.marks);
        v["done"] = json!(c.done);
    }
    v
}
