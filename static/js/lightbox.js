/* Gallery lightbox: each gallery link opens its full-size image in a native modal <dialog>.
   Without this file the link opens the image itself. The dialog is modal, so Tab stays inside
   it; Escape (the dialog's own cancel), the close button or a click on the backdrop close it,
   and focus goes back to the thumbnail that opened it. */
(function () {
  "use strict";
  var links = Array.prototype.slice.call(document.querySelectorAll("a[data-lightbox]"));
  if (!links.length || typeof HTMLDialogElement !== "function") return;

  var dialog = document.createElement("dialog");
  var figure = document.createElement("figure");
  var image = document.createElement("img");
  var caption = document.createElement("figcaption");
  var close = document.createElement("button");
  var opener = null;

  dialog.className = "lightbox";
  dialog.setAttribute("aria-label", "Image");
  close.type = "button";
  close.className = "lightbox__close btn";
  close.textContent = "Close";
  image.className = "lightbox__image";
  figure.className = "lightbox__figure";
  figure.appendChild(image);
  figure.appendChild(caption);
  dialog.appendChild(close);
  dialog.appendChild(figure);
  document.body.appendChild(dialog);

  function open(link) {
    var thumb = link.querySelector("img");
    var text = link.closest("figure") && link.closest("figure").querySelector("figcaption");
    opener = link;
    image.src = link.href;
    image.alt = thumb ? thumb.alt : "";
    if (link.dataset.width) image.width = Number(link.dataset.width);
    if (link.dataset.height) image.height = Number(link.dataset.height);
    caption.textContent = text ? text.textContent : "";
    caption.hidden = !text;
    dialog.setAttribute("aria-label", image.alt || "Image");
    dialog.showModal();
    close.focus();
  }

  links.forEach(function (link) {
    // Enter on a focused link is a click too, so one handler serves mouse and keyboard.
    link.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      open(link);
    });
  });
  close.addEventListener("click", function () { dialog.close(); });
  // A click on the backdrop lands on the dialog element itself.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener("close", function () {
    image.removeAttribute("src");
    if (opener) opener.focus();
    opener = null;
  });
})();
