//! Directory scanning over a large source tree with no call sites: `agentlint check DIR` must
//! cost under 2× the bare directory walk (issue 13). The tree is generated deterministically
//! (50,000 files: Python, TypeScript, JavaScript, Elixir, shell, Markdown and other files of
//! a few hundred bytes to a few kilobytes, in nested packages) under a temporary directory.
//! Run with `cargo bench --bench scan`; the two groups' times are the comparison.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

const FILES: usize = 50_000;

/// A small deterministic generator (xorshift), so every run builds the same tree.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn body(ext: &str, i: usize, rng: &mut Rng) -> String {
    let lines = 5 + (rng.next() % 120) as usize;
    let mut s = String::new();
    for n in 0..lines {
        let line = match ext {
            "py" => format!("def handler_{i}_{n}(event):\n    return query_db(event, limit={n})\n"),
            "ts" | "js" => format!("export function handler{i}_{n}(e: Event) {{ return fetch(`/api/${{e.id}}/{n}`); }}\n"),
            "ex" => format!("  def handle_{n}(conn, params), do: render(conn, :show, id: {i})\n"),
            "sh" => format!("echo \"step {n} of job {i}\" && make build-{n}\n"),
            _ => format!("Line {n} of document {i}: nothing about agents here.\n"),
        };
        s.push_str(&line);
    }
    s
}

/// Builds the tree once per bench run.
fn build_tree(root: &Path) {
    let exts = ["py", "ts", "js", "ex", "sh", "md", "txt", "json"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..FILES {
        let dir = root.join(format!("pkg{}/mod{}/sub{}", i % 50, (i / 50) % 20, (i / 1000) % 5));
        if i % 50 == 0 || !dir.exists() {
            std::fs::create_dir_all(&dir).expect("create dir");
        }
        let ext = exts[(rng.next() % exts.len() as u64) as usize];
        std::fs::write(dir.join(format!("file{i}.{ext}")), body(ext, i, &mut rng)).expect("write file");
    }
}

/// The bare walk: the same walker settings as the discovery, counting files.
fn bare_walk(root: &Path) -> usize {
    ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .count()
}

fn bench_scan(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    build_tree(dir.path());
    let root = dir.path();
    assert_eq!(bare_walk(root), FILES);
    let found = agentlint::discover::discover_files(root, None, agentlint::discover::Selection::default())
        .expect("discovery");
    assert!(found.is_empty(), "the tree has no call sites: {:?}", &found[..found.len().min(3)]);

    let mut group = c.benchmark_group("scan-50k-files");
    group.sample_size(10);
    group.bench_function("bare-walk", |b| b.iter(|| black_box(bare_walk(black_box(root)))));
    group.bench_function("discover", |b| {
        b.iter(|| {
            black_box(
                agentlint::discover::discover_files(black_box(root), None, agentlint::discover::Selection::default())
                    .expect("discovery"),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);
