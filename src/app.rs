//! Runs the commands. Every outcome maps to a documented exit code:
//! 0 = nothing at or above `--fail-on`, 1 = findings that fail, 2 = usage or internal error.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use crate::cli::{CheckArgs, Cli, Command, Format, ListFormat, PoliciesArgs, PolicyCommand, RulesArgs};
use crate::config;
use crate::output::{self, Kind};
use crate::policy::{Policy, Resolver};
use crate::report::{FileReport, Summary, github, human, json, sarif};
use crate::rules::{REGISTRY, RuleEntry, docs};

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

mod launch_args;

pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(args) => rules(&args),
        Command::Explain { rule } => explain(&rule),
        Command::Schema => print(&config::schema::to_pretty_string(), Kind::Json),
        Command::Args(args) => launch_args(&args),
        Command::Policies(args) => policies(&args),
        Command::Policy { command: PolicyCommand::Show { name } } => policy_show(&name),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(UsageError(message)) => {
            output::eprintln(format!("agentlint: error: {message}"));
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

    /// The bytes to check: at most one more than the size limit, so that a file named on the
    /// command line that never ends (a device, a pipe) is reported as too large, not read forever.
    fn read(&self) -> Result<Vec<u8>, UsageError> {
        use crate::document::read_limited;
        match self {
            Input::Path(p) => {
                std::fs::File::open(p).and_then(read_limited).map_err(|e| UsageError(format!("cannot read `{p}`: {e}")))
            }
            Input::Stdin(_) => {
                read_limited(std::io::stdin()).map_err(|e| UsageError(format!("cannot read standard input: {e}")))
            }
        }
    }
}

/// A project configuration's directory and its `include` / `exclude` globs.
type FileFilters = (PathBuf, Vec<String>, Vec<String>);

/// The inputs named on the command line (`.` when none): directories are searched for
/// deployment configs with the include/exclude globs `filters` gives for the directory
/// (its project configuration's); files are taken as given.
fn inputs(args: &CheckArgs, filters: &mut dyn FnMut(&Path) -> Option<FileFilters>) -> Result<Vec<Input>, UsageError> {
    let default = [".".to_owned()];
    let paths = if args.paths.is_empty() { &default[..] } else { &args.paths[..] };
    let mut inputs = Vec::new();
    for path in paths {
        if path == "-" {
            inputs.push(Input::Stdin(args.stdin_filename.clone().unwrap_or_else(|| "<stdin>".into())));
        } else if std::path::Path::new(path).is_dir() {
            // The project configuration's globs are relative to its own directory.
            let (found, include) = match filters(Path::new(path)) {
                Some((base, include, exclude)) => {
                    (crate::discover::discover_all(Path::new(path), Some(base.as_path()), &include, &exclude), include)
                }
                None => (crate::discover::discover_all(Path::new(path), None, &[], &[]), Vec::new()),
            };
            let crate::discover::Found { files: found, skipped_links } =
                found.map_err(|e| UsageError(e.to_string()))?;
            for link in skipped_links.iter().filter(|_| !args.output.quiet) {
                output::eprintln(format!(
                    "agentlint: note: skipped `{}`: it links to a file outside `{path}` (name it on the command line to check it)",
                    link.display()
                ));
            }
            if found.is_empty() && !args.output.quiet {
                output::eprintln(format!(
                    "agentlint: note: no deployment configs in `{path}` (looked for {}); nothing to check there",
                    crate::discover::describe(&include)
                ));
            }
            inputs.extend(found.iter().map(|p| Input::Path(p.to_string_lossy().into_owned())));
        } else {
            inputs.push(Input::Path(path.clone()));
        }
    }
    Ok(inputs)
}

/// Below this many inputs, starting the thread pool costs more than checking in parallel saves.
const PARALLEL_FROM: usize = 8;

