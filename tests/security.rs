//! Hostile input through the real binary (issue 14): every input finishes with a clear
//! finding, nothing outside the repository is read or shown because a file in it says so,
//! and no terminal control character reaches the output.
//!
//! Each test builds a small repository (a directory with `.git`) in a temporary directory and
//! runs agentlint in it, so paths in the output are relative and snapshots are exact.

mod common;

use std::path::Path;

use common::{Run, agentlint_in};

const HARDENED: &str = include_str!("../fixtures/hardened-single.yaml");

/// A repository in a temporary directory with `files` (path, content) written into it.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> Run {
    agentlint_in(dir, args)
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {run}"))
}

/// (rule, line, column, message) of every finding in JSON output.
fn findings(run: &Run) -> Vec<(String, u64, u64, String)> {
    json(run)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

// --- files a policy names --------------------------------------------------------------

#[cfg(unix)]
#[test]
fn extends_naming_a_device_or_a_fifo_is_refused_without_reading_it() {
    let dir = repo(&[
        ("agent.yaml", HARDENED),
        (".agentlint.yaml", "policy: ./team.yaml\n"),
        ("team.yaml", "name: team\nextends: /dev/zero\n"),
        ("random.yaml", "name: random\nextends: /dev/urandom\n"),
        ("pipe-pack.yaml", "name: piped\nextends: ./pipe.yaml\n"),
        ("linked.yaml", "name: linked\nextends: ./zero.yaml\n"),
    ]);
    let status = std::process::Command::new("mkfifo").arg(dir.path().join("pipe.yaml")).status().unwrap();
    assert!(status.success());
    symlink(Path::new("/dev/zero"), &dir.path().join("zero.yaml"));

    let zero = run(dir.path(), &["check", "agent.yaml"]);
    insta::assert_snapshot!("extends-dev-zero", zero.to_string());
    for (pack, expected) in [
        ("random.yaml", "`/dev/urandom` is outside the repository, so a policy file in it cannot name it"),
        ("pipe-pack.yaml", "cannot read policy `pipe.yaml`: not a regular file"),
        ("linked.yaml", "`zero.yaml` is outside the repository, so a policy file in it cannot name it"),
    ] {
        let out = run(dir.path(), &["check", "--format", "json", "--policy", pack, "agent.yaml"]);
        assert_eq!(out.code, 2, "{out}");
        assert_eq!(findings(&out), [("AL004".to_owned(), 2, 10, expected.to_owned())], "{pack}");
    }
    // On the command line a device is refused too: only regular files are policies.
    let device = run(dir.path(), &["check", "--policy", "/dev/zero", "agent.yaml"]);
    insta::assert_snapshot!("policy-dev-zero", device.to_string());
}

#[test]
fn extends_and_policy_outside_the_repository_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = format!("ghp_{}", "Zq7Wm2Xp9Lk4Rt6Yv1Nb3Hc8");
    std::fs::create_dir(outside.path().join("victim")).unwrap();
    std::fs::write(outside.path().join("victim/.env"), format!("GITHUB_TOKEN={secret}pad\nPASSWORD=hunter2hunter2\n"))
        .unwrap();
    let dir = repo(&[
        ("project/agent.yaml", HARDENED),
        ("project/team.yaml", "name: team\nextends: ../../../../../../../../etc/passwd\n"),
    ]);
    // The repository is `project/`'s parent; the victim is next to it.
    let victim = outside.path().join("victim/.env");
    let config = format!("policy: {}\n", victim.display());
    std::fs::write(dir.path().join("project/.agentlint.yaml"), config).unwrap();

    let policy = run(dir.path(), &["check", "--format", "json", "project/agent.yaml"]);
    assert_eq!(policy.code, 2, "{policy}");
    let found = findings(&policy);
    assert_eq!(found.len(), 1, "{policy}");
    assert_eq!((found[0].0.as_str(), found[0].1, found[0].2), ("AL004", 1, 9));
    assert!(found[0].3.ends_with("is outside the repository, so a policy file in it cannot name it"), "{found:?}");

    let passwd = run(dir.path(), &["check", "--policy", "project/team.yaml", "project/agent.yaml"]);
    insta::assert_snapshot!("extends-etc-passwd", passwd.to_string());
    for out in [&policy, &passwd] {
        for text in [&out.stdout, &out.stderr] {
            assert!(!text.contains("hunter2") && !text.contains("Zq7Wm2Xp") && !text.contains("root:"), "{out}");
        }
    }
    // Named on the command line, a pack elsewhere is read: the user chose it.
    std::fs::write(outside.path().join("pack.yaml"), "name: elsewhere\nextends: ci\n").unwrap();
    let elsewhere = outside.path().join("pack.yaml").to_string_lossy().into_owned();
    let chosen = run(dir.path(), &["check", "--format", "json", "--policy", &elsewhere, "project/agent.yaml"]);
    assert_eq!(chosen.code, 0, "{chosen}");
}

