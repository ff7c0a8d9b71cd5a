//! `tshoot new ID`: a starter guide that shows every feature of the format, with comments, and
//! that passes `tshoot check` and `tshoot test` as written (a test holds it to that). Authors
//! learn the format by editing a working guide rather than by reading the schema.
//!
//! The starter is one template with the id (and the alias, and the error code default, when
//! the id looks like an error code) filled in: a hand-written file keeps its comments and its
//! order, which a serializer would not.

use thiserror::Error;

use crate::guide::{FieldKind, check_value};

/// Why a starter cannot be written for an id.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NewError {
    #[error("the id is empty")]
    Empty,
    #[error(
        "the id \"{0}\" holds spaces or control characters; ids are one word, e.g. AADSTS50143"
    )]
    Spaces(String),
}

/// The starter guide for `id`.
pub fn starter(id: &str) -> Result<String, NewError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(NewError::Empty);
    }
    if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(NewError::Spaces(id.escape_debug().to_string()));
    }
    let quoted = toml_str(id);
    let digits: String = id.chars().skip_while(|c| !c.is_ascii_digit()).collect();
    let alias = if digits.len() >= 3 && digits != id && digits.chars().all(|c| c.is_ascii_digit()) {
        format!("aliases = [\"{digits}\"]")
    } else {
        "# aliases = [\"...\"]".to_owned()
    };
    let error_code = if check_value(FieldKind::ErrorCode, id).is_none() {
        format!("default = {quoted}")
    } else {
        "# default = \"...\"   (the error code, when the guide is about one)".to_owned()
    };
    let expect_code = if check_value(FieldKind::ErrorCode, id).is_none() {
        format!("expect_fields = {{ error_code = {quoted} }}")
    } else {
        "# expect_fields = { error_code = \"...\" }".to_owned()
    };
    Ok(TEMPLATE
        .replace("{ID}", &quoted)
        .replace("{ALIAS}", &alias)
        .replace("{ERROR_CODE_DEFAULT}", &error_code)
        .replace("{EXPECT_CODE}", &expect_code))
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const TEMPLATE: &str = r#"# A starter guide written by `tshoot new`. It is a working guide: edit it in place and run
#   tshoot check FILE     the linter: broken links between parts, dead ends, typos in keys
#   tshoot test FILE      the [[case]] tables at the end, through the real wizard
#   tshoot preview FILE   the wizard on this file, reloaded whenever you save
# Editors with TOML schema support validate as you type with `tshoot schema > guide.schema.json`.
#
# The flow: every case starts at the first [[step]]. An answer may `suspect` issues and say
# where to go `next`: another step, or a stage: "issues", "resolution" or "ticket". Without
# `next` it goes to the following step, and after the last step to "issues". Issues list the
# resolutions that fix them (`fixes`), and the checklist puts the fixes of suspected issues
# first. A resolution with `escalate = true` leads to the ticket.

format = 1
id = {ID}
# One line: what the error means.
title = "Describe the error in one line"
summary = """
A few sentences shown under the title: the error's full description, as the vendor words it."""
revision = "1"
# Other names the picker finds the guide by.
{ALIAS}
tags = ["sign-in"]

[[link]]
title = "Error code reference"
url = "https://example.com/docs/error-codes"

[[note]]
title = "Data privacy"
text = "Notes are shown beside the wizard at every stage. Keep user data out of tickets and chats."

# --- Diagnostic steps --------------------------------------------------------------------------

[[step]]
id = "check-account"
title = "Check the account"
text = "Ask the user which account they sign in with, and compare it with the one the app expects."
ask = "Does the user sign in with the expected account?"
answers = [
  # No `next`: on to the following step.
  { label = "Yes, the expected account" },
  # Suspect an issue and skip the remaining checks: straight to the common issues.
  { label = "No, another account", suspect = ["wrong-account"], next = "issues" },
  { label = "Not known yet" },
]

[[step]]
id = "find-when"
title = "Find when it happens"
text = "Ask since when the error occurs, and whether it happens in every app or in one."
ask = "When does the error occur?"
# Where answers without a `next` of their own go.
next = "look-up-logs"
answers = [
  { label = "Only in one app", suspect = ["app-misconfigured"] },
  # Two issues at once: the one more answers point at comes first.
  { label = "Everywhere, since a password change", suspect = ["expired-credentials", "wrong-account"] },
  # Nothing new learnt: this answer could end the diagnostics early.
  { label = "Not known yet", next = "resolution" },
]

