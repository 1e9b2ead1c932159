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
    let letters = Letters::of(&lower);
    let mut best: Option<(&'c str, f64)> = None;
    for candidate in candidates {
        let c_length = candidate.chars().count();
        let most = length.max(c_length);
        if most == 0 {
            best = Some((candidate, 1.0));
            continue;
        }
        // similarity = 1 - distance / most. A candidate that cannot reach the threshold, or
        // the best so far, is not compared: the distance is at least the difference in
        // length, and at least what the letter counts tell (see `Letters`).
        let out_of_reach = |floor: usize| {
            let ceiling = 1.0 - floor as f64 / most as f64;
            ceiling < MIN_SIMILARITY || best.is_some_and(|(_, b)| ceiling < b)
        };
        // The length test first: it is free, and rules out most of a long list.
        if out_of_reach(length.abs_diff(c_length)) || out_of_reach(letters.distance_floor(candidate)) {
            continue;
        }
        let similarity = 1.0 - strsim::osa_distance(&lower, &candidate.to_ascii_lowercase()) as f64 / most as f64;
        // `>=`: of equally close candidates the last one wins.
        if similarity >= MIN_SIMILARITY && best.is_none_or(|(_, b)| similarity >= b) {
            best = Some((candidate, similarity));
        }
    }
    best.map(|(c, _)| c)
}

/// How often each character occurs in a word (ASCII case folded; every other character counts
/// as one and the same), for a cheap lower bound of the edit distance.
pub struct Letters {
    counts: [u32; 128],
    /// The number of characters counted.
    total: usize,
}

impl Letters {
    pub fn of(word: &str) -> Self {
        let mut counts = [0u32; 128];
        let mut total = 0;
        for c in word.chars() {
            counts[bucket(c)] += 1;
            total += 1;
        }
        Letters { counts, total }
    }

    /// A lower bound of the edit distance (insertions, deletions, substitutions, swaps of
    /// neighbours) between this word and `other`: every edit removes at most one character the
    /// other word lacks from each side, and a swap none, so the distance is at least the larger
    /// of the two surpluses.
    ///
    /// It costs a copy of the counts and a pass over `other`: each of its characters is matched
    /// against one this word has left, or counted as a surplus of `other`.
    pub fn distance_floor(&self, other: &str) -> usize {
        let mut left = self.counts;
        let (mut matched, mut surplus) = (0usize, 0usize);
        for c in other.chars() {
            let slot = &mut left[bucket(c)];
            if *slot > 0 {
                *slot -= 1;
                matched += 1;
            } else {
                surplus += 1;
            }
        }
        (self.total - matched).max(surplus)
    }
}

fn bucket(c: char) -> usize {
    if c.is_ascii() { usize::from(c.to_ascii_lowercase() as u8) } else { 0 }
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

    #[test]
    fn the_letter_floor_never_exceeds_the_distance() {
        let words =
            ["", "a", "ab", "ba", "abc", "acb", "Model", "mdoel", "max_turns", "maxTurns", "é", "ée", "allowedTools"];
        for a in words {
            for b in words {
                let floor = super::Letters::of(&a.to_ascii_lowercase()).distance_floor(b);
                let distance = strsim::osa_distance(&a.to_ascii_lowercase(), &b.to_ascii_lowercase());
                assert!(floor <= distance, "{a:?} {b:?}: floor {floor} > distance {distance}");
            }
        }
        assert_eq!(super::Letters::of("abc").distance_floor("xyz"), 3);
        assert_eq!(super::Letters::of("ab").distance_floor("BA"), 0);
    }

    #[test]
    fn of_equally_close_candidates_the_last_wins() {
        assert_eq!(closest("mode", &["model", "modes"]), Some("modes"));
    }
}
