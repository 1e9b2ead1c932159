//! "Did you mean …?": the closest known word to a misspelt key, value or rule.

/// The closest candidate by normalized Damerau-Levenshtein similarity (case-insensitive),
/// if it is similar enough to be a plausible misspelling.
pub fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (*c, strsim::normalized_damerau_levenshtein(&lower, &c.to_ascii_lowercase())))
        .filter(|(_, score)| *score >= 0.6)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_plausible_misspellings_only() {
        assert_eq!(closest("max_turn", &["max_turns", "model"]), Some("max_turns"));
        assert_eq!(closest("Defaults", &["defaults", "agents"]), Some("defaults"));
        assert_eq!(closest("zzz", &["max_turns", "model"]), None);
    }
}
