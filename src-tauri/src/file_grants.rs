//! Which files the webview may name. The import commands take file paths from the webview, but
//! only read files the user gave the app — chosen in the native open dialog, dropped on the
//! window, or written by "split sheets" — so that a buggy or compromised page cannot make the
//! app read, or write next to, any other file on the disk.
//!
//! Dropping files on the window (SPEC 4.1, "drop them on the window") arrives here as a window
//! event: the paths are granted and sent to the webview as `import-files-dropped`; while files
//! are dragged over the window, `import-drag` tells the webview to show where to drop them.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;
use tauri::{DragDropEvent, Emitter, Runtime};

use crate::error::IpcError;

#[derive(Default)]
pub struct FileGrants(Mutex<HashSet<PathBuf>>);

impl FileGrants {
    /// The user gave the app these files.
    pub fn grant(&self, paths: impl IntoIterator<Item = PathBuf>) {
        if let Ok(mut granted) = self.0.lock() {
            granted.extend(paths);
        }
    }

    /// `path` if the user gave it to the app; a refusal naming the file otherwise.
    pub fn check(&self, path: &str) -> Result<PathBuf, IpcError> {
        let path = PathBuf::from(path);
        let granted = self.0.lock().map(|g| g.contains(&path)).unwrap_or(false);
        if granted {
            Ok(path)
        } else {
            Err(IpcError {
                code: "notChosen",
                message: format!(
                    "“{}” was not chosen for import here; choose it with Upload file or drop it on \
                     the window",
                    display_name(&path)
                ),
                details: serde_json::Value::Null,
            })
        }
    }
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// `import-drag`: files are being dragged over the window (`over`), how many.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DragState {
    pub over: bool,
    pub files: usize,
}

/// `import-files-dropped`: the dropped files (folders left out), now granted.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct DroppedFiles {
    pub paths: Vec<String>,
}

/// Handles a drag-and-drop event of the main window.
pub fn on_drag_drop<R: Runtime>(app: &impl Emitter<R>, grants: &FileGrants, event: &DragDropEvent) {
    match event {
        DragDropEvent::Enter { paths, .. } => {
            let _ = app.emit(
                "import-drag",
                DragState {
                    over: true,
                    files: paths.len(),
                },
            );
        }
        DragDropEvent::Drop { paths, .. } => {
            let files: Vec<PathBuf> = paths.iter().filter(|p| !p.is_dir()).cloned().collect();
            grants.grant(files.iter().cloned());
            let _ = app.emit(
                "import-drag",
                DragState {
                    over: false,
                    files: 0,
                },
            );
            let _ = app.emit(
                "import-files-dropped",
                DroppedFiles {
                    paths: files.iter().map(|p| p.display().to_string()).collect(),
                },
            );
        }
        DragDropEvent::Leave => {
            let _ = app.emit(
                "import-drag",
                DragState {
                    over: false,
                    files: 0,
                },
            );
        }
        _ => {}
    }
}
