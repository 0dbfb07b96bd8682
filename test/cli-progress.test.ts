/** The stderr progress bar: quiet for short work, a few lines off a terminal, redraws on one. */

import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { ProgressBar, formatDuration } from "../src/cli/progress.js";

/** Creates a progress bar on a captured stream, with a clock the test moves. */
function fakeBar(tty: boolean) {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
  let now = 0;
  const bar = new ProgressBar(stream, { label: "loading", tty, now: () => now });
  return {
    bar,
    at: (ms: number) => (now = ms),
    output: () => text,
  };
}

test("short work prints nothing", () => {
  const fake = fakeBar(false);
  for (let done = 0; done <= 1000; done += 100) fake.bar.update(done, 1000);
  fake.bar.finish();
  assert.equal(fake.output(), "");
});

test("plain output prints quarters and a final line", () => {
  const fake = fakeBar(false);
  for (let done = 0; done <= 1000; done += 10) {
    fake.at(done * 10);
    fake.bar.update(done, 1000);
  }
  fake.bar.finish();
  const lines = fake.output().trimEnd().split("\n");
  assert.equal(lines.length, 3 + 1, fake.output());
  const firstLine = /^loading {2}\[#+-+\] {2}25% {2}250 rows {2}100 rows\/s {2}about 8s left$/;
  assert.match(lines[0], firstLine);
  assert.match(lines[3], /100% {2}1,000 rows {2}100 rows\/s {2}done in 10s$/);
  assert.ok(!fake.output().includes("\r"));
});

test("terminal output redraws one line", () => {
  const fake = fakeBar(true);
  for (let done = 0; done <= 1000; done += 10) {
    fake.at(done * 10);
    fake.bar.update(done, 1000);
  }
  fake.bar.finish();
  const output = fake.output();
  assert.ok(output.startsWith("\r"));
  assert.equal(output.split("\n").length, 2, "one newline, at the end");
  const redraws = output.split("\r").length - 1;
  assert.ok(redraws > 10, `redraws: ${redraws}`);
  assert.ok(redraws <= 92, `redraws: ${redraws}`);
});

test("unknown total shows count and rate only", () => {
  const fake = fakeBar(true);
  fake.at(2000);
  fake.bar.updateFraction(500, undefined);
  assert.match(fake.output(), /loading {2}500 rows {2}250 rows\/s/);
  assert.ok(!fake.output().includes("%"));
});

test("durations format as seconds or minutes", () => {
  assert.equal(formatDuration(42), "42s");
  assert.equal(formatDuration(185), "3m 05s");
  assert.equal(formatDuration(NaN), "?");
});
