//! Building the guide from the [`Doc`](super::Doc): the head, the flow (steps, issues,
//! resolutions and how they link), notes and links, and what the author should review.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::cases::generate_cases;
use super::inline::{append, clean};
use super::links::{links_in, push_link};
use super::ticket::build_ticket;
use super::words::{Bag, best, scores};
use super::write::write;
use super::{Doc, Imported, Item, Kind, Section, Warning};
use crate::guide::{Answer, Guide, Issue, Link, Name, Note, Resolution, STAGE_TARGETS, Step};

/// The most "Yes" answers a generated step offers: with "No" and "Not sure" that is 9, the
/// number keys.
const MAX_YES: usize = 7;
/// The most resolutions an issue is linked to by word overlap.
const MAX_FIXES: usize = 3;

const ASK: &str = "Does this check point at one of the common issues?";
pub(super) const NO: &str = "No, this looks fine";
const NOT_SURE: &str = "Not sure yet";

/// What looks like an error code (`AADSTS50143`, `0x80070005`, `50143`), to find the id.
static CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z][A-Z_]*[0-9]{2,}[A-Z0-9]*|0x[0-9A-Fa-f]{4,}|[0-9]{4,})\b")
        .expect("error code pattern")
});

/// What the author should look at, per item of the guide, written as comments.
#[derive(Debug, Default)]
pub(super) struct Comments {
    pub(super) header: Vec<String>,
    /// Where the summary came from.
    pub(super) summary: Vec<String>,
    pub(super) steps: Vec<Vec<String>>,
    pub(super) issues: Vec<Vec<String>>,
    pub(super) resolutions: Vec<Vec<String>>,
    pub(super) notes: Vec<Vec<String>>,
    pub(super) fields: Vec<Vec<String>>,
    /// Section banners: (kind, heading, line).
    pub(super) sections: Vec<(Kind, String, usize)>,
}

/// Ids from titles: lowercase words joined by `-`, unique, never a stage name.
#[derive(Default)]
pub(super) struct Ids(HashSet<String>);

impl Ids {
    pub(super) fn make(&mut self, title: &str, fallback: &str, sep: char) -> String {
        let mut base = String::new();
        for w in title
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .map(|w| w.replace('\'', "").to_lowercase())
            .filter(|w| !w.is_empty())
        {
            if base.len() + w.len() > 40 && !base.is_empty() {
                break;
            }
            if !base.is_empty() {
                base.push(sep);
            }
            base.push_str(&w);
        }
        if base.is_empty() {
            fallback.clone_into(&mut base);
        }
        if STAGE_TARGETS.contains(&base.as_str()) {
            base.push_str("-step");
        }
        let mut id = base.clone();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}{sep}{n}");
            n += 1;
        }
        id
    }
}

/// A title for an item that has none: its first words.
fn short(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 10 {
        text.trim().trim_end_matches('.').to_owned()
    } else {
        format!("{}…", words[..8].join(" "))
    }
}

fn item_title(item: &Item) -> String {
    item.title.clone().unwrap_or_else(|| short(&item.body))
}

/// An item's text with its details as lines under it. An item without a title whose text is
/// short became its title: it is not repeated.
fn item_text(item: &Item) -> String {
    let mut text = if item.title.is_none() && !short(&item.body).ends_with('…') {
        String::new()
    } else {
        item.body.clone()
    };
    for (_, d) in &item.details {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str("- ");
        text.push_str(d);
    }
    text
}

/// The guide being built, with what the author should review and what could not be placed.
#[derive(Default)]
struct Builder {
    warnings: Vec<Warning>,
    c: Comments,
    links: Vec<Link>,
    notes: Vec<Note>,
}

/// The items of the sections that become the flow, in document order.
#[derive(Default)]
struct Parts<'a> {
    steps: Vec<&'a Item>,
    issues: Vec<&'a Item>,
    resolutions: Vec<&'a Item>,
    ticket: Vec<&'a Item>,
    ticket_code: Vec<(usize, String)>,
}

/// What the first line says: the id, its aliases, the title, the description.
struct Head {
    line: usize,
    id: String,
    aliases: Vec<Name>,
    title: String,
    summary: String,
}

/// Words that make a resolution the escalation.
const ESCALATION: [&str; 8] = [
    "support ticket",
    "escalat",
    "contact support",
    "open a ticket",
    "raise a ticket",
    "file a ticket",
    "support case",
    "support request",
];

