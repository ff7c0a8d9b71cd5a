//! Reading a guide file: TOML syntax and types, then the checks that make it a sound state
//! machine. Everything is reported as [`Diagnostic`]s with `path:line:col`; nothing panics,
//! whatever the input.
//!
//! Errors make a guide unusable (it is listed with its problem, never opened); warnings are
//! shown by `tshoot check` and do not stop the guide from loading. Replay cases are the
//! exception: a case that no longer fits the guide is an error for `tshoot check` (exit 1)
//! and a failure for `tshoot test`, but the guide still loads. A stale test must not take a
//! guide away from the engineers who use it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use super::Name;
use super::diag::{Diagnostic, Severity};
use super::model::{FORMAT, FieldKind, Guide, ReplayCase, STAGE_TARGETS};

/// Guides larger than this are refused before parsing.
pub const MAX_GUIDE_BYTES: usize = 4 * 1024 * 1024;

/// A parsed guide with its warnings, or the errors (and warnings) that stop it.
pub type Parsed = Result<(Guide, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Parse and validate one guide's source. `path` is only used in messages.
pub fn parse(path: &str, source: &str) -> Parsed {
    if source.len() > MAX_GUIDE_BYTES {
        return Err(vec![
            Diagnostic::nowhere(
                Severity::Error,
                path,
                format!(
                    "file is {} bytes; guides are limited to {} bytes",
                    source.len(),
                    MAX_GUIDE_BYTES
                ),
            )
            .with_help("is this really a guide? split very large guides into several")
            .with_code("too-large"),
        ]);
    }
    if let Some(at) = source.find('\0') {
        return Err(vec![
            Diagnostic::at(
                Severity::Error,
                path,
                source,
                at..at + 1,
                "file holds a NUL byte: it is binary, not a TOML guide",
            )
            .with_help("guides are UTF-8 text files; check that the right file was named")
            .with_code("binary"),
        ]);
    }
    if source.trim().is_empty() {
        return Err(vec![
            Diagnostic::at(
                Severity::Error,
                path,
                source,
                0..source.len(),
                "the file is empty",
            )
            .with_help(
                "a guide needs at least `format = 1`, `id = \"...\"`, `title = \"...\"` and one [[step]] table",
            )
            .with_code("empty-file"),
        ]);
    }
    match toml::from_str::<Guide>(source) {
        Ok(guide) => {
            let diags = validate(&guide, path, source);
            if diags.iter().any(blocks_loading) {
                Err(diags)
            } else {
                Ok((guide, diags))
            }
        }
        Err(e) => Err(vec![from_toml_error(path, source, &e)]),
    }
}

/// A `NAME.cases.toml` file: replay cases kept beside the guide `NAME.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CasesFile {
    #[serde(default, rename = "case")]
    cases: Vec<ReplayCase>,
}

/// [`parse`], then the replay cases of `cases` (path and source of a `NAME.cases.toml`), if
/// given, checked against the guide and added to it. Problems in the cases file are reported
/// with its own path and lines.
pub fn parse_with_cases(path: &str, source: &str, cases: Option<(&str, &str)>) -> Parsed {
    let (mut guide, mut diags) = parse(path, source)?;
    let Some((cases_path, cases_source)) = cases else {
        return Ok((guide, diags));
    };
    match toml::from_str::<CasesFile>(cases_source) {
        Ok(file) => {
            diags.extend(validate_cases(
                &guide,
                &file.cases,
                cases_path,
                cases_source,
            ));
            guide.cases.extend(file.cases);
        }
        Err(e) => diags.push(from_toml_error(cases_path, cases_source, &e)),
    }
    // Problems of the cases file never stop the guide (see the module doc).
    Ok((guide, diags))
}

/// Rules about replay cases: errors for `check`, yet the guide loads.
const CASE_RULES: [&str; 3] = ["case-answer", "case-reference", "case-name"];

/// Whether a diagnostic keeps its guide from loading.
fn blocks_loading(d: &Diagnostic) -> bool {
    d.is_error() && !CASE_RULES.contains(&d.code)
}

