/** Event conversion and decoding without a server: CSV rows to events, and bad events. */

import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeEvent, MAX_EVENT_ID_LENGTH } from "../src/fleet/events.js";
import { csvRowToEvent } from "../src/fleet/publisher.js";

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

test("CSV row keeps ids as strings", () => {
  const event = csvRowToEvent(
    { order_id: "007", total_cost: "12.50", items: " 3 ", note: "NaN", empty: "  " },
    "order_id",
  );
  assert.deepEqual(event, {
    order_id: "007",
    total_cost: 12.5,
    items: 3,
    note: "NaN",
    empty: null,
  });
});

test("CSV row without id field", () => {
  const event = csvRowToEvent({ a: "1e3", b: "0x10", c: "-0.5" }, undefined);
  assert.deepEqual(event, { a: 1000, b: "0x10", c: -0.5 });
});

test("decodeEvent accepts numeric ids", () => {
  const decoded = decodeEvent(encode({ id: 42, a: 1 }), "id", ["a"]);
  assert.deepEqual(decoded, { ok: true, id: "42", record: { id: 42, a: 1 } });
});

test("decodeEvent rejects bad events", () => {
  const cases: [unknown, string][] = [
    [{ id: "", a: 1 }, 'id field "id": missing'],
    [{ id: null, a: 1 }, 'id field "id": missing'],
    [{ id: true, a: 1 }, 'id field "id": invalid value true (expected a string or number)'],
    [{ id: "a\nb", a: 1 }, 'id field "id": invalid value "a\\nb" (control characters)'],
    [
      { id: "x".repeat(MAX_EVENT_ID_LENGTH + 1), a: 1 },
      `id field "id": invalid value: longer than ${MAX_EVENT_ID_LENGTH} characters`,
    ],
    [{ id: "e1" }, 'feature "a": missing'],
    [
      { id: "e1", a: null },
      'feature "a": invalid value null (expected a finite JSON number)',
    ],
    ["text", "invalid event: expected a JSON object, got string"],
    [null, "invalid event: expected a JSON object, got null"],
  ];
  for (const [event, reason] of cases) {
    const decoded = decodeEvent(encode(event), "id", ["a"]);
    assert.equal(decoded.ok, false, `accepted ${JSON.stringify(event)}`);
    assert.equal(decoded.ok ? "" : decoded.reason, reason);
  }
});

test("decodeEvent rejects invalid UTF-8", () => {
  const decoded = decodeEvent(new Uint8Array([0x7b, 0xff, 0x7d]), "id", ["a"]);
  assert.equal(decoded.ok, false);
  assert.match(decoded.ok ? "" : decoded.reason, /^invalid JSON: /);
});
