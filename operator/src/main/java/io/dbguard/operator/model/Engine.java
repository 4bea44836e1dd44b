package io.dbguard.operator.model;

/** Database engine of a migration target. */
public enum Engine {
  /** PostgreSQL 12+, reached through a connection URL from a Secret. */
  PostgreSQL,
  /** A SQLite file on a PersistentVolumeClaim. */
  SQLite
}
