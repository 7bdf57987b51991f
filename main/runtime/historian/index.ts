/** The historian's public surface (see README.md in this folder). */
export { openHistorian, HistoryUnavailableError } from './historian.js';
export type {
  Historian,
  HistorianOptions,
  HistorianStatus,
  HistorianLevel,
  RetentionOptions,
  BackupResult,
} from './historian.js';
export { historyRestHandler, type HistoryRestResult } from './rest-handler.js';
export { openHistoryReader, type HistoryReader } from './history-reader.js';
export type { RawColumns, TrendResult, HistoryGap } from './history-query.js';
export type { ExportOptions, ExportResult, ExportProgress } from './csv-export.js';
export { historyConfigSchema, resolveStoragePolicy, STORE_EVERYTHING, DEFAULT_HEARTBEAT_S } from './storage-policy.js';
export type { HistoryConfig, StoragePolicy, TagKind } from './storage-policy.js';
