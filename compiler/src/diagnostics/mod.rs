//! Diagnostics: the errors ([`Error`]) and warnings ([`Warning`]) snnc reports, and how they
//! are shown — as text, with the source line, a label and a help line, or as one JSON object
//! per line (code, message, file, line, column, help) for tools.

mod error;
mod excerpt;
mod warning;

pub use error::Error;
pub use warning::Warning;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use serde::Serialize;

/// A model's source text with the name it is shown under in diagnostics.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown in diagnostics (the path as the user gave it).
    pub name: String,
    /// The text; invalid UTF-8 is replaced so that it can still be shown.
    pub text: String,
}

/// Where every line of a source starts, to turn byte offsets into lines and columns.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
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
    fn new(
        d: &dyn Diagnostic,
        severity: &'static str,
        source: Option<(&Source, &Lines)>,
    ) -> Record {
        let label = d.labels().and_then(|mut labels| labels.next());
        let position = source
            .zip(label.as_ref())
            .map(|((_, lines), l)| lines.position(l.offset()));
        let source = source.map(|(s, _)| s);
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

/// The most errors shown as text; the rest are counted.
pub const MAX_SHOWN: usize = 50;

/// Renders errors as `snnc` prints them. Errors in a model are shown in its source and
/// counted (the first [`MAX_SHOWN`] of them as text); errors of a command (no source) as
/// `error[CODE]: message` and a help line.
pub fn render(errors: &[Error], source: Option<&Source>, style: Style) -> String {
    let shown = match style {
        Style::Text { .. } => &errors[..errors.len().min(MAX_SHOWN)],
        Style::Json => errors,
    };
    let mut out = render_all(shown, "error", source, style);
    if let (Style::Text { .. }, Some(source)) = (style, source) {
        let count = errors.len();
        let more = if count > shown.len() {
            format!(" ({} not shown)", count - shown.len())
        } else {
            String::new()
        };
        out.push_str(&format!(
            "error: `{}` has {count} error{}{more}\n",
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
    let lines = source.map(|s| Lines::new(&s.text));
    for d in diagnostics {
        match style {
            Style::Json => {
                let record = Record::new(d, severity, source.zip(lines.as_ref()));
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

/// miette's rendering: the source excerpt (long lines clipped) with the label.
fn graphical<D: Diagnostic + Send + Sync + 'static>(d: D, source: &Source, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let (excerpt, clipped) = excerpt::Excerpt::new(&d, &source.name, &source.text);
    let report = miette::Report::new(excerpt).with_source_code(clipped);
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
