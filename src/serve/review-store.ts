/**
 * The review queue: every flagged event with its explanation, in a SQLite database
 * (better-sqlite3, WAL mode) so that people can mark it true-positive or false-positive.
 *
 * Rows are keyed by review id, which is the event's own id when it has one, so storing
 * the same event twice keeps the first row (INSERT ... ON CONFLICT DO NOTHING).
 *
 * `enqueue` keeps scoring fast by writing in batches: rows wait in memory for at most
 * `flushIntervalMs` and are then inserted in one transaction. A failed batch stays in
 * memory and is written again on the next flush. Reads flush first, so they see every
 * accepted row. Rows still in memory are lost if the process is killed with SIGKILL or
 * crashes; `close()` (called on SIGTERM/SIGINT) writes them.
 */

import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export type ReviewStatus = "open" | "resolved";
export type ReviewStatusFilter = ReviewStatus | "all";
export type Verdict = "true-positive" | "false-positive";

export const VERDICTS: readonly Verdict[] = ["true-positive", "false-positive"];
export const STATUS_FILTERS: readonly ReviewStatusFilter[] = ["open", "resolved", "all"];

/** A flagged event as the service records it. */
export interface NewReviewItem {
  /** Primary key: the event id, or an id generated for an event without one. */
  id: string;
  /** The id the event carried, or null when `id` was generated. */
  eventId: string | null;
  createdAt: string;
  modelId: string;
  modelVersion: number;
  score: number;
  action: string;
  nearestCluster: number;
  nearestClusterName: string;
  /** The event as received. */
  event: unknown;
  /** The per-feature deviations from `score()`. */
  deviations: unknown;
}

export interface ReviewItem extends NewReviewItem {
  status: ReviewStatus;
  verdict: Verdict | null;
  note: string | null;
  resolvedAt: string | null;
}

export interface ReviewStoreOptions {
  /** Maximum time a flagged event waits in memory before it is written, in ms. Default 20. */
  flushIntervalMs?: number;
  /** Called after each batch with the number of new rows (duplicates excluded). */
  onWrite?: (inserted: number, pending: number) => void;
  /** Called when a batch write fails; the batch is kept for the next flush. */
  onWriteError?: (error: unknown, pending: number) => void;
  /**
   * Called for an event whose id is already stored with different content. The first
   * row is kept, so a retried event is stored once; the caller logs the conflict.
   */
  onConflict?: (id: string) => void;
}

