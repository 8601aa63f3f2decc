/* Search suggestions under the header search box: an ARIA 1.2 combobox with a listbox.
   Without this file the box is a plain search form. Keyboard: Down/Up move through the
   suggestions, Enter opens the highlighted one (or searches), Escape closes the list. */
(function () {
  "use strict";
  var input = document.getElementById("site-search-q");
  if (!input || !window.fetch) return;
  var form = input.form;
  var list = document.createElement("ul");
  var status = document.createElement("p");
  var active = -1;
  var items = [];
  var timer = null;
  var latest = 0;

  list.id = "site-search-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggested projects");
  list.hidden = true;
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.classList.add("site-search--suggest");
  form.appendChild(list);
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");

  function close() {
    list.hidden = true;
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function show(results) {
    list.textContent = "";
    items = results.map(function (result, i) {
      var option = document.createElement("li");
      var link = document.createElement("a");
      option.id = "site-search-suggestion-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      link.href = result.url;
      link.tabIndex = -1;
      link.textContent = result.title;
      var tagline = document.createElement("span");
      tagline.className = "suggestions__tagline";
      tagline.textContent = result.tagline;
      link.appendChild(tagline);
      option.appendChild(link);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); window.location = result.url; });
      list.appendChild(option);
      return option;
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
    status.textContent = items.length ? items.length + " suggestions, use the arrow keys to choose" : "";
    active = -1;
  }

  function ask() {
    var q = input.value.trim();
    if (q.length < 2) { close(); return; }
    var ticket = ++latest;
    fetch("/projects/suggest/?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) { if (ticket === latest) show(body.results || []); })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location = items[active].querySelector("a").href;
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