fn from_toml_error(path: &str, source: &str, e: &toml::de::Error) -> Diagnostic {
    // A guide from a newer format fails on keys this build does not know: say that instead.
    if let Some(v) = declared_format(source)
        && v != i64::from(FORMAT)
    {
        let span = key_span(source, "format").unwrap_or(0..0);
        return Diagnostic::at(
            Severity::Error,
            path,
            source,
            span,
            format!("guide format {v} is not supported; this tshoot reads format {FORMAT}"),
        )
        .with_help(if v > i64::from(FORMAT) {
            "update tshoot to read this guide"
        } else {
            "set `format = 1`"
        })
        .with_code("unsupported-format");
    }
    let message = e.message().trim_end().replace('\n', "; ");
    let mut d = match e.span() {
        Some(span) => Diagnostic::at(Severity::Error, path, source, span, message),
        // The parser's nesting limit comes without a place: point at the most nested line.
        None if e.message().contains("recursion limit") => Diagnostic::at(
            Severity::Error,
            path,
            source,
            most_nested_line(source),
            "nested too deeply (arrays, inline tables or dotted keys)",
        )
        .with_help("guides need only a few levels of nesting; flatten this value"),
        None => Diagnostic::nowhere(Severity::Error, path, message),
    };
    if e.message().contains("unknown field") {
        d = d
            .with_help(unknown_key_help(e.message()))
            .with_code("unknown-key");
    } else if e.message().contains("missing field") {
        d = d
            .with_help("add the missing key to this table")
            .with_code("missing-key");
    } else if e.message().starts_with("invalid type")
        || e.message().starts_with("invalid value")
        || e.message().starts_with("invalid length")
    {
        d = d.with_code("wrong-type");
    } else {
        d = d.with_code("syntax");
    }
    d
}

/// The first character of the line with the most opening brackets, braces and dots.
fn most_nested_line(source: &str) -> Range<usize> {
    let mut best = (0, 0);
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let n = line
            .bytes()
            .filter(|b| matches!(b, b'[' | b'{' | b'.'))
            .count();
        if n > best.1 {
            best = (offset, n);
        }
        offset += line.len();
    }
    best.0..best.0 + 1
}

/// Help for serde's "unknown field `asks`, expected one of `id`, `ask`, ...": the nearest key.
fn unknown_key_help(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let Some((wrong, keys)) = quoted.split_first() {
        let help = suggest(wrong, keys, "");
        if help.starts_with("did you mean") {
            return help;
        }
    }
    "check the key's spelling; `tshoot schema` lists every key".to_owned()
}

fn declared_format(source: &str) -> Option<i64> {
    let table: toml::Table = toml::from_str(source).ok()?;
    table.get("format")?.as_integer()
}

/// Byte span of the value of top-level `key = ...`, found textually (top-level keys come
/// before the first table header).
fn key_span(source: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let (start, rest) = find_key(source, key, true)?;
    let value = rest.split('#').next().unwrap_or("").trim_end();
    Some(start..start + value.len())
}

/// The first line `key = value` (any table unless `top_level`), found textually: the byte
/// offset of the value and the rest of that line from there.
fn find_key<'a>(source: &'a str, key: &str, top_level: bool) -> Option<(usize, &'a str)> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let t = line.trim_start();
        if top_level && t.starts_with('[') {
            return None;
        }
        if let Some(v) = t
            .strip_prefix(key)
            .and_then(|rest| rest.trim_start().strip_prefix('='))
        {
            let v = v.trim_start();
            return Some((offset + line.len() - v.len(), v.trim_end()));
        }
        offset += line.len();
    }
    None
}

/// The checks that need the whole guide. Returns errors and warnings.
pub fn validate(guide: &Guide, path: &str, source: &str) -> Vec<Diagnostic> {
    let mut c = Checker {
        path,
        source,
        out: Vec::new(),
        suppressed: 0,
        suppressed_error: false,
        scratch: Diagnostic::nowhere(Severity::Warning, path, ""),
    };
    c.check_meta(guide);
    c.check_unique(guide);
    c.check_steps(guide);
    c.check_references(guide);
    c.check_flow(guide);
    c.check_ticket(guide);
    c.check_unused(guide);
    c.check_texts(guide);
    c.check_dead_ends(guide);
    c.check_cases(guide, &guide.cases, &[]);
    if c.suppressed > 0 {
        let sev = if c.suppressed_error {
            Severity::Error
        } else {
            Severity::Warning
        };
        c.out.push(
            Diagnostic::nowhere(
                sev,
                path,
                format!(
                    "{} more problems not shown (only the first {MAX_DIAGNOSTICS} are reported)",
                    c.suppressed
                ),
            )
            .with_code("too-many-problems"),
        );
    }
    c.out
}

