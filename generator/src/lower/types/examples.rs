//! Example values: recorded with the type each must decode as, and the scope reaching a schema.

use super::*;

impl Collector<'_> {
    /// Records the examples of a media type or parameter whose schema lowered to `lowered`.
    pub fn note_examples(
        &mut self,
        at: &Pointer,
        example: Option<&serde_json::Value>,
        examples: &IndexMap<String, ReferenceOr<openapiv3::Example>>,
        lowered: &Lowered,
    ) {
        if example.is_some() {
            self.examples
                .insert(at.push("example").to_string(), lowered.clone());
        }
        for (name, item) in examples {
            if let ReferenceOr::Item(e) = item {
                if e.value.is_some() {
                    let pointer = at.push("examples").push(name).push("value");
                    self.examples.insert(pointer.to_string(), lowered.clone());
                }
            }
        }
    }

    /// Records the examples of a media type whose values decode as the runtime type `scalar`.
    pub fn note_runtime_examples(
        &mut self,
        at: &Pointer,
        media: &openapiv3::MediaType,
        scalar: Scalar,
    ) {
        let mut pointers = Vec::new();
        if media.example.is_some() {
            pointers.push(at.push("example"));
        }
        for (name, item) in &media.examples {
            if matches!(item, ReferenceOr::Item(e) if e.value.is_some()) {
                pointers.push(at.push("examples").push(name).push("value"));
            }
        }
        for pointer in pointers {
            self.runtime_examples.insert(pointer.to_string(), scalar);
        }
    }
}

/// The example values of the description that reach the schema being lowered: those of its
/// media type or parameter and of enclosing schemas, projected through properties and list items.
#[derive(Debug, Default)]
pub(super) struct ExampleScope(pub(super) Vec<serde_json::Value>);

impl ExampleScope {
    /// The items of a list value.
    pub(super) fn items(value: &serde_json::Value) -> Vec<serde_json::Value> {
        value.as_array().cloned().unwrap_or_default()
    }

    /// Whether every string example value here is one of `values`.
    pub(super) fn agrees_with(&self, values: &[String]) -> bool {
        self.0
            .iter()
            .filter_map(|v| v.as_str())
            .all(|v| values.iter().any(|known| known == v))
    }
}
