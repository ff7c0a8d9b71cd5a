//! The regexes the scanners share, compiled once.

use std::sync::LazyLock;

use regex::Regex;

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in regex is valid")
}

/// `AADSTS50143`, `AADB2C90118` (any case; digits checked afterwards),
/// `MSIS7012` (AD FS), `CAA20003` (Microsoft 365 apps' sign-in errors).
pub(super) static CODE_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(?i:(aadsts|aadb2c)([0-9]+))|(?-u:\b)(MSIS[0-9]{4}|CAA[0-9A-F]{5})(?-u:\b)")
});

/// Every spelling of every label that [`classify`] knows.
pub(super) static KEY_RE: LazyLock<Regex> = LazyLock::new(|| {
    let s = r"[ _.\-]?";
    let keys = [
        format!("client{s}request{s}id"),
        format!("x{s}ms{s}(?:client{s})?request{s}id"),
        format!("request{s}id"),
        format!("trace{s}id"),
        format!("correlation{s}id"),
        format!("time{s}stamp"),
        format!("sign{s}in{s}error{s}code"),
        format!("error{s}codes?"),
        format!("error{s}ur[il]"),
        "error".to_string(),
        format!("sub{s}error"),
        format!("app(?:lication)?{s}(?:id|name)"),
        "application".to_string(),
        format!("client{s}id"),
        format!("client{s}ip"),
        format!("tenant(?:{s}id)?"),
        format!("directory{s}id"),
        "tid".to_string(),
        format!("ip(?:{s}addr(?:ess)?)?"),
        format!("device{s}id(?:entifier)?"),
        format!("device{s}platform"),
        format!("device{s}state"),
        format!("failure{s}reason"),
        format!("activity{s}id"),
        format!("user(?:{s}(?:principal{s}name|name|account))?"),
        "upn".to_string(),
        format!("login{s}hint"),
        format!("domain{s}hint"),
        format!("(?:http{s})?status{s}code"),
    ];
    regex(&format!(r"(?i)(?-u:\b)(?:{})(?-u:\b)", keys.join("|")))
});

/// A GUID at the start, with or without braces or hyphens.
pub(super) static GUID_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^\{?(?:([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})|([0-9A-Fa-f]{32}))\}?",
    )
});

/// A timestamp at the start: ISO 8601 (`T` or space, fraction, zone) or the
/// US form the Azure portal shows (`5/14/2024, 9:21:07 AM`).
pub(super) static TIME_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?(?: ?(?:Z|UTC|GMT|[+-][0-9]{2}:?[0-9]{2}))?)?|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4},? +[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?: ?[AaPp][Mm])?(?: ?(?:UTC|GMT|Z))?)",
    )
});

/// The timestamp that starts a log line, maybe in brackets.
pub(super) static LOG_TIME_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?m)^[ \t]*\[?([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]{1,9})?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)",
    )
});

/// An OAuth error code at the start: lowercase words joined by `_`.
pub(super) static OAUTH_RE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+"));

/// A DNS name at the start (`contoso.onmicrosoft.com`).
pub(super) static DOMAIN_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,63}",
    )
});

/// An e-mail address or UPN at the start.
pub(super) static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,63}")
});

/// An exception or error class followed by a colon (`MsalUiRequiredException:`,
/// `ServerError:`); namespaces stay out of the match.
pub(super) static EXCEPTION_RE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?-u:\b)([A-Z][A-Za-z0-9_]*(?:Exception|Error))[ \t]*:"));

/// The tenant segment of a Microsoft identity login URL.
pub(super) static LOGIN_URL_RE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)(?:login\.microsoftonline\.(?:com|us|de)|login\.partner\.microsoftonline\.cn|login\.windows\.net|login\.microsoft\.com|sts\.windows\.net|[a-z0-9\-]+\.b2clogin\.com|[a-z0-9\-]+\.ciamlogin\.com)/([A-Za-z0-9.\-]{1,253})(?:[/?#\s\x22']|$)",
    )
});
