//! Criterion benchmarks: `cargo bench`. Speed is measured here, never asserted in tests.
//!
//! - guide: parse + validate the bundled guide; the catalog of a 10,000-guide library, cold
//!   (no index) and warm (index current);
//! - picker: filtering 10,000 guides per keystroke;
//! - render: each pane at 80x24, 120x40 and 300x100 on a `TestBackend`;
//! - wizard: the state machine's hot actions and derived views;
//! - session: one atomic save;
//! - codes: parsing the compiled-in code catalogue (what the first `codes::lookup` of a process
//!   pays, once), a lookup after that, and the catalog of the bundled guides (what every start
//!   pays; it never touches the code catalogue).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tshoot::app::App;
use tshoot::config::Colors;
use tshoot::guide::catalog::Catalog;
use tshoot::guide::load::{Folder, REFERENCE_GUIDE};
use tshoot::guide::{Library, parse};
use tshoot::keymap::KeyMap;
use tshoot::picker::Picker;
use tshoot::session::{Session, Store};
use tshoot::ui::theme::Theme;
use tshoot::wizard::{Act, Case, Stage, view};

const SRC: &str = REFERENCE_GUIDE;

/// A library of `n` guides shaped like the bundled one, each with its own id and title.
fn library(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for i in 0..n {
        let code = 60_000 + i;
        let text = SRC
            .replace("id = \"AADSTS50143\"", &format!("id = \"AADSTS{code}\""))
            .replace("aliases = [\"50143\"]", &format!("aliases = [\"{code}\"]"))
            .replace(
                "title = \"Session mismatch\"",
                &format!("title = \"Session mismatch variant {i}\""),
            );
        std::fs::write(dir.path().join(format!("aadsts{code}.toml")), text).expect("write guide");
    }
    dir
}

fn guide(c: &mut Criterion) {
    c.bench_function("guide/parse_and_validate_bundled", |b| {
        b.iter(|| parse("g.toml", black_box(SRC)));
    });
    let lib = library(10_000);
    let folders = [Folder {
        path: lib.path().into(),
        explicit: true,
    }];
    let mut g = c.benchmark_group("library_10000");
    g.sample_size(10);
    g.bench_function("catalog_cold", |b| {
        b.iter(|| {
            let cache = tempfile::tempdir().expect("cache");
            Catalog::scan(&folders, Some(cache.path()))
        });
    });
    let cache = tempfile::tempdir().expect("cache");
    Catalog::scan(&folders, Some(cache.path()));
    g.bench_function("catalog_warm", |b| {
        b.iter(|| Catalog::scan(&folders, Some(cache.path())));
    });
    g.bench_function("full_library_load", |b| b.iter(|| Library::load(&folders)));
    g.finish();
}

fn picker(c: &mut Criterion) {
    let lib = library(10_000);
    let cache = tempfile::tempdir().expect("cache");
    let cat = Catalog::scan(
        &[Folder {
            path: lib.path().into(),
            explicit: true,
        }],
        Some(cache.path()),
    );
    let mut p = Picker::new(&cat);
    let mut g = c.benchmark_group("picker_10000");
    // A whole query at once (no narrowing from a previous one).
    for q in ["5", "501", "mismatch", "ses var 99"] {
        g.bench_with_input(BenchmarkId::new("from_scratch", q), q, |b, q| {
            b.iter(|| {
                p.set_query(&cat, "");
                p.set_query(&cat, q);
            });
        });
    }
    // Typing a query one key at a time: the time for the whole sequence of keystrokes (divide
    // by its length for the time per key).
    for q in ["session mismatch", "sesn mismtch", "aadsts6512"] {
        g.bench_with_input(BenchmarkId::new("typing", q), q, |b, q| {
            b.iter(|| {
                p.set_query(&cat, "");
                for n in 1..=q.len() {
                    p.set_query(&cat, &q[..n]);
                }
            });
        });
    }
    g.finish();
}

fn app_at(stage: Stage) -> App {
    let mut app = App::new(
        Library::load(&[]),
        KeyMap::default(),
        Theme::from_colors(&Colors::default(), false),
    );
    app.now = || "2026-01-01T00:00:00Z".to_owned();
    app.open(0);
    if let Some(w) = &mut app.wiz {
        let g = &app.lib.guides[0].guide;
        for a in [1, 1, 0] {
            let _ = w.wizard.apply(g, &Act::Answer(a));
        }
        w.focus = stage;
    }
    app
}

fn render(c: &mut Criterion) {
    let mut g = c.benchmark_group("render");
    for (w, h) in [(80, 24), (120, 40), (300, 100)] {
        for stage in Stage::ALL {
            let app = app_at(stage);
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            g.bench_function(
                format!("{}_{w}x{h}", stage.title().replace(' ', "_")),
                |b| {
                    b.iter(|| term.draw(|f| tshoot::ui::draw(f, &app)).map(|_| ()));
                },
            );
        }
    }
    g.finish();
}

fn wizard(c: &mut Criterion) {
    let (g, _) = parse("g.toml", SRC).expect("bundled guide");
    let mut case = Case::new(&g);
    for a in [1, 1, 0] {
        let _ = case.apply(&g, &Act::Answer(a));
    }
    c.bench_function("wizard/answer_then_back", |b| {
        b.iter(|| {
            let mut k = case.clone();
            let _ = k.apply(&g, &Act::Back);
            let _ = k.apply(&g, &Act::Answer(2));
            k
        });
    });
    c.bench_function("wizard/toggle_task", |b| {
        let mut k = case.clone();
        b.iter(|| k.apply(&g, &Act::Toggle("force-reauthentication".into(), 0)));
    });
    c.bench_function("wizard/views", |b| {
        b.iter(|| {
            (
                view::issues(&g, &case),
                view::checklist(&g, &case),
                view::progress(&g, &case),
            )
        });
    });
    c.bench_function("ticket/render", |b| {
        b.iter(|| {
            tshoot::ticket::render(
                &g,
                &case,
                tshoot::ticket::Format::Text,
                "2026-01-01T00:00:00Z",
            )
        });
    });
}

fn session(c: &mut Criterion) {
    let (g, _) = parse("g.toml", SRC).expect("bundled guide");
    let dir = tempfile::tempdir().expect("data dir");
    let store = Store {
        dir: dir.path().join("sessions"),
    };
    let s = Session::new("bench".into(), &g, Case::new(&g), "2026-01-01T00:00:00Z");
    c.bench_function("session/atomic_save", |b| b.iter(|| store.save(&s)));
}

fn codes(c: &mut Criterion) {
    c.bench_function("codes/parse_catalogue", |b| {
        b.iter(|| tshoot::codes::parse(black_box(tshoot::codes::SOURCE)));
    });
    let _ = tshoot::codes::lookup("AADSTS50076");
    c.bench_function("codes/lookup", |b| {
        b.iter(|| tshoot::codes::lookup(black_box("aadsts50076")));
    });
    c.bench_function("codes/bundled_catalog_scan", |b| {
        b.iter(|| Catalog::scan(&[], None));
    });
}

criterion_group!(benches, guide, picker, render, wizard, session, codes);
criterion_main!(benches);
