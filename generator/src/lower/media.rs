//! Which of the media types a request body or response describes is lowered.

/// JSON first, then form, then whatever comes first.
pub fn pick_content(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(String, &openapiv3::MediaType)> {
    ["application/json", "application/x-www-form-urlencoded"]
        .iter()
        .find_map(|ct| content.get(*ct).map(|m| (ct.to_string(), m)))
        .or_else(|| {
            content
                .iter()
                .min_by_key(|(ct, _)| *ct)
                .map(|(ct, m)| (ct.clone(), m))
        })
}
