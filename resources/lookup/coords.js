/* EcoZoning public lookup: coordinates typed by people and the Chinese map datums.
 *
 * parse(text)            "126.63, 45.75", "45.75N 126.63E", "东经126°37′48″ 北纬45°45′", "126 37 48, 45 45 0"
 *                        -> {lon, lat, order, format} or {error}
 * toWgs84(lon, lat, crs) crs: "cgcs2000" | "wgs84" | "gcj02" (高德, 腾讯) | "bd09" (百度) -> [lon, lat]
 * wgs84ToGcj02, gcj02ToWgs84, gcj02ToBd09, bd09ToGcj02, outOfChina
 *
 * GCJ-02 is the published forward formula of the 2002 national datum obfuscation; its inverse has no closed
 * form and is solved by fixed-point iteration to 1e-10 degrees (the common one-step inverse is off by up to
 * ~2 m). BD-09 is Baidu's rotation of GCJ-02, inverted the same way. CGCS2000 and WGS84 differ by centimetres:
 * they are taken as the same. Outside China the GCJ-02 offset is not applied (as the map apps do).
 */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.EcoCoords = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var PI = Math.PI;
  var X_PI = (PI * 3000.0) / 180.0;
  var A = 6378245.0; // Krasovsky 1940 semi-major axis used by GCJ-02
  var EE = 0.00669342162296594323; // its first eccentricity squared

  function outOfChina(lon, lat) {
    return !(lon > 72.004 && lon < 137.8347 && lat > 0.8293 && lat < 55.8271);
  }

  function transformLat(x, y) {
    var ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    ret += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0;
    ret += ((20.0 * Math.sin(y * PI) + 40.0 * Math.sin((y / 3.0) * PI)) * 2.0) / 3.0;
    ret += ((160.0 * Math.sin((y / 12.0) * PI) + 320 * Math.sin((y * PI) / 30.0)) * 2.0) / 3.0;
    return ret;
  }

  function transformLon(x, y) {
    var ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    ret += ((20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0) / 3.0;
    ret += ((20.0 * Math.sin(x * PI) + 40.0 * Math.sin((x / 3.0) * PI)) * 2.0) / 3.0;
    ret += ((150.0 * Math.sin((x / 12.0) * PI) + 300.0 * Math.sin((x / 30.0) * PI)) * 2.0) / 3.0;
    return ret;
  }

  function wgs84ToGcj02(lon, lat) {
    if (outOfChina(lon, lat)) return [lon, lat];
    var dLat = transformLat(lon - 105.0, lat - 35.0);
    var dLon = transformLon(lon - 105.0, lat - 35.0);
    var radLat = (lat / 180.0) * PI;
    var magic = Math.sin(radLat);
    magic = 1 - EE * magic * magic;
    var sqrtMagic = Math.sqrt(magic);
    dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * PI);
    dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * PI);
    return [lon + dLon, lat + dLat];
  }

  function gcj02ToBd09(lon, lat) {
    var z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
    var theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X_PI);
    return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
  }

  // Solve forward(p) = target for p by fixed-point iteration from p = target (the offsets vary slowly).
  function invert(forward, lon, lat) {
    var x = lon;
    var y = lat;
    for (var i = 0; i < 30; i++) {
      var f = forward(x, y);
      var dx = f[0] - lon;
      var dy = f[1] - lat;
      x -= dx;
      y -= dy;
      if (Math.abs(dx) < 1e-10 && Math.abs(dy) < 1e-10) break;
    }
    return [x, y];
  }

  function gcj02ToWgs84(lon, lat) {
    if (outOfChina(lon, lat)) return [lon, lat];
    return invert(wgs84ToGcj02, lon, lat);
  }

  function bd09ToGcj02(lon, lat) {
    return invert(gcj02ToBd09, lon, lat);
  }

  function toWgs84(lon, lat, crs) {
    switch (crs) {
      case "gcj02":
        return gcj02ToWgs84(lon, lat);
      case "bd09":
        var gcj = bd09ToGcj02(lon, lat);
        return gcj02ToWgs84(gcj[0], gcj[1]);
      case "wgs84":
      case "cgcs2000":
      case undefined:
      case "":
        return [lon, lat];
      default:
        throw new Error("unknown coordinate system: " + crs);
    }
  }

  // --- typed coordinates ------------------------------------------------------------------------------------
  function normalize(text) {
    var s = String(text || "");
    if (s.normalize) s = s.normalize("NFKC"); // full-width digits and punctuation; ″ becomes ′′
    s = s.toUpperCase();
    s = s.replace(/东经|東經/g, " E ").replace(/西经|西經/g, " W ").replace(/北纬|北緯/g, " N ").replace(/南纬|南緯/g, " S ");
    s = s.replace(/经度|經度|纬度|緯度|LONGITUDE|LATITUDE|LON|LNG|LAT/g, " ");
    s = s.replace(/′′|''|’’/g, "s").replace(/[″”“"秒]/g, "s");
    s = s.replace(/[°˚度]/g, "d").replace(/[′’‘'分]/g, "m");
    s = s.replace(/[,，;；、|]/g, ",");
    return s;
  }

  var TOKEN = /([+-]?\d+(?:\.\d+)?)\s*([dmsDM])?|([NSEW])|(,)/g;

  function tokens(s) {
    var out = [];
    var m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(s)) !== null) {
      if (m[1] !== undefined) out.push({ num: parseFloat(m[1]), unit: (m[2] || "").toUpperCase(), text: m[1] });
      else if (m[3]) out.push({ hemi: m[3] });
      else out.push({ comma: true });
    }
    var rest = s.replace(TOKEN, "").replace(/\s+/g, "");
    return { list: out, rest: rest };
  }

  // Split the tokens into the two coordinates.
  function split(list) {
    var commas = list.filter(function (t) { return t.comma; }).length;
    if (commas === 1) {
      var at = list.findIndex(function (t) { return t.comma; });
      return [list.slice(0, at), list.slice(at + 1)];
    }
    if (commas > 1) return null;
    var hemis = [];
    list.forEach(function (t, i) { if (t.hemi) hemis.push(i); });
    if (hemis.length === 2) {
      if (hemis[0] === 0) return [list.slice(0, hemis[1]), list.slice(hemis[1])]; // prefix style: N 45 E 126
      return [list.slice(0, hemis[0] + 1), list.slice(hemis[0] + 1)]; // suffix style: 45N 126E
    }
    if (hemis.length !== 0) return null;
    var nums = list.filter(function (t) { return t.num !== undefined; });
    var degrees = [];
    nums.forEach(function (t, i) { if (t.unit === "D") degrees.push(i); });
    if (degrees.length === 2) return [nums.slice(0, degrees[1]), nums.slice(degrees[1])];
    if (nums.length === 2) return [nums.slice(0, 1), nums.slice(1)];
    if (nums.length === 4) return [nums.slice(0, 2), nums.slice(2)];
    if (nums.length === 6) return [nums.slice(0, 3), nums.slice(3)];
    return null;
  }

  function value(part) {
    var hemi = "";
    var nums = [];
    part.forEach(function (t) {
      if (t.hemi) hemi = t.hemi;
      else if (t.num !== undefined) nums.push(t);
    });
    if (nums.length < 1 || nums.length > 3) return null;
    var d = 0, m = 0, s = 0;
    var dms = nums.length > 1 || nums[0].unit === "D" || nums[0].unit === "M";
    if (nums.length === 1) d = nums[0].num;
    else {
      for (var i = 0; i < nums.length; i++) {
        var unit = nums[i].unit || "DMS"[i];
        if (unit === "D") d = nums[i].num;
        else if (unit === "M") m = nums[i].num;
        else s = nums[i].num;
      }
    }
    if (m < 0 || m >= 60 || s < 0 || s >= 60) return { bad: true };
    if (nums.length > 1 && (Math.floor(d) !== d || (nums.length === 3 && Math.floor(m) !== m))) return { bad: true };
    var sign = d < 0 || /^-/.test(nums[0].text) ? -1 : 1;
    var v = sign * (Math.abs(d) + m / 60 + s / 3600);
    if (hemi === "S" || hemi === "W") v = -Math.abs(v);
    return { v: v, hemi: hemi, dms: dms };
  }

  function parse(text) {
    var t = tokens(normalize(text));
    if (t.rest.length) return { error: "unreadable" };
    var parts = split(t.list);
    if (!parts) return { error: "two_values" };
    var a = value(parts[0]);
    var b = value(parts[1]);
    if (!a || !b) return { error: "two_values" };
    if (a.bad || b.bad) return { error: "minutes_seconds" };
    var lon, lat, order;
    var axis = function (h) { return h === "E" || h === "W" ? "lon" : h === "N" || h === "S" ? "lat" : ""; };
    var ax = axis(a.hemi), bx = axis(b.hemi);
    if (ax && bx && ax === bx) return { error: "two_values" };
    if (ax === "lat" || bx === "lon") {
      lat = a.v; lon = b.v; order = "latlon_marked";
    } else if (ax === "lon" || bx === "lat") {
      lon = a.v; lat = b.v; order = "lonlat_marked";
    } else if (Math.abs(a.v) <= 90 && Math.abs(b.v) > 90) {
      lat = a.v; lon = b.v; order = "latlon_by_range";
    } else {
      lon = a.v; lat = b.v; order = Math.abs(a.v) > 90 ? "lonlat_by_range" : "lonlat_assumed";
    }
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return { error: "range" };
    return { lon: lon, lat: lat, order: order, format: a.dms || b.dms ? "dms" : "decimal" };
  }

  function formatDms(v, pos, neg) {
    var h = v < 0 ? neg : pos;
    var a = Math.abs(v);
    var d = Math.floor(a);
    var mf = (a - d) * 60;
    var m = Math.floor(mf);
    var s = (mf - m) * 60;
    if (s >= 59.995) { s = 0; m += 1; }
    if (m >= 60) { m = 0; d += 1; }
    return d + "°" + (m < 10 ? "0" : "") + m + "′" + (s < 10 ? "0" : "") + s.toFixed(2) + "″" + h;
  }

  return {
    outOfChina: outOfChina,
    wgs84ToGcj02: wgs84ToGcj02,
    gcj02ToWgs84: gcj02ToWgs84,
    gcj02ToBd09: gcj02ToBd09,
    bd09ToGcj02: bd09ToGcj02,
    toWgs84: toWgs84,
    parse: parse,
    formatDms: formatDms,
  };
});
