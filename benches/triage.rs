//! Paste first (issue 13): routing a paste, and routing it in the app up to the first frame of
//! the guide it opens. `cargo bench --bench triage`. Speed is measured here, never asserted
//! in tests.
//!
//! - `triage/route_2k`, `triage/route_1m`: [`tshoot::triage::route`] over a typical 2 KB paste
//!   (the sign-in page's details and a JSON error) and over 1 MiB of log lines with that
//!   error in the middle;
//! - `triage/paste_to_first_frame_{2k,1m}`: a fresh app on the bundled library gets the paste
//!   in the picker (route, open the guide, propose the values) and draws its first frame at
//!   80x24 on a `TestBackend` (what `tshoot --paste` adds to start-up, less the terminal's
//!   own time).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tshoot::app::App;
use tshoot::config::Colors;
use tshoot::guide::catalog::Catalog;
use tshoot::keymap::KeyMap;
use tshoot::ui::theme::Theme;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/pastes/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

/// About 2 KB: the sign-in page block, then the token endpoint's JSON answer.
fn paste_2k() -> String {
    let mut p = fixture("01-signin-page-50076.txt");
    p.push('\n');
    p.push_str(&fixture("02-oauth-json-50126.txt"));
    p.push('\n');
    p.push_str(&fixture("09-log-line-50058.txt"));
    p
}

/// 1 MiB of log lines, the JSON error half way.
fn paste_1m() -> String {
    let line =
        "2026-03-01T12:00:00.123Z INFO  http: GET /api/orders 200 12ms user=alex@contoso.com\n";
    let mut p = String::with_capacity(1 << 20);
    while p.len() < 1 << 19 {
        p.push_str(line);
    }
    p.push_str(&fixture("02-oauth-json-50126.txt"));
    while p.len() + line.len() <= 1 << 20 {
        p.push_str(line);
    }
    p
}

fn bench(c: &mut Criterion) {
    let cat = Catalog::scan(&[], None);
    let small = paste_2k();
    let big = paste_1m();
    let mut g = c.benchmark_group("triage");
    g.bench_function("route_2k", |b| {
        b.iter(|| tshoot::triage::route(black_box(&small), &cat));
    });
    g.sample_size(20);
    g.bench_function("route_1m", |b| {
        b.iter(|| tshoot::triage::route(black_box(&big), &cat));
    });
    for (name, text) in [
        ("paste_to_first_frame_2k", &small),
        ("paste_to_first_frame_1m", &big),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || {
                    let mut app = App::from_catalog(
                        cat.clone(),
                        KeyMap::default(),
                        Theme::from_colors(&Colors::default(), true),
                    );
                    app.now = || "2026-01-01T00:00:00Z".to_owned();
                    app.size = (80, 24);
                    (
                        app,
                        Terminal::new(TestBackend::new(80, 24)).expect("terminal"),
                    )
                },
                |(mut app, mut t)| {
                    app.paste_in_picker(text);
                    t.draw(|f| tshoot::ui::draw(f, &app)).expect("draw");
                    (app, t)
                },
                criterion::BatchSize::LargeInput,
            );
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
