//! The front door of the stdio transport: every line the client sends is read here first.
//!
//! rmcp ignores a line that is not JSON and answers a `tools/call` whose params do not fit
//! with "method not found". JSON-RPC 2.0 asks for `-32700` (id null) for the first and
//! `-32602` for the second, with the request's id: this door answers those itself, and
//! passes every other line on to rmcp unchanged. Both write whole lines to stdout through
//! one writer, so their answers never interleave.

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt as _, AsyncRead, AsyncWrite, AsyncWriteExt as _, BufReader};
use tokio::sync::mpsc;

/// The parameters `tools/call` takes.
const CALL_PARAMS: [&str; 3] = ["name", "arguments", "_meta"];

/// What to do with one line from the client.
#[derive(Debug, PartialEq)]
pub(crate) enum Verdict {
    /// Pass it on to rmcp.
    Forward,
    /// Answer it with this error response.
    Answer(Value),
    /// Nothing (an empty line).
    Skip,
}

/// Judges one line (see the module's overview).
pub(crate) fn judge(line: &str) -> Verdict {
    if line.trim().is_empty() {
        return Verdict::Skip;
    }
    let message: Value = match serde_json::from_str(line) {
        Ok(message) => message,
        Err(e) => return Verdict::Answer(error(Value::Null, -32700, format!("parse error: {e}"))),
    };
    let Some(object) = message.as_object() else {
        return Verdict::Forward; // a batch or something else: rmcp's to judge
    };
    let id = object.get("id").cloned().unwrap_or(Value::Null);
    if object.get("method").and_then(Value::as_str) != Some("tools/call") || id.is_null() {
        return Verdict::Forward;
    }
    let Some(params) = object.get("params").and_then(Value::as_object) else {
        return Verdict::Answer(error(
            id,
            -32602,
            "invalid params: tools/call needs an object `params` with `name` (the tool) and \
             `arguments`"
                .to_owned(),
        ));
    };
    for key in params.keys() {
        if !CALL_PARAMS.contains(&key.as_str()) {
            let hint = journal_entry::closest(key, CALL_PARAMS)
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            return Verdict::Answer(error(
                id,
                -32602,
                format!("invalid params: unknown field `params.{key}`{hint}"),
            ));
        }
    }
    if !params.get("name").is_some_and(Value::is_string) {
        return Verdict::Answer(error(
            id,
            -32602,
            "invalid params: `params.name` (the tool to call, a string) is missing".to_owned(),
        ));
    }
    if params.get("arguments").is_some_and(|a| !a.is_object()) {
        return Verdict::Answer(error(
            id,
            -32602,
            "invalid params: `params.arguments` must be an object".to_owned(),
        ));
    }
    Verdict::Forward
}

fn error(id: Value, code: i64, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": journal_lib::redacted(message)}})
}

/// Reads the client's lines from `input`, answers what [`judge`] answers, forwards the rest
/// to `to_rmcp`; closes `to_rmcp` at the end of the input.
pub(crate) async fn read_client(
    input: impl AsyncRead + Unpin,
    mut to_rmcp: impl AsyncWrite + Unpin,
    answers: mpsc::UnboundedSender<String>,
) {
    let mut lines = BufReader::new(input).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        match judge(&line) {
            Verdict::Skip => {}
            Verdict::Answer(response) => {
                tracing::info!("answered a malformed message itself");
                let _ = answers.send(response.to_string());
            }
            Verdict::Forward => {
                if to_rmcp.write_all(line.as_bytes()).await.is_err()
                    || to_rmcp.write_all(b"\n").await.is_err()
                {
                    break;
                }
            }
        }
    }
    let _ = to_rmcp.shutdown().await;
}

/// Reads rmcp's lines from `from_rmcp` into `answers`.
pub(crate) async fn read_server(
    from_rmcp: impl AsyncRead + Unpin,
    answers: mpsc::UnboundedSender<String>,
) {
    let mut lines = BufReader::new(from_rmcp).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if answers.send(line).is_err() {
            break;
        }
    }
}

/// Writes every answer, a whole line each, to `output`, until both senders are gone.
pub(crate) async fn write_answers(
    mut output: impl AsyncWrite + Unpin,
    mut answers: mpsc::UnboundedReceiver<String>,
) {
    while let Some(line) = answers.recv().await {
        if output.write_all(line.as_bytes()).await.is_err()
            || output.write_all(b"\n").await.is_err()
            || output.flush().await.is_err()
        {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_messages_are_answered_with_the_codes_json_rpc_names() {
        let Verdict::Answer(parse) = judge(r#"{"jsonrpc":"2.0","id":2,"method":"tools/list""#)
        else {
            panic!()
        };
        assert_eq!(parse["error"]["code"], -32700);
        assert_eq!(parse["id"], Value::Null);
        let Verdict::Answer(typo) =
            judge(r#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"nme":"x"}}"#)
        else {
            panic!()
        };
        assert_eq!(typo["error"]["code"], -32602);
        assert_eq!(typo["id"], 4);
        assert!(
            typo["error"]["message"]
                .as_str()
                .unwrap()
                .contains("did you mean `name`?")
        );
        let Verdict::Answer(args) = judge(
            r#"{"jsonrpc":"2.0","id":"a","method":"tools/call","params":{"name":"x","arguments":[1]}}"#,
        ) else {
            panic!()
        };
        assert_eq!(
            (args["id"].as_str(), args["error"]["code"].as_i64()),
            (Some("a"), Some(-32602))
        );
        assert_eq!(
            judge(
                r#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"x","arguments":{}}}"#
            ),
            Verdict::Forward
        );
        assert_eq!(
            judge(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#),
            Verdict::Forward
        );
        assert_eq!(judge("  "), Verdict::Skip);
    }
}