pub(super) fn build(doc: &Doc, name: &str) -> Imported {
    let mut b = Builder::default();
    let mut head = b.head(doc, name);
    let parts = b.sections(doc, &mut head.summary);
    let mut issues = b.issues(&parts.issues);
    let resolutions = b.resolutions(&parts.resolutions);
    let issue_bags: Vec<Bag> = issues
        .iter()
        .map(|i| Bag::new(&i.title, &[i.text.as_str()]))
        .collect();
    if parts.resolutions.iter().any(|r| !r.fixes.is_empty()) {
        b.link_by_position(&mut issues, &parts.resolutions, &resolutions);
    } else {
        b.link_fixes(&mut issues, &issue_bags, &resolutions);
    }
    let symptoms = doc.symptoms.as_ref().map(|(_, t)| t.as_str());
    let steps = b.steps(&parts.steps, &issues, &issue_bags, head.line, symptoms);
    let defaults = default_ticket(&head.id);
    let ticket_items: Vec<&Item> = if parts.ticket.is_empty() && parts.ticket_code.is_empty() {
        defaults.iter().collect()
    } else {
        parts.ticket.clone()
    };
    let ticket = build_ticket(&ticket_items, &parts.ticket_code, &head.id, &mut b.c);
    let mut guide = Guide {
        format: crate::guide::FORMAT,
        id: Name::new(head.id),
        title: head.title,
        summary: head.summary,
        revision: String::new(),
        aliases: head.aliases,
        tags: Vec::new(),
        links: b.links,
        notes: b.notes,
        steps,
        issues,
        resolutions,
        ticket,
        cases: Vec::new(),
    };
    guide.cases = generate_cases(&guide);
    let mut sources = vec![("summary".to_owned(), b.c.summary.join(" "))];
    let parts = [
        (
            "step",
            guide
                .steps
                .iter()
                .map(|x| x.id.to_string())
                .collect::<Vec<_>>(),
            &b.c.steps,
        ),
        (
            "issue",
            guide.issues.iter().map(|x| x.id.to_string()).collect(),
            &b.c.issues,
        ),
        (
            "resolution",
            guide.resolutions.iter().map(|x| x.id.to_string()).collect(),
            &b.c.resolutions,
        ),
        (
            "note",
            guide.notes.iter().map(|x| x.title.clone()).collect(),
            &b.c.notes,
        ),
    ];
    for (kind, ids, comments) in parts {
        for (id, c) in ids.iter().zip(comments.iter()) {
            sources.push((
                format!("{kind} {id}"),
                c.first().cloned().unwrap_or_default(),
            ));
        }
    }
    b.c.header = header(doc, &guide, &b.warnings);
    let toml = write(&guide, &b.c);
    Imported {
        guide,
        toml,
        warnings: b.warnings,
        dropped: doc.dropped.clone(),
        sources,
    }
}

/// The error code: in the front matter's title, the first line, a framing heading, the file
/// name, the ticket, the symptoms, the body, in that order.
fn find_code(doc: &Doc, name: &str, first: &str) -> Option<String> {
    let code_in = |s: &str| CODE.captures(s).map(|c| c[1].to_owned());
    let ticket_code = doc
        .sections
        .iter()
        .filter(|s| s.kind == Kind::Ticket)
        .flat_map(|s| &s.items)
        .filter(|i| {
            i.title
                .as_deref()
                .is_some_and(|t| t.to_lowercase().contains("error code"))
        })
        .find_map(|i| code_in(&i.body));
    // In the body, a bare number is more often a year or a count than a code.
    let lettered = |s: &str| {
        CODE.captures_iter(s)
            .map(|c| c[1].to_owned())
            .find(|c| !c.chars().all(|ch| ch.is_ascii_digit()))
    };
    let body_code = || {
        doc.sections.iter().find_map(|s| {
            s.paragraphs
                .iter()
                .find_map(|(_, p)| lettered(p))
                .or_else(|| s.items.iter().find_map(|i| lettered(&flat(i))))
        })
    };
    doc.front
        .title
        .as_deref()
        .and_then(code_in)
        .or_else(|| code_in(first))
        .or_else(|| doc.frames.iter().find_map(|(_, h)| code_in(h)))
        .or_else(|| lettered(&name.to_uppercase()))
        .or(ticket_code)
        .or_else(|| doc.symptoms.as_ref().and_then(|(_, t)| lettered(t)))
        .or_else(body_code)
}

