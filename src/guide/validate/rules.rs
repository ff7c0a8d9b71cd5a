//! The checks that need the whole guide, one method per rule group.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use super::{
    Checker, Diagnostic, FORMAT, Guide, Name, STAGE_TARGETS, Severity, check_id, find_key,
    key_span, placeholder_spans, step_index,
};

impl Checker<'_> {
    pub(super) fn check_meta(&mut self, g: &Guide) {
        if g.format != FORMAT {
            let span = key_span(self.source, "format").unwrap_or(0..0);
            self.out.push(
                Diagnostic::at(
                    Severity::Error,
                    self.path,
                    self.source,
                    span,
                    format!(
                        "guide format {} is not supported; this tshoot reads format {FORMAT}",
                        g.format
                    ),
                )
                .with_help(if g.format > FORMAT {
                    "update tshoot to read this guide"
                } else {
                    "set `format = 1`"
                })
                .with_code("unsupported-format"),
            );
        }
        check_id(self, &g.id, "guide id");
        if g.title.trim().is_empty() {
            self.error("empty-text", &g.id, "the guide's title is empty")
                .help = Some("add `title = \"...\"`: one line on what the error means".into());
        }
        for a in &g.aliases {
            check_id(self, a, "alias");
            if a.eq_ignore_ascii_case(&g.id) {
                self.warn(
                    "alias-is-id",
                    a,
                    format!("alias \"{a}\" is the guide's own id"),
                );
            }
        }
        for link in &g.links {
            if !(link.url.starts_with("https://") || link.url.starts_with("http://")) {
                self.warn(
                    "link-not-http",
                    &link.url,
                    format!("link \"{}\" is not an http(s) address", link.url),
                )
                .help = Some("links are opened by the engineer's browser: use https://...".into());
            }
        }
        if g.steps.is_empty() {
            self.out.push(
                Diagnostic::nowhere(
                    Severity::Error,
                    self.path,
                    "the guide has no diagnostic steps",
                )
                .with_help(
                    "add at least one [[step]] table; `tshoot new ID` writes a starter guide",
                )
                .with_code("no-steps"),
            );
        }
    }

    pub(super) fn check_unique(&mut self, g: &Guide) {
        let kinds: [(&str, Vec<&Name>); 4] = [
            ("step", g.steps.iter().map(|s| &s.id).collect()),
            ("issue", g.issues.iter().map(|s| &s.id).collect()),
            ("resolution", g.resolutions.iter().map(|s| &s.id).collect()),
            ("ticket field", g.fields().iter().map(|s| &s.id).collect()),
        ];
        for (kind, ids) in kinds {
            let mut seen: HashMap<&str, &Name> = HashMap::new();
            for id in ids {
                check_id(self, id, &format!("{kind} id"));
                if let Some(first) = seen.get(id.as_str()) {
                    let (line, _, _) = crate::guide::diag::locate(self.source, first.span().start);
                    self.error("duplicate-id", id, format!("duplicate {kind} id \"{id}\""))
                        .help = Some(format!(
                        "the first \"{id}\" is on line {line}; give each {kind} its own id"
                    ));
                } else {
                    seen.insert(id, id);
                }
            }
        }
        for s in &g.steps {
            if STAGE_TARGETS.contains(&s.id.as_str()) {
                self.error(
                    "reserved-step-id",
                    &s.id,
                    format!(
                        "\"{}\" is reserved for the stage of that name and cannot be a step id",
                        s.id
                    ),
                )
                .help = Some("rename the step".into());
            }
        }
    }

    pub(super) fn check_steps(&mut self, g: &Guide) {
        for s in &g.steps {
            if s.title.trim().is_empty() {
                self.error(
                    "empty-text",
                    &s.id,
                    format!("step \"{}\" has an empty title", s.id),
                );
            }
            match (&s.ask, s.answers.len()) {
                (Some(q), 0) => {
                    let msg = if q.trim().is_empty() {
                        "an empty question"
                    } else {
                        "a question"
                    };
                    self.error(
                        "ask-without-answers",
                        &s.id,
                        format!("step \"{}\" asks {msg} but offers no answers", s.id),
                    )
                    .help =
                        Some("add `answers = [{ label = \"...\" }, ...]`, or remove `ask`".into());
                }
                (None, n) if n > 0 => {
                    self.error(
                        "answers-without-ask",
                        &s.id,
                        format!("step \"{}\" has answers but no question", s.id),
                    )
                    .help = Some("add `ask = \"...?\"` to the step".into());
                }
                (Some(q), _) if q.trim().is_empty() => {
                    self.error(
                        "empty-text",
                        &s.id,
                        format!("step \"{}\" has an empty question", s.id),
                    );
                }
                (_, n) if n > 9 => {
                    self.warn(
                        "too-many-answers",
                        &s.id,
                        format!(
                            "step \"{}\" has {n} answers; only the first 9 have number keys",
                            s.id
                        ),
                    );
                }
                _ => {}
            }
            let mut labels: HashMap<String, usize> = HashMap::new();
            for (i, a) in s.answers.iter().enumerate() {
                if a.label.trim().is_empty() {
                    self.error(
                        "empty-text",
                        &s.id,
                        format!("answer {} of step \"{}\" has an empty label", i + 1, s.id),
                    );
                    continue;
                }
                let key = a.label.trim().to_lowercase();
                if let Some(first) = labels.get(&key) {
                    self.error(
                        "duplicate-answer",
                        &s.id,
                        format!(
                            "answers {} and {} of step \"{}\" both read \"{}\"",
                            first + 1,
                            i + 1,
                            s.id,
                            a.label.trim()
                        ),
                    )
                    .help = Some(
                        "the engineer cannot tell them apart (nor can a replay case): reword one, or merge them".into(),
                    );
                } else {
                    labels.insert(key, i);
                }
            }
        }
    }

    pub(super) fn check_references(&mut self, g: &Guide) {
        let step_ids: Vec<&str> = g
            .steps
            .iter()
            .map(|s| s.id.as_str())
            .chain(STAGE_TARGETS)
            .collect();
        let issue_ids: Vec<&str> = g.issues.iter().map(|s| s.id.as_str()).collect();
        let res_ids: Vec<&str> = g.resolutions.iter().map(|s| s.id.as_str()).collect();
        let index = step_index(g);
        let issue_set: HashSet<&str> = issue_ids.iter().copied().collect();
        let res_set: HashSet<&str> = res_ids.iter().copied().collect();
        for s in &g.steps {
            let nexts = s
                .next
                .iter()
                .chain(s.answers.iter().filter_map(|a| a.next.as_ref()));
            for n in nexts {
                if !STAGE_TARGETS.contains(&n.as_str()) && !index.contains_key(n.as_str()) {
                    let help = self.suggest(
                        n,
                        &step_ids,
                        "a step id, or \"issues\", \"resolution\" or \"ticket\"",
                    );
                    self.error(
                        "unknown-next",
                        n,
                        format!("`next` names \"{n}\", which is not a step or a stage"),
                    )
                    .help = Some(help);
                }
            }
            for a in &s.answers {
                for id in &a.suspect {
                    if !issue_set.contains(id.as_str()) {
                        let help = self.suggest(id, &issue_ids, "an id from an [[issue]] table");
                        self.error(
                            "unknown-suspect",
                            id,
                            format!("`suspect` names \"{id}\", which is not an issue"),
                        )
                        .help = Some(help);
                    }
                }
            }
        }
        for i in &g.issues {
            if i.title.trim().is_empty() {
                self.error(
                    "empty-text",
                    &i.id,
                    format!("issue \"{}\" has an empty title", i.id),
                );
            }
            for id in &i.fixes {
                if !res_set.contains(id.as_str()) {
                    let help = self.suggest(id, &res_ids, "an id from a [[resolution]] table");
                    self.error(
                        "unknown-fixes",
                        id,
                        format!("`fixes` names \"{id}\", which is not a resolution"),
                    )
                    .help = Some(help);
                }
            }
        }
        for r in &g.resolutions {
            if r.title.trim().is_empty() {
                self.error(
                    "empty-text",
                    &r.id,
                    format!("resolution \"{}\" has an empty title", r.id),
                );
            }
            for (i, t) in r.tasks.iter().enumerate() {
                if t.trim().is_empty() {
                    self.error(
                        "empty-text",
                        &r.id,
                        format!("task {} of resolution \"{}\" is empty", i + 1, r.id),
                    );
                }
            }
        }
    }

    /// Reachability from the first step, and loops with no way out. Both are searches over
    /// the step graph with explicit queues (no recursion) and a hash index of step ids, so a
    /// generated guide with 100 000 steps is checked in linear time without deep stacks.
    pub(super) fn check_flow(&mut self, g: &Guide) {
        let n = g.steps.len();
        if n == 0 {
            return;
        }
        let index = step_index(g);
        // edges[i]: the steps answers of step i lead to; exits[i]: some answer leaves the
        // diagnostics (a stage, or an unknown name, which is reported on its own).
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut exits = vec![false; n];
        for (i, s) in g.steps.iter().enumerate() {
            for a in 0..s.answers.len().max(1) {
                let explicit = s
                    .answers
                    .get(a)
                    .and_then(|a| a.next.as_ref())
                    .or(s.next.as_ref());
                let to = match explicit {
                    Some(name) => index.get(name.as_str()).copied(),
                    None => (i + 1 < n).then_some(i + 1),
                };
                match to {
                    Some(j) => edges[i].push(j),
                    None => exits[i] = true,
                }
            }
        }
        // Forward: reachable from step 0.
        let mut reach = vec![false; n];
        let mut queue = VecDeque::from([0]);
        reach[0] = true;
        while let Some(i) = queue.pop_front() {
            for &j in &edges[i] {
                if !reach[j] {
                    reach[j] = true;
                    queue.push_back(j);
                }
            }
        }
        // Backward from the steps that leave: every step that can get to one of them.
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, to) in edges.iter().enumerate() {
            for &j in to {
                preds[j].push(i);
            }
        }
        let mut queue: VecDeque<usize> = (0..n).filter(|&i| exits[i]).collect();
        while let Some(j) = queue.pop_front() {
            for &i in &preds[j] {
                if !exits[i] {
                    exits[i] = true;
                    queue.push_back(i);
                }
            }
        }
        let stuck: Vec<&str> = (0..n)
            .filter(|&j| reach[j] && !exits[j])
            .map(|j| g.steps[j].id.as_str())
            .collect();
        let mut looped = stuck
            .iter()
            .take(8)
            .copied()
            .collect::<Vec<_>>()
            .join(" -> ");
        if stuck.len() > 8 {
            looped.push_str(&format!(" and {} more", stuck.len() - 8));
        }
        for (i, s) in g.steps.iter().enumerate() {
            // A duplicate or reserved id is reported as such; its step cannot be named.
            let own_id = index.get(s.id.as_str()) == Some(&i);
            if !reach[i] && own_id {
                self.error(
                    "unreachable-step",
                    &s.id,
                    format!(
                        "step \"{}\" cannot be reached from the first step \"{}\"",
                        s.id, g.steps[0].id
                    ),
                )
                .help = Some("point an answer's `next` at it, or remove it".into());
            } else if reach[i] && !exits[i] {
                self.error(
                    "no-way-out",
                    &s.id,
                    format!("step \"{}\" is in a loop with no way out ({looped})", s.id),
                )
                .help = Some(
                    "give one answer in the loop a `next` that leaves it, e.g. next = \"issues\""
                        .into(),
                );
            }
        }
    }

    pub(super) fn check_ticket(&mut self, g: &Guide) {
        let Some(t) = &g.ticket else { return };
        let names: Vec<&str> = t.fields.iter().map(|f| f.id.as_str()).collect();
        let mut used = HashSet::new();
        match placeholder_spans(&t.template) {
            Err((at, msg)) => {
                let span = self.template_span(&t.template, at..at + 1);
                self.push_at(
                    Severity::Error,
                    "template-syntax",
                    span,
                    format!("ticket template: {msg}"),
                )
                .help = Some("write {field_id} for a field, {{ and }} for literal braces".into());
                // The placeholders are unknown: do not also call every field unused.
                return;
            }
            Ok(found) => {
                for (range, p) in found {
                    if p == "guide.id" || p == "guide.title" || names.contains(&p) {
                        used.insert(p);
                    } else {
                        let help = self.suggest(
                            p,
                            &names,
                            "a ticket field id, {guide.id} or {guide.title}",
                        );
                        let span = self.template_span(&t.template, range);
                        self.push_at(
                            Severity::Error,
                            "unknown-placeholder",
                            span,
                            format!("the ticket template names {{{p}}}, which is not a field"),
                        )
                        .help = Some(help);
                    }
                }
            }
        }
        for f in &t.fields {
            if f.label.trim().is_empty() {
                self.error(
                    "empty-text",
                    &f.id,
                    format!("ticket field \"{}\" has an empty label", f.id),
                );
            }
            if !used.contains(f.id.as_str()) {
                self.warn(
                    "unused-field",
                    &f.id,
                    format!("ticket field \"{}\" is never used by the template", f.id),
                )
                .help = Some(format!(
                    "add {{{}}} to the template, or remove the field",
                    f.id
                ));
            }
            if let Some(d) = &f.default
                && let Some(problem) = crate::guide::check_value(f.kind, d)
            {
                self.warn(
                    "bad-default",
                    &f.id,
                    format!("default of ticket field \"{}\": {problem}", f.id),
                );
            }
        }
    }

    /// Where bytes `range` of the ticket template are in the source: exact when the template's
    /// line around them is written verbatim (no escapes), else the template's start.
    pub(super) fn template_span(&self, template: &str, range: Range<usize>) -> Range<usize> {
        let Some((start, _)) = find_key(self.source, "template", false) else {
            return 0..0;
        };
        let at = range.start;
        let line_start = template[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = template[at..].find('\n').map_or(template.len(), |i| at + i);
        let line = &template[line_start..line_end];
        match self.source[start..].find(line) {
            Some(f) if !line.is_empty() => {
                let s = start + f + (at - line_start);
                s..s + range.len()
            }
            _ => start..start + 1,
        }
    }

    pub(super) fn check_unused(&mut self, g: &Guide) {
        let suspected: HashSet<&str> = g
            .steps
            .iter()
            .flat_map(|s| &s.answers)
            .flat_map(|a| &a.suspect)
            .map(crate::guide::Name::as_str)
            .collect();
        for i in &g.issues {
            if !suspected.contains(i.id.as_str()) {
                self.warn(
                    "unsuspected-issue",
                    &i.id,
                    format!("no answer suspects issue \"{}\"", i.id),
                )
                .help = Some(format!("add \"{}\" to some answer's `suspect` list", i.id));
            }
        }
        let fixing: HashSet<&str> = g
            .issues
            .iter()
            .flat_map(|i| &i.fixes)
            .map(crate::guide::Name::as_str)
            .collect();
        for r in &g.resolutions {
            if !r.escalate && !fixing.contains(r.id.as_str()) {
                self.warn(
                    "unlinked-resolution",
                    &r.id,
                    format!("no issue lists resolution \"{}\" in its `fixes`", r.id),
                )
                .help = Some(
                    "link it from an issue, or it is only shown after the linked fixes".into(),
                );
            }
        }
        for i in &g.issues {
            if i.fixes.is_empty() && !g.resolutions.is_empty() {
                self.warn(
                    "issue-without-fixes",
                    &i.id,
                    format!("issue \"{}\" lists no resolutions in `fixes`", i.id),
                )
                .help = Some(format!(
                    "add `fixes = [...]` with the resolutions that address \"{}\", most likely first",
                    i.id
                ));
            }
        }
    }

    /// Titles that repeat within a kind (the engineer cannot tell the items apart), and blank
    /// texts of notes and links.
    pub(super) fn check_texts(&mut self, g: &Guide) {
        let kinds: [(&str, Vec<(&Name, &str)>); 3] = [
            (
                "step",
                g.steps.iter().map(|s| (&s.id, s.title.as_str())).collect(),
            ),
            (
                "issue",
                g.issues.iter().map(|s| (&s.id, s.title.as_str())).collect(),
            ),
            (
                "resolution",
                g.resolutions
                    .iter()
                    .map(|s| (&s.id, s.title.as_str()))
                    .collect(),
            ),
        ];
        for (kind, items) in kinds {
            let mut seen: HashMap<String, &Name> = HashMap::new();
            for (id, title) in items {
                let key = title
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                if key.is_empty() {
                    continue; // reported as an empty title
                }
                if let Some(first) = seen.get(&key) {
                    let first = first.to_string();
                    self.warn(
                        "duplicate-title",
                        id,
                        format!(
                            "{kind} \"{id}\" has the same title as {kind} \"{first}\": \"{}\"",
                            title.trim()
                        ),
                    )
                    .help = Some("give each its own title, or merge them".into());
                } else {
                    seen.insert(key, id);
                }
            }
        }
        for (k, n) in g.notes.iter().enumerate() {
            if n.title.trim().is_empty() || n.text.trim().is_empty() {
                let what = if n.title.trim().is_empty() {
                    "title"
                } else {
                    "text"
                };
                let span = self.table_span("[[note]]", k);
                self.push_at(
                    Severity::Warning,
                    "empty-text",
                    span,
                    format!("note {} has an empty {what}", k + 1),
                );
            }
        }
        for l in &g.links {
            if l.title.trim().is_empty() {
                self.warn(
                    "empty-text",
                    &l.url,
                    format!("link \"{}\" has an empty title", l.url),
                )
                .help = Some("say what the page is, e.g. \"Error code reference\"".into());
            }
        }
        for r in &g.resolutions {
            if r.tasks.is_empty() && r.text.trim().is_empty() {
                self.warn(
                    "empty-text",
                    &r.id,
                    format!("resolution \"{}\" has neither text nor tasks", r.id),
                )
                .help =
                    Some("add `tasks = [\"...\"]`: the steps of the fix, ticked one by one".into());
            }
        }
    }

    /// A hollow guide: one that asks and leads nowhere. A step before the last that asks
    /// nothing while there are issues to tell apart (an import writes such steps when the
    /// document had no question); questions with no issue to point at; issues with no
    /// resolution. A guide with neither questions nor issues is a plain procedure: none of
    /// these apply to it.
    pub(super) fn check_hollow(&mut self, g: &Guide) {
        if g.steps.is_empty() {
            // Already an error (`no-steps`): the guide is not a guide yet.
            return;
        }
        let last = g.steps.len().saturating_sub(1);
        for (k, s) in g.steps.iter().enumerate() {
            if !g.issues.is_empty() && k < last && s.answers.is_empty() && s.next.is_none() {
                self.warn(
                    "step-without-answers",
                    &s.id,
                    format!("step \"{}\" asks nothing: it has no answers", s.id),
                )
                .help = Some(
                    "add `ask` and `answers` that suspect the issues this check tells apart, or merge it into the next step".into(),
                );
            }
        }
        let asks = g.steps.iter().any(|s| !s.answers.is_empty());
        if asks && g.issues.is_empty() {
            self.warn(
                "no-issues",
                &g.id,
                format!(
                    "guide \"{}\" has no issues: no answer can point at a cause",
                    g.id
                ),
            )
            .help = Some("add `[[issue]]` tables: the causes this error has".into());
        }
        if !g.issues.is_empty() && g.resolutions.is_empty() {
            self.warn(
                "no-resolutions",
                &g.id,
                format!(
                    "guide \"{}\" has no resolutions: it ends without a fix",
                    g.id
                ),
            )
            .help = Some("add `[[resolution]]` tables with the tasks of each fix".into());
        }
    }

    /// A question whose answers all lead the same way and suspect nothing changes nothing:
    /// the engineer answers it for no result.
    pub(super) fn check_dead_ends(&mut self, g: &Guide) {
        for (i, s) in g.steps.iter().enumerate() {
            if s.answers.is_empty() || s.answers.iter().any(|a| !a.suspect.is_empty()) {
                continue;
            }
            let implicit = || g.steps.get(i + 1).map_or("issues", |n| n.id.as_str());
            let target = |k: usize| {
                s.answers[k]
                    .next
                    .as_ref()
                    .or(s.next.as_ref())
                    .map_or_else(implicit, |n| n.as_str())
            };
            let first = target(0);
            if (1..s.answers.len()).all(|k| target(k) == first) {
                self.warn(
                    "dead-end",
                    &s.id,
                    format!(
                        "step \"{}\" asks a question whose answers change nothing: none suspects an issue and all lead to \"{first}\"",
                        s.id
                    ),
                )
                .help = Some(
                    "let answers suspect issues or lead to different steps (`next`), or drop `ask` and `answers`".into(),
                );
            }
        }
    }
}
