//! Tidying a document as it is rendered: no trailing spaces, one blank line at most between
//! blocks (outside fenced code), no blank lines at the start or the end, exactly one newline
//! at the end. A writer that tidies what passes through it: at 100,000 entries a document is
//! hundreds of MB, and neither it nor a tidied copy of it need be held whole.

use std::io::{self, Write};

use crate::markdown::Fences;

/// Tidies the text written to it line by line into `out`; [`Tidy::finish`] ends the last
/// line and hands `out` back.
pub(crate) struct Tidy<W: Write> {
    out: W,
    /// The line being written, up to its newline.
    line: Vec<u8>,
    fences: Fences,
    /// Whether the last line kept was blank outside code (or nothing was kept yet): a blank
    /// line then adds nothing.
    blank: bool,
    /// Blank lines kept but not written yet: written before the next line with text, dropped
    /// at the end.
    pending: usize,
    /// Whether a line with text was written.
    wrote: bool,
}

impl<W: Write> Tidy<W> {
    pub(crate) fn new(out: W) -> Self {
        Self {
            out,
            line: Vec::new(),
            fences: Fences::default(),
            blank: true,
            pending: 0,
            wrote: false,
        }
    }

    /// Ends the last line (written without a newline, if any) and returns the writer, flushed.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        if !self.line.is_empty() {
            self.end_line()?;
        }
        if !self.wrote {
            self.out.write_all(b"\n")?;
        }
        self.out.flush()?;
        Ok(self.out)
    }

    /// Handles the line in `self.line` (its newline not included) and empties it.
    fn end_line(&mut self) -> io::Result<()> {
        // Cut at newlines only: a whole line is whole UTF-8 (borrowed, not copied; checked
        // the fast way first).
        let line = match std::str::from_utf8(&self.line) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(&self.line),
        };
        let kept = line.trim_end();
        let in_code = self.fences.step(kept);
        if kept.is_empty() {
            // A blank line in code is kept (an empty code line); outside, only the first.
            if in_code || !self.blank {
                self.pending += 1;
            }
            self.blank = !in_code;
        } else {
            for _ in 0..self.pending {
                self.out.write_all(b"\n")?;
            }
            self.pending = 0;
            self.out.write_all(kept.as_bytes())?;
            self.out.write_all(b"\n")?;
            self.blank = false;
            self.wrote = true;
        }
        self.line.clear();
        Ok(())
    }
}

impl<W: Write> Write for Tidy<W> {
    fn write(&mut self, mut buf: &[u8]) -> io::Result<usize> {
        let len = buf.len();
        while let Some(at) = buf.iter().position(|b| *b == b'\n') {
            self.line.extend_from_slice(&buf[..at]);
            self.end_line()?;
            buf = &buf[at + 1..];
        }
        self.line.extend_from_slice(buf);
        Ok(len)
    }

    fn flush(&mut self) -> io::Result<()> {
        // The line being written is not flushed: it may still lose its trailing spaces.
        self.out.flush()
    }
}

/// Tidies `text` (as [`Tidy`] does, in memory).
#[cfg(test)]
pub(crate) fn tidy(text: &str) -> String {
    let mut tidy = Tidy::new(Vec::new());
    tidy.write_all(text.as_bytes()).unwrap_or_default();
    let bytes = tidy.finish().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_collapses_blank_lines_outside_code() {
        assert_eq!(
            tidy("# T\n\n\n\ntext  \n```text\n\n\n```\n\n\n"),
            "# T\n\ntext\n```text\n\n\n```\n"
        );
    }

    /// The tidying as it was written first (a copy made line by line, the whole text in
    /// memory): the streaming one must give the same text.
    fn tidy_by_copy(text: &str) -> String {
        let mut out = String::new();
        let mut fences = Fences::default();
        let mut blank = true;
        for line in text.lines() {
            let line = line.trim_end();
            if !fences.step(line) && line.is_empty() {
                if !blank {
                    blank = true;
                    out.push('\n');
                }
                continue;
            }
            blank = false;
            out.push_str(line);
            out.push('\n');
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        if out.is_empty() {
            out.push('\n');
        }
        out
    }

    const CASES: [&str; 13] = [
        "",
        "\n",
        "\n\n\n",
        "no newline at the end",
        "trailing  \t",
        "a\r\nb  \r\n\r\n\r\nc",
        "# T\n\n\n\ntext  \n```text\n\n  \n```\n\n\n",
        "~~~\nin code   \n\n\n~~~\nafter\n\n\n\nend   ",
        "  \n  \nlead\n \n \n",
        "é ü  \n\n\nßtrailing é  ",
        "```\nunclosed fence\n\n\n",
        "```\n\n\n```\n\n```\n\n```\ntext\n",
        "a\n```\n\n```\n\n\nb\n\n",
    ];

    #[test]
    fn streaming_tidy_gives_what_a_copy_gives() {
        for case in CASES {
            assert_eq!(tidy(case), tidy_by_copy(case), "{case:?}");
        }
    }

    #[test]
    fn the_text_may_come_in_any_pieces() {
        // A template writes a document in small pieces: a line, even a character, may be
        // split between two writes.
        for case in CASES {
            for size in [1, 2, 3, 7] {
                let mut tidy = Tidy::new(Vec::new());
                for piece in case.as_bytes().chunks(size) {
                    tidy.write_all(piece).unwrap();
                }
                let text = String::from_utf8(tidy.finish().unwrap()).unwrap();
                assert_eq!(text, tidy_by_copy(case), "{case:?} in pieces of {size}");
            }
        }
    }
}
