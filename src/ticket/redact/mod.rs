//! Redaction: mask the private data of a ticket or an export before it leaves the engineer's
//! screen (`--redact`, or `redact = true` in the config).
//!
//! Masked: user principal names and e-mail addresses (`<user-1>`), IPv4 and IPv6 addresses
//! (`<ip-1>`), tenant ids (`<tenant-1>`: a GUID labelled as a tenant, a tenant in a sign-in
//! URL, `*.onmicrosoft.com` domains). The same value always gets the same mask within one
//! text, so "the same user in both tenants" still reads right. Correlation and request ids
//! are kept: they are what the escalation needs, and they identify a request, not a person.

use std::collections::HashMap;
use std::net::Ipv6Addr;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// What a masked value was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    User,
    Tenant,
    Ip,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Tenant => "tenant",
            Kind::Ip => "ip",
        }
    }
}

const GUID: &str =
    r"\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?";

static EMAIL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}")
        .expect("valid regex")
});

static TENANT_DOMAIN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.onmicrosoft\.(?:com|us|de)\b")
        .expect("valid regex")
});

/// A GUID after a tenant label on the same line: `Tenant ID: x`, `tenant_id=x`,
/// `"tid": "x"`, `Directory (tenant) ID x`; group 1 is the GUID.
static TENANT_GUID_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:\btenant\b|\btenant[_ -]?id\b|\btenantid\b|\btid\b|\bdirectory\b)[^\r\n0-9A-Fa-f{{]{{0,24}}({GUID})"
    ))
    .expect("valid regex")
});

/// The tenant in a sign-in URL: `login.microsoftonline.com/GUID/...`; group 1 is the GUID.
static TENANT_URL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?:login\.microsoftonline\.(?:com|us|de)|login\.windows\.net|sts\.windows\.net|login\.partner\.microsoftonline\.cn)/({GUID})"
    ))
    .expect("valid regex")
});

static IPV4_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\b")
        .expect("valid regex")
});

/// Candidates for IPv6 addresses; each is checked by parsing it.
static IPV6_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|(?:[0-9]{1,3}\.){3}[0-9]{1,3})(?:%[0-9a-z]+)?")
        .expect("valid regex")
});

/// Masks handed out so far: the same value keeps its number across calls, so the fields and
/// the text of one ticket agree.
#[derive(Debug, Default)]
pub struct Redactor {
    seen: HashMap<(Kind, String), usize>,
    counts: HashMap<Kind, usize>,
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    fn mask(&mut self, kind: Kind, value: &str) -> String {
        let key = (kind, value.trim_matches(['{', '}']).to_lowercase());
        let n = if let Some(&n) = self.seen.get(&key) {
            n
        } else {
            let c = self.counts.entry(kind).or_insert(0);
            *c += 1;
            self.seen.insert(key, *c);
            *c
        };
        format!("<{}-{n}>", kind.tag())
    }

    /// `text` with every private value masked.
    pub fn text(&mut self, text: &str) -> String {
        // Find every span first, then replace from the left; spans that overlap an earlier
        // one are dropped (an e-mail's domain is not masked again as a tenant domain).
        let mut spans: Vec<(Range<usize>, Kind)> = Vec::new();
        for m in EMAIL_RE.find_iter(text) {
            spans.push((m.range(), Kind::User));
        }
        for re in [&*TENANT_GUID_RE, &*TENANT_URL_RE] {
            for c in re.captures_iter(text) {
                if let Some(g) = c.get(1) {
                    spans.push((g.range(), Kind::Tenant));
                }
            }
        }
        for m in TENANT_DOMAIN_RE.find_iter(text) {
            spans.push((m.range(), Kind::Tenant));
        }
        for m in IPV4_RE.find_iter(text) {
            spans.push((m.range(), Kind::Ip));
        }
        for m in IPV6_RE.find_iter(text) {
            let s = m.as_str();
            let addr = s.split('%').next().unwrap_or(s);
            // Parsing weeds out times (09:21:07) and other colon-separated text.
            if addr.len() >= 6 && addr.parse::<Ipv6Addr>().is_ok() && !is_embedded(text, m.range())
            {
                spans.push((m.range(), Kind::Ip));
            }
        }
        spans.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (r, kind) in spans {
            if r.start < at {
                continue;
            }
            out.push_str(&text[at..r.start]);
            out.push_str(&self.mask(kind, &text[r.clone()]));
            at = r.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// A JSON value with every string in it redacted. A string is read with its label (the
    /// object key it is under, or the first of a `[label, value]` pair), so that a GUID under
    /// `tenant_id` or beside `"Tenant ID"` is known for a tenant.
    pub fn json(&mut self, value: &mut serde_json::Value) {
        self.json_under(value, None);
    }

    fn json_under(&mut self, value: &mut serde_json::Value, label: Option<&str>) {
        use serde_json::Value;
        match value {
            Value::String(s) => *s = self.labelled(label, s),
            Value::Array(items) => match items.as_mut_slice() {
                [Value::String(l), Value::String(v)] => {
                    *v = self.labelled(Some(l.as_str()), v);
                    *l = self.text(l);
                }
                items => items.iter_mut().for_each(|v| self.json_under(v, label)),
            },
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    self.json_under(v, Some(k));
                }
            }
            _ => {}
        }
    }

    /// `value` redacted as if written after `label: ` on one line.
    fn labelled(&mut self, label: Option<&str>, value: &str) -> String {
        let Some(label) = label else {
            return self.text(value);
        };
        let prefix = format!("{label}: ");
        let joined = self.text(&format!("{prefix}{value}"));
        match joined.strip_prefix(&prefix) {
            Some(v) => v.to_owned(),
            None => self.text(value),
        }
    }
}

/// A colon-separated candidate glued to letters or digits on either side is part of a longer
/// word (a hash, a MAC address with more groups), not an address.
fn is_embedded(text: &str, r: Range<usize>) -> bool {
    let glued = |c: char| c.is_ascii_alphanumeric() || c == ':';
    text[..r.start].chars().next_back().is_some_and(glued)
        || text[r.end..].chars().next().is_some_and(glued)
}

/// `text` with every private value masked (see the module docs).
pub fn redact(text: &str) -> String {
    Redactor::new().text(text)
}

#[cfg(test)]
mod tests;
