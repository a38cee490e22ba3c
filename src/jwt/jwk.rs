//! One typed JSON Web Key (RFC 7517), with the members of RSA, EC and oct keys (RFC 7518 §6)
//! and OKP keys (RFC 8037 §2). Verifying, signing, forging, the keyring, JWKS checks and
//! thumbprints all read keys through it; members it does not name are kept as they came, so
//! a JWK read and written again loses nothing.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::b64;

/// The JWK struct and its member table, from one list: each named member is a field, and
/// [`Jwk::get`] and the reader find it by its JSON name.
macro_rules! jwk_members {
    ($($(#[$doc:meta])* $field:ident = $name:literal,)*) => {
        /// A JWK. Every member is optional to the type: which ones a key needs depends on its
        /// `kty`, and the code that uses a key asks for them by name and says which is missing.
        /// A named member that is not a string is kept in `other`, as a reader that asks for a
        /// string would not find it either.
        #[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(from = "Map<String, Value>")]
        pub struct Jwk {
            $(
                $(#[$doc])*
                #[serde(rename = $name, skip_serializing_if = "Option::is_none")]
                pub $field: Option<String>,
            )*
            /// Every other member (`key_ops`, `x5c`, `oth`, a vendor's own), as it came.
            #[serde(flatten)]
            pub other: Map<String, Value>,
        }

        impl Jwk {
            /// A member by its JSON name, when it is a string.
            pub fn get(&self, name: &str) -> Option<&str> {
                match name {
                    $($name => self.$field.as_deref(),)*
                    other => self.other.get(other).and_then(Value::as_str),
                }
            }

            fn slot(&mut self, name: &str) -> Option<&mut Option<String>> {
                match name {
                    $($name => Some(&mut self.$field),)*
                    _ => None,
                }
            }
        }
    };
}

jwk_members! {
    /// The key type: `RSA`, `EC`, `OKP` or `oct`.
    kty = "kty",
    crv = "crv",
    /// RSA modulus and exponent.
    n = "n",
    e = "e",
    /// EC and OKP public coordinates.
    x = "x",
    y = "y",
    /// Private: the EC/OKP scalar or RSA private exponent, the RSA primes and CRT values, and
    /// an oct key's secret.
    d = "d",
    p = "p",
    q = "q",
    dp = "dp",
    dq = "dq",
    qi = "qi",
    k = "k",
    kid = "kid",
    alg = "alg",
    use_ = "use",
}

impl From<Map<String, Value>> for Jwk {
    fn from(members: Map<String, Value>) -> Self {
        let mut jwk = Jwk::default();
        for (name, value) in members {
            match (jwk.slot(&name), value) {
                (Some(slot), Value::String(text)) => *slot = Some(text),
                (_, value) => {
                    jwk.other.insert(name, value);
                }
            }
        }
        jwk
    }
}

impl fmt::Debug for Jwk {
    // Private members are secrets: only their presence is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwk")
            .field("kty", &self.kty)
            .field("crv", &self.crv)
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("private", &!self.private_members().is_empty())
            .finish_non_exhaustive()
    }
}

impl Jwk {
    /// A JWK from parsed JSON, which must be an object.
    pub fn from_value(value: &Value) -> Result<Self, String> {
        match value {
            Value::Object(members) => Ok(Jwk::from(members.clone())),
            _ => Err("a JWK is a JSON object".into()),
        }
    }

    /// A JWK from JSON text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| format!("the JWK is not valid JSON: {e}"))?;
        Self::from_value(&value)
    }

    /// The JWK as JSON.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or_else(|_| Value::Object(Map::new()))
    }

    /// The key type, or "" when the JWK names none.
    pub fn kty(&self) -> &str {
        self.kty.as_deref().unwrap_or("")
    }

    /// The curve, or "" when the JWK names none.
    pub fn crv(&self) -> &str {
        self.crv.as_deref().unwrap_or("")
    }

    /// A base64url member, decoded (padding and the standard alphabet tolerated), or a
    /// sentence saying it is missing or why it does not decode. The bytes are wiped when
    /// dropped, since private members are key material.
    pub fn member(&self, name: &str) -> Result<Zeroizing<Vec<u8>>, String> {
        let text = self
            .get(name)
            .ok_or_else(|| format!("the JWK has no '{name}' member"))?;
        b64::decode_lenient(text)
            .map(|l| Zeroizing::new(l.bytes))
            .map_err(|why| format!("JWK member '{name}': {why}"))
    }

    /// The private members this JWK carries (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2).
    pub fn private_members(&self) -> Vec<&'static str> {
        ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]
            .into_iter()
            .filter(|m| self.get(m).is_some() || self.other.contains_key(*m))
            .collect()
    }

    /// The public key members only (`kty`, `crv`, `n`, `e`, `x`, `y`): what an attacker
    /// embeds, and what a thumbprint covers.
    pub fn bare(&self) -> Jwk {
        Jwk {
            kty: self.kty.clone(),
            crv: self.crv.clone(),
            n: self.n.clone(),
            e: self.e.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
            ..Jwk::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_members_round_trip_and_secrets_stay_out_of_debug() {
        let value = json!({"kty": "EC", "crv": "P-256", "x": "AQ", "y": "Ag", "d": "c2VjcmV0",
            "kid": "a", "use": "sig", "key_ops": ["verify"], "x-vendor": {"n": 1}});
        let jwk = Jwk::from_value(&value).unwrap();
        assert_eq!(jwk.to_value(), value);
        assert_eq!(jwk.get("use"), Some("sig"));
        assert_eq!(&*jwk.member("d").unwrap(), b"secret");
        assert_eq!(jwk.member("n").unwrap_err(), "the JWK has no 'n' member");
        assert_eq!(jwk.private_members(), ["d"]);
        assert!(!format!("{jwk:?}").contains("c2VjcmV0"));
        assert_eq!(
            jwk.bare().to_value(),
            json!({"kty": "EC", "crv": "P-256", "x": "AQ", "y": "Ag"})
        );
    }

    #[test]
    fn members_of_another_type_are_kept_but_not_read() {
        let value = json!({"kty": "RSA", "n": 5, "d": ["x"], "e": "AQAB"});
        let jwk = Jwk::from_value(&value).unwrap();
        assert_eq!((jwk.get("n"), jwk.get("e")), (None, Some("AQAB")));
        assert!(jwk.member("n").is_err());
        // Still a private member to a hygiene check, and still written back as it came.
        assert_eq!(jwk.private_members(), ["d"]);
        assert_eq!(jwk.to_value(), value);
        assert_eq!(serde_json::from_value::<Jwk>(value).unwrap(), jwk);
        assert!(Jwk::from_value(&json!([1])).is_err());
        assert_eq!(Jwk::parse("{}").unwrap().kty(), "");
    }
}
