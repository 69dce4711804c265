//! The host side of a board top: the board protocol's frames ([`protocol`]), what the host
//! knows of the design on the board ([`design`]), and the driver that loads, streams and reads
//! back over a serial port ([`driver`]); `snnc board` is built on them.

pub mod design;
pub mod driver;
pub mod protocol;

pub use design::Design;
pub use driver::{Board, BoardOutput, Link, LinkError, Status};
