//! Runs the commands. Every outcome maps to a documented exit code:
//! 0 = nothing at or above `--fail-on`, 1 = findings that fail, 2 = usage or internal error.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use crate::cli::{CheckArgs, Cli, Command, Format, ListFormat, PoliciesArgs, PolicyArgs, PolicyCommand, RulesArgs};
use crate::config;
use crate::kinds::FileKind;
use crate::output::{self, Kind};
use crate::policy::{Policy, Resolver, Selection};
use crate::report::{FileReport, human, json};
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

mod emit;
mod launch_args;

pub fn run(cli: Cli) -> ExitCode {
    if cli.version {
        print!("{}", version_text(cli.verbose));
        return ExitCode::from(EXIT_OK);
    }
    let Some(command) = cli.command else {
        use clap::CommandFactory;
        Cli::command().error(clap::error::ErrorKind::MissingSubcommand, "a command is required").exit()
    };
    let result = match command {
        Command::Check(args) => check(&args),
        Command::Rules(args) => rules(&args),
        Command::Explain { rule } => explain(&rule),
        Command::Schema => print(config::schema::COMMITTED, Kind::Json),
        Command::Args(args) => launch_args(&args),
        Command::Policies(args) => policies(&args),
        Command::Policy { command: PolicyCommand::Show { name } } => policy_show(&name),
        Command::Effective(args) => crate::effective::commands::effective(&args),
        Command::Can(args) => crate::effective::commands::can(&args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "agentlint", &mut script);
            write_generated(&script).map(|()| EXIT_OK)
        }
        Command::Man { command } => man(command.as_deref()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(UsageError(message)) => {
            output::eprintln(format!("agentlint: error: {message}"));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// `agentlint --version`, and with `--verbose` the build details, one `key: value` a line.
pub fn version_text(verbose: bool) -> String {
    let mut text = format!("agentlint {}\n", env!("CARGO_PKG_VERSION"));
    if verbose {
        let commit = match (env!("AGENTLINT_COMMIT"), env!("AGENTLINT_COMMIT_DATE")) {
            ("", _) => "unknown (built without git metadata)".to_owned(),
            (commit, "") => commit.to_owned(),
            (commit, date) => format!("{commit} ({date})"),
        };
        text.push_str(&format!(
            "commit: {commit}\nclaude-cli-baseline: {}\nclaude-cli-oldest-supported: {}\njson-report-version: {}\nsarif-version: 2.1.0\n",
            crate::launch::flags::BASELINE,
            crate::launch::flags::OLDEST_SUPPORTED,
            json::FORMAT_VERSION,
        ));
    }
    text
}

/// `agentlint man [COMMAND]`: the roff man page of agentlint or of one of its commands.
fn man(command: Option<&str>) -> Result<u8, UsageError> {
    use clap::CommandFactory;
    let mut cli = Cli::command();
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => {
            let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
            let sub = cli
                .find_subcommand(name)
                .ok_or_else(|| format!("unknown command `{name}`; the commands are {}", names.join(", ")))?;
            let full = format!("agentlint-{}", sub.get_name());
            sub.clone().name(full.clone()).display_name(full).version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out).map_err(|e| format!("cannot render the man page: {e}"))?;
    write_generated(&out)?;
    Ok(EXIT_OK)
}

/// Writes to standard output; a closed pipe (`agentlint … | head`) is not an error worth reporting.
fn write_generated(bytes: &[u8]) -> Result<(), UsageError> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(bytes) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}").into()),
    }
}

/// The resolver for `--policy`, `--config` and `--no-config`.
pub(crate) fn resolver(args: &PolicyArgs) -> Result<Resolver, UsageError> {
    Ok(Resolver::new(args.policy.as_deref(), args.config.as_deref())?.isolated(args.no_config))
}

/// One input to check: a path, or standard input under a display name, and the kind to read
/// it as (`None`: the project configuration's `kinds:`, else what its name implies).
pub struct Input {
    pub name: String,
    pub stdin: bool,
    pub kind: Option<FileKind>,
}

impl Input {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The bytes to check: at most one more than the size limit, so that a file named on the
    /// command line that never ends (a device, a pipe) is reported as too large, not read forever.
    pub(crate) fn read(&self) -> Result<Vec<u8>, UsageError> {
        use crate::document::{read_file_limited, read_limited};
        if !self.stdin {
            let p = &self.name;
            return std::fs::File::open(p)
                .and_then(read_file_limited)
                .map_err(|e| UsageError(format!("cannot read `{p}`: {e}")));
        }
        read_limited(std::io::stdin()).map_err(|e| UsageError(format!("cannot read standard input: {e}")))
    }
}

