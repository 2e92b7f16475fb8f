//! The tail of a command's output, as `journal run` records it: the last lines of stdout and
//! stderr together, as a terminal would have shown them (carriage-return overwrites applied,
//! colour and cursor escapes removed), in bounded memory however long the command talks.

use std::collections::VecDeque;

/// Longest line kept; a progress bar without newlines must not grow without bound.
const MAX_LINE: usize = 64 * 1024;

/// The last `keep` lines of a stream of bytes.
#[derive(Debug)]
pub struct OutputTail {
    keep: usize,
    lines: VecDeque<Vec<u8>>,
    partial: Vec<u8>,
    /// Lines that fell off the front.
    dropped: usize,
}

impl OutputTail {
    pub fn new(keep: usize) -> Self {
        Self {
            keep,
            lines: VecDeque::with_capacity(keep + 1),
            partial: Vec::new(),
            dropped: 0,
        }
    }

    /// Adds a chunk of output (lines may span chunks).
    pub fn push(&mut self, mut bytes: &[u8]) {
        while let Some(newline) = bytes.iter().position(|&b| b == b'\n') {
            self.partial.extend_from_slice(&bytes[..newline]);
            let line = std::mem::take(&mut self.partial);
            self.lines.push_back(line);
            if self.lines.len() > self.keep {
                self.lines.pop_front();
                self.dropped += 1;
            }
            bytes = &bytes[newline + 1..];
        }
        self.partial.extend_from_slice(bytes);
        if self.partial.len() > MAX_LINE {
            let cut = self.partial.len() - MAX_LINE;
            self.partial.drain(..cut);
        }
    }

    /// Returns the kept lines as text, and how many lines came before them.
    pub fn finish(mut self) -> (Vec<String>, usize) {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.lines.push_back(line);
            if self.lines.len() > self.keep {
                self.lines.pop_front();
                self.dropped += 1;
            }
        }
        let lines = self.lines.iter().map(|l| as_shown(l)).collect();
        (lines, self.dropped)
    }
}

/// Returns a line as a terminal shows it: the text after its last carriage return, without
/// escape sequences or other control characters, trailing blanks trimmed.
fn as_shown(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_end_matches('\r');
    let text = text.rsplit('\r').next().unwrap_or_default();
    strip_escapes(text).trim_end().to_owned()
}

/// Removes ANSI escape sequences (CSI such as colours, OSC such as titles and links, and
/// two-byte escapes) and control characters other than tab.
pub fn strip_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                // CSI: parameters and intermediates up to a final byte in @..~.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC: up to BEL or ESC \.
                Some(']') => {
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' {
                            break;
                        }
                        if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                            chars.next();
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_lines_across_chunks() {
        let mut tail = OutputTail::new(3);
        tail.push(b"one\ntw");
        tail.push(b"o\nthree\nfour\nfi");
        tail.push(b"ve");
        assert_eq!(
            tail.finish(),
            (
                vec!["three".to_owned(), "four".to_owned(), "five".to_owned()],
                2
            )
        );
    }

    #[test]
    fn shows_lines_as_a_terminal_would() {
        let mut tail = OutputTail::new(10);
        tail.push(b"\x1b[32mok\x1b[0m done  \r\n");
        tail.push(b"progress 10%\rprogress 55%\rprogress 100%\n");
        tail.push(b"\x1b]0;title\x07plain\ttab\x08\n");
        let (lines, dropped) = tail.finish();
        assert_eq!(lines, ["ok done", "progress 100%", "plain\ttab"]);
        assert_eq!(dropped, 0);
    }

    #[test]
    fn a_line_without_end_stays_bounded() {
        let mut tail = OutputTail::new(2);
        for _ in 0..200 {
            tail.push(&[b'x'; 1024]);
        }
        let (lines, _) = tail.finish();
        assert_eq!(lines[0].len(), MAX_LINE);
    }
}
