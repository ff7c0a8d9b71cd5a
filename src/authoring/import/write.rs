//! Writing TOML by hand: comments and the order of a guide file matter to the author, and a
//! serializer keeps neither. A test parses the output back and compares it with the guide.

use std::fmt::Write as _;

use super::Kind;
use super::build::Comments;
use crate::guide::{FieldKind, Guide};

/// A TOML basic string; a multi-line one when the text has line breaks.
pub(super) fn q(s: &str) -> String {
    let escape = |c: char, out: &mut String, multiline: bool| match c {
        '\\' => out.push_str("\\\\"),
        '"' => out.push_str("\\\""),
        '\n' if multiline => out.push('\n'),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if c.is_control() => {
            let _ = write!(out, "\\u{:04X}", c as u32);
        }
        c => out.push(c),
    };
    let mut out = String::with_capacity(s.len() + 2);
    if s.contains('\n') {
        out.push_str("\"\"\"\n");
        for c in s.chars() {
            escape(c, &mut out, true);
        }
        out.push_str("\"\"\"");
    } else {
        out.push('"');
        for c in s.chars() {
            escape(c, &mut out, false);
        }
        out.push('"');
    }
    out
}

fn q_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.into_iter().map(q).collect();
    format!("[{}]", v.join(", "))
}

/// Text for a TOML comment: on one line, with the control characters TOML does not allow in
/// comments written as escapes.
fn comment_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' => " ".to_owned(),
            '\t' => "\t".to_owned(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

fn comment(out: &mut String, lines: &[String]) {
    for l in lines {
        if l.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {}", comment_text(l));
        }
    }
}

fn banner(out: &mut String, title: &str) {
    let title = comment_text(title);
    let _ = writeln!(
        out,
        "\n# --- {title} {}",
        "-".repeat(88usize.saturating_sub(title.len() + 7))
    );
}