/// A project configuration's directory and its `include` / `exclude` / `kinds` globs.
type FileFilters = (PathBuf, Vec<String>, Vec<String>, Vec<(String, FileKind)>);

/// The inputs named on the command line (`.` when none): directories are searched for files to
/// check with the globs `filters` gives for the directory (its project configuration's); files
/// are taken as given, with `--kind` when it is given.
fn inputs(args: &CheckArgs, filters: &mut dyn FnMut(&Path) -> Option<FileFilters>) -> Result<Vec<Input>, UsageError> {
    let default = [".".to_owned()];
    let paths = if args.paths.is_empty() { &default[..] } else { &args.paths[..] };
    let named = |name: String| args.kind.map(|k| k.scoped_by(&name));
    let mut inputs = Vec::new();
    for path in paths {
        if path == "-" {
            let name = args.stdin_filename.clone().unwrap_or_else(|| "<stdin>".into());
            inputs.push(Input { kind: named(name.clone()), name, stdin: true });
        } else if std::path::Path::new(path).is_dir() {
            // The project configuration's globs are relative to its own directory.
            let (found, include) = match filters(Path::new(path)) {
                Some((base, include, exclude, kinds)) => {
                    let selection = crate::discover::Selection { include: &include, exclude: &exclude, kinds: &kinds };
                    (crate::discover::discover_files(Path::new(path), Some(&base), selection), include)
                }
                None => {
                    let selection = crate::discover::Selection::default();
                    (crate::discover::discover_files(Path::new(path), None, selection), Vec::new())
                }
            };
            let crate::discover::Discovered { files: found, skipped_links } =
                found.map_err(|e| UsageError(e.to_string()))?;
            for link in skipped_links.iter().filter(|_| !args.output.quiet) {
                output::eprintln(format!(
                    "agentlint: note: skipped `{}`: it links to a file outside `{path}` (name it on the command line to check it)",
                    link.display()
                ));
            }
            if found.is_empty() && !args.output.quiet {
                output::eprintln(format!(
                    "agentlint: note: nothing to check in `{path}` (looked for Claude Code files, source files and scripts that start sessions, and deployment configs: {})",
                    crate::discover::describe(&include)
                ));
            }
            inputs.extend(found.into_iter().map(|f| Input {
                name: f.path.to_string_lossy().into_owned(),
                stdin: false,
                kind: Some(f.kind),
            }));
        } else {
            inputs.push(Input { kind: named(path.clone()), name: path.clone(), stdin: false });
        }
    }
    Ok(inputs)
}

/// Below this many inputs, starting the thread pool costs more than checking in parallel saves.
const PARALLEL_FROM: usize = 8;

/// Checks each input with its own policy (one linter per project configuration); unreadable
/// inputs are usage errors. Reports come back in input order whether or not they were checked
/// in parallel.
/// Source text is kept as `keep` says: only snippets (the human format) read a file's text after
/// it is checked, and only for files with findings to show; every other report lets its text
/// go at once, unless the effective session still needs it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum KeepSource {
    All,
    ForSnippets,
    None,
}

fn check_with_policies(checked: &[(&Input, Arc<Policy>)], keep: KeepSource) -> Result<Vec<FileReport>, UsageError> {
    let check = |(input, policy): &(&Input, Arc<Policy>)| {
        let kind = input
            .kind
            .or_else(|| policy.kind_of(input.name()))
            .unwrap_or_else(|| crate::kinds::of_named_file(input.name()));
        let keep_source = |findings: &[crate::report::Finding]| match keep {
            KeepSource::All => true,
            KeepSource::ForSnippets => findings.iter().any(|f| f.suppressed.is_none()),
            KeepSource::None => false,
        };
        Ok(policy.linter.check_kind_keeping(input.name(), input.read()?, kind, keep_source))
    };
    if checked.len() >= PARALLEL_FROM {
        use rayon::prelude::*;
        checked.par_iter().map(check).collect()
    } else {
        checked.iter().map(check).collect()
    }
}

