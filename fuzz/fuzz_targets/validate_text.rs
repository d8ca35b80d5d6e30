#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| ticketwire::fuzz::validate_text(data));
