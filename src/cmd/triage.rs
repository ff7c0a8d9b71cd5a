//! `tshoot triage [FILE|-] [--json]`: which error codes a paste holds, the guide each would
//! open (or the generic one), each code's meaning, and the values found; the router is
//! [`crate::triage::route`]. Also the reading of a paste for `tshoot --paste`.
//!
//! Exit codes, as `explain`'s: 0 when the paste holds at least one error code, 1 when it holds
//! none (the message says what it held instead), 2 when there is nothing to read (no FILE and
//! standard input is a terminal). An unreadable file is a [`Failure::Paste`] (1).
//!
//! At most [`MAX_INPUT_BYTES`] (1 MiB) are read, whatever the size of the paste, so memory
//! stays bounded: for a file the size left out is known from its length, for standard input
//! reading stops after the first 1 MiB and the rest is not read at all (both are said).

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use super::{Ctx, Failure, Outcome};
use crate::cli::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, write_json};
use crate::text::sanitize;
use crate::ticket::extract::{Extracted, MAX_INPUT_BYTES};
use crate::triage::{Candidate, Cut, Standing, Triage, route};

/// A paste as read: its first [`MAX_INPUT_BYTES`] and how much was left out.
#[derive(Debug)]
pub struct Paste {
    pub text: String,
    pub cut: Option<Cut>,
}

/// Read a paste from `path` (`-`: standard input), at most 1 MiB of it, lossily as UTF-8 (a
/// character cut at the 1 MiB mark is left out whole).
pub fn read(path: &Path) -> Result<Paste, Failure> {
    // One byte past the limit tells a paste of exactly 1 MiB from a longer one.
    let (mut bytes, total) = read_input(path, MAX_INPUT_BYTES as u64 + 1)?;
    let cut = (bytes.len() > MAX_INPUT_BYTES).then(|| {
        bytes.truncate(MAX_INPUT_BYTES);
        // Do not turn half a character at the cut into a replacement character.
        if let Err(e) = std::str::from_utf8(&bytes)
            && e.error_len().is_none()
        {
            bytes.truncate(e.valid_up_to());
        }
        Cut {
            read: bytes.len(),
            left_out: total.map(|t| t.saturating_sub(bytes.len() as u64)),
        }
    });
    Ok(Paste {
        text: String::from_utf8_lossy(&bytes).into_owned(),
        cut,
    })
}

/// The first `limit` bytes of `path` (`-`: standard input), and the file's whole size when
/// it is a regular file. The paste readers of `triage`, `--paste` and `ticket --paste`.
pub(super) fn read_input(path: &Path, limit: u64) -> Result<(Vec<u8>, Option<u64>), Failure> {
    let mut bytes = Vec::new();
    let mut total: Option<u64> = None;
    let result = if path.as_os_str() == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| {
            total = f
                .metadata()
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len());
            f.take(limit).read_to_end(&mut bytes)
        })
    };
    result.map_err(|source| Failure::Paste {
        path: path.to_path_buf(),
        source,
    })?;
    Ok((bytes, total))
}

/// Route a paste already read: the router's answer, with the cut made while reading.
pub fn route_paste(paste: &Paste, cat: &crate::guide::catalog::Catalog) -> Triage {
    let mut t = route(&paste.text, cat);
    if paste.cut.is_some() {
        t.cut = paste.cut;
    }
    t
}

/// `tshoot triage [FILE|-] [--json]`.
pub fn triage(
    ctx: &Ctx,
    file: Option<&Path>,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let path = file.unwrap_or(Path::new("-"));
    if path.as_os_str() == "-" && std::io::stdin().is_terminal() {
        let _ = writeln!(
            err,
            "tshoot: triage reads the paste from FILE or from standard input, and standard input is a terminal: `tshoot triage error.txt`, or `xclip -o | tshoot triage -`"
        );
        return Ok(EXIT_USAGE);
    }
    let paste = read(path)?;
    let t = route_paste(&paste, &ctx.catalog(err));
    Ok(print(&t, json, out, err))
}

/// Print a routed paste; the exit code.
pub fn print(t: &Triage, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if json {
        write_json(out, &json_of(t));
    } else {
        let _ = out.write_all(text_of(t).as_bytes());
        if t.candidates.is_empty() {
            let _ = writeln!(err, "tshoot: {}", t.no_code_message());
        }
    }
    if t.candidates.is_empty() {
        EXIT_PROBLEMS
    } else {
        EXIT_OK
    }
}

