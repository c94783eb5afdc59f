//! Where in a JSON text serde_json gave up: the path of the value it was reading, such as
//! `success.results[3].orderedAt`.
//!
//! serde_json reports a failure's line and column, which is exact but useless to a reader of
//! a 50-row page. Tracking the path while decoding (serde_path_to_error) compiles every
//! answer type's decoding a second time, about a fifth of the crate's machine code, for a
//! path only a failure needs. So the path is recovered afterwards, from the text: one scan up
//! to the failure's position, compiled once for every type.
//!
//! The rule: the path names the innermost value, key or container that holds the last
//! non-blank byte serde_json had read. That byte is the end of a value that did not fit its
//! type (`"x"` where a number belongs, a pattern or date that did not match, an untagged value
//! no variant accepts), the `}` of an object that lacks a required field, or the first byte of
//! a value of the wrong kind. The paths are written as serde_path_to_error writes them: keys
//! joined by `.`, indices as `[i]`, and `.` for the whole text.

/// The path of the value serde_json was reading in `text` when it failed with `error`.
pub(crate) fn at_error(text: &[u8], error: &serde_json::Error) -> String {
    match offset(text, error.line(), error.column()) {
        Some(end) => before(text, end),
        None => ".".to_string(),
    }
}

/// The byte offset of serde_json's `line` (from 1) and `column` (bytes read on that line),
/// `None` for an error without a position.
fn offset(text: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let line_start = if line == 1 {
        0
    } else {
        text.iter()
            .enumerate()
            .filter(|&(_, byte)| *byte == b'\n')
            .nth(line - 2)
            .map(|(at, _)| at + 1)?
    };
    Some((line_start + column).min(text.len()))
}

/// The path of the innermost value, key or container holding the last non-blank byte of
/// `text[..end]`.
fn before(text: &[u8], end: usize) -> String {
    let Some(last) = text[..end].iter().rposition(|b| !b.is_ascii_whitespace()) else {
        return ".".to_string();
    };
    let mut scan = Scan::default();
    let mut at = 0;
    while at <= last {
        let token = token_end(text, at);
        if let Some(path) = scan.token(text, at, token, last) {
            return path;
        }
        at = token;
    }
    scan.path(scan.frames.len())
}

/// One open object or array, and the member being read in it.
struct Frame {
    /// The member's segment: its key, or its index in an array.
    member: Option<Segment>,
    /// `true` in an array; in an object, the next string is a key.
    array: bool,
    /// An object waits for a key, or (after its `:`) for the key's value.
    awaiting_key: bool,
    awaiting_value: bool,
    /// An array's elements so far.
    elements: usize,
}

enum Segment {
    Key(String),
    Index(usize),
}

/// The open containers, outermost first.
#[derive(Default)]
struct Scan {
    frames: Vec<Frame>,
}

