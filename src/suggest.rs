//! "Did you mean …?": the closest known word to a misspelt key, value or rule.

/// The closest candidate by normalized edit distance (optimal string alignment: insertions,
/// deletions, substitutions and swaps of neighbours, case-insensitive), if it is similar
/// enough to be a plausible misspelling.
///
/// The distance costs the product of the two lengths, so a word more than twice as long as
/// the longest candidate (a similarity of 0.6 needs lengths within a factor of 2.5) is not
/// compared at all: a one-megabyte key gets no suggestion, in no time. For the same reason a
/// candidate whose length alone rules it out is skipped: unknown keys are checked against
/// every option name, many times in a file with many mistakes.
pub fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let longest = candidates.iter().map(|c| c.chars().count()).max()?;
    if word.len() > 4 * longest + 8 {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let length = lower.chars().count();
    candidates
        .iter()
        .filter_map(|c| {
            let c_length = c.chars().count();
            let most = length.max(c_length);
            if most == 0 {
                return Some((*c, 1.0));
            }
            // similarity = 1 - distance / most, and the distance is at least the difference
            // in length.
            if length.abs_diff(c_length) as f64 > (1.0 - MIN_SIMILARITY) * most as f64 {
                return None;
            }
            let similarity = 1.0 - strsim::osa_distance(&lower, &c.to_ascii_lowercase()) as f64 / most as f64;
            (similarity >= MIN_SIMILARITY).then_some((*c, similarity))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// How similar a candidate must be to be suggested.
const MIN_SIMILARITY: f64 = 0.6;

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_plausible_misspellings_only() {
        assert_eq!(closest("max_turn", &["max_turns", "model"]), Some("max_turns"));
        assert_eq!(closest("Defaults", &["defaults", "agents"]), Some("defaults"));
        assert_eq!(closest("zzz", &["max_turns", "model"]), None);
        assert_eq!(closest("alowedtools", &["allowed_tools", "allowedTools"]), Some("allowedTools"));
        assert_eq!(closest("ALLOWED_TOOLS", &["allowed_tools", "disallowed_tools"]), Some("allowed_tools"));
        // Swapped neighbours count as one edit.
        assert_eq!(closest("mdoel", &["model", "mode"]), Some("model"));
    }

    #[test]
    fn very_long_words_are_not_compared() {
        assert_eq!(closest(&"max_turns".repeat(100_000), &["max_turns", "model"]), None);
        assert_eq!(closest("max_turns", &[]), None);
    }
}
