//! The guide format, version 1: the Rust types a guide file deserializes into.
//!
//! A guide is a small state machine written by support staff in a plain editor. The doc
//! comments here become the descriptions in `assets/guide.schema.json`, so editors show them
//! on hover: write them for guide authors, not for Rust readers.
//!
//! Every table denies unknown keys, so a typo (`asks = ...`) is an error with a location
//! rather than a silently ignored line. Optional keys are `Option`s here but plain types in the
//! schema (`#[schemars(with = ...)]`): TOML has no null, so the schema must not offer one.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Name;

/// The guide format version this build reads and writes.
pub const FORMAT: u32 = 1;

/// Targets an answer's `next` may name besides a step id.
pub const STAGE_TARGETS: [&str; 3] = ["issues", "resolution", "ticket"];

/// A troubleshooting guide: one error (or symptom) walked from diagnostics to a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    /// Guide format version. This build reads format 1.
    pub format: u32,
    /// The error code or short name the guide is found by, e.g. "AADSTS50143".
    pub id: Name,
    /// One line: what the error means, e.g. "Session mismatch".
    pub title: String,
    /// A few sentences shown under the title: the error's full description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Revision of this guide's content, free text such as "2026-11-30" or "3".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub revision: String,
    /// Other names the guide is found by, e.g. "50143".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Name>,
    /// Words for the guide picker's search, e.g. "entra-id", "sign-in".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Documentation links, shown beside the wizard and in the ticket.
    #[serde(default, rename = "link", skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Additional notes, shown beside the wizard at every stage.
    #[serde(default, rename = "note", skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Diagnostic steps. The first one is where every case starts.
    #[serde(default, rename = "step")]
    pub steps: Vec<Step>,
    /// Common issues that answers can point at.
    #[serde(default, rename = "issue")]
    pub issues: Vec<Issue>,
    /// Resolutions: fixes with checklist tasks.
    #[serde(default, rename = "resolution")]
    pub resolutions: Vec<Resolution>,
    /// The support ticket to fill in when the case is escalated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Ticket")]
    pub ticket: Option<Ticket>,
    /// Replay cases: answers to give and what the wizard must then show. `tshoot test` runs
    /// them; they may also live beside the guide in `NAME.cases.toml`.
    #[serde(default, rename = "case", skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<ReplayCase>,
}

/// A replay case: a walk through the guide with the outcome it must have, like a unit test.
/// `tshoot test` gives the answers to the real wizard, applies `confirm` and `rule_out`, and
/// compares what it shows with each `expect_...` key present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplayCase {
    /// Short name, unique in the guide, e.g. "wrong-tenant". Reported as `GUIDE::name`.
    pub name: Name,
    /// The answers, one per step in the order the flow asks them: each an answer's label
    /// (e.g. "No, another tenant") or its 1-based number (2 or "2"). A step without a question
    /// takes "Done" or 1.
    #[serde(default)]
    pub answers: Vec<AnswerRef>,
    /// Issue ids to confirm after the answers, as the engineer would.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirm: Vec<Name>,
    /// Issue ids to rule out after the answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_out: Vec<Name>,
    /// Exactly the issues the answers suspect, in any order (`[]`: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Name>")]
    pub expect_suspected: Option<Vec<Name>>,
    /// The first resolutions of the checklist, in this order (later ones are not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Name>")]
    pub expect_checklist: Option<Vec<Name>>,
    /// Ticket field values the case must hold, e.g. `{ error_code = "AADSTS50143" }`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(with = "BTreeMap<String, String>")]
    pub expect_fields: BTreeMap<String, Name>,
}

/// One answer of a replay case: a label, or a 1-based number written as an integer or a
/// string. Kept as its text with its place in the file, so a wrong one is reported there.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnswerRef(pub Name);

impl AnswerRef {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 1-based number this answer is, when it is one.
    pub fn number(&self) -> Option<usize> {
        let t = self.0.trim();
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse().ok()
    }
}

impl From<&str> for AnswerRef {
    fn from(s: &str) -> Self {
        Self(Name::new(s))
    }
}

impl Serialize for AnswerRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for AnswerRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        /// A string or a non-negative integer, as text.
        struct Text(String);
        impl<'de> Deserialize<'de> for Text {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = Text;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("an answer's label or its 1-based number")
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
                        Ok(Text(v.to_owned()))
                    }
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Text, E> {
                        Ok(Text(v.to_string()))
                    }
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Text, E> {
                        Ok(Text(v.to_string()))
                    }
                }
                d.deserialize_any(V)
            }
        }
        let spanned = serde_spanned::Spanned::<Text>::deserialize(d)?;
        let span = spanned.span();
        Ok(Self(Name::located(spanned.into_inner().0, span)))
    }
}

