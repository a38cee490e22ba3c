//! A typed view over a loaded description, the same for Swagger 2.0 and OpenAPI 3.x: its
//! operations with their parameters and bodies, its servers and its security schemes. Each
//! item keeps its [`Node`], so a finding can point at it.

use super::document::{Document, Node, Version};

/// The methods a path item may hold, in the order they are listed.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation: a method on a path.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// Upper case: `GET`.
    pub method: String,
    pub path: &'a str,
    /// The operation object, its `$ref` (if any) followed.
    pub node: Node<'a>,
    /// The path item it belongs to, for its shared parameters and servers.
    pub path_item: Node<'a>,
}

impl<'a> Operation<'a> {
    pub fn id(&self) -> Option<&'a str> {
        self.node
            .str("operationId")
            .filter(|s| !s.trim().is_empty())
    }

    pub fn summary(&self) -> Option<&'a str> {
        self.node.str("summary").filter(|s| !s.trim().is_empty())
    }

    pub fn tags(&self) -> Vec<&'a str> {
        self.node
            .value
            .get("tags")
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str())
            .collect()
    }

    pub fn deprecated(&self) -> bool {
        self.node.value.get("deprecated").and_then(|d| d.as_bool()) == Some(true)
    }
}

/// One parameter of an operation (its path item's included, the operation's winning).
#[derive(Debug, Clone)]
pub struct Parameter<'a> {
    pub name: &'a str,
    /// `path`, `query`, `header`, `cookie`; in 2.0 also `body` and `formData`.
    pub location: &'a str,
    pub required: bool,
    /// The parameter object, its `$ref` followed.
    pub node: Node<'a>,
    /// Its schema: 3.x's `schema` (or the first `content` entry's), 2.0's `schema` for a body,
    /// and the parameter itself for 2.0's others, which carry `type` and the like inline.
    pub schema: Option<Node<'a>>,
}

/// A server a description names, its URL still a template (`{variable}`).
#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    pub variables: Vec<ServerVariable>,
}

#[derive(Debug, Clone)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    pub values: Vec<String>,
    pub description: Option<String>,
}

/// A security scheme by its name in the description.
#[derive(Debug, Clone)]
pub struct SecurityScheme<'a> {
    pub name: &'a str,
    /// `http`, `apiKey`, `oauth2`, `openIdConnect`, `mutualTLS`; 2.0's `basic` reads as
    /// `http` with the `basic` scheme.
    pub kind: &'a str,
    /// For `http`: `bearer`, `basic`, `digest` … (lower case).
    pub scheme: Option<String>,
    pub bearer_format: Option<&'a str>,
    /// For `apiKey`: the header, query or cookie name, and where it goes.
    pub key_name: Option<&'a str>,
    pub key_in: Option<&'a str>,
    /// For `oauth2`: each flow (3.x's names; 2.0's `accessCode` reads as
    /// `authorizationCode`, `application` as `clientCredentials`).
    pub flows: Vec<OAuthFlow<'a>>,
    pub open_id_url: Option<&'a str>,
    pub node: Node<'a>,
}

#[derive(Debug, Clone)]
pub struct OAuthFlow<'a> {
    pub flow: &'a str,
    pub authorization_url: Option<&'a str>,
    pub token_url: Option<&'a str>,
    pub scopes: Vec<&'a str>,
}

/// One way to satisfy a security requirement: every scheme named, with its scopes.
pub type Requirement<'a> = Vec<(&'a str, Vec<&'a str>)>;

