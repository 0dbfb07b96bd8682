/** The data layer: CSV input, synthetic Bob's Burgers orders and feature derivation. */

export {
  CsvDataSource,
  type CsvOptions,
  type CsvProgress,
  type CsvMatrix,
  type CsvRecords,
  type LoadMatrixOptions,
} from "./csv.js";
export { parseFiniteNumber } from "./numbers.js";
export {
  generateOrders,
  ordersToCsv,
  writeOrdersCsv,
  ORDER_CSV_COLUMNS,
  ANOMALY_KINDS,
  TIMELINE_START,
  type GenerateOptions,
  type Order,
  type AnomalyKind,
} from "./generator.js";
export { PROFILES, type Profile, type ProfileKind } from "./profiles.js";
export { loadOriginalOrders, type OriginalOrders } from "./original-orders.js";
export {
  deriveFeatures,
  computeDerived,
  DEFAULT_DERIVED_NAMES,
  ORDER_DERIVED_NAMES,
  type DeriveOptions,
  type DerivedNames,
  type DerivedColumns,
  type DerivedEvent,
} from "./derive.js";
export { deriveCsv, type DeriveCsvOptions, type DeriveCsvResult } from "./derive-csv.js";
export { ZonedClock, parseTimestamp, type EpochUnit } from "./time.js";
export { Random } from "./random.js";
