//! The `plan` binary: everything lives in the library; this only hands it
//! the arguments and returns its exit code.

fn main() -> std::process::ExitCode {
    plan::run(std::env::args_os())
}
