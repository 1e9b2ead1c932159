//! The walk floor of `benches/scan.sh`: the bare directory walk agentlint's discovery starts
//! from (the `ignore` crate's walker with the same settings: hidden files included, `.gitignore`
//! honoured without a git repository, links not followed), counting files and reading none.
//! What `agentlint check DIR` costs on top of this (matching names, reading source files for
//! the SDK's names) is what the benchmark compares.
//!
//! `cargo run --release --example walk_floor -- DIR…` prints the number of files.

fn main() {
    let mut files = 0usize;
    for dir in std::env::args().skip(1) {
        let walker = ignore::WalkBuilder::new(&dir).hidden(false).require_git(false).follow_links(false).build();
        files += walker.filter_map(Result::ok).filter(|e| e.file_type().is_some_and(|t| t.is_file())).count();
    }
    println!("{files}");
}
