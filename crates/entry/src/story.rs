//! Story names (`1.11`, `phase-2`): their order, as people count (`1.9` before `1.10`), and
//! the folder a story's own documents go to.

use std::cmp::Ordering;

/// Compares two story names as people count: runs of digits by their number, the rest as
/// text (`1.2` < `1.9` < `1.10` < `2.1`; `phase-2` < `phase-10`).
pub fn story_order(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (chunk_a, rest_a) = chunk(a);
        let (chunk_b, rest_b) = chunk(b);
        let digits = |s: &str| s.as_bytes()[0].is_ascii_digit();
        let order = if digits(chunk_a) && digits(chunk_b) {
            let (na, nb) = (
                chunk_a.trim_start_matches('0'),
                chunk_b.trim_start_matches('0'),
            );
            na.len().cmp(&nb.len()).then_with(|| na.cmp(nb))
        } else {
            chunk_a.cmp(chunk_b)
        };
        if order != Ordering::Equal {
            return order;
        }
        (a, b) = (rest_a, rest_b);
    }
}

/// Splits off the leading run of ASCII digits, or of anything else.
fn chunk(s: &str) -> (&str, &str) {
    let digits = s.as_bytes()[0].is_ascii_digit();
    let end = s
        .find(|c: char| c.is_ascii_digit() != digits)
        .unwrap_or(s.len());
    s.split_at(end)
}

/// The folder name of a story's own documents (`story-1.11`): letters, digits, `.`, `-` and
/// `_` kept, anything else a `-`.
pub fn story_folder(story: &str) -> String {
    let name: String = story
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("story-{}", name.trim_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stories_sort_as_people_count() {
        let mut stories = vec!["1.10", "2.1", "1.9", "1.2", "phase-10", "phase-2", "1.09"];
        stories.sort_by(|a, b| story_order(a, b));
        assert_eq!(
            stories,
            ["1.2", "1.9", "1.09", "1.10", "2.1", "phase-2", "phase-10"]
        );
    }

    #[test]
    fn a_story_names_a_folder_of_its_own() {
        assert_eq!(story_folder("1.11"), "story-1.11");
        assert_eq!(story_folder("../x y"), "story--x-y");
    }
}
