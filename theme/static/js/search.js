/* The search page: Pagefind's JavaScript API behind a plain, accessible form.
 *
 * Facets are checkboxes with live counts (values of one facet are alternatives,
 * facets combine); a facet's counts ignore its own selection, so a buyer sees
 * what ticking one more value would add. The facets' data is loaded when a
 * buyer first opens one (or comes with one ticked): at province scale it
 * weighs more than everything a first search needs. Works with or without a
 * query: with none it lists the enterprises (events when asked for). The state
 * lives in the address, in codes (?q=…&tri=…&territoire=sherbrooke), so a
 * search can be bookmarked or shared and survives a renamed label; labels in
 * older addresses are still understood. The header's plain GET form lands here.
 *
 * What the build knows comes from the page's search-data block (search.html):
 * each facet's codes and labels (Pagefind's filters hold labels), sort keys,
 * the address of an enterprise page, strings.
 *
 * Pagefind matches a word it doesn't know by ever shorter prefixes (« asdfgh »
 * finds « à »): good for typos (« traiteurzz » finds « traiteur »), wrong for
 * nonsense. So each word is checked once against its best result's text, and
 * words too short or too common are not searched alone (see words, known).
 *
 * A word found only that way is a typo: « Vouliez-vous dire « traiteur »? » offers
 * the closest word of the best result. When nothing is found, the directory's
 * own words (mots.json, plugins/vitrine/outputs/search/words.py, fetched then
 * only) give the closest words that do find something; and a word only upcoming
 * events hold says so, with a link that ticks them (see advise).
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

  var data = JSON.parse(document.getElementById("search-data").textContent);
  var text = {};
  Object.keys(data.strings).forEach(function (key) { text[key] = typography(data.strings[key]); });
  var GROUPS = data.groups.map(function (group) { return group.key; }); // display order
  var TITLES = {}; // group → its title
  var VALUES = {}; // group → {code: label}
  data.groups.forEach(function (group) {
    TITLES[group.key] = group.title;
    VALUES[group.key] = group.values;
  });
  var DEFAULTS = data.defaults; // a group never left empty: {fiche: ["entreprise"]}
  var SORTS = data.sorts;
  var PAGE_SIZE = 20;
  // An enterprise page's path: the site path, then urls.enterprise(slug).
  var pattern = data.enterprise_path.split("{slug}").map(function (part) {
    return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  });
  var ENTERPRISE_PATH = new RegExp("(?:^|/)(" + pattern[0] + "([^/]+)" + pattern[1] + ")$");
  // Never searched alone: they are in nearly every listing (French, then English).
  var STOP_WORDS = new Set((
    "au aux avec ce ces dans de des du elle en et eux il je la le les leur lui ma mais me meme " +
    "mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi " +
    "ton tu un une vos votre vous est sont a d l j m n s t y c qu chez plus tres tout toute tous " +
    "the and of to in for on with by an or at from is are"
  ).split(" "));
  var MIN_LENGTH = 2; // a single letter never matches alone

  var form = root.querySelector("form");
  var input = document.getElementById("search-q");
  var sortSelect = document.getElementById("search-sort");
  var facetsPanel = document.getElementById("search-facets");
  var facetsBox = root.querySelector("[data-facets]");
  var toggle = root.querySelector("[data-filter-toggle]");
  var chips = root.querySelector("[data-chips]");
  var warning = root.querySelector("[data-warning]");
  var summary = root.querySelector("[data-summary]");
  var advice = root.querySelector("[data-advice]");
  var help = root.querySelector("[data-help]");
  var resultsBox = document.getElementById("resultats");
  var list = root.querySelector("[data-results]");
  var more = root.querySelector("[data-more]");
  var clear = root.querySelector("[data-clear]");
  var showResults = root.querySelector("[data-show-results]");

  var state = { q: "", sort: "", selected: {} }; // selected: group → codes
  var pagefind = null;
  // Shard numbers; the first is the bundle loaded, the others are merged into it.
  var shards = root.getAttribute("data-shards").split(" ").filter(Boolean).map(Number);
  var orders = {}; // sort key → promise of the position of each « shard/id » (tri-<key>.json)
  var verdicts = new Map(); // word → promise: does some listing really hold it?
  var vocabulary = null; // promise of the directory's words (mots.json): folded → {word, count}
  var facetValues = null; // promise of Pagefind's filters(), from the first facet opened
  var facetsReady = false; // the groups hold their values: counts can be shown
  var results = [];
  var searched = []; // the words of the search shown, to highlight
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

  /* Québec typography: a no-break space before « : » and inside « ». */
  function typography(value) {
    return value.replace(/ :/g, "\u00a0:").replace(/« /g, "«\u00a0").replace(/ »/g, "\u00a0»");
  }

  /* Lower case, no accents: how Pagefind compares words, and how a code is written. */
  function fold(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function slug(value) {
    return fold(value).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  /* --- state <-> address ------------------------------------------------- */

  /* A value from an address: a code, or (older addresses) a label. */
  function codeOf(group, value) {
    var values = VALUES[group];
    if (Object.prototype.hasOwnProperty.call(values, value)) return value;
    var wanted = slug(value);
    return Object.keys(values).find(function (code) {
      return code === wanted || slug(values[code]) === wanted;
    });
  }

  function readAddress() {
    var params = new URLSearchParams(window.location.search);
    var unknown = [];
    state.q = (params.get("q") || "").trim();
    state.sort = SORTS.indexOf(params.get("tri")) >= 0 ? params.get("tri") : "";
    state.selected = {};
    GROUPS.forEach(function (group) {
      var codes = [];
      params.getAll(group).forEach(function (value) {
        if (!value) return;
        var code = codeOf(group, value);
        if (code === undefined) unknown.push(format(text.unknown_filter, { group: TITLES[group], value: value }));
        else if (codes.indexOf(code) < 0) codes.push(code);
      });
      if (codes.length) state.selected[group] = codes;
      else if (DEFAULTS[group]) state.selected[group] = DEFAULTS[group].slice();
    });
    warning.textContent = unknown.join(" ");
    warning.hidden = !unknown.length;
    input.value = state.q;
    sortSelect.value = state.sort;
  }

  function isDefault(group) {
    var codes = state.selected[group] || [];
    var preset = DEFAULTS[group] || [];
    return codes.length === preset.length && codes.every(function (c) { return preset.indexOf(c) >= 0; });
  }

  /* The address of the search shown, or of the same one with the words ``q`` and the
   * codes ``ticked`` ({group: codes}) instead of a group's. */
  function addressOf(q, ticked) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    if (state.sort) params.set("tri", state.sort);
    GROUPS.forEach(function (group) {
      if (ticked && ticked[group]) {
        ticked[group].forEach(function (code) { params.append(group, code); });
      } else if (!isDefault(group)) {
        (state.selected[group] || []).forEach(function (code) { params.append(group, code); });
      }
    });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function writeAddress() {
    window.history.replaceState(null, "", addressOf(state.q));
  }

  function select(group, codes) {
    if (codes.length) state.selected[group] = codes;
    else if (DEFAULTS[group]) state.selected[group] = DEFAULTS[group].slice();
    else delete state.selected[group];
  }

  /* --- facets ------------------------------------------------------------ */

  /* Pagefind's filters (labels) for the selection; ``except`` counted as if nothing were
   * ticked there. A group with a default is never free: « fiche » always leaves out past events. */
  function activeFilters(except) {
    var filters = {};
    GROUPS.forEach(function (group) {
      var codes = group === except ? [] : state.selected[group] || [];
      if (!codes.length && DEFAULTS[group]) codes = Object.keys(VALUES[group]);
      if (codes.length) {
        filters[group] = { any: codes.map(function (code) { return VALUES[group][code]; }) };
      }
    });
    return filters;
  }

  /* What the buyer chose (not a group left as it comes). */
  function chosen() {
    var picked = [];
    GROUPS.forEach(function (group) {
      if (isDefault(group)) return;
      (state.selected[group] || []).forEach(function (code) { picked.push([group, code]); });
    });
    return picked;
  }

  /* The groups, closed; their values come with the first one opened. */
  function buildGroups() {
    GROUPS.forEach(function (group) {
      var details = element("details", "facet");
      details.setAttribute("data-group", group);
      details.appendChild(element("summary", "", TITLES[group]));
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

  /* One checkbox per code whose label the index holds; its value is the code. */
  function fillFacets(available) {
    GROUPS.forEach(function (group) {
      var details = facetsBox.querySelector('.facet[data-group="' + group + '"]');
      var labels = available[group] || {};
      var codes = Object.keys(VALUES[group]).filter(function (code) {
        return Object.prototype.hasOwnProperty.call(labels, VALUES[group][code]);
      });
      var note = details.querySelector(".facet-note");
      note.textContent = text.facets_none;
      note.hidden = codes.length > 0;
      details.hidden = !codes.length && !details.open;
      codes.sort(function (a, b) {
        return VALUES[group][a].localeCompare(VALUES[group][b], document.documentElement.lang);
      });
      var fieldset = element("fieldset");
      fieldset.appendChild(element("legend", "visually-hidden", TITLES[group]));
      var options = element("ul", "facet-options");
      codes.forEach(function (code) {
        var id = "facette-" + group + "-" + code;
        var item = element("li");
        var box = element("input");
        box.type = "checkbox";
        box.id = id;
        box.name = group;
        box.value = code;
        box.checked = (state.selected[group] || []).indexOf(code) >= 0;
        var label = element("label", "", VALUES[group][code] + " ");
        label.htmlFor = id;
        label.appendChild(element("span", "facet-count"));
        item.appendChild(box);
        item.appendChild(label);
        options.appendChild(item);
      });
      fieldset.appendChild(options);
      details.insertBefore(fieldset, note);
      if (state.selected[group] && !isDefault(group)) details.open = true;
    });
    facetsReady = true;
    facetsBox.removeAttribute("aria-busy");
  }

  /* Values that would lead nowhere are hidden (unless ticked), and so is a closed facet left
   * empty: an open one stays, with a note, so that a buyer's place and focus stay too. */
  function showCounts(counts) {
    facetsBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var count = (counts[box.name] || {})[VALUES[box.name][box.value]] || 0;
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

  /* The checkboxes follow the state (a chip removed, every filter cleared). */
  function syncBoxes() {
    facetsBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = (state.selected[box.name] || []).indexOf(box.value) >= 0;
    });
  }

  function onFacetChange(event) {
    var box = event.target;
    if (box.type !== "checkbox") return Promise.resolve();
    var codes = (state.selected[box.name] || []).filter(function (c) { return c !== box.value; });
    if (box.checked) codes.push(box.value);
    select(box.name, codes);
    syncBoxes(); // unticking a group's last value brings its default back
    return run();
  }

  /* Active filters as chips, each a button that removes its filter; and the count on « Filtrer ». */
  function showChips() {
    var picked = chosen();
    chips.textContent = "";
    picked.forEach(function (pair) {
      var group = pair[0];
      var code = pair[1];
      var item = element("li");
      var button = element("button", "search-chip");
      button.type = "button";
      button.setAttribute("data-group", group);
      button.setAttribute("data-code", code);
      button.setAttribute("aria-label", format(text.remove_chip, { group: TITLES[group], value: VALUES[group][code] }));
      button.appendChild(element("span", "", VALUES[group][code]));
      var cross = element("span", "search-chip__x", "×");
      cross.setAttribute("aria-hidden", "true");
      button.appendChild(cross);
      item.appendChild(button);
      chips.appendChild(item);
    });
    chips.hidden = !picked.length;
    toggle.textContent = format(text.filter_count, { n: picked.length });
    clear.hidden = !picked.length;
  }

  function onChipClick(event) {
    var button = event.target.closest(".search-chip");
    if (!button) return;
    var group = button.getAttribute("data-group");
    var code = button.getAttribute("data-code");
    var next = button.parentNode.nextElementSibling || button.parentNode.previousElementSibling;
    select(group, (state.selected[group] || []).filter(function (c) { return c !== code; }));
    syncBoxes();
    attempt(run().then(function () {
      // Focus stays in the chips (or goes to the results once none is left).
      var target = next && chips.querySelector('[data-group="' + next.firstChild.getAttribute("data-group") +
        '"][data-code="' + next.firstChild.getAttribute("data-code") + '"]');
      (target || resultsBox).focus();
    }));
  }

  function openFacets(open) {
    root.classList.toggle("facets-open", open);
    toggle.setAttribute("aria-expanded", String(open));
  }

  /* --- words ------------------------------------------------------------- */

  /* The words of a query that are searched: not too short, not too common. */
  function words(query) {
    return query.split(/[^\p{L}\p{N}]+/u).filter(function (word) {
      return word.length >= MIN_LENGTH && !STOP_WORDS.has(fold(word));
    });
  }

  /* Does ``found`` (a word of a listing) answer ``word`` (a word searched)? It starts with it,
   * or they share most of the word: a typo, a plural, another ending. */
  function answers(found, word) {
    var a = fold(found);
    var b = fold(word);
    if (a.indexOf(b) === 0) return true;
    var common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common++;
    return common >= Math.max(3, Math.ceil(b.length * 0.6));
  }

  function textsOf(hit) {
    var meta = hit.meta || {};
    return [hit.content || ""].concat(Object.keys(meta).map(function (key) { return meta[key]; }));
  }

  function textOf(hit) {
    return textsOf(hit).join(" ");
  }

  function holds(hit, word) {
    return textOf(hit).split(/[^\p{L}\p{N}]+/u).some(function (w) { return w && answers(w, word); });
  }

  /* A word is known when its best result holds it (or something close): Pagefind answers
   * an unknown word with whatever shares its first letter. */
  function known(word) {
    var key = fold(word);
    if (!verdicts.has(key)) {
      verdicts.set(key, pagefind.search(word).then(async function (found) {
        if (!found.results.length) return false;
        return holds(await found.results[0].data(), word);
      }).catch(function (err) {
        verdicts.delete(key);
        throw err;
      }));
    }
    return verdicts.get(key);
  }

  /* --- suggestions ------------------------------------------------------ */

  /* Damerau–Levenshtein distance (adjacent letters swapped count one), or ``most`` + 1 once
   * it is sure to be more. */
  function distance(a, b, most) {
    if (Math.abs(a.length - b.length) > most) return most + 1;
    var rows = [];
    for (var i = 0; i <= a.length; i++) {
      rows.push([i]);
      var least = i;
      for (var j = 1; j <= b.length; j++) {
        if (i === 0) { rows[0].push(j); continue; }
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
        rows[i].push(d);
        least = Math.min(least, d);
      }
      if (i > 0 && least > most) return most + 1;
    }
    return rows[a.length][b.length];
  }

  /* How many typos a word may hold and still be corrected: none in a short word (another
   * word), one up to seven letters, two beyond. */
  function tolerance(key) {
    return key.length < 4 ? 0 : key.length < 8 ? 1 : 2;
  }

  /* Words (folded → {word, count}) of the texts ``values``, counted; in lower case where a
   * text writes them so or a sentence starts with them (as search/words.py writes them). */
  function pool(values) {
    var found = new Map();
    values.forEach(function (value) {
      var letters = /\p{L}+/gu;
      var match;
      while ((match = letters.exec(value))) {
        var word = match[0];
        if (word.length < 4) continue;
        if (/(?:^|[.!?:;«(])[^\p{L}\p{N}]*$/u.test(value.slice(0, match.index))) word = word.toLowerCase();
        var key = fold(word);
        var entry = found.get(key);
        if (!entry) found.set(key, { word: word, count: 1 });
        else {
          entry.count++;
          if (word === word.toLowerCase()) entry.word = word; // « traiteur », not « Traiteur »
        }
      }
    });
    return found;
  }

  /* Is ``key`` (folded) a word of ``words``, the beginning of one or the plural of one? */
  function knownIn(key, words) {
    if (words.has(key)) return true;
    if (/(s|x)$/.test(key) && (words.has(key.slice(0, -1)) || words.has(key.replace(/es$/, "")))) return true;
    for (var known of words.keys()) if (known.indexOf(key) === 0) return true;
    return false;
  }

  /* A folded word without its inflection, roughly as Pagefind's stemmers see it: « recycler »
   * and « recyclé » are the same word found, not a typo. */
  var ENDING = /(?:ements?|ations?|ing|ed|ies|ers?|ez|ees?|es|e|s|x|ent|ant)$/;
  function stem(key) {
    return key.replace(ENDING, "");
  }

  /* The words of ``words`` closest to ``word`` (never itself, nor another form of it), best
   * first: fewest typos (``most`` at most), then the commonest. */
  function closest(word, words, most) {
    var key = fold(word);
    most = Math.min(tolerance(key), most === undefined ? Infinity : most);
    var near = [];
    if (!most) return near;
    words.forEach(function (entry, other) {
      if (other === key || stem(other) === stem(key)) return;
      var d = distance(key, other, most);
      if (d <= most) near.push({ word: entry.word, count: entry.count, d: d });
    });
    return near.sort(function (a, b) {
      return a.d - b.d || b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);
    });
  }

  /* Other forms of a word that the directory holds (« nettoyer » → « nettoyage »), the
   * commonest first: Pagefind's stemmer does not join a verb to its noun. Only from a stem
   * of five letters or more, so that a short word does not bring its whole family. */
  function otherForms(word, words) {
    var key = fold(word);
    var base = stem(key);
    var found = [];
    if (base.length < 5) return found;
    words.forEach(function (entry, other) {
      if (other !== key && other.indexOf(base) === 0) found.push(entry);
    });
    return found.sort(function (a, b) {
      return b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);
    });
  }

  /* A search that found something only through Pagefind's prefixes (« traiteurr » finds
   * « traiteur »): the closest words the first results hold instead (their data is already
   * fetched for the cards), or null. */
  async function misspelt(asked, found) {
    if (!asked.words.length) return null;
    var hits = await Promise.all(found.results.slice(0, PAGE_SIZE).map(function (r) { return r.data(); }));
    var best = pool([].concat.apply([], hits.map(textsOf)));
    var changed = false;
    var forms = new Set(Array.from(best.keys(), stem));
    var fixed = asked.words.map(function (word) {
      // Pagefind found another form of it (« recycler » finds « recyclé »): not a typo.
      if (knownIn(fold(word), best) || forms.has(stem(fold(word)))) return word;
      // One typo only: Pagefind's stemmers find words further apart that are no typos.
      var near = closest(word, best, 1)[0];
      changed = changed || Boolean(near);
      return near ? near.word : word;
    });
    return changed ? fixed.join(" ") : null;
  }

  function loadWords() {
    if (!vocabulary) {
      var address = new URL(root.getAttribute("data-words"), document.baseURI);
      vocabulary = fetch(address).then(function (response) {
        if (!response.ok) throw new Error(address + " : " + response.status);
        return response.json();
      }).then(function (counts) {
        var words = new Map();
        Object.keys(counts).forEach(function (word) {
          var key = fold(word);
          var entry = words.get(key);
          if (!entry) words.set(key, { word: word, count: counts[word] });
          else entry.count += counts[word];
        });
        return words;
      }).catch(function (err) {
        vocabulary = null; // the next search that finds nothing tries again
        throw err;
      });
    }
    return vocabulary;
  }

  /* Nothing found: the closest words that do find something with the same filters, and
   * the upcoming events the words find when only enterprises were asked for. */
  async function advise(id, asked, filters) {
    var tips = {};
    if (isDefault("fiche")) {
      var withEvents = activeFilters(null);
      withEvents.fiche = { any: [VALUES.fiche.evenement] };
      var events = await searchFor(plan(), withEvents);
      if (events.results.length) tips.events = events.results.length;
    }
    var words = await loadWords().catch(function (err) {
      if (window.console) console.warn("vitrine: suggestions indisponibles", err);
      return new Map();
    });
    var options = asked.words.map(function (word) {
      if (knownIn(fold(word), words)) return [];
      var typos = closest(word, words).slice(0, 3);
      return typos.concat(otherForms(word, words).slice(0, 3 - typos.length));
    });
    // First each unknown word's closest, then its second, its third; the first that finds.
    for (var rank = 0; rank < 3 && options.some(function (o) { return o.length > rank; }); rank++) {
      var query = asked.words.map(function (word, n) {
        var near = options[n];
        return near.length ? near[Math.min(rank, near.length - 1)].word : word;
      }).join(" ");
      if (fold(query) === fold(asked.words.join(" "))) continue;
      if ((await searchFor(plan(query), filters)).results.length) {
        tips.correction = query;
        break;
      }
    }
    if (id === searchId) showAdvice(tips);
  }

  /* « Vouliez-vous dire … ? » and the events hint, each a link: to the corrected search
   * (the same filters), to the same search with upcoming events ticked. */
  function showAdvice(tips) {
    advice.textContent = "";
    if (tips.correction) {
      var link = element("a", "", format(text.quoted, { q: tips.correction }));
      link.href = addressOf(tips.correction);
      link.setAttribute("data-q", tips.correction);
      advice.appendChild(sentence(text.did_you_mean, { words: link }));
    }
    if (tips.events) {
      var template = tips.events === 1 ? text.events_one : text.events_many;
      var sayWhat = format(template, { n: tips.events, q: state.q });
      var see = element("a", "", text.see_events);
      see.href = addressOf(state.q, { fiche: (state.selected.fiche || []).concat(["evenement"]) });
      see.setAttribute("data-tick", "evenement");
      var line = element("p", "", sayWhat + " ");
      line.appendChild(see);
      advice.appendChild(line);
    }
    advice.hidden = !advice.firstChild;
  }

  /* A paragraph of ``template`` with its {key}s replaced by the nodes given. */
  function sentence(template, nodes) {
    var line = element("p");
    template.split(/\{(\w+)\}/).forEach(function (part, index) {
      line.appendChild(index % 2 ? nodes[part] : document.createTextNode(part));
    });
    return line;
  }

  function onAdviceClick(event) {
    var link = event.target.closest("a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (link.hasAttribute("data-q")) {
      state.q = link.getAttribute("data-q");
      input.value = state.q;
    } else {
      select("fiche", (state.selected.fiche || []).concat([link.getAttribute("data-tick")]));
      syncBoxes();
    }
    attempt(run().then(function () { resultsBox.focus(); }));
  }

  /* --- searching --------------------------------------------------------- */

  async function search(query, filters) {
    if (state.sort) return searchSorted(query, filters, state.sort);
    // Upcoming events alone, without words: soonest first, in the build's order.
    var events = state.selected.fiche && state.selected.fiche.join() === "evenement";
    if (events && !query) return searchSorted(query, filters, data.event_sort);
    return pagefind.search(query, { filters: filters });
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
  async function searchSorted(query, filters, key) {
    var positions = await order(key);
    var parts = await Promise.all(shards.map(function (lot) {
      var own = Object.assign({}, filters, { lot: [String(lot)] });
      return pagefind.search(query, { filters: own });
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

  /* What Pagefind is asked: null (browse everything), the searched words, or nothing at all
   * (``empty``: only words too short or too common). */
  function plan(q) {
    if (q === undefined) q = state.q;
    if (!q) return { query: null, words: [] };
    var kept = words(q);
    if (!kept.length) return { empty: "too_short", words: [] };
    return { query: kept.join(" "), words: kept };
  }

  /* The words no listing holds. The best result ``found`` usually settles it (it holds every
   * word it answers); a word it doesn't hold is checked on its own, without filters. */
  async function unknownWords(asked, found) {
    if (!asked.words.length || !found.results.length) return [];
    var best = await found.results[0].data();
    var doubtful = asked.words.filter(function (word) { return !holds(best, word); });
    var verdict = await Promise.all(doubtful.map(known));
    return doubtful.filter(function (word, index) { return !verdict[index]; });
  }

  async function searchFor(asked, filters) {
    if (asked.empty) return { results: [], filters: {} };
    var found = await search(asked.query, filters);
    // The first cards' data, fetched at once (Pagefind keeps it) while the words are checked.
    found.results.slice(0, PAGE_SIZE).forEach(function (result) { result.data().catch(function () {}); });
    var unknown = await unknownWords(asked, found);
    if (!unknown.length) return found;
    asked.empty = "unknown";
    asked.unknown = unknown;
    return { results: [], filters: {} };
  }

  /* Results for the whole selection; each selected facet also counted without itself. */
  async function run() {
    var id = ++searchId;
    writeAddress();
    showChips();
    list.setAttribute("aria-busy", "true");
    var filters = activeFilters(null);
    var counting = facetsReady; // else countFacets counts once the groups are filled
    var asked = plan();
    var found = await searchFor(asked, filters);
    var counts = counting && !asked.empty ? await facetCounts(asked.query, filters, found) : null;
    if (id !== searchId || !found) return; // a newer search replaced this one
    if (counts) showCounts(counts);
    else if (counting) showCounts({});
    var typo = found.results.length ? await misspelt(asked, found) : null;
    if (id !== searchId) return;
    results = found.results;
    searched = asked.words;
    shown = 0;
    showAdvice({ correction: typo });
    showHelp(asked);
    list.textContent = "";
    await showMore(id, false);
    if (!results.length && asked.words.length) await advise(id, asked, filters);
    // How many searches have been advised on: lets a test wait for the suggestions.
    if (id === searchId) root.setAttribute("data-advised", String(Number(root.getAttribute("data-advised") || 0) + 1));
  }

  /* Counts for the results ``found``: a selected facet's own counted without its selection. */
  async function facetCounts(query, filters, found) {
    var selectedGroups = GROUPS.filter(function (group) { return state.selected[group]; });
    var partial = await Promise.all(selectedGroups.map(function (group) {
      return pagefind.search(query, { filters: activeFilters(group) });
    }));
    var counts = Object.assign({}, found.filters);
    selectedGroups.forEach(function (group, index) { counts[group] = partial[index].filters[group]; });
    return counts;
  }

  /* The counts of the results shown, once the facets' data has come. */
  async function countFacets() {
    var id = searchId;
    var asked = plan();
    var filters = activeFilters(null);
    var found = await searchFor(asked, filters);
    if (asked.empty) return id === searchId ? showCounts({}) : undefined;
    var counts = await facetCounts(asked.query, filters, found);
    if (id === searchId) showCounts(counts);
  }

  /* When nothing is found: why, and where to go instead. */
  function showHelp(asked) {
    help.textContent = "";
    help.hidden = results.length > 0;
    if (results.length) return;
    var tips = element("ul");
    if (asked.empty === "too_short") tips.appendChild(element("li", "", format(text.too_short, { q: state.q })));
    if (asked.empty === "unknown") {
      tips.appendChild(element("li", "", format(text.unknown_words, {
        words: asked.unknown.map(function (w) { return format(text.quoted, { q: w }); }).join(", "),
      })));
    }
    if (state.q) tips.appendChild(element("li", "", text.spelling));
    if (chosen().length) tips.appendChild(element("li", "", text.remove_filters));
    data.browse.forEach(function (pair) {
      var item = element("li");
      var link = element("a", "", pair[0]);
      link.href = pair[1];
      item.appendChild(link);
      tips.appendChild(item);
    });
    help.appendChild(tips);
  }

  async function showMore(id, moveFocus) {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    var hits = await Promise.all(batch.map(function (result) { return result.data(); }));
    if (id !== searchId) return;
    var first = null;
    hits.forEach(function (hit) {
      var card = resultCard(hit);
      first = first || card;
      list.appendChild(card);
    });
    shown += batch.length;
    more.hidden = shown >= results.length;
    summary.textContent = summarise();
    showResults.textContent = format(text.show_results, { n: results.length });
    list.removeAttribute("aria-busy");
    // How many searches have been shown: lets a test (or a script) wait for the next one.
    root.setAttribute("data-results", String(results.length));
    root.setAttribute("data-shown", String(Number(root.getAttribute("data-shown") || 0) + 1));
    if (window.vitrineShortlist) window.vitrineShortlist.refresh();
    if (moveFocus && first) first.querySelector("a").focus();
  }

  function summarise() {
    var total = results.length;
    if (total === 0) return state.q ? format(text.zero_for, { q: state.q }) : text.zero;
    var sentence = total === 1 ? text.one : format(text.many, { n: total });
    return shown < total ? sentence + " — " + format(text.shown, { shown: shown, n: total }) : sentence;
  }

  /* ``value`` with the searched words marked. */
  function highlighted(tag, className, value) {
    var node = element(tag, className);
    value.split(/([^\p{L}\p{N}]+)/u).forEach(function (part, index) {
      var hit = index % 2 === 0 && part && searched.some(function (word) { return answers(part, word); });
      node.appendChild(hit ? element("mark", "", part) : document.createTextNode(part));
    });
    return node;
  }

  /* Pagefind's excerpt, with its <mark>s, as text and mark nodes only. */
  function excerpt(html) {
    var node = element("p", "search-hit__excerpt");
    var body = new DOMParser().parseFromString(html, "text/html").body;
    body.childNodes.forEach(function (child) {
      if (child.nodeName === "MARK") node.appendChild(element("mark", "", child.textContent));
      else node.appendChild(document.createTextNode(child.textContent));
    });
    return node.querySelector("mark") ? node : null;
  }

  function fact(label, value, className) {
    var row = element("p", "search-hit__fact" + (className ? " " + className : ""));
    row.appendChild(element("span", "search-hit__label", label + " "));
    row.appendChild(highlighted("span", "", value));
    return row;
  }

  function resultCard(hit) {
    var meta = hit.meta || {};
    var card = element("li", "card search-hit");
    var heading = element("h3");
    var link = element("a", "", meta.title || hit.url);
    link.href = hit.url;
    heading.appendChild(link);
    card.appendChild(heading);
    if (meta.quand) {
      card.appendChild(element("p", "search-hit__kind", text.event));
      card.appendChild(fact(text.when, meta.quand));
      if (meta.lieu) card.appendChild(fact(text.where, meta.lieu));
      var said = searched.length && excerpt(hit.excerpt || "");
      if (said) card.appendChild(said);
      return card;
    }
    // Why it matched: the passage, or the mission when the words are in its labels.
    card.appendChild((searched.length && excerpt(hit.excerpt || "")) ||
      highlighted("p", "search-hit__mission", meta.mission || ""));
    var items = (meta.offre || "").split(" · ").filter(Boolean);
    var matching = items.filter(function (item) {
      return words(item).some(function (w) { return searched.some(function (s) { return answers(w, s); }); });
    });
    if (items.length) card.appendChild(fact(text.offer, (matching.length ? matching : items.slice(0, 3)).join(" · "), "search-hit__offer"));
    if (meta.ville) card.appendChild(fact(text.town, meta.ville));
    if (meta.secteurs) card.appendChild(fact(text.sectors, meta.secteurs));
    if (meta.territoires) card.appendChild(fact(text.territories, meta.territoires));
    if (meta.certifications) {
      var badges = element("ul", "badges");
      badges.setAttribute("aria-label", text.certifications.replace(/\s*:$/, ""));
      meta.certifications.split(" · ").forEach(function (name) { badges.appendChild(element("li", "badge", name)); });
      card.appendChild(badges);
    }
    var code = shortlistCode(hit);
    if (code) card.appendChild(shortlistButton(code, meta.title));
    return card;
  }

  /* The listing's code, which is all « Ma sélection » keeps (as on the pages,
   * _macros.html shortlist_button); events have none. */
  function shortlistCode(hit) {
    var found = ENTERPRISE_PATH.exec(new URL(hit.url, document.baseURI).pathname);
    return found && !(hit.meta || {}).quand ? found[2] : null;
  }

  /* The same toggle as on the pages (see _macros.html); shortlist.js runs it. */
  function shortlistButton(code, name) {
    var button = element("button", "shortlist-toggle");
    button.type = "button";
    button.hidden = true;
    button.setAttribute("aria-pressed", "false");
    button.setAttribute("data-shortlist", code);
    var star = element("span", "shortlist-star");
    star.setAttribute("aria-hidden", "true");
    button.appendChild(star);
    button.appendChild(document.createTextNode(text.shortlist));
    button.appendChild(element("span", "visually-hidden", "\u00a0: " + name));
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
    await pagefind.options({ baseUrl: baseUrl, excerptLength: 20, mergeFilter: { lot: String(shards[0]) } });
    for (var i = 1; i < shards.length; i++) {
      var path = new URL("../" + shards[i] + "/", bundle).pathname;
      await pagefind.mergeIndex(path, { baseUrl: baseUrl, mergeFilter: { lot: String(shards[i]) } });
    }
    buildGroups();
    if (chosen().length) await loadFacets().catch(facetsFailed);
    await run();
  }

  readAddress();
  showChips();
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
  chips.addEventListener("click", onChipClick);
  advice.addEventListener("click", onAdviceClick);
  toggle.addEventListener("click", function () {
    var open = !root.classList.contains("facets-open");
    openFacets(open);
    if (open) {
      var first = facetsBox.querySelector("summary");
      if (first) first.focus();
    }
  });
  showResults.addEventListener("click", function () {
    openFacets(false);
    resultsBox.focus();
    resultsBox.scrollIntoView();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && root.classList.contains("facets-open")) {
      openFacets(false);
      toggle.focus();
    }
  });
  clear.addEventListener("click", function () {
    state.selected = {};
    GROUPS.forEach(function (group) { select(group, []); });
    syncBoxes();
    attempt(run());
    input.focus();
  });
  more.addEventListener("click", function () { attempt(showMore(searchId, true)); });
  attempt(start());
})();
