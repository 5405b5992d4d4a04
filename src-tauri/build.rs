mod build_notices;

fn main() {
    // Declaring an app manifest switches on access control for the app's own commands: the
    // webview may call only those granted in tauri.conf.json's capabilities.
    let manifest =
        tauri_build::AppManifest::new().permissions_path_pattern("src-tauri/permissions/**/*");
    println!("cargo:rerun-if-changed=src-tauri/permissions");
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");

    // The About dialog's licence notices, from Cargo.lock and package-lock.json.
    let root = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("manifest dir"));
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    for input in [
        "Cargo.lock",
        "package-lock.json",
        "src-tauri/build_notices.rs",
    ] {
        println!("cargo:rerun-if-changed={input}");
    }
    build_notices::generate(&root, &out.join("licence-notices.json"))
        .expect("generating the licence notices");
}
