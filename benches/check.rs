//! Benchmarks of the hot path: load + validate + rules for one file, a large several-agent
//! file, and the credential scan. Run with `cargo bench`.

use std::hint::black_box;

use agentlint::Linter;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const HARDENED: &str = include_str!("../fixtures/hardened.yaml");

/// A several-agent file with `n` agents modelled on the hardened example.
fn fleet(n: usize) -> String {
    let mut s = String::from("version: 1\ndefaults:\n  max_turns: 20\n  max_budget_usd: 2.5\n  setting_sources: []\n");
    s.push_str(
        "  no_session_persistence: true\n  sandbox: {enabled: true, allow_unsandboxed_commands: false}\nagents:\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "  agent{i}:\n    permission_mode: dont_ask\n    cwd: /srv/a{i}\n    allowed_tools: [Read, Grep, \"Bash(git diff:*)\"]\n    disallowed_tools: [\"Bash(rm:*)\", \"Bash(curl:*)\", \"Bash(wget:*)\", \"Bash(sudo:*)\"]\n    env: {{LOG_LEVEL: info, TOKEN: \"${{TOKEN_{i}}}\"}}\n"
        ));
    }
    s
}

fn bench_check(c: &mut Criterion) {
    let linter = Linter::default();
    // Warm the lazily compiled schema, validators and patterns so they are not measured.
    linter.check_bytes("warm.yaml", HARDENED.as_bytes().to_vec());

    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(HARDENED.len() as u64));
    group.bench_function("hardened.yaml", |b| {
        b.iter(|| black_box(linter.check_bytes("hardened.yaml", black_box(HARDENED.as_bytes().to_vec()))))
    });
    let big = fleet(500);
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("fleet-500-agents.yaml", |b| {
        b.iter(|| black_box(linter.check_bytes("fleet.yaml", black_box(big.as_bytes().to_vec()))))
    });
    group.finish();
}

fn bench_secrets(c: &mut Criterion) {
    let text = fleet(3000);
    let mut group = c.benchmark_group("secrets");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("scan-clean-text", |b| b.iter(|| black_box(agentlint::secrets::scan(black_box(&text)))));
    group.finish();
}

criterion_group!(benches, bench_check, bench_secrets);
criterion_main!(benches);
