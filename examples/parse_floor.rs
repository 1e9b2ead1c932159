//! The parse floor of `benches/perf.sh`: reads every YAML and JSON file under the given
//! directories and parses it, nothing more (saphyr-parser events for YAML, `serde_json` for
//! JSON). What agentlint does on top of this is what the benchmark compares.
//!
//! `cargo run --release --example parse_floor -- DIR…` prints the number of files parsed.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            out.push(path);
        }
    }
}

fn main() {
    let mut all = Vec::new();
    for dir in std::env::args().skip(1) {
        files(Path::new(&dir), &mut all);
    }
    let mut parsed = 0usize;
    let mut events = 0usize;
    for path in &all {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        if path.extension().is_some_and(|e| e == "json") {
            if serde_json::from_str::<serde_json::Value>(&text).is_ok() {
                parsed += 1;
            }
        } else {
            let mut parser = saphyr_parser::Parser::new_from_str(&text);
            let mut ok = true;
            while let Some(event) = parser.next_event() {
                match event {
                    Ok(_) => events += 1,
                    Err(_) => {
                        ok = false;
                        break;
                    }
                }
            }
            parsed += usize::from(ok);
        }
    }
    println!("{} files, {parsed} parsed, {events} YAML events", all.len());
}