interface Row {
  id: string;
  event_id: string | null;
  created_at: string;
  model_id: string;
  model_version: number;
  score: number;
  action: string;
  nearest_cluster: number;
  nearest_cluster_name: string;
  event_json: string;
  deviations_json: string;
  status: ReviewStatus;
  verdict: Verdict | null;
  note: string | null;
  resolved_at: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS review (
  id TEXT PRIMARY KEY,
  event_id TEXT,
  created_at TEXT NOT NULL,
  model_id TEXT NOT NULL,
  model_version INTEGER NOT NULL,
  score REAL NOT NULL,
  action TEXT NOT NULL,
  nearest_cluster INTEGER NOT NULL,
  nearest_cluster_name TEXT NOT NULL,
  event_json TEXT NOT NULL,
  deviations_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  verdict TEXT CHECK (verdict IN ('true-positive', 'false-positive')),
  note TEXT,
  resolved_at TEXT
);
CREATE INDEX IF NOT EXISTS review_status_created ON review (status, created_at);
`;

/** Returns the default review database path, `<model>.review.db` beside the model. */
export function defaultReviewDbPath(modelPath: string): string {
  return `${modelPath}.review.db`;
}

export class ReviewStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertBatch: (items: NewReviewItem[]) => number;
  private readonly selectOne: Database.Statement;
  private readonly resolveOne: Database.Statement;
  private readonly options: ReviewStoreOptions;
  private pending: NewReviewItem[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  /** Opens (creating when absent) the database at `path`. Throws when SQLite cannot. */
  constructor(path: string, options: ReviewStoreOptions = {}) {
    this.path = path;
    this.options = options;
    this.db = openDatabase(path);

    this.insert = this.db.prepare(
      `INSERT INTO review (id, event_id, created_at, model_id, model_version, score, action,
         nearest_cluster, nearest_cluster_name, event_json, deviations_json)
       VALUES (@id, @eventId, @createdAt, @modelId, @modelVersion, @score, @action,
         @nearestCluster, @nearestClusterName, @eventJson, @deviationsJson)
       ON CONFLICT (id) DO NOTHING`,
    );
    const storedEvent = this.db.prepare("SELECT event_json FROM review WHERE id = ?");
    this.insertBatch = this.db.transaction((items: NewReviewItem[]) => {
      let inserted = 0;
      for (const item of items) {
        const params = toParams(item);
        const changes = this.insert.run(params).changes;
        inserted += changes;
        if (changes > 0) continue;
        const stored = storedEvent.get(params.id) as { event_json: string } | undefined;
        if (stored && stored.event_json !== params.eventJson) this.options.onConflict?.(String(params.id));
      }
      return inserted;
    });
    this.selectOne = this.db.prepare("SELECT * FROM review WHERE id = ?");
    this.resolveOne = this.db.prepare(
      `UPDATE review SET status = 'resolved', verdict = ?, note = ?, resolved_at = ?
       WHERE id = ?`,
    );
  }

  /** Flagged events accepted but not written yet. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Accepts one flagged event; it is written within `flushIntervalMs`. */
  enqueue(item: NewReviewItem): void {
    if (this.closed) throw new Error(`review store ${this.path} is closed`);
    this.pending.push(item);
    this.timer ??= setTimeout(() => this.flushOnTimer(), this.options.flushIntervalMs ?? 20);
  }

  /**
   * Writes every pending event in one transaction and returns how many rows were new.
   * Throws when SQLite fails; the events then stay pending.
   */
  flush(): number {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return 0;
    const batch = this.pending;
    this.pending = [];
    try {
      const inserted = this.insertBatch(batch);
      this.options.onWrite?.(inserted, 0);
      return inserted;
    } catch (error) {
      this.pending = batch.concat(this.pending);
      throw error;
    }
  }

  private flushOnTimer(): void {
    this.timer = undefined;
    try {
      this.flush();
    } catch (error) {
      this.options.onWriteError?.(error, this.pending.length);
      // Try again later, with a longer pause so a locked or full disk is not hammered.
      this.timer = setTimeout(() => this.flushOnTimer(), 1000);
    }
  }

  /** Lists items, newest first. */
  list(status: ReviewStatusFilter = "open", limit = 100): ReviewItem[] {
    this.flush();
    const where = status === "all" ? "" : "WHERE status = ?";
    const sql = `SELECT * FROM review ${where} ORDER BY created_at DESC, id LIMIT ?`;
    const params = status === "all" ? [limit] : [status, limit];
    return (this.db.prepare(sql).all(...params) as Row[]).map(fromRow);
  }

  /** Counts items by status. */
  counts(): Record<ReviewStatus, number> {
    this.flush();
    const rows = this.db
      .prepare("SELECT status, COUNT(*) AS n FROM review GROUP BY status")
      .all() as { status: ReviewStatus; n: number }[];
    const counts: Record<ReviewStatus, number> = { open: 0, resolved: 0 };
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  get(id: string): ReviewItem | undefined {
    this.flush();
    const row = this.selectOne.get(id) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /**
   * Records a verdict and marks the item resolved; a second verdict replaces the first.
   * Returns the updated item, or undefined when no item has this id.
   */
  resolve(id: string, verdict: Verdict, note: string | null): ReviewItem | undefined {
    this.flush();
    const changes = this.resolveOne.run(verdict, note, new Date().toISOString(), id).changes;
    return changes === 0 ? undefined : this.get(id);
  }

  /** Writes what is pending and closes the database. Throws when the final write fails. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      this.db.close();
    }
  }
}

/** Opens the database in WAL mode with its schema; errors name the path. */
function openDatabase(path: string): Database.Database {
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `cannot open the review database ${path}: ${message} (choose another file with --review-db)`,
      { cause: error },
    );
  }
}

function toParams(item: NewReviewItem): Record<string, unknown> {
  return {
    id: item.id,
    eventId: item.eventId,
    createdAt: item.createdAt,
    modelId: item.modelId,
    modelVersion: item.modelVersion,
    score: item.score,
    action: item.action,
    nearestCluster: item.nearestCluster,
    nearestClusterName: item.nearestClusterName,
    eventJson: JSON.stringify(item.event),
    deviationsJson: JSON.stringify(item.deviations),
  };
}

function fromRow(row: Row): ReviewItem {
  return {
    id: row.id,
    eventId: row.event_id,
    createdAt: row.created_at,
    modelId: row.model_id,
    modelVersion: row.model_version,
    score: row.score,
    action: row.action,
    nearestCluster: row.nearest_cluster,
    nearestClusterName: row.nearest_cluster_name,
    event: JSON.parse(row.event_json),
    deviations: JSON.parse(row.deviations_json),
    status: row.status,
    verdict: row.verdict,
    note: row.note,
    resolvedAt: row.resolved_at,
  };
}
