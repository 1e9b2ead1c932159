//! The built-in policy packs, embedded in the binary from `policies/*.yaml`.

/// A built-in pack: its name and YAML source.
pub struct BuiltinPack {
    pub name: &'static str,
    pub source: &'static str,
}

/// In the order `agentlint policies` lists them.
pub static BUILTIN_PACKS: &[BuiltinPack] = &[
    BuiltinPack { name: "production", source: include_str!("../../policies/production.yaml") },
    BuiltinPack { name: "ci", source: include_str!("../../policies/ci.yaml") },
    BuiltinPack { name: "review", source: include_str!("../../policies/review.yaml") },
    BuiltinPack { name: "baseline", source: include_str!("../../policies/baseline.yaml") },
];

/// The pack used when neither `--policy` nor a project configuration names one.
pub const DEFAULT_PACK: &str = "production";

pub fn find(name: &str) -> Option<&'static BuiltinPack> {
    BUILTIN_PACKS.iter().find(|p| p.name == name)
}

/// How built-in packs are shown in findings and `policy show`.
pub fn display_path(name: &str) -> String {
    format!("<built-in>/{name}.yaml")
}

/// The built-in names, for messages: "production, ci, review, baseline".
pub fn names() -> String {
    BUILTIN_PACKS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
}
