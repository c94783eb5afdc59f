//! The `toss-shopping` command-line tool; everything is in `toss_shopping::cli`.

fn main() -> std::process::ExitCode {
    toss_shopping::cli::main()
}
