import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { InputError } from "../src/engine/errors.js";
import { CsvDataSource } from "../src/data/csv.js";
import { parseFiniteNumber } from "../src/data/numbers.js";
import { Random } from "../src/data/random.js";

const dir = mkdtempSync(join(tmpdir(), "sigh-data-csv-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function csvFile(text: string): string {
  const path = join(dir, `t${fileCount++}.csv`);
  writeFileSync(path, text);
  return path;
}

/** Asserts that `promise` rejects with an InputError whose message is exactly `message`. */
async function rejectsWith(promise: Promise<unknown>, message: string): Promise<InputError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof InputError, `expected an InputError, got ${String(caught)}`);
  assert.equal(caught.message, message);
  return caught;
}

test("loadMatrix reads numbers row-major", async () => {
  const path = csvFile("id,a,b\nx,1,2\ny,-3.5,1e3\nz, 7 ,+.5\n");
  const m = await new CsvDataSource(path).loadMatrix(["b", "a"], { idField: "id" });
  assert.equal(m.rows, 3);
  assert.deepEqual([...m.values], [2, 1, 1000, -3.5, 0.5, 7]);
  assert.deepEqual(m.features, ["b", "a"]);
  assert.deepEqual(m.ids, ["x", "y", "z"]);
  assert.deepEqual([...m.lines], [2, 3, 4]);
  assert.equal(m.skipped, 0);
});

test("loadMatrix grows past the initial capacity", async () => {
  const rows = 5000;
  let text = "a,b\n";
  for (let i = 0; i < rows; i++) text += `${i},${i * 2}\n`;
  const m = await new CsvDataSource(csvFile(text)).loadMatrix(["a", "b"]);
  assert.equal(m.rows, rows);
  assert.equal(m.values.length, rows * 2);
  assert.equal(m.values[2 * 4321], 4321);
  assert.equal(m.values[2 * 4321 + 1], 8642);
  assert.equal(m.lines[4999], 5001);
});

test("BOM, CRLF and blank lines", async () => {
  const path = csvFile("\uFEFFa,b\r\n1,2\r\n\r\n   \r\n3,4\r\n\n");
  const source = new CsvDataSource(path);
  assert.deepEqual(await source.header(), ["a", "b"]);
  const m = await source.loadMatrix(["a", "b"]);
  assert.deepEqual([...m.values], [1, 2, 3, 4]);
  assert.deepEqual([...m.lines], [2, 5]);
});

test("last line without a line break", async () => {
  const m = await new CsvDataSource(csvFile("a\n1\n2")).loadMatrix(["a"]);
  assert.deepEqual([...m.values], [1, 2]);
});

test("quoted fields with commas, quotes and newlines", async () => {
  const path = csvFile('name,a\n"Bob, ""the"" cook",1\n"two\nlines",2\n"x\r\n3",3\nplain,4\n');
  const source = new CsvDataSource(path);
  const rows = [];
  for await (const row of source.rows()) rows.push(row);
  assert.deepEqual(
    rows.map((r) => r.fields.name),
    ['Bob, "the" cook', "two\nlines", "x\r\n3", "plain"],
  );
  assert.deepEqual(
    rows.map((r) => r.line),
    [2, 3, 5, 7],
  );
});

test("line numbers after a multi-line quoted field", async () => {
  const path = csvFile('name,a\n"one\ntwo\nthree",1\nok,NaN\n');
  await rejectsWith(
    new CsvDataSource(path).loadMatrix(["a"]),
    `${path}:5: column "a": invalid number "NaN" (expected a finite number)`,
  );
});

test("quoted records split across read chunks", async () => {
  // 3 MiB of rows so that the 1 MiB read chunks end inside quoted fields.
  const cell = '"a ""b""\nc"';
  let text = "name,a\n";
  const rows = 120_000;
  for (let i = 0; i < rows; i++) text += `${cell},${i}\n`;
  const source = new CsvDataSource(csvFile(text));
  const records = await source.loadRecords(["a"]);
  assert.equal(records.records.length, rows);
  assert.ok(records.records.every((r) => r.name === 'a "b"\nc'));
  assert.equal(records.records[rows - 1].a, rows - 1);
  assert.equal(records.lines[rows - 1], 2 + 2 * (rows - 1));
});

test("numbers a person writes are accepted", () => {
  const cases: [string, number][] = [
    ["12", 12],
    ["-3.5", -3.5],
    ["1e3", 1000],
    ["2.5E-2", 0.025],
    [" 7 ", 7],
    ["\t8", 8],
    ["+4", 4],
    [".5", 0.5],
    ["5.", 5],
    ["0", 0],
  ];
  for (const [text, expected] of cases) {
    assert.equal(parseFiniteNumber(text), expected, `parsing ${JSON.stringify(text)}`);
  }
});

