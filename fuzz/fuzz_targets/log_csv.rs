//! cargo-fuzz target `log_csv`: see `plan_fuzz::log_csv` and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| plan_fuzz::log_csv(data));
