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

/// One synthetic credential of every format `secrets::kinds()` knows (a test fails when a kind
/// is added without one here).
fn one_of_each_kind() -> Vec<(&'static str, String)> {
    let pem_body = format!("{}\n", "MIIEpAIBAAKCAQEAx7Lq2Wm9".repeat(3)).repeat(3);
    vec![
        ("anthropic-api-key", format!("sk-ant-api03-{}AA", body(93, "Q7rLm2Xv9TbN4kWc8Hz"))),
        ("anthropic-admin-api-key", format!("sk-ant-admin01-{}AA", body(93, "Pb3Vn8Kd1Mx6Rz0Tq5"))),
        ("claude-code-oauth-token", format!("sk-ant-oat01-{}", body(95, "Ue4Wi9Oa2Sd7Fg1Hj6"))),
        ("derived-anthropic-fallback", format!("sk-ant-sid02-{}", body(40, "Kl3Zx8Cv5Bn0Mq2We7"))),
        (
            "openai-api-key",
            format!("sk-proj-{}T3BlbkFJ{}", body(74, "Rt4Yu9Io1Pa6Sd3Fg8"), body(74, "Hj2Kl7Zx0Cv5Bn9Mq4")),
        ),
        ("aws-access-token", "AKIAQWERTYUIOPASDFGH".to_owned()),
        ("aws-amazon-bedrock-api-key-long-lived", format!("ABSK{}==", body(120, "Zx8Pq2Lm7Tr4Wn1Yv"))),
        (
            "aws-amazon-bedrock-api-key-short-lived",
            format!("bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t{}", body(60, "Lz9BY3Rpb249Q2x")),
        ),
        ("github-pat", format!("ghp_{}", body(36, "Jd3Kf8Lm1Np6Qr0St5Uv"))),
        ("github-fine-grained-pat", format!("github_pat_{}_{}", body(22, "Kx8Lw3Mv7Nu2"), body(59, "Ot6Ps1Qr5Rq0Sp4"))),
        ("github-oauth", format!("gho_{}", body(36, "Tn9Um3Vl8Wk2Xj7Yi1"))),
        ("github-app-token", format!("ghs_{}", body(36, "Zh6Ag0Bf5Ce9Dd4Ec8"))),
        ("github-refresh-token", format!("ghr_{}", body(36, "Fb3Ga7Hz2Iy6Jx1Kw5"))),
        ("gitlab-pat", format!("glpat-{}", body(20, "Lv9Mu4Nt8Os3Pr7"))),
        ("gitlab-pat-routable", format!("glpat-{}.01{}", body(30, "Qq2Rp6So1Tn5Um0"), body(7, "vlwkxjy"))),
        ("slack-bot-token", format!("xoxb-1234567890-1234567890-{}", body(24, "Ab1Cd2Ef3Gh4Ij5Kl6"))),
        ("slack-legacy-bot-token", format!("xoxb-12345678-{}", body(24, "Mn7Op8Qr9St0Uv1Wx2"))),
        ("slack-user-token", format!("xoxp-1234567890-1234567890-1234567890-{}", body(32, "Yz3Ab4Cd5Ef6Gh7Ij8"))),
        ("slack-app-token", format!("xapp-1-A0123456789-1234567890-{}", body(40, "abc123def456ghi789"))),
        ("slack-config-access-token", format!("xoxe.xoxp-1-{}", body(165, "KL9MN0OP1QR2ST3UV4"))),
        ("slack-config-refresh-token", format!("xoxe-1-{}", body(146, "WX5YZ6AB7CD8EF9GH0"))),
        ("slack-legacy-token", format!("xoxs-123-456-789-{}", body(30, "abcdef0123456789"))),
        ("slack-legacy-workspace-token", format!("xoxa-2-{}", body(40, "Ij1Kl2Mn3Op4Qr5St6"))),
        (
            "slack-webhook-url",
            format!("https://hooks.slack.com/services/T00000000/B00000000/{}", body(24, "Uv7Wx8Yz9Ab0Cd1")),
        ),
        ("gcp-api-key", format!("AIzaSy{}", body(33, "Ef2Gh3Ij4Kl5Mn6Op7"))),
        ("stripe-access-token", format!("sk_live_{}", body(40, "Qr8St9Uv0Wx1Yz2Ab3"))),
        ("huggingface-access-token", format!("hf_{}", body(34, "CdEfGhIjKlMnOpQrSt"))),
        ("npm-access-token", format!("npm_{}", body(36, "uv4wx5yz6ab7cd8ef9"))),
        ("pypi-upload-token", format!("pypi-AgEIcHlwaS5vcmc{}", body(80, "Gh0Ij1Kl2Mn3Op4Qr5"))),
        ("private-key", format!("-----BEGIN RSA PRIVATE KEY-----\n{pem_body}-----END RSA PRIVATE KEY-----")),
        (
            "jwt",
            format!("eyJhbGciOiJIUzI1NiJ9.eyJ{}.{}", body(40, "zdWIiOiIxMjM0NTY3"), body(43, "St6Uv7Wx8Yz9Ab0Cd1")),
        ),
        ("url-password", body(24, "Pa55w0rdXyZ-Q9v.Lm")),
    ]
}