fn standing(s: Standing) -> &'static str {
    match s {
        Standing::Labelled => "labelled as the error code",
        Standing::Stated => "stated as the error",
        Standing::Mentioned => "mentioned",
    }
}

fn candidate_text(c: &Candidate, first: bool) -> String {
    let mut s = String::new();
    s.push_str(&sanitize(&c.code));
    if let Some(name) = &c.name {
        s.push_str("  ");
        s.push_str(&sanitize(name));
    }
    s.push_str(&format!(
        "  ({}, {}{})\n",
        c.where_found(),
        standing(c.standing),
        if first { "; opened first" } else { "" }
    ));
    s.push_str("  meaning: ");
    s.push_str(
        &c.meaning
            .as_deref()
            .map_or_else(|| "not in the code catalogue".to_owned(), sanitize),
    );
    s.push('\n');
    s.push_str("  guide:   ");
    match &c.guide {
        Some(g) => s.push_str(&format!("{} \"{}\"", sanitize(&g.id), sanitize(&g.title))),
        None => s.push_str(&format!(
            "generic (no guide for {} yet; `tshoot new {} -o {}.toml` starts one)",
            sanitize(&c.code),
            sanitize(&c.code),
            sanitize(&c.code.to_ascii_lowercase())
        )),
    }
    s.push('\n');
    s
}

fn values_text(v: &Extracted) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    let named = [
        ("Request ID", &v.request_id),
        ("Correlation ID", &v.correlation_id),
        ("Timestamp", &v.timestamp),
    ];
    for (label, value) in named {
        if let Some(value) = value {
            rows.push((label.to_owned(), value.clone()));
        }
    }
    rows.extend(v.other.iter().cloned());
    if rows.is_empty() {
        return String::new();
    }
    let w = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    let mut s = String::from("values:\n");
    for (label, value) in rows {
        s.push_str(&format!(
            "  {:<w$} {}\n",
            format!("{}:", sanitize(&label)),
            sanitize(&value)
        ));
    }
    s
}

fn text_of(t: &Triage) -> String {
    let mut s = String::new();
    match t.candidates.len() {
        0 => {}
        1 => s.push_str("1 error code found:\n"),
        n => s.push_str(&format!("{n} error codes found, the first is opened:\n")),
    }
    for (i, c) in t.candidates.iter().enumerate() {
        s.push_str(&candidate_text(c, i == 0 && t.candidates.len() > 1));
    }
    s.push_str(&values_text(&t.values));
    let mut notes: Vec<String> = Vec::new();
    if let Some(cut) = &t.cut {
        notes.push(format!(
            "the paste is longer than 1 MiB: {}",
            cut.sentence()
        ));
    }
    if t.binary && !t.candidates.is_empty() {
        notes.push("the paste looks like binary data, not text".to_owned());
    }
    notes.extend(t.values.notes.iter().map(|n| sanitize(n)));
    if !notes.is_empty() {
        s.push_str("notes:\n");
        for n in notes {
            s.push_str(&format!("  {n}\n"));
        }
    }
    s
}

fn json_of(t: &Triage) -> serde_json::Value {
    let candidates: Vec<serde_json::Value> = t
        .candidates
        .iter()
        .map(|c| {
            serde_json::json!({
                "code": c.code,
                "line": c.line,
                "standing": c.standing,
                "guide": c.guide_id(),
                "guide_title": c.guide.as_ref().map(|g| g.title.as_str()),
                "has_guide": c.guide.is_some(),
                "name": c.name,
                "meaning": c.meaning,
                "known": c.meaning.is_some(),
            })
        })
        .collect();
    let mut v = serde_json::json!({
        "candidates": candidates,
        "values": {
            "request_id": t.values.request_id,
            "correlation_id": t.values.correlation_id,
            "timestamp": t.values.timestamp,
            "other": t.values.other.iter().map(|(k, v)| serde_json::json!({"label": k, "value": v})).collect::<Vec<_>>(),
        },
        "notes": t.values.notes,
        "binary": t.binary,
        "cut": t.cut,
    });
    if t.candidates.is_empty()
        && let Some(map) = v.as_object_mut()
    {
        map.insert("error".into(), t.no_code_message().into());
    }
    v
}