impl JsonSchema for AnswerRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AnswerRef".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An answer's label, or its 1-based number.",
            "anyOf": [
                { "type": "string", "minLength": 1 },
                { "type": "integer", "minimum": 1 }
            ]
        })
    }
    fn inline_schema() -> bool {
        true
    }
}

/// Why a replay case's answers do not fit the guide: which answer (0-based) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub answer: usize,
    pub message: String,
}

/// A documentation link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// What the link is, e.g. "Microsoft Entra error codes".
    pub title: String,
    /// An http(s) address.
    pub url: Name,
}

/// An additional note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Short heading, e.g. "Data Privacy".
    pub title: String,
    /// The note itself.
    pub text: String,
}

/// A diagnostic step: something to check, and optionally a question whose answers branch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Unique among steps; answers name it in `next`. Not "issues", "resolution" or "ticket".
    pub id: Name,
    /// Short heading, e.g. "Verify User Sign-In".
    pub title: String,
    /// What to do or check, in full.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// The question to answer after the check. Without it the step has one answer, "Done".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub ask: Option<String>,
    /// Where to go after this step when an answer has no `next` of its own: a step id, or
    /// "issues", "resolution" or "ticket". Default: the following step, or "issues" after
    /// the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Name")]
    pub next: Option<Name>,
    /// The answers to `ask`, in the order shown (keys 1-9 choose them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
}

/// One answer to a step's question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// What the engineer picks, e.g. "No, another tenant".
    pub label: String,
    /// Issue ids this answer makes likely.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suspect: Vec<Name>,
    /// Where to go next: a step id, or "issues", "resolution" or "ticket". Default: the
    /// step's own `next`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Name")]
    pub next: Option<Name>,
}

/// A common issue: a likely cause to confirm or rule out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// Unique among issues; answers name it in `suspect`.
    pub id: Name,
    /// Short heading, e.g. "Incorrect Domain Hint".
    pub title: String,
    /// What the issue is.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Resolution ids that address this issue, most likely fix first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Name>,
}

/// A resolution: a fix, worked as a checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// Unique among resolutions; issues name it in `fixes`.
    pub id: Name,
    /// Short heading, e.g. "Force Re-authentication".
    pub title: String,
    /// What the fix is about.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Checklist tasks, ticked one by one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<String>,
    /// This resolution is the escalation (e.g. "Open a support ticket"): it leads to the
    /// ticket and is listed last.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub escalate: bool,
}

/// The support ticket: fields to collect and the text they fill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    /// The ticket text. `{field_id}` is replaced by a field's value; `{guide.id}` and
    /// `{guide.title}` by the guide's; `{{` and `}}` are literal braces. The case's context
    /// (answers, issues, tasks done) is appended after it.
    pub template: String,
    /// The fields, in the order shown.
    #[serde(default, rename = "field")]
    pub fields: Vec<Field>,
}

/// One ticket field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Unique among fields; the template names it as `{id}`.
    pub id: Name,
    /// Label shown beside the input, e.g. "Correlation ID".
    pub label: String,
    /// What the value is, for checks as you type.
    #[serde(default, skip_serializing_if = "FieldKind::is_text")]
    pub kind: FieldKind,
    /// The ticket is not complete without it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Value filled in when the case starts, e.g. the error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub default: Option<String>,
    /// Help shown in the empty input, e.g. "Provide the Correlation ID here".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub hint: Option<String>,
}

/// The kind of a ticket field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FieldKind {
    /// Any text on one line.
    #[default]
    Text,
    /// Free text over several lines.
    Multiline,
    /// A GUID such as 7d8e9f0a-1b2c-4d3e-9f8a-7b6c5d4e3f2a.
    Guid,
    /// An error code such as AADSTS50143.
    ErrorCode,
    /// A date and time, e.g. 2026-05-14T09:21:07Z.
    Timestamp,
}

impl FieldKind {
    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's skip_serializing_if passes a reference"
    )]
    fn is_text(&self) -> bool {
        *self == FieldKind::Text
    }
}

/// Where a step or an answer leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target<'a> {
    Step(usize),
    Issues,
    Resolution,
    Ticket,
    /// A name that matches nothing (validation reports it; the wizard treats it as "issues").
    Unknown(&'a str),
}

