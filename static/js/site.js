/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  // Dismissible notices: add a close button to each Django message.
  document.querySelectorAll(".notices .notice").forEach(function (notice) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "notice__close";
    button.setAttribute("aria-label", "Dismiss message");
    button.innerHTML = '<span aria-hidden="true">&times;</span>';
    button.addEventListener("click", function () {
      var container = notice.parentElement;
      notice.hidden = true;
      if (container && !container.querySelector(".notice:not([hidden])")) {
        container.hidden = true;
        var main = document.getElementById("main");
        if (main) main.focus();
      }
    });
    notice.appendChild(button);
  });
  // Escape dismisses the notice that holds focus.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var notice = document.activeElement && document.activeElement.closest(".notices .notice");
    var close = notice && notice.querySelector(".notice__close");
    if (close) close.click();
  });
})();
