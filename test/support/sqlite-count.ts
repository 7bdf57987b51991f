import Database from 'better-sqlite3';

/** `SELECT count(*) AS n …` on a database file opened read-only beside its writer. */
export function countRows(file: string, sql: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
