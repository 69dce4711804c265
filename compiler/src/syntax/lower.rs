//! Lowering of pest's parse tree to the [`ast`](super::ast), and of pest's errors to diagnostics.

use super::ast::*;
use super::Rule;
use crate::diagnostics::Error;
use pest::iterators::Pair;

fn span_of(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    (s.start(), s.end() - s.start()).into()
}

fn ident(pair: Pair<Rule>) -> Ident {
    debug_assert_eq!(pair.as_rule(), Rule::ident);
    Ident {
        name: pair.as_str().to_string(),
        span: span_of(&pair),
    }
}

/// Lowers the `file` pair; collects every malformed number on the way.
pub(super) fn network(file: Pair<Rule>) -> Result<Network, Vec<Error>> {
    let mut errors = Vec::new();
    let network = file
        .into_inner()
        .find(|p| p.as_rule() == Rule::network)
        .expect("grammar: file contains a network");
    let mut inner = network
        .into_inner()
        .filter(|p| p.as_rule() != Rule::kw_network);
    let name = ident(inner.next().expect("grammar: network has a name"));
    let items = inner.map(|p| item(p, &mut errors)).collect();
    if errors.is_empty() {
        Ok(Network { name, items })
    } else {
        Err(errors)
    }
}

fn item(pair: Pair<Rule>, errors: &mut Vec<Error>) -> Item {
    let span = span_of(&pair);
    match pair.as_rule() {
        Rule::input_decl | Rule::layer_decl => {
            let is_input = pair.as_rule() == Rule::input_decl;
            let mut inner = pair
                .into_inner()
                .filter(|p| !matches!(p.as_rule(), Rule::kw_input | Rule::kw_layer));
            let name = ident(inner.next().expect("grammar: layer has a name"));
            let size = value(inner.next().expect("grammar: layer has a size"), errors);
            let properties = inner.map(|p| property(p, errors)).collect();
            let decl = LayerDecl {
                name,
                size,
                properties,
                span,
            };
            if is_input {
                Item::Input(decl)
            } else {
                Item::Layer(decl)
            }
        }
        Rule::block => {
            let mut inner = pair.into_inner();
            let name = ident(inner.next().expect("grammar: block has a name"));
            let properties = inner.map(|p| property(p, errors)).collect();
            Item::Block(Block {
                name,
                properties,
                span,
            })
        }
        Rule::property => Item::Property(property(pair, errors)),
        rule => unreachable!("grammar: unexpected item {rule:?}"),
    }
}

fn property(pair: Pair<Rule>, errors: &mut Vec<Error>) -> Property {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let key = ident(inner.next().expect("grammar: property has a key"));
    let value = value(inner.next().expect("grammar: property has a value"), errors);
    Property { key, value, span }
}

fn value(pair: Pair<Rule>, errors: &mut Vec<Error>) -> Value {
    debug_assert_eq!(pair.as_rule(), Rule::value);
    let span = span_of(&pair);
    let inner = pair
        .into_inner()
        .next()
        .expect("grammar: value has content");
    let kind = match inner.as_rule() {
        Rule::number => number(inner, errors),
        Rule::power => {
            let mut parts = inner.into_inner();
            let base = parts.next().expect("grammar: power base");
            let exp = parts.next().expect("grammar: power exponent");
            // Any exponent: each setting checks its own range and says what it is.
            match (integer(&base, errors), exp.as_str().parse::<i64>()) {
                (Some(base), Ok(exponent)) => ValueKind::Power { base, exponent },
                (Some(_), _) => {
                    errors.push(overflow(&exp));
                    ValueKind::Invalid
                }
                (None, _) => ValueKind::Invalid,
            }
        }
        Rule::quantity => {
            let mut parts = inner.into_inner();
            let number_pair = parts.next().expect("grammar: quantity number");
            let unit = match parts.next().expect("grammar: quantity unit").as_str() {
                "MHz" => Unit::MHz,
                _ => Unit::Ns,
            };
            match number(number_pair, errors) {
                ValueKind::Integer(v) => ValueKind::Quantity {
                    value: v as f64,
                    unit,
                },
                ValueKind::Decimal(value) => ValueKind::Quantity { value, unit },
                _ => ValueKind::Invalid,
            }
        }
        Rule::format => {
            let mut parts = inner.into_inner();
            let kind = parts.next().expect("grammar: format kind").as_str();
            let signed = kind.ends_with("_fixed") || kind == "fixed";
            let w = integer(&parts.next().expect("grammar: format width"), errors);
            let f = integer(&parts.next().expect("grammar: format fraction"), errors);
            match (w, f) {
                (Some(total_bits), Some(integer_bits)) if kind.starts_with("ap_") => {
                    ValueKind::HlsFormat {
                        signed,
                        total_bits,
                        integer_bits,
                    }
                }
                (Some(total_bits), Some(fraction_bits)) => ValueKind::Format {
                    signed,
                    total_bits,
                    fraction_bits,
                },
                _ => ValueKind::Invalid,
            }
        }
        Rule::string => {
            let body = inner.into_inner().next().map(|p| p.as_str()).unwrap_or("");
            ValueKind::Str(body.replace("\\\"", "\"").replace("\\\\", "\\"))
        }
        Rule::call => {
            let mut parts = inner.into_inner();
            let name = ident(parts.next().expect("grammar: call has a name"));
            let arguments = parts.map(|p| property(p, errors)).collect();
            ValueKind::Call { name, arguments }
        }
        Rule::ident => ValueKind::Name(inner.as_str().to_string()),
        rule => unreachable!("grammar: unexpected value {rule:?}"),
    };
    Value { kind, span }
}

