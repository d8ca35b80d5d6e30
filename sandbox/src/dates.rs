//! The sandbox's own reading of the dates its endpoints take (CONTRACT §0 *ISO date*, *one
//! year*): `YYYY-MM-DD` or an RFC 3339 date-time, on a real calendar day.

use regex::Regex;
use std::sync::OnceLock;

/// Nanoseconds since the Unix epoch of `text`, or `None` when it is not an ISO date (or
/// date-time, when `date_only_too` is off, a date-time only).
pub fn parse(text: &str, date_only_too: bool) -> Option<i128> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    let iso = ISO.get_or_init(|| {
        Regex::new(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2})))?$")
            .expect("the ISO date pattern compiles")
    });
    let c = iso.captures(text)?;
    let n = |i: usize| c.get(i).map_or(0, |m| m.as_str().parse::<i64>().unwrap_or(-1));
    let (year, month, day) = (n(1), n(2), n(3));
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let midnight = i128::from(days_from_civil(year, month, day)) * 86_400 * 1_000_000_000;
    if c.get(4).is_none() {
        return date_only_too.then_some(midnight);
    }
    let (hour, minute, second) = (n(4), n(5), n(6));
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let fraction = c.get(7).map_or("", |m| m.as_str());
    let nanos: i128 = format!("{:0<9}", &fraction[..fraction.len().min(9)]).parse().unwrap_or(0);
    let offset = match c.get(9).map(|m| m.as_str()) {
        None => 0,
        Some(sign) => {
            let (oh, om) = (n(10), n(11));
            if oh > 23 || om > 59 {
                return None;
            }
            let minutes = oh * 60 + om;
            if sign == "+" {
                minutes
            } else {
                -minutes
            }
        }
    };
    let seconds = i128::from(hour * 3600 + minute * 60 + second - offset * 60);
    Some(midnight + seconds * 1_000_000_000 + nanos)
}

/// The same UTC wall-clock moment one calendar year later; from 29 February, 28 February.
pub fn one_year_after(nanos: i128) -> i128 {
    let day_ns: i128 = 86_400 * 1_000_000_000;
    let days = nanos.div_euclid(day_ns);
    let (year, month, day) = civil_from_days(days as i64);
    let day = if month == 2 && day == 29 { 28 } else { day };
    i128::from(days_from_civil(year + 1, month, day)) * day_ns + nanos.rem_euclid(day_ns)
}

/// Unix milliseconds as JavaScript's `toISOString` writes them.
pub fn format_millis(ms: i64) -> String {
    let (days, in_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (year, month, day) = civil_from_days(days);
    let (h, m, s, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (if month <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times_on_real_days() {
        let second = 1_000_000_000i128;
        assert_eq!(parse("1970-01-02", true), Some(86_400 * second));
        assert_eq!(parse("1970-01-02", false), None);
        assert_eq!(parse("1970-01-01T01:00:00.5+01:00", false), Some(second / 2));
        assert_eq!(parse("2026-02-30", true), None);
        assert_eq!(parse("2024-02-29T00:00:00Z", false).map(one_year_after), parse("2025-02-28T00:00:00Z", false));
        assert_eq!(parse("2026-01-01T24:00:00Z", false), None);
        assert_eq!(parse("2026-01-01 10:00:00Z", false), None);
        assert_eq!(format_millis(1_778_760_000_123), "2026-05-14T12:00:00.123Z");
        assert_eq!(parse(&format_millis(-1), false), Some(-1_000_000));
    }
}
