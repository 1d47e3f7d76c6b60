//! Math filters with Ruby Liquid's number rules: strings are numbers when they look like one,
//! integer division floors, and float results are rounded the way Ruby's `BigDecimal` would
//! print them (`0.1 | plus: 0.2` is `0.3`).

use liquid_core::model::Value;
use liquid_core::Result;

use liquid_core::model::ValueView;

use super::Call;
use crate::error::render_error;
use crate::value::{kind, kind_number, Kind, Num};

/// A value as a number, charging the work of reading a string first.
fn num(call: &Call<'_>, v: &dyn ValueView) -> Result<Num> {
    let k = kind(v);
    if let Kind::Str(s) = &k {
        call.charge(s.len() as u64)?;
    }
    Ok(kind_number(&k))
}

fn input(call: &Call<'_>) -> Result<Num> {
    num(call, call.input)
}

fn arg(call: &Call<'_>) -> Result<Num> {
    match call.arg(0) {
        Some(v) => num(call, v),
        None => Ok(Num::Int(0)),
    }
}

/// Rounds a float result to 15 significant digits, which removes binary noise such as
/// `0.30000000000000004` the way Ruby Liquid's decimal arithmetic does.
fn decimal(f: f64) -> f64 {
    if !f.is_finite() || f == 0.0 {
        return f;
    }
    format!("{f:.14e}").parse().unwrap_or(f)
}

fn arith(a: Num, b: Num, int: fn(i64, i64) -> Option<i64>, float: fn(f64, f64) -> f64) -> Value {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => match int(x, y) {
            Some(r) => Value::scalar(r),
            None => Value::scalar(float(x as f64, y as f64)),
        },
        _ => Value::scalar(decimal(float(a.to_f64(), b.to_f64()))),
    }
}

pub(super) fn plus(call: &Call<'_>) -> Result<Value> {
    Ok(arith(input(call)?, arg(call)?, i64::checked_add, |x, y| {
        x + y
    }))
}

pub(super) fn minus(call: &Call<'_>) -> Result<Value> {
    Ok(arith(input(call)?, arg(call)?, i64::checked_sub, |x, y| {
        x - y
    }))
}

pub(super) fn times(call: &Call<'_>) -> Result<Value> {
    Ok(arith(input(call)?, arg(call)?, i64::checked_mul, |x, y| {
        x * y
    }))
}

pub(super) fn divided_by(call: &Call<'_>) -> Result<Value> {
    let (a, b) = (input(call)?, arg(call)?);
    if b.to_f64() == 0.0 {
        return Err(render_error("divided by 0"));
    }
    Ok(match (a, b) {
        (Num::Int(x), Num::Int(y)) => match x.checked_div_euclid(y) {
            // Ruby's integer division floors.
            Some(_) => Value::scalar(x.div_euclid(y) - i64::from(y < 0 && x.rem_euclid(y) != 0)),
            None => Value::scalar(x as f64 / y as f64),
        },
        _ => Value::scalar(a.to_f64() / b.to_f64()),
    })
}

pub(super) fn modulo(call: &Call<'_>) -> Result<Value> {
    let (a, b) = (input(call)?, arg(call)?);
    if b.to_f64() == 0.0 {
        return Err(render_error("divided by 0"));
    }
    Ok(match (a, b) {
        (Num::Int(x), Num::Int(y)) => match x.checked_rem(y) {
            Some(r) => Value::scalar(if r != 0 && (r < 0) != (y < 0) {
                r + y
            } else {
                r
            }),
            None => Value::scalar(0),
        },
        _ => {
            let (x, y) = (a.to_f64(), b.to_f64());
            let r = x % y;
            Value::scalar(decimal(if r != 0.0 && (r < 0.0) != (y < 0.0) {
                r + y
            } else {
                r
            }))
        }
    })
}

pub(super) fn abs(call: &Call<'_>) -> Result<Value> {
    Ok(match input(call)? {
        Num::Int(i) => i
            .checked_abs()
            .map_or(Value::scalar((i as f64).abs()), Value::scalar),
        Num::Float(f) => Value::scalar(f.abs()),
    })
}

fn to_int(f: f64) -> Value {
    if f.is_finite() && f.abs() < 9.2e18 {
        Value::scalar(f as i64)
    } else {
        Value::scalar(f)
    }
}

pub(super) fn ceil(call: &Call<'_>) -> Result<Value> {
    Ok(match input(call)? {
        Num::Int(i) => Value::scalar(i),
        Num::Float(f) => to_int(f.ceil()),
    })
}

pub(super) fn floor(call: &Call<'_>) -> Result<Value> {
    Ok(match input(call)? {
        Num::Int(i) => Value::scalar(i),
        Num::Float(f) => to_int(f.floor()),
    })
}

pub(super) fn round(call: &Call<'_>) -> Result<Value> {
    let digits = match call.arg(0).map(|v| num(call, v)).transpose()? {
        None => 0,
        Some(Num::Int(d)) => d,
        Some(Num::Float(d)) => d as i64,
    };
    let digits = digits.clamp(-20, 20);
    Ok(match input(call)? {
        Num::Int(i) if digits >= 0 => Value::scalar(i),
        Num::Int(i) => {
            let p = 10f64.powi(-digits as i32);
            to_int(((i as f64) / p).round() * p)
        }
        Num::Float(f) if digits <= 0 => {
            // Ruby gives an integer when rounding to zero or fewer decimal places.
            let p = 10f64.powi(-digits as i32);
            to_int((f / p).round() * p)
        }
        Num::Float(f) => {
            // Round on the decimal representation to avoid 2.675 → 2.67.
            let p = 10f64.powi(digits as i32);
            let scaled = decimal(f * p);
            Value::scalar(decimal(scaled.round() / p))
        }
    })
}

pub(super) fn at_least(call: &Call<'_>) -> Result<Value> {
    let (a, b) = (input(call)?, arg(call)?);
    Ok(if a.to_f64() < b.to_f64() { b } else { a }.into_value())
}

pub(super) fn at_most(call: &Call<'_>) -> Result<Value> {
    let (a, b) = (input(call)?, arg(call)?);
    Ok(if a.to_f64() > b.to_f64() { b } else { a }.into_value())
}
