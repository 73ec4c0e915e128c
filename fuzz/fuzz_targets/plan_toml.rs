//! cargo-fuzz target `plan_toml`: see `plan_fuzz::plan_toml` and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| plan_fuzz::plan_toml(data));
