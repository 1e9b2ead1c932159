//! NUL format: every argv element followed by a NUL byte, for `xargs -0` and other
//! consumers that must not re-split or unquote anything.

use super::LaunchSpec;

pub fn render(spec: &LaunchSpec) -> Vec<u8> {
    let mut out = Vec::new();
    for word in &spec.argv {
        out.extend_from_slice(word.as_bytes());
        out.push(0);
    }
    out
}
