//! progenitor generating a client for a description, the way its README's `build.rs` does
//! (`serde_json` for a `.json` file, as the README's recipe; `serde_yaml` otherwise).

fn main() {
    let mut args = std::env::args().skip(1);
    let (spec, out) = match (args.next(), args.next()) {
        (Some(spec), Some(out)) => (spec, out),
        _ => panic!("usage: progenitor-gen SPEC OUT.rs"),
    };
    let text = std::fs::read_to_string(&spec).expect("readable description");
    let api: openapiv3::OpenAPI = if spec.ends_with(".json") {
        serde_json::from_str(&text).expect("an OpenAPI 3.0 description")
    } else {
        serde_yaml::from_str(&text).expect("an OpenAPI 3.0 description")
    };
    let mut generator = progenitor::Generator::default();
    let tokens = generator.generate_tokens(&api).expect("progenitor generates");
    let file = syn::parse2(tokens).expect("progenitor's output parses");
    std::fs::write(out, prettyplease::unparse(&file)).expect("writable output");
}
