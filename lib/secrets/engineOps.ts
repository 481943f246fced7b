import type { DbSession } from './database.js';

/** The statements one database engine needs for rotation. Every operation is idempotent. */
export interface EngineOps {
  /** Proves the session works (a trivial query). */
  ping(session: DbSession): Promise<void>;
  /**
   * Sets `username`'s password. `asSelf`: the session is that user (single-user rotation with the current
   * password); otherwise it is the master user.
   */
  setPassword(session: DbSession, username: string, password: string, asSelf: boolean): Promise<void>;
  /**
   * Through the master session: makes `clone` exist with the role memberships and grants of `base`, acting
   * through `base` as shared owner (PostgreSQL). A new user gets `password` at once (never a passwordless window).
   */
  ensureClone(session: DbSession, base: string, clone: string, password: string): Promise<void>;
  /** Privileges (objects and roles, by name) `from` has that `to` lacks, the pair itself excluded. */
  missingPrivileges(session: DbSession, from: string, to: string): Promise<string[]>;
}
