//! JSON pointers (RFC 6901) in the `#/a/b` form that OpenAPI `$ref`s use, and the lookup of the
//! line a pointer starts on in a YAML or JSON source, for error messages.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A pointer being built while walking the document.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(Vec<String>);

impl Pointer {
    pub fn root() -> Self {
        Self::default()
    }

    /// A child pointer one key or index deeper.
    pub fn push(&self, segment: impl ToString) -> Self {
        let mut segments = self.0.clone();
        segments.push(segment.to_string());
        Self(segments)
    }

    /// This pointer with `more` segments after it.
    pub fn join(&self, more: &[impl AsRef<str>]) -> Self {
        let mut segments = Vec::with_capacity(self.0.len() + more.len());
        segments.extend(self.0.iter().cloned());
        segments.extend(more.iter().map(|s| s.as_ref().to_string()));
        Self(segments)
    }

    /// This pointer with its first segment `to` instead of `from`; `None` if it does not start
    /// with `from`.
    pub fn rebased(&self, from: &str, to: &str) -> Option<Self> {
        let (first, rest) = self.0.split_first()?;
        (first == from).then(|| Self::root().push(to).join(rest))
    }

    pub fn segments(&self) -> &[String] {
        &self.0
    }

    /// Parses `#/a/b~1c` (the only form local `$ref`s take). `None` for anything else.
    pub fn parse_ref(reference: &str) -> Option<Self> {
        let rest = reference.strip_prefix('#')?;
        if rest.is_empty() {
            return Some(Self::root());
        }
        let rest = rest.strip_prefix('/')?;
        Some(Self(
            rest.split('/')
                .map(|s| s.replace("~1", "/").replace("~0", "~"))
                .collect(),
        ))
    }

    /// serde_path_to_error's path to a failing node, as a pointer.
    pub fn from_serde_path(path: &serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment;
        path.iter().fold(Self::root(), |p, segment| match segment {
            Segment::Seq { index } => p.push(index),
            Segment::Map { key } => p.push(key),
            Segment::Enum { variant } => p.push(variant),
            Segment::Unknown => p,
        })
    }

    /// Looks the pointer up in a JSON document.
    pub fn resolve<'a>(&self, doc: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
        self.0.iter().try_fold(doc, |node, segment| match node {
            serde_json::Value::Object(map) => map.get(segment),
            serde_json::Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
            _ => None,
        })
    }
}

impl std::fmt::Display for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("#")?;
        for segment in &self.0 {
            write!(f, "/{}", segment.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}

/// The 1-based line and column where the node at `pointer` starts in the YAML `source`, if the
/// source parses and the node exists. Only called on the error path, so it re-parses freely.
pub fn line_of(source: &str, pointer: &Pointer) -> Option<(usize, usize)> {
    lines_of(source, std::slice::from_ref(pointer))
        .into_iter()
        .next()
        .flatten()
}

/// [`line_of`] for many pointers in one pass over the source, in the order given.
pub fn lines_of(source: &str, pointers: &[Pointer]) -> Vec<Option<(usize, usize)>> {
    if looks_like_json(source) {
        if let Some(found) = json_lines_of(source, pointers) {
            return found;
        }
    }
    yaml_lines_of(source, pointers)
}

/// Whether `source` starts as a JSON document does (a YAML flow mapping does too; the JSON
/// reading is tried first and YAML's when it fails).
pub fn looks_like_json(source: &str) -> bool {
    source
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with(['{', '['])
}

/// The lines of `pointers` in a JSON `source`, or `None` if it is not JSON. YAML parsers refuse
/// some valid JSON (escaped surrogate pairs), so JSON gets a scanner of its own.
fn json_lines_of(source: &str, pointers: &[Pointer]) -> Option<Vec<Option<(usize, usize)>>> {
    let mut targets: std::collections::BTreeMap<&[String], Option<(usize, usize)>> =
        pointers.iter().map(|p| (p.segments(), None)).collect();
    let mut scanner = JsonScanner {
        chars: source.char_indices().peekable(),
        line: 1,
        column: 1,
    };
    let mut path: Vec<String> = Vec::new();
    scanner.value(&mut path, &mut targets, 0)?;
    Some(
        pointers
            .iter()
            .map(|p| targets.get(p.segments()).copied().flatten())
            .collect(),
    )
}

/// A JSON reader that only knows where each value starts.
struct JsonScanner<'s> {
    chars: std::iter::Peekable<std::str::CharIndices<'s>>,
    line: usize,
    column: usize,
}

