//! Every option curl knows, from curl's own option table (`aliases[]` in
//! `src/tool_getparam.c`, which `curl --help all` prints): long name, short alias, whether it
//! takes a value, and what `import curl` does with it. Because the table is complete, a word
//! after an option that takes a value is always that value, never the URL. A test checks it
//! against the installed `curl --help all`.

/// What an option takes after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// A switch.
    None,
    /// A switch that `--no-NAME` turns off again.
    Bool,
    /// The next word (or the rest of a short-option word) is its value.
    Value,
}

/// What importing does with an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treat {
    /// Carried over into the request as curl would send it.
    Honour,
    /// Left out with a warning: it does not change what goes on the wire or who sees it.
    /// The text says why.
    Ignore(&'static str),
    /// The command is refused: without it, apiward would send something else, or to someone
    /// else. The text completes "the option …".
    Refuse(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurlOption {
    /// Without its leading `--`.
    pub long: &'static str,
    pub short: Option<char>,
    pub arg: Arg,
    pub treat: Treat,
}

const fn o(long: &'static str, short: Option<char>, arg: Arg, treat: Treat) -> CurlOption {
    CurlOption {
        long,
        short,
        arg,
        treat,
    }
}

const UNIX: &str = "sends over a Unix socket";
const ALTSVC: &str =
    "reads an Alt-Svc cache that may send the request to another host or over HTTP/3";
const ANYAUTH: &str = "lets the server pick the authentication scheme";
const AWS: &str = "signs the request with AWS Signature Version 4";
const CAPATH: &str = "trusts a folder of CA certificates";
const CERTSTATUS: &str = "requires an OCSP-stapled certificate status";
const TLSCHOICE: &str =
    "changes the TLS handshake (versions, ciphers, curves, signature algorithms or sessions)";
const CONFIG: &str = "reads more options from a file";
const CRL: &str = "checks certificates against a revocation list";
const DNS: &str = "changes who resolves the host name";
const NOSEND: &str = "prints curl's own information instead of sending a request";
const ENGINE: &str = "uses an OpenSSL engine for the key";
const ETAG: &str = "adds an If-None-Match header read from a file";
const FORMESCAPE: &str = "changes how multipart names are escaped";
const HAPROXY: &str = "sends a HAProxy PROXY header before the request";
const HSTS: &str = "reads an HSTS cache that may switch the request to https";
const HTTP10: &str = "asks for HTTP/1.0";
const HTTP3: &str = "asks for HTTP/3";
const INTERFACE: &str = "sends from a chosen network interface or address";
const IPTOS: &str = "marks the packets (IP TOS or VLAN priority)";
const FAMILY: &str = "limits the connection to one IP version";
const TRUSTED: &str = "sends the credentials on to every host a redirect names";
const MPTCP: &str = "connects with Multipath TCP";
const NEGOTIATE: &str = "asks for Negotiate (Kerberos) authentication";
const NETRC: &str = "takes credentials from a .netrc file";
const NEXT: &str = "starts a second request";
const NTLM: &str = "asks for NTLM authentication";
const KEYPASS: &str = "unlocks the private key with a passphrase";
const PINNED: &str = "pins the server's public key";
const POSTREDIR: &str = "keeps POST across a redirect";
const PREPROXY: &str = "goes through a second (SOCKS) proxy";
const PROXYAUTH: &str = "authenticates to the proxy with a scheme other than Basic";
const PROXYTLS: &str = "changes how the TLS connection to the proxy is made or trusted";
const PROXYHEADER: &str = "sends extra headers to the proxy";
const PROXYHTTP2: &str = "speaks HTTP/2 to the proxy";
const PROXY10: &str = "speaks HTTP/1.0 to the proxy";
const TUNNEL: &str = "tunnels through the proxy with CONNECT";
const TARGET: &str = "sends a request target other than the URL's path";
const SOCKSAUTH: &str = "authenticates to a SOCKS proxy";
const TIMECOND: &str = "makes the request conditional on a time";
const SRP: &str = "authenticates the TLS connection with SRP";
const TE: &str = "asks for a compressed transfer encoding (a TE header)";
const UPLOAD: &str = "uploads a file with PUT";
const VARIABLE: &str = "expands variables in the command";
const OUT: &str = "it changes only what curl prints or saves";
const NOTHTTP: &str = "it applies only to protocols other than HTTP";
const PACE: &str = "it changes how curl connects, waits or retries, not what it sends";
const JAR: &str = "it only saves the cookies curl receives";
const UPLOADONLY: &str = "it applies only to uploads";
const NEGOTIATEONLY: &str = "it applies only to Negotiate authentication";
const DEPRECATED: &str = "curl itself no longer does anything with it";
const RESPONSE: &str = "it changes how curl reads the response, not what it sends";
const PROTO: &str = "it limits the protocols curl may use, and apiward only speaks HTTP and HTTPS";
const WINDOWS: &str = "it applies only to curl on Windows";

use Arg::{Bool, None as Switch, Value};
use Treat::{Honour, Ignore, Refuse};

/// Sorted by long name, as curl keeps it.
pub const OPTIONS: &[CurlOption] = &[
    o("abstract-unix-socket", None, Value, Refuse(UNIX)),
    o("alpn", None, Bool, Honour),
    o("alt-svc", None, Value, Refuse(ALTSVC)),
    o("anyauth", None, Switch, Refuse(ANYAUTH)),
    o("append", Some('a'), Bool, Ignore(NOTHTTP)),
    o("aws-sigv4", None, Value, Refuse(AWS)),
    o("basic", None, Bool, Honour),
    o("buffer", Some('N'), Bool, Ignore(OUT)),
    o("ca-native", None, Bool, Honour),
    o("cacert", None, Value, Honour),
    o("capath", None, Value, Refuse(CAPATH)),
    o("cert", Some('E'), Value, Honour),
    o("cert-status", None, Bool, Refuse(CERTSTATUS)),
    o("cert-type", None, Value, Honour),
    o("ciphers", None, Value, Refuse(TLSCHOICE)),
    o("clobber", None, Bool, Ignore(OUT)),
    o("compressed", None, Bool, Honour),
    o("compressed-ssh", None, Bool, Ignore(NOTHTTP)),
    o("config", Some('K'), Value, Refuse(CONFIG)),
    o("connect-timeout", None, Value, Honour),
    o("connect-to", None, Value, Honour),
    o("continue-at", Some('C'), Value, Honour),
    o("cookie", Some('b'), Value, Honour),
    o("cookie-jar", Some('c'), Value, Ignore(JAR)),
    o("create-dirs", None, Bool, Ignore(OUT)),
    o("create-file-mode", None, Value, Ignore(OUT)),
    o("crlf", None, Bool, Ignore(UPLOADONLY)),
    o("crlfile", None, Value, Refuse(CRL)),
    o("curves", None, Value, Refuse(TLSCHOICE)),
    o("data", Some('d'), Value, Honour),
    o("data-ascii", None, Value, Honour),
    o("data-binary", None, Value, Honour),
    o("data-raw", None, Value, Honour),
    o("data-urlencode", None, Value, Honour),
    o("delegation", None, Value, Ignore(NEGOTIATEONLY)),
    o("digest", None, Bool, Honour),
    o("disable", Some('q'), Bool, Honour),
    o("disable-eprt", None, Bool, Ignore(NOTHTTP)),
    o("disable-epsv", None, Bool, Ignore(NOTHTTP)),
    o("disallow-username-in-url", None, Bool, Honour),
    o("dns-interface", None, Value, Refuse(DNS)),
    o("dns-ipv4-addr", None, Value, Refuse(DNS)),
    o("dns-ipv6-addr", None, Value, Refuse(DNS)),
    o("dns-servers", None, Value, Refuse(DNS)),
    o("doh-cert-status", None, Bool, Refuse(DNS)),
    o("doh-insecure", None, Bool, Refuse(DNS)),
    o("doh-url", None, Value, Refuse(DNS)),
    o("dump-ca-embed", None, Switch, Refuse(NOSEND)),
    o("dump-header", Some('D'), Value, Ignore(OUT)),
    o("ech", None, Value, Refuse(TLSCHOICE)),
    o("egd-file", None, Value, Ignore(DEPRECATED)),
    o("engine", None, Value, Refuse(ENGINE)),
    o("eprt", None, Bool, Ignore(NOTHTTP)),
    o("epsv", None, Bool, Ignore(NOTHTTP)),
    o("etag-compare", None, Value, Refuse(ETAG)),
    o("etag-save", None, Value, Ignore(OUT)),
    o("expect100-timeout", None, Value, Ignore(PACE)),
    o("fail", Some('f'), Bool, Ignore(OUT)),
    o("fail-early", None, Bool, Ignore(OUT)),
    o("fail-with-body", None, Bool, Ignore(OUT)),
    o("false-start", None, Bool, Ignore(PACE)),
    o("follow", None, Bool, Honour),
    o("form", Some('F'), Value, Honour),
    o("form-escape", None, Bool, Refuse(FORMESCAPE)),
    o("form-string", None, Value, Honour),
    o("ftp-account", None, Value, Ignore(NOTHTTP)),
    o("ftp-alternative-to-user", None, Value, Ignore(NOTHTTP)),
    o("ftp-create-dirs", None, Bool, Ignore(NOTHTTP)),
    o("ftp-method", None, Value, Ignore(NOTHTTP)),
    o("ftp-pasv", None, Switch, Ignore(NOTHTTP)),
    o("ftp-port", Some('P'), Value, Ignore(NOTHTTP)),
    o("ftp-pret", None, Bool, Ignore(NOTHTTP)),
    o("ftp-skip-pasv-ip", None, Bool, Ignore(NOTHTTP)),
    o("ftp-ssl", None, Bool, Ignore(NOTHTTP)),
    o("ftp-ssl-ccc", None, Bool, Ignore(NOTHTTP)),
    o("ftp-ssl-ccc-mode", None, Value, Ignore(NOTHTTP)),
    o("ftp-ssl-control", None, Bool, Ignore(NOTHTTP)),
    o("ftp-ssl-reqd", None, Bool, Ignore(NOTHTTP)),
    o("get", Some('G'), Bool, Honour),
    o("globoff", Some('g'), Bool, Honour),
    o("happy-eyeballs-timeout-ms", None, Value, Ignore(PACE)),
    o("haproxy-clientip", None, Value, Refuse(HAPROXY)),
    o("haproxy-protocol", None, Bool, Refuse(HAPROXY)),
    o("head", Some('I'), Bool, Honour),
    o("header", Some('H'), Value, Honour),
    o("help", Some('h'), Value, Refuse(NOSEND)),
    o("hostpubmd5", None, Value, Ignore(NOTHTTP)),
    o("hostpubsha256", None, Value, Ignore(NOTHTTP)),
    o("hsts", None, Value, Refuse(HSTS)),
    o("http0.9", None, Bool, Ignore(RESPONSE)),
    o("http1.0", Some('0'), Switch, Refuse(HTTP10)),
    o("http1.1", None, Switch, Honour),
    o("http2", None, Switch, Honour),
    o("http2-prior-knowledge", None, Switch, Honour),
    o("http3", None, Switch, Refuse(HTTP3)),
    o("http3-only", None, Switch, Refuse(HTTP3)),
    o("ignore-content-length", None, Bool, Ignore(RESPONSE)),
    o("include", Some('i'), Bool, Ignore(OUT)),
    o("insecure", Some('k'), Bool, Honour),
    o("interface", None, Value, Refuse(INTERFACE)),
    o("ip-tos", None, Value, Refuse(IPTOS)),
    o("ipfs-gateway", None, Value, Ignore(NOTHTTP)),
    o("ipv4", Some('4'), Switch, Refuse(FAMILY)),
    o("ipv6", Some('6'), Switch, Refuse(FAMILY)),
    o("json", None, Value, Honour),
    o("junk-session-cookies", Some('j'), Bool, Honour),
    o("keepalive", None, Bool, Ignore(PACE)),
    o("keepalive-cnt", None, Value, Ignore(PACE)),
    o("keepalive-time", None, Value, Ignore(PACE)),
    o("key", None, Value, Honour),
    o("key-type", None, Value, Honour),
    o("knownhosts", None, Value, Ignore(NOTHTTP)),
    o("krb", None, Value, Ignore(NOTHTTP)),
    o("krb4", None, Value, Ignore(NOTHTTP)),
    o("libcurl", None, Value, Ignore(OUT)),
    o("limit-rate", None, Value, Ignore(PACE)),
    o("list-only", Some('l'), Bool, Ignore(NOTHTTP)),
    o("local-port", None, Value, Ignore(PACE)),
    o("location", Some('L'), Bool, Honour),
    o("location-trusted", None, Bool, Refuse(TRUSTED)),
    o("login-options", None, Value, Ignore(NOTHTTP)),
    o("mail-auth", None, Value, Ignore(NOTHTTP)),
    o("mail-from", None, Value, Ignore(NOTHTTP)),
    o("mail-rcpt", None, Value, Ignore(NOTHTTP)),
    o("mail-rcpt-allowfails", None, Bool, Ignore(NOTHTTP)),
    o("manual", Some('M'), Bool, Refuse(NOSEND)),
    o("max-filesize", None, Value, Ignore(RESPONSE)),
    o("max-redirs", None, Value, Honour),
    o("max-time", Some('m'), Value, Honour),
    o("metalink", None, Bool, Ignore(DEPRECATED)),
    o("mptcp", None, Bool, Refuse(MPTCP)),
    o("negotiate", None, Bool, Refuse(NEGOTIATE)),
    o("netrc", Some('n'), Bool, Refuse(NETRC)),
    o("netrc-file", None, Value, Refuse(NETRC)),
    o("netrc-optional", None, Bool, Refuse(NETRC)),
    o("next", Some(':'), Switch, Refuse(NEXT)),
    o("noproxy", None, Value, Honour),
    o("npn", None, Bool, Ignore(DEPRECATED)),
    o("ntlm", None, Bool, Refuse(NTLM)),
    o("ntlm-wb", None, Bool, Refuse(NTLM)),
    o("oauth2-bearer", None, Value, Honour),
    o("out-null", None, Bool, Ignore(OUT)),
    o("output", Some('o'), Value, Ignore(OUT)),
    o("output-dir", None, Value, Ignore(OUT)),
    o("parallel", Some('Z'), Bool, Ignore(PACE)),
    o("parallel-immediate", None, Bool, Ignore(PACE)),
    o("parallel-max", None, Value, Ignore(PACE)),
    o("parallel-max-host", None, Value, Ignore(PACE)),
    o("pass", None, Value, Refuse(KEYPASS)),
    o("path-as-is", None, Bool, Honour),
    o("pinnedpubkey", None, Value, Refuse(PINNED)),
    o("post301", None, Bool, Refuse(POSTREDIR)),
    o("post302", None, Bool, Refuse(POSTREDIR)),
    o("post303", None, Bool, Refuse(POSTREDIR)),
    o("preproxy", None, Value, Refuse(PREPROXY)),
    o("progress-bar", Some('#'), Bool, Ignore(OUT)),
    o("progress-meter", None, Bool, Ignore(OUT)),
    o("proto", None, Value, Ignore(PROTO)),
    o("proto-default", None, Value, Honour),
    o("proto-redir", None, Value, Ignore(PROTO)),
    o("proxy", Some('x'), Value, Honour),
    o("proxy-anyauth", None, Bool, Refuse(PROXYAUTH)),
    o("proxy-basic", None, Bool, Honour),
    o("proxy-ca-native", None, Bool, Refuse(PROXYTLS)),
    o("proxy-cacert", None, Value, Refuse(PROXYTLS)),
    o("proxy-capath", None, Value, Refuse(PROXYTLS)),
    o("proxy-cert", None, Value, Refuse(PROXYTLS)),
    o("proxy-cert-type", None, Value, Refuse(PROXYTLS)),
    o("proxy-ciphers", None, Value, Refuse(PROXYTLS)),
    o("proxy-crlfile", None, Value, Refuse(PROXYTLS)),
    o("proxy-digest", None, Bool, Refuse(PROXYAUTH)),
    o("proxy-header", None, Value, Refuse(PROXYHEADER)),
    o("proxy-http2", None, Bool, Refuse(PROXYHTTP2)),
    o("proxy-insecure", None, Bool, Refuse(PROXYTLS)),
    o("proxy-key", None, Value, Refuse(PROXYTLS)),
    o("proxy-key-type", None, Value, Refuse(PROXYTLS)),
    o("proxy-negotiate", None, Bool, Refuse(PROXYAUTH)),
    o("proxy-ntlm", None, Bool, Refuse(PROXYAUTH)),
    o("proxy-pass", None, Value, Refuse(PROXYTLS)),
    o("proxy-pinnedpubkey", None, Value, Refuse(PROXYTLS)),
    o("proxy-service-name", None, Value, Refuse(PROXYAUTH)),
    o("proxy-ssl-allow-beast", None, Bool, Refuse(PROXYTLS)),
    o("proxy-ssl-auto-client-cert", None, Bool, Refuse(PROXYTLS)),
    o("proxy-tls13-ciphers", None, Value, Refuse(PROXYTLS)),
    o("proxy-tlsauthtype", None, Value, Refuse(PROXYTLS)),
    o("proxy-tlspassword", None, Value, Refuse(PROXYTLS)),
    o("proxy-tlsuser", None, Value, Refuse(PROXYTLS)),
    o("proxy-tlsv1", None, Switch, Refuse(PROXYTLS)),
    o("proxy-user", Some('U'), Value, Honour),
    o("proxy1.0", None, Value, Refuse(PROXY10)),
    o("proxytunnel", Some('p'), Bool, Refuse(TUNNEL)),
    o("pubkey", None, Value, Ignore(NOTHTTP)),
    o("quote", Some('Q'), Value, Ignore(NOTHTTP)),
    o("random-file", None, Value, Ignore(DEPRECATED)),
    o("range", Some('r'), Value, Honour),
    o("rate", None, Value, Ignore(PACE)),
    o("raw", None, Bool, Ignore(RESPONSE)),
    o("referer", Some('e'), Value, Honour),
    o("remote-header-name", Some('J'), Bool, Ignore(OUT)),
    o("remote-name", Some('O'), Bool, Ignore(OUT)),
    o("remote-name-all", None, Bool, Ignore(OUT)),
    o("remote-time", Some('R'), Bool, Ignore(OUT)),
    o("remove-on-error", None, Bool, Ignore(OUT)),
    o("request", Some('X'), Value, Honour),
    o("request-target", None, Value, Refuse(TARGET)),
    o("resolve", None, Value, Honour),
    o("retry", None, Value, Ignore(PACE)),
    o("retry-all-errors", None, Bool, Ignore(PACE)),
    o("retry-connrefused", None, Bool, Ignore(PACE)),
    o("retry-delay", None, Value, Ignore(PACE)),
    o("retry-max-time", None, Value, Ignore(PACE)),
    o("sasl-authzid", None, Value, Ignore(NOTHTTP)),
    o("sasl-ir", None, Bool, Ignore(NOTHTTP)),
    o("service-name", None, Value, Ignore(NEGOTIATEONLY)),
    o("sessionid", None, Bool, Ignore(PACE)),
    o("show-error", Some('S'), Bool, Ignore(OUT)),
    o("show-headers", None, Bool, Ignore(OUT)),
    o("sigalgs", None, Value, Refuse(TLSCHOICE)),
    o("silent", Some('s'), Bool, Ignore(OUT)),
    o("skip-existing", None, Bool, Ignore(OUT)),
    o("socks4", None, Value, Honour),
    o("socks4a", None, Value, Honour),
    o("socks5", None, Value, Honour),
    o("socks5-basic", None, Bool, Refuse(SOCKSAUTH)),
    o("socks5-gssapi", None, Bool, Refuse(SOCKSAUTH)),
    o("socks5-gssapi-nec", None, Bool, Refuse(SOCKSAUTH)),
    o("socks5-gssapi-service", None, Value, Refuse(SOCKSAUTH)),
    o("socks5-hostname", None, Value, Honour),
    o("speed-limit", Some('Y'), Value, Ignore(PACE)),
    o("speed-time", Some('y'), Value, Ignore(PACE)),
    o("ssl", None, Bool, Ignore(NOTHTTP)),
    o("ssl-allow-beast", None, Bool, Refuse(TLSCHOICE)),
    o("ssl-auto-client-cert", None, Bool, Refuse(TLSCHOICE)),
    o("ssl-no-revoke", None, Bool, Ignore(WINDOWS)),
    o("ssl-reqd", None, Bool, Ignore(NOTHTTP)),
    o("ssl-revoke-best-effort", None, Bool, Ignore(WINDOWS)),
    o("ssl-sessions", None, Value, Refuse(TLSCHOICE)),
    o("sslv2", Some('2'), Switch, Ignore(DEPRECATED)),
    o("sslv3", Some('3'), Switch, Ignore(DEPRECATED)),
    o("stderr", None, Value, Ignore(OUT)),
    o("styled-output", None, Bool, Ignore(OUT)),
    o("suppress-connect-headers", None, Bool, Ignore(OUT)),
    o("tcp-fastopen", None, Bool, Ignore(PACE)),
    o("tcp-nodelay", None, Bool, Ignore(PACE)),
    o("telnet-option", Some('t'), Value, Ignore(NOTHTTP)),
    o("tftp-blksize", None, Value, Ignore(NOTHTTP)),
    o("tftp-no-options", None, Bool, Ignore(NOTHTTP)),
    o("time-cond", Some('z'), Value, Refuse(TIMECOND)),
    o("tls-earlydata", None, Bool, Refuse(TLSCHOICE)),
    o("tls-max", None, Value, Refuse(TLSCHOICE)),
    o("tls13-ciphers", None, Value, Refuse(TLSCHOICE)),
    o("tlsauthtype", None, Value, Refuse(SRP)),
    o("tlspassword", None, Value, Refuse(SRP)),
    o("tlsuser", None, Value, Refuse(SRP)),
    o("tlsv1", Some('1'), Switch, Refuse(TLSCHOICE)),
    o("tlsv1.0", None, Switch, Refuse(TLSCHOICE)),
    o("tlsv1.1", None, Switch, Refuse(TLSCHOICE)),
    o("tlsv1.2", None, Switch, Refuse(TLSCHOICE)),
    o("tlsv1.3", None, Switch, Refuse(TLSCHOICE)),
    o("tr-encoding", None, Bool, Refuse(TE)),
    o("trace", None, Value, Ignore(OUT)),
    o("trace-ascii", None, Value, Ignore(OUT)),
    o("trace-config", None, Value, Ignore(OUT)),
    o("trace-ids", None, Bool, Ignore(OUT)),
    o("trace-time", None, Bool, Ignore(OUT)),
    o("unix-socket", None, Value, Refuse(UNIX)),
    o("upload-file", Some('T'), Value, Refuse(UPLOAD)),
    o("upload-flags", None, Value, Ignore(NOTHTTP)),
    o("url", None, Value, Honour),
    o("url-query", None, Value, Honour),
    o("use-ascii", Some('B'), Bool, Ignore(NOTHTTP)),
    o("user", Some('u'), Value, Honour),
    o("user-agent", Some('A'), Value, Honour),
    o("variable", None, Value, Refuse(VARIABLE)),
    o("verbose", Some('v'), Bool, Ignore(OUT)),
    o("version", Some('V'), Bool, Refuse(NOSEND)),
    o("vlan-priority", None, Value, Refuse(IPTOS)),
    o("write-out", Some('w'), Value, Ignore(OUT)),
    o("xattr", None, Bool, Ignore(OUT)),
];

/// How a `--word` was found in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Long {
    pub option: &'static CurlOption,
    /// `--no-NAME`: a boolean switched off.
    pub negated: bool,
}

/// Finds a long option as curl does: the exact name, `no-` before a boolean, or an
/// unambiguous abbreviation (curl 7.x accepts `--verb` for `--verbose`). `Err` holds the
/// sentence curl's refusal comes down to.
pub fn long(word: &str) -> Result<Long, String> {
    let exact = |name: &str| OPTIONS.iter().find(|o| o.long == name);
    if let Some(option) = exact(word) {
        return Ok(Long {
            option,
            negated: false,
        });
    }
    if let Some(option) = word.strip_prefix("no-").and_then(exact) {
        return if option.arg == Arg::Bool {
            Ok(Long {
                option,
                negated: true,
            })
        } else {
            Err(format!("--{word} is not an option curl knows"))
        };
    }
    let (negated, stem) = match word.strip_prefix("no-") {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let hits: Vec<&CurlOption> = OPTIONS
        .iter()
        .filter(|o| !stem.is_empty() && o.long.starts_with(stem))
        .filter(|o| !negated || o.arg == Arg::Bool)
        .collect();
    match hits[..] {
        [option] => Ok(Long { option, negated }),
        [] => Err(format!("--{word} is not an option curl knows")),
        _ => Err(format!(
            "--{word} could be any of {}",
            hits.iter()
                .map(|o| format!("--{}", o.long))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The option a short letter stands for.
pub fn short(letter: char) -> Option<&'static CurlOption> {
    OPTIONS.iter().find(|o| o.short == Some(letter))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table against the curl on this machine: every option it lists is here, with the
    /// same short letter and the same need for a value.
    #[test]
    fn the_table_matches_curl_help_all() {
        let Ok(out) = std::process::Command::new("curl")
            .args(["--help", "all"])
            .output()
        else {
            println!("skipped: curl is not installed, so its option list cannot be compared");
            return;
        };
        let help = String::from_utf8_lossy(&out.stdout);
        let mut seen = 0;
        for line in help.lines().filter(|l| l.trim_start().starts_with('-')) {
            let line = line.trim_start();
            let (letter, rest) = match line.strip_prefix('-').and_then(|r| r.split_once(", ")) {
                Some((l, rest)) if l.chars().count() == 1 => (l.chars().next(), rest),
                _ => (None, line),
            };
            let mut words = rest.split_whitespace();
            let name = words.next().and_then(|n| n.strip_prefix("--")).unwrap();
            let takes_value = words
                .next()
                .is_some_and(|w| w.starts_with('<') || w.starts_with('['));
            let found = long(name).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                found.option.long == name || found.negated,
                "--{name} is only an abbreviation of --{}",
                found.option.long
            );
            assert_eq!(
                found.option.arg == Arg::Value,
                takes_value,
                "--{name}: value or not"
            );
            if let Some(l) = letter {
                assert_eq!(found.option.short, Some(l), "--{name}: short letter");
                assert_eq!(short(l), Some(found.option), "-{l}");
            }
            seen += 1;
        }
        assert!(seen > 200, "only {seen} options read from curl --help all");
    }

    #[test]
    fn lookups_follow_curl() {
        assert_eq!(long("verb").unwrap().option.long, "verbose");
        let no = long("no-progress-meter").unwrap();
        assert!(no.negated && no.option.long == "progress-meter");
        assert!(long("no-header").is_err(), "only booleans take no-");
        assert!(long("data-").unwrap_err().contains("could be any of"));
        assert!(long("frobnicate").is_err());
        let mut names: Vec<&str> = OPTIONS.iter().map(|o| o.long).collect();
        names.dedup();
        assert_eq!(names.len(), OPTIONS.len(), "a name twice");
        let mut letters: Vec<char> = OPTIONS.iter().filter_map(|o| o.short).collect();
        letters.sort_unstable();
        letters.dedup();
        assert_eq!(
            letters.len(),
            OPTIONS.iter().filter(|o| o.short.is_some()).count(),
            "a letter twice"
        );
    }
}