#[test]
fn a_file_that_is_not_a_policy_pack_is_reported_without_its_text() {
    let passwd_like = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
    let dir = repo(&[
        ("agent.yaml", HARDENED),
        ("notes.yaml", passwd_like),
        ("broken.yaml", "name: [unclosed\nsecret: hunter2hunter2\n"),
        ("team.yaml", "name: team\nextends: ./notes.yaml\n"),
    ]);
    let scalar = run(dir.path(), &["check", "--color", "never", "--policy", "team.yaml", "agent.yaml"]);
    insta::assert_snapshot!("not-a-pack", scalar.to_string());
    let broken = run(dir.path(), &["check", "--color", "never", "--policy", "broken.yaml", "agent.yaml"]);
    insta::assert_snapshot!("pack-syntax-error", broken.to_string());
    for out in [&scalar, &broken] {
        assert!(!out.stdout.contains("root:") && !out.stdout.contains("hunter2"), "{out}");
    }
    // A project configuration that is not a mapping is not shown either.
    std::fs::write(dir.path().join(".agentlint.yaml"), passwd_like).unwrap();
    let project = run(dir.path(), &["check", "--color", "never", "agent.yaml"]);
    insta::assert_snapshot!("project-not-a-mapping", project.to_string());
}

// --- budgets -----------------------------------------------------------------------------

/// A pack with one custom rule asserting `assert`.
fn cel_pack(assert: &str) -> String {
    format!(
        "name: hostile\nextends: production\ncustom:\n  - id: X1\n    name: hostile\n    severity: error\n    \
         message: never shown\n    assert: \"{assert}\"\n"
    )
}

