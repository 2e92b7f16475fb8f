//! `tools/list` is the public contract: the names, descriptions, argument and result schemas
//! and hints, pinned as a snapshot. A change here is a change for every client.

mod common;

use common::Session;

#[tokio::test]
async fn tools_list_is_pinned() {
    let s = Session::start().await;
    let tools = s.client.list_all_tools().await.unwrap();
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(
        names,
        [
            "journal_add",
            "journal_assess",
            "journal_coverage",
            "journal_list",
            "journal_review",
            "journal_search",
            "journal_show",
            "journal_vocabulary"
        ]
    );
    for tool in &tools {
        let read_only = tool.annotations.as_ref().and_then(|a| a.read_only_hint);
        let writes =
            ["journal_add", "journal_assess", "journal_review"].contains(&tool.name.as_ref());
        assert_eq!(read_only, Some(!writes), "{}", tool.name);
        assert!(
            tool.output_schema.is_some(),
            "{} has an output schema",
            tool.name
        );
    }
    insta::assert_json_snapshot!("tools_list", tools);
}

#[tokio::test]
async fn the_server_says_when_to_record() {
    let s = Session::start().await;
    let info = s.client.peer_info().unwrap();
    assert_eq!(
        info.server_info.as_ref().map(|i| i.name.as_str()),
        Some("journal")
    );
    let instructions = info.instructions.clone().unwrap();
    for words in [
        "journal_add",
        "commit",
        "journal_vocabulary",
        "supersedes",
        "credentials",
    ] {
        assert!(instructions.contains(words), "{words}");
    }
}