fn check(args: &CheckArgs) -> Result<u8, UsageError> {
    if args.output.statistics && !matches!(args.output.format, Format::Human | Format::Concise | Format::Json) {
        return Err("`--statistics` prints a table or JSON: use it with `--format human`, `concise` or `json`".into());
    }
    let selection = Selection {
        select: args.select.select.clone(),
        extend_select: args.select.extend_select.clone(),
        ignore: args.select.ignore.clone(),
    };
    let mut resolver = resolver(&args.policy)?.with_selection(selection);
    let inputs = inputs(args, &mut |dir| {
        let policy = resolver.policy_for_dir(dir)?;
        policy
            .file_filters()
            .map(|(base, s)| (base.to_owned(), s.include.to_vec(), s.exclude.to_vec(), s.kinds.to_vec()))
    })?;
    let policies: Vec<Option<Arc<Policy>>> = inputs.iter().map(|i| resolver.policy_for_file(i.name())).collect();
    if resolver.has_errors() {
        return policy_errors(resolver, |reports| emit(reports, args));
    }
    let checked: Vec<(&Input, Arc<Policy>)> = inputs.iter().zip(policies).filter_map(|(i, p)| Some((i, p?))).collect();
    let keep = if args.output.format == Format::Human && !args.output.statistics {
        KeepSource::ForSnippets
    } else {
        KeepSource::None
    };
    let mut emitter = emit::Emitter::new(args)?;
    if crate::effective::commands::needed(&checked, args) {
        // Effective-session findings and policy tests join the reports of the files they
        // come from: everything is checked first, with its text, then written.
        let mut reports = check_with_policies(&checked, KeepSource::All)?;
        crate::effective::commands::check(&checked, args, &mut reports)?;
        emitter.reports(reports)?;
    } else {
        for chunk in checked.chunks(CHUNK) {
            emitter.reports(check_with_policies(chunk, keep)?)?;
        }
    }
    emitter.reports(resolver.into_reports())?;
    let summary = emitter.finish()?;
    Ok(match summary.worst() {
        Some(worst) if worst >= args.fail_on.severity() && !args.exit_zero => EXIT_FINDINGS,
        _ => EXIT_OK,
    })
}

/// Files checked (in parallel) before their results are written: large enough to keep every
/// core busy, small enough that a run over 100,000 files holds little at a time.
const CHUNK: usize = 512;

/// Renders the reports in the chosen format and writes them (policy errors, other commands).
fn emit(reports: Vec<FileReport>, args: &CheckArgs) -> Result<(), UsageError> {
    let mut emitter = emit::Emitter::new(args)?;
    emitter.reports(reports)?;
    emitter.finish().map(|_| ())
}

/// Writes command output (tables, docs, JSON lists) to standard output through the output step.
fn print(text: &str, kind: Kind) -> Result<u8, UsageError> {
    output::write_stdout(text, kind).map_err(|e| format!("cannot write output: {e}"))?;
    Ok(EXIT_OK)
}

/// `agentlint args`: the same policy and project configuration as `check` would use for the file.
fn launch_args(args: &crate::cli::LaunchArgs) -> Result<u8, UsageError> {
    let mut resolver = resolver(&args.policy)?;
    let policy = resolver.policy_for_file(&args.file);
    match policy.filter(|_| !resolver.has_errors()) {
        Some(policy) => launch_args::run(&policy.linter, args),
        // Standard output is for arguments only: policy problems go to standard error.
        None => policy_errors(resolver, |mut reports| {
            output::clean_reports(&mut reports);
            output::write_stderr(&human::render(&reports, human::HumanOptions::default()), Kind::Text);
            Ok(())
        }),
    }
}

/// Reports problems in policy files (or that a policy file cannot be read) and exits 2.
pub(crate) fn policy_errors(
    resolver: Resolver,
    show: impl FnOnce(Vec<FileReport>) -> Result<(), UsageError>,
) -> Result<u8, UsageError> {
    for message in resolver.usage_errors() {
        output::eprintln(format!("agentlint: error: {message}"));
    }
    let reports = resolver.into_reports();
    if !reports.is_empty() {
        show(reports)?;
        output::eprintln("agentlint: error: the policy has errors (reported above), so nothing was checked");
    }
    Ok(EXIT_ERROR)
}

/// Human rendering of policy-file problems for commands without output options.
fn show_human(mut reports: Vec<FileReport>) -> Result<(), UsageError> {
    output::clean_reports(&mut reports);
    let color = crate::cli::ColorChoice::Auto.enabled(std::io::stdout().is_terminal());
    let mut text = human::render(&reports, human::HumanOptions { color, ..Default::default() });
    text.push_str(&human::summary_line(&reports));
    text.push('\n');
    print(&text, if color { Kind::Colored } else { Kind::Text }).map(|_| ())
}

/// `agentlint rules`: the catalogue with the severities of the policy that applies here.
fn rules(args: &RulesArgs) -> Result<u8, UsageError> {
    let mut resolver = resolver(&args.policy)?;
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
                    let severity = slot.effective();
                    serde_json::json!({
                        "id": slot.meta.id,
                        "name": slot.meta.name,
                        "default_severity": slot.meta.severity.as_str(),
                        "enabled": severity.is_some(),
                        "severity": severity.map(|s| s.as_str()),
                        "opt_in": slot.is_opt_in(),
                        "custom": matches!(slot.kind, crate::policy::RuleKind::Custom(_)),
                        "kinds": crate::kinds::rule_kinds(slot.meta.kinds).iter().map(|k| k.name()).collect::<Vec<_>>(),
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
