//! `extra_args` entries read against the CLI flag table: what the emitter writes for one, or why
//! it cannot. The emitter refuses every [`ExtraArgIssue`]; the rules report them (AL606 what no
//! release accepts, AL608 what the chosen release lacks) and judge the accepted flags by their
//! [`super::flags::Risk`] (AL607).

use std::sync::LazyLock;

use regex::Regex;

use super::flags::{self, Arity, CliVersion, Flag};
use crate::config::ExtraArg;

/// A long flag name as `extra_args` may give it (without the leading `--`).
static FLAG_NAME: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z0-9][A-Za-z0-9-]*$").expect("valid regex"));

/// Why an `extra_args` entry cannot be passed to the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtraArgIssue {
    /// The key is not a long flag name (`-d`, `a b`, …).
    NotAFlagName,
    /// No release has a flag of this name.
    UnknownFlag { name: String, suggestion: Option<&'static str> },
    /// `--print`: agentlint always emits it.
    AlwaysEmitted,
    /// A flag a typed option encodes: the CLI keeps the last value, so the entry would override
    /// the option the checks judged.
    Typed { flag: &'static Flag },
    /// A flag that takes a value, given none: it would take the prompt as its value.
    MissingValue { flag: &'static Flag },
    /// A switch given a value.
    SwitchWithValue { flag: &'static Flag },
    /// A value outside the flag's choices in every release.
    InvalidChoice { flag: &'static Flag, value: String },
    /// The chosen release lacks the flag (added later, or removed).
    NotInVersion { flag: &'static Flag, version: CliVersion },
    /// The chosen release lacks this value of the flag (added later).
    ChoiceNotInVersion { flag: &'static Flag, value: String, version: CliVersion },
}

impl ExtraArgIssue {
    /// True for problems of the chosen release only (another supported release accepts the entry).
    pub fn is_version_issue(&self) -> bool {
        matches!(self, ExtraArgIssue::NotInVersion { .. } | ExtraArgIssue::ChoiceNotInVersion { .. })
    }

    /// The problem, naming the entry as `` `extra_args.KEY` `` (the key as given: redact it
    /// before, since it comes from the file).
    pub fn message(&self, key: &str) -> String {
        match self {
            ExtraArgIssue::NotAFlagName => format!(
                "`extra_args` key `{key}` is not a long flag name; write the name without dashes or with `--`, e.g. `verbose` or `--verbose` (short options such as `-d` are not supported)"
            ),
            ExtraArgIssue::UnknownFlag { name, suggestion } => {
                let hint = suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
                format!(
                    "`extra_args.{key}`: `--{name}` is not a flag of the `claude` CLI (the CLI stops with `unknown option`){hint}"
                )
            }
            ExtraArgIssue::AlwaysEmitted => {
                format!("`extra_args.{key}` repeats `--print`, which agentlint always emits; delete the entry")
            }
            ExtraArgIssue::Typed { flag } => {
                let options = options_or(flag.options);
                format!(
                    "`extra_args.{key}` would repeat `--{}`, which agentlint encodes from {options} (the CLI keeps the last value, so this would override the checked option); use {options} instead",
                    flag.name
                )
            }
            ExtraArgIssue::MissingValue { flag } => format!(
                "`extra_args.{key}` has no value, but `--{}` takes one, so it would take the prompt appended after the arguments as its value; give it a value, e.g. `{key}: \"…\"`",
                flag.name
            ),
            ExtraArgIssue::SwitchWithValue { flag } => format!(
                "`extra_args.{key}` gives `--{0}` a value, but the flag takes none (the CLI refuses `--{0}=…`, and the SDKs would pass the value as a separate word, the prompt); write `{key}: null`",
                flag.name
            ),
            ExtraArgIssue::InvalidChoice { flag, value } => format!(
                "`extra_args.{key}` is `{value}`, which `--{}` does not accept (it takes {})",
                flag.name,
                quoted_list(&flag.choices.iter().map(|c| c.value).collect::<Vec<_>>())
            ),
            ExtraArgIssue::NotInVersion { flag, version } => {
                let when = match flag.removed {
                    Some(removed) if *version >= removed => format!("it was removed by {removed}"),
                    _ => format!("it came with {}", flag.since.describe()),
                };
                format!(
                    "`extra_args.{key}`: CLI {version} has no `--{}` ({when}); delete the entry or choose another CLI version",
                    flag.name
                )
            }
            ExtraArgIssue::ChoiceNotInVersion { flag, value, version } => format!(
                "`extra_args.{key}` is `{value}`, which `--{}` of CLI {version} does not accept (it takes {}); `{value}` came with {}",
                flag.name,
                quoted_list(&flag.choices_in(*version)),
                flag.choice(value).map_or_else(String::new, |c| c.since.describe())
            ),
        }
    }
}

/// What the emitter writes for one entry: nothing (`false`), `--flag`, or `--flag=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraArgUse {
    pub flag: &'static Flag,
    /// The argv element, or `None` for a switch turned off with `false`.
    pub element: Option<String>,
}

/// Reads one `extra_args` entry (key with or without `--`; `null`/`true` for a bare flag,
/// `false` for none, a string for a value) against `version`'s flags. Problems that every
/// release shares come first; [`ExtraArgIssue::is_version_issue`] ones only when the entry is
/// otherwise fine.
pub fn check(key: &str, value: Option<&ExtraArg>, version: CliVersion) -> Result<ExtraArgUse, ExtraArgIssue> {
    // Both conventions: Python/TypeScript keys without `--`, Elixir keys with it.
    let name = key.strip_prefix("--").unwrap_or(key);
    if !FLAG_NAME.is_match(name) {
        return Err(ExtraArgIssue::NotAFlagName);
    }
    let Some(flag) = flags::find_long(name) else {
        let known: Vec<&str> =
            flags::in_version(version).flat_map(|f| std::iter::once(f.name).chain(f.aliases.iter().copied())).collect();
        return Err(ExtraArgIssue::UnknownFlag {
            name: name.to_owned(),
            suggestion: crate::suggest::closest(name, &known),
        });
    };
    if flag.name == "print" {
        return Err(ExtraArgIssue::AlwaysEmitted);
    }
    if !flag.options.is_empty() {
        return Err(ExtraArgIssue::Typed { flag });
    }
    let element = match value {
        None | Some(ExtraArg::Flag(true)) if flag.arity.takes_value() => {
            return Err(ExtraArgIssue::MissingValue { flag });
        }
        None | Some(ExtraArg::Flag(true)) => Some(format!("--{name}")),
        Some(ExtraArg::Flag(false)) => None,
        Some(ExtraArg::Value(_)) if flag.arity == Arity::Switch => return Err(ExtraArgIssue::SwitchWithValue { flag }),
        Some(ExtraArg::Value(v)) => {
            if !flag.choices.is_empty() {
                if flag.choice(v).is_none() {
                    return Err(ExtraArgIssue::InvalidChoice { flag, value: v.clone() });
                }
                if flag.known_in(version) && !flag.choices_in(version).contains(&v.as_str()) {
                    return Err(ExtraArgIssue::ChoiceNotInVersion { flag, value: v.clone(), version });
                }
            }
            Some(format!("--{name}={v}"))
        }
    };
    if !flag.known_in(version) {
        return Err(ExtraArgIssue::NotInVersion { flag, version });
    }
    Ok(ExtraArgUse { flag, element })
}

/// `` `a`, `b`, `c` ``.
pub(crate) fn quoted_list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``.
pub(crate) fn options_or(options: &[&str]) -> String {
    let quoted: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::launch::flags::{BASELINE, OLDEST_SUPPORTED};

    fn text(v: &str) -> ExtraArg {
        ExtraArg::Value(v.to_owned())
    }

    #[test]
    fn accepted_entries() {
        let brief = check("brief", None, BASELINE).unwrap();
        assert_eq!((brief.flag.name, brief.element.as_deref()), ("brief", Some("--brief")));
        assert_eq!(
            check("--brief", Some(&ExtraArg::Flag(true)), BASELINE).unwrap().element.as_deref(),
            Some("--brief")
        );
        assert_eq!(check("brief", Some(&ExtraArg::Flag(false)), BASELINE).unwrap().element, None);
        assert_eq!(
            check("debug-file", Some(&text("/tmp/d.log")), BASELINE).unwrap().element.as_deref(),
            Some("--debug-file=/tmp/d.log")
        );
    }

    #[test]
    fn issues_in_order() {
        assert_eq!(check("-d", None, BASELINE), Err(ExtraArgIssue::NotAFlagName));
        assert!(matches!(
            check("sdk-urls", None, BASELINE),
            Err(ExtraArgIssue::UnknownFlag { suggestion: Some("sdk-url"), .. })
        ));
        assert_eq!(check("print", None, BASELINE), Err(ExtraArgIssue::AlwaysEmitted));
        assert!(matches!(check("allowed-tools", Some(&text("Bash")), BASELINE), Err(ExtraArgIssue::Typed { .. })));
        assert!(matches!(check("debug", None, BASELINE), Err(ExtraArgIssue::MissingValue { .. })));
        assert!(matches!(check("brief", Some(&text("x")), BASELINE), Err(ExtraArgIssue::SwitchWithValue { .. })));
        assert!(matches!(
            check("input-format", Some(&text("yaml")), BASELINE),
            Err(ExtraArgIssue::InvalidChoice { .. })
        ));
        let old = check("restricted", None, OLDEST_SUPPORTED).unwrap_err();
        assert!(old.is_version_issue());
        let choice = check("teammate-mode", Some(&text("iterm2")), OLDEST_SUPPORTED).unwrap_err();
        assert!(matches!(choice, ExtraArgIssue::ChoiceNotInVersion { .. }));
        // An issue every release shares wins over the version.
        assert!(matches!(
            check("restricted", Some(&text("x")), OLDEST_SUPPORTED),
            Err(ExtraArgIssue::SwitchWithValue { .. })
        ));
    }

    #[test]
    fn lists() {
        assert_eq!(options_or(&["a"]), "`a`");
        assert_eq!(options_or(&["a", "b"]), "`a` or `b`");
        assert_eq!(options_or(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
