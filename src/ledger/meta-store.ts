/** Small operational values kept in the ledger's meta table (cursors, health). */
export interface MetaStore {
  getMeta<T>(key: string): T | undefined;
  setMeta(key: string, value: unknown): void;
}