/// The ticket of a document that describes none: what support asks for an error.
fn default_ticket(id: &str) -> Vec<Item> {
    [
        (
            "Correlation ID",
            "[the Correlation ID shown with the error]",
        ),
        ("Request ID", "[the Request ID shown with the error]"),
        ("Timestamp", "[when the error happened, with the time zone]"),
        ("Error code", id),
    ]
    .into_iter()
    .map(|(t, b)| Item {
        title: Some(t.to_owned()),
        body: b.to_owned(),
        ..Item::default()
    })
    .collect()
}

impl Builder {
    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(Warning { line, message });
    }

    /// A note, with a comment saying where it came from.
    fn note(&mut self, title: String, text: String, why: String) {
        self.notes.push(Note { title, text });
        self.c.notes.push(vec![why]);
    }

    /// The id (the error code of the first line, else of a framing heading or the ticket, else
    /// the file name), the title and the description: "CODE: Title - description".
    fn head(&mut self, doc: &Doc, name: &str) -> Head {
        let (line, first) = doc.title_line.clone().unwrap_or_default();
        let found = find_code(doc, name, &first);
        let id = found.unwrap_or_else(|| {
            let fallback = Ids::default().make(name, "imported", '-').to_uppercase();
            self.warn(
                line,
                format!(
                    "the first line names no error code; the guide's id is \"{fallback}\", from the file name"
                ),
            );
            fallback
        });
        let mut aliases = Vec::new();
        let digits: String = id.chars().skip_while(|c| !c.is_ascii_digit()).collect();
        if digits.len() >= 3 && digits != id && digits.chars().all(|c| c.is_ascii_digit()) {
            aliases.push(Name::new(digits));
        }

        let rest = match first.find(&id) {
            Some(at) => first[at + id.len()..].to_owned(),
            None => first.clone(),
        };
        // "Error AADSTS50020 when a guest signs in": the code inside a sentence; the whole
        // line is the title.
        let inside = first.find(&id).is_some_and(|at| {
            at > 0
                && !rest
                    .trim_start()
                    .starts_with([':', '-', '–', '—', '.', ','])
        });
        let rest = if inside { clean(&first) } else { rest };
        let mut rest = clean(rest.trim_start_matches([':', '-', '–', '—', ' ']));
        // "AADSTS50143 Error Code: Session Mismatch": the words before a colon name the code.
        if let Some((head, tail)) = rest.split_once(':')
            && head.split_whitespace().count() <= 3
            && !tail.trim().is_empty()
            && !tail.starts_with("//")
        {
            rest = String::from(tail.trim());
        }
        let framed_title = doc
            .frames
            .iter()
            .find_map(|(_, h)| h.rsplit_once(':').map(|(_, t)| clean(t)))
            .filter(|t| !t.is_empty());
        let title = if let Some((head, _)) = rest.split_once(" - ") {
            head.trim().to_owned()
        } else if !rest.is_empty() && rest.len() <= 80 {
            rest.trim_end_matches('.').to_owned()
        } else if let Some(t) = framed_title {
            t
        } else if let Some((_, d)) = &doc.description {
            short(d.split(" - ").next().unwrap_or(d))
        } else {
            id.clone()
        };
        // The first line's text after the title is the description; a first line that is only
        // the title gives none.
        let mut summary = if rest == title { String::new() } else { rest };
        if let Some(d) = &doc.front.description {
            append(&mut summary, &clean(d), true);
        }
        if let Some((_, sym)) = &doc.symptoms {
            append(&mut summary, sym, true);
        }
        let squash = |s: &str| s.split_whitespace().collect::<String>().to_lowercase();
        if let Some((_, d)) = &doc.description
            && !squash(&summary).contains(&squash(d))
        {
            append(&mut summary, d, true);
        }
        let mut from = vec![format!("the first line (line {line})")];
        if doc.front.description.is_some() {
            from.push("the front matter's description".to_owned());
        }
        if let Some((l, _)) = &doc.symptoms {
            from.push(format!("the Symptoms (line {l})"));
        }
        if let Some((l, _)) = &doc.description {
            from.push(format!("the Description (line {l})"));
        }
        self.c
            .summary
            .push(format!("Title and summary from {}.", from.join(" and ")));
        Head {
            line,
            id,
            aliases,
            title,
            summary,
        }
    }

    /// Sort the sections' contents: notes, links and the introduction are placed here; the
    /// items of the flow are returned. Whatever fits nowhere becomes a note, with a warning.
    fn sections<'a>(&mut self, doc: &'a Doc, summary: &mut String) -> Parts<'a> {
        let mut parts = Parts::default();
        for s in &doc.sections {
            if !matches!(s.kind, Kind::Intro | Kind::Unknown) {
                self.c.sections.push((s.kind, s.heading.clone(), s.line));
            }
            match s.kind {
                Kind::Intro | Kind::Symptoms | Kind::Cause | Kind::Fix | Kind::Verify => {
                    for (_, p) in &s.paragraphs {
                        append(summary, p, true);
                    }
                    for item in &s.items {
                        append(summary, &format!("- {}", flat(item)), false);
                    }
                }
                Kind::Diagnostics => parts.steps.extend(&s.items),
                Kind::Issues => parts.issues.extend(&s.items),
                Kind::Resolutions => parts.resolutions.extend(&s.items),
                Kind::Ticket => {
                    parts.ticket.extend(&s.items);
                    parts.ticket_code.extend(s.code.iter().cloned());
                }
                Kind::Notes => {
                    for item in &s.items {
                        let title = item.title.clone().unwrap_or_else(|| short(&item.body));
                        self.note(title, item_text(item), format!("line {}", item.line));
                    }
                    for (line, p) in &s.paragraphs {
                        self.note(short(p), p.clone(), format!("line {line}"));
                    }
                }
                Kind::Links => self.links_section(s),
                Kind::Unknown => self.unknown_section(s),
            }
            // Text outside the lists of the list sections.
            if matches!(
                s.kind,
                Kind::Diagnostics | Kind::Issues | Kind::Resolutions | Kind::Ticket
            ) {
                for (line, p) in &s.paragraphs {
                    self.warn(
                        *line,
                        format!(
                            "text outside the list of \"{}\" was kept as a note",
                            s.heading
                        ),
                    );
                    self.note(
                        s.heading.clone(),
                        p.clone(),
                        format!("line {line}: text outside the list of \"{}\"", s.heading),
                    );
                }
                if s.kind != Kind::Ticket {
                    for (line, l) in &s.code {
                        self.warn(
                            *line,
                            format!("a code block in \"{}\" was kept as a note", s.heading),
                        );
                        self.note(s.heading.clone(), l.clone(), format!("line {line}"));
                    }
                }
            }
        }
        for c in &doc.callouts {
            self.note(
                c.title.clone(),
                c.text.clone(),
                format!("line {}: a callout", c.line),
            );
        }
        if let Some((line, text)) = &doc.closing {
            self.note(
                "Closing remarks".to_owned(),
                text.clone(),
                format!(
                    "line {line}: the document's closing paragraph; give it a better title or drop it"
                ),
            );
        }
        // Links written inside the texts are kept in the texts and listed with the links.
        for s in doc.sections.iter().filter(|s| s.kind != Kind::Links) {
            for item in &s.items {
                for l in links_in(&flat(item), false) {
                    push_link(&mut self.links, l);
                }
            }
        }
        parts
    }

    fn links_section(&mut self, s: &Section) {
        for item in &s.items {
            let whole = flat(item);
            let mut found = links_in(&whole, true);
            // "**Docs:** https://..." : the item's title names its one address.
            if let ([l], Some(t)) = (found.as_mut_slice(), &item.title)
                && l.title == *l.url
            {
                l.title.clone_from(t);
            }
            if found.is_empty() {
                self.warn(
                    item.line,
                    format!(
                        "no address in the link \"{}\"; it was kept as a note",
                        short(&whole)
                    ),
                );
                self.note(
                    s.heading.clone(),
                    whole,
                    format!("line {}: a link without an address", item.line),
                );
            }
            for l in found {
                push_link(&mut self.links, l);
            }
        }
        for (line, p) in &s.paragraphs {
            let found = links_in(p, true);
            if found.is_empty() {
                self.warn(
                    *line,
                    format!(
                        "text without an address in \"{}\" was kept as a note",
                        s.heading
                    ),
                );
                self.note(s.heading.clone(), p.clone(), format!("line {line}"));
            }
            for l in found {
                push_link(&mut self.links, l);
            }
        }
    }

    /// A section the importer does not know: its whole text as a note titled by its heading.
    fn unknown_section(&mut self, s: &Section) {
        let mut parts: Vec<String> = s.paragraphs.iter().map(|(_, p)| p.clone()).collect();
        let list: Vec<String> = s.items.iter().map(|i| format!("- {}", flat(i))).collect();
        if !list.is_empty() {
            parts.push(list.join("\n"));
        }
        let code: Vec<&str> = s.code.iter().map(|(_, l)| l.as_str()).collect();
        if !code.is_empty() {
            parts.push(code.join("\n"));
        }
        let text = parts.join("\n\n");
        if text.is_empty() {
            return;
        }
        self.warn(
            s.line,
            format!(
                "section \"{}\" is not one the importer knows; its text was kept as a note",
                s.heading
            ),
        );
        self.note(
            s.heading.clone(),
            text,
            format!(
                "line {}: an unknown section, kept as a note: move its text where it belongs",
                s.line
            ),
        );
    }

    fn issues(&mut self, items: &[&Item]) -> Vec<Issue> {
        let mut ids = Ids::default();
        items
            .iter()
            .map(|i| {
                self.c.issues.push(vec![format!("line {}", i.line)]);
                Issue {
                    id: Name::new(ids.make(&item_title(i), "issue", '-')),
                    title: item_title(i),
                    text: item_text(i),
                    fixes: Vec::new(),
                }
            })
            .collect()
    }

    /// Resolutions: nested details are the tasks; an item without them is its own one task.
    /// The one that opens a support ticket is the escalation.
    fn resolutions(&mut self, items: &[&Item]) -> Vec<Resolution> {
        let mut ids = Ids::default();
        items
            .iter()
            .map(|r| {
                let title = item_title(r);
                let mut tasks: Vec<String> = r.details.iter().map(|(_, d)| d.clone()).collect();
                let mut text = if r.title.is_some() {
                    r.body.clone()
                } else {
                    String::new()
                };
                if tasks.is_empty() {
                    tasks.push(if r.body.is_empty() {
                        title.clone()
                    } else {
                        r.body.clone()
                    });
                    text.clear();
                }
                let words = format!("{title} {text} {}", tasks.join(" ")).to_lowercase();
                let escalate = ESCALATION.iter().any(|w| words.contains(w));
                let mut note = vec![format!("line {}", r.line)];
                if escalate {
                    note.push(
                        "the escalation: it leads to the ticket and is always listed last".into(),
                    );
                }
                self.c.resolutions.push(note);
                Resolution {
                    id: Name::new(ids.make(&title, "resolution", '-')),
                    title,
                    text,
                    tasks,
                    escalate,
                }
            })
            .collect()
    }

    /// Each issue's `fixes`: the resolutions that stand under it in the document.
    fn link_by_position(
        &mut self,
        issues: &mut [Issue],
        items: &[&Item],
        resolutions: &[Resolution],
    ) {
        for (r, item) in items.iter().enumerate() {
            for &i in &item.fixes {
                let Some(issue) = issues.get_mut(i) else {
                    continue;
                };
                if resolutions[r].escalate || issue.fixes.contains(&resolutions[r].id) {
                    continue;
                }
                issue.fixes.push(resolutions[r].id.clone());
                self.c.issues[i].push(format!(
                    "fix {} by position: it stands under this cause (line {})",
                    resolutions[r].id, item.line
                ));
            }
        }
        for (k, issue) in issues.iter().enumerate() {
            if issue.fixes.is_empty() {
                self.c.issues[k].push(
                    "REVIEW: no resolution stands under this cause; add `fixes` by hand".into(),
                );
            }
        }
    }

    /// Each issue's `fixes`: the resolutions that match it best (the escalation is never a
    /// fix: it comes last anyway). A resolution no issue chose goes to the issue it matches
    /// best, if any, so that the checklist shows it where it belongs.
    fn link_fixes(&mut self, issues: &mut [Issue], issue_bags: &[Bag], resolutions: &[Resolution]) {
        let fixable: Vec<usize> = (0..resolutions.len())
            .filter(|&r| !resolutions[r].escalate)
            .collect();
        let candidates: Vec<Bag> = fixable
            .iter()
            .map(|&r| {
                let res = &resolutions[r];
                let mut rest: Vec<&str> = vec![res.text.as_str()];
                rest.extend(res.tasks.iter().map(String::as_str));
                Bag::new(&res.title, &rest)
            })
            .collect();
        let mut linked = vec![false; resolutions.len()];
        let mut issue_scores = Vec::new();
        for (k, issue) in issues.iter_mut().enumerate() {
            let scored = scores(&issue_bags[k], &candidates);
            let keep = best(&scored, MAX_FIXES);
            let why: Vec<String> = keep
                .iter()
                .map(|&j| {
                    let r = fixable[j];
                    linked[r] = true;
                    format!("{} ({})", resolutions[r].id, scored[j].1.join(", "))
                })
                .collect();
            issue.fixes = keep
                .iter()
                .map(|&j| resolutions[fixable[j]].id.clone())
                .collect();
            self.c.issues[k].push(if why.is_empty() {
                "REVIEW: no resolution shares words with this issue; add `fixes` by hand".into()
            } else {
                format!("fixes guessed from shared words: {}", why.join("; "))
            });
            issue_scores.push(scored);
        }
        for (j, &r) in fixable.iter().enumerate() {
            if linked[r] {
                continue;
            }
            let best_issue = (0..issues.len())
                .filter(|&k| issue_scores[k][j].0 > 0.0)
                .max_by(|&a, &b| issue_scores[a][j].0.total_cmp(&issue_scores[b][j].0));
            match best_issue {
                Some(k) => {
                    issues[k].fixes.push(resolutions[r].id.clone());
                    self.c.issues[k].push(format!(
                        "REVIEW: {} was added last: no issue matched it better ({})",
                        resolutions[r].id,
                        issue_scores[k][j].1.join(", ")
                    ));
                }
                None if !issues.is_empty() => self.c.resolutions[r].push(
                    "REVIEW: no issue shares words with this resolution; list it in some issue's `fixes`".into(),
                ),
                None => {}
            }
        }
    }

    /// The linear flow: each step asks whether its check points at one of the issues whose
    /// words match it (every issue when none does), then "No" and "Not sure". Every issue is
    /// offered by some step. Without diagnostic steps, one step asks which issue it is.
    fn steps(
        &mut self,
        items: &[&Item],
        issues: &[Issue],
        issue_bags: &[Bag],
        first_line: usize,
        symptoms: Option<&str>,
    ) -> Vec<Step> {
        let mut offered: Vec<Vec<usize>> = Vec::new();
        let mut step_scores = Vec::new();
        for item in items {
            let bag = Bag::new(&item_title(item), &[item_text(item).as_str()]);
            let scored = scores(&bag, issue_bags);
            let keep = best(&scored, MAX_YES);
            let mut note = vec![format!("line {}", item.line)];
            if issues.is_empty() {
                note.push("no common issues to suspect: the step has no question".into());
            } else if keep.is_empty() {
                note.push(
                    "REVIEW: no issue shares words with this step, so every issue is offered"
                        .into(),
                );
            } else {
                let why: Vec<String> = keep
                    .iter()
                    .map(|&i| format!("{} ({})", issues[i].id, scored[i].1.join(", ")))
                    .collect();
                note.push(format!(
                    "answers suspect issues by shared words: {}",
                    why.join("; ")
                ));
            }
            self.c.steps.push(note);
            offered.push(if keep.is_empty() {
                (0..issues.len().min(MAX_YES)).collect()
            } else {
                keep
            });
            step_scores.push(scored);
        }
        let placeholder = items.is_empty();
        if placeholder {
            self.warn(
                first_line,
                "the document has no diagnostic steps; one step asking which issue it looks like was written".into(),
            );
            offered.push((0..issues.len().min(MAX_YES)).collect());
            step_scores.push(vec![(0.0, Vec::new()); issues.len()]);
            self.c.steps.push(vec![
                "REVIEW: written by the import: the document had no diagnostic steps".into(),
            ]);
        }
        // Every issue is offered somewhere: where it matches best, else at the last step.
        for k in 0..issues.len() {
            if offered.iter().any(|o| o.contains(&k)) {
                continue;
            }
            let by_score = (0..offered.len())
                .filter(|&s| offered[s].len() < MAX_YES)
                .max_by(|&a, &b| {
                    // Ties (no shared words at all): the later step.
                    step_scores[a][k]
                        .0
                        .total_cmp(&step_scores[b][k].0)
                        .then(a.cmp(&b))
                });
            let Some(s) = by_score else { continue };
            offered[s].push(k);
            self.c.steps[s].push(format!(
                "REVIEW: \"Yes: {}\" was added here so that some answer suspects it",
                issues[k].title
            ));
        }
        let mut ids = Ids::default();
        offered
            .iter()
            .enumerate()
            .map(|(k, offer)| {
                let (title, text) = match items.get(k) {
                    Some(s) => (item_title(s), item_text(s)),
                    None => match symptoms {
                        Some(sym) => (
                            "Compare with the causes".to_owned(),
                            format!("{sym}\n\nWhich of the causes below fits what you see?"),
                        ),
                        None => (
                            "Compare with the common issues".to_owned(),
                            "Read the common issues and pick the one this case looks like."
                                .to_owned(),
                        ),
                    },
                };
                let (ask, answers) = answers_for(offer, issues, placeholder);
                Step {
                    id: Name::new(ids.make(&title, "step", '-')),
                    title,
                    text,
                    ask,
                    next: None,
                    answers,
                }
            })
            .collect()
    }
}

