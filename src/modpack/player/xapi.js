/* modpack player: the xAPI side (cmi5 and Tin Can). Placeholder until the xAPI tracker lands. */
(function () {
  "use strict";
  window.modpackTrackers = window.modpackTrackers || {};
})();
