//! The abstract syntax tree of a `.snn` file: declarations and values, each with its source span.

use miette::SourceSpan;

/// A byte range in the model source.
pub type Span = SourceSpan;

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A whole model file: exactly one network.
#[derive(Debug, Clone)]
pub struct Network {
    pub name: Ident,
    pub items: Vec<Item>,
}

/// One declaration inside `network NAME { ... }`.
#[derive(Debug, Clone)]
pub enum Item {
    /// `input NAME[SIZE];`
    Input(LayerDecl),
    /// `layer NAME[SIZE] { ... }`
    Layer(LayerDecl),
    /// `NAME { key = value; ... }`: `target`, `formats`, `train`.
    Block(Block),
    /// `key = value;` directly inside the network: `cycles`.
    Property(Property),
}

/// An input or hidden/output layer declaration.
#[derive(Debug, Clone)]
pub struct LayerDecl {
    pub name: Ident,
    pub size: Value,
    pub properties: Vec<Property>,
    pub span: Span,
}

/// A named block of properties.
#[derive(Debug, Clone)]
pub struct Block {
    pub name: Ident,
    pub properties: Vec<Property>,
    pub span: Span,
}

/// `key = value;` (also a named argument `key = value` of a call).
#[derive(Debug, Clone)]
pub struct Property {
    pub key: Ident,
    pub value: Value,
    pub span: Span,
}

/// A value with its span.
#[derive(Debug, Clone)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Span,
}

/// What a value is, before elaboration gives it a meaning.
#[derive(Debug, Clone)]
pub enum ValueKind {
    /// `1_024`
    Integer(u64),
    /// `16.667`
    Decimal(f64),
    /// `2^-3`: base and exponent.
    Power { base: u64, exponent: i64 },
    /// `100 MHz`, `10 ns`
    Quantity { value: f64, unit: Unit },
    /// `"weights/hidden.npy"`
    Str(String),
    /// `sigmoid`, `true`, `cross_entropy`
    Name(String),
    /// `clash_free(type = 2, seed = 1)`
    Call {
        name: Ident,
        arguments: Vec<Property>,
    },
    /// `fixed<10, 7>` or `ufixed<8, 8>`
    Format {
        signed: bool,
        total_bits: u64,
        fraction_bits: u64,
    },
    /// `ap_fixed<16, 6>` or `ap_ufixed<8, 0>`: hls4ml's (Vivado HLS's) notation, whose
    /// second number counts integer bits; snnc reports it with its own equivalent.
    HlsFormat {
        signed: bool,
        total_bits: u64,
        integer_bits: u64,
    },
    /// A value that failed to lower (its error has been reported already).
    Invalid,
}

/// Units a quantity can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    MHz,
    Ns,
}

impl ValueKind {
    /// How the value reads in an error message ("a name", "a string", ...).
    pub fn describe(&self) -> &'static str {
        match self {
            ValueKind::Integer(_) => "an integer",
            ValueKind::Decimal(_) => "a decimal number",
            ValueKind::Power { .. } => "a power of two",
            ValueKind::Quantity { .. } => "a quantity with a unit",
            ValueKind::Str(_) => "a string",
            ValueKind::Name(_) => "a name",
            ValueKind::Call { .. } => "a call",
            ValueKind::Format { .. } => "a number format",
            ValueKind::HlsFormat { .. } => "an hls4ml number format",
            ValueKind::Invalid => "an invalid value",
        }
    }
}
