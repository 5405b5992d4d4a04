fn main() {
    // Declaring an app manifest switches on access control for the app's own commands: the
    // webview may call only those granted in tauri.conf.json's capabilities.
    let manifest =
        tauri_build::AppManifest::new().permissions_path_pattern("src-tauri/permissions/**/*");
    println!("cargo:rerun-if-changed=src-tauri/permissions");
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed");
}
