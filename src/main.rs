//! The `agentlint` binary: parse the command line, run, set the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = agentlint::cli::Cli::parse();
    // A panic is a bug; still, the documented exit code for an internal error is 2.
    match std::panic::catch_unwind(|| agentlint::app::run(cli)) {
        Ok(code) => code,
        Err(_) => {
            eprintln!("agentlint: internal error (this is a bug; please report it with the input that caused it)");
            ExitCode::from(agentlint::app::EXIT_ERROR)
        }
    }
}
