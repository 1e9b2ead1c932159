"""The argv the Python Agent SDK (`claude-agent-sdk`) builds for agentlint configs.

Reads a JSON list of {"name", "options"} on standard input, where "options" are an agent's
options as agentlint's typed config serialises them (snake_case, SDK spellings), and prints a
JSON list of {"name", "argv", "error", "unmapped"}: the arguments after the program, as the SDK
would start the CLI with them, or the error the SDK raised, and the options the Python SDK has
no field for.

No process is started. `query()` runs as a caller would run it; only the transport's `connect`
is replaced: it records `_build_command()` and stops there. Used by tests/sdk_oracle.rs.
"""

import asyncio
import json
import sys

from claude_agent_sdk import ClaudeAgentOptions, query
from claude_agent_sdk._internal.transport import subprocess_cli


class Recorded(Exception):
    def __init__(self, argv):
        super().__init__("recorded")
        self.argv = argv


async def record_connect(self):
    self._cli_path = "claude"
    raise Recorded(self._build_command()[1:])


subprocess_cli.SubprocessCLITransport.connect = record_connect

CLI_MODES = {"dont_ask": "dontAsk", "accept_edits": "acceptEdits", "bypass_permissions": "bypassPermissions"}


def camel(key):
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def camel_keys(value):
    """snake_case keys to the camelCase of settings.json, recursively."""
    if isinstance(value, dict):
        return {camel(k): camel_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel_keys(v) for v in value]
    return value


def env_text(value):
    if isinstance(value, dict) and "env" in value:
        return "${" + value["env"] + "}"
    return value


def mcp_server(name, server):
    out = dict(server)
    if out.get("type") == "sdk":
        return {"type": "sdk", "name": out.get("name", name), "instance": object()}
    if "env" in out:
        out["env"] = {k: env_text(v) for k, v in out["env"].items()}
    return out


async def allow_all(tool_name, tool_input, context):
    return {"behavior": "allow"}


def python_options(o):
    """ClaudeAgentOptions keyword arguments, and the options that have no Python field."""
    kw, unmapped = {}, []
    same = [
        "allowed_tools", "disallowed_tools", "model", "fallback_model", "betas", "max_turns", "max_budget_usd",
        "resume", "session_id", "fork_session", "strict_mcp_config", "include_partial_messages", "effort",
        "max_thinking_tokens", "setting_sources", "extra_args", "output_format",
    ]
    for key, value in o.items():
        if key in same:
            kw[key] = value
        elif key == "permission_mode":
            kw[key] = CLI_MODES.get(value, value)
        elif key == "tools":
            kw[key] = value
        elif key == "system_prompt":
            kw[key] = value
        elif key == "add_dir":
            kw["add_dirs"] = value
        elif key == "continue":
            kw["continue_conversation"] = value
        elif key == "permission_prompt_tool":
            kw["permission_prompt_tool_name"] = value
        elif key == "tool_callback":
            kw["can_use_tool"] = allow_all
        elif key == "sandbox":
            kw["sandbox"] = camel_keys(value)
        elif key == "settings":
            kw["settings"] = value if isinstance(value, str) else json.dumps(value)
        elif key == "mcp_servers":
            if "mcp_config" in o:
                unmapped.append("mcp_servers (together with mcp_config)")
            else:
                kw["mcp_servers"] = {n: mcp_server(n, s) for n, s in value.items()}
        elif key == "mcp_config":
            kw["mcp_servers"] = value
        elif key == "plugins":
            kw["plugins"] = [{"type": "local", "path": p if isinstance(p, str) else p["path"]} for p in value]
        elif key == "thinking":
            thinking = dict(value)
            if thinking.get("type") == "enabled" and "budget_tokens" not in thinking:
                unmapped.append("thinking (enabled without budget_tokens)")
            else:
                kw["thinking"] = thinking
        elif key == "extra_args":
            kw[key] = value
        elif key in ("cwd", "env", "api_key", "enable_file_checkpointing"):
            pass  # not argv: working directory and environment
        else:
            unmapped.append(key)
    if "extra_args" in kw:
        kw["extra_args"] = {
            k.removeprefix("--"): (None if v is None or v is True else v)
            for k, v in kw["extra_args"].items()
            if v is not False
        }
    return kw, unmapped


async def prompt():
    yield {"type": "user", "message": {"role": "user", "content": "say hi"}, "parent_tool_use_id": None}


async def argv_for(options):
    kw, unmapped = python_options(options)
    try:
        async for _ in query(prompt=prompt(), options=ClaudeAgentOptions(**kw)):
            pass
    except Recorded as recorded:
        return recorded.argv, None, unmapped
    except Exception as error:  # the SDK refused the options
        return None, f"{type(error).__name__}: {error}", unmapped
    return None, "query() returned without starting the CLI", unmapped


def main():
    cases = json.load(sys.stdin)
    out = []
    for case in cases:
        argv, error, unmapped = asyncio.run(argv_for(case["options"]))
        out.append({"name": case["name"], "argv": argv, "error": error, "unmapped": unmapped})
    json.dump(out, sys.stdout, indent=1)


main()
