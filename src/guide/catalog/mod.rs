//! The catalog: which guides exist, with the few fields the picker and `tshoot list` need
//! (id, title, aliases, tags), without parsing every guide on every start.
//!
//! A team's library can hold thousands of guides, and a full parse and validation costs about
//! 0.15 ms each: 1.5 s of CPU for 10,000 guides. So the catalog reads only each guide's
//! *header*, the top-level keys before its first table (`format`, `id`, `title`, `summary`,
//! `revision`, `aliases`, `tags`), with a small reader of its own ([`header_meta`]). That
//! reader knows only the plain forms guides use (bare keys, strings without escapes, arrays of
//! such strings, comments); on anything else, and on any header a full parse would reject
//! (format, empty or spaced id, empty title), it gives up and the file gets the full parse
//! with its exact `path:line:col` error. TOML puts every top-level key before the first table,
//! so the header alone decides the fields listed.
//!
//! What is awkward: a guide whose header is fine but whose body is broken (an unknown `next`,
//! a syntax error in a step) is listed as if it were fine. Its error appears when it is opened
//! ([`Catalog::ensure_loaded`] parses and validates the whole guide, every time), and `tshoot
//! check` reads every file in full. That is the price of a one-second first start over ten
//! thousand guides.
//!
//! The index in the cache dir (`$XDG_CACHE_HOME/tshoot/index-v2.bin`, or `$TSHOOT_CACHE_DIR`)
//! keeps those fields keyed by each file's path, size and modification time: a file whose size
//! or mtime changed is read again. A guide is always parsed afresh when it is opened, so the
//! index can make a listing slightly old but never serves a stale or broken guide. The index
//! is a compact binary file with a checksum (JSON cost 40 ms a start over 10,000 guides); a
//! missing, damaged or foreign index is rebuilt silently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::diag::Diagnostic;
use super::load::{BUNDLED, Folder, Origin, ParsedFile, parse_file, read_text};
use super::model::{FORMAT, Guide};
use super::validate::parse;

/// Index format version (in the file name, so an index of another version is simply not read).
const INDEX_FILE: &str = "index-v2.bin";
/// First bytes of an index file.
const INDEX_MAGIC: &[u8; 16] = b"tshoot-index-v2\n";

/// What the picker and `list` know of a guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
}

impl Meta {
    fn of(g: &Guide) -> Self {
        Self {
            id: g.id.to_string(),
            title: g.title.clone(),
            aliases: g.aliases.iter().map(ToString::to_string).collect(),
            tags: g.tags.clone(),
        }
    }

    /// Whether `query` is this guide's id or one of its aliases (case-insensitive).
    pub fn answers_to(&self, query: &str) -> bool {
        self.id.eq_ignore_ascii_case(query)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(query))
    }
}

/// A guide in the catalog.
#[derive(Debug, Clone)]
pub struct Item {
    pub origin: Origin,
    pub meta: Meta,
}

/// A guide file that does not load, with its first problem.
#[derive(Debug, Clone)]
pub struct Broken {
    pub origin: Origin,
    pub summary: String,
}

/// Every guide tshoot can open.
#[derive(Debug, Default, Clone)]
pub struct Catalog {
    pub items: Vec<Item>,
    pub broken: Vec<Broken>,
    /// Overrides, missing folders, an index that could not be written.
    pub notices: Vec<String>,
    /// Files read during this scan (the rest came from the index).
    pub parsed: usize,
    by_id: HashMap<String, usize>,
}

