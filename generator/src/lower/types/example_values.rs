//! Example values: recorded with the type each must decode as (they decide no type).

use indexmap::IndexMap;
use openapiv3::ReferenceOr;

use super::collector::Collector;
use super::shape::Lowered;
use crate::model::Scalar;
use crate::pointer::Pointer;

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
