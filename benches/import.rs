//! Criterion benchmark of `tshoot import`: `cargo bench --bench import`. Speed is measured here,
//! never asserted in tests.
//!
//! - `kb_1000`: 1,000 generated support articles of 5 to 20 KB (front matter, symptoms, numbered
//!   causes with a solution of numbered steps and sub-steps each, a callout, a comment, a
//!   table), imported one after the other in one thread, as `import` does for each document;
//!   the command spreads them over the cores.
//! - `largest`: one article of 4 MiB, the largest file a guide may be.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tshoot::authoring::import::import;

/// An article of about `bytes` bytes: causes are added until it is that long.
fn article(n: usize, bytes: usize) -> String {
    let mut s = format!(
        "---\ntitle: Error AADSTS{n} when users sign in\ndescription: Users see AADSTS{n} at sign-in.\nms.date: 01/02/2025\n---\n\n# Error AADSTS{n} when users sign in\n\n<!-- reviewed by the identity team -->\n\n## Symptoms\n\nThe sign-in page stops with AADSTS{n} after the user enters the password.\n\n"
    );
    let mut k = 1;
    while s.len() < bytes {
        let _ = write!(
            s,
            "## Cause {k}: Setting number {k} of the tenant is wrong\n\nThe tenant's setting {k} was changed during a migration, and sign-ins that depend on it fail for accounts of region {k}.\n\n| Setting | Expected |\n| --- | --- |\n| option {k} | enabled |\n\n### Solution\n\n1. Open the admin center and go to the settings page {k}.\n   - Select the tenant.\n   - Open the **Advanced** tab.\n2. Set option {k} back to enabled and save.\n3. Ask a user of region {k} to sign in again.\n\n> [!NOTE]\n> The change can take up to an hour to apply everywhere.\n\n"
        );
        k += 1;
    }
    s
}

fn bench(c: &mut Criterion) {
    // 5 KB to 20 KB, evenly spread.
    let docs: Vec<String> = (0..1000)
        .map(|i| article(10_000 + i, 5 * 1024 + (i * 15 * 1024) / 999))
        .collect();
    let total: usize = docs.iter().map(String::len).sum();
    eprintln!(
        "kb_1000: {} articles, {} KiB in all",
        docs.len(),
        total / 1024
    );
    let mut g = c.benchmark_group("import");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("kb_1000", |b| {
        b.iter(|| {
            for (i, d) in docs.iter().enumerate() {
                black_box(import(d, &format!("doc{i}")).expect("imports"));
            }
        });
    });
    let big = article(99_999, 4 * 1024 * 1024 - 2048);
    eprintln!("largest: {} KiB", big.len() / 1024);
    g.bench_function("largest", |b| {
        b.iter(|| black_box(import(&big, "big").expect("imports")));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
