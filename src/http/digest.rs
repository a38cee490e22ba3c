//! HTTP Digest authentication (RFC 7616): the answer to a server's `WWW-Authenticate:
//! Digest` challenge, computed by the digest_auth crate. The password never leaves the
//! machine, only a hash bound to the server's nonce, the method and the URI.

use digest_auth::{AlgorithmType, AuthContext, HttpMethod, WwwAuthenticateHeader};

/// The user and password a Digest challenge is answered with (variables resolved).
#[derive(Clone, PartialEq, Eq)]
pub struct DigestCredentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for DigestCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DigestCredentials({}, ••••••)", self.username)
    }
}

/// The strongest Digest challenge among a response's `WWW-Authenticate` values, as curl
/// chooses: SHA-512-256, then SHA-256, then MD5. None when no value is a Digest challenge
/// apiward can read.
fn strongest(challenges: &[&str]) -> Option<WwwAuthenticateHeader> {
    let strength = |c: &WwwAuthenticateHeader| match c.algorithm.algo {
        AlgorithmType::SHA2_512_256 => 3,
        AlgorithmType::SHA2_256 => 2,
        AlgorithmType::MD5 => 1,
    };
    challenges
        .iter()
        .filter_map(|value| {
            let value = value.trim();
            let scheme = value.split_whitespace().next()?;
            scheme
                .eq_ignore_ascii_case("digest")
                .then(|| WwwAuthenticateHeader::parse(&value[scheme.len()..]).ok())
                .flatten()
        })
        .max_by_key(strength)
}

/// The `Authorization` value answering the response's challenge for `method` on `uri` (the
/// request target: path and query). `cnonce` is fixed only by tests.
pub fn answer(
    credentials: &DigestCredentials,
    challenges: &[&str],
    method: &str,
    uri: &str,
    cnonce: Option<&str>,
) -> Option<String> {
    let mut challenge = strongest(challenges)?;
    let mut context = AuthContext::new_with_method(
        credentials.username.as_str(),
        credentials.password.as_str(),
        uri,
        // No body: with one, the crate picks auth-int where offered; curl answers "auth".
        None::<&[u8]>,
        HttpMethod(method.into()),
    );
    if let Some(cnonce) = cnonce {
        context.set_custom_cnonce(cnonce);
    }
    challenge
        .respond(&context)
        .ok()
        .map(|header| header.to_header_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
    const CHALLENGE: &str = r#"realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
    const CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    fn mufasa() -> DigestCredentials {
        DigestCredentials {
            username: "Mufasa".into(),
            password: "Circle of Life".into(),
        }
    }

    fn response_of(header: &str) -> &str {
        let at = header.find("response=\"").unwrap() + "response=\"".len();
        &header[at..at + header[at..].find('"').unwrap()]
    }

    #[test]
    fn the_rfc_7616_examples_are_answered_exactly() {
        let md5 = format!("Digest {CHALLENGE}, algorithm=MD5");
        let sha = format!("Digest {CHALLENGE}, algorithm=SHA-256");
        let got = answer(&mufasa(), &[&md5], "GET", "/dir/index.html", Some(CNONCE)).unwrap();
        assert_eq!(response_of(&got), "8ca523f5e9506fed4657c9700eebdbec");
        assert!(
            got.contains("nc=00000001") && got.contains("qop=auth"),
            "{got}"
        );
        // Offered both, the stronger is chosen.
        let got = answer(
            &mufasa(),
            &["Basic realm=\"x\"", &md5, &sha],
            "GET",
            "/dir/index.html",
            Some(CNONCE),
        )
        .unwrap();
        assert_eq!(
            response_of(&got),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
    }

    #[test]
    fn no_digest_challenge_means_no_answer() {
        assert_eq!(
            answer(&mufasa(), &["Basic realm=\"x\""], "GET", "/", None),
            None
        );
        assert_eq!(
            answer(&mufasa(), &["Digest nonsense"], "GET", "/", None),
            None
        );
        assert!(!format!("{:?}", mufasa()).contains("Circle"));
    }
}
