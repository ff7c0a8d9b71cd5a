//! Stage 2, the scanners: one per format, each linear over one view of the text.

use std::net::IpAddr;

use super::hits::{Field, Hit, hit};
use super::prepare::window;
use super::regexes::{
    CODE_RE, DOMAIN_RE, EMAIL_RE, EXCEPTION_RE, GUID_RE, KEY_RE, LOG_TIME_RE, LOGIN_URL_RE,
    OAUTH_RE, TIME_RE,
};
use super::{MAX_CODES, MAX_LABEL_HITS, VALUE_WINDOW};

/// Error codes anywhere in the text.
pub(super) fn scan_codes(text: &str, hits: &mut Vec<Hit>) {
    for caps in CODE_RE.captures_iter(text) {
        let pos = caps.get(0).map_or(0, |m| m.start());
        if let (Some(prefix), Some(digits)) = (caps.get(1), caps.get(2)) {
            if (4..=7).contains(&digits.len()) {
                let code = format!(
                    "{}{}",
                    prefix.as_str().to_ascii_uppercase(),
                    digits.as_str()
                );
                hit(hits, pos, Field::Code, &code);
            }
        } else if let Some(code) = caps.get(3) {
            hit(hits, pos, Field::Code, code.as_str());
        }
    }
}

/// What a value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Guid,
    Time,
    /// Free text: the rest of the line (after `:`), a token (after `=`) or a
    /// quoted string.
    Line,
    Ip,
    /// A GUID or a domain name.
    Tenant,
    Email,
    /// `invalid_grant` and the like.
    OAuth,
    Uri,
    Status,
    /// One or more numeric error codes, or an OAuth error (`ErrorCode:
    /// invalid_grant` in MSAL.NET).
    Codes,
}

/// Lowercase, without spaces, `_`, `-` and `.`.
pub(super) fn normalize_key(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What a (normalised) label names and how its value looks.
pub(super) fn classify(key: &str) -> Option<(Field, Kind)> {
    use Field::Other;
    Some(match key {
        "requestid" | "traceid" | "xmsrequestid" => (Field::RequestId, Kind::Guid),
        "correlationid" => (Field::CorrelationId, Kind::Guid),
        "timestamp" => (Field::Timestamp, Kind::Time),
        "clientrequestid" | "xmsclientrequestid" => (Other("Client request id"), Kind::Guid),
        "errorcode" | "errorcodes" | "signinerrorcode" => (Field::Code, Kind::Codes),
        "error" => (Other("Error"), Kind::OAuth),
        "suberror" => (Other("Suberror"), Kind::OAuth),
        "erroruri" | "errorurl" => (Other("Error URI"), Kind::Uri),
        "appid" | "applicationid" | "clientid" => (Other("App id"), Kind::Guid),
        "appname" | "application" | "applicationname" => (Other("App name"), Kind::Line),
        "tenant" | "tenantid" | "directoryid" | "tid" => (Other("Tenant"), Kind::Tenant),
        "ip" | "ipaddress" | "ipaddr" | "clientip" => (Other("IP address"), Kind::Ip),
        "deviceid" | "deviceidentifier" => (Other("Device identifier"), Kind::Line),
        "deviceplatform" => (Other("Device platform"), Kind::Line),
        "devicestate" => (Other("Device state"), Kind::Line),
        "failurereason" => (Other("Failure reason"), Kind::Line),
        "activityid" => (Other("Activity id"), Kind::Guid),
        "user" | "username" | "userprincipalname" | "useraccount" | "upn" | "loginhint" => {
            (Other("User"), Kind::Email)
        }
        "domainhint" => (Other("Domain hint"), Kind::Tenant),
        "statuscode" | "httpstatuscode" => (Other("HTTP status"), Kind::Status),
        _ => return None,
    })
}

/// How a value was introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sep {
    /// `key: value` (also `key: "value"`).
    Colon,
    /// `key=value`, `key => value`.
    Equals,
    /// `key value` or `key` and the value on the next line.
    Bare,
    /// The whole content of a quoted or JSON string.
    Quoted,
}

/// Labelled values: `Label: value`, `Label:\nvalue`, `key=value`,
/// `"key": "value"`, `'key': 'value'`, `key: [1, 2]`.
pub(super) fn scan_key_values(text: &str, hits: &mut Vec<Hit>) {
    let mut counts: Vec<(Field, usize)> = Vec::new();
    for m in KEY_RE.find_iter(text) {
        let Some((field, kind)) = classify(&normalize_key(m.as_str())) else {
            continue;
        };
        // A label read thousands of times adds nothing after the first few.
        let slot = if let Some(slot) = counts.iter().position(|(f, _)| *f == field) {
            slot
        } else {
            counts.push((field, 0));
            counts.len() - 1
        };
        if counts[slot].1 >= MAX_LABEL_HITS {
            continue;
        }
        let Some((start, sep, next_line)) = value_start(text, m.end()) else {
            continue;
        };
        let rest = window(text, start, VALUE_WINDOW);
        let (content, sep) = match unquote(rest) {
            Some(inner) => (inner, Sep::Quoted),
            None => (rest, sep),
        };
        let loose = next_line || sep == Sep::Bare;
        if loose && !matches!(kind, Kind::Guid | Kind::Time | Kind::Ip | Kind::Tenant) {
            continue;
        }
        for (field, value) in parse_value(field, kind, content, sep) {
            counts[slot].1 += 1;
            hit(hits, m.start(), field, &value);
        }
    }
}

