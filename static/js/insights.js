/* Counts a visit of a project page (see insights/counting.py and /privacy/): one small beacon,
   never sent when the browser asks not to be tracked. */
(function () {
  "use strict";
  var project = document.querySelector("[data-insights-project]");
  if (!project || !navigator.sendBeacon) return;
  if (navigator.doNotTrack === "1" || navigator.globalPrivacyControl) return;
  var body = new FormData();
  body.append("project", project.getAttribute("data-insights-project"));
  navigator.sendBeacon("/insights/view/", body);
})();
