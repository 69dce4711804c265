//! Diagnostics: the errors ([`Error`]) and warnings ([`Warning`]) snnc reports, and how they
//! are shown — as text, with the source line, a label and a help line, or as one JSON object
//! per line (code, message, file, line, column, help) for tools.

mod error;
mod warning;

pub use error::Error;
pub use warning::Warning;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource};
use serde::Serialize;

/// A model's source text with the name it is shown under in diagnostics.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown in diagnostics (the path as the user gave it).
    pub name: String,
    /// The text; invalid UTF-8 is replaced so that it can still be shown.
    pub text: String,
}

impl Source {
    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// How diagnostics are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// For people: the source excerpt, the label and the help.
    Text { color: bool },
    /// For tools: one JSON object per diagnostic and line.
    Json,
}

/// A diagnostic as `--format json` writes it.
#[derive(Debug, Serialize)]
pub struct Record {
    pub severity: &'static str,
    pub code: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Record {
    fn new(d: &dyn Diagnostic, severity: &'static str, source: Option<&Source>) -> Record {
        let label = d.labels().and_then(|mut labels| labels.next());
        let position = source
            .zip(label.as_ref())
            .map(|(s, l)| s.position(l.offset()));
        Record {
            severity,
            code: d.code().map(|c| c.to_string()).unwrap_or_default(),
            message: d.to_string(),
            file: source.map(|s| s.name.clone()),
            line: position.map(|p| p.0),
            column: position.map(|p| p.1),
            label: label.and_then(|l| l.label().map(str::to_string)),
            help: d.help().map(|h| h.to_string()),
        }
    }
}

/// Renders errors as `snnc` prints them. Errors in a model are shown in its source and
/// counted; errors of a command (no source) as `error[CODE]: message` and a help line.
pub fn render(errors: &[Error], source: Option<&Source>, style: Style) -> String {
    let mut out = render_all(errors, "error", source, style);
    if let (Style::Text { .. }, Some(source)) = (style, source) {
        let count = errors.len();
        out.push_str(&format!(
            "error: `{}` has {count} error{}\n",
            source.name,
            if count == 1 { "" } else { "s" }
        ));
    }
    out
}

/// Renders warnings as `snnc` prints them, in the source when they point into it.
pub fn render_warnings(warnings: &[Warning], source: Option<&Source>, style: Style) -> String {
    render_all(warnings, "warning", source, style)
}

fn render_all<D: Diagnostic + Clone + Send + Sync + 'static>(
    diagnostics: &[D],
    severity: &'static str,
    source: Option<&Source>,
    style: Style,
) -> String {
    let mut out = String::new();
    for d in diagnostics {
        match style {
            Style::Json => {
                let record = Record::new(d, severity, source);
                out.push_str(&serde_json::to_string(&record).expect("records serialise"));
                out.push('\n');
            }
            Style::Text { color } => match source.filter(|_| d.labels().is_some()) {
                Some(source) => out.push_str(&graphical(d.clone(), source, color)),
                None => out.push_str(&plain(d, severity)),
            },
        }
    }
    out
}

/// `error[E1002]: message` and `  help: ...`.
fn plain(d: &dyn Diagnostic, severity: &str) -> String {
    let code = d.code().map(|c| c.to_string()).unwrap_or_default();
    let mut out = format!("{severity}[{code}]: {d}\n");
    if let Some(help) = d.help() {
        out.push_str(&format!("  help: {help}\n"));
    }
    out
}

/// miette's rendering: the source excerpt with the label.
fn graphical<D: Diagnostic + Send + Sync + 'static>(d: D, source: &Source, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let report = miette::Report::new(d)
        .with_source_code(NamedSource::new(&source.name, source.text.clone()));
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = handler.render_report(&mut out, report.as_ref());
    out.push('\n');
    out
}
/// Suggests the closest of `candidates` to `name`, for "did you mean" help lines.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = Vec::new();
    for c in candidates {
        if !names.contains(&c) {
            names.push(c);
        }
    }
    let best = names
        .iter()
        .map(|c| (strsim::levenshtein(name, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min();
    match best {
        Some((_, c)) => format!(
            "did you mean `{c}`? expected one of: {}",
            quote_list(&names)
        ),
        None => format!("expected one of: {}", quote_list(&names)),
    }
}

/// `a`, `b` or `c`
pub fn quote_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} or {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}