test("non-decimal and non-finite numbers are rejected", () => {
  const bad = ["", "  ", "NaN", "Infinity", "-Infinity", "0x1F", "0b101", "0o17", "1_000",
    "12abc", "abc", "1e400", "1.2.3", "--1", "1e", ".", "-", "1,5"];
  for (const text of bad) {
    assert.ok(Number.isNaN(parseFiniteNumber(text)), `${JSON.stringify(text)} should be rejected`);
  }
});

test("invalid numbers name file, line, column and value", async () => {
  const cases: [string, string][] = [
    ["NaN", 'invalid number "NaN"'],
    ["Infinity", 'invalid number "Infinity"'],
    ["-Infinity", 'invalid number "-Infinity"'],
    ["abc", 'invalid number "abc"'],
    ["12abc", 'invalid number "12abc"'],
    ["0x10", 'invalid number "0x10"'],
  ];
  for (const [value, what] of cases) {
    const path = csvFile(`id,total_cost\na,1\nb,${value}\n`);
    const error = await rejectsWith(
      new CsvDataSource(path).loadMatrix(["total_cost"]),
      `${path}:3: column "total_cost": ${what} (expected a finite number)`,
    );
    assert.deepEqual(error.location, { file: path, line: 3, field: "total_cost", value });
  }
});

test("empty numeric cell is a missing value", async () => {
  const path = csvFile("a,b\n1,\n");
  const error = await rejectsWith(
    new CsvDataSource(path).loadMatrix(["a", "b"]),
    `${path}:2: column "b": missing value (expected a finite number)`,
  );
  assert.equal(error.location.value, "");
});

test("wrong number of fields", async () => {
  const path = csvFile("a,b,c\n1,2,3\n\n1,2\n");
  const error = await rejectsWith(
    new CsvDataSource(path).loadMatrix(["a"]),
    `${path}:4: expected 3 fields as in the header, found 2`,
  );
  assert.equal(error.location.line, 4);
});

test("feature column absent from the header", async () => {
  const path = csvFile("a,b,c\n1,2,3\n");
  await rejectsWith(
    new CsvDataSource(path).loadMatrix(["a", "prep_time"]),
    `${path}: column "prep_time" not found in the header (columns: a, b, c)`,
  );
});

test("id column absent from the header", async () => {
  const path = csvFile("a\n1\n");
  await rejectsWith(
    new CsvDataSource(path).loadMatrix(["a"], { idField: "order_id" }),
    `${path}: column "order_id" not found in the header (columns: a)`,
  );
});

test("duplicate and empty header names", async () => {
  const dup = csvFile("a,b,a\n1,2,3\n");
  await rejectsWith(
    new CsvDataSource(dup).header(),
    `${dup}:1: column "a" appears twice in the header (fields 1 and 3); column names must be unique`,
  );
  const empty = csvFile("a,b,\n1,2,3\n");
  await rejectsWith(
    new CsvDataSource(empty).header(),
    `${empty}:1: field 3 of the header is empty (every column needs a name)`,
  );
});

test("empty file and blank-only file", async () => {
  for (const text of ["", "\n\n  \n", "\uFEFF"]) {
    const path = csvFile(text);
    await rejectsWith(
      new CsvDataSource(path).loadMatrix(["a"]),
      `${path}: the file is empty (expected a header line with column names)`,
    );
  }
});

test("header only gives zero rows", async () => {
  const m = await new CsvDataSource(csvFile("a,b\n")).loadMatrix(["a", "b"]);
  assert.equal(m.rows, 0);
  assert.equal(m.values.length, 0);
});

test("unterminated quote at end of file", async () => {
  const path = csvFile('name,a\nok,1\n"never closed,2\nmore,3\n');
  const error = await rejectsWith(
    new CsvDataSource(path, { skipInvalid: true }).loadMatrix(["a"]),
    `${path}:3: column "name": unterminated quoted field "\\"never closed,2\\nmore,3\\n" ` +
      "(the quote opened on line 3 is not closed before the end of the file)",
  );
  assert.equal(error.location.line, 3);
  assert.equal(error.location.field, "name");
});

test("stray quotes inside or after a field", async () => {
  const inside = csvFile('name,a\nab"c,1\n');
  await rejectsWith(
    new CsvDataSource(inside).loadMatrix(["a"]),
    `${inside}:2: column "name": invalid quote in unquoted field "ab\\"c" ` +
      "(quote the whole field and double the quotes inside it)",
  );
  const after = csvFile('name,a\n"ab"c,1\n');
  await rejectsWith(
    new CsvDataSource(after).loadMatrix(["a"]),
    `${after}:2: column "name": invalid text after the closing quote in "\\"ab\\"c,1" ` +
      "(expected a comma or the end of the line)",
  );
});

