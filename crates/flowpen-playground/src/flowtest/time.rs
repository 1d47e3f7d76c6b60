//! Times and durations as test files write them: `2026-01-05T17:00:00Z` (UTC, or with an offset
//! like `+02:00`; a date alone is midnight UTC) and `30s`, `1500ms`, `5m`, `2h`, `1m30s`.

use flowpen_liquid::calendar::{civil_from_days, days_from_civil};

fn number(s: &str, digits: usize) -> Option<i64> {
    (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Unix milliseconds of `YYYY-MM-DD[THH:MM[:SS[.fff]](Z|±HH:MM)]`, years 1970 to 9999.
pub(crate) fn parse_time_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    let (date, rest) = match text.find(['T', 't', ' ']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let y = number(parts.next()?, 4)?;
    let m = number(parts.next()?, 2)?;
    let d = number(parts.next()?, 2)?;
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) || y < 1970 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    if civil_from_days(days) != (y, m, d) {
        return None;
    }
    let mut ms = days * 86_400_000;
    if let Some(rest) = rest {
        let (clock, offset_min) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
            (c, 0)
        } else {
            let i = rest.rfind(['+', '-'])?;
            let sign = if rest.as_bytes()[i] == b'-' { -1 } else { 1 };
            let (oh, om) = rest[i + 1..].split_once(':')?;
            let (oh, om) = (number(oh, 2)?, number(om, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            (&rest[..i], sign * (oh * 60 + om))
        };
        let (hms, frac) = match clock.split_once('.') {
            Some((a, b)) => (a, Some(b)),
            None => (clock, None),
        };
        let mut hms = hms.split(':');
        let h = number(hms.next()?, 2)?;
        let mi = number(hms.next()?, 2)?;
        let s = match hms.next() {
            Some(s) => number(s, 2)?,
            None => 0,
        };
        if hms.next().is_some() || h > 23 || mi > 59 || s > 59 {
            return None;
        }
        let frac_ms = match frac {
            None => 0,
            Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
                let padded = format!("{f:0<3}");
                padded[..3].parse::<i64>().ok()?
            }
            Some(_) => return None,
        };
        ms += ((h * 60 + mi) * 60 + s) * 1000 + frac_ms - offset_min * 60_000;
    }
    u64::try_from(ms)
        .ok()
        .filter(|ms| *ms < 253_402_300_800_000)
}

/// `2026-01-05T17:00:00Z` (milliseconds shown only when there are some).
pub(crate) fn format_time(ms: u64) -> String {
    let ms = ms as i64;
    let (days, in_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, f) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    if f == 0 {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{f:03}Z")
    }
}

/// Milliseconds of `30s`, `1500ms`, `5m`, `2h`, `1m30s`, `1.5s` (a bare number is seconds).
pub(crate) fn parse_duration_ms(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    if let Ok(s) = t.parse::<f64>() {
        return (0.0..1e12)
            .contains(&s)
            .then(|| (s * 1000.0).round() as u64);
    }
    let mut total: u64 = 0;
    let mut rest = t;
    while !rest.is_empty() {
        let n_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (n, tail) = rest.split_at(n_len);
        let value: f64 = n.parse().ok()?;
        let u_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(u_len);
        let scale = match unit.trim() {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" | "min" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => return None,
        };
        let part = value * scale;
        if !part.is_finite() || part >= 1e15 {
            return None;
        }
        total = total.checked_add(part.round() as u64)?;
        rest = tail.trim_start();
    }
    Some(total)
}

/// A duration as the writer puts it: `11s`, `1500ms`, `5m`.
pub(crate) fn format_duration(ms: u64) -> String {
    if ms.is_multiple_of(60_000) && ms > 0 {
        format!("{}m", ms / 60_000)
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::{format_duration, format_time, parse_duration_ms, parse_time_ms};

    #[test]
    fn times_round_trip() {
        for text in [
            "2026-01-05T17:00:00Z",
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59.123Z",
            "9999-12-31T23:59:59Z",
        ] {
            let ms = parse_time_ms(text).expect(text);
            assert_eq!(format_time(ms), text);
        }
        assert_eq!(parse_time_ms("1970-01-01T00:00:01Z"), Some(1000));
        assert_eq!(
            parse_time_ms("2026-01-05T19:00:00+02:00"),
            parse_time_ms("2026-01-05T17:00:00Z")
        );
        assert_eq!(
            parse_time_ms("2026-01-05"),
            parse_time_ms("2026-01-05T00:00:00Z")
        );
        for bad in [
            "2026-02-30T00:00:00Z",
            "2026-13-01",
            "26-01-05",
            "2026-01-05T25:00:00Z",
            "1969-12-31T23:59:59Z",
            "tomorrow",
            "2026-01-05T17:00:00",
        ] {
            assert_eq!(parse_time_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_read_and_write() {
        assert_eq!(parse_duration_ms("30s"), Some(30_000));
        assert_eq!(parse_duration_ms("1500ms"), Some(1500));
        assert_eq!(parse_duration_ms("1m30s"), Some(90_000));
        assert_eq!(parse_duration_ms("2h"), Some(7_200_000));
        assert_eq!(parse_duration_ms("1.5s"), Some(1500));
        assert_eq!(parse_duration_ms("12"), Some(12_000));
        assert_eq!(parse_duration_ms("soon"), None);
        assert_eq!(parse_duration_ms("5x"), None);
        assert_eq!(parse_duration_ms(""), None);
        assert_eq!(parse_duration_ms("99999999999999999999h"), None);
        for ms in [11_000, 1500, 300_000, 0] {
            assert_eq!(parse_duration_ms(&format_duration(ms)), Some(ms));
        }
    }
}