impl Catalog {
    /// The catalog of the bundled guides and `folders`, using and refreshing the index at
    /// `index_dir` (no index when `None`).
    pub fn scan(folders: &[Folder], index_dir: Option<&Path>) -> Self {
        let mut cat = Self::default();
        for (name, src) in BUNDLED {
            let path = format!("<bundled>/{name}");
            let meta = header_meta(src).map_or_else(|| summarize(parse(&path, src)), Ok);
            cat.add(Origin::Bundled(name), meta);
        }
        let index_path = index_dir.map(|d| d.join(INDEX_FILE));
        let old_bytes = index_path
            .as_deref()
            .and_then(|p| crate::fsread::read_regular(p, 1 << 30).ok())
            .unwrap_or_default();
        let mut old = decode_index(&old_bytes).unwrap_or_default();
        let mut files = Vec::new();
        for folder in folders {
            match std::fs::metadata(&folder.path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    if folder.explicit {
                        cat.notices.push(format!(
                            "guide folder {} does not exist (create it, or fix the path)",
                            folder.path.display()
                        ));
                    }
                }
                Err(e) => cat.notices.push(format!(
                    "guide folder {} cannot be read: {e} (check its permissions, or remove it from the config)",
                    folder.path.display()
                )),
                Ok(m) if !m.is_dir() => files.push(folder.path.clone()),
                Ok(_) => {
                    let mut found = Vec::new();
                    walk(&folder.path, 0, &mut found, &mut cat.notices);
                    // Byte order of the paths: as deterministic as component order, much cheaper.
                    found.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
                    files.extend(found);
                }
            }
        }
        // Stat every file, on every core (10,000 stats are most of a warm start); reuse the
        // index where size and mtime agree, read the rest.
        let stats = super::load::parallel_map(
            &files,
            |p| std::fs::metadata(p).map_or((0, 0), |m| stat_of(&m)),
            |_| (0, 0),
        );
        let mut used = 0;
        let mut metas: Vec<Option<Result<Meta, String>>> = files
            .iter()
            .zip(&stats)
            .map(|(p, &(size, mtime_ns))| {
                let e = old.get_mut(p.as_os_str().as_encoded_bytes())?;
                if e.size != size || e.mtime_ns != mtime_ns || size == 0 {
                    return None;
                }
                used += 1;
                e.meta.take()
            })
            .collect();
        let todo: Vec<usize> = (0..files.len()).filter(|&i| metas[i].is_none()).collect();
        cat.parsed = todo.len();
        let fresh = read_parallel(&files, &todo);
        for (i, meta) in todo.iter().zip(fresh) {
            metas[*i] = Some(meta);
        }
        let metas: Vec<Result<Meta, String>> = metas
            .into_iter()
            .zip(&files)
            .map(|(m, p)| m.unwrap_or_else(|| Err(format!("{}: could not be read", p.display()))))
            .collect();
        // The index is rewritten only when something changed.
        if let Some(p) = index_path.filter(|_| cat.parsed > 0 || used != old.len())
            && let Err(e) = write_index(&p, &encode_index(&files, &stats, &metas))
        {
            cat.notices.push(format!(
                "could not write the guide index {}: {e}",
                p.display()
            ));
        }
        drop(old);
        cat.items.reserve(files.len());
        for (path, meta) in files.into_iter().zip(metas) {
            cat.add(Origin::File(path), meta);
        }
        cat
    }

    fn add(&mut self, origin: Origin, meta: Result<Meta, String>) {
        match meta {
            Ok(meta) => {
                let key = meta.id.to_ascii_lowercase();
                if let Some(&i) = self.by_id.get(&key) {
                    let old = &self.items[i].origin;
                    self.notices.push(format!(
                        "guide {} from {origin} overrides the one from {old}",
                        meta.id
                    ));
                    self.items[i] = Item { origin, meta };
                } else {
                    self.by_id.insert(key, self.items.len());
                    self.items.push(Item { origin, meta });
                }
            }
            Err(summary) => self.broken.push(Broken { origin, summary }),
        }
    }

    /// A catalog of the guides already in `lib` (preview, tests): nothing is read again.
    pub fn from_library(lib: &super::Library) -> Self {
        let mut cat = Self::default();
        for e in &lib.guides {
            cat.add(e.origin.clone(), Ok(Meta::of(&e.guide)));
        }
        cat.notices.clear();
        for f in &lib.failures {
            cat.broken.push(Broken {
                origin: f.origin.clone(),
                summary: f.summary(),
            });
        }
        cat
    }

    /// The index in `lib` of catalog guide `i`, parsing it into `lib` first when it is not
    /// there yet. The error is the guide's first problem.
    pub fn ensure_loaded(&self, i: usize, lib: &mut super::Library) -> Result<usize, String> {
        let item = self
            .items
            .get(i)
            .ok_or_else(|| "no such guide".to_owned())?;
        if let Some(k) = lib.index_of(&item.meta.id) {
            return Ok(k);
        }
        let (guide, warnings) = self
            .load(i)
            .map_err(|d| summarize(Err(d)).err().unwrap_or_default())?;
        Ok(lib.insert(super::load::Entry {
            guide,
            origin: item.origin.clone(),
            warnings,
        }))
    }

    /// A library holding only the guides named by `queries` (parsed now), with the other ids
    /// listed for suggestions: what a command about one or a few guides needs.
    pub fn library_of(&self, queries: &[&str]) -> super::Library {
        let mut lib = super::Library::default();
        for q in queries {
            if let Some(i) = self.find(q)
                && let Err(why) = self.ensure_loaded(i, &mut lib)
            {
                lib.failures.push(super::load::Failure {
                    origin: self.items[i].origin.clone(),
                    diagnostics: vec![Diagnostic::nowhere(
                        super::Severity::Error,
                        &self.items[i].origin.to_string(),
                        why,
                    )],
                });
            }
        }
        lib.unparsed_ids = self.items.iter().map(|it| it.meta.id.clone()).collect();
        lib
    }

    /// The guide whose id or alias is `query` (case-insensitive).
    pub fn find(&self, query: &str) -> Option<usize> {
        let q = query.trim();
        self.by_id
            .get(&q.to_ascii_lowercase())
            .copied()
            .or_else(|| self.items.iter().position(|it| it.meta.answers_to(q)))
    }

    /// Parse guide `i` afresh from its source.
    pub fn load(&self, i: usize) -> ParsedFile {
        match &self.items[i].origin {
            Origin::Bundled(name) => {
                let src = BUNDLED
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or("", |(_, s)| s);
                parse(&format!("<bundled>/{name}"), src)
            }
            Origin::File(p) => parse_file(p),
        }
    }
}

