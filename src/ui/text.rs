//! Building wrapped pane text where each selectable item knows its line range, so the pane
//! can scroll to the highlight and a mouse click can find the item under it.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::ticket::extract::sanitize;

/// Lines of a pane, and the line range of each selectable item.
#[derive(Debug, Default)]
pub struct PaneText {
    pub lines: Vec<Line<'static>>,
    pub items: Vec<Range<usize>>,
    width: usize,
}

/// Column where item text starts; the highlight marker sits in column 0.
pub const GUTTER: usize = 2;

impl PaneText {
    pub fn new(width: u16) -> Self {
        Self {
            lines: Vec::new(),
            items: Vec::new(),
            width: usize::from(width).max(8),
        }
    }

    pub fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    /// A wrapped paragraph with `indent` columns before each line.
    pub fn para(&mut self, text: &str, indent: usize, style: Style) {
        let pad = " ".repeat(indent);
        for l in wrap(&sanitize(text), self.width.saturating_sub(indent)) {
            self.lines.push(Line::from(vec![
                Span::raw(pad.clone()),
                Span::styled(l, style),
            ]));
        }
    }

    /// A line made of spans, not wrapped (cut by the pane).
    pub fn line(&mut self, spans: Vec<Span<'static>>) {
        self.lines.push(Line::from(spans));
    }

    /// A selectable item: `prefix` (e.g. `1.` or `[x]`) then wrapped `text` hanging after it,
    /// then optional detail lines. Registers the item's line range.
    pub fn item(
        &mut self,
        prefix: Span<'static>,
        text: &str,
        style: Style,
        details: &[(String, Style)],
    ) {
        let start = self.lines.len();
        let pw = prefix.content.width() + 1;
        let hang = GUTTER + pw;
        let mut prefix = Some(prefix);
        for l in wrap(&sanitize(text), self.width.saturating_sub(hang)) {
            if let Some(prefix) = prefix.take() {
                self.lines.push(Line::from(vec![
                    Span::raw(" ".repeat(GUTTER)),
                    prefix,
                    Span::raw(" "),
                    Span::styled(l, style),
                ]));
            } else {
                self.lines.push(Line::from(vec![
                    Span::raw(" ".repeat(hang)),
                    Span::styled(l, style),
                ]));
            }
        }
        for (d, s) in details {
            self.para(d, hang, *s);
        }
        self.items.push(start..self.lines.len());
    }

    /// First line to show so that item `sel` is visible in `height` lines.
    pub fn offset_for(&self, sel: usize, height: usize) -> usize {
        let Some(r) = self.items.get(sel) else {
            return 0;
        };
        if r.end <= height {
            0
        } else {
            // Show a little context above the item when it fits.
            (r.end - height).min(r.start)
        }
    }

    /// The item at `line` (0-based line of the content), if any.
    pub fn item_at_line(&self, line: usize) -> Option<usize> {
        self.items.iter().position(|r| r.contains(&line))
    }
}

/// Greedy word wrap by display width; long words are split. Never returns an empty vec.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(4);
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        let mut lw = 0;
        for word in para.split(' ') {
            let mut word = word.to_owned();
            let mut ww = word.width();
            while ww > width {
                // Split a word longer than the line.
                if lw > 0 {
                    out.push(std::mem::take(&mut line));
                    lw = 0;
                }
                let mut cut = String::new();
                let mut cw = 0;
                let mut rest = String::new();
                for (i, ch) in word.char_indices() {
                    let w = UnicodeWidthStr::width(ch.encode_utf8(&mut [0; 4]) as &str);
                    if cw + w > width {
                        word[i..].clone_into(&mut rest);
                        break;
                    }
                    cut.push(ch);
                    cw += w;
                }
                out.push(cut);
                word = rest;
                ww = word.width();
            }
            if lw > 0 && lw + 1 + ww > width {
                out.push(std::mem::take(&mut line));
                lw = 0;
            }
            if lw > 0 {
                line.push(' ');
                lw += 1;
            }
            line.push_str(&word);
            lw += ww;
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_by_width_and_splits_long_words() {
        assert_eq!(wrap("aaa bbb ccc", 7), vec!["aaa bbb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(wrap("日本語テキスト", 6), vec!["日本語", "テキス", "ト"]);
    }

    #[test]
    fn items_know_their_lines() {
        let mut t = PaneText::new(20);
        t.para("heading", 0, Style::default());
        t.item(
            Span::raw("1."),
            "a long answer that wraps over lines",
            Style::default(),
            &[],
        );
        t.item(Span::raw("2."), "short", Style::default(), &[]);
        assert_eq!(t.items[0].start, 1);
        assert!(t.items[0].len() > 1);
        assert_eq!(t.item_at_line(t.items[1].start), Some(1));
        assert_eq!(t.offset_for(1, 100), 0);
        assert!(t.offset_for(1, 2) > 0);
    }
}
