//! `pdesk paste --clipboard` (issue 16): the OS clipboard read as the app's "Read clipboard"
//! reads it (`arboard`). With a real X clipboard: a private Xvfb display and `xclip` holding
//! the copied cells, as the E2E tests set the app's clipboard (`cargo xtask test` installs the
//! Debian packages `xvfb` and `xclip`); without them the test says it was skipped. Without any
//! display the refusal is tested wherever the tests run. (Linux only: elsewhere the clipboard
//! needs no display.)

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use crate::{pdesk, text};

fn installed(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
}

/// A private X display for one test: Xvfb on a display number it picks itself (`-displayfd`
/// writes it once the server accepts connections). Stopped when dropped; the `xclip` holding
/// its clipboard ends with it.
struct Display {
    xvfb: Child,
    name: String,
}

impl Display {
    fn start() -> Option<Display> {
        if !installed("Xvfb") || !installed("xclip") {
            return None;
        }
        let mut xvfb = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "640x480x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut number = String::new();
        let ready = xvfb
            .stdout
            .take()
            .is_some_and(|out| BufReader::new(out).read_line(&mut number).is_ok());
        let display = Display {
            xvfb,
            name: format!(":{}", number.trim()),
        };
        (ready && !number.trim().is_empty()).then_some(display)
    }

    /// Puts `text` on the display's clipboard as copying cells does, and waits until the
    /// clipboard gives it back (xclip serves it from a process of its own, in the background).
    fn copy(&self, text: &str) {
        let mut xclip = Command::new("xclip")
            .args(["-selection", "clipboard"])
            .env("DISPLAY", &self.name)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run xclip");
        xclip
            .stdin
            .take()
            .expect("xclip's stdin")
            .write_all(text.as_bytes())
            .expect("write to xclip");
        assert!(
            xclip.wait().expect("xclip").success(),
            "xclip took the text"
        );
        let served = (0..500).any(|_| {
            Command::new("xclip")
                .args(["-selection", "clipboard", "-o"])
                .env("DISPLAY", &self.name)
                .stderr(Stdio::null())
                .output()
                .is_ok_and(|o| o.stdout == text.as_bytes())
        });
        assert!(
            served,
            "the clipboard of {} holds the copied text",
            self.name
        );
    }

    /// `pdesk --db DB ARGS...` on this display.
    fn pdesk(&self, db: &Path, args: &[&str]) -> Output {
        pdesk_on(Some(&self.name), db, args)
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

/// `pdesk --db DB ARGS...` with `display` as its only display (none: no display at all).
fn pdesk_on(display: Option<&str>, db: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pdesk"));
    command
        .env("PROFILE_DESK_KEYCHAIN", "off")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("DISPLAY");
    if let Some(display) = display {
        command.env("DISPLAY", display);
    }
    command
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run pdesk")
}

const PASTE: [&str; 5] = [
    "--json",
    "paste",
    "--clipboard",
    "--columns",
    "full_name,phones,emails",
];

fn names(db: &Path) -> Vec<String> {
    let list = pdesk(db, &["--json", "list"]);
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    let mut names: Vec<String> = list["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            r["cells"]["full_name"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn paste_clipboard_imports_the_cells_copied_on_the_display() {
    let Some(display) = Display::start() else {
        eprintln!("skipped: needs Xvfb and xclip (Debian packages xvfb, xclip)");
        return;
    };
    let (_dir, db) = pdesk_testkit::temp_db();
    // Cells as Excel puts them on the clipboard: tab-separated, one row a line.
    display.copy(
        "Lý Thị Mai\t0901 234 567\tmai.ly@example.vn\n\
         Trương Văn Tài\t+84 902 345 678\ttai.truong@example.vn\n\
         Đặng Thu Trang\t0377920611 (Zalo)\ttrang.dang@example.vn\n",
    );
    let out = display.pdesk(&db, &PASTE);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(
        (
            v["status"].as_str(),
            v["rows"].as_u64(),
            v["created"].as_u64()
        ),
        (Some("done"), Some(3), Some(3)),
        "the three copied rows became a job like a paste from stdin: {v}"
    );
    assert_eq!(
        names(&db),
        ["Lý Thị Mai", "Trương Văn Tài", "Đặng Thu Trang"],
        "named as copied, diacritics kept"
    );

    // The sheet's column names copied with the rows: refused as a paste from stdin is.
    display.copy("Họ và tên\tSĐT\tEmail\nVũ Minh Khoa\t0912345678\tkhoa.vu@example.vn\n");
    let out = display.pdesk(&db, &PASTE);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("looks like column names"),
        "{}",
        text(&out.stderr)
    );

    // Nothing but blanks copied: the app's sentence.
    display.copy(" \n");
    let out = display.pdesk(&db, &PASTE);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains(
            "The clipboard holds no text. Copy the rows in Excel or Google Sheets, then paste again."
        ),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(names(&db).len(), 3, "neither refusal imported anything");
}

#[test]
fn paste_clipboard_without_a_display_says_the_clipboard_cannot_be_read() {
    let (_dir, db) = pdesk_testkit::temp_db();
    let out = pdesk_on(None, &db, &PASTE);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a refusal, not a crash: {}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("The clipboard cannot be read"),
        "{}",
        text(&out.stderr)
    );
    let both = pdesk(
        &db,
        &[
            "paste",
            "--clipboard",
            "--file",
            "-",
            "--columns",
            "full_name",
        ],
    );
    assert_eq!(
        both.status.code(),
        Some(2),
        "the clipboard or a file, not both: {}",
        text(&both.stderr)
    );
}
