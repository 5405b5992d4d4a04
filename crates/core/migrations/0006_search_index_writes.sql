-- The name search index is written by `profiles/storage.rs` instead of by insert and update
-- triggers. Measured on an import of 50,000 rows: the triggers made every insert into
-- `profiles` a multi-write statement with a statement journal (8 µs of its 14 µs), and FTS5
-- flushes its pending terms at every statement savepoint, so indexing row by row wrote one
-- tiny index segment per profile (~25 µs more). storage.rs now indexes a single change at
-- once and a bulk writer's changes in one go before its commit (`profiles::search_index`).
-- Deletes keep their trigger: they are rare, and the cascade must never miss the index.

DROP TRIGGER profiles_search_insert;
DROP TRIGGER profiles_search_update;

-- No query reads an import job's rows by profile (the report and undo read them by job, through
-- the primary key), so this index only cost every imported row one more write.
DROP INDEX import_job_rows_profile;
