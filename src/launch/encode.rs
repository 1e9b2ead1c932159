//! Option → argv encoding, in the order of the reference's master option table
//! (`options-to-flags.md` §1.2), so the same config always gives the same argv.
//!
//! Facts checked against CLI 2.1.76 and 2.1.332 themselves are noted where the reference is silent:
//! `--thinking <enabled|adaptive|disabled>` is a hidden flag of both and wins over
//! `--max-thinking-tokens`; the CLI expands `${NAME}` / `${NAME:-default}` in an MCP server's
//! `command`, `args`, `env`, `url` and `headers` from its own environment; two `--mcp-config=`
//! elements add up; `--include-partial-messages` is refused unless the output format is
//! `stream-json`, which in print mode also needs `--verbose`; `--system-prompt=` (empty) sends no
//! system prompt text at all; `--betas` does not split a comma-joined value (one `--betas=` per
//! beta is what reaches the API); 2.1.332 refuses to start a sandbox it cannot set up only when
//! `failIfUnavailable` is true (2.1.76 has no such setting and ignores the key).
//!
//! The chosen CLI version ([`super::flags::CliVersion`]) decides what may be emitted: every
//! argv is read back with [`super::flags::parse`] for that version, and anything it would not
//! accept is refused with the release that introduced it.

use std::sync::LazyLock;

use indexmap::IndexMap;
use regex::Regex;
use serde_json::{Map, Value as Json};

use super::extra::quoted_list;
use super::flags::{self, CliVersion, OLDEST_SUPPORTED, ParseProblem};
use super::{DEFAULT_PROGRAM, LaunchEnv, LaunchError, LaunchSpec};
use crate::config::{
    Agent, AgentDefinition, AgentOptions, EnvValue, ExtraArg, Hooks, McpServer, McpTransport, Sandbox, SettingsOption,
    SystemPrompt, Thinking, ToolsOption,
};
use crate::document::Value;
use crate::rules::is_credential_env;
use crate::secrets;

/// The environment variable that turns on file checkpointing (options-to-flags.md, session lifecycle).
const CHECKPOINTING_ENV: &str = "CLAUDE_CODE_ENABLE_SDK_FILE_CHECKPOINTING";

/// `${NAME}` or `${NAME:-default}`, as the CLI expands them in MCP server definitions.
static ENV_EXPANSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}").expect("valid regex"));

/// A URL with a password in it (`scheme://user:password@host`), a credential no token pattern covers.
static URL_PASSWORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:([^/\s@]+)@").expect("valid regex"));

pub(super) fn encode(agent: &Agent, version: CliVersion) -> Result<LaunchSpec, LaunchError> {
    let mut e = Encoder::new(&agent.options, version);
    if version < OLDEST_SUPPORTED {
        e.problem(format!(
            "CLI {version} is older than the oldest release agentlint supports ({OLDEST_SUPPORTED}); choose a newer `--cli-version`"
        ));
        return e.finish();
    }
    for option in agent.invalid_options() {
        e.problem(format!(
            "`{option}` has an invalid value (`agentlint check` reports it), so it cannot be encoded; fix it first"
        ));
    }
    // Values the typed options cannot hold (`.inf` for a number) would otherwise vanish silently.
    let typed = serde_json::to_value(&agent.options).unwrap_or_default();
    for entry in agent.tree.as_map().into_iter().flatten() {
        let key = entry.key.text.as_str();
        let skip =
            key.starts_with("x-") || agent.invalid_options().contains(key) || matches!(entry.value.value, Value::Null);
        if !skip && typed.get(key).is_none() {
            let shown = match entry.value.value {
                Value::Float(f) => format!("`{f}`"),
                _ => format!("a {}", entry.value.type_name()),
            };
            e.problem(format!("`{key}` is {shown}, which cannot be written as an argument; fix the value"));
        }
    }
    e.run();
    e.finish()
}

/// Where a variable of the CLI's environment comes from.
enum EnvSource {
    /// The launcher's variable of the same name.
    Pass,
    /// The launcher's variable of another name.
    From(String),
    Literal(String),
}

struct Encoder<'a> {
    o: &'a AgentOptions,
    version: CliVersion,
    argv: Vec<String>,
    /// The option each argv element encodes, for messages.
    origin: Vec<&'static str>,
    env: IndexMap<String, EnvSource>,
    /// Variables the CLI itself reads from its environment (MCP `${NAME}` expansion, HTTP hook headers).
    needed: Vec<String>,
    problems: Vec<String>,
    not_expressible: Vec<String>,
}

impl<'a> Encoder<'a> {
    fn new(o: &'a AgentOptions, version: CliVersion) -> Self {
        Self {
            o,
            version,
            argv: Vec::new(),
            origin: Vec::new(),
            env: IndexMap::new(),
            needed: Vec::new(),
            problems: Vec::new(),
            not_expressible: Vec::new(),
        }
    }

    fn problem(&mut self, message: String) {
        self.problems.push(message);
    }

    fn push(&mut self, option: &'static str, element: String) {
        self.argv.push(element);
        self.origin.push(option);
    }

    /// `--flag` for an option set to `true`.
    fn switch(&mut self, option: &'static str, flag: &str, on: Option<bool>) {
        if on == Some(true) {
            self.push(option, format!("--{flag}"));
        }
    }

    /// `--flag=value`: one element, so neither a variadic flag nor a value starting with `-`
    /// can take the next element.
    fn value(&mut self, option: &'static str, flag: &str, value: &str) {
        self.push(option, format!("--{flag}={value}"));
    }

