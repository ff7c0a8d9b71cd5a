//! `tshoot sessions` (list, `--prune`) and `tshoot export`: the saved cases, without a terminal.

use std::io::Write;

use super::{Ctx, Failure, Outcome};
use crate::cli::{self, EXIT_OK, ExportFormat};
use crate::session::{SessionError, Store};

/// `tshoot sessions [--json] [--all] [--prune DAYS]`.
pub fn sessions(
    ctx: &Ctx,
    json: bool,
    all: bool,
    prune: Option<u64>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let store = ctx.store()?;
    if let Some(days) = prune {
        sweep(store, err);
        let cutoff = crate::session::days_ago(std::time::SystemTime::now(), days);
        let gone = store.prune(&cutoff)?;
        let _ = writeln!(
            out,
            "deleted {} closed case{} last changed before {cutoff}",
            gone.len(),
            if gone.len() == 1 { "" } else { "s" }
        );
    }
    // Parse only the guides the listed cases use.
    let listing = store.list();
    let ids: Vec<&str> = listing
        .as_ref()
        .map(|(l, _)| l.iter().map(|s| s.case.guide_id.as_str()).collect())
        .unwrap_or_default();
    let lib = ctx.guides_named(&ids, err);
    Ok(cli::sessions(&lib, store, listing, json, all, out, err))
}

/// `tshoot export [ID] [--format markdown|json]`: one case (the newest without an id).
pub fn export(
    ctx: &Ctx,
    id: Option<&str>,
    format: ExportFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let store = ctx.store()?;
    let swept = sweep(store, err);
    let found = match id {
        Some(id) => store.find(id).map(Some),
        None => store.list().map(|(l, _)| l.into_iter().next()),
    };
    let session = match found {
        Err(_) if named_unusable(store, id, &swept) => return Err(Failure::Reported),
        Err(e) => return Err(e.into()),
        Ok(None) => return Err(Failure::NoCases(store.dir.clone())),
        Ok(Some(s)) => s,
    };
    let lib = ctx.guides_named(&[&session.case.guide_id], err);
    let guide = lib.find(&session.case.guide_id).map(|e| &e.guide);
    let mut redactor = crate::ticket::redact::Redactor::new();
    match format {
        ExportFormat::Markdown => {
            let text = crate::session::export::markdown(&session, guide);
            let text = if ctx.redact() {
                redactor.text(&text)
            } else {
                text
            };
            let _ = out.write_all(text.as_bytes());
        }
        ExportFormat::Json => {
            let mut v = crate::session::export::json(&session, guide);
            if ctx.redact() {
                redactor.json(&mut v);
            }
            crate::cli::write_json(out, &v);
        }
    }
    Ok(EXIT_OK)
}

/// Read the store once so that unreadable session files are reported (naming the file and
/// where it was moved aside) before an operation that would pass over them in silence.
pub fn sweep(store: &Store, err: &mut dyn Write) -> Vec<SessionError> {
    match store.list() {
        Ok((_, bad)) => {
            for b in &bad {
                let _ = writeln!(err, "tshoot: {b}");
            }
            bad
        }
        Err(_) => Vec::new(),
    }
}

/// Whether the session named `id` is one [`sweep`] just reported (so there is nothing to add).
pub fn named_unusable(store: &Store, id: Option<&str>, swept: &[SessionError]) -> bool {
    id.is_some_and(|id| {
        let path = store.path_of(id).display().to_string();
        swept.iter().any(|e| e.file() == Some(path.as_str()))
    })
}