test("missing file", async () => {
  const path = join(dir, "nope.csv");
  await rejectsWith(new CsvDataSource(path).loadMatrix(["a"]), `${path}: file not found`);
});

test("skipInvalid counts and explains skipped rows", async () => {
  const path = csvFile('a,b\n1,2\nNaN,2\n3\n4,\n5,6\n"x"y,1\n7,8\n9,abc\n');
  const m = await new CsvDataSource(path, { skipInvalid: true }).loadMatrix(["a", "b"]);
  assert.deepEqual([...m.values], [1, 2, 5, 6, 7, 8]);
  assert.deepEqual([...m.lines], [2, 6, 8]);
  assert.equal(m.skipped, 5);
  assert.deepEqual(m.skippedReasons, [
    `${path}:3: column "a": invalid number "NaN" (expected a finite number)`,
    `${path}:4: expected 2 fields as in the header, found 1`,
    `${path}:5: column "b": missing value (expected a finite number)`,
    `${path}:7: column "a": invalid text after the closing quote in "\\"x\\"y,1" ` +
      "(expected a comma or the end of the line)",
    `${path}:9: column "b": invalid number "abc" (expected a finite number)`,
  ]);
});

test("skippedReasons keeps the first five", async () => {
  let text = "a\n";
  for (let i = 0; i < 20; i++) text += "x\n";
  const m = await new CsvDataSource(csvFile(text), { skipInvalid: true }).loadMatrix(["a"]);
  assert.equal(m.skipped, 20);
  assert.equal(m.skippedReasons.length, 5);
  assert.equal(m.rows, 0);
});

test("loadRecords turns empty numeric cells into null", async () => {
  const path = csvFile("name,a,b\nx,1,\ny,,2.5\n");
  const result = await new CsvDataSource(path).loadRecords(["a", "b"]);
  assert.deepEqual(result.header, ["name", "a", "b"]);
  assert.deepEqual(result.records, [
    { name: "x", a: 1, b: null },
    { name: "y", a: null, b: 2.5 },
  ]);
  assert.deepEqual(result.lines, [2, 3]);
});

test("loadRecords rejects invalid numbers", async () => {
  const path = csvFile("name,a\nx,NaN\n");
  await rejectsWith(
    new CsvDataSource(path).loadRecords(["a"]),
    `${path}:2: column "a": invalid number "NaN" (expected a finite number)`,
  );
});

test("fromStream reads stdin-like streams once", async () => {
  const stream = Readable.from([Buffer.from("a,b\n1,"), Buffer.from("2\n3,4\n")]);
  const source = CsvDataSource.fromStream(stream, "<stdin>");
  assert.deepEqual(await source.header(), ["a", "b"]);
  const m = await source.loadMatrix(["a", "b"]);
  assert.deepEqual([...m.values], [1, 2, 3, 4]);
  await assert.rejects(source.loadMatrix(["a"]), /the stream was already read/);
});

test("fromStream names the stream in messages", async () => {
  const stream = Readable.from(["a\n", "1\n", "oops\n"]);
  await rejectsWith(
    CsvDataSource.fromStream(stream, "<stdin>").loadMatrix(["a"]),
    '<stdin>:3: column "a": invalid number "oops" (expected a finite number)',
  );
});

test("multi-byte characters split across chunks", async () => {
  const bytes = Buffer.from("name,a\nJosé,1\n");
  const cut = bytes.indexOf(0xa9); // second byte of "é"
  const stream = Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]);
  const result = await CsvDataSource.fromStream(stream, "s").loadRecords(["a"]);
  assert.equal(result.records[0].name, "José");
});

test("BOM split across stream chunks", async () => {
  const bytes = Buffer.from("\uFEFFa\n1\n");
  const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)];
  const m = await CsvDataSource.fromStream(Readable.from(chunks), "s").loadMatrix(["a"]);
  assert.deepEqual([...m.values], [1]);
});

test("onProgress reports rows and bytes", async () => {
  const text = "a\n1\n2\n3";
  const calls: [number, number, number | undefined][] = [];
  await new CsvDataSource(csvFile(text)).loadMatrix(["a"], {
    onProgress: (rows, bytes, total) => calls.push([rows, bytes, total]),
  });
  assert.ok(calls.length >= 1);
  assert.deepEqual(calls[calls.length - 1], [3, text.length, text.length]);
});

