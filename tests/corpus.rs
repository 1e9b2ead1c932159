//! Every real-world Claude Code config in ../shared/corpus runs through `agentlint check`
//! without a panic and without exit code 2. They are not deployment configs, so they
//! produce findings; the point is robustness.

mod common;

use common::corpus_files;

#[test]
#[cfg_attr(not(ci), ignore = "needs ../shared/corpus; runs under CI=true, or with `cargo test -- --ignored`")]
fn corpus_never_crashes() {
    let files = corpus_files();
    assert!(files.len() >= 250, "expected the whole corpus, found {}", files.len());
    let args: Vec<String> = files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    for format in ["json", "human"] {
        let mut argv = vec!["check", "--format", format, "--color", "never"];
        argv.extend(args.iter().map(String::as_str));
        let run = common::agentlint(&argv);
        assert!(run.code == 0 || run.code == 1, "exit {}: {}", run.code, run.stderr);
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("internal error"), "{}", run.stderr);
        if format == "json" {
            let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("valid JSON report");
            assert_eq!(report["summary"]["files"].as_u64(), Some(files.len() as u64));
            // The broken folder holds files that are not valid JSON: each is one AL001.
            for f in report["findings"].as_array().unwrap() {
                let file = f["file"].as_str().unwrap();
                if file.contains("/broken/") {
                    assert_eq!(f["rule"], "AL001", "{f}");
                }
            }
        }
    }
}

/// Credentials the corpus README says were replaced by synthetic values must never be
/// printed in full by any output format.
#[test]
#[cfg_attr(not(ci), ignore = "needs ../shared/corpus; runs under CI=true, or with `cargo test -- --ignored`")]
fn corpus_credentials_are_never_printed() {
    let files = corpus_files();
    let args: Vec<String> = files.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let mut secrets = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for m in agentlint::secrets::scan(&text) {
            secrets.push(text[m.start..m.end].to_owned());
        }
    }
    assert!(!secrets.is_empty(), "the corpus holds synthetic credentials");
    for format in ["json", "human"] {
        let mut argv = vec!["check", "--format", format, "--color", "never"];
        argv.extend(args.iter().map(String::as_str));
        let run = common::agentlint(&argv);
        for secret in &secrets {
            assert!(!run.stdout.contains(secret.as_str()), "{format} output leaks a credential");
        }
    }
}
