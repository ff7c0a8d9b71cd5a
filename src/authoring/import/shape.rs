//! The shape of support articles: "Symptoms", "Cause 1: X", "Resolution" under a cause,
//! "For users", "Verification", and the sentences that introduce a list ("This issue occurs
//! if:" lists causes, "To fix this, follow these steps:" lists the steps of one fix). This pass
//! turns those sections into the kinds the builder knows (issues, resolutions, diagnostics),
//! and links each fix to the causes it stands under, by position. Sections of the seed's shape
//! ("Common Issues", "Step-by-Step Resolution Strategies") are left as they are.

use std::sync::LazyLock;

use regex::Regex;

use super::inline::{append, split_title};
use super::read::heading_title;
use super::{Doc, Item, Kind, Section};

/// A sentence that introduces a list of causes.
static CAUSES_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(occurs? (if|when|because)|happens? (if|when|because)|(one|any) of the following (is true|conditions|reasons|causes)|can be caused by|is caused by|possible causes|causes? (is|are|include)|reasons? (is|are|include))[^.]*:\s*$")
        .expect("causes intro pattern")
});
/// A sentence that introduces the steps of one fix.
static STEPS_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(to (fix|resolve|solve|work around|correct)|follow these steps|do the following|the following steps|steps:)[^.]*:\s*$")
        .expect("steps intro pattern")
});

pub(super) fn shape(doc: &mut Doc) {
    let mut issues = 0;
    // The issues of the last cause section, in document order, for the fixes below it.
    let mut cause: Vec<usize> = Vec::new();
    let mut cause_title = String::new();
    let mut out = Vec::with_capacity(doc.sections.len());
    for mut s in std::mem::take(&mut doc.sections) {
        match s.kind {
            Kind::Issues => {
                issues += s.items.len();
                cause.clear();
            }
            Kind::Symptoms => symptoms(&mut doc.symptoms, &mut s),
            Kind::Cause => {
                let (made, fix) = cause_section(&mut s);
                cause = (issues..issues + made).collect();
                issues += made;
                // A fix under several causes is named by its heading alone.
                cause_title = match s.items.as_slice() {
                    [one] => one.title.clone().unwrap_or_default(),
                    _ => String::new(),
                };
                s.kind = Kind::Issues;
                if let Some(mut fix) = fix {
                    // The fix travels with its cause: a section of its own right after it.
                    fix.fixes.clone_from(&cause);
                    let f = Section {
                        kind: Kind::Resolutions,
                        heading: s.heading.clone(),
                        line: fix.line,
                        items: vec![fix],
                        paragraphs: Vec::new(),
                        code: std::mem::take(&mut s.code),
                    };
                    out.push(s);
                    out.push(f);
                    continue;
                }
            }
            Kind::Fix => fix_section(&mut s, &cause, &cause_title),
            Kind::Verify => {
                if s.items.is_empty() && !s.paragraphs.is_empty() {
                    let body = join(&s.paragraphs);
                    s.items.push(Item {
                        line: s.line,
                        title: Some(s.heading.clone()),
                        body,
                        ..Item::default()
                    });
                    s.paragraphs.clear();
                }
                s.paragraphs.retain(|(_, p)| !p.trim_end().ends_with(':'));
                s.kind = Kind::Diagnostics;
            }
            _ => {}
        }
        out.push(s);
    }
    doc.sections = out;
}

/// "Symptoms": its text is the guide's summary and the first step's text; a list it holds
/// stays with it (the symptoms the user may see).
fn symptoms(into: &mut Option<(usize, String)>, s: &mut Section) {
    let mut text = join(&s.paragraphs);
    let list: Vec<String> = s.items.iter().map(|i| format!("- {}", flat(i))).collect();
    if !list.is_empty() {
        if !text.is_empty() {
            text.push_str(if text.ends_with(':') { "\n" } else { "\n\n" });
        }
        text.push_str(&list.join("\n"));
    }
    if !text.is_empty() {
        match into {
            Some((_, t)) => append(t, &text, true),
            None => *into = Some((s.line, text)),
        }
    }
    s.paragraphs.clear();
    s.items.clear();
    s.kind = Kind::Intro;
    s.heading.clear();
}

