//! The floor: parse a description into `openapiv3::OpenAPI` and nothing else.

fn main() {
    let path = std::env::args().nth(1).expect("usage: parse-only SPEC");
    let text = std::fs::read_to_string(&path).expect("readable description");
    let api: openapiv3::OpenAPI = serde_yaml::from_str(&text).expect("an OpenAPI 3.0 description");
    std::hint::black_box(api);
}
