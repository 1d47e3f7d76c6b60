//! Civil dates as day counts: the proleptic Gregorian calendar's arithmetic (Howard Hinnant's
//! `days_from_civil` and `civil_from_days`), exact for every `i64` day count the callers pass.
//!
//! The one owner of this arithmetic: Liquid's dates (Pacific time's rules, `date` parsing), the
//! engine's timestamps (Conversations' ISO 8601 and a call's RFC 2822 dates) and the flow tests'
//! times all count days with it. It lives here because this is the lowest crate of the three.

/// Days since 1970-01-01 of the civil date `y`-`m`-`d` (`m` 1–12, `d` 1–31; a day past the
/// month's end counts on into the next month).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month 1–12, day 1–31)` of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
        assert_eq!(civil_from_days(days_from_civil(-1, 12, 31) + 1), (0, 1, 1));
        // 2026-11-30, a Monday: 1970-01-01 was a Thursday.
        let today = days_from_civil(2026, 11, 30);
        assert_eq!(today, 20_787);
        assert_eq!((today + 4).rem_euclid(7), 1);
    }

    #[test]
    fn every_day_of_twelve_centuries_round_trips_in_order() {
        let mut expected = days_from_civil(1200, 1, 1);
        for y in 1200..2400 {
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            for m in 1..=12 {
                let len = match m {
                    2 if leap => 29,
                    2 => 28,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                for d in 1..=len {
                    assert_eq!(days_from_civil(y, m, d), expected, "{y}-{m}-{d}");
                    assert_eq!(civil_from_days(expected), (y, m, d));
                    expected += 1;
                }
            }
        }
    }
}