/// Every 8-character piece of what no output may show of `secret`: all of it but what
/// `secrets::redact_as` shows (its public prefix and last characters).
fn hidden_pieces(secret: &str, kind: &str) -> Vec<String> {
    let kind = agentlint::secrets::kinds().iter().find(|k| k.id == kind).unwrap();
    let shown = agentlint::secrets::redact_as(secret, kind);
    let (head, tail) = shown.split_once('…').unwrap_or(("", ""));
    let hidden: Vec<char> = secret[head.len()..secret.len() - tail.len()].chars().filter(|c| *c != '\n').collect();
    hidden.windows(8).map(|w| w.iter().collect()).collect()
}

/// A config holding `secret` in every position a value from a file can be printed from.
fn config_with(kind: &str, secret: &str) -> String {
    if kind == "url-password" {
        let url = format!("postgres://deploy:{secret}@db.internal:5432/app");
        return format!(
            "permission_mode: plan\nmcp_servers:\n  db:\n    type: http\n    url: {url}\n    headers: {{X-Db: \"{url}\"}}\n\
             system_prompt: see {url}\nallowed_tools: [\"Bash(psql {url}:*)\"]\n\"{url}\": 1\n"
        );
    }
    let one_line = secret.replace('\n', "\\n");
    let (first, second) = one_line.split_at(one_line.len() / 2);
    // The first character written as a YAML escape, so the source does not spell the secret.
    let escaped = format!("\\x{:02x}{}", one_line.as_bytes()[0], &one_line[1..]);
    format!(
        "agents:\n  \"{one_line}\":\n    permission_mode: plan\n    max_turns: 3\n    max_budget_usd: 1\n\
         \x20   allowed_tools: [\"Bash(curl -H {one_line}:*)\", \"WebFetch(domain:{one_line})\"]\n\
         \x20   env: {{TOKEN: \"{one_line}\", HEADER: \"--header=\\\"{one_line}\\\"\"}}\n\
         \x20   system_prompt: >-\n      {first}\n      {second}\n\
         \x20   append_system_prompt: \"{escaped}\"\n\
         \x20 other:\n    model: \"{one_line}\"\n    \"{one_line}\": unknown\n"
    )
}

#[test]
fn every_credential_format_in_every_position_is_hidden_in_every_format() {
    let secrets = one_of_each_kind();
    for kind in agentlint::secrets::kinds() {
        assert!(secrets.iter().any(|(id, _)| *id == kind.id), "no example of {}", kind.id);
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (kind, secret) in &secrets {
        let found = agentlint::secrets::scan(secret);
        if *kind != "url-password" {
            assert_eq!(found.len(), 1, "{kind}: {secret}");
        }
        let path = dir.path().join(format!("{kind}.yaml"));
        std::fs::write(&path, config_with(kind, secret)).unwrap();
        files.push(path.to_string_lossy().into_owned());
    }
    // A custom rule's message and help may quote a secret too.
    let (_, key) = &secrets[0];
    let pack = dir.path().join("pack.yaml");
    std::fs::write(
        &pack,
        format!(
            "name: leaky\nextends: production\ncustom:\n  - id: LEAK1\n    name: leaky\n    severity: error\n    \
             message: \"do not use {key}\"\n    help: \"rotate {key}\"\n    assert: \"false\"\n"
        ),
    )
    .unwrap();
    let pack = pack.to_string_lossy().into_owned();
    for format in formats() {
        let mut args = vec!["check", "--color", "always", "--format", &format, "--policy", &pack];
        args.extend(files.iter().map(String::as_str));
        let run = agentlint(&args);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        for (kind, secret) in &secrets {
            for piece in hidden_pieces(secret, kind) {
                for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
                    assert!(!text.contains(&piece), "{format} {stream} shows `{piece}` of the {kind}");
                }
            }
        }
    }
    let show = agentlint(&["policy", "show", &pack]);
    for piece in hidden_pieces(key, "anthropic-api-key") {
        assert!(!show.stdout.contains(&piece), "policy show prints `{piece}`");
    }
}
