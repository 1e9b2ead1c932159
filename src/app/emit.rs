//! Writing `check` results as they come: reports arrive in chunks (in path order) and the
//! formats that can be written piece by piece (human, concise, JSON, GitHub) are written at
//! once, so a run over 100,000 files holds one chunk of reports, not all of them. SARIF,
//! GitLab and `--statistics` need every report before they can start, and collect them.

use std::io::IsTerminal;

use crate::cli::{CheckArgs, Format};
use crate::output::{self, Kind, Sink};
use crate::report::{FileReport, Summary, concise, github, gitlab, human, json, sarif, statistics};

use super::UsageError;

/// Writes reports in the format `args` asks for; see the module documentation.
pub(super) struct Emitter<'a> {
    args: &'a CheckArgs,
    sink: Sink,
    summary: Summary,
    /// Human output in colour.
    color: bool,
    /// Findings written so far (JSON needs a comma before every finding but the first).
    written: usize,
    /// Reports kept for the formats that are written at the end.
    collected: Option<Vec<FileReport>>,
}

impl<'a> Emitter<'a> {
    pub(super) fn new(args: &'a CheckArgs) -> Result<Self, UsageError> {
        let out = &args.output;
        let to_file = out.output_file.as_deref();
        let sink = match to_file {
            Some(path) => Sink::create(path).map_err(|e| format!("cannot write `{}`: {e}", path.display()))?,
            None => Sink::stdout(),
        };
        let color =
            out.format == Format::Human && out.color.enabled(to_file.is_none() && std::io::stdout().is_terminal());
        let collected = (out.statistics || matches!(out.format, Format::Sarif | Format::Gitlab)).then(Vec::new);
        let mut emitter = Self { args, sink, summary: Summary::default(), color, written: 0, collected };
        if emitter.collected.is_none() && out.format == Format::Json {
            emitter.write(&json::stream_header(), Kind::Text)?;
        }
        Ok(emitter)
    }

    /// Writes (or keeps) the next reports.
    pub(super) fn reports(&mut self, mut reports: Vec<FileReport>) -> Result<(), UsageError> {
        output::clean_reports(&mut reports);
        self.summary.add(&Summary::of(&reports));
        if let Some(collected) = &mut self.collected {
            collected.extend(reports);
            return Ok(());
        }
        match self.args.output.format {
            Format::Human => {
                let text = human::render(&reports, human::HumanOptions { color: self.color, ..Default::default() });
                self.write(&text, if self.color { Kind::Colored } else { Kind::Text })
            }
            Format::Concise => self.write(&concise::render(&reports), Kind::Text),
            Format::Github => self.write(&github::render(&reports), Kind::Text),
            Format::Json => {
                // Each finding is finished on its own (a whole JSON value), then the chunk is
                // written at once.
                let mut text = output::Finished::default();
                for report in &reports {
                    for finding in &report.findings {
                        json::stream_finding(&mut text, report, finding, self.written == 0);
                        self.written += 1;
                    }
                }
                self.sink.write_finished(&text).map_err(|e| self.write_error(e))
            }
            Format::Sarif | Format::Gitlab => unreachable!("collected"),
        }
    }

    /// Ends the output (the JSON footer, the collected formats, the summary line) and returns
    /// the counts of the whole run.
    pub(super) fn finish(mut self) -> Result<Summary, UsageError> {
        let out = &self.args.output;
        let mut text = match self.collected.take() {
            Some(reports) => {
                let (text, kind) = match (out.format, out.statistics) {
                    (Format::Json, true) => (statistics::render_json(&reports), Kind::Json),
                    (_, true) => (statistics::render_text(&reports), Kind::Text),
                    (Format::Sarif, false) => (sarif::render(&reports), Kind::Json),
                    (Format::Gitlab, false) => (gitlab::render(&reports), Kind::Json),
                    (format, false) => unreachable!("{format:?} is written as it comes"),
                };
                self.write(&text, kind)?;
                String::new()
            }
            None if out.format == Format::Json => json::stream_footer(&self.summary, self.written),
            None => String::new(),
        };
        // Formats for people end with the summary line; machine formats keep it on standard error.
        let summary = self.summary.to_string();
        let summary_in_text = out.format.for_people() && !out.quiet;
        if summary_in_text {
            text.push_str(&summary);
            text.push('\n');
        }
        self.write(&text, Kind::Text)?;
        // Machine formats and reports written to a file keep the summary on standard error.
        if !out.quiet && (!summary_in_text || out.output_file.is_some()) {
            output::eprintln(&summary);
        }
        Ok(self.summary)
    }

    fn write(&mut self, text: &str, kind: Kind) -> Result<(), UsageError> {
        if text.is_empty() {
            return Ok(());
        }
        self.sink.write(text, kind).map_err(|e| self.write_error(e))
    }

    fn write_error(&self, e: std::io::Error) -> UsageError {
        match self.args.output.output_file.as_deref() {
            Some(path) => UsageError(format!("cannot write `{}`: {e}", path.display())),
            None => UsageError(format!("cannot write output: {e}")),
        }
    }
}
