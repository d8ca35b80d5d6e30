//! ISO 8601 dates: `YYYY-MM-DD` or an RFC 3339 date-time, as instants that can be compared.

/// A point in time: whole seconds since 1970-01-01T00:00:00Z and the nanoseconds after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    /// Seconds since the Unix epoch (negative before it).
    pub secs: i64,
    /// Nanoseconds past `secs`.
    pub nanos: u32,
}

/// Parses `YYYY-MM-DD` (when `allow_date` is set; it means midnight UTC, as in JavaScript)
/// or an RFC 3339 date-time with `Z` or an offset. Impossible dates (`2026-02-30`) are `None`.
pub fn parse(text: &str, allow_date: bool) -> Option<Instant> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        digits.iter().try_fold(0i64, |acc, d| d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0')))
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let midnight = days_from_civil(year, month, day) * 86_400;
    if b.len() == 10 {
        return allow_date.then_some(Instant { secs: midnight, nanos: 0 });
    }
    if !matches!(b[10], b'T' | b't') || b.len() < 20 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut pos = 19;
    let mut nanos = 0u32;
    if b[pos] == b'.' {
        let start = pos + 1;
        pos = start;
        while b.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        if pos == start {
            return None;
        }
        // Nanosecond precision: later digits cannot change an ordering that matters here.
        for i in 0..9 {
            let digit = if start + i < pos { u32::from(b[start + i] - b'0') } else { 0 };
            nanos = nanos * 10 + digit;
        }
    }
    let offset = match b.get(pos)? {
        b'Z' | b'z' if pos + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if pos + 6 == b.len() && b[pos + 3] == b':' => {
            let (oh, om) = (num(pos + 1..pos + 3)?, num(pos + 4..pos + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let seconds = oh * 3600 + om * 60;
            if *sign == b'+' {
                seconds
            } else {
                -seconds
            }
        }
        _ => return None,
    };
    Some(Instant { secs: midnight + hour * 3600 + minute * 60 + second - offset, nanos })
}

/// The same wall-clock moment one calendar year later, in UTC; 29 February gives 28 February.
pub fn one_year_after(at: Instant) -> Instant {
    let days = at.secs.div_euclid(86_400);
    let time_of_day = at.secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let day = if month == 2 && day == 29 { 28 } else { day };
    Instant { secs: days_from_civil(year + 1, month, day) * 86_400 + time_of_day, nanos: at.nanos }
}

/// The instant as RFC 3339 in UTC with milliseconds, as JavaScript's `toISOString` writes it.
pub fn format_utc(at: Instant) -> String {
    let days = at.secs.div_euclid(86_400);
    let time = at.secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let millis = at.nanos / 1_000_000;
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z", time / 3600, time % 3600 / 60, time % 60)
}

/// The instant `millis` after the Unix epoch.
pub fn from_unix_millis(millis: i64) -> Instant {
    Instant { secs: millis.div_euclid(1000), nanos: (millis.rem_euclid(1000) * 1_000_000) as u32 }
}

/// Milliseconds since the Unix epoch (sub-millisecond digits dropped).
pub fn to_unix_millis(at: Instant) -> i64 {
    at.secs * 1000 + i64::from(at.nanos / 1_000_000)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (the inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> i64 {
        parse(text, true).unwrap().secs
    }

    #[test]
    fn dates_and_date_times_become_utc_instants() {
        assert_eq!(secs("1970-01-01"), 0);
        assert_eq!(secs("2026-01-01"), 1_767_225_600);
        assert_eq!(secs("2026-01-01T00:00:00Z"), 1_767_225_600);
        assert_eq!(secs("2026-01-01T00:00:00.000Z"), 1_767_225_600);
        assert_eq!(secs("2026-01-01t01:00:00+01:00"), 1_767_225_600);
        assert_eq!(secs("2025-12-31T19:00:00-05:00"), 1_767_225_600);
        assert_eq!(parse("2026-01-01T00:00:00.5Z", false).unwrap().nanos, 500_000_000);
        assert_eq!(secs("1969-12-31T23:59:59Z"), -1);
    }

    #[test]
    fn impossible_or_malformed_dates_are_rejected() {
        for bad in [
            "2026-02-30",
            "2026-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-1-01",
            "20260101",
            "2026-01-01T24:00:00Z",
            "2026-01-01T00:60:00Z",
            "2026-01-01T00:00:60Z",
            "2026-01-01T00:00:00",
            "2026-01-01 00:00:00Z",
            "2026-01-01T00:00:00.Z",
            "2026-01-01T00:00:00+0100",
            "2026-01-01T00:00:00+24:00",
            "2026-01-01Z",
            "yesterday",
            "",
        ] {
            assert_eq!(parse(bad, true), None, "{bad}");
        }
        assert!(parse("2024-02-29", true).is_some(), "a leap day");
    }

    #[test]
    fn a_plain_date_is_refused_where_a_date_time_is_required() {
        assert_eq!(parse("2026-01-01", false), None);
        assert!(parse("2026-01-01T10:00:00Z", false).is_some());
    }

    #[test]
    fn instants_format_as_to_iso_string_does_and_round_trip() {
        assert_eq!(format_utc(from_unix_millis(0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_utc(from_unix_millis(1_773_570_600_250)), "2026-03-15T10:30:00.250Z");
        assert_eq!(format_utc(from_unix_millis(-1)), "1969-12-31T23:59:59.999Z");
        let at = parse("2024-02-29T23:59:59.999Z", false).unwrap();
        assert_eq!(format_utc(at), "2024-02-29T23:59:59.999Z");
        assert_eq!(from_unix_millis(to_unix_millis(at)), at);
    }

    #[test]
    fn one_year_later_is_the_same_calendar_moment_and_29_february_gives_28() {
        let at = |t: &str| parse(t, true).unwrap();
        assert_eq!(one_year_after(at("2026-01-01")), at("2027-01-01"));
        assert_eq!(one_year_after(at("2026-03-15T10:30:00.25Z")), at("2027-03-15T10:30:00.25Z"));
        assert_eq!(one_year_after(at("2024-02-29T12:00:00Z")), at("2025-02-28T12:00:00Z"));
        assert_eq!(one_year_after(at("2027-03-01")), at("2028-03-01"));
    }
}
