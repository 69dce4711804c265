//! Reads the instances of a generated glue module: each `snn_* #(…) name (` with its
//! parameters evaluated over the module's `localparam`s, counted over the generate loops
//! around it. Only what the generated Verilog uses is understood: `localparam NAME = value;`,
//! `genvar` loops `for (v = 0; v < BOUND; v = v + 1) begin : label`, and parameter values
//! that are numbers, names, strings and `+ - * /` with parentheses.

use std::collections::BTreeMap;

/// A parameter's value: a number, a string, or something this reader does not evaluate
/// (a loop variable, a condition).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Number(i64),
    Text(String),
    Other,
}

/// One instance statement, with how many instances its loops make.
#[derive(Clone, Debug)]
pub struct Instance {
    pub module: String,
    pub name: String,
    pub count: i64,
    pub params: BTreeMap<String, Value>,
}

/// The `localparam`s of `text`, evaluated in order.
pub fn localparams(text: &str) -> BTreeMap<String, Value> {
    let mut values = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("localparam ") else {
            continue;
        };
        let Some((name, value)) = rest.split_once('=') else {
            continue;
        };
        let value = value.split(';').next().unwrap_or("").trim();
        let name = name.trim().rsplit(' ').next().unwrap_or("").to_string();
        let value = evaluate(value, &values);
        values.insert(name, value);
    }
    values
}

/// A literal or expression over `names`.
pub fn evaluate(expr: &str, names: &BTreeMap<String, Value>) -> Value {
    let expr = expr.trim();
    if let Some(text) = expr.strip_prefix('"').and_then(|e| e.strip_suffix('"')) {
        return Value::Text(text.to_string());
    }
    let tokens = tokens(expr);
    let mut at = 0;
    match sum(&tokens, &mut at, names) {
        Some(v) if at == tokens.len() => Value::Number(v),
        _ => Value::Other,
    }
}

fn tokens(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = expr.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '\'' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || "_'".contains(chars[i])) {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

fn sum(t: &[String], at: &mut usize, names: &BTreeMap<String, Value>) -> Option<i64> {
    let mut value = product(t, at, names)?;
    while let Some(op) = t.get(*at).filter(|op| *op == "+" || *op == "-") {
        let plus = op == "+";
        *at += 1;
        let rhs = product(t, at, names)?;
        value = if plus { value + rhs } else { value - rhs };
    }
    Some(value)
}

fn product(t: &[String], at: &mut usize, names: &BTreeMap<String, Value>) -> Option<i64> {
    let mut value = atom(t, at, names)?;
    while let Some(op) = t.get(*at).filter(|op| *op == "*" || *op == "/") {
        let times = op == "*";
        *at += 1;
        let rhs = atom(t, at, names)?;
        value = if times { value * rhs } else { value / rhs };
    }
    Some(value)
}

fn atom(t: &[String], at: &mut usize, names: &BTreeMap<String, Value>) -> Option<i64> {
    let token = t.get(*at)?.clone();
    *at += 1;
    if token == "(" {
        let value = sum(t, at, names)?;
        (t.get(*at)? == ")").then_some(())?;
        *at += 1;
        return Some(value);
    }
    if token == "-" {
        return atom(t, at, names).map(|v| -v);
    }
    if let Some((_, digits)) = token.split_once('\'') {
        let (radix, digits) = match digits.trim_start_matches('s').split_at(1) {
            ("d", d) => (10, d),
            ("h", d) => (16, d),
            _ => return None,
        };
        return i64::from_str_radix(digits, radix).ok();
    }
    if let Ok(v) = token.parse() {
        return Some(v);
    }
    match names.get(&token)? {
        Value::Number(v) => Some(*v),
        _ => None,
    }
}

/// Every instance of a `snn_*` primitive in `text`, the module of one generated file.
pub fn instances(text: &str) -> Vec<Instance> {
    let names = localparams(text);
    let genvars: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("genvar "))
        .flat_map(|l| l.trim_end_matches(';').split(','))
        .map(|v| v.trim().to_string())
        .collect();
    // The multiplier of each open `begin`: a generate loop's bound, else 1.
    let mut open: Vec<i64> = Vec::new();
    let mut out = Vec::new();
    let mut pending: Option<String> = None;
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        if let Some(statement) = pending.as_mut() {
            statement.push_str(code);
            statement.push(' ');
        } else if let Some(at) = code.find("snn_") {
            if code[at..].contains("#(") {
                pending = Some(format!("{} ", &code[at..]));
            }
        }
        if let Some(statement) = pending.clone() {
            if let Some(instance) = statement_instance(&statement, &names) {
                let count = open.iter().product();
                out.push(Instance { count, ..instance });
                pending = None;
            }
        }
        for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            match word {
                "begin" => open.push(loop_bound(code, &genvars, &names)),
                "end" => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    out
}

/// The bound of a generate loop opened on `line`, or 1.
fn loop_bound(line: &str, genvars: &[String], names: &BTreeMap<String, Value>) -> i64 {
    let Some(rest) = line.trim().strip_prefix("for (") else {
        return 1;
    };
    let var = rest.split('=').next().unwrap_or("").trim();
    if !genvars.iter().any(|g| g == var) {
        return 1;
    }
    let bound = rest
        .split(';')
        .nth(1)
        .and_then(|c| c.split_once('<'))
        .map(|(_, b)| b.trim());
    match bound.map(|b| evaluate(b, names)) {
        Some(Value::Number(n)) => n,
        _ => panic!("a generate loop without a known bound: {line}"),
    }
}

/// `snn_x #(.A(…), …) name (` once the statement has reached its instance name.
fn statement_instance(statement: &str, names: &BTreeMap<String, Value>) -> Option<Instance> {
    let open = statement.find("#(")?;
    let module = statement[..open].trim().to_string();
    let mut depth = 0;
    let mut close = None;
    for (i, c) in statement[open + 1..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + 1 + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let after = statement[close + 1..].trim_start();
    let name: String = after
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() || !after[name.len()..].trim_start().starts_with('(') {
        return None;
    }
    let mut params = BTreeMap::new();
    for assignment in split_top(&statement[open + 2..close]) {
        let assignment = assignment.trim();
        let Some(rest) = assignment.strip_prefix('.') else {
            continue;
        };
        let Some((param, value)) = rest.split_once('(') else {
            continue;
        };
        let value = value.strip_suffix(')').unwrap_or(value);
        params.insert(param.trim().to_string(), evaluate(value, names));
    }
    Some(Instance {
        module,
        name,
        count: 1,
        params,
    })
}

/// `text` split at the commas outside parentheses.
fn split_top(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}