    fn run(&mut self) {
        let o = self.o;
        self.push("(program)", DEFAULT_PROGRAM.to_owned());
        // Print mode: several flags below (max turns, budget, fallback model, …) work only with it.
        self.push("(always emitted)", "--print".to_owned());

        // Authentication and identity (`api_key` goes to the environment, never argv).
        if let Some(id) = &o.session_id {
            self.value("session_id", "session-id", id);
        }

        // Model and prompting.
        if let Some(model) = &o.model {
            self.value("model", "model", model);
        }
        if let Some(model) = &o.fallback_model {
            self.value("fallback_model", "fallback-model", model);
        }
        self.system_prompt();
        if let Some(agent) = &o.agent {
            self.value("agent", "agent", agent);
        }
        if let Some(agents) = &o.agents {
            let map: Map<String, Json> = agents.iter().map(|(name, d)| (name.clone(), agent_json(d))).collect();
            self.value("agents", "agents", &Json::Object(map).to_string());
        }
        self.thinking();
        if let Some(effort) = o.effort
            && self.choice_known("effort", "effort", effort.as_str())
        {
            self.value("effort", "effort", effort.as_str());
        }
        // One element per beta: the CLI does not split `--betas=a,b`, and would drop both as
        // one unknown beta.
        for beta in o.betas.iter().flatten() {
            self.value("betas", "betas", beta);
        }

        // Limits.
        if let Some(turns) = o.max_turns {
            if turns > 0 {
                self.value("max_turns", "max-turns", &turns.to_string());
            } else {
                self.problem(format!("`max_turns` is {turns}; `--max-turns` needs a positive integer"));
            }
        }
        if let Some(usd) = o.max_budget_usd {
            if usd.is_finite() && usd > 0.0 {
                self.value("max_budget_usd", "max-budget-usd", &decimal(usd));
            } else {
                self.problem(format!(
                    "`max_budget_usd` is {usd}; the CLI accepts only a number greater than 0 (it crashes on anything else)"
                ));
            }
        }

        // Tool control.
        match &o.tools {
            Some(ToolsOption::List(tools)) => {
                // `[]` gives `--tools=`: no built-in tool at all.
                if let Some(joined) = self.csv("tools", "--tools", tools) {
                    self.value("tools", "tools", &joined);
                }
            }
            Some(ToolsOption::Preset(_)) => self.value("tools", "tools", "default"),
            None => {}
        }
        if let Some(rules) = o.allowed_tools.as_ref().filter(|r| !r.is_empty())
            && let Some(joined) = self.csv("allowed_tools", "--allowedTools", rules)
        {
            self.value("allowed_tools", "allowedTools", &joined);
        }
        if let Some(rules) = o.disallowed_tools.as_ref().filter(|r| !r.is_empty())
            && let Some(joined) = self.csv("disallowed_tools", "--disallowedTools", rules)
        {
            self.value("disallowed_tools", "disallowedTools", &joined);
        }
        for dir in o.add_dir.iter().flatten() {
            self.value("add_dir", "add-dir", dir);
        }

        // Permissions and security (`sandbox` is merged into `--settings` below).
        if let Some(mode) = o.permission_mode
            && self.choice_known("permission_mode", "permission-mode", mode.cli_name())
        {
            self.value("permission_mode", "permission-mode", mode.cli_name());
        }
        if o.tool_callback.is_some() {
            self.not_expressible.push("tool_callback (SDK-side callback)".to_owned());
        }
        if let Some(tool) = &o.permission_prompt_tool {
            self.value("permission_prompt_tool", "permission-prompt-tool", tool);
        }
        self.switch(
            "allow_dangerously_skip_permissions",
            "allow-dangerously-skip-permissions",
            o.allow_dangerously_skip_permissions,
        );
        self.switch("dangerously_skip_permissions", "dangerously-skip-permissions", o.dangerously_skip_permissions);

        // MCP.
        if let Some(config) = &o.mcp_config {
            self.value("mcp_config", "mcp-config", config);
        }
        if let Some(servers) = &o.mcp_servers {
            self.mcp_servers(servers);
        }
        self.switch("strict_mcp_config", "strict-mcp-config", o.strict_mcp_config);

        // Session lifecycle (`enable_file_checkpointing` is an environment variable).
        if let Some(id) = &o.resume {
            self.value("resume", "resume", id);
        }
        self.switch("fork_session", "fork-session", o.fork_session);
        self.switch("continue", "continue", o.continue_session);
        if o.session_persistence_disabled() {
            let option =
                if o.no_session_persistence == Some(true) { "no_session_persistence" } else { "persist_session" };
            self.push(option, "--no-session-persistence".to_owned());
        }

        // Output and streaming.
        if let Some(format) = &o.output_format {
            self.value("output_format", "json-schema", &Json::Object(format.schema.clone()).to_string());
        }
        if o.include_partial_messages == Some(true) {
            self.push("include_partial_messages", "--include-partial-messages".to_owned());
            // The CLI refuses partial messages without stream-json output, which print mode
            // accepts only together with `--verbose`.
            self.value("include_partial_messages", "output-format", "stream-json");
            self.push("include_partial_messages", "--verbose".to_owned());
        }

        // Settings and plugins.
        self.settings();
        if let Some(sources) = &o.setting_sources {
            let joined: Vec<&str> = sources.iter().map(|s| s.as_str()).collect();
            self.value("setting_sources", "setting-sources", &joined.join(","));
        }
        for plugin in o.plugins.iter().flatten() {
            self.value("plugins", "plugin-dir", plugin.path());
        }
        self.switch("disable_slash_commands", "disable-slash-commands", o.disable_slash_commands);

        // `extra_args` last, as every SDK appends them.
        if let Some(extra) = &o.extra_args {
            self.extra_args(extra);
        }

        self.environment();
    }

    fn system_prompt(&mut self) {
        let o = self.o;
        match &o.system_prompt {
            Some(SystemPrompt::Text(text)) => self.value("system_prompt", "system-prompt", text),
            // The preset is the CLI's own prompt: nothing to send but the appended text.
            Some(SystemPrompt::Preset(preset)) => {
                if let Some(append) = &preset.append {
                    if o.append_system_prompt.is_some() {
                        self.problem(
                            "`system_prompt.append` and `append_system_prompt` are both set, and `--append-system-prompt` keeps only the last value; merge the two texts into `append_system_prompt`"
                                .to_owned(),
                        );
                        return;
                    }
                    self.value("system_prompt", "append-system-prompt", append);
                }
            }
            // Unset: an empty prompt, as the Python and TypeScript SDKs launch it. Only
            // `append_system_prompt` (an Elixir option, appended to the CLI's own prompt there)
            // keeps the CLI's default prompt.
            None if o.append_system_prompt.is_none() => self.value("system_prompt", "system-prompt", ""),
            None => {}
        }
        if let Some(append) = &o.append_system_prompt {
            self.value("append_system_prompt", "append-system-prompt", append);
        }
    }

