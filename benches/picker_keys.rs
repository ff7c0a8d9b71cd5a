//! The picker's filtering time per typed key over a guide library, in process (what
//! `benches/measure.py` prints beside the key-to-frame time it measures in a terminal). An
//! example target kept in `benches/`:
//!
//!     cargo run --release --example picker_keys -- DIR [QUERY...]
//!
//! Each query is typed one key at a time from an empty search, 30 times; the median and the
//! best time per key are printed, then the median over every key of every query.

use std::time::Instant;

use tshoot::guide::catalog::Catalog;
use tshoot::guide::load::Folder;
use tshoot::picker::Picker;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: picker_keys DIR [QUERY...]");
        std::process::exit(2);
    };
    let mut queries: Vec<String> = args.collect();
    if queries.is_empty() {
        queries = [
            "session mismatch",
            "aadsts5512",
            "tenat hnt",
            "sesn mismtch",
            "certfcate",
        ]
        .map(String::from)
        .to_vec();
    }
    let cache = tempfile::tempdir().expect("temp dir");
    let cat = Catalog::scan(
        &[Folder {
            path: dir.into(),
            explicit: true,
        }],
        Some(cache.path()),
    );
    let mut p = Picker::new(&cat);
    let mut all = Vec::new();
    for q in &queries {
        let mut per_key = Vec::new();
        for _ in 0..30 {
            p.set_query(&cat, "");
            for n in q.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let t = Instant::now();
                p.set_query(&cat, &q[..n]);
                per_key.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        per_key.sort_by(f64::total_cmp);
        println!(
            "{q:>20}: median {:.3} ms/key, best {:.3} ({} matches)",
            per_key[per_key.len() / 2],
            per_key[0],
            p.items.len()
        );
        all.extend(per_key);
    }
    all.sort_by(f64::total_cmp);
    println!(
        "guides {} keys {} median {:.3} p90 {:.3}",
        cat.items.len(),
        all.len(),
        all[all.len() / 2],
        all[all.len() * 9 / 10]
    );
}
