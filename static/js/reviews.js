/* Helpful votes and reports on a project's reviews without a page reload.
   Without this file the same forms post and redirect back with a message. With it, they post
   with fetch() asking for JSON (the views answer JSON then, with the same rules), and the
   review updates in place: the helpful count and button, or a "Reported" mark. */
(function () {
  "use strict";
  var section = document.getElementById("reviews");
  if (!section || !window.fetch || !window.DOMParser) return;

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  section.appendChild(status);

  function announce(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function send(form) {
    // getAttribute: the helpful form holds an input named "action", which shadows form.action.
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) throw new Error("not JSON");
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }

  function messagesOf(errors) {
    var all = [];
    Object.keys(errors || {}).forEach(function (field) { all = all.concat(errors[field]); });
    return all;
  }

  /* Helpful ------------------------------------------------------------------------- */
  function helpful(form) {
    var button = form.querySelector("button");
    button.disabled = true;
    send(form).then(function (result) {
      button.disabled = false;
      if (!result.ok) {
        announce(messagesOf(result.data.errors).join(" "));
        return;
      }
      var marked = result.data.helpful;
      form.querySelector("input[name=action]").value = marked ? "unmark" : "mark";
      button.setAttribute("aria-pressed", marked ? "true" : "false");
      button.textContent = marked ? "Helpful (undo)" : "Helpful";
      var count = form.closest(".review").querySelector("[data-helpful-count]");
      count.textContent = result.data.helpful_count + " found this helpful";
      announce(count.textContent);
    }).catch(function () {
      form.submit(); // the plain POST and redirect
    });
  }

  /* Reports: the report page's form, opened inside the review ------------------------- */
  function closePanel(panel, focusLink) {
    var article = panel.closest("article");
    var link = article && article.querySelector("[data-report-link]");
    panel.remove();
    if (link) {
      link.setAttribute("aria-expanded", "false");
      if (focusLink) link.focus();
    }
  }

  function openPanel(link) {
    var article = link.closest("article");
    var existing = article.querySelector(".review__report");
    if (existing) { closePanel(existing, true); return; }
    section.querySelectorAll(".review__report").forEach(function (panel) { closePanel(panel, false); });
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("no form");
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var form = doc.querySelector("main form");
      if (!form) throw new Error("no form");
      var panel = document.createElement("div");
      var heading = document.createElement("h4");
      panel.className = "review__report";
      panel.id = article.id + "-report";
      panel.setAttribute("role", "region");
      heading.id = article.id + "-report-heading";
      heading.textContent = "Report this review";
      panel.setAttribute("aria-labelledby", heading.id);
      form = document.importNode(form, true);
      form.setAttribute("action", link.href);
      form.setAttribute("data-report-form", "");
      panel.appendChild(heading);
      panel.appendChild(form);
      article.appendChild(panel);
      link.setAttribute("aria-expanded", "true");
      link.setAttribute("aria-controls", panel.id);
      var cancel = form.querySelector(".form__actions a");
      if (cancel) {
        cancel.addEventListener("click", function (event) {
          event.preventDefault();
          closePanel(panel, true);
        });
      }
      var first = form.querySelector("input[type=radio], input, textarea");
      if (first) first.focus();
    }).catch(function () {
      window.location.href = link.href;
    });
  }

  function showErrors(form, errors) {
    var box = form.querySelector(".review__report-errors");
    if (!box) {
      box = document.createElement("div");
      box.className = "notice notice--error review__report-errors";
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.firstChild);
    }
    var list = document.createElement("ul");
    messagesOf(errors).forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    box.replaceChildren(list);
  }

  function report(form) {
    var panel = form.closest(".review__report");
    var article = form.closest("article");
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    send(form).then(function (result) {
      button.disabled = false;
      if (!result.ok) { showErrors(form, result.data.errors); return; }
      var link = article.querySelector("[data-report-link]");
      var mark = document.createElement("span");
      mark.className = "badge badge--reported";
      mark.setAttribute("data-testid", "review-reported");
      mark.tabIndex = -1;
      mark.textContent = "Reported";
      var note = document.createElement("p");
      note.className = "review__notice";
      note.setAttribute("role", "status");
      note.textContent = result.data.message;
      panel.remove();
      if (link) link.replaceWith(mark);
      article.appendChild(note);
      mark.focus();
    }).catch(function () {
      form.submit();
    });
  }

  section.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-helpful-form]")) {
      event.preventDefault();
      helpful(form);
    } else if (form.matches("[data-report-form]")) {
      event.preventDefault();
      report(form);
    }
  });
  section.addEventListener("click", function (event) {
    var link = event.target.closest("[data-report-link]");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    openPanel(link);
  });
  section.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var panel = event.target.closest && event.target.closest(".review__report");
    if (panel) closePanel(panel, true);
  });
})();
