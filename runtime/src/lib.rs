//! snn-runtime: the bit-exact semantics of snnc networks and the engines that execute them.
//!
//! `docs/semantics.md` is the contract; [`fixed`] and [`activation`] implement its
//! arithmetic, [`prng`] its seeded choices. A [`program::Program`] runs on three engines
//! behind [`engine::Engine`]: the [`interp`] reference, the Cranelift [`jit`], and the
//! unquantised [`float`] engine. [`data`] reads data sets, [`weights`] saves and loads
//! trained parameters; [`files`] and [`npy`] read the user's files safely.

pub mod activation;
pub mod data;
pub mod engine;
pub mod files;
pub mod fixed;
pub mod float;
pub mod interp;
pub mod jit;
pub mod npy;
pub mod prng;
pub mod program;
pub mod weights;