/// Checks each input with its own policy (one linter per project configuration); unreadable
/// inputs are usage errors. Reports come back in input order whether or not they were checked
/// in parallel.
fn check_with_policies(checked: &[(&Input, Arc<Policy>)]) -> Result<Vec<FileReport>, UsageError> {
    let check = |(input, policy): &(&Input, Arc<Policy>)| Ok(policy.linter.check_bytes(input.name(), input.read()?));
    if checked.len() >= PARALLEL_FROM {
        use rayon::prelude::*;
        checked.par_iter().map(check).collect()
    } else {
        checked.iter().map(check).collect()
    }
}

fn check(args: &CheckArgs) -> Result<u8, UsageError> {
    let mut resolver = Resolver::new(args.policy.policy.as_deref(), args.policy.config.as_deref())?;
    let inputs = inputs(args, &mut |dir| {
        let policy = resolver.policy_for_dir(dir)?;
        policy.file_filters().map(|(base, include, exclude)| (base.to_owned(), include.to_vec(), exclude.to_vec()))
    })?;
    let policies: Vec<Option<Arc<Policy>>> = inputs.iter().map(|i| resolver.policy_for_file(i.name())).collect();
    if resolver.has_errors() {
        return policy_errors(resolver, |reports| emit(reports, args));
    }
    let checked: Vec<(&Input, Arc<Policy>)> = inputs.iter().zip(policies).filter_map(|(i, p)| Some((i, p?))).collect();
    let mut reports = check_with_policies(&checked)?;
    reports.extend(resolver.into_reports());
    emit(&mut reports, args)?;
    let summary = Summary::of(&reports);
    Ok(match summary.worst() {
        Some(worst) if worst >= args.fail_on.severity() => EXIT_FINDINGS,
        _ => EXIT_OK,
    })
}

/// Renders the reports in the chosen format and writes them. Every string goes through the
/// output step (`output::clean_reports`, then `output::finish` on the rendered text).
fn emit(reports: &mut [FileReport], args: &CheckArgs) -> Result<(), UsageError> {
    output::clean_reports(reports);
    let reports = &*reports;
    let out = &args.output;
    let summary = human::summary_line(reports);
    let to_file = out.output_file.as_deref();
    let (text, kind) = match out.format {
        Format::Human => {
            let color = out.color.enabled(to_file.is_none() && std::io::stdout().is_terminal());
            let mut text = human::render(reports, human::HumanOptions { color, ..Default::default() });
            if !out.quiet {
                text.push_str(&summary);
                text.push('\n');
            }
            (text, if color { Kind::Colored } else { Kind::Text })
        }
        Format::Json => (json::render(reports), Kind::Json),
        Format::Sarif => (sarif::render(reports), Kind::Json),
        Format::Github => (github::render(reports), Kind::Text),
    };
    match to_file {
        Some(path) => {
            output::write_file(path, &text, kind).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?
        }
        None => output::write_stdout(&text, kind).map_err(|e| format!("cannot write output: {e}"))?,
    }
    // Machine formats and reports written to a file keep the summary on standard error.
    if !out.quiet && (out.format != Format::Human || to_file.is_some()) {
        output::eprintln(&summary);
    }
    Ok(())
}

/// Writes command output (tables, docs, JSON lists) to standard output through the output step.
fn print(text: &str, kind: Kind) -> Result<u8, UsageError> {
    output::write_stdout(text, kind).map_err(|e| format!("cannot write output: {e}"))?;
    Ok(EXIT_OK)
}

/// `agentlint args`: the same policy and project configuration as `check` would use for the file.
fn launch_args(args: &crate::cli::LaunchArgs) -> Result<u8, UsageError> {
    let mut resolver = Resolver::new(args.policy.policy.as_deref(), args.policy.config.as_deref())?;
    let policy = resolver.policy_for_file(&args.file);
    match policy.filter(|_| !resolver.has_errors()) {
        Some(policy) => launch_args::run(&policy.linter, args),
        // Standard output is for arguments only: policy problems go to standard error.
        None => policy_errors(resolver, |reports| {
            output::clean_reports(reports);
            output::write_stderr(&human::render(reports, human::HumanOptions::default()), Kind::Text);
            Ok(())
        }),
    }
}

