//! Runs the commands. Every outcome maps to a documented exit code:
//! 0 = nothing at or above `--fail-on`, 1 = findings that fail, 2 = usage or internal error.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use crate::cli::{CheckArgs, Cli, Command, Format, ListFormat, RulesArgs};
use crate::report::{FileReport, Summary, human, json};
use crate::rules::{REGISTRY, RuleEntry, docs};
use crate::{Linter, config};

/// Exit code: no finding reaches `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code: at least one finding reaches `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage error, unreadable path, or internal error.
pub const EXIT_ERROR: u8 = 2;

/// An error that ends the run with exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl<T: Into<String>> From<T> for UsageError {
    fn from(s: T) -> Self {
        UsageError(s.into())
    }
}

pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(args) => rules(&args),
        Command::Explain { rule } => explain(&rule),
        Command::Schema => {
            print!("{}", config::schema::to_pretty_string());
            Ok(EXIT_OK)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(UsageError(message)) => {
            eprintln!("agentlint: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// One input to check: a path, or standard input under a display name.
pub enum Input {
    Path(String),
    Stdin(String),
}

impl Input {
    pub fn name(&self) -> &str {
        match self {
            Input::Path(p) | Input::Stdin(p) => p,
        }
    }

    fn read(&self) -> Result<Vec<u8>, UsageError> {
        match self {
            Input::Path(p) => std::fs::read(p).map_err(|e| UsageError(format!("cannot read `{p}`: {e}"))),
            Input::Stdin(_) => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .map_err(|e| UsageError(format!("cannot read standard input: {e}")))?;
                Ok(buf)
            }
        }
    }
}

fn inputs(args: &CheckArgs) -> Result<Vec<Input>, UsageError> {
    let mut inputs = Vec::new();
    for path in &args.paths {
        if path == "-" {
            inputs.push(Input::Stdin(args.stdin_filename.clone().unwrap_or_else(|| "<stdin>".into())));
        } else if std::path::Path::new(path).is_dir() {
            return Err(format!("`{path}` is a directory; pass config files").into());
        } else {
            inputs.push(Input::Path(path.clone()));
        }
    }
    if inputs.is_empty() {
        return Err("no input: pass config files, or `-` for standard input".into());
    }
    Ok(inputs)
}

/// Checks inputs with a linter; unreadable inputs are usage errors.
pub fn check_inputs(linter: &Linter, inputs: &[Input]) -> Result<Vec<FileReport>, UsageError> {
    inputs.iter().map(|input| Ok(linter.check_bytes(input.name(), input.read()?))).collect()
}

fn check(args: &CheckArgs) -> Result<u8, UsageError> {
    let linter = Linter::default();
    let inputs = inputs(args)?;
    let reports = check_inputs(&linter, &inputs)?;
    emit(&reports, args)?;
    let summary = Summary::of(&reports);
    Ok(match summary.worst() {
        Some(worst) if worst >= args.fail_on.severity() => EXIT_FINDINGS,
        _ => EXIT_OK,
    })
}

fn emit(reports: &[FileReport], args: &CheckArgs) -> Result<(), UsageError> {
    let out = &args.output;
    let summary = human::summary_line(reports);
    let mut stdout = std::io::stdout().lock();
    let written = match out.format {
        Format::Human => {
            let color = out.color.enabled(std::io::stdout().is_terminal());
            let mut text = human::render(reports, human::HumanOptions { color, ..Default::default() });
            if !out.quiet {
                text.push_str(&summary);
                text.push('\n');
            }
            stdout.write_all(text.as_bytes())
        }
        Format::Json => {
            if !out.quiet {
                eprintln!("{summary}");
            }
            stdout.write_all(json::render(reports).as_bytes())
        }
    };
    match written {
        Ok(()) => Ok(()),
        // A closed pipe (`agentlint check … | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}").into()),
    }
}

fn rules(args: &RulesArgs) -> Result<u8, UsageError> {
    match args.format {
        ListFormat::Human => print!("{}", docs::catalogue_table(REGISTRY)),
        ListFormat::Json => {
            let list: Vec<_> = REGISTRY
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "id": e.meta.id, "name": e.meta.name,
                        "severity": e.meta.severity.as_str(), "summary": e.meta.summary,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&list).expect("serializes"));
        }
    }
    Ok(EXIT_OK)
}

fn explain(rule: &str) -> Result<u8, UsageError> {
    match crate::rules::find_rule(rule) {
        Some(entry) => {
            print!("{}", docs::explain(entry));
            Ok(EXIT_OK)
        }
        None => Err(unknown_rule(rule).into()),
    }
}

/// "unknown rule `AL14`; did you mean AL104, AL014?"
pub fn unknown_rule(rule: &str) -> String {
    let mut scored: Vec<(&RuleEntry, f64)> = REGISTRY
        .iter()
        .map(|e| {
            let by_id = strsim::normalized_levenshtein(&rule.to_ascii_uppercase(), e.meta.id);
            let by_name = strsim::normalized_levenshtein(rule, e.meta.name);
            (e, by_id.max(by_name))
        })
        .filter(|(_, s)| *s >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.meta.id.cmp(b.0.meta.id)));
    let ids: Vec<String> = scored.iter().take(3).map(|(e, _)| format!("{} ({})", e.meta.id, e.meta.name)).collect();
    if ids.is_empty() {
        format!("unknown rule `{rule}`; `agentlint rules` lists them all")
    } else {
        format!("unknown rule `{rule}`; did you mean {}?", ids.join(", "))
    }
}
