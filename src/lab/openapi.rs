//! `GET /openapi.json`: the lab's own API description, written as the contract the routes
//! should keep. The hardened twins keep it; the vulnerable routes break it where their bugs
//! are (whole user records where the description lists names, an old version that answers
//! without credentials instead of 410, a stack trace as text where a JSON error is
//! documented), so `apiward spec check` against each server finds the difference. Its two
//! servers are this lab's: the vulnerable routes over HTTP and the twins over HTTPS.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::jwt_routes::JwtClass;
use super::state::LabState;

pub async fn serve(State(state): State<Arc<LabState>>) -> Json<Value> {
    let servers = match state.addrs.get() {
        Some((http, https)) => json!([
            {
                "url": format!("http://127.0.0.1:{}", http.port()),
                "description": "local lab: the vulnerable routes (plain HTTP, on purpose)",
                "x-internal": true,
            },
            {
                "url": format!("https://localhost:{}/hardened", https.port()),
                "description": "local lab: the hardened twins",
                "x-internal": true,
            },
        ]),
        None => json!([]),
    };
    let mut doc = description();
    doc["servers"] = servers;
    Json(doc)
}

/// A JSON body of `schema`.
fn body(schema: Value) -> Value {
    json!({ "content": { "application/json": { "schema": schema } } })
}

fn answer(description: &str, schema: Value) -> Value {
    let mut r = body(schema);
    r["description"] = json!(description);
    r
}

fn error(description: &str) -> Value {
    answer(description, json!({ "$ref": "#/components/schemas/Error" }))
}

/// What axum answers when a path segment is not the number it should be.
fn bad_path() -> Value {
    json!({
        "description": "The path parameter is not a number.",
        "content": { "text/plain": { "schema": { "type": "string", "maxLength": 200 } } },
    })
}

fn id_param() -> Value {
    json!({
        "name": "id", "in": "path", "required": true,
        "schema": { "type": "integer", "format": "int64", "minimum": 1, "maximum": 1000000 },
        "example": 1,
    })
}