/// A cause section becomes one issue, or one per item of a list its text introduces. Steps
/// introduced by "To fix this ..." inside it are returned as the fix of that cause.
fn cause_section(s: &mut Section) -> (usize, Option<Item>) {
    let items = std::mem::take(&mut s.items);
    let paragraphs = std::mem::take(&mut s.paragraphs);
    // Which paragraph introduces which run of items: the last one before the run.
    let intro_of = |item: &Item| {
        paragraphs
            .iter()
            .rev()
            .find(|(l, _)| *l < item.line)
            .map(|(_, p)| p.as_str())
    };
    let mut causes: Vec<Item> = Vec::new();
    let mut steps: Vec<&Item> = Vec::new();
    let mut rest: Vec<&Item> = Vec::new();
    for item in &items {
        match intro_of(item) {
            Some(p) if CAUSES_INTRO.is_match(p) => causes.push(titled(item)),
            Some(p) if STEPS_INTRO.is_match(p) => steps.push(item),
            _ => rest.push(item),
        }
    }
    let prose: Vec<(usize, String)> = paragraphs
        .iter()
        .filter(|(_, p)| !(CAUSES_INTRO.is_match(p) || STEPS_INTRO.is_match(p)))
        .cloned()
        .collect();
    if causes.is_empty() {
        let mut body = join(&prose);
        for item in &rest {
            append(&mut body, &format!("- {}", flat(item)), false);
        }
        let title = heading_title(&s.heading)
            .or_else(|| prose.first().map(|(_, p)| first_sentence(p)))
            .unwrap_or_else(|| s.heading.clone());
        causes.push(Item {
            line: s.line,
            title: Some(title),
            body,
            ..Item::default()
        });
    } else {
        // Prose around a list of causes says something about all of them: the first gets it.
        if let Some(first) = causes.first_mut() {
            for (_, p) in &prose {
                append(&mut first.body, p, true);
            }
        }
        for item in rest {
            causes.push(titled(item));
        }
    }
    let n = causes.len();
    s.items = causes;
    let fix = (!steps.is_empty()).then(|| {
        let title = match s.items.as_slice() {
            [one] => format!("Fix: {}", one.title.as_deref().unwrap_or("the cause")),
            _ => format!("Fix: {}", s.heading),
        };
        Item {
            line: steps[0].line,
            title: Some(title),
            body: String::new(),
            details: tasks(&steps),
            fixes: Vec::new(),
        }
    });
    (n, fix)
}

/// A resolution section: one resolution, its list the tasks in order (sub-steps after their
/// step), linked to the cause above it. Without a cause above, a list of titled items is a
/// list of resolutions, as in the seed's shape.
fn fix_section(s: &mut Section, cause: &[usize], cause_title: &str) {
    s.kind = Kind::Resolutions;
    if s.items.is_empty() && s.paragraphs.is_empty() && s.code.is_empty() {
        return;
    }
    if cause.is_empty() && s.items.iter().all(|i| i.title.is_some()) && !s.items.is_empty() {
        return;
    }
    let items = std::mem::take(&mut s.items);
    let paragraphs = std::mem::take(&mut s.paragraphs);
    let prose: Vec<(usize, String)> = paragraphs
        .into_iter()
        .filter(|(_, p)| !STEPS_INTRO.is_match(p))
        .collect();
    let title = match heading_title(&s.heading) {
        Some(t) => t,
        None if s.heading.to_lowercase().starts_with("for ") => s.heading.clone(),
        None if !cause_title.is_empty() => format!("{}: {cause_title}", s.heading),
        None => s.heading.clone(),
    };
    let refs: Vec<&Item> = items.iter().collect();
    let mut details = tasks(&refs);
    let mut body = join(&prose);
    if details.is_empty() {
        // A fix in prose: its text is its one task.
        details.push((s.line, std::mem::take(&mut body)));
    }
    let code = std::mem::take(&mut s.code);
    if let Some((line, _)) = code.first() {
        let block: Vec<&str> = code.iter().map(|(_, l)| l.as_str()).collect();
        details.push((*line, block.join("\n")));
    }
    s.items = vec![Item {
        line: s.line,
        title: Some(title),
        body,
        details,
        fixes: cause.to_vec(),
    }];
}

/// The steps of a fix as tasks: each item, then its sub-steps.
fn tasks(items: &[&Item]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for item in items {
        out.push((item.line, flat_head(item)));
        for (l, d) in &item.details {
            if !d.is_empty() {
                out.push((*l, d.clone()));
            }
        }
    }
    out
}

/// An item as a cause: its bold title, else its first sentence.
fn titled(item: &Item) -> Item {
    let mut out = item.clone();
    if out.title.is_none() {
        let (t, b) = split_title(&item.body);
        match t {
            Some(t) => {
                out.title = Some(t);
                out.body = b;
            }
            None => out.title = Some(first_sentence(&item.body)),
        }
    }
    out
}

fn flat_head(item: &Item) -> String {
    match &item.title {
        Some(t) if !item.body.is_empty() => format!("{t}: {}", item.body),
        Some(t) => t.clone(),
        None => item.body.clone(),
    }
}

fn flat(item: &Item) -> String {
    let mut s = flat_head(item);
    for (_, d) in &item.details {
        append(&mut s, d, false);
    }
    s
}

fn join(paragraphs: &[(usize, String)]) -> String {
    let mut out = String::new();
    for (_, p) in paragraphs {
        append(&mut out, p, true);
    }
    out
}

/// The first sentence, short enough for a title.
fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    let s = text[..end].trim().trim_end_matches(['.', ':']);
    if s.chars().count() <= 90 {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(80).collect();
        match cut.rfind(' ') {
            Some(i) => format!("{}…", &cut[..i]),
            None => format!("{cut}…"),
        }
    }
}
