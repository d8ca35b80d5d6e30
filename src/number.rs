//! JSON numbers: decimal text to the nearest `f64` (as `JSON.parse` reads it), and an `f64`
//! to text (as `JSON.stringify` writes it). Exact both ways without `str::parse::<f64>`, whose
//! tables would add 14 KB (gzip) to the wasm: Clinger's fast path covers every id, count and
//! size, and a small big-integer comparison settles the rest. `ticketwire/lite` (a page's
//! build, without the "full" feature) keeps only the fast paths and hands the rest to the
//! host's own `Number(text)` and `String(n)` (exact too), registered by the host layer: the only
//! place the builds differ here is the `use` of `exact` or `host` below.

#[cfg(any(feature = "full", not(target_arch = "wasm32")))]
use exact::{read_decimal, shortest};
#[cfg(not(any(feature = "full", not(target_arch = "wasm32"))))]
use host::{read_decimal, shortest};

/// A JSON number literal (already checked) as the nearest `f64`, ties to even.
pub fn decimal_to_f64(literal: &[u8]) -> f64 {
    // Up to 15 digits and nothing else: exact as an integer, and the usual input.
    let (negative, digits) = match literal.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, literal),
    };
    if (1..=15).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) {
        let n = digits.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')) as f64;
        return if negative { -n } else { n };
    }
    read_decimal(literal)
}

/// Formats a number exactly as JavaScript's `Number.prototype.toString` (and so
/// `JSON.stringify`) does; non-finite numbers give `null`, as in JSON.
pub fn js_number(n: f64) -> String {
    if !n.is_finite() {
        return "null".to_owned();
    }
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        return (n as i64).to_string(); // exact, and the form JS prints for every safe integer
    }
    if n == 0.0 {
        return "0".to_owned();
    }
    shortest(n)
}

/// The host's own conversions of the numbers off the fast paths, for the build that leaves the
/// exact ones out (`ticketwire/lite`): JavaScript's `String(n)` and `Number(text)`.
#[cfg(not(any(feature = "full", not(target_arch = "wasm32"))))]
#[derive(Debug, Clone, Copy)]
pub struct HostNumbers {
    /// `String(n)` of a finite number that is not a safe integer.
    pub print: fn(f64) -> String,
    /// `Number(text)` of a JSON number literal.
    pub read: fn(&str) -> f64,
}

#[cfg(not(any(feature = "full", not(target_arch = "wasm32"))))]
pub use host::use_host_numbers;

#[cfg(not(any(feature = "full", not(target_arch = "wasm32"))))]
mod host {
    use super::HostNumbers;
    use std::cell::Cell;

    thread_local! {
        static HOST: Cell<Option<HostNumbers>> = const { Cell::new(None) };
    }

    /// Hands the numbers off the fast paths to `host` from now on (the host layer does it when
    /// the module starts, before anything can read or write a number).
    pub fn use_host_numbers(host: HostNumbers) {
        HOST.with(|slot| slot.set(Some(host)));
    }

    // Never unset when called: the host layer sets it as the module starts.
    fn host() -> HostNumbers {
        HOST.with(Cell::get).unwrap_or(HostNumbers { print: |_| String::from("null"), read: |_| f64::NAN })
    }

    pub fn read_decimal(literal: &[u8]) -> f64 {
        (host().read)(std::str::from_utf8(literal).unwrap_or("NaN"))
    }

    pub fn shortest(n: f64) -> String {
        (host().print)(n)
    }
}

/// The exact conversions off the fast paths, in Rust: every build's but `ticketwire/lite`'s.
#[cfg(any(feature = "full", not(target_arch = "wasm32")))]
mod exact {
    use std::cmp::Ordering;

    /// Significant digits kept: 768 decide the nearest double in every case; the rest only say
    /// whether the value is a little above the kept ones.
    const MAX_DIGITS: usize = 800;

