//! The case commands' printing: `tshoot ticket` and `tshoot sessions`.

use std::io::Write;

use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, TicketFormat, clean, not_found, write_json};
use crate::guide::load::Library;

/// What `tshoot ticket` was asked for.
pub struct TicketArgs<'a> {
    pub id: &'a str,
    pub set: &'a [String],
    /// The pasted text, already read.
    pub paste: Option<&'a str>,
    pub format: TicketFormat,
    /// The time to stamp the ticket with (RFC 3339).
    pub now: &'a str,
    /// Mask user names, e-mail and IP addresses and tenant ids in what is printed and copied.
    pub redact: bool,
}

/// `tshoot ticket`: the case with the fields set, printed. Returns the exit code and the
/// ticket text (for `--copy`).
pub fn ticket(
    lib: &Library,
    args: &TicketArgs<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> (u8, Option<String>) {
    use crate::ticket::{self as tk, extract};
    use crate::wizard::{Act, Case};
    let Some(entry) = lib.find(args.id) else {
        not_found(lib, args.id, err);
        return (EXIT_PROBLEMS, None);
    };
    let g = &entry.guide;
    let mut case = Case::new(g);
    let mut found = None;
    if let Some(text) = args.paste {
        let x = extract::extract(text);
        let p = crate::ticket::propose::propose(g, &case, &x);
        for (id, _, _, v) in &p.fields {
            let _ = case.apply(g, &Act::SetField(id.clone(), v.clone()));
        }
        if !p.extras.is_empty() {
            let notes: Vec<String> = p.extras.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            let _ = case.apply(g, &Act::SetNotes(notes.join("; ")));
        }
        for n in &p.notes {
            let _ = writeln!(err, "tshoot: paste: {n}");
        }
        if x.is_empty() {
            let _ = writeln!(
                err,
                "tshoot: the pasted text holds no error code, request id or correlation id"
            );
        }
        found = Some(x);
    }
    for kv in args.set {
        let Some((k, v)) = kv.split_once('=') else {
            let _ = writeln!(
                err,
                "tshoot: --set takes FIELD=VALUE, got \"{}\"",
                clean(kv)
            );
            return (EXIT_USAGE, None);
        };
        let k = k.trim();
        if let Err(e) = case.apply(g, &Act::SetField(k.to_owned(), v.trim().to_owned())) {
            let ids: Vec<&str> = g.fields().iter().map(|f| f.id.as_str()).collect();
            let _ = writeln!(
                err,
                "tshoot: --set {}: {e}; the fields are: {}",
                clean(k),
                ids.join(", ")
            );
            return (EXIT_USAGE, None);
        }
    }
    let problems = tk::problems(g, &case);
    for p in &problems {
        let _ = writeln!(err, "tshoot: warning: {}", p.message);
    }
    let text = tk::render(
        g,
        &case,
        if args.format == TicketFormat::Markdown {
            tk::Format::Markdown
        } else {
            tk::Format::Text
        },
        args.now,
    );
    let mut redactor = crate::ticket::redact::Redactor::new();
    let text = if args.redact {
        redactor.text(&text)
    } else {
        text
    };
    if args.format == TicketFormat::Json {
        let mut v = serde_json::json!({
            "guide": g.id.as_str(),
            "title": g.title,
            "fields": case.fields,
            "notes": case.notes,
            "problems": problems.iter().map(|p| serde_json::json!({"field": p.field, "message": p.message})).collect::<Vec<_>>(),
            "extracted": found,
            "text": text,
        });
        if args.redact {
            redactor.json(&mut v);
        }
        write_json(out, &v);
    } else {
        let _ = out.write_all(text.as_bytes());
    }
    (EXIT_OK, Some(text))
}

/// One case of `tshoot sessions`: its JSON object and its summary line.
fn session_row(
    lib: &Library,
    s: &crate::session::Session,
    now: &str,
) -> (serde_json::Value, crate::session::summary::Summary) {
    let (stage, progress) = match lib.find(&s.case.guide_id) {
        Some(e) => {
            let g = &e.guide;
            let p = crate::wizard::view::progress(g, &s.case);
            (
                Some(s.case.stage(g)),
                format!(
                    "{}/{} answered, {}/{} tasks",
                    p.answered, p.steps_total, p.tasks_done, p.tasks_total
                ),
            )
        }
        None => (None, format!("{} answered", s.case.trail.len())),
    };
    let summary = crate::session::summary::Summary::of(s, stage, now);
    let json = serde_json::json!({
        "id": s.id,
        "case_id": s.short_id(),
        "label": summary.label,
        "state": s.state(),
        "guide": s.case.guide_id,
        "code": s.code,
        "title": s.guide_title,
        "started": s.started,
        "updated": s.updated,
        "status": match s.case.outcome {
            crate::wizard::Outcome::Open => "open",
            crate::wizard::Outcome::Resolved => "resolved",
            crate::wizard::Outcome::Escalated => "escalated",
        },
        "fixed_by": s.case.fixed_by,
        "sent": s.case.sent,
        "closed": s.case.closed,
        "stage": stage.map_or("(guide not loaded)", crate::wizard::Stage::title),
        "progress": progress,
    });
    (json, summary)
}

/// `tshoot sessions`: one line per case (or JSON), newest change first.
/// `listing` is `store.list()`, taken by the caller (which loads the guides it names).
pub fn sessions(
    lib: &Library,
    store: &crate::session::Store,
    listing: Result<
        (
            Vec<crate::session::Session>,
            Vec<crate::session::SessionError>,
        ),
        crate::session::SessionError,
    >,
    json: bool,
    all: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let (list, bad) = match listing {
        Ok(x) => x,
        Err(e) => {
            let _ = writeln!(err, "tshoot: {e}");
            return EXIT_PROBLEMS;
        }
    };
    for b in &bad {
        let _ = writeln!(err, "tshoot: {b}");
    }
    let now = crate::clock::now_rfc3339();
    let shown: Vec<&crate::session::Session> =
        list.iter().filter(|s| all || !s.is_closed()).collect();
    let rows: Vec<(serde_json::Value, crate::session::summary::Summary)> =
        shown.iter().map(|s| session_row(lib, s, &now)).collect();
    if json {
        write_json(out, &rows.into_iter().map(|(j, _)| j).collect::<Vec<_>>());
        return EXIT_OK;
    }
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "no {}cases saved in {}",
            if all { "" } else { "unfinished " },
            store.dir.display()
        );
        return EXIT_OK;
    }
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|c| *c >= 40)
        .unwrap_or(80);
    let idw = rows
        .iter()
        .map(|(_, s)| s.short_id.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "{:<idw$}  {:<11}  {:<6}  {:<6}  {:<11}  LABEL",
        "CASE", "STATE", "STAGE", "AGE", "CODE"
    );
    for (_, s) in rows {
        let used = idw + 2 + 11 + 2 + 6 + 2 + 6 + 2 + 11.max(s.code.chars().count()) + 2;
        let label = if s.label.is_empty() {
            format!("({})", s.title)
        } else {
            s.label.clone()
        };
        let label = crate::session::summary::shorten(&label, width.saturating_sub(used))
            .unwrap_or_default();
        let line = format!(
            "{:<idw$}  {:<11}  {:<6}  {:<6}  {:<11}  {}",
            clean(&s.short_id),
            s.state.word(),
            s.stage.map_or("-", crate::wizard::Stage::short_title),
            s.age,
            clean(&s.code),
            clean(&label)
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    EXIT_OK
}
