/* « Ma sélection »: a buyer's shortlist of enterprises, kept in localStorage.
 *
 * Loaded on every page. Takes charge of every .shortlist-toggle button (hidden in
 * the HTML, so nothing shows without JavaScript), keeps the header count current,
 * and, on the shortlist page, lists the entries and exports them as CSV for
 * French Excel (UTF-8 with BOM, « ; » separator). Each button carries the
 * record to keep (JSON in data-shortlist), so no other download is needed.
 */
(function () {
  "use strict";

  var KEY = "vitrine.selection.v1";

  function storage() {
    try {
      var probe = "vitrine.probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (err) {
      return null; // storage disabled: the feature stays hidden
    }
  }

  var store = storage();

  function load() {
    try {
      var items = JSON.parse(store.getItem(KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (item) { return item && item.slug; }) : [];
    } catch (err) {
      return [];
    }
  }

  function save(items) {
    store.setItem(KEY, JSON.stringify(items));
    refresh();
  }

  function toggle(record) {
    var items = load();
    var kept = items.filter(function (item) { return item.slug !== record.slug; });
    if (kept.length === items.length) kept.push(record);
    save(kept);
  }

  function remove(slug) {
    save(load().filter(function (item) { return item.slug !== slug; }));
  }

  function recordOf(button) {
    try {
      return JSON.parse(button.getAttribute("data-shortlist"));
    } catch (err) {
      return null;
    }
  }

  /* Sync every button, the header link and the shortlist page with storage. */
  function refresh() {
    var items = load();
    var slugs = items.map(function (item) { return item.slug; });
    document.querySelectorAll(".shortlist-toggle").forEach(function (button) {
      var record = recordOf(button);
      if (!record) return;
      button.hidden = false;
      button.setAttribute("aria-pressed", slugs.indexOf(record.slug) >= 0 ? "true" : "false");
    });
    document.querySelectorAll(".shortlist-nav").forEach(function (link) { link.hidden = false; });
    document.querySelectorAll("[data-shortlist-count]").forEach(function (count) {
      count.textContent = String(items.length);
    });
    renderPage(items);
  }

  /* --- the shortlist page ------------------------------------------------ */

  function strings() {
    var node = document.getElementById("shortlist-strings");
    return node ? JSON.parse(node.textContent) : null;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fact(list, label, value, href) {
    if (!value) return;
    list.appendChild(element("dt", "", label));
    var dd = element("dd");
    if (href) {
      var link = element("a", "", value);
      link.href = href;
      dd.appendChild(link);
    } else {
      dd.textContent = value;
    }
    list.appendChild(dd);
  }

  function renderPage(items) {
    var page = document.getElementById("ma-selection");
    var text = strings();
    if (!page || !text) return;
    page.hidden = false;
    var base = page.getAttribute("data-base-url");
    var columns = text.columns;
    page.querySelector("[data-shortlist-summary]").textContent = items.length === 0 ? ""
      : (items.length === 1 ? text.one : text.many.replace("{n}", items.length));
    page.querySelector("[data-shortlist-empty]").hidden = items.length > 0;
    page.querySelector("[data-shortlist-actions]").hidden = items.length === 0;
    var list = page.querySelector("[data-shortlist-items]");
    list.textContent = "";
    items.forEach(function (item) {
      var entry = element("li", "card shortlist-item");
      var heading = element("h2");
      var link = element("a", "", item.nom);
      link.href = base + item.chemin;
      heading.appendChild(link);
      entry.appendChild(heading);
      entry.appendChild(element("p", "", item.mission));
      var facts = element("dl", "facts");
      fact(facts, columns.forme, item.forme);
      fact(facts, columns.secteurs, (item.secteurs || []).join(", "));
      fact(facts, columns.territoires, (item.territoires || []).join(", "));
      fact(facts, columns.ville, item.ville);
      fact(facts, columns.personne, item.personne);
      fact(facts, columns.courriel, item.courriel, item.courriel && "mailto:" + item.courriel);
      fact(facts, columns.telephone, item.telephone);
      fact(facts, columns.site_web, item.site_web, item.site_web);
      entry.appendChild(facts);
      var button = element("button", "no-print shortlist-remove-button");
      button.type = "button";
      button.setAttribute("data-shortlist-remove", item.slug);
      button.appendChild(document.createTextNode(text.remove));
      button.appendChild(element("span", "visually-hidden", " : " + item.nom));
      entry.appendChild(button);
      list.appendChild(entry);
    });
  }

  /* CSV for French Excel: BOM so accents survive, « ; » as separator, CRLF. */
  function csvCell(value) {
    var text = String(value === undefined || value === null ? "" : value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; // no formula injection
    return /[";\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function toCsv(items, columns, siteUrl) {
    var keys = ["nom", "mission", "forme", "secteurs", "territoires", "ville", "personne",
      "courriel", "telephone", "site_web", "fiche"];
    var rows = [keys.map(function (key) { return columns[key]; })];
    items.forEach(function (item) {
      rows.push(keys.map(function (key) {
        if (key === "fiche") return siteUrl + item.chemin;
        var value = item[key];
        return Array.isArray(value) ? value.join(", ") : value;
      }));
    });
    return "\uFEFF" + rows.map(function (row) { return row.map(csvCell).join(";"); }).join("\r\n") + "\r\n";
  }

  function download(items) {
    var page = document.getElementById("ma-selection");
    var text = strings();
    var blob = new Blob([toCsv(items, text.columns, page.getAttribute("data-site-url"))],
      { type: "text/csv;charset=utf-8" });
    var link = element("a");
    link.href = URL.createObjectURL(blob);
    link.download = text.file;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  /* --- wiring ----------------------------------------------------------- */

  function onClick(event) {
    var target = event.target.closest("button");
    if (!target) return;
    if (target.classList.contains("shortlist-toggle")) {
      var record = recordOf(target);
      if (record) toggle(record);
    } else if (target.hasAttribute("data-shortlist-remove")) {
      var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-shortlist-remove]"));
      var position = buttons.indexOf(target);
      remove(target.getAttribute("data-shortlist-remove"));
      focusAfterRemoval(position);
    } else if (target.hasAttribute("data-shortlist-csv")) {
      download(load());
    } else if (target.hasAttribute("data-shortlist-print")) {
      window.print();
    } else if (target.hasAttribute("data-shortlist-clear")) {
      if (window.confirm(strings().confirm_clear)) save([]);
    }
  }

  /* The list was redrawn: focus the next entry's button, else the empty-state link. */
  function focusAfterRemoval(position) {
    var buttons = document.querySelectorAll("[data-shortlist-remove]");
    var target = buttons[Math.min(position, buttons.length - 1)] ||
      document.querySelector("[data-shortlist-empty] a");
    if (target) target.focus();
  }

  if (!store) return;
  window.vitrineShortlist = { refresh: refresh }; // search.js calls it after drawing results
  document.addEventListener("click", onClick);
  // Another tab changed the shortlist: follow it.
  window.addEventListener("storage", function (event) { if (event.key === KEY) refresh(); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
