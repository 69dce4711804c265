//! How every command talks to the user: results on stdout (text or JSON), diagnostics and
//! progress on stderr, nothing but results and diagnostics with `--quiet`, and no progress
//! when stderr is not a terminal.

use crate::diagnostics::{self, Source, Style, Warning};
use crate::Failure;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::io::IsTerminal;
use std::time::Duration;

/// `--format`: how results and diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables and sentences for people
    Text,
    /// One JSON document on stdout; diagnostics as JSON lines on stderr
    Json,
}

/// The command line's output settings, shared by every command.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub format: Format,
    pub quiet: bool,
    color: bool,
}

impl Output {
    pub fn new(format: Format, quiet: bool) -> Output {
        Output {
            format,
            quiet,
            color: std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal(),
        }
    }

    /// Whether results are JSON.
    pub fn json(&self) -> bool {
        self.format == Format::Json
    }

    fn style(&self) -> Style {
        match self.format {
            Format::Text => Style::Text { color: self.color },
            Format::Json => Style::Json,
        }
    }

    /// Prints a command's result: `text()` for people, or `value` as JSON.
    pub fn result<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) {
        if self.json() {
            println!(
                "{}",
                serde_json::to_string_pretty(value).expect("results serialise")
            );
        } else {
            print!("{}", text());
        }
    }

    /// A note on stderr for people (what a long command is doing); not with `--quiet` or JSON.
    pub fn note(&self, text: &str) {
        if !self.quiet && !self.json() {
            eprintln!("{text}");
        }
    }

    /// Prints warnings on stderr, in the model's source when they point into it.
    pub fn warn(&self, warnings: &[Warning], source: Option<&Source>) {
        if !warnings.is_empty() {
            eprint!(
                "{}",
                diagnostics::render_warnings(warnings, source, self.style())
            );
        }
    }

    /// Prints a failed command's errors on stderr.
    pub fn fail(&self, failure: &Failure) {
        eprint!("{}", failure.render_as(self.style()));
    }

    /// A progress bar of `len` steps drawn with `template` on stderr, or a hidden one with
    /// `--quiet`, JSON output, or when stderr is not a terminal. It is drawn at once and
    /// ticks while a step takes long.
    pub fn progress(&self, len: u64, template: &str) -> ProgressBar {
        self.bar(Some(len), template)
    }

    /// A spinner for work of unknown length, on the same terms as [`Output::progress`].
    pub fn spinner(&self, template: &str) -> ProgressBar {
        self.bar(None, template)
    }

    fn bar(&self, len: Option<u64>, template: &str) -> ProgressBar {
        let bar = ProgressBar::with_draw_target(
            len,
            if self.quiet || self.json() {
                ProgressDrawTarget::hidden()
            } else {
                ProgressDrawTarget::stderr()
            },
        );
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }
}
