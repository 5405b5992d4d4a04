-- Linked objects from the server (issue 13): the accounts, opportunities, tickets and tasks a
-- pulled profile links to keep the server's id (`ln_…`), so a later state of the profile
-- updates them and their links instead of adding them again. Objects made here (the demo data)
-- have none. NULLs are distinct in a unique index: any number of local objects.
ALTER TABLE accounts ADD COLUMN server_id TEXT;
ALTER TABLE opportunities ADD COLUMN server_id TEXT;
ALTER TABLE tickets ADD COLUMN server_id TEXT;
ALTER TABLE tasks ADD COLUMN server_id TEXT;
CREATE UNIQUE INDEX accounts_server_id ON accounts(server_id);
CREATE UNIQUE INDEX opportunities_server_id ON opportunities(server_id);
CREATE UNIQUE INDEX tickets_server_id ON tickets(server_id);
CREATE UNIQUE INDEX tasks_server_id ON tasks(server_id);
