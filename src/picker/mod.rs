//! The guide picker's state: a search query and the guides it matches, best first, by id,
//! aliases, title and tags. Guides that failed to load stay in the list, after the matches,
//! with their error. No terminal code here.
//!
//! Every keystroke filters the whole library again, so this is built for 10,000 guides in
//! under 2 ms a key (see `benches/engine.rs`, `picker_10000`):
//! - The ranking has tiers: the guide whose id or alias is the query, then guides holding
//!   every word of the query as it is (a cheap substring search over "id aliases title
//!   tags", lower-cased once), then fuzzy matches (nucleo's matcher, about 0.5 µs a guide).
//! - Fuzzy matching looks at "id aliases title" only: tags are single words, found by the
//!   substring tier; a shorter text matches less noise and costs less.
//! - Typing one more character can only narrow the matches, so only the previous matches are
//!   searched again.
//! - When many guides fall through to fuzzy matching, they are scored on two threads.
//!
//! A word of the query that starts with `#` or `tag:` filters by tag: `#mfa` keeps the
//! guides with a tag that starts with "mfa" (so `#cond` already finds conditional-access),
//! several such words keep the guides that have them all, and the other words of the query
//! are searched among those as usual. Saved cases and broken files have no tags, so a tag
//! filter hides them. A query without such a word is searched exactly as before.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

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
    /// A code of the last paste: index into its routed candidates (`App::routed`).
    Candidate(usize),
}

/// Search state.
pub struct Picker {
    pub query: String,
    /// Matching rows, best first.
    pub items: Vec<Item>,
    pub selection: usize,
    /// Per guide, the text searched for words as they are: "id aliases title tags", lower
    /// case.
    haystacks: Vec<String>,
    /// Per guide, where its id and aliases end in its haystack (for the exact-name check).
    names_end: Vec<usize>,
    /// Per guide, the text matched fuzzily: "id aliases title", lower case, ready for nucleo.
    fuzzy: Vec<Utf32String>,
    /// Per failed guide, its file name in lower case.
    broken: Vec<String>,
    /// Per guide, its tags in lower case (for `#tag` filters).
    tags: Vec<Box<[String]>>,
    /// Tags every guide has: they tell no guide apart, so row hints leave them out.
    common_tags: Vec<String>,
    /// Per unfinished session, the text searched: "guide-id title session-id code label".
    session_haystacks: Vec<String>,
    /// The last non-empty query and the guides it matched (for narrowing as one types).
    last_query: String,
    last_matches: Vec<usize>,
    /// One matcher per thread that scores (nucleo keeps its scratch space there).
    matchers: [Matcher; 2],
    /// How many codes of a paste are offered on top (0: no paste being routed).
    candidates: usize,
}

impl std::fmt::Debug for Picker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picker")
            .field("query", &self.query)
            .field("items", &self.items)
            .field("selection", &self.selection)
            .finish_non_exhaustive()
    }
}

impl Picker {
    pub fn new(cat: &Catalog) -> Self {
        let mut haystacks = Vec::with_capacity(cat.items.len());
        let mut fuzzy = Vec::with_capacity(cat.items.len());
        let mut names_end = Vec::with_capacity(cat.items.len());
        let mut h = String::with_capacity(128);
        for e in &cat.items {
            let g = &e.meta;
            h.clear();
            h.push_str(&g.id);
            for a in &g.aliases {
                h.push(' ');
                h.push_str(a);
            }
            // Lower-cased apart, so that `names_end` is measured in the lower-case text.
            let mut lower = h.to_lowercase();
            names_end.push(lower.len());
            lower.push(' ');
            lower.push_str(&g.title.to_lowercase());
            fuzzy.push(Utf32String::from(lower.as_str()));
            for t in &g.tags {
                lower.push(' ');
                lower.push_str(&t.to_lowercase());
            }
            haystacks.push(lower);
        }
        let tags: Vec<Box<[String]>> = cat
            .items
            .iter()
            .map(|e| e.meta.tags.iter().map(|t| t.to_lowercase()).collect())
            .collect();
        let mut common_tags: Vec<String> = match tags.as_slice() {
            [first, _, ..] => first.to_vec(),
            _ => Vec::new(),
        };
        common_tags.retain(|t| tags.iter().all(|ts| ts.contains(t)));
        let broken = cat
            .broken
            .iter()
            .map(|f| f.origin.to_string().to_lowercase())
            .collect();
        let mut p = Self {
            query: String::new(),
            items: Vec::new(),
            selection: 0,
            haystacks,
            fuzzy,
            names_end,
            tags,
            common_tags,
            broken,
            session_haystacks: Vec::new(),
            last_query: String::new(),
            last_matches: Vec::new(),
            matchers: [Matcher::new(Config::DEFAULT), Matcher::new(Config::DEFAULT)],
            candidates: 0,
        };
        p.refilter(cat);
        p
    }