/// After a label: skips its closing quote, blanks and the separator. Returns
/// where the value starts, the separator, and whether it is on a later line.
fn value_start(text: &str, key_end: usize) -> Option<(usize, Sep, bool)> {
    let bytes = text.as_bytes();
    let limit = key_end.saturating_add(64).min(bytes.len());
    let mut i = key_end;
    let at = |i: usize| if i < limit { bytes[i] } else { 0 };
    if matches!(at(i), b'"' | b'\'') {
        i += 1;
    }
    let after_key = i;
    let skip_blanks = |mut i: usize| {
        while matches!(at(i), b' ' | b'\t') {
            i += 1;
        }
        i
    };
    i = skip_blanks(i);
    let sep = match at(i) {
        b':' if at(i + 1) != b':' => {
            i += 1;
            Sep::Colon
        }
        b'=' if at(i + 1) == b'>' => {
            i += 2;
            Sep::Equals
        }
        b'=' => {
            i += 1;
            Sep::Equals
        }
        _ => Sep::Bare,
    };
    i = skip_blanks(i);
    let mut next_line = false;
    if sep != Sep::Equals {
        let mut lines = 0;
        while at(i) == b'\n' && lines < 2 {
            lines += 1;
            next_line = true;
            i = skip_blanks(i + 1);
        }
    }
    if sep == Sep::Bare && i == after_key {
        return None; // `requestidfoo`: no blank between label and value.
    }
    (i < limit).then_some((i, sep, next_line))
}

/// The inside of a value that starts with a quote, up to the matching quote
/// on the same line (a backslash escapes the next character).
fn unquote(text: &str) -> Option<&str> {
    let quote = match text.as_bytes().first() {
        Some(b'"') => b'"',
        Some(b'\'') => b'\'',
        _ => return None,
    };
    let bytes = text.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return None,
            b if b == quote => return Some(&text[1..i]),
            _ => i += 1,
        }
    }
    None
}

/// Reads one value of `kind` at the start of `text`.
pub(super) fn parse_value(field: Field, kind: Kind, text: &str, sep: Sep) -> Vec<(Field, String)> {
    let one = |v: Option<String>| v.map(|v| vec![(field, v)]).unwrap_or_default();
    match kind {
        Kind::Guid => one(guid_at(text, sep == Sep::Quoted)),
        Kind::Time => one(time_at(text)),
        Kind::Ip => one(ip_at(text)),
        Kind::Tenant => one(guid_at(text, sep == Sep::Quoted).or_else(|| domain_at(text))),
        Kind::Email => one(EMAIL_RE.find(text).map(|m| m.as_str().to_string())),
        Kind::OAuth => one(oauth_at(text)),
        Kind::Uri => one(uri_at(text)),
        Kind::Status => one(status_at(text)),
        Kind::Line => one(line_at(text, sep)),
        Kind::Codes => codes_at(text),
    }
}

/// A GUID at the start, lowercase, without braces (hyphens added to the
/// 32-digit form). Unquoted, it must not run on into more word characters.
fn guid_at(text: &str, quoted: bool) -> Option<String> {
    let caps = GUID_RE.captures(text)?;
    let end = caps.get(0)?.end();
    let next = text[end..].chars().next();
    if !quoted && next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return None;
    }
    if let Some(g) = caps.get(1) {
        return Some(g.as_str().to_ascii_lowercase());
    }
    let h = caps.get(2)?.as_str().to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

fn time_at(text: &str) -> Option<String> {
    let m = TIME_RE.find(text)?;
    let next = text[m.end()..].chars().next();
    if next.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(m.as_str().to_string())
}

fn ip_at(text: &str) -> Option<String> {
    let token: String = text
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':'))
        .take(64)
        .collect();
    let token = token.trim_end_matches(['.', ':']);
    if let Ok(ip) = token.parse::<IpAddr>() {
        return Some(ip.to_string());
    }
    // IPv4 with a port: `203.0.113.7:443`.
    let (host, _) = token.rsplit_once(':')?;
    host.parse::<std::net::Ipv4Addr>()
        .ok()
        .map(|ip| ip.to_string())
}

