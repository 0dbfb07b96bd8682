import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeHtml, jsonForScript, visibleText } from "../src/report/escape.js";

const ATTACK = "</script><script>alert(1)</script>";

test("escapeHtml escapes markup characters", () => {
  assert.equal(escapeHtml(`a<b>&"'`), "a&lt;b&gt;&amp;&quot;&#39;");
  assert.equal(escapeHtml(ATTACK).includes("<"), false);
});

test("jsonForScript hides script end tags", () => {
  const value = { id: ATTACK, note: "<!-- x -->", line: "a\u2028b", amp: "&" };
  const text = jsonForScript(value);
  assert.equal(/<\/script/i.test(text), false, text);
  assert.equal(text.includes("<!--"), false, text);
  assert.equal(text.includes("\u2028"), false, text);
  assert.deepEqual(JSON.parse(text), value);
});

test("control characters become visible escapes", () => {
  assert.equal(visibleText("\u001b[2J\u0007Z"), "\\x1b[2J\\x07Z");
  assert.equal(visibleText("tab\tkept"), "tab\tkept");
});
