//! The page templates, embedded, and how a page or an error becomes a response.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use journal_lib::{Error, ErrorKind};
use minijinja::Environment;
use serde::Serialize;

/// The templates, by name; `.html` names are auto-escaped by minijinja.
const TEMPLATES: [(&str, &str); 9] = [
    ("documents.html", include_str!("templates/documents.html")),
    ("base.html", include_str!("templates/base.html")),
    ("timeline.html", include_str!("templates/timeline.html")),
    ("search.html", include_str!("templates/search.html")),
    ("entry.html", include_str!("templates/entry.html")),
    ("error.html", include_str!("templates/error.html")),
    ("document.html", include_str!("templates/document.html")),
    ("confidence.html", include_str!("templates/confidence.html")),
    ("metrics.html", include_str!("templates/metrics.html")),
];

/// Returns the environment holding every template; `site`: the pages of a static site (no
/// live updates, no review button).
pub(crate) fn environment(site: bool) -> Environment<'static> {
    let mut env = Environment::new();
    env.add_global("site", site);
    // Measured values as the documents print them: at most three decimals, no trailing zeros.
    env.add_filter("number", journal_entry::metrics::number);
    for (name, source) in TEMPLATES {
        #[allow(clippy::expect_used)] // embedded, and rendered by the tests: cannot fail later
        env.add_template(name, source)
            .expect("the embedded templates parse");
    }
    env
}

/// A page that could not be made: its status and what to say.
#[derive(Debug)]
pub(crate) struct PageError {
    pub status: StatusCode,
    pub message: String,
    pub hints: Vec<String>,
}

impl PageError {
    pub(crate) fn not_found(message: String) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message,
            hints: Vec::new(),
        }
    }
}

impl From<Error> for PageError {
    fn from(error: Error) -> Self {
        let status = if error.is_not_found() {
            StatusCode::NOT_FOUND
        } else if error.kind() == ErrorKind::User {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        Self {
            status,
            message: error.message(),
            // The page takes no parameter a library hint names.
            hints: error.hints(|_| None),
        }
    }
}

/// Renders `template` with `context`, or the error page.
/// Every page's header counts the entries new or edited since the operator's last review
/// (`review_new`; none in a static site, without a git user, or before a first review).
pub(crate) async fn page(
    state: &crate::State,
    template: &str,
    context: impl Serialize,
) -> Response {
    let review_new = if state.site {
        None
    } else {
        state
            .with_journal(|journal, _| Ok(journal.since_review_count().ok().flatten()))
            .await
            .ok()
            .flatten()
    };
    let context = minijinja::context! {
        review_new => review_new,
        ..minijinja::Value::from(minijinja::value::Serde(&context))
    };
    match state
        .templates
        .get_template(template)
        .and_then(|t| t.render(context))
    {
        Ok(html) => Html(html).into_response(),
        Err(e) => error_page(
            state,
            &PageError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: format!("internal error: the page did not render: {e}"),
                hints: Vec::new(),
            },
        ),
    }
}

/// Renders the error page for `error`, with its status.
pub(crate) fn error_page(state: &crate::State, error: &PageError) -> Response {
    #[derive(Serialize)]
    struct Context<'a> {
        status: u16,
        reason: &'a str,
        message: &'a str,
        hints: &'a [String],
    }
    let context = Context {
        status: error.status.as_u16(),
        reason: error.status.canonical_reason().unwrap_or_default(),
        message: &error.message,
        hints: &error.hints,
    };
    let html = state
        .templates
        .get_template("error.html")
        .and_then(|t| t.render(minijinja::value::Serde(&context)))
        .unwrap_or_else(|_| format!("error: {}", error.message));
    (error.status, Html(html)).into_response()
}
