//! JSON pointers (RFC 6901) in the `#/a/b` form that OpenAPI `$ref`s use, and the lookup of the
//! YAML line a pointer starts on, for error messages.

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
}
