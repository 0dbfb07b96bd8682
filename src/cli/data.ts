/** The data-layer API as the CLI uses it: every CLI module imports src/data through here. */

export { CsvDataSource } from "../data/csv.js";
export type { CsvMatrix as LoadedMatrix } from "../data/csv.js";
export { generateOrders, ordersToCsv, ORDER_CSV_COLUMNS } from "../data/generator.js";
export type { Order } from "../data/generator.js";
export { deriveCsv } from "../data/derive-csv.js";
export { DEFAULT_DERIVED_NAMES, ORDER_DERIVED_NAMES } from "../data/derive.js";
