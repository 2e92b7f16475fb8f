//! `/events`: server-sent events that tell an open page the journal changed, so that it
//! renders itself again. The change comes from the journal's watcher (the server's own, or a
//! `journal watch`): its heartbeat records each sync, and this endpoint reads that small file
//! a few times a second, so a page shows an entry well within a second of its file being
//! written (the watcher's 100 ms quiet period, one sync, one poll).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use journal_lib::ChangeProbe;

use crate::render::error_page;

/// How often the watcher's heartbeat is read.
const POLL: Duration = Duration::from_millis(150);

/// `/events`: `ready` at once, then `change` after each sync of the index.
pub(crate) async fn events(State(state): State<crate::State>) -> Response {
    let probe = match state
        .with_journal(|journal, _| Ok(journal.change_probe()))
        .await
    {
        Ok(probe) => probe,
        Err(e) => return error_page(&state, &e.into()),
    };
    let start = last_sync(&probe).await;
    let ready = futures_util::stream::once(async { Ok(Event::default().event("ready").data("")) });
    let changes = futures_util::stream::unfold((probe, start), |(probe, seen)| async move {
        loop {
            tokio::time::sleep(POLL).await;
            let now = last_sync(&probe).await;
            if now.is_some() && now != seen {
                let event = Event::default()
                    .event("change")
                    .data(now.unwrap_or_default().to_string());
                return Some((Ok::<Event, Infallible>(event), (probe, now)));
            }
        }
    });
    Sse::new(futures_util::StreamExt::chain(ready, changes))
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn last_sync(probe: &ChangeProbe) -> Option<i64> {
    let probe = probe.clone();
    tokio::task::spawn_blocking(move || probe.last_sync())
        .await
        .ok()
        .flatten()
}