    /// The unfinished cases to offer on top, newest first.
    pub fn set_sessions(&mut self, cat: &Catalog, sessions: &[crate::session::Session]) {
        self.session_haystacks = sessions
            .iter()
            .map(|s| {
                format!(
                    "{} {} {} {} {}",
                    s.case.guide_id,
                    s.guide_title,
                    s.id,
                    s.code.as_deref().unwrap_or(""),
                    crate::session::summary::label_of(&s.case)
                )
            })
            .collect();
        self.refilter(cat);
    }

    /// Offer `n` codes of a paste on top of the list, the first highlighted (0 takes them
    /// away).
    pub fn set_candidates(&mut self, cat: &Catalog, n: usize) {
        self.candidates = n;
        self.refilter(cat);
    }

    /// How many codes of a paste are offered.
    pub fn candidates(&self) -> usize {
        self.candidates
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

    /// Guide `i`'s tags that tell it apart (not those every guide has), for a row's hint.
    pub fn distinctive_tags(&self, i: usize) -> impl Iterator<Item = &str> {
        self.tags
            .get(i)
            .into_iter()
            .flat_map(|ts| ts.iter())
            .filter(|t| !self.common_tags.contains(t))
            .map(String::as_str)
    }

    /// Recompute the matches for the current query; the highlight goes to the best match.
    fn refilter(&mut self, cat: &Catalog) {
        self.items.clear();
        self.selection = 0;
        self.items.extend((0..self.candidates).map(Item::Candidate));
        let query = std::mem::take(&mut self.query);
        if let Some((filters, rest)) = tag_filters(query.trim()) {
            self.refilter_tagged(&filters, &rest);
        } else {
            self.refilter_plain(cat, query.trim());
        }
        self.query = query;
    }

    /// A query with `#tag` words: the guides with those tags, searched for the other words.
    fn refilter_tagged(&mut self, filters: &[String], rest: &str) {
        // The narrowing shortcut holds only between plain queries.
        self.last_query.clear();
        self.last_matches.clear();
        let tagged: Vec<usize> = (0..self.tags.len())
            .filter(|&i| {
                self.tags.get(i).is_some_and(|ts| {
                    filters
                        .iter()
                        .all(|f| ts.iter().any(|t| t.starts_with(f.as_str())))
                })
            })
            .collect();
        if rest.is_empty() {
            self.items.extend(tagged.into_iter().map(Item::Guide));
            return;
        }
        let plain = !rest.contains(['^', '$', '!', '\'', '\\']);
        let scored = self.rank(rest, &tagged, plain);
        self.items
            .extend(scored.into_iter().map(|k| Item::Guide(index_of_key(k))));
    }

    fn refilter_plain(&mut self, cat: &Catalog, q: &str) {
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
                .score(Utf32Str::new(h, &mut buf), &mut self.matchers[0])
                .is_some()
            {
                self.items.push(Item::Session(i));
            }
        }
        // Plain queries, without nucleo's ^ $ ! ' operators, get the substring tier; typing
        // one more character can only narrow their matches: score only the previous ones.
        let plain = !q.contains(['^', '$', '!', '\'', '\\']);
        let narrowing =
            plain && !self.last_query.is_empty() && q.starts_with(self.last_query.as_str());
        let mut candidates = if narrowing {
            std::mem::take(&mut self.last_matches)
        } else {
            (0..self.haystacks.len()).collect()
        };
        let lower = q.to_lowercase();
        let scored = self.rank(q, &candidates, plain);
        candidates.clear();
        candidates.extend(scored.iter().map(|&k| index_of_key(k)));
        candidates.sort_unstable();
        self.last_matches = candidates;
        q.clone_into(&mut self.last_query);
        self.items
            .extend(scored.into_iter().map(|k| Item::Guide(index_of_key(k))));
        self.items.extend(
            self.broken
                .iter()
                .enumerate()
                .filter(|(_, f)| f.contains(&lower))
                .map(|(i, _)| Item::Failed(i)),
        );
    }
    /// The guides among `candidates` that match `q`, as sort keys, best first: the exact id or
    /// alias, then every word as it is (when `plain`), then fuzzy matches.
    fn rank(&mut self, q: &str, candidates: &[usize], plain: bool) -> Vec<u64> {
        let pattern = Pattern::parse(q, CaseMatching::Ignore, Normalization::Smart);
        let lower = q.to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        // An id or alias is one word: only a one-word query can be one.
        let one_word = words.len() == 1;
        // Sort key: exact id or alias first, then score, then library order, in one u64.
        let key = |exact: bool, score: u32, i: usize| {
            (u64::from(!exact) << 63)
                | (u64::from(u32::MAX - score) << 31)
                | (i as u64 & 0x7fff_ffff)
        };
        let mut scored: Vec<u64> = Vec::with_capacity(candidates.len());
        let mut rest = Vec::new();
        for &i in candidates {
            let Some(h) = self.haystacks.get(i) else {
                continue;
            };
            match substring_score(h, &words).filter(|_| plain) {
                Some(s) => {
                    // Exactly the id or an alias: a whole word of the haystack's names part (read
                    // there, not in the catalog, whose scattered strings cost a cache miss each).
                    let exact = one_word
                        && self.names_end.get(i).is_some_and(|&end| {
                            h.get(..end)
                                .is_some_and(|names| names.split(' ').any(|n| n == lower))
                        });
                    scored.push(key(exact, s, i));
                }
                None => rest.push(i),
            }
        }
        // The rest through nucleo's fuzzy matcher, on two threads when there are many. When
        // thousands fall through, nucleo's greedy matcher ranks them (twice as fast, ranks
        // coarser); a few more keys bring them under the bar and the optimal one ranks again.
        let greedy = plain && rest.len() > OPTIMAL_UP_TO;
        let fuzzy = &self.fuzzy;
        let score = |part: &[usize], m: &mut Matcher| -> Vec<u64> {
            part.iter()
                .filter_map(|&i| {
                    let h = fuzzy.get(i)?.slice(..);
                    let s = if greedy {
                        pattern.atoms.iter().try_fold(0, |sum, a| {
                            Some(sum + u32::from(m.fuzzy_match_greedy(h, a.needle_text())?))
                        })?
                    } else {
                        pattern.score(h, m)?
                    };
                    Some(key(false, s, i))
                })
                .collect()
        };
        let [m0, m1] = &mut self.matchers;
        if rest.len() >= PARALLEL_FROM {
            let (a, b) = rest.split_at(rest.len() / 2);
            let (ra, rb) = std::thread::scope(|s| {
                let other = s.spawn(|| score(b, m1));
                let mine = score(a, m0);
                (mine, other.join())
            });
            scored.extend(ra);
            // A panicked scorer loses only its own half's fuzzy matches.
            scored.extend(rb.unwrap_or_default());
        } else {
            scored.extend(score(&rest, m0));
        }
        scored.sort_unstable();
        scored
    }
}

