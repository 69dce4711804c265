//! The source excerpt a diagnostic is shown with: lines longer than [`MAX_LINE`] characters
//! are clipped around the diagnostic's labels (`…` marks what is left out), so that any
//! diagnostic renders, wherever in a line its span lies.

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, Severity, SourceCode, SourceSpan,
    SpanContents,
};
use std::fmt;

/// The longest line shown whole.
pub const MAX_LINE: usize = 240;
/// Characters kept on each side of the labels in a clipped line.
const CONTEXT: usize = 60;
const ELLIPSIS: &str = "…";

/// A diagnostic with its labels moved into a clipped copy of its source.
#[derive(Debug)]
pub struct Excerpt {
    message: String,
    code: Option<String>,
    help: Option<String>,
    severity: Option<Severity>,
    labels: Vec<LabeledSpan>,
}

/// A source with its long lines clipped, which still reports every position as it is in the
/// whole source: `(line, clipped byte column where the kept text starts, its column in the
/// whole line)` for each clipped line.
#[derive(Debug)]
pub struct Clipped {
    name: String,
    text: String,
    shifts: Vec<(usize, usize, usize)>,
}

impl SourceCode for Clipped {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        let (line, mut column) = (inner.line(), inner.column());
        if let Some(&(_, kept, whole)) = self.shifts.iter().find(|s| s.0 == line) {
            if column >= kept {
                column = column - kept + whole;
            }
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

impl Excerpt {
    /// `d` moved into the clipped copy of `text` (named `name`) that comes with it.
    pub fn new(d: &dyn Diagnostic, name: &str, text: &str) -> (Excerpt, Clipped) {
        let labels: Vec<LabeledSpan> = d.labels().map(|l| l.collect()).unwrap_or_default();
        let mut out = String::with_capacity(text.len().min(1 << 16));
        let mut moved: Vec<LabeledSpan> = labels.clone();
        let mut shifts = Vec::new();
        let mut line_start = 0;
        for (number, line) in text.split_inclusive('\n').enumerate() {
            let line_end = line_start + line.len();
            let content = line.trim_end_matches('\n');
            let inside: Vec<usize> = (0..labels.len())
                .filter(|&i| {
                    let o = labels[i].offset();
                    o >= line_start && o < line_end.max(line_start + 1)
                })
                .collect();
            let chars = content.chars().count();
            let new_start = out.len();
            if chars <= MAX_LINE {
                out.push_str(line);
                for &i in &inside {
                    moved[i] = shifted(
                        &labels[i],
                        new_start as isize - line_start as isize,
                        usize::MAX,
                    );
                }
            } else {
                // The window, in characters: around the labels, or the line's start.
                let column = |offset: usize| {
                    content[..(offset - line_start).min(content.len())]
                        .chars()
                        .count()
                };
                let (first, last) = match inside.is_empty() {
                    true => (0, MAX_LINE),
                    false => {
                        let a = inside
                            .iter()
                            .map(|&i| column(labels[i].offset()))
                            .min()
                            .unwrap_or(0);
                        let b = inside
                            .iter()
                            .map(|&i| column(labels[i].offset() + labels[i].len()))
                            .max()
                            .unwrap_or(0);
                        (
                            a.saturating_sub(CONTEXT),
                            (b + CONTEXT).min(a + MAX_LINE).min(chars),
                        )
                    }
                };
                let byte = |c: usize| {
                    content
                        .char_indices()
                        .nth(c)
                        .map_or(content.len(), |(b, _)| b)
                };
                let (from, to) = (byte(first), byte(last));
                if first > 0 {
                    out.push_str(ELLIPSIS);
                }
                let kept_start = out.len();
                shifts.push((number, kept_start - new_start, from));
                out.push_str(&content[from..to]);
                if to < content.len() {
                    out.push_str(ELLIPSIS);
                }
                if line.ends_with('\n') {
                    out.push('\n');
                }
                for &i in &inside {
                    let delta = kept_start as isize - (line_start + from) as isize;
                    let room = (line_start + to).saturating_sub(labels[i].offset());
                    moved[i] = shifted(&labels[i], delta, room);
                }
            }
            line_start = line_end;
        }
        let excerpt = Excerpt {
            message: d.to_string(),
            code: d.code().map(|c| c.to_string()),
            help: d.help().map(|h| h.to_string()),
            severity: d.severity(),
            labels: moved,
        };
        let clipped = Clipped {
            name: name.to_string(),
            text: out,
            shifts,
        };
        (excerpt, clipped)
    }
}

/// `label` moved by `delta` bytes, its length at most `room`.
fn shifted(label: &LabeledSpan, delta: isize, room: usize) -> LabeledSpan {
    let offset = (label.offset() as isize + delta).max(0) as usize;
    let span = SourceSpan::new(offset.into(), label.len().min(room));
    let text = label.label().map(str::to_string);
    if label.primary() {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

impl fmt::Display for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Excerpt {}

impl Diagnostic for Excerpt {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<Severity> {
        self.severity
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}