/// Deeper than any document the JSON parser accepts (its own limit is 128).
const MAX_JSON_DEPTH: usize = 256;

impl JsonScanner<'_> {
    fn bump(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    fn skip_space(&mut self) {
        while self
            .peek()
            .is_some_and(|c| c.is_whitespace() || c == '\u{feff}')
        {
            self.bump();
        }
    }

    fn expect(&mut self, wanted: char) -> Option<()> {
        self.skip_space();
        (self.bump()? == wanted).then_some(())
    }

    fn string(&mut self) -> Option<String> {
        self.expect('"')?;
        let mut text = String::new();
        loop {
            match self.bump()? {
                '"' => return Some(text),
                '\\' => match self.bump()? {
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    'r' => text.push('\r'),
                    'b' => text.push('\u{8}'),
                    'f' => text.push('\u{c}'),
                    'u' => {
                        // Keys are compared with the parsed document's; an escaped surrogate
                        // pair (rare in keys) becomes two replacement characters and misses.
                        let hex: String = (0..4).filter_map(|_| self.bump()).collect();
                        let unit = u32::from_str_radix(&hex, 16).ok()?;
                        text.push(char::from_u32(unit).unwrap_or('\u{fffd}'));
                    }
                    other => text.push(other),
                },
                c => text.push(c),
            }
        }
    }

    /// Reads one value at `path`, noting where it starts if it is a target.
    fn value(
        &mut self,
        path: &mut Vec<String>,
        targets: &mut std::collections::BTreeMap<&[String], Option<(usize, usize)>>,
        depth: usize,
    ) -> Option<()> {
        if depth > MAX_JSON_DEPTH {
            return None;
        }
        self.skip_space();
        if let Some(slot @ None) = targets.get_mut(path.as_slice()) {
            *slot = Some((self.line, self.column));
        }
        match self.peek()? {
            '{' => {
                self.bump();
                self.skip_space();
                if self.peek() == Some('}') {
                    self.bump();
                    return Some(());
                }
                loop {
                    let key = self.string()?;
                    self.expect(':')?;
                    path.push(key);
                    self.value(path, targets, depth + 1)?;
                    path.pop();
                    self.skip_space();
                    match self.bump()? {
                        ',' => continue,
                        '}' => return Some(()),
                        _ => return None,
                    }
                }
            }
            '[' => {
                self.bump();
                self.skip_space();
                if self.peek() == Some(']') {
                    self.bump();
                    return Some(());
                }
                let mut index = 0usize;
                loop {
                    path.push(index.to_string());
                    self.value(path, targets, depth + 1)?;
                    path.pop();
                    index += 1;
                    self.skip_space();
                    match self.bump()? {
                        ',' => continue,
                        ']' => return Some(()),
                        _ => return None,
                    }
                }
            }
            '"' => self.string().map(|_| ()),
            _ => {
                // A number, `true`, `false` or `null`: up to the next delimiter.
                let mut any = false;
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
                {
                    self.bump();
                    any = true;
                }
                any.then_some(())
            }
        }
    }
}

fn yaml_lines_of(source: &str, pointers: &[Pointer]) -> Vec<Option<(usize, usize)>> {
    let mut finder = LineFinder {
        targets: pointers
            .iter()
            .map(|p| (p.segments().to_vec(), None))
            .collect(),
        stack: Vec::new(),
        key_mark: None,
    };
    let mut parser = Parser::new_from_str(source);
    if parser.load(&mut finder, false).is_err() {
        return vec![None; pointers.len()];
    }
    pointers
        .iter()
        .map(|p| finder.targets.get(p.segments()).copied().flatten())
        .collect()
}

/// Walks YAML events keeping the path to the current node; records the mark of the target.
struct LineFinder {
    /// The paths looked for, with where each was found.
    targets: std::collections::BTreeMap<Vec<String>, Option<(usize, usize)>>,
    stack: Vec<Frame>,
    /// Where the last mapping key was: a block mapping or sequence value is reported at its key
    /// (`get:`), not at its first child.
    key_mark: Option<Marker>,
}

