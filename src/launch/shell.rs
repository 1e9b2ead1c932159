//! Shell format: the argv as one POSIX-quoted line, for pasting into `sh`/`bash` or `eval`.

use super::LaunchSpec;

/// The argv joined with spaces, each element quoted only when the shell would otherwise change it
/// (spaces, quotes, `$`, backticks, globs, `=`, commas, …). A newline inside a value stays a literal
/// newline inside single quotes, since POSIX `sh` has no one-line escape for it. Fails only for a
/// NUL character, which no shell word can hold (specs from [`super::launch_spec`] never have one).
pub fn render(spec: &LaunchSpec) -> Result<String, shlex::QuoteError> {
    let mut line = shlex::try_join(spec.argv.iter().map(String::as_str))?;
    line.push('\n');
    Ok(line)
}
