//! The commands: `agentlint effective`, `agentlint can`, and what `check` adds for effective
//! sessions and policy tests.

use std::sync::Arc;

use crate::app::{EXIT_ERROR, EXIT_OK, Input, UsageError, policy_errors};
use crate::cli::{CanArgs, CheckArgs, EffectiveArgs, ListFormat, SessionArgs, SettingsFiles};
use crate::output::{self, Kind};
use crate::policy::Policy;
use crate::report::{FileReport, human};

use super::check::{Options, Target, sessions, wanted};
use super::sources::Given;
use super::{Request, Session};

fn options(files: &SettingsFiles, effective: bool) -> Options {
    Options {
        effective,
        user: files.user_settings.as_deref().map(|p| Given::flag(p, "--user-settings")),
        managed: files.managed_settings.as_deref().map(|p| Given::flag(p, "--managed-settings")),
    }
}

/// Whether [`check`] has anything to add for these files: it then needs every report at once
/// (a merged finding lands in the report of the file it comes from), so `check` collects them
/// instead of writing each chunk as it comes.
pub(crate) fn needed(checked: &[(&Input, Arc<Policy>)], args: &CheckArgs) -> bool {
    let options = options(&args.settings, args.effective);
    checked.iter().filter(|(input, _)| !input.stdin).any(|(_, p)| wanted(&options, p) || !p.pack.tests.is_empty())
}

/// What `check` adds: effective-session findings where asked for, and every pack's `tests:`.
pub(crate) fn check(
    checked: &[(&Input, Arc<Policy>)],
    args: &CheckArgs,
    reports: &mut Vec<FileReport>,
) -> Result<(), UsageError> {
    let options = options(&args.settings, args.effective);
    let targets: Vec<Target> = checked
        .iter()
        .filter(|(input, _)| !input.stdin)
        .map(|(input, policy)| Target {
            path: input.name().to_owned(),
            kind: input
                .kind
                .or_else(|| policy.kind_of(input.name()))
                .unwrap_or_else(|| crate::kinds::of_named_file(input.name())),
            policy: policy.clone(),
        })
        .collect();
    let needed = |p: &Policy| wanted(&options, p) || !p.pack.tests.is_empty();
    if !targets.iter().any(|t| needed(&t.policy)) {
        return Ok(());
    }
    let (found, problems) = sessions(&targets, &options, needed);
    for problem in problems {
        output::eprintln(format!("agentlint: note: no effective session: {problem}"));
    }
    let (want, rest): (Vec<_>, Vec<_>) = found.into_iter().partition(|c| wanted(&options, &c.policy));
    super::check::add_findings(&want, reports);
    let all: Vec<super::check::Checked> = want.into_iter().chain(rest).collect();
    let (test_reports, idle) = super::policy_tests::run(&all);
    for pack in idle {
        if !args.output.quiet {
            output::eprintln(format!(
                "agentlint: note: the tests of policy `{pack}` did not run: no effective session was checked"
            ));
        }
    }
    reports.extend(test_reports);
    Ok(())
}

/// The session `effective` and `can` look at, or the exit code for a policy problem.
fn session(args: &SessionArgs) -> Result<Result<Session, u8>, UsageError> {
    let mut resolver = crate::app::resolver(&args.policy)?;
    let policy = resolver.policy_for_file(&args.path);
    if resolver.has_errors() {
        let code = policy_errors(resolver, |mut reports| {
            output::clean_reports(&mut reports);
            output::write_stderr(&human::render(&reports, human::HumanOptions::default()), Kind::Text);
            Ok(())
        })?;
        return Ok(Err(code));
    }
    let options = options(&args.settings, true);
    let (user, managed) = match &policy {
        Some(policy) => super::check::given_settings(&options, policy),
        None => (options.user, options.managed),
    };
    let request = Request {
        path: args.path.clone(),
        agent: args.agent.clone(),
        all_agents: false,
        user,
        managed,
        trusted: args.trusted,
    };
    let mut sessions = super::resolve(&request)?;
    Ok(Ok(sessions.remove(0)))
}

/// Writes through the output step, which redacts credentials and escapes control characters.
fn print(text: &str, format: ListFormat) -> Result<(), UsageError> {
    let kind = match format {
        ListFormat::Human => Kind::Text,
        ListFormat::Json => Kind::Json,
    };
    output::write_stdout(text, kind).map_err(|e| UsageError(format!("cannot write output: {e}")))
}

/// `agentlint effective`.
pub(crate) fn effective(args: &EffectiveArgs) -> Result<u8, UsageError> {
    let session = match session(&args.session)? {
        Ok(session) => session,
        Err(code) => return Ok(code),
    };
    let text = match args.session.format {
        ListFormat::Human => super::render::effective(&session, &session.merged),
        ListFormat::Json => super::json::effective(&session, &session.merged),
    };
    print(&text, args.session.format)?;
    Ok(EXIT_OK)
}

/// `agentlint can`: exit 0 allow, 1 deny, 3 ask, 2 error.
pub(crate) fn can(args: &CanArgs) -> Result<u8, UsageError> {
    let call = super::matcher::parse_call(&args.call)?;
    let session = match session(&args.session)? {
        Ok(session) => session,
        Err(code) => return Ok(code.max(EXIT_ERROR)),
    };
    let verdict = super::matcher::evaluate(&session, &session.merged, &call, args.mode);
    let text = match args.session.format {
        ListFormat::Human => super::render::verdict(&session, &session.merged, &call, &verdict),
        ListFormat::Json => super::json::verdict(&session, &session.merged, &call, &verdict),
    };
    print(&text, args.session.format)?;
    Ok(verdict.decision.exit_code())
}
