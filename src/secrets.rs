//! Credential detection and redaction.
//!
//! Deployment configs (settings files, MCP server definitions, hook commands,
//! SDK options) regularly end up holding literal API keys. This module finds
//! them with the gitleaks / secretlint patterns collected in the reference
//! (`limits-and-secrets.md` §6), and provides the two ways a linter must show
//! a secret without leaking it: a short [`redact`]ed form for messages, and a
//! same-length [`mask`] for source snippets (so columns and line numbers of
//! the surrounding diagnostics stay valid).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;

/// One credential format.
#[derive(Debug, PartialEq, Eq)]
pub struct SecretKind {
    /// Stable identifier for machine-readable output; the gitleaks rule id
    /// where gitleaks has the rule, so findings can be cross-referenced.
    pub id: &'static str,
    /// Human-readable name used in diagnostics.
    pub label: &'static str,
}

/// A credential found in a text: byte range of the secret itself (the capture
/// group where the pattern has one, never the trailing delimiter) and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretMatch {
    /// Byte offset of the first byte of the secret.
    pub start: usize,
    /// Byte offset one past the last byte of the secret.
    pub end: usize,
    /// Which credential format matched.
    pub kind: &'static SecretKind,
}

/// All detected formats, in documentation order.
static KINDS: [SecretKind; 32] = [
    SecretKind { id: "anthropic-api-key", label: "Anthropic API key" },
    SecretKind { id: "anthropic-admin-api-key", label: "Anthropic Admin API key" },
    SecretKind { id: "claude-code-oauth-token", label: "Claude Code OAuth token" },
    SecretKind { id: "derived-anthropic-fallback", label: "Anthropic-style key (unrecognised format)" },
    SecretKind { id: "openai-api-key", label: "OpenAI API key" },
    SecretKind { id: "aws-access-token", label: "AWS access key ID" },
    SecretKind { id: "aws-amazon-bedrock-api-key-long-lived", label: "AWS Bedrock API key (long-lived)" },
    SecretKind { id: "aws-amazon-bedrock-api-key-short-lived", label: "AWS Bedrock API key (short-lived)" },
    SecretKind { id: "github-pat", label: "GitHub personal access token" },
    SecretKind { id: "github-fine-grained-pat", label: "GitHub fine-grained personal access token" },
    SecretKind { id: "github-oauth", label: "GitHub OAuth token" },
    SecretKind { id: "github-app-token", label: "GitHub App token" },
    SecretKind { id: "github-refresh-token", label: "GitHub refresh token" },
    SecretKind { id: "gitlab-pat", label: "GitLab personal access token" },
    SecretKind { id: "gitlab-pat-routable", label: "GitLab personal access token (routable)" },
    SecretKind { id: "slack-bot-token", label: "Slack bot token" },
    SecretKind { id: "slack-legacy-bot-token", label: "Slack legacy bot token" },
    SecretKind { id: "slack-user-token", label: "Slack user token" },
    SecretKind { id: "slack-app-token", label: "Slack app-level token" },
    SecretKind { id: "slack-config-access-token", label: "Slack configuration access token" },
    SecretKind { id: "slack-config-refresh-token", label: "Slack configuration refresh token" },
    SecretKind { id: "slack-legacy-token", label: "Slack legacy token" },
    SecretKind { id: "slack-legacy-workspace-token", label: "Slack legacy workspace token" },
    SecretKind { id: "slack-webhook-url", label: "Slack webhook URL" },
    SecretKind { id: "gcp-api-key", label: "Google API key" },
    SecretKind { id: "stripe-access-token", label: "Stripe secret key" },
    SecretKind { id: "huggingface-access-token", label: "Hugging Face access token" },
    SecretKind { id: "npm-access-token", label: "npm access token" },
    SecretKind { id: "pypi-upload-token", label: "PyPI upload token" },
    SecretKind { id: "private-key", label: "Private key (PEM)" },
    SecretKind { id: "jwt", label: "JSON Web Token" },
    SecretKind { id: "url-password", label: "password in a URL" },
];

/// All kinds, for docs.
pub fn kinds() -> &'static [SecretKind] {
    &KINDS
}

/// One detection regex and the kind it reports.
struct Pattern {
    /// `SecretKind::id` this pattern reports.
    kind: &'static str,
    /// Low-confidence pattern: loses every overlap against a specific one.
    fallback: bool,
    /// Literals (matched case-insensitively) of which every match contains at least one, as
    /// gitleaks' `keywords`: a pattern runs only on text that holds one of them.
    keywords: &'static [&'static str],
    /// Regex from the reference (§6.3), in gitleaks' RE2 dialect.
    regex: &'static str,
}