# A step without a question: one answer, "Done" (key 1).
[[step]]
id = "look-up-logs"
title = "Look up the request in the sign-in logs"
text = """
Find the failed request by its time and user, and note its Correlation ID and Request ID for
the ticket."""

# --- Common issues -----------------------------------------------------------------------------

[[issue]]
id = "wrong-account"
title = "Wrong account"
text = "The user signs in with an account of another organization."
# Most likely fix first.
fixes = ["switch-account", "clear-session"]

[[issue]]
id = "app-misconfigured"
title = "App misconfigured"
text = "The app is registered for another organization than the user's."
fixes = ["fix-app-registration"]

[[issue]]
id = "expired-credentials"
title = "Expired credentials"
text = "The session still holds credentials from before the password change."
fixes = ["clear-session"]

# --- Resolutions -------------------------------------------------------------------------------

[[resolution]]
id = "switch-account"
title = "Switch to the right account"
tasks = [
  "Sign out of every account in the browser.",
  "Sign in again with the account the app expects.",
]

[[resolution]]
id = "clear-session"
title = "Start a new session"
text = "Old cookies keep the previous session alive."
tasks = ["Clear the browser's cookies for the sign-in page, or use a private window."]

[[resolution]]
id = "fix-app-registration"
title = "Fix the app registration"
tasks = ["Ask the app's owner to register it for the user's organization."]

[[resolution]]
id = "open-ticket"
title = "Open a support ticket"
# The escalation: listed last, and ticking it opens the ticket.
escalate = true
tasks = ["Fill in the ticket and send it to the support team."]

# --- Support ticket ----------------------------------------------------------------------------

[ticket]
# {field_id} is a field's value; {guide.id} and {guide.title} the guide's; {{ and }} are
# literal braces. The case's answers, issues and tasks done are added after the text.
template = """
Error: {error_code} ({guide.id}: {guide.title})
Correlation ID: {correlation_id}
Time: {timestamp}
Account: {account}
What was tried:
{details}
"""

# One field of each kind; each is checked as the engineer types.
[[ticket.field]]
id = "error_code"
label = "Error code"
kind = "error-code"
required = true
{ERROR_CODE_DEFAULT}

[[ticket.field]]
id = "correlation_id"
label = "Correlation ID"
kind = "guid"
required = true
hint = "From the error page or the sign-in logs"

[[ticket.field]]
id = "timestamp"
label = "Time of the error"
kind = "timestamp"
hint = "e.g. 2026-05-14T09:21:07Z"

[[ticket.field]]
id = "account"
label = "Account"
# kind = "text" is the default: any text on one line.

[[ticket.field]]
id = "details"
label = "What was tried"
kind = "multiline"

# --- Replay cases ------------------------------------------------------------------------------
# `tshoot test FILE` gives each case's answers to the wizard (by label, or by number: 1 is the
# first answer of a step) and checks what it shows. Keep one case per way through the flow.

[[case]]
name = "wrong-account"
answers = ["No, another account"]
expect_suspected = ["wrong-account"]
# The first resolutions of the checklist, in order.
expect_checklist = ["switch-account", "clear-session"]
{EXPECT_CODE}

[[case]]
name = "one-app"
answers = ["Yes, the expected account", "Only in one app", "Done"]
expect_suspected = ["app-misconfigured"]
expect_checklist = ["fix-app-registration"]

[[case]]
name = "password-change-then-confirmed"
answers = [1, 2, 1]
# The engineer's judgement, as with the c and x keys in the wizard.
confirm = ["expired-credentials"]
rule_out = ["wrong-account"]
expect_suspected = ["expired-credentials", "wrong-account"]
expect_checklist = ["clear-session", "fix-app-registration"]

[[case]]
name = "nothing-known"
answers = ["Not known yet", "Not known yet"]
expect_suspected = []
expect_checklist = ["switch-account", "clear-session", "fix-app-registration", "open-ticket"]
"#;

#[cfg(test)]
mod tests;
