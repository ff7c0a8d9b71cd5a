//! The diagnostics pane: the current step's instructions, its question and answers, and the
//! trail of earlier answers.

use ratatui::text::Span;

use super::text::PaneText;
use crate::app::{App, WizardUi};
use crate::guide::Guide;
use crate::wizard::{Position, view};

pub fn content(app: &App, w: &WizardUi, guide: &Guide, width: u16) -> PaneText {
    let t = &app.theme;
    let case = &w.wizard.case;
    let mut p = PaneText::new(width);
    if let Some(e) = app.preview.as_ref().and_then(|v| v.error.as_deref()) {
        p.para(&format!("⚠ The saved file does not load: {e}"), 0, t.bad);
        p.para("Shown: the last version that loaded.", 0, t.dim);
        p.blank();
    }
    if let Some(code) = &w.session.code {
        p.para(&crate::app_paste::code_line(code), 0, t.warn);
        p.blank();
    }
    let replay = case.replay(guide);
    match replay.position {
        Position::Step(i) => {
            let step = &guide.steps[i];
            let prog = view::progress(guide, case);
            p.para(
                &format!(
                    "Step {} of {} · {}",
                    prog.answered + 1,
                    prog.steps_total.max(prog.answered + 1),
                    step.title
                ),
                0,
                t.heading,
            );
            if !step.text.is_empty() {
                p.para(&step.text, 0, ratatui::style::Style::default());
            }
            p.blank();
            match &step.ask {
                Some(q) => {
                    p.para(q, 0, t.accent);
                    for (k, a) in step.answers.iter().enumerate() {
                        let key = if k < 9 {
                            format!("{}.", k + 1)
                        } else {
                            " ·".to_owned()
                        };
                        p.item(
                            Span::styled(key, t.accent),
                            &a.label,
                            ratatui::style::Style::default(),
                            &[],
                        );
                    }
                }
                None => p.item(
                    Span::styled("1.", t.accent),
                    "Done, continue",
                    ratatui::style::Style::default(),
                    &[],
                ),
            }
        }
        Position::Done(stage) => {
            p.para("Diagnostics complete.", 0, t.heading);
            p.blank();
            p.item(
                Span::styled("→", t.accent),
                &format!("Continue to {}", stage.title().to_lowercase()),
                t.accent,
                &[],
            );
        }
    }
    if !case.trail.is_empty() {
        p.blank();
        p.para("Answered so far", 0, t.heading);
        for (k, given) in case.trail.iter().enumerate() {
            let title = replay.steps[k]
                .map_or_else(|| given.step.clone(), |s| guide.steps[s].title.clone());
            let stale = replay.stale.iter().any(|(i, _)| *i == k);
            let mark = if stale { "! " } else { "✓ " };
            p.para(
                &format!("{mark}{title}: {}", given.label),
                1,
                if stale { t.warn } else { t.dim },
            );
        }
    }
    for (_, why) in &replay.stale {
        p.para(&format!("! {why}"), 1, t.warn);
    }
    p
}
