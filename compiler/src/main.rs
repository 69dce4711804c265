//! The `snnc` command.

fn main() -> std::process::ExitCode {
    snn_compiler::cli::main()
}