fn number(pair: Pair<Rule>, errors: &mut Vec<Error>) -> ValueKind {
    let inner = pair.into_inner().next().expect("grammar: number content");
    match inner.as_rule() {
        Rule::integer => integer(&inner, errors)
            .map(ValueKind::Integer)
            .unwrap_or(ValueKind::Invalid),
        _ => {
            let text = inner.as_str().replace('_', "");
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => ValueKind::Decimal(v),
                _ => {
                    errors.push(overflow(&inner));
                    ValueKind::Invalid
                }
            }
        }
    }
}

fn integer(pair: &Pair<Rule>, errors: &mut Vec<Error>) -> Option<u64> {
    match pair.as_str().replace('_', "").parse::<u64>() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.push(overflow(pair));
            None
        }
    }
}

fn overflow(pair: &Pair<Rule>) -> Error {
    Error::NumberOverflow {
        text: pair.as_str().to_string(),
        span: span_of(pair),
    }
}

/// Turns pest's error into a diagnostic that speaks of the language, not of grammar rules.
pub(super) fn syntax_error(error: pest::error::Error<Rule>, text: &str) -> Error {
    use pest::error::{ErrorVariant, InputLocation};
    let attempts = error.parse_attempts();
    let start = match (&attempts, &error.location) {
        (Some(a), _) => a.max_position,
        (None, InputLocation::Pos(p)) => *p,
        (None, InputLocation::Span((s, _))) => *s,
    };
    let found_char = text[start..].chars().next();
    let length = found_char.map(char::len_utf8).unwrap_or(0);
    let found = match found_char {
        None => "the file ends here".to_string(),
        Some(c) if c.is_whitespace() => "unexpected space".to_string(),
        Some(c) if c.is_control() => format!("unexpected control character U+{:04X}", c as u32),
        Some(_) => {
            let token: String = text[start..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if token.is_empty() {
                format!("unexpected `{}`", found_char.unwrap_or(' '))
            } else {
                format!("unexpected `{token}`")
            }
        }
    };
    let mut expected: Vec<String> = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives
            .iter()
            .filter_map(|r| describe(*r))
            .map(String::from)
            .collect(),
        ErrorVariant::CustomError { .. } => vec![],
    };
    if let Some(attempts) = attempts {
        let punctuation = |t: &String| !t.is_empty() && t.chars().all(|c| c.is_ascii_punctuation());
        let tokens: Vec<String> = attempts
            .expected_tokens()
            .iter()
            .map(|t| t.to_string())
            .collect();
        if tokens
            .iter()
            .any(|t| punctuation(t) && t != "//" && t != "/*")
        {
            // Literal tokens say precisely what would continue the text: prefer them.
            expected.retain(|e| e.starts_with("a unit"));
        }
        for token in attempts.expected_tokens() {
            let token = token.to_string();
            let comment = token == "//" || token == "/*";
            if !comment && !token.is_empty() && token.chars().all(|c| c.is_ascii_punctuation()) {
                expected.push(format!("`{token}`"));
            }
        }
    }
    expected.sort_unstable();
    expected.dedup();
    let expected_text = match expected.len() {
        0 => "something else".to_string(),
        1 => expected[0].to_string(),
        n => format!("{} or {}", expected[..n - 1].join(", "), expected[n - 1]),
    };
    let help = if expected.iter().any(|e| e == "`;`") {
        "every property ends with `;`, as in `activation = sigmoid;`".to_string()
    } else if start == 0 || text[..start].trim().is_empty() {
        "a model starts with `network NAME {`".to_string()
    } else {
        "see docs/language.md for the syntax of each declaration".to_string()
    };
    Error::Syntax {
        expected: expected_text,
        help,
        found,
        span: (start, length).into(),
    }
}

fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::network | Rule::kw_network => "`network`",
        Rule::input_decl | Rule::kw_input => "`input`",
        Rule::layer_decl | Rule::kw_layer => "`layer`",
        Rule::block => "a block",
        Rule::property => "a property `key = value;`",
        Rule::value => "a value",
        Rule::call => "a call",
        Rule::argument => "an argument `name = value`",
        Rule::format | Rule::format_kind => "a number format",
        Rule::quantity => "a quantity",
        Rule::unit => "a unit (`MHz` or `ns`)",
        Rule::power => "a power `2^k`",
        Rule::exponent => "an exponent",
        Rule::number | Rule::decimal | Rule::integer => "a number",
        Rule::string | Rule::string_body => "a string",
        Rule::ident => "a name",
        _ => return None,
    })
}
