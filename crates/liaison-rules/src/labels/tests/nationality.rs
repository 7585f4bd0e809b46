use super::super::{Nationality, NationalityError};

#[test]
fn three_uppercase_letters_parse_and_display_unchanged() {
    let fra: Nationality = "FRA".parse().unwrap();
    assert_eq!(fra.as_str(), "FRA");
    assert_eq!(fra.to_string(), "FRA");
    assert_eq!(String::from(fra), "FRA");
}

#[test]
fn lowercase_or_digits_are_refused() {
    assert_eq!(
        Nationality::new("fra"),
        Err(NationalityError::NotUppercaseLetter)
    );
    for code in ["F1A", "ÉT", "FR "] {
        assert_eq!(
            Nationality::new(code),
            Err(NationalityError::NotUppercaseLetter),
            "{code}"
        );
    }
}

#[test]
fn codes_of_other_lengths_are_refused() {
    for code in ["", "FR", "FRAN", "ÉTA"] {
        assert_eq!(
            Nationality::new(code),
            Err(NationalityError::WrongLength),
            "{code}"
        );
    }
}

#[test]
fn codes_order_alphabetically() {
    let mut codes: Vec<Nationality> = ["USA", "DEU", "GBR", "AUS"]
        .into_iter()
        .map(|c| c.parse().unwrap())
        .collect();
    codes.sort();
    let sorted: Vec<&str> = codes.iter().map(Nationality::as_str).collect();
    assert_eq!(sorted, ["AUS", "DEU", "GBR", "USA"]);
}

#[test]
fn serde_writes_a_string_and_checks_it_when_reading() {
    let gbr: Nationality = "GBR".parse().unwrap();
    assert_eq!(serde_json::to_string(&gbr).unwrap(), "\"GBR\"");
    let back: Nationality = serde_json::from_str("\"GBR\"").unwrap();
    assert_eq!(back, gbr);
    assert!(serde_json::from_str::<Nationality>("\"gbr\"").is_err());
    assert!(serde_json::from_str::<Nationality>("\"GBRX\"").is_err());
    assert!(serde_json::from_str::<Nationality>("826").is_err());
}
