// Merge review commands (SPEC 6). The core checks the permissions (profile.view
// to look; profile.edit to attach, merge or discard; profile.create to create
// new), decides what a decision does, and refuses a decision taken on a stale
// view of the candidates (the detail's `version`).
import type { ReviewDecision } from "./bindings/ReviewDecision";
import type { ReviewDetail } from "./bindings/ReviewDetail";
import type { ReviewList } from "./bindings/ReviewList";
import type { ReviewQuery } from "./bindings/ReviewQuery";
import type { ReviewResolution } from "./bindings/ReviewResolution";
import { call } from "./call";

export type { FieldPick } from "./bindings/FieldPick";
export type { RemovedProfile } from "./bindings/RemovedProfile";
export type { ResultValue } from "./bindings/ResultValue";
export type { ReviewAction } from "./bindings/ReviewAction";
export type { ReviewCandidate } from "./bindings/ReviewCandidate";
export type { ReviewColumn } from "./bindings/ReviewColumn";
export type { ReviewDecision } from "./bindings/ReviewDecision";
export type { ReviewDetail } from "./bindings/ReviewDetail";
export type { ReviewList } from "./bindings/ReviewList";
export type { ReviewOutcome } from "./bindings/ReviewOutcome";
export type { ReviewQuery } from "./bindings/ReviewQuery";
export type { ReviewResolution } from "./bindings/ReviewResolution";
export type { ReviewRow } from "./bindings/ReviewRow";
export type { ReviewRowKind } from "./bindings/ReviewRowKind";
export type { ReviewStatus } from "./bindings/ReviewStatus";
export type { ReviewSummary } from "./bindings/ReviewSummary";

/** Open reviews in the store (the top bar's count). */
export function openReviewCount(): Promise<number> {
  return call("open_review_count");
}

export function mergeReviews(query: ReviewQuery): Promise<ReviewList> {
  return call("merge_reviews", { query });
}

export function mergeReview(id: number): Promise<ReviewDetail> {
  return call("merge_review", { id });
}

/** What a decision would do; nothing changes. */
export function previewReviewDecision(id: number, decision: ReviewDecision): Promise<ReviewResolution> {
  return call("preview_review_decision", { id, decision });
}

export function resolveMergeReview(id: number, decision: ReviewDecision, version: string): Promise<ReviewResolution> {
  return call("resolve_merge_review", { id, decision, version });
}
