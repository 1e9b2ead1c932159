//! The floors of `benches/scan.sh`: the bare directory walk agentlint's discovery starts from
//! (the `ignore` crate's walker with the same settings: hidden files included, `.gitignore`
//! honoured without a git repository, links not followed), counting files and reading none;
//! and, with `--read`, the same walk reading every file once into a reused buffer (open,
//! read to the end, close), which is the least any search of the files' bytes can cost. What
//! `agentlint check DIR` costs on top of these is what the benchmark compares.
//!
//! `cargo run --release --example walk_floor -- [--read] DIR…` prints the number of files (and
//! of bytes read).

use std::io::Read as _;

fn main() {
    let mut read = false;
    let mut files = 0usize;
    let mut bytes = 0usize;
    let mut buffer = vec![0u8; 64 * 1024];
    for arg in std::env::args().skip(1) {
        if arg == "--read" {
            read = true;
            continue;
        }
        let walker = ignore::WalkBuilder::new(&arg).hidden(false).require_git(false).follow_links(false).build();
        for entry in walker.filter_map(Result::ok).filter(|e| e.file_type().is_some_and(|t| t.is_file())) {
            files += 1;
            if !read {
                continue;
            }
            let Ok(mut file) = std::fs::File::open(entry.path()) else { continue };
            while let Ok(n) = file.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                bytes += n;
            }
        }
    }
    if read { println!("{files} files, {bytes} bytes") } else { println!("{files}") }
}
