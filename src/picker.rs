//! The guide picker's state: a search query and the guides it matches, best first (fuzzy, by
//! id, aliases, title and tags, with nucleo's matcher). Guides that failed to load stay in
//! the list, after the matches, with their error. No terminal code here.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::guide::catalog::Catalog;

/// One row of the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// An unfinished saved case: index into `App::sessions`.
    Session(usize),
    /// Index into `Catalog::items`.
    Guide(usize),
    /// Index into `Catalog::broken`.
    Failed(usize),
}

/// Search state.
pub struct Picker {
    pub query: String,
    /// Matching rows, best first.
    pub items: Vec<Item>,
    pub selection: usize,
    /// Per guide, the text searched: "id aliases title tags".
    haystacks: Vec<String>,
    /// Per unfinished session, the text searched: "guide-id title session-id".
    session_haystacks: Vec<String>,
    /// The last non-empty query and the guides it matched (for narrowing as one types).
    last_query: String,
    last_matches: Vec<usize>,
    matcher: Matcher,
}

impl std::fmt::Debug for Picker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picker")
            .field("query", &self.query)
            .field("items", &self.items)
            .field("selection", &self.selection)
            .finish()
    }
}

impl Picker {
    pub fn new(cat: &Catalog) -> Self {
        let haystacks = cat
            .items
            .iter()
            .map(|e| {
                let g = &e.meta;
                let mut h = String::with_capacity(64);
                h.push_str(&g.id);
                for a in &g.aliases {
                    h.push(' ');
                    h.push_str(a);
                }
                h.push(' ');
                h.push_str(&g.title);
                for t in &g.tags {
                    h.push(' ');
                    h.push_str(t);
                }
                h.to_lowercase()
            })
            .collect();
        let mut p = Self {
            query: String::new(),
            items: Vec::new(),
            selection: 0,
            haystacks,
            session_haystacks: Vec::new(),
            last_query: String::new(),
            last_matches: Vec::new(),
            matcher: Matcher::new(Config::DEFAULT),
        };
        p.refilter(cat);
        p
    }

    /// The unfinished cases to offer on top, newest first.
    pub fn set_sessions(&mut self, cat: &Catalog, sessions: &[crate::session::Session]) {
        self.session_haystacks = sessions
            .iter()
            .map(|s| format!("{} {} {}", s.case.guide_id, s.guide_title, s.id))
            .collect();
        self.refilter(cat);
    }

    pub fn set_query(&mut self, cat: &Catalog, q: &str) {
        q.clone_into(&mut self.query);
        self.refilter(cat);
    }

    pub fn type_char(&mut self, cat: &Catalog, c: char) {
        if !c.is_control() && self.query.chars().count() < 200 {
            self.query.push(c);
            self.refilter(cat);
        }
    }

    pub fn erase(&mut self, cat: &Catalog) {
        if self.query.pop().is_some() {
            self.refilter(cat);
        }
    }

    pub fn erase_word(&mut self, cat: &Catalog) {
        let trimmed = self.query.trim_end();
        let cut = trimmed.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        self.query.truncate(cut);
        self.refilter(cat);
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.items.is_empty() {
            self.selection = 0;
            return;
        }
        self.selection = self
            .selection
            .saturating_add_signed(delta)
            .min(self.items.len() - 1);
    }

    pub fn selected(&self) -> Option<Item> {
        self.items.get(self.selection).copied()
    }