impl Scan {
    /// Reads the token `text[start..end]`; the path if it holds `last`.
    fn token(&mut self, text: &[u8], start: usize, end: usize, last: usize) -> Option<String> {
        let holds_last = (start..end).contains(&last);
        let depth = self.frames.len();
        match text[start] {
            byte if byte.is_ascii_whitespace() => None,
            b'}' | b']' => {
                let path = holds_last.then(|| self.path(depth.saturating_sub(1)));
                self.frames.pop();
                path
            }
            b':' => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.awaiting_value = true;
                }
                holds_last.then(|| self.path(depth))
            }
            b',' => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.awaiting_key = !frame.array;
                }
                holds_last.then(|| self.path(depth.saturating_sub(1)))
            }
            b'"' if self.frames.last().is_some_and(|f| f.awaiting_key) => {
                if let Some(frame) = self.frames.last_mut() {
                    frame.member = Some(Segment::Key(key(&text[start..end])));
                    frame.awaiting_key = false;
                }
                holds_last.then(|| self.path(depth))
            }
            // A value where an object wants a `,` or `}`: the object is what is broken.
            _ if self
                .frames
                .last()
                .is_some_and(|f| !f.array && !f.awaiting_value) =>
            {
                holds_last.then(|| self.path(depth - 1))
            }
            opening => {
                self.value_starts();
                let path = holds_last.then(|| self.path(self.frames.len()));
                if matches!(opening, b'{' | b'[') {
                    self.frames.push(Frame {
                        member: None,
                        array: opening == b'[',
                        awaiting_key: opening == b'{',
                        awaiting_value: false,
                        elements: 0,
                    });
                }
                path
            }
        }
    }

    /// A value starts in the innermost container: in an array, it is the next element.
    fn value_starts(&mut self) {
        match self.frames.last_mut() {
            Some(frame) if frame.array => {
                frame.member = Some(Segment::Index(frame.elements));
                frame.elements += 1;
            }
            Some(frame) => frame.awaiting_value = false,
            None => {}
        }
    }

    /// The path through the members of the outermost `depth` containers.
    fn path(&self, depth: usize) -> String {
        let mut path = String::new();
        for segment in self.frames[..depth]
            .iter()
            .filter_map(|f| f.member.as_ref())
        {
            match segment {
                Segment::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        if path.is_empty() {
            path.push('.');
        }
        path
    }
}

/// Where the token starting at `start` ends: after a string's closing quote, after one
/// structural byte, or at the end of a run of other bytes (a number or a literal).
fn token_end(text: &[u8], start: usize) -> usize {
    match text[start] {
        b'"' => {
            let mut at = start + 1;
            while at < text.len() {
                match text[at] {
                    b'\\' => at += 2,
                    b'"' => return at + 1,
                    _ => at += 1,
                }
            }
            text.len()
        }
        b'{' | b'}' | b'[' | b']' | b':' | b',' => start + 1,
        byte if byte.is_ascii_whitespace() => start + 1,
        _ => text[start..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || b"{}[]:,\"".contains(b))
            .map_or(text.len(), |length| start + length),
    }
}

/// A key's text: unescaped when it is valid JSON, as sent otherwise.
fn key(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted).unwrap_or_else(|_| {
        let inner = quoted.strip_prefix(b"\"").unwrap_or(quoted);
        let inner = inner.strip_suffix(b"\"").unwrap_or(inner);
        String::from_utf8_lossy(inner).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Row {
        id: u64,
        name: Option<String>,
        #[serde(default)]
        tags: Vec<Tag>,
    }

    /// Like a typify pattern type: text that must match.
    #[derive(Debug)]
    struct Tag;

    impl std::str::FromStr for Tag {
        type Err = &'static str;
        fn from_str(text: &str) -> Result<Self, Self::Err> {
            text.starts_with('+').then_some(Tag).ok_or("no + in front")
        }
    }

    /// As `codegen/src/in_place_errors.rs` makes the pattern types decode.
    impl<'de> serde::Deserialize<'de> for Tag {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_str(crate::visitors::Text::new("a tag"))
        }
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        rows: Vec<Row>,
        total: u32,
    }

    /// The path from the position, next to the one serde_path_to_error tracks.
    fn both(text: &str) -> (String, String) {
        let error = serde_json::from_str::<Page>(text).expect_err(text);
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let tracked = serde_path_to_error::deserialize::<_, Page>(&mut deserializer)
            .expect_err(text)
            .path()
            .to_string();
        (at_error(text.as_bytes(), &error), tracked)
    }

    #[test]
    fn paths_match_the_tracking_deserializer_compact_and_pretty() {
        let cases = [
            (r#"{"rows":[{"id":"7"}],"total":1}"#, "rows[0].id"),
            (
                r#"{"rows":[{"id":7},{"id":8,"name":5}],"total":1}"#,
                "rows[1].name",
            ),
            (r#"{"rows":[{"id":7},{"name":"x"}],"total":1}"#, "rows[1]"),
            (
                r#"{"rows":[{"id":7,"tags":["+a","b"]}],"total":1}"#,
                "rows[0].tags[1]",
            ),
            (r#"{"rows":[{"id":7,"tags":["+a"]}],"total":-1}"#, "total"),
            (r#"{"rows":{"id":7},"total":1}"#, "rows"),
            (r#"{"rows":[[1]],"total":1}"#, "rows[0]"),
            (r#"{"rows":[]}"#, "."),
            (
                r#"{"rows":[{"id":7,"name":null,"tags":null}],"total":1}"#,
                "rows[0].tags",
            ),
            (
                r#"{"r\"ows":1,"rows":[{"id":1.5e3}],"total":1}"#,
                "rows[0].id",
            ),
        ];
        for (compact, expected) in cases {
            let value: serde_json::Value = serde_json::from_str(compact).expect(compact);
            let pretty = serde_json::to_string_pretty(&value).expect("pretty");
            for text in [compact.to_string(), pretty] {
                let (found, tracked) = both(&text);
                assert_eq!(found, expected, "{text}");
                assert_eq!(found, tracked, "{text}");
            }
        }
    }

    #[test]
    fn broken_text_still_names_a_place() {
        for (text, expected) in [
            (r#"{"rows":[{"id":7,"#, "rows[0]"),
            (r#"{"rows":[{"id":7}] "total":1}"#, "."),
            (r#"{"rows":[{"id":tru"#, "rows[0].id"),
            (r#"{"rows":[],"total":1} x"#, "."),
            ("", "."),
        ] {
            let error = serde_json::from_str::<Page>(text).expect_err(text);
            assert_eq!(at_error(text.as_bytes(), &error), expected, "{text}");
        }
    }

    #[test]
    fn positions_on_later_lines_count_from_their_line() {
        let text = "{\n  \"rows\": [],\n  \"total\": \"many\"\n}";
        let error = serde_json::from_str::<Page>(text).expect_err("total is text");
        assert_eq!(error.line(), 3);
        assert_eq!(at_error(text.as_bytes(), &error), "total");
    }
}