enum Frame {
    /// In a mapping: the key just read (None while the next scalar is a key).
    Map {
        key: Option<String>,
    },
    Seq {
        index: usize,
    },
}

impl LineFinder {
    /// The path of the node that the next value event opens.
    fn current_path(&self) -> Option<Vec<String>> {
        self.stack
            .iter()
            .map(|frame| match frame {
                Frame::Map { key } => key.clone(),
                Frame::Seq { index } => Some(index.to_string()),
            })
            .collect()
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None }))
    }

    /// Called after a value (scalar, or a whole mapping or sequence) is complete.
    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { key }) => *key = None,
            Some(Frame::Seq { index }) => *index += 1,
            None => {}
        }
    }

    /// A collection that is a mapping's value is reported at its key.
    fn collection_mark(&self, mark: Marker) -> Marker {
        match (self.stack.last(), self.key_mark) {
            (Some(Frame::Map { key: Some(_) }), Some(key_mark)) => key_mark,
            _ => mark,
        }
    }

    fn note_value_start(&mut self, mark: Marker) {
        let Some(path) = self.current_path() else {
            return;
        };
        if let Some(slot @ None) = self.targets.get_mut(&path) {
            *slot = Some((mark.line(), mark.col() + 1));
        }
    }
}

impl MarkedEventReceiver for LineFinder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                if self.expecting_key() {
                    if let Some(Frame::Map { key }) = self.stack.last_mut() {
                        *key = Some(value);
                    }
                    self.key_mark = Some(mark);
                } else {
                    self.note_value_start(mark);
                    self.value_done();
                }
            }
            Event::MappingStart(..) => {
                self.note_value_start(self.collection_mark(mark));
                self.stack.push(Frame::Map { key: None });
            }
            Event::SequenceStart(..) => {
                self.note_value_start(self.collection_mark(mark));
                self.stack.push(Frame::Seq { index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            Event::Alias(_) => {
                self.note_value_start(mark);
                self.value_done();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_round_trips_escapes() {
        let p = Pointer::parse_ref("#/paths/~1users~1{id}/get").unwrap();
        assert_eq!(p.segments(), ["paths", "/users/{id}", "get"]);
        assert_eq!(p.to_string(), "#/paths/~1users~1{id}/get");
    }

    #[test]
    fn finds_lines_of_nested_nodes() {
        let yaml = "a:\n  b:\n    - x\n    - y: 1\n      z: 2\nc: 3\n";
        let ptr = |s: &str| Pointer::parse_ref(s).unwrap();
        assert_eq!(line_of(yaml, &ptr("#/a/b")).map(|l| l.0), Some(2));
        assert_eq!(line_of(yaml, &ptr("#/a/b/1")).map(|l| l.0), Some(4));
        assert_eq!(line_of(yaml, &ptr("#/a/b/1/z")).map(|l| l.0), Some(5));
        assert_eq!(line_of(yaml, &ptr("#/c")).map(|l| l.0), Some(6));
        assert_eq!(line_of(yaml, &ptr("#/nope")), None);
    }

    #[test]
    fn finds_lines_in_json() {
        let json = "{\n  \"a\": {\n    \"b\": [\n      \"x \\ud83d\\ude00 \\\"q\\\"\",\n      {\"y\": 1,\n       \"z/w\": null}\n    ]\n  },\n  \"c\": 3\n}\n";
        let ptr = |s: &str| Pointer::parse_ref(s).unwrap();
        assert_eq!(line_of(json, &ptr("#/a/b")), Some((3, 10)));
        assert_eq!(line_of(json, &ptr("#/a/b/0")).map(|l| l.0), Some(4));
        assert_eq!(line_of(json, &ptr("#/a/b/1/y")).map(|l| l.0), Some(5));
        assert_eq!(line_of(json, &ptr("#/a/b/1/z~1w")).map(|l| l.0), Some(6));
        assert_eq!(line_of(json, &ptr("#/c")), Some((9, 8)));
        assert_eq!(line_of(json, &ptr("#/nope")), None);
    }
}
