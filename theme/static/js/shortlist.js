/* « Ma sélection »: a buyer's shortlist of enterprises, kept in localStorage.
 *
 * Loaded on every page. Takes charge of every .shortlist-toggle button (hidden in
 * the HTML, so nothing shows without JavaScript) and keeps the header count current.
 * Storage keeps only the enterprises' codes: the shortlist page reads their records
 * from the published open data (data-export), so it always shows today's listings.
 * There the buyer downloads a CSV for French Excel, shares the list as a link
 * (?entreprises=a,b,c), and writes an invitation to quote (mailto: or .eml draft).
 */
(function () {
  "use strict";

  var KEY = "vitrine.selection.v2"; // an array of codes
  var OLD_KEY = "vitrine.selection.v1"; // an array of records frozen at click time
  var SHARE_PARAM = "entreprises";
  // The longest mailto: link we hand over. Windows mail handlers have long cut
  // links near 2,000 characters (Internet Explorer's URL limit was 2,083, and
  // some hand the link over on a 2,048-character command line): past that, a
  // draft file is the only thing sure to arrive whole.
  var MAILTO_LIMIT = 2000;
  var CODE = /^[a-z0-9][a-z0-9-]*$/;

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

  function unique(codes) {
    return codes.filter(function (code, i) {
      return typeof code === "string" && CODE.test(code) && codes.indexOf(code) === i;
    });
  }

  /* Selections kept before codes were: keep their codes, drop the frozen copies. */
  function migrate() {
    var old = store.getItem(OLD_KEY);
    if (old === null) return;
    if (store.getItem(KEY) === null) {
      var items = [];
      try { items = JSON.parse(old); } catch (err) { items = []; }
      if (!Array.isArray(items)) items = [];
      store.setItem(KEY, JSON.stringify(unique(items.map(function (item) { return item && item.slug; }))));
    }
    store.removeItem(OLD_KEY);
  }

  function load() {
    try {
      var codes = JSON.parse(store.getItem(KEY) || "[]");
      return Array.isArray(codes) ? unique(codes) : [];
    } catch (err) {
      return [];
    }
  }

  function save(codes) {
    store.setItem(KEY, JSON.stringify(unique(codes)));
    refresh();
  }

  function toggle(code) {
    var codes = load();
    var kept = codes.filter(function (c) { return c !== code; });
    if (kept.length === codes.length) kept.push(code);
    save(kept);
  }

  /* Sync every button, the header link and the shortlist page with storage. */
  function refresh() {
    var codes = load();
    document.querySelectorAll(".shortlist-toggle").forEach(function (button) {
      var code = button.getAttribute("data-shortlist");
      if (!code) return;
      button.hidden = false;
      button.setAttribute("aria-pressed", codes.indexOf(code) >= 0 ? "true" : "false");
    });
    document.querySelectorAll(".shortlist-nav").forEach(function (link) { link.hidden = false; });
    document.querySelectorAll("[data-shortlist-count]").forEach(function (count) {
      count.textContent = String(codes.length);
    });
    if (page) renderPage();
  }

  /* --- the shortlist page ------------------------------------------------ */

  var page = document.getElementById("ma-selection");
  var text = null;
  var records = null; // code → the enterprise's open-data record, once fetched
  var shared = null; // the codes of a share link, until kept or left

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function one(selector) { return page.querySelector(selector); }

  function french() { return (document.documentElement.lang || "fr").slice(0, 2) === "fr"; }

  /* Québec typography in text we write: no-break space before « : » and inside « ». */
  function typography(value) {
    if (!french()) return value;
    return value.replace(/ (?=[:»])/g, "\u00a0").replace(/« /g, "«\u00a0");
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return values[key] === undefined ? all : values[key];
    });
  }

  function labels(terms) {
    return (terms || []).map(function (term) { return term.libelle; }).join(", ");
  }

  function offer(record) {
    return (record.offre || []).map(function (item) { return item.nom; }).join(", ");
  }

  function contact(record) { return record.contact || {}; }

  /* « 819 555-0142 poste 12 » → « +18195550142;ext=12 », as formatting.phone_uri. */
  function phoneUri(number) {
    var parts = number.split(" poste ");
    var uri = "+1" + parts[0].replace(/\D/g, "");
    return parts.length > 1 ? uri + ";ext=" + parts[1] : uri;
  }

  function enterprisePath(code) {
    return page.getAttribute("data-enterprise-path").replace("{slug}", code);
  }

  function enterpriseUrl(code) {
    return page.getAttribute("data-enterprise-url").replace("{slug}", code);
  }

  /* « 100 000 $ »; "$100,000" in English. */
  function money(amount) {
    if (typeof amount !== "number") return "";
    return new Intl.NumberFormat(french() ? "fr-CA" : "en-CA",
      { style: "currency", currency: "CAD", maximumFractionDigits: 0 }).format(amount);
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

  /* The codes on show: a share link's, else this browser's. */
  function shown() { return shared || load(); }

  function removeButton(code, name) {
    var button = element("button", "no-print shortlist-remove-button");
    button.type = "button";
    button.setAttribute("data-shortlist-remove", code);
    button.appendChild(document.createTextNode(text.remove));
    button.appendChild(element("span", "visually-hidden", typography(" : " + name)));
    return button;
  }

  function entryFor(code) {
    var record = records[code];
    var entry = element("li", "card shortlist-item");
    if (!record) {
      entry.classList.add("shortlist-gone");
      entry.appendChild(element("p", "", typography(fill(shared ? text.unknown : text.gone, { code: code }))));
      if (!shared) entry.appendChild(removeButton(code, code));
      return entry;
    }
    var heading = element("h2");
    var link = element("a", "", record.nom);
    link.href = enterprisePath(code);
    heading.appendChild(link);
    entry.appendChild(heading);
    if (record.a_verifier) entry.appendChild(element("p", "shortlist-stale", text.to_verify));
    entry.appendChild(element("p", "", record.mission));
    var facts = element("dl", "facts");
    var c = contact(record);
    var l = text.labels;
    fact(facts, l.forme, record.forme_juridique && record.forme_juridique.libelle);
    fact(facts, l.secteurs, labels(record.secteurs));
    fact(facts, l.offre, offer(record));
    fact(facts, l.territoires, labels(record.territoires));
    fact(facts, l.ville, record.adresse && record.adresse.ville);
    fact(facts, l.certifications, labels(record.certifications));
    fact(facts, l.neq, record.neq);
    fact(facts, l.capacite, record.capacite);
    fact(facts, l.montant_max, money((record.capacite_contrat || {}).montant_max));
    fact(facts, l.faits, (record.faits || []).map(function (f) {
      return f.verifie_le ? fill(l.verifie, { fact: f.libelle, date: longDate(f.verifie_le) }) : f.libelle;
    }).join(" · "));
    fact(facts, l.personne, c.personne);
    fact(facts, l.courriel, c.courriel, c.courriel && "mailto:" + c.courriel);
    fact(facts, l.telephone, c.telephone, c.telephone && "tel:" + phoneUri(c.telephone));
    fact(facts, l.site_web, c.site_web, c.site_web);
    entry.appendChild(facts);
    if (!shared) entry.appendChild(removeButton(code, record.nom));
    return entry;
  }

  function renderPage() {
    page.hidden = false;
    var codes = shown();
    var status = one("[data-shortlist-status]");
    one("[data-shortlist-shared]").hidden = !shared;
    one("[data-shortlist-intro]").hidden = !!shared;
    one("[data-shortlist-summary]").textContent = codes.length === 0 ? "" : fill(
      codes.length === 1 ? (shared ? text.shared_one : text.one) : (shared ? text.shared_many : text.many),
      { n: codes.length });
    one("[data-shortlist-empty]").hidden = codes.length > 0;
    one("[data-shortlist-actions]").hidden = codes.length === 0;
    one("[data-shortlist-clear]").hidden = !!shared;
    if (codes.length === 0) one("#shortlist-share").hidden = true;
    var list = one("[data-shortlist-items]");
    list.textContent = "";
    if (codes.length && records === null) {
      status.textContent = text.loading;
      fetchRecords();
      return;
    }
    status.textContent = "";
    if (records === false) {
      status.textContent = text.failed;
      return;
    }
    codes.forEach(function (code) { list.appendChild(entryFor(code)); });
    shareLink();
    renderQuote();
  }

  var fetching = false;

  function fetchRecords() {
    if (fetching) return;
    fetching = true;
    fetch(page.getAttribute("data-export"), { cache: "no-cache" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        records = {};
        data.entreprises.forEach(function (record) { records[record.code] = record; });
      })
      .catch(function () { records = false; })
      .then(function () { fetching = false; renderPage(); });
  }

  /* --- CSV for French Excel: BOM so accents survive, « ; » as separator, CRLF. */

  function csvCell(value) {
    var cell = String(value === undefined || value === null ? "" : value);
    if (/^[=+\-@\t\r]/.test(cell)) cell = "'" + cell; // no formula injection
    return /[";\r\n]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
  }

  function yesNo(value) {
    return value === true ? text.yes : value === false ? text.no : "";
  }

  function factsOf(record) {
    var byCode = {};
    (record.faits || []).forEach(function (f) { if (f && f.code) byCode[f.code] = f; });
    return byCode;
  }

  function factValue(value) {
    if (typeof value === "boolean") return yesNo(value);
    return value === undefined || value === null ? "" : value;
  }

  function csvRows(codes) {
    var col = text.columns;
    var header = [col.nom, col.fiche, col.mission, col.forme, col.secteurs, col.territoires,
      col.ville, col.offre, col.certifications, col.personne, col.courriel, col.telephone,
      col.site_web, col.capacite, col.montant_max, col.delai, col.volumes, col.regroupement,
      col.sous_traitance];
    text.facts.forEach(function (f) { header.push(f[1], f[2]); });
    header.push(col.a_verifier, col.mise_a_jour);
    var rows = [header];
    codes.forEach(function (code) {
      var r = records[code];
      if (!r) return; // no longer in the directory: nothing true to file
      var c = contact(r);
      var capacity = r.capacite_contrat || {};
      var facts = factsOf(r);
      var row = [r.nom, enterpriseUrl(code), r.mission, r.forme_juridique && r.forme_juridique.libelle,
        labels(r.secteurs), labels(r.territoires), r.adresse && r.adresse.ville,
        (r.offre || []).map(function (o) { return o.nom + " : " + o.description; }).join(" | "),
        labels(r.certifications), c.personne, c.courriel, c.telephone, c.site_web, r.capacite,
        capacity.montant_max, capacity.delai, capacity.volumes, yesNo(capacity.regroupement),
        yesNo(capacity.sous_traitance)];
      text.facts.forEach(function (f) {
        var declared = facts[f[0]];
        // The NEQ was a listing field before it was a checked fact.
        var value = declared ? factValue(declared.valeur) : (f[0] === "neq" ? r.neq : "");
        row.push(value, declared ? declared.verifie_le : "");
      });
      row.push(r.a_verifier === undefined ? "" : yesNo(r.a_verifier), r.date_mise_a_jour);
      rows.push(row);
    });
    return rows;
  }

  function toCsv(codes) {
    return "\uFEFF" + csvRows(codes).map(function (row) { return row.map(csvCell).join(";"); }).join("\r\n") + "\r\n";
  }

  function downloadFile(content, type, name) {
    var link = element("a");
    link.href = URL.createObjectURL(new Blob([content], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  /* --- sharing: the same list on a colleague's computer ------------------- */

  function readShareLink() {
    var value = new URLSearchParams(window.location.search).get(SHARE_PARAM);
    if (value === null) return null;
    return unique(value.split(",").map(function (code) { return code.trim().toLowerCase(); }));
  }

  function shareLink() {
    var codes = shown();
    var address = window.location.origin + window.location.pathname + "?" + SHARE_PARAM + "=" + codes.join(",");
    one("[data-shortlist-link]").value = address;
    // Where the browser allows writing to the clipboard (a secure page), one click copies.
    one("[data-shortlist-copy]").hidden = !(navigator.clipboard && window.isSecureContext);
  }

  function copyLink() {
    var input = one("[data-shortlist-link]");
    var said = one("[data-shortlist-copied]");
    navigator.clipboard.writeText(input.value).then(
      function () { said.textContent = text.copied; },
      function () { said.textContent = text.copy_failed; input.select(); });
  }

  function keepShared() {
    var codes = load();
    shared.forEach(function (code) { if (records && records[code] && codes.indexOf(code) < 0) codes.push(code); });
    shared = null;
    window.history.replaceState(null, "", window.location.pathname);
    save(codes);
    one("[data-shortlist-status]").textContent = text.kept;
    one("[data-shortlist-summary]").focus();
  }

  /* --- « Demander des prix »: an invitation to quote ---------------------- */

  var quoteUrl = null; // the .eml draft's blob: address, revoked when replaced

  function isoDate(date) {
    return date.getFullYear() + "-" + ("0" + (date.getMonth() + 1)).slice(-2) + "-" + ("0" + date.getDate()).slice(-2);
  }

  /* « 15 janvier 2027 », « 1er mars 2027 »; "January 15, 2027" in English. */
  function longDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) return "";
    var date = new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]));
    var lang = french() ? "fr-CA" : "en-CA";
    var textual = new Intl.DateTimeFormat(lang, { day: "numeric", month: "long", year: "numeric" }).format(date);
    return french() ? textual.replace(/^1 /, "1er ").replace(/ /g, "\u00a0") : textual;
  }

  function prefillQuote(form) {
    if (form.getAttribute("data-filled")) return;
    form.setAttribute("data-filled", "1");
    var q = text.quote;
    form.elements.objet.value = q.subject;
    form.elements.besoin.value = typography(q.need);
    var in14 = new Date();
    in14.setDate(in14.getDate() + 14);
    form.elements.date_limite.value = isoDate(in14);
  }

  function quoteMessage(form) {
    var q = text.quote;
    var sender = form.elements.demandeur.value.trim() || q.sender;
    var subject = form.elements.objet.value.trim() || q.subject;
    var body = typography(fill(q.body, {
      sender: sender,
      subject: subject,
      need: form.elements.besoin.value.trim(),
      // An emptied date field: no date in the text rather than « au plus tard le , ».
      deadline: form.elements.date_limite.value
        ? fill(q.by, { date: longDate(form.elements.date_limite.value) }) : q.asap,
    }));
    return { subject: typography(subject), body: body.replace(/\r?\n/g, "\r\n") };
  }

  function mailto(addresses, message) {
    return "mailto:?bcc=" + addresses.map(encodeURIComponent).join(",") +
      "&subject=" + encodeURIComponent(message.subject) + "&body=" + encodeURIComponent(message.body);
  }

  function utf8(value) {
    var bytes = new TextEncoder().encode(value);
    var binary = "";
    bytes.forEach(function (b) { binary += String.fromCharCode(b); });
    return binary;
  }

  /* A header value as RFC 2047 encoded words of at most 39 bytes: 64 characters each,
   * so « Subject: » and the first word stay within a 78-character line. */
  function encodedWords(value) {
    var words = [];
    var chunk = "";
    Array.from(value).forEach(function (ch) {
      if (utf8(chunk + ch).length > 39) { words.push(chunk); chunk = ""; }
      chunk += ch;
    });
    if (chunk) words.push(chunk);
    return words.map(function (w) { return "=?UTF-8?B?" + btoa(utf8(w)) + "?="; }).join("\r\n ");
  }

  /* An unsent message (RFC 5322, MIME): Outlook opens it as a draft to send (X-Unsent). */
  function eml(addresses, message) {
    var body = btoa(utf8(message.body)).replace(/.{76}/g, "$&\r\n");
    return [
      "X-Unsent: 1",
      "To: ",
      "Bcc: " + addresses.join(",\r\n "),
      "Subject: " + encodedWords(message.subject),
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: base64",
      "",
      body,
      "",
    ].join("\r\n");
  }

  function renderQuote() {
    var section = one("[data-shortlist-quote]");
    var codes = shown().filter(function (code) { return records[code]; });
    section.hidden = shown().length === 0;
    var form = one("[data-quote-form]");
    var tooFew = one("[data-quote-too-few]");
    tooFew.hidden = codes.length >= 2;
    tooFew.textContent = typography(text.quote.too_few);
    form.hidden = codes.length < 2;
    if (codes.length < 2) return;
    prefillQuote(form);
    updateQuote();
  }

  function updateQuote() {
    var q = text.quote;
    var form = one("[data-quote-form]");
    var chosen = shown().map(function (code) { return records[code]; }).filter(Boolean);
    var withMail = chosen.filter(function (r) { return contact(r).courriel; });
    var withoutMail = chosen.filter(function (r) { return !contact(r).courriel; });
    var addresses = withMail.map(function (r) { return contact(r).courriel; });
    var message = quoteMessage(form);
    var link = one("[data-quote-link]");
    var help = one("[data-quote-help]");
    if (quoteUrl) { URL.revokeObjectURL(quoteUrl); quoteUrl = null; }
    link.removeAttribute("download");
    if (!addresses.length) {
      link.hidden = true;
      help.textContent = typography(q.no_mail);
    } else {
      link.hidden = false;
      var recipients = addresses.length === 1 ? q.recipients_one : fill(q.recipients_many, { n: addresses.length });
      var address = mailto(addresses, message);
      if (address.length <= MAILTO_LIMIT) {
        link.href = address;
        link.textContent = q.mail;
        help.textContent = typography(fill(q.mail_help, { recipients: recipients }));
      } else {
        quoteUrl = URL.createObjectURL(new Blob([eml(addresses, message)], { type: "message/rfc822" }));
        link.href = quoteUrl;
        link.download = q.file;
        link.textContent = q.eml;
        help.textContent = typography(fill(q.eml_help, { recipients: recipients }));
      }
    }
    var phones = one("[data-quote-phones]");
    phones.hidden = withoutMail.length === 0;
    one("[data-quote-phones-title]").textContent = q.phone_only;
    var list = one("[data-quote-phones-list]");
    list.textContent = "";
    withoutMail.forEach(function (r) {
      var item = element("li", "", r.nom);
      var number = contact(r).telephone;
      if (number) {
        item.appendChild(document.createTextNode(typography(" : ")));
        var call = element("a", "", number);
        call.href = "tel:" + phoneUri(number);
        item.appendChild(call);
      }
      list.appendChild(item);
    });
  }

  /* --- wiring ----------------------------------------------------------- */

  function onClick(event) {
    var target = event.target.closest("button");
    if (!target) return;
    if (target.classList.contains("shortlist-toggle")) {
      var code = target.getAttribute("data-shortlist");
      if (code) toggle(code);
    } else if (target.hasAttribute("data-shortlist-remove")) {
      var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-shortlist-remove]"));
      var position = buttons.indexOf(target);
      var removed = target.getAttribute("data-shortlist-remove");
      save(load().filter(function (c) { return c !== removed; }));
      focusAfterRemoval(position);
    } else if (target.hasAttribute("data-shortlist-csv")) {
      downloadFile(toCsv(shown()), "text/csv;charset=utf-8", text.file);
    } else if (target.hasAttribute("data-shortlist-print")) {
      window.print();
    } else if (target.hasAttribute("data-shortlist-share")) {
      var panel = one("#shortlist-share");
      panel.hidden = !panel.hidden;
      target.setAttribute("aria-expanded", panel.hidden ? "false" : "true");
      if (!panel.hidden) one("[data-shortlist-link]").select();
    } else if (target.hasAttribute("data-shortlist-copy")) {
      copyLink();
    } else if (target.hasAttribute("data-shortlist-keep")) {
      keepShared();
    } else if (target.hasAttribute("data-shortlist-clear")) {
      if (window.confirm(text.confirm_clear)) save([]);
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
  migrate();
  if (page) {
    text = JSON.parse(document.getElementById("shortlist-strings").textContent);
    shared = readShareLink();
    one("[data-shortlist-summary]").tabIndex = -1;
    one("[data-quote-form]").addEventListener("input", updateQuote);
    one("[data-quote-form]").addEventListener("submit", function (event) { event.preventDefault(); });
  }
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