fn section_banner(out: &mut String, c: &Comments, kind: Kind, fallback: &str) {
    let found: Vec<String> = c
        .sections
        .iter()
        .filter(|(k, _, _)| *k == kind)
        .map(|(_, h, l)| format!("{h} (line {l})"))
        .collect();
    if found.is_empty() {
        banner(out, fallback);
    } else {
        banner(out, &found.join(", "));
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "writes the TOML file top to bottom, one table kind after another, in file order"
)]
pub(super) fn write(g: &Guide, c: &Comments) -> String {
    let mut o = String::new();
    comment(&mut o, &c.header);
    let _ = writeln!(o, "format = {}", g.format);
    comment(&mut o, &c.summary);
    let _ = writeln!(o, "id = {}", q(&g.id));
    let _ = writeln!(o, "title = {}", q(&g.title));
    if !g.summary.is_empty() {
        let _ = writeln!(o, "summary = {}", q(&g.summary));
    }
    if !g.aliases.is_empty() {
        let _ = writeln!(
            o,
            "aliases = {}",
            q_list(g.aliases.iter().map(crate::guide::name::Name::as_str))
        );
    }
    if !g.links.is_empty() {
        section_banner(&mut o, c, Kind::Links, "Links");
    }
    for l in &g.links {
        let _ = writeln!(
            o,
            "\n[[link]]\ntitle = {}\nurl = {}",
            q(&l.title),
            q(&l.url)
        );
    }
    if !g.notes.is_empty() {
        section_banner(&mut o, c, Kind::Notes, "Notes");
    }
    for (k, n) in g.notes.iter().enumerate() {
        o.push_str("\n[[note]]\n");
        comment(&mut o, c.notes.get(k).map_or(&[], Vec::as_slice));
        let _ = writeln!(o, "title = {}\ntext = {}", q(&n.title), q(&n.text));
    }
    section_banner(&mut o, c, Kind::Diagnostics, "Diagnostic steps");
    for (k, s) in g.steps.iter().enumerate() {
        o.push_str("\n[[step]]\n");
        comment(&mut o, c.steps.get(k).map_or(&[], Vec::as_slice));
        let _ = writeln!(o, "id = {}\ntitle = {}", q(&s.id), q(&s.title));
        if !s.text.is_empty() {
            let _ = writeln!(o, "text = {}", q(&s.text));
        }
        if let Some(ask) = &s.ask {
            let _ = writeln!(o, "ask = {}", q(ask));
            o.push_str("answers = [\n");
            for a in &s.answers {
                let _ = write!(o, "  {{ label = {}", q(&a.label));
                if !a.suspect.is_empty() {
                    let _ = write!(
                        o,
                        ", suspect = {}",
                        q_list(a.suspect.iter().map(crate::guide::name::Name::as_str))
                    );
                }
                o.push_str(" },\n");
            }
            o.push_str("]\n");
        }
    }
    if !g.issues.is_empty() {
        section_banner(&mut o, c, Kind::Issues, "Common issues");
    }
    for (k, i) in g.issues.iter().enumerate() {
        o.push_str("\n[[issue]]\n");
        comment(&mut o, c.issues.get(k).map_or(&[], Vec::as_slice));
        let _ = writeln!(o, "id = {}\ntitle = {}", q(&i.id), q(&i.title));
        if !i.text.is_empty() {
            let _ = writeln!(o, "text = {}", q(&i.text));
        }
        if !i.fixes.is_empty() {
            let _ = writeln!(
                o,
                "fixes = {}",
                q_list(i.fixes.iter().map(crate::guide::name::Name::as_str))
            );
        }
    }
    if !g.resolutions.is_empty() {
        section_banner(&mut o, c, Kind::Resolutions, "Resolutions");
    }
    for (k, r) in g.resolutions.iter().enumerate() {
        o.push_str("\n[[resolution]]\n");
        comment(&mut o, c.resolutions.get(k).map_or(&[], Vec::as_slice));
        let _ = writeln!(o, "id = {}\ntitle = {}", q(&r.id), q(&r.title));
        if !r.text.is_empty() {
            let _ = writeln!(o, "text = {}", q(&r.text));
        }
        if r.escalate {
            o.push_str("escalate = true\n");
        }
        o.push_str("tasks = [\n");
        for t in &r.tasks {
            let _ = writeln!(o, "  {},", q(t));
        }
        o.push_str("]\n");
    }
    if let Some(t) = &g.ticket {
        section_banner(&mut o, c, Kind::Ticket, "Support ticket");
        o.push_str("\n[ticket]\n");
        comment(
            &mut o,
            &["REVIEW: every field is required; relax `required` where the ticket can do without.".into()],
        );
        let _ = writeln!(o, "template = {}", q(&t.template));
        for (k, f) in t.fields.iter().enumerate() {
            o.push_str("\n[[ticket.field]]\n");
            comment(&mut o, c.fields.get(k).map_or(&[], Vec::as_slice));
            let _ = writeln!(o, "id = {}\nlabel = {}", q(&f.id), q(&f.label));
            if f.kind != FieldKind::Text {
                let kind = serde_json::to_value(f.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let _ = writeln!(o, "kind = {}", q(&kind));
            }
            if f.required {
                o.push_str("required = true\n");
            }
            if let Some(d) = &f.default {
                let _ = writeln!(o, "default = {}", q(d));
            }
            if let Some(h) = &f.hint {
                let _ = writeln!(o, "hint = {}", q(h));
            }
        }
    }
    if !g.cases.is_empty() {
        banner(
            &mut o,
            "Replay cases (generated from the flow above; `tshoot test FILE` runs them)",
        );
    }
    for rc in &g.cases {
        let _ = writeln!(o, "\n[[case]]\nname = {}", q(&rc.name));
        o.push_str("answers = [\n");
        for a in &rc.answers {
            let _ = writeln!(o, "  {},", q(a.as_str()));
        }
        o.push_str("]\n");
        if let Some(s) = &rc.expect_suspected {
            let _ = writeln!(
                o,
                "expect_suspected = {}",
                q_list(s.iter().map(crate::guide::name::Name::as_str))
            );
        }
        if let Some(s) = &rc.expect_checklist {
            let _ = writeln!(
                o,
                "expect_checklist = {}",
                q_list(s.iter().map(crate::guide::name::Name::as_str))
            );
        }
        if !rc.expect_fields.is_empty() {
            let kv: Vec<String> = rc
                .expect_fields
                .iter()
                .map(|(k, v)| format!("{k} = {}", q(v)))
                .collect();
            let _ = writeln!(o, "expect_fields = {{ {} }}", kv.join(", "));
        }
    }
    o
}
