-- The synchronization rule's guards (SPEC 6 "Guards"): what a phone's source wrote beside it,
-- why the rule left a review, and what each guard did in an import.

-- `0377920611 (Zalo)`: the number is the identifier, "Zalo" its label.
ALTER TABLE profile_phones ADD COLUMN label TEXT;

-- severalMatches (the only reason before this version), nameDiffers, identifierLimit.
ALTER TABLE merge_reviews ADD COLUMN reason TEXT NOT NULL DEFAULT 'severalMatches';

-- Per guard, the rows it touched: rows holding a value shared by many rows of the file (not
-- used to match), rows sent to review because the name differs or the identifier limits would
-- be passed, and identifier values dropped as blocked. `shared_keys`: the shared values found
-- (JSON), for the report.
ALTER TABLE import_jobs ADD COLUMN shared_key_rows INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN name_differs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN identifier_limit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN blocked_values INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN shared_keys TEXT;
