-- Fix before Confirm (issue 16): how many rows of a job were imported with a cell the user
-- corrected after the dry run, and how many they left out. The fixes themselves travel in the
-- job's settings (`ImportSettings::fixes`).
ALTER TABLE import_jobs ADD COLUMN fixed_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN excluded_rows INTEGER NOT NULL DEFAULT 0;
