//! snn-runtime: the bit-exact semantics of snnc networks and the engines that execute them.
//!
//! `docs/semantics.md` is the contract; [`fixed`] and [`activation`] implement its
//! arithmetic, [`prng`] its seeded choices.

pub mod activation;
pub mod fixed;
pub mod prng;
