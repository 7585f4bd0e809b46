//! The PIN of a keyring-protected profile: what a new one must look like.
//!
//! The PIN is stretched with Argon2id keyed with the keyring secret
//! (`docs/security.md`, "Unlocking"); these rules only keep officers from
//! choosing the few PINs every guesser tries first.

use super::error::{DeskError, params};

/// Shortest PIN accepted, in characters.
pub const MIN_PIN_LEN: usize = 6;
/// Longest PIN accepted (Argon2 takes any length; this bounds work).
pub const MAX_PIN_LEN: usize = 1024;

/// Checks a PIN chosen at onboarding or at the upgrade of an older
/// profile: at least six characters (digits, or a passphrase), not one
/// character repeated, not a run of consecutive digits up or down.
pub(crate) fn check_new_pin(pin: &str) -> Result<(), DeskError> {
    let count = pin.chars().count();
    if count == 0 {
        return Err(DeskError::invalid_coded(
            "pin",
            "pinMissing",
            "choose a PIN",
        ));
    }
    if count < MIN_PIN_LEN {
        return Err(DeskError::invalid_coded_with(
            "pin",
            "pinTooShort",
            params([("min", MIN_PIN_LEN.into())]),
            format!("the PIN must have at least {MIN_PIN_LEN} digits or characters"),
        ));
    }
    if pin.len() > MAX_PIN_LEN {
        return Err(DeskError::invalid_coded(
            "pin",
            "pinTooLong",
            "the PIN is too long",
        ));
    }
    let first = pin.chars().next();
    if pin.chars().all(|c| Some(c) == first) {
        return Err(DeskError::invalid_coded(
            "pin",
            "pinRepeated",
            "the PIN must not repeat one character",
        ));
    }
    if is_digit_run(pin) {
        return Err(DeskError::invalid_coded(
            "pin",
            "pinSequence",
            "the PIN must not be a run of consecutive digits",
        ));
    }
    Ok(())
}

/// Digits each one more (or each one less) than the one before, wrapping
/// from 9 to 0: "123456", "654321", "789012".
fn is_digit_run(pin: &str) -> bool {
    let digits: Option<Vec<u32>> = pin.chars().map(|c| c.to_digit(10)).collect();
    let Some(digits) = digits else {
        return false;
    };
    let steps = |step: u32| digits.windows(2).all(|w| (w[0] + step) % 10 == w[1]);
    steps(1) || steps(9)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn trivial_pins_are_refused_and_others_accepted() {
        for pin in [
            "", "12345", "000000", "aaaaaaa", "123456", "654321", "7890123",
        ] {
            let error = check_new_pin(pin).unwrap_err();
            assert_eq!(error.to_app_error().field.as_deref(), Some("pin"), "{pin}");
        }
        for pin in ["482913", "112233", "correct horse", "12345a"] {
            check_new_pin(pin).unwrap();
        }
    }
}
