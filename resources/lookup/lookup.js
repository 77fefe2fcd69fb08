/* EcoZoning public lookup (公共查阅): the page. Data come as scripts calling ECOZ.overview(...) and
 * ECOZ.county(...) (see core/lookup.py); nothing is requested from outside the site unless the publisher set
 * a basemap (TILE_URL). */
(function () {
  "use strict";

  var T = {
    zh: {
      lang_button: "English",
      search_label: "输入坐标",
      search_placeholder: "如 126.63, 45.75 或 45°45′N 126°37′48″E",
      search_button: "查询",
      crs_label: "坐标来源",
      crs_cgcs2000: "CGCS2000 / WGS84（GPS、天地图）",
      crs_gcj02: "GCJ-02（高德、腾讯地图）",
      crs_bd09: "BD-09（百度地图）",
      hint: "点击地图或输入坐标，查看所在的环境管控单元及其生态环境准入清单。",
      legend: "图例",
      county_line: "县（市、区）界",
      version: "版本",
      date: "发布日期",
      data_crs: "数据坐标系 CGCS2000（EPSG:4490）",
      units_count: "个环境管控单元",
      loading: "正在查询…",
      from_map: "地图点击位置（CGCS2000）",
      typed: "输入的坐标",
      assumed_crs: "按 {crs} 坐标解读",
      order_lonlat_marked: "按标注的经纬度",
      order_latlon_marked: "按标注的经纬度",
      order_lonlat_by_range: "大于 90 的数为经度",
      order_latlon_by_range: "大于 90 的数为经度",
      order_lonlat_assumed: "按“经度, 纬度”的顺序",
      converted: "换算为 CGCS2000",
      same_datum: "CGCS2000 与 WGS84 相差不足 1 米，视为相同",
      outside: "该点不在本方案的任何环境管控单元内（可能位于方案范围以外或海域）。",
      outside_china: "该点在中国境外，未做 GCJ-02 纠偏。",
      boundary: "该点位于以下 {n} 个单元的边界上（{m} 米以内），各单元的要求均列出：",
      boundary_one: "该点位于本单元边界上（{m} 米以内）。",
      code: "单元编码",
      name: "单元名称",
      cls: "管控类别",
      county: "所在县（市、区）",
      list_title: "生态环境准入清单",
      other_dimension: "其他（维度未知）",
      none: "无",
      industries: "限 {list} 行业",
      note_no_unit_list: "本单元尚无单元级准入清单，以下为适用的省级、区域和市级要求。",
      note_no_clauses: "本单元暂无适用的准入清单条款，请向主管部门咨询。",
      err_unreadable: "无法识别输入的坐标，请输入如 126.63, 45.75 或 45°45′N 126°37′48″E。",
      err_two_values: "请输入经度和纬度两个数（可用逗号分隔）。",
      err_minutes_seconds: "度分秒格式有误：分和秒应小于 60。",
      err_range: "坐标超出范围：纬度应在 ±90°，经度应在 ±180° 以内。",
      err_load: "数据文件无法加载：{file}",
      disclaimer: "本页面仅供查阅，以生态环境主管部门发布的正式文件为准。",
    },
    en: {
      lang_button: "中文",
      search_label: "Coordinates",
      search_placeholder: "e.g. 126.63, 45.75 or 45°45′N 126°37′48″E",
      search_button: "Look up",
      crs_label: "Coordinates from",
      crs_cgcs2000: "CGCS2000 / WGS84 (GPS, Tianditu)",
      crs_gcj02: "GCJ-02 (Amap, Tencent maps)",
      crs_bd09: "BD-09 (Baidu maps)",
      hint: "Click the map or type coordinates to see the control unit of a place and its admission list.",
      legend: "Legend",
      county_line: "County boundary",
      version: "Version",
      date: "Published",
      data_crs: "Data in CGCS2000 (EPSG:4490)",
      units_count: "environmental control units",
      loading: "Looking up…",
      from_map: "Point clicked on the map (CGCS2000)",
      typed: "Coordinates typed",
      assumed_crs: "read as {crs} coordinates",
      order_lonlat_marked: "longitude and latitude as marked",
      order_latlon_marked: "longitude and latitude as marked",
      order_lonlat_by_range: "the value above 90 taken as longitude",
      order_latlon_by_range: "the value above 90 taken as longitude",
      order_lonlat_assumed: "taken in the order longitude, latitude",
      converted: "in CGCS2000",
      same_datum: "CGCS2000 and WGS84 differ by less than 1 m and are taken as the same",
      outside: "This point lies in no environmental control unit of this scheme (outside its area, or at sea).",
      outside_china: "The point is outside China: no GCJ-02 correction applied.",
      boundary: "This point lies on the boundary of these {n} units (within {m} m); the requirements of each apply:",
      boundary_one: "This point lies on the boundary of this unit (within {m} m).",
      code: "Unit code",
      name: "Unit name",
      cls: "Class",
      county: "County",
      list_title: "Environmental admission list",
      other_dimension: "Other (unknown dimension)",
      none: "none",
      industries: "industries {list} only",
      note_no_unit_list: "This unit has no list of its own yet: the provincial, regional and prefecture requirements below apply.",
      note_no_clauses: "No admission-list clause applies to this unit yet; ask the ecology department.",
      err_unreadable: "The coordinates cannot be read; type e.g. 126.63, 45.75 or 45°45′N 126°37′48″E.",
      err_two_values: "Type two values, longitude and latitude (a comma may separate them).",
      err_minutes_seconds: "Degrees-minutes-seconds: minutes and seconds must be below 60.",
      err_range: "Out of range: latitude within ±90°, longitude within ±180°.",
      err_load: "A data file could not be loaded: {file}",
      disclaimer: "For information only; the official documents of the ecology department prevail.",
    },
  };
  var CRS_NAMES = { cgcs2000: "CGCS2000 / WGS84", gcj02: "GCJ-02", bd09: "BD-09" };

  var state = {
    lang: "zh",
    ready: false,
    readyAt: null,
    queries: 0,
    last: null,
    counties: {},
    pending: {},
  };
  window.ECOZ_STATE = state;
  var data = null;
  var map = null;
  var highlight = null;
  var marker = null;
  var lastQuery = null;

  function t(key, values) {
    var text = (T[state.lang] || T.zh)[key] || T.zh[key] || key;
    if (values) {
      Object.keys(values).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    }
    return text;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "style") node.setAttribute("style", attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function label(entry) { return state.lang === "en" ? entry.en : entry.zh; }

  // --- geometry ------------------------------------------------------------------------------------------------
  function inBox(b, x, y, d) { return x >= b[0] - d && x <= b[2] + d && y >= b[1] - d && y <= b[3] + d; }

  function insidePolygon(x, y, rings) {
    var inside = false;
    for (var r = 0; r < rings.length; r++) {
      var ring = rings[r];
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    return inside;
  }

  // Distance in metres from a point to the rings (local equirectangular scale: exact enough within metres).
  function distanceToRings(x, y, polygons) {
    var kx = 111320 * Math.cos((y * Math.PI) / 180);
    var ky = 110574;
    var best = Infinity;
    for (var p = 0; p < polygons.length; p++) {
      for (var r = 0; r < polygons[p].length; r++) {
        var ring = polygons[p][r];
        for (var i = 1; i < ring.length; i++) {
          var ax = (ring[i - 1][0] - x) * kx, ay = (ring[i - 1][1] - y) * ky;
          var bx = (ring[i][0] - x) * kx, by = (ring[i][1] - y) * ky;
          var dx = bx - ax, dy = by - ay;
          var len = dx * dx + dy * dy;
          var u = len > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len)) : 0;
          var cx = ax + u * dx, cy = ay + u * dy;
          var d = cx * cx + cy * cy;
          if (d < best) best = d;
        }
      }
    }
    return Math.sqrt(best);
  }

  function unitHits(units, x, y, tolerance) {
    var tolDeg = tolerance / 90000; // a little more than the metres in a degree of latitude
    var hits = [];
    for (var i = 0; i < units.length; i++) {
      var unit = units[i];
      if (!inBox(unit.bbox, x, y, tolDeg / Math.max(0.2, Math.cos((y * Math.PI) / 180)))) continue;
      var inside = false;
      for (var p = 0; p < unit.geom.length && !inside; p++) inside = insidePolygon(x, y, unit.geom[p]);
      var distance = distanceToRings(x, y, unit.geom);
      if (inside || distance <= tolerance) hits.push({ unit: unit, inside: inside, distance: distance });
    }
    return hits;
  }

  // --- data ---------------------------------------------------------------------------------------------------
  function loadCounty(meta) {
    if (state.counties[meta.code]) return Promise.resolve(state.counties[meta.code]);
    if (!state.pending[meta.code]) {
      state.pending[meta.code] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = meta.file;
        script.async = true;
        script.onload = function () {
          if (state.counties[meta.code]) resolve(state.counties[meta.code]);
          else reject(new Error(meta.file));
        };
        script.onerror = function () { delete state.pending[meta.code]; reject(new Error(meta.file)); };
        document.head.appendChild(script);
      });
    }
    return state.pending[meta.code];
  }

  function query(lon, lat, source) {
    var started = performance.now();
    state.queries += 1;
    var tolerance = data.meta.boundary_tolerance_m;
    var tolDeg = tolerance / 50000;
    var candidates = data.counties.filter(function (c) { return inBox(c.bbox, lon, lat, tolDeg); });
    showPoint(lon, lat);
    setAnswer("loading", [el("p", { class: "muted", text: t("loading") })]);
    return Promise.all(candidates.map(loadCounty)).then(
      function (loaded) {
        var hits = [];
        loaded.forEach(function (county) { hits = hits.concat(unitHits(county.units, lon, lat, tolerance)); });
        hits.sort(function (a, b) { return (b.inside - a.inside) || a.unit.code.localeCompare(b.unit.code); });
        lastQuery = { lon: lon, lat: lat, source: source, hits: hits };
        render();
        state.last = {
          lon: lon,
          lat: lat,
          codes: hits.map(function (h) { return h.unit.code; }),
          ms: performance.now() - started,
          at: performance.now(),
        };
      },
      function (error) {
        lastQuery = null;
        setAnswer("error", [el("p", { class: "error", text: t("err_load", { file: error.message }) })]);
        state.last = { error: error.message, ms: performance.now() - started, at: performance.now() };
      }
    );
  }

  // --- answer -------------------------------------------------------------------------------------------------
  function setAnswer(kind, children) {
    var box = document.getElementById("answer");
    box.setAttribute("data-state", kind);
    box.innerHTML = "";
    children.forEach(function (c) { if (c) box.appendChild(c); });
  }

  function fmt(v) { return v.toFixed(6); }

  function whereBlock(q) {
    var rows = [];
    var C = window.EcoCoords;
    var position = fmt(q.lon) + ", " + fmt(q.lat) + "（" + C.formatDms(q.lon, "E", "W") + " " + C.formatDms(q.lat, "N", "S") + "）";
    if (q.source && q.source.typed) {
      var s = q.source;
      rows.push(el("div", {}, [el("b", { text: t("typed") + "：" }), s.typed]));
      var how = t("assumed_crs", { crs: CRS_NAMES[s.crs] }) + "，" + t("order_" + s.order);
      rows.push(el("div", { class: "assumed", id: "assumed" }, [how + "。"]));
      if (s.crs === "cgcs2000") rows.push(el("div", { class: "muted" }, [t("same_datum") + "。"]));
      if (s.crs !== "cgcs2000" && window.EcoCoords.outOfChina(s.lon, s.lat)) rows.push(el("div", { class: "muted", text: t("outside_china") }));
      rows.push(el("div", {}, [el("b", { text: t("converted") + "：" }), position]));
    } else {
      rows.push(el("div", {}, [el("b", { text: t("from_map") + "：" }), position]));
    }
    return el("div", { class: "where" }, rows);
  }

  function unitCard(hit) {
    var u = hit.unit;
    var cls = data.classes.filter(function (c) { return c.class === u.class; })[0];
    var chip = el("span", { class: "chip", style: "background:" + (cls ? cls.color : "#ccc") }, [cls ? label(cls) : "—"]);
    var facts = el("dl", { class: "facts" }, [
      el("dt", { text: t("code") }), el("dd", { class: "code", text: u.code }),
      el("dt", { text: t("name") }), el("dd", { text: u.name || "—" }),
      el("dt", { text: t("cls") }), el("dd", {}, [chip]),
      el("dt", { text: t("county") }), el("dd", { text: u.county + "（" + u.county_code + "）" }),
    ]);
    var notes = u.notes.map(function (n) { return el("p", { class: "note", text: t("note_" + n) }); });
    var groups = u.lists.map(function (g) {
      var dim = data.dimensions.filter(function (d) { return d.key === g.dimension; })[0];
      var title = (dim ? label(dim) : t("other_dimension")) + "（" + g.clauses.length + "）";
      var items = g.clauses.map(function (c) {
        var level = data.levels[c.level] || { zh: c.level, en: c.level, color: "#555" };
        var kind = data.kinds[c.kind] || { zh: c.kind, en: c.kind };
        var extra = c.industries.length ? "（" + t("industries", { list: c.industries.join("、") }) + "）" : "";
        return el("li", { class: "clause", "data-id": c.id }, [
          el("span", { class: "badge", style: "background:" + level.color, title: label(level) + " · " + c.scope, text: label(level) }),
          el("span", { class: "kind kind-" + c.kind, text: label(kind) }),
          el("span", { class: "cid", text: c.id }),
          el("span", { class: "text", text: c.text + extra }),
        ]);
      });
      if (!items.length) items = [el("li", { class: "muted", text: t("none") })];
      return el("section", { class: "dimension", "data-dimension": g.dimension }, [el("h4", { text: title }), el("ol", {}, items)]);
    });
    return el("article", { class: "unit", "data-code": u.code }, [facts].concat(notes, [el("h3", { text: t("list_title") })], groups));
  }

  function render() {
    if (!lastQuery) return;
    var q = lastQuery;
    var parts = [whereBlock(q)];
    var kind;
    var m = data.meta.boundary_tolerance_m;
    if (!q.hits.length) {
      kind = "outside";
      parts.push(el("p", { class: "outside", text: t("outside") }));
    } else if (q.hits.length > 1) {
      kind = "boundary";
      parts.push(el("p", { class: "boundary", text: t("boundary", { n: q.hits.length, m: m }) }));
    } else {
      kind = "unit";
      if (!q.hits[0].inside || q.hits[0].distance <= m) parts.push(el("p", { class: "boundary", text: t("boundary_one", { m: m }) }));
    }
    q.hits.forEach(function (h) { parts.push(unitCard(h)); });
    setAnswer(kind, parts);
    drawHighlight(q.hits);
    if (window.innerWidth <= 700) document.getElementById("answer").scrollIntoView({ block: "start" });
  }

  // --- map ----------------------------------------------------------------------------------------------------
  function latlngs(polygons) {
    return polygons.map(function (rings) {
      return rings.map(function (ring) { return ring.map(function (p) { return [p[1], p[0]]; }); });
    });
  }

  // The drawing's rings: integers at 10^digits, the first vertex absolute and the others as differences.
  function decoded(polygons) {
    var scale = Math.pow(10, data.meta.drawing_digits);
    return polygons.map(function (rings) {
      return rings.map(function (flat) {
        var ring = new Array(flat.length / 2);
        var x = 0, y = 0;
        for (var i = 0; i < flat.length; i += 2) {
          x += flat[i];
          y += flat[i + 1];
          ring[i / 2] = [y / scale, x / scale];
        }
        return ring;
      });
    });
  }

  function showPoint(lon, lat) {
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.circleMarker([lat, lon], { radius: 6, color: "#d00", weight: 2, fillColor: "#fff", fillOpacity: 1, interactive: false }).addTo(map);
  }

  function drawHighlight(hits) {
    if (highlight) map.removeLayer(highlight);
    highlight = L.layerGroup(
      hits.map(function (h) {
        return L.polygon(latlngs(h.unit.geom), { color: "#ff00aa", weight: 3, fill: false, interactive: false });
      })
    ).addTo(map);
    if (marker) marker.bringToFront();
  }

  function buildMap() {
    var renderer = L.canvas({ padding: 0.3 });
    map = L.map("map", { preferCanvas: true, renderer: renderer, zoomControl: true, attributionControl: !!data.meta.tile_url });
    if (data.meta.tile_url) L.tileLayer(data.meta.tile_url, { maxZoom: 18 }).addTo(map);
    var colors = {};
    data.classes.forEach(function (c) { colors[c.class] = c.color; });
    var units = data.units.map(function (u) {
      return L.polygon(decoded(u.geom), {
        renderer: renderer, interactive: false, color: "#555", weight: 0.4, fillColor: colors[u.class] || "#ccc", fillOpacity: 0.72,
      });
    });
    L.layerGroup(units).addTo(map);
    var lines = data.counties.map(function (c) {
      return L.polygon(decoded(c.outline), { renderer: renderer, interactive: false, color: "#222", weight: 1.6, fill: false });
    });
    L.layerGroup(lines).addTo(map);
    var labels = L.layerGroup(
      data.counties.map(function (c) {
        return L.marker([c.label[1], c.label[0]], {
          interactive: false, keyboard: false,
          icon: L.divIcon({ className: "county-label", html: "<span>" + escapeHtml(c.name) + "</span>", iconSize: null }),
        });
      })
    ).addTo(map);
    var b = data.meta.bbox;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
    var toggleLabels = function () {
      var show = map.getZoom() >= 7 || data.counties.length <= 30;
      document.getElementById("map").classList.toggle("hide-labels", !show);
    };
    map.on("zoomend", toggleLabels);
    toggleLabels();
    map.on("click", function (e) { query(e.latlng.lng, e.latlng.lat, null); });
    return labels;
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (ch) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[ch]; });
  }

  // --- page ---------------------------------------------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = state.lang === "en" ? "en" : "zh-CN";
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (node) {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-placeholder]"), function (node) {
      node.setAttribute("placeholder", t(node.getAttribute("data-i18n-placeholder")));
    });
    var legend = document.getElementById("legend-items");
    legend.innerHTML = "";
    data.classes.forEach(function (c) {
      legend.appendChild(el("li", {}, [el("span", { class: "swatch", style: "background:" + c.color }), label(c)]));
    });
    legend.appendChild(el("li", {}, [el("span", { class: "swatch line" }), t("county_line")]));
    var meta = data.meta;
    document.getElementById("meta").textContent =
      t("version") + " " + meta.version + " · " + t("date") + " " + meta.date + " · " + meta.unit_count + " " + t("units_count") + " · " + t("data_crs");
    if (lastQuery) render();
  }

  function onSearch(event) {
    event.preventDefault();
    var text = document.getElementById("coords").value;
    var crs = document.getElementById("crs").value;
    var parsed = window.EcoCoords.parse(text);
    if (parsed.error) {
      lastQuery = null;
      setAnswer("error", [el("p", { class: "error", text: t("err_" + parsed.error) })]);
      return;
    }
    var wgs = window.EcoCoords.toWgs84(parsed.lon, parsed.lat, crs);
    var source = { typed: text, crs: crs, order: parsed.order, lon: parsed.lon, lat: parsed.lat };
    map.setView([wgs[1], wgs[0]], Math.max(map.getZoom(), 11));
    query(wgs[0], wgs[1], source);
  }

  function start() {
    document.title = data.meta.title;
    document.getElementById("title").textContent = data.meta.title;
    var params = new URLSearchParams(window.location.search);
    if (params.get("lang") === "en") state.lang = "en";
    buildMap();
    window.ECOZ.map = map;
    applyLanguage();
    document.getElementById("lang").addEventListener("click", function () {
      state.lang = state.lang === "zh" ? "en" : "zh";
      applyLanguage();
    });
    document.getElementById("search").addEventListener("submit", onSearch);
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        state.ready = true;
        state.readyAt = performance.now();
      });
    });
  }

  window.ECOZ = {
    overview: function (payload) {
      data = payload;
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
      else start();
    },
    county: function (payload) { state.counties[payload.code] = payload; },
    query: function (lon, lat) { return query(lon, lat, null); },
    _hits: unitHits,
  };
})();
