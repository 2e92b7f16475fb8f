//! Query strings read into typed parameters; one that does not fit gets this server's own 400
//! (the page's error page, or JSON under `/api/`), naming the parameter, never the
//! framework's raw text.

use axum::extract::{FromRequestParts, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::render::{PageError, error_page};

/// A query string as `T`.
pub(crate) struct Params<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<crate::State> for Params<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::State,
    ) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(rejection) => {
                // axum reads query strings through serde_path_to_error: the text starts with
                // the parameter's name (`page: invalid digit found in string`).
                let detail = rejection.body_text();
                let detail = detail
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&detail);
                let (message, hints) = match detail.split_once(": ") {
                    Some((name, why)) if !name.contains(' ') => (
                        format!("the query parameter `{name}` is not valid: {why}"),
                        vec![hint(name)],
                    ),
                    _ => (
                        format!("the query string is not valid: {detail}"),
                        Vec::new(),
                    ),
                };
                let error = PageError {
                    status: StatusCode::BAD_REQUEST,
                    message: journal_lib::redacted(message),
                    hints,
                };
                Err(if parts.uri.path().starts_with("/api/") {
                    crate::api::error(error)
                } else {
                    error_page(state, &error)
                })
            }
        }
    }
}

/// What a parameter takes.
fn hint(name: &str) -> String {
    match name {
        "page" | "limit" => format!("`{name}` is a whole number, 1 or more"),
        "all" => "`all` is true or false".to_owned(),
        _ => format!("see the search form for what `{name}` takes"),
    }
}