fn domain_at(text: &str) -> Option<String> {
    let m = DOMAIN_RE.find(text)?;
    let next = text[m.end()..].chars().next();
    if next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '@' || c == '_') {
        return None;
    }
    Some(m.as_str().to_ascii_lowercase())
}

fn oauth_at(text: &str) -> Option<String> {
    let m = OAUTH_RE.find(text)?;
    let next = text[m.end()..].chars().next();
    if next.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') {
        return None;
    }
    Some(m.as_str().to_string())
}

fn uri_at(text: &str) -> Option<String> {
    let lower = window(text, 0, 8).to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '&'))
        .unwrap_or(text.len());
    Some(
        text[..end]
            .trim_end_matches(['.', ',', ';', ')'])
            .to_string(),
    )
}

pub(super) fn status_at(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .take_while(char::is_ascii_digit)
        .take(4)
        .collect();
    let n: u16 = digits.parse().ok()?;
    (digits.len() == 3 && (100..=599).contains(&n)).then_some(digits)
}

/// Free text: all of a quoted value, a token after `=`, the rest of the line
/// after `:` (up to a tab or ` | `).
fn line_at(text: &str, sep: Sep) -> Option<String> {
    let end = match sep {
        Sep::Quoted => text.len(),
        Sep::Equals => text
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | ',' | '"' | '\''))
            .unwrap_or(text.len()),
        Sep::Colon | Sep::Bare => {
            let line = text.find('\n').unwrap_or(text.len());
            let line = text[..line].find('\t').unwrap_or(line);
            text[..line].find(" | ").unwrap_or(line)
        }
    };
    let value = text[..end].trim().trim_end_matches([',', ';']);
    (!value.is_empty()).then(|| value.to_string())
}

/// `50143`, `[50143, 50058]`, `"AADSTS50143"` (found by [`scan_codes`]
/// anyway) or an OAuth error such as `invalid_grant`.
fn codes_at(text: &str) -> Vec<(Field, String)> {
    if let Some(list) = text.strip_prefix('[') {
        let end = list.find(']').unwrap_or(0);
        return list[..end]
            .split(',')
            .filter_map(|n| numeric_code(n.trim().trim_matches(['"', '\''])))
            .take(MAX_CODES)
            .map(|code| (Field::Code, code))
            .collect();
    }
    let digits: String = text
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    let after = text[digits.len()..].chars().next();
    if !digits.is_empty() && !after.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return numeric_code(&digits)
            .map(|c| vec![(Field::Code, c)])
            .unwrap_or_default();
    }
    oauth_at(text)
        .map(|e| vec![(Field::Other("Error"), e)])
        .unwrap_or_default()
}

/// A bare number of 4 to 7 digits as an `AADSTS` code.
pub(super) fn numeric_code(n: &str) -> Option<String> {
    let ok = (4..=7).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| format!("AADSTS{n}"))
}

/// Exception and error class names (`MsalUiRequiredException: AADSTS...`,
/// `ServerError: invalid_grant: AADSTS...`), and the OAuth error that may
/// follow the colon.
pub(super) fn scan_exceptions(text: &str, hits: &mut Vec<Hit>) {
    for caps in EXCEPTION_RE.captures_iter(text) {
        let (Some(all), Some(name)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        hit(hits, all.start(), Field::Other("Exception"), name.as_str());
        let rest = window(text, all.end(), 128).trim_start_matches([' ', '\t']);
        if let Some(error) = oauth_at(rest)
            && rest[error.len()..]
                .trim_start_matches([' ', '\t'])
                .starts_with(':')
        {
            hit(hits, all.start(), Field::Other("Error"), &error);
        }
    }
}

/// The tenant in `https://login.microsoftonline.com/<tenant>/oauth2/...`.
pub(super) fn scan_login_urls(text: &str, hits: &mut Vec<Hit>) {
    for caps in LOGIN_URL_RE.captures_iter(text) {
        let (Some(all), Some(tenant)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let tenant = tenant.as_str();
        let generic = ["common", "organizations", "consumers", "error"]
            .iter()
            .any(|g| tenant.eq_ignore_ascii_case(g));
        if generic {
            continue;
        }
        let value = guid_at(tenant, true).or_else(|| domain_at(tenant));
        if let Some(value) = value {
            hit(hits, all.start(), Field::Other("Tenant"), &value);
        }
    }
}

/// The first timestamp that starts a line (`2024-05-14T09:21:07Z ERROR ...`).
pub(super) fn scan_log_timestamp(text: &str, hits: &mut Vec<Hit>) {
    if let Some(m) = LOG_TIME_RE.captures(text).and_then(|caps| caps.get(1)) {
        hit(hits, m.start(), Field::LogTimestamp, m.as_str());
    }
}
