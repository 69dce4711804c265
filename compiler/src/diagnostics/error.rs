//! Every error snnc reports: a stable code, a message, a help line, and for mistakes in a
//! model a span and a label.
//!
//! Codes are grouped: E00xx the file itself, E01xx syntax, E02xx names and structure, E03xx
//! values, E04xx arithmetic of the network, E05xx weight files named by the model; E10xx the
//! command (its files, data, tools and results); E11xx models imported from ONNX; E9xxx bugs
//! in snnc. docs/errors.md lists
//! every code with an example; `testsuite/errors/` holds one model per model code.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// An error: a mistake the user can fix (exit status 1), or a bug in snnc (E9xxx).
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
        help("integers must be below 2^64, and powers of two such as 2^10 too")
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

    #[error("board `{board}` carries {board_part}, not `{part}`")]
    #[diagnostic(
        code(E0308),
        help("leave `part` out (the board implies it), or write part = \"{board_part}\"")
    )]
    PartNotOnBoard {
        part: String,
        board: &'static str,
        board_part: &'static str,
        #[label("not the board's part")]
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

    #[error("{degree_name} {degree} does not divide evenly: {count} × {degree} = {edges} edges over {over} {over_side} neurons")]
    #[diagnostic(code(E0400), help("{help}"))]
    FanNotIntegral {
        /// `fan-out` (given per left neuron) or `fan-in` (per right neuron).
        degree_name: &'static str,
        degree: u64,
        /// Neurons on the side the degree is given for, and on the other side.
        count: u64,
        over: u64,
        over_side: &'static str,
        edges: u64,
        help: String,
        #[label("gives a fractional {other}")]
        span: SourceSpan,
        other: &'static str,
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

    #[error("junction `{junction}` completes {groups} neurons per clock, and z = {z} of junction `{next}` cannot take them in one clock")]
    #[diagnostic(code(E0407), help("{help}"))]
    TreeWrites {
        junction: String,
        groups: u64,
        next: String,
        z: u64,
        help: String,
        #[label("{z} banks for {groups} neurons per clock")]
        span: SourceSpan,
    },

    #[error("the network has {edges} edges, more than the {limit} snnc schedules")]
    #[diagnostic(
        code(E0408),
        help("the published MNIST network has 5,120; make the junction sparser (a smaller fan-out) or the layers smaller")
    )]
    TooManyEdges {
        edges: u64,
        limit: u64,
        #[label("this junction reaches {edges} edges in all")]
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
        help("snnc reads float32, float64, int8, int16, int32, int64, uint8, uint16, uint32 and bool arrays, little-endian; convert it with array.astype(numpy.float32) before saving")
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

    // ---------------------------------------------------------------- E10xx: commands
    #[error("cannot write `{path}`: {reason}")]
    #[diagnostic(code(E1001), help("check that the directory exists and is writable"))]
    CannotWrite { path: String, reason: String },

    #[error("`{path}` already exists{detail}")]
    #[diagnostic(
        code(E1002),
        help("pass --force to replace it, or choose another path")
    )]
    OutputExists { path: String, detail: &'static str },

    #[error("network `{network}` has no `train` block")]
    #[diagnostic(code(E1003), help("{help}"))]
    NoTraining { network: String, help: &'static str },

    #[error("cannot use the weights in `{path}`: {reason}")]
    #[diagnostic(
        code(E1004),
        help("weights come from `snnc train -o W.npz` or any .npz with a (left, right) `<layer>.weights` and a `<layer>.biases` per layer")
    )]
    BadWeights { path: String, reason: String },

    #[error("{reason}")]
    #[diagnostic(
        code(E1005),
        help("see `snnc train --help` for the data formats snnc reads")
    )]
    BadData { reason: String },

    #[error("{reason}")]
    #[diagnostic(
        code(E1006),
        help("choose an input beat that divides both the input layer and z of the first junction")
    )]
    BadBeat { reason: String },

    #[error("{simulator} is not installed")]
    #[diagnostic(
        code(E1008),
        help("install it with `apt-get install {package}`, or pass --simulator {other}")
    )]
    SimulatorMissing {
        simulator: &'static str,
        package: &'static str,
        other: &'static str,
    },

    #[error("{step} failed:\n{log}")]
    #[diagnostic(
        code(E1009),
        help("this is the simulator's own log; keep the design with --output DIR to look at it")
    )]
    SimulatorFailed { step: String, log: String },

    #[error("the RTL and the executor disagree")]
    #[diagnostic(
        code(E1010),
        help("keep the build with --output DIR and dump waveforms with --vcd to investigate")
    )]
    RtlDisagrees,

    #[error("yosys is not installed")]
    #[diagnostic(
        code(E1012),
        help("install it with `apt-get install yosys`{alternative}")
    )]
    YosysMissing { alternative: &'static str },

    #[error("Yosys failed:\n{log}")]
    #[diagnostic(
        code(E1013),
        help("this is Yosys's own log; keep the design with --output DIR to look at it")
    )]
    YosysFailed { log: String },

    #[error("density {density} is not in (0, 1]")]
    #[diagnostic(
        code(E1014),
        help("a density is the share of the dense junction's edges, e.g. 0.1")
    )]
    BadDensity { density: f64 },

    #[error("no point of the sweep has a design: {reasons}")]
    #[diagnostic(code(E1015), help("{help}"))]
    NothingToExplore { reasons: String, help: String },

    #[error("`{path}` is {what}: snnc replaces only a directory it built")]
    #[diagnostic(
        code(E1016),
        help("choose a new or empty directory; --force replaces a directory that holds a build of snnc (its report.json)")
    )]
    NotOurs { path: String, what: &'static str },

    #[error("no board top: {reason}")]
    #[diagnostic(
        code(E1017),
        help("set the model's clock to the board's 100 MHz, or choose a --baud that divides it into at least 8 clocks per bit")
    )]
    BadBoardTop { reason: String },

    #[error("network `{network}` has no board")]
    #[diagnostic(
        code(E1018),
        help("give the board the bitstream was built for with --board, or set `board` in the model's target")
    )]
    NoBoard { network: String },

    #[error("cannot open the serial port `{port}`: {reason}")]
    #[diagnostic(
        code(E1019),
        help("check that the board is plugged in and the port is its USB-UART (often the second of its two ports, e.g. /dev/ttyUSB1), and that you may open it (the dialout group)")
    )]
    NoPort { port: String, reason: String },

    #[error("talking to the board: {reason}")]
    #[diagnostic(
        code(E1020),
        help("check that the board is programmed with this model's bitstream (vivado/program.tcl), at the same --baud, and press its reset button")
    )]
    BoardLink { reason: String },

    // ---------------------------------------------------------------- E11xx: import
    #[error("`{path}` is not an ONNX model: {reason}")]
    #[diagnostic(
        code(E1100),
        help("snnc imports .onnx files as torch.onnx.export and tf2onnx write them")
    )]
    NotOnnx { path: String, reason: String },

    #[error("node `{node}` is a {op}, which snnc does not import")]
    #[diagnostic(code(E1101), help("{help}"))]
    UnsupportedOp {
        node: String,
        op: String,
        help: String,
    },

    #[error("the graph is not a chain of layers: {what}")]
    #[diagnostic(
        code(E1102),
        help("snnc compiles one input through fully connected layers to one output, without branches or skip connections")
    )]
    NotAChainGraph { what: String },

    #[error("node `{node}` ({op}): {what}")]
    #[diagnostic(code(E1103), help("{help}"))]
    UnsupportedForm {
        node: String,
        op: String,
        what: String,
        help: String,
    },

    #[error("node `{node}` quantises with a scale of {scale}, not a power of two ({nearest} are)")]
    #[diagnostic(
        code(E1104),
        help("snnc's fixed-point formats have power-of-two steps: quantise with scales 2^-k (Brevitas: a power-of-two scaling such as `scaling_impl_type = \"const\"` with a power-of-two value, or `restrict_scaling_type = \"power_of_two\"`)")
    )]
    QuantScale {
        node: String,
        /// The scale as the model stores it.
        scale: String,
        /// The powers of two either side of it.
        nearest: String,
    },

    #[error("node `{node}` ({op}) takes its weights from `{tensor}`, which is not a constant of the model")]
    #[diagnostic(
        code(E1105),
        help(
            "export the model with its weights as initializers (torch.onnx.export does by default)"
        )
    )]
    WeightsNotConstant {
        node: String,
        op: String,
        tensor: String,
    },

    // ---------------------------------------------------------------- E9xxx: bugs
    #[error("internal compiler error: {message}")]
    #[diagnostic(
        code(E9000),
        help("this is a bug in snnc; please report it with the model file")
    )]
    Internal { message: String },

    #[error("internal compiler error: the RTL takes {measured}")]
    #[diagnostic(
        code(E9001),
        help("the values agree but the compiler's timing model does not: a bug in snnc; please report it with the model file")
    )]
    TimingModel { measured: String },
}

impl Error {
    /// The stable code of this error, e.g. `E0300`.
    pub fn code_str(&self) -> String {
        self.code().map(|c| c.to_string()).unwrap_or_default()
    }
}
