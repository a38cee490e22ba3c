//! The "partner" API the lab consumes (API10:2023 Unsafe Consumption of APIs): a company
//! directory on its own loopback port, run by the lab. Like many public directories, anyone
//! may edit a listing (`PUT /companies/{id}`), which is how a learner poisons what the lab's
//! `/api/companies/{id}` passes on. [`validate_company`] is the check the hardened twin does.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Map, Value, json};

use super::refuse::refuse;

/// The directory, seeded with three companies at every start.
pub struct Directory {
    companies: Mutex<BTreeMap<u64, Value>>,
}

impl Default for Directory {
    fn default() -> Self {
        let seed = [
            (1, "Acme Parcels", "https://acme-parcels.example", "NL"),
            (2, "Globex Freight", "https://globex.example", "DE"),
            (3, "Initech Logistics", "https://initech.example", "US"),
        ];
        let companies = seed
            .into_iter()
            .map(|(id, name, website, country)| {
                let record =
                    json!({ "id": id, "name": name, "website": website, "country": country });
                (id, record)
            })
            .collect();
        Self {
            companies: Mutex::new(companies),
        }
    }
}

/// The partner's own routes.
pub fn router() -> Router {
    Router::new()
        .route("/companies/{id}", get(company).put(edit))
        .route(
            "/",
            get(|| async {
                Json(json!({
                    "service": "partner company directory (run by the apiward lab)",
                    "routes": ["GET /companies/{id}", "PUT /companies/{id} (anyone may edit a listing)"],
                }))
            }),
        )
        // A listing is small; nobody gets to park megabytes here.
        .layer(DefaultBodyLimit::max(16 << 10))
        .with_state(Arc::new(Directory::default()))
}

async fn company(State(dir): State<Arc<Directory>>, Path(id): Path<u64>) -> Response {
    match lock(&dir.companies).get(&id) {
        Some(c) => Json(c.clone()).into_response(),
        None => refuse(StatusCode::NOT_FOUND, "no such company"),
    }
}

/// `PUT /companies/{id}`: replaces the listing with whatever JSON object is sent.
async fn edit(
    State(dir): State<Arc<Directory>>,
    Path(id): Path<u64>,
    Json(mut listing): Json<Map<String, Value>>,
) -> Response {
    if !(1..=1000).contains(&id) {
        return refuse(StatusCode::NOT_FOUND, "listings are numbered 1 to 1000");
    }
    listing.insert("id".into(), json!(id));
    let listing = Value::Object(listing);
    lock(&dir.companies).insert(id, listing.clone());
    Json(listing).into_response()
}

/// What a company record may hold, checked field by field; the clean record (known fields
/// only) or why it fails.
pub fn validate_company(data: &Value) -> Result<Value, String> {
    let obj = data.as_object().ok_or("it is not a JSON object")?;
    for field in obj.keys() {
        if !["id", "name", "website", "country"].contains(&field.as_str()) {
            return Err(format!("unexpected field '{field}'"));
        }
    }
    let text = |name: &str| obj.get(name).and_then(Value::as_str);
    let name = text("name").ok_or("no name")?;
    if name.is_empty() || name.chars().count() > 100 {
        return Err("the name is empty or longer than 100 characters".into());
    }
    if name
        .chars()
        .any(|c| matches!(c, '<' | '>' | '"') || c.is_control())
    {
        return Err("the name holds markup or control characters".into());
    }
    let website = text("website").ok_or("no website")?;
    let url = reqwest::Url::parse(website).map_err(|_| "the website is not a URL")?;
    if url.scheme() != "https" {
        return Err(format!(
            "the website's scheme is {}:, not https:",
            url.scheme()
        ));
    }
    let country = text("country").ok_or("no country")?;
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err("the country is not a two-letter code".into());
    }
    Ok(json!({
        "id": obj.get("id").and_then(Value::as_u64),
        "name": name, "website": website, "country": country,
    }))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeded_listings_validate_and_poisoned_ones_do_not() {
        for c in lock(&Directory::default().companies).values() {
            assert!(validate_company(c).is_ok(), "{c}");
        }
        let ok = json!({"id": 1, "name": "Acme", "website": "https://a.example", "country": "NL"});
        assert!(validate_company(&ok).is_ok());
        for bad in [
            json!({"id": 1, "name": "<script>alert(1)</script>", "website": "https://a.example", "country": "NL"}),
            json!({"id": 1, "name": "Acme", "website": "javascript:alert(1)", "country": "NL"}),
            json!({"id": 1, "name": "Acme", "website": "https://a.example", "country": "NL", "role": "admin"}),
            json!({"id": 1, "name": "Acme", "website": "https://a.example", "country": "Netherlands"}),
            json!("just text"),
        ] {
            assert!(validate_company(&bad).is_err(), "{bad}");
        }
    }
}
