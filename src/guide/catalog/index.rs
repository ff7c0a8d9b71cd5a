//! The catalog's index file (`index-v2.bin`): encoding, decoding with its checksum, and the
//! atomic write. A missing, damaged or foreign index decodes to `None` and is rebuilt.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Meta;

/// Index format version (in the file name, so an index of another version is simply not read).
pub(super) const INDEX_FILE: &str = "index-v2.bin";
/// First bytes of an index file.
const INDEX_MAGIC: &[u8; 16] = b"tshoot-index-v2\n";

/// The index: for each file, its path (bytes), size, mtime and catalog fields or error, then
/// a checksum of all that. Little-endian integers; strings are a `u32` length and the bytes.
pub(super) fn encode_index(
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
pub(super) struct Indexed {
    pub(super) size: u64,
    pub(super) mtime_ns: u128,
    /// Taken when used.
    pub(super) meta: Option<Result<Meta, String>>,
}

/// The entries of an index by path, or `None` when it is not a whole, intact index.
pub(super) fn decode_index(b: &[u8]) -> Option<HashMap<&[u8], Indexed>> {
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
pub(super) fn checksum(b: &[u8]) -> u64 {
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
pub(super) fn write_index(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("bin.tmp{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
