//! Words: what the flow and the links are guessed from. Word overlap between items, with
//! stop words removed and rare words weighted up.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A match must score at least this share of the best match to be kept.
const KEEP_SHARE: f64 = 0.5;

#[rustfmt::skip]
const STOP: &[&str] = &[
    "a", "about", "above", "across", "after", "again", "against", "all", "also", "an", "and",
    "any", "are", "as", "at", "be", "been", "being", "both", "but", "by", "can", "could", "do",
    "does", "doing", "done", "down", "during", "each", "either", "etc", "for", "from", "further",
    "had", "has", "have", "having", "here", "how", "if", "in", "into", "is", "it", "its", "just",
    "may", "might", "more", "most", "must", "no", "nor", "not", "now", "of", "off", "on", "once",
    "only", "or", "other", "our", "out", "over", "own", "same", "should", "so", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "throughout", "to", "too", "under", "until", "up", "upon", "very", "via", "was",
    "we", "were", "what", "when", "where", "whether", "which", "while", "who", "why", "will",
    "with", "within", "without", "would", "you", "your", "yours",
    // Words every troubleshooting document uses everywhere: they link nothing to anything.
    "check", "checks", "ensure", "make", "sure", "correct", "properly", "proper", "specific",
    "use", "using", "used", "error", "errors", "issue", "issues", "problem", "problems", "step",
    "steps", "user", "users", "need", "needed", "needs", "new", "see", "get", "set", "help",
    "able", "based", "case", "cases", "different", "particular", "certain", "relevant",
    "appropriate", "necessary", "attempt", "review", "verify", "consider",
];

/// The stem of a lowercase word: a few English suffixes off, so "sessions" meets "session" and
/// "configured" meets "configuration" ("configur").
fn stem(w: &str) -> String {
    const SUFFIXES: [&str; 12] = [
        "ations", "ation", "ings", "ing", "ments", "ment", "ness", "ies", "es", "ed", "e", "s",
    ];
    for suf in SUFFIXES {
        if let Some(base) = w.strip_suffix(suf)
            && base.chars().count() >= 4
        {
            return if suf == "ies" {
                format!("{base}y")
            } else {
                base.to_owned()
            };
        }
    }
    w.to_owned()
}

/// The meaningful words of a text: stem -> the word as first written (for the comments).
pub(super) fn words(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
    {
        out.entry(stem(&w)).or_insert(w);
    }
    out
}

/// The words of an item: all of them, and those of its title.
#[derive(Debug, Clone, Default)]
pub(super) struct Bag {
    all: BTreeMap<String, String>,
    title: BTreeSet<String>,
}

impl Bag {
    pub(super) fn new(title: &str, rest: &[&str]) -> Self {
        let mut all = words(title);
        let title = all.keys().cloned().collect();
        for r in rest {
            for (k, v) in words(r) {
                all.entry(k).or_insert(v);
            }
        }
        Self { all, title }
    }
}

/// How well `a` matches each of `candidates`: the shared words, each weighted by how rare it
/// is among the candidates (a word every candidate has tells them apart not at all), a word in
/// both titles counting three times: titles name what an item is about. Returns the score and
/// the shared words (as `a` writes them).
#[expect(
    clippy::cast_precision_loss,
    reason = "counts of candidates and words, far below 2^52"
)]
pub(super) fn scores(a: &Bag, candidates: &[Bag]) -> Vec<(f64, Vec<String>)> {
    let n = candidates.len() as f64;
    let mut df: HashMap<&str, usize> = HashMap::new();
    for c in candidates {
        for w in c.all.keys() {
            *df.entry(w.as_str()).or_default() += 1;
        }
    }
    candidates
        .iter()
        .map(|c| {
            let shared: Vec<&String> = a.all.keys().filter(|w| c.all.contains_key(*w)).collect();
            let score = shared
                .iter()
                .map(|&w| {
                    let idf = (1.0 + n / df.get(w.as_str()).copied().unwrap_or(1) as f64).ln();
                    let bonus = if a.title.contains(w) && c.title.contains(w) {
                        3.0
                    } else {
                        1.0
                    };
                    idf * bonus
                })
                .sum();
            (score, shared.iter().map(|w| a.all[*w].clone()).collect())
        })
        .collect()
}

/// The candidates worth keeping from `scored`: positive, at least [`KEEP_SHARE`] of the best,
/// best first (ties in document order), at most `max`.
pub(super) fn best(scored: &[(f64, Vec<String>)], max: usize) -> Vec<usize> {
    let top = scored.iter().map(|s| s.0).fold(0.0, f64::max);
    if top <= 0.0 {
        return Vec::new();
    }
    let mut keep: Vec<usize> = (0..scored.len())
        .filter(|&i| scored[i].0 > 0.0 && scored[i].0 >= top * KEEP_SHARE)
        .collect();
    keep.sort_by(|&a, &b| scored[b].0.total_cmp(&scored[a].0).then(a.cmp(&b)));
    keep.truncate(max);
    keep
}