/// Diagnostics reported per guide before the rest are only counted. Locating one costs a
/// scan of the source, so a huge generated guide with a problem on every step would otherwise
/// take quadratic time, and nobody reads past the first screens anyway.
pub const MAX_DIAGNOSTICS: usize = 200;

struct Checker<'a> {
    path: &'a str,
    source: &'a str,
    out: Vec<Diagnostic>,
    /// Problems past [`MAX_DIAGNOSTICS`]: how many, and whether any was an error.
    suppressed: usize,
    suppressed_error: bool,
    /// Where the messages of suppressed problems go.
    scratch: Diagnostic,
}

impl Checker<'_> {
    fn at(
        &mut self,
        sev: Severity,
        code: &'static str,
        name: &Name,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        self.push_at(sev, code, name.span(), msg)
    }

    /// A diagnostic at byte `span` of the source (`0..0`: the whole file).
    fn push_at(
        &mut self,
        sev: Severity,
        code: &'static str,
        span: Range<usize>,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        if self.out.len() >= MAX_DIAGNOSTICS {
            self.suppressed += 1;
            self.suppressed_error |= sev == Severity::Error;
            return &mut self.scratch;
        }
        self.out
            .push(Diagnostic::at(sev, self.path, self.source, span, msg).with_code(code));
        self.out.last_mut().expect("just pushed")
    }

    /// [`suggest`], skipped once diagnostics are only counted (it scans every candidate).
    fn suggest(&self, wrong: &str, candidates: &[&str], expected: &str) -> String {
        if self.out.len() >= MAX_DIAGNOSTICS {
            String::new()
        } else {
            suggest(wrong, candidates, expected)
        }
    }

    fn error(
        &mut self,
        code: &'static str,
        name: &Name,
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        self.at(Severity::Error, code, name, msg)
    }

    fn warn(&mut self, code: &'static str, name: &Name, msg: impl Into<String>) -> &mut Diagnostic {
        self.at(Severity::Warning, code, name, msg)
    }

    fn check_meta(&mut self, g: &Guide) {
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

    fn check_unique(&mut self, g: &Guide) {
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
                    let (line, _, _) = super::diag::locate(self.source, first.span().start);
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

    fn check_steps(&mut self, g: &Guide) {
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

    fn check_references(&mut self, g: &Guide) {
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
    fn check_flow(&mut self, g: &Guide) {
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

    fn check_ticket(&mut self, g: &Guide) {
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
    fn template_span(&self, template: &str, range: Range<usize>) -> Range<usize> {
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

    fn check_unused(&mut self, g: &Guide) {
        let suspected: HashSet<&str> = g
            .steps
            .iter()
            .flat_map(|s| &s.answers)
            .flat_map(|a| &a.suspect)
            .map(super::name::Name::as_str)
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
            .map(super::name::Name::as_str)
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
    fn check_texts(&mut self, g: &Guide) {
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

    /// A question whose answers all lead the same way and suspect nothing changes nothing:
    /// the engineer answers it for no result.
    fn check_dead_ends(&mut self, g: &Guide) {
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

    /// Replay cases: unique names, answers the flow offers, ids that exist. `known` holds the
    /// names of cases already checked (the guide's own, when these come from a side file).
    fn check_cases(&mut self, g: &Guide, cases: &[ReplayCase], known: &[&str]) {
        let issue_ids: Vec<&str> = g.issues.iter().map(|s| s.id.as_str()).collect();
        let res_ids: Vec<&str> = g.resolutions.iter().map(|s| s.id.as_str()).collect();
        let field_ids: Vec<&str> = g.fields().iter().map(|f| f.id.as_str()).collect();
        let mut seen: HashMap<&str, &Name> = HashMap::new();
        for c in cases {
            if c.name.trim().is_empty() {
                self.error("case-name", &c.name, "a replay case has an empty name");
            } else if let Some(first) = seen.get(c.name.as_str()) {
                let (line, _, _) = super::diag::locate(self.source, first.span().start);
                self.error(
                    "case-name",
                    &c.name,
                    format!("duplicate replay case \"{}\"", c.name),
                )
                .help = Some(format!("the first \"{}\" is on line {line}", c.name));
            } else if known.contains(&c.name.as_str()) {
                self.error(
                    "case-name",
                    &c.name,
                    format!("replay case \"{}\" is also in the guide itself", c.name),
                );
            } else {
                seen.insert(c.name.as_str(), &c.name);
            }
            if let Err(e) = g.walk(&c.answers) {
                let at = c.answers.get(e.answer).map_or(&c.name, |a| &a.0);
                self.error(
                    "case-answer",
                    at,
                    format!("replay case \"{}\": {}", c.name, e.message),
                )
                .help = Some(
                    "give each step's answer by its label or its number (1 is the first)".into(),
                );
            }
            let issues = c
                .confirm
                .iter()
                .chain(&c.rule_out)
                .chain(c.expect_suspected.iter().flatten());
            for id in issues {
                if !issue_ids.contains(&id.as_str()) {
                    let help = self.suggest(id, &issue_ids, "an id from an [[issue]] table");
                    self.error(
                        "case-reference",
                        id,
                        format!(
                            "replay case \"{}\" names \"{id}\", which is not an issue",
                            c.name
                        ),
                    )
                    .help = Some(help);
                }
            }
            for id in c.expect_checklist.iter().flatten() {
                if !res_ids.contains(&id.as_str()) {
                    let help = self.suggest(id, &res_ids, "an id from a [[resolution]] table");
                    self.error(
                        "case-reference",
                        id,
                        format!(
                            "replay case \"{}\" names \"{id}\", which is not a resolution",
                            c.name
                        ),
                    )
                    .help = Some(help);
                }
            }
            for (key, value) in &c.expect_fields {
                if key.starts_with("$__toml_private") {
                    // A date or time where a table of strings belongs: toml hands it over as
                    // a one-key table.
                    self.error(
                        "wrong-type",
                        value,
                        format!(
                            "replay case \"{}\": expect_fields is a date or time, not a table of field values",
                            c.name
                        ),
                    )
                    .help = Some("write it as { error_code = \"AADSTS50143\" }".into());
                    continue;
                }
                if !field_ids.contains(&key.as_str()) {
                    let help = self.suggest(key, &field_ids, "a ticket field id");
                    self.error(
                        "case-reference",
                        value,
                        format!(
                            "replay case \"{}\" expects field \"{key}\", which is not a ticket field",
                            c.name
                        ),
                    )
                    .help = Some(help);
                }
            }
        }
    }

    /// Byte span of the `k`-th (0-based) line that is exactly `header`, found textually; the
    /// whole file when it cannot be found.
    fn table_span(&self, header: &str, k: usize) -> Range<usize> {
        let mut offset = 0;
        let mut n = 0;
        for line in self.source.split_inclusive('\n') {
            if line.trim() == header {
                if n == k {
                    let start = offset + (line.len() - line.trim_start().len());
                    return start..start + header.len();
                }
                n += 1;
            }
            offset += line.len();
        }
        0..0
    }
}

/// Check replay cases read from `path` (a `NAME.cases.toml` beside the guide) against the
/// guide they belong to.
pub fn validate_cases(
    guide: &Guide,
    cases: &[ReplayCase],
    path: &str,
    source: &str,
) -> Vec<Diagnostic> {
    let mut c = Checker {
        path,
        source,
        out: Vec::new(),
        suppressed: 0,
        suppressed_error: false,
        scratch: Diagnostic::nowhere(Severity::Warning, path, ""),
    };
    let known: Vec<&str> = guide.cases.iter().map(|c| c.name.as_str()).collect();
    c.check_cases(guide, cases, &known);
    c.out
}

/// Step id -> index of its first step; the stage names are left out (a step cannot take them).
fn step_index(g: &Guide) -> HashMap<&str, usize> {
    let mut index = HashMap::with_capacity(g.steps.len());
    for (i, s) in g.steps.iter().enumerate() {
        if !STAGE_TARGETS.contains(&s.id.as_str()) {
            index.entry(s.id.as_str()).or_insert(i);
        }
    }
    index
}

fn check_id(c: &mut Checker<'_>, id: &Name, what: &str) {
    if id.trim().is_empty() {
        c.error("bad-id", id, format!("{what} is empty"));
    } else if id.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
        c.error(
            "bad-id",
            id,
            format!(
                "{what} \"{}\" holds spaces or control characters",
                id.escape_debug()
            ),
        )
        .help = Some("ids are single words such as \"verify-sign-in\"".into());
    } else if let Some(ch) = id.chars().find(|&ch| is_invisible(ch)) {
        c.error(
            "bad-id",
            id,
            format!(
                "{what} \"{}\" holds the invisible character U+{:04X}",
                id.escape_debug(),
                u32::from(ch)
            ),
        )
        .help = Some(
            "delete it (zero-width and text-direction characters make two ids look alike)".into(),
        );
    }
}

/// Unicode format characters that show as nothing or reorder text: zero-width spaces and
/// joiners, text-direction marks and overrides, the byte-order mark, tag characters. An id
/// holding one looks like another id, or makes the text around it read backwards.
pub fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// "did you mean ...?" when a near name exists, else what is expected.
fn suggest(wrong: &str, candidates: &[&str], expected: &str) -> String {
    let best = candidates
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&wrong.to_lowercase(), &c.to_lowercase()),
                *c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, c)) => format!("did you mean \"{c}\"?"),
        None if candidates.is_empty() => format!("expected {expected}; there are none yet"),
        None => format!(
            "expected {expected}: {}",
            candidates
                .iter()
                .take(8)
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The `{name}` placeholders of a template, in order; `{{`/`}}` are literal braces.
pub fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    placeholder_spans(template)
        .map(|v| v.into_iter().map(|(_, name)| name).collect())
        .map_err(|(_, msg)| msg)
}

/// The placeholders with the byte range of each `{...}` in the template, or the byte offset of
/// the first malformed brace and what is wrong with it.
/// Placeholders with where they are, or where the template goes wrong and why.
type Spans<'a> = Result<Vec<(Range<usize>, &'a str)>, (usize, String)>;

fn placeholder_spans(template: &str) -> Spans<'_> {
    let mut out = Vec::new();
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 2,
            b'{' => {
                let Some(len) = template[i + 1..].find('}') else {
                    return Err((i, "a `{` is never closed".into()));
                };
                let name = template[i + 1..i + 1 + len].trim();
                if name.is_empty() || name.contains('{') || name.contains('\n') {
                    return Err((
                        i,
                        format!(
                            "`{{{}}}` is not a placeholder",
                            &template[i + 1..i + 1 + len]
                        ),
                    ));
                }
                out.push((i..i + len + 2, name));
                i += len + 2;
            }
            b'}' => {
                return Err((
                    i,
                    "a `}` has no matching `{` (write `}}` for a literal brace)".into(),
                ));
            }
            _ => i += 1,
        }
    }
    Ok(out)
}

/// What is wrong with `value` for a field of `kind`, if anything. Empty values are fine here
/// (`required` is checked separately).
pub fn check_value(kind: FieldKind, value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match kind {
        FieldKind::Text | FieldKind::Multiline => None,
        FieldKind::Guid => (!is_guid(v)).then(|| "not a GUID (expected 8-4-4-4-12 hex digits, like 7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a)".to_owned()),
        FieldKind::ErrorCode => {
            let ok = v.len() >= 4 && v.chars().all(|c| c.is_ascii_alphanumeric()) && v.chars().any(|c| c.is_ascii_digit());
            (!ok).then(|| "not an error code (expected letters and digits, like AADSTS50143)".to_owned())
        }
        FieldKind::Timestamp => {
            let ok = v.len() >= 10 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit) && v.as_bytes()[4] == b'-';
            (!ok).then(|| "not a date and time (expected e.g. 2026-05-14T09:21:07Z)".to_owned())
        }
    }
}

/// Whether `s` is a GUID: 8-4-4-4-12 hex digits, optionally in braces.
pub fn is_guid(s: &str) -> bool {
    let s = s
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(s);
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}
