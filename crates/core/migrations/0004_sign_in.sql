-- Sign-in and the audit screen (SPEC 7.2, 1). Wrong passwords are counted per user so that
-- guessing slows down; the audit log is filtered by action, user and time.
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT;

CREATE INDEX audit_log_action ON audit_log(action, id);
CREATE INDEX audit_log_actor ON audit_log(actor, id);
CREATE INDEX audit_log_at ON audit_log(at);

INSERT INTO settings(key, value) VALUES ('session.idle_lock_minutes', '15')
    ON CONFLICT(key) DO NOTHING;
