//! Reading `key = value` lists: duplicate and unknown keys, and typed access to values,
//! each mistake recorded as a diagnostic while reading goes on.

use crate::diagnostics::{did_you_mean, Error};
use crate::syntax::ast::{Property, Span, Value, ValueKind};

/// The properties of one declaration or call, consumed key by key.
pub struct Props<'a> {
    /// Which declaration this is, for messages: "layer `hidden`".
    pub what: String,
    pub span: Span,
    entries: Vec<(&'a Property, bool)>,
    /// Given keys taken for misspellings of required keys that are missing: (given, meant).
    misspelled: Vec<(String, &'static str)>,
}

impl<'a> Props<'a> {
    /// Collects `properties`, reporting any key given twice.
    pub fn new(
        what: impl Into<String>,
        span: Span,
        properties: &'a [Property],
        errors: &mut Vec<Error>,
    ) -> Props<'a> {
        let mut entries: Vec<(&'a Property, bool)> = Vec::new();
        let mut seen = FirstSeen::default();
        for p in properties {
            match seen.earlier(&p.key.name, p.key.span) {
                Some(first) => errors.push(Error::DuplicateProperty {
                    key: p.key.name.clone(),
                    span: p.key.span,
                    first,
                }),
                None => entries.push((p, false)),
            }
        }
        Props {
            what: what.into(),
            span,
            entries,
            misspelled: Vec::new(),
        }
    }

    /// The value of `key`, if given.
    pub fn get(&mut self, key: &str) -> Option<&'a Value> {
        self.entries
            .iter_mut()
            .find(|(p, _)| p.key.name == key)
            .map(|(p, used)| {
                *used = true;
                &p.value
            })
    }

    /// The value of `key`, or a "missing" error with `help`.
    pub fn require(
        &mut self,
        key: &'static str,
        help: &str,
        errors: &mut Vec<Error>,
    ) -> Option<&'a Value> {
        let value = self.get(key);
        // A given key one typo away is reported once, as the misspelling it is.
        let close = |given: &str| strsim::levenshtein(given, key) <= (key.len() / 3).clamp(1, 2);
        let typo = self
            .entries
            .iter()
            .find(|(p, used)| !used && close(&p.key.name))
            .map(|(p, _)| p.key.name.clone());
        if let (None, Some(given)) = (value, typo) {
            self.misspelled.push((given, key));
        } else if value.is_none() {
            errors.push(Error::MissingProperty {
                what: self.what.clone(),
                key,
                help: help.to_string(),
                span: self.span,
            });
        }
        value
    }

    /// Reports every key that was never asked for; `known` are the keys that exist here.
    pub fn finish(self, kind: &'static str, known: &[&str], errors: &mut Vec<Error>) {
        for (p, used) in self.entries {
            if !used && !known.contains(&p.key.name.as_str()) {
                let meant = self
                    .misspelled
                    .iter()
                    .find(|(given, _)| *given == p.key.name);
                errors.push(Error::UnknownKey {
                    what: kind,
                    name: p.key.name.clone(),
                    help: match meant {
                        Some((_, key)) => format!("did you mean `{key}`? it is required here"),
                        None => did_you_mean(&p.key.name, known.iter().copied()),
                    },
                    span: p.key.span,
                });
            }
        }
    }
}

fn wrong(key: &str, expected: &'static str, value: &Value, help: &str) -> Error {
    Error::WrongType {
        key: key.to_string(),
        expected,
        found: value.kind.describe(),
        help: help.to_string(),
        span: value.span,
    }
}

/// A non-negative integer.
pub fn integer(key: &str, value: &Value, errors: &mut Vec<Error>) -> Option<u64> {
    match value.kind {
        ValueKind::Integer(n) => Some(n),
        ValueKind::Power { base, exponent } if exponent >= 0 => {
            match u32::try_from(exponent)
                .ok()
                .and_then(|e| base.checked_pow(e))
            {
                Some(n) => Some(n),
                None => {
                    errors.push(Error::NumberOverflow {
                        text: format!("{base}^{exponent}"),
                        span: value.span,
                    });
                    None
                }
            }
        }
        ValueKind::Invalid => None,
        _ => {
            errors.push(wrong(
                key,
                "an integer",
                value,
                "write a whole number such as `64` or `2^10`",
            ));
            None
        }
    }
}

/// A positive integer no larger than `max`.
pub fn count(key: &str, value: &Value, max: u64, errors: &mut Vec<Error>) -> Option<u64> {
    let n = integer(key, value, errors)?;
    if n == 0 || n > max {
        errors.push(Error::OutOfRange {
            key: key.to_string(),
            problem: format!("{n} is not between 1 and {max}"),
            help: format!("`{key}` counts something: a whole number from 1 to {max}"),
            span: value.span,
        });
        return None;
    }
    Some(n)
}

/// `true` or `false`.
pub fn boolean(key: &str, value: &Value, errors: &mut Vec<Error>) -> Option<bool> {
    match &value.kind {
        ValueKind::Name(n) if n == "true" => Some(true),
        ValueKind::Name(n) if n == "false" => Some(false),
        ValueKind::Invalid => None,
        _ => {
            errors.push(wrong(
                key,
                "`true` or `false`",
                value,
                "write `true` or `false`",
            ));
            None
        }
    }
}

/// A string such as a file path.
pub fn string<'a>(key: &str, value: &'a Value, errors: &mut Vec<Error>) -> Option<&'a str> {
    match &value.kind {
        ValueKind::Str(s) => Some(s),
        ValueKind::Invalid => None,
        _ => {
            errors.push(wrong(
                key,
                "a string",
                value,
                "write it in double quotes, e.g. \"weights.npy\"",
            ));
            None
        }
    }
}

/// A name or a call: the name, its span, and its arguments (none for a bare name).
pub fn call<'a>(
    key: &str,
    value: &'a Value,
    help: &str,
    errors: &mut Vec<Error>,
) -> Option<(&'a str, Span, &'a [Property])> {
    match &value.kind {
        ValueKind::Name(n) => Some((n, value.span, &[])),
        ValueKind::Call { name, arguments } => Some((&name.name, name.span, arguments)),
        ValueKind::Invalid => None,
        _ => {
            errors.push(wrong(key, "a name", value, help));
            None
        }
    }
}

/// Records `name` as not one of `choices` (with the nearest as a suggestion); always `None`.
pub fn unknown_choice<'c, T>(
    what: &'static str,
    name: &str,
    choices: impl IntoIterator<Item = &'c str>,
    span: Span,
    errors: &mut Vec<Error>,
) -> Option<T> {
    errors.push(Error::UnknownChoice {
        what,
        name: name.to_string(),
        help: did_you_mean(name, choices),
        span,
    });
    None
}

/// The first place each name was given, for reporting a name given twice.
#[derive(Default)]
pub struct FirstSeen<'a>(std::collections::HashMap<&'a str, Span>);

impl<'a> FirstSeen<'a> {
    /// Where `name` was first given, or `None` (and it is remembered) the first time.
    pub fn earlier(&mut self, name: &'a str, span: Span) -> Option<Span> {
        match self.0.entry(name) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(span);
                None
            }
        }
    }
}
