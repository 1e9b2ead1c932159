//! `agentlint args FILE`: check the config with the given linter, then print one agent's
//! `claude` launch arguments. Nothing reaches standard output unless the check passes and
//! every option could be encoded; findings, refusals and notes go to standard error.

use std::io::{IsTerminal, Write};

use super::{EXIT_FINDINGS, EXIT_OK, UsageError};
use crate::Linter;
use crate::cli::{ColorChoice, LaunchArgs, LaunchFormat};
use crate::config::{self, Agent, LoadedConfig};
use crate::launch::{self, LaunchSpec};
use crate::report::{FileReport, Summary, human};

/// Runs `agentlint args` with the linter the caller configured (policy, project config).
pub fn run(linter: &Linter, args: &LaunchArgs) -> Result<u8, UsageError> {
    let path = args.file.as_str();
    // Bounded like every other read: a source file may be attacker-written.
    let bytes = crate::document::read_regular_file(std::path::Path::new(path))
        .map_err(|e| UsageError(format!("cannot read `{path}`: {e}")))?;
    // One load serves both the check and the encoding. Program source and command lines are
    // read as their kind; anything else is a deployment config.
    let kind =
        crate::kinds::detect(path).filter(|k| k.kind.is_extracted()).unwrap_or(crate::kinds::FileKind::DEPLOYMENT);
    let (mut config, load_findings) = crate::kinds::load(path, bytes, kind);
    let (findings, redactions) = linter.lint(&config, load_findings);

    let agent = match config.parsed && !config.agents.is_empty() {
        // Agent names come from the file: redacted and escaped like every other message.
        true => Some(select_agent(&config, path, args.agent.as_deref()).map_err(|e| {
            UsageError(launch::shell::escape_for_display(&crate::secrets::redact_all(&e.0)).into_owned())
        })?),
        false => None,
    };
    let threshold = args.fail_on.severity();
    if findings.iter().any(|f| f.suppressed.is_none() && f.severity >= threshold) {
        let source = std::mem::replace(&mut config.source, config::empty_source(path));
        print_findings(FileReport { source, kind: Some(config.kind), findings, redactions });
        return Ok(EXIT_FINDINGS);
    }
    let summary = Summary::of_findings(&findings, 1);
    let Some(agent) = agent else {
        return Err(format!("`{path}` defines no agent to launch").into());
    };
    if summary.worst().is_some() {
        let counts = [(summary.errors, "error"), (summary.warnings, "warning"), (summary.notes, "note")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, word)| format!("{n} {word}{}", if *n == 1 { "" } else { "s" }))
            .collect::<Vec<_>>()
            .join(", ");
        let level = threshold.as_str();
        say(&format!("agentlint: note: {counts} below `--fail-on {level}`; `agentlint check {path}` shows them"));
    }

    let undecided = crate::kinds::source::undecided(agent);
    if !undecided.is_empty() {
        say(&format!(
            "agentlint: error: cannot emit launch arguments for {}: these values are not literals in the source:",
            who(agent, path)
        ));
        for problem in &undecided {
            say(&format!("  - {problem}"));
        }
        return Ok(EXIT_FINDINGS);
    }
    let spec = match launch::launch_spec_for(agent, args.cli_version) {
        Ok(spec) => spec.with_program(&args.claude),
        Err(e) => {
            say(&format!(
                "agentlint: error: cannot emit launch arguments for {} (CLI {}):",
                who(agent, path),
                args.cli_version
            ));
            for problem in &e.problems {
                say(&format!("  - {problem}"));
            }
            return Ok(EXIT_FINDINGS);
        }
    };
    if args.cli_version > launch::flags::BASELINE {
        say(&format!(
            "agentlint: note: CLI {} is newer than the newest release agentlint was tested with ({}); the arguments are those for {}",
            args.cli_version,
            launch::flags::BASELINE,
            launch::flags::BASELINE
        ));
    }
    for option in &spec.not_expressible {
        say(&format!("agentlint: note: not expressible as launch arguments: {option}"));
    }
    let bytes = match args.format {
        LaunchFormat::Shell => {
            argv_only_notes(&spec);
            launch::shell::render(&spec).map_err(|e| UsageError(e.to_string()))?.into_bytes()
        }
        LaunchFormat::Nul => {
            argv_only_notes(&spec);
            launch::nul::render(&spec)
        }
        LaunchFormat::Json => launch::json::render(&spec).into_bytes(),
    };
    match std::io::stdout().lock().write_all(&bytes) {
        Ok(()) => Ok(EXIT_OK),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(e) => Err(format!("cannot write output: {e}").into()),
    }
}