impl Guide {
    /// The step with this id.
    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|s| *s.id == *id)
    }

    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|s| *s.id == *id)
    }

    pub fn resolution_index(&self, id: &str) -> Option<usize> {
        self.resolutions.iter().position(|s| *s.id == *id)
    }

    /// Whether `query` is this guide's id or one of its aliases (case-insensitive).
    pub fn answers_to(&self, query: &str) -> bool {
        self.id.eq_ignore_ascii_case(query)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(query))
    }

    /// Resolve a `next` name.
    pub fn target<'a>(&self, name: &'a str) -> Target<'a> {
        match name {
            "issues" => Target::Issues,
            "resolution" => Target::Resolution,
            "ticket" => Target::Ticket,
            _ => self
                .step_index(name)
                .map_or(Target::Unknown(name), Target::Step),
        }
    }

    /// Where answer `answer` of step `step` leads (`answer` is ignored for a step with no
    /// answers, whose implicit "Done" follows the step's `next`).
    pub fn next_of(&self, step: usize, answer: usize) -> Target<'_> {
        let Some(s) = self.steps.get(step) else {
            return Target::Issues;
        };
        let explicit = s
            .answers
            .get(answer)
            .and_then(|a| a.next.as_ref())
            .or(s.next.as_ref());
        match explicit {
            Some(name) => self.target(name),
            None if step + 1 < self.steps.len() => Target::Step(step + 1),
            None => Target::Issues,
        }
    }

    /// Number of answers step `step` offers (1 for a step without a question).
    pub fn answer_count(&self, step: usize) -> usize {
        self.steps.get(step).map_or(0, |s| s.answers.len().max(1))
    }

    /// The label of answer `answer` of step `step`.
    pub fn answer_label(&self, step: usize, answer: usize) -> &str {
        self.steps
            .get(step)
            .and_then(|s| s.answers.get(answer))
            .map_or("Done", |a| a.label.as_str())
    }

    /// Issue ids answer `answer` of step `step` suspects.
    pub fn suspects_of(&self, step: usize, answer: usize) -> &[Name] {
        self.steps
            .get(step)
            .and_then(|s| s.answers.get(answer))
            .map_or(&[], |a| a.suspect.as_slice())
    }

    /// The ticket's fields (none when the guide has no ticket).
    pub fn fields(&self) -> &[Field] {
        self.ticket.as_ref().map_or(&[], |t| t.fields.as_slice())
    }

    /// Which answer of step `step` `given` names: a label (exactly, else ignoring case and
    /// surrounding spaces), else a 1-based number.
    pub fn find_answer(&self, step: usize, given: &str) -> Option<usize> {
        let n = self.answer_count(step);
        let labels = || (0..n).map(|a| (a, self.answer_label(step, a)));
        labels()
            .find(|(_, l)| *l == given)
            .or_else(|| labels().find(|(_, l)| l.trim().eq_ignore_ascii_case(given.trim())))
            .map(|(a, _)| a)
            .or_else(|| {
                AnswerRef::from(given)
                    .number()
                    .filter(|k| (1..=n).contains(k))
                    .map(|k| k - 1)
            })
    }

    /// Follow replay answers from the first step: the (step, answer) indices they choose, or
    /// the first answer that the step reached does not offer (or that comes after the
    /// diagnostics are over).
    pub fn walk(&self, answers: &[AnswerRef]) -> Result<Vec<(usize, usize)>, WalkError> {
        let mut out = Vec::with_capacity(answers.len());
        let mut at = (!self.steps.is_empty()).then_some(0);
        for (k, given) in answers.iter().enumerate() {
            let Some(i) = at else {
                return Err(WalkError {
                    answer: k,
                    message: format!(
                        "answer {} \"{}\" comes after the diagnostics are over ({} answer{} lead{} out of the steps)",
                        k + 1,
                        given.as_str(),
                        k,
                        if k == 1 { "" } else { "s" },
                        if k == 1 { "s" } else { "" },
                    ),
                });
            };
            let Some(a) = self.find_answer(i, given.as_str()) else {
                let offered: Vec<String> = (0..self.answer_count(i))
                    .map(|a| format!("{} \"{}\"", a + 1, self.answer_label(i, a)))
                    .collect();
                return Err(WalkError {
                    answer: k,
                    message: format!(
                        "step \"{}\" has no answer \"{}\"; it offers {}",
                        self.steps[i].id,
                        given.as_str(),
                        offered.join(", ")
                    ),
                });
            };
            out.push((i, a));
            at = match self.next_of(i, a) {
                Target::Step(j) => Some(j),
                _ => None,
            };
        }
        Ok(out)
    }
}
