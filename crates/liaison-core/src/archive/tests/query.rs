//! Parsing what the user types into a search.

use crate::archive::{
    MAX_SEARCH_LIMIT, MAX_SEARCH_TERMS, MAX_SEARCH_TEXT, SearchError, SearchQuery, SearchText,
};

fn expression(text: &str) -> String {
    SearchText::parse(text).unwrap().fts_expression()
}

#[test]
fn every_word_is_quoted_and_all_must_match() {
    assert_eq!(expression("convoy bridge"), r#""convoy" AND "bridge""#);
}

#[test]
fn a_trailing_star_is_a_prefix_and_nothing_else_is_syntax() {
    assert_eq!(expression("conv*"), r#""conv"*"#);
    assert_eq!(expression("conv**"), r#""conv"*"#);
    assert_eq!(expression("a*b"), r#""a*b""#);
    assert_eq!(
        expression(r#"NEAR(a b) OR body:x "quoted" ^start -no"#),
        r#""NEAR(a" AND "b)" AND "OR" AND "body:x" AND """quoted""" AND "^start" AND "-no""#
    );
}

#[test]
fn words_without_letters_or_digits_are_ignored() {
    assert_eq!(
        expression("convoy -- !! bridge"),
        r#""convoy" AND "bridge""#
    );
    assert_eq!(SearchText::parse("*"), Err(SearchError::NoSearchableWords));
    assert_eq!(
        SearchText::parse("\"\" ( )"),
        Err(SearchError::NoSearchableWords)
    );
}

#[test]
fn control_characters_separate_words() {
    assert_eq!(
        expression("convoy\0bridge\u{7}"),
        r#""convoy" AND "bridge""#
    );
}

#[test]
fn empty_text_parses_to_no_words() {
    assert!(SearchText::parse("  \t ").unwrap().is_empty());
}

#[test]
fn too_long_or_too_many_words_are_refused() {
    let long = "a".repeat(MAX_SEARCH_TEXT + 1);
    assert_eq!(SearchText::parse(&long), Err(SearchError::TooLong));
    let many = vec!["w"; MAX_SEARCH_TERMS + 1].join(" ");
    assert_eq!(SearchText::parse(&many), Err(SearchError::TooManyTerms));
    let enough = vec!["w"; MAX_SEARCH_TERMS].join(" ");
    assert!(SearchText::parse(&enough).is_ok());
}

#[test]
fn limits_and_ranges_are_checked_when_built() {
    let query = SearchQuery::new("convoy").unwrap();
    assert_eq!(query.clone().with_limit(0), Err(SearchError::BadLimit));
    assert_eq!(
        query.clone().with_limit(MAX_SEARCH_LIMIT + 1),
        Err(SearchError::BadLimit)
    );
    assert!(query.clone().with_limit(MAX_SEARCH_LIMIT).is_ok());
    assert_eq!(
        query.clone().with_sent_between(Some(10), Some(9)),
        Err(SearchError::InvertedRange)
    );
    assert!(query.with_sent_between(Some(9), Some(9)).is_ok());
}