fn summarize(r: ParsedFile) -> Result<Meta, String> {
    match r {
        Ok((g, _)) => Ok(Meta::of(&g)),
        Err(diags) => Err(diags
            .iter()
            .find(|d| d.is_error())
            .or(diags.first())
            .map_or_else(|| "could not be loaded".to_owned(), Diagnostic::headline)),
    }
}

/// Size and modification time (ns since 1970) of a file.
fn stat_of(m: &std::fs::Metadata) -> (u64, u128) {
    let mtime = m
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (m.len(), mtime)
}

/// The `*.toml` files under `dir` (as deep as the loader goes), from the directory entries
/// alone: no stat per file here (the catalog stats them on every core).
pub(crate) fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>, notices: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            notices.push(format!(
                "guide folder {} cannot be read: {e} (check its permissions, or remove it from the config)",
                dir.display()
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() {
            if depth < super::load::MAX_DEPTH
                && !entry.file_name().to_string_lossy().starts_with('.')
            {
                walk(&path, depth + 1, out, notices);
            }
        } else if path.extension().is_some_and(|x| x == "toml")
            && super::load::guide_of_cases(&path).is_none()
        {
            out.push(path);
        }
    }
}

/// Read the headers of the files at `todo` on every core; results in `todo` order.
fn read_parallel(files: &[PathBuf], todo: &[usize]) -> Vec<Result<Meta, String>> {
    super::load::parallel_map(
        todo,
        |&i| read_meta(&files[i]),
        |&i| {
            Err(format!(
                "{}: the parser failed on this file",
                files[i].display()
            ))
        },
    )
}

/// The catalog fields of one guide file: from its header when [`header_meta`] is sure of
/// them, else from a full parse (which also gives a broken file's exact error).
fn read_meta(path: &Path) -> Result<Meta, String> {
    match read_text(path) {
        Ok(src) => header_meta(&src).map_or_else(|| summarize(parse_file(path)), Ok),
        Err(d) => Err(d.headline()),
    }
}