/// The question and answers of a generated step offering `offer` (indices into `issues`).
fn answers_for(
    offer: &[usize],
    issues: &[Issue],
    placeholder: bool,
) -> (Option<String>, Vec<Answer>) {
    if offer.is_empty() {
        return (None, Vec::new());
    }
    let mut answers: Vec<Answer> = Vec::new();
    let mut labels = HashSet::new();
    for &i in offer {
        let mut label = format!("Yes: {}", issues[i].title);
        let mut n = 2;
        while !labels.insert(label.to_lowercase()) {
            label = format!("Yes: {} ({n})", issues[i].title);
            n += 1;
        }
        answers.push(Answer {
            label,
            suspect: vec![issues[i].id.clone()],
            next: None,
        });
    }
    for label in [NO, NOT_SURE] {
        answers.push(Answer {
            label: label.into(),
            suspect: Vec::new(),
            next: None,
        });
    }
    let ask = if placeholder {
        "Which of the common issues does this look like?"
    } else {
        ASK
    };
    (Some(ask.to_owned()), answers)
}

/// An item on one line: "Title: text; detail; detail".
fn flat(item: &Item) -> String {
    let mut s = match &item.title {
        Some(t) if item.body.is_empty() => t.clone(),
        Some(t) => format!("{t}: {}", item.body),
        None => item.body.clone(),
    };
    for (_, d) in &item.details {
        s.push_str("; ");
        s.push_str(d);
    }
    s
}

