/** Reads the shared reference fixtures, which live beside the project, not in it. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));

/** Reads a numeric CSV with a header into a row-major matrix. */
export function readNumericCsv(path: string): { header: string[]; values: Float64Array; rows: number } {
  const lines = readFileSync(path, "utf8").trim().split(/\r?\n/);
  const header = lines[0].split(",");
  const rows = lines.length - 1;
  const values = new Float64Array(rows * header.length);
  for (let i = 0; i < rows; i++) {
    lines[i + 1].split(",").forEach((cell, k) => (values[i * header.length + k] = Number(cell)));
  }
  return { header, values, rows };
}
