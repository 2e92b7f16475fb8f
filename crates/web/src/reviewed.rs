//! The review button: POST /review marks "reviewed up to here" for the operator's git user
//! (the same mark as `journal review`), forgets the kept pages (the home shows what changed
//! since the review) and sends the browser back to the home page.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

pub(crate) async fn mark(State(state): State<crate::State>) -> Response {
    let marked = state.with_journal(|journal, _| journal.mark_review()).await;
    match marked {
        Ok(marked) => {
            state.pages.forget();
            tracing::info!(
                "reviewed up to {} for {}",
                marked.commit,
                marked.covered.user
            );
            (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response()
        }
        Err(e) => crate::render::error_page(&state, &e.into()),
    }
}
