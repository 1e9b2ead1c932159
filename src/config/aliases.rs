//! Key spellings: every snake_case field also accepts its camelCase form (the
//! TypeScript SDK and settings.json spellings), plus a few irregular aliases.

/// Irregular spellings of agent options → canonical field name.
pub const IRREGULAR: &[(&str, &str)] = &[
    ("add_dirs", "add_dir"),
    ("addDirs", "add_dir"),
    ("additionalDirectories", "add_dir"),
    ("additional_directories", "add_dir"),
    ("permissionPromptToolName", "permission_prompt_tool"),
    ("permission_prompt_tool_name", "permission_prompt_tool"),
    ("continue_conversation", "continue"),
    ("continueConversation", "continue"),
    ("can_use_tool", "tool_callback"),
    ("canUseTool", "tool_callback"),
    ("mcpConfig", "mcp_config"),
];

/// `allowed_tools` → `allowedTools`.
pub fn snake_to_camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut upper = false;
    for c in s.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Every alias of a canonical field, for the schema.
pub fn aliases_of(field: &str) -> impl Iterator<Item = String> + '_ {
    let camel = snake_to_camel(field);
    let camel = (camel != field && !field.starts_with('$')).then_some(camel);
    camel.into_iter().chain(IRREGULAR.iter().filter(move |(_, t)| *t == field).map(|(a, _)| (*a).to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases() {
        assert_eq!(snake_to_camel("max_budget_usd"), "maxBudgetUsd");
        let add_dir: Vec<String> = aliases_of("add_dir").collect();
        assert_eq!(add_dir, ["addDir", "add_dirs", "addDirs", "additionalDirectories", "additional_directories"]);
        assert_eq!(aliases_of("$schema").count(), 0);
    }
}
