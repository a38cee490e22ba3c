//! `apiward jwt verify` and `apiward jwt sign`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::{Map, Value, json};

use super::read_token;
use crate::cli::input::{file_arg, now, read_file, read_jwks, read_value};
use crate::cli::output::{self, paint};
use crate::cli::{CliError, CliResult};
use crate::jwt::{self, JwtError, KeyMaterial, SigningKey, VerifyOptions};

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("verification_key").required(true).args(["secret", "secret_b64", "secret_file", "key", "jwk", "jwks", "keyring"])))]
pub struct VerifyArgs {
    /// The token, `-` for stdin, or `@file`.
    pub token: String,
    /// An HMAC secret as text.
    #[arg(long, value_name = "S")]
    pub secret: Option<String>,
    /// An HMAC secret in base64 (standard or URL-safe, padded or not).
    #[arg(long, value_name = "S")]
    pub secret_b64: Option<String>,
    /// An HMAC secret read from a file, byte for byte.
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// A PEM public key or certificate file.
    #[arg(long, value_name = "PEM")]
    pub key: Option<PathBuf>,
    /// A JWK file (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub jwk: Option<String>,
    /// A JWKS file or http(s) URL; the key is chosen by the token's kid.
    #[arg(long, value_name = "FILE_OR_URL")]
    pub jwks: Option<String>,
    /// The workspace keyring's key named by the token's kid (else the active key).
    #[arg(long)]
    pub keyring: bool,
    /// The workspace of the keyring, filled in from the global --workspace.
    #[arg(skip)]
    pub workspace: Option<PathBuf>,
    /// Accept only these algorithms (repeat for more).
    #[arg(long = "alg", value_name = "A")]
    pub algs: Vec<String>,
    /// Require this issuer (repeat to accept several).
    #[arg(long = "iss", value_name = "I")]
    pub issuers: Vec<String>,
    /// Require this audience (repeat to accept several).
    #[arg(long = "aud", value_name = "A")]
    pub audiences: Vec<String>,
    /// Clock skew allowed on exp and nbf, in seconds.
    #[arg(long, value_name = "S", default_value_t = 60)]
    pub leeway: i64,
    /// The time to check against, unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("signer").required(true).args(["secret", "key", "jwk", "keyring"])))]
pub struct SignArgs {
    /// The algorithm: HS256/384/512, RS256/384/512, PS256/384/512, ES256/384/512, EdDSA.
    /// With --keyring, the key's own algorithm is used; with --secret, HS256 by default.
    #[arg(long, value_name = "A", required_unless_present_any = ["keyring", "secret"])]
    pub alg: Option<String>,
    /// An HMAC secret as text.
    #[arg(long, value_name = "S")]
    pub secret: Option<String>,
    /// A PEM private key file.
    #[arg(long, value_name = "PEM")]
    pub key: Option<PathBuf>,
    /// A private JWK file (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub jwk: Option<String>,
    /// Sign with the workspace keyring's active key (or the key --kid names) and set its kid.
    #[arg(long)]
    pub keyring: bool,
    /// The workspace of the keyring, filled in from the global --workspace.
    #[arg(skip)]
    pub workspace: Option<PathBuf>,
    /// The claims: JSON, `@file` or `-`.
    #[arg(long, value_name = "JSON")]
    pub claims: String,
    /// Extra header members as JSON.
    #[arg(long, value_name = "JSON")]
    pub header: Option<String>,
    /// The kid header; with --keyring, the key to sign with.
    #[arg(long, value_name = "K", allow_hyphen_values = true)]
    pub kid: Option<String>,
    /// Set or change a claim: role=admin, exp=+1h, iat=now (repeatable).
    #[arg(long = "set", value_name = "K=V")]
    pub set: Vec<String>,
    /// The time relative durations count from, unix seconds (default: now).
    #[arg(long, value_name = "UNIX")]
    pub now: Option<i64>,
}

/// Errors that mean "this token is not valid with this key", as opposed to bad input: a
/// well-formed token that no key given verifies is a verdict (exit 1), whichever way the key
/// was given.
fn is_invalid(err: &JwtError) -> bool {
    matches!(
        err,
        JwtError::KeyMismatch(_)
            | JwtError::Unsecured(_)
            | JwtError::MissingAlg
            | JwtError::NoMatchingKey(_)
    )
}

/// Prints the "invalid" verdict for a token that could not be checked with the key given.
fn report_invalid(err: &JwtError, json: bool) -> ExitCode {
    if json {
        output::print_json(&json!({ "valid": false, "reason": err.to_string() }));
    } else {
        println!("invalid: {err}");
    }
    ExitCode::from(1)
}

pub fn verify(args: VerifyArgs) -> CliResult {
    let decoded = read_token(&args.token)?;
    let (key, key_check) = match key_material(&args, &decoded)? {
        Ok(found) => found,
        Err(err) if is_invalid(&err) => return Ok(report_invalid(&err, args.json)),
        Err(err) => return Err(err.into()),
    };
    let options = VerifyOptions {
        leeway: args.leeway,
        issuers: args.issuers.clone(),
        audiences: args.audiences.clone(),
        allowed_algs: args.algs.clone(),
        ..VerifyOptions::new(now(args.now))
    };
    let mut verification = match jwt::verify(&decoded, &key, &options) {
        Ok(v) => v,
        Err(err) if is_invalid(&err) => return Ok(report_invalid(&err, args.json)),
        Err(err) => return Err(err.into()),
    };
    verification.checks.extend(key_check);
    let valid = verification.is_valid();
    if args.json {
        let mut value = serde_json::to_value(&verification).unwrap_or_default();
        value["valid"] = Value::Bool(valid);
        output::print_json(&value);
    } else {
        let color = output::color();
        let (word, style) = if valid {
            (
                "valid",
                output::severity_style(crate::findings::Severity::Info)
                    .fg_color(Some(anstyle::AnsiColor::Green.into())),
            )
        } else {
            (
                "invalid",
                output::severity_style(crate::findings::Severity::High),
            )
        };
        let signature = if verification.signature_valid {
            "signature ok"
        } else {
            "signature does not match"
        };
        println!(
            "{}: {signature} ({}, {})",
            paint(word, style, color),
            verification.alg,
            verification.key
        );
        for check in &verification.checks {
            let mark = if check.ok { "ok  " } else { "FAIL" };
            println!("  {mark} {}: {}", check.name, check.detail);
        }
    }
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The key to verify with, and for a keyring key the check of its state. The outer error is
/// unusable input (exit 2); the inner one is a key that cannot verify this token, which
/// [`is_invalid`] sorts into a verdict or bad input.
type KeyFound = Result<(KeyMaterial, Option<jwt::Check>), JwtError>;

fn key_material(args: &VerifyArgs, decoded: &jwt::Decoded) -> Result<KeyFound, CliError> {
    let only = |key: Result<KeyMaterial, JwtError>| key.map(|k| (k, None));
    if let Some(s) = &args.secret {
        return Ok(Ok((KeyMaterial::secret_from_text(s), None)));
    }
    if let Some(s) = &args.secret_b64 {
        return Ok(Ok((KeyMaterial::secret_from_base64(s)?, None)));
    }
    if let Some(path) = &args.secret_file {
        return Ok(Ok((
            KeyMaterial::Secret(read_file(path, "the secret")?),
            None,
        )));
    }
    if let Some(path) = &args.key {
        let pem = String::from_utf8_lossy(&read_file(path, "the key")?).into_owned();
        return Ok(Ok((KeyMaterial::from_pem(&pem)?, None)));
    }
    if let Some(arg) = &args.jwk {
        let text = read_value(&file_arg(arg), "the JWK")?;
        let jwk: Value = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("the JWK is not valid JSON: {e}"))?;
        return Ok(Ok((KeyMaterial::from_jwk(&jwk)?, None)));
    }
    let kid = decoded.header_str("kid");
    if args.keyring {
        return keyring_key(args.workspace.as_deref(), kid);
    }
    let text = read_jwks(args.jwks.as_deref().unwrap_or_default())?;
    Ok(only(
        jwt::select_from_jwks(&text, kid, decoded.alg.as_deref()).map(|(_, key)| key),
    ))
}

/// The keyring key named by `kid` (else the active key), with a check that fails when the key
/// is no longer published: a retired or revoked key's tokens must not be accepted.
fn keyring_key(
    workspace: Option<&std::path::Path>,
    kid: Option<&str>,
) -> Result<KeyFound, CliError> {
    let ring = crate::cli::keys::keyring_file(workspace, false)?.open()?;
    let Some(found) = crate::keys::verifier(&ring, kid)? else {
        return Ok(Err(JwtError::NoMatchingKey(match kid {
            Some(kid) => format!("the keyring has no key with kid '{kid}'"),
            None => "the token has no kid and the keyring has no active key".into(),
        })));
    };
    Ok(Ok((found.key, Some(found.check))))
}

pub fn sign(args: SignArgs) -> CliResult {
    let now = now(args.now);
    let claims_text = read_value(&args.claims, "the claims")?;
    let claims: Value = serde_json::from_str(&claims_text)
        .map_err(|e| anyhow::anyhow!("the claims are not valid JSON: {e}"))?;
    let Value::Object(mut claims) = claims else {
        return Err(anyhow::anyhow!("the claims must be a JSON object").into());
    };
    let edits = args
        .set
        .iter()
        .map(|e| jwt::sign::parse_edit(e))
        .collect::<Result<Vec<_>, _>>()?;
    jwt::apply_edits(&mut claims, &edits, now)?;
    let mut header = match &args.header {
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(anyhow::anyhow!("the header must be a JSON object").into()),
            Err(e) => return Err(anyhow::anyhow!("the header is not valid JSON: {e}").into()),
        },
        None => Map::new(),
    };
    header
        .entry("typ")
        .or_insert_with(|| Value::String("JWT".into()));
    if let Some(kid) = &args.kid {
        header.insert("kid".into(), Value::String(kid.clone()));
    }
    let mut alg = args.alg.clone().unwrap_or_default();
    let key = if args.keyring {
        let (kid, key_alg, key) =
            crate::cli::keys::signer(args.workspace.as_deref(), args.kid.as_deref())?;
        if !alg.is_empty() && alg != key_alg {
            return Err(anyhow::anyhow!(
                "key {kid} is for {key_alg}, not {alg}: a key has exactly one algorithm"
            )
            .into());
        }
        header.insert("kid".into(), Value::String(kid));
        alg = key_alg;
        key
    } else if let Some(secret) = &args.secret {
        // A secret only signs HMAC, and HS256 is the one every library accepts.
        if alg.is_empty() {
            alg = "HS256".into();
        }
        SigningKey::Secret(secret.clone().into_bytes())
    } else if let Some(path) = &args.key {
        SigningKey::Pem(String::from_utf8_lossy(&read_file(path, "the key")?).into_owned())
    } else {
        let text = read_value(&file_arg(args.jwk.as_deref().unwrap_or("-")), "the JWK")?;
        SigningKey::Jwk(
            serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("the JWK is not valid JSON: {e}"))?,
        )
    };
    println!(
        "{}",
        jwt::sign(&header, &Value::Object(claims), &alg, &key)?
    );
    Ok(ExitCode::SUCCESS)
}
