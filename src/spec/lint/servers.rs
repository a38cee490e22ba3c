//! Servers and inventory: plain-http servers (and Swagger 2's `schemes`), servers that do not
//! say their audience or environment, a pre-release `info.version`, and older API versions
//! still served beside newer ones.

use std::collections::BTreeSet;

use super::super::document::{Document, Node, Version};
use super::{Hits, version_number};

/// The words that name an environment (Spectral's inventory-environment list).
const ENVIRONMENTS: &[&str] = &[
    "local", "sandbox", "alpha", "beta", "test", "stag", "prod", "next", "preprod", "dev",
];

pub(super) fn check(doc: &Document, hits: &mut Hits) {
    let root = doc.root();
    if doc.version == Version::Swagger2 {
        for (i, scheme) in root
            .get("schemes")
            .iter()
            .flat_map(|s| s.items())
            .enumerate()
        {
            if matches!(scheme.as_str(), Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("ws"))
            {
                hits.at(
                    "spec-server-http",
                    &scheme,
                    format!("schemes[{i}] is {}", scheme.as_str().unwrap_or("")),
                );
            }
        }
    } else {
        if let Some(servers) = root.get("servers") {
            for server in servers.items() {
                root_server(&server, hits);
            }
        }
        // Servers of a path or an operation override the root's: plain http there too.
        for op in doc.operations() {
            for holder in [&op.path_item, &op.node] {
                for server in holder.get("servers").iter().flat_map(|s| s.items()) {
                    plain_http(&server, hits);
                }
            }
        }
    }
    if let Some(version) = root.get("info").and_then(|i| i.get("version")) {
        let text = match version.value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if prerelease(&text) {
            hits.at(
                "spec-version-prerelease",
                &version,
                format!("info.version is {text}"),
            );
        }
    }
    old_versions(doc, hits);
}

fn root_server(server: &Node<'_>, hits: &mut Hits) {
    plain_http(server, hits);
    let url = server.str("url").unwrap_or("");
    if server.get("x-internal").is_none() {
        hits.at(
            "spec-server-audience",
            server,
            format!("{url} has no x-internal"),
        );
    }
    let description = server.str("description").unwrap_or("").to_ascii_lowercase();
    if !ENVIRONMENTS.iter().any(|w| description.contains(w)) {
        hits.at(
            "spec-server-environment",
            server,
            format!("{url}: the description names no environment"),
        );
    }
}

fn plain_http(server: &Node<'_>, hits: &mut Hits) {
    let Some(url) = server.get("url") else { return };
    let text = url.as_str().unwrap_or("").trim().to_ascii_lowercase();
    if text.starts_with("http:") || text.starts_with("ws:") {
        hits.at(
            "spec-server-http",
            &url,
            format!("server {}", url.as_str().unwrap_or("")),
        );
    }
}

/// 0.x, or a pre-release word: alpha, beta, rc, draft, snapshot, preview, dev.
fn prerelease(version: &str) -> bool {
    let v = version
        .trim()
        .trim_start_matches(['v', 'V'])
        .to_ascii_lowercase();
    if v.starts_with("0.") || v == "0" {
        return true;
    }
    v.split(|c: char| !c.is_ascii_alphabetic()).any(|word| {
        matches!(
            word,
            "alpha" | "beta" | "rc" | "draft" | "snapshot" | "preview" | "dev" | "pre"
        )
    })
}

/// Paths under `/vN/` when a higher N is also served: each older path item whose operations
/// are not all marked deprecated.
fn old_versions(doc: &Document, hits: &mut Hits) {
    let Some(paths) = doc.root().get("paths") else {
        return;
    };
    let versioned: Vec<(u32, &str, Node<'_>)> = paths
        .entries()
        .filter_map(|(path, item)| {
            let n = path.split('/').find_map(version_number)?;
            Some((n, path, item))
        })
        .collect();
    let seen: BTreeSet<u32> = versioned.iter().map(|(n, _, _)| *n).collect();
    let Some(&newest) = seen.last() else { return };
    for (n, path, item) in versioned {
        if n == newest {
            continue;
        }
        let item = doc.deref(item);
        let ops: Vec<_> = item
            .entries()
            .filter(|(k, _)| super::super::document_view::METHODS.contains(k))
            .collect();
        let all_deprecated = !ops.is_empty()
            && ops
                .iter()
                .all(|(_, op)| op.value.get("deprecated").and_then(|d| d.as_bool()) == Some(true));
        if !all_deprecated {
            hits.at(
                "spec-old-api-version",
                &item,
                format!("{path} is v{n}, and v{newest} is served too"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn prerelease_versions() {
        for v in [
            "0.1.0",
            "1.0.0-beta",
            "2.0-rc1",
            "v1-alpha",
            "1.0.0-SNAPSHOT",
            "0",
        ] {
            assert!(super::prerelease(v), "{v}");
        }
        for v in ["1.0.0", "2022-11-28", "v3", "1.2.3+build", "10.0"] {
            assert!(!super::prerelease(v), "{v}");
        }
    }
}
