/**
 * Reader for the order file published with the Python project sigh is modelled on:
 * columns order_id, customer, the six order features, timestamp (`2024-01-01 08:23:00`,
 * no zone), cluster (the DBSCAN label that project computed, -1 for noise) and
 * cluster_name.
 */

import { InputError } from "../engine/errors.js";
import { ORDER_FEATURE_NAMES } from "../engine/features.js";
import { CsvDataSource, type CsvMatrix } from "./csv.js";

export interface OriginalOrders extends CsvMatrix {
  /** `order_id` per row. */
  ids: string[];
  /** The published DBSCAN label per row; -1 is noise. */
  clusters: Int32Array;
}

/**
 * Loads the six order features as a matrix (in ORDER_FEATURE_NAMES order) plus the
 * published cluster labels. Throws `InputError` for a bad cell or a cluster label that
 * is not an integer of at least -1.
 */
export async function loadOriginalOrders(path: string): Promise<OriginalOrders> {
  const columns = [...ORDER_FEATURE_NAMES, "cluster"];
  const loaded = await new CsvDataSource(path).loadMatrix(columns, { idField: "order_id" });
  const d = ORDER_FEATURE_NAMES.length;
  const values = new Float64Array(loaded.rows * d);
  const clusters = new Int32Array(loaded.rows);

  for (let r = 0; r < loaded.rows; r++) {
    const label = loaded.values[r * (d + 1) + d];
    if (!Number.isInteger(label) || label < -1) {
      throw new InputError(
        `${path}:${loaded.lines[r]}: column "cluster": invalid label ${label} ` +
          `(expected an integer, -1 for noise)`,
        { file: path, line: loaded.lines[r], field: "cluster", value: String(label) },
      );
    }
    clusters[r] = label;
    values.set(loaded.values.subarray(r * (d + 1), r * (d + 1) + d), r * d);
  }
  return {
    ...loaded,
    values,
    features: [...ORDER_FEATURE_NAMES],
    ids: loaded.ids ?? [],
    clusters,
  };
}
