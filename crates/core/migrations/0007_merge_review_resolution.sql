-- Merge review resolution (SPEC 6): who resolved a review and when, and the import job a review
-- came from, so the review screen can list a job's reviews and the recently resolved ones.
-- `resolution` (0001) holds the decision as JSON: action, the resulting profile, the profiles
-- merged away, masked labels. Once resolved, `incoming` is emptied and the candidates' labels
-- are masked: the decision's data lives on in the profiles, not in the review.

ALTER TABLE merge_reviews ADD COLUMN job_id INTEGER;       -- no foreign key: jobs may go
ALTER TABLE merge_reviews ADD COLUMN resolved_at TEXT;
ALTER TABLE merge_reviews ADD COLUMN resolved_by TEXT;

UPDATE merge_reviews SET job_id = json_extract(source, '$.jobId')
 WHERE json_valid(source) AND json_extract(source, '$.jobId') IS NOT NULL;

CREATE INDEX merge_reviews_job ON merge_reviews(job_id, status, id) WHERE job_id IS NOT NULL;
CREATE INDEX merge_reviews_resolved ON merge_reviews(resolved_at) WHERE resolved_at IS NOT NULL;
