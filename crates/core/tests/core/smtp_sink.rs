//! A small SMTP server on loopback for the mail tests: it speaks enough of the protocol for a
//! real client (lettre) — EHLO, optional AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, QUIT — and
//! keeps every message it receives, with its envelope. It is started by the tests themselves
//! on a free port and stopped when dropped.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// One message as delivered: the envelope and the raw RFC 5322 text.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
    /// The user name the client signed in with, if it did.
    pub auth_user: Option<String>,
}

/// The messages received so far, and a signal for each new one.
#[derive(Default)]
struct Inbox {
    messages: Mutex<Vec<Received>>,
    arrived: Condvar,
}

pub struct SmtpSink {
    pub port: u16,
    received: Arc<Inbox>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// What the sink asks of clients.
#[derive(Clone, Default)]
pub struct SinkOptions {
    /// `Some((user, password))`: AUTH is offered and required before MAIL.
    pub auth: Option<(String, String)>,
    /// `Some(text)`: every RCPT TO is refused with `550 <text>` (a relay that will not deliver).
    pub refuse_recipients: Option<String>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        SmtpSink::start_with(SinkOptions::default())
    }

    pub fn start_with(options: SinkOptions) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("addr").port();
        let received = Arc::new(Inbox::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (r, s) = (Arc::clone(&received), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(stream) = stream else { continue };
                let (r, o) = (Arc::clone(&r), options.clone());
                std::thread::spawn(move || {
                    let _ = session(stream, &r, &o);
                });
            }
        });
        SmtpSink {
            port,
            received,
            stop,
            thread: Some(thread),
        }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.messages.lock().expect("lock").clone()
    }

    /// Waits until `n` messages arrived, woken by each arrival (no polling); gives up after
    /// 10 s without them and returns what arrived, for the caller's assertion to report.
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        let messages = self.received.messages.lock().expect("lock");
        let (messages, _) = self
            .received
            .arrived
            .wait_timeout_while(messages, Duration::from_secs(10), |m| m.len() < n)
            .expect("lock");
        messages.clone()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Unblock accept().
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn b64decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let Some(v) = ALPHABET.iter().position(|&a| a == c) else {
            continue;
        };
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

fn session(stream: TcpStream, received: &Inbox, options: &SinkOptions) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let say = |w: &mut TcpStream, line: &str| w.write_all(format!("{line}\r\n").as_bytes());
    say(&mut writer, "220 localhost test sink ready")?;
    let mut from = String::new();
    let mut to: Vec<String> = Vec::new();
    let mut auth_user: Option<String> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            if options.auth.is_some() {
                say(&mut writer, "250-localhost")?;
                say(&mut writer, "250-AUTH PLAIN LOGIN")?;
                say(&mut writer, "250 8BITMIME")?;
            } else {
                say(&mut writer, "250-localhost")?;
                say(&mut writer, "250 8BITMIME")?;
            }
        } else if upper.starts_with("AUTH PLAIN") {
            let payload = match cmd.split_whitespace().nth(2) {
                Some(p) => p.to_string(),
                None => {
                    say(&mut writer, "334 ")?;
                    let mut l = String::new();
                    reader.read_line(&mut l)?;
                    l.trim().to_string()
                }
            };
            let decoded = b64decode(&payload);
            let parts: Vec<String> = decoded
                .split(|&b| b == 0)
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect();
            let (user, pass) = (
                parts.get(1).cloned().unwrap_or_default(),
                parts.get(2).cloned().unwrap_or_default(),
            );
            if options.auth.as_ref() == Some(&(user.clone(), pass)) {
                auth_user = Some(user);
                say(&mut writer, "235 2.7.0 Authentication successful")?;
            } else {
                say(&mut writer, "535 5.7.8 Authentication credentials invalid")?;
            }
        } else if upper.starts_with("AUTH LOGIN") {
            say(&mut writer, "334 VXNlcm5hbWU6")?;
            let mut u = String::new();
            reader.read_line(&mut u)?;
            say(&mut writer, "334 UGFzc3dvcmQ6")?;
            let mut p = String::new();
            reader.read_line(&mut p)?;
            let user = String::from_utf8_lossy(&b64decode(u.trim())).into_owned();
            let pass = String::from_utf8_lossy(&b64decode(p.trim())).into_owned();
            if options.auth.as_ref() == Some(&(user.clone(), pass)) {
                auth_user = Some(user);
                say(&mut writer, "235 2.7.0 Authentication successful")?;
            } else {
                say(&mut writer, "535 5.7.8 Authentication credentials invalid")?;
            }
        } else if upper.starts_with("MAIL FROM:") {
            if options.auth.is_some() && auth_user.is_none() {
                say(&mut writer, "530 5.7.0 Authentication required")?;
                continue;
            }
            from = cmd[10..]
                .trim()
                .trim_matches(['<', '>'])
                .split_whitespace()
                .next()
                .unwrap_or("")
                .trim_matches(['<', '>'])
                .to_string();
            to.clear();
            say(&mut writer, "250 OK")?;
        } else if upper.starts_with("RCPT TO:") {
            if let Some(text) = &options.refuse_recipients {
                say(&mut writer, &format!("550 {text}"))?;
                continue;
            }
            to.push(cmd[8..].trim().trim_matches(['<', '>']).to_string());
            say(&mut writer, "250 OK")?;
        } else if upper == "DATA" {
            say(&mut writer, "354 End data with <CR><LF>.<CR><LF>")?;
            let mut data: Vec<u8> = Vec::new();
            loop {
                let mut l = Vec::new();
                if reader.read_until(b'\n', &mut l)? == 0 {
                    return Ok(());
                }
                if l == b".\r\n" || l == b".\n" {
                    break;
                }
                // Dot-stuffing: a leading ".." is one ".".
                if l.starts_with(b"..") {
                    l.remove(0);
                }
                data.extend_from_slice(&l);
            }
            received.messages.lock().expect("lock").push(Received {
                from: from.clone(),
                to: to.clone(),
                data,
                auth_user: auth_user.clone(),
            });
            received.arrived.notify_all();
            say(&mut writer, "250 OK: queued")?;
        } else if upper == "RSET" || upper == "NOOP" {
            say(&mut writer, "250 OK")?;
        } else if upper == "QUIT" {
            say(&mut writer, "221 Bye")?;
            return Ok(());
        } else {
            say(&mut writer, "502 Command not implemented")?;
        }
    }
}

/// A port on loopback where nothing listens (an SMTP server that is down).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    port
}
