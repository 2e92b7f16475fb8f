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
use tokio::sync::watch;

use crate::render::error_page;

/// How often the watcher's heartbeat is read.
const POLL: Duration = Duration::from_millis(150);

/// `/events`: `ready` at once, then `change` after each sync of the index. Every open page
/// listens to the one poller of [`changes`]: an open page costs a channel receiver, not a
/// thread or a poll of its own.
pub(crate) async fn events(State(state): State<crate::State>) -> Response {
    let mut changes = match changes(&state).await {
        Ok(changes) => changes,
        Err(e) => return error_page(&state, &e.into()),
    };
    changes.mark_unchanged();
    let ready = futures_util::stream::once(async { Ok(Event::default().event("ready").data("")) });
    let updates = futures_util::stream::unfold(changes, |mut changes| async move {
        loop {
            changes.changed().await.ok()?;
            // `None`: the watcher stopped; nothing changed for the page.
            let now = *changes.borrow_and_update();
            if let Some(now) = now {
                let event = Event::default().event("change").data(now.to_string());
                return Some((Ok::<Event, Infallible>(event), changes));
            }
        }
    });
    Sse::new(futures_util::StreamExt::chain(ready, updates))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Returns a receiver of the time of the journal's last sync by a healthy watcher (`None`
/// while none runs), starting the one poller of the watcher's heartbeat on first use.
pub(crate) async fn changes(
    state: &crate::State,
) -> Result<watch::Receiver<Option<i64>>, journal_lib::Error> {
    state
        .changes
        .get_or_try_init(|| async {
            let probe = state
                .with_journal(|journal, _| Ok(journal.change_probe()))
                .await?;
            let (sender, receiver) = watch::channel(last_sync(&probe).await);
            tokio::spawn(async move {
                loop {
                    tokio::time::sleep(POLL).await;
                    let now = last_sync(&probe).await;
                    if now != *sender.borrow() {
                        sender.send_replace(now);
                    }
                }
            });
            Ok(receiver)
        })
        .await
        .cloned()
}

async fn last_sync(probe: &ChangeProbe) -> Option<i64> {
    let probe = probe.clone();
    tokio::task::spawn_blocking(move || probe.last_sync())
        .await
        .ok()
        .flatten()
}