    /// A JSON number literal off the fast path as the nearest `f64`, ties to even.
    pub fn read_decimal(literal: &[u8]) -> f64 {
        let (negative, rest) = match literal.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, literal),
        };
        let (digits_part, exp_part) = match rest.iter().position(|b| matches!(b, b'e' | b'E')) {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        // The value is int(digits) × 10^exp10, plus a little more when `sticky`.
        let mut digits: Vec<u8> = Vec::new();
        let mut exp10: i64 = 0;
        let mut seen_point = false;
        let mut sticky = false;
        for &b in digits_part {
            match b {
                b'.' => seen_point = true,
                b'0' if digits.is_empty() => exp10 -= i64::from(seen_point),
                digit if digits.len() < MAX_DIGITS => {
                    digits.push(digit - b'0');
                    exp10 -= i64::from(seen_point);
                }
                digit => {
                    sticky |= digit != b'0';
                    exp10 += i64::from(!seen_point);
                }
            }
        }
        let exp_value = exp_part
            .iter()
            .filter(|b| b.is_ascii_digit())
            .fold(0i64, |acc, d| acc.saturating_mul(10).saturating_add(i64::from(d - b'0')));
        exp10 = exp10.saturating_add(if exp_part.first() == Some(&b'-') { -exp_value } else { exp_value });
        while digits.last() == Some(&0) && !sticky {
            digits.pop();
            exp10 = exp10.saturating_add(1);
        }
        let magnitude = positive_decimal(&digits, exp10, sticky);
        if negative {
            -magnitude
        } else {
            magnitude
        }
    }
    fn positive_decimal(digits: &[u8], exp10: i64, sticky: bool) -> f64 {
        const EXACT_POWERS: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
            1e19, 1e20, 1e21, 1e22,
        ];
        if digits.is_empty() {
            return 0.0;
        }
        let magnitude = exp10.saturating_add(digits.len() as i64); // the value is below 10^magnitude
        if magnitude > 310 {
            return f64::INFINITY;
        }
        if magnitude < -324 {
            return 0.0;
        }
        let leading = digits.iter().take(19).fold(0u64, |acc, d| acc * 10 + u64::from(*d));
        let leading_exp = exp10.saturating_add(digits.len().saturating_sub(19) as i64);
        // Clinger: an exact integer times an exact power of ten is correctly rounded.
        if digits.len() <= 19 && !sticky && leading <= 1 << 53 && (-22..=22).contains(&exp10) {
            let power = EXACT_POWERS[exp10.unsigned_abs() as usize];
            return if exp10 < 0 { leading as f64 / power } else { leading as f64 * power };
        }
        // Otherwise a close guess, scaled in steps that stay in range, then moved to the nearest.
        let mut guess = leading as f64;
        let mut exp = leading_exp;
        while exp > 0 {
            let step = exp.min(22);
            guess *= EXACT_POWERS[step as usize];
            exp -= step;
        }
        while exp < 0 {
            let step = (-exp).min(22);
            guess /= EXACT_POWERS[step as usize];
            exp += step;
        }
        nearest(guess.min(f64::MAX), digits, exp10, sticky)
    }

    /// Moves `guess` (a few ulps off at most) to the double nearest the decimal, ties to even.
    fn nearest(mut guess: f64, digits: &[u8], exp10: i64, sticky: bool) -> f64 {
        let decimal = BigUint::from_digits(digits);
        loop {
            let above = compare(&decimal, exp10, sticky, halfway_above(guess));
            if above == Ordering::Greater || (above == Ordering::Equal && is_odd(guess)) {
                guess = if guess == f64::MAX { f64::INFINITY } else { f64::from_bits(guess.to_bits() + 1) };
                if guess.is_infinite() {
                    return guess;
                }
                continue;
            }
            if guess == 0.0 {
                return guess;
            }
            let below = f64::from_bits(guess.to_bits() - 1);
            let under = compare(&decimal, exp10, sticky, halfway_above(below));
            if under == Ordering::Less || (under == Ordering::Equal && is_odd(guess)) {
                guess = below;
                continue;
            }
            return guess;
        }
    }

    fn is_odd(x: f64) -> bool {
        x.to_bits() & 1 == 1
    }

    /// The point halfway between positive finite `x` and the next double up, as `m × 2^e`.
    fn halfway_above(x: f64) -> (u64, i64) {
        let bits = x.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i64;
        let fraction = bits & ((1 << 52) - 1);
        let (mantissa, exp2) = if exponent == 0 { (fraction, -1074) } else { (fraction | 1 << 52, exponent - 1075) };
        (2 * mantissa + 1, exp2 - 1)
    }

    /// Compares `int(digits) × 10^exp10` (a little more when `sticky`) with `m × 2^e`.
    fn compare(decimal: &BigUint, exp10: i64, sticky: bool, (m, e): (u64, i64)) -> Ordering {
        let mut left = decimal.clone();
        let mut right = BigUint::from_u64(m);
        if exp10 >= 0 {
            left.mul_pow10(exp10 as u32);
        } else {
            right.mul_pow10(exp10.unsigned_abs() as u32);
        }
        if e >= 0 {
            right.shl(e as u32);
        } else {
            left.shl(e.unsigned_abs() as u32);
        }
        match left.cmp(&right) {
            Ordering::Equal if sticky => Ordering::Greater,
            order => order,
        }
    }

    /// An unsigned big integer, little-endian in base 2^32: just what [`compare`] needs.
    #[derive(Clone)]
    struct BigUint(Vec<u32>);

    impl BigUint {
        fn from_u64(n: u64) -> Self {
            BigUint(vec![n as u32, (n >> 32) as u32])
        }

        fn from_digits(digits: &[u8]) -> Self {
            let mut n = BigUint(Vec::new());
            for chunk in digits.chunks(9) {
                let value = chunk.iter().fold(0u32, |acc, d| acc * 10 + u32::from(*d));
                n.mul_add(10u32.pow(chunk.len() as u32), value);
            }
            n
        }

        fn mul_add(&mut self, factor: u32, add: u32) {
            let mut carry = u64::from(add);
            for limb in &mut self.0 {
                let product = u64::from(*limb) * u64::from(factor) + carry;
                *limb = product as u32;
                carry = product >> 32;
            }
            if carry > 0 {
                self.0.push(carry as u32);
            }
        }

        fn mul_pow10(&mut self, mut exp: u32) {
            while exp > 0 {
                let step = exp.min(9);
                self.mul_add(10u32.pow(step), 0);
                exp -= step;
            }
        }

        fn shl(&mut self, bits: u32) {
            let (limbs, bits) = ((bits / 32) as usize, bits % 32);
            if bits > 0 {
                let mut carry = 0;
                for limb in &mut self.0 {
                    let shifted = (u64::from(*limb) << bits) | carry;
                    *limb = shifted as u32;
                    carry = shifted >> 32;
                }
                if carry > 0 {
                    self.0.push(carry as u32);
                }
            }
            self.0.splice(0..0, std::iter::repeat_n(0, limbs));
        }

        fn cmp(&self, other: &Self) -> Ordering {
            let trim = |v: &[u32]| v.len() - v.iter().rev().take_while(|l| **l == 0).count();
            let (a, b) = (&self.0[..trim(&self.0)], &other.0[..trim(&other.0)]);
            a.len().cmp(&b.len()).then_with(|| a.iter().rev().cmp(b.iter().rev()))
        }
    }

    /// `n` (finite, not a safe integer, not zero) as JavaScript prints it.
    pub fn shortest(n: f64) -> String {
        // ryu gives the shortest round-trip digits, as "-1.2345e3", "1e-7" or "0.001".
        let mut buffer = ryu::Buffer::new();
        let text = buffer.format_finite(n);
        let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
        let (sign, mantissa) = match mantissa.strip_prefix('-') {
            Some(m) => ("-", m),
            None => ("", mantissa),
        };
        // Where the decimal point sits after the first significant digit, as `{:e}` would say.
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let int = int.trim_start_matches('0');
        let exp: i32 = exp.parse::<i32>().unwrap_or(0)
            + if int.is_empty() {
                -(frac.bytes().take_while(|b| *b == b'0').count() as i32) - 1
            } else {
                int.len() as i32 - 1
            };
        let significant = format!("{int}{frac}");
        let digits = significant.trim_start_matches('0').trim_end_matches('0');
        let k = digits.len() as i32;
        let point = exp + 1; // ECMAScript's n: the value is digits × 10^(point − k)
        let body = if k <= point && point <= 21 {
            format!("{digits}{}", "0".repeat((point - k) as usize))
        } else if 0 < point && point <= 21 {
            let (int, frac) = digits.split_at(point as usize);
            format!("{int}.{frac}")
        } else if -6 < point && point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else {
            let (first, rest) = digits.split_at(1);
            let exp_sign = if point - 1 < 0 { '-' } else { '+' };
            let dot = if rest.is_empty() { "" } else { "." };
            format!("{first}{dot}{rest}e{exp_sign}{}", (point - 1).abs())
        };
        format!("{sign}{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        let cases = [
            (3.0, "3"),
            (30106.0, "30106"),
            (-0.0, "0"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (1e21, "1e+21"),
            (1.2e21, "1.2e+21"),
            (1e20, "100000000000000000000"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (123456789012345680000.0, "123456789012345680000"),
            (9007199254740993.0, "9007199254740992"),
            (f64::NAN, "null"),
            (f64::INFINITY, "null"),
        ];
        for (n, expected) in cases {
            assert_eq!(js_number(n), expected, "{n}");
        }
    }

    #[test]
    fn numbers_parse_exactly_on_the_fast_path() {
        let cases: [(&str, f64); 12] = [
            ("0", 0.0),
            ("-0", -0.0),
            ("3", 3.0),
            ("30106", 30106.0),
            ("-2.25", -2.25),
            ("0.1", 0.1),
            ("1.5e-7", 1.5e-7),
            ("100920000", 100920000.0),
            ("9007199254740991", 9007199254740991.0),
            ("1E+21", 1e21),
            ("123.456e2", 12345.6),
            ("0.000001", 0.000001),
        ];
        for (text, expected) in cases {
            assert_eq!(decimal_to_f64(text.as_bytes()), expected, "{text}");
        }
    }

    #[test]
    fn numbers_off_the_fast_path_are_the_nearest_double_too() {
        let cases: [(&str, f64); 12] = [
            ("1.7976931348623157e308", f64::MAX),
            ("5e-324", 5e-324),
            ("2.4703282292062328e-324", 5e-324),
            ("2.4703282292062327e-324", 0.0),
            ("123456789012345678901234567890", 1.2345678901234568e29),
            ("7777777777777777777777777777777777777777777777777777777", 7.777777777777777e54),
            ("9007199254740993", 9007199254740992.0),
            ("9007199254740993.0000000000000000000000000001", 9007199254740994.0),
            ("2.2250738585072011e-308", 2.225073858507201e-308),
            ("1.00000000000000011102230246251565404236316680908203125", 1.0),
            ("1.00000000000000011102230246251565404236316680908203126", 1.0000000000000002),
            ("1.7976931348623158e308", f64::MAX),
        ];
        for (text, expected) in cases {
            assert_eq!(decimal_to_f64(text.as_bytes()).to_bits(), expected.to_bits(), "{text}");
        }
        assert_eq!(decimal_to_f64(b"1.7976931348623159e308"), f64::INFINITY, "past the halfway to 2^1024");
        assert_eq!(decimal_to_f64(b"1e400"), f64::INFINITY);
        assert_eq!(decimal_to_f64(b"-1e-400").to_bits(), (-0.0f64).to_bits());
        assert_eq!(decimal_to_f64(b"1e99999999999999999999"), f64::INFINITY);
        let long = format!("1.{}1e2", "0".repeat(5_000));
        assert_eq!(decimal_to_f64(long.as_bytes()), 100.0, "thousands of digits, quickly");
    }

    #[test]
    fn every_number_the_writer_prints_reads_back_to_itself() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let n = f64::from_bits(x);
            if n.is_finite() {
                let text = js_number(n);
                assert_eq!(
                    decimal_to_f64(text.as_bytes()).to_bits(),
                    (if n == 0.0 { 0.0 } else { n }).to_bits(),
                    "{text}"
                );
            }
        }
    }

    /// The shortest digits as core's `{:e}` gives them: as short as ryu's. (Where 17 digits are
    /// needed the two may differ in the last one; tests/node checks the choice against V8.)
    fn shortest_digits_by_core_fmt(n: f64) -> (String, i32) {
        let sci = format!("{:e}", n.abs());
        let (mantissa, exp) = sci.split_once('e').unwrap();
        (mantissa.replace('.', ""), exp.parse().unwrap())
    }

    #[test]
    fn the_digits_are_as_short_as_core_fmt_gives_and_read_back() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut checked = 0;
        for i in 0..200_000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Random bit patterns, and numbers of every decimal size with few digits.
            let n = if i % 2 == 0 {
                f64::from_bits(x)
            } else {
                (x % 100_000) as f64 * 10f64.powi((x >> 40) as i32 % 40 - 20)
            };
            if !n.is_finite() || n == 0.0 {
                continue;
            }
            let (digits, exp) = shortest_digits_by_core_fmt(n);
            let printed = js_number(n);
            let significant: String = printed.split('e').next().unwrap().chars().filter(char::is_ascii_digit).collect();
            let significant = significant.trim_start_matches('0').trim_end_matches('0');
            assert_eq!(significant.len(), digits.trim_end_matches('0').len(), "{n:e} printed {printed}");
            assert_eq!(decimal_to_f64(printed.as_bytes()).to_bits(), n.to_bits(), "{n:e} printed {printed}");
            let point: i32 = exp + 1;
            if printed.contains('e') {
                assert!(!(-6 < point && point <= 21), "{n:e} printed {printed}");
            }
            checked += 1;
        }
        assert!(checked > 190_000);
    }
}
