//! The tail of a command's output, as `journal run` records it: the last lines of stdout and
//! stderr together, as a terminal would have shown them (carriage-return overwrites applied,
//! colour and cursor escapes removed), in bounded memory however long the command talks.

/// Longest line kept; a progress bar without newlines must not grow without bound.
const MAX_LINE: usize = 64 * 1024;

/// The buffer is trimmed to its last lines when it grows past this: one pass over the bytes
/// now and then instead of an allocation per line (a chatty command prints millions).
const TRIM_AT: usize = 2 * 1024 * 1024;

/// The last `keep` lines of a stream of bytes.
#[derive(Debug)]
pub struct OutputTail {
    keep: usize,
    buf: Vec<u8>,
    /// Size at which the next trim happens: twice what the last one kept, at least TRIM_AT,
    /// so that trimming stays linear overall however long the kept lines are.
    next_trim: usize,
    /// Lines that fell off the front.
    dropped: usize,
}

impl OutputTail {
    pub fn new(keep: usize) -> Self {
        Self {
            keep,
            buf: Vec::new(),
            next_trim: TRIM_AT,
            dropped: 0,
        }
    }

    /// Adds a chunk of output (lines may span chunks).
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() > self.next_trim {
            self.trim();
            self.next_trim = TRIM_AT.max(2 * self.buf.len());
        }
    }

    /// Keeps the last `keep` complete lines and the line in progress, that one cut to its last
    /// MAX_LINE bytes.
    fn trim(&mut self) {
        let mut newlines = 0;
        let mut start = 0;
        for (i, b) in self.buf.iter().enumerate().rev() {
            if *b == b'\n' {
                newlines += 1;
                if newlines > self.keep {
                    start = i + 1;
                    break;
                }
            }
        }
        self.dropped += self.buf[..start].iter().filter(|b| **b == b'\n').count();
        self.buf.drain(..start);
        // A line in progress that never ends.
        let partial = self.buf.len()
            - self
                .buf
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
        if partial > MAX_LINE {
            let from = self.buf.len() - partial;
            self.buf.drain(from..from + partial - MAX_LINE);
        }
    }

    /// Returns the kept lines as text, and how many lines came before them.
    pub fn finish(mut self) -> (Vec<String>, usize) {
        self.trim();
        let text = self.buf.strip_suffix(b"\n").unwrap_or(&self.buf);
        if text.is_empty() {
            return (Vec::new(), self.dropped);
        }
        let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
        let extra = lines.len().saturating_sub(self.keep);
        let kept = lines[extra..]
            .iter()
            .map(|l| as_shown(&l[l.len().saturating_sub(MAX_LINE)..]))
            .collect();
        (kept, self.dropped + extra)
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
    fn counts_the_lines_dropped_across_trims() {
        let mut tail = OutputTail::new(3);
        let total = 400_000;
        for n in 1..=total {
            tail.push(format!("line {n}\n").as_bytes());
        }
        assert!(tail.buf.len() <= TRIM_AT + 16);
        let (lines, dropped) = tail.finish();
        assert_eq!(lines, ["line 399998", "line 399999", "line 400000"]);
        assert_eq!(dropped, total - 3);
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
