// The argv the TypeScript Agent SDK (`@anthropic-ai/claude-agent-sdk`) builds for agentlint configs.
//
// Usage: node ts_sdk_argv.mjs PACKAGE_DIR < cases.json
// Reads a JSON list of {name, options} (agentlint's typed options, snake_case) and prints a JSON
// list of {name, argv, initialize, error, unmapped}: the arguments after the program, the fields
// of the SDK's `initialize` control request (where it sends the system prompt and subagents
// instead of flags), or the error the SDK threw, and the options TypeScript has no field for.
//
// No process is started: `query()` runs with a `spawnClaudeCodeProcess` that records what it is
// asked to spawn and hands back a stand-in process that reads the initialize request and exits.
// Used by tests/sdk_oracle.rs.

import { PassThrough } from 'node:stream';
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const packageDir = process.argv[2];
const { query } = await import(pathToFileURL(join(packageDir, 'sdk.mjs')).href);

const CLI_MODES = { dont_ask: 'dontAsk', accept_edits: 'acceptEdits', bypass_permissions: 'bypassPermissions' };
const camel = (key) => key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const camelKeys = (v) =>
  Array.isArray(v) ? v.map(camelKeys)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelKeys(x)]))
    : v;
const envText = (v) => (v && typeof v === 'object' && 'env' in v ? '${' + v.env + '}' : v);

function tsOptions(o) {
  const out = {};
  const unmapped = [];
  const same = {
    allowed_tools: 'allowedTools', disallowed_tools: 'disallowedTools', tools: 'tools', model: 'model',
    fallback_model: 'fallbackModel', betas: 'betas', max_turns: 'maxTurns', max_budget_usd: 'maxBudgetUsd',
    resume: 'resume', session_id: 'sessionId', fork_session: 'forkSession', continue: 'continue',
    strict_mcp_config: 'strictMcpConfig', include_partial_messages: 'includePartialMessages', effort: 'effort',
    max_thinking_tokens: 'maxThinkingTokens', setting_sources: 'settingSources', agent: 'agent',
    add_dir: 'additionalDirectories', permission_prompt_tool: 'permissionPromptToolName',
    allow_dangerously_skip_permissions: 'allowDangerouslySkipPermissions', persist_session: 'persistSession',
    output_format: 'outputFormat', system_prompt: 'systemPrompt',
  };
  for (const [key, value] of Object.entries(o)) {
    if (key in same) out[same[key]] = value;
    else if (key === 'permission_mode') out.permissionMode = CLI_MODES[value] ?? value;
    else if (key === 'no_session_persistence') { if (value) out.persistSession = false; }
    else if (key === 'tool_callback') out.canUseTool = async () => ({ behavior: 'allow' });
    else if (key === 'sandbox') out.sandbox = camelKeys(value);
    else if (key === 'settings') out.settings = value;
    else if (key === 'thinking') {
      const t = { type: value.type };
      if (value.budget_tokens !== undefined) t.budgetTokens = value.budget_tokens;
      out.thinking = t;
    } else if (key === 'agents') out.agents = camelKeys(value);
    else if (key === 'plugins') out.plugins = value.map((p) => ({ type: 'local', path: typeof p === 'string' ? p : p.path }));
    else if (key === 'mcp_servers') {
      const servers = {};
      for (const [name, s] of Object.entries(value)) {
        if (s.type === 'sdk') { unmapped.push(`mcp_servers.${name} (an in-process server needs a live instance)`); continue; }
        servers[name] = { ...s, ...(s.env ? { env: Object.fromEntries(Object.entries(s.env).map(([k, v]) => [k, envText(v)])) } : {}) };
      }
      out.mcpServers = servers;
      out.mcpServersDelivery = 'argv';
    } else if (key === 'extra_args') {
      out.extraArgs = Object.fromEntries(
        Object.entries(value).filter(([, v]) => v !== false).map(([k, v]) => [k.replace(/^--/, ''), v === true ? null : v]));
    } else if (['cwd', 'env', 'api_key', 'enable_file_checkpointing'].includes(key)) {
      // not argv: working directory and environment
    } else unmapped.push(key);
  }
  return { options: out, unmapped };
}

function standIn(record) {
  return (spawned) => {
    record.argv = spawned.args;
    const events = new EventEmitter();
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let text = '';
    stdin.on('data', (chunk) => { text += chunk.toString(); });
    const child = Object.assign(events, {
      stdin, stdout, killed: false, exitCode: null,
      kill() { this.killed = true; return true; },
    });
    // Give the SDK time to write its initialize request, then end like a CLI that exits.
    setTimeout(() => {
      record.stdin = text;
      stdout.end();
      child.exitCode = 1;
      events.emit('exit', 1, null);
      events.emit('close', 1, null);
    }, 200);
    return child;
  };
}

async function argvFor(agentOptions) {
  const { options, unmapped } = tsOptions(agentOptions);
  const record = {};
  let error = null;
  try {
    const q = query({
      prompt: 'say hi',
      options: { ...options, pathToClaudeCodeExecutable: '/nonexistent/claude', spawnClaudeCodeProcess: standIn(record) },
    });
    for await (const _ of q) { /* the stand-in sends nothing */ }
  } catch (e) {
    if (!record.argv) error = String(e?.message ?? e);
  }
  let initialize = null;
  for (const line of (record.stdin ?? '').split('\n')) {
    try {
      const message = JSON.parse(line);
      if (message.type === 'control_request' && message.request?.subtype === 'initialize') initialize = message.request;
    } catch { /* not JSON */ }
  }
  return { argv: record.argv ?? null, initialize, error, unmapped };
}

const cases = JSON.parse(readFileSync(0, 'utf8'));
const out = [];
for (const c of cases) out.push({ name: c.name, ...(await argvFor(c.options)) });
process.stdout.write(JSON.stringify(out, null, 1) + '\n');
process.exit(0);
