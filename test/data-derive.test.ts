import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError, ParameterError } from "../src/engine/errors.js";
import { ORDER_DERIVED_NAMES, deriveFeatures } from "../src/data/derive.js";
import { deriveCsv } from "../src/data/derive-csv.js";
import { generateOrders, ordersToCsv } from "../src/data/generator.js";
import { ZonedClock, parseTimestamp } from "../src/data/time.js";
import { CsvDataSource } from "../src/data/csv.js";

const dir = mkdtempSync(join(tmpdir(), "sigh-data-derive-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const close = (actual: unknown, expected: number, what: string): void => {
  assert.equal(typeof actual, "number", `${what}: ${String(actual)} is not a number`);
  assert.ok(Math.abs((actual as number) - expected) < 1e-9, `${what}: ${actual} != ${expected}`);
};

test("hours across the London spring change", () => {
  // Clocks go from 01:00 GMT (UTC+0) to 02:00 BST (UTC+1) at 2024-03-31T01:00:00Z.
  // Input is out of time order on purpose.
  const events = [
    { user: "a", ts: "2024-03-31T01:00:00Z" }, // 01:00 UTC = 02:00 BST -> 2.0
    { user: "a", ts: "2024-03-30T23:30:00Z" }, // 23:30 GMT -> 23.5
    { user: "a", ts: "2024-03-31T12:00:00+01:00" }, // 11:00 UTC = 12:00 BST -> 12.0
    { user: "a", ts: "2024-03-31T00:59:00Z" }, // 00:59 GMT -> 59/60 = 0.98333
    { user: "a", ts: "2024-03-31T01:30:00Z" }, // 02:30 BST -> 2.5
  ];
  const out = deriveFeatures(events, { entity: "user", time: "ts", timeZone: "Europe/London" });
  const hours = [2, 23.5, 12, 59 / 60, 2.5];
  hours.forEach((h, i) => close(out[i].hour_of_day, h, `hour of event ${i}`));

  // In time order: 23:30Z, 00:59Z (+89 min), 01:00Z (+1), 01:30Z (+30), 11:00Z (+570).
  assert.equal(out[1].time_since_last_event, null);
  close(out[3].time_since_last_event, 89, "interval of 00:59Z");
  close(out[0].time_since_last_event, 1, "interval of 01:00Z");
  close(out[4].time_since_last_event, 30, "interval of 01:30Z");
  close(out[2].time_since_last_event, 570, "interval of 11:00Z");
  // 5 events within 11.5 hours: the span counts as 1 day.
  for (const row of out) close(row.events_per_day, 5, "frequency");
  assert.equal(out[2].ts, "2024-03-31T12:00:00+01:00");
});

test("hours across the London autumn change", () => {
  // Clocks go back from 02:00 BST to 01:00 GMT at 2024-10-27T01:00:00Z, so 01:30
  // local happens twice, one hour apart.
  const out = deriveFeatures(
    [
      { id: "x", t: "2024-10-27T00:30:00Z" }, // 01:30 BST -> 1.5
      { id: "x", t: "2024-10-27T01:30:00Z" }, // 01:30 GMT -> 1.5
      { id: "x", t: "2024-10-27T02:15:00Z" }, // 02:15 GMT -> 2.25
    ],
    { entity: "id", time: "t", timeZone: "Europe/London" },
  );
  close(out[0].hour_of_day, 1.5, "first 01:30");
  close(out[1].hour_of_day, 1.5, "second 01:30");
  close(out[2].hour_of_day, 2.25, "02:15 GMT");
  close(out[1].time_since_last_event, 60, "interval across the change");
});

test("zone offsets match Intl at many instants", () => {
  const clock = new ZonedClock("America/New_York");
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: "America/New_York", hourCycle: "h23", hour: "numeric", minute: "numeric",
  });
  const start = Date.UTC(2024, 2, 9);
  for (let ms = start; ms < start + 3 * 86400000; ms += 7 * 60000) {
    const parts = format.formatToParts(new Date(ms));
    const hour = Number(parts.find((p) => p.type === "hour")?.value);
    const minute = Number(parts.find((p) => p.type === "minute")?.value);
    const expected = hour + minute / 60;
    close(clock.hourOfDay(ms), expected, new Date(ms).toISOString());
  }
});

