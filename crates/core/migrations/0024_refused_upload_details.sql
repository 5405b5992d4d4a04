-- What a refused upload's sentence says, as data (issue 16): the file, the numbers, the cell,
-- as `ImportRefusal::details` gives them, so the report words the refusal in the reader's
-- language rather than showing the English sentence (`reason`, kept for the CLI and as the
-- fallback for refusals noted before this column).
ALTER TABLE refused_uploads ADD COLUMN details TEXT;