test("loadOrders checks columns and flags", async () => {
  const header = "order_id,customer,items_per_order,time_since_last_order,order_time," +
    "customer_frequency,total_cost,prep_time_estimate,timestamp";
  const good = csvFile(`${header},injected_anomaly,anomaly_kind\n` +
    "ORD_1,teddy,2,60.5,12.5,1.5,18.2,11,2024-01-01T12:30:00Z,1,cost_spike\n");
  const orders = await new CsvDataSource(good).loadOrders();
  assert.deepEqual(orders, [{
    order_id: "ORD_1", customer: "teddy", items_per_order: 2, time_since_last_order: 60.5,
    order_time: 12.5, customer_frequency: 1.5, total_cost: 18.2, prep_time_estimate: 11,
    timestamp: "2024-01-01T12:30:00Z", injected_anomaly: 1, anomaly_kind: "cost_spike",
  }]);

  const badFlag = csvFile(`${header},injected_anomaly\nO,t,2,60,12,1,18,11,x,2\n`);
  await rejectsWith(
    new CsvDataSource(badFlag).loadOrders(),
    `${badFlag}:2: column "injected_anomaly": invalid value "2" (expected 0 or 1)`,
  );
  const missingCell = csvFile(`${header}\nO,t,2,,12,1,18,11,x\n`);
  await rejectsWith(
    new CsvDataSource(missingCell).loadOrders(),
    `${missingCell}:2: column "time_since_last_order": missing value (expected a finite number)`,
  );
  const noCost = csvFile("order_id,customer\nO,t\n");
  await rejectsWith(
    new CsvDataSource(noCost).loadOrders(),
    `${noCost}: column "items_per_order" not found in the header (columns: order_id, customer)`,
  );
});

test("rows() reports skipped rows", async () => {
  const path = csvFile("a,b\n1,2\n3\n4,5\n");
  const source = new CsvDataSource(path, { skipInvalid: true });
  const seen: string[] = [];
  const lines: number[] = [];
  for await (const row of source.rows((error) => seen.push(error.message))) lines.push(row.line);
  assert.deepEqual(lines, [2, 4]);
  assert.deepEqual(seen, [`${path}:3: expected 2 fields as in the header, found 1`]);
  assert.equal(source.skipped, 1);
  assert.deepEqual(source.skippedReasons, seen);
});

test("random CSV survives any chunking", async () => {
  // Seeded cases: random fields with quotes, commas and line breaks, written per RFC 4180
  // with LF or CRLF and blank lines, read back in random chunk sizes.
  const rng = new Random(2024);
  const alphabet = ["a", "b", "1", " ", ",", '"', "\n", "\r\n", "é", "😀"];
  for (let round = 0; round < 200; round++) {
    const columns = rng.int(1, 4);
    const eol = rng.chance(0.5) ? "\n" : "\r\n";
    const rows: string[][] = [];
    let text = Array.from({ length: columns }, (_, c) => `c${c}`).join(",") + eol;
    const starts: number[] = [];
    let line = 2;
    for (let r = 0; r < rng.int(0, 6); r++) {
      if (rng.chance(0.2)) {
        text += eol; // a blank line
        line++;
      }
      const row = Array.from({ length: columns }, () => {
        let cell = "";
        for (let k = rng.int(0, 5); k > 0; k--) cell += rng.pick(alphabet);
        return cell;
      });
      // A row whose only field is empty would be a blank line, so give it content.
      if (columns === 1 && row[0].trim() === "") row[0] = "x";
      rows.push(row);
      starts.push(line);
      const encoded = row.map((cell) =>
        /[",\r\n]/.test(cell) || cell.trim() === "" ? `"${cell.replace(/"/g, '""')}"` : cell);
      text += encoded.join(",") + eol;
      line += 1 + row.join("").split("\n").length - 1;
    }
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length;) {
      const size = rng.int(1, 8);
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    const source = CsvDataSource.fromStream(Readable.from(chunks), "fuzz");
    const seen: { line: number; fields: string[] }[] = [];
    await source.forEachRow((fields, at) => seen.push({ line: at, fields: [...fields] }));
    assert.deepEqual(seen.map((s) => s.fields), rows, `round ${round}: ${JSON.stringify(text)}`);
    assert.deepEqual(seen.map((s) => s.line), starts, `round ${round}: ${JSON.stringify(text)}`);
  }
});

test("invalid UTF-8 is an error naming the line", async () => {
  const path = join(dir, "latin1.csv");
  writeFileSync(path, Buffer.concat([Buffer.from("a,b\n1,2\n3,"), Buffer.from([0xe9, 0xff]), Buffer.from("\n")]));
  await assert.rejects(new CsvDataSource(path).loadMatrix(["a"]), {
    name: "InputError",
    message: `${path}:3: invalid UTF-8 bytes (save the file as UTF-8 and try again)`,
  });
});

test("a character split across chunks decodes", async () => {
  const euro = Buffer.from("€", "utf8");
  const stream = Readable.from([Buffer.from("name,x\n"), euro.subarray(0, 1), euro.subarray(1), Buffer.from(",5\n")]);
  const records = await CsvDataSource.fromStream(stream, "split.csv").loadRecords(["x"]);
  assert.equal(records.records[0].name, "€");
  assert.equal(records.records[0].x, 5);
});
