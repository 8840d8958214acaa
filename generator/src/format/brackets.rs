//! Counting brackets in Rust text, strings, characters and comments skipped: where the
//! formatter may cut a file into pieces, and where a doc placeholder sits.

/// How deep in brackets (`(`, `[`, `{`) the text read so far ends, strings, characters and
/// comments skipped; a string or block comment may go on over several lines.
#[derive(Default)]
pub(super) struct Brackets {
    pub(super) depth: usize,
    /// Inside a block comment: how deeply nested.
    comment: usize,
    /// Inside a string: `Some(hashes)`, with `None` hashes for a string with escapes (`"..."`)
    /// and the number of `#` for a raw string (`r#"..."#`).
    string: Option<Option<usize>>,
}

impl Brackets {
    pub(super) fn at_top(&self) -> bool {
        self.depth == 0 && self.in_code()
    }

    /// Outside strings and block comments.
    pub(super) fn in_code(&self) -> bool {
        self.comment == 0 && self.string.is_none()
    }

    pub(super) fn line(&mut self, line: &str) {
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let rest = &bytes[i..];
            if self.comment > 0 {
                if rest.starts_with(b"*/") {
                    self.comment -= 1;
                    i += 2;
                } else if rest.starts_with(b"/*") {
                    self.comment += 1;
                    i += 2;
                } else {
                    i += 1;
                }
                continue;
            }
            match self.string {
                Some(None) => {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'"' => self.string = None,
                        _ => {}
                    }
                    i += 1;
                    continue;
                }
                Some(Some(hashes)) => {
                    let closes = bytes[i] == b'"'
                        && rest.len() > hashes
                        && rest[1..=hashes].iter().all(|&b| b == b'#');
                    if closes {
                        self.string = None;
                        i += hashes;
                    }
                    i += 1;
                    continue;
                }
                None => {}
            }
            // Whether a token may start at `at` (no name goes on through it).
            let token_start = |at: usize| {
                at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_')
            };
            match bytes[i] {
                b'/' if rest.starts_with(b"//") => return,
                b'/' if rest.starts_with(b"/*") => {
                    self.comment = 1;
                    i += 1;
                }
                b'"' => self.string = Some(None),
                b'r' if token_start(i) || (bytes[i - 1] == b'b' && token_start(i - 1)) => {
                    // `r"..."`, `r#"..."#`, `br"..."` (not the `r` of a name like `for`).
                    let hashes = rest[1..].iter().take_while(|&&b| b == b'#').count();
                    if rest.get(1 + hashes) == Some(&b'"') {
                        self.string = Some(Some(hashes));
                        i += 1 + hashes;
                    }
                }
                b'\'' => {
                    // A character (`'{'`, `'\''`), not a lifetime or label (`'a`).
                    if rest.get(1) == Some(&b'\\') {
                        // The quote, the backslash and the escaped character, then to the end.
                        i += 3;
                        while i < bytes.len() && bytes[i] != b'\'' {
                            i += 1;
                        }
                    } else if let Some(c) = line[i + 1..].chars().next() {
                        if line[i + 1 + c.len_utf8()..].starts_with('\'') {
                            i += c.len_utf8() + 1;
                        }
                    }
                }
                b'(' | b'[' | b'{' => self.depth += 1,
                b')' | b']' | b'}' => self.depth = self.depth.saturating_sub(1),
                _ => {}
            }
            i += 1;
        }
    }
}
