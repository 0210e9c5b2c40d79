/* The search page: Pagefind's JavaScript API behind a plain, accessible form.
 *
 * Facets are checkboxes with live counts (values of one facet are alternatives,
 * facets combine); a facet's counts ignore its own selection, so a buyer sees
 * what ticking one more value would add. The facets' data is loaded when a
 * buyer first opens one (or comes with one ticked): at province scale it
 * weighs more than everything a first search needs. Works with or without a
 * query: with none it browses every listing. The state lives in the address
 * (?q=…&tri=…&territoire=…) so a search can be bookmarked or shared, and the
 * header's plain GET form lands here with its query.
 *
 * The index comes in shards (plugins/vitrine/outputs/search/shards.py), merged here
 * with Pagefind's mergeIndex: facet counts add up and relevance ranks across
 * them. Sorting is the build's: tri-<key>.json lists the pages in order, each
 * as « shard/id »; a sorted search asks each shard apart (a result's id is
 * unique within its shard only) and orders the results by that list.
 */
(function () {
  "use strict";

  var root = document.getElementById("recherche");
  if (!root) return;

  var text = JSON.parse(document.getElementById("search-strings").textContent);
  var GROUPS = text.groups.map(function (pair) { return pair[0]; }); // display order
  var LABELS = Object.fromEntries(text.groups);
  var SORTS = ["nom", "maj"];
  var PAGE_SIZE = 20;
  // An enterprise page's path: the site path, then "entreprises/<slug>/" (urls.enterprise).
  var ENTERPRISE_PATH = /(?:^|\/)(entreprises\/([^/]+)\/)$/;

  var form = root.querySelector("form");
  var input = document.getElementById("search-q");
  var sortSelect = document.getElementById("search-sort");
  var facetsBox = root.querySelector("[data-facets]");
  var summary = root.querySelector("[data-summary]");
  var list = root.querySelector("[data-results]");
  var more = root.querySelector("[data-more]");
  var clear = root.querySelector("[data-clear]");

  var state = { q: "", sort: "", selected: {} };
  var pagefind = null;
  // Shard numbers; the first is the bundle loaded, the others are merged into it.
  var shards = root.getAttribute("data-shards").split(" ").filter(Boolean).map(Number);
  var orders = {}; // sort key → promise of the position of each « shard/id » (tri-<key>.json)
  var facetValues = null; // promise of Pagefind's filters(), from the first facet opened
  var facetsReady = false; // the groups hold their values: counts can be shown
  var results = [];
  var shown = 0;
  var searchId = 0;
  var typingTimer = null;

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) { return values[key]; });
  }

  /* --- state <-> address ------------------------------------------------- */

  function readAddress() {
    var params = new URLSearchParams(window.location.search);
    state.q = (params.get("q") || "").trim();
    state.sort = SORTS.indexOf(params.get("tri")) >= 0 ? params.get("tri") : "";
    GROUPS.forEach(function (group) {
      var values = params.getAll(group);
      if (values.length) state.selected[group] = values;
    });
    input.value = state.q;
    sortSelect.value = state.sort;
  }

  function writeAddress() {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.sort) params.set("tri", state.sort);
    GROUPS.forEach(function (group) {
      (state.selected[group] || []).forEach(function (value) { params.append(group, value); });
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
  }

  /* --- facets ------------------------------------------------------------ */

  function activeFilters(except) {
    var filters = {};
    GROUPS.forEach(function (group) {
      var values = state.selected[group];
      if (group !== except && values && values.length) filters[group] = { any: values.slice() };
    });
    return filters;
  }

  /* The groups, closed; their values come with the first one opened. */
  function buildGroups() {
    GROUPS.forEach(function (group) {
      var details = element("details", "facet");
      details.setAttribute("data-group", group);
      details.appendChild(element("summary", "", LABELS[group]));
      var note = element("p", "facet-note", text.facets_loading);
      note.setAttribute("role", "status");
      details.appendChild(note);
      details.addEventListener("toggle", function () {
        // The first group opened brings every facet, then counts the results shown.
        if (details.open && !facetValues) loadFacets().then(countFacets).catch(facetsFailed);
      });
      facetsBox.appendChild(details);
    });
  }

  function loadFacets() {
    if (!facetValues) {
      facetsBox.setAttribute("aria-busy", "true");
      facetValues = pagefind.filters().then(fillFacets, function (err) {
        facetValues = null; // opening a group again tries again
        throw err;
      });
    }
    return facetValues;
  }

  /* filters() rejects when Pagefind itself fails (a file that can't be fetched it only logs). */
  function facetsFailed(err) {
    facetsBox.removeAttribute("aria-busy");
    facetsBox.querySelectorAll(".facet-note").forEach(function (note) {
      note.textContent = text.facets_failed;
    });
    if (window.console) console.warn("vitrine: filtres indisponibles", err);
  }

  function fillFacets(available) {
    GROUPS.forEach(function (group) {
      var details = facetsBox.querySelector('.facet[data-group="' + group + '"]');
      var values = Object.keys(available[group] || {});
      var note = details.querySelector(".facet-note");
      note.textContent = text.facets_none;
      note.hidden = values.length > 0;
      details.hidden = !values.length && !details.open;
      values.sort(function (a, b) { return a.localeCompare(b, document.documentElement.lang); });
      var fieldset = element("fieldset");
      fieldset.appendChild(element("legend", "visually-hidden", LABELS[group]));
      var options = element("ul", "facet-options");
      values.forEach(function (value, index) {
        var id = "facette-" + group + "-" + index;
        var item = element("li");
        var box = element("input");
        box.type = "checkbox";
        box.id = id;
        box.name = group;
        box.value = value;
        box.checked = (state.selected[group] || []).indexOf(value) >= 0;
        var label = element("label", "", value + " ");
        label.htmlFor = id;
        label.appendChild(element("span", "facet-count"));
        item.appendChild(box);
        item.appendChild(label);
        options.appendChild(item);
      });
      fieldset.appendChild(options);
      details.insertBefore(fieldset, note);
      if (state.selected[group]) details.open = true;
    });
    facetsReady = true;
    facetsBox.removeAttribute("aria-busy");
  }

  /* Values that would lead nowhere are hidden (unless ticked), and so is a closed facet left
   * empty: an open one stays, with a note, so that a buyer's place and focus stay too. */
  function showCounts(counts) {
    facetsBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var count = (counts[box.name] || {})[box.value] || 0;
      box.parentNode.hidden = count === 0 && !box.checked;
      box.parentNode.querySelector(".facet-count").textContent = "(" + count + ")";
    });
    facetsBox.querySelectorAll(".facet").forEach(function (facet) {
      var any = Boolean(facet.querySelector(".facet-options li:not([hidden])"));
      facet.hidden = !any && !facet.open && !facet.contains(document.activeElement);
      facet.querySelector(".facet-note").hidden = any;
    });
    // How many times counts were shown: lets a test wait for the facets' data.
    root.setAttribute("data-counted", String(Number(root.getAttribute("data-counted") || 0) + 1));
  }

  function onFacetChange(event) {
    var box = event.target;
    if (box.type !== "checkbox") return Promise.resolve();
    var values = (state.selected[box.name] || []).filter(function (v) { return v !== box.value; });
    if (box.checked) values.push(box.value);
    if (values.length) state.selected[box.name] = values;
    else delete state.selected[box.name];
    return run();
  }

  /* --- searching --------------------------------------------------------- */

  async function search(filters) {
    if (state.sort) return searchSorted(filters, state.sort);
    return pagefind.search(state.q || null, { filters: filters });
  }

  function order(key) {
    if (!orders[key]) {
      orders[key] = fetchOrder(key).catch(function (err) {
        delete orders[key]; // the next search tries again
        throw err;
      });
    }
    return orders[key];
  }

  async function fetchOrder(key) {
    var address = root.getAttribute("data-order").replace("{tri}", key);
    // no-cache: the list must match the shards just fetched
    var response = await fetch(new URL(address, document.baseURI), { cache: "no-cache" });
    if (!response.ok) throw new Error(address + " : " + response.status);
    var positions = new Map();
    (await response.json()).forEach(function (page, position) { positions.set(page, position); });
    return positions;
  }

  /* Each shard is searched apart (the synthetic « lot » filter names it), so
   * each result is known as « shard/id », placed by the sort's list; the
   * shards' facet counts add up. */
  async function searchSorted(filters, key) {
    var positions = await order(key);
    var parts = await Promise.all(shards.map(function (lot) {
      var own = Object.assign({}, filters, { lot: [String(lot)] });
      return pagefind.search(state.q || null, { filters: own });
    }));
    var merged = [];
    var counts = {};
    parts.forEach(function (part, index) {
      var lot = shards[index];
      part.results.forEach(function (result, position) {
        var rank = positions.get(lot + "/" + result.id);
        if (rank === undefined) rank = Infinity; // not in the list: last
        merged.push({ result: result, rank: rank, lot: lot, position: position });
      });
      Object.keys(part.filters).forEach(function (group) {
        counts[group] = counts[group] || {};
        Object.keys(part.filters[group]).forEach(function (value) {
          counts[group][value] = (counts[group][value] || 0) + part.filters[group][value];
        });
      });
    });
    merged.sort(function (a, b) {
      return (a.rank === b.rank ? 0 : a.rank - b.rank) || a.lot - b.lot || a.position - b.position;
    });
    return { results: merged.map(function (m) { return m.result; }), filters: counts };
  }

  /* Results for the whole selection; each selected facet also counted without itself. */
  async function run() {
    var id = ++searchId;
    writeAddress();
    list.setAttribute("aria-busy", "true");
    var filters = activeFilters(null);
    var counting = facetsReady; // else countFacets counts once the groups are filled
    var found = await search(filters);
    var counts = counting ? await facetCounts(filters, found) : null;
    if (id !== searchId || !found) return; // a newer search replaced this one
    if (counts) showCounts(counts);
    clear.hidden = !Object.keys(filters).length;
    results = found.results;
    shown = 0;
    list.textContent = "";
    await showMore(id, false);
  }

  /* Counts for the results ``found``: a selected facet's own counted without its selection. */
  async function facetCounts(filters, found) {
    var selectedGroups = Object.keys(filters);
    var partial = await Promise.all(selectedGroups.map(function (group) {
      return pagefind.search(state.q || null, { filters: activeFilters(group) });
    }));
    var counts = Object.assign({}, found.filters);
    selectedGroups.forEach(function (group, index) { counts[group] = partial[index].filters[group]; });
    return counts;
  }

  /* The counts of the results shown, once the facets' data has come. */
  async function countFacets() {
    var id = searchId;
    var filters = activeFilters(null);
    var found = await pagefind.search(state.q || null, { filters: filters });
    var counts = await facetCounts(filters, found);
    if (id === searchId) showCounts(counts);
  }

  async function showMore(id, moveFocus) {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    var data = await Promise.all(batch.map(function (result) { return result.data(); }));
    if (id !== searchId) return;
    var first = null;
    data.forEach(function (hit) {
      var card = resultCard(hit);
      first = first || card;
      list.appendChild(card);
    });
    shown += batch.length;
    more.hidden = shown >= results.length;
    summary.textContent = summarise();
    list.removeAttribute("aria-busy");
    // How many searches have been shown: lets a test (or a script) wait for the next one.
    root.setAttribute("data-results", String(results.length));
    root.setAttribute("data-shown", String(Number(root.getAttribute("data-shown") || 0) + 1));
    if (window.vitrineShortlist) window.vitrineShortlist.refresh();
    if (moveFocus && first) first.querySelector("a").focus();
  }

  function summarise() {
    var total = results.length;
    if (total === 0) return text.zero;
    var sentence = total === 1 ? text.one : format(text.many, { n: total });
    return shown < total ? sentence + " — " + format(text.shown, { shown: shown, n: total }) : sentence;
  }

  function resultCard(hit) {
    var meta = hit.meta || {};
    var card = element("li", "card search-hit");
    var heading = element("h3");
    var link = element("a", "", meta.title || hit.url);
    link.href = hit.url;
    heading.appendChild(link);
    card.appendChild(heading);
    if (meta.mission) card.appendChild(element("p", "", meta.mission));
    var where = meta.quand
      ? [text.event, meta.quand, meta.lieu]
      : [meta.secteurs, meta.territoires];
    card.appendChild(element("p", "meta", where.filter(Boolean).join(" · ")));
    var record = shortlistRecord(hit);
    if (record) card.appendChild(shortlistButton(JSON.stringify(record), meta.title));
    return card;
  }

  /* The « Ma sélection » record of an enterprise result (as _macros.html
   * shortlist_record writes it on the pages), put together from the result's
   * metadata and address: _pagefind.html keeps the metadata to plain text,
   * because Pagefind indexes the words of every metadata value. */
  function shortlistRecord(hit) {
    var meta = hit.meta || {};
    var found = ENTERPRISE_PATH.exec(new URL(hit.url, document.baseURI).pathname);
    if (!found || meta.quand) return null;
    var list = function (value) { return value ? value.split(" · ") : []; };
    return {
      slug: found[2],
      nom: meta.title || "",
      chemin: found[1],
      mission: meta.mission || "",
      forme: meta.forme || "",
      secteurs: list(meta.secteurs),
      territoires: list(meta.territoires),
      ville: meta.ville || "",
      personne: meta.personne || "",
      courriel: meta.courriel || "",
      telephone: meta.telephone || "",
      site_web: meta.site_web || "",
    };
  }

  /* The same toggle as on the pages (see _macros.html); shortlist.js runs it. */
  function shortlistButton(record, name) {
    var button = element("button", "shortlist-toggle");
    button.type = "button";
    button.hidden = true;
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("data-shortlist", record);
    var star = element("span", "shortlist-star");
    star.setAttribute("aria-hidden", "true");
    button.appendChild(star);
    button.appendChild(document.createTextNode(text.shortlist));
    button.appendChild(element("span", "visually-hidden", " : " + name));
    return button;
  }

  /* --- wiring ------------------------------------------------------------ */

  function fail(err) {
    summary.textContent = text.failed;
    list.removeAttribute("aria-busy");
    if (window.console) console.warn("vitrine: recherche indisponible", err);
  }

  function attempt(promise) {
    promise.catch(fail);
  }

  async function start() {
    // Resolved against the page: SITEURL may be relative (RELATIVE_URLS).
    var page = document.baseURI;
    var bundle = new URL(root.getAttribute("data-bundle"), page);
    var baseUrl = new URL(root.getAttribute("data-base-url"), page).pathname;
    pagefind = await import(bundle.href);
    await pagefind.options({ baseUrl: baseUrl, mergeFilter: { lot: String(shards[0]) } });
    for (var i = 1; i < shards.length; i++) {
      var path = new URL("../" + shards[i] + "/", bundle).pathname;
      await pagefind.mergeIndex(path, { baseUrl: baseUrl, mergeFilter: { lot: String(shards[i]) } });
    }
    buildGroups();
    if (Object.keys(state.selected).length) await loadFacets().catch(facetsFailed);
    await run();
  }

  root.hidden = false;
  readAddress();
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(typingTimer);
    state.q = input.value.trim();
    attempt(run());
  });
  input.addEventListener("input", function () {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      state.q = input.value.trim();
      attempt(run());
    }, 300);
  });
  sortSelect.addEventListener("change", function () {
    state.sort = sortSelect.value;
    attempt(run());
  });
  facetsBox.addEventListener("change", function (event) { attempt(onFacetChange(event)); });
  clear.addEventListener("click", function () {
    state.selected = {};
    facetsBox.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
    attempt(run());
    input.focus();
  });
  more.addEventListener("click", function () { attempt(showMore(searchId, true)); });
  attempt(start());
})();
