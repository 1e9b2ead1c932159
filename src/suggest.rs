//! "Did you mean …?": the closest known word to a misspelt key, value or rule.

/// The closest candidate by normalized Damerau-Levenshtein similarity (case-insensitive),
/// if it is similar enough to be a plausible misspelling.
///
/// The distance costs the product of the two lengths, so a word more than twice as long as
/// the longest candidate (a similarity of 0.6 needs lengths within a factor of 2.5) is not
/// compared at all: a one-megabyte key gets no suggestion, in no time.
pub fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let longest = candidates.iter().map(|c| c.chars().count()).max()?;
    if word.len() > 4 * longest + 8 {
        return None;
    }
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

    #[test]
    fn very_long_words_are_not_compared() {
        assert_eq!(closest(&"max_turns".repeat(100_000), &["max_turns", "model"]), None);
        assert_eq!(closest("max_turns", &[]), None);
    }
}