fn numbers(n: usize) -> String {
    format!("[{}]", (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(","))
}

#[test]
fn cel_rules_that_exceed_their_budget_are_stopped_and_reported_at_the_pack() {
    let triple = format!("[{}].all(l, l.all(a, l.all(b, l.all(c, a + b + c >= 0))))", numbers(650));
    let maps = format!("[{}].all(l, l.map(a, l.map(b, l.map(c, [a, b, c]))).size() > 0)", numbers(300));
    let doubling = format!("[[1, 2]]{}.size() > 0", ".map(x, x + x)".repeat(60));
    let dir = repo(&[
        ("agents.yaml", include_str!("../fixtures/hardened.yaml")),
        ("triple.yaml", &cel_pack(&triple)),
        ("maps.yaml", &cel_pack(&maps)),
        ("doubling.yaml", &cel_pack(&doubling)),
    ]);
    let out = run(dir.path(), &["check", "--color", "never", "--policy", "triple.yaml", "agents.yaml"]);
    // The list of numbers makes the snippet one long line: shorten it for the snapshot.
    insta::assert_snapshot!("cel-triple-comprehension", out.to_string().replace(&numbers(650), "[0,1,…,649]"));
    for pack in ["maps.yaml", "doubling.yaml"] {
        let out = run(dir.path(), &["check", "--format", "json", "--policy", pack, "agents.yaml"]);
        assert_eq!(out.code, 1, "{out}");
        let budget: Vec<_> = findings(&out).into_iter().filter(|f| f.0 == "X1").collect();
        assert_eq!(
            budget,
            [(
                "X1".to_owned(),
                8,
                13,
                "custom rule X1 used up its evaluation budget (1000000 steps) on agent `reviewer` in \
                 `agents.yaml`; it was not checked there or on the agents after it"
                    .to_owned()
            )],
            "{pack}"
        );
        assert_eq!(json(&out)["findings"][0]["file"], pack);
    }
}

#[test]
fn a_one_megabyte_unknown_key_gets_no_suggestion_and_no_snippet() {
    let key = "x".repeat(1 << 20);
    // JSON: YAML allows implicit keys of at most 1024 characters (a longer one is AL001).
    let dir = repo(&[
        ("agent.json", &format!("{{\"permission_mode\": \"plan\",\n\"{key}\": 1}}\n")),
        ("agent.yaml", &format!("{HARDENED}{key}: 1\n")),
    ]);
    let out = run(dir.path(), &["check", "--format", "json", "agent.json"]);
    let report = json(&out);
    let unknown: Vec<_> = report["findings"].as_array().unwrap().iter().filter(|f| f["rule"] == "AL003").collect();
    assert_eq!(unknown.len(), 1, "{}", out.stderr);
    assert_eq!((unknown[0]["line"].as_u64(), unknown[0]["column"].as_u64()), (Some(2), Some(1)));
    assert_eq!(unknown[0]["message"], format!("unknown key `{key}`"));
    assert!(!unknown[0]["help"].as_str().unwrap_or_default().contains("did you mean"), "{}", unknown[0]["help"]);
    // The human output shows where, not the megabyte line (it would also be past the
    // renderer's last column).
    let human = run(dir.path(), &["check", "--color", "never", "agent.json", "agent.yaml"]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(human.stdout.contains("agent.json:2:1\n"), "{}", &human.stdout[..300.min(human.stdout.len())]);
    assert!(
        human.stdout.contains("invalid YAML: simple key expect ':'")
            && human.stdout.contains("agent.yaml:32:1048577\n")
    );
    assert!(human.stdout.len() < 2 * key.len(), "the key is printed once, in the message");
}

/// `apply_merges` looked up every merged key among all the keys before it. (20,000 keys are
/// merged in `document::yaml`'s unit test; the loader after it has its own costs per key.)
#[test]
fn a_merge_of_many_keys() {
    let keys: String = (0..2_000).map(|i| format!("  K{i}: \"v\"\n")).collect();
    let text = format!("x-base: &b\n{keys}permission_mode: plan\nenv:\n  <<: *b\n  K7: own\n");
    let dir = repo(&[("agent.yaml", &text)]);
    let out = run(dir.path(), &["check", "--format", "json", "agent.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let rules: Vec<String> = findings(&out).into_iter().map(|f| f.0).collect();
    assert_eq!(
        rules,
        ["AL103", "AL201", "AL202", "AL401", "AL404", "AL405", "AL501", "AL502"],
        "merged keys are valid `env` entries"
    );
}

// --- symbolic links ------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_directory_scan_skips_links_out_of_the_tree_but_a_named_file_is_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "token: hunter2hunter2\n").unwrap();
    let dir = repo(&[("agents/ci.yaml", HARDENED), ("shared/base.yaml", HARDENED)]);
    symlink(&outside.path().join("secret.yaml"), &dir.path().join("agents/x.yaml"));
    symlink(&dir.path().join("shared/base.yaml"), &dir.path().join("agents/inside.yaml"));
    let scan = run(dir.path(), &["check", "--color", "never", "."]);
    insta::assert_snapshot!("scan-skips-links-out-of-tree", scan.to_string());
    assert!(!scan.stdout.contains("hunter2"));
    let named = run(dir.path(), &["check", "--format", "json", "agents/x.yaml"]);
    assert_eq!(findings(&named).first().map(|f| f.0.as_str()), Some("AL003"), "{named}");
}

// --- terminal control characters ---------------------------------------------------------

#[test]
fn control_characters_and_bidi_overrides_are_escaped_in_every_format() {
    // YAML spells ESC `\e` and BEL `\a` in double quotes; the raw bytes are on line 3.
    let text = "permission_mode: plan\n\"\\e]0;pwned\\a\\e[2Jkey\\u202Eevil\": 1\nraw: \"\u{1b}[31mred\u{202e}\"\n";
    let dir = repo(&[("agent.yaml", text)]);
    let human = run(dir.path(), &["check", "--color", "never", "agent.yaml"]);
    insta::assert_snapshot!("control-characters-human", human.to_string());
    let github = run(dir.path(), &["check", "--format", "github", "agent.yaml"]);
    insta::assert_snapshot!("control-characters-github", github.to_string());
    for format in ["human", "json", "sarif", "github"] {
        let out = run(dir.path(), &["check", "--color", "always", "--format", format, "agent.yaml"]);
        for text in [&out.stdout, &out.stderr] {
            assert!(!text.contains('\u{202e}') && !text.contains('\u{7}'), "{format}: {out}");
            // Colour (SGR) sequences agentlint writes itself are all that is left.
            for (at, _) in text.match_indices('\u{1b}') {
                let rest = &text[at + 1..];
                let sgr = rest.starts_with('[')
                    && rest[1..]
                        .find('m')
                        .is_some_and(|m| rest[1..1 + m].bytes().all(|b| b.is_ascii_digit() || b == b';'));
                assert!(sgr, "{format}: {:?}", &text[at..(at + 12).min(text.len())]);
            }
        }
    }
}

// --- encodings ---------------------------------------------------------------------------------

#[test]
fn utf16_and_utf32_files_are_named() {
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("permission_mode: plan\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let dir = repo(&[]);
    std::fs::write(dir.path().join("agent.yaml"), utf16).unwrap();
    let utf32: Vec<u8> =
        [0, 0, 0xFE, 0xFF].into_iter().chain("{}".chars().flat_map(|c| (c as u32).to_be_bytes())).collect();
    std::fs::write(dir.path().join("agent.json"), utf32).unwrap();
    let out = run(dir.path(), &["check", "--color", "never", "agent.yaml", "agent.json"]);
    insta::assert_snapshot!("utf16-utf32", out.to_string());
}