/// Reports problems in policy files (or that a policy file cannot be read) and exits 2.
fn policy_errors(
    resolver: Resolver,
    show: impl FnOnce(&mut [FileReport]) -> Result<(), UsageError>,
) -> Result<u8, UsageError> {
    for message in resolver.usage_errors() {
        output::eprintln(format!("agentlint: error: {message}"));
    }
    let mut reports = resolver.into_reports();
    if !reports.is_empty() {
        show(&mut reports)?;
        output::eprintln("agentlint: error: the policy has errors (reported above), so nothing was checked");
    }
    Ok(EXIT_ERROR)
}

/// Human rendering of policy-file problems for commands without output options.
fn show_human(reports: &mut [FileReport]) -> Result<(), UsageError> {
    output::clean_reports(reports);
    let color = crate::cli::ColorChoice::Auto.enabled(std::io::stdout().is_terminal());
    let mut text = human::render(reports, human::HumanOptions { color, ..Default::default() });
    text.push_str(&human::summary_line(reports));
    text.push('\n');
    print(&text, if color { Kind::Colored } else { Kind::Text }).map(|_| ())
}

/// `agentlint rules`: the catalogue with the severities of the policy that applies here.
fn rules(args: &RulesArgs) -> Result<u8, UsageError> {
    let mut resolver = Resolver::new(args.policy.policy.as_deref(), args.policy.config.as_deref())?;
    let policy = resolver.policy_for_dir(Path::new("."));
    let Some(policy) = policy.filter(|_| !resolver.has_errors()) else {
        return policy_errors(resolver, show_human);
    };
    match args.format {
        ListFormat::Human => {
            print(&crate::policy::rules_table(&policy.state), Kind::Text)?;
        }
        ListFormat::Json => {
            let list: Vec<_> = policy
                .state
                .slots
                .iter()
                .map(|slot| {
                    serde_json::json!({
                        "id": slot.meta.id, "name": slot.meta.name,
                        "severity": slot.meta.severity.as_str(),
                        "level": slot.effective().map_or("off", |s| s.as_str()),
                        "summary": slot.meta.summary,
                    })
                })
                .collect();
            print(&format!("{}\n", serde_json::to_string_pretty(&list).expect("serializes")), Kind::Json)?;
        }
    }
    Ok(EXIT_OK)
}

/// `agentlint policies`: the built-in packs.
fn policies(args: &PoliciesArgs) -> Result<u8, UsageError> {
    let mut resolver = Resolver::new(None, None)?;
    let packs: Vec<_> = crate::policy::builtin::BUILTIN_PACKS.iter().filter_map(|b| resolver.pack(b.name)).collect();
    if resolver.has_errors() {
        return policy_errors(resolver, show_human);
    }
    match args.format {
        ListFormat::Human => {
            print(&crate::policy::packs_table(&packs), Kind::Text)?;
        }
        ListFormat::Json => {
            let list: Vec<_> = packs
                .iter()
                .map(|p| {
                    let extends = p.chain.split_last().and_then(|(_, parents)| parents.last());
                    serde_json::json!({"name": p.name, "description": p.description, "extends": extends})
                })
                .collect();
            print(&format!("{}\n", serde_json::to_string_pretty(&list).expect("serializes")), Kind::Json)?;
        }
    }
    Ok(EXIT_OK)
}

/// `agentlint policy show NAME`.
fn policy_show(name: &str) -> Result<u8, UsageError> {
    let mut resolver = Resolver::new(None, None)?;
    let pack = resolver.pack(name);
    match pack {
        Some(pack) if !resolver.has_errors() => print(&crate::policy::render_pack(&pack), Kind::Text),
        _ => policy_errors(resolver, show_human),
    }
}

fn explain(rule: &str) -> Result<u8, UsageError> {
    match crate::rules::find_rule(rule) {
        Some(entry) => print(&docs::explain(entry), Kind::Text),
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
