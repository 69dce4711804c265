//! Every warning snnc gives: something it did that the user may not expect, said with a
//! stable code and a count or a figure, never silently. W04xx: the network's arithmetic;
//! W10xx: commands.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

/// A warning: the command goes on (exit status 0).
#[derive(Debug, Clone, Error, Diagnostic)]
#[diagnostic(severity(Warning))]
pub enum Warning {
    #[error("junction `{junction}` takes {clocks} clocks per pass, more than cycles = {cycles}")]
    #[diagnostic(code(W0401), help("{reason}"))]
    CyclesNotMet {
        junction: String,
        cycles: u64,
        clocks: usize,
        reason: String,
        #[label("asks for {cycles} clocks")]
        span: SourceSpan,
    },

    #[error("the design does not fit {part}: {over}")]
    #[diagnostic(code(W1001), help("{help}"))]
    DoesNotFit {
        part: String,
        over: String,
        help: String,
    },
}
