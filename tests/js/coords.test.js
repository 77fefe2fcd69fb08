// Tests of resources/lookup/coords.js (node --test tests/js). Reference values: the published results of the
// wandergis/coordtransform library (test/app.js) for 116.404, 39.915; their GCJ-02 and BD-09 inverses are the
// one-step approximations, ours iterate, so inverses are compared within 1e-6 degrees (~0.1 m).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const C = require(path.join(__dirname, "..", "..", "resources", "lookup", "coords.js"));

function near(actual, expected, tolerance, what) {
  assert.ok(Math.abs(actual[0] - expected[0]) <= tolerance, `${what} lon ${actual[0]} vs ${expected[0]}`);
  assert.ok(Math.abs(actual[1] - expected[1]) <= tolerance, `${what} lat ${actual[1]} vs ${expected[1]}`);
}

test("WGS84 -> GCJ-02 and GCJ-02 -> BD-09 match the reference library", () => {
  near(C.wgs84ToGcj02(116.404, 39.915), [116.41024449916938, 39.91640428150164], 1e-9, "wgs84->gcj02");
  near(C.gcj02ToBd09(116.404, 39.915), [116.41036949371029, 39.92133699351021], 1e-9, "gcj02->bd09");
});

test("inverses agree with the reference within 1e-6 degrees and invert the forward formula exactly", () => {
  near(C.gcj02ToWgs84(116.404, 39.915), [116.39775550083061, 39.91359571849836], 1e-6, "gcj02->wgs84");
  near(C.bd09ToGcj02(116.404, 39.915), [116.39762729119315, 39.90865673957631], 1e-6, "bd09->gcj02");
  for (const [lon, lat] of [[126.63, 45.75], [116.404, 39.915], [87.6, 43.8], [121.47, 31.23], [110.3, 20.0]]) {
    near(C.wgs84ToGcj02(...C.gcj02ToWgs84(lon, lat)), [lon, lat], 1e-9, "gcj round trip");
    near(C.gcj02ToBd09(...C.bd09ToGcj02(lon, lat)), [lon, lat], 1e-9, "bd round trip");
  }
});

test("the GCJ-02 offset in Harbin is some hundreds of metres and BD-09 goes through GCJ-02", () => {
  const wgs = [126.63, 45.75];
  const gcj = C.wgs84ToGcj02(...wgs);
  const metres = Math.hypot((gcj[0] - wgs[0]) * 111320 * Math.cos((45.75 * Math.PI) / 180), (gcj[1] - wgs[1]) * 110574);
  assert.ok(metres > 100 && metres < 1000, `offset ${metres} m`);
  near(C.toWgs84(...gcj, "gcj02"), wgs, 1e-9, "gcj02 typed");
  near(C.toWgs84(...C.gcj02ToBd09(...gcj), "bd09"), wgs, 1e-9, "bd09 typed");
  near(C.toWgs84(126.63, 45.75, "cgcs2000"), wgs, 0, "cgcs2000 unchanged");
});

test("outside China no GCJ-02 offset is applied", () => {
  assert.deepStrictEqual(C.wgs84ToGcj02(151.2, -33.9), [151.2, -33.9]);
  assert.deepStrictEqual(C.gcj02ToWgs84(2.35, 48.85), [2.35, 48.85]);
});

test("coordinates as people type them", () => {
  const cases = [
    ["126.63, 45.75", 126.63, 45.75, "lonlat_by_range", "decimal"],
    ["126.63 45.75", 126.63, 45.75, "lonlat_by_range", "decimal"],
    ["45.75, 126.63", 126.63, 45.75, "latlon_by_range", "decimal"],
    ["45.75N 126.63E", 126.63, 45.75, "latlon_marked", "decimal"],
    ["N45.75 E126.63", 126.63, 45.75, "latlon_marked", "decimal"],
    ["东经126°37′48″ 北纬45°45′", 126.63, 45.75, "lonlat_marked", "dms"],
    ["45°45'00\"N, 126°37'48\"E", 126.63, 45.75, "latlon_marked", "dms"],
    ["126度37分48秒，45度45分0秒", 126.63, 45.75, "lonlat_by_range", "dms"],
    ["126 37 48, 45 45 0", 126.63, 45.75, "lonlat_by_range", "dms"],
    ["126 37.8 45 45", 126.63, 45.75, "lonlat_by_range", "dms"],
    ["１２６．６３，４５．７５", 126.63, 45.75, "lonlat_by_range", "decimal"],
    ["87.6, 43.8", 87.6, 43.8, "lonlat_assumed", "decimal"],
    ["33°52′S 151°12′E", 151.2, -52 / 60 - 33, "latlon_marked", "dms"],
  ];
  for (const [text, lon, lat, order, format] of cases) {
    const got = C.parse(text);
    assert.ok(!got.error, `${text}: ${got.error}`);
    assert.ok(Math.abs(got.lon - lon) < 1e-9 && Math.abs(got.lat - lat) < 1e-9, `${text}: ${got.lon}, ${got.lat}`);
    assert.strictEqual(got.order, order, text);
    assert.strictEqual(got.format, format, text);
  }
});

test("what cannot be read says why", () => {
  assert.strictEqual(C.parse("harbin").error, "unreadable");
  assert.strictEqual(C.parse("126.63").error, "two_values");
  assert.strictEqual(C.parse("126°75′ 45°10′").error, "minutes_seconds");
  assert.strictEqual(C.parse("45N 46N").error, "two_values");
  assert.strictEqual(C.parse("200, 95").error, "range");
});

test("degrees-minutes-seconds are written back as people read them", () => {
  assert.strictEqual(C.formatDms(126.63, "E", "W"), "126°37′48.00″E");
  assert.strictEqual(C.formatDms(-33.5, "N", "S"), "33°30′00.00″S");
});
