//! A header given on its own as `Name: value` (a flag, a form field), read one way by every
//! tool that takes one.

/// A header line that is not `Name: value`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the header '{0}' is not 'Name: value'")]
pub struct HeaderError(pub String);

crate::error_kind::bad_input!(HeaderError);

/// `text` as a (name, value) pair, both trimmed; the name may not be empty.
pub fn parse_header(text: &str) -> Result<(String, String), HeaderError> {
    text.split_once(':')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| HeaderError(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_and_value_are_trimmed_and_the_name_is_required() {
        assert_eq!(
            parse_header(" X-Api-Key :  a:b "),
            Ok(("X-Api-Key".into(), "a:b".into()))
        );
        assert_eq!(
            parse_header("Accept:"),
            Ok(("Accept".into(), String::new()))
        );
        assert!(parse_header(": v").is_err());
        assert!(parse_header("no colon").is_err());
    }
}