    /// CLI 2.1.76: `--thinking adaptive|disabled` sets the mode (and beats `--max-thinking-tokens`);
    /// a positive `--max-thinking-tokens N` enables thinking with that budget, 0 turns it off.
    /// `thinking` wins over the deprecated `max_thinking_tokens`, which then only supplies the
    /// budget of `type: enabled` without `budget_tokens`.
    fn thinking(&mut self) {
        let o = self.o;
        let legacy = o.max_thinking_tokens;
        if let Some(n) = legacy.filter(|n| *n < 0) {
            self.problem(format!("`max_thinking_tokens` is {n}; it must be 0 (off) or a positive budget"));
            return;
        }
        let mut legacy_used = false;
        match &o.thinking {
            Some(Thinking::Enabled { budget_tokens: None }) if legacy.is_some_and(|n| n > 0) => {
                legacy_used = true;
                self.value("max_thinking_tokens", "max-thinking-tokens", &legacy.unwrap_or_default().to_string());
            }
            Some(Thinking::Adaptive) | Some(Thinking::Enabled { budget_tokens: None }) => {
                self.value("thinking", "thinking", "adaptive")
            }
            Some(Thinking::Disabled) => self.value("thinking", "thinking", "disabled"),
            Some(Thinking::Enabled { budget_tokens: Some(n) }) if *n > 0 => {
                self.value("thinking", "max-thinking-tokens", &n.to_string())
            }
            Some(Thinking::Enabled { budget_tokens: Some(n) }) => self.problem(format!(
                "`thinking.budget_tokens` is {n}; enabled thinking needs a positive budget (use `type: disabled` to turn thinking off)"
            )),
            None => {
                if let Some(n) = legacy {
                    legacy_used = true;
                    self.value("max_thinking_tokens", "max-thinking-tokens", &n.to_string());
                }
            }
        }
        if legacy.is_some() && !legacy_used && o.thinking.is_some() {
            self.not_expressible.push("max_thinking_tokens (`thinking` is set and wins)".to_owned());
        }
    }

