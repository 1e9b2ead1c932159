//! The `agentlint` binary: parse the command line, run, set the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A panic message may quote input: it goes through the output step like everything else.
    std::panic::set_hook(Box::new(|info| {
        agentlint::output::eprintln(format!("agentlint: {info}"));
    }));
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
