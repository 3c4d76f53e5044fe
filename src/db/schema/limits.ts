/** Request rate-limit counters shared by every server process (migration 0030). */
export interface RequestLimitsTable {
  /** The limited route and the client key (address, or an Open311 client key hash). */
  key: string;
  /** Start of the current fixed window (database clock). */
  window_start: Date;
  /** Requests counted in the window. */
  hits: number;
}

export interface LimitTables {
  request_limits: RequestLimitsTable;
}