/// The guide index held in a sort key of [`Picker::rank`].
fn index_of_key(k: u64) -> usize {
    usize::try_from(k & 0x7fff_ffff).unwrap_or(usize::MAX)
}

/// The tag filters of a query (`#mfa`, `tag:mfa`, lower-cased, without the marker; an empty
/// one is left out) and the query's other words; `None` when the query has no such word.
fn tag_filters(q: &str) -> Option<(Vec<String>, String)> {
    let mut tagged = false;
    let mut filters = Vec::new();
    let mut rest = Vec::new();
    for word in q.split_whitespace() {
        let tag = word.strip_prefix('#').or_else(|| {
            word.get(..4)
                .filter(|p| p.eq_ignore_ascii_case("tag:"))
                .and_then(|_| word.get(4..))
        });
        match tag {
            Some(t) => {
                tagged = true;
                if !t.is_empty() {
                    filters.push(t.to_lowercase());
                }
            }
            None => rest.push(word),
        }
    }
    tagged.then(|| (filters, rest.join(" ")))
}

/// Up to how many fuzzy candidates nucleo's optimal matcher ranks them (about 0.5 µs each).
const OPTIMAL_UP_TO: usize = 1500;

/// From how many fuzzy candidates scoring is split over two threads (a thread costs about
/// 30 µs; a candidate about 0.5 µs).
const PARALLEL_FROM: usize = 1000;

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
mod tests;
