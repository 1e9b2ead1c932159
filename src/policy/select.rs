//! `--select`, `--extend-select` and `--ignore`: rule selection on the command line, applied
//! on top of the policy (pack and project configuration), as ruff does it.
//!
//! A selector is a rule id (`AL104`, any letter case), a rule name (`broad-tool-grant`), an id
//! prefix (`AL1`, `AL10`) or `ALL`. For each rule, the most specific selector that matches it
//! decides (an id or name beats a longer prefix, which beats a shorter one, which beats `ALL`);
//! between an `--ignore` and a `--select`/`--extend-select` selector equally specific, the
//! ignore wins. A rule no selector matches keeps the policy's setting, except that with
//! `--select` it is turned off. A selected rule keeps the severity and parameters the policy
//! gives it. A rule the policy turns off (opt-in rules such as AL109, or rules a pack turns
//! off) runs, at its default severity, only when selected by its own id or name: a prefix or
//! `ALL` narrows what the policy runs but never widens it.
//!
//! Syntax errors (AL001) are never turned off by leaving them out of `--select`: a file that
//! cannot be read would otherwise pass silently. `--ignore AL001` turns them off.

use crate::lint::RuleLevel;
use crate::rules::{RuleMeta, SYNTAX_ERROR};

use super::RuleState;

/// The command line's rule selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `--select`: when given, only these rules run.
    pub select: Option<Vec<String>>,
    /// `--extend-select`: these rules run too.
    pub extend_select: Vec<String>,
    /// `--ignore`: these rules do not run.
    pub ignore: Vec<String>,
}

/// How specifically `selector` names the rule `meta`, if it does: `ALL` is 0, a prefix its
/// length, an id or name more than any prefix.
fn specificity(selector: &str, meta: &RuleMeta) -> Option<usize> {
    let selector = selector.trim();
    if selector.eq_ignore_ascii_case(meta.id) || selector == meta.name {
        Some(usize::MAX)
    } else if selector.eq_ignore_ascii_case("ALL") {
        Some(0)
    } else {
        let id = meta.id.as_bytes();
        (!selector.is_empty()
            && id.len() > selector.len()
            && id[..selector.len()].eq_ignore_ascii_case(selector.as_bytes()))
        .then_some(selector.len())
    }
}

/// The highest specificity among `selectors` for `meta`.
fn best<'a>(selectors: impl IntoIterator<Item = &'a String>, meta: &RuleMeta) -> Option<usize> {
    selectors.into_iter().filter_map(|s| specificity(s, meta)).max()
}

impl Selection {
    fn all(&self) -> impl Iterator<Item = &String> {
        self.select.iter().flatten().chain(&self.extend_select).chain(&self.ignore)
    }

    /// Applies the selection to every rule's setting. Fails on a selector that matches no rule.
    pub fn apply(&self, state: &mut RuleState) -> Result<(), String> {
        for selector in self.all() {
            if !state.slots.iter().any(|slot| specificity(selector, slot.meta).is_some()) {
                let hint = state.suggest(selector.trim()).map(|s| format!("; {s}")).unwrap_or_default();
                return Err(format!(
                    "unknown rule selector `{selector}`: not a rule id, name or id prefix{hint} (`agentlint rules` lists them)"
                ));
            }
        }
        for slot in &mut state.slots {
            let meta = slot.meta;
            let selected = best(self.select.iter().flatten().chain(&self.extend_select), meta);
            let ignored = best(&self.ignore, meta);
            match (selected, ignored) {
                (_, Some(i)) if selected.is_none_or(|s| i >= s) => slot.level = RuleLevel::Off,
                // Only a rule's own id or name turns on a rule the policy turns off.
                (Some(usize::MAX), _) if slot.level == RuleLevel::Off => slot.level = RuleLevel::Default,
                (Some(_), _) => {}
                _ if self.select.is_some() && meta.id != SYNTAX_ERROR.id => slot.level = RuleLevel::Off,
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Severity;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    /// The ids that run after applying the selection to the base state (opt-in rules off).
    fn running(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> Vec<&'static str> {
        let mut state = RuleState::base();
        let selection =
            Selection { select: select.map(strings), extend_select: strings(extend), ignore: strings(ignore) };
        selection.apply(&mut state).unwrap();
        state.slots.iter().filter(|s| s.level != RuleLevel::Off).map(|s| s.meta.id).collect()
    }

    #[test]
    fn select_by_id_name_and_prefix() {
        assert_eq!(running(Some(&["AL104"]), &[], &[]), ["AL001", "AL104"]);
        assert_eq!(running(Some(&["broad-tool-grant", "al201"]), &[], &[]), ["AL001", "AL104", "AL201"]);
        assert_eq!(running(Some(&["AL20"]), &[], &[]), ["AL001", "AL201", "AL202"]);
        // An opt-in rule runs when selected by id or name, not by a prefix or `ALL`.
        assert!(!running(None, &[], &[]).contains(&"AL109"));
        assert!(!running(Some(&["AL10"]), &[], &[]).contains(&"AL109"));
        assert!(!running(Some(&["ALL"]), &[], &[]).contains(&"AL109"));
        assert!(!running(None, &["AL1"], &[]).contains(&"AL109"));
        assert_eq!(running(Some(&["AL109"]), &[], &[]), ["AL001", "AL109"]);
        assert!(running(None, &["non-reading-tool-grant"], &[]).contains(&"AL109"));
        assert!(running(Some(&["AL10", "AL109"]), &[], &[]).contains(&"AL109"));
    }

    #[test]
    fn the_most_specific_selector_wins_and_ignore_wins_ties() {
        let r = running(Some(&["AL1"]), &[], &["AL104"]);
        assert!(r.contains(&"AL101") && !r.contains(&"AL104"));
        let r = running(None, &["AL104"], &["AL1"]);
        assert!(r.contains(&"AL104") && !r.contains(&"AL101"), "{r:?}");
        assert_eq!(running(Some(&["AL104"]), &[], &["AL104"]), ["AL001"]);
        assert_eq!(running(Some(&["ALL"]), &[], &["ALL"]), Vec::<&str>::new());
        assert!(!running(None, &[], &["AL001"]).contains(&"AL001"), "--ignore turns syntax errors off");
    }

    #[test]
    fn selected_rules_keep_the_policy_severity() {
        let mut state = RuleState::base();
        let i = state.find("AL104").unwrap();
        state.slots[i].level = RuleLevel::Fixed(Severity::Error);
        Selection { select: Some(strings(&["AL104"])), ..Default::default() }.apply(&mut state).unwrap();
        assert_eq!(state.slots[i].level, RuleLevel::Fixed(Severity::Error));
    }

    #[test]
    fn unknown_selectors_are_errors() {
        let err =
            Selection { ignore: strings(&["AL1O4"]), ..Default::default() }.apply(&mut RuleState::base()).unwrap_err();
        assert!(
            err.starts_with("unknown rule selector `AL1O4`: not a rule id, name or id prefix; did you mean"),
            "{err}"
        );
        assert!(
            Selection { select: Some(strings(&["AL9"])), ..Default::default() }.apply(&mut RuleState::base()).is_err()
        );
        // A whole id is not a prefix of itself plus more.
        assert!(
            Selection { select: Some(strings(&["AL1041"])), ..Default::default() }
                .apply(&mut RuleState::base())
                .is_err()
        );
    }
}
