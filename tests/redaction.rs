//! No output format prints a credential in full: messages show `secrets::redact`ed
//! forms and snippets show masked source, whatever the rule and wherever the secret is.

mod common;

use clap::ValueEnum;
use common::agentlint;

/// Every `--format` the binary accepts, so a new output format is covered automatically.
fn formats() -> Vec<String> {
    agentlint::cli::Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_owned())
        .collect()
}

/// `n` characters of a fixed, non-repeating-looking pattern, so substrings are unique.
fn body(n: usize, seed: &str) -> String {
    seed.chars().cycle().take(n).collect()
}

/// The part of a secret no output may show: everything after a public prefix of at most
/// 16 characters and before the last 4.
fn hidden_part(secret: &str) -> &str {
    &secret[16.min(secret.len() / 2)..secret.len() - 4]
}

fn assert_not_printed(run: &common::Run, secret: &str, what: &str) {
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(!text.contains(secret), "{what}: the full secret is on {stream}:\n{text}");
        assert!(!text.contains(hidden_part(secret)), "{what}: the hidden part of the secret is on {stream}:\n{text}");
    }
}

#[test]
fn credentials_never_appear_in_any_output_format() {
    let api_key = format!("sk-ant-api03-{}AA", body(93, "Q7rLm2Xv9TbN4kWc8Hz"));
    let env_token = format!("ghp_{}", body(36, "Jd3Kf8Lm1Np6Qr0St5Uv"));
    let header_token = format!("ghp_{}", body(36, "Wx4Yz9Ab2Cd7Ef1Gh6Ij"));
    // Written with an escape (`\x67` is `g`): the source does not spell the token.
    let escaped_token = format!("ghp_{}", body(36, "Mn5Op0Qr3St8Uv2Wx7Yz"));
    let text = format!(
        "permission_mode: dont_ask\n\
         api_key: {api_key}\n\
         mcp_servers:\n  \
           github:\n    \
             command: github-mcp-server\n    \
             args: [\"--token\", \"\\x67{escaped}\"]\n    \
             env:\n      \
               GITHUB_PERSONAL_ACCESS_TOKEN: {env_token}\n  \
           remote:\n    \
             type: http\n    \
             url: https://mcp.internal/mcp\n    \
             headers:\n      \
               Authorization: \"Bearer {header_token}\"\n",
        escaped = &escaped_token[1..],
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leaky.yaml").to_string_lossy().into_owned();
    std::fs::write(&path, &text).unwrap();

    let json = agentlint(&["check", "--format", "json", &path]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let secret_findings: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| ["AL301", "AL302", "AL701"].contains(&f["rule"].as_str().unwrap()))
        .map(|f| (f["rule"].as_str().unwrap(), f["pointer"].as_str().unwrap()))
        .collect();
    assert_eq!(
        secret_findings,
        [
            ("AL301", "/api_key"),
            ("AL302", "/mcp_servers/github/args/1"),
            ("AL302", "/mcp_servers/github/env/GITHUB_PERSONAL_ACCESS_TOKEN"),
            ("AL302", "/mcp_servers/remote/headers/Authorization"),
        ],
        "every secret is reported"
    );

    let formats = formats();
    assert!(formats.iter().any(|f| f == "human") && formats.iter().any(|f| f == "json"));
    for format in &formats {
        let run = agentlint(&["check", "--color", "never", "--format", format, &path]);
        assert_eq!(run.code, 1, "{format}: {run}");
        for secret in [&api_key, &env_token, &header_token, &escaped_token] {
            assert_not_printed(&run, secret, format);
        }
    }
}

/// Every secret in every rule fixture stays hidden in human and JSON output.
#[test]
fn rule_fixtures_never_print_their_secrets() {
    let base = std::path::Path::new(common::root()).join("fixtures/rules");
    let mut checked = 0;
    let mut files = Vec::new();
    let mut stack = vec![base];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() { stack.push(path) } else { files.push(path) }
        }
    }
    files.sort();
    {
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let secrets: Vec<&str> = agentlint::secrets::scan(&text).iter().map(|m| &text[m.start..m.end]).collect();
            if secrets.is_empty() {
                continue;
            }
            let relative = path.strip_prefix(common::root()).unwrap().to_string_lossy().into_owned();
            for format in ["human", "json"] {
                let run = agentlint(&["check", "--color", "never", "--format", format, &relative]);
                for secret in &secrets {
                    assert_not_printed(&run, secret, &format!("{relative} ({format})"));
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} fixtures hold secrets");
}
