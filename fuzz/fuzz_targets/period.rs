//! cargo-fuzz target `period`: see `plan_fuzz::period` and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| plan_fuzz::period(data));
