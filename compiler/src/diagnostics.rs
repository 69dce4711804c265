//! Every mistake snnc can find in a model: a stable code, a span, a label and a help line.
//!
//! Codes are grouped: E00xx the file itself, E01xx syntax, E02xx names and
//! structure, E03xx values, E04xx arithmetic of the network, E05xx weight files.
//! `testsuite/errors/` holds one model per code, named after it.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource, SourceSpan};
use thiserror::Error;

/// A user error in a model file (exit status 1).
#[derive(Debug, Clone, Error, Diagnostic)]
pub enum Error {
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(E0001), help("check the path and the file's permissions"))]
    Unreadable { path: String, reason: String },

    #[error("the file is not UTF-8 text")]
    #[diagnostic(
        code(E0002),
        help("a .snn model is a text file; is `{path}` the model you meant?")
    )]
    NotText {
        path: String,
        #[label("this byte is not UTF-8")]
        span: SourceSpan,
    },

    #[error("the file is {size} bytes, more than a model can be ({limit} bytes)")]
    #[diagnostic(
        code(E0003),
        help("a .snn model is a few hundred bytes; large data belongs in .npy files it names")
    )]
    TooLarge { size: u64, limit: u64 },

    #[error("nesting is deeper than {limit} levels")]
    #[diagnostic(
        code(E0004),
        help("calls and blocks nest a few levels deep in any real model")
    )]
    TooDeep {
        limit: usize,
        #[label("this bracket opens level {}", limit + 1)]
        span: SourceSpan,
    },

    #[error("syntax error: expected {expected}")]
    #[diagnostic(code(E0100), help("{help}"))]
    Syntax {
        expected: String,
        help: String,
        #[label("{found}")]
        span: SourceSpan,
        found: String,
    },

    #[error("the number {text} is too large")]
    #[diagnostic(
        code(E0101),
        help("integers must be below 2^64 and exponents between -63 and 63")
    )]
    NumberOverflow {
        text: String,
        #[label("does not fit")]
        span: SourceSpan,
    },

    #[error("the layer name `{name}` is declared twice")]
    #[diagnostic(code(E0200), help("give each layer its own name"))]
    DuplicateLayer {
        name: String,
        #[label("second declaration")]
        span: SourceSpan,
        #[label("first declared here")]
        first: SourceSpan,
    },

    #[error("no layer is named `{name}`")]
    #[diagnostic(code(E0201), help("{help}"))]
    UndefinedLayer {
        name: String,
        help: String,
        #[label("not declared")]
        span: SourceSpan,
    },

    #[error("`{key}` is given twice")]
    #[diagnostic(code(E0202), help("remove one of them"))]
    DuplicateProperty {
        key: String,
        #[label("given again here")]
        span: SourceSpan,
        #[label("first given here")]
        first: SourceSpan,
    },

    #[error("unknown {what} `{name}`")]
    #[diagnostic(code(E0203), help("{help}"))]
    UnknownKey {
        what: &'static str,
        name: String,
        help: String,
        #[label("not known here")]
        span: SourceSpan,
    },

    #[error("{what} is missing `{key}`")]
    #[diagnostic(code(E0204), help("{help}"))]
    MissingProperty {
        what: String,
        key: &'static str,
        help: String,
        #[label("needs `{key}`")]
        span: SourceSpan,
    },

    #[error(
        "layer `{name}` must take its input from `{previous}`, the layer declared just before it"
    )]
    #[diagnostic(
        code(E0205),
        help(
            "snnc compiles chains of layers: declare layers in the order data flows through them"
        )
    )]
    NotAChain {
        name: String,
        previous: String,
        #[label("takes its input from `{from}`")]
        span: SourceSpan,
        from: String,
    },

    #[error("{problem}")]
    #[diagnostic(code(E0206), help("{help}"))]
    BadStructure {
        problem: String,
        help: String,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("unknown activation `{name}`")]
    #[diagnostic(code(E0300), help("{help}"))]
    UnknownActivation {
        name: String,
        help: String,
        #[label("not an activation")]
        span: SourceSpan,
    },

    #[error("unknown {what} `{name}`")]
    #[diagnostic(code(E0301), help("{help}"))]
    UnknownChoice {
        what: &'static str,
        name: String,
        help: String,
        #[label("not a {what}")]
        span: SourceSpan,
    },

    #[error("`{key}` expects {expected}, found {found}")]
    #[diagnostic(code(E0302), help("{help}"))]
    WrongType {
        key: String,
        expected: &'static str,
        found: &'static str,
        help: String,
        #[label("expected {expected}")]
        span: SourceSpan,
    },

    #[error("invalid number format: {problem}")]
    #[diagnostic(code(E0303), help("{help}"))]
    BadFormat {
        problem: String,
        help: String,
        #[label("this format")]
        span: SourceSpan,
    },

    #[error("`{key}` is out of range: {problem}")]
    #[diagnostic(code(E0304), help("{help}"))]
    OutOfRange {
        key: String,
        problem: String,
        help: String,
        #[label("out of range")]
        span: SourceSpan,
    },

    #[error("unknown FPGA part `{part}`")]
    #[diagnostic(code(E0305), help("{help}"))]
    UnknownPart {
        part: String,
        help: String,
        #[label("not a known Artix-7 part")]
        span: SourceSpan,
    },

    #[error("the learning rate must be a power of two")]
    #[diagnostic(
        code(E0306),
        help("write it as 2^-k (for example 2^-3 for 0.125): the hardware applies it as a shift")
    )]
    NotPowerOfTwo {
        #[label("not 2^-k")]
        span: SourceSpan,
    },

    #[error("a sigmoid's values lie strictly between 0 and 1, and `{format}` holds none")]
    #[diagnostic(code(E0307), help("{help}"))]
    SigmoidFormat {
        format: String,
        help: String,
        #[label("sigmoid with activations in {format}")]
        span: SourceSpan,
    },

    #[error("fan-out {fan_out} does not divide evenly: {left} × {fan_out} = {edges} edges over {right} right neurons")]
    #[diagnostic(code(E0400), help("{help}"))]
    FanNotIntegral {
        left: u64,
        right: u64,
        fan_out: u64,
        edges: u64,
        help: String,
        #[label("gives a fractional fan-in")]
        span: SourceSpan,
    },

    #[error("z = {z} does not divide the {left} neurons of layer `{layer}`")]
    #[diagnostic(code(E0401), help("{help}"))]
    ZNotDividingLeft {
        z: u64,
        left: u64,
        layer: String,
        help: String,
        #[label("left neurons are spread over z memory banks")]
        span: SourceSpan,
    },

    #[error("z = {z} and fan-in {fan_in} do not fit: neither divides the other")]
    #[diagnostic(code(E0402), help("{help}"))]
    ZFanInMismatch {
        z: u64,
        fan_in: u64,
        help: String,
        #[label("adder trees sum whole groups of fan-in lanes")]
        span: SourceSpan,
    },

    #[error("cycles = {cycles} gives junction `{junction}` a fractional z: {edges} edges / {cycles} clocks")]
    #[diagnostic(code(E0403), help("{help}"))]
    CyclesNotIntegral {
        cycles: u64,
        junction: String,
        edges: u64,
        help: String,
        #[label("z = edges / cycles must be an integer")]
        span: SourceSpan,
    },

    #[error("parallelism of junction `{junction}` is {problem}")]
    #[diagnostic(
        code(E0404),
        help("give the network one `cycles = C;` or every layer its own `z = N;`, not both")
    )]
    ParallelismConflict {
        junction: String,
        problem: &'static str,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("{problem}")]
    #[diagnostic(code(E0405), help("{help}"))]
    DegreeOutOfRange {
        problem: String,
        help: String,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("a clash-free pattern needs its fan-in {fan_in} to divide the {left} left neurons")]
    #[diagnostic(code(E0406), help("{help}"))]
    ClashFreeShape {
        fan_in: u64,
        left: u64,
        help: String,
        #[label("this pattern")]
        span: SourceSpan,
    },

    #[error("cannot open weight file `{path}`: {reason}")]
    #[diagnostic(code(E0500), help("paths are relative to the model file's directory"))]
    NpyMissing {
        path: String,
        reason: String,
        #[label("named here")]
        span: SourceSpan,
    },

    #[error("`{path}` is not a valid .npy file: {reason}")]
    #[diagnostic(code(E0501), help("write it with numpy.save(path, array)"))]
    NpyMalformed {
        path: String,
        reason: String,
        #[label("named here")]
        span: SourceSpan,
    },

    #[error("`{path}` has shape {found}, expected {expected}")]
    #[diagnostic(code(E0502), help("{help}"))]
    NpyShape {
        path: String,
        found: String,
        expected: String,
        help: String,
        #[label("named here")]
        span: SourceSpan,
    },

    #[error("`{path}` holds {found}, expected floating-point or integer numbers")]
    #[diagnostic(
        code(E0503),
        help("convert it with array.astype(numpy.float32) before saving")
    )]
    NpyDtype {
        path: String,
        found: String,
        #[label("named here")]
        span: SourceSpan,
    },

    #[error("{problem}")]
    #[diagnostic(code(E0504), help("{help}"))]
    PrunedUnusable {
        problem: String,
        help: String,
        #[label("these weights")]
        span: SourceSpan,
    },
}

impl Error {
    /// The stable code of this error, e.g. `E0300`.
    pub fn code_str(&self) -> String {
        self.code().map(|c| c.to_string()).unwrap_or_default()
    }
}

/// A model's source text with the name it is shown under in diagnostics.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown in diagnostics (the path as the user gave it).
    pub name: String,
    /// The text; invalid UTF-8 is replaced so that it can still be shown.
    pub text: String,
}

/// Renders errors as text, as `snnc` prints them: with the source line, the label and the help.
pub fn render(errors: &[Error], source: &Source, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    for error in errors {
        let report = miette::Report::new(error.clone())
            .with_source_code(NamedSource::new(&source.name, source.text.clone()));
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, report.as_ref());
        out.push('\n');
    }
    let count = errors.len();
    out.push_str(&format!(
        "error: `{}` has {count} error{}\n",
        source.name,
        if count == 1 { "" } else { "s" }
    ));
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
