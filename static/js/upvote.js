/* The "I use this" button without a page reload: posts the same form the no-JavaScript
   fallback submits, asks for JSON, and updates the button and the count in place. */
(function () {
  "use strict";
  function plural(count) {
    return count + (count === 1 ? " upvote" : " upvotes");
  }
  document.querySelectorAll("form[data-upvote]").forEach(function (form) {
    var button = form.querySelector("[data-upvote-button]");
    var label = form.querySelector("[data-upvote-label]");
    var state = form.querySelector("[data-upvote-state]");
    var count = form.querySelector("[data-upvote-count]");
    form.addEventListener("submit", function (event) {
      if (!window.fetch) return;
      event.preventDefault();
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (result) {
          if (!result.ok) {
            count.textContent = result.data.message || "Something went wrong.";
            return;
          }
          var on = result.data.upvoted;
          button.setAttribute("aria-pressed", on ? "true" : "false");
          button.classList.toggle("btn--primary", on);
          label.textContent = on ? "You use this" : "I use this";
          state.value = on ? "off" : "on";
          count.textContent = plural(result.data.upvote_count);
        })
        .catch(function () {
          form.submit(); // the plain form still works
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  });
})();