test("epoch seconds and milliseconds", () => {
  // 1711846800 s = 2024-03-31T01:00:00Z = 02:00 in London.
  const out = deriveFeatures(
    [
      { e: 1, t: 1711846800 },
      { e: 1, t: "1711846800000" },
      { e: 2, t: "1711846800.5" },
    ],
    { entity: "e", time: "t", timeZone: "Europe/London" },
  );
  close(out[0].hour_of_day, 2, "seconds");
  close(out[1].hour_of_day, 2, "milliseconds");
  close(out[1].time_since_last_event, 0, "same instant");
  close(out[2].hour_of_day, 2 + 0.5 / 3600, "fractional seconds");
  assert.equal(parseTimestamp(1711846800, "ms"), 1711846800);
  assert.equal(parseTimestamp("1711846800000", "s"), 1711846800000000);
});

test("timestamp forms", () => {
  const base = Date.UTC(2024, 2, 31, 1, 0, 0);
  const cases: [string, number][] = [
    ["2024-03-31T01:00:00Z", base],
    ["2024-03-31 01:00:00", base],
    ["2024-03-31T01:00", base],
    ["2024-03-31T02:00:00+01:00", base],
    ["2024-03-31T02:00:00+0100", base],
    ["2024-03-31T02:00:00+01", base],
    ["2024-03-30T20:30:00-04:30", base],
    ["2024-03-31t01:00:00.250z", base + 250],
    [" 2024-03-31T01:00:00Z ", base],
  ];
  for (const [text, expected] of cases) assert.equal(parseTimestamp(text), expected, text);
  for (const bad of ["2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-03-31T24:00:00Z",
    "2024-03-31", "yesterday", "", "NaN", "1e400", "2024-03-31T01:00:00+1"]) {
    assert.ok(Number.isNaN(parseTimestamp(bad)), `${bad} should be invalid`);
  }
});

test("entities, span and keep columns", () => {
  const day = (d: number, h: number) => new Date(Date.UTC(2024, 0, 1 + d, h)).toISOString();
  const out = deriveFeatures(
    [
      { svc: "b", at: day(0, 10), bytes: 5 },
      { svc: "c", at: day(1, 10), bytes: 7 },
      { svc: "b", at: day(4, 10), bytes: 6 },
      { svc: "b", at: day(2, 10), bytes: 9 },
    ],
    { entity: "svc", time: "at", keep: ["bytes"], names: ORDER_DERIVED_NAMES },
  );
  // b: 3 events over 4 days -> 0.75/day; c: 1 event -> span counts as 1 day -> 1/day.
  close(out[0].customer_frequency, 0.75, "b");
  close(out[1].customer_frequency, 1, "c");
  assert.equal(out[1].time_since_last_order, null);
  close(out[3].time_since_last_order, 2 * 1440, "b day 2");
  close(out[2].time_since_last_order, 2 * 1440, "b day 4");
  close(out[2].order_time, 10, "hour in UTC");
  assert.deepEqual(Object.keys(out[0]), ["svc", "at", "bytes", "time_since_last_order",
    "customer_frequency", "order_time"]);
  assert.equal(out[3].bytes, 9);
});

test("bad timestamps and ids have exact messages", () => {
  const run = (t: unknown, e: unknown = "a") =>
    deriveFeatures([{ e: "a", t: "2024-01-01T00:00:00Z" }, { e, t }], { entity: "e", time: "t" });
  const cases: [unknown, unknown, string][] = [
    ["2024-13-01T00:00:00Z", "a", 'events: event 2: column "t": invalid timestamp ' +
      '"2024-13-01T00:00:00Z" (expected ISO 8601 such as 2024-03-31T01:30:00Z, or epoch ' +
      "seconds or milliseconds)"],
    ["yesterday", "a", 'events: event 2: column "t": invalid timestamp "yesterday" ' +
      "(expected ISO 8601 such as 2024-03-31T01:30:00Z, or epoch seconds or milliseconds)"],
    ["", "a", 'events: event 2: column "t": missing value (expected a timestamp)'],
    [undefined, "a", 'events: event 2: column "t": missing value (expected a timestamp)'],
    ["2024-01-01T00:00:00Z", null, 'events: event 2: column "e": missing value ' +
      "(expected an entity id)"],
  ];
  for (const [t, e, message] of cases) {
    assert.throws(() => run(t, e), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.message, message);
      return true;
    });
  }
});