/// The catalog fields of a guide read from its header alone: the top-level keys before its
/// first table, read by the toml crate from that slice of the file (a few lines instead of the
/// whole guide). `None` when the slice is not a header this can be sure of: a key other than
/// the known header keys, a table opened inside a value (the cut then leaves a string or an
/// array unclosed, which fails to parse), or a header a full parse would reject. The caller
/// then parses the file in full, which also gives the exact error.
pub(crate) fn header_meta(src: &str) -> Option<Meta> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Header {
        format: u32,
        id: String,
        title: String,
        #[serde(default)]
        aliases: Vec<String>,
        #[serde(default)]
        tags: Vec<String>,
        #[allow(dead_code, reason = "known, so that it is not an unknown key")]
        #[serde(default)]
        summary: String,
        #[allow(dead_code, reason = "known, so that it is not an unknown key")]
        #[serde(default)]
        revision: String,
    }
    let mut end = 0;
    for line in src.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            break;
        }
        end += line.len();
    }
    let h: Header = toml::from_str(&src[..end]).ok()?;
    let bad_name = |n: &str| {
        n.trim().is_empty()
            || n.chars()
                .any(|c| c.is_whitespace() || c.is_control() || super::validate::is_invisible(c))
    };
    if h.format != FORMAT
        || bad_name(&h.id)
        || h.title.trim().is_empty()
        || h.aliases.iter().any(|a| bad_name(a))
    {
        return None;
    }
    Some(Meta {
        id: h.id,
        title: h.title,
        aliases: h.aliases,
        tags: h.tags,
    })
}

/// The index: for each file, its path (bytes), size, mtime and catalog fields or error, then
/// a checksum of all that. Little-endian integers; strings are a `u32` length and the bytes.
fn encode_index(
    files: &[PathBuf],
    stats: &[(u64, u128)],
    metas: &[Result<Meta, String>],
) -> Vec<u8> {
    fn bytes(out: &mut Vec<u8>, b: &[u8]) {
        out.extend_from_slice(&u32::try_from(b.len()).unwrap_or(u32::MAX).to_le_bytes());
        out.extend_from_slice(b);
    }
    fn list(out: &mut Vec<u8>, l: &[String]) {
        out.extend_from_slice(&u32::try_from(l.len()).unwrap_or(u32::MAX).to_le_bytes());
        for s in l {
            bytes(out, s.as_bytes());
        }
    }
    let mut out = Vec::with_capacity(64 + files.len() * 160);
    out.extend_from_slice(INDEX_MAGIC);
    out.extend_from_slice(&u32::try_from(files.len()).unwrap_or(u32::MAX).to_le_bytes());
    for ((path, (size, mtime_ns)), meta) in files.iter().zip(stats).zip(metas) {
        bytes(&mut out, path.as_os_str().as_encoded_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&mtime_ns.to_le_bytes());
        match meta {
            Ok(m) => {
                out.push(0);
                bytes(&mut out, m.id.as_bytes());
                bytes(&mut out, m.title.as_bytes());
                list(&mut out, &m.aliases);
                list(&mut out, &m.tags);
            }
            Err(summary) => {
                out.push(1);
                bytes(&mut out, summary.as_bytes());
            }
        }
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// One file's entry in the index.
#[derive(Debug)]
struct Indexed {
    size: u64,
    mtime_ns: u128,
    /// Taken when used.
    meta: Option<Result<Meta, String>>,
}

/// The entries of an index by path, or `None` when it is not a whole, intact index.
fn decode_index(b: &[u8]) -> Option<HashMap<&[u8], Indexed>> {
    struct Reader<'a>(&'a [u8]);
    impl<'a> Reader<'a> {
        fn take(&mut self, n: usize) -> Option<&'a [u8]> {
            let (head, rest) = self.0.split_at_checked(n)?;
            self.0 = rest;
            Some(head)
        }
        fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
            let mut a = [0; N];
            a.copy_from_slice(self.take(N)?);
            Some(a)
        }
        fn len(&mut self) -> Option<usize> {
            usize::try_from(u32::from_le_bytes(self.array()?)).ok()
        }
        fn bytes(&mut self) -> Option<&'a [u8]> {
            let n = self.len()?;
            self.take(n)
        }
        fn string(&mut self) -> Option<String> {
            std::str::from_utf8(self.bytes()?).ok().map(str::to_owned)
        }
        fn list(&mut self) -> Option<Vec<String>> {
            let n = self.len()?;
            let mut l = Vec::with_capacity(n.min(64));
            for _ in 0..n {
                l.push(self.string()?);
            }
            Some(l)
        }
    }
    let (body, sum) = b.split_at_checked(b.len().checked_sub(8)?)?;
    let mut s = [0; 8];
    s.copy_from_slice(sum);
    if !body.starts_with(INDEX_MAGIC) || checksum(body) != u64::from_le_bytes(s) {
        return None;
    }
    let mut r = Reader(&body[INDEX_MAGIC.len()..]);
    let n = r.len()?;
    let mut map = HashMap::with_capacity(n.min(1 << 20));
    for _ in 0..n {
        let path = r.bytes()?;
        let size = u64::from_le_bytes(r.array()?);
        let mtime_ns = u128::from_le_bytes(r.array()?);
        let meta = match r.take(1)? {
            [0] => Ok(Meta {
                id: r.string()?,
                title: r.string()?,
                aliases: r.list()?,
                tags: r.list()?,
            }),
            [1] => Err(r.string()?),
            _ => return None,
        };
        map.insert(
            path,
            Indexed {
                size,
                mtime_ns,
                meta: Some(meta),
            },
        );
    }
    r.0.is_empty().then_some(map)
}

