//! UTC time without a date crate: file-name stamps and RFC 3339 strings for tickets and saved
//! cases. One clock for the whole program, so a ticket, a session file and a saved ticket file
//! agree on the time format.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

/// Year, month, day from days since 1970-01-01 (H. Hinnant's `civil_from_days`).
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "each value is in the range noted on its line"
)]
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month, day, hour, minute, second) in UTC, rounding down to the second.
#[expect(
    clippy::cast_possible_truncation,
    reason = "rem_euclid(86_400) is in 0..86_400"
)]
fn utc_parts(t: SystemTime) -> (i64, u32, u32, u32, u32, u32) {
    let secs: i64 = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2),
        Err(e) => {
            let d = e.duration();
            let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2);
            -whole - i64::from(d.subsec_nanos() > 0)
        }
    };
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400) as u32;
    (year, month, day, rem / 3600, rem / 60 % 60, rem % 60)
}

/// `YYYYmmddTHHMMSSZ`, for file names.
pub fn utc_stamp(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = utc_parts(t);
    let mut out = String::with_capacity(16);
    let _ = write!(out, "{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z");
    out
}

/// `YYYY-mm-ddTHH:MM:SSZ` (RFC 3339, UTC, whole seconds).
pub fn utc_rfc3339(t: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = utc_parts(t);
    let mut out = String::with_capacity(20);
    let _ = write!(out, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
    out
}

/// Now, as RFC 3339 UTC.
pub fn now_rfc3339() -> String {
    utc_rfc3339(SystemTime::now())
}

/// Days since 1970-01-01 from year, month, day (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // [0, 399]
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// Seconds since the epoch of a time written by [`utc_rfc3339`] (`YYYY-mm-ddTHH:MM:SSZ`;
/// fractions of a second are ignored). `None` for anything else.
pub fn parse_utc(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || !s.ends_with('Z') {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec)
}

/// How long before `now` the time `then` was, in one short word: `now`, `5 min`, `3 h`,
/// `2 d`, `7 wk`. Both are RFC 3339 UTC; `?` when either does not read.
pub fn age(then: &str, now: &str) -> String {
    let (Some(a), Some(b)) = (parse_utc(then), parse_utc(now)) else {
        return "?".to_owned();
    };
    let secs = (b - a).max(0);
    match secs {
        0..60 => "now".to_owned(),
        60..3600 => format!("{} min", secs / 60),
        3600..86_400 => format!("{} h", secs / 3600),
        86_400..1_209_600 => format!("{} d", secs / 86_400),
        _ => format!("{} wk", secs / 604_800),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn parse_reads_back_what_format_writes() {
        for secs in [0u64, 59, 86_399, 951_782_400, 1_700_000_000, 4_102_444_800] {
            let t = UNIX_EPOCH + Duration::from_secs(secs);
            assert_eq!(
                parse_utc(&utc_rfc3339(t)),
                Some(i64::try_from(secs).unwrap())
            );
        }
        assert_eq!(
            parse_utc("2026-12-02T18:30:00.123Z"),
            parse_utc("2026-12-02T18:30:00Z")
        );
        assert_eq!(parse_utc("2026-13-02T18:30:00Z"), None);
        assert_eq!(parse_utc("yesterday"), None);
    }

    #[test]
    fn ages_in_one_word() {
        let now = "2026-12-02T18:30:00Z";
        assert_eq!(age("2026-12-02T18:29:30Z", now), "now");
        assert_eq!(age("2026-12-02T18:25:00Z", now), "5 min");
        assert_eq!(age("2026-12-02T15:30:00Z", now), "3 h");
        assert_eq!(age("2026-11-30T18:30:00Z", now), "2 d");
        assert_eq!(age("2026-10-01T18:30:00Z", now), "8 wk");
        assert_eq!(age("2026-12-03T18:30:00Z", now), "now");
        assert_eq!(age("garbage", now), "?");
    }

    #[test]
    fn utc_formatting() {
        let at = |secs: i64| {
            if secs >= 0 {
                UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
            } else {
                UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
            }
        };
        assert_eq!(utc_stamp(at(0)), "19700101T000000Z");
        assert_eq!(utc_rfc3339(at(0)), "1970-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(at(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(utc_rfc3339(at(951_868_799)), "2000-02-29T23:59:59Z");
        assert_eq!(utc_rfc3339(at(951_868_800)), "2000-03-01T00:00:00Z");
        assert_eq!(utc_stamp(at(1_700_000_000)), "20231114T221320Z");
        assert_eq!(utc_rfc3339(at(1_700_000_000)), "2023-11-14T22:13:20Z");
        assert_eq!(utc_rfc3339(at(4_102_444_800)), "2100-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(at(-1)), "1969-12-31T23:59:59Z");
        assert_eq!(
            utc_rfc3339(UNIX_EPOCH - Duration::from_millis(500)),
            "1969-12-31T23:59:59Z"
        );
        assert_eq!(
            utc_rfc3339(UNIX_EPOCH + Duration::from_millis(1500)),
            "1970-01-01T00:00:01Z"
        );
    }
}