fn refs(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The description without its servers, which depend on the lab's ports.
pub fn description() -> Value {
    let bearer = json!([{ "session": [] }]);
    let public = json!([]);
    let classes: Vec<&str> = JwtClass::ALL.iter().map(|c| c.slug()).collect();
    let class_param = json!({
        "name": "class", "in": "path", "required": true,
        "schema": { "type": "string", "enum": classes },
    });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "apiward practice lab",
            "version": "1.0.0",
            "description": "The contract the lab's routes should keep. The hardened twins under /hardened keep it; the vulnerable routes do not. Keep the lab on loopback.",
        },
        "security": bearer,
        "components": {
            "securitySchemes": {
                "session": {
                    "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "The session token from POST /login (RS256, checked as RFC8725 says).",
                },
                "api_key": {
                    "type": "apiKey", "in": "header", "name": "X-API-Key",
                    "description": "The API key from POST /login.",
                },
            },
            "schemas": {
                "Error": {
                    "type": "object", "additionalProperties": false, "required": ["error"],
                    "properties": {
                        "error": { "type": "string", "maxLength": 500 },
                        "request_id": { "type": "string", "maxLength": 64 },
                    },
                },
                "User": {
                    "type": "object", "additionalProperties": false,
                    "description": "A user as anyone allowed to see it may: no password hash, no API key.",
                    "properties": {
                        "id": { "type": "integer", "format": "int64", "minimum": 1, "maximum": 1000000 },
                        "username": { "type": "string", "maxLength": 64 },
                        "email": { "type": "string", "format": "email", "maxLength": 200 },
                        "role": { "type": "string", "enum": ["user", "admin"] },
                    },
                },
                "UserName": {
                    "type": "object", "additionalProperties": false,
                    "description": "What the user list shows of each user.",
                    "properties": {
                        "id": { "type": "integer", "format": "int64", "minimum": 1, "maximum": 1000000 },
                        "username": { "type": "string", "maxLength": 64 },
                    },
                },
                "Company": {
                    "type": "object", "additionalProperties": false,
                    "properties": {
                        "id": { "type": "integer", "format": "int64", "minimum": 1, "maximum": 1000 },
                        "name": { "type": "string", "maxLength": 100 },
                        "website": { "type": "string", "format": "uri", "maxLength": 200 },
                        "country": { "type": "string", "maxLength": 2, "pattern": "^[A-Z]{2}$" },
                    },
                },
            },
        },
        "paths": {
            "/login": { "post": {
                "summary": "Log in: a session token and an API key.",
                "security": public,
                "requestBody": body(json!({
                    "type": "object", "additionalProperties": false, "required": ["username", "password"],
                    "properties": {
                        "username": { "type": "string", "maxLength": 64, "example": "alice" },
                        "password": { "type": "string", "maxLength": 200, "example": "alice-password" },
                    },
                })),
                "responses": {
                    "200": answer("Logged in.", json!({
                        "type": "object", "additionalProperties": false,
                        "properties": {
                            "token": { "type": "string", "maxLength": 4000 },
                            "api_key": { "type": "string", "maxLength": 200 },
                            "user": refs("User"),
                        },
                    })),
                    "401": error("Wrong username or password."),
                    "429": error("Too many failed logins: wait a minute."),
                },
            }},
            "/api/status": { "get": {
                "summary": "A public status page.",
                "security": public,
                "responses": {
                    "200": answer("Up.", json!({
                        "type": "object", "additionalProperties": false,
                        "properties": {
                            "status": { "type": "string", "maxLength": 20 },
                            "service": { "type": "string", "maxLength": 100 },
                        },
                    })),
                },
            }},
            "/api/me": {
                "get": {
                    "summary": "Your own record.",
                    "responses": { "200": answer("You.", refs("User")), "401": error("Log in first.") },
                },
                "patch": {
                    "summary": "Change your email; nothing else of the record is yours to change.",
                    "requestBody": body(json!({
                        "type": "object", "additionalProperties": false,
                        "properties": { "email": { "type": "string", "format": "email", "maxLength": 200 } },
                    })),
                    "responses": { "200": answer("Changed.", refs("User")), "401": error("Log in first.") },
                },
            },
            "/api/users": { "get": {
                "summary": "The users' names: never their records.",
                "responses": {
                    "200": answer("The users.", json!({
                        "type": "object", "additionalProperties": false,
                        "properties": { "users": { "type": "array", "maxItems": 1000, "items": refs("UserName") } },
                    })),
                    "401": error("Log in first."),
                },
            }},
            "/api/users/{id}": {
                "parameters": [id_param()],
                "get": {
                    "summary": "A user's record: your own, or any to an admin.",
                    "responses": {
                        "200": answer("The user.", refs("User")),
                        "400": bad_path(),
                        "401": error("Log in first."),
                        "403": error("Not your record."),
                        "404": error("No such user."),
                    },
                },
            },
            "/api/reports": { "get": {
                "summary": "Reports, for an API key sent in the X-API-Key header (never the URL).",
                "security": [{ "api_key": [] }],
                "responses": {
                    "200": answer("The reports.", json!({
                        "type": "object", "additionalProperties": false,
                        "properties": {
                            "owner": { "type": "string", "maxLength": 64 },
                            "reports": { "type": "array", "maxItems": 100, "items": {
                                "type": "object", "additionalProperties": false,
                                "properties": {
                                    "id": { "type": "integer", "format": "int32", "minimum": 1, "maximum": 1000 },
                                    "title": { "type": "string", "maxLength": 100 },
                                },
                            }},
                        },
                    })),
                    "400": error("The key was sent in the URL."),
                    "401": error("No or unknown API key."),
                },
            }},
            "/api/orders/{id}": {
                "parameters": [id_param()],
                "get": {
                    "summary": "An order (public in this lab); a failure answers a JSON error with a request id, never a trace.",
                    "security": public,
                    "responses": {
                        "200": answer("The order.", json!({
                            "type": "object", "additionalProperties": false,
                            "properties": {
                                "id": { "type": "integer", "format": "int32", "minimum": 1, "maximum": 1000 },
                                "item": { "type": "string", "maxLength": 100 },
                                "total": { "type": "number", "minimum": 0, "maximum": 100000 },
                            },
                        })),
                        "404": error("No such order."),
                        "500": error("Something failed: quote the request id."),
                    },
                },
            },
            "/api/admin/export": { "get": {
                "summary": "Every account, for admins only.",
                "responses": {
                    "200": answer("The export.", json!({
                        "type": "object", "additionalProperties": false,
                        "properties": {
                            "export": { "type": "string", "maxLength": 20 },
                            "accounts": { "type": "array", "maxItems": 1000, "items": refs("User") },
                        },
                    })),
                    "401": error("Log in first."),
                    "403": error("Admins only."),
                },
            }},
            "/api/coupons/redeem": { "post": {
                "summary": "Redeem the welcome coupon, once per customer.",
                "requestBody": body(json!({
                    "type": "object", "additionalProperties": false, "required": ["code"],
                    "properties": { "code": { "type": "string", "maxLength": 20, "example": "WELCOME10" } },
                })),
                "responses": {
                    "200": answer("Redeemed.", json!({
                        "type": "object", "additionalProperties": false,
                        "properties": {
                            "coupon": { "type": "string", "maxLength": 20 },
                            "redeemed_by": { "type": "string", "maxLength": 64 },
                            "times": { "type": "integer", "minimum": 1, "maximum": 1 },
                            "credit": { "type": "integer", "minimum": 0, "maximum": 10 },
                        },
                    })),
                    "401": error("Log in first."),
                    "404": error("No such coupon."),
                    "409": error("Already redeemed."),
                },
            }},
            "/api/link-preview": { "post": {
                "summary": "Preview a link: https to allow-listed hosts only.",
                "security": public,
                "requestBody": body(json!({
                    "type": "object", "additionalProperties": false, "required": ["url"],
                    "properties": { "url": { "type": "string", "format": "uri", "maxLength": 2000, "example": "https://docs.lab.apiward.test/" } },
                })),
                "responses": {
                    "200": answer("The preview.", json!({
                        "type": "object", "additionalProperties": false,
                        "properties": {
                            "url": { "type": "string", "maxLength": 2000 },
                            "preview": { "type": "string", "maxLength": 2000 },
                        },
                    })),
                    "400": error("Not a destination the preview fetches."),
                },
            }},
            "/api/companies/{id}": {
                "parameters": [id_param()],
                "get": {
                    "summary": "A company from the partner directory, validated before it is passed on.",
                    "security": public,
                    "responses": {
                        "200": answer("The company.", json!({
                            "type": "object", "additionalProperties": false,
                            "properties": {
                                "company": refs("Company"),
                                "source": { "type": "string", "enum": ["partner"] },
                            },
                        })),
                        "400": bad_path(),
                        "404": error("No such company."),
                        "502": error("The partner's answer was refused."),
                        "503": error("The partner API is not up."),
                    },
                },
            },
            "/v1/users/{id}": {
                "parameters": [id_param()],
                "get": {
                    "summary": "The first user API: retired, so it answers 410 to everyone.",
                    "deprecated": true,
                    "responses": {
                        "400": bad_path(),
                        "401": error("Log in first."),
                        "410": error("Retired: use /api/users/{id}."),
                    },
                },
            },
            "/jwt/{class}/me": {
                "parameters": [class_param.clone()],
                "get": {
                    "summary": "Who the class's token says you are.",
                    "responses": {
                        "200": answer("You.", json!({
                            "type": "object", "additionalProperties": false,
                            "properties": {
                                "you": { "type": "string", "maxLength": 64 },
                                "role": { "type": "string", "maxLength": 20 },
                                "claims": { "type": "object", "additionalProperties": true },
                            },
                        })),
                        "401": error("No valid token of this class."),
                        "404": error("No such class."),
                    },
                },
            },
            "/jwt/{class}/admin": {
                "parameters": [class_param],
                "get": {
                    "summary": "The admin area of a class: admins only.",
                    "responses": {
                        "200": answer("Welcome.", json!({
                            "type": "object", "additionalProperties": false,
                            "properties": {
                                "you": { "type": "string", "maxLength": 64 },
                                "message": { "type": "string", "maxLength": 100 },
                            },
                        })),
                        "401": error("No valid token of this class."),
                        "403": error("Admins only."),
                        "404": error("No such class."),
                    },
                },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_description_names_every_twinned_route_of_the_table() {
        let doc = super::description();
        let paths = doc["paths"].as_object().unwrap();
        for route in super::super::routes::ROUTES {
            if route.path.starts_with("/jwt/") {
                continue;
            }
            let method = route.method.to_ascii_lowercase();
            assert!(
                paths
                    .get(route.path)
                    .is_some_and(|item| item.get(&method).is_some()),
                "{} {} is not described",
                route.method,
                route.path
            );
        }
    }
}
