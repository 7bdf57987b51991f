/**
 * History requests of the contract (historian queries, export, backup).
 * Merged into `requests` in preload/contract.ts.
 */
export const historyRequests = {} as const;
