// Test helpers for e-mail and .xlsx files in the end-to-end tests:
// - startSmtp(): a real SMTP server (the npm `smtp-server`) on loopback, started by the test
//   itself, keeping every message it receives, parsed with `mailparser`;
// - xlsxRowCount(buffer): the number of rows of the first sheet of an .xlsx (read from the zip
//   with Node's zlib, no other tool).
import { inflateRawSync } from "node:zlib";

import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

import { until } from "./harness.mjs";

/** An SMTP server on 127.0.0.1 (a free port): `{ port, messages, waitFor(n), stop() }`. */
export async function startSmtp() {
  const messages = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        try {
          const parsed = await simpleParser(raw);
          messages.push({ raw, parsed, to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        } catch (err) {
          callback(err);
        }
      });
    },
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.server.address();
  return {
    port,
    messages,
    /** Waits (bounded) until `n` messages arrived; returns them. */
    waitFor: (n, { timeout = 30_000 } = {}) =>
      until(() => (messages.length >= n ? messages : null), { timeout, message: `${n} e-mail(s) at the test SMTP server (got ${messages.length})` }),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The entries of a zip file: name → { method, offset, compressedSize } (central directory). */
function zipEntries(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error("not a zip file");
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10);
    const compressedSize = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const offset = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString("utf8");
    entries.set(name, { method, offset, compressedSize });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** One entry of a zip as text. */
export function zipText(buf, name) {
  const e = zipEntries(buf).get(name);
  if (!e) throw new Error(`no ${name} in the zip`);
  const local = e.offset;
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  const data = buf.subarray(start, start + e.compressedSize);
  return (e.method === 0 ? data : inflateRawSync(data)).toString("utf8");
}

/** Rows of the first worksheet of an .xlsx. */
export function xlsxRowCount(buf) {
  return (zipText(buf, "xl/worksheets/sheet1.xml").match(/<row /g) ?? []).length;
}
