package io.dbguard.core.analysis.seed;

/** Whether running a seed file again is safe (docs/design.md §3 "seed", §6). */
public enum Idempotency {
  /** Running it again changes nothing (or only adds missing rows). */
  IDEMPOTENT,
  /** Running it again duplicates rows or fails on unique indexes. */
  NON_IDEMPOTENT,
  /** It deletes or truncates data. */
  DESTRUCTIVE,
  /** It delegates to code dbguard cannot see. */
  UNKNOWN
}