/// A checksum of the index, to tell a damaged file (not a cryptographic hash).
fn checksum(b: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = 0xcbf2_9ce4_8422_2325 ^ b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0; 8];
        a.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(a)).wrapping_mul(K).rotate_left(29);
    }
    for &c in chunks.remainder() {
        h = (h ^ u64::from(c)).wrapping_mul(K).rotate_left(29);
    }
    h
}

/// Write the index atomically (temporary file, rename), so readers never see half of it.
fn write_index(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("bin.tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Where the index lives: `TSHOOT_CACHE_DIR`, else the cache dir from `directories`.
pub fn default_index_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("TSHOOT_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "tshoot").map(|p| p.cache_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide(id: &str, title: &str) -> String {
        BUNDLED[0]
            .1
            .replace("id = \"AADSTS50143\"", &format!("id = \"{id}\""))
            .replace("aliases = [\"50143\"]", "aliases = []")
            .replace(
                "title = \"Session mismatch\"",
                &format!("title = \"{title}\""),
            )
    }

    #[test]
    fn the_index_is_used_and_refreshed_by_size_and_mtime() {
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        std::fs::write(lib.path().join("a.toml"), guide("A1", "First")).unwrap();
        std::fs::write(lib.path().join("b.toml"), guide("B2", "Second")).unwrap();
        std::fs::write(lib.path().join("bad.toml"), "format = 1\nid = ").unwrap();
        let folders = [Folder {
            path: lib.path().into(),
            explicit: true,
        }];
        let c1 = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!(c1.parsed, 3);
        assert_eq!(c1.items.len(), 3); // bundled + 2
        assert_eq!(c1.broken.len(), 1);
        assert!(
            c1.broken[0].summary.contains("bad.toml:2:"),
            "{}",
            c1.broken[0].summary
        );
        let c2 = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!(c2.parsed, 0, "all from the index");
        assert_eq!(c2.items[c2.find("b2").unwrap()].meta.title, "Second");
        assert_eq!(c2.broken.len(), 1);
        // A changed file (different size) is parsed again, and opening it reads it afresh.
        std::fs::write(lib.path().join("b.toml"), guide("B2", "Second, revised")).unwrap();
        let c3 = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!(c3.parsed, 1);
        let i = c3.find("B2").unwrap();
        assert_eq!(c3.items[i].meta.title, "Second, revised");
        assert_eq!(c3.load(i).unwrap().0.title, "Second, revised");
    }

    #[test]
    fn a_damaged_index_is_rebuilt_and_overrides_are_told() {
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        std::fs::write(
            cache.path().join(INDEX_FILE),
            b"tshoot-index-v2\nnot an index",
        )
        .unwrap();
        std::fs::write(lib.path().join("x.toml"), guide("AADSTS50143", "Mine")).unwrap();
        let c = Catalog::scan(
            &[Folder {
                path: lib.path().into(),
                explicit: true,
            }],
            Some(cache.path()),
        );
        assert_eq!(c.items.len(), 1);
        assert_eq!(c.items[0].meta.title, "Mine");
        assert!(c.notices.iter().any(|n| n.contains("overrides")));
        assert!(decode_index(&std::fs::read(cache.path().join(INDEX_FILE)).unwrap()).is_some());
        assert_eq!(c.find("50143"), None, "the override has no alias");
        assert_eq!(c.find("aadsts50143"), Some(0));
    }

    fn folder(dir: &Path) -> [Folder; 1] {
        [Folder {
            path: dir.into(),
            explicit: true,
        }]
    }

    /// The header reader gives what a full parse gives, or gives up: never other fields.
    #[test]
    fn the_header_reader_agrees_with_the_full_parse_or_gives_up() {
        let base = BUNDLED[0].1;
        let head = "format = 1\nid = \"AADSTS50143\"\ntitle = \"Session mismatch\"\n";
        let body = &base[base.find("[[link]]").unwrap()..];
        let full = |src: &str| summarize(parse("x.toml", src));
        // (header, whether the reader must read it: the plain forms guides use; for the rest it
        // may give up, but never give other fields than the full parse, nor list a guide whose
        // header the full parse refuses)
        let cases: &[(&str, bool)] = &[
            (head, true),
            (
                "# c\r\nformat = 1 # one\r\nid = 'AADSTS50143'\r\ntitle = 'Session \"mismatch\"'\r\n",
                true,
            ),
            (
                &format!("{head}aliases = [\n  \"50143\", # the number\n  'x-1',\n]\ntags = []\n"),
                true,
            ),
            (
                &format!(
                    "{head}summary = \"\"\"\nA \\\"\"\" quote\nand ''' a line \\\n\"\"\"\"\"\nrevision = '''\n2'''\n"
                ),
                true,
            ),
            (
                &format!("{head}summary = \"a \\\\\" # c\nrevision = \"\"\n"),
                true,
            ),
            (&format!("{head}tags = [\"a\",\"b\"]\naliases=[]\n"), true),
            // Forms the reader may leave to the full parse, and headers that parse refuses.
            (
                "format = 1\nid = \"AADSTS50143\"\ntitle = \"Session \\u006Dismatch\"\n",
                false,
            ),
            (
                "format = 1\nid = \"AADSTS50143\"\ntitle = \"\"\"Session\"\"\"\n",
                false,
            ),
            (&format!("{head}guide.extra = 1\n"), false),
            (&format!("{head}\"tags\" = []\n"), false),
            (&format!("{head}title = \"Again\"\n"), false),
            (&format!("{head}colour = \"red\"\n"), false),
            (&format!("{head}tags = [\"a\", 3]\n"), false),
            (&format!("{head}tags = [[\"a\"]]\n"), false),
            (&format!("{head}summary = \"unclosed\n"), false),
            (&format!("{head}summary = \"\"\"x\"\"\"\"\"\"\n"), false),
            (
                "format = 2\nid = \"AADSTS50143\"\ntitle = \"Session mismatch\"\n",
                false,
            ),
            (
                "format = 01\nid = \"AADSTS50143\"\ntitle = \"Session mismatch\"\n",
                false,
            ),
            (
                "format = 1\nid = \"AAD STS\"\ntitle = \"Session mismatch\"\n",
                false,
            ),
            ("format = 1\nid = \"AADSTS50143\"\ntitle = \"  \"\n", false),
            ("format = 1\nid = \"AADSTS50143\"\ntitle = 3\n", false),
            ("format = 1\ntitle = \"Session mismatch\"\n", false),
            (
                "\u{feff}format = 1\nid = \"AADSTS50143\"\ntitle = \"Session mismatch\"\n",
                false,
            ),
            (
                "format = 1\nid = \"AADSTS50143\"\ntitle = \"Session\tmismatch\u{7}\"\n",
                false,
            ),
            ("format = 1\nid = \"AADSTS50143\" title = \"x\"\n", false),
            (
                "format = 1\nid = \"AADSTS\u{200b}50143\"\ntitle = \"Session mismatch\"\n",
                false,
            ),
        ];
        for (header, must_read) in cases {
            let src = format!("{header}\n{body}");
            let quick = header_meta(&src);
            let full = full(&src);
            match quick {
                Some(m) => assert_eq!(Ok(m), full, "{header}"),
                None => assert!(!must_read, "{header}"),
            }
            if full.is_err() {
                assert!(header_meta(&src).is_none(), "{header}");
            }
        }
        assert_eq!(header_meta(base), full(base).ok(), "the bundled guide");
    }

    #[test]
    fn a_guide_broken_below_its_header_is_listed_and_fails_when_opened() {
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let path = lib.path().join("a.toml");
        std::fs::write(&path, guide("A1", "First")).unwrap();
        let folders = folder(lib.path());
        let c = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!(c.parsed, 1);
        // Broken after indexing, in a step: the header still reads, the guide does not open.
        let broken = guide("A1", "First").replacen("[[step]]", "[[step]]\nnope = 1", 1);
        std::fs::write(&path, broken).unwrap();
        let c = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!(c.parsed, 1, "changed size: read again");
        let i = c.find("A1").unwrap();
        let mut lib2 = crate::guide::Library::default();
        let err = c.ensure_loaded(i, &mut lib2).unwrap_err();
        assert!(err.contains("a.toml:") && err.contains("nope"), "{err}");
        assert!(lib2.guides.is_empty());
    }

    #[test]
    fn a_change_that_keeps_the_size_is_seen_by_its_mtime() {
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        let path = lib.path().join("a.toml");
        std::fs::write(&path, guide("A1", "Title one")).unwrap();
        let folders = folder(lib.path());
        assert_eq!(Catalog::scan(&folders, Some(cache.path())).parsed, 1);
        std::fs::write(&path, guide("A1", "Title two")).unwrap();
        let f = std::fs::File::options().write(true).open(&path).unwrap();
        f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
            .unwrap();
        let c = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!(c.parsed, 1);
        assert_eq!(c.items[c.find("A1").unwrap()].meta.title, "Title two");
        // A removed file leaves the listing and the index.
        std::fs::remove_file(&path).unwrap();
        let c = Catalog::scan(&folders, Some(cache.path()));
        assert_eq!((c.items.len(), c.parsed), (BUNDLED.len(), 0));
        let index = std::fs::read(cache.path().join(INDEX_FILE)).unwrap();
        assert_eq!(decode_index(&index).unwrap().len(), 0);
    }

    #[test]
    fn a_damaged_or_truncated_index_is_never_used() {
        let lib = tempfile::tempdir().unwrap();
        let cache = tempfile::tempdir().unwrap();
        std::fs::write(lib.path().join("a.toml"), guide("A1", "First")).unwrap();
        let folders = folder(lib.path());
        Catalog::scan(&folders, Some(cache.path()));
        let path = cache.path().join(INDEX_FILE);
        let good = std::fs::read(&path).unwrap();
        assert!(decode_index(&good).is_some());
        for bad in [
            good[..good.len() - 1].to_vec(),
            good[..good.len() / 2].to_vec(),
            {
                // The title changed in place, the checksum not.
                let mut b = good.clone();
                let at = b.windows(5).position(|w| w == b"First").unwrap();
                b[at] = b'W';
                b
            },
            Vec::new(),
        ] {
            assert!(decode_index(&bad).is_none());
            std::fs::write(&path, &bad).unwrap();
            let c = Catalog::scan(&folders, Some(cache.path()));
            assert_eq!(c.parsed, 1);
            assert_eq!(c.items[c.find("A1").unwrap()].meta.title, "First");
        }
    }
}
