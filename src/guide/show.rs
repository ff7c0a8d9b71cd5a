//! A guide as readable plain text (`tshoot show`): for chat, e-mail or a screen reader. Every
//! item of the guide appears, in order, with the flow spelled out in words.

use std::fmt::Write as _;

use super::{Guide, Target};
use crate::text::sanitize;

/// The whole guide as plain text, wrapped to `width` columns (0 = no wrapping).
#[expect(
    clippy::too_many_lines,
    reason = "prints the guide section by section, in the order of the panes"
)]
pub fn plain(guide: &Guide, width: usize) -> String {
    let mut o = String::new();
    let w = |o: &mut String, indent: &str, text: &str| {
        for line in wrap(&sanitize(text), width.saturating_sub(indent.len())) {
            let _ = writeln!(o, "{indent}{line}");
        }
    };
    let title = format!("{}: {}", guide.id, guide.title);
    let _ = writeln!(
        o,
        "{}\n{}",
        sanitize(&title),
        "=".repeat(title.chars().count().min(80))
    );
    if !guide.aliases.is_empty() {
        let a: Vec<&str> = guide
            .aliases
            .iter()
            .map(super::name::Name::as_str)
            .collect();
        w(&mut o, "", &format!("Also known as: {}", a.join(", ")));
    }
    if !guide.tags.is_empty() {
        w(&mut o, "", &format!("Tags: {}", guide.tags.join(", ")));
    }
    if !guide.summary.is_empty() {
        o.push('\n');
        w(&mut o, "", &guide.summary);
    }

    let _ = writeln!(o, "\nDiagnostic steps\n----------------");
    for (i, s) in guide.steps.iter().enumerate() {
        let _ = writeln!(o);
        w(&mut o, "", &format!("{}. {}", i + 1, s.title));
        if !s.text.is_empty() {
            w(&mut o, "   ", &s.text);
        }
        let dest = |t: Target<'_>| match t {
            Target::Step(j) => format!("go to step {} ({})", j + 1, guide.steps[j].title),
            Target::Issues | Target::Unknown(_) => "go to the common issues".to_owned(),
            Target::Resolution => "go to the resolution checklist".to_owned(),
            Target::Ticket => "go to the ticket".to_owned(),
        };
        if let Some(q) = &s.ask {
            w(&mut o, "   ", &format!("Question: {q}"));
            for (k, a) in s.answers.iter().enumerate() {
                let mut line = format!(
                    "{}) {}: {}",
                    char::from(b'a' + u8::try_from(k % 26).unwrap_or(0)),
                    a.label,
                    dest(guide.next_of(i, k))
                );
                if !a.suspect.is_empty() {
                    let names: Vec<String> = a
                        .suspect
                        .iter()
                        .map(|id| {
                            guide
                                .issue_index(id)
                                .map_or_else(|| id.to_string(), |x| guide.issues[x].title.clone())
                        })
                        .collect();
                    let _ = write!(line, "; suggests: {}", names.join(", "));
                }
                w(&mut o, "     ", &line);
            }
        } else {
            w(
                &mut o,
                "   ",
                &format!("Then {}.", dest(guide.next_of(i, 0))),
            );
        }
    }

    let _ = writeln!(o, "\nCommon issues\n-------------");
    for i in &guide.issues {
        let _ = writeln!(o);
        w(&mut o, "", &format!("* {}", i.title));
        if !i.text.is_empty() {
            w(&mut o, "  ", &i.text);
        }
        if !i.fixes.is_empty() {
            let names: Vec<String> = i
                .fixes
                .iter()
                .map(|id| {
                    guide
                        .resolution_index(id)
                        .map_or_else(|| id.to_string(), |x| guide.resolutions[x].title.clone())
                })
                .collect();
            w(&mut o, "  ", &format!("Fixed by: {}", names.join(", ")));
        }
    }

    let _ = writeln!(o, "\nResolution strategies\n---------------------");
    for (k, r) in guide.resolutions.iter().enumerate() {
        let _ = writeln!(o);
        let esc = if r.escalate { " (escalation)" } else { "" };
        w(&mut o, "", &format!("{}. {}{esc}", k + 1, r.title));
        if !r.text.is_empty() {
            w(&mut o, "   ", &r.text);
        }
        for t in &r.tasks {
            w(&mut o, "   ", &format!("[ ] {t}"));
        }
    }

    if !guide.notes.is_empty() {
        let _ = writeln!(o, "\nAdditional notes\n----------------");
        for n in &guide.notes {
            w(&mut o, "", &format!("* {}: {}", n.title, n.text));
        }
    }
    if !guide.links.is_empty() {
        let _ = writeln!(o, "\nDocumentation\n-------------");
        for l in &guide.links {
            w(&mut o, "", &format!("* {}: {}", l.title, l.url));
        }
    }
    if let Some(t) = &guide.ticket {
        let _ = writeln!(o, "\nSupport ticket\n--------------");
        for f in &t.fields {
            let mut line = format!("* {}", f.label);
            if f.required {
                line.push_str(" (required)");
            }
            if let Some(d) = &f.default {
                let _ = write!(line, ": {d}");
            } else if let Some(h) = &f.hint {
                let _ = write!(line, ": [{h}]");
            }
            w(&mut o, "", &line);
        }
    }
    o
}

/// Greedy word wrap by characters; `width` 0 means no wrapping. Keeps explicit line breaks.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines() {
        if width == 0 || para.chars().count() <= width {
            out.push(para.to_owned());
            continue;
        }
        let mut line = String::new();
        for word in para.split(' ') {
            let (lw, ww) = (line.chars().count(), word.chars().count());
            if lw > 0 && lw + 1 + ww > width {
                out.push(std::mem::take(&mut line));
            } else if lw > 0 {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}