    /// Recompute the matches for the current query; the highlight goes to the best match.
    fn refilter(&mut self, cat: &Catalog) {
        self.items.clear();
        self.selection = 0;
        let q = self.query.trim();
        if q.is_empty() {
            self.last_query.clear();
            self.items
                .extend((0..self.session_haystacks.len()).map(Item::Session));
            self.items.extend((0..cat.items.len()).map(Item::Guide));
            self.items.extend((0..cat.broken.len()).map(Item::Failed));
            return;
        }
        let pattern = Pattern::parse(q, CaseMatching::Ignore, Normalization::Smart);
        let mut buf = Vec::new();
        for (i, h) in self.session_haystacks.iter().enumerate() {
            if pattern
                .score(Utf32Str::new(h, &mut buf), &mut self.matcher)
                .is_some()
            {
                self.items.push(Item::Session(i));
            }
        }
        // Typing one more character can only narrow the matches (for plain queries, without
        // nucleo's ^ $ ! ' operators): score only the previous matches then.
        let narrowing = !self.last_query.is_empty()
            && q.starts_with(self.last_query.as_str())
            && !q.contains(['^', '$', '!', '\'', '\\']);
        let candidates: Vec<usize> = if narrowing {
            std::mem::take(&mut self.last_matches)
        } else {
            (0..self.haystacks.len()).collect()
        };
        // Sort key: exact id or alias first, then score, then library order (computed once per
        // match, not per comparison).
        let plain = !q.contains(['^', '$', '!', '\'', '\\']);
        let lower = q.to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let mut scored: Vec<(bool, std::cmp::Reverse<u32>, usize)> = candidates
            .into_iter()
            .filter_map(|i| {
                let h = self.haystacks.get(i)?;
                // Every word found as it is: a cheap score, ranked above fuzzy matches. Only
                // the rest go through nucleo's fuzzy matcher (about 2 µs a guide).
                let s = (if plain {
                    substring_score(h, &words)
                } else {
                    None
                })
                .or_else(|| pattern.score(Utf32Str::new(h, &mut buf), &mut self.matcher))?;
                Some((!cat.items[i].meta.answers_to(q), std::cmp::Reverse(s), i))
            })
            .collect();
        scored.sort_unstable();
        self.last_matches = scored.iter().map(|&(_, _, i)| i).collect();
        self.last_matches.sort_unstable();
        q.clone_into(&mut self.last_query);
        self.items
            .extend(scored.into_iter().map(|(_, _, i)| Item::Guide(i)));
        let ql = q.to_lowercase();
        self.items.extend(
            cat.broken
                .iter()
                .enumerate()
                .filter(|(_, f)| f.origin.to_string().to_lowercase().contains(&ql))
                .map(|(i, _)| Item::Failed(i)),
        );
    }
}

/// Score for a haystack (lower case) holding every word as a substring, else `None`. Earlier
/// and word-initial occurrences score higher; any such match outranks a fuzzy one.
fn substring_score(haystack: &str, words: &[&str]) -> Option<u32> {
    const SUBSTRING_TIER: u32 = 1 << 24;
    let mut score = SUBSTRING_TIER;
    for w in words {
        let pos = haystack.find(w)?;
        let word_start = pos == 0 || !haystack.as_bytes()[pos - 1].is_ascii_alphanumeric();
        score +=
            4096 - u32::try_from(pos.min(4095)).unwrap_or(4095) + if word_start { 4096 } else { 0 };
    }
    Some(score)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guide::{Library, Origin};

    fn lib() -> Catalog {
        let mut lib = Library::load(&[]);
        let base = crate::guide::load::BUNDLED[0].1;
        let other = base
            .replace("id = \"AADSTS50143\"", "id = \"AADSTS50058\"")
            .replace("aliases = [\"50143\"]", "aliases = [\"50058\"]")
            .replace(
                "title = \"Session mismatch\"",
                "title = \"Silent sign-in failed\"",
            );
        lib.add(Origin::Bundled("other.toml"), &other);
        lib.add(Origin::Bundled("broken.toml"), "format = 1\nid = 3");
        Catalog::from_library(&lib)
    }

    #[test]
    fn empty_query_lists_all_with_failures_last() {
        let l = lib();
        let p = Picker::new(&l);
        assert_eq!(
            p.items,
            vec![Item::Guide(0), Item::Guide(1), Item::Failed(0)]
        );
    }

    #[test]
    fn typing_the_number_finds_the_guide() {
        let l = lib();
        let mut p = Picker::new(&l);
        for c in "50143".chars() {
            p.type_char(&l, c);
        }
        assert_eq!(p.selected(), Some(Item::Guide(0)));
        assert!(!p.items.contains(&Item::Guide(1)));
        p.set_query(&l, "silent");
        assert_eq!(p.items, vec![Item::Guide(1)]);
        p.set_query(&l, "brok");
        assert_eq!(p.items, vec![Item::Failed(0)]);
        p.set_query(&l, "sesn mismtch");
        assert_eq!(p.selected(), Some(Item::Guide(0)), "fuzzy");
    }

    #[test]
    fn erase_and_move_stay_in_bounds() {
        let l = lib();
        let mut p = Picker::new(&l);
        p.erase(&l);
        p.move_by(-5);
        assert_eq!(p.selection, 0);
        p.move_by(99);
        assert_eq!(p.selection, 2);
        p.set_query(&l, "zzzzqqq");
        p.move_by(1);
        assert_eq!(p.selected(), None);
        p.set_query(&l, "aad sts");
        p.erase_word(&l);
        assert_eq!(p.query, "aad ");
    }
}