/// The comment at the top of the file: where it came from and what to review.
fn header(doc: &Doc, g: &Guide, warnings: &[Warning]) -> Vec<String> {
    let mut h = vec![format!("Guide for {}: {}.", g.id, g.title)];
    let frame = doc
        .frames
        .iter()
        .find(|(_, f)| f.contains(g.id.as_str()))
        .or(doc.frames.first());
    if let Some((_, f)) = frame {
        h.push(format!(
            "Imported by `tshoot import` from the document \"{f}\"."
        ));
    } else {
        h.push("Imported by `tshoot import` from a Markdown troubleshooting document.".into());
    }
    h.push(String::new());
    h.push("REVIEW before shipping this guide:".into());
    h.push(
        "- A document has no branching, so every step asks whether its check points at one".into(),
    );
    h.push(
        "  of the common issues; its \"Yes\" answers suspect the issues whose words match the"
            .into(),
    );
    h.push(
        "  step. Rewrite the questions and answers as the engineer would really answer them."
            .into(),
    );
    h.push("- Each issue's `fixes` were guessed from shared words, best match first.".into());
    h.push("- The [[case]] tables at the end replay this flow (`tshoot test FILE`): update".into());
    h.push("  them with the flow, and add cases for the branches you write.".into());
    h.push("- Lines starting with REVIEW below mark other guesses.".into());
    if !warnings.is_empty() {
        h.push(format!(
            "- The import reported {} warning{} (text it could not place as written):",
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        ));
        for w in warnings {
            h.push(format!("  line {}: {}", w.line, w.message));
        }
    }
    h
}