/// The agent to launch: the only one of a single-agent file, or the one `--agent` names.
fn select_agent<'a>(config: &'a LoadedConfig, path: &str, wanted: Option<&str>) -> Result<&'a Agent, UsageError> {
    let names: Vec<&str> = config.agents.iter().filter_map(|a| a.name.as_deref()).collect();
    let listed = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    // Sessions read from source are named `FILE:LINE`, also when the file has only one.
    if config.kind.kind.is_extracted()
        && let Some(name) = wanted
    {
        return match config.agents.iter().find(|a| a.name.as_deref() == Some(name)) {
            Some(agent) => Ok(agent),
            None => Err(format!("no session starts at `{name}`; the sessions of `{path}` are {listed}").into()),
        };
    }
    match (config.several, wanted) {
        (false, None) => config.agents.first().ok_or_else(|| format!("`{path}` defines no agent to launch").into()),
        (false, Some(name)) => {
            Err(format!("`{path}` describes a single agent (it has no `agents:` mapping); drop `--agent {name}`")
                .into())
        }
        (true, None) => {
            Err(format!("`{path}` defines several agents; choose one with `--agent NAME`: {listed}").into())
        }
        (true, Some(name)) => match config.agents.iter().find(|a| a.name.as_deref() == Some(name)) {
            Some(agent) => Ok(agent),
            None => {
                let closest = names
                    .iter()
                    .map(|n| (*n, strsim::jaro_winkler(name, n)))
                    .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(n, _)| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                Err(format!("no agent `{name}` in `{path}`; {closest}(agents: {listed})").into())
            }
        },
    }
}

/// One line to standard error, as every message of `args` is written: credentials redacted,
/// control characters and bidirectional overrides shown as `\u{…}`.
fn say(line: &str) {
    crate::output::eprintln(line);
}

fn who(agent: &Agent, path: &str) -> String {
    match &agent.name {
        Some(name) => format!("agent `{name}` in `{path}`"),
        None => format!("`{path}`"),
    }
}

fn print_findings(report: FileReport) {
    let color = ColorChoice::Auto.enabled(std::io::stderr().is_terminal());
    let mut reports = [report];
    crate::output::clean_reports(&mut reports);
    let mut text = human::render(&reports, human::HumanOptions { color, ..Default::default() });
    text.push_str(&human::summary_line(&reports));
    text.push('\n');
    text.push_str("agentlint: no launch arguments printed: the config does not pass the check\n");
    let kind = if color { crate::output::Kind::Colored } else { crate::output::Kind::Text };
    crate::output::write_stderr(&text, kind);
}

/// The shell and NUL formats carry only argv: say what else the launch needs.
fn argv_only_notes(spec: &LaunchSpec) {
    if let Some(cwd) = &spec.cwd {
        say(&format!(
            "agentlint: note: run it in `{cwd}` (the working directory is not a flag; `--format json` carries it as `cwd`)"
        ));
    }
    if !spec.env.is_empty() {
        let mut parts: Vec<String> = spec.env.pass.iter().map(|n| format!("pass {n}")).collect();
        parts.extend(spec.env.set.iter().map(|(n, v)| format!("set {n}={v}")));
        parts.extend(spec.env.from.iter().map(|(n, f)| format!("set {n} from {f}")));
        say(&format!("agentlint: note: environment: {} (`--format json` carries it as `env`)", parts.join("; ")));
    }
}