impl Document {
    /// Every operation, in the order of `paths`.
    pub fn operations(&self) -> Vec<Operation<'_>> {
        let mut out = Vec::new();
        let Some(paths) = self.root().get("paths") else {
            return out;
        };
        for (path, item) in paths.entries() {
            let item = self.deref(item);
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    out.push(Operation {
                        method: method.to_ascii_uppercase(),
                        path,
                        node: self.deref(op),
                        path_item: item.clone(),
                    });
                }
            }
        }
        out
    }

    /// The parameters of `op`: the path item's, then the operation's, one per name and place
    /// (the operation's replaces the path item's).
    pub fn parameters<'a>(&'a self, op: &Operation<'a>) -> Vec<Parameter<'a>> {
        let mut out: Vec<Parameter<'a>> = Vec::new();
        for holder in [&op.path_item, &op.node] {
            let Some(list) = holder.get("parameters") else {
                continue;
            };
            for p in list.items() {
                let p = self.deref(p);
                let (Some(name), Some(location)) = (p.str("name"), p.str("in")) else {
                    continue;
                };
                let schema = self.parameter_schema(&p, location);
                let param = Parameter {
                    name,
                    location,
                    required: location == "path"
                        || p.value.get("required").and_then(|r| r.as_bool()) == Some(true),
                    node: p,
                    schema,
                };
                match out
                    .iter_mut()
                    .find(|q| q.name == name && q.location == location)
                {
                    Some(slot) => *slot = param,
                    None => out.push(param),
                }
            }
        }
        out
    }

    fn parameter_schema<'a>(&'a self, p: &Node<'a>, location: &str) -> Option<Node<'a>> {
        if let Some(schema) = self.get(p, "schema") {
            return Some(schema);
        }
        if let Some(content) = self.get(p, "content") {
            return content
                .entries()
                .next()
                .and_then(|(_, media)| self.get(&media, "schema"));
        }
        (self.version == Version::Swagger2 && location != "body").then(|| p.clone())
    }

    /// The servers requests go to: 3.x's `servers` (the operation's, else its path item's,
    /// else the root's), or 2.0's `schemes` × `host` + `basePath`. None listed means the
    /// description's own origin, which is left to the caller.
    pub fn servers(&self, op: Option<&Operation<'_>>) -> Vec<Server> {
        if self.version == Version::Swagger2 {
            return self.swagger_servers();
        }
        let holders = op
            .map(|o| vec![o.node.clone(), o.path_item.clone()])
            .unwrap_or_default();
        let list = holders
            .iter()
            .chain(std::iter::once(&self.root()))
            .find_map(|h| h.get("servers").filter(|s| s.items().next().is_some()));
        let Some(list) = list else {
            return Vec::new();
        };
        list.items()
            .map(|s| self.deref(s))
            .filter_map(|s| {
                Some(Server {
                    url: s.str("url")?.to_string(),
                    description: s.str("description").map(str::to_string),
                    variables: s
                        .get("variables")
                        .map(|vars| {
                            vars.entries()
                                .map(|(name, v)| ServerVariable {
                                    name: name.to_string(),
                                    default: scalar_text(v.value.get("default")),
                                    values: v
                                        .value
                                        .get("enum")
                                        .and_then(|e| e.as_array())
                                        .into_iter()
                                        .flatten()
                                        .map(|x| scalar_text(Some(x)))
                                        .collect(),
                                    description: v.str("description").map(str::to_string),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            })
            .collect()
    }

    fn swagger_servers(&self) -> Vec<Server> {
        let root = self.root();
        let Some(host) = root.str("host") else {
            return Vec::new();
        };
        let base = root.str("basePath").unwrap_or("");
        let base = base.trim_end_matches('/');
        let schemes: Vec<&str> = root
            .get("schemes")
            .map(|s| s.items().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default();
        let schemes = match schemes.is_empty() {
            true => vec!["https"],
            false => schemes,
        };
        schemes
            .into_iter()
            .filter(|s| matches!(*s, "http" | "https"))
            .map(|scheme| Server {
                url: format!("{scheme}://{host}{base}"),
                description: None,
                variables: Vec::new(),
            })
            .collect()
    }

    /// Every security scheme the description defines, in order.
    pub fn security_schemes(&self) -> Vec<SecurityScheme<'_>> {
        let root = self.root();
        let holder = match self.version {
            Version::Swagger2 => root.get("securityDefinitions"),
            _ => root
                .get("components")
                .and_then(|c| c.get("securitySchemes")),
        };
        let Some(holder) = holder else {
            return Vec::new();
        };
        holder
            .entries()
            .map(|(name, node)| {
                let node = self.deref(node);
                self.scheme(name, node)
            })
            .collect()
    }

    fn scheme<'a>(&'a self, name: &'a str, node: Node<'a>) -> SecurityScheme<'a> {
        let kind = node.str("type").unwrap_or("");
        let (kind, scheme) = match kind {
            "basic" => ("http", Some("basic".to_string())),
            other => (
                other,
                node.str("scheme").map(|s| s.trim().to_ascii_lowercase()),
            ),
        };
        let mut flows = Vec::new();
        let scopes = |flow: &Node<'a>| -> Vec<&'a str> {
            flow.get("scopes")
                .map(|s| {
                    s.value
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k.as_str())
                        .collect()
                })
                .unwrap_or_default()
        };
        if kind == "oauth2" {
            if let Some(all) = node.get("flows") {
                for (flow, f) in all.entries() {
                    flows.push(OAuthFlow {
                        flow,
                        authorization_url: f.str("authorizationUrl"),
                        token_url: f.str("tokenUrl"),
                        scopes: scopes(&f),
                    });
                }
            } else if let Some(flow) = node.str("flow") {
                flows.push(OAuthFlow {
                    flow: match flow {
                        "accessCode" => "authorizationCode",
                        "application" => "clientCredentials",
                        other => other,
                    },
                    authorization_url: node.str("authorizationUrl"),
                    token_url: node.str("tokenUrl"),
                    scopes: scopes(&node),
                });
            }
        }
        SecurityScheme {
            name,
            kind,
            scheme,
            bearer_format: node.str("bearerFormat"),
            key_name: (kind == "apiKey").then(|| node.str("name")).flatten(),
            key_in: (kind == "apiKey").then(|| node.str("in")).flatten(),
            flows,
            open_id_url: node.str("openIdConnectUrl"),
            node,
        }
    }

    /// The security requirements that apply to `op`: its own `security` if it has one (an
    /// empty list means none), else the root's. Each item is one way to satisfy them.
    pub fn security<'a>(&'a self, op: &Operation<'a>) -> Vec<Requirement<'a>> {
        let list = op
            .node
            .get("security")
            .or_else(|| self.root().get("security"));
        let Some(list) = list else {
            return Vec::new();
        };
        list.items()
            .map(|req| {
                req.value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, scopes)| {
                        let scopes = scopes
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|s| s.as_str())
                            .collect();
                        (name.as_str(), scopes)
                    })
                    .collect()
            })
            .collect()
    }

    /// The request body's media types with their schema and example nodes: 3.x's
    /// `requestBody.content`, or 2.0's `body` parameter (as `consumes`' first type, JSON
    /// by default). 2.0's `formData` parameters are read with [`Self::parameters`].
    pub fn request_bodies<'a>(&'a self, op: &Operation<'a>) -> Vec<MediaType<'a>> {
        if self.version == Version::Swagger2 {
            let consumes = op
                .node
                .get("consumes")
                .or_else(|| self.root().get("consumes"))
                .and_then(|c| c.items().find_map(|x| x.as_str()))
                .unwrap_or("application/json");
            return self
                .parameters(op)
                .into_iter()
                .filter(|p| p.location == "body")
                .map(|p| MediaType {
                    media_type: consumes,
                    schema: self.get(&p.node, "schema"),
                    node: p.node,
                    required: p.required,
                })
                .collect();
        }
        let Some(body) = self.get(&op.node, "requestBody") else {
            return Vec::new();
        };
        let required = body.value.get("required").and_then(|r| r.as_bool()) == Some(true);
        let Some(content) = body.get("content") else {
            return Vec::new();
        };
        content
            .entries()
            .map(|(media_type, node)| {
                let node = self.deref(node);
                MediaType {
                    media_type,
                    schema: self.get(&node, "schema"),
                    node,
                    required,
                }
            })
            .collect()
    }
}

/// One media type of a request body.
#[derive(Debug, Clone)]
pub struct MediaType<'a> {
    pub media_type: &'a str,
    pub schema: Option<Node<'a>>,
    /// The media type object (3.x), which may hold `example` or `examples`; 2.0's body
    /// parameter.
    pub node: Node<'a>,
    pub required: bool,
}

/// A server variable's default or enum value as text (YAML may make it a number).
fn scalar_text(value: Option<&serde_json::Value>) -> String {
    match value {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}