const fn specific(kind: &'static str, keywords: &'static [&'static str], regex: &'static str) -> Pattern {
    Pattern { kind, fallback: false, keywords, regex }
}

/// Detection patterns. Several may report the same kind.
///
/// Where gitleaks ends a token with a delimiter group (`(?:[\x60'"\s;]|\\[nr]|$)`), these
/// patterns accept any character that cannot continue the token instead: agentlint masks
/// what it finds, and a key followed by `,`, `)` or `:` (inside a permission rule such as
/// `Bash(curl -H sk-…:*)`, or a YAML key) or by `\"` (in an escaped scalar) must be found too.
static PATTERNS: &[Pattern] = &[
    specific("anthropic-api-key", &["sk-ant-api0"], r#"\b(sk-ant-api03-[a-zA-Z0-9_\-]{93}AA)(?:[^0-9A-Za-z_-]|$)"#),
    // secretlint's wider form: no delimiter required, `api0N`, 90–128 body
    // chars. Reported as the same kind; it also catches keys followed by `,`.
    specific("anthropic-api-key", &["sk-ant-api0"], r"sk-ant-api0\d-[A-Za-z0-9_-]{90,128}AA"),
    specific(
        "anthropic-admin-api-key",
        &["sk-ant-admin01-"],
        r#"\b(sk-ant-admin01-[a-zA-Z0-9_\-]{93}AA)(?:[^0-9A-Za-z_-]|$)"#,
    ),
    specific(
        "claude-code-oauth-token",
        &["sk-ant-oat01-"],
        r#"\b(sk-ant-oat01-[a-zA-Z0-9_\-]{95})(?:[^0-9A-Za-z_-]|$)"#,
    ),
    Pattern {
        kind: "derived-anthropic-fallback",
        fallback: true,
        keywords: &["sk-ant-"],
        regex: r"sk-ant-[a-z]+\d{2}-[A-Za-z0-9_-]{20,}",
    },
    specific(
        "openai-api-key",
        &["t3blbkfj"],
        r#"\b(sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})\b|sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20})(?:[^0-9A-Za-z_-]|$)"#,
    ),
    specific(
        "aws-access-token",
        &["a3t", "akia", "asia", "abia", "acca"],
        r"\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
    ),
    specific(
        "aws-amazon-bedrock-api-key-long-lived",
        &["absk"],
        r#"\b(ABSK[A-Za-z0-9+/]{109,269}={0,2})(?:[^0-9A-Za-z_-]|$)"#,
    ),
    // The reference regex is only the fixed marker (base64 of
    // `bedrock.amazonaws.com`); the rest of the base64 token is appended here
    // so that masking hides the actual signature, not just the marker.
    specific(
        "aws-amazon-bedrock-api-key-short-lived",
        &["bedrock-api-key-"],
        r"bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=]*",
    ),
    specific("github-pat", &["ghp_"], r"ghp_[0-9a-zA-Z]{36}"),
    specific("github-fine-grained-pat", &["github_pat_"], r"github_pat_\w{82}"),
    specific("github-oauth", &["gho_"], r"gho_[0-9a-zA-Z]{36}"),
    specific("github-app-token", &["ghu_", "ghs_"], r"(?:ghu|ghs)_[0-9a-zA-Z]{36}"),
    specific("github-refresh-token", &["ghr_"], r"ghr_[0-9a-zA-Z]{36}"),
    specific("gitlab-pat", &["glpat-"], r"glpat-[\w-]{20}"),
    specific("gitlab-pat-routable", &["glpat-"], r"\bglpat-[0-9a-zA-Z_-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}\b"),
    specific("slack-bot-token", &["xoxb-"], r"xoxb-[0-9]{10,13}-[0-9]{10,13}[a-zA-Z0-9-]*"),
    specific("slack-legacy-bot-token", &["xoxb-"], r"xoxb-[0-9]{8,14}-[a-zA-Z0-9]{18,26}"),
    specific("slack-user-token", &["xoxp-", "xoxe-"], r"xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34}"),
    specific("slack-app-token", &["xapp-"], r"(?i)xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+"),
    specific("slack-config-access-token", &["xoxe"], r"(?i)xoxe.xox[bp]-\d-[A-Z0-9]{163,166}"),
    specific("slack-config-refresh-token", &["xoxe-"], r"(?i)xoxe-\d-[A-Z0-9]{146}"),
    specific("slack-legacy-token", &["xoxo-", "xoxs-"], r"xox[os]-\d+-\d+-\d+-[a-fA-F\d]+"),
    specific("slack-legacy-workspace-token", &["xoxa-", "xoxr-"], r"xox[ar]-(?:\d-)?[0-9a-zA-Z]{8,48}"),
    specific(
        "slack-webhook-url",
        &["slack"],
        r"(?:https?://)?hooks.slack.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}",
    ),
    specific("gcp-api-key", &["aiza"], r#"\b(AIza[\w-]{35})(?:[^0-9A-Za-z_-]|$)"#),
    specific(
        "stripe-access-token",
        &["_test_", "_live_", "_prod_"],
        r#"\b((?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99})(?:[^0-9A-Za-z_-]|$)"#,
    ),
    specific("huggingface-access-token", &["hf_"], r#"\b(hf_(?i:[a-z]{34}))(?:[^0-9A-Za-z_-]|$)"#),
    specific("npm-access-token", &["npm_"], r#"(?i)\b(npm_[a-z0-9]{36})(?:[^0-9A-Za-z_-]|$)"#),
    // Compiles within the default size limit only because `re2_to_rust`
    // makes `\w` ASCII (reference pitfall 25).
    specific("pypi-upload-token", &["pypi-ageichlwas5vcmc"], r"pypi-AgEIcHlwaS5vcmc[\w-]{50,1000}"),
    specific(
        "private-key",
        &["-----begin"],
        r"(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S-]{64,}?KEY(?: BLOCK)?-----",
    ),
    specific(
        "jwt",
        &[".ey"],
        r#"\b(ey[a-zA-Z0-9]{17,}\.ey[a-zA-Z0-9\/\\_-]{17,}\.(?:[a-zA-Z0-9\/\\_-]{10,}={0,2})?)(?:[^0-9A-Za-z_-]|$)"#,
    ),
    // Not from gitleaks: the password of `scheme://user:password@host` (database URLs, git
    // remotes, proxies). The password is the capture group, so masking keeps the URL readable.
    specific("url-password", &["://"], r#"(?i)\b[a-z][a-z0-9+.-]{0,30}://[^\s/?#@:'"\x60]*:([^\s/?#@'"\x60]+)@"#),
];

/// What is built once per process: a keyword automaton, cheap to build, and the regexes,
/// each compiled the first time text holds one of its keywords. Compiling all 33 patterns
/// as a `RegexSet` took 10–13 ms, most of a one-file check; most configs hold no keyword.
struct Compiled {
    /// Every keyword of every pattern, ASCII case-insensitive.
    keywords: AhoCorasick,
    /// The same keywords (same pattern ids) as a DFA: several times faster to search, but
    /// about a millisecond to build, so it is built once a run has scanned `DFA_AFTER` bytes.
    dfa: OnceLock<AhoCorasick>,
    /// Bytes scanned with `keywords` so far.
    scanned: AtomicUsize,
    /// The keywords, in automaton pattern order.
    keyword_list: Vec<&'static str>,
    /// For each keyword of `keywords`, the patterns it enables (as a bit set over `PATTERNS`).
    enables: Vec<u64>,
    /// Each pattern on its own, to locate matches and capture groups.
    regexes: Vec<OnceLock<Regex>>,
    /// Kind reported by each pattern.
    kinds: Vec<&'static SecretKind>,
}

impl Compiled {
    fn regex(&self, index: usize) -> &Regex {
        self.regexes[index]
            .get_or_init(|| Regex::new(&re2_to_rust(PATTERNS[index].regex)).expect("built-in secret pattern compiles"))
    }

    /// The keyword automaton to search `text` with: the NFA until the run has scanned enough
    /// text to pay for building the DFA.
    fn searcher(&self, text: &str) -> &AhoCorasick {
        if let Some(dfa) = self.dfa.get() {
            return dfa;
        }
        if self.scanned.fetch_add(text.len(), Ordering::Relaxed) < DFA_AFTER {
            return &self.keywords;
        }
        self.dfa.get_or_init(|| keyword_automaton(&self.keyword_list, AhoCorasickKind::DFA))
    }

    /// True when `text` holds a keyword.
    fn any_keyword(&self, text: &str) -> bool {
        self.searcher(text).is_match(text)
    }

    /// The patterns whose keywords occur in `text`, as a bit set.
    fn candidates(&self, text: &str) -> u64 {
        let mut patterns = 0u64;
        for hit in self.searcher(text).find_overlapping_iter(text) {
            patterns |= self.enables[hit.pattern().as_usize()];
        }
        patterns
    }
}

static COMPILED: LazyLock<Compiled> = LazyLock::new(|| {
    const { assert!(PATTERNS.len() <= 64, "the candidate bit set holds 64 patterns") };
    let mut keywords: Vec<&'static str> = Vec::new();
    let mut enables: Vec<u64> = Vec::new();
    for (index, pattern) in PATTERNS.iter().enumerate() {
        for keyword in pattern.keywords {
            match keywords.iter().position(|k| k == keyword) {
                Some(at) => enables[at] |= 1 << index,
                None => {
                    keywords.push(keyword);
                    enables.push(1 << index);
                }
            }
        }
    }
    // Most runs check a handful of small files: the noncontiguous NFA is the cheapest to build
    // (the contiguous one is built from it); the DFA comes later, for long runs.
    let automaton = keyword_automaton(&keywords, AhoCorasickKind::NoncontiguousNFA);
    let kinds = PATTERNS
        .iter()
        .map(|p| KINDS.iter().find(|k| k.id == p.kind).expect("every pattern names a known kind"))
        .collect();
    Compiled {
        keywords: automaton,
        dfa: OnceLock::new(),
        scanned: AtomicUsize::new(0),
        keyword_list: keywords,
        enables,
        regexes: PATTERNS.iter().map(|_| OnceLock::new()).collect(),
        kinds,
    }
});

/// How much text a run scans with the keyword NFA before it builds the DFA (which costs about
/// what scanning this much with the NFA does).
const DFA_AFTER: usize = 256 * 1024;

fn keyword_automaton(keywords: &[&str], kind: AhoCorasickKind) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(keywords)
        .expect("built-in secret keywords build an automaton")
}

/// Translates a gitleaks regex (Go RE2 syntax) to the Rust `regex` dialect
/// with the same meaning. In RE2 the Perl classes `\d`, `\s`, `\w` and the
/// boundary `\b` are ASCII-only; in Rust they are Unicode, which makes
/// repetitions like `\w{82}` huge to compile (the pypi pitfall) and makes the
/// fast DFA give up on any non-ASCII input (`\b`). `\D`, `\S`, `\W` keep their
/// Unicode meaning: they only occur as `[\s\S-]` (any character).
fn re2_to_rust(regex: &str) -> String {
    let mut out = String::with_capacity(regex.len() + 64);
    let mut class_depth = 0usize;
    let mut chars = regex.chars();
    while let Some(c) = chars.next() {
        match c {
            '[' => class_depth += 1,
            ']' if class_depth > 0 => class_depth -= 1,
            _ => {}
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escaped) = chars.next() else {
            out.push('\\');
            break;
        };
        let ascii = match escaped {
            'd' => "0-9",
            's' => r"\t\n\f\r ",
            'w' => "0-9A-Za-z_",
            'b' if class_depth == 0 => {
                out.push_str(r"(?-u:\b)");
                continue;
            }
            other => {
                out.push('\\');
                out.push(other);
                continue;
            }
        };
        if class_depth > 0 {
            out.push_str(ascii);
        } else {
            out.push('[');
            out.push_str(ascii);
            out.push(']');
        }
    }
    out
}

/// Documentation placeholders that match a pattern but are not secrets
/// (gitleaks allowlists AWS key ids ending in `EXAMPLE`, as used in AWS docs).
/// A password in a URL that is an environment reference (`${DB_PASSWORD}`, `$PASS`) or a
/// placeholder (`<password>`, `{{ password }}`, `***`) is not a secret either.
fn is_documented_example(kind: &SecretKind, value: &str) -> bool {
    match kind.id {
        "aws-access-token" => value.ends_with("EXAMPLE"),
        "url-password" => value.starts_with(['$', '<', '{', '%']) || value.chars().all(|c| c == '*'),
        _ => false,
    }
}

/// A match before overlap resolution.
struct Candidate {
    start: usize,
    end: usize,
    fallback: bool,
    pattern: usize,
}

/// False when `text` holds none of the keywords every pattern needs, so [`scan`] would find
/// nothing. No keyword holds `"` or `\\`, so a JSON document without `\\u` escapes has a
/// keyword in one of its strings exactly when its text has one.
pub fn may_hold_secret(text: &str) -> bool {
    COMPILED.any_keyword(text)
}

/// Every credential in `text`, sorted by start and non-overlapping. When
/// matches overlap, specific formats beat the low-confidence Anthropic
/// fallback, then the longer match wins (then the earlier one, then the
/// earlier pattern), so each secret is reported exactly once.
pub fn scan(text: &str) -> Vec<SecretMatch> {
    let compiled = &*COMPILED;
    // Most text holds no keyword: a plain search (which skips ahead with a vectorised
    // prefilter) says so faster than collecting every overlapping keyword hit.
    if !compiled.any_keyword(text) {
        return Vec::new();
    }
    let patterns = compiled.candidates(text);
    if patterns == 0 {
        return Vec::new();
    }

    let mut candidates = Vec::new();
    for index in (0..PATTERNS.len()).filter(|i| patterns & (1 << i) != 0) {
        let regex = compiled.regex(index);
        let kind = compiled.kinds[index];
        let fallback = PATTERNS[index].fallback;
        let mut push = |start: usize, end: usize| {
            if start < end && !is_documented_example(kind, &text[start..end]) {
                candidates.push(Candidate { start, end, fallback, pattern: index });
            }
        };
        if regex.captures_len() > 1 {
            for caps in regex.captures_iter(text) {
                if let Some(m) = caps.get(1).or_else(|| caps.get(0)) {
                    push(m.start(), m.end());
                }
            }
        } else {
            for m in regex.find_iter(text) {
                push(m.start(), m.end());
            }
        }
    }

    candidates.sort_by_key(|c| (c.fallback, std::cmp::Reverse(c.end - c.start), c.start, c.pattern));
    // Accepted matches keyed by start; they never overlap, so their ends are
    // ordered too and only the nearest one starting before `end` can clash.
    let mut accepted: BTreeMap<usize, SecretMatch> = BTreeMap::new();
    for c in candidates {
        let clashes = accepted.range(..c.end).next_back().is_some_and(|(_, m)| m.end > c.start);
        if !clashes {
            let kind = compiled.kinds[c.pattern];
            accepted.insert(c.start, SecretMatch { start: c.start, end: c.end, kind });
        }
    }
    accepted.into_values().collect()
}

/// Values shorter than this (in chars) show only their first two chars.
const SHORT_SECRET: usize = 12;
/// Visible trailing chars of a long secret.
const TAIL_CHARS: usize = 4;
/// Longest prefix ever shown, so output stays around 20 visible chars.
const MAX_PREFIX: usize = 16;
/// At least this many chars are always hidden in a long secret.
const MIN_HIDDEN: usize = 8;

/// Public, non-secret prefixes of the supported formats (matched ignoring
/// ASCII case; the longest match wins). `sk-ant-…NN-` is handled separately.
const KNOWN_PREFIXES: &[&str] = &[
    "sk-ant-",
    "sk-proj-",
    "sk-svcacct-",
    "sk-admin-",
    "sk-",
    "sk_live_",
    "sk_test_",
    "sk_prod_",
    "rk_live_",
    "rk_test_",
    "rk_prod_",
    "AKIA",
    "ASIA",
    "ABIA",
    "ACCA",
    "A3T",
    "ABSK",
    "bedrock-api-key-",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xoxa-",
    "xoxb-",
    "xoxe-",
    "xoxo-",
    "xoxp-",
    "xoxr-",
    "xoxs-",
    "xoxe.xoxb-",
    "xoxe.xoxp-",
    "xapp-",
    "hooks.slack.com/",
    "http://hooks.slack.com/",
    "https://hooks.slack.com/",
    "AIza",
    "hf_",
    "npm_",
    "pypi-",
    "-----BEGIN",
];

fn starts_with_ignore_ascii_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Byte length of the recognised public prefix of `secret`, if any. All
/// known prefixes are ASCII, so this is also a char count.
fn known_prefix_len(secret: &str) -> Option<usize> {
    let listed = KNOWN_PREFIXES.iter().filter(|p| starts_with_ignore_ascii_case(secret, p)).map(|p| p.len()).max();
    // Anthropic keys: `sk-ant-` + lowercase type + two-digit version + `-`.
    let anthropic = starts_with_ignore_ascii_case(secret, "sk-ant-").then(|| {
        let rest = &secret.as_bytes()["sk-ant-".len()..];
        let letters = rest.iter().take_while(|b| b.is_ascii_lowercase()).count();
        let versioned = letters > 0
            && rest.len() > letters + 2
            && rest[letters].is_ascii_digit()
            && rest[letters + 1].is_ascii_digit()
            && rest[letters + 2] == b'-';
        "sk-ant-".len() + if versioned { letters + 3 } else { 0 }
    });
    listed.max(anthropic)
}

/// Byte offset just after the first `chars` chars of `s`.
fn byte_offset_of_char(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

fn is_displayable(c: char) -> bool {
    !c.is_whitespace() && !c.is_control()
}

/// Byte ranges of `secret` left visible: `..head` and `tail..`. Shared by
/// [`redact`] and [`mask`] so both reveal exactly the same characters.
fn visible_bounds(secret: &str) -> (usize, usize) {
    let len = secret.len();
    let chars = secret.chars().count();
    let head_chars = if chars < SHORT_SECRET {
        2.min(chars / 2)
    } else {
        let prefix = known_prefix_len(secret).unwrap_or(2).min(MAX_PREFIX);
        if chars - prefix < MIN_HIDDEN { 2 } else { prefix }
    };
    // Never show whitespace or control characters (keeps messages one line).
    let head_chars = secret.chars().take(head_chars).take_while(|&c| is_displayable(c)).count();
    let head = byte_offset_of_char(secret, head_chars);

    let tail = if chars >= SHORT_SECRET && chars - head_chars >= TAIL_CHARS + MIN_HIDDEN {
        let start = byte_offset_of_char(secret, chars - TAIL_CHARS);
        if secret[start..].chars().all(is_displayable) { start } else { len }
    } else {
        len
    };
    (head, tail)
}

/// `text` with every credential in it replaced by its [`redact`]ed form, for messages that
/// quote a value from the config.
pub fn redact_all(text: &str) -> std::borrow::Cow<'_, str> {
    let matches = scan(text);
    if matches.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in matches {
        out.push_str(&text[at..m.start]);
        out.push_str(&redact_as(&text[m.start..m.end], m.kind));
        at = m.end;
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

/// Kinds with no public part: nothing of them is ever shown (a password may be short, and
/// each character shown gives much of it away).
fn fully_hidden(kind: &SecretKind) -> bool {
    kind.id == "url-password"
}

/// [`redact`] for a secret of a known kind: a password in a URL becomes `***`.
pub fn redact_as(secret: &str, kind: &SecretKind) -> String {
    if fully_hidden(kind) { "***".to_owned() } else { redact(secret) }
}

/// [`mask`] for a secret of a known kind: every byte of a password in a URL becomes `*`.
pub fn mask_as(secret: &str, kind: &SecretKind) -> String {
    if fully_hidden(kind) { secret.chars().map(|c| "*".repeat(c.len_utf8())).collect() } else { mask(secret) }
}

/// Compact redacted form for messages: the public prefix of the format (e.g.
/// `sk-ant-api03-`, `ghp_`, `AKIA`, `-----BEGIN`), `…`, and the last 4
/// characters — enough to tell keys apart, never more than about 20 visible
/// characters. Unknown formats show their first 2 characters instead of a
/// prefix; values under 12 characters show only their first 2 characters.
pub fn redact(secret: &str) -> String {
    let (head, tail) = visible_bounds(secret);
    format!("{}…{}", &secret[..head], &secret[tail..])
}

/// Same-size masked form for source snippets: the characters [`redact`]
/// would show stay in place, every other byte becomes `*` (one per byte, so
/// byte offsets stay valid even for non-ASCII input), and line breaks are
/// kept so line numbers stay valid (e.g. inside PEM blocks).
pub fn mask(secret: &str) -> String {
    let (head, tail) = visible_bounds(secret);
    let mut out = String::with_capacity(secret.len());
    out.push_str(&secret[..head]);
    for c in secret[head..tail].chars() {
        if c == '\n' || c == '\r' {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n('*', c.len_utf8()));
        }
    }
    out.push_str(&secret[tail..]);
    out
}

/// Widens `range` to char boundaries and clips it to `text`; `None` if empty.
fn clamp_to_text(text: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let mut end = range.end.min(text.len());
    let mut start = range.start.min(end);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start < end).then_some(start..end)
}

/// Masks (see [`mask`]) every secret in `matches` (normally `scan(text)`) and
/// every `extra` range (literal API keys in no known format) within `text`,
/// preserving byte length and line breaks. Overlapping ranges are masked as
/// one. Returns `Cow::Borrowed` when there is nothing to mask.
pub fn mask_text<'a>(text: &'a str, matches: &[SecretMatch], extra: &[Range<usize>]) -> Cow<'a, str> {
    let mut ranges: Vec<(Range<usize>, Option<&'static SecretKind>)> = matches
        .iter()
        .map(|m| (m.start..m.end, Some(m.kind)))
        .chain(extra.iter().map(|r| (r.clone(), None)))
        .filter_map(|(r, kind)| Some((clamp_to_text(text, &r)?, kind)))
        .collect();
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    ranges.sort_by_key(|(r, _)| (r.start, r.end));

    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut pending = ranges.into_iter().peekable();
    while let Some((mut range, mut kind)) = pending.next() {
        while let Some((next, _)) = pending.next_if(|(next, _)| next.start < range.end) {
            range.end = range.end.max(next.end);
            kind = None;
        }
        out.push_str(&text[copied..range.start]);
        out.push_str(&match kind {
            Some(kind) => mask_as(&text[range.clone()], kind),
            None => mask(&text[range.clone()]),
        });
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<&'static str> {
        scan(text).iter().map(|m| m.kind.id).collect()
    }

    /// The DFA a long run switches to reports the same keyword hits as the NFA it starts with.
    #[test]
    fn keyword_dfa_and_nfa_agree() {
        let list = &COMPILED.keyword_list;
        let nfa = keyword_automaton(list, AhoCorasickKind::NoncontiguousNFA);
        let dfa = keyword_automaton(list, AhoCorasickKind::DFA);
        let hits = |ac: &AhoCorasick, text: &str| -> Vec<(usize, usize, usize)> {
            ac.find_overlapping_iter(text).map(|m| (m.pattern().as_usize(), m.start(), m.end())).collect()
        };
        for text in [
            "",
            "no keyword here",
            "KEY=sk-ant-api03-abc xoxb-1 https://u:p@host GHP_x AKIA Slack _live_ ----- BEGIN",
            "-----BEGIN RSA PRIVATE KEY----- eyJ.eyJ xoxe-1 hf_abc npm_x pypi-AgEIcHlwaS5vcmc",
        ] {
            assert_eq!(hits(&nfa, text), hits(&dfa, text), "{text}");
            assert_eq!(nfa.is_match(text), dfa.is_match(text), "{text}");
        }
        // After enough text, scans go through the DFA and still find credentials.
        let long = "plain text without credentials\n".repeat(DFA_AFTER / 16);
        assert!(scan(&long).is_empty());
        assert_eq!(
            ids(
                "ANTHROPIC_API_KEY=sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOp-AAAAAAAA"
            ),
            ["anthropic-api-key"]
        );
    }

    /// What `may_hold_secret` relies on for JSON text: a keyword reads the same inside a JSON
    /// string and out of it, and every pattern has one.
    #[test]
    fn keywords_need_no_json_escape() {
        for pattern in PATTERNS {
            assert!(!pattern.keywords.is_empty(), "{}", pattern.kind);
            for keyword in pattern.keywords {
                assert!(!keyword.contains(['"', '\\']) && !keyword.chars().any(char::is_control), "{keyword}");
            }
        }
        assert!(may_hold_secret("{\"message\": \"sk-ant-api03-x\"}"));
        assert!(!may_hold_secret("{\"message\": \"max_turns is missing\"}"));
    }

    /// Synthetic value for every kind, in `kinds()` order.
    fn examples() -> Vec<(&'static str, String)> {
        let pem_body = format!("{}\n", "MIIEpAIBAAKCAQEA".repeat(4)).repeat(3);
        vec![
            ("anthropic-api-key", format!("sk-ant-api03-{}AA", "a".repeat(93))),
            ("anthropic-api-key", format!("sk-ant-api04-{}AA", "b1_-".repeat(25))),
            ("anthropic-admin-api-key", format!("sk-ant-admin01-{}AA", "c".repeat(93))),
            ("claude-code-oauth-token", format!("sk-ant-oat01-{}", "d".repeat(95))),
            ("derived-anthropic-fallback", format!("sk-ant-sid02-{}", "e".repeat(30))),
            ("openai-api-key", format!("sk-proj-{}T3BlbkFJ{}", "f".repeat(74), "g".repeat(74))),
            ("openai-api-key", format!("sk-{}T3BlbkFJ{}", "h".repeat(20), "i".repeat(20))),
            ("aws-access-token", "AKIAQWERTYUIOPASDFGH".to_string()),
            ("aws-access-token", "ASIAZXCVBNMLKJHGFDSA".to_string()),
            ("aws-amazon-bedrock-api-key-long-lived", format!("ABSK{}==", "QmVkcm9jaw".repeat(12))),
            (
                "aws-amazon-bedrock-api-key-short-lived",
                format!("bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t{}", "Lz9BY3Rpb249".repeat(5)),
            ),
            ("github-pat", format!("ghp_{}", "j1".repeat(18))),
            ("github-fine-grained-pat", format!("github_pat_{}_{}", "K".repeat(22), "l".repeat(59))),
            ("github-oauth", format!("gho_{}", "m2".repeat(18))),
            ("github-app-token", format!("ghu_{}", "n3".repeat(18))),
            ("github-app-token", format!("ghs_{}", "o4".repeat(18))),
            ("github-refresh-token", format!("ghr_{}", "p5".repeat(18))),
            ("gitlab-pat", format!("glpat-{}", "q".repeat(20))),
            ("gitlab-pat-routable", format!("glpat-{}.01{}", "r".repeat(27), "s".repeat(7))),
            ("slack-bot-token", format!("xoxb-1234567890-1234567890-{}", "t".repeat(24))),
            ("slack-legacy-bot-token", format!("xoxb-12345678-{}", "u".repeat(20))),
            ("slack-user-token", format!("xoxp-1234567890-1234567890-1234567890-{}", "v".repeat(32))),
            ("slack-app-token", "xapp-1-A0123456789-1234567890-abcdef0123".to_string()),
            ("slack-config-access-token", format!("xoxe.xoxp-1-{}", "W".repeat(165))),
            ("slack-config-refresh-token", format!("xoxe-1-{}", "X".repeat(146))),
            ("slack-legacy-token", "xoxs-123-456-789-abcdef0123".to_string()),
            ("slack-legacy-workspace-token", "xoxa-2-abcdefgh1234".to_string()),
            ("slack-webhook-url", format!("https://hooks.slack.com/services/T00000000/B00000000/{}", "Y".repeat(24))),
            ("gcp-api-key", format!("AIzaSy{}", "Z9_-".repeat(8) + "z")),
            ("stripe-access-token", format!("sk_live_{}", "a1".repeat(12))),
            ("stripe-access-token", format!("rk_test_{}", "b2".repeat(12))),
            ("huggingface-access-token", format!("hf_{}", "cD".repeat(17))),
            ("npm-access-token", format!("npm_{}", "e3".repeat(18))),
            ("pypi-upload-token", format!("pypi-AgEIcHlwaS5vcmc{}", "f4_".repeat(20))),
            ("private-key", format!("-----BEGIN RSA PRIVATE KEY-----\n{pem_body}-----END RSA PRIVATE KEY-----")),
            ("jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl".to_string()),
            ("url-password", "s3cr3t-Passw0rd.x".to_string()),
        ]
    }

    /// How an example is written in text: a URL password inside its URL.
    fn written(id: &str, value: &str) -> String {
        if id == "url-password" { format!("postgres://deploy:{value}@db.internal:5432/app") } else { value.to_owned() }
    }

    #[test]
    fn every_kind_has_a_positive_example() {
        let covered: Vec<&str> = examples().iter().map(|(id, _)| *id).collect();
        for kind in kinds() {
            assert!(covered.contains(&kind.id), "no example for {}", kind.id);
        }
    }

    #[test]
    fn each_example_is_found_once_with_its_kind() {
        for (id, value) in examples() {
            let text = format!("config:\n  value: \"{}\"\n", written(id, &value));
            let found = scan(&text);
            assert_eq!(found.len(), 1, "{id}: {found:?}");
            let m = found[0];
            assert_eq!(m.kind.id, id, "{value}");
            assert_eq!(&text[m.start..m.end], value, "{id}");
        }
    }

    #[test]
    fn examples_found_in_other_contexts() {
        for (id, value) in examples() {
            let value = written(id, &value);
            for text in [
                value.clone(),
                format!("export X={value}\n"),
                format!("--header 'Authorization: Bearer {value}'"),
                format!("{{\"k\":\"{value}\"}}"),
            ] {
                let found = ids(&text);
                assert_eq!(found, vec![id], "{text}");
            }
        }
    }

    #[test]
    fn negatives() {
        let texts = [
            "${ANTHROPIC_API_KEY}".to_string(),
            "your_token_here".to_string(),
            "sk-ant-...".to_string(),
            "export ANTHROPIC_API_KEY=sk-ant-api03-...".to_string(),
            "The quick brown fox jumps over the lazy dog, they said.".to_string(),
            format!("pk_live_{}", "a1".repeat(12)),
            "AKIAIOSFODNN7EXAMPLE".to_string(),
            "sk-ant-api03-R2D...igAA".to_string(),
            "postgres://app:${DB_PASSWORD}@db:5432/app redis://:@localhost:6379 https://x.org/a:b@c".to_string(),
            "https://user@host.example/path and git@github.com:org/repo.git".to_string(),
            String::new(),
        ];
        for text in texts {
            assert!(scan(&text).is_empty(), "{text}: {:?}", scan(&text));
        }
    }

    #[test]
    fn anthropic_key_is_not_also_reported_as_fallback() {
        let key = format!("sk-ant-api03-{}AA", "a".repeat(93));
        let text = format!("ANTHROPIC_API_KEY={key}");
        let found = scan(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind.label, "Anthropic API key");
        // Trailing characters break the exact format: still one report, and
        // the specific kind beats the (longer) fallback match.
        let text = format!("{key}bb");
        assert_eq!(ids(&text), vec!["anthropic-api-key"]);
        // An unknown version is only the fallback.
        assert_eq!(ids(&format!("sk-ant-oat02-{}", "x".repeat(40))), vec!["derived-anthropic-fallback"]);
    }

    #[test]
    fn longest_specific_match_wins() {
        let routable = format!("glpat-{}.01{}", "r".repeat(27), "s".repeat(7));
        assert_eq!(ids(&routable), vec!["gitlab-pat-routable"]);
        let bot = format!("xoxb-1234567890-1234567890-{}", "t".repeat(24));
        assert_eq!(ids(&bot), vec!["slack-bot-token"]);
    }

    #[test]
    fn range_is_capture_group_not_delimiter() {
        let key = format!("sk-ant-api03-{}AA", "a".repeat(93));
        let text = format!("{{\"apiKey\": \"{key}\"}}");
        let found = scan(&text);
        assert_eq!(found.len(), 1);
        let m = found[0];
        assert_eq!(&text[m.start..m.end], key);
        assert_eq!(&text[m.end..m.end + 1], "\"");
        // Escaped newline delimiter inside a JSON string.
        let stripe = format!("sk_live_{}", "a1".repeat(12));
        let text = format!("\"X={stripe}\\nY=1\"");
        let m = scan(&text)[0];
        assert_eq!(&text[m.start..m.end], stripe);
    }

    #[test]
    fn several_secrets_sorted_and_disjoint() {
        let all: Vec<(&str, String)> = examples();
        let text = all.iter().map(|(id, v)| written(id, v)).collect::<Vec<_>>().join("\n");
        let found = scan(&text);
        assert_eq!(found.len(), all.len());
        for pair in found.windows(2) {
            assert!(pair[0].end <= pair[1].start);
        }
        for (m, (_, value)) in found.iter().zip(&all) {
            assert_eq!(&text[m.start..m.end], value);
        }
    }

    #[test]
    fn tokens_end_at_any_character_that_cannot_continue_them() {
        let openai = format!("sk-proj-{}T3BlbkFJ{}", "f".repeat(74), "g".repeat(74));
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl";
        for text in [
            format!("Bash(curl -H {openai}:*)"),
            format!("Bash(curl -H \"Authorization: Bearer {jwt}\":*)"),
            format!("Bash(curl --token={jwt})"),
            format!("--header=\\\"{openai}\\\""),
            format!("{openai}: value"),
        ] {
            let found = scan(&text);
            assert_eq!(found.len(), 1, "{text}");
            let secret = &text[found[0].start..found[0].end];
            assert!(secret == openai || secret == jwt, "{text}: {secret}");
        }
    }

    #[test]
    fn url_passwords_are_hidden_completely() {
        let text = "DATABASE_URL=postgres://deploy:pa55word@db.internal:5432/app";
        let found = scan(text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "pa55word");
        assert_eq!(redact_all(text), "DATABASE_URL=postgres://deploy:***@db.internal:5432/app");
        assert_eq!(mask_text(text, &found, &[]), "DATABASE_URL=postgres://deploy:********@db.internal:5432/app");
    }

    #[test]
    fn non_ascii_text_around_secrets() {
        let key = format!("ghp_{}", "j1".repeat(18));
        let text = format!("clé «{key}» 🔑 AKIAQWERTYUIOPASDFGH é");
        assert_eq!(ids(&text), vec!["github-pat", "aws-access-token"]);
    }

    #[test]
    fn megabyte_without_secrets_is_empty() {
        let chunk = "{\"env\": {\"ANTHROPIC_API_KEY\": \"${ANTHROPIC_API_KEY}\", \"monkey\": \"they key\"}},\n\
                     // comment: café déjà vu 🔑 sk-ant-... ghp_ xoxb- AKIA eyJ hooks.slack.com -----BEGIN\n";
        let text = chunk.repeat(1_000_000 / chunk.len() + 1);
        assert!(text.len() >= 1_000_000);
        assert!(scan(&text).is_empty());
    }

    #[test]
    fn redact_shows_prefix_and_last_four() {
        let key = format!("sk-ant-api03-{}MIDDLE{}wxAA", "a".repeat(40), "b".repeat(45));
        assert_eq!(redact(&key), "sk-ant-api03-…wxAA");
        assert_eq!(redact(&format!("ghp_{}WXYZ", "q".repeat(32))), "ghp_…WXYZ");
        assert_eq!(redact("AKIAQWERTYUIOPASDFGH"), "AKIA…DFGH");
        assert_eq!(redact("short"), "sh…");
        assert_eq!(redact("x"), "…");
        assert_eq!(redact("unknown-format-value-1234"), "un…1234");
        let (_, pem) = examples().into_iter().find(|(id, _)| *id == "private-key").unwrap();
        assert!(redact(&pem).starts_with("-----BEGIN…"));
    }

    #[test]
    fn redact_never_reveals_the_middle() {
        let mut values: Vec<String> = examples().into_iter().map(|(_, v)| v).collect();
        values.push("0123456789abcdef".to_string());
        values.push("sk_live_abcdefghij".to_string());
        values.push("ünïcödé-sécret-välüe".to_string());
        for value in values {
            let shown = redact(&value);
            let (head, tail) = shown.split_once('…').expect("ellipsis");
            assert!(value.starts_with(head), "{value}");
            assert!(value.ends_with(tail), "{value}");
            assert!(head.chars().count() <= MAX_PREFIX, "{shown}");
            assert!(tail.chars().count() <= TAIL_CHARS, "{shown}");
            let hidden = value.chars().count() - head.chars().count() - tail.chars().count();
            assert!(hidden >= value.chars().count().min(MIN_HIDDEN) / 2, "{shown}");
            assert!(!shown.contains('\n'));
        }
    }

    #[test]
    fn mask_keeps_bytes_and_newlines() {
        let mut values: Vec<String> = examples().into_iter().map(|(_, v)| v).collect();
        values.push("ünïcödé-sécret-välüe".to_string());
        values.push("ab\ncd".to_string());
        for value in values {
            let masked = mask(&value);
            assert_eq!(masked.len(), value.len(), "{value}");
            let newlines = |s: &str| s.match_indices('\n').map(|(i, _)| i).collect::<Vec<_>>();
            assert_eq!(newlines(&masked), newlines(&value));
            // Exactly what redact shows is left visible.
            let shown = redact(&value);
            let (head, tail) = shown.split_once('…').unwrap();
            assert!(masked.starts_with(head) && masked.ends_with(tail), "{masked}");
            let middle = &masked[head.len()..masked.len() - tail.len()];
            assert!(middle.chars().all(|c| c == '*' || c == '\n'), "{masked}");
        }
        assert_eq!(mask("AKIAQWERTYUIOPASDFGH"), "AKIA************DFGH");
        // Unknown format, too short for a tail; each hidden byte becomes '*'.
        assert_eq!(mask("é-long-secret"), "é-***********");
        assert_eq!(mask("zz-x-ünïcödé-välüe-1234"), "zz***********************1234");
    }

    #[test]
    fn mask_text_masks_matches_and_extra_ranges() {
        let key = format!("sk-ant-api03-{}AA", "a".repeat(93));
        let text = format!("a: \"{key}\"\nb: literal-key-value-42\nc: ok\n");
        let found = scan(&text);
        let literal_start = text.find("literal").unwrap();
        let literal = literal_start..literal_start + "literal-key-value-42".len();
        let masked = mask_text(&text, &found, std::slice::from_ref(&literal));
        assert!(matches!(masked, Cow::Owned(_)));
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked.lines().count(), text.lines().count());
        assert!(!masked.contains(&"a".repeat(10)));
        assert!(!masked.contains("key-value"));
        assert!(masked.contains("sk-ant-api03-****"));
        assert!(masked.ends_with("\nc: ok\n"));
        // Overlapping and out-of-range extras are tolerated.
        let masked = mask_text(&text, &found, &[0..5, 3..8, 10_000..20_000]);
        assert_eq!(masked.len(), text.len());
        // Nothing to mask: borrowed.
        assert!(matches!(mask_text("plain", &[], &[]), Cow::Borrowed("plain")));
        assert!(matches!(mask_text("plain", &[], std::slice::from_ref(&(2..2))), Cow::Borrowed(_)));
    }

    #[test]
    fn mask_text_handles_non_char_boundaries() {
        let text = "xé-secret-value-here-1234y";
        let masked = mask_text(text, &[], std::slice::from_ref(&(2..25)));
        assert_eq!(masked.len(), text.len());
        assert!(masked.starts_with('x') && masked.ends_with('y'));
    }

    #[test]
    fn re2_translation() {
        assert_eq!(
            re2_to_rust(r"\b(a\\b)\d[\w\s\S-]\x60\b"),
            r"(?-u:\b)(a\\b)[0-9][0-9A-Za-z_\t\n\f\r \S-]\x60(?-u:\b)"
        );
        // Every translated pattern fits the regex crate's default limits.
        for p in PATTERNS {
            Regex::new(&re2_to_rust(p.regex)).expect(p.regex);
        }
    }
}