    /// One comma-joined element, refused unless the CLI's own splitting gives back exactly `items`.
    fn csv(&mut self, option: &str, flag: &str, items: &[String]) -> Option<String> {
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            if item.contains(',') {
                self.problem(format!(
                    "`{option}[{i}]` (`{}`) contains a comma: `{flag}` takes one comma-separated value, and how the CLI splits a comma inside an entry is not documented, so agentlint does not guess; rewrite the entry without a comma (e.g. one rule per command)",
                    shown(item)
                ));
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        let joined = items.join(",");
        let split = cli_split(&joined);
        if split != items {
            let parts: Vec<String> = split.iter().map(|s| format!("`{}`", shown(s))).collect();
            self.problem(format!(
                "`{option}` does not survive `{flag}`'s comma-separated form: the CLI splits `{}` into [{}]; remove empty entries and spaces outside parentheses",
                shown(&joined),
                parts.join(", ")
            ));
            return None;
        }
        Some(joined)
    }

    fn mcp_servers(&mut self, servers: &IndexMap<String, McpServer>) {
        let mut out = Map::new();
        for (name, server) in servers {
            if server.kind == Some(McpTransport::Sdk) {
                self.not_expressible
                    .push(format!("mcp_servers.{name} (in-process SDK server; only an SDK can host it)"));
                continue;
            }
            if server.name.is_some() {
                self.not_expressible.push(format!("mcp_servers.{name}.name (only in-process SDK servers have a name)"));
            }
            let json = self.mcp_server(server);
            out.insert(name.clone(), json);
        }
        if !out.is_empty() {
            let mut config = Map::new();
            config.insert("mcpServers".into(), Json::Object(out));
            self.value("mcp_servers", "mcp-config", &Json::Object(config).to_string());
        }
    }

    /// A server in `.mcp.json` shape; environment references become `${NAME}`, which the CLI expands.
    fn mcp_server(&mut self, s: &McpServer) -> Json {
        let mut m = Map::new();
        if let Some(kind) = s.kind {
            m.insert("type".into(), serde_json::to_value(kind).unwrap_or(Json::Null));
        }
        if let Some(command) = &s.command {
            self.expansions(command);
            m.insert("command".into(), command.as_str().into());
        }
        if let Some(args) = &s.args {
            args.iter().for_each(|a| self.expansions(a));
            m.insert("args".into(), args.clone().into());
        }
        if let Some(env) = &s.env {
            let mut vars = Map::new();
            for (key, value) in env {
                let text = match (value.reference(), value) {
                    (Some(name), _) => format!("${{{name}}}"),
                    (None, EnvValue::Text(text)) => text.clone(),
                    (None, EnvValue::Reference(r)) => format!("${{{}}}", r.env),
                };
                self.expansions(&text);
                vars.insert(key.clone(), text.into());
            }
            m.insert("env".into(), Json::Object(vars));
        }
        if let Some(url) = &s.url {
            self.expansions(url);
            m.insert("url".into(), url.as_str().into());
        }
        if let Some(headers) = &s.headers {
            headers.values().for_each(|h| self.expansions(h));
            m.insert("headers".into(), serde_json::to_value(headers).unwrap_or(Json::Null));
        }
        Json::Object(m)
    }

    /// Records the variables the CLI will expand in `text`.
    fn expansions(&mut self, text: &str) {
        for caps in ENV_EXPANSION.captures_iter(text) {
            self.needed.push(caps[1].to_owned());
        }
    }

    /// `--settings=<json or path>`: `sandbox` and `hooks` go inside the settings object.
    fn settings(&mut self) {
        let o = self.o;
        let sandbox = o.sandbox.as_ref().and_then(sandbox_json);
        let hooks = o.hooks.as_ref().and_then(hooks_json);
        if let Some(hooks) = &hooks {
            self.needed.extend(http_hook_env_vars(hooks));
        }
        let base = match &o.settings {
            None => Map::new(),
            Some(SettingsOption::Inline(map)) => map.clone(),
            Some(SettingsOption::Path(text)) => match settings_text(text) {
                SettingsText::Object(map) => map,
                SettingsText::BadJson(error) => {
                    self.problem(format!(
                        "`settings` starts with `{{` but is not valid JSON ({error}); the CLI would look for a file of that name. Write the settings as a YAML mapping instead"
                    ));
                    return;
                }
                SettingsText::Path(path) => {
                    if let Some((_, options)) = settings_path_conflict(o) {
                        self.problem(format!(
                            "`settings` is a file path (`{}`) and {} would have to be merged into that file; the SDKs disagree on this (Elixir drops the file, Python merges it, TypeScript refuses), so agentlint refuses too (AL406); write the settings inline under `settings:` or move {} into the file",
                            shown(path),
                            options_list(&options),
                            options_list(&options)
                        ));
                        return;
                    }
                    self.value("settings", "settings", path);
                    return;
                }
            },
        };
        if base.is_empty() && sandbox.is_none() && hooks.is_none() && o.settings.is_none() {
            return;
        }
        let mut map = base;
        for (key, value) in [("sandbox", sandbox), ("hooks", hooks)] {
            let Some(value) = value else { continue };
            if map.contains_key(key) {
                self.problem(format!(
                    "`settings.{key}` and `{key}` are both set; putting `{key}` into the settings would replace `settings.{key}`, so one of them would be lost; keep only one"
                ));
                continue;
            }
            map.insert(key.into(), value);
        }
        if let Some(env) = map.get("env").and_then(Json::as_object) {
            for (name, value) in env {
                if is_credential_env(name) && value.as_str().is_some_and(|v| crate::config::env_reference(v).is_none())
                {
                    self.problem(format!(
                        "`settings.env.{name}` holds a literal credential; set `env: {{{name}: ${{{name}}}}}` on the agent and keep the value in the launcher's environment"
                    ));
                }
            }
        }
        self.value("settings", "settings", &Json::Object(map).to_string());
    }

    /// Whether the chosen CLI version accepts `value` for `--flag`; refuses it otherwise, naming
    /// the release that introduced it.
    fn choice_known(&mut self, option: &str, flag: &str, value: &str) -> bool {
        let Some(f) = flags::find_long(flag) else { return true };
        let Some(choice) = f.choice(value) else { return true };
        let accepted = f.choices_in(self.version);
        if accepted.contains(&value) {
            return true;
        }
        self.problem(format!(
            "`{option}: {value}` is not accepted by CLI {} (`--{flag}` takes {}); `{value}` came with {}. Choose one of those values, or a newer `--cli-version`",
            self.version,
            quoted_list(&accepted),
            choice.since.describe()
        ));
        false
    }

    /// `extra_args`, each key read as a flag of the chosen CLI version ([`super::extra::check`]):
    /// unknown flags, flags a typed option encodes and values that do not fit are refused.
    fn extra_args(&mut self, extra: &IndexMap<String, Option<ExtraArg>>) {
        for (key, value) in extra {
            match super::extra::check(key, value.as_ref(), self.version) {
                Ok(used) => {
                    if let Some(element) = used.element {
                        self.push("extra_args", element);
                    }
                }
                Err(issue) => self.problem(issue.message(&shown(key))),
            }
        }
    }

    fn environment(&mut self) {
        let o = self.o;
        for (key, value) in o.env.iter().flatten() {
            let source = match (value.reference(), value) {
                (Some(name), _) if name == key => EnvSource::Pass,
                (Some(name), _) => EnvSource::From(name.to_owned()),
                (None, EnvValue::Text(text)) => {
                    if is_credential_env(key) {
                        self.problem(format!(
                            "`env.{key}` holds a literal credential; write `{key}: ${{{key}}}` and keep the value in the launcher's environment"
                        ));
                        continue;
                    }
                    EnvSource::Literal(text.clone())
                }
                (None, EnvValue::Reference(r)) => EnvSource::From(r.env.clone()),
            };
            self.env.insert(key.clone(), source);
        }
        if let Some(key) = &o.api_key {
            match key.reference() {
                Some("ANTHROPIC_API_KEY") => {
                    self.env.insert("ANTHROPIC_API_KEY".into(), EnvSource::Pass);
                }
                Some(name) => {
                    self.env.insert("ANTHROPIC_API_KEY".into(), EnvSource::From(name.to_owned()));
                }
                None => self.problem(
                    "`api_key` is a literal key; launch arguments never carry secrets. Write `api_key: ${ANTHROPIC_API_KEY}` and keep the key in the launcher's environment"
                        .to_owned(),
                ),
            }
        }
        if o.enable_file_checkpointing == Some(true) {
            self.env.insert(CHECKPOINTING_ENV.into(), EnvSource::Literal("true".into()));
        }
        for name in std::mem::take(&mut self.needed) {
            if !self.env.contains_key(&name) {
                self.env.insert(name, EnvSource::Pass);
            }
        }
    }

    /// Refuses secrets and NUL characters in everything emitted, then builds the spec.
    fn finish(mut self) -> Result<LaunchSpec, LaunchError> {
        let mut env = LaunchEnv::default();
        for (name, source) in std::mem::take(&mut self.env) {
            match source {
                EnvSource::Pass => env.pass.push(name),
                EnvSource::From(from) => {
                    env.from.insert(name, from);
                }
                EnvSource::Literal(value) => {
                    env.set.insert(name, value);
                }
            }
        }
        let argv = std::mem::take(&mut self.argv);
        let origin = std::mem::take(&mut self.origin);
        for (element, origin) in argv.iter().zip(&origin) {
            let flag = element.split('=').next().unwrap_or_default();
            self.check_emitted(&format!("`{origin}` (argument `{flag}`)"), element);
        }
        self.read_back(&argv, &origin);
        let cwd = self.o.cwd.clone();
        if let Some(cwd) = &cwd {
            self.check_emitted("`cwd`", cwd);
        }
        for name in env.pass.iter().chain(env.from.keys()).chain(env.from.values()).chain(env.set.keys()) {
            self.check_emitted("an environment variable name", name);
        }
        for (name, value) in &env.set {
            self.check_emitted(&format!("`env.{name}`"), value);
        }
        if !self.problems.is_empty() {
            // Messages carry user values: never a secret, never a raw control character.
            let problems = self
                .problems
                .iter()
                .map(|p| super::shell::escape_for_display(&secrets::redact_all(p)).into_owned())
                .collect();
            return Err(LaunchError { problems });
        }
        Ok(LaunchSpec { argv, cwd, env, not_expressible: self.not_expressible })
    }

    /// Reads the argv back the way the chosen CLI version would, and refuses whatever it would
    /// stop at. The encoding above already avoids all of it; this keeps the flag table and the
    /// encoder from drifting apart.
    fn read_back(&mut self, argv: &[String], origin: &[&'static str]) {
        if argv.len() < 2 {
            return;
        }
        let line = flags::parse(&argv[1..], self.version);
        for problem in &line.problems {
            let token = problem.token();
            let option = origin.get(token + 1).copied().unwrap_or("(argument)");
            let word = shown(argv.get(token + 1).map(String::as_str).unwrap_or_default());
            let why = match problem {
                ParseProblem::NotInVersion { flag, .. } => {
                    format!("CLI {} has no `--{}` (it came with {})", self.version, flag.name, flag.since.describe())
                }
                ParseProblem::InvalidChoice { flag, value, .. } => format!(
                    "`--{}` of CLI {} does not accept `{}` (it takes {})",
                    flag.name,
                    self.version,
                    shown(value),
                    quoted_list(&flag.choices_in(self.version))
                ),
                _ => format!("CLI {} would not accept `{word}`", self.version),
            };
            self.problem(format!("`{option}` (argument `{word}`): {why}"));
        }
        if let Some((_, word)) = &line.subcommand {
            self.problem(format!("the argv would run the `{word}` subcommand instead of a session"));
        }
    }

    fn check_emitted(&mut self, what: &str, text: &str) {
        // A password in a URL has its own message below.
        for m in secrets::scan(text).into_iter().filter(|m| m.kind.id != "url-password") {
            let secret = secrets::redact(&text[m.start..m.end]);
            self.problem(format!(
                "{what} would carry a {} (`{secret}`); launch arguments never carry secrets: keep it in the launcher's environment and reference it, e.g. `${{NAME}}`",
                m.kind.label
            ));
        }
        if let Some(password) = URL_PASSWORD.captures(text).and_then(|c| c.get(1)) {
            // `${NAME}` in a URL is expanded by whoever reads it; only a literal password is refused.
            if crate::config::env_reference(password.as_str()).is_none() {
                self.problem(format!(
                    "{what} would carry a URL with a password in it (`{}`); keep the password in the launcher's environment",
                    secrets::redact(password.as_str())
                ));
            }
        }
        if text.contains('\0') {
            self.problem(format!("{what} contains a NUL character, which no argument or environment value can hold"));
        }
    }
}

/// Canonical decimal text of a positive finite number: the shortest digits that parse back to the
/// same `f64`, never in exponent form (2.5 → `2.5`, 25.0 → `25`, 1e-5 → `0.00001`).
pub(crate) fn decimal(value: f64) -> String {
    format!("{value}")
}

/// How CLI 2.1.76 splits `--allowedTools`/`--disallowedTools`/`--tools` values: at commas and
/// spaces outside parentheses, trimming and dropping empty entries.
pub(crate) fn cli_split(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut inside = false;
    let flush = |current: &mut String, out: &mut Vec<String>| {
        let trimmed = current.trim();
        if !trimmed.is_empty() {
            out.push(trimmed.to_owned());
        }
        current.clear();
    };
    for c in value.chars() {
        match c {
            '(' => {
                inside = true;
                current.push(c);
            }
            ')' => {
                inside = false;
                current.push(c);
            }
            ',' | ' ' if !inside => flush(&mut current, &mut out),
            _ => current.push(c),
        }
    }
    flush(&mut current, &mut out);
    out
}

/// A user value for a message, with every recognised secret redacted.
fn shown(text: &str) -> String {
    secrets::redact_all(text).into_owned()
}

fn options_list(options: &[&str]) -> String {
    let quoted: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
    quoted.join(" and ")
}

enum SettingsText<'a> {
    Path(&'a str),
    Object(Map<String, Json>),
    BadJson(String),
}

/// A `settings` string is JSON text when it starts with `{` (as the SDKs decide); otherwise a path.
fn settings_text(text: &str) -> SettingsText<'_> {
    if !text.trim_start().starts_with('{') {
        return SettingsText::Path(text);
    }
    match serde_json::from_str::<Map<String, Json>>(text) {
        Ok(map) => SettingsText::Object(map),
        Err(e) => SettingsText::BadJson(e.to_string()),
    }
}

/// The settings file path and the options (`sandbox`, `hooks`) that would have to be merged into
/// it, when `settings` names a file and either is set; `None` otherwise. AL406 reports this case
/// and the emitter refuses it.
pub fn settings_path_conflict(options: &AgentOptions) -> Option<(&str, Vec<&'static str>)> {
    let Some(SettingsOption::Path(text)) = &options.settings else { return None };
    let SettingsText::Path(path) = settings_text(text) else { return None };
    let mut merged = Vec::new();
    if options.sandbox.as_ref().and_then(sandbox_json).is_some() {
        merged.push("sandbox");
    }
    if options.hooks.as_ref().and_then(hooks_json).is_some() {
        merged.push("hooks");
    }
    (!merged.is_empty()).then_some((path, merged))
}

/// `settings` as an object when it is an inline mapping or JSON object text; `None` for a file path
/// or text that is not a JSON object.
pub fn settings_object(settings: &SettingsOption) -> Option<Map<String, Json>> {
    match settings {
        SettingsOption::Inline(map) => Some(map.clone()),
        SettingsOption::Path(text) => match settings_text(text) {
            SettingsText::Object(map) => Some(map),
            SettingsText::Path(_) | SettingsText::BadJson(_) => None,
        },
    }
}

fn put<T: Into<Json>>(map: &mut Map<String, Json>, key: &str, value: Option<T>) {
    if let Some(value) = value {
        map.insert(key.into(), value.into());
    }
}

/// settings.json `sandbox` (camelCase keys, options-to-flags.md §1.4); unset fields and empty
/// nested objects are left out; `None` when nothing is set.
fn sandbox_json(s: &Sandbox) -> Option<Json> {
    let mut m = Map::new();
    put(&mut m, "enabled", s.enabled);
    // As the TypeScript SDK does: an enabled sandbox that cannot start stops the CLI instead of
    // letting commands run unsandboxed. An explicit `false` is kept (AL407 reports it).
    put(&mut m, "failIfUnavailable", s.fail_if_unavailable.or((s.enabled == Some(true)).then_some(true)));
    put(&mut m, "autoAllowBashIfSandboxed", s.auto_allow_bash_if_sandboxed);
    put(&mut m, "allowUnsandboxedCommands", s.allow_unsandboxed_commands);
    put(&mut m, "enableWeakerNestedSandbox", s.enable_weaker_nested_sandbox);
    put(&mut m, "enableWeakerNetworkIsolation", s.enable_weaker_network_isolation);
    put(&mut m, "excludedCommands", s.excluded_commands.clone());
    if let Some(ignore) = &s.ignore_violations {
        m.insert("ignoreViolations".into(), serde_json::to_value(ignore).unwrap_or(Json::Null));
    }
    if let Some(rg) = &s.ripgrep {
        let mut r = Map::new();
        r.insert("command".into(), rg.command.as_str().into());
        put(&mut r, "args", rg.args.clone());
        m.insert("ripgrep".into(), Json::Object(r));
    }
    if let Some(fs) = &s.filesystem {
        let mut f = Map::new();
        put(&mut f, "allowWrite", fs.allow_write.clone());
        put(&mut f, "denyWrite", fs.deny_write.clone());
        put(&mut f, "denyRead", fs.deny_read.clone());
        put(&mut f, "allowRead", fs.allow_read.clone());
        if !f.is_empty() {
            m.insert("filesystem".into(), Json::Object(f));
        }
    }
    if let Some(net) = &s.network {
        let mut n = Map::new();
        put(&mut n, "allowedDomains", net.allowed_domains.clone());
        put(&mut n, "deniedDomains", net.denied_domains.clone());
        put(&mut n, "allowManagedDomainsOnly", net.allow_managed_domains_only);
        put(&mut n, "allowUnixSockets", net.allow_unix_sockets.clone());
        put(&mut n, "allowAllUnixSockets", net.allow_all_unix_sockets);
        put(&mut n, "allowLocalBinding", net.allow_local_binding);
        put(&mut n, "httpProxyPort", net.http_proxy_port);
        put(&mut n, "socksProxyPort", net.socks_proxy_port);
        if !n.is_empty() {
            m.insert("network".into(), Json::Object(n));
        }
    }
    (!m.is_empty()).then_some(Json::Object(m))
}

/// settings.json `hooks`: event → matchers, with the hook fields in the CLI's camelCase
/// (`statusMessage`, `allowedEnvVars`); `None` when no event is set.
fn hooks_json(hooks: &Hooks) -> Option<Json> {
    let mut value = serde_json::to_value(hooks).ok()?;
    let events = value.as_object_mut()?;
    if events.is_empty() {
        return None;
    }
    for matchers in events.values_mut() {
        for matcher in matchers.as_array_mut().into_iter().flatten() {
            let Some(list) = matcher.get_mut("hooks").and_then(Json::as_array_mut) else { continue };
            for hook in list {
                if let Some(fields) = hook.as_object_mut() {
                    // `timeout: 10` reads back as the float 10.0; write whole seconds as integers again.
                    if let Some(seconds) = fields.get("timeout").and_then(Json::as_f64)
                        && seconds.fract() == 0.0
                        && seconds.abs() < 1e15
                    {
                        fields.insert("timeout".into(), Json::from(seconds as i64));
                    }
                    let renamed: Map<String, Json> = std::mem::take(fields)
                        .into_iter()
                        .map(|(k, v)| {
                            let key = match k.as_str() {
                                "status_message" => "statusMessage".to_owned(),
                                "allowed_env_vars" => "allowedEnvVars".to_owned(),
                                _ => k,
                            };
                            (key, v)
                        })
                        .collect();
                    *fields = renamed;
                }
            }
        }
    }
    Some(value)
}

/// Variables HTTP hooks may interpolate into their headers: the CLI reads them from its environment.
fn http_hook_env_vars(hooks: &Json) -> Vec<String> {
    let mut out = Vec::new();
    for matchers in hooks.as_object().into_iter().flat_map(|m| m.values()) {
        for matcher in matchers.as_array().into_iter().flatten() {
            for hook in matcher.get("hooks").and_then(Json::as_array).into_iter().flatten() {
                for name in hook.get("allowedEnvVars").and_then(Json::as_array).into_iter().flatten() {
                    if let Some(name) = name.as_str() {
                        out.push(name.to_owned());
                    }
                }
            }
        }
    }
    out
}

/// A subagent definition as `--agents` JSON (the CLI's camelCase field names).
fn agent_json(d: &AgentDefinition) -> Json {
    let mut m = Map::new();
    m.insert("description".into(), d.description.as_str().into());
    m.insert("prompt".into(), d.prompt.as_str().into());
    put(&mut m, "tools", d.tools.clone());
    put(&mut m, "disallowedTools", d.disallowed_tools.clone());
    put(&mut m, "model", d.model.clone());
    put(&mut m, "skills", d.skills.clone());
    put(&mut m, "maxTurns", d.max_turns);
    Json::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimals_are_canonical() {
        assert_eq!(decimal(2.5), "2.5");
        assert_eq!(decimal(25.0), "25");
        assert_eq!(decimal(1e-5), "0.00001");
        assert_eq!(decimal(0.1), "0.1");
        assert_eq!(decimal(10.5), "10.5");
        assert_eq!(decimal(1e21), "1000000000000000000000");
    }

    proptest! {
        #[test]
        fn decimals_parse_back_to_the_same_number(v in proptest::num::f64::POSITIVE | proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL) {
            prop_assume!(v.is_finite() && v > 0.0);
            let text = decimal(v);
            prop_assert!(!text.contains('e') && !text.contains('E'), "{text}");
            prop_assert_eq!(text.parse::<f64>().unwrap().to_bits(), v.to_bits());
        }
    }

    #[test]
    fn splitting_follows_the_cli() {
        assert_eq!(cli_split("Read,Grep"), ["Read", "Grep"]);
        assert_eq!(cli_split("Read Grep"), ["Read", "Grep"]);
        assert_eq!(cli_split("Bash(cargo test:*),Read"), ["Bash(cargo test:*)", "Read"]);
        assert_eq!(cli_split("Bash(a,b)"), ["Bash(a,b)"]);
        assert_eq!(cli_split(""), Vec::<String>::new());
        assert_eq!(cli_split(",Read,,"), ["Read"]);
    }

    /// The flags for a CLI version (without `claude --print`) of a one-agent YAML config, or the problems.
    fn flags_for(yaml: &str, version: CliVersion) -> Result<Vec<String>, Vec<String>> {
        let source = crate::document::SourceFile::new("t.yaml", yaml.to_owned(), crate::document::Format::Yaml);
        let (config, _) = crate::config::load(source);
        match encode(&config.agents[0], version) {
            Ok(spec) => Ok(spec.argv[2..].to_vec()),
            Err(e) => Err(e.problems),
        }
    }

    /// [`flags_for`] the baseline, without the empty `--system-prompt=` of a config that sets none.
    fn flags(yaml: &str) -> Result<Vec<String>, Vec<String>> {
        flags_for(yaml, flags::BASELINE).map(|f| f.into_iter().filter(|a| a != "--system-prompt=").collect())
    }

    fn notes(yaml: &str) -> Vec<String> {
        let source = crate::document::SourceFile::new("t.yaml", yaml.to_owned(), crate::document::Format::Yaml);
        let (config, _) = crate::config::load(source);
        encode(&config.agents[0], flags::BASELINE).unwrap().not_expressible
    }

    #[test]
    fn thinking_encodings() {
        assert_eq!(flags("thinking: {type: adaptive}").unwrap(), ["--thinking=adaptive"]);
        assert_eq!(flags("thinking: {type: disabled}").unwrap(), ["--thinking=disabled"]);
        assert_eq!(flags("thinking: {type: enabled}").unwrap(), ["--thinking=adaptive"]);
        assert_eq!(flags("thinking: {type: enabled, budget_tokens: 5000}").unwrap(), ["--max-thinking-tokens=5000"]);
        assert_eq!(flags("max_thinking_tokens: 2000").unwrap(), ["--max-thinking-tokens=2000"]);
        assert_eq!(
            flags("thinking: {type: enabled}\nmax_thinking_tokens: 3000").unwrap(),
            ["--max-thinking-tokens=3000"]
        );
        assert_eq!(flags("thinking: {type: adaptive}\nmax_thinking_tokens: 3000").unwrap(), ["--thinking=adaptive"]);
        assert_eq!(
            notes("thinking: {type: adaptive}\nmax_thinking_tokens: 3000"),
            ["max_thinking_tokens (`thinking` is set and wins)"]
        );
    }

    #[test]
    fn list_encodings() {
        assert_eq!(flags("tools: []").unwrap(), ["--tools="]);
        assert_eq!(flags("tools: {type: preset, preset: claude_code}").unwrap(), ["--tools=default"]);
        assert_eq!(flags("allowed_tools: []").unwrap(), Vec::<String>::new());
        assert_eq!(flags("setting_sources: []").unwrap(), ["--setting-sources="]);
        assert_eq!(flags("setting_sources: [user, project]").unwrap(), ["--setting-sources=user,project"]);
        assert_eq!(flags("betas: [a, b]").unwrap(), ["--betas=a", "--betas=b"]);
        assert_eq!(flags("add_dir: [/a, /b c]").unwrap(), ["--add-dir=/a", "--add-dir=/b c"]);
        assert_eq!(
            flags("allowed_tools: [Read Grep]").unwrap_err(),
            [
                "`allowed_tools` does not survive `--allowedTools`'s comma-separated form: the CLI splits `Read Grep` into [`Read`, `Grep`]; remove empty entries and spaces outside parentheses"
            ]
        );
    }

    #[test]
    fn system_prompt_encodings() {
        // Unset: an empty prompt, as the official SDKs; with only `append_system_prompt`, the CLI's own.
        assert_eq!(flags_for("model: opus", flags::BASELINE).unwrap(), ["--model=opus", "--system-prompt="]);
        assert_eq!(flags_for("append_system_prompt: more", flags::BASELINE).unwrap(), ["--append-system-prompt=more"]);
        assert_eq!(flags("system_prompt: {type: preset, preset: claude_code}").unwrap(), Vec::<String>::new());
        assert_eq!(
            flags("system_prompt: plain\nappend_system_prompt: more").unwrap(),
            ["--system-prompt=plain", "--append-system-prompt=more"]
        );
        assert_eq!(
            flags("system_prompt: {type: preset, preset: claude_code, append: a}\nappend_system_prompt: b")
                .unwrap_err(),
            [
                "`system_prompt.append` and `append_system_prompt` are both set, and `--append-system-prompt` keeps only the last value; merge the two texts into `append_system_prompt`"
            ]
        );
    }

    #[test]
    fn settings_merges() {
        assert_eq!(
            flags("settings: '{\"model\": \"opus\"}'\nsandbox: {enabled: true}").unwrap(),
            [r#"--settings={"model":"opus","sandbox":{"enabled":true,"failIfUnavailable":true}}"#]
        );
        assert_eq!(
            flags("sandbox: {enabled: true, fail_if_unavailable: false}").unwrap(),
            [r#"--settings={"sandbox":{"enabled":true,"failIfUnavailable":false}}"#]
        );
        assert_eq!(flags("sandbox: {enabled: false}").unwrap(), [r#"--settings={"sandbox":{"enabled":false}}"#]);
        assert_eq!(flags("settings: ./s.json").unwrap(), ["--settings=./s.json"]);
        assert_eq!(flags("sandbox: {network: {}}").unwrap(), Vec::<String>::new());
        let both = flags("settings: {sandbox: {enabled: false}}\nsandbox: {enabled: true}").unwrap_err();
        assert_eq!(
            both,
            [
                "`settings.sandbox` and `sandbox` are both set; putting `sandbox` into the settings would replace `settings.sandbox`, so one of them would be lost; keep only one"
            ]
        );
        assert!(flags("settings: ./s.json\nsandbox: {enabled: true}").unwrap_err()[0].contains("(AL406)"));
    }

    #[test]
    fn extra_args_conventions() {
        assert_eq!(
            flags("extra_args: {verbose: null, --debug-file: /tmp/d.log, brief: false}").unwrap(),
            ["--verbose", "--debug-file=/tmp/d.log"]
        );
        assert_eq!(
            flags("extra_args: {permission-mode: bypassPermissions}").unwrap_err(),
            [
                "`extra_args.permission-mode` would repeat `--permission-mode`, which agentlint encodes from `permission_mode` (the CLI keeps the last value, so this would override the checked option); use `permission_mode` instead"
            ]
        );
        assert_eq!(
            flags("extra_args: {debug: null}").unwrap_err(),
            [
                "`extra_args.debug` has no value, but `--debug` takes one, so it would take the prompt appended after the arguments as its value; give it a value, e.g. `debug: \"…\"`"
            ]
        );
        assert!(flags("extra_args: {-d: null}").unwrap_err()[0].contains("is not a long flag name"));
        assert_eq!(
            flags("extra_args: {sdk-urls: wss://x}").unwrap_err(),
            [
                "`extra_args.sdk-urls`: `--sdk-urls` is not a flag of the `claude` CLI (the CLI stops with `unknown option`); did you mean `sdk-url`?"
            ]
        );
        assert_eq!(
            flags("extra_args: {brief: yes please}").unwrap_err(),
            [
                "`extra_args.brief` gives `--brief` a value, but the flag takes none (the CLI refuses `--brief=…`, and the SDKs would pass the value as a separate word, the prompt); write `brief: null`"
            ]
        );
        assert_eq!(
            flags("extra_args: {mcp-config: x.json}").unwrap_err(),
            [
                "`extra_args.mcp-config` would repeat `--mcp-config`, which agentlint encodes from `mcp_servers` or `mcp_config` (the CLI keeps the last value, so this would override the checked option); use `mcp_servers` or `mcp_config` instead"
            ]
        );
        assert_eq!(
            flags("extra_args: {print: null}").unwrap_err(),
            ["`extra_args.print` repeats `--print`, which agentlint always emits; delete the entry"]
        );
        assert_eq!(
            flags("extra_args: {teammate-mode: screen}").unwrap_err(),
            [
                "`extra_args.teammate-mode` is `screen`, which `--teammate-mode` does not accept (it takes `auto`, `tmux`, `in-process`, `iterm2`)"
            ]
        );
        assert_eq!(flags("extra_args: {sdk-url: 'wss://example.test/s'}").unwrap(), ["--sdk-url=wss://example.test/s"]);
        assert_eq!(
            flags_for("extra_args: {restricted: null}", CliVersion::new(2, 1, 76)).unwrap_err(),
            [
                "`extra_args.restricted`: CLI 2.1.76 has no `--restricted` (it came with a release after 2.1.76 (verified in 2.1.332)); delete the entry or choose another CLI version"
            ]
        );
        assert_eq!(
            flags("extra_args: {mcp-debug: null}").unwrap_err(),
            [
                "`extra_args.mcp-debug`: CLI 2.1.332 has no `--mcp-debug` (it was removed by 2.1.332); delete the entry or choose another CLI version"
            ]
        );
    }

    #[test]
    fn secrets_in_extra_args_keys_are_redacted() {
        let key = format!("sk-ant-api03-{}AA", "Zq4".repeat(31));
        for yaml in [format!("extra_args: {{{key}: null}}"), format!("extra_args: {{--x{key}: null}}")] {
            let problems = flags(&yaml).unwrap_err();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(!problems[0].contains(&key) && !problems[0].contains("Zq4Zq4Zq4"), "{problems:?}");
        }
    }

    #[test]
    fn cli_versions_gate_values() {
        assert_eq!(flags("effort: xhigh").unwrap(), ["--effort=xhigh"]);
        assert_eq!(
            flags_for("effort: xhigh", CliVersion::new(2, 1, 76)).unwrap_err(),
            [
                "`effort: xhigh` is not accepted by CLI 2.1.76 (`--effort` takes `low`, `medium`, `high`, `max`); `xhigh` came with a release after 2.1.76 (verified in 2.1.332). Choose one of those values, or a newer `--cli-version`"
            ]
        );
        assert_eq!(flags("permission_mode: manual").unwrap(), ["--permission-mode=manual"]);
        assert_eq!(
            flags_for("permission_mode: manual", CliVersion::new(2, 1, 200)).unwrap(),
            ["--system-prompt=", "--permission-mode=manual"]
        );
        assert!(
            flags_for("permission_mode: manual", CliVersion::new(2, 1, 199)).unwrap_err()[0]
                .contains("`manual` came with 2.1.200")
        );
        assert!(
            flags_for("model: opus", CliVersion::new(2, 1, 75)).unwrap_err()[0]
                .contains("older than the oldest release")
        );
    }

    #[test]
    fn refusals_escape_control_characters() {
        let problems = flags("allowed_tools: [\"Read \\e[2J\"]").unwrap_err();
        assert!(problems[0].contains("\\u{1b}") && !problems[0].contains('\u{1b}'), "{problems:?}");
    }

    #[test]
    fn refusals() {
        assert_eq!(
            flags("max_budget_usd: .inf").unwrap_err(),
            ["`max_budget_usd` is inf; the CLI accepts only a number greater than 0 (it crashes on anything else)"]
        );
        assert_eq!(
            flags("max_budget_usd: 0").unwrap_err(),
            ["`max_budget_usd` is 0; the CLI accepts only a number greater than 0 (it crashes on anything else)"]
        );
        assert_eq!(
            flags("mcp_servers: {x: {type: http, url: 'https://bob:hunter2hunter2@mcp.example/'}}").unwrap_err(),
            [
                "`mcp_servers` (argument `--mcp-config`) would carry a URL with a password in it (`hu…ter2`); keep the password in the launcher's environment"
            ]
        );
        assert_eq!(
            flags("mcp_servers: {x: {type: http, url: 'https://bob:${PASS}@mcp.example/'}}").unwrap(),
            [r#"--mcp-config={"mcpServers":{"x":{"type":"http","url":"https://bob:${PASS}@mcp.example/"}}}"#]
        );
    }

    #[test]
    fn shown_redacts_secrets() {
        let key = format!("sk-ant-api03-{}AA", "x".repeat(93));
        let text = format!("Bash(curl -H {key})");
        let out = shown(&text);
        assert!(!out.contains(&key), "{out}");
        assert!(out.starts_with("Bash(curl -H sk-ant-api03-"), "{out}");
    }
}
