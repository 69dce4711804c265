//! Parsing: model file bytes → checked text → pest parse → [`ast::Network`] with spans.

pub mod ast;
mod lower;

use crate::diagnostics::{Error, Source};
use pest::Parser;
use std::path::Path;

/// The pest parser generated from `grammar/snn.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/snn.pest"]
pub(crate) struct SnnParser;

/// The largest model file snnc reads.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// The deepest nesting of brackets and braces a model may use.
pub const MAX_NESTING: usize = 32;

/// Reads a model file's bytes: a regular file (never a directory, FIFO or device), at most
/// [`MAX_FILE_BYTES`].
pub fn read(path: &Path) -> Result<Vec<u8>, Error> {
    use snn_runtime::files::{read_regular, ReadError};
    read_regular(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::TooLarge { limit } => Error::TooLarge {
            size: std::fs::metadata(path)
                .map(|m| m.len())
                .ok()
                .filter(|&n| n > limit)
                .unwrap_or(limit + 1),
            limit,
        },
        other => Error::Unreadable {
            path: path.display().to_string(),
            reason: other.to_string(),
        },
    })
}

/// Turns file contents into a [`Source`], checking that they are text. On error the
/// returned source holds the text with invalid bytes replaced, for showing the error.
pub fn text(name: String, bytes: Vec<u8>) -> Result<Source, (Source, Error)> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let error = Error::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        };
        return Err((
            Source {
                name,
                text: String::new(),
            },
            error,
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source { name, text }),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let source = Source {
                name: name.clone(),
                text,
            };
            Err((
                source,
                Error::NotText {
                    path: name,
                    span: (offset, char::REPLACEMENT_CHARACTER.len_utf8()).into(),
                },
            ))
        }
    }
}

/// Parses model text into its syntax tree, or the errors that stop it.
pub fn parse(source: &Source) -> Result<ast::Network, Vec<Error>> {
    check_nesting(&source.text).map_err(|e| vec![e])?;
    pest::set_error_detail(true);
    let mut pairs = SnnParser::parse(Rule::file, &source.text)
        .map_err(|e| vec![lower::syntax_error(e, &source.text)])?;
    let file = pairs.next().expect("the file rule always yields one pair");
    lower::network(file)
}

/// Refuses pathological nesting before the recursive-descent parser sees it.
fn check_nesting(text: &str) -> Result<(), Error> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' | '\n' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '/' if chars.peek().map(|(_, c)| *c) == Some('/') => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek().map(|(_, c)| *c) == Some('*') => {
                chars.next();
                let mut previous = ' ';
                for (_, c) in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
            }
            '(' | '[' | '{' | '<' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Error::TooDeep {
                        limit: MAX_NESTING,
                        span: (i, 1).into(),
                    });
                }
            }
            ')' | ']' | '}' | '>' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}
