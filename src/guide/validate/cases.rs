//! Replay cases: unique names, answers the flow offers, ids that exist.

use std::collections::HashMap;
use std::ops::Range;

use super::{Checker, Guide, Name, ReplayCase};

impl Checker<'_> {
    /// Replay cases: unique names, answers the flow offers, ids that exist. `known` holds the
    /// names of cases already checked (the guide's own, when these come from a side file).
    pub(super) fn check_cases(&mut self, g: &Guide, cases: &[ReplayCase], known: &[&str]) {
        let issue_ids: Vec<&str> = g.issues.iter().map(|s| s.id.as_str()).collect();
        let res_ids: Vec<&str> = g.resolutions.iter().map(|s| s.id.as_str()).collect();
        let field_ids: Vec<&str> = g.fields().iter().map(|f| f.id.as_str()).collect();
        let mut seen: HashMap<&str, &Name> = HashMap::new();
        for c in cases {
            if c.name.trim().is_empty() {
                self.error("case-name", &c.name, "a replay case has an empty name");
            } else if let Some(first) = seen.get(c.name.as_str()) {
                let (line, _, _) = crate::guide::diag::locate(self.source, first.span().start);
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
    pub(super) fn table_span(&self, header: &str, k: usize) -> Range<usize> {
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