test("unknown time zone", () => {
  assert.throws(
    () => deriveFeatures([], { entity: "e", time: "t", timeZone: "Europe/Londn" }),
    (error: unknown) => {
      assert.ok(error instanceof ParameterError);
      assert.equal(error.parameter, "timeZone");
      assert.equal(error.message, 'unknown time zone "Europe/Londn" (expected an IANA name ' +
        'such as "Europe/London", "America/New_York" or "UTC")');
      return true;
    },
  );
});

test("derive reproduces the generator's features", () => {
  const orders = generateOrders({ rows: 2000, seed: 9 });
  const out = deriveFeatures(orders as unknown as Record<string, unknown>[], {
    entity: "customer",
    time: "timestamp",
    names: ORDER_DERIVED_NAMES,
  });
  let compared = 0;
  orders.forEach((order, i) => {
    close(out[i].customer_frequency, order.customer_frequency, `${order.order_id} frequency`);
    close(out[i].order_time, order.order_time, `${order.order_id} hour`);
    const interval = out[i].time_since_last_order;
    if (interval === null) return; // first order of the customer
    close(interval, order.time_since_last_order, `${order.order_id} interval`);
    compared++;
  });
  assert.ok(compared > 1900, `only ${compared} intervals compared`);
});

test("deriveCsv writes input order and reports skips", async () => {
  const input = join(dir, "events.csv");
  writeFileSync(input, [
    "user,ts,bytes",
    "a,2024-03-31T01:00:00Z,10",
    "b,2024-03-31T00:00:00Z,\"1,5\"",
    "a,not a time,3",
    "a,2024-03-30T23:30:00Z,7",
    ",2024-03-30T23:30:00Z,7",
    "",
  ].join("\n"));
  const output = join(dir, "derived.csv");
  const result = await deriveCsv(input, output, {
    entity: "user", time: "ts", keep: ["bytes"], timeZone: "Europe/London", skipInvalid: true,
  });
  assert.equal(result.rows, 3);
  assert.equal(result.skipped, 2);
  assert.deepEqual(result.skippedReasons, [
    `${input}:4: column "ts": invalid timestamp "not a time" (expected ISO 8601 such as ` +
      "2024-03-31T01:30:00Z, or epoch seconds or milliseconds)",
    `${input}:6: column "user": missing value (expected an entity id)`,
  ]);
  assert.equal(readFileSync(output, "utf8"), [
    "user,ts,bytes,time_since_last_event,events_per_day,hour_of_day",
    "a,2024-03-31T01:00:00Z,10,90,2,2",
    'b,2024-03-31T00:00:00Z,"1,5",,1,0',
    "a,2024-03-30T23:30:00Z,7,,2,23.5",
    "",
  ].join("\n"));
});

test("deriveCsv stops at the first bad row without skipInvalid", async () => {
  const input = join(dir, "bad.csv");
  writeFileSync(input, "user,ts\na,2024-01-01T00:00:00Z\nb,2024-02-30T00:00:00Z\n");
  await assert.rejects(deriveCsv(input, join(dir, "never.csv"), { entity: "user", time: "ts" }),
    (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.message, `${input}:3: column "ts": invalid timestamp ` +
        '"2024-02-30T00:00:00Z" (expected ISO 8601 such as 2024-03-31T01:30:00Z, or epoch ' +
        "seconds or milliseconds)");
      assert.equal(error.location.line, 3);
      return true;
    });
  await assert.rejects(
    deriveCsv(input, join(dir, "never.csv"), { entity: "user", time: "when" }),
    new RegExp(`column "when" not found in the header \\(columns: user, ts\\)`),
  );
});

test("deriveCsv on generated orders feeds loadMatrix", async () => {
  const orders = generateOrders({ rows: 500, seed: 4 });
  const input = join(dir, "orders.csv");
  writeFileSync(input, ordersToCsv(orders));
  const output = join(dir, "orders-derived.csv");
  const result = await deriveCsv(input, output, {
    entity: "customer",
    time: "timestamp",
    keep: ["items_per_order", "total_cost", "prep_time_estimate"],
    names: ORDER_DERIVED_NAMES,
    firstEvent: "drop",
  });
  const customers = new Set(orders.map((o) => o.customer)).size;
  assert.equal(result.dropped, customers);
  assert.equal(result.rows, 500 - customers);
  const m = await new CsvDataSource(output).loadMatrix(["items_per_order",
    "time_since_last_order", "order_time", "customer_frequency", "total_cost",
    "prep_time_estimate"]);
  assert.equal(m.rows, 500 - customers);
});
