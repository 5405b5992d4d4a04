-- Files refused at upload — too big, not .xlsx, several sheets, too many rows, hostile —
-- so the File Upload Connector Report can say what happened to every file a user gave the
-- app (issue 16). They never became jobs: nothing of their content is kept, only the file's
-- name, the refusal's code and the sentence the user was shown, who and when. The store keeps
-- the latest 1,000.
CREATE TABLE refused_uploads (
    id         INTEGER PRIMARY KEY,
    file_name  TEXT NOT NULL,
    code       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    refused_by TEXT NOT NULL,
    refused_at TEXT NOT NULL
);
